#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-tftpd as a reflector (issue 19): what it sends to an address that
# has not yet shown it receives (an ACK of the OACK or of block 1), on
# loopback (sources 127.0.0.2 and 127.0.0.3).
#  - a request with options gets an OACK and no DATA before its ACK (never
#    a window); one without gets one block of at most 512 bytes; unanswered,
#    each is resent with backoff from 250 ms up to --timeout, then --retries
#    times at --timeout: here (1s, 2) 1 + 2 + 2 = 5 packets at most;
#  - ERROR replies from the listen socket are limited per source address
#    (20 at once, 10/s after): a flood of requests for a missing file from
#    one address gets at most that many, another address still gets its
#    error, and the count of the ones not sent is logged once.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3
[ -x "$TFTPD" ] || { fail "tftpd_reflect: $TFTPD not built"; t_done; }
ROOT=$T_TMP/root
mkdir -p "$ROOT"
head -c 4000000 /dev/urandom >"$ROOT/big.bin"
tftpd_start "$ROOT" --timeout 1 --retries 2 || t_done

cat >"$T_TMP/reflect.py" <<'PY'
import socket, struct, sys, time
port = int(sys.argv[2])
def rrq(name, opts=()):
    b = struct.pack("!H", 1) + name.encode() + b"\0octet\0"
    for k, v in opts:
        b += k.encode() + b"\0" + str(v).encode() + b"\0"
    return b
def sock(src):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind((src, 0))
    return s
def drain(s, secs):
    """Everything that arrives within secs: (packets, bytes, ops)."""
    end, n, size, ops = time.time() + secs, 0, 0, []
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try:
            b, _ = s.recvfrom(70000)
        except socket.timeout:
            break
        n, size = n + 1, size + len(b)
        ops.append(struct.unpack("!H", b[:2])[0])
    return n, size, ops
cmd = sys.argv[1]
if cmd == "unproven":
    # never ACKed: --timeout 1 --retries 2 -> the first packet and at most 2 resends
    s = sock("127.0.0.2")
    s.sendto(rrq("big.bin", [("blksize", 1428), ("windowsize", 16)]), ("127.0.0.1", port))
    n, size, ops = drain(s, 6)
    print("options packets=%d bytes=%d data=%d" % (n, size, ops.count(3)))
    s = sock("127.0.0.2")
    s.sendto(rrq("big.bin"), ("127.0.0.1", port))
    n, size, ops = drain(s, 6)
    print("plain packets=%d bytes=%d data=%d" % (n, size, ops.count(3)))
elif cmd == "flood":
    s = sock("127.0.0.2")
    t0 = time.time()
    for i in range(500):
        s.sendto(rrq("missing-%d" % i), ("127.0.0.1", port))
    n, size, ops = drain(s, 1.0)
    print("flood sent=500 errors=%d secs=%.2f" % (ops.count(5), time.time() - t0))
    o = sock("127.0.0.3")
    o.sendto(rrq("missing"), ("127.0.0.1", port))
    n, _, ops = drain(o, 1.0)
    print("other errors=%d" % ops.count(5))
    time.sleep(1.0)
    s.sendto(rrq("missing-again"), ("127.0.0.1", port))
    n, _, ops = drain(s, 1.0)
    print("later errors=%d" % ops.count(5))
PY
OUT=$(timeout 30 python3 "$T_TMP/reflect.py" unproven "$TFTPD_PORT")
echo "$OUT" | sed 's/^/    /'
read -r _ p b d <<<"$(grep '^options' <<<"$OUT")"
check "options, never ACKed: OACKs only, at most 5 ($p, ${b#bytes=} bytes)" \
	test "${d#data=}" -eq 0 -a "${p#packets=}" -ge 1 -a "${p#packets=}" -le 5
read -r _ p b d <<<"$(grep '^plain' <<<"$OUT")"
check "no options, never ACKed: one 512-byte block, at most 5 times (${b#bytes=} bytes)" \
	test "${p#packets=}" -ge 1 -a "${p#packets=}" -le 5 -a "${b#bytes=}" -le $((5 * 516))

OUT=$(timeout 30 python3 "$T_TMP/reflect.py" flood "$TFTPD_PORT")
echo "$OUT" | sed 's/^/    /'
E=$(sed -n 's/^flood .*errors=\([0-9]*\).*/\1/p' <<<"$OUT")
S=$(sed -n 's/^flood .*secs=\([0-9.]*\).*/\1/p' <<<"$OUT")
MAX=$(python3 -c "import math; print(20 + math.ceil(10 * $S) + 1)")
check "500 requests for missing files from one address: at most $MAX errors ($E)" \
	test "${E:-999}" -ge 20 -a "${E:-999}" -le "$MAX"
check "another address still gets its error" grep -q '^other errors=1$' <<<"$OUT"
check "the flooding address gets errors again a second later" grep -q '^later errors=1$' <<<"$OUT"
check "the errors not sent are logged, once" \
	test "$(grep -c 'error replies not sent' "$TFTPD_LOG")" -eq 1
check "no log line per suppressed request" test "$(grep -c 'status=refused' "$TFTPD_LOG")" -le $((MAX + 3))
check "server still running" kill -0 "$TFTPD_PID"
stop_pid "$TFTPD_PID"
t_done
