#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-tftpd with 1,000 transfers at once: every one is held open at the
# same time (the client ACKs nothing until all 1,000 have their first
# block), one more request meets max-transfers (ERROR 0), then all
# complete byte-exact, in one process of a few MB.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3 ss

ROOT=$T_TMP/root
mkdir -p "$ROOT"
head -c 20000 /dev/urandom >"$ROOT/f.bin" # 40 blocks of 512
ulimit -n 8192 2>/dev/null || true

tftpd_start "$ROOT" --log-level info || t_done
r=$(timeout 120 python3 - "$TFTPD_PORT" "$ROOT/f.bin" 1000 <<'PY'
import selectors, socket, struct, sys, time
port, path, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
want = open(path, "rb").read()
srv = ("127.0.0.1", port)
sel = selectors.DefaultSelector()
xs = []
for i in range(n):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setblocking(False)
    x = {"s": s, "peer": None, "next": 1, "buf": bytearray(), "done": False, "first": None}
    xs.append(x)
    sel.register(s, selectors.EVENT_READ, x)
    s.sendto(b"\x00\x01f.bin\x00octet\x00", srv)
    if i % 50 == 49:
        time.sleep(0.01)  # do not overrun the listener's receive queue

def ack(x, b):
    x["s"].sendto(struct.pack("!HH", 4, b), x["peer"])

deadline = time.time() + 90
held = 0
# Phase 1: every transfer's first block arrives; nothing is ACKed yet. A
# request the listener's queue dropped (a slow build) is sent again after
# a second, as a client would; a repeated request starts nothing twice.
resend = time.time() + 1.0
while held < n and time.time() < deadline:
    if time.time() > resend:
        for x in xs:
            if x["first"] is None:
                x["s"].sendto(b"\x00\x01f.bin\x00octet\x00", srv)
        resend = time.time() + 1.0
    for key, _ in sel.select(0.2):
        x = key.data
        try:
            d, peer = x["s"].recvfrom(600)
        except BlockingIOError:
            continue
        if x["first"] is None and len(d) >= 4 and struct.unpack("!H", d[:2])[0] == 3:
            x["first"], x["peer"] = d, peer
            held += 1
print("held=%d" % held)
# One more while all are open: max-transfers (default 1000) says busy.
extra = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
extra.settimeout(5)
extra.sendto(b"\x00\x01f.bin\x00octet\x00", srv)
try:
    d, _ = extra.recvfrom(600)
    print("extra_op=%d extra_code=%d" % struct.unpack("!HH", d[:4]))
except socket.timeout:
    print("extra_op=none")
# Phase 2: run them all to the end.
def take(x, d):
    op, b = struct.unpack("!HH", d[:4])
    if op != 3:
        x["done"] = "error %d" % b
        return
    if b == x["next"] & 0xFFFF:
        x["buf"] += d[4:]
        x["next"] += 1
        if len(d) - 4 < 512:
            x["done"] = True
    ack(x, b)
for x in xs:
    if x["first"] is not None:
        take(x, x["first"])
while time.time() < deadline and not all(x["done"] for x in xs):
    for key, _ in sel.select(1.0):
        x = key.data
        while True:
            try:
                d, peer = x["s"].recvfrom(600)
            except BlockingIOError:
                break
            if peer == x["peer"] and not x["done"]:
                take(x, d)
ok = sum(1 for x in xs if x["done"] is True and bytes(x["buf"]) == want)
print("ok=%d of=%d" % (ok, n))
PY
)
echo "$r" | sed 's/^/    /'
check "1000 transfers open at once" grep -q '^held=1000$' <<<"$r"
check "the 1001st request gets ERROR 0 (server busy)" grep -q '^extra_op=5 extra_code=0$' <<<"$r"
check "all 1000 complete byte-exact" grep -q '^ok=1000 of=1000$' <<<"$r"
hwm=$(awk '/^VmHWM/ {print $2}' "/proc/$TFTPD_PID/status")
if ldd "$TFTPD_BIN" 2>/dev/null | grep -q libasan; then
	skip "peak RSS: sanitizer build (${hwm:-?} kB)"
else
	check "peak RSS under 20 MB with 1000 transfers (${hwm:-?} kB)" test "${hwm:-999999}" -lt 20480
fi
sleep 0.3
oks=$(grep -c 'event=transfer.*status=ok' "$TFTPD_LOG")
check "1000 transfer lines with status=ok ($oks)" test "$oks" -eq 1000
stop_pid "$TFTPD_PID"
t_done
