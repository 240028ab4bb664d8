#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd with its lease journal on a full filesystem (issue 19): a
# 512 KiB tmpfs in a mount namespace made here, filled while bursts of
# relayed DORAs run. Nothing is ACKed that is not on disk; a full disk
# gives one error line per 10 s, not one per packet; the server recovers
# by itself when space returns (the write cut short by ENOSPC is cut off
# the file again, so the next batch's first line is not glued to it); after
# SIGKILL and restart every ACKed lease is there and no address was ACKed to
# two clients. The lease file deleted or replaced under the running server
# is written anew from memory. Namespaces (198.18.0.0/15) as in
# dhcpd_burst.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/dhcpd_lib.sh"
need_root dhcpd_diskfull
need_cmd ip ss python3 unshare nsenter
HERE=$(cd "$(dirname "$0")" && pwd)
PYB="python3 $HERE/dhcpd_burst.py"
[ -x "$DHCPD" ] || { fail "dhcpd_diskfull: $DHCPD not built"; t_done; }

dhcp_topology pxf$$ 02:54:43:ff:ff:03

# The mount namespace is held by a sleeping shell (its pid is $HOLD), so
# the tmpfs outlives each server process; everything in it is reached
# through nsenter. It dies with the holder at the end.
DIR=$T_TMP/state
mkdir -p "$DIR"
start_bg "$T_TMP/holder.log" ip netns exec "$S" unshare -m --propagation private \
	sh -c "mount -t tmpfs -o size=512k pxetest '$DIR' && echo mounted && exec sleep 600"
HOLD=$T_LAST_PID
wait_for 5 grep -q mounted "$T_TMP/holder.log" || { fail "tmpfs in a mount namespace"; t_done; }
# -r: the holder's root, so that a test run inside a chroot (CI's fresh
# root) stays in it: entering a mount namespace resets the root otherwise.
in_mnt() { nsenter -t "$HOLD" -m -n -r "$@"; }

CONF=$DIR/dhcpd.conf
in_mnt sh -c "cat >'$CONF'" <<EOF
[dhcpd]
interface = br0
leasefile = $DIR/leases
lease-time = 10m
log-level = notice

[subnet 198.18.0.0/24]
range = 198.18.0.10-198.18.0.250

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
EOF

start_server() { dhcp_serve "$1" nsenter -t "$HOLD" -m -n -r "$DHCPD" -c "$CONF"; } # LOG
burst() { # NAME N MAC_BASE: relayed DORAs; ACKs appended to $ACKS
	timeout 90 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 \
		--n "$2" --mac-base "$3" --deadline 8 --dump "$ACKS" | sed "s/^/$1 /"
}
ACKS=$T_TMP/acks
: >"$ACKS"
LOG=$T_TMP/server.log
start_server "$LOG" || t_done

OUT=$(burst before 100 0)
check "before: 100 DORAs acked ($(grep relay-ack <<<"$OUT"))" grep -q 'relay-ack: sent=100 replies=100' <<<"$OUT"

# Fill the filesystem: the last page of the journal keeps a little room,
# so the next batch is cut short rather than refused outright.
T_FULL=$SECONDS
in_mnt sh -c "dd if=/dev/zero of='$DIR/filler' bs=4k 2>/dev/null; : " || true
OUT=$(burst full 150 1000)
echo "    $OUT"
ACKED_FULL=$(grep relay-ack <<<"$OUT" | sed -n 's/.*replies=\([0-9]*\).*/\1/p')
check "full: offers still made ($(grep relay-offer <<<"$OUT"))" grep -q 'relay-offer: sent=150 replies=150' <<<"$OUT"
check "full: at most a batch's worth of ACKs before the disk filled (${ACKED_FULL:-?})" \
	test "${ACKED_FULL:-999}" -lt 150
NERR=$(grep -c 'No space left on device' "$LOG")
MAXERR=$((2 + (SECONDS - T_FULL) / 10)) # one per started 10 s, and the first
check "full: one error line per 10 s, not one per packet ($NERR in $((SECONDS - T_FULL)) s)" \
	test "$NERR" -ge 1 -a "$NERR" -le "$MAXERR"
check "full: the count of replies not sent is logged" grep -q 'replies that bind leases not sent' "$LOG"
check "full: the server is alive" kill -0 "$SRV_PID"

in_mnt rm -f "$DIR/filler"
OUT=$(burst after 150 1000)
check "space back: the same 150 clients are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=150 replies=150' <<<"$OUT"
check "space back: recovery logged" grep -q 'written again' "$LOG"

# The lease file deleted, then replaced, under the running server: it
# writes the file anew from the leases in memory within a few seconds.
journal_has_all() {
	in_mnt "$DHCPD" -c "$CONF" --leases >"$T_TMP/now.txt" 2>/dev/null || return 1
	while read -r mac ip; do grep -q "$mac" "$T_TMP/now.txt" || return 1; done <"$ACKS"
}
in_mnt rm -f "$DIR/leases"
check "deleted lease file: written anew with every ACKed lease" wait_for 5 journal_has_all
check "deleted lease file: logged" grep -q 'was deleted or replaced while in use' "$LOG"
in_mnt sh -c "echo '2026-01-01T00:00:00Z add mac=02:00:00:00:00:01 ip=198.18.0.9 until=2099-01-01T00:00:00Z' >'$DIR/other' && mv '$DIR/other' '$DIR/leases'"
check "replaced lease file: written anew from memory" wait_for 5 journal_has_all
check "replaced lease file: the stranger's line is gone" \
	sh -c "! grep -q 02:00:00:00:00:01 '$T_TMP/now.txt'"
OUT=$(burst renamed 10 3000)
check "after the rewrite: new clients are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=10 replies=10' <<<"$OUT"

kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
check "SIGKILL: the server is gone" sh -c "! kill -0 $SRV_PID 2>/dev/null"
in_mnt "$DHCPD" -c "$CONF" --leases >"$T_TMP/leases.txt" 2>"$T_TMP/leases.err"
check_acked_leases "$ACKS" "$T_TMP/leases.txt" "$T_TMP/leases.err" 260

start_server "$T_TMP/server2.log"
OUT=$(burst restart 20 5000)
check "after restart: new clients are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
stop_pid "$SRV_PID"
stop_pid "$HOLD"
t_done
