#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd with a lease journal that fails with EIO (issue 19), through
# an LD_PRELOAD shim (tests/tools/eio_shim.c): while a control file exists,
# write/pwrite/fsync/fdatasync on the journal (and its compaction's .tmp)
# fail, first every call, then only the syncs (the write lands in the page
# cache and its flush fails), then writes cut short with ftruncate failing
# too (a fragment stays at the end of the file). While bursts of relayed DORAs run: nothing is
# ACKed that was not durable, the request log lines say the ACK was not
# sent (no reply=ACK for it), one error line per 10 s rather than one per
# packet, recovery by itself when the fault clears; after SIGKILL and
# restart every ACKed lease is there and no address was ACKed to two
# clients. Namespaces (198.18.0.0/15) as in dhcpd_burst.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/dhcpd_lib.sh"
need_root dhcpd_eio
need_cmd ip ss python3
HERE=$(cd "$(dirname "$0")" && pwd)
PYB="python3 $HERE/dhcpd_burst.py"
SHIM=$BUILD_DIR/tests/eio_shim.so
[ -x "$DHCPD" ] || { fail "dhcpd_eio: $DHCPD not built"; t_done; }
[ -e "$SHIM" ] || { fail "dhcpd_eio: $SHIM not built (make check-build)"; t_done; }

dhcp_topology pxe$$ 02:54:43:ff:ff:05
CONF=$T_TMP/dhcpd.conf
JOURNAL=$T_TMP/leases
CTL=$T_TMP/eio-on
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
leasefile = $JOURNAL
lease-time = 10m
log-level = info

[subnet 198.18.0.0/24]
range = 198.18.0.10-198.18.0.250

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
EOF

# An ASan build (SANITIZE=address): its interceptors of write and fsync
# call the next definition, the shim's; a gcc build's libasan.so wants to
# come first in the library list, hence verify_asan_link_order=0 (as with
# libfaketime in dhcpd_clock.sh).
start_server() { # LOG
	dhcp_serve "$1" ip netns exec "$S" env LD_PRELOAD="$SHIM" EIO_SHIM_PATH="$JOURNAL" \
		EIO_SHIM_CONTROL="$CTL" \
		ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$DHCPD" -c "$CONF"
}
burst() { # NAME N MAC_BASE [DEADLINE]: relayed DORAs; ACKs appended to $ACKS
	timeout 90 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 \
		--n "$2" --mac-base "$3" --deadline "${4:-8}" --dump "$ACKS" | sed "s/^/$1 /"
}
# the time of the first log line after line $1 that matches $2, in ms
log_ms() { date -d "$(tail -n +"$(($1 + 1))" "$LOG" | grep -m1 -- "$2" | sed -n 's/^ts=\([^ ]*\).*/\1/p')" +%s%3N; }
acked() { sed -n 's/.*relay-ack: .*replies=\([0-9]*\).*/\1/p' <<<"$1"; }
# log lines written since line $1 that say an ACK was sent
acks_logged_since() { tail -n +"$(($1 + 1))" "$LOG" | grep -c 'reply=ack'; }
ACKS=$T_TMP/acks
: >"$ACKS"
LOG=$T_TMP/server.log
start_server "$LOG" || t_done

OUT=$(burst before 100 0)
check "before: 100 DORAs acked ($(grep relay-ack <<<"$OUT"))" grep -q 'relay-ack: sent=100 replies=100' <<<"$OUT"
check "before: the log says reply=ACK for each ($(acks_logged_since 0))" test "$(acks_logged_since 0)" -ge 100

# Every call fails: write gives EIO, nothing of the batch reaches the file.
T_FAULT=$SECONDS
MARK=$(wc -l <"$LOG")
: >"$CTL"
OUT=$(burst eio-write 150 1000 3)
echo "    $OUT"
N=$(acked "$OUT")
check "EIO on write: offers still made ($(grep relay-offer <<<"$OUT"))" \
	grep -q 'relay-offer: sent=150 replies=150' <<<"$OUT"
check "EIO on write: no ACK sent (${N:-?})" test "${N:-1}" -eq 0
NLOG=$(acks_logged_since "$MARK")
check "EIO on write: no reply=ACK logged for an ACK not sent ($NLOG lines)" test "$NLOG" -eq "${N:-0}"
check "EIO on write: each held-back ACK logged as not sent" \
	test "$(tail -n +"$((MARK + 1))" "$LOG" | grep -c 'reply=none dropped=ack .*why="journal write failed"')" -ge 150

# The fault clears for one batch and comes back at once (a disk on the
# edge of full does this too: a small batch fits, the next does not): the
# recovery is told, the new failure waits for the next 10 s report.
rm -f "$CTL"
OUT=$(burst flicker 5 3000 3)
check "fault cleared for a moment: 5 new clients acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=5 replies=5' <<<"$OUT"

# Only the syncs fail: the lines are in the page cache, not known durable.
MARK=$(wc -l <"$LOG")
echo sync >"$CTL"
OUT=$(burst eio-sync 100 2000 3)
echo "    $OUT"
N=$(acked "$OUT")
NERR=$(tail -n +"$((MARK + 1))" "$LOG" | grep -c 'Input/output error')
GAP=$(($(log_ms "$MARK" 'type=request') - $(log_ms 0 'Input/output error')))
if [ "$GAP" -lt 9500 ]; then
	check "EIO back $GAP ms after the last error line: no new error line within 10 s ($NERR)" \
		test "$NERR" -eq 0
else
	skip "EIO back within 10 s: it came back after $GAP ms only (a loaded machine)"
fi
check "EIO on fdatasync: no ACK sent (${N:-?})" test "${N:-1}" -eq 0
NLOG=$(acks_logged_since "$MARK")
check "EIO on fdatasync: no reply=ACK logged for an ACK not sent ($NLOG lines)" test "$NLOG" -eq "${N:-0}"
NERR=$(grep -c 'Input/output error' "$LOG")
MAXERR=$((2 + (SECONDS - T_FAULT) / 10)) # one per started 10 s, and the first
check "EIO: one error line per 10 s, not one per packet ($NERR in $((SECONDS - T_FAULT)) s)" \
	test "$NERR" -ge 1 -a "$NERR" -le "$MAXERR"
check "EIO: the count of replies not sent is logged" grep -q 'replies that bind leases not sent' "$LOG"
check "EIO: the server is alive" kill -0 "$SRV_PID"

rm -f "$CTL"
OUT=$(burst after-write 150 1000)
check "fault cleared: the 150 clients of the write fault are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=150 replies=150' <<<"$OUT"
OUT=$(burst after-sync 100 2000)
check "fault cleared: the 100 clients of the sync fault are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=100 replies=100' <<<"$OUT"
check "fault cleared: recovery logged" grep -q 'written again' "$LOG"

# A write cut short whose fragment cannot be cut off either (ftruncate
# fails too, as on a dying disk): the batch is on disk but for its last
# newline. The next batch, ACKed, must not be glued to it: replay would
# skip the glued line, and with it an ACKed lease.
echo short >"$CTL"
OUT=$(burst eio-short 20 4000 3)
N=$(acked "$OUT")
check "EIO mid-write, fragment left: no ACK sent (${N:-?})" test "${N:-1}" -eq 0
rm -f "$CTL"
OUT=$(burst after-short 20 4100)
check "fault cleared: 20 new clients are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"

kill -9 "$SRV_PID"
wait "$SRV_PID" 2>/dev/null
check "SIGKILL: the server is gone" sh -c "! kill -0 $SRV_PID 2>/dev/null"
"$DHCPD" -c "$CONF" --leases >"$T_TMP/leases.txt" 2>"$T_TMP/leases.err"
check_acked_leases "$ACKS" "$T_TMP/leases.txt" "$T_TMP/leases.err" 370

start_server "$T_TMP/server2.log"
OUT=$(burst restart 20 5000)
check "after restart: new clients are acked ($(grep relay-ack <<<"$OUT"))" \
	grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
stop_pid "$SRV_PID"
[ -n "${KEEP_LOG:-}" ] && cp "$LOG" "$KEEP_LOG"
t_done
