#!/bin/bash
# SPDX-License-Identifier: MIT
# --check-config checks what a start will need, and a start fails with the
# same sentence: the served root is a directory (or, for pxe-httpd
# --single-file, a file), the files named (tftpd map, httpd mimetypes and
# auth-file) are readable, user and group exist; an unknown key names its
# section and lists the valid keys. Each error is "FILE:LINE: key: ..."
# (or "--key: ..." from the command line) and the exit status is 78.
# Nothing binds a socket: every start here fails before it would.
. "$(dirname "$0")/../lib.sh"

ROOT=$T_TMP/root
mkdir -p "$ROOT"
echo hello >"$ROOT/a.txt"
AFILE=$ROOT/a.txt
# what a served root that is a regular file but no image is told
NOT_ISO="not an ISO 9660 image: $(stat -c %s "$AFILE") bytes, shorter than its System Area and first volume descriptor (34816); a served root is a directory or an ISO 9660 image"
MISSING=$T_TMP/missing
NOUSER=no-such-user-pxe
NOGROUP=no-such-group-pxe
for n in $NOUSER $NOGROUP; do
	if getent passwd "$n" >/dev/null || getent group "$n" >/dev/null; then
		skip "check_config: needs no user or group named $n"
		t_exit 77
	fi
done

# expect NAME STATUS LINE CMD...: CMD exits STATUS and its stderr has the
# whole line LINE.
expect() {
	local name=$1 want=$2 line=$3; shift 3
	local out st
	out=$("$@" 2>&1 >/dev/null); st=$?
	if [ "$st" = "$want" ] && grep -qxF -- "$line" <<<"$out"; then
		pass "$name"
	else
		fail "$name: status $st (want $want), output: $out (want the line: $line)"
	fi
}

# expect_unknown NAME PREFIX SUFFIX KEY... : exit 78 and a line "PREFIX:
# unknown key; valid keys: ..." that lists each KEY and ends with SUFFIX
# (the guess, or nothing). Other keys may come: the tables grow.
expect_unknown() {
	local name=$1 prefix=$2 suffix=$3; shift 3
	local out st line k ok=1
	out=$("${CMD[@]}" 2>&1 >/dev/null); st=$?
	line=$(grep -F -- "$prefix: unknown key; valid keys: " <<<"$out" | head -1)
	[ "$st" = 78 ] && [[ $line == "$prefix: unknown key; valid keys: "* ]] || ok=0
	if [ -n "$suffix" ]; then [[ $line == *"$suffix" ]] || ok=0; else [[ $line != *"did you mean"* ]] || ok=0; fi
	for k; do [[ $line == *" $k,"* || $line == *" $k;"* || $line == *" $k" ]] || ok=0; done
	if [ $ok = 1 ]; then pass "$name"; else fail "$name: status $st, output: $out"; fi
}

# conf DAEMON LINES...: a config file of those lines, its path on stdout.
conf() {
	local f=$T_TMP/$1.conf; shift
	printf '%s\n' "$@" >"$f"
	echo "$f"
}

# A port nothing listens on: a start that the checks let through would
# bind it, so each "start" case below proves the checks stopped it first.
PORT=$(free_port udp)
HPORT=$(free_port tcp)

# ---- pxe-tftpd: root, map, user, group
C=$(conf tftpd '[tftpd]' "root = $ROOT" "listen = 127.0.0.1:$PORT")
expect "tftpd good config: exit 0" 0 "pxe-tftpd: configuration OK: $C" "$TFTPD" -c "$C" --check-config

C=$(conf tftpd '[tftpd]' "listen = 127.0.0.1:$PORT" "root = $MISSING")
expect "tftpd missing root" 78 "pxe-tftpd: $C:3: root: $MISSING: No such file or directory" \
	"$TFTPD" -c "$C" --check-config
expect "tftpd missing root: a start fails the same way" 78 \
	"pxe-tftpd: $C:3: root: $MISSING: No such file or directory" timeout -k 2 10 "$TFTPD" -c "$C"
C=$(conf tftpd '[tftpd]' "root = $AFILE")
expect "tftpd root is a file" 78 "pxe-tftpd: $C:2: root: $AFILE: $NOT_ISO" \
	"$TFTPD" -c "$C" --check-config
expect "tftpd root from the command line" 78 "pxe-tftpd: --root: $AFILE: $NOT_ISO" \
	"$TFTPD" "$AFILE" --check-config
C=$(conf tftpd '[tftpd]' "root = $ROOT" "map = $MISSING")
expect "tftpd unreadable map" 78 "pxe-tftpd: $C:3: map: $MISSING: No such file or directory" \
	"$TFTPD" -c "$C" --check-config
C=$(conf tftpd '[tftpd]' "root = $ROOT" "user = $NOUSER" "group = $NOGROUP")
expect "tftpd unknown user" 78 "pxe-tftpd: $C:3: user: no such user '$NOUSER'" \
	"$TFTPD" -c "$C" --check-config
expect "tftpd unknown group, reported with the user" 78 \
	"pxe-tftpd: $C:4: group: no such group '$NOGROUP'" "$TFTPD" -c "$C" --check-config
expect "tftpd unknown user: a start fails the same way" 78 \
	"pxe-tftpd: $C:3: user: no such user '$NOUSER'" \
	timeout -k 2 10 "$TFTPD" -c "$C" --listen "127.0.0.1:$PORT"
expect "tftpd unknown user from the command line" 78 "pxe-tftpd: --user: no such user '$NOUSER'" \
	"$TFTPD" "$ROOT" -u "$NOUSER" --check-config
C=$(conf tftpd '[tftpd]' "root = $ROOT" '' 'mpa = /etc/map')
CMD=("$TFTPD" -c "$C" --check-config)
expect_unknown "tftpd unknown key lists the valid keys" "pxe-tftpd: $C:4: [tftpd] mpa" \
	"; did you mean 'map'?" listen root blksize-max map refuse busy-poll chroot user group syslog
expect "tftpd unknown option suggests the one meant" 78 \
	"pxe-tftpd: unknown option '--listn'; did you mean '--listen'? (see pxe-tftpd --help)" \
	"$TFTPD" --listn 127.0.0.1 --check-config

# ---- pxe-httpd: root (directory, or a file with --single-file), mimetypes, auth-file, user, group
C=$(conf httpd '[httpd]' "root = $ROOT" "listen = 127.0.0.1:$HPORT")
expect "httpd good config: exit 0" 0 "pxe-httpd: configuration OK: $C" "$HTTPD" -c "$C" --check-config
C=$(conf httpd '[httpd]' "root = $AFILE" 'single-file = yes')
expect "httpd --single-file root is a file: exit 0" 0 "pxe-httpd: configuration OK: $C" \
	"$HTTPD" -c "$C" --check-config

C=$(conf httpd '[httpd]' "root = $MISSING")
expect "httpd missing root" 78 "pxe-httpd: $C:2: root: $MISSING: No such file or directory" \
	"$HTTPD" -c "$C" --check-config
expect "httpd missing root: a start fails the same way" 78 \
	"pxe-httpd: $C:2: root: $MISSING: No such file or directory" \
	timeout -k 2 10 "$HTTPD" -c "$C" --listen "127.0.0.1:$HPORT"
C=$(conf httpd '[httpd]' "root = $AFILE")
expect "httpd root is a file" 78 "pxe-httpd: $C:2: root: $AFILE: $NOT_ISO" \
	"$HTTPD" -c "$C" --check-config
expect "httpd --single-file root is a directory" 78 \
	"pxe-httpd: --root: $ROOT: expected a regular file, found a directory" \
	"$HTTPD" "$ROOT" --single-file --check-config
C=$(conf httpd '[httpd]' "root = $ROOT" "mimetypes = $MISSING" "auth-file = $MISSING.auth")
expect "httpd unreadable mimetypes" 78 \
	"pxe-httpd: $C:3: mimetypes: $MISSING: No such file or directory" \
	"$HTTPD" -c "$C" --check-config
expect "httpd unreadable auth-file, reported with mimetypes" 78 \
	"pxe-httpd: $C:4: auth-file: $MISSING.auth: No such file or directory" \
	"$HTTPD" -c "$C" --check-config
C=$(conf httpd '[httpd]' "root = $ROOT" "user = $NOUSER" "group = $NOGROUP")
expect "httpd unknown user" 78 "pxe-httpd: $C:3: user: no such user '$NOUSER'" \
	"$HTTPD" -c "$C" --check-config
expect "httpd unknown group" 78 "pxe-httpd: $C:4: group: no such group '$NOGROUP'" \
	"$HTTPD" -c "$C" --check-config
expect "httpd --uid (darkhttpd's name) is checked too" 78 \
	"pxe-httpd: --user: no such user '$NOUSER'" "$HTTPD" "$ROOT" --uid "$NOUSER" --check-config
C=$(conf httpd '[httpd]' "root = $ROOT" 'daemon = yes')
expect "httpd command-line-only key in the file" 78 \
	"pxe-httpd: $C:3: [httpd] daemon: a command-line option only (--daemon), not a key of the config file" \
	"$HTTPD" -c "$C" --check-config
C=$(conf httpd '[httpd]' "root = $ROOT" 'mime-types = /etc/mime.types')
CMD=("$HTTPD" -c "$C" --check-config)
expect_unknown "httpd unknown key lists the valid keys and the one meant" \
	"pxe-httpd: $C:3: [httpd] mime-types" "; did you mean 'mimetypes'?" root port addr listen \
	user group mimetypes index auth

# ---- pxe-dhcpd: user, group, unknown keys of each section
DH=('[dhcpd]' 'range = 198.18.0.10-198.18.0.20' 'netmask = 255.255.255.0'
	"leasefile = $T_TMP/dhcpd.leases")
C=$(conf dhcpd "${DH[@]}")
expect "dhcpd good config: exit 0" 0 "pxe-dhcpd: configuration OK: $C" "$DHCPD" -c "$C" --check-config
C=$(conf dhcpd "${DH[@]}" "user = $NOUSER" "group = $NOGROUP")
expect "dhcpd unknown user" 78 "pxe-dhcpd: $C:5: user: no such user '$NOUSER'" \
	"$DHCPD" -c "$C" --check-config
expect "dhcpd unknown group" 78 "pxe-dhcpd: $C:6: group: no such group '$NOGROUP'" \
	"$DHCPD" -c "$C" --check-config
C=$(conf dhcpd "${DH[@]}" '[host pc1]' 'mac = 02:00:00:00:00:01' 'ip = 198.18.0.5')
CMD=("$DHCPD" -c "$C" --check-config)
expect_unknown "dhcpd [host] ip= names the valid keys and address" "pxe-dhcpd: $C:7: [host pc1] ip" \
	"; did you mean 'address'?" mac client-id address hostname lease-time option ignore
C=$(conf dhcpd "${DH[@]}" '[subnet 198.18.0.0/24]' 'gateway = 198.18.0.1' 'rnage = x')
CMD=("$DHCPD" -c "$C" --check-config)
SUBNET_KEYS=(range router dns domain-name lease-time option)
expect_unknown "dhcpd [subnet] gateway= suggests router" \
	"pxe-dhcpd: $C:6: [subnet 198.18.0.0/24] gateway" "; did you mean 'router'?" "${SUBNET_KEYS[@]}"
expect_unknown "dhcpd [subnet] the next bad key is reported too" \
	"pxe-dhcpd: $C:7: [subnet 198.18.0.0/24] rnage" "; did you mean 'range'?" "${SUBNET_KEYS[@]}"
C=$(conf dhcpd "${DH[@]}" 'nosuch = 1' 'lease-tme = 1h')
CMD=("$DHCPD" -c "$C" --check-config)
DHCPD_KEYS=(interface mode leasefile lease-time range netmask option user group syslog)
expect_unknown "dhcpd every bad key is reported: the first, no guess" \
	"pxe-dhcpd: $C:5: [dhcpd] nosuch" "" "${DHCPD_KEYS[@]}"
expect_unknown "dhcpd every bad key is reported: the second" \
	"pxe-dhcpd: $C:6: [dhcpd] lease-tme" "; did you mean 'lease-time'?" "${DHCPD_KEYS[@]}"
C=$(conf dhcpd "${DH[@]}" '[boot pxe]' 'Broadcast = yes')
CMD=("$DHCPD" -c "$C" --check-config)
expect_unknown "dhcpd [boot] keys are case-sensitive: the one meant" \
	"pxe-dhcpd: $C:6: [boot pxe] Broadcast" "; did you mean 'broadcast'?" match file broadcast

t_done
