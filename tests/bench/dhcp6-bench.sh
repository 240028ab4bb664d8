#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# dhcp6-bench.sh: stateful DHCPv6 (SOLICIT, ADVERTISE, REQUEST, REPLY) with
# perfdhcp -6 against pxe-dhcpd and Kea's kea-dhcp6 in the same run, the
# way ../shared/bench/dhcp-bench.sh does DHCPv4 (which has no DHCPv6): for
# each target rate and each server, a fresh start with an empty lease file,
# perfdhcp -6 -R CLIENTS distinct DUIDs for PERIOD seconds, the achieved
# exchange rate, the drop share, and the server's own CPU time per
# completed exchange. The best rate is the highest target whose median drop
# share stays under 1%. Not part of make check: run it alone (uptime in the
# output), as root.
#
#   tests/bench/dhcp6-bench.sh [-r RUNS] [-o DIR]
#   RATES="1000 2000 4000" CLIENTS=50000 PERIOD=10 tests/bench/dhcp6-bench.sh
#
# Needs perfdhcp (kea-admin) and kea-dhcp6 (kea-dhcp6-server). Namespaces
# b6Ns/b6Nc joined by one veth pair, fd00:198:18:99::/64; nothing leaves it.
set -u
TOP=$(cd "$(dirname "$0")/../.." && pwd)
DHCPD=${DHCPD:-$TOP/build/pxe-dhcpd}
RUNS=3
OUT=""
while getopts "r:o:h" o; do
	case $o in
	r) RUNS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) sed -n '2,17p' "$0"; exit 2 ;;
	esac
done
RATES=${RATES:-"1000 2000 4000 8000 12000 16000"}
CLIENTS=${CLIENTS:-50000}
PERIOD=${PERIOD:-10}
OUT=${OUT:-$TOP/build/bench/dhcp6-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
for c in perfdhcp kea-dhcp6 ip; do
	command -v "$c" >/dev/null || { echo "needs $c" >&2; exit 77; }
done
[ -x "$DHCPD" ] || { echo "needs $DHCPD (make)" >&2; exit 77; }

S=b6$$s C=b6$$c
cleanup() {
	[ -n "${SPID:-}" ] && kill "$SPID" 2>/dev/null && wait "$SPID" 2>/dev/null
	ip netns del "$S" 2>/dev/null
	ip netns del "$C" 2>/dev/null
}
trap cleanup EXIT
ip netns add "$S" && ip netns add "$C" || exit 1
ip -n "$S" link add b6s type veth peer name b6c netns "$C"
for ns in "$S" "$C"; do ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0; done
ip netns exec "$S" sysctl -qw net.ipv6.conf.b6s.accept_dad=0
ip netns exec "$C" sysctl -qw net.ipv6.conf.b6c.accept_dad=0
ip -n "$S" addr add fd00:198:18:99::1/64 dev b6s nodad
ip -n "$S" link set b6s up
ip -n "$C" link set b6c up
ip -n "$S" link set lo up
ip -n "$C" link set lo up
sleep 1 # link-local addresses

RUN=$OUT/run
write_configs() {
	rm -rf "$RUN"
	mkdir -p "$RUN"
	cat >"$RUN/pxe.conf" <<EOF
[dhcpd]
interface = b6s
leasefile = $RUN/pxe.leases
lease-time = 1h
log-level = warn

[subnet6 fd00:198:18:99::/64]
range = fd00:198:18:99::1:0-fd00:198:18:99::ffff:ffff
EOF
	cat >"$RUN/kea.json" <<EOF
{ "Dhcp6": {
    "interfaces-config": { "interfaces": [ "b6s" ] },
    "server-id": { "type": "LL", "persist": true, "htype": 1, "identifier": "025400000001" },
    "data-directory": "$RUN",
    "lease-database": { "type": "memfile", "persist": true, "name": "$RUN/kea.leases",
                        "lfc-interval": 0 },
    "valid-lifetime": 3600, "preferred-lifetime": 3600,
    "subnet6": [ { "id": 1, "subnet": "fd00:198:18:99::/64", "interface": "b6s",
                   "pools": [ { "pool": "fd00:198:18:99::1:0-fd00:198:18:99::ffff:ffff" } ] } ],
    "loggers": [ { "name": "kea-dhcp6", "severity": "WARN",
                   "output_options": [ { "output": "$RUN/kea.log" } ] } ]
} }
EOF
}

start_server() {
	case $1 in
	pxe) ip netns exec "$S" "$DHCPD" -c "$RUN/pxe.conf" >"$RUN/pxe.out" 2>&1 & ;;
	kea) ip netns exec "$S" env KEA_PIDFILE_DIR="$RUN" KEA_LOCKFILE_DIR="$RUN" \
		kea-dhcp6 -c "$RUN/kea.json" >"$RUN/kea.out" 2>&1 & ;;
	esac
	SPID=$!
	for _ in $(seq 100); do
		ip netns exec "$S" ss -Hlunp "sport = :547" | grep -q "pid=$SPID," && return 0
		sleep 0.05
	done
	echo "$1 does not listen on 547" >&2
	return 1
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }

# one cell: prints "rate drops_pct cpu_us_per_exchange"
cell() {
	local srv=$1 rate=$2
	write_configs
	start_server "$srv" || { echo "FAIL 100 -"; return; }
	local t0
	t0=$(cpu_ticks "$SPID")
	ip netns exec "$C" timeout $((PERIOD + 30)) perfdhcp -6 -l b6c -r "$rate" -R "$CLIENTS" \
		-p "$PERIOD" >"$RUN/perf.out" 2>&1
	local t1 hz
	t1=$(cpu_ticks "$SPID")
	hz=$(getconf CLK_TCK)
	kill "$SPID" 2>/dev/null
	wait "$SPID" 2>/dev/null
	SPID=""
	cat "$RUN/perf.out" >>"$OUT/perfdhcp-$srv.log"
	awk -v t="$((t1 - t0))" -v hz="$hz" '
		/^\*\*\*Statistics for: SOLICIT-ADVERTISE/ {ph = "SA"}
		/^\*\*\*Statistics for: REQUEST-REPLY/ {ph = "RR"}
		/sent packets:/ {sent[ph] = $NF}
		/received packets:/ {rcvd[ph] = $NF}
		/^Rate:/ {rate = $2}
		END {
			s = sent["SA"] + 0; r = rcvd["RR"] + 0
			cpu = r ? t / hz * 1e6 / r : 0
			printf "%s %.2f %.1f\n", (rate == "" ? "FAIL" : rate), (s ? 100 * (s - r) / s : 100), cpu
		}' "$RUN/perf.out"
}

{
	echo "# $(date -u +%FT%TZ) $(uptime)"
	echo "# perfdhcp -6 -R $CLIENTS -p $PERIOD, $RUNS runs per cell, servers alternating"
	echo "# kea: $(kea-dhcp6 -v 2>/dev/null), memfile persist (no fsync); pxe-dhcpd: journal fdatasynced before each REPLY that binds"
	echo "server target run exchanges_per_s drops_pct srv_cpu_us_per_exchange"
} | tee "$OUT/results.txt"
for rate in $RATES; do
	for run in $(seq "$RUNS"); do
		order="pxe kea"
		[ $((run % 2)) = 0 ] && order="kea pxe"
		for srv in $order; do
			echo "$srv $rate $run $(cell "$srv" "$rate")" | tee -a "$OUT/results.txt"
		done
	done
done
echo "# median per cell; best = highest target with median drops < 1%" | tee -a "$OUT/results.txt"
awk '!/^#/ && NF == 6 && $1 != "server" {k = $1 " " $2; r[k] = r[k] " " $4; d[k] = d[k] " " $5; c[k] = c[k] " " $6; seen[$1]; tg[$2]}
function med(s,   a, n, i, j, t) { n = split(s, a, " "); for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}; return a[int((n + 1) / 2)] }
END {
	for (k in r) printf "%s median: exchanges/s %s drops %s%% cpu_us/exchange %s\n", k, med(r[k]), med(d[k]), med(c[k]) | "sort -k1,1 -k2,2n"
	close("sort -k1,1 -k2,2n")
	for (s in seen) { best = "none"; bv = 0; for (k in r) { split(k, p, " "); if (p[1] == s && med(d[k]) + 0 < 1 && p[2] + 0 > bv) {bv = p[2] + 0; best = k " -> " med(r[k]) "/s"} } print "best " s ": " best }
}' "$OUT/results.txt" | tee -a "$OUT/results.txt"
