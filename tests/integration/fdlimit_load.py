#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Many concurrent clients against a server short of descriptors, for
fdlimit.sh. Loopback only; every socket has a deadline.

  fdlimit_load.py http PORT PATH SIZE --clients N --seconds S [--hold H]
      N clients at once, each: connect, GET PATH on a keep-alive
      connection, read the SIZE-byte body, keep the connection idle H/2
      to H s (at random, so the clients do not move in lockstep),
      close, start again; a connection that gets no full answer within
      --patience s (default 5) is given up and started again.
  fdlimit_load.py tftp PORT FILE SIZE --clients N --seconds S [--ack-delay D]
      N TFTP clients at once (each its own port), each reading FILE
      (SIZE bytes) with blksize 512, ACKing each block D s late (a slow
      client: the server idles between blocks); an ERROR or 3 timeouts of
      1 s end the attempt, and the client starts again 0.2 s later.

Prints "ok=N failed=M refused=R per_second=a,b,c,..." (ok per second of
the run) and exits 0. tftp: refused counts requests answered with an ERROR
or not at all (ERROR replies are rate-limited per source), failed the
transfers that started and did not finish.
"""
import argparse
import random
import selectors
import socket
import struct
import time


class Tally:
    def __init__(self, seconds):
        self.t0 = time.time()
        self.ok = 0
        self.failed = 0
        self.refused = 0
        self.per_second = [0] * (int(seconds) + 1)

    def success(self):
        self.ok += 1
        i = int(time.time() - self.t0)
        if i < len(self.per_second):
            self.per_second[i] += 1

    def line(self):
        return "ok=%d failed=%d refused=%d per_second=%s" % (
            self.ok, self.failed, self.refused, ",".join(map(str, self.per_second)))


def run_http(a):
    sel = selectors.DefaultSelector()
    tally = Tally(a.seconds)
    end = tally.t0 + a.seconds
    req = ("GET %s HTTP/1.1\r\nHost: x\r\n\r\n" % a.path).encode()
    waiting = []  # (time to start, None)

    def start():
        s = socket.socket()
        s.setblocking(False)
        try:
            s.connect(("127.0.0.1", a.port))
        except BlockingIOError:
            pass
        except OSError:
            s.close()
            tally.failed += 1
            waiting.append(time.time() + 0.2)
            return
        st = {"s": s, "state": "connect", "buf": b"", "deadline": time.time() + a.patience,
              "idle_until": 0}
        sel.register(s, selectors.EVENT_WRITE, st)

    def finish(st, ok):
        sel.unregister(st["s"])
        st["s"].close()
        if ok:
            tally.success()
        else:
            tally.failed += 1
        waiting.append(time.time() + (0 if ok else 0.2))

    for _ in range(a.clients):
        start()
    while time.time() < end:
        now = time.time()
        for t in [w for w in waiting if w <= now]:
            waiting.remove(t)
            start()
        for key, ev in sel.select(timeout=0.05):
            st = key.data
            s = st["s"]
            try:
                if st["state"] == "connect":
                    s.send(req)
                    st["state"] = "read"
                    sel.modify(s, selectors.EVENT_READ, st)
                elif st["state"] == "read":
                    b = s.recv(65536)
                    if not b:
                        finish(st, False)
                        continue
                    st["buf"] += b
                    head, sep, body = st["buf"].partition(b"\r\n\r\n")
                    if sep and len(body) >= a.size:
                        if not head.startswith(b"HTTP/1.1 200"):
                            finish(st, False)
                            continue
                        st["state"] = "idle"
                        st["idle_until"] = time.time() + random.uniform(a.hold / 2, a.hold)
                        tally.success()
                elif st["state"] == "idle":
                    if not s.recv(65536):  # the server closed the idle connection
                        sel.unregister(s)
                        s.close()
                        waiting.append(time.time())
            except OSError:
                finish(st, False)
        now = time.time()
        for key in list(sel.get_map().values()):
            st = key.data
            if st["state"] == "idle" and now >= st["idle_until"]:
                sel.unregister(st["s"])
                st["s"].close()
                waiting.append(now)
            elif st["state"] != "idle" and now >= st["deadline"]:
                finish(st, False)
    for key in list(sel.get_map().values()):
        key.data["s"].close()
    print(tally.line())


def run_tftp(a):
    sel = selectors.DefaultSelector()
    tally = Tally(a.seconds)
    end = tally.t0 + a.seconds
    rrq = struct.pack("!H", 1) + a.path.encode() + b"\0octet\0"
    pending = []  # (time, action, state)

    def start():
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.setblocking(False)
        s.sendto(rrq, ("127.0.0.1", a.port))
        st = {"s": s, "got": 0, "next": 1, "tid": None, "tries": 0, "last": time.time(), "ack": None}
        sel.register(s, selectors.EVENT_READ, st)

    def finish(st, ok, refused=False):
        sel.unregister(st["s"])
        st["s"].close()
        if ok:
            tally.success()
        elif refused:
            tally.refused += 1
        else:
            tally.failed += 1
        pending.append((time.time() + (0 if ok else 0.2), "start", None))

    for _ in range(a.clients):
        start()
    while time.time() < end:
        now = time.time()
        for p in [p for p in pending if p[0] <= now]:
            pending.remove(p)
            if p[1] == "start":
                start()
            elif p[2]["s"].fileno() >= 0:  # a delayed ACK
                p[2]["s"].sendto(p[2]["ack"], p[2]["tid"])
        for key, ev in sel.select(timeout=0.01):
            st = key.data
            try:
                b, addr = st["s"].recvfrom(70000)
            except OSError:
                continue
            op = struct.unpack("!H", b[:2])[0] if len(b) >= 2 else 0
            if op == 5:
                finish(st, False, refused=True)
                continue
            if op != 3 or len(b) < 4:
                continue
            n = struct.unpack("!H", b[2:4])[0]
            st["tid"] = st["tid"] or addr
            if n == st["next"] & 0xffff and addr == st["tid"]:
                st["got"] += len(b) - 4
                st["next"] += 1
                st["tries"] = 0
                st["last"] = time.time()
                st["ack"] = struct.pack("!HH", 4, n)
                if len(b) - 4 < 512:
                    st["s"].sendto(st["ack"], st["tid"])
                    finish(st, st["got"] == a.size)
                    continue
                pending.append((time.time() + a.ack_delay, "ack", st))
        now = time.time()
        for key in list(sel.get_map().values()):
            st = key.data
            if now - st["last"] > 1:
                st["tries"] += 1
                st["last"] = now
                if st["tries"] > 3:  # unanswered RRQ: refused without an ERROR
                    finish(st, False, refused=st["tid"] is None)
                elif st["tid"]:
                    st["s"].sendto(st["ack"], st["tid"])
                else:
                    st["s"].sendto(rrq, ("127.0.0.1", a.port))
    for key in list(sel.get_map().values()):
        key.data["s"].close()
    print(tally.line())


def main():
    p = argparse.ArgumentParser()
    p.add_argument("proto", choices=("http", "tftp"))
    p.add_argument("port", type=int)
    p.add_argument("path")
    p.add_argument("size", type=int)
    p.add_argument("--clients", type=int, default=500)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--hold", type=float, default=1.0)
    p.add_argument("--patience", type=float, default=5.0, help="http: seconds to wait for an answer")
    p.add_argument("--ack-delay", type=float, default=0.005)
    a = p.parse_args()
    (run_http if a.proto == "http" else run_tftp)(a)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
