/* SPDX-License-Identifier: MIT */
/* tftpd/map.c: rewrite rules. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "map.h"

static const char rules[] = "# comment line\n"
			    "\n"
			    "ri ^/?pxelinux\\.cfg/([0-9a-f-]+)$ cfg/\\1.conf   # per-host\n"
			    "a  \\.\\./secret\n"
			    "r  ^boot\\\\(.*) boot/\\1\n"
			    "r  ^host$ hosts/\\i/cfg\n"
			    "re ^(.*)\\.EFI$ \\1.efi\n";

static const struct {
	const char *in, *ip;
	int rc;
	const char *out;
} cases[] = {
	{"pxelinux.cfg/01-52-54", "1.2.3.4", TFTP_MAP_REWRITTEN, "cfg/01-52-54.conf"},
	{"/PXELINUX.CFG/ab", NULL, TFTP_MAP_REWRITTEN, "cfg/ab.conf"},
	{"x/../secret", NULL, TFTP_MAP_DENIED, NULL},
	{"boot\\x86\\wdsnbp.com", NULL, TFTP_MAP_REWRITTEN, "boot/x86\\wdsnbp.com"},
	{"host", "198.18.0.5", TFTP_MAP_REWRITTEN, "hosts/198.18.0.5/cfg"},
	{"grub/GRUBX64.EFI", NULL, TFTP_MAP_REWRITTEN, "grub/GRUBX64.efi"},
	{"plain.bin", NULL, TFTP_MAP_NONE, NULL},
};

START_TEST(test_map_rules)
{
	struct tftp_map m;
	struct pxe_err err = {{0}};
	ck_assert_msg(tftp_map_parse(&m, rules, "map", &err) == 0, "%s", err.msg);
	ck_assert_int_eq(m.n, 5);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char out[256];
		int rc = tftp_map_apply(&m, cases[i].in, cases[i].ip, out, sizeof(out));
		ck_assert_msg(rc == cases[i].rc, "%s: rc %d", cases[i].in, rc);
		if (rc == TFTP_MAP_REWRITTEN)
			ck_assert_str_eq(out, cases[i].out);
	}
	char small[8];
	ck_assert_int_eq(tftp_map_apply(&m, "pxelinux.cfg/0123456789", NULL, small, sizeof(small)),
			 -ENAMETOOLONG);
	tftp_map_free(&m);
}
END_TEST

START_TEST(test_map_errors)
{
	struct tftp_map m;
	struct pxe_err err = {{0}};
	ck_assert_int_eq(tftp_map_parse(&m, "r ^a b\n r (unclosed x\n", "f.map", &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "f.map:2:") != NULL, "%s", err.msg);
	ck_assert_int_eq(m.n, 0);
	ck_assert_int_eq(tftp_map_parse(&m, "r onlyregex\n", "f", &err), -EINVAL);
	ck_assert_int_eq(tftp_map_parse(&m, "x a b\n", "f", &err), -EINVAL);
	ck_assert_int_eq(tftp_map_parse(&m, "ra a b\n", "f", &err), -EINVAL);
	ck_assert_int_eq(tftp_map_parse(&m, "", "f", &err), 0);
	ck_assert_int_eq(m.n, 0);
	tftp_map_free(&m);
}
END_TEST

UNIT_SUITE(tftp_map)
{
	Suite *s = suite_create("tftp_map");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_map_rules);
	tcase_add_test(tc, test_map_errors);
	suite_add_tcase(s, tc);
	return s;
}
