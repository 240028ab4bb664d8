#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-tftpd with 5 % packet loss in each direction: a namespace pair
# joined by a veth, an nftables ingress rule dropping packets on both
# ends. Every transfer must complete byte-exact, lock-step and windowed,
# and quickly: a lost block is resent after the measured round trip, a gap
# in a window at once (RFC 7440), never after a whole 1 s timeout.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/tftpd_lib.sh"
need_root tftpd_loss
need_cmd ip ss nft python3

NS_S=tftpdl-s-$$ NS_C=tftpdl-c-$$
SADDR=198.18.77.1 CADDR=198.18.77.2
netns_add "$NS_S" && netns_add "$NS_C" || { fail "netns"; t_done; }
ip link add tfl-s-$$ netns "$NS_S" type veth peer name tfl-c-$$ netns "$NS_C" || { fail "veth"; t_done; }
ip -n "$NS_S" addr add $SADDR/24 dev tfl-s-$$
ip -n "$NS_C" addr add $CADDR/24 dev tfl-c-$$
for ns in "$NS_S" "$NS_C"; do ip -n "$ns" link set lo up; done
ip -n "$NS_S" link set tfl-s-$$ up
ip -n "$NS_C" link set tfl-c-$$ up
loss() { # NS IFACE: drop 5 % of what arrives
	ip netns exec "$1" nft -f - <<NFT
table netdev tftpdloss {
  chain ing {
    type filter hook ingress device "$2" priority 0; policy accept;
    numgen random mod 1000 < 50 counter drop
  }
}
NFT
}
loss "$NS_S" tfl-s-$$ && loss "$NS_C" tfl-c-$$ || { fail "nft loss rules"; t_done; }

ROOT=$T_TMP/root
mkdir -p "$ROOT"; chmod 755 "$T_TMP" "$ROOT"
head -c 262144 /dev/urandom >"$ROOT/256k.bin"; chmod 644 "$ROOT/256k.bin"
OUT=$T_TMP/out; mkdir -p "$OUT"
LOG=$T_TMP/tftpd.log
start_bg "$LOG" ip netns exec "$NS_S" "$TFTPD" --listen $SADDR:69 "$ROOT"
bound69() { ip netns exec "$NS_S" ss -Hlun "sport = :69" | grep -q .; }
wait_for 10 bound69 || { fail "tftpd start: $(tail -3 "$LOG")"; t_done; }

export TPY_TIMEOUT=1 TPY_RETRIES=30
run() { # NAME LIMIT_S OPTS...: raw client from the client namespace
	local name=$1 limit=$2; shift 2
	local t0=$(date +%s.%N)
	ip netns exec "$NS_C" timeout 120 python3 "$TPY" get $SADDR 69 256k.bin octet "$OUT/$name" "$@" >/dev/null
	local s=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b - a}')
	check "5% loss: $name byte-exact (${s}s)" same "$OUT/$name" "$ROOT/256k.bin"
	check "5% loss: $name within ${limit}s" awk -v s="$s" -v l="$limit" 'BEGIN{exit !(s < l)}'
}
for i in 1 2; do
	run "blksize=512 lock-step #$i" 40 blksize=512
	run "blksize=1468 lock-step #$i" 20 blksize=1468
	run "blksize=1468 windowsize=8 #$i" 15 blksize=1468 windowsize=8
done
if have atftp; then
	# atftp (0.8.0) gives up with ERROR 0 when it sees the OACK twice,
	# which happens here when its ACK 0 is lost and we resend the OACK:
	# allow it three attempts.
	t0=$SECONDS
	for try in 1 2 3; do
		rm -f "$OUT/atftp"
		ip netns exec "$NS_C" timeout 120 atftp --option "blksize 1468" --option "windowsize 8" -g -r 256k.bin -l "$OUT/atftp" $SADDR 69 >/dev/null 2>&1
		same "$OUT/atftp" "$ROOT/256k.bin" && break
	done
	check "5% loss: atftp windowsize 8 byte-exact ($((SECONDS - t0))s, attempt $try)" same "$OUT/atftp" "$ROOT/256k.bin"
fi
drops=$(for ns in "$NS_S" "$NS_C"; do ip netns exec "$ns" nft list table netdev tftpdloss; done |
	awk '/counter packets/ {for(i=1;i<=NF;i++) if($i=="packets") s+=$(i+1)} END{print s+0}')
check "packets were dropped ($drops)" test "$drops" -gt 10
check "the server retransmitted" grep -q 'retransmits=[1-9]' "$LOG"
t_done
