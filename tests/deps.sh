#!/bin/sh
# SPDX-License-Identifier: MIT
# make deps: install what the build and the tests need, or say what is missing.
#   --build 'PKGS'     Debian packages needed to build (fatal when missing)
#   --test 'PKGS'      Debian packages the tests use (tests skip without them)
#   --pkgconfig 'MODS' pkg-config modules the build needs
# Installs with apt-get only as root on Debian/Ubuntu, never with NO_DEPS=1
# and never inside a package build (dh_auto_test runs make check as root in
# pbuilder/sbuild): there missing test tools make their tests SKIP, and a
# missing library is an error that names it.
set -u
build=""; test=""; mods=""
while [ $# -gt 0 ]; do
	case $1 in
	--build) build=$2; shift 2 ;;
	--test) test=$2; shift 2 ;;
	--pkgconfig) mods=$2; shift 2 ;;
	*) echo "deps.sh: unknown argument $1" >&2; exit 2 ;;
	esac
done
PKG_CONFIG=${PKG_CONFIG:-pkg-config}

missing_mods=""
for m in $mods; do
	$PKG_CONFIG --exists "$m" 2>/dev/null || missing_mods="$missing_mods $m"
done

have_dpkg=no
command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && have_dpkg=yes
installed() {
	case $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null) in *" installed") return 0 ;; esac
	return 1
}
# "a|b" is satisfied by either package (busybox|busybox-static); installs a.
missing_pkgs() {
	out=""
	for alts in "$@"; do
		ok=no
		for p in $(echo "$alts" | tr '|' ' '); do installed "$p" && ok=yes; done
		[ $ok = yes ] || out="$out ${alts%%|*}"
	done
	echo "$out"
}

# A package build, recognised by what the build tools export to it:
# dpkg-buildpackage(1) sets DEB_RULES_REQUIRES_ROOT and the dpkg-architecture
# variables (DEB_HOST_ARCH ...) for debian/rules; rpmbuild sets RPM_BUILD_ROOT
# and RPM_PACKAGE_NAME for its scriptlets (%check).
package_build=no
[ -n "${DEB_RULES_REQUIRES_ROOT:-}${DEB_HOST_ARCH:-}${DEB_BUILD_ARCH:-}" ] && package_build=dpkg-buildpackage
[ -n "${RPM_BUILD_ROOT:-}${RPM_PACKAGE_NAME:-}" ] && package_build=rpmbuild

can_install=yes
[ "${NO_DEPS:-}" = 1 ] && can_install=no
[ $package_build = no ] || can_install=no
[ "$(id -u)" = 0 ] || can_install=no
[ $have_dpkg = yes ] || can_install=no

if [ $have_dpkg = yes ]; then
	# shellcheck disable=SC2086
	need_build=$(missing_pkgs $build)
	# shellcheck disable=SC2086
	need_test=$(missing_pkgs $test)
else
	need_build=$missing_mods
	need_test=""
fi

# A packager's build: the libraries are there, nothing to install.
if [ -z "$missing_mods" ] && [ $can_install = no ]; then
	[ -n "$need_test" ] && echo "make deps: not installing test tools:$need_test (their tests will SKIP)"
	[ -n "$need_build" ] && echo "make deps: not installing build tools:$need_build"
	exit 0
fi
if [ -z "$need_build$need_test" ] && [ -z "$missing_mods" ]; then
	exit 0
fi
if [ $can_install = yes ]; then
	echo "make deps: apt-get install$need_build$need_test"
	export DEBIAN_FRONTEND=noninteractive
	# apt-get update only when an install from the current lists fails.
	# shellcheck disable=SC2086
	apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends $need_build $need_test >/tmp/pxesuite-deps.log 2>&1 ||
		{ apt-get update -q >>/tmp/pxesuite-deps.log 2>&1 &&
		  apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends $need_build $need_test >>/tmp/pxesuite-deps.log 2>&1; } ||
		{ echo "make deps: apt-get failed, see /tmp/pxesuite-deps.log" >&2; tail -5 /tmp/pxesuite-deps.log >&2; exit 1; }
	exit 0
fi
why="not root"
[ $package_build = no ] || why="in a $package_build build"
[ "${NO_DEPS:-}" = 1 ] && why="NO_DEPS=1"
[ $have_dpkg = yes ] || why="not a Debian/Ubuntu system"
echo "make deps: missing pkg-config modules:$missing_mods" >&2
[ $have_dpkg = yes ] && echo "make deps: install them with: apt-get install$need_build" >&2
echo "make deps: cannot install them here ($why)" >&2
exit 1
