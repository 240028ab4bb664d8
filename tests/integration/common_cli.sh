#!/bin/bash
# SPDX-License-Identifier: MIT
# The conventions every daemon follows (docs/ARCHITECTURE.md): --help, --version,
# --print-config, --check-config, exit 78 with FILE:LINE on a bad config,
# and every option of --help in --print-config and in the man page; every
# short option and alias of --help in the man page, beside its long name,
# and accepted on the command line (and an alias in the file too).
. "$(dirname "$0")/../lib.sh"
VERSION=$(cat "$TOP/VERSION")

# A valid value for each option that has a short letter or an alias, to
# pass through it: a new short option or alias needs one here, or the
# check below fails and says so.
printf 'r ^a$ b\n' >"$T_TMP/map"
declare -A SAMPLE=(
	[listen]=127.0.0.1:6969 [blksize-max]=1400 [timeout]=2s [port-range]=40000:40100
	[umask]=027 [map]=$T_TMP/map [refuse]=tsize [user]=nobody [group]=$(id -gn nobody 2>/dev/null || echo nogroup)
	[interface]=lo [leasefile]=$T_TMP/leases
)
# on_cli NAME SPELLING...: --print-config with the option given as SPELLING
# shows the sample value, from the command line
on_cli() {
	local name=$1 out; shift
	out=$("$bin" "${minimal[@]}" "$@" --print-config 2>&1) || { echo "$out" | head -3; return 1; }
	grep -E "^$name = " <<<"$out" | grep -F -- "${SAMPLE[$name]}" | grep -qi 'command line' ||
		{ grep -E "^;? ?$name =" <<<"$out" | head -3; return 1; }
}
# man_pairs LETTER-OR-ALIAS NAME: an .It line of the man page names both
man_pairs() {
	grep -E "^\.It .*Fl $1( |\$)" "$man" | grep -qE "Fl -$2( |\$)"
}

for d in tftpd httpd dhcpd; do
	bin=$BUILD_DIR/pxe-$d
	[ -x "$bin" ] || { fail "$d-built: $bin missing"; continue; }
	conf=$T_TMP/$d.conf

	out=$("$bin" --help 2>&1); st=$?
	check "$d-help" test $st -eq 0 -a -n "$(grep -e '--print-config' <<<"$out")"
	check "$d-help-once-repeatable" test -z "$(grep -F '(repeatable) (repeatable)' <<<"$out")"
	check "$d-help-log-levels" grep -qF -- '--log-level err|warn|notice|info|debug' <<<"$out"

	out=$("$bin" --version 2>&1); st=$?
	check "$d-version" test $st -eq 0 -a "$out" = "pxe-$d $VERSION"

	printf '[%s]\n\nno-such-key = 1\n' "$d" >"$conf"
	out=$("$bin" -c "$conf" --check-config 2>&1); st=$?
	if [ $st -eq 78 ] && grep -qF "$conf:3: [$d] no-such-key: unknown key; valid keys: " <<<"$out"; then
		pass "$d-check-config-unknown-key"
	else
		fail "$d-check-config-unknown-key: status $st, output: $out"
	fi

	printf '[%s]\nthis line is not ini\n' "$d" >"$conf"
	out=$("$bin" -c "$conf" --check-config 2>&1); st=$?
	check "$d-check-config-syntax" test $st -eq 78 -a -n "$(grep -F "$conf:2:" <<<"$out")"

	out=$("$bin" --no-such-option 2>&1); st=$?
	check "$d-unknown-option" test $st -eq 78 -a -n "$(grep -F "unknown option '--no-such-option'" <<<"$out")"

	out=$("$bin" -c /nonexistent/pxe.conf --check-config 2>&1); st=$?
	check "$d-missing-config" test $st -eq 78 -a -n "$(grep -F '/nonexistent/pxe.conf' <<<"$out")"

	# Every long option listed by --help appears in --print-config and the man page.
	opts=$("$bin" --help | grep -oE '^ +(-[a-zA-Z], )?--(\[no-\])?[a-z0-9-]+' |
		sed -E 's/.*--(\[no-\])?//' | sort -u |
		grep -vxE 'config|print-config|check-config|help|version')
	# the least configuration each daemon needs to run
	case $d in
	dhcpd) minimal=(--range 198.18.0.10-198.18.0.20 --netmask 255.255.255.0) ;;
	*) minimal=("$T_TMP") ;;
	esac
	printed=$("$bin" "${minimal[@]}" --print-config 2>&1)
	missing=""
	for o in $opts; do grep -qE "^(; )?$o =" <<<"$printed" || missing="$missing $o"; done
	check "$d-print-config-lists-every-option${missing:+: missing$missing}" test -z "$missing"

	man=$TOP/man/pxe-$d.8
	if [ -f "$man" ]; then
		missing=""
		for o in $opts; do
			grep -qE "(Fl -?-?(no-)?|Cm )$o( |$)" "$man" || missing="$missing $o"
		done
		check "$d-man-page-lists-every-option${missing:+: missing$missing}" test -z "$missing"
	else
		fail "$d-man-page: $man missing"
	fi

	# Short options: "-X, --name" in --help.
	# one line per option: a long option name pushes its help to the next line
	help=$("$bin" --help | awk '/^ {34}/ && n { sub(/^ +/, " "); prev = prev $0; next }
		{ if (n) print prev; prev = $0; n = 1 } END { if (n) print prev }')
	shorts=$(sed -nE 's/^  -([a-zA-Z]), --(\[no-\])?([a-z0-9-]+).*/\1 \3/p' <<<"$help")
	check "$d-help-has-short-options" test -n "$shorts"
	while read -r x name; do
		check "$d-man-page-short-option -$x with --$name" man_pairs "$x" "$name"
		case $name in
		config)
			printf '[%s]\n' "$d" >"$conf"
			out=$("$bin" "${minimal[@]}" "-$x" "$conf" --print-config 2>&1)
			check "$d-short-option -$x accepted" grep -qF "read from $conf" <<<"$out"
			;;
		help | version)
			out=$("$bin" "-$x" 2>&1); st=$?
			check "$d-short-option -$x accepted" test $st -eq 0 -a -n "$out"
			;;
		*)
			if [ -z "${SAMPLE[$name]+set}" ]; then
				fail "$d-short-option -$x: no sample value for --$name in ${0##*/}"
				continue
			fi
			check "$d-short-option -$x accepted" on_cli "$name" "-$x" "${SAMPLE[$name]}"
			;;
		esac
	done <<<"$shorts"

	# Aliases: "(also --alias)" at the end of the option's --help line.
	aliases=$(sed -nE 's/^ +(-[a-zA-Z], )?--(\[no-\])?([a-z0-9-]+).*\(also --([a-z0-9|-]+)\)$/\3 \4/p' <<<"$help")
	while read -r name alias_list; do
		[ -n "$name" ] || continue
		for a in ${alias_list//|/ }; do
			check "$d-man-page-alias --$a with --$name" man_pairs "-$a" "$name"
			if [ -z "${SAMPLE[$name]+set}" ]; then
				fail "$d-alias --$a: no sample value for --$name in ${0##*/}"
				continue
			fi
			check "$d-alias --$a accepted" on_cli "$name" "--$a" "${SAMPLE[$name]}"
			check "$d-alias --$a=VALUE accepted" on_cli "$name" "--$a=${SAMPLE[$name]}"
			printf '[%s]\n%s = %s\n' "$d" "$a" "${SAMPLE[$name]}" >"$conf"
			out=$("$bin" "${minimal[@]}" -c "$conf" --print-config 2>&1)
			check "$d-alias $a in the config file" \
				grep -qE "^$name = .*${SAMPLE[$name]}.*$conf:2" <<<"$out"
		done
	done <<<"$aliases"
done
t_done
