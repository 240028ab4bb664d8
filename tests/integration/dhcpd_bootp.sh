#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd: BOOTP clients (RFC 951, RFC 1542, RFC 1534), the lease time a
# client asks for (option 51: busybox udhcpc -x lease:N, dhclient
# "send dhcp-lease-time", crafted), and option overload in replies
# (RFC 2132 §9.3: a crafted DISCOVER with option 57 = 576). All inside
# network namespaces made here:
#   S (server): bridge br0 198.18.0.1/24, route to 198.18.16.0/20 via R
#   Cn (clients): eth0 on br0
#   R (relay agent): 198.18.0.2/24 and 198.18.16.1/20 on eth0
# No DHCP or BOOTP leaves these namespaces.
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_bootp
need_cmd ip ss python3 busybox
HERE=$(cd "$(dirname "$0")" && pwd)
PYC="$PY $HERE/dhcpd_client.py"
[ -x "$DHCPD" ] || { fail "dhcpd_bootp: $DHCPD not built"; t_done; }

. "$HERE/dhcpd_lib.sh"
dhcp_topology pxb$$ 02:54:45:ff:ff:01

A100=$(printf 'a%.0s' $(seq 100)) B100=$(printf 'b%.0s' $(seq 100)) C100=$(printf 'c%.0s' $(seq 100))
D40=$(printf 'd%.0s' $(seq 40)) E40=$(printf 'e%.0s' $(seq 40))
CONF=$T_TMP/dhcpd.conf
LEASES=$T_TMP/leases
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
leasefile = $LEASES
lease-time = 10m
bootp-dynamic = no
log-level = debug

[subnet 198.18.0.0/24]
range = 198.18.0.100-198.18.0.150
router = 198.18.0.1
dns = 198.18.0.1
option = 224:"$A100"
option = 225:"$B100"
option = 226:"$C100"
option = 227:"$D40"
option = 228:"$E40"

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.16.20
router = 198.18.16.1
bootp-dynamic = yes
max-lease-time = 1h
min-lease-time = 5m

[host bootp-fixed]
mac = 02:54:45:00:00:60
address = 198.18.0.60

[boot bootp-fixed]
match = mac:02:54:45:00:00:60
file = pxelinux.0
next-server = 198.18.0.9

[boot overload-file]
match = mac:02:54:45:00:03:02
file = boot/grubx64.efi
EOF

SRV_PID=
start_server() {
	start_bg "$T_TMP/server.log" ip netns exec "$S" "$DHCPD" -c "$CONF"
	SRV_PID=$T_LAST_PID
	wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ."
}
"$DHCPD" -c "$CONF" --check-config >"$T_TMP/check.out" 2>&1
check "the config with the new keys passes --check-config" [ $? = 0 ]
"$DHCPD" -c "$CONF" --print-config >"$T_TMP/print.out" 2>&1
check "--print-config shows bootp-dynamic, max- and min-lease-time" \
	grep -q "^max-lease-time = " "$T_TMP/print.out"
check "--print-config shows the subnet's bootp-dynamic" grep -q "^bootp-dynamic = yes" "$T_TMP/print.out"
"$DHCPD" --help >"$T_TMP/help.out" 2>&1
check "--help names bootp-dynamic and min-lease-time" \
	sh -c "grep -q -- --bootp-dynamic '$T_TMP/help.out' && grep -q -- --min-lease-time '$T_TMP/help.out'"
start_server || { fail "server start"; cat "$T_TMP/server.log"; t_done; }

# cond NAME 'EXPR': PASS when the shell expression holds
cond() { local n=$1; shift; if eval "$*"; then pass "$n"; else fail "$n"; fi; }
jf() { $PY -c 'import json,sys
r = {}
for l in sys.stdin:
    l = l.strip()
    if l: r = json.loads(l)
v = r
for k in sys.argv[1].split("."): v = v.get(k, "") if isinstance(v, dict) else ""
print(v)' "$1"; }
hexof() { printf %s "$1" | od -An -v -tx1 | tr -d ' \n'; }

# ---- BOOTP: a reserved host, without and with the RFC 1048 cookie
dhcp_client 1 02:54:45:00:00:60
B1=$(timeout 15 ip netns exec "${P}1" $PYC bootp --iface eth0 --mac 02:54:45:00:00:60 --no-cookie | tail -1)
cond "BOOTP reserved, no cookie: BOOTREPLY with the fixed address" \
	'[ "$(jf type <<<"$B1")" = BOOTP ] && [ "$(jf op <<<"$B1")" = 2 ] && [ "$(jf yiaddr <<<"$B1")" = 198.18.0.60 ]'
cond "BOOTP no cookie: 300 bytes, zero vend area, no options" \
	'[ "$(jf raw_len <<<"$B1")" = 300 ] && [ "$(jf vend_zero <<<"$B1")" = True ] && [ "$(jf opts <<<"$B1")" = "{}" ]'
cond "BOOTP: boot file in file, next-server in siaddr" \
	'[ "$(jf file <<<"$B1")" = pxelinux.0 ] && [ "$(jf siaddr <<<"$B1")" = 198.18.0.9 ]'
B2=$(timeout 15 ip netns exec "${P}1" $PYC bootp --iface eth0 --mac 02:54:45:00:00:60 --prl 1,3,6,51,54 | tail -1)
cond "BOOTP reserved, cookie: mask, router and DNS" \
	'[ "$(jf opts.1 <<<"$B2")" = ffffff00 ] && [ "$(jf opts.3 <<<"$B2")" = c6120001 ] && [ "$(jf opts.6 <<<"$B2")" = c6120001 ]'
cond "BOOTP: no option 53, 51, 54, 58, 59; 300 bytes" \
	'[ -z "$(jf opts.53 <<<"$B2")$(jf opts.51 <<<"$B2")$(jf opts.54 <<<"$B2")$(jf opts.58 <<<"$B2")$(jf opts.59 <<<"$B2")" ] && [ "$(jf raw_len <<<"$B2")" = 300 ]'
check "BOOTP reserved: no lease line (the reservation is the binding)" \
	sh -c "! grep -q 'ip=198.18.0.60 ' '$LEASES' 2>/dev/null"
check "BOOTP logged like the other replies" \
	grep -q "type=bootp mac=02:54:45:00:00:60 .*reply=bootreply ip=198.18.0.60" "$T_TMP/server.log"

# ---- BOOTP without a reservation: refused where bootp-dynamic = no
dhcp_client 2 02:54:45:00:00:61
B3=$(timeout 15 ip netns exec "${P}2" $PYC bootp --iface eth0 --mac 02:54:45:00:00:61 | tail -1)
check "BOOTP unknown client, bootp-dynamic = no: no reply" [ "$(jf type <<<"$B3")" = TIMEOUT ]
check "BOOTP refusal logged with its reason" \
	grep -q "type=bootp mac=02:54:45:00:00:61 .*why=\"\\?BOOTP client without a reserved address" "$T_TMP/server.log"

# ---- BOOTP dynamic (relayed into the bootp-dynamic subnet): no expiry
B4=$(timeout 15 ip netns exec "$R" $PYC bootp --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:45:00:01:01 | tail -1)
DIP=$(jf yiaddr <<<"$B4")
cond "BOOTP dynamic: an address from the range ($DIP), via the relay" \
	'[[ $DIP =~ ^198\.18\.16\.(1[0-9]|20)$ ]] && [ "$(jf from <<<"$B4")" = 198.18.0.1:67 ]'
check "BOOTP dynamic: lease line with until=never" grep -q "add mac=02:54:45:00:01:01 ip=$DIP until=never " "$LEASES"
check "BOOTP dynamic: no lease time in the reply" [ -z "$(jf opts.51 <<<"$B4")" ]
"$DHCPD" -c "$CONF" --leases >"$T_TMP/leases.txt" 2>&1
check "--leases shows the BOOTP lease as never expiring" grep -q "^$DIP .*02:54:45:00:01:01 *never " "$T_TMP/leases.txt"
stop_pid "$SRV_PID"
start_server || fail "server restart"
B5=$(timeout 15 ip netns exec "$R" $PYC bootp --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:45:00:01:01 | tail -1)
check "BOOTP dynamic: the same address after a restart" [ "$(jf yiaddr <<<"$B5")" = "$DIP" ]
check "BOOTP dynamic: asking again writes no new line" [ "$(grep -c "mac=02:54:45:00:01:01 " "$LEASES")" = 1 ]

# ---- requested lease time: udhcpc -x lease:N
UDHCPC_SCRIPT=$T_TMP/udhcpc.sh
cat >"$UDHCPC_SCRIPT" <<'EOF'
#!/bin/sh
echo "$1 ${ip:-} ${lease:-}" >>"$UDHCPC_LOG"
EOF
chmod +x "$UDHCPC_SCRIPT"
dhcp_client 3 02:54:45:00:00:63
UDHCPC_LOG=$T_TMP/u1.log timeout 20 ip netns exec "${P}3" busybox udhcpc -i eth0 -f -q -n -t 5 -T 1 \
	-s "$UDHCPC_SCRIPT" -x lease:300 >"$T_TMP/u1.out" 2>&1
check "udhcpc asks for 300 s of 600: granted 300" grep -q "^bound 198.18.0.[0-9]* 300$" "$T_TMP/u1.log"
UDHCPC_LOG=$T_TMP/u2.log timeout 20 ip netns exec "${P}3" busybox udhcpc -i eth0 -f -q -n -t 5 -T 1 \
	-s "$UDHCPC_SCRIPT" -x lease:7200 >"$T_TMP/u2.out" 2>&1
check "udhcpc asks for 7200 s: capped at lease-time 600 (max-lease-time default)" \
	grep -q "^bound 198.18.0.[0-9]* 600$" "$T_TMP/u2.log"

# ---- dhclient: send dhcp-lease-time
if have dhclient; then
	dhcp_client 4 02:54:45:00:00:64
	printf 'send dhcp-lease-time 120;\n' >"$T_TMP/dhclient.conf"
	DHL=$T_TMP/dhclient.leases
	timeout 20 ip netns exec "${P}4" dhclient -1 -v -cf "$T_TMP/dhclient.conf" -lf "$DHL" \
		-pf "$T_TMP/dhclient.pid" -sf /bin/true eth0 >>"$T_TMP/dhclient.out" 2>&1
	[ -f "$T_TMP/dhclient.pid" ] && kill "$(cat "$T_TMP/dhclient.pid")" 2>/dev/null
	check "dhclient asks for 120 s: granted 120" grep -q "option dhcp-lease-time 120;" "$DHL"
	check "dhclient: T1 60, T2 105" \
		sh -c "grep -q 'option dhcp-renewal-time 60;' '$DHL' && grep -q 'option dhcp-rebinding-time 105;' '$DHL'"
else
	skip "dhclient: not installed"
fi

# ---- crafted, relayed subnet: max-lease-time 1h, min-lease-time 5m
L1=$(timeout 20 ip netns exec "$R" $PYC dora --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:45:00:02:01 --lease-time 7200 | tail -1)
cond "asks for 2h where max-lease-time = 1h: ACK with 3600, T1 1800, T2 3150" \
	'[ "$(jf type <<<"$L1")" = ACK ] && [ "$(jf opts.51 <<<"$L1")" = 00000e10 ] && [ "$(jf opts.58 <<<"$L1")" = 00000708 ] && [ "$(jf opts.59 <<<"$L1")" = 00000c4e ]'
[ "$(jf type <<<"$L1")" = ACK ] || { echo "    got: $L1"; tail -n 12 "$T_TMP/server.log" | sed 's/^/    server: /'; }
L2=$(timeout 20 ip netns exec "$R" $PYC dora --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:45:00:02:02 --lease-time 60 | tail -1)
check "asks for 60 s where min-lease-time = 5m: 300" [ "$(jf opts.51 <<<"$L2")" = 0000012c ]
L3=$(timeout 20 ip netns exec "$R" $PYC dora --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:45:00:02:03 --lease-time 1800 | tail -1)
check "asks for 30 min (within the limits): 1800" [ "$(jf opts.51 <<<"$L3")" = 00000708 ]

# ---- overload: option 57 = 576 and five large options asked for
dhcp_client 5 02:54:45:00:03:01
O1=$(timeout 15 ip netns exec "${P}5" $PYC discover --iface eth0 --mac 02:54:45:00:03:01 --max-size 576 --prl 1,3,6,224,225,226,227,228 | tail -1)
cond "overload: OFFER within 576 bytes of IP ($(jf raw_len <<<"$O1") of DHCP)" \
	'[ "$(jf type <<<"$O1")" = OFFER ] && [ "$(jf raw_len <<<"$O1")" -le 548 ]'
check "overload: option 52 = 3 (file and sname)" [ "$(jf opts.52 <<<"$O1")" = 03 ]
cond "overload: all five large options arrive whole" \
	'[ "$(jf opts.224 <<<"$O1")" = "$(hexof "$A100")" ] && [ "$(jf opts.225 <<<"$O1")" = "$(hexof "$B100")" ] && [ "$(jf opts.226 <<<"$O1")" = "$(hexof "$C100")" ] && [ "$(jf opts.227 <<<"$O1")" = "$(hexof "$D40")" ] && [ "$(jf opts.228 <<<"$O1")" = "$(hexof "$E40")" ]'
dhcp_client 6 02:54:45:00:03:02
O2=$(timeout 15 ip netns exec "${P}6" $PYC discover --iface eth0 --mac 02:54:45:00:03:02 --max-size 576 --prl 1,3,6,224,225,226,227,228 | tail -1)
cond "overload with a boot file: file kept, option 52 = 2 (sname only)" \
	'[ "$(jf file <<<"$O2")" = boot/grubx64.efi ] && [ "$(jf opts.52 <<<"$O2")" = 02 ] && [ "$(jf raw_len <<<"$O2")" -le 548 ]'
check "overload with a boot file: an option that fits nowhere is left out" [ -z "$(jf opts.226 <<<"$O2")" ]
if have dhclient; then
	# a real client reads the overloaded reply: dhclient asks for 224-228
	dhcp_client 7 02:54:45:00:03:07
	cat >"$T_TMP/dhclient7.conf" <<'EOF'
option o224 code 224 = string;
option o226 code 226 = string;
option o228 code 228 = string;
send dhcp-max-message-size 576;
request subnet-mask, routers, o224, o226, o228;
EOF
	DHL7=$T_TMP/dhclient7.leases
	timeout 20 ip netns exec "${P}7" dhclient -1 -v -cf "$T_TMP/dhclient7.conf" -lf "$DHL7" \
		-pf "$T_TMP/dhclient7.pid" -sf /bin/true eth0 >>"$T_TMP/dhclient7.out" 2>&1
	[ -f "$T_TMP/dhclient7.pid" ] && kill "$(cat "$T_TMP/dhclient7.pid")" 2>/dev/null
	check "dhclient reads options out of an overloaded reply" \
		sh -c "grep -q 'option o224 \"$A100\";' '$DHL7' && grep -q 'option o226 \"$C100\";' '$DHL7' && grep -q 'option o228 \"$E40\";' '$DHL7'"
fi
cond "no errors in the server log" "! grep -q level=err $T_TMP/server.log"

stop_pid "$SRV_PID"
t_done
