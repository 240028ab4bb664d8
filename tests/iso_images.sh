# SPDX-License-Identifier: MIT
# ISO 9660 test images made with the real tools (xorriso, genisoimage,
# mkzftree), shared by tests/integration/iso_reader.sh (the reader against
# xorriso's report) and tests/integration/iso_serve.sh (the daemons serving
# an image against xorriso's extraction). Source it after lib.sh; it only
# defines functions.
#   iso_tree DIR                   the source tree the images are made from
#   iso_make KIND OUT SRC          one image of SRC; KIND below
#   iso_zisofs BASE OUT FILE NAME  BASE plus FILE as /NAME, zisofs-compressed
#   iso_extract ISO DIR VIEW [SECS]  xorriso's extraction under VIEW's names
#   iso_view KIND                  the name set an image of KIND is read by
#   iso_sector_id ISO N            the 5-byte identifier of sector N
#   iso_hybrid_mbr                 isolinux's isohdpfx.bin, or nothing

# genisoimage and xorriso take the file names' character set from the
# locale: under C (a fresh build root has no LANG) a UTF-8 name is read as
# Latin-1 and mangled. C.UTF-8 is built into Debian's libc.
export LC_ALL=C.UTF-8

# What the images hold: an archiso-like layout, a directory deeper than
# ECMA-119's 8 levels (relocated by genisoimage -R, dropped without it),
# names plain ISO 9660 cannot hold (mixed case, spaces, UTF-8, 150
# characters), an empty file, and Rock Ridge symlinks: relative, absolute
# (counted from the image root), in the middle of a path, out of the image,
# a loop, and one whose target needs an SL continuation (CE).
iso_tree() {
	local s=$1 long
	mkdir -p "$s/arch/boot/x86_64" "$s/arch/x86_64" "$s/boot/syslinux" "$s/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10"
	echo kernel >"$s/arch/boot/x86_64/vmlinuz-linux"
	head -c 1500000 /dev/urandom >"$s/arch/boot/x86_64/initramfs-linux.img"
	head -c 2048 /dev/urandom >"$s/arch/x86_64/airootfs.sfs"
	: >"$s/arch/x86_64/empty"
	echo deep >"$s/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/deep.txt"
	echo "Mixed" >"$s/Mixed Case Name.Txt"
	echo "accents" >"$s/été-日本.txt"
	long=$(printf 'L%.0s' $(seq 150))
	echo long >"$s/$long"
	head -c 4096 /dev/urandom >"$s/boot/syslinux/isolinux.bin"
	echo 'DEFAULT arch' >"$s/boot/syslinux/syslinux.cfg"
	ln -s arch/boot/x86_64/vmlinuz-linux "$s/vmlinuz"
	ln -s /arch/boot "$s/absboot"
	ln -s ../../../etc/passwd "$s/arch/escape"
	ln -s loop2 "$s/loop1"
	ln -s loop1 "$s/loop2"
	ln -s x86_64 "$s/arch/cur"
	ln -s "$(printf 'd1/%.0s' $(seq 60))../../target" "$s/longlink"
}

iso_sector_id() { dd if="$1" bs=2048 skip="$2" count=1 2>/dev/null | head -c 6 | tail -c 5 | tr -d '\0'; }

iso_hybrid_mbr() {
	local m
	for m in /usr/lib/ISOLINUX/isohdpfx.bin /usr/lib/syslinux/isohdpfx.bin /usr/share/syslinux/isohdpfx.bin; do
		[ -r "$m" ] && { echo "$m"; return 0; }
	done
	return 1
}

# iso_make KIND OUT SRC: 0, or 1 when the tool is missing (say why: the
# caller skips), 2 when the tool failed.
#   rrj         xorriso: Rock Ridge + Joliet (long names), label RRJ_LABEL
#   joliet      genisoimage: Joliet only (long names), label JOL
#   plain       genisoimage: plain ISO 9660 level 1, label PLAIN
#   deep        genisoimage -R: directories deeper than 8 levels moved to
#               rr_moved (CL/RE)
#   udf-bridge  genisoimage -udf: UDF and a plain ISO 9660 tree side by side
#   udf-only    the bridge with its ISO 9660 descriptors blanked: no tool
#               here makes a UDF-only image (xorriso makes no UDF at all,
#               genisoimage only bridges, mkudffs/udftools writes an empty
#               file system to be loop-mounted), and this keeps the
#               recognition sequence (BEA01 NSR02 TEA01) a real one has
#   arch        xorriso with mkarchiso's flags: level 3, full names, Joliet,
#               rational Rock Ridge, El Torito with a boot info table and
#               the catalog at boot/syslinux/boot.cat, -partition_offset 16
#               (a second descriptor set at sector 32), isohybrid MBR when
#               isolinux is installed; label ARCH_202612. SRC needs
#               boot/syslinux/isolinux.bin
#   zisofs      xorriso: Rock Ridge, every file that shrinks zisofs-compressed
#   mkzftree    mkzftree's compressed copy of SRC through genisoimage -R -z
#               (the older tool chain for zisofs)
#   level3      xorriso -iso-level 3 -R (files above 4 GiB: multi-extent)
iso_make() {
	local kind=$1 out=$2 src=$3 mbr xo=(xorriso -as mkisofs -quiet)
	case $kind in
	rrj) "${xo[@]}" -R -J -joliet-long -V RRJ_LABEL -o "$out" "$src" 2>/dev/null ;;
	arch)
		local hyb=()
		mbr=$(iso_hybrid_mbr) && hyb=(-isohybrid-mbr "$mbr")
		"${xo[@]}" -iso-level 3 -full-iso9660-filenames -joliet -joliet-long -rational-rock \
			-volid ARCH_202612 "${hyb[@]}" -partition_offset 16 \
			-eltorito-boot boot/syslinux/isolinux.bin -eltorito-catalog boot/syslinux/boot.cat \
			-no-emul-boot -boot-load-size 4 -boot-info-table -o "$out" "$src" 2>/dev/null
		;;
	zisofs)
		xorriso -outdev "$out" -map "$src" / -set_filter_r --zisofs / -- >/dev/null 2>&1 ;;
	level3) "${xo[@]}" -iso-level 3 -R -o "$out" "$src" 2>/dev/null ;;
	joliet | plain | deep | udf-bridge | udf-only | mkzftree)
		have genisoimage || { echo "needs genisoimage"; return 1; }
		case $kind in
		joliet) genisoimage -quiet -J -joliet-long -V JOL -o "$out" "$src" 2>/dev/null ;;
		plain) genisoimage -quiet -V PLAIN -o "$out" "$src" 2>/dev/null ;;
		deep) genisoimage -quiet -R -o "$out" "$src" 2>/dev/null ;;
		udf-bridge) genisoimage -quiet -udf -o "$out" "$src" 2>/dev/null ;;
		udf-only)
			genisoimage -quiet -udf -o "$out" "$src" 2>/dev/null || return 2
			local sec
			for sec in $(seq 16 24); do
				[ "$(iso_sector_id "$out" "$sec")" = CD001 ] &&
					dd if=/dev/zero of="$out" bs=2048 seek="$sec" count=1 conv=notrunc 2>/dev/null
			done
			[ "$(iso_sector_id "$out" 16)" != CD001 ]
			;;
		mkzftree)
			have mkzftree || { echo "needs mkzftree (zisofs-tools)"; return 1; }
			rm -rf "$out.zt"
			mkzftree "$src" "$out.zt" && genisoimage -quiet -R -z -o "$out" "$out.zt" 2>/dev/null
			local st=$?
			rm -rf "$out.zt"
			return $st
			;;
		esac
		;;
	*) echo "iso_make: unknown kind $kind" >&2; return 2 ;;
	esac || return 2
}

# iso_zisofs BASE OUT FILE NAME: BASE with FILE added as /NAME and
# zisofs-compressed (xorriso leaves data that does not shrink as it is).
iso_zisofs() {
	xorriso -indev "$1" -outdev "$2" -map "$3" "/$4" -set_filter_r --zisofs "/$4" -- >/dev/null 2>&1
}

# The name set the daemons read an image of KIND by (Rock Ridge, else
# Joliet, else plain ISO 9660), as pxe_iso_info's view_name spells it.
iso_view() {
	case $1 in
	joliet) echo joliet ;;
	plain | udf-bridge | udf-only) echo iso9660 ;;
	*) echo rockridge ;;
	esac
}

# iso_extract ISO DIR VIEW: every file as xorriso sees it under the same
# name set: Rock Ridge, Joliet (-read_fs norock), or the plain ISO 9660
# names with ";1" and ".;1" stripped (-read_fs ecma119, -ecma119_map
# stripped: the daemons match those case-insensitively). Rock Ridge
# symlinks come out as symlinks; zisofs files decompressed; mtimes as
# recorded. The tree is made writable again so rm -rf works. SECS (120)
# bounds xorriso, which can loop for ever on a corrupt image.
iso_extract() {
	local fs=any
	case $3 in joliet) fs=norock ;; iso9660) fs=ecma119 ;; esac
	rm -rf "$2"
	timeout "${4:-120}" xorriso -osirrox on -read_fs "$fs" -ecma119_map stripped -indev "$1" -extract / "$2" >/dev/null 2>&1
	local st=$?
	chmod -R u+w "$2" 2>/dev/null
	return $st
}
