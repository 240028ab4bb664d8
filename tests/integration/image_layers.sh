#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An image under a directory of one's own (--fallback-root), and an image
# served with no privileges at all:
# - pxe-tftpd and pxe-httpd with ROOT=/srv/pxe-like directory (ipxe.efi, a
#   script, one file that shadows the image's) and --fallback-root IMAGE:
#   the directory's files win, the image's come through, listings merge,
#   the image itself is at /<name>.iso;
# - pxe-tftpd on an image: netascii from the image, unique-root=ip finds
#   <client address>/ inside the image, an upload is refused as read-only,
#   a replaced image is picked up on SIGHUP while the directory stays;
# - both daemons as user nobody (setpriv) on sockets passed by
#   systemd-socket-activate, the image readable by everyone: what the
#   README's systemd units do, where no mount and no root is needed.
# iso_serve.sh compares every kind of image byte for byte; this is about
# layers and privileges.
. "$(dirname "$0")/../lib.sh"
need_cmd curl xorriso cmp tftp
export LC_ALL=C.UTF-8
[ -x "$TFTPD" ] && [ -x "$HTTPD" ] || { fail "image_layers: binaries not built"; t_done; }

S=$T_TMP/src D=$T_TMP/top
mkdir -p "$S/arch/boot/x86_64" "$S/127.0.0.1" "$S/boot/syslinux" "$D"
head -c 700000 /dev/urandom >"$S/arch/boot/x86_64/vmlinuz-linux"
printf 'from the image\n' >"$S/motd.txt"
printf 'the image, for 127.0.0.1\n' >"$S/127.0.0.1/motd.txt"
printf 'DEFAULT arch\nLABEL arch\n' >"$S/boot/syslinux/archiso_pxe.cfg"
head -c 40000 /dev/urandom >"$D/ipxe.efi"
printf '#!ipxe\nboot\n' >"$D/arch.ipxe"
printf 'from the directory\n' >"$D/motd.txt"
ISODIR=$T_TMP/iso
mkdir -p "$ISODIR"
ISO=$ISODIR/archlinux-x86_64.iso
xorriso -as mkisofs -quiet -iso-level 3 -full-iso9660-filenames -joliet -joliet-long \
	-rational-rock -V ARCH_LAYERS -o "$ISO" "$S" 2>/dev/null
[ -s "$ISO" ] || { fail "image_layers: xorriso made no image"; t_done; }

TP=$(free_port) HP=$(free_port)
TLOG=$T_TMP/tftpd.log HLOG=$T_TMP/httpd.log
start_bg "$TLOG" "$TFTPD" --listen "127.0.0.1:$TP" --fallback-root "$ISO" "$D"
TPID=$T_LAST_PID
start_bg "$HLOG" "$HTTPD" "$D" --fallback-root "$ISO" --addr 127.0.0.1 --port "$HP" --listing
HPID=$T_LAST_PID
wait_for 20 udp_bound "$TP" && wait_for 20 tcp_bound "$HP" ||
	{ fail "layers: daemons did not start: $(cat "$TLOG" "$HLOG")"; t_done; }
grep -q 'event=start.*serving directory .*; then image .*archlinux-x86_64.iso: volume \\"ARCH_LAYERS\\"' "$TLOG" &&
	pass "tftpd start line names both layers" || fail "tftpd start line: $(grep event=start "$TLOG")"

O=$T_TMP/out
mkdir -p "$O"
tget() { (cd "$O" && rm -f "$2" && timeout 20 tftp 127.0.0.1 "$TP" -m "${3:-binary}" -c get "$1" "$2" >/dev/null 2>&1); }
hget() { rm -f "$O/$2" && curl -s --max-time 20 -o "$O/$2" -w '%{http_code}' "http://127.0.0.1:$HP$1"; }

tget ipxe.efi t1 && cmp -s "$O/t1" "$D/ipxe.efi" && pass "tftp: the directory's ipxe.efi" || fail "tftp: ipxe.efi"
tget arch/boot/x86_64/vmlinuz-linux t2 && cmp -s "$O/t2" "$S/arch/boot/x86_64/vmlinuz-linux" &&
	pass "tftp: the kernel from the image under it" || fail "tftp: kernel from the image"
tget motd.txt t3 && cmp -s "$O/t3" "$D/motd.txt" && pass "tftp: a file in both comes from the directory" ||
	fail "tftp: shadowed file: $(cat "$O/t3" 2>/dev/null)"
[ "$(hget /arch/boot/x86_64/vmlinuz-linux h1)" = 200 ] && cmp -s "$O/h1" "$S/arch/boot/x86_64/vmlinuz-linux" &&
	pass "http: the kernel from the image under the directory" || fail "http: kernel from the image"
[ "$(hget /arch.ipxe h2)" = 200 ] && cmp -s "$O/h2" "$D/arch.ipxe" && pass "http: the directory's script" ||
	fail "http: arch.ipxe"
[ "$(hget /archlinux-x86_64.iso h3)" = 200 ] && cmp -s "$O/h3" "$ISO" &&
	pass "http: the image itself at /archlinux-x86_64.iso" || fail "http: the image file"
code=$(hget / h4)
n_motd=$(grep -c '>motd.txt<' "$O/h4")
[ "$code" = 200 ] && [ "$n_motd" = 1 ] && grep -q '>ipxe.efi<' "$O/h4" && grep -q '>arch/<' "$O/h4" &&
	grep -q '>archlinux-x86_64.iso<' "$O/h4" && pass "http: the listing merges both layers, each name once" ||
	fail "http: listing ($code, motd.txt $n_motd times): $(cat "$O/h4")"
stop_pid "$TPID"
stop_pid "$HPID"

# ---- pxe-tftpd on the image alone: netascii, unique-root, uploads, SIGHUP
start_bg "$TLOG.2" "$TFTPD" --listen "127.0.0.1:$TP" --unique-root=ip --allow-write --create "$ISO"
TPID=$T_LAST_PID
wait_for 20 udp_bound "$TP" || { fail "tftpd on the image: not started: $(cat "$TLOG.2")"; t_done; }
tget motd.txt u1 && cmp -s "$O/u1" "$S/127.0.0.1/motd.txt" &&
	pass "unique-root=ip: 127.0.0.1/ inside the image" || fail "unique-root in the image: $(cat "$O/u1" 2>/dev/null)"
tget motd.txt n1 netascii
# one LF, so one byte more on the wire (CR LF); tftp-hpa turns it back
want=$(($(stat -c %s "$S/127.0.0.1/motd.txt") + 1))
cmp -s "$O/n1" "$S/127.0.0.1/motd.txt" && grep -q "op=read file=motd.txt mode=netascii bytes=$want " "$TLOG.2" &&
	pass "netascii from the image: LF sent as CR LF ($want bytes), received intact" ||
	fail "netascii from the image: $(grep netascii "$TLOG.2")"
echo upload >"$O/up.txt"
(cd "$O" && timeout 20 tftp 127.0.0.1 "$TP" -m binary -c put up.txt up.txt >/dev/null 2>&1)
grep -q 'file=up.txt status=refused error=2 reason="The served root is a read-only image"' "$TLOG.2" &&
	pass "an upload to an image is refused: read-only" || fail "upload: $(grep up.txt "$TLOG.2")"
# replaced by mv + SIGHUP: the new image's file
printf 'the new image, for 127.0.0.1\n' >"$S/127.0.0.1/motd.txt"
xorriso -as mkisofs -quiet -R -J -V ARCH_NEXT -o "$ISODIR/next.iso" "$S" 2>/dev/null
mv "$ISODIR/next.iso" "$ISO"
kill -HUP "$TPID"
wait_for 10 grep -q 'event=reload.*now serving image.*ARCH_NEXT' "$TLOG.2" &&
	pass "SIGHUP after mv: the log names the new image" || fail "reload line: $(grep reload "$TLOG.2")"
tget motd.txt u2 && cmp -s "$O/u2" "$S/127.0.0.1/motd.txt" && pass "after the swap: the new image's bytes" ||
	fail "after the swap: $(cat "$O/u2" 2>/dev/null)"
kill -HUP "$TPID"
sleep 0.5
grep -c 'now serving image' "$TLOG.2" | grep -qx 1 && pass "SIGHUP with the image unchanged: not indexed again" ||
	fail "unchanged image re-indexed: $(grep reload "$TLOG.2")"
stop_pid "$TPID"

# ---- no privileges: user nobody on sockets handed over by the activator
if ! is_root || ! have systemd-socket-activate || ! have setpriv; then
	skip "unprivileged serving: needs root (to become nobody), systemd-socket-activate, setpriv"
	t_done
fi
chmod 755 "$T_TMP" "$ISODIR"
chmod 644 "$ISO"
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --no-new-privs)
start_bg "$TLOG.3" systemd-socket-activate --datagram -l "127.0.0.1:$TP" \
	"${NOBODY[@]}" "$TFTPD" "$ISO"
TPID=$T_LAST_PID
start_bg "$HLOG.3" systemd-socket-activate -l "127.0.0.1:$HP" \
	"${NOBODY[@]}" "$HTTPD" "$ISO"
HPID=$T_LAST_PID
wait_for 20 udp_bound "$TP" && wait_for 20 tcp_bound "$HP" || { fail "activator: not listening"; t_done; }
tget arch/boot/x86_64/vmlinuz-linux p1 && cmp -s "$O/p1" "$S/arch/boot/x86_64/vmlinuz-linux" &&
	pass "tftp as nobody, socket activated, from the image" || fail "tftp as nobody: $(cat "$TLOG.3")"
[ "$(hget /arch/boot/x86_64/vmlinuz-linux p2)" = 200 ] && cmp -s "$O/p2" "$S/arch/boot/x86_64/vmlinuz-linux" &&
	pass "http as nobody, socket activated, from the image" || fail "http as nobody: $(cat "$HLOG.3")"
# the activator and setpriv exec the daemon in the process start_bg made
u1=$(ps -o uid= -p "$TPID" | tr -d ' ') u2=$(ps -o uid= -p "$HPID" | tr -d ' ')
[ "$u1" = 65534 ] && [ "$u2" = 65534 ] && pass "both daemons run as uid 65534 (nobody)" ||
	fail "daemon uids: tftpd '$u1', httpd '$u2'"
stop_pid "$TPID"
stop_pid "$HPID"
t_done
