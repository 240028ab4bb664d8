#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-httpd limits: slowloris cut-off with 408, keep-alive idle timeout,
# --maxconn as a real cap, thousands of idle connections while serving,
# large sendfile bodies, clients vanishing mid-transfer.
. "$(dirname "$0")/../lib.sh"
need_cmd curl ss python3
PY=$(command -v /usr/bin/python3 || command -v python3)
RAW="$PY $(dirname "$0")/httpd_raw.py"
port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -x "$HTTPD" ] || { fail "httpd_limits: $HTTPD not built"; t_done; }
expect() { local name=$1 want=$2 got=$3; [ "$got" = "$want" ] && pass "$name" || fail "$name: want '$want', got '$got'"; }

ROOT=$T_TMP/root
mkdir -p "$ROOT"
echo hello >"$ROOT/a.txt"
truncate -s 300M "$ROOT/big.bin"
printf 'TAIL' | dd of="$ROOT/big.bin" bs=1 seek=$((300 * 1024 * 1024 - 4)) conv=notrunc 2>/dev/null

# Real-time cut-offs. Their exact timing (the header deadline counted from
# the first byte and not extended by later ones, the idle deadline, the
# 408, LINGER) is tested with a fake clock in tests/unit/httpd/
# test_conn_fsm.c; here the real daemon only has to cut a slow client with
# a 408 and close an idle one, never before its timeout. The upper bounds
# are generous so that a loaded machine (a sanitizer build beside another
# build on 2 CPUs) does not fail them: the server checks deadlines every
# 0.5 s, a silent connection waits ~1 s in the kernel before it is
# accepted (--defer-accept), and the Python client may be scheduled late.
P=$(port); U=http://127.0.0.1:$P
ulimit -n 8192 2>/dev/null
start_bg "$T_TMP/s.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$P" --header-timeout 2 --timeout 3 --log /dev/null
SPID=$T_LAST_PID
wait_for 20 tcp_bound "$P" || { fail "not listening"; t_done; }

# slowloris: one header byte every 0.5 s, which would keep a deadline
# extended by bytes alive forever; cut at 2 s (+ the sweep) with a 408
out=$($RAW slow 127.0.0.1 "$P" 0.5 20)
secs=$(echo "$out" | awk '{print $2}')
if [[ $out == cut* && $out == *408* ]] && awk -v s="$secs" 'BEGIN {exit !(s >= 1.5 && s < 12)}'; then
	pass "slowloris cut with 408 after ${secs}s (--header-timeout 2)"
else
	fail "slowloris: $out"
fi
# idle keep-alive connection closed after --timeout (after ~4 s: accepted
# after ~1 s of --defer-accept, then 3 s idle)
out=$($RAW idle 127.0.0.1 "$P" 15)
secs=$(echo "$out" | awk '{print $2}')
[[ $out == closed* ]] && awk -v s="$secs" 'BEGIN {exit !(s >= 2.5 && s < 12)}' && pass "idle connection closed after ${secs}s (--timeout 3)" || fail "idle timeout: $out"
stop_pid "$SPID"

# The rest is not about timeouts: --timeout 10, so that connections held
# idle below are not closed by a timeout however slow their setup is.
P=$(port); U=http://127.0.0.1:$P
start_bg "$T_TMP/s2.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$P" --header-timeout 2 --timeout 10 --log /dev/null
SPID=$T_LAST_PID
wait_for 20 tcp_bound "$P" || { fail "not listening"; t_done; }

# large body through sendfile, byte count and tail exact
n=$(curl -s --max-time 60 -o "$T_TMP/big.out" -w '%{size_download}' "$U/big.bin")
expect "300 MiB body complete" $((300 * 1024 * 1024)) "$n"
expect "300 MiB tail exact" TAIL "$(tail -c 4 "$T_TMP/big.out")"
rm -f "$T_TMP/big.out"
# clients that vanish mid-transfer
for i in 1 2 3 4 5; do curl -s --max-time 0.2 -o /dev/null "$U/big.bin"; done
$RAW raw 127.0.0.1 "$P" 'GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n' 0.05 >/dev/null
curl -s --max-time 5 -o /dev/null --limit-rate 1M -r 0-99 "$U/big.bin"
n=$(curl -s --max-time 10 "$U/a.txt")
expect "alive after aborted transfers" hello "$n"

# thousands of idle connections, served alongside (no select() limit)
$RAW hold 127.0.0.1 "$P" 2000 2.5 >"$T_TMP/hold.out" &
hp=$!
conns() { ss -Htn state established state syn-recv "( sport = :$P )" | wc -l; }
held() { [ "$(conns)" -ge 2000 ]; }
wait_for 30 held
ok=0
for i in $(seq 20); do [ "$(curl -s --max-time 2 "$U/a.txt")" = hello ] && ok=$((ok + 1)); done
wait "$hp"
expect "20 requests served while 2000 connections sit idle" 20 "$ok"
expect "2000 idle connections accepted, none dropped early" "connected=2000 closed=0" "$(cat "$T_TMP/hold.out")"
rss=$(awk '/VmHWM/ {print $2}' /proc/"$SPID"/status)
if ldd "$HTTPD_BIN" 2>/dev/null | grep -q 'libasan'; then
	skip "peak RSS: sanitizer build (${rss} kB)"
else
	[ "${rss:-999999}" -lt 30000 ] && pass "peak RSS ${rss} kB with 2000 connections" || fail "peak RSS ${rss} kB"
fi
stop_pid "$SPID"

# --maxconn 2: a third client waits in the backlog until one leaves
P=$(port); U=http://127.0.0.1:$P
start_bg "$T_TMP/m.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$P" --maxconn 2 --log /dev/null
SPID=$T_LAST_PID
wait_for 20 tcp_bound "$P"
# (the holders send a partial request: a silent connection would wait in
# the kernel, not taking a slot, under --defer-accept. The curl starts
# once both are established, which under --defer-accept means their bytes
# are in, so they are accepted first; they hold 4 s, so the curl waits
# ~4 s, and at least 1.2 s however late it starts on a loaded machine.)
$RAW raw 127.0.0.1 "$P" 'GET /a.txt HTTP/1.1\r\n' 4 >/dev/null &
h1=$!
$RAW raw 127.0.0.1 "$P" 'GET /a.txt HTTP/1.1\r\n' 4 >/dev/null &
h2=$!
established() { [ "$(ss -Htn state established "( sport = :$P )" | wc -l)" -ge 2 ]; }
wait_for 20 established
t0=$(date +%s.%N)
code=$(curl -s --max-time 15 -o /dev/null -w '%{http_code}' "$U/a.txt")
t1=$(date +%s.%N)
wait "$h1" "$h2"
waited=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.1f", b - a}')
[ "$code" = 200 ] && awk -v w="$waited" 'BEGIN {exit !(w >= 1.2)}' && pass "--maxconn 2: third client served after ${waited}s, once a slot freed" || fail "--maxconn: code=$code waited=$waited"
stop_pid "$SPID"

# --defer-accept (default): a silent new connection waits in the kernel
# (SYN-RECV on the server side) until its request comes; --no-defer-accept
# takes it at once (ESTABLISHED).
if command -v ss >/dev/null; then
	connected() { [ "$(ss -Htn state established state syn-recv "( sport = :$1 )" | wc -l)" -ge 1 ]; }
	for mode in defer no-defer; do
		P=$(port)
		args=(); [ $mode = no-defer ] && args=(--no-defer-accept)
		start_bg "$T_TMP/d.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$P" --log /dev/null "${args[@]}"
		SPID=$T_LAST_PID
		wait_for 20 tcp_bound "$P"
		# (looked at as soon as the connection shows: a silent one is
		# taken after ~1 s even under --defer-accept)
		$RAW idle 127.0.0.1 "$P" 5 >/dev/null &
		h1=$!
		wait_for 10 connected "$P"
		syn=$(ss -Htn state syn-recv "( sport = :$P )" | wc -l)
		est=$(ss -Htn state established "( sport = :$P )" | wc -l)
		stop_pid "$h1"
		if [ $mode = defer ]; then
			expect "--defer-accept: a silent connection is not taken yet (syn-recv $syn, established $est)" "1 0" "$syn $est"
			code=$($RAW raw 127.0.0.1 "$P" 'GET /a.txt HTTP/1.0\r\n\r\n' 2 | head -1 | tr -d '\r')
			expect "--defer-accept: a request is answered" "HTTP/1.1 200 OK" "$code"
		else
			expect "--no-defer-accept: a silent connection is taken at once (syn-recv $syn, established $est)" "0 1" "$syn $est"
		fi
		stop_pid "$SPID"
	done
else
	skip "defer-accept: no ss"
fi
t_done
