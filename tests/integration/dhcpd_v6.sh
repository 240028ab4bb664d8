#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd's DHCPv6 server (RFC 8415, RFC 5970 boot options) against real
# clients: ISC dhclient -6 stateful and information-only (-S), and
# firmware personas, a relay, malformed packets and a burst crafted with
# scapy (dhcpd_v6.py); SIGKILL keeps every REPLY'd lease. All inside
# network namespaces made here, IPv6 in fd00:198:18::/48:
#   S (server): bridge br0 fd00:198:18:1::1/64
#   R (relay agent): eth0 on br0, fd00:198:18:1::2/64
#   Cn (clients): eth0 on br0, link-local only
# No DHCPv6 leaves these namespaces. (busybox's udhcpc6 is not in
# Debian's busybox builds: dhclient is the stateful client here.)
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_v6
need_cmd ip ss dhclient
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$DHCPD" ] || { fail "dhcpd_v6: $DHCPD not built"; t_done; }
$PY -c 'import scapy.layers.dhcp6' 2>/dev/null || { skip "dhcpd_v6: needs python3-scapy"; t_exit 77; }
PYC="$PY $HERE/dhcpd_v6.py"

P=pv6$$
S=${P}s R=${P}r
netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
netns_add "$R"
in_ns "$S" ip link set lo up
in_ns "$S" ip link add br0 type bridge
in_ns "$S" ip link set br0 address 02:54:46:ff:ff:01
in_ns "$S" ip addr add fd00:198:18:1::1/64 dev br0 nodad
in_ns "$S" ip link set br0 up
# a port on the bridge, so br0 has carrier
port() { # port NS: eth0 in NS, bridged to br0, no DAD (no waiting)
	in_ns "$S" ip link add "v$1" type veth peer name eth0 netns "$1"
	in_ns "$S" ip link set "v$1" master br0 up
	in_ns "$1" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
	[ -n "${2:-}" ] && in_ns "$1" ip link set eth0 address "$2"
	in_ns "$1" ip link set lo up
	in_ns "$1" ip link set eth0 up
}
port "$R" 02:54:46:00:00:02
in_ns "$R" ip addr add fd00:198:18:1::2/64 dev eth0 nodad
client() { netns_add "$P$1" && port "$P$1" "$2"; }

CONF=$T_TMP/dhcpd.conf
LEASES=$T_TMP/leases
LOG=$T_TMP/dhcpd.log
cat >"$T_TMP/hook.sh" <<'EOF'
#!/bin/sh
echo "$1 $DHCP_FAMILY $DHCP_IP $DHCP_IAID $DHCP_CLIENT_ID $DHCP_MAC" >>"${0%/*}/hook.log"
EOF
chmod +x "$T_TMP/hook.sh"
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
leasefile = $LEASES
lease-time = 10m
log-level = debug
script = $T_TMP/hook.sh

[subnet6 fd00:198:18:1::/64]
range = fd00:198:18:1::100-fd00:198:18:1::1ff
dns = fd00:198:18:1::53
ra = yes
ra-interval = 30s

[subnet6 fd00:198:18:2::/64]
range = fd00:198:18:2::10-fd00:198:18:2::20
rapid-commit = no

[host reserved]
mac = 52:54:00:00:00:99
address6 = fd00:198:18:1::42

[boot http6]
match = ipv6 http
file = http://\${server}/boot/shim.efi

[boot ipxe6]
match = ipv6 ipxe
file = http://\${server}/boot.ipxe

[boot uefi6]
match = ipv6 uefi
file = ipxe.efi
EOF

# ip netns exec execs the daemon: $! is its pid (a backgrounded shell
# function would be a subshell's, and signals would miss the daemon).
start_dhcpd() {
	ip netns exec "$S" "$DHCPD" -c "$CONF" >>"$LOG" 2>&1 &
	DPID=$!
	on_exit stop_pid "$DPID"
	local i
	for i in $(seq 50); do
		in_ns "$S" ss -Hlunp "sport = :547" | grep -q "pid=$DPID," && return 0
		sleep 0.1
	done
	return 1
}
check "pxe-dhcpd starts with only [subnet6] sections" start_dhcpd
check "start log names the DHCPv6 service and DUID" \
	grep -qE 'family=6 mode=full subnets=2 ranges=2 links=[1-9][0-9]* duid=0003000102544[6]ffff01' "$LOG"
check "no DHCPv4 socket without a [subnet]" bash -c "! ip netns exec $S ss -Hlun 'sport = :67' | grep -q ."

# ---- router advertisements from [subnet6] ra = yes
client 0 52:54:00:00:00:10
if have rdisc6; then
	timeout 10 ip netns exec "${P}0" rdisc6 -1 -w 3000 eth0 >"$T_TMP/rdisc6.out" 2>&1
	check "ra = yes: rdisc6 sees M and O set" \
		bash -c "grep -q 'Stateful address conf.*Yes' $T_TMP/rdisc6.out && grep -q 'Stateful other conf.*Yes' $T_TMP/rdisc6.out"
	check "ra = yes: the prefix, router lifetime 0" \
		bash -c "grep -q 'Prefix *: fd00:198:18:1::/64' $T_TMP/rdisc6.out && grep -qE 'Router lifetime *: *0 ' $T_TMP/rdisc6.out"
	check "ra = yes: the other [subnet6] (on no interface, ra = no) is not advertised" \
		bash -c "! grep -q 'fd00:198:18:2::' $T_TMP/rdisc6.out"
else
	skip "ra: needs rdisc6 (ndisc6)"
fi

# ---- dhclient -6: stateful, four messages
client 1 52:54:00:00:00:01
DHL=$T_TMP/c1.leases
timeout 20 ip netns exec "${P}1" dhclient -6 -1 -v -lf "$DHL" -pf "$T_TMP/c1.pid" \
	-sf /bin/true eth0 >>"$T_TMP/c1.out" 2>&1
[ -f "$T_TMP/c1.pid" ] && kill "$(cat "$T_TMP/c1.pid")" 2>/dev/null
check "dhclient -6 gets an address from the range" \
	grep -qE 'iaaddr fd00:198:18:1::1[0-9a-f]{2} ' "$DHL"
check "dhclient -6: valid lifetime 600" grep -q 'max-life 600' "$DHL"
check "dhclient -6: DNS server from [subnet6] dns" grep -q 'dhcp6.name-servers fd00:198:18:1::53' "$DHL"
check "log: REQUEST answered by REPLY, lease added" \
	grep -qE 'family=6 type=request .*reply=reply ip=fd00:198:18:1::1[0-9a-f]{2} lease=add' "$LOG"
IP1=$(grep -oE 'iaaddr fd00:198:18:1::[0-9a-f]+' "$DHL" | head -1 | cut -d' ' -f2)
check "journal: an add6 line for dhclient's address" grep -q "add6 .* ip=$IP1 " "$LEASES"
check "journal line carries the MAC from the DUID" grep -q "add6 .*mac=52:54:00:00:00:01" "$LEASES"
for i in $(seq 30); do [ -s "$T_TMP/hook.log" ] && break; sleep 0.1; done
check "lease script: add, family 6, the address, IAID, DUID and MAC" \
	grep -qE "^add 6 $IP1 [0-9]+ 0001[0-9a-f]+ 52:54:00:00:00:01\$" "$T_TMP/hook.log"

# dhclient again: the same address (RENEW/REBIND path through a new SOLICIT)
timeout 20 ip netns exec "${P}1" dhclient -6 -1 -v -lf "$DHL" -pf "$T_TMP/c1.pid" \
	-sf /bin/true eth0 >>"$T_TMP/c1.out" 2>&1
[ -f "$T_TMP/c1.pid" ] && kill "$(cat "$T_TMP/c1.pid")" 2>/dev/null
check "dhclient -6 run again: the same address" grep -q "iaaddr $IP1 " <(tail -40 "$DHL")
# dhclient -6 -r: RELEASE
timeout 20 ip netns exec "${P}1" dhclient -6 -r -v -lf "$DHL" -pf "$T_TMP/c1.pid" \
	-sf /bin/true eth0 >>"$T_TMP/c1.out" 2>&1
# dhclient -r exits once the RELEASE is sent; the server's line is written
# when the release is on disk (its REPLY waits for the journal), a moment later
check "dhclient -6 -r: RELEASE answered, lease released" \
	wait_for 5 grep -qE "family=6 type=release .*reply=reply ip=$IP1 lease=release" "$LOG"
check "journal: release6" grep -q "release6 .* ip=$IP1 " "$LEASES"

# ---- dhclient -6 -S: information only
timeout 15 ip netns exec "${P}1" dhclient -6 -S -1 -v -lf "$T_TMP/c1s.leases" \
	-pf "$T_TMP/c1s.pid" -sf /bin/true eth0 >>"$T_TMP/c1s.out" 2>&1
[ -f "$T_TMP/c1s.pid" ] && kill "$(cat "$T_TMP/c1s.pid")" 2>/dev/null
check "dhclient -6 -S: INFORMATION-REQUEST answered" \
	grep -qE 'family=6 type=information-request .*reply=reply' "$LOG"

# ---- [host] by the MAC inside dhclient's DUID-LL
client 2 52:54:00:00:00:99
timeout 20 ip netns exec "${P}2" dhclient -6 -D LL -1 -v -lf "$T_TMP/c2.leases" \
	-pf "$T_TMP/c2.pid" -sf /bin/true eth0 >>"$T_TMP/c2.out" 2>&1
[ -f "$T_TMP/c2.pid" ] && kill "$(cat "$T_TMP/c2.pid")" 2>/dev/null
check "[host] mac: dhclient (DUID-LL) gets address6" \
	grep -q 'iaaddr fd00:198:18:1::42 ' "$T_TMP/c2.leases"

# ---- firmware personas (scapy)
client 3 52:54:00:00:00:03
pyc() { timeout 20 ip netns exec "${P}3" $PYC "$@" 2>>"$T_TMP/py.err"; }
OUT=$(pyc solicit eth0 edk2 52:54:00:00:00:03 --request)
echo "$OUT" >"$T_TMP/edk2.out"
check "EDK2 PXE: ADVERTISE with an address and preference 255" \
	grep -qE '^ADVERTISE .*addr=fd00:198:18:1::1[0-9a-f]{2} .*pref=255' "$T_TMP/edk2.out"
check "EDK2 PXE: option 59 tftp://[server]/ipxe.efi" \
	grep -q 'url=tftp://\[fd00:198:18:1::1\]/ipxe.efi' "$T_TMP/edk2.out"
# Full mode: no option 16 PXEClient beside an address, or EDK2 takes the
# offer for a BINL one and sends its REQUEST to port 4011.
check "EDK2 PXE: no option 16 PXEClient beside the address (full mode)" \
	bash -c "grep -q '^ADVERTISE ' $T_TMP/edk2.out && ! grep -q 'vc=343:PXEClient' $T_TMP/edk2.out"
check "EDK2 PXE: REQUEST gets REPLY with the address and the URL" \
	bash -c "grep -qE '^REPLY .*addr=fd00:198:18:1::1[0-9a-f]{2} ' $T_TMP/edk2.out &&
		grep -qE '^REPLY .*url=tftp://' $T_TMP/edk2.out"
check "log: pxe line with family=6, arch and section" \
	grep -qE 'pxe family=6 mac=52:54:00:00:00:03 .*arch=x64-uefi arch_code=7 .*boot=uefi6 file=tftp://' "$LOG"

OUT=$(pyc solicit eth0 http 52:54:00:00:00:04)
echo "$OUT" >"$T_TMP/http.out"
check "EDK2 HTTP Boot: URL with [server] and vendor class HTTPClient" \
	grep -qE 'vc=343:HTTPClient .*url=http://\[fd00:198:18:1::1\]/boot/shim.efi|url=http://\[fd00:198:18:1::1\]/boot/shim.efi.*vc=343:HTTPClient' "$T_TMP/http.out"
OUT=$(pyc solicit eth0 ipxe 52:54:00:00:00:05)
echo "$OUT" >"$T_TMP/ipxe.out"
check "iPXE: the script URL, not the binary again" \
	grep -q 'url=http://\[fd00:198:18:1::1\]/boot.ipxe' "$T_TMP/ipxe.out"
OUT=$(pyc solicit eth0 plain 52:54:00:00:00:06 --rapid)
echo "$OUT" >"$T_TMP/rapid.out"
check "Rapid Commit: SOLICIT answered by REPLY with option 14" \
	grep -qE '^REPLY .*addr=fd00:198:18:1::1[0-9a-f]{2} .*rapid' "$T_TMP/rapid.out"
check "a plain client gets no boot URL" bash -c "! grep -q url= $T_TMP/rapid.out"

# ---- a relay (RELAY-FORW from R, the client on fd00:198:18:2::/64)
OUT=$(timeout 20 ip netns exec "$R" $PYC relay fd00:198:18:1::1 fd00:198:18:2::1 \
	52:54:00:00:00:99 2>>"$T_TMP/py.err")
echo "$OUT" >"$T_TMP/relay.out"
check "relay: RELAY-REPL to port 547 with the interface-id echoed" \
	grep -qE '^port=547 RELAY-REPL ifid=port7 \| ADVERTISE' "$T_TMP/relay.out"
check "relay: an address from the relay link's prefix" \
	grep -qE 'addr=fd00:198:18:2::(1[0-9a-f]|20) ' "$T_TMP/relay.out"
check "log: relay link and the MAC from option 79" \
	grep -qE 'family=6 type=solicit .*mac=52:54:00:00:00:99 .*relay=fd00:198:18:2::1 reply=advertise' "$LOG"

# ---- malformed packets: silence, and the server goes on
OUT=$(pyc malformed eth0)
echo "$OUT" >"$T_TMP/bad.out"
check "malformed: no reply to any, then a good SOLICIT answered" \
	grep -q '^replies_to_bad=0' "$T_TMP/bad.out"
check "malformed: a SOLICIT with a 1900-code ORO answered" grep -q '^huge_oro ADVERTISE' "$T_TMP/bad.out"
check "pxe-dhcpd alive after the malformed packets" kill -0 "$DPID"
check "malformed: one warning line for the lot, with the relay loop named" \
	bash -c "test \$(grep -c 'bad packets ignored so far' $LOG) -eq 1 &&
		grep -q 'ignored: too many relay layers' $LOG"

# ---- SIGHUP: a changed [subnet6] applies to the next request
sed -i 's/^rapid-commit = no$/rapid-commit = no\npreference = 7/' "$CONF"
sed -i '0,/^dns = fd00:198:18:1::53$/s//dns = fd00:198:18:1::53\npreference = 100/' "$CONF"
kill -HUP "$DPID"
for i in $(seq 50); do grep -q 'event=reload msg="configuration reloaded' "$LOG" && break; sleep 0.1; done
OUT=$(pyc solicit eth0 edk2 52:54:00:00:00:07)
echo "$OUT" >"$T_TMP/reload.out"
check "SIGHUP: the new preference (100) in the next ADVERTISE" grep -q 'pref=100' "$T_TMP/reload.out"

# ---- SIGKILL right after a burst: every REPLY'd lease is in the journal
pyc burst eth0 40 >"$T_TMP/burst.out"
kill -9 "$DPID"
wait "$DPID" 2>/dev/null
check "SIGKILL: the daemon is gone" bash -c "! kill -0 $DPID 2>/dev/null"
check "burst: 40 rapid-commit REPLYs" test "$(wc -l <"$T_TMP/burst.out")" -eq 40
"$DHCPD" -c "$CONF" --leases >"$T_TMP/leases.txt" 2>&1
missing=0
while read -r a; do grep -q "$a " "$T_TMP/leases.txt" || missing=$((missing + 1)); done <"$T_TMP/burst.out"
check "after SIGKILL: every REPLY'd address is in --leases ($missing missing)" test "$missing" -eq 0
check "restart after SIGKILL" start_dhcpd
FIRST=$(head -1 "$T_TMP/burst.out")
OUT=$(pyc solicit eth0 plain 52:54:00:77:00:00 --rapid)
check "after restart: a burst client gets its address back ($FIRST)" \
	grep -q "addr=$FIRST " <<<"$OUT"
check "restart log: the leases read back" grep -qE 'leases: .*lines read, [0-9]+ records' "$LOG"

# ---- boot-only mode: boot options for firmware, never an address
stop_pid "$DPID"
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
mode = proxy
dhcpv6 = boot-only
log-level = debug

[boot uefi]
match = uefi
file = http://\${server}/ipxe.efi
EOF
check "boot-only: starts" start_dhcpd
check "boot-only: port 4011 bound over IPv6 too" \
	bash -c "ip netns exec $S ss -Hlun 'sport = :4011' | grep -q '\[::\]'"
OUT=$(pyc proxy eth0 fd00:198:18:1::1 52:54:00:00:00:0c)
echo "$OUT" >"$T_TMP/proxy.out"
check "boot-only: EDK2's SOLICIT gets a proxy offer (URL, PXEClient, no address)" \
	bash -c "grep -q '^SOLICIT ADVERTISE .*url=http://\[fd00:198:18:1::1\]/ipxe.efi' $T_TMP/proxy.out &&
		grep -q '^SOLICIT .*vc=343:PXEClient' $T_TMP/proxy.out && ! grep -q '^SOLICIT .*addr=' $T_TMP/proxy.out"
check "boot-only: the REQUEST on port 4011 gets a REPLY with the URL, back to port 4011" \
	grep -q '^4011 port=4011 REPLY .*url=http://\[fd00:198:18:1::1\]/ipxe.efi' "$T_TMP/proxy.out"
timeout 8 ip netns exec "${P}1" dhclient -6 -1 -v -lf "$T_TMP/bo.leases" -pf "$T_TMP/bo.pid" \
	-sf /bin/true eth0 >>"$T_TMP/bo.out" 2>&1
[ -f "$T_TMP/bo.pid" ] && kill "$(cat "$T_TMP/bo.pid")" 2>/dev/null
# A second address on the server's link: the REPLY to a REQUEST sent to it
# must leave from it (IPV6_PKTINFO), not from the kernel's choice for the
# client's link-local address.
in_ns "$S" ip addr add fd00:198:18:1::77/64 dev br0 nodad
OUT=$(pyc proxy eth0 fd00:198:18:1::77 52:54:00:00:00:0d)
echo "$OUT" >"$T_TMP/proxy77.out"
check "boot-only: the REPLY to a REQUEST sent to our second address leaves from that address" \
	grep -q '^4011 port=4011 REPLY .*from=fd00:198:18:1::77$' "$T_TMP/proxy77.out"
check "boot-only: dhclient's SOLICIT is not answered (addresses come from elsewhere)" \
	bash -c "! grep -q iaaddr $T_TMP/bo.leases 2>/dev/null && grep -q 'boot-only: not network-boot firmware' $LOG"
t_done
