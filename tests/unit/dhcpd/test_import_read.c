/* SPDX-License-Identifier: MIT */
/* dhcpd/import/dnsmasq_read.c and dnsmasq_fs.c: includes as dnsmasq
 * follows them, conf-dir filters, hosts/opts files, ethers, loops. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/dnsmasq_read.h"
#include "unit.h"

struct diags {
	int n;
	char msg[8][512];
};

static void collect(void *ctx, const struct dnsm_where *at, enum dnsm_level lv, const char *msg)
{
	struct diags *d = ctx;
	(void)lv;
	if (d->n < 8)
		snprintf(d->msg[d->n], sizeof(d->msg[0]), "%s:%d: %s", at->file, at->line, msg);
	d->n++;
}

static char *path(const char *dir, const char *rel)
{
	static char p[8][512];
	static int i;
	i = (i + 1) % 8;
	snprintf(p[i], sizeof(p[i]), "%s/%s", dir, rel);
	return p[i];
}

START_TEST(test_includes)
{
	char *dir = unit_tmpdir();
	char main_conf[2048];
	ck_assert_int_eq(unit_write_file(dir, "d/10-a.conf", "dhcp-boot=a\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "d/20-b.conf", "dhcp-boot=b\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "d/30-c.bak", "dhcp-boot=c\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "d/40-d.txt", "dhcp-boot=d\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "d/.hidden.conf", "dhcp-boot=h\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "hosts", "52:54:00:00:00:01,198.18.0.5\n#x\n\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "opts", "3,198.18.0.1\n"), 0);
	ck_assert_int_eq(unit_write_file(dir, "ethers", "52:54:00:00:00:02 198.18.0.6 # pc\n"), 0);
	snprintf(main_conf, sizeof(main_conf),
		 "conf-dir=%s,*.conf\nconf-dir=%s,.bak,.conf\ndhcp-hostsfile=%s\n"
		 "dhcp-optsfile=%s\nread-ethers\nport=0\n",
		 path(dir, "d"), path(dir, "d"), path(dir, "hosts"), path(dir, "opts"));
	ck_assert_int_eq(unit_write_file(dir, "main.conf", main_conf), 0);
	struct diags d = {0};
	struct dnsm_conf c;
	dnsm_conf_init(&c, collect, &d);
	c.ethers_path = path(dir, "ethers");
	ck_assert_int_eq(dnsm_read_path(&c, path(dir, "main.conf")), 0);
	ck_assert_int_eq(d.n, 0);
	/* *.conf takes 10-a, 20-b; ".bak,.conf" excludes those: 40-d only */
	const char *want[] = {"dhcp-boot=a",
			      "dhcp-boot=b",
			      "dhcp-boot=d",
			      "dhcp-host=52:54:00:00:00:01,198.18.0.5",
			      "dhcp-option=3,198.18.0.1",
			      "dhcp-host=52:54:00:00:00:02,198.18.0.6",
			      "port=0"};
	ck_assert_uint_eq(c.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < c.n; i++) {
		char got[600];
		snprintf(got, sizeof(got), "%s=%s", c.lines[i]->name, c.lines[i]->fields[0]);
		for (int f = 1; f < c.lines[i]->nfields; f++)
			snprintf(got + strlen(got), sizeof(got) - strlen(got), ",%s",
				 c.lines[i]->fields[f]);
		if (!c.lines[i]->has_value)
			snprintf(got, sizeof(got), "%s", c.lines[i]->name);
		ck_assert_str_eq(got, want[i]);
	}
	ck_assert_str_eq(c.lines[0]->at.file, path(dir, "d/10-a.conf"));
	ck_assert_int_eq(c.lines[3]->at.line, 1);
	dnsm_conf_free(&c);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_loop_and_missing)
{
	char *dir = unit_tmpdir();
	char text[1024];
	snprintf(text, sizeof(text), "dhcp-boot=x\nconf-file=%s\n", path(dir, "b.conf"));
	ck_assert_int_eq(unit_write_file(dir, "a.conf", text), 0);
	snprintf(text, sizeof(text), "\nconf-file=%s\nconf-file=%s\n", path(dir, "a.conf"),
		 path(dir, "none.conf"));
	ck_assert_int_eq(unit_write_file(dir, "b.conf", text), 0);
	struct diags d = {0};
	struct dnsm_conf c;
	dnsm_conf_init(&c, collect, &d);
	ck_assert_int_eq(dnsm_read_path(&c, path(dir, "a.conf")), 0);
	ck_assert_int_eq(d.n, 2);
	char want[1024];
	snprintf(want, sizeof(want), "%s:2: not converted: %s: included from itself",
		 path(dir, "b.conf"), path(dir, "a.conf"));
	ck_assert_msg(strstr(d.msg[0], want) == d.msg[0], "%s", d.msg[0]);
	ck_assert_msg(strstr(d.msg[1], "No such file"), "%s", d.msg[1]);
	ck_assert(c.dropped_boot);
	ck_assert_uint_eq(c.n, 1);
	dnsm_conf_free(&c);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_lex_error_reported)
{
	struct diags d = {0};
	struct dnsm_conf c;
	dnsm_conf_init(&c, collect, &d);
	const char *t = "dhcp-boot=a\npxe-prompt=\"open,1\ndhcp-boot=b";
	ck_assert_int_eq(dnsm_read_text(&c, "t.conf", t, strlen(t)), 0);
	ck_assert_uint_eq(c.n, 2);
	ck_assert_int_eq(d.n, 1);
	ck_assert_str_eq(d.msg[0], "t.conf:2: not converted: unterminated quote");
	dnsm_conf_free(&c);
}
END_TEST

UNIT_SUITE(import_read)
{
	Suite *s = suite_create("import_read");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_includes);
	tcase_add_test(tc, test_loop_and_missing);
	tcase_add_test(tc, test_lex_error_reported);
	suite_add_tcase(s, tc);
	return s;
}
