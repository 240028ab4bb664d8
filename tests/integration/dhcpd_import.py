#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Firmware personas for the dnsmasq import differential test
(dhcpd_import.sh). Run only inside the namespaces that test creates.

  dhcpd_import.py --iface IF

Sends one DHCPDISCOVER per persona from port 68 on IF and prints one line
per persona: NAME offered=0|1 yiaddr=0|set siaddr=... sname=NAME (the sname
field, else option 66) boot=FILE (the file field, else option 67) o43=HEX
o60=... o209=... o210=... (the first answer within
1.5 s; proxy and full servers alike answer port 68).
"""
import argparse
import os
import random
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dhcpd_pxe import build, parse, DISCOVER  # noqa: E402


def feat(*codes):
    """Option 175 with iPXE feature flags (encapsulated option N, value 1)."""
    return b"".join(bytes([c, 1, 1]) for c in codes)


def pxe(arch, vc=None):
    vc = vc or "PXEClient:Arch:%05d:UNDI:003016" % arch
    return [(60, vc.encode()), (93, struct.pack("!H", arch)), (94, bytes([1, 3, 16])),
            (97, b"\x00" + bytes(range(16)))]


IPXE = [(77, b"iPXE")]
# name, MAC, options (the PRL is dhcpd_pxe.build's: 1 3 6 43 60 66 67 97 128)
PERSONAS = [
    ("bios-pxe", "52:54:00:10:00:01", pxe(0)),
    ("edk2-x64-arch7", "52:54:00:10:00:02", pxe(7)),
    ("edk2-x64-arch9", "52:54:00:10:00:03", pxe(9)),
    ("edk2-http", "52:54:00:10:00:04", [(60, b"HTTPClient:Arch:00016:UNDI:003001"),
                                         (93, struct.pack("!H", 16)), (94, bytes([1, 3, 1]))]),
    ("ipxe-bios", "52:54:00:10:00:05", pxe(0) + IPXE + [(175, feat(19, 39))]),
    ("ipxe-bios-nofeat", "52:54:00:10:00:06", pxe(0) + IPXE),
    ("ipxe-efi", "52:54:00:10:00:07", pxe(7) + IPXE + [(175, feat(19, 36))]),
    ("pi3", "b8:27:eb:10:00:08", [(60, b"PXEClient:Arch:00000:UNDI:002001"),
                                  (93, struct.pack("!H", 0))]),
    ("pi4", "dc:a6:32:10:00:09", [(60, b"PXEClient:Arch:00000:UNDI:002001"),
                                  (93, struct.pack("!H", 0)), (97, b"\x00RPi4" + bytes(11))]),
    ("arm64-uefi", "52:54:00:10:00:0a", pxe(11)),
    ("known-mac", "52:54:00:00:00:01", pxe(0)),
    ("plain-client", "52:54:00:10:00:0c", [(60, b"udhcp 1.36")]),
]


def ask(sock, mac, opts, timeout=1.5):
    xid = random.getrandbits(32)
    sock.sendto(build(DISCOVER, mac, xid, opts), ("255.255.255.255", 67))
    end = time.time() + timeout
    while time.time() < end:
        rd, _, _ = select.select([sock], [], [], max(0, end - time.time()))
        if not rd:
            return None
        b, _ = sock.recvfrom(4096)
        r = parse(b)
        if r and r["op"] == 2 and r["xid"] == xid:
            return r
    return None


def show(v):
    if v is None:
        return "-"
    v = v.rstrip(b"\0")  # dnsmasq NUL-terminates string options
    if all(32 < c < 127 for c in v):
        return v.decode()
    return v.hex()


def opt43(v):
    """Option 43's PXE sub-options (PXE 2.1 2.4) in code order: the order
    they are written in carries no meaning."""
    if not v:
        return "-"
    subs, i = [], 0
    while i < len(v) and v[i] != 255:
        if v[i] == 0:
            i += 1
            continue
        n = v[i + 1] if i + 1 < len(v) else 0
        subs.append(v[i:i + 2 + n])
        i += 2 + n
    return b"".join(sorted(subs)).hex()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    a = ap.parse_args()
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, a.iface.encode())
    s.bind(("0.0.0.0", 68))
    for name, mac, opts in PERSONAS:
        r = ask(s, mac, opts)
        if not r:
            print("%s offered=0" % name, flush=True)
            continue
        o = r["opts"]
        # the boot file is the file field or, when that is empty, option
        # 67 (RFC 2132 9.5): dnsmasq uses 67 when the client asks for it
        boot = r["file"] or show(o.get(67))
        # likewise the server name: the sname field, else option 66 (RFC
        # 2132 9.4), where dnsmasq puts it when the client asks for 66
        sname = r["sname"] or show(o.get(66))
        print("%s offered=1 yiaddr=%s siaddr=%s sname=%s boot=%s o43=%s o60=%s "
              "o209=%s o210=%s" % (
                  name, "0" if r["yiaddr"] == "0.0.0.0" else "set", r["siaddr"],
                  sname, boot, opt43(o.get(43)),
                  show(o.get(60)), show(o.get(209)),
                  show(o.get(210))), flush=True)


if __name__ == "__main__":
    main()
