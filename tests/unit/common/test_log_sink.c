/* SPDX-License-Identifier: MIT */
/* The destinations (common/log_sink.c and their use in log.c): the log
 * file (reopened after rotation, kept or switched on reload, whole lines
 * from several processes) and the JOURNAL_STREAM "<N>" prefix. */
#include "test_log_fixture.h"
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ file */

static int count_lines(const char *path)
{
	char *f = logtest_slurp(path, NULL);
	int n = 0;
	for (char *p = f; (p = strchr(p, '\n')); p++)
		n++;
	free(f);
	return n;
}

START_TEST(test_file_reopen)
{
	char rotated[4200];
	struct stat st;

	snprintf(rotated, sizeof(rotated), "%s.1", logtest_path);
	logtest_open_file(false, PXE_LOG_INFO);
	ck_assert_int_eq(stat(logtest_path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0137, 0); /* 0640 at most (umask) */
	pxe_log_msg(PXE_LOG_INFO, "one", "first");
	ck_assert_int_eq(rename(logtest_path, rotated), 0);
	pxe_log_msg(PXE_LOG_INFO, "two", "still old file");
	ck_assert_int_eq(pxe_log_reopen(), 0);
	pxe_log_msg(PXE_LOG_INFO, "three", "new file");

	char *old = logtest_slurp(rotated, NULL);
	char *cur = logtest_slurp(logtest_path, NULL);
	ck_assert_ptr_nonnull(strstr(old, "event=one"));
	ck_assert_ptr_nonnull(strstr(old, "event=two"));
	ck_assert_ptr_null(strstr(old, "event=three"));
	ck_assert_ptr_nonnull(strstr(cur, "event=three"));
	ck_assert_int_eq(count_lines(logtest_path), 1);
	free(old);
	free(cur);
}
END_TEST

/* Is the file at path open as one of our fds? */
static bool fd_open_on(const char *path)
{
	struct stat want, st;
	ck_assert_int_eq(stat(path, &want), 0);
	for (int fd = 0; fd < 1024; fd++)
		if (fstat(fd, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			return true;
	return false;
}

START_TEST(test_file_reload)
{
	char other[4200], bad[4200];
	struct pxe_log_config cfg = {.level = PXE_LOG_INFO, .file = other, .no_stderr = true};

	snprintf(other, sizeof(other), "%s/other.log", logtest_dir);
	snprintf(bad, sizeof(bad), "%s/no/such/dir.log", logtest_dir);
	logtest_open_file(false, PXE_LOG_INFO);
	pxe_log_msg(PXE_LOG_INFO, "a", "to first");
	ck_assert(fd_open_on(logtest_path));
	/* same path again: the file stays open */
	logtest_open_file(false, PXE_LOG_INFO);
	ck_assert(fd_open_on(logtest_path));
	/* a new path: the old file is closed */
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	ck_assert(!fd_open_on(logtest_path));
	ck_assert(fd_open_on(other));
	pxe_log_msg(PXE_LOG_INFO, "b", "to other");
	/* a path that cannot be opened: error, old setup stays */
	cfg.file = bad;
	cfg.format = PXE_LOG_JSON;
	ck_assert_int_eq(pxe_log_open("pxe-new", &cfg), -ENOENT);
	pxe_log_msg(PXE_LOG_INFO, "c", "still other");
	ck_assert_int_eq(count_lines(logtest_path), 1);
	ck_assert_int_eq(count_lines(other), 2);
	char *f = logtest_slurp(other, NULL);
	ck_assert_ptr_nonnull(strstr(f, " daemon=pxe-test event=c "));
	free(f);
	/* without a file, reopen has nothing to do */
	pxe_log_close();
	ck_assert(!fd_open_on(other));
	ck_assert_int_eq(pxe_log_reopen(), 0);
}
END_TEST

/* Several processes appending to one file: every line stays whole because
 * each is one write(2) on an O_APPEND descriptor. */
START_TEST(test_file_concurrent_append)
{
	enum { PROCS = 4, LINES = 200 };
	char v[3000];

	memset(v, 'q', sizeof(v));
	logtest_open_file(false, PXE_LOG_INFO);
	for (int p = 0; p < PROCS; p++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			for (int i = 0; i < LINES; i++) {
				struct pxe_log_line l;
				pxe_log_begin(&l, PXE_LOG_INFO, "burst");
				pxe_log_int(&l, "proc", p);
				pxe_log_strn(&l, "v", v, sizeof(v));
				pxe_log_end(&l);
			}
			_exit(0);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int st;
		ck_assert_int_gt(wait(&st), 0);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	size_t len;
	char *f = logtest_slurp(logtest_path, &len);
	int lines = 0;
	for (char *line = f; line < f + len; lines++) {
		char *nl = memchr(line, '\n', len - (size_t)(line - f));
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_eq(logtest_parse(line, (size_t)(nl - line) + 1), 6);
		ck_assert_uint_eq(logtest_kvs[5].vlen, sizeof(v));
		line = nl + 1;
	}
	ck_assert_int_eq(lines, PROCS * LINES);
	free(f);
}
END_TEST

/* ------------------------------------------------------------ journal */

static void log_warn_and_json(void)
{
	struct pxe_log_config cfg = {.level = PXE_LOG_INFO};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_WARN, "w", "x");
	pxe_log_msg(PXE_LOG_DEBUG, "d", "hidden");
	cfg.format = PXE_LOG_JSON;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_ERR, "e", "y");
}

static void set_journal_stream(const char *path)
{
	struct stat st;
	char v[64];
	ck_assert_int_eq(stat(path, &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", v, 1);
}

START_TEST(test_journal_prefix)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/stderr", logtest_dir);
	ck_assert_int_eq(unit_write_file(logtest_dir, "stderr", ""), 0);
	/* capture_stderr truncates the same file, so dev:ino match */
	set_journal_stream(path);
	char *s = logtest_capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "<4>ts=", 6), 0);
	char *second = strchr(s, '\n');
	ck_assert_ptr_nonnull(second);
	ck_assert_int_eq(strncmp(second + 1, "<3>{\"ts\":", 9), 0);
	ck_assert_ptr_null(strstr(s, "hidden"));
	ck_assert_str_eq(strchr(second + 1, '\n'), "\n"); /* two lines */
	free(s);
}
END_TEST

START_TEST(test_journal_other_stream)
{
	/* JOURNAL_STREAM names a stream that is not our stderr (a child of a
	 * service whose stderr was redirected): no prefixes */
	setenv("JOURNAL_STREAM", "1:1", 1);
	char *s = logtest_capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	ck_assert_ptr_nonnull(strstr(s, "\n{\"ts\":"));
	free(s);
	setenv("JOURNAL_STREAM", "garbage", 1);
	s = logtest_capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	free(s);
}
END_TEST

/* ------------------------------------------------- start-up errors */

static void startup_err_before_open(void)
{
	pxe_log_startup_err("pxe-test", "listen %s: %s", "0.0.0.0:69/udp", "busy");
}

static void startup_err_with_file(void)
{
	logtest_open_file(false, PXE_LOG_INFO);
	pxe_log_startup_err(NULL, "leases: %s", "locked");
}

START_TEST(test_startup_err_terminal)
{
	/* on a terminal or a pipe: the plain "prog: message" */
	char *s = logtest_capture_stderr(startup_err_before_open);
	ck_assert_str_eq(s, "pxe-test: listen 0.0.0.0:69/udp: busy\n");
	free(s);
}
END_TEST

START_TEST(test_startup_err_journal)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/stderr", logtest_dir);
	ck_assert_int_eq(unit_write_file(logtest_dir, "stderr", ""), 0);
	set_journal_stream(path);
	char *s = logtest_capture_stderr(startup_err_before_open);
	ck_assert_str_eq(s, "<3>pxe-test: listen 0.0.0.0:69/udp: busy\n");
	free(s);
}
END_TEST

START_TEST(test_startup_err_file)
{
	/* the log file gets it too, as an err line; the name is the
	 * logger's when none is given */
	char *s = logtest_capture_stderr(startup_err_with_file);
	ck_assert_int_eq(strncmp(s, "pxe", 3), 0);
	ck_assert_ptr_nonnull(strstr(s, ": leases: locked\n"));
	free(s);
	char *f = logtest_slurp(logtest_path, NULL);
	ck_assert_ptr_nonnull(strstr(f, " level=err "));
	ck_assert_ptr_nonnull(strstr(f, " event=start msg=\"leases: locked\"\n"));
	free(f);
}
END_TEST

UNIT_SUITE(log_sink)
{
	Suite *s = suite_create("log_sink");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, logtest_setup, logtest_teardown);
	tcase_add_test(tc, test_file_reopen);
	tcase_add_test(tc, test_file_reload);
	tcase_add_test(tc, test_file_concurrent_append);
	tcase_add_test(tc, test_journal_prefix);
	tcase_add_test(tc, test_journal_other_stream);
	tcase_add_test(tc, test_startup_err_terminal);
	tcase_add_test(tc, test_startup_err_journal);
	tcase_add_test(tc, test_startup_err_file);
	suite_add_tcase(s, tc);
	return s;
}
