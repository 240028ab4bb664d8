#!/bin/bash
# SPDX-License-Identifier: MIT
# End-to-end: OVMF's UEFI HTTPS Boot through pxe-dhcpd and pxe-httpd's TLS.
# The servers run in a private namespace (bridge br0, 198.18.10.1/24, one
# tap); nothing touches the root namespace.
#
#   OVMF HTTP Boot (PXE off) -> DHCPv4 [boot] hands out
#   https://198.18.10.1/snponly.efi -> OVMF's TLS 1.2 handshake with a
#   pxe-httpd serving HTTPS only (its CA given to the firmware by fw_cfg
#   etc/edk2/https/cacerts, made by pxe-httpd --tls-efi-ca) -> snponly.efi
#   (iPXE) -> its script, kernel and initrd over plain HTTP from a second
#   pxe-httpd -> the guest downloads root.img and prints NETBOOT-OK.
#
# PASS needs NETBOOT-OK on the console and the firmware's GET of
# /snponly.efi (User-Agent UefiHttpBoot, from the VM's address) in the
# HTTPS server's access log: the firmware's download did go over TLS.
# A second VM without the CA must fail its handshake (the control).
#   E2E_VM_TIMEOUT=S  limit of the VM (default 240)
#   E2E_NOCA_TIMEOUT=S  limit of the control VM (default 75)
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/_lib_e2e.sh"
e2e_need_tools e2e-https
for b in "$DHCPD" "$HTTPD"; do
	[ -x "$b" ] || { skip "e2e-https: $b not built (run make)"; t_exit 77; }
done
have python3 || { skip "e2e-https: needs python3"; t_exit 77; }
have openssl || { skip "e2e-https: needs openssl"; t_exit 77; }
e2e_tree e2e-https
echo "accel: $(e2e_accel_why)"
SRV=$E2E_SERVER
SCEN=uefi-https

e2e_net_up "pxe-e2e-https-$$" || { fail "e2e-https: namespace setup"; t_done; }
PROBE_NS=pxe-e2e-https-$$-c
PROBE_MAC=52:54:00:e2:e1:11
e2e_side_ns "$PROBE_NS" probe0 "$PROBE_MAC" || { fail "e2e-https: probe namespace"; t_done; }
e2e_serve_root

# ---- the certificate: RSA (OVMF's suites are all RSA), the server's
# address as an IP subjectAltName (the firmware checks it)
C=$T_TMP/certs
mkdir -p "$C"
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -keyout "$C/https.key" -out "$C/https.pem" \
	-subj "/CN=$SRV" -addext "subjectAltName=IP:$SRV" >"$C/req.log" 2>&1 ||
	{ fail "e2e-https: openssl req: $(tail -1 "$C/req.log")"; t_done; }
"$HTTPD" --tls-efi-ca "$C/https.pem" >"$C/cacerts.bin" ||
	{ fail "e2e-https: pxe-httpd --tls-efi-ca"; t_done; }

# ---- the servers: HTTPS only on 443 (its own logs), plain HTTP on 80
LOG_TLS=$T_TMP/httpd-tls.log ALOG_TLS=$T_TMP/httpd-tls-access.log
LOG_HTTP=$T_TMP/httpd-plain.log
start_bg "$LOG_TLS" ip netns exec "$E2E_NS" "$HTTPD" "$E2E_ROOT" --tls-listen "$SRV:443" \
	--tls-cert "$C/https.pem" --tls-key "$C/https.key" --log "$ALOG_TLS" --log-level debug
TLS_PID=$T_LAST_PID
start_bg "$LOG_HTTP" ip netns exec "$E2E_NS" "$HTTPD" "$E2E_ROOT" --addr "$SRV" --port 80
wait_for 10 e2e_ns_bound "$E2E_NS" tcp 443 || { fail "e2e-https: pxe-httpd (TLS) did not start: $(tail -3 "$LOG_TLS")"; t_done; }
wait_for 10 e2e_ns_bound "$E2E_NS" tcp 80 || { fail "e2e-https: pxe-httpd did not start: $(tail -3 "$LOG_HTTP")"; t_done; }
# the namespace's own look first: the certificate verifies for the address
got=$(in_ns "$E2E_NS" curl -sS --noproxy '*' --cacert "$C/https.pem" -o /dev/null -w '%{http_code}' \
	"https://$SRV/snponly.efi" 2>&1)
[ "$got" = 200 ] || { fail "e2e-https: curl over HTTPS in the namespace: $got"; t_done; }

# ---- pxe-dhcpd: HTTP Boot clients get the https:// URL, iPXE its script
cat >"$T_TMP/dhcpd.conf" <<EOT
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
file = http://\${server}/$SCEN.ipxe

[boot https]
match = arch:x64-uefi-http
file = https://\${server}/snponly.efi
EOT
out=$(in_ns "$E2E_NS" "$DHCPD" -c "$T_TMP/dhcpd.conf" --check-config 2>&1) ||
	{ skip "e2e-https: pxe-dhcpd rejects the config: $(echo "$out" | tail -1)"; t_exit 77; }
start_bg "$T_TMP/dhcpd.log" ip netns exec "$E2E_NS" "$DHCPD" -c "$T_TMP/dhcpd.conf"
wait_for 5 e2e_ns_bound "$E2E_NS" udp 67 || { fail "e2e-https: pxe-dhcpd did not start: $(tail -2 "$T_TMP/dhcpd.log")"; t_done; }
e2e_probe "$PROBE_NS" probe0 "$PROBE_MAC" "https://$SRV/snponly.efi" $EDK2_HTTP ||
	{ skip "e2e-https: pxe-dhcpd does not give the https:// URL to HTTP Boot yet (got: $PROBE_GOT)"; t_exit 77; }

# ---- the VM, on a link with router advertisements (the iPXE it chains
# would wait 16 s for IPv6 router discovery without: e2e_ra_start)
e2e_ra_start 600 || { fail "e2e-https: router advertisements (tests/tools/ra_send) did not start"; t_done; }
e2e_ipxe_script "$SCEN"
e2e_tap tap1
t0=$(e2e_now)
e2e_vm_start "$SCEN" uefi tap1 "$(e2e_mac 201)" \
	-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no \
	-fw_cfg "name=etc/edk2/https/cacerts,file=$C/cacerts.bin"
ok=0
e2e_vm_wait "$SCEN" "$E2E_VM_PID" && ok=1
secs=$(e2e_secs_since "$t0")
sleep 0.6 # the access log is written every 500 ms
# the firmware's line, not the namespace's own curl above
fw_got() { grep -aqE "^$E2E_NET\.1[0-9][0-9] .*\"GET /snponly.efi HTTP/1.1\" 200 .*UefiHttpBoot" "$ALOG_TLS"; }
if [ $ok = 1 ] && fw_got; then
	pass "$SCEN ${secs}s: OVMF fetched snponly.efi over HTTPS and booted"
else
	[ $ok = 1 ] && E2E_VM_RESULT="booted, but no GET /snponly.efi in the HTTPS server's log"
	fail "$SCEN ${secs}s: $E2E_VM_RESULT"
	echo "    --- pxe-dhcpd:"; tail -20 "$T_TMP/dhcpd.log" | sed 's/^/    dhcpd| /'
	echo "    --- pxe-httpd (TLS):"; tail -20 "$LOG_TLS" | sed 's/^/    https| /'
	echo "    --- its access log:"; tail -10 "$ALOG_TLS" 2>/dev/null | sed 's/^/    https| /'
	echo "    --- pxe-httpd (plain):"; tail -10 "$LOG_HTTP" | sed 's/^/    http| /'
	echo "    --- console: $(e2e_console_tail "$SCEN")"
fi
# ---- the control: without the CA the firmware must refuse the server
# (so the pass above is the enrolment's doing, not a firmware that trusts
# anything). It never boots: bounded by E2E_NOCA_TIMEOUT.
e2e_tap tap2
at=$(wc -l <"$ALOG_TLS")
saved=$E2E_VM_TIMEOUT
E2E_VM_TIMEOUT=${E2E_NOCA_TIMEOUT:-75}
e2e_vm_start "$SCEN-noca" uefi tap2 "$(e2e_mac 202)" \
	-fw_cfg name=opt/org.tianocore/IPv4PXESupport,string=no
e2e_vm_wait "$SCEN-noca" "$E2E_VM_PID" && booted=1 || booted=0
E2E_VM_TIMEOUT=$saved
# Debian 12's OVMF without TlsCaCertificate does not even connect: its
# console says "Error: Could not retrieve NBP file size from HTTP server."
sleep 0.6
fetched=$(tail -n +"$((at + 1))" "$ALOG_TLS" | grep -ac UefiHttpBoot)
why=$(sed -e 's/\r//g' "$T_TMP/$SCEN-noca.serial" | grep -a -m1 'Error:' | sed 's/^ *//')
if [ $booted = 0 ] && [ "$fetched" = 0 ] && [ -n "$why" ]; then
	pass "$SCEN without the CA: the firmware does not fetch over HTTPS ($why)"
else
	fail "$SCEN without the CA: booted=$booted, firmware requests served=$fetched; console: $(e2e_console_tail "$SCEN-noca")"
fi

echo "--- the HTTPS server's TLS lines (what the firmware negotiated):"
grep -aE "event=tls" "$LOG_TLS" | head -10 | sed 's/^/    /'
if [ -n "${E2E_KEEP:-}" ]; then rm -rf "$E2E_KEEP"; cp -a "$T_TMP" "$E2E_KEEP"; echo "kept $E2E_KEEP"; fi
stop_pid "$TLS_PID"
t_done
