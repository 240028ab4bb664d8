#!/bin/bash
# SPDX-License-Identifier: MIT
# What a Debian packager sees, checked in CI (.ci/run): copy the tree to a
# temporary directory, put the throwaway debian/ from tests/packaging/debian
# beside it, build with `dpkg-buildpackage -us -uc -b` (dpkg-buildflags,
# debhelper 13, the upstream Makefile unpatched), then
#   - make install (dh_auto_install) compiled nothing;
#   - lintian: no errors or warnings (the overrides in
#     debian/pxesuite.lintian-overrides are about the throwaway debian/ only);
#   - dh_installsystemd, dh_installtmpfiles and dh_installsysusers found the
#     units, the tmpfiles.d and the sysusers.d entries (the maintainer
#     scripts enable them, the user before its directory);
#   - hardening-check on the installed binaries;
#   - systemd-analyze verify on the installed units.
# The tests are not run inside the package build (DEB_BUILD_OPTIONS=nocheck,
# unless DEB_BUILD_OPTIONS is set): make check runs them in the same CI.
#   tests/packaging/build-deb.sh        prints PASS/FAIL/SKIP lines like the tests
#   KEEP=DIR tests/packaging/build-deb.sh   also copies the .deb and logs to DIR
. "$(dirname "$0")/../lib.sh"
# make deps installs these (DEB_PKG_PKGS in the Makefile).
need_cmd dpkg-buildpackage dpkg-checkbuilddeps dh fakeroot lintian hardening-check \
	systemd-analyze pkg-config
cd "$TOP" || exit 1
version=$(cat VERSION)
src=$T_TMP/pxesuite-$version

# The tree as it is (work in progress included), without build trees or git.
mkdir -p "$src"
tar -C "$TOP" --exclude='./build*' --exclude=./.git --exclude=./tests/e2e/cache \
	--exclude=./debian -cf - . | tar -C "$src" -xf -
cp -a tests/packaging/debian "$src/debian"
# debian/changelog from VERSION, dated like the source (reproducible): the
# last commit, or VERSION's mtime in a tree without git.
epoch=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || stat -c %Y VERSION)}
cat >"$src/debian/changelog" <<EOF
pxesuite ($version) unstable; urgency=medium

  * CI packaging check (tests/packaging/build-deb.sh), not a release.

 -- The pxesuite authors <maintainers@users.noreply.r-seed-27261893.example>  $(date -u -R -d "@$epoch")
EOF

log=$T_TMP/build.log
t0=$SECONDS
if ! (cd "$src" && DEB_BUILD_OPTIONS=${DEB_BUILD_OPTIONS-nocheck} \
	dpkg-buildpackage -us -uc -b) >"$log" 2>&1; then
	fail "dpkg-buildpackage -us -uc -b: $(tail -20 "$log")"
	t_done
fi
pass "dpkg-buildpackage -us -uc -b ($((SECONDS - t0)) s)"
deb=$(ls "$T_TMP"/pxesuite_"$version"_*.deb)
changes=$(ls "$T_TMP"/pxesuite_"$version"_*.changes)
[ -n "${KEEP:-}" ] && mkdir -p "$KEEP" && cp "$deb" "$changes" "$log" "$KEEP/"

# make install must not recompile: no compiler line (the Makefile's
# "CC ... -c -o build/...") from dh_auto_install to the next debhelper step.
awk '/^[ \t]*dh_auto_install/ { on = 1; next }
     on && /^[ \t]*(dh_|debian\/rules )/ { on = 0 }
     on && / -c -o / { print }' "$log" >"$T_TMP/recompiled"
check "make install compiled nothing" test ! -s "$T_TMP/recompiled"
head -3 "$T_TMP/recompiled"
check "the build log shows dh_auto_install" grep -q '^[[:space:]]*dh_auto_install' "$log"

# lintian: errors and warnings fail; info lines are shown, not counted.
lintian --fail-on error,warning --display-info "$changes" >"$T_TMP/lintian" 2>&1
st=$?
sed 's/^/    lintian: /' "$T_TMP/lintian"
check "lintian: no errors or warnings ($(grep -c '^[EW]:' "$T_TMP/lintian") E/W lines)" test $st -eq 0

# dh_installsystemd / dh_installtmpfiles / dh_installsysusers wrote the
# maintainer scripts.
dpkg-deb -e "$deb" "$T_TMP/control"
for u in pxe-dhcpd.service pxe-dhcpd.socket pxe-tftpd.service pxe-tftpd.socket pxe-httpd.service \
	pxe-httpd.socket; do
	check "postinst enables $u (dh_installsystemd)" grep -q "deb-systemd-helper .*'$u'" \
		"$T_TMP/control/postinst"
done
check "postinst creates the tmpfiles.d entries (pxe-dhcpd.conf)" \
	grep -q 'systemd-tmpfiles.*pxe-dhcpd.conf' "$T_TMP/control/postinst"
check "postinst creates the user (systemd-sysusers pxesuite.conf, dh_installsysusers)" \
	grep -q 'systemd-sysusers.*pxesuite.conf' "$T_TMP/control/postinst"
# the user first: the tmpfiles.d entry names it as the directory's owner
su_line=$(grep -n 'systemd-sysusers.*pxesuite.conf' "$T_TMP/control/postinst" | head -1 | cut -d: -f1)
tf_line=$(grep -n 'systemd-tmpfiles.*pxe-dhcpd.conf' "$T_TMP/control/postinst" | head -1 | cut -d: -f1)
check "postinst creates the user before the lease directory (lines ${su_line:-?} < ${tf_line:-?})" \
	test "${su_line:-0}" -gt 0 -a "${su_line:-0}" -lt "${tf_line:-0}"

# Control-flow protection (-fcf-protection) is not among Debian 12's
# protections: dpkg-buildflags offers it from dpkg 1.22 (Debian 13) on.
HC_OPTS=""
DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --get CFLAGS | grep -q -- -fcf-protection ||
	HC_OPTS=--nocfprotection
root=$T_TMP/root
dpkg -x "$deb" "$root"
for b in pxe-dhcpd pxe-tftpd pxe-httpd; do
	if out=$(hardening-check $HC_OPTS "$root/usr/sbin/$b" 2>&1); then
		pass "hardening-check $b"
	else
		fail "hardening-check $b: $(grep -v ': yes' <<<"$out" | tr '\n' ' ')"
	fi
done

# systemd-analyze verify resolves ExecStart= and the other paths on this
# machine, so it gets copies of the units with the package's paths moved
# into the unpacked tree (systemd 252's --root= looks for everything there,
# sysinit.target and /bin/kill included); Documentation=man: is checked
# against the package's man pages when man(1) is installed.
man=no
have man && man=yes
unitdir=$(ls -d "$root"/lib/systemd/system "$root"/usr/lib/systemd/system 2>/dev/null | head -1)
check "units installed ($unitdir)" test -e "$unitdir/pxe-dhcpd.service"
vdir=$T_TMP/verify
mkdir -p "$vdir"
for u in "$unitdir"/*.service "$unitdir"/*.socket; do
	sed -e "s|/usr/sbin/|$root/usr/sbin/|g" "$u" >"$vdir/${u##*/}"
done
for u in "$vdir"/*.service "$vdir"/*.socket; do
	n=${u##*/}
	if out=$(cd "$vdir" && MANPATH=$root/usr/share/man SYSTEMD_LOG_LEVEL=notice \
		systemd-analyze verify --man=$man "$u" 2>&1) && [ -z "$out" ]; then
		pass "systemd-analyze verify $n (man pages checked: $man)"
	else
		fail "systemd-analyze verify $n: $out"
	fi
done
t_done
