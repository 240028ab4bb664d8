#!/bin/bash
# The conventions every daemon follows (docs/ARCHITECTURE.md): --help, --version,
# --print-config, --check-config, exit 78 with FILE:LINE on a bad config,
# and every option of --help in --print-config and in the man page.
. "$(dirname "$0")/../lib.sh"
VERSION=$(cat "$TOP/VERSION")

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
done
t_done
