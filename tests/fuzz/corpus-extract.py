#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seed inputs for the fuzz targets, cut out of packet captures of real
clients (tests/fuzz/corpus-build runs the integration tests, and with
CORPUS_E2E=1 the firmware boots, with tcpdump in every namespace).

  corpus-extract.py OUTDIR PCAP...

Writes OUTDIR/<target>/<sha1 of the input>, one file per distinct input:
  dhcpd_wire, dhcpd_handle   DHCPv4 messages sent to ports 67 and 4011
  dhcpd_wire6                DHCPv6 messages sent to ports 547 and 4011
  dhcpd_decide6              the same with a selector byte in front
                             (tests/fuzz/fuzz_dhcpd_decide6.c): multicast
                             full mode, and unicast port 4011 boot-only
  tftpd_request              TFTP RRQs and WRQs (opcode 1 and 2)
  httpd_request              HTTP request heads (up to the blank line)
  httpd_range                each Range header value, behind a file size
Only client-to-server packets are kept; a capture's replies are ours.
Prints how many inputs each target got.
"""
import hashlib
import os
import struct
import sys

METHODS = (b"GET ", b"HEAD ", b"POST ", b"PUT ", b"OPTIONS ", b"DELETE ", b"TRACE ", b"CONNECT ")


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    linktype = struct.unpack(endian + "I", data[20:24])[0]
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        if linktype == 1:  # Ethernet
            if len(frame) < 14:
                continue
            proto, l3 = struct.unpack("!H", frame[12:14])[0], frame[14:]
        elif linktype == 113:  # Linux cooked v1
            if len(frame) < 16:
                continue
            proto, l3 = struct.unpack("!H", frame[14:16])[0], frame[16:]
        elif linktype == 276:  # Linux cooked v2
            if len(frame) < 20:
                continue
            proto, l3 = struct.unpack("!H", frame[0:2])[0], frame[20:]
        elif linktype == 0:  # loopback (BSD null)
            proto, l3 = 0x0800 if frame[4:5] and frame[4] >> 4 == 4 else 0x86DD, frame[4:]
        else:
            continue
        yield proto, l3


def l4(proto, l3):
    """(ip version, transport, sport, dport, payload) or None."""
    if proto == 0x0800 and len(l3) >= 20 and l3[0] >> 4 == 4:
        ihl = (l3[0] & 15) * 4
        total = struct.unpack("!H", l3[2:4])[0]
        nxt, body = l3[9], l3[ihl:total]
        ver = 4
    elif proto == 0x86DD and len(l3) >= 40:
        plen = struct.unpack("!H", l3[4:6])[0]
        nxt, body = l3[6], l3[40:40 + plen]
        ver = 6
    else:
        return None
    if nxt == 17 and len(body) >= 8:
        sp, dp = struct.unpack("!HH", body[:4])
        return ver, "udp", sp, dp, body[8:]
    if nxt == 6 and len(body) >= 20:
        sp, dp = struct.unpack("!HH", body[:4])
        return ver, "tcp", sp, dp, body[(body[12] >> 4) * 4:]
    return None


def is_tftp_request(p):
    if len(p) < 4 or p[0] != 0 or p[1] not in (1, 2) or not p.endswith(b"\0"):
        return False
    parts = p[2:-1].split(b"\0")
    return len(parts) >= 2 and parts[0] and parts[1].lower() in (b"octet", b"netascii", b"mail")


def main():
    out, caps = sys.argv[1], sys.argv[2:]
    seeds = {}

    def add(target, blob):
        seeds.setdefault(target, set()).add(bytes(blob))

    streams = {}
    for cap in caps:
        for proto, l3 in packets(cap):
            r = l4(proto, l3)
            if not r:
                continue
            ver, tr, sp, dp, p = r
            if tr == "udp" and ver == 4 and dp in (67, 4011) and len(p) >= 240 and p[0] == 1:
                add("dhcpd_wire", p)
                add("dhcpd_handle", p)
            elif tr == "udp" and ver == 6 and dp in (547, 4011) and p and p[0] in (1, 3, 4, 5, 6, 8, 9, 11, 12):
                add("dhcpd_wire6", p)
                add("dhcpd_decide6", b"\x00" + p)
                add("dhcpd_decide6", b"\xe0" + p)  # boot-only, unicast, port 4011
            elif tr == "udp" and is_tftp_request(p):
                add("tftpd_request", p)
            elif tr == "tcp" and p:
                # request heads only: a stream is kept when it starts with a
                # method, and only its first 64 KiB (bodies are not inputs)
                key = (sp, dp)
                if key not in streams:
                    if not p.startswith(METHODS):
                        continue
                    streams[key] = []
                if sum(len(x) for x in streams[key]) < 65536:
                    streams[key].append(p)
    for parts in streams.values():
        data = b"".join(parts)
        while data.startswith(METHODS):
            end = data.find(b"\r\n\r\n")
            if end < 0:
                break
            head = data[:end + 4]
            add("httpd_request", head)
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"range:"):
                    add("httpd_range", struct.pack("<Q", 1 << 30) + line[6:].strip())
            data = data[end + 4:]
    for target, blobs in sorted(seeds.items()):
        d = os.path.join(out, target)
        os.makedirs(d, exist_ok=True)
        for b in blobs:
            with open(os.path.join(d, hashlib.sha1(b).hexdigest()), "wb") as f:
                f.write(b)
        print("%s: %d" % (target, len(blobs)))


if __name__ == "__main__":
    main()
