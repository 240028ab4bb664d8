#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd under a DISCOVER flood from 200,000 random MACs (issue 19),
# relayed into a /20: offers are held for offer-time, so the flood takes at
# most the range's addresses and the memory that many records need, never
# one record per MAC; the clients bound before the flood are answered (the
# same addresses) and new ones are once the holds lapse. Namespaces
# (198.18.0.0/15) as in dhcpd_burst.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/dhcpd_lib.sh"
need_root dhcpd_flood
need_cmd ip ss python3
HERE=$(cd "$(dirname "$0")" && pwd)
PYB="python3 $HERE/dhcpd_burst.py"
[ -x "$DHCPD" ] || { fail "dhcpd_flood: $DHCPD not built"; t_done; }
N=${DHCPD_FLOOD_N:-200000}

dhcp_topology pxo$$ 02:54:43:ff:ff:05
CONF=$T_TMP/dhcpd.conf
cat >"$CONF" <<EOF2
[dhcpd]
interface = br0
leasefile = $T_TMP/leases
lease-time = 1h
offer-time = 5s
log-level = notice

[subnet 198.18.0.0/24]
range = 198.18.0.10-198.18.0.250

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
EOF2
LOG=$T_TMP/server.log
dhcp_serve "$LOG" ip netns exec "$S" "$DHCPD" -c "$CONF" || t_done
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$SRV_PID/status"; }
relay() { # N MAC_BASE DUMP
	timeout 60 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 \
		--n "$1" --mac-base "$2" --deadline 5 --dump "$3"
}
OUT=$(relay 20 0 "$T_TMP/before")
check "20 clients bound before the flood" grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
RSS0=$(rss_kb)
OUT=$(timeout 300 ip netns exec "$R" $PYB flood --relay 198.18.16.1 --server 198.18.0.1 --n "$N" --mac-base 7)
echo "    $OUT (server RSS before: $RSS0 kB)"
RSS1=$(rss_kb)
OFFERS=$(sed -n 's/.*offers=\([0-9]*\).*/\1/p' <<<"$OUT")
SECS=$(sed -n 's/.*secs=\([0-9]*\).*/\1/p' <<<"$OUT")
# each free address is held 5 s (offer-time) for the MAC it was offered to,
# then may go to the next: a flood lasting SECS seconds can be offered each
# of the 4081 addresses once per started hold period, and no more
BOUND=$((4081 * (1 + ${SECS:-0} / 5)))
check "the flood's offers are bounded by the range and the hold (${OFFERS:-?} <= $BOUND in ${SECS:-?} s)" \
	test "${OFFERS:-99999}" -le "$BOUND"
check "memory bounded: RSS grew by $((RSS1 - RSS0)) kB (< 16 MB) for $N MACs" \
	test $((RSS1 - RSS0)) -lt 16384
check "server alive after the flood" kill -0 "$SRV_PID"
OUT=$(relay 20 0 "$T_TMP/after")
check "the 20 bound clients are answered right after the flood" \
	grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
check "with their addresses" cmp -s <(sort "$T_TMP/before") <(sort "$T_TMP/after")
sleep 6 # offer-time: the flood's holds lapse
OUT=$(relay 20 100000 "$T_TMP/new")
check "new clients are bound once the holds lapse" grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
check "the log is not flooded ($(wc -l <"$LOG") lines)" test "$(wc -l <"$LOG")" -lt 200
stop_pid "$SRV_PID"
t_done
