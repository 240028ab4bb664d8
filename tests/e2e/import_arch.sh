#!/bin/bash
# SPDX-License-Identifier: MIT
# End-to-end: the Arch wiki's dnsmasq PXE configuration
# (tests/integration/import-configs/arch-wiki.conf), imported with
# `pxe-dhcpd --import-dnsmasq`, boots real VMs through pxesuite.
#
# Only the dnsmasq input is adapted to this test, never the import: the
# test network's addresses (198.18.0.x -> 198.18.10.x), tftp-root (the ISO
# mount point /mnt/archiso -> this run's tree) and a dhcp-leasefile line
# (so that the import names a lease file of this run). pxe-dhcpd then runs
# on the import as printed, and pxe-tftpd on the [tftpd] lines it prints
# (the commented block, uncommented). pxe-httpd serves the same tree over
# HTTP for archiso_pxe_http (archiso_http_srv=).
#
# The tree has the layout the wiki's lines name (the archiso layout they
# were written for): arch/boot/syslinux/{lpxelinux.0,syslinux.efi,...} and
# the config file of option 209 (boot/syslinux/archiso.cfg under the path
# prefix /arch/ of option 210), which loads the kernel and initramfs over
# TFTP; the guest then fetches arch/x86_64/airootfs.sfs over HTTP and checks
# its sha512 (_guest_init.sh), printing the NETBOOT-OK marker.
#   bios: SeaBIOS + qemu's iPXE ROM (arch 0) -> the untagged dhcp-boot,
#         lpxelinux.0
#   uefi: OVMF PXE (arch 7) -> tag efi-x86_64 -> syslinux.efi
# Both VMs boot at the same time. Each must also have read the config of
# option 209 under the prefix of option 210 (pxe-tftpd's log), so the
# forced options are proven to reach the loader.
#   E2E_VM_TIMEOUT=S  limit of one VM (default 240)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/_lib_e2e.sh"
e2e_need_tools e2e-import-arch
for b in "$DHCPD" "$TFTPD" "$HTTPD"; do
	[ -x "$b" ] || { skip "e2e-import-arch: $b not built (run make)"; t_exit 77; }
done
e2e_tree e2e-import-arch
echo "accel: $(e2e_accel_why)"
SRV=$E2E_SERVER
e2e_net_up "pxe-imp-$$" || { fail "e2e-import-arch: cannot create the namespace"; t_done; }
e2e_serve_root

# The tree at the paths the wiki's lines name.
A=$T_TMP/archiso
S=$A/arch/boot/syslinux
mkdir -p "$S" "$A/arch/boot/x86_64" "$A/arch/x86_64"
for f in lpxelinux.0 ldlinux.c32 syslinux.efi ldlinux.e64; do cp "$E2E_ROOT/$f" "$S/"; done
cp "$E2E_ROOT/vmlinuz" "$A/arch/boot/x86_64/vmlinuz-linux"
cp "$E2E_ROOT/initrd.gz" "$A/arch/boot/x86_64/initramfs-linux.img"
cp "$E2E_ROOT/root.img" "$A/arch/x86_64/airootfs.sfs"
printf '%s  airootfs.sfs\n' "$(sha512sum <"$E2E_ROOT/root.img" | cut -d' ' -f1)" >"$A/arch/x86_64/airootfs.sha512"
# archiso's PXE entry (archiso_pxe-linux.cfg): kernel and initramfs under
# the path prefix (option 210), archiso_pxe_http's parameters.
cat >"$S/archiso.cfg" <<EOT
DEFAULT arch
PROMPT 0
TIMEOUT 1
LABEL arch
	LINUX boot/x86_64/vmlinuz-linux
	INITRD boot/x86_64/initramfs-linux.img
	APPEND $(e2e_archiso_cmdline import-arch)
EOT

# The dnsmasq input, adapted to this network (the import is used as printed).
CONF=$TOP/tests/integration/import-configs/arch-wiki.conf
sed -e "s/198\.18\.0\./$E2E_NET./g" -e "s#^tftp-root=.*#tftp-root=$A#" "$CONF" >"$T_TMP/arch-wiki.conf"
echo "dhcp-leasefile=$T_TMP/dhcpd.leases" >>"$T_TMP/arch-wiki.conf"
st=0
"$DHCPD" --import-dnsmasq "$T_TMP/arch-wiki.conf" >"$T_TMP/import.conf" 2>"$T_TMP/import.err" || st=$?
check "the import exits 0 (every boot decision carried over)" test "$st" = 0
check "pxe-dhcpd --check-config accepts the import" ip netns exec "$E2E_NS" "$DHCPD" --check-config -c "$T_TMP/import.conf"
# pxe-tftpd's part: the [tftpd] block the import prints, commented out
# (pxe-dhcpd's file takes no [tftpd] section); its keys uncommented.
sed -n '/^# \[tftpd\]/,$p' "$T_TMP/import.conf" | sed -n -e 's/^# \(\[tftpd\]\)$/\1/p' \
	-e 's/^# \([a-z-]* = .*\)$/\1/p' >"$T_TMP/tftpd.conf"
check "the import names tftp-root for pxe-tftpd" grep -qx "root = $A" "$T_TMP/tftpd.conf"

start_bg "$T_TMP/dhcpd.log" ip netns exec "$E2E_NS" "$DHCPD" -c "$T_TMP/import.conf"
DHCPD_PID=$T_LAST_PID
start_bg "$T_TMP/tftpd.log" ip netns exec "$E2E_NS" "$TFTPD" -c "$T_TMP/tftpd.conf"
TFTPD_PID=$T_LAST_PID
start_bg "$T_TMP/httpd.log" ip netns exec "$E2E_NS" "$HTTPD" "$A" --listen "$SRV:80"
HTTPD_PID=$T_LAST_PID
up=yes
wait_for 10 e2e_ns_bound "$E2E_NS" udp 67 || up=no
wait_for 10 e2e_ns_bound "$E2E_NS" udp 69 || up=no
wait_for 10 e2e_ns_bound "$E2E_NS" tcp 80 || up=no
if [ $up = no ]; then
	fail "e2e-import-arch: a daemon did not start: $(tail -3 "$T_TMP"/dhcpd.log "$T_TMP"/tftpd.log "$T_TMP"/httpd.log | tr '\n' ' ')"
	t_done
fi

VMS=("import-arch-bios bios $(e2e_mac 201)" "import-arch-uefi uefi $(e2e_mac 202)")
T0=$(e2e_now)
PIDS=()
for v in "${VMS[@]}"; do
	read -r name fw mac <<<"$v"
	e2e_tap "t${name: -4}" || { fail "$name: no tap device"; continue; }
	e2e_vm_start "$name" "$fw" "t${name: -4}" "$mac"
	PIDS+=("$E2E_VM_PID")
done
i=0
for v in "${VMS[@]}"; do
	read -r name fw mac <<<"$v"
	if e2e_vm_wait "$name" "${PIDS[$i]}"; then
		pass "$name: $fw firmware booted the imported Arch wiki config to NETBOOT-OK ($(e2e_secs_since "$T0") s)"
	else
		fail "$name: $E2E_VM_RESULT"
		tail -n 20 "$T_TMP/dhcpd.log" "$T_TMP/tftpd.log" | sed 's/^/    /'
	fi
	i=$((i + 1))
done
# Both loaders (two clients) read option 209's file under option 210's
# prefix, and the kernel the way archiso.cfg names it (under the prefix).
tftp_clients() { # FILE: how many clients read it whole
	grep -a "event=transfer" "$T_TMP/tftpd.log" | grep -aF " file=$1 " | grep -a "status=ok" |
		sed -n 's/.* client=\([0-9.]*\):.*/\1/p' | sort -u | wc -l
}
for f in /arch/boot/syslinux/archiso.cfg /arch/boot/x86_64/vmlinuz-linux; do
	n=$(tftp_clients "$f")
	check "both loaders read $f over TFTP ($n clients)" test "$n" = 2
done
stop_pid "$DHCPD_PID"
stop_pid "$TFTPD_PID"
stop_pid "$HTTPD_PID"
t_done
