#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-httpd's HTTPS over loopback with real clients: curl (TLS 1.2 and
# 1.3), wget, openssl s_client with the cipher list of Debian 12's OVMF;
# Range, keep-alive, a large sparse file byte-exact over the pread +
# SSL_write path, the hostile cases (garbage, a stalled handshake, the
# handshake cap, renegotiation, plain HTTP on the TLS port, TLS on the
# plain port), and a SIGHUP certificate swap during a download.
. "$(dirname "$0")/../lib.sh"
need_cmd curl openssl wget ss ldd
[ -x "$HTTPD" ] || { fail "httpd_tls: $HTTPD not built"; t_done; }
expect() { local name=$1 want=$2 got=$3; [ "$got" = "$want" ] && pass "$name" || fail "$name: want '$want', got '$got'"; }
# the exact log line, once: grep -F
logged() { grep -F -- "$1" "$T_TMP/server.log" >/dev/null; }

# ---- OpenSSL is pxe-httpd's alone
ldd "$HTTPD_BIN" | grep -q 'libssl\.so' && pass "pxe-httpd links libssl" || fail "pxe-httpd: no libssl"
for d in "$DHCPD_BIN" "$TFTPD_BIN"; do
	[ -x "$d" ] || continue
	ldd "$d" | grep -q 'libssl\|libcrypto' && fail "$(basename "$d") links OpenSSL" ||
		pass "$(basename "$d") does not link OpenSSL"
done

# ---- certificates: a CA, and two server certificates for 127.0.0.1 by it
C=$T_TMP/certs
mkdir -p "$C"
ossl() { openssl "$@" >/dev/null 2>&1; }
ossl req -x509 -newkey rsa:2048 -nodes -keyout "$C/ca.key" -out "$C/ca.pem" -days 2 -subj /CN=pxe-test-ca
for n in 1 2; do
	ossl req -newkey rsa:2048 -nodes -keyout "$C/s$n.key" -out "$C/s$n.csr" -subj "/CN=pxe-server-$n"
	printf 'subjectAltName=IP:127.0.0.1\n' >"$C/ext"
	ossl x509 -req -in "$C/s$n.csr" -CA "$C/ca.pem" -CAkey "$C/ca.key" -CAcreateserial \
		-days 2 -extfile "$C/ext" -out "$C/s$n.pem"
done
[ -s "$C/s2.pem" ] || { fail "openssl: cannot make test certificates"; t_done; }
cp "$C/s1.pem" "$T_TMP/cert.pem"
cp "$C/s1.key" "$T_TMP/key.pem"

ROOT=$T_TMP/root
mkdir -p "$ROOT"
echo hello >"$ROOT/a.txt"
echo second >"$ROOT/b.txt"
head -c 100000 /dev/urandom >"$ROOT/100K.bin"
printf 'MZ-efi' >"$ROOT/boot.efi"
# a large sparse file with marks at both ends: 1 GiB (about 7 s over
# loopback on 2 vCPUs through pread + SSL_write, measured with other
# builds running; BIG_MB= to change)
BIG_MB=${BIG_MB:-1024}
truncate -s "${BIG_MB}M" "$ROOT/big.bin"
printf 'START' | dd of="$ROOT/big.bin" conv=notrunc 2>/dev/null
printf 'END' | dd of="$ROOT/big.bin" bs=1 seek=$((BIG_MB * 1048576 - 3)) conv=notrunc 2>/dev/null
# the download that runs across a reload: 64 MiB at 32 MB/s
head -c 1048576 /dev/urandom >"$ROOT/mid.bin"
for _ in $(seq 6); do cat "$ROOT/mid.bin" "$ROOT/mid.bin" >"$ROOT/mid2.bin"; mv "$ROOT/mid2.bin" "$ROOT/mid.bin"; done

PORT=$(free_port) TPORT=$(free_port)
start_bg "$T_TMP/server.log" "$HTTPD" "$ROOT" --listen "127.0.0.1:$PORT" \
	--tls-listen "127.0.0.1:$TPORT" --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem" \
	--tls-handshake-timeout 1 --tls-max-handshakes 4 --log "$T_TMP/access.log"
PID=$T_LAST_PID
wait_for 20 tcp_bound "$TPORT" || { fail "httpd starts: not listening"; cat "$T_TMP/server.log"; t_done; }
U=https://127.0.0.1:$TPORT
CURL=(curl -sS --max-time 30 --cacert "$C/ca.pem")

grep -Eq 'event=start msg="kTLS: (unavailable \(.*\): TLS bodies go by pread \+ SSL_write|possible)' \
	"$T_TMP/server.log" && pass "start log says the kTLS path" || fail "no kTLS line in the start log"
grep -q "event=listen addr=127.0.0.1:$TPORT proto=https" "$T_TMP/server.log" &&
	pass "listen log names https" || fail "listen log: $(grep listen "$T_TMP/server.log")"

# ---- TLS 1.2 and 1.3 with curl, verified against the CA
out=$("${CURL[@]}" -v --tlsv1.2 --tls-max 1.2 "$U/a.txt" 2>"$T_TMP/v12")
expect "curl TLS 1.2 body" hello "$out"
grep -q 'SSL connection using TLSv1.2' "$T_TMP/v12" && pass "curl TLS 1.2" || fail "curl TLS 1.2: $(grep SSL "$T_TMP/v12")"
out=$("${CURL[@]}" -v --tlsv1.3 "$U/a.txt" 2>"$T_TMP/v13")
expect "curl TLS 1.3 body" hello "$out"
grep -q 'SSL connection using TLSv1.3' "$T_TMP/v13" && pass "curl TLS 1.3" || fail "curl TLS 1.3: $(grep SSL "$T_TMP/v13")"
# TLS 1.3 suites in the server's order: AES-128-GCM for a client in
# OpenSSL's default order (AES-256-GCM first), ChaCha20 for one that lists
# it first (no AES instructions)
s13() { timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_3 "$@" </dev/null 2>/dev/null |
	grep -o 'Cipher is [A-Z0-9_]*'; }
expect "TLS 1.3: AES-128-GCM before the client's AES-256-GCM" "Cipher is TLS_AES_128_GCM_SHA256" "$(s13)"
expect "TLS 1.3: ChaCha20 for a client that lists it first" "Cipher is TLS_CHACHA20_POLY1305_SHA256" \
	"$(s13 -ciphersuites TLS_CHACHA20_POLY1305_SHA256:TLS_AES_128_GCM_SHA256)"
ct=$("${CURL[@]}" -o /dev/null -w '%{content_type}' "$U/boot.efi")
expect "Content-Type .efi over TLS" application/efi "$ct"

# ---- Range, ETag/If-Range, keep-alive (two URLs, one connection)
"${CURL[@]}" -r 1000-1999 -o "$T_TMP/range" "$U/100K.bin"
dd if="$ROOT/100K.bin" of="$T_TMP/range.want" bs=1000 skip=1 count=1 2>/dev/null
check "Range over TLS byte-exact" cmp -s "$T_TMP/range" "$T_TMP/range.want"
etag=$("${CURL[@]}" -I "$U/100K.bin" | tr -d '\r' | awk -F': ' 'tolower($1)=="etag" {print $2}')
code=$("${CURL[@]}" -o /dev/null -w '%{http_code}' -r 0-9 -H "If-Range: $etag" "$U/100K.bin")
expect "If-Range with the ETag: 206" 206 "$code"
"${CURL[@]}" -v -o /dev/null -o /dev/null "$U/a.txt" "$U/b.txt" 2>"$T_TMP/ka"
grep -Eq 'Re-?using existing connection' "$T_TMP/ka" && pass "keep-alive: two URLs, one TLS connection" ||
	fail "keep-alive: $(grep -i connect "$T_TMP/ka" | head -5)"

# ---- the large file, byte-exact (sparse: compare with the file itself)
t0=$(date +%s%N)
"${CURL[@]}" --max-time 120 -o "$T_TMP/big.out" "$U/big.bin"
ms=$((($(date +%s%N) - t0) / 1000000))
check "${BIG_MB} MiB over TLS byte-exact (${ms} ms)" cmp -s "$T_TMP/big.out" "$ROOT/big.bin"
rm -f "$T_TMP/big.out"

# ---- wget
wget -q -T 10 -t 1 --ca-certificate="$C/ca.pem" -O "$T_TMP/wget.out" "$U/100K.bin"
check "wget over TLS" cmp -s "$T_TMP/wget.out" "$ROOT/100K.bin"

# ---- what Debian 12's OVMF offers: TLS 1.2, no SNI, DHE-RSA or static RSA
for c in DHE-RSA-AES128-GCM-SHA256 DHE-RSA-AES256-SHA256 AES128-GCM-SHA256 AES256-SHA; do
	out=$(printf 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
		timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 -cipher "$c" \
			-noservername -CAfile "$C/ca.pem" -ign_eof 2>&1)
	[[ $out == *"Cipher is $c"* && $out == *$'\nhello'* ]] && pass "OVMF suite $c, no SNI" ||
		fail "OVMF suite $c: $(grep -E 'Cipher|error' <<<"$out" | head -3)"
done
# resumption (session tickets)
timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 -sess_out "$T_TMP/sess" </dev/null >/dev/null 2>&1
out=$(timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 -sess_in "$T_TMP/sess" </dev/null 2>&1)
[[ $out == *"Reused, TLSv1.2"* ]] && pass "TLS 1.2 session resumed" || fail "resumption: $(grep -E '^(New|Reused)' <<<"$out")"
printf 'GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' |
	timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_3 -ign_eof -sess_out "$T_TMP/sess13" >/dev/null 2>&1
out=$(timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_3 -sess_in "$T_TMP/sess13" </dev/null 2>&1)
[[ $out == *"Reused, TLSv1.3"* ]] && pass "TLS 1.3 session resumed (ticket)" ||
	fail "TLS 1.3 resumption: $(grep -E '^(New|Reused)' <<<"$out")"
# no server-side session cache (httpd/tls.c): a client that offers only
# the session id of its last session gets a full handshake
timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 -no_ticket -sess_out "$T_TMP/sessid" </dev/null >/dev/null 2>&1
out=$(timeout 10 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 -no_ticket -sess_in "$T_TMP/sessid" </dev/null 2>&1)
[[ $out == *"New, TLSv1.2"* ]] && pass "no session cache: a session id alone is not resumed" ||
	fail "session id resumption: $(grep -E '^(New|Reused)' <<<"$out")"

# ---- hostile clients: each logged, cut off, the others unharmed
# garbage for a ClientHello
$PY - "$TPORT" <<'PYEOF'
import socket, sys, os
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(os.urandom(512))
try:
    s.recv(100)
except OSError:
    pass
PYEOF
wait_for 3 logged "event=tls-handshake client=127.0.0.1 error=" && pass "garbage: logged, cut off" || fail "garbage: not logged"
# plain HTTP on the TLS port: a plain 400
out=$(curl -s --max-time 5 -w '%{http_code}' -o "$T_TMP/p400" "http://127.0.0.1:$TPORT/a.txt")
expect "plain HTTP on the TLS port: 400" 400 "$out"
logged 'event=tls-handshake client=127.0.0.1 error="http request"' && pass "plain HTTP on the TLS port: logged" ||
	fail "plain HTTP on the TLS port: not logged"
# TLS on the plain port: an immediate 400, not the header timeout
t0=$(date +%s%N)
out=$(timeout 10 openssl s_client -connect "127.0.0.1:$PORT" </dev/null 2>&1)
ms=$((($(date +%s%N) - t0) / 1000000))
[ "$ms" -lt 1500 ] && pass "TLS on the plain port: answered in ${ms} ms" || fail "TLS on the plain port: ${ms} ms"
wait_for 2 grep -q '"- - HTTP/1.0" 400' "$T_TMP/access.log" && pass "TLS on the plain port: 400 logged" ||
	fail "TLS on the plain port: $(tail -2 "$T_TMP/access.log")"
# a client that stops mid-handshake (part of a ClientHello record, then
# nothing): cut off at --tls-handshake-timeout 1 (+ the 500 ms sweep)
ms=$($PY - "$TPORT" <<'PYEOF'
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03")
t0 = time.monotonic()
try:
    while s.recv(100):
        pass
except OSError:
    pass
print(int((time.monotonic() - t0) * 1000))
PYEOF
)
[ "$ms" -ge 900 ] && [ "$ms" -lt 2500 ] && pass "stalled handshake closed after ${ms} ms" ||
	fail "stalled handshake: ${ms} ms"
logged 'event=tls-handshake client=127.0.0.1 error=timeout' && pass "stalled handshake: logged" ||
	fail "stalled handshake: not logged"
# the handshake cap (4): silent connections fill it; the next TLS client
# waits in the backlog (not refused), plain HTTP is still served, and the
# waiting client is served when the silent ones time out (1 s; they are
# handed over by TCP_DEFER_ACCEPT after about a second)
for fd in 11 12 13 14; do eval "exec $fd<>/dev/tcp/127.0.0.1/$TPORT"; done
"${CURL[@]}" -o "$T_TMP/capped" "$U/a.txt" 2>"$T_TMP/capped.err" &
CAPPED=$!
wait_for 4 logged 'handshakes in progress (--tls-max-handshakes): new TLS connections wait in the backlog' &&
	pass "handshake cap: TLS accept paused and logged" || fail "handshake cap: not logged"
out=$(curl -sS --max-time 5 "http://127.0.0.1:$PORT/a.txt")
expect "handshake cap: plain HTTP still served" hello "$out"
wait "$CAPPED" && expect "handshake cap: the waiting client is served, not refused" hello "$(cat "$T_TMP/capped")" ||
	fail "handshake cap: waiting client failed: $(cat "$T_TMP/capped.err")"
for fd in 11 12 13 14; do eval "exec $fd>&-"; done
out=$("${CURL[@]}" "$U/a.txt")
expect "after the cap: served again" hello "$out"
# renegotiation: refused, logged, the connection cut off
(sleep 0.5; echo R; sleep 1) | timeout 6 openssl s_client -connect "127.0.0.1:$TPORT" -tls1_2 \
	-CAfile "$C/ca.pem" >"$T_TMP/reneg" 2>&1
grep -q 'RENEGOTIATING' "$T_TMP/reneg" && ! grep -q 'Secure Renegotiation IS NOT' "$T_TMP/reneg" &&
	grep -q 'no renegotiation' "$T_TMP/reneg" && pass "renegotiation refused" ||
	fail "renegotiation: $(tail -3 "$T_TMP/reneg")"
wait_for 2 logged 'event=tls-error client=127.0.0.1' && pass "renegotiation: logged" || fail "renegotiation: not logged"
out=$("${CURL[@]}" "$U/a.txt")
expect "served after the hostile clients" hello "$out"

# ---- SIGHUP: a new certificate; the download in flight completes
subject() { timeout 5 openssl s_client -connect "127.0.0.1:$TPORT" -noservername </dev/null 2>/dev/null |
	openssl x509 -noout -subject 2>/dev/null | sed 's/.*CN *= *//'; }
expect "certificate before the reload" pxe-server-1 "$(subject)"
"${CURL[@]}" --max-time 60 --limit-rate 32M -o "$T_TMP/dl.out" "$U/mid.bin" &
DL=$!
sleep 0.5
cp "$C/s2.pem" "$T_TMP/cert.pem"
cp "$C/s2.key" "$T_TMP/key.pem"
kill -HUP "$PID"
wait_for 5 logged 'event=reload msg="configuration reloaded"' || fail "reload not logged"
expect "new connections see the new certificate" pxe-server-2 "$(subject)"
kill -0 "$DL" 2>/dev/null && pass "download still running across the reload" || skip "download ended before the reload"
wait "$DL" && cmp -s "$T_TMP/dl.out" "$ROOT/mid.bin" && pass "download across the reload completes byte-exact" ||
	fail "download across the reload"
rm -f "$T_TMP/dl.out"
# a bad new key: the old pair stays
echo "not a key" >"$T_TMP/key.pem"
kill -HUP "$PID"
wait_for 5 logged "keeping the old configuration: tls-key $T_TMP/key.pem" &&
	pass "bad key: logged, old configuration kept" || fail "bad key: $(grep reload "$T_TMP/server.log" | tail -2)"
expect "old pair still served" pxe-server-2 "$(subject)"
# a key that does not match the certificate
cp "$C/s1.key" "$T_TMP/key.pem"
kill -HUP "$PID"
kept_twice() { [ "$(grep -c "keeping the old configuration: tls-key" "$T_TMP/server.log")" = 2 ]; }
wait_for 5 kept_twice &&
	pass "mismatched key: old configuration kept" || fail "mismatched key not refused"
expect "still the old pair" hello "$("${CURL[@]}" "$U/a.txt")"

# ---- --tls-efi-ca: the CA as an EFI signature list (layout: unit test)
"$HTTPD" --tls-efi-ca "$C/ca.pem" >"$T_TMP/cacerts.bin"
openssl x509 -in "$C/ca.pem" -outform DER -out "$T_TMP/ca.der"
der=$(stat -c %s "$T_TMP/ca.der")
expect "--tls-efi-ca size: 28 + 16 + DER" $((44 + der)) "$(stat -c %s "$T_TMP/cacerts.bin")"
check "--tls-efi-ca carries the DER certificate" cmp -s "$T_TMP/ca.der" <(tail -c "$der" "$T_TMP/cacerts.bin")
expect "--tls-efi-ca starts with EFI_CERT_X509_GUID" a159c0a5e494a74a87b5ab155c2bf072 \
	"$(head -c 16 "$T_TMP/cacerts.bin" | od -An -tx1 | tr -d ' \n')"

# ---- --tls-listen alone: HTTPS only, no darkhttpd default listener
P3=$(free_port)
start_bg "$T_TMP/only.log" "$HTTPD" "$ROOT" --tls-listen "127.0.0.1:$P3" \
	--tls-cert "$C/s1.pem" --tls-key "$C/s1.key"
OPID=$T_LAST_PID
wait_for 10 tcp_bound "$P3"
expect "--tls-listen alone: HTTPS served" hello "$("${CURL[@]}" "https://127.0.0.1:$P3/a.txt")"
expect "--tls-listen alone: one listener, no plain default" 1 "$(grep -c 'event=listen' "$T_TMP/only.log")"
stop_pid "$OPID"

# ---- the kTLS line inside a network namespace (a container's, the
# benchmark's), where /proc/sys/net/ipv4/tcp_available_ulp does not exist:
# the daemon asks the kernel with a socket, so it knows there too. The
# answer is checked against the initial namespace's list, read after the
# start (the probe may have autoloaded the module).
if is_root && have ip; then
	NS=pxe-ktls-$$
	netns_add "$NS" && ip -n "$NS" link set lo up
	start_bg "$T_TMP/ns.log" ip netns exec "$NS" "$HTTPD" "$ROOT" --tls-listen 127.0.0.1:443 \
		--tls-cert "$C/s1.pem" --tls-key "$C/s1.key"
	NPID=$T_LAST_PID
	wait_for 10 grep -q kTLS "$T_TMP/ns.log"
	if grep -qw tls /proc/sys/net/ipv4/tcp_available_ulp; then want='kTLS: possible'; else
		want='kTLS: unavailable (the kernel has no tls module)'
	fi
	grep -qF "$want" "$T_TMP/ns.log" && pass "kTLS line in a network namespace: $want" ||
		fail "kTLS line in a network namespace: want '$want', got '$(grep kTLS "$T_TMP/ns.log")'"
	stop_pid "$NPID"
else
	skip "kTLS line in a network namespace: needs root and ip"
fi

# ---- --tls-protocols: 1.2 only (what nginx 1.22 offers by default), 1.3 only
for v in 1.2 1.3; do
	P4=$(free_port)
	start_bg "$T_TMP/proto$v.log" "$HTTPD" "$ROOT" --tls-listen "127.0.0.1:$P4" \
		--tls-cert "$C/s1.pem" --tls-key "$C/s1.key" --tls-protocols "$v"
	VPID=$T_LAST_PID
	wait_for 10 tcp_bound "$P4"
	"${CURL[@]}" -o /dev/null -v "https://127.0.0.1:$P4/a.txt" 2>"$T_TMP/proto$v.v"
	grep -q "SSL connection using TLSv$v" "$T_TMP/proto$v.v" &&
		pass "--tls-protocols $v: curl gets TLS $v" || fail "--tls-protocols $v: $(grep SSL "$T_TMP/proto$v.v")"
	if [ "$v" = 1.2 ]; then other=(--tlsv1.3); else other=(--tlsv1.2 --tls-max 1.2); fi
	"${CURL[@]}" -o /dev/null "${other[@]}" "https://127.0.0.1:$P4/a.txt" 2>/dev/null
	[ $? -ne 0 ] && pass "--tls-protocols $v: the other version is refused" ||
		fail "--tls-protocols $v: ${other[*]} was served"
	stop_pid "$VPID"
done
"$HTTPD" "$ROOT" --tls-listen 127.0.0.1:0 --tls-cert "$C/s1.pem" --tls-key "$C/s1.key" \
	--tls-protocols 1.1 --check-config >/dev/null 2>"$T_TMP/err"
expect "--tls-protocols 1.1: exit 78" 78 "$?"
grep -q 'tls-protocols' "$T_TMP/err" && pass "--tls-protocols 1.1: the error names the option" ||
	fail "--tls-protocols 1.1: $(cat "$T_TMP/err")"

# ---- the INI file, and IPv6 ([::1]:PORT)
if ip -6 addr show dev lo 2>/dev/null | grep -q '::1'; then
	P6=$(free_port)
	cat >"$T_TMP/httpd.conf" <<EOT
[httpd]
root = $ROOT
tls-listen = [::1]:$P6
tls-cert = $C/s1.pem
tls-key = $C/s1.key
tls-handshake-timeout = 5s
tls-max-handshakes = 8
tls-protocols = 1.3
EOT
	start_bg "$T_TMP/v6.log" "$HTTPD" -c "$T_TMP/httpd.conf"
	V6PID=$T_LAST_PID
	wait_for 10 tcp_bound "$P6"
	expect "INI tls-* keys, HTTPS on [::1]" hello "$(curl -sS --max-time 10 -k "https://[::1]:$P6/a.txt")"
	"$HTTPD" -c "$T_TMP/httpd.conf" --print-config >"$T_TMP/pc6"
	grep -q 'tls-max-handshakes.*8' "$T_TMP/pc6" && pass "--print-config: tls-max-handshakes from the file" ||
		fail "--print-config: $(grep tls "$T_TMP/pc6")"
	grep -q 'tls-protocols.*1\.3' "$T_TMP/pc6" && pass "--print-config: tls-protocols from the file" ||
		fail "--print-config: $(grep tls-protocols "$T_TMP/pc6")"
	stop_pid "$V6PID"
else
	skip "IPv6 TLS listener: no ::1 on lo"
fi

# ---- configuration errors
"$HTTPD" "$ROOT" --tls-listen 127.0.0.1:0 --check-config >/dev/null 2>"$T_TMP/err"
expect "--tls-listen without a certificate: exit 78" 78 "$?"
"$HTTPD" "$ROOT" --tls-listen 127.0.0.1:0 --tls-cert "$C/s1.pem" --tls-key "$C/s2.key" --check-config >/dev/null 2>"$T_TMP/err"
expect "--check-config: a key not of the certificate: exit 78" 78 "$?"
grep -qF "tls-key $C/s2.key: not a PEM private key, or not the key of tls-cert" "$T_TMP/err" &&
	pass "--check-config names the key" || fail "--check-config: $(cat "$T_TMP/err")"
"$HTTPD" "$ROOT" --print-config --tls-listen 127.0.0.1 --tls-cert "$C/s1.pem" --tls-key "$C/s1.key" >"$T_TMP/pc"
grep -q 'tls-listen.*127.0.0.1:443' "$T_TMP/pc" && pass "--print-config: tls-listen, port 443" ||
	fail "--print-config: $(grep tls "$T_TMP/pc")"

stop_pid "$PID"

# ---- socket activation: a socket named https is served over TLS, one
# with another name over plain HTTP (systemd-socket-activate starts the
# server at the first connection and passes the listening sockets)
if have systemd-socket-activate; then
	SP=$(free_port) HP=$(free_port)
	cp "$C/s1.pem" "$T_TMP/cert.pem"
	cp "$C/s1.key" "$T_TMP/key.pem"
	start_bg "$T_TMP/sa.log" systemd-socket-activate -l "127.0.0.1:$SP" -l "127.0.0.1:$HP" \
		--fdname=https:http "$HTTPD" "$ROOT" --tls-cert "$T_TMP/cert.pem" --tls-key "$T_TMP/key.pem"
	SAPID=$T_LAST_PID
	wait_for 10 tcp_bound "$HP"
	out=$("${CURL[@]}" "https://127.0.0.1:$SP/a.txt")
	expect "socket activation: fd named https serves TLS" hello "$out"
	out=$(curl -sS --max-time 10 "http://127.0.0.1:$HP/a.txt")
	expect "socket activation: fd named http serves plain HTTP" hello "$out"
	stop_pid "$SAPID"
	start_bg "$T_TMP/sa2.log" systemd-socket-activate -l "127.0.0.1:$SP" --fdname=tls "$HTTPD" "$ROOT"
	SAPID=$T_LAST_PID
	wait_for 10 tcp_bound "$SP"
	curl -s --max-time 3 -o /dev/null "http://127.0.0.1:$SP/" # starts pxe-httpd
	wait_for 10 grep -q "socket 'tls' needs --tls-cert and --tls-key" "$T_TMP/sa2.log" &&
		pass "socket activation: a TLS socket without a certificate is an error" ||
		fail "socket activation without a certificate: $(cat "$T_TMP/sa2.log")"
	stop_pid "$SAPID"
else
	skip "socket activation: needs systemd-socket-activate"
fi
t_done
