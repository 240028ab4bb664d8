#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-tftpd at max-transfers under a flood of 100,000 read requests from
# 1,000 source ports on loopback that never acknowledge (issue 19): the
# transfers it had accepted finish byte-exact, the flood's requests take at
# most the free slots and time out, the rest get "busy" errors at the
# per-source rate (srclimit.c), memory stays bounded, and after the flood a
# new client is served.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_cmd python3 curl
[ -x "$TFTPD" ] || { fail "tftpd_flood: $TFTPD not built"; t_done; }
N=${TFTPD_FLOOD_N:-100000}
ROOT=$T_TMP/root
mkdir -p "$ROOT" "$T_TMP/out"
head -c 40000000 /dev/urandom >"$ROOT/big.bin"
tftpd_start "$ROOT" --max-transfers 8 --timeout 1 --retries 2 || t_done
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$TFTPD_PID/status"; }
RSS0=$(rss_kb)

# Four real clients, slowed to a lock-step 512-byte transfer, so they run
# through the whole flood.
CPIDS=()
for i in 1 2 3 4; do
	curl -s --max-time 120 --tftp-blksize 512 -o "$T_TMP/out/c$i" \
		"tftp://127.0.0.1:$TFTPD_PORT/big.bin" &
	CPIDS+=($!)
done
sleep 0.5
cat >"$T_TMP/flood.py" <<'PY'
import socket, struct, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
socks = []
for _ in range(1000):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(("127.0.0.5", 0))
    s.setblocking(False)
    socks.append(s)
names = [b"big.bin", b"missing.bin"]
t0, got = time.time(), 0
for i in range(n):
    s = socks[i % len(socks)]
    try:
        s.sendto(struct.pack("!H", 1) + names[i & 1] + b"\0octet\0", ("127.0.0.1", port))
    except BlockingIOError:
        pass
    if i % 1000 == 999:
        for r in socks:
            try:
                while True:
                    r.recv(2048)
                    got += 1
            except BlockingIOError:
                pass
print("flood sent=%d replies=%d secs=%.1f" % (n, got, time.time() - t0))
PY
OUT=$(timeout 300 python3 "$T_TMP/flood.py" "$TFTPD_PORT" "$N")
echo "    $OUT"
RSS1=$(rss_kb)
ok=0
for p in "${CPIDS[@]}"; do wait "$p" && ok=$((ok + 1)); done
same_all=0
for i in 1 2 3 4; do cmp -s "$ROOT/big.bin" "$T_TMP/out/c$i" && same_all=$((same_all + 1)); done
check "the 4 transfers running before the flood finish byte-exact ($same_all)" test "$same_all" -eq 4 -a "$ok" -eq 4
check "memory bounded: RSS grew by $((RSS1 - RSS0)) kB (< 32 MB)" test $((RSS1 - RSS0)) -lt 32768
check "server alive" kill -0 "$TFTPD_PID"
sleep 5 # the flood's transfers (never ACKed) time out
check "a new client is served after the flood" \
	curl -s --max-time 60 --tftp-blksize 1468 -o "$T_TMP/out/after" "tftp://127.0.0.1:$TFTPD_PORT/big.bin"
check "byte-exact" cmp -s "$ROOT/big.bin" "$T_TMP/out/after"
NF=$(grep -c 'client=127.0.0.5:.* status=timeout' "$TFTPD_LOG")
check "the flood got at most the 4 free slots, which timed out ($NF)" test "$NF" -ge 1 -a "$NF" -le 4
check "the rest were refused as busy" grep -q 'client=127.0.0.5:.*server busy (max-transfers)' "$TFTPD_LOG"
check "the log is not flooded ($(wc -l <"$TFTPD_LOG") lines)" test "$(wc -l <"$TFTPD_LOG")" -lt 500
stop_pid "$TFTPD_PID"
t_done
