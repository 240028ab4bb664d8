/* dhcpd/config.c: command-line subnet, section parsing, error locations. */
#include <stdio.h>
#include <string.h>

#include "config.h"
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
	expect_error("[host a]\naddress = 198.18.0.5\n", "needs mac or client-id");
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
	ck_assert_str_eq(d->boots[0].kv[1].value, "undionly.kpxe");
	/* network, broadcast and the host address are reserved */
	ck_assert_uint_ge(d->n_reserved, 3);
	pxe_config_free(&c);
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
	suite_add_tcase(s, tc);
	return s;
}
