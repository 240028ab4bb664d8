#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd ping-check, in namespaces made here: a squatter host already
# uses the first address of the range without a lease; the server must ping
# it, see the answer, quarantine the address and offer the next one.
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_ping
need_cmd ip ss python3 busybox
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$DHCPD" ] || { fail "dhcpd_ping: $DHCPD not built"; t_done; }

P=pxp$$
S=${P}s
netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
in_ns "$S" ip link add br0 type bridge
in_ns "$S" ip addr add 198.18.0.1/24 dev br0
in_ns "$S" ip link set br0 up
for n in q c; do
	netns_add "$P$n"
	in_ns "$S" ip link add "v$P$n" type veth peer name eth0 netns "$P$n"
	in_ns "$S" ip link set "v$P$n" master br0 up
	in_ns "$P$n" ip link set eth0 up
done
in_ns "${P}q" ip addr add 198.18.0.100/24 dev eth0   # the squatter
in_ns "${P}c" ip link set eth0 address 02:54:45:00:00:01

LEASES=$T_TMP/leases
start_bg "$T_TMP/server.log" ip netns exec "$S" "$DHCPD" -i br0 --range 198.18.0.100-198.18.0.110 \
	--leasefile "$LEASES" --ping-check --ping-timeout 300ms --log-level debug
wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ." || { fail "server start"; t_done; }

R=$(timeout 20 ip netns exec "${P}c" python3 "$HERE/dhcpd_client.py" dora --iface eth0 --mac 02:54:45:00:00:01 | tail -1)
IP=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1]).get("yiaddr",""))' "$R")
check "ping-check: the squatted address is not offered (got $IP)" [ "$IP" = 198.18.0.101 ]
check "ping-check: the squatted address is quarantined" grep -q "decline mac=.* ip=198.18.0.100 " "$LEASES"
check "ping-check: logged" grep -q "198.18.0.100 answers a ping" "$T_TMP/server.log"
t_done
