#!/bin/bash
# SPDX-License-Identifier: MIT
# Proof of the e2e plumbing with stand-in servers (not our daemons): busybox
# udhcpd (boot_file/siaddr), tftpd-hpa's in.tftpd in the foreground, busybox
# httpd, all inside a private namespace. Boots a BIOS VM (SeaBIOS + iPXE ROM
# -> pxelinux.0 -> kernel+initrd over TFTP) and a UEFI VM (OVMF PXE ->
# syslinux.efi over TFTP -> kernel+initrd over TFTP), one after the other,
# and prints what the firmware asked of TFTP (tcpdump).
#   tests/e2e/_standin.sh [bios|uefi|lpxe|uefi-ipxe ...]
# uefi-ipxe loops on purpose: udhcpd gives ipxe.efi to iPXE too (it cannot
# tell iPXE from EDK2), which is what pxe-dhcpd's classes are for.
# Needs tftpd-hpa (in.tftpd), not in DEB_E2E_PKGS: its package starts a
# TFTP service in the root namespace on install.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/_lib_e2e.sh"
e2e_need_tools standin
have in.tftpd || { skip "standin: needs in.tftpd (tftpd-hpa)"; t_exit 77; }
e2e_tree standin
echo "accel: $(e2e_accel_why)"
e2e_net_up "pxe-e2e-si-$$"
e2e_serve_root
e2e_capture_start standin

start_dhcp() { # start_dhcp BOOTFILE
	[ -n "${DHCP_PID:-}" ] && stop_pid "$DHCP_PID"
	cat >"$T_TMP/udhcpd.conf" <<EOT
start $E2E_NET.100
end $E2E_NET.150
interface br0
lease_file $T_TMP/udhcpd.leases
pidfile $T_TMP/udhcpd.pid
siaddr $E2E_SERVER
boot_file $1
option subnet 255.255.255.0
option router $E2E_SERVER
option lease 600
EOT
	: >"$T_TMP/udhcpd.leases"
	start_bg "$T_TMP/udhcpd.log" ip netns exec "$E2E_NS" busybox udhcpd -f "$T_TMP/udhcpd.conf"
	DHCP_PID=$T_LAST_PID
}
start_bg "$T_TMP/tftpd.log" ip netns exec "$E2E_NS" in.tftpd -L -v -v -v -a "$E2E_SERVER:69" -s "$E2E_ROOT"
start_bg "$T_TMP/httpd.log" ip netns exec "$E2E_NS" busybox httpd -f -vv -p "$E2E_SERVER:80" -h "$E2E_ROOT"
sleep 0.5

n=0
for s in ${*:-bios uefi}; do
	n=$((n + 1)); mac=$(e2e_mac "$n"); tap=tap$n
	e2e_tap "$tap"
	case $s in
	bios) start_dhcp pxelinux.0; e2e_pxelinux_cfg "$mac" "standin-$s"; fw=bios ;;
	lpxe) start_dhcp lpxelinux.0; e2e_pxelinux_cfg "$mac" "standin-$s" "http://$E2E_SERVER/"; fw=bios ;;
	uefi) start_dhcp syslinux.efi; e2e_pxelinux_cfg "$mac" "standin-$s"; fw=uefi ;;
	uefi-ipxe) e2e_ipxe_script "standin-$s" boot.ipxe
		start_dhcp ipxe.efi; fw=uefi ;;
	*) echo "unknown $s"; continue ;;
	esac
	sleep 0.3
	t0=$(e2e_now)
	e2e_vm_start "$s" "$fw" "$tap" "$mac"
	if e2e_vm_wait "$s" "$E2E_VM_PID"; then
		pass "standin-$s $(e2e_secs_since "$t0")s"
	else
		fail "standin-$s $(e2e_secs_since "$t0")s: $E2E_VM_RESULT"
	fi
done
sleep 0.5
[ -n "${E2E_CAPTURE_PID:-}" ] && stop_pid "$E2E_CAPTURE_PID"
echo "--- TFTP read requests (tcpdump):"
e2e_tftp_options "$E2E_PCAP"
echo "--- HTTP (busybox httpd):"
grep -a 'GET\|HEAD\|response' "$T_TMP/httpd.log" | head -20
if [ -n "${E2E_KEEP:-}" ]; then cp -a "$T_TMP" "$E2E_KEEP"; echo "kept $E2E_KEEP"; fi
t_done
