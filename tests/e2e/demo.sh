#!/bin/bash
# SPDX-License-Identifier: MIT
# make demo: one BIOS and one UEFI virtual machine boot over the network
# through pxe-dhcpd, pxe-tftpd and pxe-httpd, in a private network namespace
# (bridge br0, 198.18.10.1/24; nothing touches your real network). The
# daemons' log lines are shown live, prefixed by daemon, so you can follow
# DHCP -> TFTP -> HTTP; then a short summary. Needs root (namespaces, tap
# devices). Everything it starts is stopped, and the namespaces deleted, at
# the end or on Ctrl-C.
#   BIOS: SeaBIOS + qemu's iPXE ROM -> lpxelinux.0 (TFTP) -> kernel, initrd (HTTP)
#   UEFI: OVMF PXE -> ipxe.efi (TFTP) -> iPXE script, kernel, initrd (HTTP)
# Each guest then fetches a root image over HTTP and checks its sha256.
# Should pxe-dhcpd not give boot files by client type (an old or broken
# build), the demo says so and uses busybox udhcpd for DHCP instead (BIOS
# and UEFI one after another, UEFI through syslinux.efi).
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/_lib_e2e.sh"
if ! is_root; then
	echo "make demo needs root: it creates a network namespace with tap devices and"
	echo "starts VMs and DHCP/TFTP/HTTP servers inside it. Run: sudo make demo"
	exit 1
fi
for c in "$E2E_QEMU" "$E2E_OVMF_CODE" "$DHCPD" "$TFTPD" "$HTTPD" /dev/net/tun; do
	have "$c" || [ -e "$c" ] || {
		echo "make demo: $c is missing (make deps installs qemu-system-x86, ovmf, ipxe,"
		echo "pxelinux, syslinux-common; make builds the daemons)"
		exit 1
	}
done
say() { printf '\n==> %s\n' "$*"; }
say "boot tree from Debian packages (first run downloads a kernel, ~70 MB)"
"$E2E_DIR/_bootstrap.sh" >"$T_TMP/tree" || { echo "make demo: boot tree failed"; exit 1; }
E2E_TREE=$(tail -1 "$T_TMP/tree")
say "accelerator: $(e2e_accel_why)"
SRV=$E2E_SERVER
e2e_net_up "pxe-demo-$$" || exit 1
e2e_side_ns "pxe-demo-$$-c" probe0 52:54:00:e2:e1:01 || exit 1
e2e_serve_root
e2e_ipxe_script demo-uefi demo-uefi.ipxe
LOGS=$T_TMP

cat >"$T_TMP/demo.conf" <<EOT
[dhcpd]
interface = br0
mode = full
leasefile = $T_TMP/dhcpd.leases

[subnet $E2E_NET.0/24]
range = $E2E_NET.100-$E2E_NET.199
router = $SRV
lease-time = 10m

[boot ipxe]
match = user-class:iPXE
match = arch:x64-uefi
file = http://\${server}/demo-uefi.ipxe

[boot bios]
match = arch:bios
file = lpxelinux.0

[boot uefi]
match = arch:x64-uefi
file = ipxe.efi
EOT

say "starting pxe-tftpd, pxe-httpd and pxe-dhcpd in namespace $E2E_NS (br0 $SRV/24)"
e2e_follow "tftpd" "$LOGS/tftpd.log"
e2e_follow "httpd" "$LOGS/httpd.log"
e2e_follow "dhcpd" "$LOGS/dhcpd.log"
start_bg "$LOGS/tftpd.log" ip netns exec "$E2E_NS" "$TFTPD" --listen "$SRV:69" "$E2E_ROOT"
start_bg "$LOGS/httpd.log" ip netns exec "$E2E_NS" "$HTTPD" "$E2E_ROOT" --addr "$SRV" --port 80
start_bg "$LOGS/dhcpd.log" ip netns exec "$E2E_NS" "$DHCPD" -c "$T_TMP/demo.conf"
DHCPD_PID=$T_LAST_PID
wait_for 10 e2e_ns_bound "$E2E_NS" udp 69 || { echo "pxe-tftpd did not start"; exit 1; }
wait_for 10 e2e_ns_bound "$E2E_NS" tcp 80 || { echo "pxe-httpd did not start"; exit 1; }
FALLBACK=""
say "checking that pxe-dhcpd answers BIOS, UEFI and iPXE clients (3 probe DISCOVERs from 52:54:00:e2:e1:01)"
if ! wait_for 5 e2e_ns_bound "$E2E_NS" udp 67; then
	FALLBACK="pxe-dhcpd did not start with the demo config"
elif ! e2e_probe "pxe-demo-$$-c" probe0 52:54:00:e2:e1:01 lpxelinux.0 $IPXE_BIOS ||
	! e2e_probe "pxe-demo-$$-c" probe0 52:54:00:e2:e1:01 ipxe.efi $EDK2_PXE ||
	! e2e_probe "pxe-demo-$$-c" probe0 52:54:00:e2:e1:01 "http://$SRV/demo-uefi.ipxe" $IPXE_EFI; then
	FALLBACK="pxe-dhcpd does not give boot files by client type yet (got: $PROBE_GOT)"
fi

start_udhcpd() { # the stand-in: busybox udhcpd with one boot file
	[ -n "${UDHCPD_PID:-}" ] && stop_pid "$UDHCPD_PID"
	cat >"$T_TMP/udhcpd.conf" <<EOT
start $E2E_NET.100
end $E2E_NET.199
interface br0
lease_file $T_TMP/udhcpd.leases
pidfile $T_TMP/udhcpd.pid
siaddr $SRV
boot_file $1
option subnet 255.255.255.0
option router $SRV
option lease 600
EOT
	: >"$T_TMP/udhcpd.leases"
	start_bg "$LOGS/udhcpd.log" ip netns exec "$E2E_NS" busybox udhcpd -f "$T_TMP/udhcpd.conf"
	UDHCPD_PID=$T_LAST_PID
	wait_for 5 e2e_ns_bound "$E2E_NS" udp 67
}

declare -A RESULT SECS
VMCOUNT=0
run_vms() { # run_vms NAME:FW...
	local spec name fw n=0 pids=() names=() t0 i
	t0=$(e2e_now)
	for spec; do
		name=${spec%%:*}; fw=${spec#*:}; n=$((n + 1))
		e2e_tap "tap-$name"
		VMCOUNT=$((VMCOUNT + 1)); mac=$(e2e_mac "$VMCOUNT")
		# lpxelinux (BIOS) loads by HTTP; syslinux.efi (the stand-in's UEFI path) by TFTP.
		if [ "$fw" = bios ]; then e2e_pxelinux_cfg "$mac" "$name" "http://$SRV/"
		else e2e_pxelinux_cfg "$mac" "$name"; fi
		e2e_vm_start "$name" "$fw" "tap-$name" "$mac"
		# The guest's own lines (not the firmware's screen) on the console.
		e2e_follow "$name" "$T_TMP/$name.serial" \
			'e2e-guest|NETBOOT|udhcpc: lease|iPXE script|^(PXE|SYS)LINUX [0-9]|NBP file|Station IP|(tftp|http)://'
		pids+=("$E2E_VM_PID"); names+=("$name")
		echo "$name| started ($fw firmware, MAC $mac, $(e2e_accel))"
	done
	for i in "${!pids[@]}"; do
		if e2e_vm_wait "${names[$i]}" "${pids[$i]}"; then RESULT[${names[$i]}]=OK
		else RESULT[${names[$i]}]="FAILED: $E2E_VM_RESULT"; fi
		SECS[${names[$i]}]=$(e2e_secs_since "$t0")
	done
}

if [ -z "$FALLBACK" ]; then
	say "booting a BIOS and a UEFI VM at once (TCG: about a minute)"
	run_vms demo-bios:bios demo-uefi:uefi
else
	stop_pid "$DHCPD_PID"
	say "NOTE: $FALLBACK."
	echo "    Using busybox udhcpd for DHCP instead; TFTP and HTTP are still pxe-tftpd and pxe-httpd."
	e2e_follow "udhcpd" "$LOGS/udhcpd.log"
	say "booting a BIOS VM: lpxelinux.0 over TFTP, kernel and initrd over HTTP"
	start_udhcpd lpxelinux.0 || { echo "udhcpd did not start"; exit 1; }
	run_vms demo-bios:bios
	say "booting a UEFI VM: syslinux.efi over TFTP, kernel and initrd over TFTP"
	start_udhcpd syslinux.efi || { echo "udhcpd did not start"; exit 1; }
	run_vms demo-uefi:uefi
fi
e2e_follow_stop

say "summary"
for n in demo-bios demo-uefi; do
	[ -n "${RESULT[$n]:-}" ] && printf '  %-10s %-60s %ss\n' "$n" "${RESULT[$n]}" "${SECS[$n]}"
done
printf '  DHCP : %s\n' "$([ -z "$FALLBACK" ] && echo "pxe-dhcpd, $(grep -c 'event=' "$LOGS/dhcpd.log") log lines" || echo "busybox udhcpd (stand-in)")"
printf '  TFTP : pxe-tftpd, %s transfers: %s\n' "$(grep -c 'event=transfer' "$LOGS/tftpd.log")" \
	"$(grep -o 'file=[^ ]*' "$LOGS/tftpd.log" | sed 's/file=//' | sort -u | tr '\n' ' ')"
printf '  HTTP : pxe-httpd, %s requests: %s\n' "$(grep -c '"GET\|"HEAD' "$LOGS/httpd.log")" \
	"$(grep -o '"\(GET\|HEAD\) [^ ]*' "$LOGS/httpd.log" | sed 's/"//' | sort | uniq -c | awk '{printf "%s %s (x%s)  ", $2, $3, $1}')"
echo "  cleaning up: servers, VMs, namespaces"
ok=yes
for n in "${!RESULT[@]}"; do [ "${RESULT[$n]}" = OK ] || ok=no; done
[ $ok = yes ]
