#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-tftpd protocol rules with a raw client: options and OACK, tsize
# above 4 GiB, declined transfers, wrong TIDs, repeated requests, every
# error case, single-port, unique-root, map rules, lowercase.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3 ss

ROOT=$T_TMP/root
mkdir -p "$ROOT/127.0.0.1" "$ROOT/up" "$ROOT/dir"
head -c 200000 /dev/urandom >"$ROOT/a.bin"
head -c 3000 /dev/urandom >"$ROOT/127.0.0.1/a.bin"
head -c 777 /dev/urandom >"$ROOT/lower.bin"
truncate -s 5368709121 "$ROOT/big.img"          # sparse, 5 GiB + 1
echo secret >"$ROOT/closed.bin"; chmod 000 "$ROOT/closed.bin"
echo old >"$ROOT/up/keep.bin"
ln -s /etc/passwd "$ROOT/escape"
chmod a+rX "$ROOT" "$ROOT/127.0.0.1" "$ROOT/dir" "$ROOT/a.bin" "$ROOT/127.0.0.1/a.bin" "$ROOT/lower.bin" "$ROOT/big.img"
chmod a+rwx "$ROOT/up"; chmod a+rw "$ROOT/up/keep.bin"
chmod 755 "$T_TMP"
OUT=$T_TMP/out
mkdir -p "$OUT"
cat >"$T_TMP/map" <<'EOF'
# comment
r  ^alias\.bin$   a.bin
ri ^/?pxelinux\.cfg/(.*)$ \1.bin
a  ^forbidden
EOF

args=()
is_root && args=(--user nobody)   # so that file permissions apply
tftpd_start "$ROOT" --map "$T_TMP/map" --log-level=debug "${args[@]}" || t_done
P=$TFTPD_PORT
L=$TFTPD_LOG

# --- options (RFC 2347/2348/2349/7440)
r=$(tpy oack 127.0.0.1 "$P" big.img tsize=0)
check "tsize of a sparse 5 GiB file ($r)" test "$r" = "oack_tsize=5368709121"
wait_for 3 grep -q 'file=big.img.*status=declined' "$L"
check "ERROR 8 after the OACK is logged as declined" grep -q 'file=big.img.*status=declined' "$L"
r=$(tpy oack 127.0.0.1 "$P" a.bin BLKSIZE=65464 TimeOut=3 windowsize=65535 unknown=1 tsize=0)
check "OACK: case-insensitive, clamped, timeout echoed, unknown ignored ($r)" \
	test "$r" = "oack_blksize=65464 oack_timeout=3 oack_tsize=200000 oack_windowsize=64"
r=$(tpy oack 127.0.0.1 "$P" a.bin blksize=4 timeout=0 windowsize=0)
check "out-of-range option values left out ($r)" test "$r" = "op=3"
r=$(tpy get 127.0.0.1 "$P" a.bin netascii "$OUT/n" tsize=0 windowsize=8 blksize=1024)
check "netascii: no tsize, no windowsize ($r)" test "${r#*sport=* }" = "oack_blksize=1024"
r=$(tpy get 127.0.0.1 "$P" a.bin octet "$OUT/w" windowsize=16 blksize=1000 rollover=1)
check "windowsize 16 + rollover option byte-exact ($r)" same "$OUT/w" "$ROOT/a.bin"

# --- TIDs and repeated requests (RFC 1350 §4)
r=$(tpy tid 127.0.0.1 "$P" a.bin)
check "wrong TID gets ERROR 5, the transfer goes on ($r)" test "$r" = "$(printf 'stranger_op=5 stranger_code=5\nbytes=200000')"
r=$(tpy dup 127.0.0.1 "$P" a.bin)
check "a repeated RRQ starts one transfer ($r)" test "$r" = "server_ports=1"
r=$(tpy reprobe 127.0.0.1 "$P" a.bin)
check "tsize probe, then a new RRQ from the same port without ERROR: served ($r)" \
	test "$r" = "first_op=6 second_op=3 new_port=1"
wait_for 3 grep -q 'status=declined reason="new request' "$L"
check "... the probe is logged as declined" grep -q 'status=declined reason="new request' "$L"

# --- errors
err() { tpy oack 127.0.0.1 "$P" "$1"; }
check "missing file -> ERROR 1" test "$(err nope.bin)" = "error=1"
check "../ above the root -> ERROR 2" test "$(err ../../etc/passwd)" = "error=2"
check "symlink out of the root -> ERROR 2" test "$(err escape)" = "error=2"
check "directory -> ERROR 2" test "$(err dir)" = "error=2"
if is_root || [ "$(id -u)" != 0 ]; then
	check "unreadable file -> ERROR 2" test "$(err closed.bin)" = "error=2"
fi
check "map: a rule refuses -> ERROR 2" test "$(err forbidden.bin)" = "error=2"
r=$(tpy raw 127.0.0.1 "$P" 00016100)                 # RRQ without mode
check "malformed request -> ERROR 4 ($r)" test "$r" = "op=5 code=4"
r=$(tpy raw 127.0.0.1 "$P" 000161006d61696c00)       # mode "mail"
check "mode mail -> ERROR 4 ($r)" test "$r" = "op=5 code=4"
r=$(tpy raw 127.0.0.1 "$P" 00040001)                 # ACK to the listen port
check "stray ACK to the listen port: silence ($r)" test "$r" = "op=none"
head -c 2000 /dev/urandom >"$OUT/up"
check "WRQ without allow-write -> ERROR 2" test "$(tpy put 127.0.0.1 "$P" up/x.bin "$OUT/up")" = "error=2"

# --- map, lowercase off, backslash
r=$(tpy get 127.0.0.1 "$P" alias.bin octet "$OUT/m")
check "map: alias.bin -> a.bin" same "$OUT/m" "$ROOT/a.bin"
r=$(tpy get 127.0.0.1 "$P" PXELINUX.CFG/lower octet "$OUT/m2")
check "map: case-insensitive rule with \\1" same "$OUT/m2" "$ROOT/lower.bin"
check "no lowercase by default: LOWER.BIN -> ERROR 1" test "$(err LOWER.BIN)" = "error=1"
stop_pid "$TFTPD_PID"

# --- unique-root, lowercase, max-transfers, writes
tftpd_start "$ROOT" --unique-root=ip --lowercase --max-transfers=1 --allow-write "${args[@]}" || t_done
P=$TFTPD_PORT
tpy get 127.0.0.1 "$P" a.bin octet "$OUT/u" >/dev/null
check "unique-root=ip serves ROOT/127.0.0.1/" same "$OUT/u" "$ROOT/127.0.0.1/a.bin"
check "unique-root=ip: only that folder (lower.bin is not in it)" test "$(err lower.bin)" = "error=1"
rm -rf "$ROOT/127.0.0.1"
tpy get 127.0.0.1 "$P" LOWER.BIN octet "$OUT/l" >/dev/null
check "unique-root=ip without the folder: ROOT; lowercase: LOWER.BIN -> lower.bin" same "$OUT/l" "$ROOT/lower.bin"
python3 "$TPY" hold 127.0.0.1 "$P" a.bin 60 >"$OUT/hold" 2>&1 &
hold=$!
wait_for 10 grep -q held "$OUT/hold"
check "max-transfers reached -> ERROR 0 (server busy)" test "$(err lower.bin)" = "error=0"
kill -TERM "$hold"; wait "$hold"
wait_for 5 grep -q 'status=aborted' "$TFTPD_LOG"
check "WRQ of a new file without create -> ERROR 1" test "$(tpy put 127.0.0.1 "$P" up/new.bin "$OUT/up")" = "error=1"
r=$(tpy put 127.0.0.1 "$P" up/keep.bin "$OUT/up" 2)
check "aborted upload ($r) leaves the old file and no temporary" \
	test "$(cat "$ROOT/up/keep.bin")" = old -a -z "$(ls -A "$ROOT/up" | grep -v '^keep.bin$')"
r=$(tpy put 127.0.0.1 "$P" up/keep.bin "$OUT/up" -1 blksize=1400)
check "upload over an existing file with blksize ($r)" same "$ROOT/up/keep.bin" "$OUT/up"
stop_pid "$TFTPD_PID"

# --- single-port: every transfer answers from the listen port
tftpd_start "$ROOT" --single-port || t_done
P=$TFTPD_PORT
r=$(tpy get 127.0.0.1 "$P" a.bin octet "$OUT/s" windowsize=4 blksize=1400)
check "single-port: replies from the listen port ($r)" test "${r#*sport=}" != "$r" -a "$(sed 's/.*sport=\([0-9]*\).*/\1/' <<<"$r")" = "$P"
check "single-port: byte-exact" same "$OUT/s" "$ROOT/a.bin"
r=$(tpy raw 127.0.0.1 "$P" 00040001)
check "single-port: ACK from an unknown client -> ERROR 5 ($r)" test "$r" = "op=5 code=5"
(tpy get 127.0.0.1 "$P" a.bin octet "$OUT/s1" >/dev/null &
 tpy get 127.0.0.1 "$P" a.bin octet "$OUT/s2" blksize=512 >/dev/null & wait)
check "single-port: two concurrent transfers" eval 'same "$OUT/s1" "$ROOT/a.bin" && same "$OUT/s2" "$ROOT/a.bin"'
stop_pid "$TFTPD_PID"
t_done
