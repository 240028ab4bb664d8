#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Descriptor exhaustion (issue 19): pxe-httpd with `ulimit -n 64` under 500
# concurrent keep-alive clients, and pxe-tftpd with `ulimit -n 24` under 200
# concurrent readers (a transfer takes a socket and a file). Each must
# keep serving what it can (successes in every second of the load), never
# spin on EMFILE (its CPU time over the load stays a small fraction of the
# wall time: a listening socket that stays readable while accept fails
# would take a whole core), and recover (after the load its descriptors
# are back to the count before it, and a plain request succeeds).
# Loopback only; the load clients are fdlimit_load.py.
. "$(dirname "$0")/../lib.sh"
need_cmd curl ss python3
[ -x "$HTTPD" ] || { fail "fdlimit: $HTTPD not built"; t_done; }
[ -x "$TFTPD" ] || { fail "fdlimit: $TFTPD not built"; t_done; }
LOAD="$PY $(dirname "$0")/fdlimit_load.py"
SECS=10
TICK=$(getconf CLK_TCK)
# The clients need descriptors of their own (500 sockets).
ulimit -n 4096 2>/dev/null
cpu_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
nfds() { ls "/proc/$1/fd" | wc -l; }
fds_are() { [ "$(nfds "$1")" -eq "$2" ]; } # PID N
# every_second_ok LINE: each whole second of the load had a success
every_second_ok() { sed -n 's/.*per_second=//p' <<<"$1" | tr ',' '\n' | head -n "$SECS" | grep -qx 0 && return 1; return 0; }
# CPU over the load at most a quarter of the wall time (a spin is ~all of it)
CPU_MAX_PCT=25

ROOT=$T_TMP/root
mkdir -p "$ROOT"
head -c 1000 /dev/urandom >"$ROOT/page.bin"
head -c 20000 /dev/urandom >"$ROOT/boot.bin"

# ---- pxe-httpd, ulimit -n 64, 500 clients
HP=$(free_port tcp)
start_bg "$T_TMP/httpd.log" bash -c 'ulimit -n 64 && exec "$@"' sh "$HTTPD" "$ROOT" \
	--addr 127.0.0.1 --port "$HP" --log /dev/null --timeout 5
HPID=$T_LAST_PID
wait_for 5 tcp_bound "$HP" || { fail "httpd: not listening"; cat "$T_TMP/httpd.log"; t_done; }
check "httpd: runs with a limit of 64 descriptors" \
	grep -q '^Max open files *64 ' "/proc/$HPID/limits"
# one request first: the file cache keeps the served file open
curl -s --max-time 5 -o /dev/null "http://127.0.0.1:$HP/page.bin"
FD0=$(nfds "$HPID")
C0=$(cpu_ticks "$HPID")
T0=$(date +%s%N)
OUT=$(timeout $((SECS + 20)) $LOAD http "$HP" /page.bin 1000 --clients 500 --seconds "$SECS" --hold 1.2 \
	--patience $((SECS + 5)))
C1=$(cpu_ticks "$HPID")
T1=$(date +%s%N)
echo "    httpd load: $OUT"
CPU_PCT=$(((C1 - C0) * 100 * 1000000000 / TICK / (T1 - T0)))
check "httpd: requests served through the overload ($(sed 's/ per_second.*//' <<<"$OUT"))" \
	every_second_ok "$OUT"
check "httpd: EMFILE was reached (accept paused, logged)" \
	grep -q 'Too many open files: pausing accept' "$T_TMP/httpd.log"
check "httpd: CPU during the overload ${CPU_PCT}% of the wall time (at most $CPU_MAX_PCT%: no spin on EMFILE)" \
	test "$CPU_PCT" -le "$CPU_MAX_PCT"
check "httpd: descriptors back to $FD0 after the load" wait_for 15 fds_are "$HPID" "$FD0"
fds_are "$HPID" "$FD0" || ls -l "/proc/$HPID/fd" | sed 's/^/    /'

check "httpd: a plain request succeeds after the load" \
	sh -c "curl -s --max-time 5 http://127.0.0.1:$HP/page.bin | cmp -s - '$ROOT/page.bin'"
check "httpd: alive" kill -0 "$HPID"
stop_pid "$HPID"

# ---- pxe-tftpd, ulimit -n 24, 200 readers (busy-poll off: the CPU time
# measured is then the server's work, not its deliberate polling)
TP=$(free_port udp)
start_bg "$T_TMP/tftpd.log" bash -c 'ulimit -n 24 && exec "$@"' sh "$TFTPD" --root "$ROOT" \
	--listen "127.0.0.1:$TP" --busy-poll off --log-level notice
TPID=$T_LAST_PID
wait_for 5 udp_bound "$TP" || { fail "tftpd: not listening"; cat "$T_TMP/tftpd.log"; t_done; }
check "tftpd: runs with a limit of 24 descriptors" \
	grep -q '^Max open files *24 ' "/proc/$TPID/limits"
FD0=$(nfds "$TPID")
C0=$(cpu_ticks "$TPID")
T0=$(date +%s%N)
OUT=$(timeout $((SECS + 20)) $LOAD tftp "$TP" boot.bin 20000 --clients 200 --seconds "$SECS" --ack-delay 0.005)
C1=$(cpu_ticks "$TPID")
T1=$(date +%s%N)
echo "    tftpd load: $OUT"
CPU_PCT=$(((C1 - C0) * 100 * 1000000000 / TICK / (T1 - T0)))
check "tftpd: transfers completed through the overload ($(sed 's/ per_second.*//' <<<"$OUT"))" \
	every_second_ok "$OUT"
check "tftpd: descriptors ran out (requests refused)" grep -qE 'refused=[1-9]' <<<"$OUT"
check "tftpd: no transfer it started failed ($(sed -n 's/.*failed=\([0-9]*\).*/\1/p' <<<"$OUT"))" \
	grep -q 'failed=0 ' <<<"$OUT"
check "tftpd: CPU during the overload ${CPU_PCT}% of the wall time (at most $CPU_MAX_PCT%)" \
	test "$CPU_PCT" -le "$CPU_MAX_PCT"
check "tftpd: descriptors back to $FD0 after the load" wait_for 15 fds_are "$TPID" "$FD0"
OUT=$(cd "$T_TMP" && timeout 20 $PY - "$TP" <<'EOF'
import socket, struct, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.settimeout(3)
s.sendto(b"\0\1boot.bin\0octet\0", ("127.0.0.1", int(sys.argv[1])))
data, n = b"", 1
while True:
    b, a = s.recvfrom(1000)
    if struct.unpack("!HH", b[:4]) != (3, n): continue
    data += b[4:]; s.sendto(struct.pack("!HH", 4, n), a); n += 1
    if len(b) < 516: break
print(len(data))
EOF
)
check "tftpd: a plain transfer succeeds after the load ($OUT bytes)" test "$OUT" = 20000
check "tftpd: alive" kill -0 "$TPID"
stop_pid "$TPID"
t_done
