#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-tftpd against real clients on loopback, byte-exact: curl (blksize),
# tftp-hpa, atftp (windowsize), busybox tftp; rollover past block 65535
# (also inside a window); netascii; uploads (WRQ).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3 curl ss

ROOT=$T_TMP/root
mkdir -p "$ROOT/sub" "$ROOT/up"
head -c 3000000 /dev/urandom >"$ROOT/a.bin"
head -c 1024 /dev/urandom >"$ROOT/exact.bin"   # a multiple of 512: final empty block
: >"$ROOT/empty.bin"
head -c 600000 /dev/urandom >"$ROOT/roll.bin"  # 75000 blocks of 8 bytes
printf 'line one\nline two\r\nbare\rcr\n\n' >"$ROOT/text.txt"
cp "$ROOT/a.bin" "$ROOT/sub/b.bin"
chmod -R a+rX "$ROOT"
OUT=$T_TMP/out
mkdir -p "$OUT"

tftpd_start "$ROOT" --allow-write --create --log-level=debug || t_done
P=$TFTPD_PORT
URL=tftp://127.0.0.1:$P

# curl: RFC 1350 default, then blksize (RFC 2348)
for b in 0 1468 65464; do
	args=(); [ "$b" = 0 ] || args=(--tftp-blksize "$b")
	rm -f "$OUT/c"
	timeout 60 curl -s "${args[@]}" -o "$OUT/c" "$URL/a.bin"
	check "curl blksize=${b/#0/default} byte-exact" same "$OUT/c" "$ROOT/a.bin"
done
for f in exact.bin sub/b.bin; do
	rm -f "$OUT/c"; timeout 30 curl -s -o "$OUT/c" "$URL/$f"
	check "curl $f byte-exact" same "$OUT/c" "$ROOT/$f"
done
# (curl refuses the OACK of an empty file, "invalid tsize 0": raw client)
tpy get 127.0.0.1 "$P" empty.bin octet "$OUT/e" tsize=0 >/dev/null
check "empty file" test -f "$OUT/e" -a ! -s "$OUT/e"
rm -f "$OUT/c"; timeout 30 curl -s -o "$OUT/c" "$URL/sub%5Cb.bin"
check "curl 'sub\\b.bin' (backslash as separator)" same "$OUT/c" "$ROOT/sub/b.bin"

# Rollover: 75000 blocks of 8 bytes, lock-step (curl wraps to 0 as we do)
rm -f "$OUT/c"; timeout 120 curl -s --tftp-blksize 8 -o "$OUT/c" "$URL/roll.bin"
check "curl rollover (75000 blocks of 8 bytes)" same "$OUT/c" "$ROOT/roll.bin"
# ... and with windows of 16 that cross the wrap (raw client, RFC 7440)
r=$(tpy get 127.0.0.1 "$P" roll.bin octet "$OUT/r" blksize=8 windowsize=16)
check "rollover inside windows of 16 ($r)" same "$OUT/r" "$ROOT/roll.bin"

if have tftp; then
	rm -f "$OUT/h"
	timeout 60 tftp -m binary 127.0.0.1 "$P" -c get a.bin "$OUT/h" >/dev/null 2>&1
	check "tftp-hpa get byte-exact" same "$OUT/h" "$ROOT/a.bin"
	rm -f "$OUT/t"
	timeout 30 tftp -m netascii 127.0.0.1 "$P" -c get text.txt "$OUT/t" >/dev/null 2>&1
	check "tftp-hpa netascii get round-trips" same "$OUT/t" "$ROOT/text.txt"
	head -c 70000 /dev/urandom >"$OUT/hput"
	(cd "$OUT" && timeout 30 tftp -m binary 127.0.0.1 "$P" -c put hput up/hput.bin >/dev/null 2>&1)
	check "tftp-hpa put (WRQ, create) byte-exact" same "$ROOT/up/hput.bin" "$OUT/hput"
else
	skip "tftp-hpa: not installed"
fi

# netascii on the wire: LF -> CR LF, CR -> CR NUL
tpy get 127.0.0.1 "$P" text.txt netascii "$OUT/na" >/dev/null
printf 'line one\r\nline two\r\0\r\nbare\r\0cr\r\n\r\n' >"$OUT/na.want"
check "netascii wire encoding" same "$OUT/na" "$OUT/na.want"

if have atftp; then
	for opt in "1468 16" "512 4" "65464 64" "8 64"; do
		set -- $opt
		f=a.bin; [ "$1" = 8 ] && f=roll.bin
		rm -f "$OUT/at"
		timeout 120 atftp --option "blksize $1" --option "windowsize $2" -g -r "$f" -l "$OUT/at" 127.0.0.1 "$P" >/dev/null 2>&1
		check "atftp blksize=$1 windowsize=$2 $f byte-exact" same "$OUT/at" "$ROOT/$f"
	done
	grep -q 'windowsize=64 .*status=ok' "$TFTPD_LOG"
	check "windowsize 64 negotiated with atftp" grep -q 'file=roll.bin.*blksize=8 windowsize=64.*status=ok' "$TFTPD_LOG"
	# WRQ with a window (RFC 7440 §4: the server ACKs each window's last block)
	head -c 3000000 /dev/urandom >"$OUT/atput"
	timeout 60 atftp --option "blksize 1468" --option "windowsize 8" -p -l "$OUT/atput" -r up/atput.bin \
		127.0.0.1 "$P" >/dev/null 2>&1
	check "atftp put blksize=1468 windowsize=8 byte-exact" same "$ROOT/up/atput.bin" "$OUT/atput"
	wait_for 5 grep -q 'op=write file=up/atput.bin.*windowsize=8 .*status=ok' "$TFTPD_LOG"
	check "WRQ windowsize 8 negotiated with atftp" grep -q 'op=write file=up/atput.bin.*blksize=1468 windowsize=8 .*status=ok' "$TFTPD_LOG"
else
	skip "atftp: not installed"
fi

if have busybox; then
	for b in 512 1468; do
		rm -f "$OUT/bb"
		timeout 60 busybox tftp -g -b "$b" -r a.bin -l "$OUT/bb" 127.0.0.1 "$P" >/dev/null 2>&1
		check "busybox tftp blksize=$b byte-exact" same "$OUT/bb" "$ROOT/a.bin"
	done
	head -c 5000 /dev/urandom >"$OUT/bbput"
	timeout 30 busybox tftp -p -l "$OUT/bbput" -r up/bb.bin 127.0.0.1 "$P" >/dev/null 2>&1
	check "busybox tftp put byte-exact" same "$ROOT/up/bb.bin" "$OUT/bbput"
else
	skip "busybox: not installed"
fi

# curl upload over an existing file: replaced atomically
head -c 100000 /dev/urandom >"$OUT/cput"
cp "$ROOT/exact.bin" "$ROOT/up/existing.bin"
timeout 30 curl -s -T "$OUT/cput" "$URL/up/existing.bin"
check "curl upload replaces an existing file" same "$ROOT/up/existing.bin" "$OUT/cput"
check "no temporary files left in up/" test -z "$(ls -A "$ROOT/up" | grep '^\.')"

# One log line per transfer with the facts
line=$(grep 'event=transfer' "$TFTPD_LOG" | grep 'file=a.bin' | grep 'blksize=1468 ' | head -1)
ok=1
for k in client= file= bytes=3000000 blksize= windowsize= ms= mbps= retransmits= status=ok ask_blksize=1468; do
	[[ $line == *"$k"* ]] || { ok=0; echo "missing $k in: $line"; }
done
check "transfer log line has client, file, bytes, blksize, windowsize, ms, mbps, retransmits, status, asked options" test $ok = 1

stop_pid "$TFTPD_PID"; cp "$TFTPD_LOG" /tmp/tftpd_clients_last.log
check "no transfer ended in error" test -z "$(grep 'event=transfer' "$TFTPD_LOG" | grep -v 'status=ok')"
t_done
