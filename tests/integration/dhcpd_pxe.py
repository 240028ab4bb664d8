#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Crafted network-boot firmware for the pxe-dhcpd PXE integration test
(dhcpd_pxe.sh). Run only inside the network namespaces that test creates.

  dhcpd_pxe.py clients --mode full|proxy --iface IF --addr OURADDR --server ADDR
  dhcpd_pxe.py relay   --mode full|proxy --relay GIADDR --server ADDR
  dhcpd_pxe.py garbage --iface IF --server ADDR --n N
  dhcpd_pxe.py 4011    --iface IF --addr OURADDR --server ADDR

Prints one "PASS name" or "FAIL name: why" line per check. Every wait is
bounded (at most ~1.5 s per exchange).
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
from dhcpd_client import client_socket  # noqa: E402

COOKIE = b"\x63\x82\x53\x63"
DISCOVER, OFFER, REQUEST, ACK, INFORM = 1, 2, 3, 5, 8
RPI_43 = bytes.fromhex("060103") + bytes.fromhex("0a0400") + b"PXE" + \
    bytes.fromhex("0914000011") + b"Raspberry Pi Boot" + b"\xff"
NOMENU_43 = bytes.fromhex("060108ff")
FAILS = 0


def check(name, ok, why=""):
    global FAILS
    if ok:
        print("PASS " + name, flush=True)
    else:
        FAILS += 1
        print("FAIL %s: %s" % (name, why), flush=True)


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def build(mtype, mac, xid, opts, ciaddr="0.0.0.0", giaddr="0.0.0.0", flags=0x8000, prl=None):
    hdr = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 1 if giaddr != "0.0.0.0" else 0,
                      xid, 4, flags, socket.inet_aton(ciaddr), b"\0" * 4, b"\0" * 4,
                      socket.inet_aton(giaddr), mac_bytes(mac).ljust(16, b"\0"), b"", b"")
    o = bytes([53, 1, mtype])
    for code, val in opts:
        o += bytes([code, len(val)]) + val
    if prl is None:
        prl = [1, 3, 6, 43, 60, 66, 67, 97, 128]
    o += bytes([55, len(prl)]) + bytes(prl) + b"\xff"
    return hdr + COOKIE + o


def parse(b):
    if len(b) < 240 or b[236:240] != COOKIE:
        return None
    r = {"op": b[0], "xid": struct.unpack("!I", b[4:8])[0], "flags": struct.unpack("!H", b[10:12])[0],
         "ciaddr": socket.inet_ntoa(b[12:16]), "yiaddr": socket.inet_ntoa(b[16:20]),
         "siaddr": socket.inet_ntoa(b[20:24]), "giaddr": socket.inet_ntoa(b[24:28]),
         "sname": b[44:108].split(b"\0")[0].decode("latin1"),
         "file": b[108:236].split(b"\0")[0].decode("latin1"), "len": len(b), "opts": {}}
    i = 240
    while i < len(b):
        c = b[i]
        if c == 0:
            i += 1
            continue
        if c == 255 or i + 1 >= len(b):
            break
        n = b[i + 1]
        r["opts"][c] = r["opts"].get(c, b"") + b[i + 2:i + 2 + n]
        i += 2 + n
    t = r["opts"].get(53)
    r["type"] = t[0] if t else 0
    return r


def uuid(prefix=b""):
    u = (prefix + os.urandom(16))[:16]
    return b"\x00" + u


def pxe_opts(arch, vc=None, undi="002001", extra=()):
    vc = vc or ("PXEClient:Arch:%05d:UNDI:%s" % (arch, undi))
    return [(60, vc.encode()), (93, struct.pack("!H", arch)), (94, bytes([1, 2, 1]))] + list(extra)


class Net:
    def __init__(self, a):
        self.a = a
        self.s, self.dst, self.giaddr = client_socket(a)
        self.b = None
        if getattr(a, "addr", None):
            self.b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            self.b.bind((a.addr, 4011))

    def xchg(self, pkt, xid, sock=None, dst=None, timeout=1.5, want_server=None):
        sock = sock or self.s
        sock.sendto(pkt, dst or self.dst)
        end = time.time() + timeout
        while time.time() < end:
            rd, _, _ = select.select([sock], [], [], max(0, end - time.time()))
            if not rd:
                break
            b, src = sock.recvfrom(4096)
            r = parse(b)
            if not r or r["op"] != 2 or r["xid"] != xid:
                continue
            if want_server and r["opts"].get(54) != socket.inet_aton(want_server):
                continue  # the site DHCP server's answer, not ours
            r["from"] = src
            return r
        return None

    def ask(self, mtype, mac, opts, **kw):
        xid = random.getrandbits(32)
        ws = kw.pop("want_server", self.a.server)
        sock = kw.pop("sock", None)
        dst = kw.pop("dst", None)
        kw.setdefault("giaddr", self.giaddr)
        return self.xchg(build(mtype, mac, xid, opts, **kw), xid, sock=sock, dst=dst, want_server=ws)


def expect_boot(name, r, mode, file, server, vc="PXEClient", o43=None, uuid_echo=None, opt67=True):
    if not r:
        check(name + ": answered", False, "no reply")
        return
    if mode == "proxy":
        check(name + ": yiaddr 0 (proxy)", r["yiaddr"] == "0.0.0.0", r["yiaddr"])
        check(name + ": no lease time (proxy)", 51 not in r["opts"], "option 51 present")
    else:
        check(name + ": address offered", r["yiaddr"].startswith("198.18."), r["yiaddr"])
    check(name + ": option 54 is ours", r["opts"].get(54) == socket.inet_aton(server), repr(r["opts"].get(54)))
    check(name + ": file " + file, r["file"] == file or (len(file) > 127 and r["file"] == ""), r["file"])
    if opt67:
        check(name + ": option 67 (asked for)", r["opts"].get(67, b"").decode("latin1") == file,
              repr(r["opts"].get(67)))
    else:
        check(name + ": no option 67 (not asked for)", 67 not in r["opts"], repr(r["opts"].get(67)))
    check(name + ": siaddr", r["siaddr"] == server, r["siaddr"])
    check(name + ": option 60 " + str(vc), r["opts"].get(60, b"").decode() == (vc or ""),
          repr(r["opts"].get(60)))
    if o43 is not None:
        check(name + ": option 43", r["opts"].get(43, b"") == o43, r["opts"].get(43, b"").hex())
    if uuid_echo is not None:
        check(name + ": option 97 echoed", r["opts"].get(97) == uuid_echo, repr(r["opts"].get(97)))


def dora_boot(n, name, mac, opts, mode, file, server, full_request=True, **kw):
    """DISCOVER, check the offer; in full mode also REQUEST and check the ACK."""
    prl = kw.pop("prl", None)
    r = n.ask(DISCOVER, mac, opts, prl=prl)
    expect_boot(name + " offer", r, mode, file, server, **kw)
    if mode == "full" and r and full_request:
        ack = n.ask(REQUEST, mac, opts + [(50, socket.inet_aton(r["yiaddr"])),
                                          (54, socket.inet_aton(server))], prl=prl)
        expect_boot(name + " ACK", ack, mode, file, server, **kw)
    return r


def cmd_clients(a):
    n = Net(a)
    m, S = a.mode, a.server
    u = uuid()
    dora_boot(n, "BIOS PXE ROM (arch 0)", "02:50:00:00:00:01", pxe_opts(0, extra=[(97, u)]), m,
              "undionly.kpxe", S, o43=NOMENU_43, uuid_echo=u)
    dora_boot(n, "Intel ROM without option 97, no 67 asked", "02:50:00:00:00:02", pxe_opts(0), m,
              "undionly.kpxe", S, o43=NOMENU_43, opt67=False, prl=[1, 3, 43, 60, 66])
    r = n.ask(DISCOVER, "02:50:00:00:00:02", pxe_opts(0), prl=[1, 3, 60])
    check("Intel ROM: no option 97 in reply", r is not None and 97 not in r["opts"], repr(r and r["opts"].get(97)))
    for arch in (7, 9):
        dora_boot(n, "EDK2 x64 (arch %d)" % arch, "02:50:00:00:00:1%d" % arch,
                  pxe_opts(arch, undi="003000", extra=[(97, u)]), m, "ipxe.efi", S, o43=NOMENU_43, uuid_echo=u)
    dora_boot(n, "arm64 UEFI (arch 11)", "02:50:00:00:00:21", pxe_opts(11, undi="003000"), m,
              "arm64/grubaa64.efi", S, o43=NOMENU_43)
    hvc = [(60, b"HTTPClient:Arch:00016:UNDI:003001"), (93, b"\x00\x10"), (94, b"\x01\x03\x00"), (57, b"\x05\xdc")]
    r = dora_boot(n, "UEFI HTTP Boot (arch 16)", "02:50:00:00:00:31", hvc, m, "http://%s/ipxe.efi" % S, S,
                  vc="HTTPClient", o43=b"")
    check("UEFI HTTP Boot: reply within 1472 bytes", r is not None and r["len"] <= 1472, r and r["len"])
    r = dora_boot(n, "UEFI HTTP Boot with a host name", "02:50:00:00:00:32", hvc, m,
                  "http://boot.test.invalid/x64-uefi-http/ipxe.efi", S, vc="HTTPClient", o43=b"", full_request=False)
    check("UEFI HTTP Boot with a host name: DNS option", r is not None and r["opts"].get(6) == socket.inet_aton(S),
          repr(r and r["opts"].get(6)))
    ipxe = pxe_opts(0, extra=[(77, b"iPXE"), (175, bytes.fromhex("b10101"))])
    dora_boot(n, "iPXE (user class iPXE, 175)", "02:50:00:00:00:41", ipxe, m, "http://%s/boot.ipxe" % S, S)
    pi4 = uuid(b"RPi4" + bytes.fromhex("00311d0c"))
    dora_boot(n, "Raspberry Pi 4 (option 97 RPi4)", "dc:a6:32:00:00:51", pxe_opts(0, extra=[(97, pi4)]), m,
              "bootcode.bin", S, o43=RPI_43, uuid_echo=pi4)
    # Pi 3 ROM: DISCOVER only, never a REQUEST: the OFFER must carry everything.
    dora_boot(n, "Raspberry Pi 3 ROM (no REQUEST)", "b8:27:eb:00:00:61", pxe_opts(0), m, "bootcode.bin", S,
              o43=RPI_43, full_request=False)
    r = n.ask(DISCOVER, "02:50:00:00:00:71", pxe_opts(31))
    if m == "full":
        check("unknown arch (31): offer with an address", r is not None and r["yiaddr"].startswith("198.18."),
              repr(r and r["yiaddr"]))
        check("unknown arch (31): no boot file", r is not None and r["file"] == "" and 67 not in r["opts"],
              repr(r and r["file"]))
    else:
        check("unknown arch (31), proxy: no answer", r is None, "answered")
    r = n.ask(DISCOVER, "02:50:00:00:0b:01", pxe_opts(0))
    o43 = r["opts"].get(43, b"") if r else b""
    check("PXE menu: option 43 with 43.9 and 43.10",
          r is not None and b"Linux" in o43 and b"Press F8" in o43 and o43[:3] == b"\x06\x01\x03",
          o43.hex())
    if m == "proxy":
        r = n.ask(DISCOVER, "02:50:00:00:00:81", [])
        check("proxy: plain DHCP client gets no answer", r is None, "answered")
        r = n.ask(REQUEST, "02:50:00:00:00:82", pxe_opts(0) + [(50, socket.inet_aton("198.18.0.123")),
                                                                (54, socket.inet_aton("198.18.0.3"))],
                  want_server=None)
        check("proxy: DHCPREQUEST for another server: no answer (no NAK)", r is None, r and r["type"])
    # Quirks: broadcast although the client did not ask (flags 0, chaddr
    # not our link's MAC: only a broadcast reaches us), reply-delay,
    # echo-uuid = no, option43 = no-uefi.
    t0 = time.time()
    r = n.ask(DISCOVER, "02:50:00:00:0c:01", pxe_opts(7, undi="003000", extra=[(97, u)]), flags=0)
    dt = time.time() - t0
    check("quirks: broadcast = yes reaches a client that asked for unicast", r is not None, "no reply")
    check("quirks: reply-delay = 300ms (%.2f s)" % dt, r is not None and 0.27 <= dt < 1.2, "%.2f s" % dt)
    check("quirks: echo-uuid = no, option43 = no-uefi",
          r is not None and 97 not in r["opts"] and 43 not in r["opts"] and r["opts"].get(60) == b"PXEClient",
          repr(r and r["opts"]))
    check_4011(n, a, u)
    return FAILS


def check_4011(n, a, u):
    """Port 4011: a boot-server request for menu item 0x8000 and an EDK2
    BINL request, from our port 4011."""
    S = a.server
    item = bytes.fromhex("47048000000 0ff".replace(" ", ""))
    r = n.ask(REQUEST, "02:50:00:00:0b:01", pxe_opts(0) + [(43, item)], ciaddr=a.addr, flags=0,
              sock=n.b, dst=(S, 4011))
    check("4011 boot-server request: ACK", r is not None and r["type"] == ACK, repr(r and r["type"]))
    if r:
        check("4011: item's boot file", r["file"] == "lpxelinux.0", r["file"])
        check("4011: 43.71 echoed", r["opts"].get(43, b"")[:6] == item[:6], r["opts"].get(43, b"").hex())
        check("4011: sent back to our address and port from :4011", r["from"] == (S, 4011), repr(r["from"]))
        check("4011: yiaddr 0, siaddr ours", r["yiaddr"] == "0.0.0.0" and r["siaddr"] == S,
              r["yiaddr"] + " " + r["siaddr"])
    r = n.ask(REQUEST, "02:50:00:00:00:17", pxe_opts(7, undi="003000", extra=[(97, u)]), ciaddr=a.addr,
              flags=0, sock=n.b, dst=(S, 4011))
    check("4011 EDK2 BINL request (no 43): ACK with the file", r is not None and r["file"] == "ipxe.efi",
          repr(r and r["file"]))
    check("4011 BINL: option 60 PXEClient, 97 echoed",
          r is not None and r["opts"].get(60) == b"PXEClient" and r["opts"].get(97) == u, repr(r and r["opts"]))


def cmd_b4011(a):
    n = Net(a)
    check_4011(n, a, uuid())
    return FAILS


def cmd_relay(a):
    n = Net(a)
    r = dora_boot(n, "relayed BIOS client", "02:50:00:00:01:01", pxe_opts(0), a.mode, "undionly.kpxe",
                  a.server, o43=NOMENU_43, full_request=False)
    if r:
        check("relayed: reply to the relay, giaddr kept", r["giaddr"] == a.relay and r["from"][1] == 67,
              repr((r["giaddr"], r["from"])))
        if a.mode == "full":
            check("relayed: address from the relay's subnet", r["yiaddr"].startswith("198.18.16."), r["yiaddr"])
    return FAILS


def cmd_garbage(a):
    n = Net(a)
    rnd = random.Random(7)
    good = build(DISCOVER, "02:50:00:00:09:01", 1, pxe_opts(0))
    for i in range(a.n):
        k = i % 6
        if k == 0:
            p = os.urandom(rnd.randint(0, 600))
        elif k == 1:
            p = good[:rnd.randint(0, len(good))]
        elif k == 2:  # option length past the end
            p = good[:240] + bytes([53, 1, 1, 60, 200]) + b"PXEClient"
        elif k == 3:  # malformed PXE options: odd 93, empty 60, bad 43, bad 97
            p = build(DISCOVER, "02:50:00:00:09:02", i, [(93, b"\x00"), (60, b""), (43, b"\x47\x09\x01"),
                                                          (97, b"\x01\x02"), (77, b"")])
        elif k == 4:  # random bytes after a valid header
            p = good[:240] + os.urandom(rnd.randint(1, 300))
        else:  # 4011 junk
            p = bytearray(good)
            p[rnd.randrange(240, len(p))] = rnd.randrange(256)
            p = bytes(p)
        n.s.sendto(p, n.dst)
        if n.b and k == 5:
            n.b.sendto(p, (a.server, 4011))
    time.sleep(0.3)
    r = n.ask(DISCOVER, "02:50:00:00:09:09", pxe_opts(0))
    check("after %d malformed packets a BIOS client is still served" % a.n,
          r is not None and r["file"] == "undionly.kpxe", repr(r and r["file"]))
    return FAILS


def cmd_parity(a):
    """The dnsmasq-parity keys (the parity config of dhcpd_pxe.sh)."""
    n = Net(a)
    m, S = a.mode, a.server
    r = n.ask(DISCOVER, "02:50:00:00:0d:01", pxe_opts(0))
    check("known: a [host] client gets the known section", r is not None and r["file"] == "known.0",
          repr(r and r["file"]))
    r = n.ask(DISCOVER, "02:50:00:00:0d:02", pxe_opts(0, extra=[(77, b"iPXE"), (175, bytes.fromhex("130101110101"))]))
    check("ipxe-feature:19: iPXE with HTTP gets the script", r is not None and r["file"] == "http://%s/boot.ipxe" % S,
          repr(r and r["file"]))
    r = n.ask(DISCOVER, "02:50:00:00:0d:03", pxe_opts(0, extra=[(77, b"iPXE"), (175, bytes.fromhex("110101"))]))
    check("ipxe-feature:19: iPXE without HTTP gets undionly.kpxe", r is not None and r["file"] == "undionly.kpxe",
          repr(r and r["file"]))
    r = n.ask(DISCOVER, "b8:27:eb:00:0d:04", pxe_opts(0))
    check("rpi = no: a Pi 3 ROM gets the PXE no-menu 43, not the Pi form",
          r is not None and r["file"] == "bootcode.bin" and r["opts"].get(43) == NOMENU_43 and
          r["opts"].get(60) == b"PXEClient", repr(r and (r["file"], r["opts"].get(43))))
    if m == "full":
        r = n.ask(DISCOVER, "02:50:00:00:0e:01", pxe_opts(0))
        check("option60 = never: a plain offer (file, siaddr, no 60, no 43)",
              r is not None and r["file"] == "plain.0" and r["siaddr"] == S and 60 not in r["opts"] and
              43 not in r["opts"], repr(r and r["opts"]))
    hvc = [(60, b"HTTPClient:Arch:00016:UNDI:003001"), (93, b"\x00\x10")]
    r = n.ask(DISCOVER, "02:50:00:00:0f:01", hvc)
    if m == "full":
        check("HTTP Boot client given a TFTP path: no option 60 HTTPClient",
              r is not None and r["file"] == "ipxe.efi" and 60 not in r["opts"], repr(r and r["opts"]))
    else:
        check("proxy: HTTP Boot client given a TFTP path: no answer (nothing it can boot)",
              r is None or 60 not in r["opts"], repr(r and r["opts"]))
    r = n.ask(DISCOVER, "02:50:00:00:0d:05", pxe_opts(0))
    o43 = r["opts"].get(43, b"") if r else b""
    want_si = "0.0.0.0" if m == "proxy" else S
    check("menu offer: siaddr %s" % want_si, r is not None and r["siaddr"] == want_si and b"Memtest" in o43,
          repr(r and (r["siaddr"], o43.hex())))
    # Item types count across sections: the UEFI menu's second item is 0x8003.
    item = bytes.fromhex("470480030000ff")
    r = n.ask(REQUEST, "02:50:00:00:0d:06", pxe_opts(7, undi="003000") + [(43, item)], ciaddr=a.addr, flags=0,
              sock=n.b, dst=(S, 4011))
    check("4011: item 0x8003 (second section's second item) is grub.efi", r is not None and r["file"] == "grub.efi",
          repr(r and r["file"]))
    return FAILS


def cmd_known_only(a):
    n = Net(a)
    r = n.ask(DISCOVER, "02:50:00:00:0d:01", pxe_opts(0))
    check("known-only: the [host] client is answered", r is not None and r["file"] == "known.0", repr(r and r["file"]))
    r = n.ask(DISCOVER, "02:50:00:00:0d:07", pxe_opts(0))
    check("known-only: an unknown client is not", r is None, repr(r and r["file"]))
    return FAILS


def main():
    p = argparse.ArgumentParser()
    p.add_argument("cmd", choices=["clients", "relay", "garbage", "4011", "parity", "known-only"])
    p.add_argument("--mode", default="full")
    p.add_argument("--iface")
    p.add_argument("--addr")
    p.add_argument("--server", required=True)
    p.add_argument("--relay")
    p.add_argument("--n", type=int, default=300)
    a = p.parse_args()
    f = {"clients": cmd_clients, "relay": cmd_relay, "garbage": cmd_garbage, "4011": cmd_b4011, "parity": cmd_parity,
         "known-only": cmd_known_only}[a.cmd](a)
    raise SystemExit(1 if f else 0)


if __name__ == "__main__":
    main()
