#!/bin/bash
# SPDX-License-Identifier: MIT
# The README's "Set up a boot server" section, run as written: the sh blocks
# between <!-- setup-test:begin and <!-- setup-test:end --> are concatenated
# and run by bash, with three substitutions only: the README's own ISO= and
# IFACE= lines get a small image built here and the server end of a veth
# pair, and PATH starts with the build tree (where `make install` would put
# the binaries in SBINDIR; the sysusers.d and tmpfiles.d entries go to the
# overlaid /etc). They run in a network namespace of their own
# and in a private mount namespace in which /etc, /srv and /var/lib are
# overlays whose changes live in a tmpfs, /etc/pxesuite and /srv/pxe are
# empty and /var/lib/pxe-dhcpd does not exist: the real machine's files are
# never written, and the daemons start from an empty state.
# Then a client in a second namespace boots the way the README says
# firmware does: a DHCP lease as a BIOS PXE ROM (busybox udhcpc with
# option 93 and the PXEClient vendor class), PXELINUX and its configuration
# by TFTP (tftp-hpa), the kernel by TFTP, the root image by HTTP (curl); a
# UEFI client gets iPXE, and iPXE gets the script the README writes. Every
# file is compared byte for byte with the image's.
# The systemd part of the section is not run here (the units are checked
# with systemd-analyze verify by the packaging test).
. "$(dirname "$0")/../lib.sh"
need_root
need_cmd xorriso unshare busybox tftp curl ip ss cmp
[ -x "$DHCPD" ] && [ -x "$TFTPD" ] && [ -x "$HTTPD" ] || {
	fail "readme-setup: binaries missing in $BUILD_DIR"
	t_done
}
# The README copies iPXE from the Debian package; that path is not one of
# the substitutions, so without the package the section cannot run.
[ -f /usr/lib/ipxe/ipxe.efi ] || { skip "readme_setup: needs ipxe (/usr/lib/ipxe/ipxe.efi)"; t_exit 77; }
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null
grep -qw overlay /proc/filesystems || { skip "readme_setup: needs overlayfs"; t_exit 77; }
for d in /etc /srv /var/lib; do
	[ -d "$d" ] || { skip "readme_setup: needs $d on this machine (overlay mount point)"; t_exit 77; }
done

README=$TOP/README.md
T=$T_TMP

# ---- the section's commands, from the README ---------------------------
awk '
	/<!-- setup-test:begin/ { on = 1; next }
	/<!-- setup-test:end -->/ { on = 0; next }
	on && /^```sh$/ { blk = 1; next }
	blk && /^```$/ { blk = 0; print ""; next }
	blk { print }
' "$README" >"$T/section.sh"
check "readme-setup-section-found" test -s "$T/section.sh"
for v in ISO IFACE; do
	n=$(grep -c "^$v=" "$T/section.sh")
	check "readme-setup-section-sets-$v-once (found $n)" test "$n" -eq 1
done
check "readme-setup-section-starts-three-daemons" \
	test "$(grep -cE '^pxe-(dhcpd|tftpd|httpd) .*&$' "$T/section.sh")" -eq 3

# ---- a small image with the Arch ISO's boot paths ------------------------
# Real boot loader bytes where the machine has them, stand-ins otherwise:
# nothing boots here, the bytes only have to arrive unchanged.
tree=$T/isotree
mkdir -p "$tree/boot/syslinux" "$tree/arch/boot/x86_64" "$tree/arch/x86_64" "$tree/EFI/BOOT"
if [ -f /usr/lib/PXELINUX/lpxelinux.0 ]; then
	cp /usr/lib/PXELINUX/lpxelinux.0 "$tree/boot/syslinux/"
else
	head -c 90000 /dev/urandom >"$tree/boot/syslinux/lpxelinux.0"
fi
if [ -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ]; then
	cp /usr/lib/syslinux/modules/bios/ldlinux.c32 "$tree/boot/syslinux/"
else
	head -c 120000 /dev/urandom >"$tree/boot/syslinux/ldlinux.c32"
fi
# archiso's releng syslinux/archiso_pxe-linux.cfg, HTTP entry
cat >"$tree/boot/syslinux/archiso_pxe.cfg" <<'EOF'
LABEL arch64_http
MENU LABEL Arch Linux install medium (x86_64, HTTP)
LINUX ::/arch/boot/x86_64/vmlinuz-linux
INITRD ::/arch/boot/x86_64/initramfs-linux.img
APPEND archisobasedir=arch archiso_http_srv=http://${pxeserver}/ cms_verify=y
SYSAPPEND 3
EOF
head -c 3000000 /dev/urandom >"$tree/arch/boot/x86_64/vmlinuz-linux"
head -c 5000000 /dev/urandom >"$tree/arch/boot/x86_64/initramfs-linux.img"
head -c 9000000 /dev/urandom >"$tree/arch/x86_64/airootfs.sfs"
(cd "$tree/arch/x86_64" && sha512sum airootfs.sfs >airootfs.sha512)
head -c 100000 /dev/urandom >"$tree/EFI/BOOT/BOOTx64.EFI"
ISO_FILE=$T/archlinux-x86_64.iso
if ! xorriso -as mkisofs -quiet -R -J -V ARCH_TEST -o "$ISO_FILE" "$tree" >"$T/mkiso.log" 2>&1; then
	fail "readme-setup-build-iso: $(tail -3 "$T/mkiso.log")"
	t_done
fi
# The reference bytes come out of the image, not from the tree it was made of.
ref=$T/ref
mkdir -p "$ref"
xorriso -osirrox on -indev "$ISO_FILE" -extract / "$ref" >"$T/ref.log" 2>&1 ||
	{ fail "readme-setup-extract-reference: $(tail -3 "$T/ref.log")"; t_done; }
chmod -R u+w "$ref"

# ---- the network: server and client namespaces, one veth pair ------------
P=pxrs$$
S=${P}s C=${P}c IFACE_NAME=pxe0
netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
netns_add "$C"
in_ns "$S" ip link set lo up
in_ns "$C" ip link set lo up
in_ns "$S" ip link add "$IFACE_NAME" type veth peer name eth0 netns "$C"
in_ns "$C" ip link set eth0 address 52:54:00:18:00:05
in_ns "$C" ip link set eth0 up

# ---- run the section -----------------------------------------------------
host_state() { for f in /etc/pxesuite /srv/pxe /var/lib/pxe-dhcpd; do stat -c '%n %i %Y' "$f" 2>&1; done; }
host_before=$(host_state)

{
	printf 'ISO=%q\nIFACE=%q\n' "$ISO_FILE" "$IFACE_NAME"
	grep -vE '^(ISO|IFACE)=' "$T/section.sh"
	# the daemons the section started in the background, for the cleanup
	printf '\njobs -p >%q\n' "$T/pids"
} >"$T/run.sh"

DU=$("$TFTPD_BIN" /srv --print-config | sed -n 's/^user = \([^ ]*\).*/\1/p')
DG=$("$TFTPD_BIN" /srv --print-config | sed -n 's/^group = \([^ ]*\).*/\1/p')
for f in pxesuite.sysusers pxe-dhcpd.tmpfiles; do
	sed -e "s|@LOCALSTATEDIR@|/var|g" -e "s|@DEFAULT_USER@|$DU|g" -e "s|@DEFAULT_GROUP@|$DG|g" \
		"$TOP/systemd/$f" >"$T/$f"
done
# The mount namespace: overlays with their upper layers in a private tmpfs.
# Every step is checked before the next one; a failed overlay stops here,
# before the section could write to the real directory below it.
cat >"$T/ns.sh" <<EOF
set -eu
mount --make-rprivate /
mkdir -p "$T/ovl"
mount -t tmpfs tmpfs "$T/ovl"
for d in /etc /srv /var/lib; do
	u="$T/ovl\$d"
	mkdir -p "\$u/up" "\$u/work"
	mount -t overlay overlay -o "lowerdir=\$d,upperdir=\$u/up,workdir=\$u/work" "\$d"
	[ "\$(findmnt -n -o FSTYPE --mountpoint "\$d")" = overlay ]
done
mkdir -p /etc/pxesuite /srv/pxe
mount -t tmpfs tmpfs /etc/pxesuite
mount -t tmpfs tmpfs /srv/pxe
[ "\$(findmnt -n -o FSTYPE --mountpoint /var/lib)" = overlay ] && rm -rf /var/lib/pxe-dhcpd
export PATH="$BUILD_DIR:\$PATH"
# the sysusers.d and tmpfiles.d entries make install would put in place
# (as the binaries come from PATH): in the overlaid /etc, which both read
mkdir -p /etc/sysusers.d /etc/tmpfiles.d
cp "$T/pxesuite.sysusers" /etc/sysusers.d/pxesuite.conf
cp "$T/pxe-dhcpd.tmpfiles" /etc/tmpfiles.d/pxe-dhcpd.conf
mkdir -p "$T/work" && cd "$T/work"
exec bash -e -x "$T/run.sh"
EOF
in_ns "$S" timeout 120 unshare --mount bash "$T/ns.sh" >"$T/server.log" 2>&1
st=$?
while read -r p; do [ -n "$p" ] && T_PIDS+=("$p"); done <"$T/pids" 2>/dev/null
if [ $st -eq 0 ]; then
	pass "readme-setup-section-runs"
else
	fail "readme-setup-section-runs: exit $st; last lines: $(tail -8 "$T/server.log" | tr '\n' '|')"
fi
check "readme-setup-three-daemons-started (pids: $(tr '\n' ' ' <"$T/pids" 2>/dev/null))" \
	test "$(grep -c . "$T/pids" 2>/dev/null)" -eq 3
ns_bound() { in_ns "$S" ss -Hln"$1" "sport = :$2" | grep -q .; }
check "readme-setup-dhcp-port" wait_for 10 ns_bound u 67
check "readme-setup-tftp-port" wait_for 10 ns_bound u 69
check "readme-setup-http-port" wait_for 10 ns_bound t 80
check "readme-setup-real-machine-untouched" test "$(host_state)" = "$host_before"

# ---- a client boots ------------------------------------------------------
cat >"$T/udhcpc.sh" <<'EOF'
#!/bin/sh
# udhcpc's event script: configure the address, keep what the server sent
case $1 in
bound | renew)
	ip addr flush dev "$interface"
	ip addr add "$ip/${mask:-24}" dev "$interface"
	env | sort >"$UDHCPC_ENV"
	;;
esac
exit 0
EOF
chmod +x "$T/udhcpc.sh"
# lease NAME UDHCPC-ARGS...: one DHCP exchange, its environment in $T/NAME.env
lease() {
	local name=$1; shift
	in_ns "$C" ip addr flush dev eth0
	UDHCPC_ENV=$T/$name.env timeout 30 ip netns exec "$C" busybox udhcpc -i eth0 -f -q -n \
		-t 5 -T 2 -s "$T/udhcpc.sh" "$@" >"$T/$name.udhcpc.log" 2>&1
	[ -s "$T/$name.env" ]
}
envval() { sed -n "s/^$2=//p" "$T/$1.env"; }
# tftp_get REMOTE LOCAL, http_get PATH LOCAL: from the client namespace
tftp_get() { (cd "$T" && timeout 60 ip netns exec "$C" tftp -m binary 198.18.0.1 -c get "$1" "$2") >/dev/null 2>&1; }
http_get() { timeout 60 ip netns exec "$C" curl -sf -o "$2" "http://198.18.0.1/$1"; }
same() { cmp -s "$1" "$2"; }

# A BIOS PXE ROM: option 93 = 0 and the PXEClient vendor class.
if lease bios -V PXEClient:Arch:00000:UNDI:002001 -x 0x5d:0000 -O 209 -O 210; then
	pass "readme-setup-bios-lease $(envval bios ip)"
else
	fail "readme-setup-bios-lease: $(tail -3 "$T/bios.udhcpc.log" | tr '\n' '|')"
	sed 's/^/    server: /' "$T/server.log" | tail -30
	t_done
fi
ip=$(envval bios ip)
check "readme-setup-bios-address-in-range ($ip)" \
	test "${ip%.*}" = 198.18.0 -a "${ip##*.}" -ge 100 -a "${ip##*.}" -le 200
boot=$(envval bios boot_file)
check "readme-setup-bios-boot-file ($boot)" test "$boot" = boot/syslinux/lpxelinux.0
check "readme-setup-bios-next-server ($(envval bios siaddr))" test "$(envval bios siaddr)" = 198.18.0.1
# busybox names 209 and 210 pxeconffile and pxepathprefix
conf=$(envval bios pxeconffile) prefix=$(envval bios pxepathprefix)
check "readme-setup-bios-pxelinux-options ($prefix $conf)" \
	test "$conf" = archiso_pxe.cfg -a "$prefix" = /boot/syslinux/
# What PXELINUX then does: the boot file, its configuration under the path
# prefix, the kernel and initramfs by TFTP from the root (::/), and what
# archiso_http_srv= makes the initramfs fetch by HTTP.
tftp_get "$boot" got-lpxelinux.0
check "readme-setup-tftp-lpxelinux.0" same "$T/got-lpxelinux.0" "$ref/boot/syslinux/lpxelinux.0"
tftp_get "${prefix#/}$conf" got-pxe.cfg
check "readme-setup-tftp-pxelinux-config" same "$T/got-pxe.cfg" "$ref/boot/syslinux/archiso_pxe.cfg"
tftp_get "${prefix#/}ldlinux.c32" got-ldlinux.c32
check "readme-setup-tftp-ldlinux.c32" same "$T/got-ldlinux.c32" "$ref/boot/syslinux/ldlinux.c32"
tftp_get arch/boot/x86_64/vmlinuz-linux got-vmlinuz
check "readme-setup-tftp-kernel" same "$T/got-vmlinuz" "$ref/arch/boot/x86_64/vmlinuz-linux"
tftp_get arch/boot/x86_64/initramfs-linux.img got-initramfs
check "readme-setup-tftp-initramfs" same "$T/got-initramfs" "$ref/arch/boot/x86_64/initramfs-linux.img"
# the archiso hook probes with a one-byte range first
probe=$(timeout 20 ip netns exec "$C" curl -s -r 0-0 -o /dev/null -w '%{http_code} %{size_download}' \
	http://198.18.0.1/arch/x86_64/airootfs.sfs)
check "readme-setup-http-range-probe ($probe)" test "$probe" = "206 1"
http_get arch/x86_64/airootfs.sfs "$T/got-airootfs.sfs"
check "readme-setup-http-airootfs" same "$T/got-airootfs.sfs" "$ref/arch/x86_64/airootfs.sfs"
http_get arch/x86_64/airootfs.sha512 "$T/got-airootfs.sha512"
check "readme-setup-http-checksum" same "$T/got-airootfs.sha512" "$ref/arch/x86_64/airootfs.sha512"

# UEFI PXE firmware (x64, option 93 = 7): iPXE by TFTP.
if lease uefi -V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007; then
	boot=$(envval uefi boot_file)
	check "readme-setup-uefi-boot-file ($boot)" test "$boot" = ipxe.efi
	tftp_get "$boot" got-ipxe.efi
	check "readme-setup-tftp-ipxe.efi" same "$T/got-ipxe.efi" /usr/lib/ipxe/ipxe.efi
else
	fail "readme-setup-uefi-lease: $(tail -3 "$T/uefi.udhcpc.log" | tr '\n' '|')"
fi

# iPXE (user class "iPXE", option 77) on that machine: the README's script
# by HTTP, and the kernel and initramfs it names.
if lease ipxe -V PXEClient:Arch:00007:UNDI:003016 -x 0x5d:0007 -x 0x4d:69505845; then
	boot=$(envval ipxe boot_file)
	check "readme-setup-ipxe-boot-file ($boot)" test "$boot" = http://198.18.0.1/arch.ipxe
	http_get "${boot#http://198.18.0.1/}" "$T/got-arch.ipxe"
	check "readme-setup-http-ipxe-script" grep -q '^#!ipxe' "$T/got-arch.ipxe"
	# ${next-server} is the siaddr of the reply
	sed "s/\${next-server}/$(envval ipxe siaddr)/g" "$T/got-arch.ipxe" |
		grep -oE 'http://198\.18\.0\.1/[^ ]+[^/ ]' | sort -u >"$T/ipxe-urls"
	check "readme-setup-ipxe-script-names-kernel-and-initramfs" test "$(grep -c . "$T/ipxe-urls")" -eq 2
	while read -r url; do
		path=${url#http://198.18.0.1/}
		http_get "$path" "$T/got-url"
		check "readme-setup-http-$path" same "$T/got-url" "$ref/$path"
	done <"$T/ipxe-urls"
	check "readme-setup-ipxe-archiso-http-srv" grep -q 'archiso_http_srv=http://${next-server}/' "$T/got-arch.ipxe"
else
	fail "readme-setup-ipxe-lease: $(tail -3 "$T/ipxe.udhcpc.log" | tr '\n' '|')"
fi

# ---- the state the daemons made ------------------------------------------
dhcpd_pid=$(head -1 "$T/pids" 2>/dev/null)
# /proc/PID/root is the daemon's own view (its mount namespace, and the
# chroot a fresh build root runs in); nsenter -m would reset to the mount
# namespace's real root, outside such a chroot (setns(2)).
leases=$(cat "/proc/$dhcpd_pid/root/var/lib/pxe-dhcpd/dhcpd.leases" 2>&1)
check "readme-setup-lease-journal ($(head -c 300 <<<"$leases" | tr "\n" "|"))" grep -q "add mac=52:54:00:18:00:05 ip=$ip " <<<"$leases"
check "readme-setup-real-machine-untouched-after" test "$(host_state)" = "$host_before"
if [ "$T_FAILS" -gt 0 ]; then
	echo "---- the section as run"
	sed 's/^/    /' "$T/run.sh"
	echo "---- server output"
	sed 's/^/    /' "$T/server.log" | tail -60
fi
t_done
