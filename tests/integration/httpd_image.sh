#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-httpd with an ISO 9660 image as ROOT (no mount): files byte-identical
# to xorriso's extraction, Range and If-Range, the image itself at
# /<name>.iso, the listing, a zisofs file refused with 403 and a log line
# naming it, --no-image-file, and an image replaced by mv + SIGHUP while a
# download from the old one is still running. The big comparison over
# every kind of image is iso_serve.sh; this one is about pxe-httpd.
. "$(dirname "$0")/../lib.sh"
need_cmd curl xorriso cmp
export LC_ALL=C.UTF-8 # xorriso reads file names in the locale's charset
[ -x "$HTTPD" ] || { fail "httpd_image: $HTTPD not built"; t_done; }

S=$T_TMP/src
mkdir -p "$S/arch/boot/x86_64" "$S/arch/x86_64" "$S/sub dir"
echo kernel >"$S/arch/boot/x86_64/vmlinuz-linux"
head -c 1500000 /dev/urandom >"$S/arch/x86_64/airootfs.sfs" # sendfile path
head -c 3000 /dev/urandom >"$S/small.bin"                   # cached bytes path
echo spaced >"$S/sub dir/a file.txt"
echo "inner, hidden by the image file" >"$S/arch.iso"
ln -s arch/boot/x86_64/vmlinuz-linux "$S/vmlinuz"
head -c 200000 /dev/zero >"$T_TMP/zeros.bin"
ISO=$T_TMP/img/arch.iso
mkdir -p "$T_TMP/img"
# Rock Ridge + Joliet, and one zisofs-compressed file (never served raw)
xorriso -as mkisofs -quiet -R -J -V ARCH_TEST -o "$T_TMP/plain.iso" "$S" 2>/dev/null
xorriso -indev "$T_TMP/plain.iso" -outdev "$ISO" -map "$T_TMP/zeros.bin" /zeros.bin \
	-set_filter_r --zisofs /zeros.bin -- >/dev/null 2>&1
[ -s "$ISO" ] || { fail "httpd_image: xorriso made no image"; t_done; }
X=$T_TMP/x
xorriso -osirrox on -indev "$ISO" -extract / "$X" >/dev/null 2>&1
chmod -R u+w "$X"

PORT=$(free_port)
U=http://127.0.0.1:$PORT
LOG=$T_TMP/server.log
start_bg "$LOG" "$HTTPD" "$ISO" --addr 127.0.0.1 --port "$PORT" --listing
PID=$T_LAST_PID
wait_for 20 tcp_bound "$PORT" || { fail "httpd_image starts: not listening"; cat "$LOG"; t_done; }
grep -q 'event=start.*serving.*arch.iso' "$LOG" && pass "start line: serving the image" ||
	fail "start line: $(grep -v event=listen "$LOG" | head -3)"

H=$T_TMP/h B=$T_TMP/b
cu() { local p=$1; shift; rm -f "$H" "$B"; : >"$B"; CODE=$(curl -s --max-time 20 -D "$H" -o "$B" -w '%{http_code}' "$@" "$U$p"); }
hdr() { tr -d '\r' <"$H" | awk -v h="$(echo "$1" | tr A-Z a-z)" -F': ' 'tolower($1)==h {v=substr($0, length($1)+3)} END {print v}'; }
expect() { local name=$1 want=$2 got=$3; [ "$got" = "$want" ] && pass "$name" || fail "$name: want '$want', got '$got'"; }
urlpath() { $PY -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$1"; }

# ---- every file of the extraction, byte for byte (arch.iso: the image wins)
n=0 bad=0
while IFS= read -r -d '' f; do
	rel=${f#"$X"/}
	case $rel in zeros.bin | arch.iso) continue ;; esac
	n=$((n + 1))
	cu "/$(urlpath "$rel")"
	[ "$CODE" = 200 ] && cmp -s "$B" "$f" || { bad=$((bad + 1)); echo "  differs: /$rel ($CODE)"; }
done < <(find "$X" -type f -print0)
[ "$bad" -eq 0 ] && [ "$n" -ge 4 ] && pass "$n files byte-identical to xorriso's extraction" ||
	fail "$bad of $n files differ from xorriso's extraction"
cu /vmlinuz
expect "a Rock Ridge symlink is followed inside the image" kernel "$(cat "$B")"

# ---- Range and validators on a file inside the image
F=/arch/x86_64/airootfs.sfs XF=$X/arch/x86_64/airootfs.sfs
cu $F -r 1000-2999
expect "Range: 206" 206 "$CODE"
expect "Range: Content-Range" "bytes 1000-2999/1500000" "$(hdr Content-Range)"
check "Range: the bytes" cmp -s "$B" <(tail -c +1001 "$XF" | head -c 2000)
cu $F -r -100
check "suffix Range: the last 100 bytes" cmp -s "$B" <(tail -c 100 "$XF")
ETAG=$(hdr ETag)
cu $F -r 0-0 -H "If-Range: $ETAG"
expect "If-Range with the ETag: 206" 206 "$CODE"
cu $F -H "If-None-Match: $ETAG"
expect "If-None-Match: 304" 304 "$CODE"
cu /small.bin -r 10-19,100-109
expect "multipart Range: 206" 206 "$CODE"
grep -q '^Content-Type: multipart/byteranges' <(tr -d '\r' <"$H") && pass "multipart/byteranges" ||
	fail "multipart: $(hdr Content-Type)"

# ---- the image itself at /arch.iso
cu /arch.iso
expect "/arch.iso: 200" 200 "$CODE"
check "/arch.iso is the image byte for byte (it wins over the inner arch.iso)" cmp -s "$B" "$ISO"
expect "/arch.iso Content-Type" application/x-iso9660-image "$(hdr Content-Type)"
IETAG=$(hdr ETag)
cu /arch.iso -r 32768-34815 -H "If-Range: $IETAG"
expect "/arch.iso Range + If-Range: 206" 206 "$CODE"
check "/arch.iso Range: the volume descriptor" cmp -s "$B" <(tail -c +32769 "$ISO" | head -c 2048)
cu /arch.iso -r 0-9 -H 'If-Range: "stale"'
expect "/arch.iso If-Range with another ETag: the whole image" 200 "$CODE"

# ---- listings
cu /
[[ $(cat "$B") == *'href="arch/"'*'href="arch.iso"'*'href="small.bin"'* ]] &&
	pass "listing of / shows the image file and the image's root, sorted" || fail "listing /: $(cat "$B")"
expect "listing: the image file once" 1 "$(grep -c 'href="arch.iso"' "$B")"
cu "/sub%20dir/"
[[ $(cat "$B") == *'href="a%20file.txt"'* ]] && pass "listing of a directory inside the image" ||
	fail "listing /sub dir/: $(cat "$B")"
cu /arch
expect "a directory without '/': 301" 301 "$CODE"

# ---- what the image cannot serve
cu /zeros.bin
expect "zisofs file: 403" 403 "$CODE"
grep -q 'event=forbidden.*file=/zeros.bin.*status=403.*reason=.*zisofs' "$LOG" &&
	pass "zisofs file: the log names it and why" || fail "zisofs log: $(grep forbidden "$LOG")"
cu /nope
expect "missing: 404" 404 "$CODE"
cu /../../etc/passwd --path-as-is
[ "$CODE" = 400 ] || [ "$CODE" = 404 ] && pass "no way out of the image ($CODE)" || fail "escape: $CODE"

# ---- mv a new image over it, SIGHUP, while a download runs from the old
cp "$XF" "$T_TMP/old.sfs"
head -c 1500000 /dev/urandom >"$S/arch/x86_64/airootfs.sfs"
xorriso -as mkisofs -quiet -R -J -V ARCH_NEW -o "$T_TMP/img/new.iso" "$S" 2>/dev/null
curl -s --max-time 30 --limit-rate 300K -o "$T_TMP/slow" "$U$F" &
SLOW=$!
sleep 1
mv "$T_TMP/img/new.iso" "$ISO"
kill -HUP "$PID"
wait_for 10 grep -q 'event=reload.*serving.*arch.iso' "$LOG" && pass "reload: serving the new image" ||
	fail "reload: $(grep reload "$LOG")"
cu $F
check "after reload: the new image's bytes" cmp -s "$B" "$S/arch/x86_64/airootfs.sfs"
wait "$SLOW"
check "the download in flight finished from the old image" cmp -s "$T_TMP/slow" "$T_TMP/old.sfs"
stop_pid "$PID"

# ---- --no-image-file: /arch.iso is the image's own arch.iso
start_bg "$LOG.2" "$HTTPD" "$ISO" --addr 127.0.0.1 --port "$PORT" --no-image-file
PID=$T_LAST_PID
wait_for 20 tcp_bound "$PORT" || { fail "--no-image-file: not listening"; cat "$LOG.2"; t_done; }
cu /arch.iso
expect "--no-image-file: /arch.iso is the file inside" "inner, hidden by the image file" "$(cat "$B")"
stop_pid "$PID"
t_done
