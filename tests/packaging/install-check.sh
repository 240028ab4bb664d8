#!/bin/bash
# SPDX-License-Identifier: MIT
# make install the way a packager runs it (.ci/run): build with the
# hardening flags of dpkg-buildflags, then install with only the install
# paths. install must compile nothing (the binaries keep their flags), put
# every file where the Makefile's variables say, fill in the paths, keep an
# admin's configuration, and uninstall what it installed.
#   tests/packaging/install-check.sh    prints PASS/FAIL/SKIP lines
. "$(dirname "$0")/../lib.sh"
need_cmd dpkg-buildflags hardening-check
cd "$TOP" || exit 1
b=$T_TMP/build
d=$T_TMP/dest
# All of Debian 12's protections (bindnow is not in the defaults).
# Control-flow protection (-fcf-protection) is not among them: dpkg-buildflags
# offers it from dpkg 1.22 (Debian 13) on, and hardening-check asks for it.
HC_OPTS=""
DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS | grep -q -- -fcf-protection ||
	HC_OPTS=--nocfprotection
flags() { DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get "$1"; }
if ! make -s -j2 BUILD="$b" CFLAGS="$(flags CFLAGS)" CPPFLAGS="$(flags CPPFLAGS)" \
	LDFLAGS="$(flags LDFLAGS)" all >"$T_TMP/build.log" 2>&1; then
	fail "build with dpkg-buildflags: $(tail -5 "$T_TMP/build.log")"
	t_done
fi
stamps() { find "$b" -type f \( -name '*.o' -o -name 'pxe-*' -o -name '*.a' \) -printf '%p %T@\n' | sort; }
before=$(stamps)
sleep 1

inst() { env -u CFLAGS -u CPPFLAGS -u LDFLAGS make BUILD="$b" DESTDIR="$d" PREFIX=/usr SYSCONFDIR=/etc \
	SYSTEMDUNITDIR=/usr/lib/systemd/system TMPFILESDIR=/usr/lib/tmpfiles.d \
	SYSUSERSDIR=/usr/lib/sysusers.d "$@"; }
inst install >"$T_TMP/install.log" 2>&1
check "make install PREFIX=/usr SYSCONFDIR=/etc succeeds" test $? -eq 0
grep -E ' -c -o |\$\(CC\)' "$T_TMP/install.log" | head -3 >"$T_TMP/cc"
check "make install compiled nothing" test ! -s "$T_TMP/cc"
check "make install left the objects and binaries as they were" test "$before" = "$(stamps)"
for x in pxe-dhcpd pxe-tftpd pxe-httpd; do
	if out=$(hardening-check $HC_OPTS "$d/usr/sbin/$x" 2>&1); then
		pass "hardening-check installed $x"
	else
		fail "hardening-check installed $x: $(grep -v ': yes' <<<"$out" | tr '\n' ' ')"
	fi
done

want="usr/sbin/pxe-dhcpd usr/sbin/pxe-tftpd usr/sbin/pxe-httpd
usr/share/man/man8/pxe-dhcpd.8 usr/share/man/man5/pxesuite.conf.5
etc/pxesuite/dhcpd.conf etc/pxesuite/tftpd.conf etc/pxesuite/httpd.conf
usr/lib/systemd/system/pxe-dhcpd.service usr/lib/systemd/system/pxe-tftpd.socket
usr/lib/systemd/system/pxe-httpd.service usr/lib/tmpfiles.d/pxe-dhcpd.conf
usr/lib/systemd/system/pxe-dhcpd.socket usr/lib/sysusers.d/pxesuite.conf
usr/share/doc/pxesuite/README.md usr/share/doc/pxesuite/LICENSE usr/share/doc/pxesuite/AUTHORS
usr/share/doc/pxesuite/examples/dhcpd.conf usr/share/doc/pxesuite/examples/httpd.conf"
missing=""
for f in $want; do [ -f "$d/$f" ] || missing="$missing $f"; done
check "installed where the variables say${missing:+ (missing:$missing)}" test -z "$missing"
left=$(grep -rlE '@[A-Z]*(DIR|DEFAULT_USER|DEFAULT_GROUP)@' "$d" 2>/dev/null)
check "paths filled in${left:+ (left in: $left)}" test -z "$left"
check "units run the binaries from SBINDIR with -c SYSCONFDIR/pxesuite/NAME.conf" \
	grep -q '^ExecStart=/usr/sbin/pxe-dhcpd -c /etc/pxesuite/dhcpd.conf$' \
	"$d/usr/lib/systemd/system/pxe-dhcpd.service"
check "dhcpd.conf names the lease file in the StateDirectory" \
	grep -q '^leasefile = /var/lib/pxe-dhcpd/dhcpd.leases$' "$d/etc/pxesuite/dhcpd.conf"
# The sysusers.d entry, then the tmpfiles.d entry (it names that user),
# applied to an empty root; tmpfiles twice: the second run (the next boot)
# finds nothing to say.
if have systemd-tmpfiles && have systemd-sysusers; then
	r=$T_TMP/tmpfiles-root
	mkdir -p "$r/etc"
	systemd-sysusers --root="$r" "$d/usr/lib/sysusers.d/pxesuite.conf" >/dev/null 2>&1
	check "sysusers.d creates the user and group pxesuite" \
		grep -q '^pxesuite:x:[0-9]*:[0-9]*:.*:/usr/sbin/nologin$' "$r/etc/passwd"
	tf() { systemd-tmpfiles --create --root="$r" "$d/usr/lib/tmpfiles.d/pxe-dhcpd.conf" 2>&1; }
	out=$(tf)
	check "tmpfiles.d creates /var/lib/pxe-dhcpd${out:+: $out}" test -d "$r/var/lib/pxe-dhcpd" -a -z "$out"
	uid=$(awk -F: '$1 == "pxesuite" { print $3 }' "$r/etc/passwd")
	check "/var/lib/pxe-dhcpd belongs to pxesuite (uid $uid), mode 0750" \
		test "$(stat -c '%u %a' "$r/var/lib/pxe-dhcpd")" = "$uid 750"
	out=$(tf)
	check "tmpfiles.d: a second run is silent${out:+: $out}" test -z "$out"
else
	skip "tmpfiles.d and sysusers.d entries: need systemd-tmpfiles, systemd-sysusers"
fi

echo '# the admin was here' >>"$d/etc/pxesuite/tftpd.conf"
inst install >>"$T_TMP/install.log" 2>&1
check "a second make install keeps the admin's configuration" \
	grep -q 'the admin was here' "$d/etc/pxesuite/tftpd.conf"
inst uninstall >"$T_TMP/uninstall.log" 2>&1
left=$(cd "$d" && find . -type f | sort | tr '\n' ' ')
check "make uninstall leaves only the configuration (${left% })" \
	test "$left" = "./etc/pxesuite/dhcpd.conf ./etc/pxesuite/httpd.conf ./etc/pxesuite/tftpd.conf "
t_done
