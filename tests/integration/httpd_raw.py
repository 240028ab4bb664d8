#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Raw-socket HTTP client for the pxe-httpd integration tests.

  httpd_raw.py raw HOST PORT DATA [TIMEOUT]   send DATA (Python escapes: \\r\\n),
                                             print what comes back until close/timeout
  httpd_raw.py slow HOST PORT INTERVAL MAX    slowloris: one header byte per INTERVAL s;
                                             prints "cut SECS STATUS" or "not-cut"
  httpd_raw.py idle HOST PORT SECS            connect, send nothing; prints
                                             "closed SECS" or "open"
  httpd_raw.py hold HOST PORT N SECS          hold N idle connections SECS seconds;
                                             prints "connected=N closed=M"
Every socket operation has a timeout; nothing here runs unbounded."""
import socket
import sys
import time


def conn(host, port, timeout=5.0):
    s = socket.create_connection((host, int(port)), timeout=timeout)
    return s


def recv_all(s, timeout):
    s.settimeout(timeout)
    out = b""
    end = time.time() + timeout
    while time.time() < end:
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            out += b"<RESET>"
            break
        if not b:
            out += b"<EOF>"
            break
        out += b
    return out


def cmd_raw(host, port, data, timeout="2"):
    s = conn(host, port)
    s.sendall(data.encode("latin-1").decode("unicode_escape").encode("latin-1"))
    sys.stdout.buffer.write(recv_all(s, float(timeout)))
    s.close()


def cmd_slow(host, port, interval, maxsec):
    s = conn(host, port)
    req = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10000
    t0 = time.time()
    s.settimeout(float(interval))
    for i in range(len(req)):
        if time.time() - t0 > float(maxsec):
            print("not-cut")
            return
        try:
            s.send(req[i:i + 1])
        except (BrokenPipeError, ConnectionResetError):
            print("cut %.1f -" % (time.time() - t0))
            return
        try:
            b = s.recv(4096)
            if b or b == b"":
                status = b.split(b"\r\n")[0].decode("latin-1", "replace") if b else "-"
                print("cut %.1f %s" % (time.time() - t0, status.replace(" ", "_")))
                return
        except socket.timeout:
            pass
        except ConnectionResetError:
            print("cut %.1f reset" % (time.time() - t0))
            return
    print("not-cut")


def cmd_idle(host, port, secs):
    s = conn(host, port)
    t0 = time.time()
    s.settimeout(float(secs))
    try:
        b = s.recv(1)
        print("closed %.1f" % (time.time() - t0) if not b else "data")
    except socket.timeout:
        print("open")
    except ConnectionResetError:
        print("closed %.1f" % (time.time() - t0))


def cmd_hold(host, port, n, secs):
    socks = []
    for _ in range(int(n)):
        try:
            socks.append(conn(host, port, 5))
        except OSError:
            break
    time.sleep(float(secs))
    closed = 0
    for s in socks:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    print("connected=%d closed=%d" % (len(socks), closed))


if __name__ == "__main__":
    cmds = {"raw": cmd_raw, "slow": cmd_slow, "idle": cmd_idle, "hold": cmd_hold}
    if len(sys.argv) < 2 or sys.argv[1] not in cmds:
        print(__doc__)
        sys.exit(2)
    cmds[sys.argv[1]](*sys.argv[2:])
