#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the e2e guest initramfs (busybox-static). The archiso HTTP flow:
# load the NIC driver, DHCP with udhcpc, download the root image over HTTP,
# check its sha256 against the kernel command line, report on the serial
# console, power off. Kernel command line:
#   e2e.scenario=NAME e2e.url=http://HOST/root.img e2e.sha256=HEX
# (HOST [IPV6]: no DHCP, the address comes from SLAAC),
# or, archiso's own parameters instead of e2e.url (the image scenarios):
#   archiso_http_srv=http://HOST/ archisobasedir=arch checksum=y
# which runs archiso_pxe_http's steps (mkinitcpio-archiso hooks/archiso_pxe_http):
# probe ${srv}${basedir}/x86_64/airootfs.sfs with `curl -r 0-0` (else
# airootfs.erofs), download it, download airootfs.sha512 and check it.
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
scenario=unknown url="" want="" srv="" basedir=arch checksum=""
for a in $(cat /proc/cmdline); do
	case $a in
	e2e.scenario=*) scenario=${a#*=} ;;
	e2e.url=*) url=${a#*=} ;;
	e2e.sha256=*) want=${a#*=} ;;
	archiso_http_srv=*) srv=${a#*=} ;;
	archisobasedir=*) basedir=${a#*=} ;;
	checksum=*) checksum=${a#*=} ;;
	esac
done
say() { echo "e2e-guest: $*" >/dev/console; }
bye() { echo "$1" >/dev/console; sync; poweroff -f; sleep 5; echo o >/proc/sysrq-trigger; }
fail() { bye "NETBOOT-FAIL $scenario: $*"; }

say "scenario $scenario, kernel $(uname -r)"
for m in $(cat /lib/modules/load.order); do
	insmod "/lib/modules/$m" 2>/dev/null
done
# The NIC: the first interface that is not loopback (wait for the driver).
nic=""
i=0
while [ $i -lt 50 ] && [ -z "$nic" ]; do
	for d in /sys/class/net/*; do
		n=${d##*/}
		[ "$n" = lo ] || { nic=$n; break; }
	done
	[ -n "$nic" ] || { sleep 0.1; i=$((i + 1)); }
done
[ -n "$nic" ] || fail "no network interface"
ip link set lo up
ip link set "$nic" up
case $url in
http://\[*)
	# The IPv6 scenarios: no DHCPv4 on the link; the kernel takes a SLAAC
	# address from pxe-dhcpd's router advertisement (ra = yes, prefix
	# with the A flag). Wait up to 15 s for a global address past DAD.
	say "nic $nic, SLAAC"
	i=0
	while [ $i -lt 150 ] && ! ip -6 addr show dev "$nic" | grep 'scope global' | grep -qv tentative; do
		sleep 0.1
		i=$((i + 1))
	done
	addr=$(ip -6 addr show dev "$nic" | grep 'scope global' | grep -v tentative | head -1)
	[ -n "$addr" ] || fail "no SLAAC address"
	say "address:$addr" ;;
*)
	say "nic $nic, DHCP"
	# -n: give up instead of backgrounding; 6 discovers, 2 s apart.
	udhcpc -i "$nic" -n -q -t 6 -T 2 -s /etc/udhcpc.script -V e2e-guest >/dev/console 2>&1 ||
		fail "no DHCP lease" ;;
esac

# range_probe URL: what archiso_pxe_http's `curl -L -f -o /dev/null -s -r 0-0
# URL` asks, sent with nc (busybox wget dies on a 206 to a Range header it
# did not make itself). Returns 0 when curl -f would succeed (status below
# 400); sets P_STATUS, P_RANGE (the Content-Range value), P_BODY (bytes after
# the header) and leaves the body in /tmp/probe.body.
CR=$(printf '\r')
range_probe() {
	p_hp=${1#http://}
	p_path=/${p_hp#*/} p_hp=${p_hp%%/*} p_host=${p_hp%%:*} p_port=80
	[ "$p_hp" = "$p_host" ] || p_port=${p_hp#*:}
	printf 'GET %s HTTP/1.1\r\nHost: %s\r\nRange: bytes=0-0\r\nUser-Agent: curl (e2e archiso probe)\r\nAccept: */*\r\nConnection: close\r\n\r\n' \
		"$p_path" "$p_hp" | timeout 20 nc "$p_host" "$p_port" >/tmp/probe.resp 2>/dev/null
	P_STATUS=$(head -n 1 /tmp/probe.resp | tr -d '\r' | cut -d' ' -f2)
	P_RANGE=$(grep -i '^content-range:' /tmp/probe.resp | tr -d '\r' | sed 's/^[^:]*: *//')
	p_hlen=$(sed -n "1,/^$CR\$/p" /tmp/probe.resp | wc -c)
	P_BODY=$(($(wc -c </tmp/probe.resp) - p_hlen))
	tail -c +$((p_hlen + 1)) /tmp/probe.resp >/tmp/probe.body
	say "probe -r 0-0 $1: ${P_STATUS:-no answer} ${P_RANGE:+Content-Range $P_RANGE, }$P_BODY body bytes"
	[ -n "$P_STATUS" ] && [ "$P_STATUS" -ge 200 ] 2>/dev/null && [ "$P_STATUS" -lt 400 ]
}
# get URL FILE: download (busybox 1.35's wget -T crashes in the static
# build: bound it with timeout).
get() {
	say "GET $1"
	timeout 60 wget -q -O "$2" "$1" || fail "download of $1 failed"
}

if [ -n "$srv" ]; then
	# archiso_pxe_http: the root image's type by a one-byte probe, then
	# the image and, with checksum=y, its sha512 file.
	base=$srv$basedir/x86_64
	img=sfs
	if ! range_probe "$base/airootfs.sfs"; then
		range_probe "$base/airootfs.erofs" && img=erofs
	fi
	# The probe that found the image must have been answered as a range:
	# a server that ignores Range sends 200 and the whole image.
	[ "$P_STATUS" = 206 ] || fail "probe -r 0-0 of airootfs.$img: status ${P_STATUS:-none}, want 206"
	[ "$P_BODY" = 1 ] || fail "probe -r 0-0 of airootfs.$img: $P_BODY body bytes, want 1"
	t0=$(cut -d' ' -f1 /proc/uptime)
	get "$base/airootfs.$img" "/tmp/airootfs.$img"
	t1=$(cut -d' ' -f1 /proc/uptime)
	file=/tmp/airootfs.$img
	size=$(wc -c <"$file")
	[ "$P_RANGE" = "bytes 0-0/$size" ] || fail "probe Content-Range '$P_RANGE', want 'bytes 0-0/$size'"
	head -c 1 "$file" | cmp -s - /tmp/probe.body || fail "probe byte differs from byte 0 of airootfs.$img"
	if [ "$checksum" = y ]; then
		get "$base/airootfs.sha512" /tmp/airootfs.sha512
		(cd /tmp && sha512sum -c airootfs.sha512 >/dev/console 2>&1) || fail "airootfs.sha512 does not match"
	fi
else
	[ -n "$url" ] || fail "no e2e.url on the kernel command line"
	t0=$(cut -d' ' -f1 /proc/uptime)
	get "$url" /tmp/root.img
	t1=$(cut -d' ' -f1 /proc/uptime)
	file=/tmp/root.img
	size=$(wc -c <"$file")
fi
got=$(sha256sum "$file" | cut -d' ' -f1)
say "root image $size bytes in $t0..$t1 s, sha256 $got"
[ "$got" = "$want" ] || fail "sha256 mismatch: got $got want $want"
bye "NETBOOT-OK $scenario"
