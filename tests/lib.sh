# SPDX-License-Identifier: MIT
# Shared helpers for integration and e2e test scripts (bash).
# Source it: . "$(dirname "$0")/../lib.sh"
# Each check prints one line: "PASS name", "FAIL name: why" or
# "SKIP name: why"; tests/run-all counts them. A script exits 0, or 77
# when it skipped everything.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build tree (make BUILD=DIR; relative paths are under the source tree).
BUILD=${BUILD:-build}
case $BUILD in /*) BUILD_DIR=$BUILD ;; *) BUILD_DIR=$TOP/$BUILD ;; esac
TFTPD_BIN=$BUILD_DIR/pxe-tftpd
HTTPD_BIN=$BUILD_DIR/pxe-httpd
DHCPD_BIN=$BUILD_DIR/pxe-dhcpd
TFTPD=$TFTPD_BIN
HTTPD=$HTTPD_BIN
DHCPD=$DHCPD_BIN
# Started as root without --user, a daemon drops to the build's default user
# (pxesuite) after binding, which cannot read $T_TMP (mode 0700) nor write
# the lease files there. So as root, $TFTPD/$HTTPD/$DHCPD are wrappers that
# pass --user $PXE_TEST_USER (default root) first, unless the arguments or
# the -c file name a user themselves (those tests drop on purpose). The
# wrapper execs, so $! and /proc/PID are the daemon's. PXE_TEST_USER= (empty)
# runs the binaries as they are; tests of the drop itself use *_BIN.
PXE_TEST_USER=${PXE_TEST_USER-root}
T_BIN=
if [ "$(id -u)" = 0 ] && [ -n "$PXE_TEST_USER" ]; then
	# outside $T_TMP: setpriv'd tests run the wrappers as nobody too
	T_BIN=$(mktemp -d "${TMPDIR:-/tmp}/pxebin.XXXXXX") && chmod 0755 "$T_BIN" || exit 1
	# the binaries are copied there too: a test that runs them as nobody
	# (setpriv) must reach them, and the tree may be under a 0700 /root
	# (same names: tests check that the holder of a port is "pxe-tftpd")
	mkdir -m 0755 "$T_BIN/real" || exit 1
	for _d in tftpd httpd dhcpd; do
		[ ! -e "$BUILD_DIR/pxe-$_d" ] || cp "$BUILD_DIR/pxe-$_d" "$T_BIN/real/pxe-$_d" || exit 1
		sed -e "s|@BIN@|$T_BIN/real/pxe-$_d|" -e "s|@USER@|$PXE_TEST_USER|" \
			"$TOP/tests/tools/test-user-wrapper" >"$T_BIN/pxe-$_d" && chmod 0755 "$T_BIN/pxe-$_d"
	done
	TFTPD=$T_BIN/pxe-tftpd HTTPD=$T_BIN/pxe-httpd DHCPD=$T_BIN/pxe-dhcpd
fi
# Debian's python3 (a pyenv shim on PATH can take seconds per start).
if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=python3; fi
T_FAILS=0
T_PIDS=()
T_NETNS=()
T_CLEANUP=()
T_TMP=$(mktemp -d "${TMPDIR:-/tmp}/pxetest.XXXXXX")

pass() { echo "PASS $*"; }
fail() { echo "FAIL $*"; T_FAILS=$((T_FAILS + 1)); }
skip() { echo "SKIP $*"; }
# check NAME CMD...: PASS when CMD succeeds.
check() { local n=$1; shift; if "$@"; then pass "$n"; else fail "$n"; fi; }

is_root() { [ "$(id -u)" = 0 ]; }
# need_root NAME: skip the whole script unless root (namespaces, VMs).
need_root() { is_root || { skip "${1:-$(basename "$0")}: needs root"; t_exit 77; }; }
have() { command -v "$1" >/dev/null 2>&1; }
# need_cmd CMD...: skip the whole script when a client is missing.
need_cmd() { local c; for c; do have "$c" || { skip "$(basename "$0" .sh): needs $c"; t_exit 77; }; done; }

# A free UDP/TCP port on 127.0.0.1 (asks the kernel).
free_port() {
	$PY -c 'import socket,sys
s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM if sys.argv[1]=="udp" else socket.SOCK_STREAM)
s.bind(("127.0.0.1",0)); print(s.getsockname()[1])' "${1:-tcp}"
}

# start_bg LOG CMD...: start CMD in the background, remember its pid (killed
# at exit). Sets $! semantics into T_LAST_PID.
start_bg() {
	local log=$1; shift
	"$@" >"$log" 2>&1 &
	T_LAST_PID=$!
	T_PIDS+=("$T_LAST_PID")
}

# wait_for SECONDS CMD...: poll CMD every 0.05 s until it succeeds.
wait_for() {
	local limit=$1; shift
	local end=$((SECONDS + limit))
	while [ $SECONDS -lt $end ]; do "$@" 2>/dev/null && return 0; sleep 0.05; done
	"$@"
}

udp_bound() { ss -Hlun "sport = :$1" | grep -q .; }
tcp_bound() { ss -Hltn "sport = :$1" | grep -q .; }

stop_pid() { # stop one of our own processes, by pid
	local p=$1
	kill -TERM "$p" 2>/dev/null || return 0
	for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}

# Network namespaces made by this script (deleted at exit).
netns_add() {
	ip netns add "$1" || return 1
	T_NETNS+=("$1")
	# tests/fuzz/corpus-build: keep what the test's clients and servers sent
	if [ -n "${PXE_CAPTURE_DIR:-}" ] && command -v tcpdump >/dev/null; then
		local last=${T_LAST_PID:-}
		start_bg /dev/null ip netns exec "$1" tcpdump -i any -U -n -s 4096 \
			-w "$PXE_CAPTURE_DIR/$(basename "$0" .sh)-$1.pcap" udp or tcp
		T_LAST_PID=$last
	fi
}
in_ns() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

on_exit() { T_CLEANUP+=("$*"); }

t_cleanup() {
	local p ns c
	for c in "${T_CLEANUP[@]}"; do eval "$c" 2>/dev/null; done
	for p in "${T_PIDS[@]}"; do stop_pid "$p"; done
	for ns in "${T_NETNS[@]}"; do ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null; ip netns del "$ns" 2>/dev/null; done
	rm -rf "$T_TMP"
	[ -z "$T_BIN" ] || rm -rf "$T_BIN"
}
trap t_cleanup EXIT
trap 'exit 130' INT TERM

t_exit() { exit "${1:-0}"; }
# Call at the end of a script.
t_done() { [ "$T_FAILS" -eq 0 ]; exit $?; }
