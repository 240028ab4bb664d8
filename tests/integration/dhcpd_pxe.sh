#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd's PXE boot service with crafted firmware (dhcpd_pxe.py), in
# full and proxy mode, plus proxy mode beside a real site DHCP server
# (busybox udhcpd) with busybox udhcpc as the client. All inside network
# namespaces made here:
#   S (server): bridge br0 198.18.0.1/24, route to 198.18.16.0/20 via R
#   C (crafted clients): eth0 on br0, 198.18.0.60/24 (for port 4011)
#   R (relay agent): 198.18.0.2/24 on br0, 198.18.16.1/20
#   D (site DHCP server, udhcpd): 198.18.0.3/24 on br0
#   U (udhcpc client): eth0 on br0
# No DHCP leaves these namespaces.
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_pxe
need_cmd ip ss python3 busybox
HERE=$(cd "$(dirname "$0")" && pwd)
PYP="python3 $HERE/dhcpd_pxe.py"
[ -x "$DHCPD" ] || { fail "dhcpd_pxe: $DHCPD not built"; t_done; }

# The example configs of the man pages are valid (checked, not run).
man_examples() { # FILE: every literal block that starts with a [section]
	awk -v dir="$T_TMP" '/^\.Bd -literal/ {n++; f = 1; first = 1; next}
		/^\.Ed/ {f = 0} f && first && !/^\[/ {f = 0} f {first = 0; print > (dir "/ex-" n ".conf")}' "$1"
}
man_examples "$TOP/man/pxe-dhcpd.8"
BAD=""
for f in "$T_TMP"/ex-*.conf; do
	grep -q '^\[dhcpd\]' "$f" || sed -i '1i [dhcpd]\nmode = proxy' "$f"
	sed -i "s#^leasefile = .*#leasefile = $T_TMP/ex.leases#" "$f"
	"$DHCPD" -c "$f" --check-config >/dev/null 2>"$f.err" || BAD="$BAD $(cat "$f.err")"
done
NEX=$(ls "$T_TMP"/ex-*.conf 2>/dev/null | wc -l)
check "pxe-dhcpd(8)'s $NEX example configs pass --check-config${BAD:+:$BAD}" test -z "$BAD" -a "$NEX" -ge 4

P=pxp$$
S=${P}s C=${P}c R=${P}r D=${P}d U=${P}u
netns_add "$S" || { fail "netns: cannot create namespaces"; t_done; }
for ns in "$C" "$R" "$D" "$U"; do netns_add "$ns"; done
in_ns "$S" ip link set lo up
in_ns "$S" ip link add br0 type bridge
in_ns "$S" ip addr add 198.18.0.1/24 dev br0
in_ns "$S" ip link set br0 up
# attach NS MAC [ADDR/LEN...]: eth0 in NS, bridged to the server's br0
attach() {
	local ns=$1 mac=$2 a; shift 2
	in_ns "$S" ip link add "v$ns" type veth peer name eth0 netns "$ns"
	in_ns "$S" ip link set "v$ns" master br0 up
	in_ns "$ns" ip link set eth0 address "$mac"
	for a; do in_ns "$ns" ip addr add "$a" dev eth0; done
	in_ns "$ns" ip link set eth0 up
	in_ns "$ns" ip link set lo up
}
attach "$C" 02:50:00:00:ff:01 198.18.0.60/24
attach "$R" 02:50:00:00:ff:02 198.18.0.2/24 198.18.16.1/20
attach "$D" 02:50:00:00:ff:03 198.18.0.3/24
attach "$U" 02:50:00:00:ff:04
in_ns "$S" ip route add 198.18.16.0/20 via 198.18.0.2

# The boot sections both modes share: firmware kinds in the order they
# must be told apart (iPXE first: no chainload loop; the Pi before BIOS).
boot_sections() {
	cat <<'EOF'

[boot ipxe]
match = ipxe
file = http://${server}/boot.ipxe

[boot pi]
match = rpi
file = bootcode.bin

[boot http-name]
match = http mac:02:50:00:00:00:32
file = http://boot.test.invalid/${arch}/ipxe.efi

[boot http]
match = http
file = http://${server}/ipxe.efi

[boot quirky]
match = mac:02:50:00:00:0c
file = ipxe.efi
broadcast = yes
reply-delay = 300ms
echo-uuid = no
option43 = no-uefi

[boot arm64]
match = arch:arm64-uefi
file = arm64/grubaa64.efi

[boot uefi]
match = arch:x64-uefi
file = ipxe.efi

[boot menu]
match = arch:bios mac:02:50:00:00:0b
menu-item = lpxelinux.0 Linux
menu-item = local Boot from disk
menu-prompt = 5 Press F8 for the menu

[boot bios]
match = arch:bios
file = undionly.kpxe
EOF
}
conf() { # conf MODE
	printf '[dhcpd]\ninterface = br0\nmode = %s\nleasefile = %s\nlog-level = debug\n' \
		"$1" "$T_TMP/leases-$1"
	if [ "$1" = full ]; then
		printf '\n[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\nrouter = 198.18.0.1\ndns = 198.18.0.1\n'
		printf '\n[subnet 198.18.16.0/20]\nrange = 198.18.16.10-198.18.16.250\n'
	else
		printf '\n[subnet 198.18.0.0/24]\ndns = 198.18.0.1\n'
	fi
	boot_sections
}

SRV_PID=
start_server() { # start_server MODE
	conf "$1" >"$T_TMP/$1.conf"
	start_bg "$T_TMP/server-$1.log" ip netns exec "$S" "$DHCPD" -c "$T_TMP/$1.conf"
	SRV_PID=$T_LAST_PID
	wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :4011' | grep -q ."
}
# py NS ARGS...: run dhcpd_pxe.py, turn its lines into pass/fail
py() {
	local ns=$1 line; shift
	while IFS= read -r line; do
		case $line in
		PASS\ *) pass "$MODE: ${line#PASS }" ;;
		FAIL\ *) fail "$MODE: ${line#FAIL }" ;;
		*) echo "    $line" ;;
		esac
	done < <(timeout 60 ip netns exec "$ns" $PYP "$@" 2>&1)
}
logged() { grep -q -- "$1" "$T_TMP/server-$MODE.log"; }

for MODE in full proxy; do
	start_server $MODE || { fail "$MODE: server start"; cat "$T_TMP/server-$MODE.log"; continue; }
	py "$C" clients --mode $MODE --iface eth0 --addr 198.18.0.60 --server 198.18.0.1
	py "$R" relay --mode $MODE --relay 198.18.16.1 --server 198.18.0.1
	py "$C" garbage --iface eth0 --addr 198.18.0.60 --server 198.18.0.1 --n 300
	check "$MODE: log line per decision (EDK2 x64)" \
		logged 'event=pxe .*mac=02:50:00:00:00:17 .*arch=x64-uefi .*boot=uefi file=ipxe.efi'
	check "$MODE: log line for an unknown arch" logged 'event=pxe .*mac=02:50:00:00:00:71 .*boot=- file=-'
	check "$MODE: server alive after the malformed burst" kill -0 "$SRV_PID"
	stop_pid "$SRV_PID"
done

# ---- the dnsmasq-parity keys: known, ipxe-feature, rpi = no,
# option60 = never, HTTPClient only with a URL, siaddr in a proxy menu
# offer, menu item types across sections; then known-only
parity_sections() {
	cat <<'EOF'

[host pc]
mac = 02:50:00:00:0d:01

[boot known]
match = known
file = known.0

[boot ipxe-http]
match = ipxe-feature:19
file = http://${server}/boot.ipxe

[boot ipxe]
match = ipxe
file = undionly.kpxe

[boot pi]
match = rpi
file = bootcode.bin
rpi = no

[boot plain]
match = mac:02:50:00:00:0e
file = plain.0
option60 = never
option43 = never

[boot http-tftp]
match = mac:02:50:00:00:0f
file = ipxe.efi

[boot bios-menu]
match = arch:bios
menu-item = lpxelinux.0 Linux
menu-item = memtest.0 Memtest

[boot efi-menu]
match = uefi
menu-item = ipxe.efi iPXE
menu-item = grub.efi GRUB
EOF
}
for MODE in full proxy; do
	{ conf "$MODE" | sed '/^\[boot /,$d'; parity_sections; } >"$T_TMP/parity-$MODE.conf"
	start_bg "$T_TMP/server-parity-$MODE.log" ip netns exec "$S" "$DHCPD" -c "$T_TMP/parity-$MODE.conf"
	SRV_PID=$T_LAST_PID
	if wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :4011' | grep -q ."; then
		MODE=parity-$MODE py "$C" parity --mode $MODE --iface eth0 --addr 198.18.0.60 --server 198.18.0.1
	else
		fail "parity-$MODE: server start"
	fi
	stop_pid "$SRV_PID"
done
MODE=known-only
{ conf full | sed '/^\[boot /,$d; s/^mode = full$/mode = full\nknown-only = yes/'; parity_sections; } \
	>"$T_TMP/known-only.conf"
start_bg "$T_TMP/server-known-only.log" ip netns exec "$S" "$DHCPD" -c "$T_TMP/known-only.conf"
SRV_PID=$T_LAST_PID
if wait_for 5 in_ns "$S" sh -c "ss -Hlun 'sport = :4011' | grep -q ."; then
	py "$C" known-only --iface eth0 --addr 198.18.0.60 --server 198.18.0.1
	check "known-only: the unknown client is logged" \
		grep -q 'mac=02:50:00:00:0d:07 .*unknown client (known-only)' "$T_TMP/server-known-only.log"
else
	fail "known-only: server start"
fi
stop_pid "$SRV_PID"

# ---- mode=proxy-4011 (on the site DHCP server's host): port 4011 only
MODE=proxy-4011
if start_server proxy-4011; then
	check "proxy-4011: port 67 left to the site server" \
		sh -c "! ip netns exec $S ss -Hlun 'sport = :67' | grep -q ."
	py "$C" 4011 --iface eth0 --addr 198.18.0.60 --server 198.18.0.1
	stop_pid "$SRV_PID"
else
	fail "proxy-4011: server start"
fi

# ---- proxy beside a real site DHCP server: udhcpd gives the address
MODE=proxy-site
cat >"$T_TMP/udhcpd.conf" <<EOF
start 198.18.0.160
end 198.18.0.170
interface eth0
lease_file $T_TMP/udhcpd.leases
pidfile $T_TMP/udhcpd.pid
opt subnet 255.255.255.0
opt router 198.18.0.3
EOF
: >"$T_TMP/udhcpd.leases"
start_bg "$T_TMP/udhcpd.log" ip netns exec "$D" busybox udhcpd -f "$T_TMP/udhcpd.conf"
SITE_PID=$T_LAST_PID
start_server proxy || fail "proxy-site: server start"
MODE=proxy
cat >"$T_TMP/udhcpc.sh" <<'EOF'
#!/bin/sh
case $1 in bound|renew) echo "$1 $ip $serverid" >>"$UDHCPC_LOG" ;; esac
EOF
chmod +x "$T_TMP/udhcpc.sh"
UDHCPC_LOG=$T_TMP/udhcpc.log timeout 20 ip netns exec "$U" busybox udhcpc -i eth0 -f -q -n -t 5 -T 1 \
	-s "$T_TMP/udhcpc.sh" >"$T_TMP/udhcpc.out" 2>&1
check "proxy beside udhcpd: udhcpc gets its address from udhcpd" \
	grep -q '^bound 198\.18\.0\.1[67][0-9] 198\.18\.0\.3$' "$T_TMP/udhcpc.log"
check "proxy beside udhcpd: the proxy did not answer udhcpc" \
	sh -c "! grep -q 'mac=02:50:00:00:ff:04 .*reply=' '$T_TMP/server-proxy.log'"
MODE=proxy-site
py "$C" garbage --iface eth0 --server 198.18.0.1 --n 0
stop_pid "$SRV_PID"
stop_pid "$SITE_PID"
check "proxy modes write no lease file" test ! -e "$T_TMP/leases-proxy" -a ! -e "$T_TMP/leases-proxy-4011"
check "no errors in the server logs" sh -c "! grep -q level=err $T_TMP/server-*.log"
t_done
