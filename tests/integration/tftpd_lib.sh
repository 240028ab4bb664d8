# SPDX-License-Identifier: MIT
# Shared by the tftpd_*.sh integration tests, sourced after ../lib.sh.
# tests/run-all runs every *.sh: on its own this file does nothing.
[ "${BASH_SOURCE[0]}" = "$0" ] && exit 0
# Provides: tftpd_start ROOT [ARGS...] (sets TFTPD_PID, TFTPD_PORT, TFTPD_LOG)
# and TPY: a small raw TFTP client in Python for protocol-level checks.

TPY=$T_TMP/tftpc.py
cat >"$TPY" <<'PYEOF'
"""Raw TFTP client for protocol checks.
usage: tftpc.py CMD HOST PORT [args]; prints results as key=value lines."""
import os, socket, struct, sys, time

def rrq_pkt(op, name, mode="octet", opts=()):
    b = struct.pack("!H", op) + name.encode() + b"\0" + mode.encode() + b"\0"
    for k, v in opts:
        b += k.encode() + b"\0" + str(v).encode() + b"\0"
    return b

def parse_oack(b):
    parts = b[2:].split(b"\0")[:-1]
    return {parts[i].decode().lower(): parts[i + 1].decode() for i in range(0, len(parts) - 1, 2)}

def sock(host, tmo=2.0):
    fam = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(tmo)
    return s

def get(host, port, name, mode="octet", opts=(), out=None, wire=False):
    """Read a file; windowsize from the OACK. Returns (oack, data, server_port)."""
    s = sock(host, float(os.environ.get("TPY_TIMEOUT", "2")))
    req = rrq_pkt(1, name, mode, opts)
    s.sendto(req, (host, port))
    blk, win, oack, tid = 512, 1, {}, None
    data = bytearray()
    expect, got_in_win, tries = 1, 0, 0
    while True:
        try:
            b, a = s.recvfrom(70000)
        except socket.timeout:
            tries += 1
            if tries > int(os.environ.get("TPY_RETRIES", "5")):
                raise SystemExit("error=timeout bytes=%d" % len(data))
            if tid:
                s.sendto(struct.pack("!HH", 4, (expect - 1) & 0xffff), tid)
            else:
                s.sendto(req, (host, port))
            continue
        if tid is None:
            tid = a
        elif a != tid:
            continue
        op = struct.unpack("!H", b[:2])[0]
        if op == 5:
            code = struct.unpack("!H", b[2:4])[0]
            print("error=%d msg=%s" % (code, b[4:].split(b"\0")[0].decode(errors="replace")))
            return None, None, a[1]
        tries = 0
        if op == 6:
            oack = parse_oack(b)
            blk = int(oack.get("blksize", 512))
            win = int(oack.get("windowsize", 1))
            s.sendto(struct.pack("!HH", 4, 0), tid)
            continue
        if op != 3:
            continue
        n = struct.unpack("!H", b[2:4])[0]
        if n != expect & 0xffff:
            # gap or duplicate: ACK the last block in order (RFC 7440)
            s.sendto(struct.pack("!HH", 4, (expect - 1) & 0xffff), tid)
            got_in_win = 0
            continue
        data += b[4:]
        expect += 1
        got_in_win += 1
        last = len(b) - 4 < blk
        if last or got_in_win >= win:
            s.sendto(struct.pack("!HH", 4, n), tid)
            got_in_win = 0
        if last:
            return oack, bytes(data), a[1]

def main():
    cmd, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
    args = sys.argv[4:]
    if cmd == "get":  # get NAME MODE OUT [opt=val ...]
        opts = [tuple(x.split("=", 1)) for x in args[3:]]
        oack, data, sport = get(host, port, args[0], args[1], opts)
        if data is None:
            return
        open(args[2], "wb").write(data)
        print("ok=1 bytes=%d sport=%d %s" % (len(data), sport,
              " ".join("oack_%s=%s" % kv for kv in sorted(oack.items()))))
    elif cmd == "oack":  # oack NAME [opt=val ...]: print OACK (or ERROR), then abort with ERROR 8
        s = sock(host)
        s.sendto(rrq_pkt(1, args[0], "octet", [tuple(x.split("=", 1)) for x in args[1:]]), (host, port))
        b, a = s.recvfrom(70000)
        op = struct.unpack("!H", b[:2])[0]
        if op == 6:
            print(" ".join("oack_%s=%s" % kv for kv in sorted(parse_oack(b).items())))
            s.sendto(struct.pack("!HH", 5, 8) + b"declined\0", a)
        elif op == 5:
            print("error=%d" % struct.unpack("!H", b[2:4])[0])
        else:
            print("op=%d" % op)
    elif cmd == "raw":  # raw HEXBYTES: send, print the reply's opcode/code
        s = sock(host)
        s.sendto(bytes.fromhex(args[0]), (host, port))
        try:
            b, a = s.recvfrom(70000)
            op = struct.unpack("!H", b[:2])[0]
            print("op=%d code=%d" % (op, struct.unpack("!H", b[2:4])[0] if len(b) >= 4 else -1))
        except socket.timeout:
            print("op=none")
    elif cmd == "tid":  # wrong TID: a stranger's ACK gets ERROR 5, the transfer goes on
        s = sock(host)
        s.sendto(rrq_pkt(1, args[0]), (host, port))
        b, a = s.recvfrom(70000)
        stranger = sock(host)
        stranger.sendto(struct.pack("!HH", 4, 1), a)
        e, _ = stranger.recvfrom(1000)
        print("stranger_op=%d stranger_code=%d" % struct.unpack("!HH", e[:4]))
        data = bytearray(b[4:])
        n = 1
        while len(b) - 4 == 512:
            s.sendto(struct.pack("!HH", 4, n & 0xffff), a)
            while True:  # skip retransmissions of block n (a loaded machine)
                b, a2 = s.recvfrom(70000)
                if a2 == a and struct.unpack("!HH", b[:4]) == (3, (n + 1) & 0xffff):
                    break
            data += b[4:]
            n += 1
        s.sendto(struct.pack("!HH", 4, n & 0xffff), a)
        print("bytes=%d" % len(data))
    elif cmd == "dup":  # a repeated RRQ from the same port starts one transfer only
        s = sock(host, 0.6)
        p = rrq_pkt(1, args[0])
        s.sendto(p, (host, port))
        s.sendto(p, (host, port))
        ports = set()
        t_end = time.time() + 1.0
        while time.time() < t_end:
            try:
                b, a = s.recvfrom(70000)
                ports.add(a[1])
            except socket.timeout:
                break
        print("server_ports=%d" % len(ports))
    elif cmd == "reprobe":  # RRQ tsize, read the OACK, ask again from the same port, no ERROR
        s = sock(host)
        s.sendto(rrq_pkt(1, args[0], "octet", [("tsize", 0)]), (host, port))
        b, a1 = s.recvfrom(70000)
        s.sendto(rrq_pkt(1, args[0]), (host, port))
        while True:  # a retransmitted OACK of the first may cross the request
            b, a2 = s.recvfrom(70000)
            if struct.unpack("!H", b[:2])[0] != 6:
                break
        print("first_op=6 second_op=%d new_port=%d" % (struct.unpack("!H", b[:2])[0], a1 != a2))
    elif cmd == "hold":  # hold NAME SECS: start a transfer and never ACK
        s = sock(host)
        s.sendto(rrq_pkt(1, args[0]), (host, port))
        b, a = s.recvfrom(70000)
        import signal
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        print("held", flush=True)
        try:
            time.sleep(float(args[1]))
        finally:
            s.sendto(struct.pack("!HH", 5, 0) + b"bye\0", a)
    elif cmd == "put":  # put NAME LOCAL [abort_after_blocks] [opt=val ...]
        data = open(args[1], "rb").read()
        abort = int(args[2]) if len(args) > 2 else -1
        opts = [tuple(x.split("=", 1)) for x in args[3:]]
        s = sock(host)
        s.sendto(rrq_pkt(2, args[0], "octet", opts), (host, port))
        b, a = s.recvfrom(70000)
        op = struct.unpack("!H", b[:2])[0]
        blk = 512
        if op == 5:
            print("error=%d" % struct.unpack("!H", b[2:4])[0]); return
        if op == 6:
            blk = int(parse_oack(b).get("blksize", 512))
        n = 1
        while True:
            if n - 1 == abort:
                s.sendto(struct.pack("!HH", 5, 0) + b"abort\0", a)
                print("aborted=1"); return
            chunk = data[(n - 1) * blk:n * blk]
            for _ in range(5):
                s.sendto(struct.pack("!HH", 3, n & 0xffff) + chunk, a)
                try:
                    b, _ = s.recvfrom(1000)
                except socket.timeout:
                    continue
                if struct.unpack("!HH", b[:4]) == (4, n & 0xffff):
                    break
            else:
                print("error=timeout"); return
            if len(chunk) < blk:
                print("ok=1 bytes=%d" % len(data)); return
            n += 1

main()
PYEOF

tpy() { timeout 60 python3 "$TPY" "$@"; }

# tftpd_start ROOT [ARGS...]: start pxe-tftpd on 127.0.0.1 and a free port.
tftpd_start() {
	local root=$1; shift
	TFTPD_PORT=$(free_port udp)
	TFTPD_LOG=$T_TMP/tftpd.$TFTPD_PORT.log
	start_bg "$TFTPD_LOG" "$TFTPD" --listen "127.0.0.1:$TFTPD_PORT" "$@" "$root"
	TFTPD_PID=$T_LAST_PID
	wait_for 10 udp_bound "$TFTPD_PORT" || { fail "tftpd start: $(tail -3 "$TFTPD_LOG")"; return 1; }
}

# same FILE1 FILE2: byte-exact
same() { cmp -s "$1" "$2"; }
