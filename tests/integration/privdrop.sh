#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Least privilege without systemd: each daemon started as root without
# --user drops to the build's default user (DEFAULT_USER, pxesuite) after
# binding, keeping only the capabilities it still needs (pxe-dhcpd:
# CAP_NET_RAW; pxe-tftpd, pxe-httpd: none); --user root stays root with a
# warning; a missing default user is exit 78 with a sentence saying what
# to do; started as a user, nothing changes.
# The default user is made to exist (or not) in a mount namespace of the
# daemon's own, where a copy of /etc/passwd and /etc/group with (or
# without) it is bound over the real ones: the test runs the binaries make
# built, under the very name they were built with, whether or not the
# machine has that user, and never edits the machine's user database.
# DHCP stays inside network namespaces made here (198.18.0.0/15).
. "$(dirname "$0")/../lib.sh"
need_root privdrop
need_cmd ip ss python3 curl unshare setpriv
HERE=$(cd "$(dirname "$0")" && pwd)
PYC="$PY $HERE/dhcpd_client.py"
for b in "$TFTPD_BIN" "$HTTPD_BIN" "$DHCPD_BIN"; do
	[ -x "$b" ] || { fail "privdrop: $b not built"; t_done; }
done

# The user and group the build drops to, as --print-config shows them.
DU=$("$TFTPD_BIN" "$T_TMP" --print-config | sed -n 's/^user = \([^ ]*\).*/\1/p')
DG=$("$TFTPD_BIN" "$T_TMP" --print-config | sed -n 's/^group = \([^ ]*\).*/\1/p')
check "--print-config shows the default user and group ($DU:$DG)" test -n "$DU" -a -n "$DG"
for b in "$TFTPD_BIN" "$HTTPD_BIN" "$DHCPD_BIN"; do
	check "$(basename "$b") --help names the default user" \
		eval '"$b" --help | grep -e "--user" | grep -q "default: $DU"'
done
[ "$DU" = root ] && { skip "privdrop: built with DEFAULT_USER=root"; t_exit 77; }

# A uid and gid nobody uses here, for the default user of the copies.
XID=64990
while getent passwd "$XID" >/dev/null || getent group "$XID" >/dev/null; do XID=$((XID + 1)); done
DB=$T_TMP/db
mkdir -p "$DB"
grep -v "^$DU:" /etc/passwd >"$DB/passwd.without"
grep -v "^$DG:" /etc/group >"$DB/group.without"
{ cat "$DB/passwd.without"; echo "$DU:x:$XID:$XID:privdrop test:/nonexistent:/usr/sbin/nologin"; } >"$DB/passwd.with"
{ cat "$DB/group.without"; echo "$DG:x:$XID:"; } >"$DB/group.with"
chmod 0644 "$DB"/*
# WITH/WITHOUT CMD...: CMD sees the copy with or without the default user.
# unshare and sh exec: the pid start_bg records is the daemon's.
USERDB='mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/group && shift 2 && exec "$@"'
WITH=(unshare -m --propagation private sh -c "$USERDB" sh "$DB/passwd.with" "$DB/group.with")
WITHOUT=(unshare -m --propagation private sh -c "$USERDB" sh "$DB/passwd.without" "$DB/group.without")

# What the default user may reach: $T_TMP is 0700 (lib.sh); W is not.
chmod 0711 "$T_TMP"
W=$T_TMP/w
mkdir -p "$W/root"
echo "served after the drop" >"$W/root/hello.txt"
chmod -R a+rX "$W"

status_field() { awk -v k="$2:" '$1 == k { print $2, $3, $4, $5 }' "/proc/$1/status"; }
# ids PID: "uid gid" when real, effective, saved and fs ids all agree, else "mixed"
ids() {
	local u g
	u=$(status_field "$1" Uid) g=$(status_field "$1" Gid)
	set -- $u $g
	[ "$1 $1 $1 $1 $5 $5 $5 $5" = "$u $g" ] && echo "$1 $5" || echo "mixed($u / $g)"
}
caps() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# the capability mask of CAP_NET_RAW (13) alone
NET_RAW=0000000000002000

# ------------------------------------------------------------ tftpd, httpd
TP=$(free_port udp)
start_bg "$T_TMP/tftpd.log" "${WITH[@]}" "$TFTPD_BIN" --listen "127.0.0.1:$TP" "$W/root"
TPID=$T_LAST_PID
if wait_for 10 udp_bound "$TP"; then
	check "tftpd as root without --user runs as $DU ($XID:$XID) after binding (now $(ids "$TPID"))" \
		test "$(ids "$TPID")" = "$XID $XID"
	check "tftpd keeps no capability (CapEff $(caps "$TPID" CapEff), CapPrm $(caps "$TPID" CapPrm))" \
		test "$(caps "$TPID" CapEff)$(caps "$TPID" CapPrm)" = 00000000000000000000000000000000
	out=$(curl -s --max-time 20 "tftp://127.0.0.1:$TP/hello.txt")
	check "tftpd serves as $DU" test "$out" = "served after the drop"
	check "tftpd logs the drop (user, uid, gid, caps)" \
		grep -q "event=privileges user=$DU uid=$XID gid=$XID caps=none" "$T_TMP/tftpd.log"
else
	fail "tftpd start as root without --user: $(tail -3 "$T_TMP/tftpd.log")"
fi
stop_pid "$TPID"

HP=$(free_port tcp)
start_bg "$T_TMP/httpd.log" "${WITH[@]}" "$HTTPD_BIN" "$W/root" --addr 127.0.0.1 --port "$HP"
HPID=$T_LAST_PID
if wait_for 10 tcp_bound "$HP"; then
	check "httpd as root without --uid runs as $DU after binding (now $(ids "$HPID"))" \
		test "$(ids "$HPID")" = "$XID $XID"
	check "httpd keeps no capability (CapEff $(caps "$HPID" CapEff), CapPrm $(caps "$HPID" CapPrm))" \
		test "$(caps "$HPID" CapEff)$(caps "$HPID" CapPrm)" = 00000000000000000000000000000000
	out=$(curl -s --max-time 20 "http://127.0.0.1:$HP/hello.txt")
	check "httpd serves as $DU" test "$out" = "served after the drop"
	check "httpd logs the drop" grep -q "event=privileges user=$DU uid=$XID gid=$XID caps=none" \
		"$T_TMP/httpd.log"
else
	fail "httpd start as root without --uid: $(tail -3 "$T_TMP/httpd.log")"
fi
stop_pid "$HPID"

# ------------------------------------------------------------ --user root
TP=$(free_port udp)
start_bg "$T_TMP/root.log" "${WITH[@]}" "$TFTPD_BIN" --listen "127.0.0.1:$TP" --user root "$W/root"
RPID=$T_LAST_PID
if wait_for 10 udp_bound "$TP"; then
	check "tftpd --user root stays root ($(ids "$RPID"))" test "$(ids "$RPID")" = "0 0"
	check "--user root is logged as a warning" \
		grep -q 'level=warn .*event=privileges msg="staying root after binding' "$T_TMP/root.log"
else
	fail "tftpd --user root start: $(tail -3 "$T_TMP/root.log")"
fi
stop_pid "$RPID"
HP=$(free_port tcp)
start_bg "$T_TMP/hroot.log" "${WITH[@]}" "$HTTPD_BIN" "$W/root" --addr 127.0.0.1 --port "$HP" --uid root
RPID=$T_LAST_PID
if wait_for 10 tcp_bound "$HP"; then
	check "httpd --uid root stays root ($(ids "$RPID")), with a warning" \
		eval 'test "$(ids "$RPID")" = "0 0" && grep -q "level=warn .*staying root" "$T_TMP/hroot.log"'
else
	fail "httpd --uid root start: $(tail -3 "$T_TMP/hroot.log")"
fi
stop_pid "$RPID"

# ------------------------------------------------------------ no default user
printf '[dhcpd]\ninterface = lo\nleasefile = %s/nouser.leases\n[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n' \
	"$W" >"$W/nouser.conf"
for d in tftpd httpd dhcpd; do
	case $d in
	tftpd) cmd=("$TFTPD_BIN" --listen "127.0.0.1:$(free_port udp)" "$W/root") ;;
	httpd) cmd=("$HTTPD_BIN" "$W/root" --addr 127.0.0.1 --port "$(free_port tcp)") ;;
	dhcpd) cmd=("$DHCPD_BIN" -c "$W/nouser.conf") ;;
	esac
	timeout 10 "${WITHOUT[@]}" "${cmd[@]}" >"$T_TMP/nouser.$d" 2>&1
	st=$?
	check "$d as root, default user $DU missing: exit 78 (got $st)" test "$st" = 78
	check "$d says to create $DU or pass --user root" \
		grep -q "default user '$DU' does not exist: create it (systemd-sysusers pxesuite.conf.*or pass --user root" \
		"$T_TMP/nouser.$d"
done
check "dhcpd wrote no lease file without its user" test ! -e "$W/nouser.leases"
# --check-config gives the same sentence and status as the start it checks
timeout 10 "${WITHOUT[@]}" "$TFTPD_BIN" "$W/root" --check-config >"$T_TMP/cc.without" 2>&1
st=$?
check "--check-config as root, default user missing: exit 78 (got $st) with the same sentence" \
	eval '[ $st = 78 ] && grep -q "default user '"'$DU'"' does not exist: create it" "$T_TMP/cc.without"'
timeout 10 "${WITH[@]}" "$DHCPD_BIN" -c "$W/nouser.conf" --check-config >"$T_TMP/cc.with" 2>&1
check "--check-config as root with the default user present: OK ($(tail -1 "$T_TMP/cc.with"))" \
	grep -q "configuration OK" "$T_TMP/cc.with"
timeout 10 "${WITHOUT[@]}" "$HTTPD_BIN" "$W/root" --uid root --check-config >"$T_TMP/cc.root" 2>&1
check "--check-config with --uid root and no default user: OK" grep -q "configuration OK" "$T_TMP/cc.root"

# ------------------------------------------------------------ not root
TP=$(free_port udp)
start_bg "$T_TMP/user.log" "${WITHOUT[@]}" setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	"$TFTPD_BIN" --listen "127.0.0.1:$TP" "$W/root"
UPID=$T_LAST_PID
if wait_for 10 udp_bound "$TP"; then
	check "started as nobody without --user, even with no $DU: runs as nobody, nothing dropped" \
		eval 'test "$(ids "$UPID")" = "$(id -u nobody) $(id -g nobody)" && ! grep -q "event=privileges" "$T_TMP/user.log"'
else
	fail "tftpd as nobody without --user: $(tail -3 "$T_TMP/user.log")"
fi
stop_pid "$UPID"

# ------------------------------------------------------------ dhcpd
. "$HERE/dhcpd_lib.sh"
dhcp_topology pxq$$ 02:54:46:ff:fe:01
mkdir -p "$W/leases"
chown "$XID:$XID" "$W/leases"
dconf() { # dconf EXTRA-LINES: the server's configuration, readable by the user (SIGHUP rereads it)
	printf '[dhcpd]\ninterface = br0\nleasefile = %s/leases/dhcpd.leases\nlease-time = 10m\n%s\n' "$W" "$1"
	printf '[subnet 198.18.0.0/24]\nrange = 198.18.0.100-198.18.0.150\n'
}
dconf "" >"$W/dhcpd.conf"
chmod 0644 "$W/dhcpd.conf"
if dhcp_serve "$T_TMP/dhcpd.log" ip netns exec "$S" "${WITH[@]}" "$DHCPD_BIN" -c "$W/dhcpd.conf"; then
	DP=$SRV_PID
	check "dhcpd as root without --user runs as $DU after binding (now $(ids "$DP"))" \
		test "$(ids "$DP")" = "$XID $XID"
	check "dhcpd keeps CAP_NET_RAW only (CapEff $(caps "$DP" CapEff), CapPrm $(caps "$DP" CapPrm))" \
		test "$(caps "$DP" CapEff) $(caps "$DP" CapPrm)" = "$NET_RAW $NET_RAW"
	check "dhcpd logs the drop with the kept capability" \
		grep -q "event=privileges user=$DU uid=$XID gid=$XID caps=cap_net_raw" "$T_TMP/dhcpd.log"
	dhcp_client 1 02:54:43:00:01:01
	r=$(timeout 20 ip netns exec "${P}1" $PYC dora --iface eth0 --mac 02:54:43:00:01:01 | tail -1)
	check "dhcpd answers a DORA as $DU ($r)" grep -q '198\.18\.0\.1[0-5][0-9]' <<<"$r"
	check "the lease is in the lease file" grep -qi '02:54:43:00:01:01' "$W/leases/dhcpd.leases"
	# a reload that opens a raw socket (ping-check): CAP_NET_RAW at work
	dconf "ping-check = yes" >"$W/dhcpd.conf"
	kill -HUP "$DP"
	wait_for 10 grep -q 'event=reload msg="configuration reloaded' "$T_TMP/dhcpd.log"
	check "SIGHUP with ping-check: reloaded as $DU" grep -q 'event=reload msg="configuration reloaded' \
		"$T_TMP/dhcpd.log"
	check "the reload opened a raw ICMP socket (CAP_NET_RAW kept)" \
		eval 'in_ns "$S" ss -Hwap | grep -q "pid=$DP,"'
	check "no 'no ICMP socket' warning" eval '! grep -q "no ICMP socket" "$T_TMP/dhcpd.log"'
	r=$(timeout 20 ip netns exec "${P}1" $PYC dora --iface eth0 --mac 02:54:43:00:01:02 | tail -1)
	check "dhcpd answers after the reload ($r)" grep -q '198\.18\.0\.1[0-5][0-9]' <<<"$r"
	# a reload that would need port 67 bound again: said, not half done
	sed -i 's/^ping-check = yes$/mode = proxy-4011/' "$W/dhcpd.conf"
	kill -HUP "$DP"
	wait_for 10 grep -q 'mode change takes effect at restart' "$T_TMP/dhcpd.log"
	check "SIGHUP with a mode change that needs new sockets: 'takes effect at restart'" \
		grep -q 'level=warn .*event=reload msg="mode change takes effect at restart"' "$T_TMP/dhcpd.log"
	check "dhcpd still runs as $DU with CAP_NET_RAW after the reloads" \
		test "$(ids "$DP") $(caps "$DP" CapEff)" = "$XID $XID $NET_RAW"
	stop_pid "$DP"
	check "the lease file and its directory belong to $DU" \
		test "$(stat -c %u "$W/leases") $(stat -c %u "$W/leases/dhcpd.leases")" = "$XID $XID"
fi
t_done
