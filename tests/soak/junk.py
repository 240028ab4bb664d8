#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Malformed traffic for tests/soak/run, to loopback only.

  junk.py --tftp PORT --http PORT --seconds S [--rate R] [--stats FILE]

About R times a second, one of: random bytes to the TFTP port; a TFTP
packet with a valid opcode and a broken body (RRQ without its NULs, an
unknown option, ACK/DATA/ERROR to the listen port); random bytes or a
broken request head to the HTTP port (the reply is read, at most 2 s); an
HTTP connection opened and left idle a few seconds (bounded), then closed.
A refused TCP connection means pxe-httpd is gone: counted, and the exit
status is 1. Every socket has a timeout.
"""
import argparse
import os
import random
import socket
import struct
import sys
import time

HEADS = [
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"GET /" + b"A" * 9000 + b" HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nRange: bytes=9-1,-,0-0-0\r\nHost: x\r\n\r\n",
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",  # a TLS hello to plain HTTP
    b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"GET /../../etc/passwd HTTP/1.0\r\n\r\n",
    b"GET / HTTP/9.9\r\n" + b"X: " + b"y" * 20000 + b"\r\n\r\n",
]


def tftp_junk(rnd):
    k = rnd.randrange(5)
    if k == 0:
        return os.urandom(rnd.randrange(0, 700))
    if k == 1:
        return struct.pack("!H", 1) + b"small.bin"  # RRQ without NULs
    if k == 2:
        return struct.pack("!H", 1) + b"small.bin\0octet\0blksize\0x\0bogus\0"
    if k == 3:
        return struct.pack("!HH", rnd.choice((3, 4, 5)), rnd.randrange(65536)) + os.urandom(4)
    return struct.pack("!H", rnd.randrange(7, 65536)) + os.urandom(20)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--tftp", type=int, required=True)
    p.add_argument("--http", type=int, required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--rate", type=float, default=4)
    p.add_argument("--stats")
    a = p.parse_args()
    rnd = random.Random(os.getpid())
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.settimeout(0.2)
    n = {"tftp": 0, "http": 0, "idle": 0, "refused": 0}
    t0 = time.time()
    end = t0 + a.seconds
    idle = []  # (socket, close at)
    while time.time() < end:
        k = rnd.randrange(3)
        if k == 0:
            n["tftp"] += 1
            u.sendto(tftp_junk(rnd), ("127.0.0.1", a.tftp))
            try:  # read the ERROR reply if one comes, so the socket never fills
                u.recv(2048)
            except socket.timeout:
                pass
        else:
            s = socket.socket()
            s.settimeout(2)
            try:
                s.connect(("127.0.0.1", a.http))
            except ConnectionRefusedError:
                n["refused"] += 1
                s.close()
                time.sleep(1 / a.rate)
                continue
            except OSError:
                s.close()
                continue
            if k == 1 or len(idle) >= 8:
                n["http"] += 1
                try:
                    s.sendall(rnd.choice(HEADS) if rnd.random() < 0.6 else os.urandom(rnd.randrange(1, 3000)))
                    s.shutdown(socket.SHUT_WR)
                    while s.recv(65536):
                        pass
                except OSError:
                    pass  # reset or timeout: the server closed on us
                s.close()
            else:
                n["idle"] += 1
                s.sendall(b"GET / HTTP/1.1\r\n")  # a head never finished
                idle.append((s, time.time() + rnd.uniform(1, 6)))
        now = time.time()
        for s, t in [x for x in idle if x[1] <= now]:
            s.close()
        idle = [x for x in idle if x[1] > now]
        time.sleep(rnd.uniform(0.5, 1.5) / a.rate)
    for s, _ in idle:
        s.close()
    line = "junk-final t=%d %s" % (time.time() - t0, " ".join("%s=%d" % kv for kv in n.items()))
    print(line)
    if a.stats:
        with open(a.stats, "w") as f:
            f.write(line + "\n")
    return 1 if n["refused"] else 0


if __name__ == "__main__":
    sys.exit(main())
