#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd as systemd and a careful admin run it: sockets passed by
# systemd (LISTEN_FDS, here from systemd-socket-activate), --chroot with
# --user/--group, and the lease journal compacted inside the chroot after
# the privileges are gone (12,000 relayed DORAs from 500 clients). All
# DHCP stays inside network namespaces made here (198.18.0.0/15):
#   S (server): bridge br0 198.18.0.1/24;  R (relay agent): 198.18.16.1/20
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_daemon
need_cmd ip ss ps python3
HERE=$(cd "$(dirname "$0")" && pwd)
PYC="$PY $HERE/dhcpd_client.py"
[ -x "$DHCPD" ] || { fail "dhcpd_daemon: $DHCPD not built"; t_done; }
have systemd-socket-activate || { skip "dhcpd_daemon: needs systemd-socket-activate (systemd)"; t_exit 77; }

. "$HERE/dhcpd_lib.sh"
dhcp_topology pxk$$ 02:54:46:ff:ff:01

JAIL=$T_TMP/jail
mkdir -p "$JAIL"
chown nobody:nogroup "$JAIL"
CONF=$T_TMP/dhcpd.conf
cat >"$CONF" <<EOF2
[dhcpd]
interface = br0
leasefile = $JAIL/leases
lease-time = 10m
chroot = $JAIL
user = nobody
group = nogroup

[subnet 198.18.0.0/24]
range = 198.18.0.100-198.18.0.150

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
router = 198.18.16.1
EOF2

# A lease file outside the chroot is refused at start, not at the first
# compaction hours later.
printf '[dhcpd]\ninterface = br0\nleasefile = %s/outside.leases\nchroot = %s\n' "$T_TMP" "$JAIL" >"$T_TMP/bad.conf"
printf '[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n' >>"$T_TMP/bad.conf"
timeout 10 ip netns exec "$S" "$DHCPD" -c "$T_TMP/bad.conf" >"$T_TMP/bad.log" 2>&1
st=$?
check "a leasefile outside --chroot stops the start with a reason (exit $st)" \
	eval '[ $st != 0 ] && grep -q "is outside chroot" "$T_TMP/bad.log"'

# Datagram sockets, as a systemd .socket unit: the activator holds them
# and starts pxe-dhcpd on the first packet, handing them over.
start_bg "$T_TMP/server.log" ip netns exec "$S" systemd-socket-activate -d -l 0.0.0.0:67 -l 0.0.0.0:4011 \
	"$DHCPD" -c "$CONF"
SRV=$T_LAST_PID
wait_for 10 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ."
# 24 rounds of the same 500 clients: 12,000 ACKed leases and renewals,
# more than the journal keeps before it compacts (2 x leases + 10,000).
acked=0 DPID=""
for round in $(seq 24); do
	out=$(timeout 60 ip netns exec "$R" $PYC burst --relay 198.18.16.1 --server 198.18.0.1 --n 500 --deadline 30)
	a=$(sed -n 's/^acked=\([0-9]*\).*/\1/p' <<<"$out")
	acked=$((acked + ${a:-0}))
	[ "$round" = 1 ] || continue
	# the activator execs pxe-dhcpd in its place (no --accept)
	DPID=$(ps -o pid= --ppid "$SRV" | tr -d ' ' | head -1)
	[ -z "$DPID" ] && [ "$(cat "/proc/$SRV/comm" 2>/dev/null)" = pxe-dhcpd ] && DPID=$SRV
	check "the first packet started pxe-dhcpd (pid ${DPID:-none}) and it answered ($a of 500)" \
		test -n "$DPID" -a "${a:-0}" = 500
	[ -n "$DPID" ] || { cat "$T_TMP/server.log"; t_done; }
	check "it logged the sockets it was given" grep -q 'port 4011: socket from systemd' "$T_TMP/server.log"
	n67=$(in_ns "$S" ss -Huln 'sport = :67' | wc -l)
	n4011=$(in_ns "$S" ss -Huln 'sport = :4011' | wc -l)
	check "it serves on the passed sockets: one socket on 67, one on 4011 ($n67, $n4011)" \
		test "$n67" = 1 -a "$n4011" = 1
	uid=$(awk '/^Uid:/ {print $3}' "/proc/$DPID/status")
	check "it runs as nobody after binding (effective uid $uid)" test "$uid" = "$(id -u nobody)"
	# the same directory by device and inode: readlink shows the path as
	# the outermost root sees it, which differs when the test itself runs
	# in a chroot (a build root)
	root=$(stat -L -c %d:%i "/proc/$DPID/root"); jail=$(stat -c %d:%i "$JAIL")
	check "its root is the chroot ($(readlink "/proc/$DPID/root"))" test "$root" = "$jail"
done
check "12,000 relayed DORAs from 500 clients all ACKed ($acked)" test "$acked" -ge 12000
sleep 0.5
lines=$(wc -l <"$JAIL/leases")
check "the journal was compacted inside the chroot ($lines lines for 500 leases)" test "$lines" -lt 2000
check "no compaction failure was logged" sh -c "! grep -q 'compaction failed' '$T_TMP/server.log'"
check "the snapshot's temporary file is gone" test ! -e "$JAIL/leases.tmp"
check "the lease file belongs to nobody after compaction" test "$(stat -c %U "$JAIL/leases")" = nobody
n=$("$DHCPD" -c "$CONF" --leases 2>/dev/null | grep -c '198\.18\.')
check "--leases lists the 500 clients ($n)" test "$n" -ge 500
stop_pid "$SRV"
t_done
