/* SPDX-License-Identifier: MIT */
/* Option tables: command line, INI, precedence, typed values, errors. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opts_fixture.h"

START_TEST(defaults)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, NULL, NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_RUN);
	ck_assert_uint_eq(CFG(c)->listen.n, 1);
	ck_assert_int_eq(pxe_addr_port(&CFG(c)->listen.v[0].u.sa), 69);
	ck_assert_int_eq(CFG(c)->blksize, 1468);
	ck_assert_uint_eq(CFG(c)->max_size, 4 << 20);
	ck_assert_int_eq(CFG(c)->timeout_ms, 30000);
	ck_assert(CFG(c)->keepalive);
	ck_assert_ptr_null(CFG(c)->root);
	ck_assert_int_eq(c.src[0].kind, PXE_SRC_DEFAULT);
	ck_assert_int_eq(c.src[1].kind, PXE_SRC_UNSET);
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_forms)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, NULL, "--blksize-max=512", "--timeout", "5m", "-B", "1024",
				 "--no-keepalive", "--mode", "PROXY", "/srv/tftp", "--max-size=1G",
				 "-uadmin", NULL),
			 0);
	ck_assert_int_eq(CFG(c)->blksize, 1024); /* last one wins */
	ck_assert_int_eq(CFG(c)->timeout_ms, 300000);
	ck_assert(!CFG(c)->keepalive);
	ck_assert_int_eq(CFG(c)->mode, 1);
	ck_assert_str_eq(CFG(c)->root, "/srv/tftp");
	ck_assert_uint_eq(CFG(c)->max_size, 1ULL << 30);
	ck_assert_str_eq(CFG(c)->common.user, "admin");
	ck_assert_int_eq(c.src[1].kind, PXE_SRC_CLI);
	pxe_config_free(&c);

	ck_assert_int_eq(
		ot_load(&c, &e, NULL, "--keepalive=no", "--uid", "nobody", "--", "-odd", NULL), 0);
	ck_assert(!CFG(c)->keepalive);
	ck_assert_str_eq(CFG(c)->common.user, "nobody");
	ck_assert_str_eq(CFG(c)->root, "-odd");
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_two_args)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, NULL, "--forward", "example.com", "http://x/", "--forward",
				 "b.org", "http://y/", NULL),
			 0);
	ck_assert_uint_eq(CFG(c)->forward.n, 2);
	ck_assert_str_eq(CFG(c)->forward.v[0], "example.com http://x/");
	ck_assert_str_eq(CFG(c)->forward.v[1], "b.org http://y/");
	pxe_config_free(&c);
	ck_assert_int_lt(ot_load(&c, &e, NULL, "--forward", "only-one", NULL), 0);
	ck_assert_str_eq(e.msg, "--forward: expects arguments HOST URL (see pxe-test --help)");
}
END_TEST

START_TEST(cli_errors)
{
	static const struct {
		const char *args[4];
		const char *msg;
	} cases[] = {
		{{"--bogus"}, "unknown option '--bogus' (see pxe-test --help)"},
		{{"-x"}, "unknown option '-x' (see pxe-test --help)"},
		{{"--blksize-max"}, "--blksize-max: expects a value VALUE (see pxe-test --help)"},
		{{"--blksize-max=7"}, "--blksize-max: expected an integer 8..65464, got 7"},
		{{"--blksize-max=65465"}, "--blksize-max: expected an integer 8..65464, got 65465"},
		{{"--blksize-max=12abc"},
		 "--blksize-max: expected an integer 8..65464, got '12abc'"},
		{{"--blksize-max="}, "--blksize-max: expected an integer 8..65464, got ''"},
		{{"--keepalive=maybe"}, "--keepalive: expected yes or no, got 'maybe'"},
		{{"--no-mode"}, "unknown option '--no-mode' (see pxe-test --help)"},
		{{"--listn"},
		 "unknown option '--listn'; did you mean '--listen'? (see pxe-test --help)"},
		{{"--foreground"}, "unknown option '--foreground' (see pxe-test --help)"},
		{{"--no-keepalve"},
		 "unknown option '--no-keepalve'; did you mean '--no-keepalive'? (see pxe-test "
		 "--help)"},
		{{"--check-confg"},
		 "unknown option '--check-confg'; did you mean '--check-config'? (see pxe-test "
		 "--help)"},
		{{"--ui", "x"},
		 "unknown option '--ui'; did you mean '--uid'? (see pxe-test --help)"},
		{{"--dir", "x"},
		 "unknown option '--dir'; did you mean '--root'? (see pxe-test --help)"},
		{{"--mode", "fast"}, "--mode: expected one of full, proxy, proxy-4011, got 'fast'"},
		{{"--mode"}, "--mode: expects a value full|proxy|proxy-4011 (see pxe-test --help)"},
		{{"--max-size=4Q"},
		 "--max-size: expected a size such as 512, 64K, 4M or 1G, got '4Q'"},
		{{"--max-size=-1"},
		 "--max-size: expected a size such as 512, 64K, 4M or 1G, got '-1'"},
		{{"--max-size=99999999999T"}, "--max-size: size '99999999999T' is too large"},
		{{"--timeout=2w"},
		 "--timeout: expected a duration such as 30 (seconds), 500ms, 30s, 5m, 1h or 2d, "
		 "got '2w'"},
		{{"--timeout=2h"}, "--timeout: expected a duration 0ms..3600000ms, got 2h"},
		{{"--listen", "1.2.3.4:99999"},
		 "--listen: expected ADDRESS[:PORT] (IPv4, or [IPv6]:PORT), got '1.2.3.4:99999'"},
		{{"--listen", "host.example:69"},
		 "--listen: expected ADDRESS[:PORT] (IPv4, or [IPv6]:PORT), got 'host.example:69'"},
		{{"a", "b"}, "unexpected argument 'b' (see pxe-test --help)"},
		{{"--config"}, "--config: expects a FILE"},
		{{"--version=1"}, "--version: takes no value"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pxe_config c;
		struct pxe_err e;
		int r = ot_load(&c, &e, NULL, cases[i].args[0], cases[i].args[1], cases[i].args[2],
				NULL);
		ck_assert_msg(r < 0, "case %zu accepted", i);
		ck_assert_str_eq(e.msg, cases[i].msg);
	}
}
END_TEST

START_TEST(ini_values_and_sources)
{
	struct pxe_config c;
	struct pxe_err e;
	const char *file = "; comment\n"
			   "# another\n"
			   "blksize-max = 9000\n"
			   "[test]\n"
			   "listen = 127.0.0.1:6969   ; inline comment\n"
			   "listen = [::1]:6969\n"
			   "header = X-A: 1\n"
			   "header = X-B: 2\n"
			   "keepalive = off\n"
			   "root = /srv/a b\n";
	ck_assert_int_eq(ot_load(&c, &e, file, NULL), 0);
	struct tcfg *t = c.cfg;
	ck_assert_int_eq(t->blksize, 9000);
	ck_assert_uint_eq(t->listen.n, 2); /* the file replaced the default list */
	ck_assert_int_eq(t->listen.v[0].u.sa.sa_family, AF_INET);
	ck_assert_int_eq(t->listen.v[1].u.sa.sa_family, AF_INET6);
	ck_assert_int_eq(pxe_addr_port(&t->listen.v[1].u.sa), 6969);
	ck_assert_uint_eq(t->header.n, 2);
	ck_assert_str_eq(t->header.v[1], "X-B: 2");
	ck_assert(!t->keepalive);
	ck_assert_str_eq(t->root, "/srv/a b");
	ck_assert_int_eq(c.src[2].kind, PXE_SRC_FILE);
	ck_assert_int_eq(c.src[2].line, 3);
	ck_assert(strstr(c.src[2].file, "t.conf") != NULL);
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_overrides_file)
{
	struct pxe_config c;
	struct pxe_err e;
	const char *file = "[test]\nblksize-max = 9000\nlisten = 127.0.0.1\nlisten = 127.0.0.2\n"
			   "mode = proxy\n";
	ck_assert_int_eq(ot_load(&c, &e, file, "--blksize-max", "600", "-l", "127.0.0.9:1", NULL),
			 0);
	struct tcfg *t = c.cfg;
	ck_assert_int_eq(t->blksize, 600);
	ck_assert_uint_eq(t->listen.n, 1); /* the command line replaces the file's list */
	ck_assert_int_eq(pxe_addr_port(&t->listen.v[0].u.sa), 1);
	ck_assert_int_eq(t->mode, 1);
	ck_assert_int_eq(c.src[2].kind, PXE_SRC_CLI);
	ck_assert_int_eq(c.src[6].kind, PXE_SRC_FILE);
	pxe_config_free(&c);
}
END_TEST

/* Error text must name FILE:LINE and the key, and say what was expected. */
START_TEST(ini_errors)
{
	static const struct {
		const char *file;
		const char *suffix;
	} cases[] = {
		{"[test]\nblksize-max = big\n",
		 "t.conf:2: blksize-max: expected an integer 8..65464, got 'big'"},
		{"\n\n[test]\nnonsense = 1\n",
		 "t.conf:4: [test] nonsense: unknown key; valid keys: listen, root, blksize-max, "
		 "max-size, timeout, keepalive, mode, header, forward, addr, user, log-format, "
		 "log-level, log, syslog, map, group"},
		{"[test]\nblksize-mx = 1\n",
		 "t.conf:2: [test] blksize-mx: unknown key; valid keys: listen, root, blksize-max, "
		 "max-size, timeout, keepalive, mode, header, forward, addr, user, log-format, "
		 "log-level, log, syslog, map, group; did you mean 'blksize-max'?"},
		{"daemon = yes\n",
		 "t.conf:1: [test] daemon: a command-line option only (--daemon), not a key of "
		 "the config file"},
		{"[elsewhere]\nx = 1\n",
		 "t.conf:2: [elsewhere] x: unknown section (expected [test])"},
		{"[test]\nthis line has no equals sign\n",
		 "t.conf:2: syntax error: expected 'key = value', '[section]' or a comment"},
		{"[test\nroot = x\n",
		 "t.conf:1: syntax error: expected 'key = value', '[section]' or a comment"},
		{"[test]\nkeepalive = perhaps\nmode = nope\n",
		 "t.conf:2: keepalive: expected yes or no, got 'perhaps'"},
		{"log-level = loud\n",
		 "t.conf:1: log-level: expected one of err, warn, notice, info, debug, got 'loud'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pxe_config c;
		struct pxe_err e;
		ck_assert_int_lt(ot_load(&c, &e, cases[i].file, NULL), 0);
		size_t ml = strlen(e.msg), sl = strlen(cases[i].suffix);
		ck_assert_msg(ml >= sl && !strcmp(e.msg + ml - sl, cases[i].suffix),
			      "case %zu: got '%s'", i, e.msg);
		ck_assert_msg(e.msg[0] == '/', "case %zu: path missing in '%s'", i, e.msg);
	}
}
END_TEST

START_TEST(missing_file)
{
	struct pxe_config c;
	struct pxe_err e;
	char *argv[] = {"pxe-test", "-c", "/nonexistent/x.conf", NULL};
	ck_assert_int_lt(pxe_config_load(&ot_spec, 3, argv, &c, &e), 0);
	ck_assert_str_eq(e.msg, "/nonexistent/x.conf: cannot open: No such file or directory");
}
END_TEST

START_TEST(other_sections)
{
	ot_spec.other_section = ot_other_section;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(
		ot_load(&c, &e, "[test]\nroot=/x\n[subnet 198.18.0.0/24]\nrange = a-b\n", NULL), 0);
	ck_assert_int_eq(CFG(c)->other_calls, 1);
	ck_assert_str_eq(CFG(c)->last_other, "subnet 198.18.0.0/24|a-b|4");
	pxe_config_free(&c);
	ck_assert_int_lt(ot_load(&c, &e, "[subnet 1]\nrange=1\nrouter = 1\n", NULL), 0);
	ck_assert(strstr(e.msg, "t.conf:3: unknown key 'router' in [subnet 1]") != NULL);
}
END_TEST

UNIT_SUITE(opts)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, ot_setup, ot_teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, cli_forms);
	tcase_add_test(tc, cli_two_args);
	tcase_add_test(tc, cli_errors);
	tcase_add_test(tc, ini_values_and_sources);
	tcase_add_test(tc, cli_overrides_file);
	tcase_add_test(tc, ini_errors);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, other_sections);
	suite_add_tcase(s, tc);
	return s;
}
