# SPDX-License-Identifier: MIT
# Shared by the dhcpd integration tests (sourced after tests/lib.sh): the
# namespace topology they all use, 198.18.0.0/15 only.
#   $S (server): bridge br0 198.18.0.1/24, route to 198.18.16.0/20 via $R
#   $R (relay agent): eth0 on br0 with 198.18.0.2/24 and 198.18.16.1/20
#   clients: added with dhcp_client, eth0 on br0, no address

# dhcp_topology PREFIX BRIDGE_MAC: make $S and $R (names PREFIXs, PREFIXr);
# sets P, S, R. Fails the test when namespaces cannot be made.
dhcp_topology() {
	P=$1
	S=${P}s R=${P}r
	netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
	netns_add "$R"
	in_ns "$S" ip link set lo up
	in_ns "$S" ip link add br0 type bridge
	# A fixed address: a bridge otherwise takes its lowest port's, which
	# changes as client ports join, and the relay's cached neighbour
	# entry for the server goes stale.
	in_ns "$S" ip link set br0 address "$2"
	in_ns "$S" ip addr add 198.18.0.1/24 dev br0
	in_ns "$S" ip link set br0 up
	in_ns "$S" ip link add "v${P}r" type veth peer name eth0 netns "$R"
	in_ns "$S" ip link set "v${P}r" master br0 up
	in_ns "$R" ip link set eth0 up
	in_ns "$R" ip link set lo up
	in_ns "$R" ip addr add 198.18.0.2/24 dev eth0
	in_ns "$R" ip addr add 198.18.16.1/20 dev eth0
	in_ns "$S" ip route add 198.18.16.0/20 via 198.18.0.2
}

# dhcp_client NAME MAC: namespace $P$NAME with eth0 bridged to br0
dhcp_client() {
	netns_add "$P$1"
	in_ns "$S" ip link add "v$P$1" type veth peer name eth0 netns "$P$1"
	in_ns "$S" ip link set "v$P$1" master br0 up
	in_ns "$P$1" ip link set eth0 address "$2"
	in_ns "$P$1" ip link set eth0 up
	in_ns "$P$1" ip link set lo up
}

# dhcp_serve LOG CMD...: start a server command (pxe-dhcpd, with whatever
# wraps it) and wait until UDP 67 is bound in $S; sets SRV_PID. On a start
# that does not come up: a failed check with the log, and status 1.
dhcp_serve() {
	local log=$1
	shift
	start_bg "$log" "$@"
	SRV_PID=$T_LAST_PID
	wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ." && return 0
	fail "server start"
	cat "$log"
	return 1
}

# check_acked_leases ACKS LEASES ERR MIN: after a SIGKILL, every "MAC IP"
# line of ACKS (the ACKs the clients received, at least MIN of them) is in
# LEASES (the restarted server's --leases), no address went to two MACs,
# and ERR (its stderr) names no bad journal line.
check_acked_leases() {
	local acks=$1 leases=$2 err=$3 min=$4 missing=0 mac ip nack dups
	while read -r mac ip; do
		grep -q "$ip .*$mac\|$mac .*$ip" "$leases" || { missing=$((missing + 1)); echo "    missing: $mac $ip"; }
	done <"$acks"
	nack=$(wc -l <"$acks")
	check "every one of the $nack ACKed leases is in the journal after SIGKILL ($missing missing)" \
		test "$missing" -eq 0 -a "$nack" -ge "$min"
	dups=$(awk '{print $2}' "$acks" | sort | uniq -d | while read -r ip; do
		awk -v ip="$ip" '$2 == ip {print $1}' "$acks" | sort -u | sed -n 2p; done | wc -l)
	check "no address ACKed to two clients ($dups)" test "$dups" -eq 0
	check "the journal replays without a bad line" sh -c "! grep -qi 'bad\|malformed\|skipp' '$err'"
}
