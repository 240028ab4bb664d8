#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# One server per port and per lease file: a second pxe-tftpd, pxe-httpd or
# pxe-dhcpd on a port in use (or, for pxe-dhcpd, on a lease file in use)
# stops at once with a message naming the port or file and the first
# server's pid, and the first one keeps serving and keeps every lease.
# Start-up errors carry journald's "<3>" prefix when stderr is the journal.
# tftpd and httpd on 127.0.0.1; DHCP only inside namespaces made here
# (198.18.0.0/15).
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
need_cmd python3 ss
. "$HERE/tftpd_lib.sh"
for b in "$TFTPD" "$HTTPD" "$DHCPD"; do
	[ -x "$b" ] || { fail "single_instance: $b not built"; t_done; }
done

ROOT=$T_TMP/root
mkdir -p "$ROOT"
head -c 70000 /dev/urandom >"$ROOT/f.bin"

# second NAME LOG CMD...: run a second server, bounded; sets ST.
second() {
	local log=$1; shift
	timeout 10 "$@" >"$log" 2>&1
	ST=$?
}

# ---------------------------------------------------------------- tftpd
tftpd_start "$ROOT"
A=$TFTPD_PID
second "$T_TMP/t2.log" "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" "$ROOT"
check "tftpd: a second one on 127.0.0.1:$TFTPD_PORT exits non-zero before the bound (exit $ST)" \
	test "$ST" != 0 -a "$ST" != 124
want="pxe-tftpd: listen 127.0.0.1:$TFTPD_PORT/udp: Address already in use (held by pxe-tftpd, pid $A)"
check "tftpd: it names the port and the holder ($(head -1 "$T_TMP/t2.log"))" \
	grep -qxF "$want" "$T_TMP/t2.log"
second "$T_TMP/t3.log" "$TFTPD" --listen "0.0.0.0:$TFTPD_PORT" "$ROOT"
check "tftpd: a second one on the wildcard 0.0.0.0:$TFTPD_PORT fails too (exit $ST)" \
	eval 'test "$ST" != 0 -a "$ST" != 124 && grep -qF "(held by pxe-tftpd, pid $A)" "$T_TMP/t3.log"'
tpy get 127.0.0.1 "$TFTPD_PORT" f.bin octet "$T_TMP/t.out" >/dev/null
check "tftpd: the first one still serves" same "$ROOT/f.bin" "$T_TMP/t.out"
n=$(ss -Hlun "sport = :$TFTPD_PORT" | wc -l)
check "tftpd: one socket on the port ($n)" test "$n" = 1

# Under systemd (JOURNAL_STREAM names our stderr) the start-up error is a
# journal entry of priority 3, like the daemon's other error lines.
: >"$T_TMP/j.log"
js=$(stat -c '%d:%i' "$T_TMP/j.log")
JOURNAL_STREAM=$js timeout 10 "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" "$ROOT" 2>>"$T_TMP/j.log"
check "tftpd: under journald the error has the <3> prefix ($(head -1 "$T_TMP/j.log"))" \
	grep -qxF "<3>$want" "$T_TMP/j.log"
JOURNAL_STREAM=$js timeout 10 "$TFTPD" --listen "127.0.0.1:$(free_port udp)" "$T_TMP/none" 2>>"$T_TMP/j.log"
check "tftpd: a missing root (the start-up check of --root) too ($(tail -1 "$T_TMP/j.log"))" \
	grep -qxF "<3>pxe-tftpd: --root: $T_TMP/none: No such file or directory" "$T_TMP/j.log"
timeout 10 "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" "$ROOT" 2>"$T_TMP/plain.log"
check "tftpd: on a pipe it stays plain" grep -qxF "$want" "$T_TMP/plain.log"
stop_pid "$A"

# ---------------------------------------------------------------- httpd
HP=$(free_port tcp)
start_bg "$T_TMP/h1.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$HP"
H=$T_LAST_PID
wait_for 10 tcp_bound "$HP" || fail "httpd start: $(tail -3 "$T_TMP/h1.log")"
second "$T_TMP/h2.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$HP"
check "httpd: a second one on 127.0.0.1:$HP exits non-zero before the bound (exit $ST)" \
	test "$ST" != 0 -a "$ST" != 124
want="pxe-httpd: listen 127.0.0.1:$HP/tcp: Address already in use (held by pxe-httpd, pid $H)"
check "httpd: it names the port and the holder ($(head -1 "$T_TMP/h2.log"))" \
	grep -qxF "$want" "$T_TMP/h2.log"
if have curl; then
	curl -s --max-time 20 -o "$T_TMP/h.out" "http://127.0.0.1:$HP/f.bin"
	check "httpd: the first one still serves" same "$ROOT/f.bin" "$T_TMP/h.out"
else
	skip "httpd: the first one still serves: needs curl"
fi
stop_pid "$H"
# SO_REUSEADDR still lets a restart bind while connections of the old
# server are in TIME_WAIT (the connection above)
start_bg "$T_TMP/h3.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$HP"
check "httpd: a restart binds the port again at once" wait_for 10 tcp_bound "$HP"
stop_pid "$T_LAST_PID"

# ---------------------------------------------------------------- dhcpd
if ! is_root || ! have ip; then
	skip "dhcpd: needs root and ip (network namespaces)"
	t_done
fi
PYC="$PY $HERE/dhcpd_client.py"
. "$HERE/dhcpd_lib.sh"
dhcp_topology pxs$$ 02:54:47:ff:ff:01
X=${P}x
netns_add "$X" && in_ns "$X" ip link set lo up

# The lease directory does not exist yet: the first start makes it.
STATE=$T_TMP/state
L1=$STATE/dhcpd.leases
L2=$T_TMP/other/dhcpd.leases
mkdir -p "$T_TMP/other"
conf() { # conf FILE LEASEFILE
	cat >"$1" <<EOF
[dhcpd]
leasefile = $2
lease-time = 10m

[subnet 198.18.0.0/24]
range = 198.18.0.100-198.18.0.150

[subnet 198.18.16.0/20]
range = 198.18.16.10-198.18.16.250
router = 198.18.16.1
EOF
}
CONF=$T_TMP/d1.conf
conf "$CONF" "$L1"
start_bg "$T_TMP/d1.log" ip netns exec "$S" "$DHCPD" -c "$CONF"
D=$T_LAST_PID
wait_for 10 in_ns "$S" sh -c "ss -Hlun 'sport = :67' | grep -q ." ||
	{ fail "dhcpd start: $(tail -3 "$T_TMP/d1.log")"; t_done; }
check "dhcpd: the missing lease directory was made, mode 0750 ($(stat -c %a "$STATE"))" \
	test "$(stat -c %a "$STATE")" = 750

N=20
out=$(timeout 60 ip netns exec "$R" $PYC burst --relay 198.18.16.1 --server 198.18.0.1 --n $N \
	--out "$T_TMP/granted" --deadline 30)
check "dhcpd: $N clients got leases ($out)" grep -q "^acked=$N " <<<"$out"
leases_in() { grep -oE 'mac=[0-9a-f:]+' "$1" 2>/dev/null | sort -u | wc -l; }
check "dhcpd: the journal holds the $N leases ($(leases_in "$L1"))" test "$(leases_in "$L1")" = $N
ino=$(stat -c %i "$L1")
sum=$(md5sum <"$L1")

# The same port, another lease file: refused on the port; that file is
# never written.
conf "$T_TMP/d2.conf" "$T_TMP/other2.leases"
second "$T_TMP/d2.log" ip netns exec "$S" "$DHCPD" -c "$T_TMP/d2.conf"
check "dhcpd: a second one on port 67 exits non-zero before the bound (exit $ST)" \
	test "$ST" != 0 -a "$ST" != 124
want="pxe-dhcpd: listen 0.0.0.0:67/udp: Address already in use (held by pxe-dhcpd, pid $D)"
check "dhcpd: it names the port and the holder ($(grep -m1 listen "$T_TMP/d2.log"))" \
	grep -qxF "$want" "$T_TMP/d2.log"
check "dhcpd: it wrote no lease file" test ! -e "$T_TMP/other2.leases"

# The same lease file, port 67 free (another namespace): refused on the
# lock, the journal untouched (no compaction, no rename).
second "$T_TMP/d3.log" ip netns exec "$X" "$DHCPD" -c "$CONF"
check "dhcpd: a second one on the same lease file exits non-zero before the bound (exit $ST)" \
	test "$ST" != 0 -a "$ST" != 124
want="pxe-dhcpd: $L1: locked by another pxe-dhcpd (pid $D)"
check "dhcpd: it names the lease file and the holder ($(head -1 "$T_TMP/d3.log"))" \
	grep -qxF "$want" "$T_TMP/d3.log"
check "dhcpd: the journal is the same file, unchanged" \
	test "$(stat -c %i "$L1")" = "$ino" -a "$(md5sum <"$L1")" = "$sum"
n=$(in_ns "$S" ss -Hlun 'sport = :67' | wc -l)
check "dhcpd: one socket on port 67 ($n)" test "$n" = 1

# A renewal after the failed starts goes to the journal on disk.
read -r mac ip <"$T_TMP/granted"
renew() { # renew MAC IP: one REQUEST through the relay
	timeout 20 ip netns exec "$R" $PYC request --relay 198.18.16.1 --server 198.18.0.1 \
		--mac "$1" --addr "$2" --server-id 198.18.0.1
}
r=$(renew "$mac" "$ip")
check "dhcpd: the first one still answers (renewal of $ip: $(cut -c1-60 <<<"$r"))" \
	grep -q '"type": "ACK"' <<<"$r"
deleted() { ls -l "/proc/$1/fd" 2>/dev/null | grep -c '(deleted)'; }
dpid=$D # ip netns exec execs the daemon in its place
check "dhcpd: no deleted file among its descriptors ($(deleted "$dpid"))" test "$(deleted "$dpid")" = 0
check "dhcpd: the renewal is in the lease file" \
	wait_for 5 grep -q "renew mac=$mac ip=$ip " "$L1"
check "dhcpd: the journal still holds the $N leases ($(leases_in "$L1"))" \
	test "$(leases_in "$L1")" = $N

# SIGHUP with another lease file that a second server holds: refused, the
# old file stays in use. Then, once it is free: the leases move there.
conf "$T_TMP/d4.conf" "$L2"
start_bg "$T_TMP/d4.log" ip netns exec "$X" "$DHCPD" -c "$T_TMP/d4.conf"
E=$T_LAST_PID
wait_for 10 in_ns "$X" sh -c "ss -Hlun 'sport = :67' | grep -q ."
conf "$CONF" "$L2"
kill -HUP "$dpid"
check "dhcpd: reload onto a locked lease file is refused, naming the holder" \
	wait_for 10 grep -q "$L2: locked by another pxe-dhcpd (pid $E); the old configuration stays" "$T_TMP/d1.log"
read -r mac2 ip2 < <(sed -n 2p "$T_TMP/granted")
r=$(renew "$mac2" "$ip2")
check "dhcpd: after it the renewals still go to the old file" \
	eval 'grep -q "\"type\": \"ACK\"" <<<"$r" && wait_for 5 grep -q "renew mac=$mac2 ip=$ip2 " "$L1"'
stop_pid "$E"
rm -f "$L2"
kill -HUP "$dpid"
check "dhcpd: reload onto a free lease file switches" \
	wait_for 10 grep -q "leases now in $L2" "$T_TMP/d1.log"
check "dhcpd: the new file holds the $N leases ($(leases_in "$L2"))" test "$(leases_in "$L2")" = $N
read -r mac3 ip3 < <(sed -n 3p "$T_TMP/granted")
r=$(renew "$mac3" "$ip3")
check "dhcpd: later renewals go to the new file" \
	eval 'grep -q "\"type\": \"ACK\"" <<<"$r" && wait_for 5 grep -q "renew mac=$mac3 ip=$ip3 " "$L2"'
check "dhcpd: and not to the old one" eval '! grep -q "renew mac=$mac3 " "$L1"'
if have flock; then
	check "dhcpd: the old file's lock is released" flock -n "$L1.lock" true
fi
second "$T_TMP/d5.log" ip netns exec "$X" "$DHCPD" -c "$CONF"
check "dhcpd: the new file is locked ($(head -1 "$T_TMP/d5.log"))" \
	grep -qF "$L2: locked by another pxe-dhcpd (pid $dpid)" "$T_TMP/d5.log"
stop_pid "$D"
t_done
