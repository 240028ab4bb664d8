#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# DHCPv6 clients and relays for tests/integration/dhcpd_v6.sh, built with
# scapy (python3-scapy) so the bytes come from another implementation than
# pxe-dhcpd's own. Run inside a test namespace; every wait is bounded.
#
#   dhcpd_v6.py solicit IFACE PERSONA MAC [--rapid] [--request]
#       PERSONA: edk2 (PXE, arch 7), http (HTTP Boot, arch 16), ipxe, plain.
#       Prints one line per reply: TYPE key=value ...
#   dhcpd_v6.py proxy IFACE SERVER MAC    EDK2's boot-only exchange: SOLICIT, then
#       the REQUEST to SERVER port 4011 from port 4011 (PxeBcRequestBootService)
#   dhcpd_v6.py relay SERVER LINK MAC     a RELAY-FORW with interface-id and
#       option 79, sent from port 547 to SERVER; prints the relay layer and
#       the inner reply
#   dhcpd_v6.py malformed IFACE           bad packets, then one good SOLICIT
#   dhcpd_v6.py burst IFACE N             N rapid-commit SOLICITs from N DUIDs;
#       prints the address each REPLY gave
import socket
import struct
import sys

from scapy.all import raw
from scapy.layers.dhcp6 import (DHCP6_Request, DHCP6_RelayForward, DHCP6_Solicit, DUID_LLT,
                                DHCP6OptClientArchType, DHCP6OptClientId,
                                DHCP6OptClientLinkLayerAddr, DHCP6OptElapsedTime, DHCP6OptIA_NA,
                                DHCP6OptIfaceId, DHCP6OptOptReq, DHCP6OptRapidCommit,
                                DHCP6OptRelayMsg, DHCP6OptServerId, DHCP6OptUserClass,
                                DHCP6OptVendorClass, USER_CLASS_DATA, VENDOR_CLASS_DATA)

ALL_DHCP = "ff02::1:2"
TIMEOUT = 3.0

PERSONAS = {
    "edk2": (7, b"PXEClient:Arch:00007:UNDI:003000", None, [59, 60, 23, 16]),
    "http": (16, b"HTTPClient:Arch:00016:UNDI:003000", None, [59, 60, 23, 16]),
    "ipxe": (7, b"PXEClient:Arch:00007:UNDI:003010", b"iPXE", [23, 24, 59, 60]),
    "plain": (None, None, None, [23]),
}


def client_socket(iface, port=546):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    idx = socket.if_nametoindex(iface)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_MULTICAST_IF, idx)
    s.bind(("::", port))
    s.settimeout(TIMEOUT)
    return s, idx


def options(persona, mac, xid_opts):
    arch, vc, uc, oro = PERSONAS[persona]
    p = DHCP6OptClientId(duid=DUID_LLT(lladdr=mac, timeval=0x2f000001))
    p = p / DHCP6OptElapsedTime() / DHCP6OptOptReq(reqopts=oro)
    if arch is not None:
        p = p / DHCP6OptClientArchType(archtypes=[arch])
    if vc:
        p = p / DHCP6OptVendorClass(enterprisenum=343, vcdata=[VENDOR_CLASS_DATA(data=vc)])
    if uc:
        p = p / DHCP6OptUserClass(userclassdata=[USER_CLASS_DATA(data=uc)])
    return p / xid_opts


def walk(buf):
    """The options of a message body as (code, value) pairs."""
    off = 0
    while off + 4 <= len(buf):
        code, n = struct.unpack_from("!HH", buf, off)
        yield code, buf[off + 4:off + 4 + n]
        off += 4 + n


def describe(data):
    """One line for a reply: its type and what matters in it."""
    names = {2: "ADVERTISE", 7: "REPLY", 13: "RELAY-REPL"}
    t = data[0]
    out = [names.get(t, str(t))]
    body = data[4:]
    if t == 13:
        body = data[34:]
        for code, v in walk(body):
            if code == 18:
                out.append("ifid=" + v.decode())
            if code == 9:
                return " ".join(out) + " | " + describe(v)
    for code, v in walk(body):
        if code == 2:
            out.append("server=" + v.hex())
        elif code == 3:
            for c2, v2 in walk(v[12:]):
                if c2 == 5:
                    out.append("addr=" + socket.inet_ntop(socket.AF_INET6, v2[:16]))
                    out.append("valid=%d" % struct.unpack_from("!I", v2, 20)[0])
                elif c2 == 13:
                    out.append("ia_status=%d" % struct.unpack_from("!H", v2)[0])
        elif code == 7:
            out.append("pref=%d" % v[0])
        elif code == 13:
            out.append("status=%d" % struct.unpack_from("!H", v)[0])
        elif code == 14:
            out.append("rapid")
        elif code == 16:
            out.append("vc=%d:%s" % (struct.unpack_from("!I", v)[0], v[6:].decode()))
        elif code == 23:
            out.append("dns=" + socket.inet_ntop(socket.AF_INET6, v[:16]))
        elif code == 59:
            out.append("url=" + v.decode())
    return " ".join(out)


def exchange(s, idx, pkt, dst=ALL_DHCP, port=547):
    s.sendto(raw(pkt), (dst, port, 0, idx))
    try:
        data, _ = s.recvfrom(4096)
    except socket.timeout:
        return None
    return data


def cmd_solicit(iface, persona, mac, rapid, request):
    s, idx = client_socket(iface)
    extra = DHCP6OptIA_NA(iaid=1)
    if rapid:
        extra = extra / DHCP6OptRapidCommit()
    data = exchange(s, idx, DHCP6_Solicit(trid=0x1111) / options(persona, mac, extra))
    if data is None:
        print("NONE")
        return 1
    print(describe(data))
    if not request or data[0] != 2:
        return 0
    sid = ia = None
    for code, v in walk(data[4:]):
        if code == 2:
            sid = v
        if code == 3:
            ia = struct.pack("!HH", 3, len(v)) + v
    req = DHCP6_Request(trid=0x2222) / options(persona, mac, DHCP6OptServerId(duid=sid))
    data = exchange(s, idx, raw(req) + ia)
    print(describe(data) if data else "NONE")
    return 0 if data else 1


def cmd_proxy(iface, server, mac):
    s, idx = client_socket(iface)
    data = exchange(s, idx, DHCP6_Solicit(trid=0x5555) / options("edk2", mac,
                                                                  DHCP6OptIA_NA(iaid=1)))
    print("SOLICIT " + (describe(data) if data else "NONE"))
    if not data:
        return 1
    sid = [v for code, v in walk(data[4:]) if code == 2][0]
    b = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    b.bind(("::", 4011))
    b.settimeout(TIMEOUT)
    req = DHCP6_Request(trid=0x5556) / options("edk2", mac, DHCP6OptServerId(duid=sid))
    b.sendto(raw(req), (server, 4011))
    try:
        data, src = b.recvfrom(4096)
    except socket.timeout:
        print("4011 NONE")
        return 1
    # from=: the source of the REPLY, which must be the address the
    # REQUEST went to (EDK2 drops a reply from another)
    print("4011 port=%d %s from=%s" % (src[1], describe(data), src[0]))
    return 0


def cmd_relay(server, link, mac):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.bind(("::", 547))
    s.settimeout(TIMEOUT)
    inner = DHCP6_Solicit(trid=0x3333) / options("edk2", "52:54:00:aa:bb:cc", DHCP6OptIA_NA(iaid=7))
    fwd = (DHCP6_RelayForward(hopcount=0, linkaddr=link, peeraddr="fe80::5054:ff:fe00:99") /
           DHCP6OptIfaceId(ifaceid=b"port7") /
           DHCP6OptClientLinkLayerAddr(lltype=1, clladdr=mac) / DHCP6OptRelayMsg(message=inner))
    s.sendto(raw(fwd), (server, 547))
    try:
        data, src = s.recvfrom(4096)
    except socket.timeout:
        print("NONE")
        return 1
    print("port=%d %s" % (src[1], describe(data)))
    return 0


def cmd_malformed(iface):
    s, idx = client_socket(iface)
    good = raw(DHCP6_Solicit(trid=0x4444) / options("edk2", "52:54:00:00:0b:ad",
                                                    DHCP6OptIA_NA(iaid=1)))
    bad = [
        b"\x01",                                    # short header
        good[:4] + b"\x00\x01\x00\xff\x00",        # option length past the end
        good + b"\x00\x03",                         # a truncated option header
    ]
    # relays nested 12 deep: more than RFC 8415 §7.6 lets through
    m = good
    for i in range(12):
        m = (bytes([12, i]) + bytes(32) + struct.pack("!HH", 9, len(m)) + m)
    bad.append(m)
    for b in bad:
        try:
            s.sendto(b[:65000], (ALL_DHCP, 547, 0, idx))
        except OSError:
            pass
    quiet = 0
    s.settimeout(0.5)
    try:
        while True:
            s.recvfrom(4096)
            quiet += 1
    except socket.timeout:
        pass
    print("replies_to_bad=%d" % quiet)
    s.settimeout(TIMEOUT)
    data = exchange(s, idx, good)
    print(describe(data) if data else "NONE")
    # a valid SOLICIT with an ORO of 1900 codes: answered, its cost bounded
    huge = good + struct.pack("!HH", 6, 3800) + b"\x00\x17" * 1900
    data2 = exchange(s, idx, huge)
    print("huge_oro " + (describe(data2) if data2 else "NONE"))
    return 0 if data and data2 and quiet == 0 else 1


def cmd_burst(iface, n):
    s, idx = client_socket(iface)
    got = 0
    for i in range(n):
        mac = "52:54:00:77:%02x:%02x" % (i >> 8, i & 0xff)
        pkt = DHCP6_Solicit(trid=i) / options("plain", mac,
                                               DHCP6OptIA_NA(iaid=1) / DHCP6OptRapidCommit())
        data = exchange(s, idx, pkt)
        if data and data[0] == 7:
            for code, v in walk(data[4:]):
                if code == 3:
                    for c2, v2 in walk(v[12:]):
                        if c2 == 5:
                            print(socket.inet_ntop(socket.AF_INET6, v2[:16]), flush=True)
                            got += 1
    return 0 if got == n else 1


def main(argv):
    c = argv[1]
    if c == "solicit":
        return cmd_solicit(argv[2], argv[3], argv[4], "--rapid" in argv, "--request" in argv)
    if c == "proxy":
        return cmd_proxy(argv[2], argv[3], argv[4])
    if c == "relay":
        return cmd_relay(argv[2], argv[3], argv[4])
    if c == "malformed":
        return cmd_malformed(argv[2])
    if c == "burst":
        return cmd_burst(argv[2], int(argv[3]))
    print("unknown command", c, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
