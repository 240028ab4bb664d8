/* SPDX-License-Identifier: MIT */
/* What start will need, checked through the option tables (pxe_opt.check):
 * each failure where its value was set, all of them, the exit status of
 * --check-config and of a start; every error of a config file reported;
 * the suggestions for unknown keys and options. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opts_fixture.h"
#include "opts_internal.h"

/* pxe_config_check's report of c, malloc'd; *n the failures. */
static char *check_report(const struct pxe_config *c, int *n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	*n = pxe_config_check(c, m);
	fclose(m);
	return buf;
}

START_TEST(checks_report_where)
{
	char dir[4200], file[4200];
	snprintf(dir, sizeof(dir), "%s/srv", ot_tmp);
	ck_assert_int_eq(unit_write_file(ot_tmp, "srv/a", "x"), 0);
	snprintf(file, sizeof(file), "%s/srv/a", ot_tmp);
	struct pxe_config c;
	struct pxe_err e;
	int n;

	/* all good: a directory root, a readable map, a user and a group */
	char conf[9000];
	snprintf(conf, sizeof(conf), "root = %s\nmap = %s\nuser = root\ngroup = 0\n", dir, file);
	ck_assert_int_eq(ot_load(&c, &e, conf, NULL), 0);
	char *out = check_report(&c, &n);
	ck_assert_msg(n == 0, "%s", out);
	ck_assert_str_eq(out, "");
	free(out);
	pxe_config_free(&c);

	/* every failure, each with FILE:LINE: key or --key */
	snprintf(conf, sizeof(conf), "root = %s\n\nmap = %s/missing\nuser = no-such-user-pxe\n",
		 file, dir);
	ck_assert_int_eq(ot_load(&c, &e, conf, "--group", "no-such-group-pxe", NULL), 0);
	out = check_report(&c, &n);
	ck_assert_int_eq(n, 4);
	char want[20000];
	snprintf(want, sizeof(want),
		 "pxe-test: %s/t.conf:1: root: %s: not an ISO 9660 image: 1 bytes, shorter than "
		 "its System Area and first volume descriptor (34816); a served root is a "
		 "directory or an ISO 9660 image\n"
		 "pxe-test: %s/t.conf:4: user: no such user 'no-such-user-pxe'\n"
		 "pxe-test: %s/t.conf:3: map: %s/missing: No such file or directory\n"
		 "pxe-test: --group: no such group 'no-such-group-pxe'\n",
		 ot_tmp, file, ot_tmp, ot_tmp, dir);
	ck_assert_str_eq(out, want);
	free(out);
	pxe_config_free(&c);

	/* a positional ROOT is the command line's; a directory is no map */
	ck_assert_int_eq(ot_load(&c, &e, NULL, "/nonexistent-pxe", "--map", dir, NULL), 0);
	out = check_report(&c, &n);
	ck_assert_int_eq(n, 2);
	snprintf(want, sizeof(want),
		 "pxe-test: --root: /nonexistent-pxe: No such file or directory\n"
		 "pxe-test: --map: %s: expected a regular file, found a directory\n",
		 dir);
	ck_assert_str_eq(out, want);
	free(out);
	pxe_config_free(&c);
}
END_TEST

START_TEST(where_names_the_source)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e, "\nmode = proxy\n", "--timeout", "5s", NULL), 0);
	char buf[PXE_OPT_WHERE_MAX], want[PXE_OPT_WHERE_MAX];
	pxe_config_where(&c, &ot_opts[6], buf, sizeof(buf));
	snprintf(want, sizeof(want), "%s/t.conf:2: mode", ot_tmp);
	ck_assert_str_eq(buf, want);
	pxe_config_where(&c, &ot_opts[4], buf, sizeof(buf));
	ck_assert_str_eq(buf, "--timeout");
	pxe_config_where(&c, &ot_opts[5], buf, sizeof(buf));
	ck_assert_str_eq(buf, "keepalive (default)");
	pxe_config_free(&c);
}
END_TEST

/* pxe_config_main with stderr captured: its exit status (50: go on). */
static int run_main(const char *content, const char *a1, const char *a2, char *err, size_t cap)
{
	char errpath[4200];
	snprintf(errpath, sizeof(errpath), "%s/stderr", ot_tmp);
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen(errpath, "w", stderr))
			_exit(99);
		char path[4200];
		snprintf(path, sizeof(path), "%s/m.conf", ot_tmp);
		if (unit_write_file(ot_tmp, "m.conf", content) < 0)
			_exit(98);
		char *argv[] = {"pxe-test", "-c", path, (char *)a1, (char *)a2, NULL};
		struct pxe_config c;
		int rc = pxe_config_main(&ot_spec, 3 + (a1 != NULL) + (a2 != NULL), argv, &c);
		if (rc < 0)
			pxe_config_free(&c);
		fflush(stderr); /* freopen made it buffered */
		_exit(rc < 0 ? 50 : rc);
	}
	int st;
	waitpid(pid, &st, 0);
	FILE *f = fopen(errpath, "r");
	size_t n = f ? fread(err, 1, cap - 1, f) : 0;
	err[n] = 0;
	if (f)
		fclose(f);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(main_reports_every_error)
{
	char err[8192], want[8192];
	/* three bad lines of the file: three lines, in the order of the file */
	ck_assert_int_eq(run_main("[test]\nmode = fast\nkeepalive = maybe\nnope = 1\nlog-level = "
				  "info\n",
				  "--check-config", NULL, err, sizeof(err)),
			 PXE_EX_CONFIG);
	snprintf(
		want, sizeof(want),
		"pxe-test: %s/m.conf:2: mode: expected one of full, proxy, proxy-4011, got 'fast'\n"
		"pxe-test: %s/m.conf:3: keepalive: expected yes or no, got 'maybe'\n"
		"pxe-test: %s/m.conf:4: [test] nope: unknown key; valid keys: listen, root, "
		"blksize-max, max-size, timeout, keepalive, mode, header, forward, addr, user, "
		"log-format, log-level, log, syslog, map, group\n",
		ot_tmp, ot_tmp, ot_tmp);
	ck_assert_str_eq(err, want);

	/* another section: each bad key, but a sentence repeated for each key
	 * of the same section (a bad header) only once */
	ot_spec.other_section = ot_other_section;
	ck_assert_int_eq(run_main("[weird]\na = 1\nb = 2\n[subnet 1]\nfoo = 1\nbar = 2\n",
				  "--check-config", NULL, err, sizeof(err)),
			 PXE_EX_CONFIG);
	ot_spec.other_section = NULL;
	snprintf(want, sizeof(want),
		 "pxe-test: %s/m.conf:2: unknown section [weird]\n"
		 "pxe-test: %s/m.conf:5: unknown key 'foo' in [subnet 1]\n"
		 "pxe-test: %s/m.conf:6: unknown key 'bar' in [subnet 1]\n",
		 ot_tmp, ot_tmp, ot_tmp);
	ck_assert_str_eq(err, want);

	/* the checks: the same sentences for --check-config and for a start */
	ck_assert_int_eq(run_main("root = /nonexistent-pxe\nuser = no-such-user-pxe\n",
				  "--check-config", NULL, err, sizeof(err)),
			 PXE_EX_CONFIG);
	snprintf(want, sizeof(want),
		 "pxe-test: %s/m.conf:1: root: /nonexistent-pxe: No such file or directory\n"
		 "pxe-test: %s/m.conf:2: user: no such user 'no-such-user-pxe'\n",
		 ot_tmp, ot_tmp);
	ck_assert_str_eq(err, want);
	char start_err[8192];
	ck_assert_int_eq(run_main("root = /nonexistent-pxe\nuser = no-such-user-pxe\n", NULL, NULL,
				  start_err, sizeof(start_err)),
			 PXE_EX_CONFIG);
	ck_assert_str_eq(start_err, want);

	/* --print-config prints what is configured, even what would not start */
	ck_assert_int_eq(
		run_main("root = /nonexistent-pxe\n", "--print-config", NULL, err, sizeof(err)), 0);
	/* a good configuration starts and checks OK */
	ck_assert_int_eq(run_main("user = root\n", NULL, NULL, err, sizeof(err)), 50);
	ck_assert_int_eq(run_main("user = root\n", "--check-config", NULL, err, sizeof(err)), 0);
	ck_assert(strstr(err, "configuration OK") != NULL);
}
END_TEST

/* A validation message "key: ..." is put where the key was set. */
static const char *validate_msg;
static int validate_says(void *cfg, struct pxe_err *err)
{
	(void)cfg;
	return pxe_err_set(err, EINVAL, "%s", validate_msg);
}

START_TEST(validate_errors_placed)
{
	ot_spec.validate = validate_says;
	struct pxe_config c;
	struct pxe_err e;
	char want[4400];
	validate_msg = "blksize-max: too large for timeout";
	ck_assert_int_lt(ot_load(&c, &e, "\nblksize-max = 9000\n", NULL), 0);
	snprintf(want, sizeof(want), "%s/t.conf:2: blksize-max: too large for timeout", ot_tmp);
	ck_assert_str_eq(e.msg, want);
	ck_assert_int_lt(ot_load(&c, &e, "\nblksize-max = 9000\n", "-B", "9001", NULL), 0);
	ck_assert_str_eq(e.msg, "--blksize-max: too large for timeout");
	validate_msg = "--blksize-max: too large"; /* the daemon's own "--key" style */
	ck_assert_int_lt(ot_load(&c, &e, NULL, NULL), 0);
	ck_assert_str_eq(e.msg, "blksize-max (default): too large");
	validate_msg = "nothing: to place";
	ck_assert_int_lt(ot_load(&c, &e, NULL, NULL), 0);
	ck_assert_str_eq(e.msg, "nothing: to place");
	validate_msg = "t.conf:3: [part p]: placed already";
	ck_assert_int_lt(ot_load(&c, &e, NULL, NULL), 0);
	ck_assert_str_eq(e.msg, "t.conf:3: [part p]: placed already");
	ot_spec.validate = NULL;
}
END_TEST

START_TEST(hint_distance)
{
	ck_assert_uint_eq(pxe_hint_distance("listen", 6, "listen", 6), 0);
	ck_assert_uint_eq(pxe_hint_distance("lsiten", 6, "listen", 6), 1); /* swap */
	ck_assert_uint_eq(pxe_hint_distance("listn", 5, "listen", 6), 1);
	ck_assert_uint_eq(pxe_hint_distance("kitten", 6, "sitting", 7), 3);
	ck_assert_uint_eq(pxe_hint_distance("Broadcast", 9, "broadcast", 9), 0);
	ck_assert_uint_eq(pxe_hint_distance("", 0, "mac", 3), 3);
	char longname[80];
	memset(longname, 'a', sizeof(longname));
	ck_assert_uint_eq(pxe_hint_distance(longname, 80, "a", 1), (size_t)-1);
}
END_TEST

/* A [host]-like table: the synonym "ip" and a typo each name their key. */
static const struct pxe_opt host_opts[] = {
	{.name = "mac", .type = PXE_OPT_STRING},
	{.name = "client-id", .type = PXE_OPT_STRING},
	{.name = "address", .type = PXE_OPT_STRING},
	{.name = "hostname", .type = PXE_OPT_STRING},
	{.name = "old", .type = PXE_OPT_STRING, .flags = PXE_OPTF_HIDDEN},
	{.name = "fork", .type = PXE_OPT_BOOL, .flags = PXE_OPTF_CLI_ONLY},
};

static const char *unknown(const char *key, unsigned skip)
{
	static struct pxe_err e;
	ck_assert_int_eq(pxe_opt_unknown_key(host_opts, 6, skip, "host pc1", key, &e), -EINVAL);
	return e.msg;
}

START_TEST(unknown_key_messages)
{
	unsigned skip = PXE_OPTF_HIDDEN | PXE_OPTF_CLI_ONLY;
	ck_assert_str_eq(unknown("ip", skip),
			 "[host pc1] ip: unknown key; valid keys: mac, client-id, "
			 "address, hostname; did you mean 'address'?");
	ck_assert_str_eq(unknown("hostnme", skip),
			 "[host pc1] hostnme: unknown key; valid keys: mac, client-id, address, "
			 "hostname; did you mean 'hostname'?");
	ck_assert_str_eq(unknown("hwaddr", skip),
			 "[host pc1] hwaddr: unknown key; valid keys: mac, client-id, address, "
			 "hostname; did you mean 'mac'?");
	/* far from everything, and short: no guess ("ab" is 2 edits from "mac") */
	ck_assert_str_eq(unknown("ab", skip), "[host pc1] ab: unknown key; valid keys: mac, "
					      "client-id, address, hostname");
	ck_assert_str_eq(unknown("gateway", skip), "[host pc1] gateway: unknown key; valid keys: "
						   "mac, client-id, address, hostname");
	ck_assert_str_eq(unknown("fork", skip),
			 "[host pc1] fork: a command-line option only (--fork), "
			 "not a key of the config file");
	/* what is listed follows skip */
	ck_assert_str_eq(unknown("x", 0), "[host pc1] x: unknown key; valid keys: mac, client-id, "
					  "address, hostname, old, fork");
}
END_TEST

/* A long table is cut with "..." so that the sentence and its guess fit. */
START_TEST(unknown_key_long_table)
{
	static char names[60][24];
	static struct pxe_opt many[60];
	for (int i = 0; i < 60; i++) {
		snprintf(names[i], sizeof(names[i]), "a-rather-long-key-%02d", i);
		many[i] = (struct pxe_opt){.name = names[i], .type = PXE_OPT_STRING};
	}
	struct pxe_err e;
	pxe_opt_unknown_key(many, 60, 0, "big", "a-rather-long-key-7", &e);
	ck_assert_msg(strstr(e.msg, ", ...; did you mean 'a-rather-long-key-07'?"), "%s", e.msg);
	/* room left for the caller's "FILE:LINE: " */
	ck_assert_msg(strlen(e.msg) + 100 < sizeof(e.msg), "%zu", strlen(e.msg));
}
END_TEST

UNIT_SUITE(opts_check)
{
	Suite *s = suite_create("opts_check");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, ot_setup, ot_teardown);
	tcase_add_test(tc, checks_report_where);
	tcase_add_test(tc, where_names_the_source);
	tcase_add_test(tc, main_reports_every_error);
	tcase_add_test(tc, validate_errors_placed);
	tcase_add_test(tc, hint_distance);
	tcase_add_test(tc, unknown_key_messages);
	tcase_add_test(tc, unknown_key_long_table);
	suite_add_tcase(s, tc);
	return s;
}
