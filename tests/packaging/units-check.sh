#!/bin/bash
# SPDX-License-Identifier: MIT
# The systemd units as make install writes them (PREFIX=/usr): each one
# passes `systemd-analyze verify`, and each service's exposure level
# (`systemd-analyze security --offline=yes`, 0 best .. 10) stays at or
# below MAX_EXPOSURE (the README gives the levels). Run by .ci/run and by
# `make units-check`.
#   tests/packaging/units-check.sh     prints PASS/FAIL/SKIP lines
. "$(dirname "$0")/../lib.sh"
need_cmd systemd-analyze
cd "$TOP" || exit 1
MAX_EXPOSURE=${MAX_EXPOSURE:-2.0}
for x in pxe-dhcpd pxe-tftpd pxe-httpd; do
	[ -x "$BUILD_DIR/$x" ] || { fail "units-check: $BUILD_DIR/$x not built (make)"; t_done; }
done
d=$T_TMP/dest
# SBINDIR=the build tree: verify checks that ExecStart= is executable.
if ! make -s BUILD="$BUILD" DESTDIR="$d" PREFIX=/usr SYSCONFDIR=/etc SBINDIR="$BUILD_DIR" \
	SYSTEMDUNITDIR=/units install >"$T_TMP/install.log" 2>&1; then
	fail "make install: $(tail -5 "$T_TMP/install.log")"
	t_done
fi
n=0
for u in "$d"/units/*.service "$d"/units/*.socket; do
	name=${u##*/}
	n=$((n + 1))
	if out=$(cd "$d/units" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no "$name" 2>&1) &&
		[ -z "$out" ]; then
		pass "systemd-analyze verify $name"
	else
		fail "systemd-analyze verify $name: $out"
	fi
done
check "units found ($n)" test "$n" -ge 6
for u in "$d"/units/*.service; do
	name=${u##*/}
	level=$(systemd-analyze security --offline=yes "$u" 2>&1 |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	if [ -z "$level" ]; then
		fail "systemd-analyze security $name: no exposure level"
	elif awk -v l="$level" -v m="$MAX_EXPOSURE" 'BEGIN { exit !(l <= m) }'; then
		pass "systemd-analyze security $name: exposure $level (at most $MAX_EXPOSURE)"
	else
		fail "systemd-analyze security $name: exposure $level, above $MAX_EXPOSURE"
	fi
done
t_done
