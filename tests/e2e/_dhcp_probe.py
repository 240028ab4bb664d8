#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Pre-flight probe of the e2e scenarios: one DHCPDISCOVER that looks like a
given firmware, and the replies' boot facts, one JSON object per line.
Run only inside the e2e client namespace (it binds port 68 on --iface).

  _dhcp_probe.py --iface IF --mac MAC [--arch N] [--vendor TEXT]
                 [--user-class TEXT] [--wait SECONDS]

Used by boot.sh to tell "pxe-dhcpd cannot do this yet" (SKIP) from a real
boot failure: a scenario runs only when pxe-dhcpd already answers its kind of
client with the boot file the scenario expects.
"""
import argparse
import json
import os
import select
import socket
import struct
import time

COOKIE = b"\x63\x82\x53\x63"


def discover(mac, xid, arch, vendor, user_class):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000,
                      b"\0" * 4, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                      bytes(int(x, 16) for x in mac.split(":")).ljust(16, b"\0"), b"", b"")
    o = bytes([53, 1, 1])
    if arch is not None:
        o += bytes([93, 2]) + struct.pack("!H", arch)
        o += bytes([94, 3, 1, 3, 16])                # UNDI 3.16
        o += bytes([97, 17, 0]) + bytes(range(16))   # client UUID
    if vendor:
        v = vendor.encode()
        o += bytes([60, len(v)]) + v
    if user_class:
        u = user_class.encode()
        o += bytes([77, len(u)]) + u
    o += bytes([55, 8, 1, 3, 6, 43, 54, 60, 66, 67]) + b"\xff"
    return hdr + COOKIE + o


def parse(b):
    if len(b) < 240 or b[236:240] != COOKIE:
        return None
    xid = struct.unpack("!I", b[4:8])[0]
    opts, i = {}, 240
    while i < len(b) and b[i] != 255:
        if b[i] == 0:
            i += 1
            continue
        if i + 1 >= len(b):
            break
        code, ln = b[i], b[i + 1]
        opts[code] = b[i + 2:i + 2 + ln]
        i += 2 + ln
    txt = lambda v: v.rstrip(b"\0").decode("latin-1") if v is not None else None
    mt = opts.get(53, b"\0")[0]
    sid = opts.get(54)
    return {
        "xid": xid, "type": {2: "offer", 5: "ack", 6: "nak"}.get(mt, str(mt)),
        "yiaddr": socket.inet_ntoa(b[16:20]), "siaddr": socket.inet_ntoa(b[20:24]),
        "server_id": socket.inet_ntoa(sid) if sid and len(sid) == 4 else None,
        "file": txt(b[108:236]), "opt67": txt(opts.get(67)), "opt60": txt(opts.get(60)),
        "opt43": opts[43].hex() if 43 in opts else None,
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--mac", required=True)
    ap.add_argument("--arch", type=int)
    ap.add_argument("--vendor")
    ap.add_argument("--user-class")
    ap.add_argument("--wait", type=float, default=3.0)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.bind(("0.0.0.0", 68))
    xid = struct.unpack("!I", os.urandom(4))[0]
    pkt = discover(a.mac, xid, a.arch, a.vendor, a.user_class)
    end = time.monotonic() + a.wait
    next_send = 0.0
    got = 0
    while time.monotonic() < end:
        now = time.monotonic()
        if now >= next_send and got == 0:
            s.sendto(pkt, ("255.255.255.255", 67))
            next_send = now + 1.0
        r, _, _ = select.select([s], [], [], min(0.2, max(0.0, end - now)))
        if not r:
            continue
        data, _ = s.recvfrom(4096)
        rep = parse(data)
        if rep and rep["xid"] == xid and data[0] == 2:
            got += 1
            print(json.dumps(rep), flush=True)
            # Give a second server (proxy beside a site server) a moment.
            end = min(end, time.monotonic() + 1.0)


if __name__ == "__main__":
    main()
