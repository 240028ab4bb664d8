# SPDX-License-Identifier: MIT
# e2e helpers (bash), sourced after tests/lib.sh, which owns the exit trap:
# every pid in T_PIDS is stopped and every namespace in T_NETNS deleted at
# exit, also on SIGINT/SIGTERM (lib.sh turns them into exit 130).
#
# Network: one namespace per script with a bridge br0 = 198.18.10.1/24 and a
# tap device per VM on it. Nothing is attached to the root namespace: the
# namespace has no veth out, so DHCP never leaves it.
E2E_DIR=$TOP/tests/e2e
E2E_NET=198.18.10
E2E_SERVER=$E2E_NET.1
# IPv6 (the *6 scenarios): a ULA prefix on the same bridge, the server's
# address static (nodad: it must be usable at once for the daemons' binds).
E2E_NET6=fd00:198:18:10
E2E_SERVER6=$E2E_NET6::1
E2E_QEMU=${E2E_QEMU:-qemu-system-x86_64}
E2E_OVMF_CODE=${E2E_OVMF_CODE:-/usr/share/OVMF/OVMF_CODE_4M.fd}
E2E_OVMF_VARS=${E2E_OVMF_VARS:-/usr/share/OVMF/OVMF_VARS_4M.fd}
E2E_VM_TIMEOUT=${E2E_VM_TIMEOUT:-240}
E2E_VMS=()

# e2e_need_tools: exit 77 (SKIP) unless root and qemu + firmware are there.
e2e_need_tools() {
	local name=${1:-$(basename "$0" .sh)} f
	is_root || { skip "$name: needs root (network namespaces, tap devices, VMs)"; t_exit 77; }
	for f in "$E2E_QEMU" ip cpio gzip busybox timeout; do
		have "$f" || { skip "$name: needs $f (make deps installs qemu-system-x86 and the rest)"; t_exit 77; }
	done
	for f in "$E2E_OVMF_CODE" "$E2E_OVMF_VARS" /usr/lib/ipxe/qemu/efi-virtio.rom /dev/net/tun; do
		[ -e "$f" ] || { skip "$name: needs $f (make deps installs ovmf, ipxe-qemu)"; t_exit 77; }
	done
}

# e2e_tree: build or reuse the boot tree; sets E2E_TREE. Exit 77 on failure.
e2e_tree() {
	local out st=0
	out=$("$E2E_DIR/_bootstrap.sh" 2>"$T_TMP/bootstrap.log") || st=$?
	if [ $st -ne 0 ]; then
		cat "$T_TMP/bootstrap.log" >&2
		skip "${1:-$(basename "$0" .sh)}: boot tree: $(tail -1 "$T_TMP/bootstrap.log")"
		t_exit 77
	fi
	E2E_TREE=$out
}

# e2e_accel: "kvm" only where KVM can run firmware. A paravirtual KVM
# (kvm_pvm) dies in SeaBIOS's iPXE ROM and in OVMF with "KVM internal
# error ... emulation failure", so it counts as no KVM; any other /dev/kvm
# must survive a short OVMF probe boot (6 s) first. E2E_ACCEL overrides.
# The answer is kept in $T_TMP/accel (one probe per script).
e2e_accel() {
	if [ -n "${E2E_ACCEL:-}" ]; then echo "$E2E_ACCEL"; return; fi
	if [ -s "$T_TMP/accel" ]; then cut -d' ' -f1 "$T_TMP/accel"; return; fi
	local a=tcg why="no usable /dev/kvm" st=0
	if [ -e /sys/module/kvm_pvm ]; then
		why="/dev/kvm is paravirtual (kvm_pvm), cannot run firmware"
	elif [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ]; then
		timeout 6 "$E2E_QEMU" -accel kvm -m 256 -nodefaults -display none -monitor none \
			-bios /usr/share/ovmf/OVMF.fd -serial none >"$T_TMP/kvm-probe.log" 2>&1 || st=$?
		if [ $st -eq 124 ] && ! grep -qi 'internal error\|emulation failure' "$T_TMP/kvm-probe.log"; then
			a=kvm why="/dev/kvm ran OVMF for 6 s"
		else
			why="KVM probe boot failed: $(grep -v '^$' "$T_TMP/kvm-probe.log" | head -1 | cut -c1-100)"
		fi
	fi
	echo "$a $why" >"$T_TMP/accel"
	echo "$a"
}
e2e_accel_why() {
	if [ -n "${E2E_ACCEL:-}" ]; then echo "E2E_ACCEL=$E2E_ACCEL"; return; fi
	e2e_accel >/dev/null
	echo "$(cut -d' ' -f1 "$T_TMP/accel"): $(cut -d' ' -f2- "$T_TMP/accel")"
}

# e2e_net_up NS: the namespace, its loopback and the bridge.
e2e_net_up() {
	E2E_NS=$1
	netns_add "$E2E_NS" || return 1
	in_ns "$E2E_NS" ip link set lo up
	in_ns "$E2E_NS" ip link add br0 type bridge stp_state 0 forward_delay 0
	in_ns "$E2E_NS" ip addr add "$E2E_SERVER/24" dev br0
	in_ns "$E2E_NS" ip -6 addr add "$E2E_SERVER6/64" dev br0 nodad
	in_ns "$E2E_NS" ip link set br0 up
}

# e2e_ra_start SECONDS: router advertisements on br0 for the IPv4
# scenarios (tests/tools/ra_send: pxe-dhcpd's RA code; a SLAAC prefix, no
# M/O flags, router lifetime 0), so that the link looks like a dual-stack
# LAN. Debian's iPXE (1.0.0+git-20190125) finishes no "Configuring" before
# its IPv6 router discovery has ended: on a link with no router it uses its
# DHCPv4 lease only when that gives up, about 16 s later (bios-pxelinux:
# 28.7 s without, 12.4 s with). Sets E2E_RA_PID; stop it with stop_pid.
# The IPv6 scenarios have pxe-dhcpd's own RA instead (ra = yes).
e2e_ra_start() {
	local ra=$BUILD_DIR/tests/ra_send
	E2E_RA_PID=""
	[ -x "$ra" ] || return 1
	start_bg "$T_TMP/ra.log" ip netns exec "$E2E_NS" "$ra" --interval 4 --seconds "$1" \
		br0 "$E2E_NET6::/64"
	E2E_RA_PID=$T_LAST_PID
}

# e2e_tap NAME: a tap device on br0 inside the namespace (deleted with it).
e2e_tap() {
	in_ns "$E2E_NS" ip tuntap add dev "$1" mode tap &&
	in_ns "$E2E_NS" ip link set "$1" master br0 &&
	in_ns "$E2E_NS" ip link set "$1" up
}

# e2e_mac N: a stable locally administered MAC for VM number N (1..250).
e2e_mac() { printf '52:54:00:e2:e0:%02x' "$1"; }
# pxelinux's per-MAC config name for a MAC: 01-52-54-00-...
e2e_pxelinux_cfg_name() { echo "01-$(echo "$1" | tr ':' '-' | tr 'A-F' 'a-f')"; }

# e2e_vm_start NAME FW TAP MAC [qemu args...]: start a VM in the namespace in
# the background, bounded by E2E_VM_TIMEOUT; FW is bios, uefi or uefi6. The serial
# console goes to $T_TMP/NAME.serial. Sets E2E_VM_PID.
#   bios: SeaBIOS + qemu's default iPXE ROM for virtio-net (efi-virtio.rom;
#         an explicit romfile=pxe-virtio.rom is never run by SeaBIOS here)
#   uefi: OVMF with its own VirtioNetDxe + PXE/HTTP boot (romfile= empty, so
#         the EDK2 network stack, not an iPXE driver, is what boots);
#         PXE over IPv6 off, so that only the IPv4 options run
#   uefi6: OVMF with its IPv4 stack off (IPv4Support=no drops PXEv4 and
#         HTTPv4 from the boot options): PXEv6, then HTTPv6. -uuid: iPXE's
#         DHCPv6 client id is a DUID-UUID from SMBIOS, all zero without it.
e2e_vm_start() {
	local name=$1 fw=$2 tap=$3 mac=$4; shift 4
	local accel args
	accel=$(e2e_accel)
	args=(-name "$name" -accel "$accel" -m 512 -smp 1 -nodefaults -vga none -display none
		-monitor none -no-reboot -serial "file:$T_TMP/$name.serial"
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no")
	case $fw in
	bios)
		# SeaBIOS "sercon": the text screen (SeaBIOS, iPXE, pxelinux) also
		# on the serial port, since there is no VGA (little-endian 0x3f8).
		printf '\370\003' >"$T_TMP/sercon.bin"
		args+=(-device "virtio-net-pci,netdev=n0,mac=$mac,bootindex=1"
			-fw_cfg "name=etc/sercon-port,file=$T_TMP/sercon.bin")
		;;
	uefi | uefi6)
		cp "$E2E_OVMF_VARS" "$T_TMP/$name.vars.fd"
		args+=(-machine q35
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$E2E_OVMF_CODE"
			-drive "if=pflash,format=raw,unit=1,file=$T_TMP/$name.vars.fd"
			-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=,bootindex=1")
		if [ "$fw" = uefi ]; then
			args+=(-fw_cfg name=opt/org.tianocore/IPv6PXESupport,string=no)
		else
			args+=(-fw_cfg name=opt/org.tianocore/IPv4Support,string=no
				-uuid "$(printf '00000000-0000-4000-8000-%s' "$(echo "$mac" | tr -d :)")")
		fi
		;;
	*) echo "e2e_vm_start: unknown firmware $fw" >&2; return 1 ;;
	esac
	: >"$T_TMP/$name.serial"
	timeout -k 5 "$E2E_VM_TIMEOUT" ip netns exec "$E2E_NS" "$E2E_QEMU" "${args[@]}" "$@" \
		>"$T_TMP/$name.qemu.log" 2>&1 &
	E2E_VM_PID=$!
	T_PIDS+=("$E2E_VM_PID")
	E2E_VMS+=("$name")
}

# e2e_vm_wait NAME PID: wait for the VM to power off (or time out). Prints
# nothing; returns 0 when its console says NETBOOT-OK, 1 otherwise, and
# sets E2E_VM_RESULT to a one-line reason.
e2e_vm_wait() {
	local name=$1 pid=$2 st=0
	wait "$pid" || st=$?
	if grep -q "^NETBOOT-OK" "$T_TMP/$name.serial"; then
		E2E_VM_RESULT="NETBOOT-OK"
		return 0
	fi
	if grep -q "^NETBOOT-FAIL" "$T_TMP/$name.serial"; then
		E2E_VM_RESULT=$(grep -m1 "^NETBOOT-FAIL" "$T_TMP/$name.serial")
	elif [ $st -eq 124 ] || [ $st -eq 137 ]; then
		E2E_VM_RESULT="timed out after ${E2E_VM_TIMEOUT}s; console: $(e2e_console_tail "$name")"
	else
		E2E_VM_RESULT="qemu exited $st; $(tail -2 "$T_TMP/$name.qemu.log" | tr '\n' ' ') console: $(e2e_console_tail "$name")"
	fi
	return 1
}

# The last meaningful console line (firmware output is full of escapes).
e2e_console_tail() {
	tr -d '\r' <"$T_TMP/$1.serial" | sed -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' |
		grep -a '[[:alnum:]]' | tail -3 | tr '\n' '|' | cut -c1-300
}

# e2e_capture_start: tcpdump of UDP and HTTP headers on br0 (when installed), for
# the record of what the firmware asked for. Sets E2E_PCAP.
e2e_capture_start() {
	E2E_PCAP=$T_TMP/${1:-capture}.pcap
	have tcpdump || { E2E_PCAP=""; return 0; }
	start_bg "$T_TMP/tcpdump.log" ip netns exec "$E2E_NS" tcpdump -i br0 -n -s 256 -U -w "$E2E_PCAP" udp or tcp port 80
	E2E_CAPTURE_PID=$T_LAST_PID
}

# e2e_tftp_options PCAP: one line per TFTP read request with its options.
e2e_tftp_options() {
	[ -n "${1:-}" ] && [ -s "$1" ] || return 0
	tcpdump -r "$1" -n -vv 'udp dst port 69' 2>/dev/null |
		grep -ao 'RRQ "[^"]*"[^\n]*' | sed -e 's/ \[bad udp cksum[^]]*\]//' | sort | uniq -c
}

# e2e_dhcp6_messages PCAP: the DHCPv6 messages on the wire by kind and
# options (xids, IAIDs, times and addresses left out), the record of what
# EDK2 and iPXE send.
e2e_dhcp6_messages() {
	[ -n "${1:-}" ] && [ -s "$1" ] || return 0
	tcpdump -r "$1" -n -vv 'udp port 546 or udp port 547 or udp port 4011' 2>/dev/null |
		grep -ao 'dhcp6 [a-z-]* (.*' | sed -E -e 's/xid=[0-9a-f]+ //' -e 's/IAID:[0-9]+ T1:[0-9]+ T2:[0-9]+/IAID/g' \
			-e 's/\(IA_ADDR [^)]*\)/(IA_ADDR)/g' -e 's/(hwaddr|time) [^)]*\)/\1)/g' -e 's/elapsed-time [0-9]+/elapsed-time/' |
		sort | uniq -c | sort -rn | cut -c1-400
}

# e2e_serve_root: this run's TFTP/HTTP root, a copy (hard links when the
# file system allows) of the cached boot tree, so that per-run configs never
# touch the cache and no symlink points out of the root. Sets E2E_ROOT.
e2e_serve_root() {
	E2E_ROOT=$T_TMP/root
	cp -al "$E2E_TREE" "$E2E_ROOT" 2>/dev/null || { rm -rf "$E2E_ROOT"; cp -a "$E2E_TREE" "$E2E_ROOT"; }
	rm -rf "$E2E_ROOT/pxelinux.cfg"
	mkdir -p "$E2E_ROOT/pxelinux.cfg"
	E2E_SHA=$(cat "$E2E_ROOT/root.img.sha256")
}

# e2e_cmdline SCENARIO [HOST]: the guest kernel command line (panic=1: a panic
# reboots, which -no-reboot turns into a quick qemu exit, not a timeout).
# HOST (default $E2E_SERVER) serves the root blob; [IPV6] makes the guest
# take a SLAAC address instead of DHCP (_guest_init.sh).
e2e_cmdline() {
	echo "console=ttyS0 quiet panic=1 e2e.scenario=$1 e2e.url=http://${2:-$E2E_SERVER}/root.img e2e.sha256=$E2E_SHA"
}

# e2e_pxelinux_cfg MAC SCENARIO [PREFIX]: pxelinux.cfg/01-MAC for one VM;
# PREFIX is put before vmlinuz/initrd.gz (e.g. http://198.18.10.1/ for
# lpxelinux, empty for TFTP).
e2e_pxelinux_cfg() {
	local mac=$1 scen=$2 pre=${3:-}
	cat >"$E2E_ROOT/pxelinux.cfg/$(e2e_pxelinux_cfg_name "$mac")" <<EOT
DEFAULT e2e
PROMPT 0
TIMEOUT 1
LABEL e2e
	KERNEL ${pre}vmlinuz
	INITRD ${pre}initrd.gz
	APPEND $(e2e_cmdline "$scen")
EOT
}

# e2e_ipxe_script SCENARIO [FILE] [HOST]: an iPXE script loading over HTTP
# from HOST (default $E2E_SERVER; [IPV6] for the IPv6 scenarios).
# initrd=initrd.gz: Debian's iPXE (2019) under UEFI hands the initrd to the
# kernel's EFI stub only by that name (no LoadFile2 yet); BIOS ignores it.
e2e_ipxe_script() {
	cat >"$E2E_ROOT/${2:-$1.ipxe}" <<EOT
#!ipxe
echo e2e: iPXE script for $1
kernel http://${3:-$E2E_SERVER}/vmlinuz initrd=initrd.gz $(e2e_cmdline "$1" "${3:-}")
initrd http://${3:-$E2E_SERVER}/initrd.gz
boot
EOT
}

# e2e_secs_since T0: seconds with one decimal since T0 (from e2e_now).
e2e_now() { date +%s.%N; }
e2e_secs_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# e2e_side_ns NAME IFNAME MAC [ADDR/PREFIX]: another namespace (a second
# "host" on the same LAN) joined to br0 by a veth pair; IFNAME is its end.
e2e_side_ns() {
	local ns=$1 ifn=$2 mac=$3 addr=${4:-} peer=b${2}
	netns_add "$ns" || return 1
	in_ns "$ns" ip link set lo up
	in_ns "$E2E_NS" ip link add "$peer" type veth peer name "$ifn" netns "$ns" &&
	in_ns "$E2E_NS" ip link set "$peer" master br0 &&
	in_ns "$E2E_NS" ip link set "$peer" up &&
	in_ns "$ns" ip link set "$ifn" address "$mac" &&
	in_ns "$ns" ip link set "$ifn" up || return 1
	[ -z "$addr" ] || in_ns "$ns" ip addr add "$addr" dev "$ifn"
}

# e2e_ns_bound NS udp|tcp PORT: something listens on PORT inside NS.
e2e_ns_bound() { in_ns "$1" ss -Hln"${2:0:1}" "sport = :$3" | grep -q .; }

# e2e_follow TAG FILE [REGEX]: show FILE's lines (those matching REGEX)
# live, prefixed "TAG| ". The pid kept is tail's: stopping it ends the
# filter through end of file (a pipeline's "wait" would block on tail).
E2E_FOLLOW_PIDS=()
e2e_follow() {
	local tag=$1 file=$2 re=${3:-.}
	: >>"$file"
	# Firmware screens carry terminal escapes and CRs: drop them (sed -u,
	# not tr, which would hold lines back in its buffer).
	tail -n +1 -F --pid=$$ "$file" 2>/dev/null > >(
		sed -u -e 's/\r//g' -e 's/\x1b\[[0-9;?]*[A-Za-z]//g' -e 's/\x1b[a-zA-Z]//g' |
		grep -a --line-buffered -E "$re" | sed -u "s/^/$tag| /") &
	E2E_FOLLOW_PIDS+=("$!")
	T_PIDS+=("$!")
}
e2e_follow_stop() {
	local p
	sleep 0.5 # let the last lines through
	for p in "${E2E_FOLLOW_PIDS[@]}"; do stop_pid "$p"; done
	E2E_FOLLOW_PIDS=()
	sleep 0.3 # the filters print what they still hold, then see EOF
}

# Probe arguments that look like the firmware the VMs run (_dhcp_probe.py):
# qemu's iPXE ROM (BIOS, user class iPXE), EDK2's PXE and HTTP Boot, and
# ipxe.efi loaded by EDK2.
IPXE_BIOS="--arch 0 --vendor PXEClient:Arch:00000:UNDI:002001 --user-class iPXE"
EDK2_PXE="--arch 7 --vendor PXEClient:Arch:00007:UNDI:003000"
EDK2_HTTP="--arch 16 --vendor HTTPClient:Arch:00016:UNDI:003000"
IPXE_EFI="--arch 7 --vendor PXEClient:Arch:00007:UNDI:003010 --user-class iPXE"

# e2e_probe NS IFACE MAC WANT ARGS...: from namespace NS, one DISCOVER that
# looks like a firmware (ARGS: see _dhcp_probe.py); does a reply of ours
# (server id or siaddr $E2E_SERVER) carry WANT as boot file (file field or
# option 67)? With E2E_PROBE_ACCEPT_43=1 (proxy scenarios) a PXEClient
# reply without a file (file on port 4011) counts too. Sets PROBE_GOT ("OK", or
# what the replies held).
e2e_probe() {
	local ns=$1 ifn=$2 mac=$3 want=$4 out; shift 4
	# shellcheck disable=SC2068
	out=$(in_ns "$ns" timeout 10 python3 "$E2E_DIR/_dhcp_probe.py" --iface "$ifn" \
		--mac "$mac" --wait 4 $@ 2>&1)
	PROBE_GOT=$(python3 -c 'import json,sys
srv, want, accept43 = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
files = []
for l in sys.stdin:
    try: r = json.loads(l)
    except ValueError: continue
    if r.get("server_id") not in (srv, None) and r.get("siaddr") != srv: continue
    f = r.get("opt67") or r.get("file") or ""
    if f == want: print("OK"); sys.exit(0)
    # A proxy may answer with a PXE menu / boot server list (option 43),
    # or with option 60 alone, and give the file on port 4011 (dnsmasq
    # does both; EDK2 then asks 4011): the boot will tell.
    if accept43 and not f and (r.get("opt60") or "").startswith("PXEClient"):
        print("OK"); sys.exit(0)
    files.append(f or ("(option 43, no boot file)" if r.get("opt43") else "(no boot file)"))
print(", ".join(files) or "no reply")' "$E2E_SERVER" "$want" "${E2E_PROBE_ACCEPT_43:-}" <<<"$out")
	[ "$PROBE_GOT" = OK ]
}

# ---- the boot tree as an archiso-like image (issue 14: serving from an image)
#
# e2e_archiso_image OUT EXTRA: a hybrid ISO 9660 image of the boot tree
# ($E2E_ROOT) at OUT, with archiso's layout and mkarchiso's xorriso flags
# (-iso-level 3 -full-iso9660-filenames -joliet -joliet-long -rational-rock,
# El Torito with isolinux and a boot info table, isohybrid MBR,
# -partition_offset 16, so a second descriptor set sits at sector 32), plus
# the directory EXTRA merged at the image root (per-VM configs). Layout:
#   boot/syslinux/   lpxelinux.0 pxelinux.0 ldlinux.c32 ... syslinux.efi ldlinux.e64,
#                    isolinux.bin boot.cat syslinux.cfg (El Torito), pxelinux.cfg/
#   arch/boot/x86_64/vmlinuz-linux initramfs-linux.img
#   arch/x86_64/airootfs.sfs airootfs.sha512     (the root blob, its sha512)
# None of these paths exists in $E2E_ROOT: a request that reached the
# directory instead of the image would fail. Returns 1 with E2E_IMAGE_WHY.
E2E_ARCHISO_LABEL=PXE_E2E_ARCH
e2e_archiso_image() {
	local out=$1 extra=$2 g=() f hyb=()
	have xorriso || { E2E_IMAGE_WHY="needs xorriso (make deps)"; return 1; }
	mkdir -p "$extra/arch/x86_64" "$extra/boot/syslinux"
	printf '%s  airootfs.sfs\n' "$(sha512sum <"$E2E_ROOT/root.img" | cut -d' ' -f1)" \
		>"$extra/arch/x86_64/airootfs.sha512"
	g+=("arch/boot/x86_64/vmlinuz-linux=$E2E_ROOT/vmlinuz"
		"arch/boot/x86_64/initramfs-linux.img=$E2E_ROOT/initrd.gz"
		"arch/x86_64/airootfs.sfs=$E2E_ROOT/root.img")
	for f in lpxelinux.0 pxelinux.0 ldlinux.c32 libcom32.c32 libutil.c32 menu.c32 \
		poweroff.c32 syslinux.efi ldlinux.e64; do
		g+=("boot/syslinux/$f=$E2E_ROOT/$f")
	done
	# The CD boot of the same image (not booted here; archiso has it, and
	# its boot info table makes isolinux.bin in the image differ from the
	# file on disk, as in a real archiso image).
	if [ -r /usr/lib/ISOLINUX/isolinux.bin ] && [ -r /usr/lib/ISOLINUX/isohdpfx.bin ]; then
		g+=("boot/syslinux/isolinux.bin=/usr/lib/ISOLINUX/isolinux.bin")
		cat >"$extra/boot/syslinux/syslinux.cfg" <<EOT
DEFAULT arch
LABEL arch
	LINUX /arch/boot/x86_64/vmlinuz-linux
	INITRD /arch/boot/x86_64/initramfs-linux.img
	APPEND console=ttyS0 archisobasedir=arch archisolabel=$E2E_ARCHISO_LABEL
EOT
		hyb=(-eltorito-boot boot/syslinux/isolinux.bin -eltorito-catalog boot/syslinux/boot.cat
			-no-emul-boot -boot-load-size 4 -boot-info-table
			-isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin --mbr-force-bootable)
	else
		echo "note: no isolinux (isolinux.bin, isohdpfx.bin): the image has no El Torito boot or MBR"
	fi
	rm -f "$out"
	xorriso -no_rc -as mkisofs -quiet -iso-level 3 -full-iso9660-filenames -joliet -joliet-long \
		-rational-rock -volid "$E2E_ARCHISO_LABEL" -appid "pxesuite e2e" -publisher pxesuite \
		-preparer "tests/e2e" "${hyb[@]}" -partition_offset 16 -output "$out" \
		-graft-points "${g[@]}" "/=$extra" >"$out.log" 2>&1 ||
		{ E2E_IMAGE_WHY="xorriso failed: $(tail -2 "$out.log" | tr '\n' ' ')"; return 1; }
	# What makes it archiso-like for a reader: an MBR in the system area
	# and, from -partition_offset 16, a second descriptor set at sector 32
	# (partition-relative addresses) that must not be taken for the first.
	[ "$(od -An -tx1 -j 510 -N 2 "$out" | tr -d ' ')" = 55aa ] || [ ${#hyb[@]} -eq 0 ] ||
		{ E2E_IMAGE_WHY="no MBR signature in $out"; return 1; }
	[ "$(dd if="$out" bs=1 skip=$((32 * 2048 + 1)) count=5 2>/dev/null)" = CD001 ] ||
		{ E2E_IMAGE_WHY="no second descriptor set at sector 32 in $out"; return 1; }
}

# e2e_archiso_cmdline SCENARIO: archiso's own kernel parameters for the
# archiso_pxe_http flow of _guest_init.sh, plus the scenario and the sha256.
e2e_archiso_cmdline() {
	echo "console=ttyS0 quiet panic=1 e2e.scenario=$1 archisobasedir=arch archiso_http_srv=http://$E2E_SERVER/ checksum=y e2e.sha256=$E2E_SHA"
}

# e2e_archiso_pxelinux_cfg DIR MAC SCENARIO: boot/syslinux/pxelinux.cfg/01-MAC
# under DIR, in archiso_pxe-linux.cfg's form: `::/` names the kernel and
# initrd from the TFTP root, not from the loader's directory (the path prefix
# boot/syslinux/ that pxelinux and syslinux.efi take from their file name).
e2e_archiso_pxelinux_cfg() {
	local d=$1/boot/syslinux/pxelinux.cfg
	mkdir -p "$d"
	cat >"$d/$(e2e_pxelinux_cfg_name "$2")" <<EOT
DEFAULT arch
PROMPT 0
TIMEOUT 1
LABEL arch
	LINUX ::/arch/boot/x86_64/vmlinuz-linux
	INITRD ::/arch/boot/x86_64/initramfs-linux.img
	APPEND $(e2e_archiso_cmdline "$3")
EOT
}
