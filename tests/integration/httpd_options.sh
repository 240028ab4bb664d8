#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-httpd's darkhttpd options and its own: the Arch guide command line,
# listing, index, MIME, headers, auth, forwarding, single file, gzip-static,
# trusted proxies, log formats, several listeners, signals, --daemon.
. "$(dirname "$0")/../lib.sh"
need_cmd curl ss ps python3
PY=$(command -v /usr/bin/python3 || command -v python3)
port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -x "$HTTPD" ] || { fail "httpd_options: $HTTPD not built"; t_done; }

ROOT=$T_TMP/root
mkdir -p "$ROOT/dir/sub"
echo hello >"$ROOT/a.txt"
echo "TB-DOTFILE" >"$ROOT/.hidden"
echo start >"$ROOT/start.html"
echo "b" >"$ROOT/dir/b.txt"
echo "<x>" >"$ROOT/dir/<x>&.txt"
echo data >"$ROOT/file.pxeboot"
seq 1 2000 >"$ROOT/big.txt"
gzip -k -9 "$ROOT/big.txt"

H=$T_TMP/h B=$T_TMP/b
cu() { local u=$1; shift; rm -f "$H" "$B"; : >"$B"; CODE=$(curl -s --max-time 10 -D "$H" -o "$B" -w '%{http_code}' "$@" "$u"); }
hdr() { tr -d '\r' <"$H" | awk -v h="$(echo "$1" | tr A-Z a-z)" -F': ' 'tolower($1)==h {v=substr($0, length($1)+3)} END {print v}'; }
expect() { local name=$1 want=$2 got=$3; [ "$got" = "$want" ] && pass "$name" || fail "$name: want '$want', got '$got'"; }

# srv NAME ARGS...: start pxe-httpd ROOT ARGS on a fresh port; sets P, U, SPID
srv() {
	local name=$1; shift
	P=$(port); U=http://127.0.0.1:$P
	start_bg "$T_TMP/$name.log" "$HTTPD" "$@" --addr 127.0.0.1 --port "$P"
	SPID=$T_LAST_PID
	wait_for 20 tcp_bound "$P" || { fail "$name: not listening: $(cat "$T_TMP/$name.log")"; return 1; }
}

# ---- the Arch Linux PXE guide's command line, with pxe-httpd for darkhttpd
srv arch "$ROOT" --no-keepalive
v=$(curl -s --max-time 10 -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/a.txt" "$U/a.txt")
expect "arch guide: --no-keepalive closes every connection" "1 1 " "$v"
cu "$U/a.txt"
expect "arch guide: serves ROOT" "200 hello close" "$CODE $(cat "$B") $(hdr Connection)"
stop_pid "$SPID"

# ---- defaults and darkhttpd display options
srv defaults "$ROOT"
cu "$U/dir/"
expect "listing off by default" 403 "$CODE"
cu "$U/.hidden"
expect "dotfiles served by default (as darkhttpd)" 200 "$CODE"
cu "$U/file.pxeboot"
expect "unknown extension: default type" application/octet-stream "$(hdr Content-Type)"
stop_pid "$SPID"

printf 'text/x-pxe pxeboot\n' >"$T_TMP/mime.types"
srv display "$ROOT" --listing --hide-dotfiles --index start.html --mimetypes "$T_TMP/mime.types" \
	--default-mimetype text/x-default --no-server-id --header 'X-Test: one' --header 'Cache-Control: no-store'
cu "$U/dir/"
grep -q 'href="b.txt"' "$B" && pass "--listing lists" || fail "--listing: $(cat "$B")"
grep -q '&lt;x&gt;&amp;.txt' "$B" && grep -q 'href="%3Cx%3E%26.txt"' "$B" && pass "listing escapes names" || fail "listing escaping"
grep -q 'href="sub/"' "$B" && pass "listing marks directories" || fail "listing dirs"
cu "$U/"
expect "--index" "200 start" "$CODE $(cat "$B")"
cu "$U/.hidden"
expect "--hide-dotfiles: 404" 404 "$CODE"
cu "$U/file.pxeboot"
expect "--mimetypes" text/x-pxe "$(hdr Content-Type)"
cu "$U/big.txt.gz2" ; cu "$U/start.html"
expect "built-in type" text/html "$(hdr Content-Type)"
expect "--no-server-id" "" "$(hdr Server)"
expect "--header" "one no-store" "$(hdr X-Test) $(hdr Cache-Control)"
stop_pid "$SPID"

# ---- auth
srv auth "$ROOT" --auth user:secret
cu "$U/a.txt"
expect "--auth: 401 without credentials" "401 Basic realm=\"pxe-httpd\"" "$CODE $(hdr WWW-Authenticate)"
cu "$U/a.txt" -u user:wrong
expect "--auth: 401 with a wrong password" 401 "$CODE"
cu "$U/a.txt" -u user:secret
expect "--auth: 200 with the password" 200 "$CODE"
stop_pid "$SPID"
echo "ipxe:pa:ss" >"$T_TMP/auth"
srv authfile "$ROOT" --auth-file "$T_TMP/auth"
cu "$U/a.txt" -u ipxe:pa:ss
expect "--auth-file" 200 "$CODE"
ps -o args= -p "$SPID" | grep -q 'pa:ss' && fail "--auth-file: secret in ps" || pass "--auth-file keeps the password out of ps"
stop_pid "$SPID"

# ---- forwarding
srv fwd "$ROOT" --forward boot.example http://mirror.example --forward-all http://all.example
cu "$U/x/y?z" -H 'Host: boot.example'
expect "--forward HOST URL" "301 http://mirror.example/x/y?z" "$CODE $(hdr Location)"
cu "$U/x" -H 'Host: other.example'
expect "--forward-all" "301 http://all.example/x" "$CODE $(hdr Location)"
stop_pid "$SPID"
srv https "$ROOT" --forward-https
cu "$U/a.txt" -H 'X-Forwarded-Proto: http' -H 'Host: site.example'
expect "--forward-https" "301 https://site.example/a.txt" "$CODE $(hdr Location)"
cu "$U/a.txt" -H 'X-Forwarded-Proto: https'
expect "--forward-https: https passes" 200 "$CODE"
stop_pid "$SPID"

# ---- single file, gzip-static
srv single "$ROOT/a.txt" --single-file
cu "$U/anything/at/all"
expect "--single-file" "200 hello" "$CODE $(cat "$B")"
stop_pid "$SPID"
srv gzip "$ROOT" --gzip-static
cu "$U/big.txt" -H 'Accept-Encoding: gzip, deflate'
expect "--gzip-static: FILE.gz with Content-Encoding" "200 gzip Accept-Encoding text/plain" "$CODE $(hdr Content-Encoding) $(hdr Vary) $(hdr Content-Type)"
check "--gzip-static: body is FILE.gz" cmp -s "$B" "$ROOT/big.txt.gz"
cu "$U/big.txt" -H 'Accept-Encoding: gzip;q=0'
expect "--gzip-static: q=0 refuses gzip" "200  $(stat -c %s "$ROOT/big.txt")" "$CODE $(hdr Content-Encoding) $(stat -c %s "$B")"
cu "$U/big.txt"
expect "--gzip-static: no Accept-Encoding, plain" "" "$(hdr Content-Encoding)"
stop_pid "$SPID"

# ---- logs: trusted proxy, JSON, logfmt, syslog-free reopen on SIGUSR1
srv logs "$ROOT" --trusted-ip 127.0.0.1 --log "$T_TMP/acc.log"
cu "$U/a.txt" -H 'X-Forwarded-For: 198.18.0.7'
kill -USR1 "$SPID"; sleep 0.3
mv "$T_TMP/acc.log" "$T_TMP/acc.log.1"; kill -USR1 "$SPID"; sleep 0.3
cu "$U/a.txt?after"
sleep 1.2
grep -q '^198.18.0.7 - - ' "$T_TMP/acc.log.1" && pass "--trusted-ip: X-Forwarded-For logged" || fail "--trusted-ip: $(cat "$T_TMP/acc.log.1")"
grep -q 'after' "$T_TMP/acc.log" 2>/dev/null && pass "SIGUSR1 reopens the access log" || fail "SIGUSR1 reopen"
stop_pid "$SPID"
srv json "$ROOT" --access-log-format json --log "$T_TMP/acc.json"
cu "$U/a%20b?q=\"x\"" -A 'evil"agent'
sleep 1.2; stop_pid "$SPID"
$PY -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline()); assert d["event"]=="request" and d["status"]==404 and d["ua"]=="evil\"agent", d' "$T_TMP/acc.json" \
	&& pass "--access-log-format json" || fail "json log: $(cat "$T_TMP/acc.json")"
srv logfmt "$ROOT" --access-log-format logfmt --log "$T_TMP/acc.logfmt"
cu "$U/a.txt"
sleep 1.2; stop_pid "$SPID"
grep -q '^ts=.* level=info daemon=pxe-httpd event=request client=127.0.0.1 method=GET target=/a.txt proto=HTTP/1.1 status=200 bytes=6' "$T_TMP/acc.logfmt" \
	&& pass "--access-log-format logfmt" || fail "logfmt log: $(cat "$T_TMP/acc.logfmt")"

# ---- several listeners, IPv6
P1=$(port); P2=$(port)
start_bg "$T_TMP/multi.log" "$HTTPD" "$ROOT" --listen "127.0.0.1:$P1" --listen "127.0.0.1:$P2"
SPID=$T_LAST_PID
wait_for 20 tcp_bound "$P2"
cu "http://127.0.0.1:$P1/a.txt"; c1=$CODE
cu "http://127.0.0.1:$P2/a.txt"
expect "--listen twice" "200 200" "$c1 $CODE"
stop_pid "$SPID"
if [ -e /proc/net/if_inet6 ] && $PY -c 'import socket; s=socket.socket(socket.AF_INET6); s.bind(("::1",0))' 2>/dev/null; then
	P=$(port)
	start_bg "$T_TMP/v6.log" "$HTTPD" "$ROOT" --ipv6 --addr ::1 --port "$P"
	SPID=$T_LAST_PID
	wait_for 20 tcp_bound "$P"
	cu "http://[::1]:$P/a.txt"
	expect "--ipv6 --addr ::1" 200 "$CODE"
	stop_pid "$SPID"
else
	skip "--ipv6: no IPv6 loopback"
fi

# ---- config file and SIGHUP reload (a bad file keeps the old config)
P=$(port); U=http://127.0.0.1:$P
printf '[httpd]\nheader = X-Gen: 1\n' >"$T_TMP/h.conf"
start_bg "$T_TMP/hup.log" "$HTTPD" "$ROOT" -c "$T_TMP/h.conf" --addr 127.0.0.1 --port "$P"
SPID=$T_LAST_PID
wait_for 20 tcp_bound "$P"
cu "$U/a.txt"; g1=$(hdr X-Gen)
printf '[httpd]\nheader = X-Gen: 2\n' >"$T_TMP/h.conf"
kill -HUP "$SPID"; sleep 0.5
cu "$U/a.txt"; g2=$(hdr X-Gen)
printf '[httpd]\nno-such-key = 1\n' >"$T_TMP/h.conf"
kill -HUP "$SPID"; sleep 0.5
cu "$U/a.txt"; g3=$(hdr X-Gen)
expect "SIGHUP reloads; a bad config keeps the old one" "1 2 2" "$g1 $g2 $g3"
grep -q 'keeping the old configuration' "$T_TMP/hup.log" && pass "bad reload is reported" || fail "bad reload not logged"
stop_pid "$SPID"

# ---- --daemon and --pidfile; --check-config; --help
P=$(port)
"$HTTPD" "$ROOT" --daemon --pidfile "$T_TMP/pid" --addr 127.0.0.1 --port "$P" --log /dev/null 2>"$T_TMP/daemon.err"
rc=$?
dpid=$(cat "$T_TMP/pid" 2>/dev/null)
[ $rc = 0 ] && [ -n "$dpid" ] && kill -0 "$dpid" 2>/dev/null && pass "--daemon --pidfile" || fail "--daemon: rc=$rc $(cat "$T_TMP/daemon.err")"
[ -n "$dpid" ] && on_exit "kill $dpid"
cu "http://127.0.0.1:$P/a.txt"
expect "--daemon serves" 200 "$CODE"
"$HTTPD" "$ROOT" --daemon --pidfile "$T_TMP/pid2" --addr 127.0.0.1 --port "$P" --log /dev/null 2>/dev/null
[ $? != 0 ] && pass "--daemon fails visibly when it cannot bind" || { fail "--daemon on a busy port returned 0"; kill "$(cat "$T_TMP/pid2")"; }
[ -n "$dpid" ] && kill "$dpid"
sleep 0.3
"$HTTPD" /nonexistent --port "$P" >/dev/null 2>&1; rc=$?
[ $rc != 0 ] && pass "missing ROOT: exit $rc" || fail "missing ROOT accepted"
"$HTTPD" "$ROOT" --bogus-option >/dev/null 2>&1
expect "unknown option: exit 78" 78 "$?"
"$HTTPD" --help | grep -q -- '--no-\]*keepalive\|--\[no-\]keepalive' && pass "--help lists [no-]keepalive" || fail "--help"
"$HTTPD" "$ROOT" --maxconn 5 --print-config | grep -q '^maxconn = 5' && pass "--print-config" || fail "--print-config"

# ---- --chroot and --uid/--gid (darkhttpd's privilege options)
if is_root && id nobody >/dev/null 2>&1; then
	chmod 755 "$ROOT"
	srv chroot "$ROOT" --chroot --uid nobody --gid "$(id -gn nobody)"
	cu "$U/a.txt"
	expect "--chroot --uid nobody: serves" "200 hello" "$CODE $(cat "$B")"
	expect "--chroot: root directory is ROOT" "$ROOT" "$(readlink /proc/"$SPID"/root)"
	expect "--uid: runs as nobody" "$(id -u nobody)" "$(awk '/^Uid:/ {print $3}' /proc/"$SPID"/status)"
	stop_pid "$SPID"
else
	skip "--chroot/--uid: needs root and user nobody"
fi

# ---- systemd socket activation
if have systemd-socket-activate; then
	P=$(port)
	start_bg "$T_TMP/sa.log" systemd-socket-activate -l "127.0.0.1:$P" "$HTTPD" "$ROOT"
	SPID=$T_LAST_PID
	wait_for 20 tcp_bound "$P"
	cu "http://127.0.0.1:$P/a.txt"
	expect "socket activation (LISTEN_FDS)" 200 "$CODE"
	stop_pid "$SPID"
else
	skip "socket activation: no systemd-socket-activate"
fi
t_done
