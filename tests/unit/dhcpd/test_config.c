/* SPDX-License-Identifier: MIT */
/* dhcpd/config*.c: command-line subnet, section parsing, [boot] keys through
 * the option table, error locations, --print-config of the sections. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_spec.h"
#include "unit.h"

static int load(char **argv, int argc, struct pxe_config *c, struct pxe_err *e)
{
	return pxe_config_load(&dhcp_config_spec, argc, argv, c, e);
}

START_TEST(test_cli_range)
{
	char *argv[] = {
		"pxe-dhcpd", "-i",          "br0",         "--range", "198.18.1.0-198.18.255.250",
		"--netmask", "255.255.0.0", "--leasefile", "/tmp/x",  NULL};
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_msg(load(argv, 9, &c, &e) == 0, "%s", e.msg);
	const struct dhcpd_config *d = c.cfg;
	ck_assert_uint_eq(d->n_subnets, 1);
	ck_assert_uint_eq(d->subnets[0].net, 0xc6120000u);
	ck_assert_uint_eq(d->subnets[0].mask, 0xffff0000u);
	ck_assert_uint_eq(d->n_ranges, 1);
	ck_assert_uint_eq(d->ranges[0].end - d->ranges[0].start, 65274);
	ck_assert_ptr_nonnull(dhcp_config_subnet_for(d, 0xc6120001u));
	ck_assert_ptr_null(dhcp_config_subnet_for(d, 0xc6130001u));
	pxe_config_free(&c);
}
END_TEST

static void expect_error(const char *text, const char *want)
{
	char *dir = unit_tmpdir(), path[512];
	char *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	ck_assert_int_eq(unit_write_file(dir, "d.conf", text), 0);
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_lt(load(argv, 3, &c, &e), 0);
	ck_assert_msg(strstr(e.msg, want) != NULL, "'%s' lacks '%s'", e.msg, want);
	unit_tmpdir_remove(dir);
}

START_TEST(test_errors)
{
	expect_error("[subnet 198.18.0.0/24]\nrange = 198.18.1.1-198.18.1.5\n",
		     "d.conf:2: [subnet 198.18.0.0/24] range");
	expect_error("[subnet 198.18.0.0/33]\nrange = 198.18.0.1-198.18.0.5\n", "NETWORK/PREFIX");
	expect_error(
		"[subnet 198.18.0.0/24]\nrange = 198.18.0.1-198.18.0.5\n[subnet 198.18.0.0/16]\n"
		"range = 198.18.5.1-198.18.5.5\n",
		"overlaps");
	expect_error("[subnet 198.18.0.0/24]\noption = nosuch:1\n", "nosuch");
	expect_error("[subnet 198.18.0.0/24]\nbogus = 1\n", "bogus");
	expect_error("[host a]\naddress = 198.18.0.5\n", "needs mac, client-id or duid");
	expect_error(
		"[subnet 198.18.0.0/24]\n[host a]\nmac = 02:00:00:00:00:01\naddress = 10.0.0.1\n",
		"in no [subnet]");
	expect_error("[weird]\nx = 1\n", "unknown section");
	expect_error("[dhcpd]\nlease-time = 1h\n", "nothing to serve");
}
END_TEST

START_TEST(test_sections)
{
	char *dir = unit_tmpdir(), path[512];
	char *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	ck_assert_int_eq(
		unit_write_file(dir, "d.conf",
				"[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.20\nrange = "
				"198.18.0.30-198.18.0.40\n"
				"dns = 198.18.0.1, 198.18.0.2\nlease-time = 2h\n"
				"[host h]\nclient-id = 01:02:03\naddress = 198.18.0.15\n"
				"[boot b]\nmatch = arch:bios\nfile = undionly.kpxe\n"),
		0);
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_msg(load(argv, 3, &c, &e) == 0, "%s", e.msg);
	const struct dhcpd_config *d = c.cfg;
	ck_assert_uint_eq(d->subnets[0].n_ranges, 2);
	ck_assert_uint_eq(d->subnets[0].lease_secs, 7200);
	const uint8_t cid[] = {1, 2, 3};
	const struct dhcp_host *h =
		dhcp_config_host_for(d, (const uint8_t *)"\0\0\0\0\0\0", 6, cid, 3);
	ck_assert_ptr_nonnull(h);
	ck_assert_uint_eq(h->addr, 0xc612000fu);
	ck_assert_uint_eq(d->n_boots, 1);
	ck_assert_str_eq(d->boots[0].pxe.file, "undionly.kpxe");
	/* network, broadcast and the host address are reserved */
	ck_assert_uint_ge(d->n_reserved, 3);
	pxe_config_free(&c);
	unit_tmpdir_remove(dir);
}
END_TEST

/* [boot] keys go through one option table like every other section: keys
 * as written (case-sensitive), the table's keys listed when one is
 * unknown, the key and the line of a bad value. */
START_TEST(test_boot_keys)
{
	expect_error(
		"[dhcpd]\nmode = proxy\n[boot a]\nBroadcast = yes\n",
		"d.conf:4: [boot a] Broadcast: unknown key; valid keys: match, file, "
		"next-server, server-name, menu-item, menu-prompt, rpi-pad, option43, option60, "
		"rpi, option, "
		"reply-delay, broadcast, echo-uuid, bootfile-param; did you mean 'broadcast'?");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nMATCH = ipxe\n",
		     "[boot a] MATCH: unknown key; valid keys: ");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nOption = 209:x\n",
		     "[boot a] Option: unknown key; valid keys: ");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nreply-delay = 11s\n",
		     "d.conf:4: reply-delay: expected a duration 0ms..10000ms, got 11s");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nmatch = ipxe\noption = nosuchopt:1\n",
		     "d.conf:5: option: unknown option name 'nosuchopt'");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nmatch = bogus\n",
		     "d.conf:4: match: expected arch:NAME|NUMBER");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nrpi-pad = YES\n",
		     "d.conf:4: rpi-pad: expected auto, yes or no, got 'YES'");
	expect_error("[dhcpd]\nmode = proxy\n[boot a]\nmatch = http\nfile = x.efi\n",
		     "d.conf:4: [boot a]: UEFI HTTP Boot clients need an absolute URL");
	expect_error("[subnet 198.18.0.0/24]\nRange = 198.18.0.1-198.18.0.5\n",
		     "d.conf:2: [subnet 198.18.0.0/24] Range: unknown key; valid keys: range, "
		     "router, dns, domain-name, lease-time, max-lease-time, min-lease-time, "
		     "bootp-dynamic, option; did you mean 'range'?");
	expect_error("[subnet 198.18.0.0/24]\n[host h]\nmac = 02:00:00:00:00:01\nignore = maybe\n",
		     "d.conf:4: ignore: expected yes or no, got 'maybe'");
}
END_TEST

static const char print_conf[] =
	"[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.20\ndns = 198.18.0.1\n"
	"range = 198.18.0.30-198.18.0.40\n"
	"[host h]\nmac = 02:00:00:00:00:01\n"
	"[boot b]\nmatch = arch:bios\nmenu-item = a.0 Install A\nmenu-item = local Disk\n"
	"match = !ipxe\noption = 209:\"pxelinux.cfg/default\"\necho-uuid = no\n"
	"option = 210:/x/\n"
	"[boot c]\nfile = x.efi\n";

static char *load_and_print(const char *dir, const char *text, struct pxe_config *c)
{
	char path[512], *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	ck_assert_int_eq(unit_write_file(dir, "d.conf", text), 0);
	struct pxe_err e;
	ck_assert_msg(load(argv, 3, c, &e) == 0, "%s", e.msg);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_print(c, m);
	fclose(m);
	return buf;
}

static void want_line(const char *out, const char *dir, const char *text, const char *src)
{
	char line[1024], where[600];
	if (src[0] == ':')
		snprintf(where, sizeof(where), "%s/d.conf%s", dir, src);
	else
		snprintf(where, sizeof(where), "%s", src);
	snprintf(line, sizeof(line), "\n%-40s ; %s\n", text, where);
	ck_assert_msg(strstr(out, line), "%s\nlacks%s", out, line);
}

/* --print-config shows every [subnet], [host] and [boot] value with
 * where it came from, repeatable keys in their order, and reads back. */
START_TEST(test_print_sections)
{
	char *dir = unit_tmpdir();
	struct pxe_config c;
	char *out = load_and_print(dir, print_conf, &c);
	want_line(out, dir, "range = 198.18.0.10-198.18.0.20", ":4");
	want_line(out, dir, "range = 198.18.0.30-198.18.0.40", ":4");
	want_line(out, dir, "dns = 198.18.0.1", ":3");
	want_line(out, dir, "mac = 02:00:00:00:00:01", ":6");
	want_line(out, dir, "ignore = no", "default");
	want_line(out, dir, "match = arch:bios !ipxe", ":11");
	want_line(out, dir, "menu-item = a.0 Install A", ":10");
	want_line(out, dir, "menu-item = local Disk", ":10");
	want_line(out, dir, "option = 209:\"pxelinux.cfg/default\"", ":14");
	want_line(out, dir, "option = 210:/x/", ":14");
	want_line(out, dir, "echo-uuid = no", ":13");
	want_line(out, dir, "broadcast = no", "default");
	want_line(out, dir, "file = x.efi", ":16");
	ck_assert_ptr_nonnull(strstr(out, "\n[boot b]\nmatch = "));
	/* repeatable keys in the order given */
	ck_assert(strstr(out, "menu-item = a.0") < strstr(out, "menu-item = local"));
	ck_assert(strstr(out, "option = 209:") < strstr(out, "option = 210:"));
	ck_assert(strstr(out, "range = 198.18.0.10") < strstr(out, "range = 198.18.0.30"));
	ck_assert_ptr_null(strstr(out, "reply-delay")); /* never set: not shown */
	ck_assert_ptr_null(strstr(out, "server-name"));

	/* the [boot] part of the output reads back into the same sections */
	char text[4096];
	snprintf(text, sizeof(text), "[dhcpd]\nmode = proxy\n%s", strstr(out, "[boot b]"));
	struct pxe_config c2;
	char *dir2 = unit_tmpdir();
	char *out2 = load_and_print(dir2, text, &c2);
	const struct dhcpd_config *a = c.cfg, *b = c2.cfg;
	ck_assert_uint_eq(b->n_boots, 2);
	for (size_t i = 0; i < 2; i++) {
		ck_assert_int_eq(
			memcmp(&a->boots[i].pxe, &b->boots[i].pxe, sizeof(a->boots[i].pxe)), 0);
		ck_assert_int_eq(a->boots[i].echo_uuid, b->boots[i].echo_uuid);
		ck_assert_uint_eq(a->boots[i].option.opts.n, b->boots[i].option.opts.n);
		for (size_t k = 0; k < a->boots[i].option.opts.n; k++) {
			const struct dhcp_optval *x = &a->boots[i].option.opts.v[k];
			const struct dhcp_optval *y = &b->boots[i].option.opts.v[k];
			ck_assert(x->code == y->code && x->len == y->len &&
				  !memcmp(x->data, y->data, x->len));
		}
	}
	free(out2);
	free(out);
	pxe_config_free(&c2);
	pxe_config_free(&c);
	unit_tmpdir_remove(dir2);
	unit_tmpdir_remove(dir);
}
END_TEST

UNIT_SUITE(dhcp_config)
{
	Suite *s = suite_create("dhcp_config");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_cli_range);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_sections);
	tcase_add_test(tc, test_boot_keys);
	tcase_add_test(tc, test_print_sections);
	suite_add_tcase(s, tc);
	return s;
}
