#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Firmware personas for the dnsmasq import differential test
(dhcpd_import.sh). Run only inside the namespaces that test creates.

  dhcpd_import.py --iface IF --addr ADDR --server SERVER

Sends one DHCPDISCOVER per persona from port 68 on IF and prints one line
per persona: NAME offered=0|1 yiaddr=0|set siaddr=... sname=NAME (the sname
field, else option 66) boot=FILE (the file field, else option 67) o43=HEX
o60=... o209=... o210=... (the first answer within 1 s; proxy and full
servers alike answer port 68) fetch=FILE@SERVER (what the client finally
downloads: from the port-4011 ACK below when it takes that step).

Then it gives IF the address ADDR (removed again on exit) and sends:
  - relay-NAME: a few personas as a relay agent forwards them (giaddr =
    ADDR, hops 1, unicast from ADDR:67 to SERVER:67); the line adds
    giaddr=, the address the reply echoed (RFC 2131 4.1: the server
    answers the relay on port 67);
  - NAME@4011: for each proxy reply (no yiaddr) to a PXE persona that sends
    a PXE client to the boot server (a menu in option 43, or no boot file:
    dnsmasq's UEFI redirect), the client's next step: a DHCPREQUEST with
    ciaddr = ADDR from ADDR:4011 to SERVER:4011 carrying the persona's
    options and, with a menu, option 43 sub-option 71 (PXE_BOOT_ITEM of the
    PXE 2.1 spec) naming the first menu item, layer 0.
"""
import argparse
import os
import random
import select
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dhcpd_pxe import build, parse, DISCOVER, REQUEST  # noqa: E402


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


# personas sent again through a relay: one per boot path (BIOS PXE ROM,
# UEFI PXE, iPXE), enough to see the relayed decision is the same one.
# dnsmasq picks the range by giaddr (rfc2131.c: a proxy range's netmask is
# given or guessed from the address class) and then takes the same proxy
# path as for a local client, answering to giaddr:67; pxe-dhcpd too. Every
# config's range covers 198.18.0.0/24, where the relay address is.
RELAYED = ("bios-pxe", "edk2-x64-arch9", "ipxe-bios")


def ask_all(sock, reqs, dst, timeout=1.0):
    """Send every request in reqs ((name, mac, opts, build keywords) each,
    with its own xid) back to back, then collect the first reply to each
    until all have one or timeout seconds have passed: {name: reply or
    None}. The personas are independent clients, so one wait covers all
    (both servers answer within milliseconds; the wait bounds a silence)."""
    xids = {}
    for name, mac, opts, kw in reqs:
        xid = random.getrandbits(32)
        xids[xid] = name
        sock.sendto(build(kw.pop("mtype", DISCOVER), mac, xid, opts, **kw), dst)
    got = {name: None for name, _, _, _ in reqs}
    end = time.time() + timeout
    while xids and time.time() < end:
        rd, _, _ = select.select([sock], [], [], max(0, end - time.time()))
        if not rd:
            break
        b, _ = sock.recvfrom(4096)
        r = parse(b)
        if r and r["op"] == 2 and r["xid"] in xids:
            got[xids.pop(r["xid"])] = r
    return got


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


def udp(iface, addr, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, iface.encode())
    s.bind((addr, port))
    return s


def menu_item(o43):
    """The first item's type in option 43's boot menu (sub-option 9: type
    2 bytes, description length, description; PXE 2.1), or None."""
    i = 0
    while o43 and i + 1 < len(o43) and o43[i] != 255:
        if o43[i] == 0:
            i += 1
            continue
        n = o43[i + 1]
        if o43[i] == 9 and n >= 3:
            return o43[i + 2:i + 4]
        i += 2 + n
    return None


def boot_file(r):
    """The boot file: the file field or, when that is empty, option 67 (RFC
    2132 9.5): dnsmasq uses 67 when the client asks for it."""
    return r["file"] or show(r["opts"].get(67))


def show_reply(name, r, extra=""):
    if not r:
        print("%s offered=0" % name, flush=True)
        return
    o = r["opts"]
    boot = boot_file(r)
    # likewise the server name: the sname field, else option 66 (RFC
    # 2132 9.4), where dnsmasq puts it when the client asks for 66
    sname = r["sname"] or show(o.get(66))
    print("%s offered=1 yiaddr=%s siaddr=%s sname=%s boot=%s o43=%s o60=%s "
          "o209=%s o210=%s%s" % (
              name, "0" if r["yiaddr"] == "0.0.0.0" else "set", r["siaddr"],
              sname, boot, opt43(o.get(43)),
              show(o.get(60)), show(o.get(209)),
              show(o.get(210)), extra), flush=True)


def boot_server_step(r, opts):
    """The option 43 a PXE client sends to port 4011 after proxy reply r,
    b"" for none (a BINL-style request, as EDK2 sends after dnsmasq's UEFI
    redirect), or None when the client goes no further: it got an address
    (a full server), a boot file without a menu, or it is no PXE client."""
    vc = dict(opts).get(60, b"")
    if not r or r["yiaddr"] != "0.0.0.0" or not vc.startswith(b"PXEClient"):
        return None
    item = menu_item(r["opts"].get(43))
    if item == b"\0\0":
        return None  # type 0 is "boot from local disk" (PXE 2.1): no request
    if item:
        return bytes([71, 4]) + item + b"\0\0\xff"
    return b"" if not r["file"] else None


def fetch(r, step, ack):
    """What the client finally downloads, FILE@SERVER: from the port-4011
    ACK when it took that step (none: no ACK), else from the offer; "local"
    for a menu whose first item is type 0 (boot from disk), "-" for no
    file."""
    if step is not None:
        r = ack
        if not r:
            return "none"
    elif r and menu_item(r["opts"].get(43)) == b"\0\0":
        return "local"
    f = r and boot_file(r)
    if not f or f == "-":
        return "-"
    return "%s@%s" % (f, r["siaddr"])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--iface", required=True)
    ap.add_argument("--addr", required=True)
    ap.add_argument("--server", required=True)
    a = ap.parse_args()
    s = udp(a.iface, "0.0.0.0", 68)
    replies = ask_all(s, [(n, m, o, {}) for n, m, o in PERSONAS], ("255.255.255.255", 67))
    s.close()
    ip = ["ip", "addr", "add", a.addr + "/24", "dev", a.iface]
    subprocess.run(ip, check=True)
    try:
        relayed, steps, acks = later(a, replies)
    finally:
        ip[1:3] = ["addr", "del"]
        subprocess.run(ip, check=False)
    for name, _, _ in PERSONAS:
        show_reply(name, replies[name], " fetch=" + fetch(replies[name], steps.get(name), acks.get(name)))
    for name in RELAYED:
        r = relayed[name]
        show_reply("relay-" + name, r, r and " giaddr=" + r["giaddr"] or "")
    for name in steps:
        show_reply(name + "@4011", acks[name])


def later(a, replies):
    """The relayed personas, then the port-4011 step of the proxy ones:
    (relayed replies, {name: option 43 sent to 4011}, {name: 4011 ACK})."""
    relay = udp(a.iface, a.addr, 67)
    relayed = ask_all(relay, [(n, m, o, {"giaddr": a.addr, "flags": 0}) for n, m, o in PERSONAS
                              if n in RELAYED], (a.server, 67))
    relay.close()
    bs = udp(a.iface, a.addr, 4011)
    steps, reqs = {}, []
    for name, mac, opts in PERSONAS:
        o43 = boot_server_step(replies[name], opts)
        if o43 is not None:
            steps[name] = o43
            more = [(43, o43)] if o43 else []
            reqs.append((name, mac, opts + more, {"mtype": REQUEST, "ciaddr": a.addr, "flags": 0}))
    acks = ask_all(bs, reqs, (a.server, 4011))
    bs.close()
    return relayed, steps, acks


if __name__ == "__main__":
    main()
