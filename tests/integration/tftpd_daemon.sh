#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-tftpd's daemon life: --check-config, sd_notify READY/RELOADING/
# STOPPING, SIGHUP reload (a bad config keeps the old one), SIGUSR1 log
# reopen, SIGTERM clean stop, socket activation (LISTEN_FDS), IPv6.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3 curl atftp ss

ROOT=$T_TMP/root
mkdir -p "$ROOT"
echo hello >"$ROOT/a.txt"
head -c 100000 /dev/urandom >"$ROOT/b.bin"
OUT=$T_TMP/out; mkdir -p "$OUT"

# --- configuration checks
CONF=$T_TMP/tftpd.conf
printf '[tftpd]\nroot = %s\nblksize-max = 1024\nmap = %s/map\n' "$ROOT" "$T_TMP" >"$CONF"
printf 'r ^alias$ a.txt\n' >"$T_TMP/map"
check "--check-config accepts a good file" "$TFTPD" -c "$CONF" --check-config
"$TFTPD" --blksize-max 4 --check-config >/dev/null 2>&1
check "blksize-max 4 is refused with exit 78" test $? = 78
"$TFTPD" --port-range 9:3 --check-config >/dev/null 2>&1
check "a bad port-range is refused with exit 78" test $? = 78
"$TFTPD" --refuse bogus --check-config >/dev/null 2>&1
check "an unknown option name in refuse is refused" test $? = 78
check "--print-config shows windowsize-max" eval '"$TFTPD" --print-config | grep -q "^windowsize-max = 64"'
check "--help lists single-port" eval '"$TFTPD" --help | grep -q -- "--single-port"'

# --- sd_notify, reload, reopen, stop
NOTIFY=$T_TMP/notify.sock
python3 - "$NOTIFY" >"$OUT/notify" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1]); s.settimeout(30)
try:
    while True:
        m = s.recv(4096).decode()
        print(m.replace("\n", " "), flush=True)
        if "STOPPING=1" in m: break
except socket.timeout:
    pass
PY
NPID=$!
T_PIDS+=("$NPID")
wait_for 5 test -S "$NOTIFY"
PORT=$(free_port udp)
LOGF=$T_TMP/file.log
NOTIFY_SOCKET=$NOTIFY start_bg "$T_TMP/stderr" "$TFTPD" -c "$CONF" --listen 127.0.0.1:$PORT --log "$LOGF"
PID=$T_LAST_PID
wait_for 5 grep -q READY=1 "$OUT/notify"
check "READY=1 sent to NOTIFY_SOCKET" grep -q 'READY=1' "$OUT/notify"
r=$(tpy oack 127.0.0.1 $PORT b.bin blksize=1400)
check "blksize-max from the file ($r)" test "$r" = "oack_blksize=1024"
tpy get 127.0.0.1 $PORT alias octet "$OUT/alias" >/dev/null
check "map file from the config" same "$OUT/alias" "$ROOT/a.txt"

printf '[tftpd]\nroot = %s\nblksize-max = 2000\nmap = %s/map\n' "$ROOT" "$T_TMP" >"$CONF"
printf 'r ^alias$ b.bin\n' >"$T_TMP/map"
kill -HUP "$PID"
wait_for 5 grep -q 'configuration reloaded' "$LOGF"
r=$(tpy oack 127.0.0.1 $PORT b.bin blksize=1400)
check "SIGHUP applies a new config ($r)" test "$r" = "oack_blksize=1400"
tpy get 127.0.0.1 $PORT alias octet "$OUT/alias2" >/dev/null
check "SIGHUP re-reads the map file" same "$OUT/alias2" "$ROOT/b.bin"
check "RELOADING=1 then READY=1" grep -q 'RELOADING=1' "$OUT/notify"

printf '[tftpd]\nroot = %s\nblksize-max = 512\nbogus-key = 1\n' "$ROOT" >"$CONF"
kill -HUP "$PID"
wait_for 5 grep -q 'keeping the old configuration' "$LOGF"
check "a bad config is reported" grep -q 'keeping the old configuration.*bogus-key' "$LOGF"
r=$(tpy oack 127.0.0.1 $PORT b.bin blksize=1400)
check "... and the old one stays in force ($r)" test "$r" = "oack_blksize=1400"
printf 'r (unclosed x\n' >"$T_TMP/map"
printf '[tftpd]\nroot = %s\nmap = %s/map\n' "$ROOT" "$T_TMP" >"$CONF"
kill -HUP "$PID"
wait_for 5 grep -q 'bad regular expression' "$LOGF"
check "a bad map file keeps the old config" grep -q 'keeping the old configuration.*bad regular' "$LOGF"

mv "$LOGF" "$LOGF.1"
kill -USR1 "$PID"
tpy get 127.0.0.1 $PORT a.txt octet "$OUT/x" >/dev/null
wait_for 5 grep -q 'event=transfer' "$LOGF"
check "SIGUSR1 reopens the log file" grep -q 'file=a.txt' "$LOGF"

kill -TERM "$PID"
for _ in $(seq 50); do kill -0 "$PID" 2>/dev/null || break; sleep 0.1; done
wait "$PID"; st=$?
check "SIGTERM: clean exit 0 (got $st)" test "$st" = 0
wait_for 5 grep -q STOPPING=1 "$OUT/notify"
check "STOPPING=1 sent" grep -q 'STOPPING=1' "$OUT/notify"

# --- socket activation: the socket comes from systemd-socket-activate
if have systemd-socket-activate; then
	PORT=$(free_port udp)
	start_bg "$T_TMP/act.log" systemd-socket-activate -d -l 127.0.0.1:$PORT "$TFTPD" --listen 127.0.0.1:1 "$ROOT"
	wait_for 10 udp_bound "$PORT"
	tpy get 127.0.0.1 $PORT b.bin octet "$OUT/act" windowsize=4 >/dev/null
	check "socket activation (LISTEN_FDS) serves on the passed socket" same "$OUT/act" "$ROOT/b.bin"
	stop_pid "$T_LAST_PID"
else
	skip "socket activation: systemd-socket-activate missing"
fi

# --- IPv6 and two listen addresses
if python3 -c 'import socket; s=socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.bind(("::1", 0))' 2>/dev/null; then
	PORT=$(free_port udp)
	start_bg "$T_TMP/v6.log" "$TFTPD" --listen "[::1]:$PORT" --listen "127.0.0.1:$PORT" "$ROOT"
	wait_for 10 udp_bound "$PORT"
	tpy get ::1 $PORT b.bin octet "$OUT/v6" blksize=65464 >/dev/null
	check "IPv6 [::1] byte-exact" same "$OUT/v6" "$ROOT/b.bin"
	tpy get 127.0.0.1 $PORT b.bin octet "$OUT/v4" >/dev/null
	check "IPv4 on the same port, separate socket" same "$OUT/v4" "$ROOT/b.bin"
	stop_pid "$T_LAST_PID"
else
	skip "IPv6: no ::1"
fi

# --- --daemon: the parent returns once the daemon serves
PORT=$(free_port udp)
"$TFTPD" --daemon --pidfile "$T_TMP/pid" --listen 127.0.0.1:$PORT "$ROOT" >/dev/null 2>&1
check "--daemon returns 0 after binding" test $? = 0
DPID=$(cat "$T_TMP/pid" 2>/dev/null)
[ -n "$DPID" ] && on_exit "kill $DPID"
tpy get 127.0.0.1 $PORT a.txt octet "$OUT/d" >/dev/null
check "--daemon serves" same "$OUT/d" "$ROOT/a.txt"
[ -n "$DPID" ] && kill "$DPID"
"$TFTPD" --daemon --listen 127.0.0.1:$PORT /nonexistent >/dev/null 2>&1
check "--daemon with a missing root fails visibly" test $? != 0

# --- busy-poll: spins only while a transfer runs; gso = no still serves windows
# The policy (when to spin, how long, the yield, auto's window, one CPU)
# is tested on a fake clock in tests/unit/tftpd/test_spin.c. What stays
# here is the proof with the real loop and real clients, in CPU ticks
# (USER_HZ 100: a tick is 10 ms of CPU) and sleeps read from /proc; each
# bound leaves room for a loaded 2-core machine (a build or an ASan
# server beside it) and still tells a spinning server from a sleeping one.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
head -c 3000000 /dev/urandom >"$ROOT/c.bin"
if tftpd_start "$ROOT" --busy-poll 100000; then
	BP=$TFTPD_PID
	curl -s --max-time 60 -o "$OUT/bp1" "tftp://127.0.0.1:$TFTPD_PORT/c.bin"
	check "busy-poll: curl lock-step byte-exact" same "$OUT/bp1" "$ROOT/c.bin"
	timeout 60 atftp --option "blksize 1468" --option "windowsize 8" -g -r c.bin -l "$OUT/bp8" \
		127.0.0.1 "$TFTPD_PORT" >/dev/null 2>&1
	check "busy-poll: atftp windowsize 8 byte-exact" same "$OUT/bp8" "$ROOT/c.bin"
	sleep 0.3
	# Idle, the server uses no CPU at all: 0 ticks measured every time,
	# ASan build beside a CPU hog on a loaded machine included; a spinning
	# one takes up to 150 ticks in 1.5 s.
	t0=$(cpu_ticks "$BP"); sleep 1.5; t1=$(cpu_ticks "$BP")
	check "busy-poll: no spinning without transfers ($((t1 - t0)) ticks in 1.5 s)" test $((t1 - t0)) -le 5
	# A client that asks and then keeps its transfer waiting for 1 s,
	# with a stray old ACK every 50 ms (a packet the server wakes for and
	# ignores): the server spins 100 ms after each, so all the time. One
	# 100 ms spin alone got 9 to 10 ticks on a quiet machine but as few as
	# 1 on a loaded one, where every yield hands the CPU to other work;
	# 0.6 s of spinning got 6 to 54 there (ASan build, a CPU hog, load 5),
	# and a sleeping server that wakes 21 times gets none.
	t0=$(cpu_ticks "$BP")
	timeout 10 python3 - "$TFTPD_PORT" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"\x00\x01c.bin\x00octet\x00", ("127.0.0.1", int(sys.argv[1])))
s.settimeout(5); d, peer = s.recvfrom(600)
for i in range(20):
    time.sleep(0.05)
    s.sendto(b"\x00\x04\x00\x00", peer)
PY
	t1=$(cpu_ticks "$BP")
	check "busy-poll: spins while a transfer waits ($((t1 - t0)) ticks)" test $((t1 - t0)) -ge 3
	stop_pid "$BP"
fi
# --- busy-poll = auto (the default): the server stays awake between the
# packets of a fast client, and sleeps at once for a slow one. Each sleep
# in epoll_wait is one voluntary context switch of the server.
vcsw() { awk '/^voluntary_ctxt_switches/ {print $2}' "/proc/$1/status"; }
sleeps_for_curl() { # sleeps_for_curl PID: the server's sleeps during one lock-step curl get
	local a b
	a=$(vcsw "$1")
	curl -s --max-time 60 --tftp-blksize 1468 -o "$OUT/bpa" "tftp://127.0.0.1:$TFTPD_PORT/c.bin"
	b=$(vcsw "$1")
	same "$OUT/bpa" "$ROOT/c.bin" && echo $((b - a))
}
slow_client() { # slow_client PORT N: read N blocks of c.bin, ACKing each after 3 ms
	timeout 30 python3 - "$1" "$2" <<'PY'
import socket, struct, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"\x00\x01c.bin\x00octet\x00", ("127.0.0.1", port))
for i in range(n):
    data, peer = s.recvfrom(1000)
    time.sleep(0.003)
    s.sendto(b"\x00\x04" + data[2:4], peer)
s.sendto(b"\x00\x05\x00\x00done\x00", peer)
PY
}
# A spinning server yields to any process that wants its CPU: a busy
# loop pinned to the same CPU gets it nearly all while the server spins
# (a client keeps it spinning with a stray old ACK every 50 ms). Measured
# about 200 ticks to 0-2; without the yield the scheduler shared the CPU
# about 2:1 (146 to 75), so the bound is 3:1.
if have taskset && tftpd_start "$ROOT" --busy-poll 100000; then
	stop_pid "$TFTPD_PID"
	start_bg "$TFTPD_LOG.pin" taskset -c 0 "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" --busy-poll 100000 "$ROOT"
	SP=$T_LAST_PID
	if wait_for 10 udp_bound "$TFTPD_PORT"; then
		start_bg "$T_TMP/hog.log" taskset -c 0 sh -c 'while :; do :; done'
		HOG=$T_LAST_PID
		sleep 0.2
		h0=$(cpu_ticks "$HOG"); s0=$(cpu_ticks "$SP")
		timeout 10 python3 - "$TFTPD_PORT" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b"\x00\x01c.bin\x00octet\x00", ("127.0.0.1", int(sys.argv[1])))
d, peer = s.recvfrom(1000)
for i in range(30):
    time.sleep(0.05)
    s.sendto(b"\x00\x04\x00\x00", peer)
s.sendto(b"\x00\x05\x00\x00done\x00", peer)
PY
		h1=$(cpu_ticks "$HOG"); s1=$(cpu_ticks "$SP")
		hog=$((h1 - h0)) spin=$((s1 - s0))
		check "busy-poll yields its CPU: a busy loop on it got $hog ticks, the spinning server $spin" \
			test "$hog" -ge $((spin * 3))
		stop_pid "$HOG"
	else
		fail "busy-poll yield: the pinned server did not start"
	fi
	stop_pid "$SP"
fi
off_sleeps=""
if tftpd_start "$ROOT" --busy-poll off; then
	off_sleeps=$(sleeps_for_curl "$TFTPD_PID")
	stop_pid "$TFTPD_PID"
fi
if tftpd_start "$ROOT"; then
	AP=$TFTPD_PID
	# Measured 3 sleeps against about 1800 with off (ASan build, a CPU hog
	# beside it). A stall of curl costs auto two sleeps (test_spin.c), so
	# this holds unless curl stalls on a quarter of its blocks; a server
	# that never spun would sleep as often as off.
	auto_sleeps=$(sleeps_for_curl "$AP")
	check "busy-poll auto: curl byte-exact, ${auto_sleeps:-?} sleeps for 2044 blocks (off: ${off_sleeps:-?})" \
		test -n "$auto_sleeps" -a -n "$off_sleeps" -a "$((${auto_sleeps:-0} * 2))" -lt "${off_sleeps:-0}"
	# About 1 s of transfer: measured 1-2 ticks and 315 sleeps for 300
	# blocks (one per ACK). A server spinning through the 3 ms gaps would
	# burn most of 100 ticks and sleep hardly at all.
	a=$(vcsw "$AP"); t0=$(cpu_ticks "$AP")
	slow_client "$TFTPD_PORT" 300
	b=$(vcsw "$AP"); t1=$(cpu_ticks "$AP")
	check "busy-poll auto: a client 3 ms per ACK is not spun for ($((t1 - t0)) ticks, $((b - a)) sleeps for 300 blocks)" \
		test $((t1 - t0)) -le 30 -a $((b - a)) -ge 200
	stop_pid "$AP"
fi
if have taskset && tftpd_start "$ROOT" --log-level info; then
	stop_pid "$TFTPD_PID"
	start_bg "$TFTPD_LOG.1cpu" taskset -c 0 "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" --log-level info "$ROOT"
	OP=$T_LAST_PID
	if wait_for 10 udp_bound "$TFTPD_PORT"; then
		# Off sleeps for nearly every block (about 1800 of 2044 measured
		# under load); auto, had it spun, a handful of times (above).
		one_sleeps=$(sleeps_for_curl "$OP")
		check "busy-poll auto on one CPU: off, says so (${one_sleeps:-?} sleeps)" eval \
			'grep -q "auto: off, this process may use one CPU only" "$TFTPD_LOG.1cpu" && [ "${one_sleeps:-0}" -ge 500 ]'
	else
		fail "busy-poll auto on one CPU: the server did not start"
	fi
	stop_pid "$OP"
fi

# --- GSO only for windows of over 16 blocks or 64 KiB (tftpd/window.c): a smaller
# window goes out by sendmmsg, so that where a GSO datagram arrives whole
# (loopback, veth, a VM's tap) the client starts on the first blocks
# while the rest are sent. strace counts the two kinds of send.
sends() { # sends WINDOWSIZE OUT: atftp at blksize 1468 under strace
	local st=$T_TMP/strace.$1
	timeout 60 strace -q -f -e trace=sendmsg,sendmmsg -o "$st" -p "$TFTPD_PID" &
	local sp=$!
	wait_for 5 eval "grep -q TracerPid:.[1-9] /proc/$TFTPD_PID/status"
	timeout 60 atftp --option "blksize 1468" --option "windowsize $1" -g -r c.bin -l "$2" \
		127.0.0.1 "$TFTPD_PORT" >/dev/null 2>&1
	kill -INT "$sp" 2>/dev/null
	wait "$sp" 2>/dev/null
	GSO_SENDS=$(grep -c SOL_UDP "$st")
	MMSG_SENDS=$(grep -c '^[0-9]* *sendmmsg' "$st")
}
if ! command -v strace >/dev/null; then
	skip "GSO threshold: no strace (make deps installs it)"
elif tftpd_start "$ROOT" --busy-poll off; then
	sends 16 "$OUT/w16"
	check "windowsize 16 at 1468 (23 KiB): byte-exact, sendmmsg only (GSO $GSO_SENDS, sendmmsg $MMSG_SENDS)" \
		eval 'same "$OUT/w16" "$ROOT/c.bin" && test "$GSO_SENDS" = 0 -a "$MMSG_SENDS" -gt 100'
	sends 64 "$OUT/w64"
	check "windowsize 64 at 1468 (94 KiB): byte-exact, by GSO (GSO $GSO_SENDS, sendmmsg $MMSG_SENDS)" \
		eval 'same "$OUT/w64" "$ROOT/c.bin" && test "$GSO_SENDS" -gt 20'
	stop_pid "$TFTPD_PID"
fi

if tftpd_start "$ROOT" --no-gso; then
	timeout 60 atftp --option "blksize 1468" --option "windowsize 16" -g -r c.bin -l "$OUT/ng" \
		127.0.0.1 "$TFTPD_PORT" >/dev/null 2>&1
	check "--no-gso: atftp windowsize 16 byte-exact" same "$OUT/ng" "$ROOT/c.bin"
	check "--print-config shows gso and busy-poll" eval \
		'"$TFTPD" --no-gso --busy-poll 50 --print-config | grep -q "^gso = no" &&
		 "$TFTPD" --no-gso --busy-poll 50 --print-config | grep -q "^busy-poll = 50" &&
		 "$TFTPD" --print-config | grep -q "^busy-poll = auto" &&
		 ! "$TFTPD" --busy-poll sometimes --print-config >/dev/null 2>&1'
	stop_pid "$TFTPD_PID"
fi
t_done
