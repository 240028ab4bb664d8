#!/bin/sh
# SPDX-License-Identifier: MIT
# /init of the e2e guest initramfs (busybox-static). The archiso HTTP flow:
# load the NIC driver, DHCP with udhcpc, download the root image over HTTP,
# check its sha256 against the kernel command line, report on the serial
# console, power off. Kernel command line:
#   e2e.scenario=NAME e2e.url=http://HOST/root.img e2e.sha256=HEX
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null
scenario=unknown url="" want=""
for a in $(cat /proc/cmdline); do
	case $a in
	e2e.scenario=*) scenario=${a#*=} ;;
	e2e.url=*) url=${a#*=} ;;
	e2e.sha256=*) want=${a#*=} ;;
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
say "nic $nic, DHCP"
# -n: give up instead of backgrounding; 6 discovers, 2 s apart.
udhcpc -i "$nic" -n -q -t 6 -T 2 -s /etc/udhcpc.script -V e2e-guest >/dev/console 2>&1 ||
	fail "no DHCP lease"
[ -n "$url" ] || fail "no e2e.url on the kernel command line"
say "GET $url"
t0=$(cut -d' ' -f1 /proc/uptime)
# busybox 1.35's wget -T crashes (static build): bound it with timeout.
timeout 60 wget -q -O /tmp/root.img "$url" || fail "download of $url failed"
t1=$(cut -d' ' -f1 /proc/uptime)
got=$(sha256sum /tmp/root.img | cut -d' ' -f1)
size=$(wc -c </tmp/root.img)
say "root image $size bytes in $t0..$t1 s, sha256 $got"
[ "$got" = "$want" ] || fail "sha256 mismatch: got $got want $want"
bye "NETBOOT-OK $scenario"
