#!/bin/bash
# SPDX-License-Identifier: MIT
# pxe-httpd and pxe-tftpd serving the files inside an ISO 9660 image (no
# mount), against real images (tests/iso_images.sh: xorriso, genisoimage,
# mkzftree) and real clients, byte for byte against xorriso's extraction
# of the same image under the same name set (Rock Ridge, else Joliet, else
# plain ISO 9660, matched case-insensitively):
#   HTTP (curl): every file whole, a Range in the middle, Content-Length,
#     Last-Modified = the extracted mtime; ETag with If-Range,
#     If-None-Match, If-Modified-Since; the image itself at /<basename>.iso
#     (404 with --no-image-file); the start line names the name set
#   TFTP: curl, tftp-hpa, atftp (windowsize 8, blksize 1468), and tsize
#     in the OACK (a raw probe, tsize.py) = the size
#   symlinks resolve inside the image; out-of-image targets never serve a
#     host file; zisofs files are refused (TFTP "Access violation" naming
#     zisofs, HTTP 403/501) or served decompressed, never as raw bytes
#   UDF-only, truncated, empty and random images: no start, a non-zero
#     exit and a message saying what is wrong; bit-flipped images: refused,
#     or served with each answer an error or the bytes xorriso reads
#   SIGHUP after `mv new.iso image.iso`: downloads started before finish
#     with the old bytes, new requests get the new ones; a broken new image
#     keeps the old one in force
#   SLOW=1  also a file above 4 GiB (multi-extent: Ranges across the
#           section boundary; writes ~4.7 GB) and an image of 20,000 files
#   ISO_KINDS="rrj plain ..."  only these images (iso_make's kinds)
#   NFLIP=N  bit-flipped images (default 12)
. "$(dirname "$0")/../lib.sh"
need_cmd xorriso curl ss cmp
. "$(dirname "$0")/../iso_images.sh" # sets LC_ALL=C.UTF-8 (UTF-8 names)
. "$(dirname "$0")/tftpd_lib.sh"     # TPY: the raw TFTP client
tpy() { timeout 30 "$PY" "$TPY" "$@"; }
for b in "$HTTPD" "$TFTPD"; do
	[ -x "$b" ] || { fail "iso-serve: $b not built (make)"; t_done; }
done
W=$T_TMP
HAVE_HPA=0 HAVE_ATFTP=0
have tftp && HAVE_HPA=1 || skip "iso-serve: tftp-hpa: not installed"
have atftp && HAVE_ATFTP=1 || skip "iso-serve: atftp: not installed"

# ---------------------------------------------------------------- the tree
# tests/iso_images.sh's tree, plus: an etc/passwd inside the image (an
# absolute symlink to /etc/passwd must give this one, never the host's),
# a dangling link, data zisofs shrinks, and an old fixed mtime.
S=$W/src
iso_tree "$S"
mkdir -p "$S/etc"
echo "IMAGE-PASSWD: the image's own etc/passwd" >"$S/etc/passwd"
ln -s /etc/passwd "$S/hostpasswd"
ln -s nothere "$S/dangling"
head -c 300000 /dev/zero >"$S/zeros.bin"
yes 'menu label Arch Linux install medium' | head -c 100000 >"$S/boot/syslinux/menu.txt"
touch -h -d '2001-02-03 04:05:06 UTC' "$S/arch/boot/x86_64/vmlinuz-linux"
HOST_PASSWD=$(head -1 /etc/passwd) # one line: grep -F takes each line as a pattern

# ---------------------------------------------------------------- helpers
# up LOG PROTO PORT CMD...: start a daemon of ours; 0 once it listens
# (UP_PID), 1 when it exited first (UP_ST: its status), 2 when neither
# happened within 10 s (it is left to t_cleanup).
up() {
	local log=$1 proto=$2 port=$3 end=$((SECONDS + 10))
	shift 3
	start_bg "$log" "$@"
	UP_PID=$T_LAST_PID UP_ST=
	while [ $SECONDS -lt $end ]; do
		"${proto}_bound" "$port" && return 0
		if ! kill -0 "$UP_PID" 2>/dev/null; then
			wait "$UP_PID"
			UP_ST=$?
			return 1
		fi
		sleep 0.05
	done
	return 2
}

# httpd_up NAME ISO [ARGS]: HP, HPID; tftpd_up NAME ISO [ARGS]: TP, TPID.
# A daemon that does not start on a good image is a FAIL naming why.
httpd_up() {
	local name=$1 iso=$2
	shift 2
	HP=$(free_port tcp) HLOG=$W/$name.httpd.log
	up "$HLOG" tcp "$HP" "$HTTPD" "$iso" --addr 127.0.0.1 --port "$HP" "$@" && { HPID=$UP_PID; return 0; }
	fail "$name: pxe-httpd does not serve the image (exit ${UP_ST:-none}): $(head -c 300 "$HLOG")"
	return 1
}
tftpd_up() {
	local name=$1 iso=$2
	shift 2
	TP=$(free_port udp) TLOG=$W/$name.tftpd.log
	up "$TLOG" udp "$TP" "$TFTPD" --listen "127.0.0.1:$TP" "$@" "$iso" && { TPID=$UP_PID; return 0; }
	fail "$name: pxe-tftpd does not serve the image (exit ${UP_ST:-none}): $(head -c 300 "$TLOG")"
	return 1
}

urlenc() { # a path as a URL path: bytes outside [A-Za-z0-9._~/-] as %XX
	local LC_ALL=C s=$1 out='' c i
	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[a-zA-Z0-9._~/-]) out+=$c ;;
		*) printf -v c '%%%02X' "'$c" && out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

H=$W/h B=$W/b
declare -A HD
# cu PATH [curl args]: CODE, the headers in HD (lower-case names) and $H,
# the body in $B (PATH not encoded). Parsed in bash: the machine is shared
# and every process counts.
cu() {
	local p=$1 k v
	shift
	rm -f "$H" "$B"
	: >"$B"
	CODE=$(curl -s --path-as-is --max-time 20 -D "$H" -o "$B" -w '%{http_code}' "$@" "http://127.0.0.1:$HP/$p")
	HD=()
	while IFS=: read -r k v; do
		[ -n "$v" ] || continue
		v=${v%$'\r'}
		HD[${k,,}]=${v# }
	done <"$H"
}
hdr() { printf '%s' "${HD[${1,,}]:-}"; }
slice() { tail -c +$(($2 + 1)) "$1" | head -c "$3"; } # FILE OFF LEN
# verdict NAME WHAT N BAD...: one line for a check run over N files
verdict() {
	local name=$1 what=$2 n=$3
	shift 3
	if [ $# -eq 0 ]; then
		pass "$name: $what ($n files)"
	else
		fail "$name: $what: $# of $n wrong: $(printf '%s; ' "${@:1:4}")"
	fi
}

# tftp_get CLIENT PORT PATH OUT: one download (no result: compare OUT)
tftp_get() {
	local c=$1 port=$2 p=$3 out=$4
	rm -f "$out"
	case $c in
	curl) timeout 30 curl -s --max-time 25 -o "$out" "tftp://127.0.0.1:$port/$(urlenc "$p")" ;;
	hpa) timeout 30 tftp -m binary 127.0.0.1 "$port" -c get "$p" "$out" ;;
	atftp) timeout 30 atftp --option "windowsize 8" --option "blksize 1468" -g -r "$p" -l "$out" 127.0.0.1 "$port" ;;
	esac >/dev/null 2>&1
}

# ---------------------------------------------------------------- batch clients
# The machine is shared and a process costs tens of milliseconds there, so
# the per-file requests go out in batches: one curl for many URLs (--next),
# one Python process for all the tsize probes.

# mget: GET every MP[i] (URL path, encoded) with the Range MR[i] (or none)
# from pxe-httpd, in one curl; the bodies in $W/m.I, and MOUT[i]:
# "CODE<TAB>Content-Length<TAB>Last-Modified<TAB>ETag" (CODE 000: no answer).
mget() {
	local i args=() w=$'%{http_code}\t%header{content-length}\t%header{last-modified}\t%header{etag}\n'
	rm -f "$W"/m.*
	for i in "${!MP[@]}"; do
		[ "$i" -gt 0 ] && args+=(--next)
		args+=(-s --path-as-is --max-time 20 -o "$W/m.$i" -w "$w")
		[ -n "${MR[i]:-}" ] && args+=(-H "Range: bytes=${MR[i]}")
		args+=("http://127.0.0.1:$HP/${MP[i]}")
	done
	mapfile -t MOUT < <(timeout 300 curl "${args[@]}")
}

# tget PORT OUTPREFIX NAME...: curl's TFTP client over every NAME in one
# process; the data in OUTPREFIX.I
tget() {
	local port=$1 pre=$2 i=0 n args=()
	shift 2
	rm -f "$pre".*
	for n; do
		[ $i -gt 0 ] && args+=(--next)
		args+=(-s --max-time 20 -o "$pre.$i" "tftp://127.0.0.1:$port/$(urlenc "$n")")
		i=$((i + 1))
	done
	timeout 300 curl "${args[@]}" >/dev/null 2>&1
}

cat >"$W/tsize.py" <<'EOF'
# tsize.py PORT NAME...: per NAME one line: the OACK's tsize, or
# "error=CODE MESSAGE", or "timeout"; each transfer is then declined
# (ERROR 8, RFC 2347) so no data flows.
import socket, struct, sys
port = int(sys.argv[1])
for name in sys.argv[2:]:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(5)
    s.sendto(b'\0\1' + name.encode() + b'\0octet\0tsize\0000\0blksize\0001468\0', ('127.0.0.1', port))
    try:
        b, a = s.recvfrom(70000)
    except socket.timeout:
        print('timeout'); continue
    op = struct.unpack('!H', b[:2])[0]
    if op == 6:
        p = b[2:].split(b'\0')
        o = {p[i].decode().lower(): p[i + 1].decode() for i in range(0, len(p) - 1, 2)}
        print(o.get('tsize', 'no-tsize'))
        s.sendto(b'\0\5\0\10declined\0', a)
    elif op == 5:
        print('error=%d %s' % (struct.unpack('!H', b[2:4])[0], b[4:].split(b'\0')[0].decode(errors='replace')))
    else:
        print('op=%d' % op)
        s.sendto(b'\0\5\0\10declined\0', a)
    s.close()
EOF

# ---------------------------------------------------------------- one image
# serve NAME ISO VIEW: every file of xorriso's extraction over HTTP and
# TFTP, the symlinks, zisofs files, the validators, the image itself.
serve() {
	local name=$1 iso=$2 view=$3 x=$W/$1.x
	if ! iso_extract "$iso" "$x" "$view"; then
		fail "$name: xorriso cannot extract the image (oracle)"
		return
	fi
	# files (not zisofs) with their size and mtime; zisofs-compressed files
	# (xorriso puts a decoding filter on them) apart
	local -a files=() fsize=() fmtime=() zf=()
	local p s t
	while IFS= read -r p; do zf+=("$p"); done < <(xorriso -indev "$iso" -find / -has_filter -exec lsdl -- 2>/dev/null |
		sed -n "s|.* '/\(.*\)'$|\1|p")
	while IFS= read -r -d '' p && IFS= read -r -d '' s && IFS= read -r -d '' t; do
		is_zf "$p" && continue
		files+=("$p") fsize+=("$s") fmtime+=("${t%.*}")
	done < <(cd "$x" && find . -type f -printf '%P\0%s\0%T@\0')
	local hup=0 tup=0
	httpd_up "$name" "$iso" && hup=1
	tftpd_up "$name" "$iso" && tup=1
	[ $hup = 1 ] && serve_http "$name" "$iso" "$view" "$x"
	[ $tup = 1 ] && serve_tftp "$name" "$view" "$x"
	[ "$view" = rockridge ] && [ -L "$x/vmlinuz" ] && serve_links "$name" "$x" $hup $tup
	[ ${#zf[@]} -gt 0 ] && serve_zisofs "$name" "$x" $hup $tup
	[ $hup = 1 ] && { kill -0 "$HPID" 2>/dev/null || fail "$name: pxe-httpd died: $(tail -c 300 "$HLOG")"; }
	[ $tup = 1 ] && { kill -0 "$TPID" 2>/dev/null || fail "$name: pxe-tftpd died: $(tail -c 300 "$TLOG")"; }
	[ $hup = 1 ] && stop_pid "$HPID"
	[ $tup = 1 ] && stop_pid "$TPID"
	# the start line names the name set (pxe_root_describe)
	local l logs=()
	[ $hup = 1 ] && logs+=("$HLOG")
	[ $tup = 1 ] && logs+=("$TLOG")
	for l in "${logs[@]}"; do
		grep -q "event=start .*$view names" "$l" || fail "$name: the start line does not say '$view names': $(grep -m1 event=start "$l")"
	done
	rm -rf "$x"
}

# The path a client asks for: the extracted name; under plain ISO 9660
# names in lower case (the daemons match those case-insensitively, as a
# boot loader asking for "isolinux/isolinux.bin" needs).
req_path() { if [ "$2" = iso9660 ]; then printf '%s' "${1,,}"; else printf '%s' "$1"; fi; }
is_zf() { local z; for z in "${zf[@]}"; do [ "$z" = "$1" ] && return 0; done; return 1; }

# serve_http NAME ISO VIEW X: each file whole (bytes, Content-Length,
# Last-Modified = the extracted mtime as an IMF-fixdate) and a Range in its
# middle; validators on the biggest; the image itself at /<basename>
serve_http() {
	local name=$1 iso=$2 view=$3 x=$4 i j n=${#files[@]} p f size a b lm code len big=-1
	local -a bad=() rbad=() ranged=()
	MP=() MR=()
	for i in "${!files[@]}"; do
		MP+=("$(urlenc "$(req_path "${files[i]}" "$view")")") MR+=("")
	done
	for i in "${!files[@]}"; do # a Range in the middle of each non-empty file
		size=${fsize[i]}
		[ "$size" -gt 0 ] || continue
		a=$((size / 3)) b=$((2 * size / 3))
		MP+=("${MP[i]}") MR+=("$a-$b") ranged+=("$i")
	done
	mget
	for i in "${!files[@]}"; do
		p=${files[i]} f=$x/${files[i]} size=${fsize[i]}
		IFS=$'\t' read -r code len lm _ <<<"${MOUT[i]:-000}"
		TZ=UTC0 printf -v want '%(%a, %d %b %Y %H:%M:%S GMT)T' "${fmtime[i]}"
		if [ "$code" != 200 ] || ! cmp -s "$W/m.$i" "$f"; then
			bad+=("$p: $code, $(stat -c %s "$W/m.$i" 2>/dev/null || echo no) bytes")
		elif [ "$len" != "$size" ]; then
			bad+=("$p: Content-Length '$len', not $size")
		elif [ "$lm" != "$want" ]; then
			bad+=("$p: Last-Modified '$lm', the extracted mtime is '$want'")
		elif [ "$size" -gt "$big" ]; then
			big=$size bigi=$i
		fi
	done
	for j in "${!ranged[@]}"; do
		i=${ranged[j]} p=${files[i]} size=${fsize[i]} n=$((${#files[@]} + j))
		a=$((size / 3)) b=$((2 * size / 3))
		IFS=$'\t' read -r code len _ <<<"${MOUT[n]:-000}"
		[ "$code" = 206 ] && [ "$(stat -c %s "$W/m.$n")" = $((b - a + 1)) ] &&
			cmp -s -i "0:$a" -n $((b - a + 1)) "$W/m.$n" "$x/$p" ||
			rbad+=("$p bytes=$a-$b: $code, $(stat -c %s "$W/m.$n" 2>/dev/null || echo no) bytes")
	done
	verdict "$name" "HTTP GET byte-identical, Content-Length, Last-Modified = extracted mtime" ${#files[@]} "${bad[@]}"
	verdict "$name" "HTTP Range in the middle of each file (206, bytes)" ${#ranged[@]} "${rbad[@]}"

	# validators on the biggest file
	if [ "$big" -lt 0 ]; then
		fail "$name: validators: no file was served"
	else
		local u=${MP[bigi]} bf=$x/${files[bigi]} etag lmod c
		cu "$u"
		etag=$(hdr ETag) lmod=$(hdr Last-Modified)
		if [[ $etag != \"*\" ]]; then
			fail "$name: strong ETag on ${files[bigi]}: '$etag'"
		else
			cu "$u" -H 'Range: bytes=100-199' -H "If-Range: $etag"
			a="$CODE $(stat -c %s "$B")"
			cmp -s -i 0:100 -n 100 "$B" "$bf" || a+=" wrong bytes"
			cu "$u" -H 'Range: bytes=100-199' -H 'If-Range: "not-this-one"'
			b="$CODE $(stat -c %s "$B")"
			cu "$u" -H "If-None-Match: $etag"
			c=$CODE
			cu "$u" -H "If-Modified-Since: $lmod"
			[ "$a|$b|$c|$CODE" = "206 100|200 $big|304|304" ] &&
				pass "$name: ETag $etag: If-Range 206, stale If-Range 200 whole, If-None-Match 304, If-Modified-Since 304" ||
				fail "$name: validators on ${files[bigi]}: If-Range '$a' (want 206 100), stale If-Range '$b' (want 200 $big), If-None-Match $c, If-Modified-Since $CODE (want 304)"
		fi
	fi

	# the image itself at /<basename>
	local base isize
	base=$(basename "$iso") isize=$(stat -c %s "$iso")
	MP=("$base" "$base") MR=("" 32768-40959) # sectors 16-19: the descriptors
	mget
	a=${MOUT[0]%%$'\t'*} b=${MOUT[1]%%$'\t'*}
	cmp -s "$W/m.0" "$iso" || a+=" differs ($(stat -c %s "$W/m.0" 2>/dev/null || echo no) bytes)"
	[ "$(stat -c %s "$W/m.1")" = 8192 ] && cmp -s -i 0:32768 -n 8192 "$W/m.1" "$iso" || b+=" differs"
	[ "$a|$b" = "200|206" ] && pass "$name: the image itself at /$base, whole ($isize bytes) and a Range" ||
		fail "$name: /$base: whole '$a', Range '$b' (want 200, 206, the image's bytes)"
}

# serve_tftp NAME VIEW X: each file with curl, tftp-hpa and atftp
# (windowsize 8, blksize 1468), and its tsize
serve_tftp() {
	local name=$1 view=$2 x=$3 c i p out=$W/t.out
	local -a bad=() names=() idx=()
	# curl (one process for all): it gives up on an empty file's OACK
	# ("invalid tsize 0"), so those are left to the others
	for i in "${!files[@]}"; do
		[ "${fsize[i]}" -gt 0 ] && names+=("$(req_path "${files[i]}" "$view")") idx+=("$i")
	done
	tget "$TP" "$W/tc" "${names[@]}"
	for c in "${!idx[@]}"; do
		p=${files[idx[c]]}
		cmp -s "$W/tc.$c" "$x/$p" || bad+=("$p: $(stat -c %s "$W/tc.$c" 2>/dev/null || echo no) bytes")
	done
	verdict "$name" "TFTP curl byte-identical" ${#idx[@]} "${bad[@]}"
	# tftp-hpa and atftp ask for the names as extracted
	for c in hpa atftp; do
		[ $c = hpa ] && [ $HAVE_HPA = 0 ] && continue
		[ $c = atftp ] && [ $HAVE_ATFTP = 0 ] && continue
		bad=()
		for p in "${files[@]}"; do
			tftp_get $c "$TP" "$p" "$out"
			cmp -s "$out" "$x/$p" || bad+=("$p: $(stat -c %s "$out" 2>/dev/null || echo no) bytes")
		done
		case $c in
		hpa) verdict "$name" "TFTP tftp-hpa (-m binary) byte-identical" ${#files[@]} "${bad[@]}" ;;
		atftp) verdict "$name" "TFTP atftp windowsize 8 blksize 1468 byte-identical" ${#files[@]} "${bad[@]}" ;;
		esac
	done
	names=() bad=()
	for p in "${files[@]}"; do names+=("$(req_path "$p" "$view")"); done
	local -a ts=()
	mapfile -t ts < <(timeout 120 "$PY" "$W/tsize.py" "$TP" "${names[@]}")
	for i in "${!files[@]}"; do
		[ "${ts[i]:-}" = "${fsize[i]}" ] || bad+=("${files[i]}: '${ts[i]:-}', size ${fsize[i]}")
	done
	verdict "$name" "TFTP tsize in the OACK = the size" ${#files[@]} "${bad[@]}"
}

# serve_links NAME X HTTP_UP TFTP_UP: the Rock Ridge symlinks of the tree
serve_links() {
	local name=$1 x=$2 hup=$3 tup=$4 l want out=$W/l.out
	local -a bad=()
	# link -> the file it must give
	local -a ok=(vmlinuz arch/boot/x86_64/vmlinuz-linux
		absboot/x86_64/vmlinuz-linux arch/boot/x86_64/vmlinuz-linux
		arch/cur/airootfs.sfs arch/x86_64/airootfs.sfs
		hostpasswd etc/passwd)
	local i
	for ((i = 0; i < ${#ok[@]}; i += 2)); do
		l=${ok[i]} want=$x/${ok[i + 1]}
		if [ "$hup" = 1 ]; then
			cu "$(urlenc "$l")"
			[ "$CODE" = 200 ] && cmp -s "$B" "$want" || bad+=("HTTP $l: $CODE $(head -c 40 "$B")")
		fi
		if [ "$tup" = 1 ]; then
			tftp_get curl "$TP" "$l" "$out"
			cmp -s "$out" "$want" || bad+=("TFTP $l: $(head -c 40 "$out" 2>/dev/null)")
		fi
	done
	[ ${#bad[@]} = 0 ] && pass "$name: symlinks resolve inside the image (relative, absolute from the image root, mid-path; /etc/passwd gives the image's)" ||
		fail "$name: symlinks: ${bad[*]:0:4}"
	# links that must give nothing: out of the image, a loop, dangling.
	# arch/escape -> ../../../etc/passwd climbs above the root: refused,
	# or at most clamped to the image's etc/passwd; never the host's.
	bad=()
	for l in arch/escape loop1 dangling; do
		if [ "$hup" = 1 ]; then
			cu "$l"
			if [ "$CODE" = 200 ]; then
				[ "$l" = arch/escape ] && cmp -s "$B" "$x/etc/passwd" || bad+=("HTTP $l: 200 '$(head -c 40 "$B")'")
			elif [[ $CODE != 4[0-9][0-9] ]]; then
				bad+=("HTTP $l: $CODE")
			fi
			grep -qF -- "$HOST_PASSWD" "$B" && bad+=("HTTP $l: THE HOST'S /etc/passwd")
		fi
		if [ "$tup" = 1 ]; then
			out=$(tpy get 127.0.0.1 "$TP" "$l" octet "$W/l.out")
			if [[ $out == ok=1* ]]; then
				[ "$l" = arch/escape ] && cmp -s "$W/l.out" "$x/etc/passwd" || bad+=("TFTP $l: served '$(head -c 40 "$W/l.out")'")
				grep -qF -- "$HOST_PASSWD" "$W/l.out" && bad+=("TFTP $l: THE HOST'S /etc/passwd")
			elif [[ $out != error=* ]]; then
				bad+=("TFTP $l: '$out'")
			fi
		fi
	done
	[ ${#bad[@]} = 0 ] && pass "$name: symlinks out of the image, in a loop, dangling: refused, no host file" ||
		fail "$name: bad symlinks served: ${bad[*]:0:4}"
}

# serve_zisofs NAME X HTTP_UP TFTP_UP: compressed files are refused
# (TFTP error 2 "Access violation" naming zisofs, HTTP 403/501) or served
# decompressed; never the raw compressed bytes.
serve_zisofs() {
	local name=$1 x=$2 hup=$3 tup=$4 p out how=
	local -a bad=()
	for p in "${zf[@]}"; do
		if [ "$hup" = 1 ]; then
			cu "$(urlenc "$p")"
			case $CODE in
			200) cmp -s "$B" "$x/$p" && how+=" HTTP-decompressed" || bad+=("HTTP $p: 200 with $(stat -c %s "$B") other bytes") ;;
			403 | 501) how+=" HTTP-$CODE" ;;
			*) bad+=("HTTP $p: $CODE") ;;
			esac
		fi
		if [ "$tup" = 1 ]; then
			out=$(tpy get 127.0.0.1 "$TP" "$p" octet "$W/z.out")
			if [[ $out == ok=1* ]]; then
				cmp -s "$W/z.out" "$x/$p" && how+=" TFTP-decompressed" || bad+=("TFTP $p: $(stat -c %s "$W/z.out") other bytes")
			elif [[ $out == error=2\ * ]] && grep -qi zisofs <<<"$out"; then
				how+=" TFTP-refused"
			else
				bad+=("TFTP $p: '$out' (want error=2 naming zisofs)")
			fi
		fi
	done
	how=$(tr ' ' '\n' <<<"$how" | sort -u | tr '\n' ' ')
	[ ${#bad[@]} = 0 ] && pass "$name: ${#zf[@]} zisofs files never served raw:$how" ||
		fail "$name: zisofs: ${bad[*]:0:4}"
}

# refused NAME ISO PATTERN: neither daemon starts; each exits non-zero
# (no signal) with a message matching PATTERN
refused() {
	local name=$1 iso=$2 pat=$3 d port log st
	for d in httpd tftpd; do
		log=$W/$name.$d.refused.log
		if [ $d = httpd ]; then
			port=$(free_port tcp)
			up "$log" tcp "$port" "$HTTPD" "$iso" --addr 127.0.0.1 --port "$port"
		else
			port=$(free_port udp)
			up "$log" udp "$port" "$TFTPD" --listen "127.0.0.1:$port" "$iso"
		fi
		st=$?
		if [ $st = 1 ] && [ "$UP_ST" -gt 0 ] && [ "$UP_ST" -lt 128 ] && grep -qiE "$pat" "$log"; then
			pass "$name: pxe-$d refuses to start (exit $UP_ST: $(head -c 160 "$log" | tr '\n' ' '))"
		elif [ $st = 1 ]; then
			fail "$name: pxe-$d exit $UP_ST, want non-zero with a message matching '$pat': $(head -c 300 "$log")"
		else
			fail "$name: pxe-$d started on it (want a refusal matching '$pat')"
			stop_pid "$UP_PID"
		fi
	done
}

# ---------------------------------------------------------------- images
t0=$SECONDS
for kind in ${ISO_KINDS:-rrj joliet plain arch deep zisofs mkzftree udf-bridge}; do
	if ! why=$(iso_make $kind "$W/$kind.iso" "$S"); then
		[ -n "$why" ] && skip "$kind: $why" || fail "$kind: could not make the image"
		continue
	fi
	case $kind in
	arch)
		mbr=$(iso_hybrid_mbr) && pass "arch: isohybrid MBR from $mbr" ||
			skip "arch: isohybrid MBR: needs isolinux (isohdpfx.bin)"
		[ "$(iso_sector_id "$W/arch.iso" 32)" = CD001 ] && pass "arch: a second descriptor set at sector 32 (-partition_offset 16)" ||
			fail "arch: no second descriptor set at sector 32"
		;;
	esac
	serve "$kind" "$W/$kind.iso" "$(iso_view $kind)"
done
echo "# images served in $((SECONDS - t0)) s"

# --no-image-file: /<basename>.iso is 404, the files are still there
if httpd_up noimage "$W/rrj.iso" --no-image-file; then
	cu rrj.iso
	a=$CODE
	cu vmlinuz
	[ "$a|$CODE" = "404|200" ] && pass "--no-image-file: /rrj.iso 404, files still served" ||
		fail "--no-image-file: /rrj.iso $a (want 404), /vmlinuz $CODE (want 200)"
	stop_pid "$HPID"
fi

# ---------------------------------------------------------------- corrupt
t0=$SECONDS
if iso_make udf-only "$W/udf-only.iso" "$S" >/dev/null; then
	refused udf-only "$W/udf-only.iso" 'UDF'
else
	skip "udf-only: needs genisoimage (-udf bridge, ISO 9660 descriptors blanked)"
fi
size=$(stat -c %s "$W/rrj.iso")
for cut in 30000 40000 $((size / 2)) $((size - 4096)); do
	head -c "$cut" "$W/rrj.iso" >"$W/trunc-$cut.iso"
	# (30000: not even sector 16 is there, so no image at all)
	refused "truncated at $cut of $size bytes" "$W/trunc-$cut.iso" \
		'truncated|not an ISO 9660 image|or an ISO 9660 image|past the end|outside the image'
	rm -f "$W/trunc-$cut.iso"
done
: >"$W/empty.iso"
refused "empty file" "$W/empty.iso" 'ISO 9660'
head -c 1000000 /dev/urandom >"$W/random.iso"
refused "random bytes" "$W/random.iso" 'ISO 9660'

# Bit flips in the metadata (sector 16 up to the first file's data) of a
# Rock Ridge image without Joliet (a second tree would take half the flips
# and be read by nobody), nine in ten on a non-zero byte (most of those
# sectors are padding): either refused at start (non-zero, a message, no
# signal), or served with every answer an error, the intact bytes, or the
# bytes xorriso reads from the flipped image; the daemon survives.
iso_make level3 "$W/fbase.iso" "$S"
first=$(xorriso -indev "$W/fbase.iso" -find / -exec report_lba -- 2>/dev/null |
	sed -n 's/^File data lba: *[0-9]* *, *\([0-9]*\) *,.*/\1/p' | sort -n | head -1)
rm -rf "$W/fbase.x" && iso_extract "$W/fbase.iso" "$W/fbase.x" rockridge
mapfile -d '' -t orig_files < <(cd "$W/fbase.x" && find . -type f -printf '%P\0' | sort -z)
NFLIP=${NFLIP:-12}
"$PY" - "$W/fbase.iso" "$first" "$NFLIP" <<'EOF'
import random, sys
src, first, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
orig = open(src, 'rb').read()
used = [i for i in range(16 * 2048, first * 2048) if orig[i]]
for i in range(n):
    r = random.Random(1000 + i)
    data = bytearray(orig)
    for _ in range(r.randint(1, 4)):
        pos = r.choice(used) if r.random() < 0.9 else r.randrange(16 * 2048, first * 2048)
        data[pos] ^= 1 << r.randrange(8)
    open('%s.flip%d' % (src, i), 'wb').write(data)
EOF
cat >"$W/inimage.py" <<'EOF'
# inimage.py IMAGE FILE: 0 when FILE's bytes are the image's bytes from
# some 2048-byte block on (so an answer from a corrupt image is data of
# that image, not memory or a host file)
import sys
img, data = open(sys.argv[1], 'rb').read(), open(sys.argv[2], 'rb').read()
sys.exit(0 if any(img[o:o + len(data)] == data for o in range(0, len(img), 2048)) else 1)
EOF
nref=0 nserved=0 nreq=0 nerr=0 nsame=0 nother=0 nblock=0
flipbad=()
for ((i = 0; i < NFLIP; i++)); do
	img=$W/fbase.iso.flip$i fx=$W/flip.x
	iso_extract "$img" "$fx" rockridge 10 || true # xorriso loops on some
	outcome=
	for d in httpd tftpd; do
		if [ $d = httpd ]; then
			port=$(free_port tcp)
			up "$W/flip.$d.log" tcp "$port" "$HTTPD" "$img" --addr 127.0.0.1 --port "$port"
		else
			port=$(free_port udp)
			up "$W/flip.$d.log" udp "$port" "$TFTPD" --listen "127.0.0.1:$port" "$img"
		fi
		st=$?
		outcome+=" $st"
		if [ $st = 1 ]; then
			if [ "$UP_ST" -gt 0 ] && [ "$UP_ST" -lt 128 ] && [ -s "$W/flip.$d.log" ]; then
				nref=$((nref + 1))
			else
				flipbad+=("flip$i $d: exit $UP_ST $(head -c 100 "$W/flip.$d.log")")
				cp "$img" "/tmp/iso-serve-crash-flip$i.iso"
			fi
			continue
		elif [ $st = 2 ]; then
			flipbad+=("flip$i $d: neither listening nor exited after 10 s")
			stop_pid "$UP_PID"
			continue
		fi
		nserved=$((nserved + 1)) nreq=$((nreq + ${#orig_files[@]}))
		if [ $d = httpd ]; then
			HP=$port MP=() MR=()
			for p in "${orig_files[@]}"; do MP+=("$(urlenc "$p")") MR+=(""); done
			mget
		else
			# tsize probes first: a request nobody answers shows as "timeout"
			mapfile -t ts < <(timeout 120 "$PY" "$W/tsize.py" "$port" "${orig_files[@]}")
			for j in "${!orig_files[@]}"; do
				[ "${ts[j]:-timeout}" = timeout ] && flipbad+=("flip$i $d ${orig_files[j]}: no answer")
			done
			tget "$port" "$W/m" "${orig_files[@]}"
		fi
		for j in "${!orig_files[@]}"; do
			p=${orig_files[j]}
			if [ $d = httpd ]; then
				code=${MOUT[j]%%$'\t'*}
				[ "$code" = 000 ] && flipbad+=("flip$i $d $p: no answer")
				[ "$code" = 200 ] || { nerr=$((nerr + 1)) && continue; }
			else
				# an error (or nothing: curl gives up after 20 s)
				[ -e "$W/m.$j" ] || { nerr=$((nerr + 1)) && continue; }
			fi
			if cmp -s "$W/m.$j" "$W/fbase.x/$p"; then
				nsame=$((nsame + 1))
			elif cmp -s "$W/m.$j" "$fx/$p" 2>/dev/null; then
				nother=$((nother + 1))
			elif "$PY" "$W/inimage.py" "$img" "$W/m.$j"; then
				# xorriso gave up on the image (or the file): the answer
				# must at least be bytes of the image from a block start
				nblock=$((nblock + 1))
			else
				flipbad+=("flip$i $d $p: $(stat -c %s "$W/m.$j") bytes, neither the intact file, nor xorriso's, nor the image's from any block")
			fi
		done
		kill -0 "$UP_PID" 2>/dev/null || { flipbad+=("flip$i $d: died"); cp "$img" "/tmp/iso-serve-crash-flip$i.iso"; }
		stop_pid "$UP_PID"
	done
	# both daemons open the image through the same code: same verdict
	[ "$outcome" = " 0 0" ] || [ "$outcome" = " 1 1" ] ||
		flipbad+=("flip$i: pxe-httpd and pxe-tftpd disagree (started: 0, refused: 1):$outcome")
	rm -rf "$img" "$fx"
done
[ ${#flipbad[@]} = 0 ] &&
	pass "bit-flipped images: $NFLIP images x 2 daemons: $nref refused at start, $nserved served; of $nreq requests $nerr errors, $nsame intact, $nother the flipped image's bytes as xorriso reads them, $nblock image bytes xorriso would not read; no crash, no hang" ||
	fail "bit-flipped images: ${flipbad[*]:0:4}"
echo "# corrupt images in $((SECONDS - t0)) s"

# ---------------------------------------------------------------- SIGHUP
# An 8 MB file read slowly over HTTP and TFTP (slow.py: curl 7.88's
# --limit-rate let the whole file through at once here) while the image is replaced by mv and
# the daemons get SIGHUP: the old transfers finish with the old bytes, new
# requests get the new ones.
t0=$SECONDS
cat >"$W/slow.py" <<'EOF'
# slow.py http|tftp PORT NAME OUT: read NAME slowly (~3 MB/s), writing OUT
# as the bytes come. HTTP: a small receive buffer and 32 KiB every 10 ms,
# so pxe-httpd must go on reading the file while we wait. TFTP: lock-step
# with blksize 16384 and 4 ms before each ACK.
import socket, struct, sys, time
mode, port, name, out = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
f = open(out, 'wb')
if mode == 'http':
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 32768)
    s.settimeout(10)
    s.connect(('127.0.0.1', port))
    s.sendall(b'GET /' + name.encode() + b' HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    buf = b''
    while b'\r\n\r\n' not in buf:
        buf += s.recv(4096)
    head, body = buf.split(b'\r\n\r\n', 1)
    f.write(body)
    while True:
        b = s.recv(32768)
        if not b:
            break
        f.write(b); f.flush()
        time.sleep(0.01)
    sys.exit(0)
blk = 16384
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.sendto(b'\0\1' + name.encode() + b'\0octet\0blksize\0' + str(blk).encode() + b'\0', ('127.0.0.1', port))
expect = 1
while True:
    b, a = s.recvfrom(70000)
    op = struct.unpack('!H', b[:2])[0]
    if op == 6:
        s.sendto(struct.pack('!HH', 4, 0), a)
        continue
    if op == 5:
        sys.exit('error: %r' % b[4:])
    n = struct.unpack('!H', b[2:4])[0]
    if n == expect & 0xffff:
        f.write(b[4:]); f.flush()
        expect += 1
        time.sleep(0.004)
    s.sendto(struct.pack('!HH', 4, (expect - 1) & 0xffff), a)
    if n == (expect - 1) & 0xffff and len(b) - 4 < blk:
        break
EOF
mkdir -p "$W/hup1" "$W/hup2" "$W/hup"
head -c 8000000 /dev/urandom >"$W/hup1/big.bin"
head -c 8000000 /dev/urandom >"$W/hup2/big.bin"
echo one >"$W/hup1/version.txt"
echo two >"$W/hup2/version.txt"
iso_make rrj "$W/hup1.iso" "$W/hup1" && iso_make rrj "$W/hup2.iso" "$W/hup2"
cp "$W/hup1.iso" "$W/hup/image.iso"
if httpd_up hup "$W/hup/image.iso" && tftpd_up hup "$W/hup/image.iso"; then
	cu big.bin
	old_etag=$(hdr ETag)
	timeout 30 "$PY" "$W/slow.py" http "$HP" big.bin "$W/hup.http.old" &
	cpid=$!
	T_PIDS+=("$cpid")
	timeout 30 "$PY" "$W/slow.py" tftp "$TP" big.bin "$W/hup.tftp.old" &
	tpid=$!
	T_PIDS+=("$tpid")
	started() { [ "$(stat -c %s "$W/hup.http.old" 2>/dev/null || echo 0)" -gt 300000 ] &&
		[ "$(stat -c %s "$W/hup.tftp.old" 2>/dev/null || echo 0)" -gt 300000 ]; }
	wait_for 10 started || fail "SIGHUP: the slow downloads did not start"
	cp "$W/hup2.iso" "$W/hup/image.iso.new" && mv "$W/hup/image.iso.new" "$W/hup/image.iso"
	kill -HUP "$HPID" "$TPID"
	for p in "$cpid HTTP hup.http.old" "$tpid TFTP hup.tftp.old"; do
		read -r a b c <<<"$p"
		kill -0 "$a" 2>/dev/null ||
			fail "SIGHUP: the slow $b download had ended before the swap ($(stat -c %s "$W/$c") bytes): its old-bytes check proves nothing"
	done
	http_new() { cu version.txt && [ "$CODE" = 200 ] && [ "$(cat "$B")" = two ]; }
	tftp_new() { tftp_get curl "$TP" version.txt "$W/v.out" && [ "$(cat "$W/v.out")" = two ]; }
	wait_for 10 http_new && pass "SIGHUP: pxe-httpd serves the new image" ||
		fail "SIGHUP: pxe-httpd: version.txt '$(cat "$B")' ($CODE), want two: $(tail -c 300 "$HLOG")"
	wait_for 10 tftp_new && pass "SIGHUP: pxe-tftpd serves the new image" ||
		fail "SIGHUP: pxe-tftpd: version.txt '$(cat "$W/v.out" 2>/dev/null)', want two: $(tail -c 300 "$TLOG")"
	cu big.bin
	check "SIGHUP: a new HTTP request gets the new big.bin" cmp -s "$B" "$W/hup2/big.bin"
	cu big.bin -H 'Range: bytes=0-99' -H "If-Range: $old_etag"
	[ "$CODE" = 200 ] && cmp -s "$B" "$W/hup2/big.bin" && pass "SIGHUP: the old ETag no longer matches (If-Range: 200, new bytes)" ||
		fail "SIGHUP: If-Range with the old ETag $old_etag: $CODE (want 200 and the new file)"
	tftp_get curl "$TP" big.bin "$W/t.out"
	check "SIGHUP: a new TFTP request gets the new big.bin" cmp -s "$W/t.out" "$W/hup2/big.bin"
	cu image.iso
	check "SIGHUP: /image.iso is the new image" cmp -s "$B" "$W/hup2.iso"
	wait $cpid
	check "SIGHUP: the HTTP download started before finished with the OLD bytes" cmp -s "$W/hup.http.old" "$W/hup1/big.bin"
	wait $tpid
	check "SIGHUP: the TFTP download started before finished with the OLD bytes" cmp -s "$W/hup.tftp.old" "$W/hup1/big.bin"
	# a broken replacement: logged, the image in force stays
	head -c 100000 "$W/hup1.iso" >"$W/hup/image.iso.new" && mv "$W/hup/image.iso.new" "$W/hup/image.iso"
	kill -HUP "$HPID" "$TPID"
	sleep 0.5
	cu version.txt
	a="$CODE $(cat "$B")"
	tftp_get curl "$TP" version.txt "$W/v.out"
	b=$(cat "$W/v.out" 2>/dev/null)
	[ "$a|$b" = "200 two|two" ] && kill -0 "$HPID" && kill -0 "$TPID" &&
		pass "SIGHUP with a truncated new image: both keep serving the old one" ||
		fail "SIGHUP with a truncated new image: HTTP '$a', TFTP '$b' (want the old 'two', both alive)"
	stop_pid "$HPID"
	stop_pid "$TPID"
fi
echo "# SIGHUP in $((SECONDS - t0)) s"

# ---------------------------------------------------------------- SLOW=1
if [ "${SLOW:-}" = 1 ]; then
	# one file above 4 GiB: xorriso writes sections of 0xFFFFF800 bytes;
	# Ranges across that boundary and at the end, tsize
	t0=$SECONDS
	mkdir -p "$W/big"
	truncate -s 4700000000 "$W/big/huge.bin"
	edge=4294965248
	head -c 65536 /dev/urandom | dd of="$W/big/huge.bin" bs=1 seek=$((edge - 32768)) conv=notrunc 2>/dev/null
	head -c 4096 /dev/urandom | dd of="$W/big/huge.bin" bs=1 seek=$((4700000000 - 4096)) conv=notrunc 2>/dev/null
	iso_make level3 "$W/big.iso" "$W/big"
	# report_lba: "File data lba: EXTENT, LBA, BLOCKS, FILESIZE, PATH"
	out=$(xorriso -indev "$W/big.iso" -find /huge.bin -exec report_lba -- 2>/dev/null | grep "^File data lba:")
	[[ $out == *"0 , "*" , "*" $((edge / 2048)) , "*$'\n'*"1 , "* ]] &&
		pass "big: xorriso wrote huge.bin in sections, the first of $edge bytes" ||
		fail "big: not the sections expected (first $((edge / 2048)) blocks): $out"
	if httpd_up big "$W/big.iso" && tftpd_up big "$W/big.iso"; then
		bad=()
		for r in "$((edge - 32768))-$((edge + 32767))" "$((edge - 1))-$edge" "$((4700000000 - 5000))-4699999999"; do
			cu huge.bin -H "Range: bytes=$r"
			a=${r%-*} b=${r#*-}
			[ "$CODE" = 206 ] && cmp -s "$B" <(slice "$W/big/huge.bin" "$a" $((b - a + 1))) || bad+=("$r: $CODE")
		done
		cu huge.bin -I
		[ "$(hdr Content-Length)" = 4700000000 ] || bad+=("Content-Length $(hdr Content-Length)")
		verdict big "HTTP Ranges across the section boundary of a 4700000000-byte file" 1 "${bad[@]}"
		r=$(tpy oack 127.0.0.1 "$TP" huge.bin tsize=0)
		[[ $r == *oack_tsize=4700000000* ]] && pass "big: TFTP tsize 4700000000" || fail "big: TFTP tsize: '$r'"
		stop_pid "$HPID"
		stop_pid "$TPID"
	fi
	rm -rf "$W/big" "$W/big.iso"
	echo "# big in $((SECONDS - t0)) s"

	# 20,000 files: both daemons start within seconds and find a few
	t0=$SECONDS
	"$PY" - "$W/many" <<'EOF'
import os, sys
for d in range(100):
    p = os.path.join(sys.argv[1], 'd%02d' % d)
    os.makedirs(p)
    for f in range(200):
        open(os.path.join(p, 'file-%05d.img' % f), 'w').write('%d/%d\n' % (d, f))
EOF
	iso_make rrj "$W/many.iso" "$W/many"
	if httpd_up many "$W/many.iso" && tftpd_up many "$W/many.iso"; then
		bad=()
		for p in d00/file-00000.img d57/file-00123.img d99/file-00199.img; do
			cu "$p"
			cmp -s "$B" "$W/many/$p" || bad+=("HTTP $p")
			tftp_get curl "$TP" "$p" "$W/t.out"
			cmp -s "$W/t.out" "$W/many/$p" || bad+=("TFTP $p")
		done
		verdict many "20,000 files: HTTP and TFTP find them" 3 "${bad[@]}"
		stop_pid "$HPID"
		stop_pid "$TPID"
	fi
	rm -rf "$W/many" "$W/many.iso"
	echo "# 20,000 files in $((SECONDS - t0)) s"
else
	skip "iso-serve: a file above 4 GiB, 20,000 files: need SLOW=1"
fi
t_done
