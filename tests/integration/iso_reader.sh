#!/bin/bash
# SPDX-License-Identifier: MIT
# The ISO 9660 reader of common/ (iso9660*.c), through build/tests/isols,
# against real images made by xorriso and genisoimage: every file's offset
# and size must equal what `xorriso -find / -exec report_lba` reports, and
# every file's bytes what `xorriso -osirrox on -extract` writes. Corrupt
# images (truncated, bit-flipped, UDF-only) must give an error, never a
# crash (run it on the ASan build too: make BUILD=build-asan SANITIZE=...).
#   SLOW=1  also a sparse file above 4 GiB (multi-extent; writes ~4.5 GB)
. "$(dirname "$0")/../lib.sh"
need_cmd xorriso cmp
. "$(dirname "$0")/../iso_images.sh" # sets LC_ALL=C.UTF-8 (UTF-8 names)
ISOLS=$BUILD_DIR/tests/isols
[ -x "$ISOLS" ] || { fail "iso-reader: $ISOLS not built (make check-build)"; t_done; }
W=$T_TMP

# ---------------------------------------------------------------- the tree
S=$W/src
iso_tree "$S"

# ---------------------------------------------------------------- helpers
# compare NAME ISO VIEW [CATALOG]: the index against report_lba and the
# extraction. CATALOG: the El Torito boot catalog, a file in our index that
# report_lba leaves out; its offset must be the one the boot record gives.
compare() {
	local name=$1 iso=$2 view=$3 ls=$W/$1.ls cat_off=
	[ -n "${4:-}" ] && cat_off=$(($(od -An -tu4 -j $((17 * 2048 + 0x47)) -N4 "$iso") * 2048))
	if ! "$ISOLS" "$iso" >"$ls" 2>"$W/$name.err"; then
		fail "$name: isols refused it: $(cat "$W/$name.err")"
		return
	fi
	local got
	got=$(sed -n '1s/.*view=\([a-z0-9]*\).*/\1/p' "$ls")
	[ "$got" = "$view" ] && pass "$name: name view $view ($(head -1 "$ls" | cut -c3-))" ||
		fail "$name: view $got, expected $view"
	xorriso -indev "$iso" -find / -exec report_lba -- 2>/dev/null >"$W/$name.lba"
	local out
	if out=$($PY - "$ls" "$W/$name.lba" "${4:-}" "$cat_off" <<'EOF'
import re, sys
ours = {}
for line in open(sys.argv[1]).read().splitlines()[1:]:
    f = line.split('\t')
    ours[f[0]] = (int(f[1]), int(f[2]), f[5])
theirs = {}
rx = re.compile(r"File data lba:\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*'(.*)'$")
for line in open(sys.argv[2]):
    m = rx.match(line.strip())
    if not m:
        continue
    xt, lba, blocks, size, path = int(m[1]), int(m[2]), int(m[3]), int(m[4]), m[5]
    if path in theirs:
        theirs[path][1] += size
    else:
        theirs[path] = [lba * 2048, size]
bad = []
for p, (off, size) in theirs.items():
    if p not in ours:
        bad.append('missing ' + p)
    elif 'z' in ours[p][2]:
        continue  # zisofs: xorriso reports the uncompressed size
    elif ours[p][:2] != (off, size):
        bad.append('%s: ours %s, xorriso %s' % (p, ours[p][:2], (off, size)))
for p, (off, size, fl) in ours.items():
    if p == sys.argv[3] and str(off) == sys.argv[4]:
        continue  # the boot catalog, at the address the boot record gives
    if fl == '-' and size and p not in theirs:
        bad.append('extra ' + p)
print('%d files' % len(theirs) if not bad else '; '.join(bad[:5]))
sys.exit(1 if bad else 0)
EOF
	); then pass "$name: offsets and sizes as report_lba ($out)"; else fail "$name: $out"; fi
	local x=$W/$name.x n=0 bad=0 p
	iso_extract "$iso" "$x" "$view"
	while IFS= read -r -d '' p; do
		p=${p#"$x"/}
		n=$((n + 1))
		if grep -qP "^/\Q$p\E\t.*\tz\t" "$ls"; then
			"$ISOLS" -c "$iso" "$p" >/dev/null 2>&1 && { bad=$((bad + 1)); echo "zisofs served: $p"; }
			continue
		fi
		"$ISOLS" -c "$iso" "$p" 2>/dev/null | cmp -s - "$x/$p" || { bad=$((bad + 1)); echo "differs: $p"; }
	done < <(find "$x" -type f -print0)
	[ "$bad" -eq 0 ] && [ "$n" -gt 0 ] && pass "$name: $n files byte-identical to xorriso's extraction" ||
		fail "$name: $bad of $n files differ from xorriso's extraction"
}

# refused NAME ISO PATTERN: isols exits 1 with an error matching PATTERN
refused() {
	local st
	"$ISOLS" "$2" >/dev/null 2>"$W/$1.err"
	st=$?
	if [ $st -eq 1 ] && grep -qE "$3" "$W/$1.err"; then
		pass "$1: refused ($(cut -c1-150 "$W/$1.err"))"
	else
		fail "$1: exit $st, expected an error matching '$3': $(head -c 300 "$W/$1.err")"
	fi
}

lookup() { # NAME ISO PATH EXPECT(regex on the line or the error)
	local out
	out=$("$ISOLS" -l "$2" "$3" 2>&1)
	[[ $out =~ $4 ]] && pass "$1" || fail "$1: '$out' does not match '$4'"
}

# ---------------------------------------------------------------- images
# (iso_make in tests/iso_images.sh says how each kind is made)
XO="xorriso -as mkisofs -quiet"
iso_make rrj "$W/rrj.iso" "$S"
compare rrj "$W/rrj.iso" rockridge
grep -q 'label=RRJ_LABEL ' "$W/rrj.ls" && pass "rrj: volume label" || fail "rrj: label: $(head -1 "$W/rrj.ls")"
lookup "rrj: relative symlink" "$W/rrj.iso" vmlinuz '^/arch/boot/x86_64/vmlinuz-linux	'
lookup "rrj: absolute symlink from the image root" "$W/rrj.iso" absboot/x86_64/vmlinuz-linux '^/arch/boot/x86_64/vmlinuz-linux	'
lookup "rrj: symlink in the middle of a path" "$W/rrj.iso" arch/cur/airootfs.sfs '^/arch/x86_64/airootfs.sfs	'
lookup "rrj: symlink out of the image refused" "$W/rrj.iso" arch/escape 'Permission denied'
lookup "rrj: symlink loop refused" "$W/rrj.iso" loop1 'Too many levels of symbolic links'
out=$("$ISOLS" -l -n "$W/rrj.iso" vmlinuz 2>&1)
[[ $out == *"-> arch/boot/x86_64/vmlinuz-linux"* ]] && pass "rrj: no-follow lookup" || fail "rrj: no-follow lookup: $out"
grep -qP "^/longlink\t.*-> (d1/){60}\.\./\.\./target$" "$W/rrj.ls" && pass "rrj: long symlink target (SL over CE)" ||
	fail "rrj: long symlink: $(grep longlink "$W/rrj.ls")"
lookup "rrj: UTF-8 name" "$W/rrj.iso" "été-日本.txt" '^/été-日本.txt	'
lookup "rrj: case-sensitive under Rock Ridge" "$W/rrj.iso" "MIXED CASE NAME.TXT" 'No such file'

if have genisoimage; then
	iso_make joliet "$W/joliet.iso" "$S"
	compare joliet "$W/joliet.iso" joliet
	lookup "joliet: UTF-8 name from UCS-2" "$W/joliet.iso" "été-日本.txt" '^/été-日本.txt	'
	iso_make plain "$W/plain.iso" "$S"
	compare plain "$W/plain.iso" iso9660
	lookup "plain: ;1 stripped, matched case-insensitively" "$W/plain.iso" arch/boot/x86_64/initramf.img '^/ARCH/BOOT/X86_64/INITRAMF.IMG	'
	iso_make deep "$W/deep.iso" "$S"
	compare deep "$W/deep.iso" rockridge
	grep -qP '^/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt\t' "$W/deep.ls" && ! grep -q rr_moved "$W/deep.ls" &&
		pass "deep: relocated directory (CL/RE) at its place, rr_moved hidden" ||
		fail "deep: relocation: $(grep -E 'deep|rr_moved' "$W/deep.ls" | head -3)"
	iso_make udf-bridge "$W/udf-bridge.iso" "$S"
	compare udf-bridge "$W/udf-bridge.iso" iso9660
	# UDF-only: genisoimage makes only bridges, so the bridge with its ISO
	# 9660 descriptors blanked, its UDF recognition sequence (BEA01...) kept
	iso_make udf-only "$W/udf-only.iso" "$S"
	refused udf-only "$W/udf-only.iso" 'UDF-only image'
else
	skip "iso-reader genisoimage images: needs genisoimage"
fi

# archiso's flags (mkarchiso): level 3, full names, Joliet, rational Rock
# Ridge, El Torito with a boot info table, -partition_offset 16 (a second
# descriptor set at sector 32 that must be ignored), isohybrid MBR if here
iso_make arch "$W/arch.iso" "$S"
mbr=$(iso_hybrid_mbr) && pass "arch: isohybrid MBR from $mbr" || skip "arch: isohybrid MBR: needs isolinux (isohdpfx.bin)"
if [ "$(iso_sector_id "$W/arch.iso" 32)" = CD001 ]; then
	pass "arch: a second descriptor set at sector 32 is there"
else
	fail "arch: no second descriptor set at sector 32 (-partition_offset 16)"
fi
compare arch "$W/arch.iso" rockridge /boot/syslinux/boot.cat
grep -q 'label=ARCH_202612 ' "$W/arch.ls" && pass "arch: label" || fail "arch: label: $(head -1 "$W/arch.ls")"

# zisofs: flagged, never served as raw bytes
head -c 300000 /dev/zero >"$W/zeros.bin"
iso_zisofs "$W/rrj.iso" "$W/zf.iso" "$W/zeros.bin" zeros.bin
if grep -qP '^/zeros.bin\t.*\tz\t' <("$ISOLS" "$W/zf.iso" 2>&1); then
	pass "zisofs: flagged"
else
	fail "zisofs: not flagged: $("$ISOLS" "$W/zf.iso" 2>&1 | grep zeros)"
fi
compare zisofs "$W/zf.iso" rockridge

# 20,000 files (100 directories of 200): indexed well under a second, in
# memory proportional to the count (isols -t: the mean of 5 opens)
$PY - "$W/many" <<'EOF'
import os, sys
for d in range(100):
    p = os.path.join(sys.argv[1], 'd%02d' % d)
    os.makedirs(p)
    for f in range(200):
        open(os.path.join(p, 'file-%05d.img' % f), 'w').close()
EOF
$XO -R -J -o "$W/many.iso" "$W/many" 2>/dev/null
out=$("$ISOLS" -t "$W/many.iso" 5 2>&1)
ms=$(sed -n 's/.*index_ms=\([0-9]*\).*/\1/p' <<<"$out")
[[ $out == *"files=20000 "* ]] && [ -n "$ms" ] && [ "$ms" -lt 1000 ] && pass "20,000 files: $out" ||
	fail "20,000 files: $out"
rm -rf "$W/many" "$W/many.iso"

# ---------------------------------------------------------------- corrupt
size=$(stat -c %s "$W/rrj.iso")
for cut in 30000 34816 40000 $((size / 2)) $((size - 4096)); do
	head -c "$cut" "$W/rrj.iso" >"$W/trunc.iso"
	refused "truncated at $cut bytes" "$W/trunc.iso" 'truncated|not an ISO|past the end|outside the image'
done
: >"$W/empty.iso"
refused "empty file" "$W/empty.iso" 'not an ISO 9660 image'
head -c 1000000 /dev/urandom >"$W/random.iso"
refused "random bytes" "$W/random.iso" 'not an ISO 9660 image'

# Bit flips in the descriptors and directories (sectors 16-63, where the
# metadata of this image is): every outcome is an index or an error, never
# a crash or a hang. A crashing image is kept in /tmp for the fuzzer.
if out=$($PY - "$W/rrj.iso" "$ISOLS" <<'EOF'
import random, shutil, subprocess, sys
src, isols = sys.argv[1], sys.argv[2]
orig = open(src, 'rb').read()
ok = err = 0
bad = []
for i in range(400):
    r = random.Random(i)
    data = bytearray(orig)
    for _ in range(r.randint(1, 6)):
        pos = r.randrange(16 * 2048, 64 * 2048)
        data[pos] ^= 1 << r.randrange(8)
    path = src + '.flip'
    open(path, 'wb').write(data)
    try:
        st = subprocess.run([isols, path], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, timeout=10).returncode
    except subprocess.TimeoutExpired:
        st = 'timeout'
    if st == 0:
        ok += 1
    elif st == 1:
        err += 1
    else:
        bad.append('%d: %s' % (i, st))
        shutil.copy(path, '/tmp/iso-reader-crash-%d.iso' % i)
print('%d indexed, %d refused' % (ok, err) if not bad else 'crashed: ' + ', '.join(bad[:5]))
sys.exit(1 if bad else 0)
EOF
); then pass "bit-flipped images: $out, no crash"; else fail "bit-flipped images: $out"; fi

# ---------------------------------------------------------------- > 4 GiB
if [ "${SLOW:-}" = 1 ]; then
	t0=$SECONDS
	mkdir -p "$W/big"
	truncate -s 4700000000 "$W/big/huge.bin"
	printf 'tail' | dd of="$W/big/huge.bin" bs=1 seek=4699999996 conv=notrunc 2>/dev/null
	iso_make level3 "$W/big.iso" "$W/big"
	line=$(grep -P '^/huge.bin\t' <("$ISOLS" "$W/big.iso"))
	[[ $line == *$'\t4700000000\t'*$'\tm\t'* ]] && pass "big: one multi-extent entry of 4700000000 bytes, folded ($line)" ||
		fail "big: $line"
	"$ISOLS" -c "$W/big.iso" huge.bin | cmp -s - "$W/big/huge.bin" && pass "big: bytes across the extent boundary" ||
		fail "big: bytes differ"
	rm -rf "$W/big" "$W/big.iso"
	pass "big: took $((SECONDS - t0)) s"
else
	skip "iso-reader: the file above 4 GiB: needs SLOW=1"
fi
t_done
