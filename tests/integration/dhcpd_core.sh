#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd with real clients (busybox udhcpc, dhclient) and crafted ones
# (dhcpd_client.py), all inside network namespaces made here:
#   S (server): bridge br0 198.18.0.1/24, route to 198.18.16.0/20 via the relay
#   Cn (clients): eth0 on br0, no address until DHCP gives one
#   R (relay agent): 198.18.0.2/24 and 198.18.16.1/20 on eth0 on br0 (dhcpd_lib.sh)
# No DHCP leaves these namespaces.
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_core
need_cmd ip ss python3 busybox
HERE=$(cd "$(dirname "$0")" && pwd)
PYC="python3 $HERE/dhcpd_client.py"
[ -x "$DHCPD" ] || { fail "dhcpd_core: $DHCPD not built"; t_done; }

. "$HERE/dhcpd_lib.sh"
dhcp_topology pxd$$ 02:54:43:ff:ff:01

CONF=$T_TMP/dhcpd.conf
LEASES=$T_TMP/leases
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
leasefile = $LEASES
authoritative = yes
lease-time = 10m
decline-time = 1m
log-level = debug
script = $T_TMP/hook.sh

[subnet 198.18.0.0/24]
range = 198.18.0.100-198.18.0.150
router = 198.18.0.1
dns = 198.18.0.1
domain-name = test.invalid
option = ntp-server:198.18.0.1

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
router = 198.18.16.1

[host fixed]
mac = 02:54:43:00:00:99
address = 198.18.0.50
hostname = fixed-host
EOF

cat >"$T_TMP/hook.sh" <<EOF
#!/bin/sh
echo "\$DHCP_EVENT \$DHCP_MAC \$DHCP_IP \$1 \$2 \$3" >>"$T_TMP/hook.log"
EOF
chmod +x "$T_TMP/hook.sh"

SRV_PID=
start_server() {
	start_bg "$T_TMP/server.log" ip netns exec "$S" "$DHCPD" -c "$CONF"
	SRV_PID=$T_LAST_PID
	wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ."
}
start_server || { fail "server start"; cat "$T_TMP/server.log"; t_done; }

UDHCPC_SCRIPT=$T_TMP/udhcpc.sh
cat >"$UDHCPC_SCRIPT" <<'EOF'
#!/bin/sh
echo "$1 ${ip:-} ${lease:-} ${router:-} ${domain:-}" >>"$UDHCPC_LOG"
case $1 in
bound|renew) ip addr flush dev "$interface"; ip addr add "$ip/$subnet" dev "$interface" ;;
deconfig) ip addr flush dev "$interface" ;;
esac
EOF
chmod +x "$UDHCPC_SCRIPT"
udhcpc_once() { # NS LOG [extra args]: obtain and quit
	local ns=$1 log=$2; shift 2
	UDHCPC_LOG=$log timeout 20 ip netns exec "$ns" busybox udhcpc -i eth0 -f -q -n -t 5 -T 1 \
		-s "$UDHCPC_SCRIPT" "$@" >>"$log.out" 2>&1
}
# cond NAME 'EXPR': PASS when the shell expression holds
cond() { local n=$1; shift; if eval "$*"; then pass "$n"; else fail "$n"; fi; }
bound_ip() { awk '$1 == "bound" || $1 == "renew" {ip = $2} END {print ip}' "$1" 2>/dev/null; }
json_field() { python3 -c 'import json,sys
r = {}
for l in sys.stdin:
    l = l.strip()
    if l: r = json.loads(l)
v = r
for k in sys.argv[1].split("."): v = v.get(k, "") if isinstance(v, dict) else ""
print(v)' "$1"; }

# ---- udhcpc: obtain, options, journal
dhcp_client 1 02:54:43:00:00:01
udhcpc_once "${P}1" "$T_TMP/c1.log"
IP1=$(bound_ip "$T_TMP/c1.log")
if [[ $IP1 =~ ^198\.18\.0\.1([0-4][0-9]|50)$ ]]; then pass "udhcpc obtains an address in the range ($IP1)"; else fail "udhcpc obtain: got '$IP1'"; fi
check "udhcpc got router and domain options" grep -q "bound $IP1 600 198.18.0.1 test.invalid" "$T_TMP/c1.log"
check "lease line on disk" grep -q "add mac=02:54:43:00:00:01 ip=$IP1 " "$LEASES"

wait_for 5 grep -q "^add 02:54:43:00:00:01 $IP1 add" "$T_TMP/hook.log"
check "lease script runs with the facts in its environment" grep -q "^add 02:54:43:00:00:01 $IP1 add 02:54:43:00:00:01 $IP1" "$T_TMP/hook.log"

# ---- same address again (the client restarts from INIT)
udhcpc_once "${P}1" "$T_TMP/c1b.log"
IP1b=$(bound_ip "$T_TMP/c1b.log")
cond "a restarted client gets the same address" '[ -n "$IP1" ] && [ "$IP1" = "$IP1b" ]'

# ---- two clients never share
dhcp_client 2 02:54:43:00:00:02
udhcpc_once "${P}2" "$T_TMP/c2.log"
IP2=$(bound_ip "$T_TMP/c2.log")
cond "second client gets a different address ($IP2)" '[ -n "$IP2" ] && [ "$IP2" != "$IP1" ]'

# ---- renew (SIGUSR1, unicast to us) and release (SIGUSR2)
UDHCPC_LOG=$T_TMP/c2r.log start_bg "$T_TMP/c2r.out" ip netns exec "${P}2" busybox udhcpc -i eth0 -f -t 5 -T 1 -s "$UDHCPC_SCRIPT"
UPID=$T_LAST_PID
wait_for 10 grep -q bound "$T_TMP/c2r.log"
sleep 0.3
kill -USR1 "$UPID"
wait_for 10 grep -q "^renew $IP2" "$T_TMP/c2r.log"
check "udhcpc renews (RENEWING, unicast)" grep -q "^renew $IP2" "$T_TMP/c2r.log"
check "renewal journaled" grep -q "renew mac=02:54:43:00:00:02 ip=$IP2 " "$LEASES"
kill -USR2 "$UPID"
wait_for 5 grep -q "release mac=02:54:43:00:00:02 ip=$IP2 " "$LEASES"
check "udhcpc release journaled" grep -q "release mac=02:54:43:00:00:02 ip=$IP2 " "$LEASES"
stop_pid "$UPID"

# ---- dhclient: obtain, then INIT-REBOOT with its lease file
if have dhclient; then
	dhcp_client 3 02:54:43:00:00:03
	DHL=$T_TMP/dhclient.leases
	for i in 1 2; do
		timeout 20 ip netns exec "${P}3" dhclient -1 -v -lf "$DHL" -pf "$T_TMP/dhclient.pid" \
			-sf /bin/true eth0 >>"$T_TMP/dhclient.out" 2>&1
		[ -f "$T_TMP/dhclient.pid" ] && kill "$(cat "$T_TMP/dhclient.pid")" 2>/dev/null
		sleep 0.2
	done
	DIP=$(awk '/fixed-address/ {gsub(";", ""); ip = $2} END {print ip}' "$DHL" 2>/dev/null)
	check "dhclient obtains an address ($DIP)" [ -n "$DIP" ]
	check "dhclient INIT-REBOOT is ACKed with the same address" \
		[ "$(grep -c "fixed-address $DIP;" "$DHL")" -ge 2 ]
else
	skip "dhclient: not installed"
fi

# ---- host reservation
dhcp_client 9 02:54:43:00:00:99
R9=$(timeout 20 ip netns exec "${P}9" $PYC dora --iface eth0 --mac 02:54:43:00:00:99 | tail -1)
check "host reservation: fixed address" [ "$(json_field yiaddr <<<"$R9")" = 198.18.0.50 ]
check "host reservation: hostname option" [ "$(json_field opts.12 <<<"$R9")" = "$(printf fixed-host | od -An -tx1 | tr -d ' \n')" ]

# ---- DECLINE: the address is quarantined
dhcp_client 4 02:54:43:00:00:04
D=$(timeout 20 ip netns exec "${P}4" $PYC decline --iface eth0 --mac 02:54:43:00:00:04 | tail -1)
DIP4=$(json_field yiaddr <<<"$D")
wait_for 3 grep -q "decline mac=02:54:43:00:00:04 ip=$DIP4 " "$LEASES"
check "decline journaled ($DIP4)" grep -q "decline mac=02:54:43:00:00:04 ip=$DIP4 " "$LEASES"
A=$(timeout 20 ip netns exec "${P}4" $PYC dora --iface eth0 --mac 02:54:43:00:00:04 | tail -1)
cond "declined address not offered again to the decliner" '[ -n "$(json_field yiaddr <<<"$A")" ] && [ "$(json_field yiaddr <<<"$A")" != "$DIP4" ]'
B=$(timeout 20 ip netns exec "${P}4" $PYC dora --iface eth0 --mac 02:54:43:00:00:05 | tail -1)
check "declined address not offered to another client" [ "$(json_field yiaddr <<<"$B")" != "$DIP4" ]

# ---- NAK
N1=$(timeout 10 ip netns exec "${P}4" $PYC request --iface eth0 --mac 02:54:43:00:00:06 --addr 198.18.7.7 | tail -1)
check "NAK for an address on the wrong network" [ "$(json_field type <<<"$N1")" = NAK ]
N2=$(timeout 10 ip netns exec "${P}4" $PYC request --iface eth0 --mac 02:54:43:00:00:06 --addr "$IP1" | tail -1)
check "NAK for another client's address" [ "$(json_field type <<<"$N2")" = NAK ]
N3=$(timeout 10 ip netns exec "${P}4" $PYC request --iface eth0 --mac 02:54:43:00:00:06 --addr 198.18.0.120 --server-id 198.18.0.1 | tail -1)
cond "SELECTING request for a free address without an offer: ACK" '[ "$(json_field yiaddr <<<"$N3")" = 198.18.0.120 ]'
N4=$(timeout 10 ip netns exec "${P}4" $PYC request --iface eth0 --mac 02:54:43:00:00:07 --addr "$IP1" --server-id 198.18.0.1 | tail -1)
check "SELECTING request for another client's address: NAK" [ "$(json_field type <<<"$N4")" = NAK ]

# ---- relayed request: giaddr + option 82 (circuit id), replies to the relay's port 67
RL=$(timeout 20 ip netns exec "$R" $PYC dora --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:43:00:01:01 --opt82 0104deadbeef | tail -1)
RIP=$(json_field yiaddr <<<"$RL")
cond "relayed: ACK from the relay subnet ($RIP)" '[[ $RIP =~ ^198\.18\.(1[6-9]|2[0-9]|3[01])\. ]]'
check "relayed: option 82 echoed unchanged" [ "$(json_field opts.82 <<<"$RL")" = 0104deadbeef ]
cond "relayed: giaddr kept, sent from 198.18.0.1:67" '[ "$(json_field giaddr <<<"$RL")" = 198.18.16.1 ] && [ "$(json_field from <<<"$RL")" = 198.18.0.1:67 ]'
check "relayed: router of the relay subnet" [ "$(json_field opts.3 <<<"$RL")" = c6121001 ]
LS=$(timeout 20 ip netns exec "$R" $PYC dora --relay 198.18.16.1 --server 198.18.0.1 --mac 02:54:43:00:01:02 --link-sel 198.18.0.0 | tail -1)
LIP=$(json_field yiaddr <<<"$LS")
cond "relayed: link-selection sub-option picks the subnet ($LIP)" '[[ $LIP =~ ^198\.18\.0\. ]]'

# ---- --leases
"$DHCPD" -c "$CONF" --leases >"$T_TMP/leases.txt" 2>&1
check "--leases lists the bound leases" grep -q "^$IP1 .*02:54:43:00:00:01" "$T_TMP/leases.txt"

# ---- SIGHUP: a bad config keeps the old one, a good one is applied, leases stay
cp "$CONF" "$CONF.good"
echo "bogus-key = 1" >>"$CONF"
kill -HUP "$SRV_PID"; sleep 0.5
cp "$CONF.good" "$CONF"
check "bad config on SIGHUP: old one stays, still serving" kill -0 "$SRV_PID"
check "bad config on SIGHUP is logged" grep -q "old configuration stays" "$T_TMP/server.log"
sed -i 's/^lease-time = 10m/lease-time = 11m/' "$CONF"
kill -HUP "$SRV_PID"; sleep 0.5
udhcpc_once "${P}1" "$T_TMP/c1c.log"
check "SIGHUP applies the new lease time, same address kept" grep -q "^bound $IP1 660 " "$T_TMP/c1c.log"

# ---- SIGKILL during a burst of relayed clients; every ACKed lease survives
GR=$T_TMP/granted
: >"$GR"
( timeout 60 ip netns exec "$R" $PYC burst --relay 198.18.16.1 --server 198.18.0.1 --n 1000 --out "$GR" --deadline 15 >"$T_TMP/burst.out" 2>&1 ) &
BP=$!
wait_for 15 sh -c "[ \$(wc -l <'$GR') -ge 200 ]"
kill -KILL "$SRV_PID"; wait "$SRV_PID" 2>/dev/null
wait "$BP"
NG=$(wc -l <"$GR")
[ "$NG" -gt 0 ] || sed "s/^/    burst: /" "$T_TMP/burst.out"
MISS=0
while read -r mac ip; do grep -q "mac=$mac ip=$ip " "$LEASES" || MISS=$((MISS + 1)); done <"$GR"
cond "SIGKILL in a burst: all $NG ACKed leases are in the journal" '[ "$NG" -gt 0 ] && [ "$MISS" = 0 ]'
start_server || fail "restart after SIGKILL"
V=$(timeout 60 ip netns exec "$R" $PYC verify --relay 198.18.16.1 --server 198.18.0.1 --granted "$GR" --deadline 20 | tail -1)
cond "after restart every ACKed client gets its address back ($V)" '[[ $V == *"same=$NG different=0"* ]]'
cond "no errors in the server log" "! grep -q level=err $T_TMP/server.log"

stop_pid "$SRV_PID"
t_done
