#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pxe-dhcpd --import-dnsmasq against the real dnsmasq: for every published
# configuration in import-configs/ (origin URL in each file's header), run
# dnsmasq (DHCP only: --port=0, its own lease file, -k) with the original
# and pxe-dhcpd with the import, send both the same firmware personas
# (dhcpd_import.py; dnsmasq with --no-ping, which only skips its 3 s ping
# before an offer), and compare what each offers: offered or not, yiaddr
# set, siaddr, server name (sname field or option 66), boot file (file
# field or option 67), options 43/60/209/210, and the file the client
# finally fetches; then the same for a few personas through a relay (giaddr
# set, from port 67), and the port-4011 step of every PXE client a proxy
# sends to its boot server (a menu, or dnsmasq's UEFI redirect). A
# difference is a failure unless the table below lists it with its
# reason, and a table line no difference needs is a failure too.
# Namespaces:
#   S1, S2: bridge br0 198.18.0.1/24 (dnsmasq in S1, pxe-dhcpd in S2, at
#      the same time)
#   C1, C2: eth0 on that br0, no address (the personas, port 68);
#      198.18.0.254/24 while it plays the relay agent and the client at
#      port 4011
. "$(dirname "$0")/../lib.sh"
need_root dhcpd_import
need_cmd ip ss python3 dnsmasq
HERE=$(cd "$(dirname "$0")" && pwd)
[ -x "$DHCPD" ] || { fail "dhcpd_import: $DHCPD not built"; t_done; }

# Differences kept on purpose, one per line: CONFIG PERSONA FIELD reason.
# CONFIG and PERSONA are extended regular expressions matched whole; FIELD
# is a field name or * (every field of that persona).
DELIBERATE=$(cat <<'EOF_TABLE'
.* plain-client siaddr a client with no boot file: dnsmasq puts its own address in siaddr, pxe-dhcpd 0.0.0.0; nothing is fetched from it
ltsp (ipxe-bios|ipxe-bios-nofeat) siaddr issue 17 known difference 4, what is left of it: a proxy offer with a file and no menu (to iPXE); dnsmasq's proxy path sets siaddr only for arch >= 6 or from dhcp-boot's server field, so 0.0.0.0; pxe-dhcpd its own address, where the file is
ltsp ipxe-bios fetch known difference 4 in the outcome: the same file, named with siaddr 0.0.0.0 by dnsmasq (iPXE then takes the next-server of the real DHCP server's offer) and with pxe-dhcpd's own address by pxe-dhcpd
(ltsp|matchbox-proxy|raspberrypi) (edk2-x64-arch7|edk2-x64-arch9|ipxe-efi|arm64-uefi)(@4011)? * issue 17 known difference 5: no pxe-service for this CSA; dnsmasq sends an empty proxy reply (option 60 only) and, at port 4011, an ACK with no file; pxe-dhcpd stays silent; the client boots nothing either way (fetch: - against none)
(ltsp|fog) (edk2-x64-arch7|edk2-x64-arch9|ipxe-efi) (boot|o43) dnsmasq's pxe_uefi_workaround answers UEFI PXE without a file and without option 43, so the firmware asks port 4011 for it; the import puts the one service's file in the first reply (43 = no menu); fetch (the file finally downloaded, after dnsmasq's 4011 ACK) is compared and equal
(ltsp|fog) (edk2-x64-arch7|edk2-x64-arch9|ipxe-efi)@4011 * the 4011 step of dnsmasq's UEFI redirect (above): pxe-dhcpd gave the file in the first reply, so the client has no 4011 step; the fetch field compares the outcome
dnsmasq-example (edk2-x64-arch7|edk2-x64-arch9|ipxe-efi|arm64-uefi) (o43|o60) full mode, no pxe-service for this CSA: dnsmasq still marks the offer as PXE (60 PXEClient, 43 "boot the file in the reply" and the prompt) though it has no file; pxe-dhcpd sends the address alone; neither names a file (fetch - on both sides)
fog arm64-uefi o43 a UEFI client given the file in the reply: pxe-dhcpd adds the no-menu option 43 (43.6 = 8, boot that file), dnsmasq sends none; the file is the same
(ltsp|fog) (bios-pxe|known-mac|pi3|pi4|ipxe-bios|ipxe-bios-nofeat) boot dnsmasq's proxy reply to BIOS also carries the matching dhcp-boot file beside the menu; the PXE ROM follows the menu (option 43), whose item is that same file (fetch, after the 4011 step, is compared)
ltsp ipxe-bios o43 the no-menu option 43 (43.6 = 8, boot the file in the reply): dnsmasq adds its default prompt (43.10 "PXE"), which a client told to skip the menu never shows
(ltsp|bifrost|metal3) ipxe-bios-nofeat (boot|sname|o43|fetch) the persona sends user class iPXE without option 175 (real iPXE always sends 175): these configs test 175 only, pxesuite's ipxe term takes either
ltsp ipxe-bios-nofeat@4011 * follows from the line above: pxe-dhcpd gave this persona the iPXE script without a menu, so it has no 4011 step
.* .*@4011 yiaddr the boot server's ACK (PXE 2.1): dnsmasq copies the client's ciaddr into yiaddr, pxe-dhcpd leaves it 0; the client keeps the address its DHCP server leased, this ACK leases nothing
fog .*@4011 o43 dnsmasq repeats the pxe-prompt (43.10) in the boot server's ACK; the client showed the prompt after the first offer and reads only 43.71 here
EOF_TABLE
)

# One network per server, so that dnsmasq and pxe-dhcpd answer the same
# personas at the same time: S1/C1 for dnsmasq, S2/C2 for pxe-dhcpd.
mknet() { # S C
	netns_add "$1" && netns_add "$2" || return 1
	in_ns "$1" ip link set lo up
	in_ns "$1" ip link add br0 type bridge
	in_ns "$1" ip addr add 198.18.0.1/24 dev br0
	in_ns "$1" ip link set br0 up
	in_ns "$1" ip link add vc type veth peer name eth0 netns "$2"
	in_ns "$1" ip link set vc master br0 up
	in_ns "$2" ip link set eth0 up
	in_ns "$2" ip link set lo up
}
P=pxi$$
S1=${P}s1 C1=${P}c1 S2=${P}s2 C2=${P}c2
{ mknet "$S1" "$C1" && mknet "$S2" "$C2"; } || { fail "netns: cannot create namespaces"; t_done; }
sleep 1 # the bridge ports leave their learning state

bound67() { in_ns "$1" ss -Hlun "sport = :67" | grep -q .; }
personas() { # C
	in_ns "$1" timeout 90 python3 "$HERE/dhcpd_import.py" --iface eth0 --addr 198.18.0.254 \
		--server 198.18.0.1
}

run_dnsmasq() { # CONF OUT
	rm -f "$T_TMP/dm.leases"
	start_bg "$T_TMP/dm.log" ip netns exec "$S1" dnsmasq -k --port=0 -C "$1" --user=root \
		--group=root --dhcp-leasefile="$T_TMP/dm.leases" --pid-file= --tftp-no-fail --no-ping \
		--log-facility=-
	local pid=$T_LAST_PID
	if wait_for 5 bound67 "$S1"; then
		personas "$C1" >"$2"
	else
		: >"$2"
	fi
	stop_pid "$pid"
}

run_pxe() { # CONF OUT
	rm -f "$T_TMP/px.leases"
	start_bg "$T_TMP/px.log" ip netns exec "$S2" "$DHCPD" -c "$1"
	local pid=$T_LAST_PID
	if wait_for 5 bound67 "$S2"; then
		personas "$C2" >"$2"
	else
		: >"$2"
	fi
	stop_pid "$pid"
}

# field NAME LINE: the value of NAME= in a persona line
field() { tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p"; }

compare() { # NAME DNSMASQ-OUT PXE-OUT: print "persona field dnsmasq pxesuite" lines
	local p f a b mine other
	# every persona line either server printed (a relay or 4011 line can be
	# missing from one side: then its fields are "none" there)
	while read -r p; do
		mine=$(grep "^$p " "$2")
		other=$(grep "^$p " "$3")
		for f in offered yiaddr siaddr giaddr sname boot o43 o60 o209 o210 fetch; do
			a=$(field "$f" "$mine")
			b=$(field "$f" "$other")
			[ "$a" = "$b" ] || echo "$p $f ${a:-none} ${b:-none}"
		done
	done < <(cut -d' ' -f1 "$2" "$3" | sort -u)
}

deliberate() { # CONFIG PERSONA FIELD: listed in $DELIBERATE?
	local c p f
	# relay-P is persona P through a relay: P's deliberate differences are
	# its own, and the reply must reach the relay: giaddr may differ only
	# where the offer may be missing differs exactly when the answer itself is missing on one side)
	if [[ $2 == relay-* ]]; then
		deliberate "$1" "${2#relay-}" "${3/#giaddr/offered}"
		return
	fi
	while read -r c p f _; do
		[[ $1 =~ ^($c)$ && $2 =~ ^($p)$ ]] || continue
		[[ $f = '*' || $3 =~ ^($f)$ ]] || continue
		echo "$c $p $f" >>"$T_TMP/used"
		return 0
	done <<<"$DELIBERATE"
	return 1
}

for conf in "$HERE"/import-configs/*.conf; do
	name=$(basename "$conf" .conf)
	# IMPORT_ONLY=REGEX runs only the configs whose name it matches (for work
	# on one config; make check runs them all)
	[[ -z ${IMPORT_ONLY:-} || $name =~ ^(${IMPORT_ONLY})$ ]] || continue
	grep -q '^# Origin: http' "$conf" || fail "$name: no origin URL in its header"
	imp=$T_TMP/$name.pxesuite.conf
	"$DHCPD" --import-dnsmasq "$conf" >"$imp" 2>"$T_TMP/$name.import.err"
	rc=$?
	want=0
	grep -q '^# import-exit: ' "$conf" && want=$(sed -n 's/^# import-exit: //p' "$conf")
	check "$name: import exit status $rc (want $want)" test "$rc" = "$want"
	sed -i "s#^\\[dhcpd\\]#[dhcpd]\\nleasefile = $T_TMP/px.leases#" "$imp"
	check "$name: the import passes --check-config" "$DHCPD" --check-config -c "$imp" 2>"$T_TMP/cc.err"
	# both at once, each in its own network (each stops what it started)
	run_dnsmasq "$conf" "$T_TMP/$name.dnsmasq.out" &
	run_pxe "$imp" "$T_TMP/$name.pxe.out" &
	wait
	check "$name: dnsmasq answered some persona" grep -q 'offered=1' "$T_TMP/$name.dnsmasq.out"
	# IMPORT_KEEP=DIR keeps both servers' answers and the import there
	[ -z "${IMPORT_KEEP:-}" ] || cp "$T_TMP/$name".* "$T_TMP"/*.log "$IMPORT_KEEP"/
	while read -r p f a b; do
		[ -n "$p" ] || continue
		if deliberate "$name" "$p" "$f"; then
			pass "$name $p $f: dnsmasq $a, pxesuite $b (deliberate)"
		else
			fail "$name $p $f: dnsmasq $a, pxesuite $b"
		fi
	done < <(compare "$name" "$T_TMP/$name.dnsmasq.out" "$T_TMP/$name.pxe.out")
done
# A table line no difference needs any more would hide a regression: with
# every config run, each line must have been used.
if [ -z "${IMPORT_ONLY:-}" ]; then
	while read -r c p f _; do
		grep -qxF "$c $p $f" "$T_TMP/used" 2>/dev/null ||
			fail "deliberate-difference line no longer needed: $c $p $f"
	done <<<"$DELIBERATE"
fi
t_done
