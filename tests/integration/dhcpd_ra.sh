#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd's router advertisements (dhcpd/ra.c), driven by tests/tools/ra_send
# until the [subnet6] ra key reaches the daemon, in two namespaces made here
# and joined by a veth: the server side has fd00:198:18:1::1/64, the client
# side takes RAs (accept_ra=2) and does SLAAC. Checks: the client forms an
# address in the prefix; rdisc6 sees the M and O flags and the prefix, and
# its RS is answered within 1 s (RFC 4861 §6.2.6); router lifetime 0 gives
# no default route; an RS with hop limit 1 is dropped (§6.1.1); a non-zero
# lifetime gives one, a reload that adds a prefix is advertised at once, and
# stopping sends the final RA that takes the route away (§6.2.5); without
# CAP_NET_RAW there is one warning line.
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_ra
need_cmd ip rdisc6
RA_SEND=$BUILD_DIR/tests/ra_send
[ -x "$RA_SEND" ] || { skip "dhcpd_ra: $RA_SEND not built (make $BUILD/tests/ra_send)"; t_exit 77; }

P=pxra$$
S=${P}s C=${P}c
PFX=fd00:198:18:1
PFX2=fd00:198:18:2
netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
netns_add "$C"
in_ns "$S" ip link set lo up
in_ns "$C" ip link set lo up
in_ns "$S" ip link add eth0 type veth peer name eth0 netns "$C"
# The client takes RAs although nothing is configured by hand, does SLAAC,
# and sends no RS of its own: only rdisc6's RS must count against the
# server's 3 s rate limit in the timing check.
in_ns "$C" sysctl -qw net.ipv6.conf.eth0.accept_ra=2 net.ipv6.conf.eth0.autoconf=1 \
	net.ipv6.conf.eth0.router_solicitations=0
in_ns "$S" ip addr add "$PFX::1/64" dev eth0 nodad
in_ns "$S" ip link set eth0 up
in_ns "$C" ip link set eth0 up

client_has_addr() { in_ns "$C" ip -6 addr show dev eth0 scope global | grep -q "inet6 $1:"; }
client_has_default() { in_ns "$C" ip -6 route show default | grep -q "default via fe80::"; }
client_no_default() { ! in_ns "$C" ip -6 route show default | grep -q .; }
ll_ready() { # a link-local address out of DAD
	in_ns "$1" ip -6 addr show dev eth0 scope link | grep -q inet6 &&
		! in_ns "$1" ip -6 addr show dev eth0 scope link tentative | grep -q inet6
}

# --- phase 1: M, O, SLAAC, router lifetime 0. Started at once: the server's
# link-local address is still in DAD, so the first RA has to be retried.
LOG1=$T_TMP/ra1.log
start_bg "$LOG1" ip netns exec "$S" "$RA_SEND" --managed --other --interval 60 --seconds 60 \
	eth0 "$PFX::/64"
RA1=$T_LAST_PID
if wait_for 10 client_has_addr "$PFX"; then
	pass "ra: the client forms a SLAAC address in $PFX::/64"
else
	fail "ra: no SLAAC address in $PFX::/64 on the client"
	in_ns "$C" ip -6 addr show dev eth0
	tail -20 "$LOG1"
fi
check "ra: start logged with prefix and flags" \
	grep -Eq "event=ra op=start iface=eth0 prefix=$PFX::/64:LA flags=MO router_lifetime=0" "$LOG1"

# rdisc6's RS, more than 3 s after the first RA and long before the second
# (16 s later, §6.2.4): the answer must come within the 500 ms delay.
wait_for 5 ll_ready "$C" >/dev/null
sleep 3.5
t0=$(date +%s%N)
timeout 5 ip netns exec "$C" rdisc6 -1 -r 1 -w 1000 eth0 >"$T_TMP/rdisc6.out" 2>&1
rc=$?
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$rc" = 0 ] && [ "$ms" -lt 1000 ]
check "ra: rdisc6's RS is answered within 1 s (rdisc6 exit $rc, ${ms} ms)" [ $? = 0 ]
grep -Eq 'Stateful address conf\. *: *Yes' "$T_TMP/rdisc6.out" &&
	grep -Eq 'Stateful other conf\. *: *Yes' "$T_TMP/rdisc6.out"
check "ra: rdisc6 sees the M and O flags" [ $? = 0 ]
grep -Eq "Prefix *: *$PFX::/64" "$T_TMP/rdisc6.out" &&
	grep -Eq 'Autonomous address conf\. *: *Yes' "$T_TMP/rdisc6.out"
check "ra: rdisc6 sees the prefix, on-link and autonomous" [ $? = 0 ]
check "ra: rdisc6 sees router lifetime 0" grep -Eq 'Router lifetime *: *0 ' "$T_TMP/rdisc6.out"
check "ra: the RS is logged" grep -q "event=rs iface=eth0 client=fe80::" "$LOG1"
check "ra: router lifetime 0 gives the client no default route" client_no_default

# An RS that crossed a router (hop limit 1, not 255) is dropped (§6.1.1).
if have python3; then
	in_ns "$C" "$PY" - <<'EOF'
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_ICMPV6)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_HOPS, 1)
s.sendto(bytes([133, 0, 0, 0, 0, 0, 0, 0]), ("ff02::2", 0, 0, socket.if_nametoindex("eth0")))
EOF
	check "ra: an RS with hop limit 1 is dropped" \
		wait_for 3 grep -q "event=rs .*why=hop-limit-not-255" "$LOG1"
fi
stop_pid "$RA1"
! grep -q "final RA" "$LOG1"
check "ra: no final RA when the router lifetime was 0" [ $? = 0 ]

# --- phase 2: router lifetime 1800 s, a prefix added by a reload, the
# final RA on stop.
LOG2=$T_TMP/ra2.log
start_bg "$LOG2" ip netns exec "$S" "$RA_SEND" --other --router-lifetime 1800 --interval 60 \
	--seconds 60 --add-prefix "$PFX2::/64" --add-after 2 eth0 "$PFX::/64"
RA2=$T_LAST_PID
check "ra: router lifetime 1800 gives the client a default route" wait_for 5 client_has_default
check "ra: a prefix added by a reload is advertised at once" wait_for 8 client_has_addr "$PFX2"
stop_pid "$RA2"
check "ra: stopping sends a final RA with router lifetime 0" grep -q "final RA" "$LOG2"
check "ra: the final RA takes the client's default route away" wait_for 3 client_no_default

# Without CAP_NET_RAW: one clear warning line, and the caller goes on
# without RAs (ra_send exits 1; pxe-dhcpd keeps serving DHCPv6).
if have setpriv; then
	out=$(timeout 5 ip netns exec "$S" setpriv --bounding-set=-net_raw "$RA_SEND" --seconds 1 \
		eth0 "$PFX::/64" 2>&1)
	rc=$?
	[ "$rc" = 1 ] && [ "$(grep -c . <<<"$out")" = 1 ] && grep -q "level=warn .*CAP_NET_RAW" <<<"$out"
	check "ra: without CAP_NET_RAW, one warning line and no RAs (exit $rc)" [ $? = 0 ]
fi
t_done
