#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Bursts of crafted DHCP requests sent back to back, for the test that
pxe-dhcpd's batched receive (recvmmsg) and send (sendmmsg) lose and
duplicate no reply. Run only inside the network namespaces the test makes.

  dhcpd_burst.py relay     --relay GIADDR --server ADDR --n N --mac-base B
      N DISCOVERs as a relay agent (replies to GIADDR:67), then N REQUESTs
      for the offered addresses in one go (the ACKs wait for the journal).
  dhcpd_burst.py broadcast --iface IF --n N --mac-base B
      N DISCOVERs with the broadcast bit (replies to 255.255.255.255:68).
  dhcpd_burst.py yiaddr    --iface IF --n N --mac-base B
      N DISCOVERs without it: the replies are unicast to chaddr by the
      server's packet socket; read here by a packet socket on IF.
  dhcpd_burst.py flood     --relay GIADDR --server ADDR --n N --mac-base SEED
      N DISCOVERs from random MACs as fast as they go, the offers dropped (prints
      "flood: sent=N offers=O secs=S").

Prints one line: "<stage>: sent=N replies=R distinct=D dup=U" per stage.
Every wait is bounded.
"""
import argparse
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dhcpd_client import build, parse  # noqa: E402

SO_RCVBUFFORCE = 33


def macs(base, n):
    return ["02:54:45:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)
            for i in range(base, base + n)]


def collect(recv, fd, want, deadline, quiet=1.0):
    """Replies until every wanted xid is seen and then `quiet` s without
    more (so a duplicate still shows), or the deadline."""
    got = {}
    end = time.time() + deadline
    last_new = None
    while time.time() < end:
        if last_new and set(want) <= set(got) and time.time() - last_new > quiet:
            break
        rd, _, _ = select.select([fd], [], [], 0.1)
        if not rd:
            continue
        b = recv()
        r = parse(b) if b else None
        if r and r["op"] == 2 and r["xid"] in want:
            got.setdefault(r["xid"], []).append(r)
            last_new = time.time()
    return got


def report(stage, want, got):
    replies = sum(len(v) for v in got.values())
    dup = sum(len(v) - 1 for v in got.values())
    print("%s: sent=%d replies=%d distinct=%d dup=%d" % (stage, len(want), replies, len(got), dup))
    sys.stdout.flush()


def udp_socket(bind, iface=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    if iface:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.bind(bind)
    return s


def xids(base, n):
    return [0x5a000000 + base + i for i in range(n)]


def cmd_relay(a):
    s = udp_socket((a.relay, 67))
    dst = (a.server, 67)
    ms, xs = macs(a.mac_base, a.n), xids(a.mac_base, a.n)
    for m, x in zip(ms, xs):
        s.sendto(build(1, m, x, giaddr=a.relay), dst)
    offers = collect(lambda: s.recv(4096), s, xs, a.deadline)
    report("relay-offer", xs, offers)
    want = [x for x in xs if x in offers and offers[x][0]["type"] == "OFFER"]
    for m, x in zip(ms, xs):
        if x in want:
            o = offers[x][0]
            opts = [(50, socket.inet_aton(o["yiaddr"])), (54, bytes.fromhex(o["opts"]["54"]))]
            s.sendto(build(3, m, x, giaddr=a.relay, opts=opts), dst)
    acks = collect(lambda: s.recv(4096), s, want, a.deadline)
    acked = {x: v for x, v in acks.items() if v[0]["type"] == "ACK"}
    report("relay-ack", want, acked)
    if a.dump:  # "MAC IP" per ACK, for tests that check the journal
        with open(a.dump, "a") as f:
            for m, x in zip(ms, xs):
                for r in acked.get(x, []):
                    f.write("%s %s\n" % (m, r["yiaddr"]))
    return 0


def send_local(a, flags):
    s = udp_socket(("0.0.0.0", 68), a.iface)
    xs = xids(a.mac_base, a.n)
    for m, x in zip(macs(a.mac_base, a.n), xs):
        s.sendto(build(1, m, x, flags=flags), ("255.255.255.255", 67))
    return s, xs


def cmd_broadcast(a):
    s, xs = send_local(a, 0x8000)
    report("broadcast-offer", xs, collect(lambda: s.recv(4096), s, xs, a.deadline))
    return 0


def udp_payload(frame):
    """The DHCP message of an IPv4/UDP frame to port 68, else None."""
    if len(frame) < 28 or frame[0] >> 4 != 4 or frame[9] != socket.IPPROTO_UDP:
        return None
    ihl = (frame[0] & 15) * 4
    dport = struct.unpack("!H", frame[ihl + 2:ihl + 4])[0]
    return frame[ihl + 8:] if dport == 68 else None


def cmd_yiaddr(a):
    # The packet socket sees frames to any chaddr (the bridge floods them:
    # those MACs never sent a frame); opened before the burst goes out.
    p = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0800))
    p.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 8 << 20)
    p.bind((a.iface, 0))
    s, xs = send_local(a, 0)
    report("yiaddr-offer", xs, collect(lambda: udp_payload(p.recv(65536)), p, xs, a.deadline))
    return 0


def cmd_flood(a):
    """N DISCOVERs from random MACs as a relay agent, as fast as they go;
    the offers are read and dropped (so the socket never fills)."""
    import random
    s = udp_socket((a.relay, 67))
    s.setblocking(False)
    dst = (a.server, 67)
    rnd = random.Random(a.mac_base)
    offers = 0
    t0 = time.time()
    for i in range(a.n):
        mac = "02:%02x:%02x:%02x:%02x:%02x" % tuple(rnd.randrange(256) for _ in range(5))
        try:
            s.sendto(build(1, mac, rnd.getrandbits(32), giaddr=a.relay), dst)
        except BlockingIOError:
            time.sleep(0.001)
        if i % 64 == 0:
            while True:
                try:
                    s.recv(4096)
                    offers += 1
                except BlockingIOError:
                    break
    print("flood: sent=%d offers=%d secs=%.1f" % (a.n, offers, time.time() - t0))
    return 0


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=("relay", "broadcast", "yiaddr", "flood"))
    p.add_argument("--iface")
    p.add_argument("--relay")
    p.add_argument("--server")
    p.add_argument("--n", type=int, default=200)
    p.add_argument("--mac-base", type=int, default=0)
    p.add_argument("--deadline", type=float, default=15)
    p.add_argument("--dump", help="relay: append 'MAC IP' per ACK received to this file")
    a = p.parse_args()
    return {"relay": cmd_relay, "broadcast": cmd_broadcast, "yiaddr": cmd_yiaddr,
            "flood": cmd_flood}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
