#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Crafted DHCP clients for the pxe-dhcpd integration tests. Run only inside
the network namespaces the tests create.

  dhcpd_client.py dora    --iface IF --mac MAC [--relay GIADDR --server ADDR] [--opt82 HEX] [--link-sel ADDR]
  dhcpd_client.py decline --iface IF --mac MAC
  dhcpd_client.py request --iface IF --mac MAC --addr ADDR [--server-id ADDR] [--ciaddr]
  dhcpd_client.py burst   --relay GIADDR --server ADDR --n N --out FILE [--mac-base N]
  dhcpd_client.py verify  --relay GIADDR --server ADDR --granted FILE
  dhcpd_client.py bootp   --iface IF --mac MAC [--no-cookie] [--prl 1,3,6] [--relay ... --server ...]
  dhcpd_client.py discover --iface IF --mac MAC [--max-size N] [--prl 1,3,224] [--lease-time S]

dora and discover send option 51 with --lease-time. bootp sends a BOOTREQUEST
without option 53 (RFC 951), with the RFC 1048 cookie unless --no-cookie.

Every reply is printed as one JSON object per line. Every wait is bounded.
"""
import argparse
import json
import os
import random
import select
import socket
import struct
import sys
import time

COOKIE = b"\x63\x82\x53\x63"
NAMES = {1: "DISCOVER", 2: "OFFER", 3: "REQUEST", 4: "DECLINE", 5: "ACK", 6: "NAK", 7: "RELEASE", 8: "INFORM"}


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def build(mtype, mac, xid, ciaddr="0.0.0.0", giaddr="0.0.0.0", flags=0x8000, opts=(), hops=0,
          prl=(1, 3, 6, 51), cookie=True):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, hops, xid, 0, flags,
                      socket.inet_aton(ciaddr), b"\0" * 4, b"\0" * 4, socket.inet_aton(giaddr),
                      mac_bytes(mac).ljust(16, b"\0"), b"", b"")
    if not cookie:  # RFC 951: a plain 64-byte vend area
        return hdr + b"\0" * 64
    o = bytes([53, 1, mtype]) if mtype else b""
    for code, val in opts:
        o += bytes([code, len(val)]) + val
    o += bytes([55, len(prl)]) + bytes(prl) + b"\xff"
    return (hdr + COOKIE + o).ljust(300, b"\0")


def parse_area(r, a):
    """Options of one area into r["opts"] (RFC 3396: instances concatenate)."""
    i = 0
    while i < len(a):
        c = a[i]
        if c == 0:
            i += 1
            continue
        if c == 255:
            return True
        n = a[i + 1]
        r["opts"][str(c)] = r["opts"].get(str(c), "") + a[i + 2:i + 2 + n].hex()
        i += 2 + n
    return False


def parse(b):
    if len(b) < 236:
        return None
    op, htype, hlen, hops, xid, secs, flags = struct.unpack("!BBBBIHH", b[:12])
    r = {"op": op, "xid": xid, "flags": flags, "ciaddr": socket.inet_ntoa(b[12:16]),
         "yiaddr": socket.inet_ntoa(b[16:20]), "siaddr": socket.inet_ntoa(b[20:24]),
         "giaddr": socket.inet_ntoa(b[24:28]), "mac": ":".join("%02x" % x for x in b[28:28 + hlen]),
         "len": len(b), "opts": {}, "cookie": b[236:240] == COOKIE,
         "sname": b[44:108].split(b"\0")[0].decode("latin-1"),
         "file": b[108:236].split(b"\0")[0].decode("latin-1")}
    if r["cookie"]:
        r["end"] = parse_area(r, b[240:])
        ovl = int(r["opts"].get("52", "00")[:2], 16)
        if ovl & 1:  # RFC 2131 section 4.1: options, then file, then sname
            r["file"] = ""
            parse_area(r, b[108:236])
        if ovl & 2:
            r["sname"] = ""
            parse_area(r, b[44:108])
    else:
        r["vend_zero"] = b[236:300] == b"\0" * 64
    t = r["opts"].get("53")
    r["type"] = NAMES.get(int(t, 16), "?") if t else "BOOTP"
    if "54" in r["opts"]:
        r["server_id"] = socket.inet_ntoa(bytes.fromhex(r["opts"]["54"]))
    return r


def client_socket(a):
    """Where a test client sends from: a relay agent's port 67 (a.relay,
    unicast to a.server) or port 68 on a.iface (broadcast). Returns the
    socket, the destination and the giaddr to put in requests."""
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    if getattr(a, "relay", None):
        s.bind((a.relay, 67))
        return s, (a.server, 67), a.relay
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.bind(("0.0.0.0", 68))
    return s, ("255.255.255.255", 67), "0.0.0.0"


class Client:
    def __init__(self, a):
        self.a = a
        self.s, self.dst, self.giaddr = client_socket(a)

    def extra(self):
        o = []
        if getattr(self.a, "opt82", None) or getattr(self.a, "link_sel", None):
            v = bytes.fromhex(self.a.opt82 or "")
            if getattr(self.a, "link_sel", None):
                v += bytes([5, 4]) + socket.inet_aton(self.a.link_sel)
            o.append((82, v))
        return o

    def xchg(self, pkt, xid, want=("OFFER", "ACK", "NAK"), timeout=2.0, tries=3):
        for _ in range(tries):
            self.s.sendto(pkt, self.dst)
            end = time.time() + timeout
            while time.time() < end:
                rd, _, _ = select.select([self.s], [], [], max(0, end - time.time()))
                if not rd:
                    break
                b, src = self.s.recvfrom(4096)
                r = parse(b)
                if r and r["op"] == 2 and r["xid"] == xid and r["type"] in want:
                    r["raw_len"] = len(b)
                    r["from"] = "%s:%d" % src
                    return r
        return None


def lease_opt(a):
    lt = getattr(a, "lease_time", None)
    return [(51, struct.pack("!I", lt))] if lt is not None else []


def dora(c, mac, out=True):
    xid = random.getrandbits(32)
    lt = lease_opt(c.a)
    off = c.xchg(build(1, mac, xid, giaddr=c.giaddr, opts=lt + c.extra()), xid, ("OFFER",))
    if not off:
        print(json.dumps({"type": "TIMEOUT", "stage": "discover"}))
        return None
    if out:
        print(json.dumps(off))
    opts = [(50, socket.inet_aton(off["yiaddr"])), (54, bytes.fromhex(off["opts"]["54"]))] + lt + c.extra()
    ack = c.xchg(build(3, mac, xid, giaddr=c.giaddr, opts=opts), xid, ("ACK", "NAK"))
    print(json.dumps(ack if ack else {"type": "TIMEOUT", "stage": "request"}))
    return ack


def cmd_dora(a):
    r = dora(Client(a), a.mac)
    return 0 if r and r["type"] == "ACK" else 1


def cmd_decline(a):
    c = Client(a)
    r = dora(c, a.mac, out=False)
    if not r or r["type"] != "ACK":
        return 1
    xid = random.getrandbits(32)
    c.s.sendto(build(4, a.mac, xid, opts=[(50, socket.inet_aton(r["yiaddr"])),
                                          (54, bytes.fromhex(r["opts"]["54"]))]), c.dst)
    print(json.dumps({"type": "DECLINED", "yiaddr": r["yiaddr"]}))
    return 0


def cmd_request(a):
    c = Client(a)
    xid = random.getrandbits(32)
    opts = [] if a.ciaddr else [(50, socket.inet_aton(a.addr))]
    if a.server_id:
        opts.append((54, socket.inet_aton(a.server_id)))
    pkt = build(3, a.mac, xid, ciaddr=a.addr if a.ciaddr else "0.0.0.0", giaddr=c.giaddr, opts=opts + c.extra())
    r = c.xchg(pkt, xid, ("ACK", "NAK"), tries=2)
    print(json.dumps(r if r else {"type": "TIMEOUT"}))
    return 0


def prl_arg(a, default):
    return tuple(int(x) for x in a.prl.split(",")) if a.prl else default


def cmd_bootp(a):
    c = Client(a)
    xid = random.getrandbits(32)
    pkt = build(0, a.mac, xid, giaddr=c.giaddr, opts=c.extra(), prl=prl_arg(a, (1, 3, 6)),
                cookie=not a.no_cookie)
    r = c.xchg(pkt, xid, ("BOOTP",), tries=2)
    print(json.dumps(r if r else {"type": "TIMEOUT"}))
    return 0 if r else 1


def cmd_discover(a):
    c = Client(a)
    xid = random.getrandbits(32)
    opts = lease_opt(a) + c.extra()
    if a.max_size:
        opts.append((57, struct.pack("!H", a.max_size)))
    r = c.xchg(build(1, a.mac, xid, giaddr=c.giaddr, opts=opts, prl=prl_arg(a, (1, 3, 6, 51))),
               xid, ("OFFER",))
    print(json.dumps(r if r else {"type": "TIMEOUT"}))
    return 0 if r else 1


def burst_macs(base, n):
    for i in range(base, base + n):
        yield "02:54:44:%02x:%02x:%02x" % (i >> 16 & 255, i >> 8 & 255, i & 255)


def cmd_burst(a):
    """Relay-mode DORAs, 64 in flight; every ACK is written (flushed) to
    --out before the next packet is read, so a kill loses nothing."""
    c = Client(a)
    c.s.setblocking(False)
    out = open(a.out, "a") if a.out else None
    expect = dict(json.load(open(a.expect))) if getattr(a, "expect", None) else None
    macs = list(burst_macs(a.mac_base, a.n)) if not expect else list(expect)
    pending = {}  # xid -> [mac, stage, sent_at, tries]
    nxt = 0
    acked = naks = same = diff = tmo = 0
    end = time.time() + a.deadline

    def send(xid, st):
        mac, stage = st[0], st[1]
        if stage == 1:
            pkt = build(1, mac, xid, giaddr=c.giaddr)
        else:
            pkt = build(3, mac, xid, giaddr=c.giaddr, opts=[(50, socket.inet_aton(st[4])), (54, st[5])])
        try:
            c.s.sendto(pkt, c.dst)
        except BlockingIOError:
            pass
        st[2] = time.time()

    while (nxt < len(macs) or pending) and time.time() < end:
        while len(pending) < 64 and nxt < len(macs):
            xid = random.getrandbits(32)
            pending[xid] = [macs[nxt], 1, 0, 0, None, None]
            send(xid, pending[xid])
            nxt += 1
        rd, _, _ = select.select([c.s], [], [], 0.2)
        if rd:
            for _ in range(256):
                try:
                    b = c.s.recv(4096)
                except BlockingIOError:
                    break
                r = parse(b)
                st = pending.get(r["xid"]) if r else None
                if not st:
                    continue
                if r["type"] == "OFFER" and st[1] == 1:
                    st[1], st[3] = 3, 0
                    st[4], st[5] = r["yiaddr"], bytes.fromhex(r["opts"]["54"])
                    send(r["xid"], st)
                elif r["type"] == "ACK" and st[1] == 3:
                    acked += 1
                    if out:
                        out.write("%s %s\n" % (st[0], r["yiaddr"]))
                        out.flush()
                    if expect:
                        if expect[st[0]] == r["yiaddr"]:
                            same += 1
                        else:
                            diff += 1
                    del pending[r["xid"]]
                elif r["type"] == "NAK":
                    naks += 1
                    del pending[r["xid"]]
        now = time.time()
        for xid, st in list(pending.items()):
            if now - st[2] > 1.0:
                st[3] += 1
                if st[3] > 3:
                    tmo += 1
                    del pending[xid]
                else:
                    send(xid, st)
    print("acked=%d nak=%d timeout=%d same=%d different=%d" % (acked, naks, tmo, same, diff))
    return 0


def cmd_verify(a):
    pairs = {}
    for line in open(a.granted):
        p = line.split()
        if len(p) == 2:
            pairs[p[0]] = p[1]
    tmp = a.granted + ".json"
    json.dump(list(pairs.items()), open(tmp, "w"))
    a.expect, a.out, a.mac_base, a.n = tmp, None, 0, len(pairs)
    return cmd_burst(a)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd")
    p.add_argument("--iface")
    p.add_argument("--mac", default="02:54:43:00:00:01")
    p.add_argument("--relay")
    p.add_argument("--server")
    p.add_argument("--opt82")
    p.add_argument("--link-sel")
    p.add_argument("--addr")
    p.add_argument("--server-id")
    p.add_argument("--ciaddr", action="store_true")
    p.add_argument("--n", type=int, default=100)
    p.add_argument("--mac-base", type=int, default=0)
    p.add_argument("--out")
    p.add_argument("--granted")
    p.add_argument("--deadline", type=float, default=60)
    p.add_argument("--no-cookie", action="store_true")
    p.add_argument("--prl")
    p.add_argument("--max-size", type=int)
    p.add_argument("--lease-time", type=int)
    a = p.parse_args()
    f = {"dora": cmd_dora, "decline": cmd_decline, "request": cmd_request, "burst": cmd_burst,
         "verify": cmd_verify, "bootp": cmd_bootp, "discover": cmd_discover}.get(a.cmd)
    if not f:
        print(__doc__, file=sys.stderr)
        return 2
    return f(a)


if __name__ == "__main__":
    sys.exit(main())
