#!/bin/bash
# SPDX-License-Identifier: MIT
# Build the end-to-end boot tree from Debian packages only, into
# tests/e2e/cache/ (git-ignored). A second run with the same kernel package
# reuses everything and takes well under a second.
#
#   tests/e2e/_bootstrap.sh [--force]
#
# Result (cache/tree/, the TFTP and HTTP root of every scenario):
#   vmlinuz initrd.gz            kernel of the archive's linux-image-amd64 and a
#                                busybox-static initramfs (see init below)
#   root.img root.img.sha256     the "root image" blob the guest downloads
#   pxelinux.0 lpxelinux.0 ldlinux.c32 (+ a few .c32)   pxelinux, syslinux-common
#   syslinux.efi ldlinux.e64                            syslinux-efi
#   ipxe.efi snponly.efi undionly.kpxe ipxe.pxe         ipxe
# Needs: apt-get (download), dpkg-deb, cpio, gzip, busybox (depmod applet);
# the installed packages pxelinux syslinux-common syslinux-efi ipxe (make deps).
# Prints the tree path on success; exits 77 with a reason when something is
# missing, so callers can SKIP.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$HERE/cache}
TREE=$CACHE/tree
DEBS=$CACHE/debs
force=no
[ "${1:-}" = --force ] && force=yes

say() { echo "bootstrap: $*" >&2; }
missing() { echo "bootstrap: missing $*" >&2; exit 77; }

for c in apt-get apt-cache dpkg-deb cpio gzip busybox sha256sum; do
	command -v "$c" >/dev/null 2>&1 || missing "command $c"
done
for f in /usr/lib/PXELINUX/pxelinux.0 /usr/lib/PXELINUX/lpxelinux.0 \
	/usr/lib/syslinux/modules/bios/ldlinux.c32 \
	/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi /usr/lib/syslinux/modules/efi64/ldlinux.e64 \
	/usr/lib/ipxe/ipxe.efi /usr/lib/ipxe/undionly.kpxe; do
	[ -e "$f" ] || missing "$f (make deps installs pxelinux syslinux-common syslinux-efi ipxe)"
done

# One bootstrap at a time per cache (two test runs at once share it).
mkdir -p "$CACHE"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$CACHE/.lock"
	flock -w 600 9 || missing "the cache lock $CACHE/.lock (another bootstrap hangs?)"
fi

# The kernel package the archive's linux-image-amd64 currently points at.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kpkg" ]; then
	say "apt lists have no linux-image-amd64; running apt-get update"
	apt-get update -q >/dev/null 2>&1 || true
	kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
fi
# Offline with a cache from before: use what is there.
if [ -z "$kpkg" ] && [ -s "$TREE/.complete" ]; then
	kpkg=$(cat "$TREE/.complete")
fi
[ -n "$kpkg" ] || missing "an apt source with linux-image-amd64"
# The guest's /init is in the initramfs: a changed _guest_init.sh is a new tree.
key="$kpkg busybox-static v5 init:$(sha256sum <"$HERE/_guest_init.sh" | cut -c1-16)"
if [ $force = no ] && [ -s "$TREE/.complete" ] && [ "$(cat "$TREE/.complete")" = "$key" ]; then
	echo "$TREE"
	exit 0
fi

mkdir -p "$DEBS"
# apt-get download writes into the current directory; _apt cannot write to
# the cache under /work, so it downloads as root (a harmless warning).
fetch() { # fetch PKG: the .deb of PKG's candidate version, cached
	local p=$1 deb
	deb=$(ls "$DEBS/${p}_"*.deb 2>/dev/null | tail -1 || true)
	if [ -z "$deb" ]; then
		say "apt-get download $p"
		(cd "$DEBS" && apt-get download -q "$p" >/dev/null 2>&1) ||
			{ apt-get update -q >/dev/null 2>&1; (cd "$DEBS" && apt-get download -q "$p" >/dev/null 2>&1); } ||
			missing "package $p (apt-get download failed)"
		deb=$(ls "$DEBS/${p}_"*.deb | tail -1)
	fi
	echo "$deb"
}

kdeb=$(fetch "$kpkg")
bdeb=$(fetch busybox-static)
kx=$CACHE/x/$kpkg
if [ ! -e "$kx/.done" ]; then
	say "unpacking $(basename "$kdeb")"
	rm -rf "$kx"; mkdir -p "$kx"
	dpkg-deb -x "$kdeb" "$kx"
	kver=$(ls "$kx/lib/modules" | head -1)
	# The package ships no modules.dep (depmod runs at install): make one.
	busybox depmod -b "$kx" "$kver"
	touch "$kx/.done"
fi
kver=$(ls "$kx/lib/modules" | head -1)
bx=$CACHE/x/busybox-static
if [ ! -x "$bx/bin/busybox" ]; then
	rm -rf "$bx"; mkdir -p "$bx"
	dpkg-deb -x "$bdeb" "$bx"
fi

rm -rf "$TREE.new"
mkdir -p "$TREE.new/pxelinux.cfg"
cp "$kx/boot/vmlinuz-$kver" "$TREE.new/vmlinuz"

# ---- initramfs
ir=$CACHE/initramfs
rm -rf "$ir"; mkdir -p "$ir"/{bin,dev,proc,sys,tmp,lib/modules,etc}
cp "$bx/bin/busybox" "$ir/bin/busybox"
ln -s busybox "$ir/bin/sh"
# NIC drivers and what they need, in load order (deepest dependency first).
moddep=$kx/lib/modules/$kver/modules.dep
order=()
add_mod() { # add_mod REL.ko: its dependencies first, then itself, once each
	local m=$1 d line
	for d in "${order[@]}"; do [ "$d" = "$m" ] && return 0; done
	line=$(grep -m1 "^$m:" "$moddep") || { say "no $m in modules.dep"; exit 1; }
	for d in $(echo "${line#*:}" | tr ' ' '\n' | tac); do add_mod "$d"; done
	order+=("$m")
}
for m in kernel/drivers/virtio/virtio_pci.ko kernel/drivers/net/virtio_net.ko \
	kernel/drivers/net/ethernet/intel/e1000/e1000.ko; do
	add_mod "$m"
done
: >"$ir/lib/modules/load.order"
for m in "${order[@]}"; do
	src=$kx/lib/modules/$kver/$m
	case $m in *.xz) xz -dc "$src" >"$ir/lib/modules/$(basename "$m" .xz)" ;;
	*) cp "$src" "$ir/lib/modules/" ;; esac
	basename "${m%.xz}" >>"$ir/lib/modules/load.order"
done
cp "$HERE/_guest_init.sh" "$ir/init"
chmod 0755 "$ir/init"
cat >"$ir/etc/udhcpc.script" <<'EOF'
#!/bin/sh
# busybox udhcpc hook: configure the lease, nothing else.
case $1 in
bound|renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	[ -n "${router:-}" ] && ip route add default via "${router%% *}" dev "$interface" 2>/dev/null
	echo "udhcpc: $interface $ip/${mask:-24} server ${serverid:-?} siaddr ${siaddr:-?} boot_file ${boot_file:-}" ;;
deconfig) ip addr flush dev "$interface"; ip link set "$interface" up ;;
esac
exit 0
EOF
chmod 0755 "$ir/etc/udhcpc.script"
(cd "$ir" && find . | sort | cpio -o -H newc --quiet | gzip -9) >"$TREE.new/initrd.gz"

# ---- root image blob (deterministic: the same sha256 every run)
python3 - "$TREE.new/root.img" <<'EOF' 2>/dev/null ||
import hashlib, sys
with open(sys.argv[1], "wb") as f:
    seed = b"pxesuite-e2e"
    for i in range(6 * 1024 * 1024 // 32):
        seed = hashlib.sha256(seed).digest()
        f.write(seed)
EOF
	head -c $((6 * 1024 * 1024)) /dev/urandom >"$TREE.new/root.img"
sha256sum "$TREE.new/root.img" | cut -d' ' -f1 >"$TREE.new/root.img.sha256"

# ---- boot loaders
cp /usr/lib/PXELINUX/pxelinux.0 /usr/lib/PXELINUX/lpxelinux.0 "$TREE.new/"
for m in ldlinux.c32 libcom32.c32 libutil.c32 menu.c32 poweroff.c32; do
	cp "/usr/lib/syslinux/modules/bios/$m" "$TREE.new/"
done
# syslinux.efi looks for ldlinux.e64 and pxelinux.cfg/ beside itself: the
# root, shared with pxelinux (the BIOS .c32 modules have other names).
cp /usr/lib/SYSLINUX.EFI/efi64/syslinux.efi /usr/lib/syslinux/modules/efi64/ldlinux.e64 "$TREE.new/"
for f in ipxe.efi snponly.efi undionly.kpxe ipxe.pxe; do
	[ -e "/usr/lib/ipxe/$f" ] && cp "/usr/lib/ipxe/$f" "$TREE.new/"
done

echo "$key" >"$TREE.new/.complete"
rm -rf "$TREE"
mv "$TREE.new" "$TREE"
say "boot tree ready: $TREE ($kpkg, initramfs $(du -k "$TREE/initrd.gz" | cut -f1) KiB, modules: $(tr '\n' ' ' <"$ir/lib/modules/load.order"))"
echo "$TREE"
