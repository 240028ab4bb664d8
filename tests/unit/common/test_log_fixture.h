/* SPDX-License-Identifier: MIT */
/* Shared by the logging tests (test_log.c, test_log_escape.c,
 * test_log_line.c, test_log_sink.c): a scratch directory and log file per
 * test, a logger that writes only there, stderr captured, and two
 * independent readers of the output: a strict logfmt parser (what a log
 * consumer would see) and python3's json module. */
#ifndef PXE_UNIT_TEST_LOG_FIXTURE_H
#define PXE_UNIT_TEST_LOG_FIXTURE_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

#include "log.h"

/* A string literal and its length, NULs included. */
#define S(x) x, sizeof(x) - 1

/* Set by logtest_setup for each test: its scratch directory and the log
 * file in it. */
extern char *logtest_dir;
extern char logtest_path[4096];

/* The checked fixture of every logging test case; the teardown also
 * closes the logger and unsets JOURNAL_STREAM. */
void logtest_setup(void);
void logtest_teardown(void);

/* The whole file at path, NUL-terminated; its length in *lenp. */
char *logtest_slurp(const char *path, size_t *lenp);
/* Log to logtest_path only (no stderr noise in test output). */
void logtest_open_file(bool json, int level);
/* Redirect fd 2 to a file while fn runs; returns what was written. */
char *logtest_capture_stderr(void (*fn)(void));

/* A strict logfmt reader: what a log consumer would see. */
struct logtest_kv {
	char key[64];
	char val[PXE_LOG_LINE_MAX];
	size_t vlen;
};
#define LOGTEST_MAX_KV 64
/* The pairs of the last line logtest_parse read. */
extern struct logtest_kv logtest_kvs[LOGTEST_MAX_KV];
/* Parse one line (with its '\n') into logtest_kvs; number of pairs or < 0. */
int logtest_parse(const char *s, size_t len);
/* The keys of the parsed line are exactly keys (NULL-terminated). */
void logtest_assert_keys(int n, const char *const *keys);
/* ts is RFC 3339 UTC with milliseconds. */
void logtest_assert_ts(const char *ts, size_t len);

/* Validate every line of path with python3's json module: ASCII, one
 * object per line, no duplicate (forged) keys, ts/level/daemon/event
 * first. Returns python's output: per line "OK <hex of utf-8 of v> T|-"
 * (T: truncated=1). NULL when python3 is missing. */
char *logtest_json_check(const char *path);
/* s as lowercase hex into out (2 * len + 1 bytes). */
void logtest_hex(char *out, const char *s, size_t len);

#endif
