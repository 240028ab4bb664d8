#!/bin/bash
# SPDX-License-Identifier: MIT
# End-to-end: real firmware boots real VMs through pxe-dhcpd, pxe-tftpd and
# pxe-httpd. Every server runs in a private namespace (bridge br0,
# 198.18.10.1/24, a tap per VM); nothing touches the root namespace.
#
# Scenarios (E2E_ONLY=REGEX picks some):
#   bios-pxelinux   SeaBIOS + iPXE ROM -> pxelinux.0 -> kernel+initrd over TFTP
#   bios-lpxelinux  SeaBIOS + iPXE ROM -> lpxelinux.0 -> kernel+initrd over HTTP/1.0
#   bios-ipxe       the iPXE ROM is iPXE already: gets the script URL (HTTP)
#   uefi-syslinux   OVMF PXE -> syslinux.efi over TFTP -> kernel over TFTP
#   uefi-ipxe       OVMF PXE -> ipxe.efi over TFTP -> (iPXE) script URL -> HTTP
#   uefi-http       OVMF HTTP Boot (PXE off) -> snponly.efi by URL -> script URL
#   proxy-bios      busybox udhcpd gives addresses, pxe-dhcpd mode=proxy boot info
#   proxy-uefi      the same for OVMF
#   four-at-once    2 BIOS + 2 UEFI VMs at the same time
#   site-bios-pxelinux, site-bios-lpxelinux, site-uefi-syslinux
#                   the same boots with a plain DHCP server (busybox udhcpd,
#                   boot_file + siaddr) instead of pxe-dhcpd: pxe-tftpd and
#                   pxe-httpd behind a third-party DHCP server
#   image-bios      pxe-tftpd and pxe-httpd serve an archiso-like hybrid ISO
#                   image of the boot tree instead of the directory (issue 14):
#                   SeaBIOS + iPXE ROM -> boot/syslinux/lpxelinux.0 -> kernel
#                   and initrd over TFTP, then archiso_pxe_http in the guest:
#                   `curl -r 0-0` probe of arch/x86_64/airootfs.sfs, the image,
#                   airootfs.sha512 over HTTP; all out of the image
#   image-uefi      the same for OVMF PXE -> boot/syslinux/syslinux.efi
#   uefi-pxe6       IPv6 only (no DHCPv4 answer, OVMF's IPv4 stack off): OVMF
#                   PXE over IPv6 -> DHCPv6 address + option 59
#                   tftp://[..]/snponly.efi -> iPXE's own DHCPv6 (user class
#                   iPXE) -> script URL -> kernel+initrd over HTTP/IPv6 ->
#                   the guest (SLAAC from pxe-dhcpd's ra = yes) fetches the
#                   root blob over IPv6
#   uefi-http6      OVMF HTTP Boot over IPv6: option 59 http://[..]/snponly.efi
#                   with option 16 HTTPClient -> as above. OVMF 2022.11's
#                   HTTPv6 sends no SOLICIT when it runs first (DHCPv6 before
#                   DAD, fixed in edk2-stable202508): its PXEv6 option runs
#                   first, gets an address and no boot file, and gives up
#   proxy-uefi6     pxe-dhcpd in dhcpv6 = boot-only (the IPv6 proxyDHCP)
#                   beside a second pxe-dhcpd in full mode in another
#                   namespace that gives the addresses and the RA: EDK2 takes
#                   its address from that one and snponly.efi from ours (its
#                   REQUEST to port 4011). iPXE ignores an ADVERTISE without
#                   IA_NA, so it cannot take a script from a boot-only server:
#                   the address server's [boot ipxe] section gives it (iPXE
#                   is a second client, not the firmware this mode serves)
# Router advertisements (SLAAC only, from tests/tools/ra_send) are on the
# bridge in every IPv4 scenario but site-bios-pxelinux, which keeps an
# IPv4-only link: Debian's iPXE waits about 16 s for IPv6 router discovery
# before it boots where no router answers (e2e_ra_start).
# For the image scenarios both daemons are restarted on the image alone (so
# nothing can come from the directory; its paths do not even exist in the
# image), and after the boot their log lines must show that every file the
# boot needed came from the image. A daemon that cannot serve the image makes
# them FAIL, not SKIP.
# Before each boot a probe DISCOVER that looks like the scenario's firmware
# checks that pxe-dhcpd already answers it with the expected boot file; if
# not (a feature still missing) the scenario prints SKIP with the reason.
# The IPv6 scenarios have no probe: the probe is a DHCPv4 client, and the
# DHCPv6 firmware personas are tested in tests/integration/dhcpd_v6.sh and
# the unit tests (test_v6_decide.c), so a SKIP-instead-of-FAIL would only hide
# a failure of the boot itself.
# Each scenario prints PASS/FAIL with its seconds; a failure shows the
# daemons' log lines of that scenario.
#   E2E_BUDGET=S      start no scenario that could end after S s (default 1650)
#   E2E_VM_TIMEOUT=S  limit of one VM (default 240)
#   E2E_DHCP=dnsmasq  reference run: dnsmasq (dnsmasq-base) instead of
#                     pxe-dhcpd, with the same boot choices, to check the
#                     scenarios themselves (not part of make check)
#   E2E_IMAGE_EXTRACT=1  reference run of the image scenarios: serve xorriso's
#                     extraction of the image from a directory instead of the
#                     image (checks the scenarios themselves; not make check)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/_lib_e2e.sh"
e2e_need_tools e2e-boot
for b in "$DHCPD" "$TFTPD" "$HTTPD"; do
	[ -x "$b" ] || { skip "e2e-boot: $b not built (run make)"; t_exit 77; }
done
have python3 || { skip "e2e-boot: needs python3"; t_exit 77; }
e2e_tree e2e-boot
echo "accel: $(e2e_accel_why)"
# The image scenarios come last: the daemons switch roots once per run.
ALL_SCENARIOS="site-bios-pxelinux site-bios-lpxelinux site-uefi-syslinux bios-pxelinux bios-lpxelinux bios-ipxe uefi-syslinux uefi-ipxe uefi-http proxy-bios proxy-uefi four-at-once uefi-pxe6 uefi-http6 proxy-uefi6 image-bios image-uefi"
SRV=$E2E_SERVER
SRV6=$E2E_SERVER6

e2e_net_up "pxe-e2e-$$" || { fail "e2e-boot: namespace setup"; t_done; }
PROBE_NS=pxe-e2e-$$-c
SITE_NS=pxe-e2e-$$-s
PROBE_MAC=52:54:00:e2:e1:01
e2e_side_ns "$PROBE_NS" probe0 "$PROBE_MAC" || { fail "e2e-boot: probe namespace"; t_done; }
e2e_serve_root
e2e_capture_start boot

# ---------------------------------------------------------------- served root
# pxe-tftpd and pxe-httpd serve one root at a time, the directory or the
# image, on the same address and ports: the scenarios' DHCP configs stay the
# same, and while the image is served the directory is not reachable at all
# (a second pair on another address would leave it one wrong next-server
# away). Each kind of root logs to its own pair of files.
SERVING="" TFTPD_PID="" HTTPD_PID=""
# serve_root ROOT KIND: (re)start both daemons on ROOT unless they serve it
# already; KIND (dir, image) names the logs. Returns 1 with SERVE_WHY.
serve_root() {
	[ "$SERVING" = "$1" ] && return 0
	[ -n "$TFTPD_PID" ] && stop_pid "$TFTPD_PID"
	[ -n "$HTTPD_PID" ] && stop_pid "$HTTPD_PID"
	TFTPD_PID="" HTTPD_PID="" SERVING=""
	LOG_TFTPD=$T_TMP/tftpd-$2.log LOG_HTTPD=$T_TMP/httpd-$2.log
	: >>"$LOG_TFTPD"; : >>"$LOG_HTTPD"
	local t_at h_at
	t_at=$(wc -l <"$LOG_TFTPD") h_at=$(wc -l <"$LOG_HTTPD")
	# Appending: a root served again keeps its earlier lines.
	# Both families: the IPv6 scenarios' firmware comes over [SRV6].
	ip netns exec "$E2E_NS" "$TFTPD" --listen "$SRV:69" --listen "[$SRV6]:69" "$1" >>"$LOG_TFTPD" 2>&1 &
	TFTPD_PID=$!; T_PIDS+=("$!")
	ip netns exec "$E2E_NS" "$HTTPD" "$1" --listen "$SRV:80" --listen "[$SRV6]:80" >>"$LOG_HTTPD" 2>&1 &
	HTTPD_PID=$!; T_PIDS+=("$!")
	wait_for 10 bound_or_gone "$TFTPD_PID" udp 69
	e2e_ns_bound "$E2E_NS" udp 69 ||
		{ SERVE_WHY="pxe-tftpd did not start on $1: $(tail -n +$((t_at + 1)) "$LOG_TFTPD" | tail -3 | tr '\n' ' ')"; return 1; }
	wait_for 10 bound_or_gone "$HTTPD_PID" tcp 80
	e2e_ns_bound "$E2E_NS" tcp 80 ||
		{ SERVE_WHY="pxe-httpd did not start on $1: $(tail -n +$((h_at + 1)) "$LOG_HTTPD" | tail -3 | tr '\n' ' ')"; return 1; }
	SERVING=$1
}
# bound_or_gone PID udp|tcp PORT: listening, or no use waiting (PID exited).
bound_or_gone() { e2e_ns_bound "$E2E_NS" "$2" "$3" || ! kill -0 "$1" 2>/dev/null; }
serve_root "$E2E_ROOT" dir || { fail "e2e-boot: $SERVE_WHY"; t_done; }

# The image of the image scenarios, made once (both VMs' configs are in it:
# their MACs are fixed, see scen_mac). Returns 1 with SERVE_WHY.
IMAGE=""
IMAGE_MACS="image-bios:$(e2e_mac 241) image-uefi:$(e2e_mac 242)"
scen_mac() { # scen_mac NAME: the MAC of the VM named NAME (the next VMN otherwise)
	local p
	for p in $IMAGE_MACS; do [ "${p%%:*}" = "$1" ] && { echo "${p#*:}"; return; }; done
	e2e_mac "$VMN"
}
image_make() {
	[ -n "$IMAGE" ] && return 0
	local extra=$T_TMP/image-extra p
	rm -rf "$extra"
	for p in $IMAGE_MACS; do e2e_archiso_pxelinux_cfg "$extra" "${p#*:}" "${p%%:*}"; done
	e2e_archiso_image "$T_TMP/archlinux-e2e-x86_64.iso" "$extra" ||
		{ SERVE_WHY="the image: $E2E_IMAGE_WHY"; return 1; }
	IMAGE=$T_TMP/archlinux-e2e-x86_64.iso
	echo "image: $IMAGE, $(du -k "$IMAGE" | cut -f1) KiB, label $E2E_ARCHISO_LABEL"
}
# image_serve: the daemons on the image (or, with E2E_IMAGE_EXTRACT=1, on
# xorriso's extraction of it), then a quick look from inside the namespace
# that they serve the image's files, before a VM spends a minute on it.
image_serve() {
	local root=$IMAGE x=$T_TMP/image-x got
	if [ -n "${E2E_IMAGE_EXTRACT:-}" ]; then
		if [ ! -d "$x" ]; then
			xorriso -no_rc -osirrox on -indev "$IMAGE" -extract / "$x" >"$x.log" 2>&1 ||
				{ SERVE_WHY="xorriso -extract: $(tail -1 "$x.log")"; return 1; }
		fi
		root=$x
	fi
	serve_root "$root" image || return 1
	rm -f "$T_TMP/probe-ldlinux.c32"
	got=$(cd "$T_TMP" && in_ns "$E2E_NS" timeout 10 busybox tftp -g -r boot/syslinux/ldlinux.c32 \
		-l "$T_TMP/probe-ldlinux.c32" "$SRV" 2>&1) || true
	cmp -s "$T_TMP/probe-ldlinux.c32" "$E2E_ROOT/ldlinux.c32" ||
		{ SERVE_WHY="pxe-tftpd does not serve boot/syslinux/ldlinux.c32 from the image: ${got:-bytes differ}"; return 1; }
	have curl || return 0
	got=$(in_ns "$E2E_NS" curl -s --noproxy '*' -o /dev/null -r 0-0 -w '%{http_code} %{size_download}' \
		"http://$SRV/arch/x86_64/airootfs.sfs" 2>&1)
	[ "$got" = "206 1" ] ||
		{ SERVE_WHY="pxe-httpd does not answer a range of arch/x86_64/airootfs.sfs from the image (status, bytes: $got)"; return 1; }
}
# image_proof: after an image boot, the daemons' lines of it must show each
# file the boot needs served from the image (BOOT_FAILS otherwise).
# pxe-httpd's lines since this scenario started, but the server's own looks.
vm_http_lines() { tail -n +"$((HTTP_AT + 1))" "$LOG_HTTPD" | grep -av "^$SRV "; }
vm_http_has() { vm_http_lines | grep -qaE "$1"; }
image_proof() {
	local t h re loader=lpxelinux.0
	[ "$SCEN" = image-uefi ] && loader=syslinux.efi
	# pxe-httpd writes its access log every 500 ms (the sweep): the VM may
	# be off before its last request's line is out. This VM's lines only:
	# the log holds the earlier image scenario's too.
	wait_for 5 vm_http_has '"GET /arch/x86_64/airootfs.sha512 HTTP/1.[01]" 200 '
	# The VM's lines only (not those of image_serve's look, from $SRV).
	t=$(tail -n +"$((TFTP_AT + 1))" "$LOG_TFTPD" | grep -av " client=$SRV:")
	h=$(vm_http_lines)
	for re in "boot/syslinux/$loader" boot/syslinux/pxelinux.cfg/01- \
		arch/boot/x86_64/vmlinuz-linux arch/boot/x86_64/initramfs-linux.img; do
		grep -aE "event=transfer .*file=/?$re.* status=ok" <<<"$t" >/dev/null ||
			BOOT_FAILS+=("no pxe-tftpd transfer of $re")
	done
	grep -aE '"GET /arch/x86_64/airootfs.sfs HTTP/1.1" 206 1 ' <<<"$h" >/dev/null ||
		BOOT_FAILS+=("no 206 to the -r 0-0 probe in pxe-httpd's log")
	grep -aE '"GET /arch/x86_64/airootfs.sfs HTTP/1.[01]" 200 ' <<<"$h" >/dev/null ||
		BOOT_FAILS+=("no 200 for arch/x86_64/airootfs.sfs in pxe-httpd's log")
	grep -aE '"GET /arch/x86_64/airootfs.sha512 HTTP/1.[01]" 200 ' <<<"$h" >/dev/null ||
		BOOT_FAILS+=("no 200 for arch/x86_64/airootfs.sha512 in pxe-httpd's log")
	[ -n "${E2E_IMAGE_EXTRACT:-}" ] && return 0
	# Their start lines say they serve the image ("serving image PATH:
	# volume ..., N files", common/root.c), not a directory.
	grep -aqF "image $IMAGE" <(head -n 5 "$LOG_TFTPD") ||
		BOOT_FAILS+=("pxe-tftpd's start lines do not name the image: $(head -n 2 "$LOG_TFTPD" | tr '\n' ' ')")
	grep -aqF "image $IMAGE" <(head -n 5 "$LOG_HTTPD") ||
		BOOT_FAILS+=("pxe-httpd's start lines do not name the image: $(head -n 2 "$LOG_HTTPD" | tr '\n' ' ')")
}

# ---------------------------------------------------------------- configs
conf_head() { # conf_head MODE: [dhcpd] and, in full mode, the subnet
	cat <<EOT
[dhcpd]
interface = br0
mode = $1
leasefile = $T_TMP/dhcpd-$SCEN.leases
EOT
	if [ "$1" = full ]; then cat <<EOT

[subnet $E2E_NET.0/24]
range = $E2E_NET.100-$E2E_NET.199
router = $SRV
lease-time = 10m
EOT
	else # proxy: the subnet it serves, no addresses (the site's udhcpd has them)
		printf '
[subnet %s.0/24]
' "$E2E_NET"
	fi
}
conf_head6() { # conf_head6 MODE: [dhcpd] and a [subnet6] with SLAAC (A flag) for the guest
	cat <<EOT
[dhcpd]
interface = br0
mode = full
dhcpv6 = $1
leasefile = $T_TMP/dhcpd-$SCEN.leases
EOT
	[ "$1" = full ] && cat <<EOT

[subnet6 $E2E_NET6::/64]
range = $E2E_NET6::100-$E2E_NET6::1ff
ra = yes
EOT
	return 0
}
boot_section() { # boot_section NAME FILE MATCH...
	local n=$1 f=$2 m; shift 2
	printf '\n[boot %s]\n' "$n"
	for m; do printf 'match = %s\n' "$m"; done
	printf 'file = %s\n' "$f"
}
# scen_conf SCENARIO: pxe-dhcpd's config for it, on stdout.
scen_conf() {
	case $1 in
	bios-pxelinux) conf_head full; boot_section bios pxelinux.0 arch:bios ;;
	bios-lpxelinux) conf_head full; boot_section bios lpxelinux.0 arch:bios ;;
	bios-ipxe) conf_head full
		boot_section ipxe 'http://${server}/bios-ipxe.ipxe' user-class:iPXE
		boot_section bios undionly.kpxe arch:bios ;;
	uefi-syslinux) conf_head full; boot_section uefi syslinux.efi arch:x64-uefi ;;
	uefi-ipxe) conf_head full
		boot_section ipxe 'http://${server}/uefi-ipxe.ipxe' user-class:iPXE
		boot_section uefi ipxe.efi arch:x64-uefi ;;
	uefi-http) conf_head full
		boot_section ipxe 'http://${server}/uefi-http.ipxe' user-class:iPXE
		boot_section http 'http://${server}/snponly.efi' arch:x64-uefi-http ;;
	proxy-bios) conf_head proxy; boot_section bios pxelinux.0 arch:bios ;;
	proxy-uefi) conf_head proxy; boot_section uefi syslinux.efi arch:x64-uefi ;;
	four-at-once) conf_head full
		boot_section bios pxelinux.0 arch:bios
		boot_section uefi syslinux.efi arch:x64-uefi ;;
	image-bios) conf_head full; boot_section bios boot/syslinux/lpxelinux.0 arch:bios ;;
	image-uefi) conf_head full; boot_section uefi boot/syslinux/syslinux.efi arch:x64-uefi ;;
	uefi-pxe6) conf_head6 full
		boot_section ipxe 'http://${server}/uefi-pxe6.ipxe' user-class:iPXE
		boot_section uefi snponly.efi arch:x64-uefi ;;
	uefi-http6) conf_head6 full
		boot_section ipxe 'http://${server}/uefi-http6.ipxe' user-class:iPXE
		boot_section http 'http://${server}/snponly.efi' arch:x64-uefi-http ;;
	proxy-uefi6) conf_head6 boot-only; boot_section uefi snponly.efi arch:x64-uefi ;;
	esac
}
# The address server of proxy-uefi6 (another pxe-dhcpd, in SITE_NS): full
# mode, RA, and no boot file for the firmware, only iPXE's script.
site6_conf() {
	cat <<EOT
[dhcpd]
interface = site0
leasefile = $T_TMP/site6.leases

[subnet6 $E2E_NET6::/64]
range = $E2E_NET6::200-$E2E_NET6::2ff
ra = yes

[boot ipxe]
match = user-class:iPXE
file = http://[$SRV6]/proxy-uefi6.ipxe
EOT
}
# scen_probes SCENARIO: "WANT_FILE|probe args" lines: the firmware kinds the
# scenario relies on and the boot file each must be given.
scen_probes() {
	case $1 in
	bios-pxelinux | proxy-bios) echo "pxelinux.0|$IPXE_BIOS" ;;
	bios-lpxelinux) echo "lpxelinux.0|$IPXE_BIOS" ;;
	bios-ipxe) echo "http://$SRV/bios-ipxe.ipxe|$IPXE_BIOS" ;;
	uefi-syslinux | proxy-uefi) echo "syslinux.efi|$EDK2_PXE" ;;
	uefi-ipxe) echo "ipxe.efi|$EDK2_PXE"; echo "http://$SRV/uefi-ipxe.ipxe|$IPXE_EFI" ;;
	uefi-http) echo "http://$SRV/snponly.efi|$EDK2_HTTP"; echo "http://$SRV/uefi-http.ipxe|$IPXE_EFI" ;;
	four-at-once) echo "pxelinux.0|$IPXE_BIOS"; echo "syslinux.efi|$EDK2_PXE" ;;
	image-bios) echo "boot/syslinux/lpxelinux.0|$IPXE_BIOS" ;;
	image-uefi) echo "boot/syslinux/syslinux.efi|$EDK2_PXE" ;;
	esac
}

# ---------------------------------------------------------------- runs
DHCPD_PID=""
SITE_PID=""
stop_dhcp() {
	[ -n "$DHCPD_PID" ] && stop_pid "$DHCPD_PID"; DHCPD_PID=""
	[ -n "$SITE_PID" ] && stop_pid "$SITE_PID"; SITE_PID=""
	[ -n "${E2E_RA_PID:-}" ] && stop_pid "$E2E_RA_PID"; E2E_RA_PID=""
}
# ra_for SCENARIO: whether the link has router advertisements from ra_send
ra_for() { case $1 in *6 | site-bios-pxelinux) return 1 ;; esac; }
start_site6_dhcp() { # start_site6_dhcp: a second pxe-dhcpd, full mode, addresses
	if ! ip netns list | grep -q "^$SITE_NS\b"; then
		e2e_side_ns "$SITE_NS" site0 52:54:00:e2:e1:02 "$E2E_NET.2/24" || return 1
	fi
	in_ns "$SITE_NS" ip -6 addr replace "$E2E_NET6::2/64" dev site0 nodad || return 1
	site6_conf >"$T_TMP/site6.conf"
	start_bg "$T_TMP/udhcpd-$SCEN.log" ip netns exec "$SITE_NS" "$DHCPD" --log-level debug -c "$T_TMP/site6.conf"
	SITE_PID=$T_LAST_PID
	wait_for 5 e2e_ns_bound "$SITE_NS" udp 547
}
start_site_dhcp() { # start_site_dhcp [BOOTFILE]: busybox udhcpd, the site's plain DHCP server
	if ! ip netns list | grep -q "^$SITE_NS\b"; then
		e2e_side_ns "$SITE_NS" site0 52:54:00:e2:e1:02 "$E2E_NET.2/24" || return 1
	fi
	cat >"$T_TMP/udhcpd.conf" <<EOT
start $E2E_NET.50
end $E2E_NET.99
interface site0
lease_file $T_TMP/udhcpd.leases
pidfile $T_TMP/udhcpd.pid
option subnet 255.255.255.0
option router $E2E_NET.2
option lease 600
EOT
	[ -n "${1:-}" ] && printf 'siaddr %s\nboot_file %s\n' "$SRV" "$1" >>"$T_TMP/udhcpd.conf"
	: >"$T_TMP/udhcpd.leases"
	start_bg "$T_TMP/udhcpd-$SCEN.log" ip netns exec "$SITE_NS" busybox udhcpd -f "$T_TMP/udhcpd.conf"
	SITE_PID=$T_LAST_PID
	wait_for 5 e2e_ns_bound "$SITE_NS" udp 67
}

# prepare SCENARIO: root, config, check, daemons, probes. Returns 1 with
# SKIP_WHY, or with FAIL_WHY when the served root is what is broken.
prepare() {
	local conf=$T_TMP/$SCEN.conf line want args out
	case $SCEN in
	image-*)
		image_make || { SKIP_WHY=$SERVE_WHY; return 1; }
		image_serve || { FAIL_WHY=$SERVE_WHY; return 1; } ;;
	*) serve_root "$E2E_ROOT" dir || { FAIL_WHY=$SERVE_WHY; return 1; } ;;
	esac
	case $SCEN in
	site-bios-pxelinux) start_site_dhcp pxelinux.0 ;;
	site-bios-lpxelinux) start_site_dhcp lpxelinux.0 ;;
	site-uefi-syslinux) start_site_dhcp syslinux.efi ;;
	esac
	case $SCEN in site-*)
		[ -n "$SITE_PID" ] && e2e_ns_bound "$SITE_NS" udp 67 || { SKIP_WHY="site udhcpd did not start"; return 1; }
		: >"$T_TMP/dhcpd-$SCEN.log"
		return 0 ;;
	esac
	[ "${E2E_DHCP:-}" = dnsmasq ] && { start_dnsmasq; return; }
	scen_conf "$SCEN" >"$conf"
	out=$(in_ns "$E2E_NS" "$DHCPD" -c "$conf" --check-config 2>&1) || {
		SKIP_WHY="pxe-dhcpd rejects the config: $(echo "$out" | grep -v '^$' | tail -1)"; return 1; }
	local port=67 v=()
	case $SCEN in
	proxy-uefi6) start_site6_dhcp || { SKIP_WHY="the address server (pxe-dhcpd) did not start"; return 1; } ;;
	proxy-*) start_site_dhcp || { SKIP_WHY="site udhcpd did not start"; return 1; } ;;
	esac
	# debug: the DHCPv6 exchanges in the log (what the firmware sent)
	case $SCEN in *6) port=547 v=(--log-level debug) ;; esac
	start_bg "$T_TMP/dhcpd-$SCEN.log" ip netns exec "$E2E_NS" "$DHCPD" "${v[@]}" -c "$conf"
	DHCPD_PID=$T_LAST_PID
	wait_for 5 e2e_ns_bound "$E2E_NS" udp $port ||
		{ SKIP_WHY="pxe-dhcpd did not start: $(tail -2 "$T_TMP/dhcpd-$SCEN.log" | tr '\n' ' ')"; return 1; }
	E2E_PROBE_ACCEPT_43=""
	case $SCEN in proxy-*) E2E_PROBE_ACCEPT_43=1 ;; esac
	while IFS='|' read -r want args; do
		# shellcheck disable=SC2086
		e2e_probe "$PROBE_NS" probe0 "$PROBE_MAC" "$want" $args || {
			SKIP_WHY="pxe-dhcpd does not give '$want' to a client like [$args] yet (got: $PROBE_GOT)"
			return 1; }
	done < <(scen_probes "$SCEN")
	return 0
}

# The reference: dnsmasq with the boot choices of scen_conf.
dnsmasq_args() {
	local u=http://$SRV
	echo "--dhcp-match=set:bios,option:client-arch,0 --dhcp-match=set:efi64,option:client-arch,7"
	echo "--dhcp-match=set:efi64,option:client-arch,9 --dhcp-match=set:efihttp,option:client-arch,16"
	echo "--dhcp-userclass=set:ipxe,iPXE"
	case $SCEN in
	proxy-*) echo "--dhcp-range=$E2E_NET.0,proxy" ;;
	*) echo "--dhcp-range=$E2E_NET.100,$E2E_NET.199,255.255.255.0,10m --dhcp-option=3,$SRV" ;;
	esac
	case $SCEN in
	bios-pxelinux) echo "--dhcp-boot=tag:bios,pxelinux.0" ;;
	bios-lpxelinux) echo "--dhcp-boot=tag:bios,lpxelinux.0" ;;
	bios-ipxe) echo "--dhcp-boot=tag:ipxe,$u/bios-ipxe.ipxe --dhcp-boot=tag:bios,tag:!ipxe,undionly.kpxe" ;;
	uefi-syslinux) echo "--dhcp-boot=tag:efi64,syslinux.efi" ;;
	uefi-ipxe) echo "--dhcp-boot=tag:ipxe,$u/uefi-ipxe.ipxe --dhcp-boot=tag:efi64,tag:!ipxe,ipxe.efi" ;;
	uefi-http) echo "--dhcp-boot=tag:ipxe,$u/uefi-http.ipxe --dhcp-boot=tag:efihttp,tag:!ipxe,$u/snponly.efi"
		echo "--dhcp-option-force=tag:efihttp,60,HTTPClient" ;;
	proxy-bios) echo "--pxe-service=x86PC,e2e,pxelinux" ;;
	proxy-uefi) echo "--pxe-service=X86-64_EFI,e2e,syslinux.efi" ;;
	four-at-once) echo "--dhcp-boot=tag:bios,pxelinux.0 --dhcp-boot=tag:efi64,syslinux.efi" ;;
	image-bios) echo "--dhcp-boot=tag:bios,boot/syslinux/lpxelinux.0" ;;
	image-uefi) echo "--dhcp-boot=tag:efi64,boot/syslinux/syslinux.efi" ;;
	esac
}
start_dnsmasq() {
	have dnsmasq || { SKIP_WHY="E2E_DHCP=dnsmasq needs dnsmasq (dnsmasq-base)"; return 1; }
	case $SCEN in proxy-*) start_site_dhcp || { SKIP_WHY="site udhcpd did not start"; return 1; } ;; esac
	# shellcheck disable=SC2046
	start_bg "$T_TMP/dhcpd-$SCEN.log" ip netns exec "$E2E_NS" dnsmasq --no-daemon --conf-file=/dev/null \
		--port=0 --interface=br0 --bind-interfaces --user=root --group=root --pid-file= \
		--dhcp-leasefile="$T_TMP/dnsmasq-$SCEN.leases" --log-dhcp --log-facility=- $(dnsmasq_args)
	DHCPD_PID=$T_LAST_PID
	wait_for 5 e2e_ns_bound "$E2E_NS" udp 67 ||
		{ SKIP_WHY="dnsmasq did not start: $(tail -2 "$T_TMP/dhcpd-$SCEN.log" | tr '\n' ' ')"; return 1; }
	local want args
	E2E_PROBE_ACCEPT_43=""
	case $SCEN in proxy-*) E2E_PROBE_ACCEPT_43=1 ;; esac
	while IFS='|' read -r want args; do
		# shellcheck disable=SC2086
		e2e_probe "$PROBE_NS" probe0 "$PROBE_MAC" "$want" $args ||
			echo "note: $SCEN: the probe would SKIP with dnsmasq: got $PROBE_GOT for [$args]"
	done < <(scen_probes "$SCEN")
	return 0
}

# Per-VM boot files: a pxelinux.cfg for the MAC, or an iPXE script.
vm_files() { # vm_files SCENARIO-OF-VM MAC
	case $1 in
	image-*) ;; # in the image already (image_make)
	*lpxelinux*) e2e_pxelinux_cfg "$2" "$1" "http://$SRV/" ;;
	*6) e2e_ipxe_script "$1" "" "[$SRV6]" ;;
	*ipxe* | uefi-http) e2e_ipxe_script "$1" ;;
	*) e2e_pxelinux_cfg "$2" "$1" ;;
	esac
}

VMN=0
# boot_vms NAME:FW...: start the VMs, wait for all; sets BOOT_FAILS.
boot_vms() {
	local spec name fw mac pids=() names=() i extra
	BOOT_FAILS=()
	for spec; do
		name=${spec%%:*}; fw=${spec#*:}
		VMN=$((VMN + 1)); mac=$(scen_mac "$name")
		e2e_tap "tap$VMN"
		vm_files "$name" "$mac"
		extra=()
		[ "$SCEN" = uefi-http ] && extra=(-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no)
		e2e_vm_start "$name" "$fw" "tap$VMN" "$mac" "${extra[@]}"
		pids+=("$E2E_VM_PID"); names+=("$name")
	done
	for i in "${!pids[@]}"; do
		e2e_vm_wait "${names[$i]}" "${pids[$i]}" || BOOT_FAILS+=("${names[$i]}: $E2E_VM_RESULT")
	done
}

show_logs() { # the daemons' lines of this scenario
	local f
	echo "    --- pxe-dhcpd ($SCEN):"; sed 's/^/    dhcpd| /' "$T_TMP/dhcpd-$SCEN.log" | tail -40
	[ -e "$T_TMP/udhcpd-$SCEN.log" ] && { echo "    --- site udhcpd:"; sed 's/^/    udhcpd| /' "$T_TMP/udhcpd-$SCEN.log" | tail -15; }
	echo "    --- pxe-tftpd:"; tail -n +"$((TFTP_AT + 1))" "$LOG_TFTPD" | sed 's/^/    tftpd| /' | tail -30
	echo "    --- pxe-httpd:"; tail -n +"$((HTTP_AT + 1))" "$LOG_HTTPD" | sed 's/^/    httpd| /' | tail -20
	for f in "${CUR_VMS[@]}"; do echo "    --- console $f: $(e2e_console_tail "$f")"; done
}

# boot_scenario: the VMs of $SCEN, started together; sets BOOT_FAILS,
# CUR_VMS and t0.
boot_scenario() {
	case $SCEN in
	four-at-once)
		CUR_VMS=(four-bios1 four-bios2 four-uefi1 four-uefi2)
		local saved=$E2E_VM_TIMEOUT; E2E_VM_TIMEOUT=${E2E_FOUR_TIMEOUT:-480}
		t0=$(e2e_now); boot_vms four-bios1:bios four-bios2:bios four-uefi1:uefi four-uefi2:uefi
		E2E_VM_TIMEOUT=$saved ;;
	*bios-* | proxy-bios | image-bios) CUR_VMS=("$SCEN"); t0=$(e2e_now); boot_vms "$SCEN:bios" ;;
	*6) CUR_VMS=("$SCEN"); t0=$(e2e_now); boot_vms "$SCEN:uefi6" ;;
	*) CUR_VMS=("$SCEN"); t0=$(e2e_now); boot_vms "$SCEN:uefi" ;;
	esac
}

# tests/run-all gives this script 1800 s: start a scenario only when its
# worst case (VM limit + 30 s of setup) still ends within the budget.
BUDGET_END=$((SECONDS + ${E2E_BUDGET:-1650}))
for SCEN in $ALL_SCENARIOS; do
	[ -n "${E2E_ONLY:-}" ] && ! [[ $SCEN =~ $E2E_ONLY ]] && continue
	worst=$((E2E_VM_TIMEOUT + 30))
	[ "$SCEN" = four-at-once ] && worst=$((${E2E_FOUR_TIMEOUT:-480} + 30))
	if [ $((SECONDS + worst)) -gt $BUDGET_END ]; then
		skip "$SCEN: time budget (E2E_BUDGET=${E2E_BUDGET:-1650}s) used up by earlier scenarios"
		continue
	fi
	SKIP_WHY="" FAIL_WHY=""
	if ra_for "$SCEN" && ! e2e_ra_start $((2 * worst + 30)); then
		fail "$SCEN: router advertisements (tests/tools/ra_send) did not start"
		continue
	fi
	if ! prepare; then
		if [ -n "$FAIL_WHY" ]; then fail "$SCEN: $FAIL_WHY"; else skip "$SCEN: $SKIP_WHY"; fi
		stop_dhcp
		continue
	fi
	# One retry of a failed boot: under TCG on a shared 2-core machine a
	# firmware can miss its own timeouts when starved of CPU. The first
	# failure is shown in full and named in the PASS line, so a daemon bug
	# that fails now and then stays visible; two failures in a row FAIL.
	first_fail=""
	for try in 1 2; do
		TFTP_AT=$(wc -l <"$LOG_TFTPD"); HTTP_AT=$(wc -l <"$LOG_HTTPD")
		boot_scenario
		secs=$(e2e_secs_since "$t0")
		[ ${#BOOT_FAILS[@]} -eq 0 ] && break
		[ $try = 2 ] && break
		echo "FLAKY $SCEN ${secs}s, first try failed, trying again: ${BOOT_FAILS[*]}"
		show_logs
		first_fail="${BOOT_FAILS[*]}"
		[ $((SECONDS + worst)) -gt $BUDGET_END ] && break
	done
	# Not part of the retry: a file served from the wrong place is no flake.
	case $SCEN in image-*) [ ${#BOOT_FAILS[@]} -eq 0 ] && image_proof ;; esac
	if [ ${#BOOT_FAILS[@]} -eq 0 ]; then
		pass "$SCEN ${secs}s${first_fail:+ (second try; the first failed: $first_fail)}"
	else
		fail "$SCEN ${secs}s: ${BOOT_FAILS[*]}${first_fail:+ (first try: $first_fail)}"
		show_logs
	fi
	stop_dhcp
done

# The record of what the firmware asked pxe-tftpd for.
sleep 0.3
[ -n "${E2E_CAPTURE_PID:-}" ] && stop_pid "$E2E_CAPTURE_PID"
echo "--- TFTP requests seen on the wire (count, file, options):"
e2e_tftp_options "$E2E_PCAP" | sed 's/^/    /'
echo "--- DHCPv6 messages seen on the wire (count, kind, options):"
e2e_dhcp6_messages "$E2E_PCAP" | sed 's/^/    /'
echo "--- pxe-tftpd's transfer lines with options:"
cat "$T_TMP"/tftpd-*.log | grep -aE 'blksize|windowsize|tsize' | head -40 | sed 's/^/    /'
if [ -n "${E2E_KEEP:-}" ]; then rm -rf "$E2E_KEEP"; cp -a "$T_TMP" "$E2E_KEEP"; echo "kept $E2E_KEEP"; fi
t_done
