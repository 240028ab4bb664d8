#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd when the wall clock is set while it runs (issue 19), with
# libfaketime (its time file re-read on every call; the monotonic clocks
# left alone): set a day forward, no lease expires (their clients still hold
# the addresses) and each keeps the time it had left; set back, none is
# extended by a day. The journal is rewritten in the new time, so a restart
# agrees. Namespaces (198.18.0.0/15) as in dhcpd_burst.sh.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/dhcpd_lib.sh"
need_root dhcpd_clock
need_cmd ip ss python3
HERE=$(cd "$(dirname "$0")" && pwd)
PYB="python3 $HERE/dhcpd_burst.py"
[ -x "$DHCPD" ] || { fail "dhcpd_clock: $DHCPD not built"; t_done; }
FT=""
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
	[ -e "$f" ] && FT=$f && break
done
[ -n "$FT" ] || { skip "dhcpd_clock: needs libfaketime (package faketime)"; t_exit 77; }

dhcp_topology pxk$$ 02:54:43:ff:ff:04
TSF=$T_TMP/faketime
echo "+0" >"$TSF"
fake() {
	env LD_PRELOAD="$FT" FAKETIME_TIMESTAMP_FILE="$TSF" FAKETIME_NO_CACHE=1 \
		FAKETIME_DONT_FAKE_MONOTONIC=1 "$@"
}
CONF=$T_TMP/dhcpd.conf
cat >"$CONF" <<EOF
[dhcpd]
interface = br0
leasefile = $T_TMP/leases
lease-time = 1h
log-level = notice

[subnet 198.18.0.0/24]
range = 198.18.0.10-198.18.0.250

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.31.250
EOF
LOG=$T_TMP/server.log
# An ASan build wants its runtime first in the library list; libfaketime
# only wraps time calls, which ASan does not intercept.
dhcp_serve "$LOG" ip netns exec "$S" env LD_PRELOAD="$FT" FAKETIME_TIMESTAMP_FILE="$TSF" \
	FAKETIME_NO_CACHE=1 FAKETIME_DONT_FAKE_MONOTONIC=1 \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" "$DHCPD" -c "$CONF" ||
	t_done
ACKS=$T_TMP/acks
OUT=$(timeout 60 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 --n 20 \
	--mac-base 0 --deadline 5 --dump "$ACKS")
check "20 clients acked ($(grep relay-ack <<<"$OUT"))" grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"

# leases_left MIN MAX: every ACKed client's lease in the journal ends
# between MIN and MAX seconds after the (faked) now, and none expired.
leases_left() {
	python3 - "$T_TMP/leases" "$ACKS" "$(fake date +%s)" "$1" "$2" <<'PY'
import sys, datetime
journal, acks, now, lo, hi = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
last = {}
for line in open(journal):
    f = line.split()
    if len(f) < 3:
        continue
    kv = dict(x.split("=", 1) for x in f[2:] if "=" in x)
    if "mac" in kv:
        last[kv["mac"]] = (f[1], kv.get("until", ""))
bad = []
for line in open(acks):
    mac = line.split()[0]
    ev, until = last.get(mac, ("missing", ""))
    if ev != "add" or not until:
        bad.append("%s %s" % (mac, ev))
        continue
    t = datetime.datetime.strptime(until, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=datetime.timezone.utc)
    left = int(t.timestamp()) - now
    if not lo <= left <= hi:
        bad.append("%s left %d s" % (mac, left))
print("; ".join(bad[:3]) or "ok")
sys.exit(1 if bad else 0)
PY
}
check "before: each lease has about an hour left" leases_left 3400 3600

echo "+1d" >"$TSF"
check "a day forward: noticed and logged" wait_for 5 grep -q 'wall clock moved by +86[34][0-9][0-9] s' "$LOG"
sleep 1.5 # a tick after the rewrite: nothing may expire
check "a day forward: no lease expired, each kept its time left" leases_left 3300 3600
check "a day forward: no expire line in the journal" sh -c "! grep -q ' expire ' '$T_TMP/leases'"

echo "+0" >"$TSF"
check "back again: noticed and logged" wait_for 5 grep -q 'wall clock moved by -86[34][0-9][0-9] s' "$LOG"
check "back again: no lease extended by a day" leases_left 3300 3600

# Renewals after both jumps: the same addresses, an hour from now.
OUT=$(timeout 60 ip netns exec "$R" $PYB relay --relay 198.18.16.1 --server 198.18.0.1 --n 20 \
	--mac-base 0 --deadline 5 --dump "$T_TMP/acks2")
check "the same 20 clients are acked again" grep -q 'relay-ack: sent=20 replies=20' <<<"$OUT"
check "with the same addresses" cmp -s <(sort "$ACKS") <(sort "$T_TMP/acks2")
check "server still running" kill -0 "$SRV_PID"
stop_pid "$SRV_PID"
t_done
