#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What the daemons say at start and in --check-config beyond syntax, and
# why a file was refused:
#   pxe-dhcpd in a namespace made here: an --interface that does not
#     exist, no interface with an address in the subnet (also on SIGHUP),
#     and silence when the subnet is local;
#   pxe-dhcpd --check-config: a MAC of 5 octets (78), a router outside its
#     subnet and a [boot] without file (warnings, 0), a [boot] matching
#     every client without file (78), a lease directory that is missing or
#     not writable (78, FILE:LINE: leasefile:);
#   pxe-tftpd and pxe-httpd running as nobody: a mode-000 file says
#     "Permission denied", a ../ escape "Outside the served root" (tftpd),
#     a missing file "File not found"; httpd's 403 has an error-log line.
# No DHCP leaves the namespace; tftpd and httpd listen on 127.0.0.1.
. "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
need_root startup_truth
need_cmd ip python3 curl setpriv
id nobody >/dev/null 2>&1 || { skip "startup_truth: needs user nobody"; t_exit 77; }
for b in "$DHCPD" "$TFTPD" "$HTTPD"; do
	[ -x "$b" ] || { fail "startup_truth: $b not built"; t_done; }
done
# nobody reads the configs and roots made below
chmod 711 "$T_TMP"
NOBODY_GROUP=$(id -gn nobody)
# has LOG TEXT: the log holds TEXT (fixed string)
has() { grep -qF -- "$2" "$1"; }
count() { grep -cF -- "$2" "$1"; }

# ---------------------------------------------------------------- dhcpd start
NS=ptruth$$
netns_add "$NS" || { fail "netns: cannot create a namespace"; t_done; }
in_ns "$NS" ip link set lo up
in_ns "$NS" ip link add d0 type veth peer name d1
in_ns "$NS" ip link set d0 up
in_ns "$NS" ip link set d1 up
in_ns "$NS" ip addr add 198.18.9.1/24 dev d0 # not in the subnet served

dconf() { # dconf NAME [dhcpd keys...]: a config serving 198.18.0.0/24
	local f=$T_TMP/$1.conf k; shift
	{
		echo "[dhcpd]"
		echo "leasefile = $T_TMP/$(basename "$f" .conf).leases"
		for k; do echo "$k"; done
		printf '[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n'
	} >"$f"
	echo "$f"
}
DPID=
dstart() { # dstart LOG CONF: pxe-dhcpd in the namespace until it serves
	start_bg "$1" ip netns exec "$NS" "$DHCPD" -c "$2"
	DPID=$T_LAST_PID
	wait_for 10 has "$1" "serving" || { fail "dhcpd start: $(tail -3 "$1")"; return 1; }
}

L=$T_TMP/d-missing.log
if dstart "$L" "$(dconf missing 'interface = nosuch0')"; then
	check "dhcpd: a missing --interface is a warning naming it" \
		has "$L" "interface nosuch0 does not exist: nothing is answered on it until it appears"
	check "dhcpd: ... and no address of it in the subnet" \
		has "$L" "interface nosuch0 has no address in [subnet 198.18.0.0/24]"
	check "dhcpd: ... at warning level" grep -q 'level=warn.*nosuch0 does not exist' "$L"
	stop_pid "$DPID"
fi

L=$T_TMP/d-nolocal.log
if dstart "$L" "$(dconf nolocal)"; then
	W="no interface has an address in [subnet 198.18.0.0/24]: only relayed requests are answered"
	check "dhcpd: no address in any subnet is a warning naming it" has "$L" "$W"
	kill -HUP "$DPID"
	wait_for 5 has "$L" "configuration reloaded"
	check "dhcpd: ... again on reload" test "$(count "$L" "$W")" = 2
	stop_pid "$DPID"
fi

in_ns "$NS" ip addr add 198.18.0.1/24 dev d0
L=$T_TMP/d-local.log
if dstart "$L" "$(dconf local 'interface = d0')"; then
	check "dhcpd: a subnet on the interface: no interface warning" \
		sh -c "! grep -q 'event=interfaces' '$L'"
	stop_pid "$DPID"
fi

# ------------------------------------------------------- dhcpd --check-config
CC_OUT=$T_TMP/cc.out
cc() { # cc CONF [as-nobody]: --check-config; sets RC, output in $CC_OUT
	if [ "${2:-}" = nobody ]; then
		setpriv --reuid=nobody --regid="$NOBODY_GROUP" --clear-groups \
			"$DHCPD" --check-config -c "$1" >"$CC_OUT" 2>&1
	else
		"$DHCPD" --check-config -c "$1" >"$CC_OUT" 2>&1
	fi
	RC=$?
}
expect_cc() { # expect_cc NAME RC TEXT
	if [ "$RC" = "$2" ] && has "$CC_OUT" "$3"; then pass "$1"; else
		fail "$1: exit $RC (want $2), output: $(cat "$CC_OUT")"
	fi
}

C=$(dconf mac)
printf '[host pc]\nmac = 52:54:00:12:34\n' >>"$C"
cc "$C"
expect_cc "check-config: 5-octet mac: 78, FILE:LINE: [host] mac:" 78 \
	"$C:6: [host pc] mac: expected 6 octets like 52:54:00:12:34:56, got 5"

C=$(dconf router)
printf 'router = 198.18.1.1\n' >>"$C"
cc "$C"
expect_cc "check-config: router outside its subnet: warning, exit 0" 0 \
	"$C:5: [subnet 198.18.0.0/24] router: 198.18.1.1 is outside the subnet"

C=$(dconf bootnofile)
printf '[boot pi]\nmatch = rpi\n' >>"$C"
cc "$C"
expect_cc "check-config: [boot] with match, no file: warning, exit 0" 0 \
	"$C:6: [boot pi]: no file and no menu-item"

C=$(dconf bootall)
printf '[boot all]\nbroadcast = yes\n' >>"$C"
cc "$C"
expect_cc "check-config: [boot] matching all, no file: 78" 78 \
	"$C:6: [boot all]: no file, no menu-item and no match"

C=$T_TMP/leasedir.conf
printf '[dhcpd]\nleasefile = %s/no/such/leases\n[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n' \
	"$T_TMP" >"$C"
cc "$C"
expect_cc "check-config: lease directory and parent missing: 78" 78 \
	"$C:2: leasefile: $T_TMP/no/such: No such file or directory"
timeout 10 ip netns exec "$NS" "$DHCPD" -c "$C" >"$T_TMP/start.out" 2>&1
RC=$?
grep -v 'configuration OK' "$CC_OUT" >"$T_TMP/cc.msg"
if [ "$RC" = 78 ] && grep -qF -f "$T_TMP/cc.msg" "$T_TMP/start.out"; then
	pass "start: lease directory missing: 78 with the --check-config message"
else
	fail "start: lease directory missing: exit $RC, $(cat "$T_TMP/start.out")"
fi
mkdir -m 755 "$T_TMP/rootonly"
printf '[dhcpd]\nleasefile = %s/rootonly/leases\n[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n' \
	"$T_TMP" >"$C"
chmod 644 "$C"
cc "$C" nobody
expect_cc "check-config: lease directory not writable: 78" 78 \
	"$C:2: leasefile: $T_TMP/rootonly: Permission denied"
cc "$C"
expect_cc "check-config: ... and fine for its owner" 0 "configuration OK"

# ---------------------------------------------------------- tftpd as nobody
. "$HERE/tftpd_lib.sh"
ROOT=$T_TMP/root
mkdir -p -m 755 "$ROOT/dir"
echo ok >"$ROOT/ok.txt"
echo secret >"$ROOT/secret.bin"
chmod 644 "$ROOT/ok.txt"
chmod 000 "$ROOT/secret.bin"
echo outside >"$T_TMP/outside.txt"
chmod 755 "$ROOT"
if tftpd_start "$ROOT" --user nobody --group "$NOBODY_GROUP"; then
	OUT=$T_TMP/tget
	r=$(tpy get 127.0.0.1 "$TFTPD_PORT" ok.txt octet "$OUT" 2>&1)
	check "tftpd as nobody serves a readable file" cmp -s "$OUT" "$ROOT/ok.txt"
	r=$(tpy get 127.0.0.1 "$TFTPD_PORT" secret.bin octet "$OUT" 2>&1)
	check "tftpd: mode 000: Access violation (2) saying Permission denied" \
		test "$r" = "error=2 msg=Permission denied"
	wait_for 5 grep -q 'file=secret.bin.*reason="Permission denied"' "$TFTPD_LOG"
	check "tftpd: ... logged as Permission denied" \
		grep -q 'file=secret.bin status=refused error=2 reason="Permission denied"' "$TFTPD_LOG"
	r=$(tpy get 127.0.0.1 "$TFTPD_PORT" ../outside.txt octet "$OUT" 2>&1)
	check "tftpd: ../ escape: Access violation (2) saying outside the root" \
		test "$r" = "error=2 msg=Outside the served root"
	wait_for 5 grep -q 'reason="Outside the served root"' "$TFTPD_LOG"
	check "tftpd: ... logged as outside the root" \
		grep -q 'file=../outside.txt status=refused error=2 reason="Outside the served root"' "$TFTPD_LOG"
	r=$(tpy get 127.0.0.1 "$TFTPD_PORT" nosuch.bin octet "$OUT" 2>&1)
	check "tftpd: missing file: File not found (1)" test "$r" = "error=1 msg=File not found"
	r=$(tpy get 127.0.0.1 "$TFTPD_PORT" dir octet "$OUT" 2>&1)
	check "tftpd: a directory: Access violation (2) saying Is a directory" \
		test "$r" = "error=2 msg=Is a directory"
	stop_pid "$TFTPD_PID"
fi

# ---------------------------------------------------------- httpd as nobody
P=$(free_port tcp)
HLOG=$T_TMP/httpd.err
start_bg "$T_TMP/httpd.out" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$P" \
	--user nobody --group "$NOBODY_GROUP" --error-log "$HLOG"
HPID=$T_LAST_PID
if wait_for 20 tcp_bound "$P"; then
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$P/ok.txt")
	check "httpd as nobody serves a readable file" test "$code" = 200
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$P/secret.bin")
	check "httpd: mode 000: 403" test "$code" = 403
	wait_for 5 grep -q 'event=forbidden' "$HLOG"
	check "httpd: ... error-log line with the path and errno text" \
		grep -q 'event=forbidden file=/secret.bin status=403 reason="Permission denied"' "$HLOG"
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "http://127.0.0.1:$P/nosuch")
	check "httpd: a 404 writes no error-log line" \
		sh -c "test $code = 404 && ! grep -q 'file=/nosuch' '$HLOG'"
	stop_pid "$HPID"
else
	fail "httpd start: $(tail -3 "$T_TMP/httpd.out")"
fi
t_done
