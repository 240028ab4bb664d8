#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd under bursts of requests sent back to back (dhcpd_burst.py):
# the server reads them RX_VLEN per recvmmsg and answers with one sendmmsg
# per socket and loop iteration; every request must get exactly one reply,
# through each way a reply leaves (RFC 2131 §4.1): unicast to a relay's
# port 67, ACKs after the journal sync, broadcast, and unicast to chaddr
# through the packet socket. Namespaces made here, 198.18.0.0/15 only:
#   S (server): bridge br0 198.18.0.1/24, route to 198.18.16.0/20 via R
#   C (client): eth0 on br0, no address
#   R (relay agent): 198.18.0.2/24 and 198.18.16.1/20 on eth0 on br0
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_burst
need_cmd ip ss python3
HERE=$(cd "$(dirname "$0")" && pwd)
PYB="python3 $HERE/dhcpd_burst.py"
[ -x "$DHCPD" ] || { fail "dhcpd_burst: $DHCPD not built"; t_done; }

. "$HERE/dhcpd_lib.sh"
dhcp_topology pxu$$ 02:54:43:ff:ff:02
dhcp_client c 02:54:43:00:00:c0
C=${P}c

CONF=$T_TMP/dhcpd.conf
cat >"$CONF" <<EOF2
[dhcpd]
interface = br0
leasefile = $T_TMP/leases
lease-time = 10m
log-level = notice

[subnet 198.18.0.0/24]
range = 198.18.0.10-198.18.0.250

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
EOF2

dhcp_serve "$T_TMP/server.log" ip netns exec "$S" "$DHCPD" -c "$CONF" || t_done

# stage LINE N: PASS when the line says N sent, N distinct replies, none twice
stage() {
	local name=$1 line=$2 n=$3
	if [ "$line" = "$name: sent=$n replies=$n distinct=$n dup=0" ]; then
		pass "$name: every one of $n requests in a burst gets exactly one reply"
	else
		fail "$name: expected $n replies once each, got '${line#*: }'"
	fi
}

N=200
OUT=$(timeout 60 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 --n $N --mac-base 0)
stage relay-offer "$(grep '^relay-offer:' <<<"$OUT")" $N
stage relay-ack "$(grep '^relay-ack:' <<<"$OUT")" $N
NJ=$(grep -cE ' add mac=02:54:45:00:00:[0-9a-f]{2} ip=198\.18\.(1[6-9]|2[0-9]|3[01])\.' "$T_TMP/leases")
check "the $N ACKed leases are in the journal ($NJ)" [ "$NJ" -eq $N ]

OUT=$(timeout 60 ip netns exec "$C" $PYB broadcast --iface eth0 --n 100 --mac-base 1000)
stage broadcast-offer "$OUT" 100
OUT=$(timeout 60 ip netns exec "$C" $PYB yiaddr --iface eth0 --n 100 --mac-base 2000)
stage yiaddr-offer "$OUT" 100

check "server still running" kill -0 "$SRV_PID"
check "no reply dropped by the server" sh -c "! grep -q 'not sent' '$T_TMP/server.log'"
stop_pid "$SRV_PID"
t_done
