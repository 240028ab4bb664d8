/* SPDX-License-Identifier: MIT */
/* dhcpd/config_check.c and dhcpd/iface_check.c: what --check-config and
 * start say about a configuration beyond its syntax: MAC lengths, routers
 * outside their subnet, [boot] sections that give no boot file, the lease
 * file's directory, and interfaces that cannot serve any subnet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <unistd.h>
#include <sys/stat.h>

#include "config.h"
#include "config_check.h"
#include "config_spec.h"
#include "iface_check.h"
#include "unit.h"

struct warnings {
	size_t n;
	char msg[8][768];
};

static void collect(void *ctx, const char *msg)
{
	struct warnings *w = ctx;
	if (w->n < 8)
		snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	w->n++;
}

/* Load text as DIR/d.conf (with extra argv after it); 0 or -errno with e. */
static int load_text(const char *dir, const char *text, char **extra, int nextra,
		     struct pxe_config *c, struct pxe_err *e)
{
	char path[512];
	char *argv[16] = {"pxe-dhcpd", "-c", path};
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	ck_assert_int_eq(unit_write_file(dir, "d.conf", text), 0);
	for (int i = 0; i < nextra; i++)
		argv[3 + i] = extra[i];
	return pxe_config_load(&dhcp_config_spec, 3 + nextra, argv, c, e);
}

static void expect_error(const char *text, const char *want)
{
	char *dir = unit_tmpdir();
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_lt(load_text(dir, text, NULL, 0, &c, &e), 0);
	char full[1024];
	snprintf(full, sizeof(full), "%s/%s", dir, want);
	ck_assert_msg(strstr(e.msg, full) != NULL, "'%s' lacks '%s'", e.msg, full);
	unit_tmpdir_remove(dir);
}

#define SUBNET "[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.20\n"

START_TEST(test_mac_length)
{
	expect_error(SUBNET "[host a]\naddress = 198.18.0.5\nmac = 52:54:00:12:34\n",
		     "d.conf:5: [host a] mac: expected 6 octets like 52:54:00:12:34:56, got 5 "
		     "in '52:54:00:12:34'");
	expect_error(SUBNET "[host a]\nmac = 52:54:00:12:34:56:78\n",
		     "d.conf:4: [host a] mac: expected 6 octets like 52:54:00:12:34:56, got 7");
	expect_error(SUBNET "[host a]\nmac = 52:54:zz:12:34:56\n",
		     "d.conf:4: [host a] mac: expected 6 octets");
	/* the line of the key, not of the section */
	expect_error(SUBNET "[host a]\nmac = 02:00:00:00:00:01\n\naddress = 10.0.0.1\n",
		     "d.conf:6: [host a] address 10.0.0.1 is in no [subnet]");
	expect_error(SUBNET "[host a]\nmac = 02:00:00:00:00:01\n\noption = nosuch:1\n",
		     "d.conf:6: [host a] option: ");
	char *dir = unit_tmpdir();
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_msg(
		load_text(dir, SUBNET "[host a]\nmac = 52-54-00-12-34-56\n", NULL, 0, &c, &e) == 0,
		"%s", e.msg);
	ck_assert_uint_eq(((const struct dhcpd_config *)c.cfg)->hosts[0].hw_len, 6);
	pxe_config_free(&c);
	unit_tmpdir_remove(dir);
}
END_TEST

/* Warnings of a config that loads. */
static struct warnings warnings_of(const char *text)
{
	char *dir = unit_tmpdir();
	struct pxe_config c;
	struct pxe_err e;
	struct warnings w = {0};
	ck_assert_msg(load_text(dir, text, NULL, 0, &c, &e) == 0, "%s", e.msg);
	size_t n = dhcp_config_warnings(c.cfg, collect, &w);
	ck_assert_uint_eq(n, w.n);
	/* messages name the file: compare from its base name on */
	for (size_t i = 0; i < w.n && i < 8; i++) {
		char *p = strstr(w.msg[i], "d.conf:");
		ck_assert_ptr_nonnull(p);
		memmove(w.msg[i], p, strlen(p) + 1);
	}
	pxe_config_free(&c);
	unit_tmpdir_remove(dir);
	return w;
}

START_TEST(test_router_outside)
{
	struct warnings w = warnings_of(SUBNET "dns = 198.18.0.1\nrouter = 198.18.0.1\n");
	ck_assert_uint_eq(w.n, 0);
	w = warnings_of(SUBNET "\nrouter = 198.18.0.1, 198.18.1.1\n");
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "d.conf:4: [subnet 198.18.0.0/24] router: 198.18.1.1 is "
				   "outside the subnet; only clients that add a route to it "
				   "on-link can use it");
	/* a /32: the classic on-link setup, legal, still said */
	w = warnings_of("[subnet 198.18.0.7/32]\nrouter = 198.18.0.1\n");
	ck_assert_uint_eq(w.n, 1);
}
END_TEST

START_TEST(test_boot_without_file)
{
	struct warnings w = warnings_of(SUBNET "[boot pi]\nmatch = rpi\n");
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "d.conf:4: [boot pi]: no file and no menu-item: the clients "
				   "it matches get no boot file, and the sections after it are "
				   "not tried for them");
	/* a menu is something to boot; so is a file */
	w = warnings_of(SUBNET "[boot bios]\nmatch = arch:bios\nmenu-item = local Disk\n"
			       "[boot any]\nfile = x.efi\n");
	ck_assert_uint_eq(w.n, 0);
	/* matching every client and giving nothing: never useful */
	expect_error(SUBNET "[boot quirk]\nbroadcast = yes\n",
		     "d.conf:4: [boot quirk]: no file, no menu-item and no match");
}
END_TEST

/* The leasefile option's check on a config of that mode. */
static int check_leasefile(const char *dir, const char *lf, const char *mode, struct pxe_err *e)
{
	char text[1024];
	snprintf(text, sizeof(text), "[dhcpd]\nmode = %s\n" SUBNET, mode);
	struct pxe_config c;
	ck_assert_msg(load_text(dir, text, NULL, 0, &c, e) == 0, "%s", e->msg);
	int r = dhcp_config_check_leasefile(c.cfg, lf, e);
	pxe_config_free(&c);
	return r;
}

START_TEST(test_leasefile_dir)
{
	char *dir = unit_tmpdir(), lf[512], want[1024], bad[600];
	struct pxe_err e;
	/* the directory is there; then missing with a writable parent (start
	 * makes it); then missing two levels deep */
	snprintf(lf, sizeof(lf), "%s/leases", dir);
	ck_assert_int_eq(check_leasefile(dir, lf, "full", &e), 0);
	snprintf(lf, sizeof(lf), "%s/state/leases", dir);
	ck_assert_int_eq(check_leasefile(dir, lf, "full", &e), 0);
	snprintf(lf, sizeof(lf), "%s/no/state/leases", dir);
	ck_assert_int_eq(check_leasefile(dir, lf, "full", &e), -ENOENT);
	snprintf(want, sizeof(want),
		 "%s/no/state: No such file or directory, and it cannot be made: its parent is "
		 "missing or not writable",
		 dir);
	ck_assert_str_eq(e.msg, want);
	/* the proxy modes keep no lease file */
	ck_assert_int_eq(check_leasefile(dir, lf, "proxy", &e), 0);
	/* a file where the directory should be */
	ck_assert_int_eq(unit_write_file(dir, "f", "x"), 0);
	snprintf(lf, sizeof(lf), "%s/f/leases", dir);
	ck_assert_int_eq(dhcp_leasefile_check(lf, bad, sizeof(bad)), -ENOTDIR);
	snprintf(want, sizeof(want), "%s/f", dir);
	ck_assert_str_eq(bad, want);
	ck_assert_int_eq(check_leasefile(dir, lf, "full", &e), -ENOTDIR);
	snprintf(want, sizeof(want), "%s/f: Not a directory", dir);
	ck_assert_str_eq(e.msg, want);
	/* not writable (root writes anyway: only checked as another user) */
	if (geteuid() != 0) {
		snprintf(want, sizeof(want), "%s/ro", dir);
		ck_assert_int_eq(mkdir(want, 0555), 0);
		snprintf(lf, sizeof(lf), "%s/ro/leases", dir);
		ck_assert_int_eq(dhcp_leasefile_check(lf, bad, sizeof(bad)), -EACCES);
		ck_assert_str_eq(bad, want);
		chmod(want, 0755);
	}
	unit_tmpdir_remove(dir);
}
END_TEST

/* dhcp_iface_check on a config with text's sections. */
static struct warnings iface_warnings(const char *text, const struct dhcp_iface_addr *ifs, size_t n)
{
	char *dir = unit_tmpdir();
	struct pxe_config c;
	struct pxe_err e;
	struct warnings w = {0};
	ck_assert_msg(load_text(dir, text, NULL, 0, &c, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(dhcp_iface_check(c.cfg, ifs, n, collect, &w), w.n);
	pxe_config_free(&c);
	unit_tmpdir_remove(dir);
	return w;
}

START_TEST(test_interfaces)
{
	const struct dhcp_iface_addr ifs[] = {
		{"lo", 0, 0},   {"lo", 0x7f000001u, 0xff000000u},
		{"br0", 0, 0},  {"br0", 0xc6120001u, 0xffffff00u}, /* 198.18.0.1/24 */
		{"eth1", 0, 0},                                    /* up, no IPv4 */
	};
	struct warnings w = iface_warnings(SUBNET, ifs, 5);
	ck_assert_uint_eq(w.n, 0);
	w = iface_warnings("[dhcpd]\ninterface = br0\n" SUBNET, ifs, 5);
	ck_assert_uint_eq(w.n, 0);
	/* no address in the subnet: the subnet is named */
	w = iface_warnings(SUBNET "[subnet 198.19.0.0/24]\nrange = 198.19.0.5-198.19.0.9\n", ifs,
			   3);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_str_eq(w.msg[0], "no interface has an address in [subnet 198.18.0.0/24] and "
				   "[subnet 198.19.0.0/24]: only relayed requests are answered");
	/* an interface that is not there, and one without an address in it */
	w = iface_warnings("[dhcpd]\ninterface = nosuch0, eth1\n" SUBNET, ifs, 5);
	ck_assert_uint_eq(w.n, 2);
	ck_assert_str_eq(w.msg[0], "interface nosuch0 does not exist: nothing is answered on it "
				   "until it appears");
	ck_assert_str_eq(w.msg[1], "interfaces nosuch0 and eth1 have no address in [subnet "
				   "198.18.0.0/24]: only relayed requests are answered");
	/* proxy mode: no [subnet] needed, none checked; a proxy subnet is */
	w = iface_warnings("[dhcpd]\nmode = proxy\n[boot a]\nfile = x\n", ifs, 3);
	ck_assert_uint_eq(w.n, 0);
	w = iface_warnings("[dhcpd]\nmode = proxy\n[subnet 198.18.0.0/24]\ndns = 198.18.0.1\n"
			   "[boot a]\nfile = x\n",
			   ifs, 3);
	ck_assert_uint_eq(w.n, 1);
}
END_TEST

START_TEST(test_interfaces6)
{
	struct dhcp_iface_addr ifs[3] = {{"lo", 0, 0}, {"br0", 0, 0}, {"br0", 0, 0}};
	ifs[2].v6 = true;
	inet_pton(AF_INET6, "fd00:198:18:1::1", ifs[2].addr6);
	const char *two =
		"[subnet6 fd00:198:18:1::/64]\nrange = fd00:198:18:1::10-fd00:198:18:1::20\n"
		"[subnet6 fd00:198:18:9::/64]\ndns = fd00:198:18:9::53\n";
	struct warnings w = iface_warnings(two, ifs, 3);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_msg(strstr(w.msg[0], "[subnet6 fd00:198:18:9::/64]: no interface has an address "
				       "in the prefix: only relayed requests are answered for it"),
		      "%s", w.msg[0]);
	/* only the interfaces of interface = count */
	w = iface_warnings("[dhcpd]\ninterface = lo\n[subnet6 fd00:198:18:1::/64]\n"
			   "dns = fd00:198:18:1::53\n",
			   ifs, 3);
	ck_assert_uint_eq(w.n, 1);
	ck_assert_ptr_nonnull(strstr(w.msg[0], "no interface of interface = has"));
	/* DHCPv6 off: nothing to say about [subnet6] */
	w = iface_warnings("[dhcpd]\ndhcpv6 = off\n[subnet 198.18.0.0/24]\nrange = "
			   "198.18.0.5-198.18.0.9\n[subnet6 fd00:198:18:9::/64]\ndns = fd00::1\n",
			   ifs, 3);
	for (size_t i = 0; i < w.n; i++)
		ck_assert_ptr_null(strstr(w.msg[i], "subnet6"));
}
END_TEST

UNIT_SUITE(dhcp_config_check)
{
	Suite *s = suite_create("dhcp_config_check");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_mac_length);
	tcase_add_test(tc, test_router_outside);
	tcase_add_test(tc, test_boot_without_file);
	tcase_add_test(tc, test_leasefile_dir);
	tcase_add_test(tc, test_interfaces);
	tcase_add_test(tc, test_interfaces6);
	suite_add_tcase(s, tc);
	return s;
}
