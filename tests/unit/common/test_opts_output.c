/* SPDX-License-Identifier: MIT */
/* What the engine prints and how main() ends: --print-config, --help,
 * the actions, value parsers, exit statuses. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opts_fixture.h"

START_TEST(actions)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, NULL, "--bogus", "--help", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_HELP); /* --help wins over everything */
	pxe_config_free(&c);
	ck_assert_int_eq(ot_load(&c, &e, NULL, "-V", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_VERSION);
	pxe_config_free(&c);
	ck_assert_int_eq(ot_load(&c, &e, NULL, "--check-config", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_CHECK_CONFIG);
	pxe_config_free(&c);
	ck_assert_int_eq(ot_load(&c, &e, "mode=proxy\n", "--print-config", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_PRINT_CONFIG);
	pxe_config_free(&c);
	ck_assert_int_lt(ot_load(&c, &e, "mode=bad\n", "--check-config", NULL), 0);
}
END_TEST

/* --print-config output is itself a config file that loads back the same. */
START_TEST(print_round_trip)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, "[test]\nheader = X-A: 1\nmode = proxy-4011\n",
				 "--timeout", "90s", "-l", "[::1]:69", "-l", "127.0.0.1:70", "/srv",
				 NULL),
			 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_print(&c, m);
	fclose(m);
	ck_assert(strstr(buf, "listen = [::1]:69") != NULL);
	ck_assert(strstr(buf, "timeout = 90s") != NULL);
	ck_assert(strstr(buf, "; command line") != NULL);
	ck_assert(strstr(buf, "t.conf:2") != NULL);
	ck_assert(strstr(buf, "max-size = 4M") != NULL);
	ck_assert(strstr(buf, "; default") != NULL);
	pxe_config_free(&c);

	struct pxe_config c2;
	ck_assert_int_eq(ot_load(&c2, &e, buf, NULL), 0);
	struct tcfg *t = c2.cfg;
	ck_assert_uint_eq(t->listen.n, 2);
	ck_assert_int_eq(t->timeout_ms, 90000);
	ck_assert_int_eq(t->mode, 2);
	ck_assert_str_eq(t->root, "/srv");
	ck_assert_uint_eq(t->header.n, 1);
	pxe_config_free(&c2);
	free(buf);
}
END_TEST

START_TEST(help_lists_every_option)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_help(&ot_spec, m);
	fclose(m);
	for (size_t i = 0; i < ot_spec.nopts; i++) {
		char want[80];
		snprintf(want, sizeof(want), "--%s%s", ot_opts[i].name,
			 ot_opts[i].type == PXE_OPT_BOOL ? "" : " ");
		if (ot_opts[i].type == PXE_OPT_BOOL && ot_opts[i].def &&
		    !strcmp(ot_opts[i].def, "yes"))
			snprintf(want, sizeof(want), "--[no-]%s", ot_opts[i].name);
		ck_assert_msg(strstr(buf, want), "--help lacks %s", want);
	}
	ck_assert(strstr(buf, "Usage: pxe-test [options] [ROOT]"));
	ck_assert(strstr(buf, "--print-config"));
	ck_assert(strstr(buf, "-u, --user"));
	ck_assert(strstr(buf, "(also --uid)"));
	/* an enum's metavar is its choices, from the table's one list */
	ck_assert(strstr(buf, "--mode full|proxy|proxy-4011"));
	/* lists say (repeatable) once, in the engine, not in their help text */
	ck_assert_ptr_null(strstr(buf, "(repeatable) (repeatable)"));
	free(buf);
}
END_TEST

START_TEST(value_parsers)
{
	long long v;
	unsigned long long s;
	bool b;
	ck_assert_int_eq(pxe_parse_duration_ms("500ms", &v, NULL), 0);
	ck_assert_int_eq(v, 500);
	ck_assert_int_eq(pxe_parse_duration_ms("2d", &v, NULL), 0);
	ck_assert_int_eq(v, 172800000);
	ck_assert_int_eq(pxe_parse_duration_ms("7", &v, NULL), 0);
	ck_assert_int_eq(v, 7000);
	ck_assert_int_lt(pxe_parse_duration_ms("", &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_duration_ms("1.5s", &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_duration_ms("99999999999999999d", &v, NULL), 0);
	ck_assert_int_eq(pxe_parse_size("64KiB", &s, NULL), 0);
	ck_assert_uint_eq(s, 65536);
	ck_assert_int_eq(pxe_parse_size("512", &s, NULL), 0);
	ck_assert_uint_eq(s, 512);
	ck_assert_int_eq(pxe_parse_size("3g", &s, NULL), 0);
	ck_assert_uint_eq(s, 3ULL << 30);
	ck_assert_int_lt(pxe_parse_size("K", &s, NULL), 0);
	ck_assert_int_lt(pxe_parse_size(" 5", &s, NULL), 0);
	ck_assert_int_eq(pxe_parse_bool("ON", &b, NULL), 0);
	ck_assert(b);
	ck_assert_int_eq(pxe_parse_bool("0", &b, NULL), 0);
	ck_assert(!b);
	ck_assert_int_lt(pxe_parse_bool("2", &b, NULL), 0);
	ck_assert_int_eq(pxe_parse_int("-5", -10, 10, &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_int("99999999999999999999", 0, 0, &v, NULL), 0);
}
END_TEST

/* pxe_config_main's exit statuses: what every daemon's main returns. */
static int run_main(const char *content, const char *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(99);
		char path[4200];
		snprintf(path, sizeof(path), "%s/m.conf", ot_tmp);
		if (unit_write_file(ot_tmp, "m.conf", content) < 0)
			_exit(98);
		char *argv[] = {"pxe-test", "-c", path, (char *)arg, NULL};
		struct pxe_config c;
		int rc = pxe_config_main(&ot_spec, arg ? 4 : 3, argv, &c);
		if (rc < 0) {
			pxe_config_free(&c);
			_exit(50);
		}
		_exit(rc);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(exit_statuses)
{
	ck_assert_int_eq(run_main("blksize-max = 1\n", "--check-config"), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("blksize-max = 100\n", "--check-config"), 0);
	ck_assert_int_eq(run_main("blksize-max = 100\n", "--print-config"), 0);
	ck_assert_int_eq(run_main("blksize-max = 100\n", NULL), 50); /* caller goes on */
	ck_assert_int_eq(run_main("bad line\n", NULL), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("", "--nope"), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("", "--help"), 0);
}
END_TEST

UNIT_SUITE(opts_output)
{
	Suite *s = suite_create("opts_output");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, ot_setup, ot_teardown);
	tcase_add_test(tc, actions);
	tcase_add_test(tc, print_round_trip);
	tcase_add_test(tc, help_lists_every_option);
	tcase_add_test(tc, value_parsers);
	tcase_add_test(tc, exit_statuses);
	suite_add_tcase(s, tc);
	return s;
}
