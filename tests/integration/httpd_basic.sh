#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-httpd over loopback with curl, wrk and a raw socket client: methods,
# keep-alive, pipelining, HTTP/1.0, validators, conditionals, ranges,
# > 4 GiB files, path traversal, directories, limits, the access log.
. "$(dirname "$0")/../lib.sh"
need_cmd curl ss python3
# pyenv shims cost seconds per call: prefer the system interpreter
PY=$(command -v /usr/bin/python3 || command -v python3)
RAW="$PY $(dirname "$0")/httpd_raw.py"
port() { $PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
[ -x "$HTTPD" ] || { fail "httpd_basic: $HTTPD not built"; t_done; }

ROOT=$T_TMP/root
mkdir -p "$ROOT/dir" "$ROOT/withindex" "$ROOT/sub"
head -c 4096 /dev/urandom >"$ROOT/4K.bin"
echo hello >"$ROOT/a.txt"
echo "<h1>index</h1>" >"$ROOT/withindex/index.html"
echo "in dir" >"$ROOT/dir/b.txt"
echo "TB-SECRET-OUTSIDE-ROOT" >"$T_TMP/secret.txt"
ln -s "$T_TMP/secret.txt" "$ROOT/escape-abs"
ln -s ../secret.txt "$ROOT/escape-rel"
ln -s a.txt "$ROOT/inside-link"
truncate -s 5G "$ROOT/5G.bin"
printf 'END-OF-5G' | dd of="$ROOT/5G.bin" bs=1 seek=$((5 * 1024 * 1024 * 1024 - 9)) conv=notrunc 2>/dev/null
touch -d '2025-01-01 00:00:00' "$ROOT/4K.bin" "$ROOT/a.txt"
SZ5=$((5 * 1024 * 1024 * 1024))

PORT=$(port)
U=http://127.0.0.1:$PORT
start_bg "$T_TMP/server.log" "$HTTPD" "$ROOT" --addr 127.0.0.1 --port "$PORT" --log "$T_TMP/access.log"
PID=$T_LAST_PID
wait_for 20 tcp_bound "$PORT" || { fail "httpd starts: not listening"; cat "$T_TMP/server.log"; t_done; }

H=$T_TMP/h B=$T_TMP/b
# cu PATH [curl args] -> CODE, headers in $H, body in $B
cu() { local p=$1; shift; rm -f "$H" "$B"; : >"$B"; CODE=$(curl -s --path-as-is --max-time 10 -D "$H" -o "$B" -w '%{http_code}' "$@" "$U$p"); }
hdr() { tr -d '\r' <"$H" | awk -v h="$(echo "$1" | tr A-Z a-z)" -F': ' 'tolower($1)==h {v=substr($0, length($1)+3)} END {print v}'; }
expect() { local name=$1 want=$2 got=$3; [ "$got" = "$want" ] && pass "$name" || fail "$name: want '$want', got '$got'"; }

# ---- GET / HEAD
cu /4K.bin
expect "GET 200" 200 "$CODE"
check "GET body byte-exact" cmp -s "$B" "$ROOT/4K.bin"
expect "Content-Length" 4096 "$(hdr Content-Length)"
expect "Accept-Ranges" bytes "$(hdr Accept-Ranges)"
expect "Content-Type default" application/octet-stream "$(hdr Content-Type)"
expect "Last-Modified" "Wed, 01 Jan 2025 00:00:00 GMT" "$(hdr Last-Modified)"
ETAG=$(hdr ETag); LM=$(hdr Last-Modified)
[[ $ETAG == \"*\" && $ETAG != W/* ]] && pass "strong ETag $ETAG" || fail "strong ETag: '$ETAG'"
[ -n "$(hdr Date)" ] && pass "Date header" || fail "Date header missing"
[ -n "$(hdr Server)" ] && pass "Server header" || fail "Server header missing"
cu /a.txt
expect "Content-Type .txt" text/plain "$(hdr Content-Type)"
cp "$H" "$T_TMP/get.h"
cu /a.txt -I
expect "HEAD 200" 200 "$CODE"
out=$($RAW raw 127.0.0.1 "$PORT" 'HEAD /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' 2)
[[ $out == *$'\r\n\r\n<EOF>' ]] && pass "HEAD: no body" || fail "HEAD body: $out"
expect "HEAD same Content-Length" 6 "$(hdr Content-Length)"
expect "HEAD same ETag" "$(tr -d '\r' <"$T_TMP/get.h" | grep -i '^etag')" "$(tr -d '\r' <"$H" | grep -i '^etag')"
for m in POST PUT DELETE OPTIONS; do
	cu /a.txt -X $m
	expect "$m -> 405" 405 "$CODE"
done
expect "405 Allow" "GET, HEAD" "$(hdr Allow)"
cu /nope.txt
expect "missing -> 404" 404 "$CODE"

# ---- connections
v=$(curl -s --max-time 10 -o /dev/null -o /dev/null -w '%{num_connects} ' "$U/a.txt" "$U/a.txt")
expect "keep-alive reuses the connection" "1 0 " "$v"
cu /a.txt -H 'Connection: close'
expect "Connection: close honoured" close "$(hdr Connection)"
out=$($RAW raw 127.0.0.1 "$PORT" 'GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /4K.bin HTTP/1.1\r\nHost: x\r\n\r\nHEAD /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' 3 | grep -a -o 'HTTP/1.1 200 OK' | wc -l)
expect "pipelining: 3 requests in one segment, 3 replies" 3 "$out"
out=$($RAW raw 127.0.0.1 "$PORT" 'GET /a.txt HTTP/1.0\r\n\r\n' 3)
[[ $out == *"HTTP/1.1 200"* && $out == *"Connection: close"* && $out == *"<EOF>" ]] && pass "HTTP/1.0: reply then close" || fail "HTTP/1.0: $out"
out=$($RAW raw 127.0.0.1 "$PORT" 'GET /a.txt HTTP/1.0\r\nConnection: keep-alive\r\n\r\n' 0.5)
[[ $out == *"Connection: keep-alive"* && $out != *"<EOF>" ]] && pass "HTTP/1.0 keep-alive" || fail "HTTP/1.0 keep-alive: $out"
out=$($RAW raw 127.0.0.1 "$PORT" 'GET / HTTP/1.1\r\n\r\n' 2 | head -1 | tr -d '\r')
expect "HTTP/1.1 without Host -> 400" "HTTP/1.1 400 Bad Request" "$out"
out=$($RAW raw 127.0.0.1 "$PORT" 'GARBAGE\r\n\r\n' 2 | head -1 | tr -d '\r')
expect "garbage -> 400" "HTTP/1.1 400 Bad Request" "$out"
out=$($RAW raw 127.0.0.1 "$PORT" 'GET / HTTP/3.0\r\nHost: x\r\n\r\n' 2 | head -1 | tr -d '\r')
expect "HTTP/3.0 -> 505" "HTTP/1.1 505 HTTP Version Not Supported" "$out"
cu "/$(head -c 10000 /dev/zero | tr '\0' a)"
expect "10 KB URI -> 414" 414 "$CODE"
printf 'X-Big: %s\r\n' "$(head -c 102400 /dev/zero | tr '\0' a)" >"$T_TMP/bighdr"
cu /a.txt -H "@$T_TMP/bighdr"
expect "100 KB header -> 431" 431 "$CODE"

# ---- ranges
cu /4K.bin -H 'Range: bytes=0-99'
expect "Range 0-99 -> 206" "206 bytes 0-99/4096 100" "$CODE $(hdr Content-Range) $(stat -c %s "$B")"
check "Range body exact" cmp -s "$B" <(head -c 100 "$ROOT/4K.bin")
cu /4K.bin -H 'Range: bytes=-100'
expect "suffix range" "206 bytes 3996-4095/4096" "$CODE $(hdr Content-Range)"
check "suffix body exact" cmp -s "$B" <(tail -c 100 "$ROOT/4K.bin")
cu /4K.bin -H 'Range: bytes=100-'
expect "open range" "206 bytes 100-4095/4096" "$CODE $(hdr Content-Range)"
cu /4K.bin -H 'Range: bytes=5000-6000'
expect "unsatisfiable -> 416 bytes */SIZE" "416 bytes */4096" "$CODE $(hdr Content-Range)"
cu /4K.bin -H 'Range: bytes=0-9,20-29'
ct=$(hdr Content-Type)
[[ $CODE = 206 && $ct == multipart/byteranges\;\ boundary=* ]] && pass "multi-range -> multipart/byteranges" || fail "multi-range: $CODE $ct"
bnd=${ct#*boundary=}
$PY - "$B" "$ROOT/4K.bin" "$bnd" <<'PY' && pass "multipart body: 2 parts, exact bytes" || fail "multipart body"
import sys
body, data, b = open(sys.argv[1], "rb").read(), open(sys.argv[2], "rb").read(), sys.argv[3].encode()
parts = body.split(b"--" + b)
assert parts[0] == b"" and parts[-1] == b"--\r\n", parts[-1]
got = []
for p in parts[1:-1]:
    head, _, payload = p.partition(b"\r\n\r\n")
    assert payload.endswith(b"\r\n")
    cr = [l for l in head.split(b"\r\n") if l.lower().startswith(b"content-range:")][0]
    a, z = cr.split(b" ")[2].split(b"/")[0].split(b"-")
    assert payload[:-2] == data[int(a):int(z) + 1]
    got.append((int(a), int(z)))
assert got == [(0, 9), (20, 29)], got
PY
cu /4K.bin -H 'Range: bytes=0-99' -H 'If-Range: "stale"'
expect "If-Range stale ETag -> 200 full" "200 4096" "$CODE $(stat -c %s "$B")"
cu /4K.bin -H 'Range: bytes=0-99' -H 'If-Range: Mon, 01 Jan 2001 00:00:00 GMT'
expect "If-Range stale date -> 200 full" "200 4096" "$CODE $(stat -c %s "$B")"
cu /4K.bin -H 'Range: bytes=0-99' -H "If-Range: $ETAG"
expect "If-Range current ETag -> 206" "206 100" "$CODE $(stat -c %s "$B")"
cu /4K.bin -H 'Range: bytes=0-99' -H "If-Range: $LM"
expect "If-Range current date -> 206" "206 100" "$CODE $(stat -c %s "$B")"

# ---- conditionals
cu /4K.bin -H "If-None-Match: $ETAG"
expect "If-None-Match -> 304" "304 0" "$CODE $(stat -c %s "$B")"
expect "304 keeps ETag" "$ETAG" "$(hdr ETag)"
cu /4K.bin -H 'If-None-Match: "other"'
expect "If-None-Match other -> 200" 200 "$CODE"
cu /4K.bin -H "If-Modified-Since: $LM"
expect "If-Modified-Since = Last-Modified -> 304" 304 "$CODE"
cu /4K.bin -H "If-Modified-Since: Wednesday, 01-Jan-25 00:00:01 GMT"
expect "If-Modified-Since later, RFC 850 form (time, not string) -> 304" 304 "$CODE"
cu /4K.bin -H "If-Modified-Since: Tue, 31 Dec 2024 23:59:59 GMT"
expect "If-Modified-Since earlier -> 200" 200 "$CODE"

# ---- > 4 GiB
cu /5G.bin -I
expect "HEAD 5 GiB: Content-Length" "200 $SZ5" "$CODE $(hdr Content-Length)"
cu /5G.bin -H "Range: bytes=$((SZ5 - 100))-"
expect "5 GiB: range near the end" "206 bytes $((SZ5 - 100))-$((SZ5 - 1))/$SZ5 100" "$CODE $(hdr Content-Range) $(stat -c %s "$B")"
expect "5 GiB: last bytes exact" "END-OF-5G" "$(tail -c 9 "$B")"
cu /5G.bin -H "Range: bytes=-9"
expect "5 GiB: suffix range" "206 END-OF-5G" "$CODE $(cat "$B")"

# ---- paths
for p in "/../secret.txt" "/%2e%2e/secret.txt" "/..%2fsecret.txt" "/dir/..%2f..%2fsecret.txt" \
	"/%2e%2e%2fsecret.txt" "/dir/../../secret.txt" "/escape-abs" "/escape-rel" "/%00a.txt" "/..\\secret.txt"; do
	cu "$p"
	if grep -q TB-SECRET "$B"; then fail "traversal $p: served the file outside the root"
	elif [[ $CODE = 4* ]]; then pass "traversal $p refused ($CODE)"
	else fail "traversal $p: $CODE"; fi
done
cu /inside-link
expect "symlink inside the root served" "200 hello" "$CODE $(cat "$B")"
cu /dir/../a.txt
expect "/dir/../a.txt stays inside: served" 200 "$CODE"
cu /a%2etxt
expect "percent-decoded name" 200 "$CODE"
cu /dir
expect "directory without slash -> 301" "301 /dir/" "$CODE $(hdr Location)"
cu "/dir?x=1"
expect "301 keeps the query" "/dir/?x=1" "$(hdr Location)"
cu /dir/
expect "directory without index, listing off -> 403" 403 "$CODE"
cu /withindex/
expect "index.html served" "200 <h1>index</h1>" "$CODE $(cat "$B")"
cu /a.txt/
expect "file with a slash -> 404" 404 "$CODE"

# ---- load
if have wrk; then
	out=$(timeout 20 wrk -t1 -c20 -d1s "$U/4K.bin" 2>&1)
	req=$(echo "$out" | awk '/requests in/ {print $1}')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $NF} /Socket errors/ {print "err"}')
	[ "${req:-0}" -gt 100 ] && [ -z "$bad" ] && pass "wrk 1 s, 20 connections: $req requests, no errors" || fail "wrk: $out"
	out=$(timeout 20 wrk -t1 -c20 -d1s -H 'Connection: close' "$U/4K.bin" 2>&1)
	req=$(echo "$out" | awk '/requests in/ {print $1}')
	bad=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
	[ "${req:-0}" -gt 50 ] && [ -z "$bad" ] && pass "wrk Connection: close: $req requests" || fail "wrk close: $out"
else
	skip "wrk: not installed"
fi

# ---- access log (flushed at least once a second)
$RAW raw 127.0.0.1 "$PORT" 'GET /a.txt?v=1 HTTP/1.0\r\nUser-Agent: iPXE/1.21.1\r\nReferer: http://r/\r\n\r\n' 2 >/dev/null
sleep 1.2
line=$(grep -a 'a.txt?v=1' "$T_TMP/access.log" | tail -1)
[[ $line =~ ^127\.0\.0\.1\ -\ -\ \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9:]{8}\ [-+][0-9]{4}\]\ \"GET\ /a.txt\?v=1\ HTTP/1.0\"\ 200\ 6\ \"http://r/\"\ \"iPXE/1.21.1\"$ ]] \
	&& pass "access log: CLF combined with the real protocol version" || fail "access log line: '$line'"
kill -0 "$PID" 2>/dev/null && pass "server alive after all of it" || fail "server died"
t_done
