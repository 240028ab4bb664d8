/* SPDX-License-Identifier: MIT */
/* The process-wide logger (common/log.c): level names and filtering,
 * stderr before it is configured, and which destinations get the lines
 * for each configuration. */
#include "test_log_fixture.h"
#include "unit.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ levels */

START_TEST(test_level_names)
{
	static const struct {
		const char *name;
		int level;
	} t[] = {{"err", PXE_LOG_ERR},
		 {"warn", PXE_LOG_WARN},
		 {"notice", PXE_LOG_NOTICE},
		 {"info", PXE_LOG_INFO},
		 {"debug", PXE_LOG_DEBUG}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(pxe_log_level_parse(t[i].name), t[i].level);
		ck_assert_str_eq(pxe_log_level_name(t[i].level), t[i].name);
	}
	ck_assert_int_eq(pxe_log_level_parse("warning"), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse("INFO"), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse(""), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse(NULL), -EINVAL);
	ck_assert_str_eq(pxe_log_level_name(0), "unknown");
	ck_assert_str_eq(pxe_log_level_name(8), "unknown");
}
END_TEST

START_TEST(test_level_filter)
{
	struct pxe_log_line l;

	logtest_open_file(false, PXE_LOG_WARN);
	ck_assert(pxe_log_enabled(PXE_LOG_ERR));
	ck_assert(pxe_log_enabled(PXE_LOG_WARN));
	ck_assert(!pxe_log_enabled(PXE_LOG_NOTICE));
	ck_assert(!pxe_log_enabled(PXE_LOG_DEBUG));

	pxe_log_begin(&l, PXE_LOG_INFO, "dropped");
	ck_assert(!l.active);
	pxe_log_str(&l, "a", "b");
	pxe_log_int(&l, "n", 1);
	pxe_log_addr(&l, "c", NULL);
	pxe_log_mac(&l, "m", (const uint8_t *)"\1\2", 2);
	ck_assert_uint_eq(l.len, 0);
	pxe_log_end(&l);
	pxe_log_msg(PXE_LOG_DEBUG, "dropped", "x %d", 1);
	pxe_log_msg(PXE_LOG_WARN, "kept", "w");
	pxe_log_msg(PXE_LOG_ERR, "kept2", "e");

	char *f = logtest_slurp(logtest_path, NULL);
	ck_assert_ptr_null(strstr(f, "dropped"));
	ck_assert_ptr_nonnull(strstr(f, " level=warn daemon=pxe-test event=kept msg=w\n"));
	ck_assert_ptr_nonnull(strstr(f, " level=err daemon=pxe-test event=kept2 msg=e\n"));
	free(f);

	/* reload to debug */
	logtest_open_file(false, PXE_LOG_DEBUG);
	ck_assert(pxe_log_enabled(PXE_LOG_DEBUG));
}
END_TEST

/* ------------------------------------------------------------ destinations */

static void log_early(void)
{
	pxe_log_msg(PXE_LOG_INFO, "early", "boom %d", 42);
	pxe_log_msg(PXE_LOG_DEBUG, "early_debug", "hidden");
}

START_TEST(test_stderr_before_open)
{
	char *s = logtest_capture_stderr(log_early);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	ck_assert_str_eq(s + 3 + 24, " level=info daemon=pxe event=early msg=\"boom 42\"\n");
	free(s);
}
END_TEST

static void log_file_no_stderr(void)
{
	struct pxe_log_config cfg = {
		.level = PXE_LOG_INFO, .file = logtest_path, .no_stderr = true};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "only_file", "x");
	/* file and stderr */
	cfg.no_stderr = false;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "both", "x");
	/* no_stderr with nothing else: stderr is kept, lines are not lost */
	cfg.file = NULL;
	cfg.no_stderr = true;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "fallback", "x");
	/* syslog replaces stderr */
	cfg.syslog = true;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "pxe_unit_test_syslog", "x");
}

START_TEST(test_destinations)
{
	char *s = logtest_capture_stderr(log_file_no_stderr);
	char *f = logtest_slurp(logtest_path, NULL);
	ck_assert_ptr_null(strstr(s, "only_file"));
	ck_assert_ptr_nonnull(strstr(f, "event=only_file"));
	ck_assert_ptr_nonnull(strstr(s, "event=both"));
	ck_assert_ptr_nonnull(strstr(f, "event=both"));
	ck_assert_ptr_nonnull(strstr(s, "event=fallback"));
	ck_assert_ptr_null(strstr(f, "event=fallback"));
	ck_assert_ptr_null(strstr(s, "syslog"));
	ck_assert_ptr_null(strstr(f, "syslog"));
	free(s);
	free(f);
}
END_TEST

UNIT_SUITE(log)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, logtest_setup, logtest_teardown);
	tcase_add_test(tc, test_level_names);
	tcase_add_test(tc, test_level_filter);
	tcase_add_test(tc, test_stderr_before_open);
	tcase_add_test(tc, test_destinations);
	suite_add_tcase(s, tc);
	return s;
}
