#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""DHCPv4 load for tests/soak/run, as a relay agent (run only inside the
namespaces the soak makes, 198.18.0.0/15).

  dhcp_load.py --relay GIADDR --server ADDR --seconds S [--pool N] [--rate R]
               [--junk P] [--stats FILE]

Until S seconds have passed, about R operations a second on a pool of N
MACs: a client whose lease reached T1 (half its time) renews first
(REQUEST with ciaddr, RFC 2131 section 4.3.2 RENEWING, relayed so the reply
comes back to GIADDR); otherwise a random one: without a lease it does
DORA, with one it renews early, or (one in 25) releases it; one operation
in 40 is a client never seen before whose lease is left to expire (so the
table churns). With probability P each operation also sends a malformed
packet to the server's port 67.

Checks: every DORA is ACKed, every renewal of an unexpired lease is ACKed
with the same address, no address is ACKed to a client while another holds
it unexpired (lease times counted from when the request was sent, less a
second: the server keeps whole seconds). Prints a stats line
every 30 s and a last one; exits 1 on a failure. Every wait is bounded.
"""
import argparse
import os
import random
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from dhcpd_client import build  # noqa: E402
from dhcpd_client import Client  # noqa: E402


def junk(rnd):
    """One malformed DHCP packet: random bytes, a truncated header, or a
    valid header with an option area that overruns or never ends."""
    k = rnd.randrange(4)
    if k == 0:
        return os.urandom(rnd.randrange(0, 600))
    good = build(1, "02:54:53:ff:ff:ff", rnd.getrandbits(32), giaddr="198.18.16.1")
    if k == 1:
        return good[:rnd.randrange(0, 240)]
    if k == 2:  # option 53 with a length running past the end
        return good[:240] + bytes([53, 200, 1])
    return good[:240] + os.urandom(rnd.randrange(1, 300))  # no end option


class Args:
    pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--relay", required=True)
    p.add_argument("--server", required=True)
    p.add_argument("--seconds", type=float, required=True)
    p.add_argument("--pool", type=int, default=150)
    p.add_argument("--rate", type=float, default=8)
    p.add_argument("--junk", type=float, default=0.3)
    p.add_argument("--stats")
    a = p.parse_args()
    rnd = random.Random(os.getpid())
    ca = Args()
    ca.relay, ca.server = a.relay, a.server
    c = Client(ca)
    junk_sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    junk_sock.bind((a.relay, 0))
    pool = ["02:54:53:00:%02x:%02x" % (i >> 8, i & 255) for i in range(a.pool)]
    fresh = 0
    # mac -> (ip, T1, expiry), times from when the request was sent: the
    # server counts the lease from the request, in whole seconds, so its
    # end can come up to a second before ours
    bound = {}
    passing = {}  # the one-off clients' leases: never renewed, left to expire
    n = {"dora": 0, "renew": 0, "t1": 0, "release": 0, "fresh": 0, "lapsed": 0, "nak": 0,
         "junk": 0, "fail": 0, "dup": 0}
    t0 = time.time()
    end = t0 + a.seconds
    last_stats = t0

    def stats(final=False):
        line = "%s t=%d %s bound=%d" % ("dhcp-final" if final else "dhcp", time.time() - t0,
                                        " ".join("%s=%d" % kv for kv in n.items()), len(bound))
        print(line)
        sys.stdout.flush()
        if a.stats:
            with open(a.stats, "w") as f:
                f.write(line + "\n")

    def failed(what):
        n["fail"] += 1
        print("dhcp FAIL t=%d %s" % (time.time() - t0, what))
        sys.stdout.flush()

    def record(table, mac, ip, sent, ack):
        lease = int(ack["opts"].get("51", "00000078"), 16)
        now = time.time()
        for t in (bound, passing):
            for m, (i, _, exp) in t.items():
                if m != mac and i == ip and exp > now:
                    n["dup"] += 1
                    failed("%s ACKed to %s while %s holds it for %.1f s more" % (ip, mac, m, exp - now))
        table[mac] = (ip, sent + lease / 2, sent + lease - 1)

    def dora(mac, table):
        xid = rnd.getrandbits(32)
        sent = time.time()
        off = c.xchg(build(1, mac, xid, giaddr=a.relay), xid, ("OFFER",))
        if not off:
            return failed("no OFFER for %s" % mac)
        opts = [(50, socket.inet_aton(off["yiaddr"])), (54, bytes.fromhex(off["opts"]["54"]))]
        ack = c.xchg(build(3, mac, xid, giaddr=a.relay, opts=opts), xid, ("ACK", "NAK"))
        if not ack or ack["type"] != "ACK":
            return failed("no ACK for %s (%s)" % (mac, ack and ack["type"]))
        record(table, mac, ack["yiaddr"], sent, ack)

    def renew(mac):
        ip, _, exp = bound[mac]
        if exp <= time.time():  # missed it (a slow loop): INIT again, RFC 2131 4.4.5
            n["lapsed"] += 1
            bound.pop(mac)
            return dora(mac, bound)
        xid = rnd.getrandbits(32)
        sent = time.time()
        r = c.xchg(build(3, mac, xid, ciaddr=ip, giaddr=a.relay), xid, ("ACK", "NAK"))
        if not r:
            if exp > time.time():
                failed("no reply to the renewal of %s %s" % (mac, ip))
            bound.pop(mac)
        elif r["type"] == "NAK" or r["yiaddr"] != ip:
            failed("renewal of %s %s: %s %s" % (mac, ip, r["type"], r["yiaddr"]))
            n["nak"] += 1
            bound.pop(mac)
        else:
            record(bound, mac, ip, sent, r)

    while time.time() < end:
        i = n["dora"] + n["renew"] + n["t1"] + n["release"] + n["fresh"]
        now = time.time()
        for m in [m for m, v in passing.items() if v[2] < now - 5]:
            passing.pop(m)
        due = min(bound, key=lambda m: bound[m][1], default=None)
        if due and bound[due][1] <= now:  # T1: renew (RFC 2131 4.4.5)
            n["t1"] += 1
            renew(due)
        elif i % 40 == 39:
            fresh += 1
            n["fresh"] += 1
            dora("02:54:54:%02x:%02x:%02x" % (fresh >> 16 & 255, fresh >> 8 & 255, fresh & 255), passing)
        else:
            mac = rnd.choice(pool)
            if mac not in bound:
                n["dora"] += 1
                dora(mac, bound)
            elif i % 25 == 24:
                n["release"] += 1
                ip = bound.pop(mac)[0]
                opts = [(54, socket.inet_aton(a.server))]
                c.s.sendto(build(7, mac, rnd.getrandbits(32), ciaddr=ip, giaddr=a.relay, opts=opts), c.dst)
            else:  # an early renewal (a client restarted, an RFC 2131 4.3.2 RENEWING)
                n["renew"] += 1
                renew(mac)
        if rnd.random() < a.junk:
            n["junk"] += 1
            junk_sock.sendto(junk(rnd), (a.server, 67))
        # Replies to the junk or late duplicates are dropped unread by xchg's
        # xid match; drain them so the socket never fills.
        c.s.setblocking(False)
        try:
            while c.s.recv(4096):
                pass
        except BlockingIOError:
            pass
        c.s.setblocking(True)
        if time.time() - last_stats >= 30:
            last_stats = time.time()
            stats()
        time.sleep(rnd.uniform(0.5, 1.5) / a.rate)
    stats(final=True)
    return 1 if n["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
