/* SPDX-License-Identifier: MIT */
/* Access-log lines: darkhttpd's CLF with the real version, escaping. */
#include <string.h>

#include "accesslog.h"
#include "config.h"
#include "unit.h"

static struct access_entry entry(void)
{
	struct access_entry e = {
		.client = "198.18.0.5",
		.method = "GET",
		.method_len = 3,
		.target = "/vmlinuz?x=\"1\"",
		.target_len = 14,
		.version = 10,
		.status = 200,
		.bytes = 11534336,
		.referer = NULL,
		.ua = "iPXE/1.21\x1b[31m",
		.ua_len = 14,
		.file = "/vmlinuz",
		.ms = 12,
	};
	return e;
}

START_TEST(test_clf)
{
	struct access_entry e = entry();
	char buf[1024];
	size_t n = access_log_format(buf, sizeof(buf), ALOG_CLF, &e, "[25/Nov/2026:09:04:12 +0000]",
				     "");
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_str_eq(buf,
			 "198.18.0.5 - - [25/Nov/2026:09:04:12 +0000] \"GET /vmlinuz?x=\\x221\\x22 "
			 "HTTP/1.0\" 200 11534336 \"-\" \"iPXE/1.21\\x1b[31m\"\n");
}
END_TEST

START_TEST(test_kv)
{
	struct access_entry e = entry();
	char buf[1024];
	access_log_format(buf, sizeof(buf), ALOG_LOGFMT, &e, "", "2026-11-25T09:04:12Z");
	ck_assert_msg(!strncmp(buf,
			       "ts=2026-11-25T09:04:12Z level=info daemon=pxe-httpd event=request "
			       "client=198.18.0.5 method=GET ",
			       90),
		      "%s", buf);
	ck_assert_ptr_nonnull(
		strstr(buf, " proto=HTTP/1.0 status=200 bytes=11534336 ms=12 file=/vmlinuz"));
	ck_assert_ptr_null(strchr(buf, '\x1b'));
	ck_assert(buf[strlen(buf) - 1] == '\n' && !strchr(buf, '\n')[1]);
	access_log_format(buf, sizeof(buf), ALOG_JSON, &e, "", "2026-11-25T09:04:12Z");
	ck_assert_msg(!strncmp(buf, "{\"ts\":\"2026-11-25T09:04:12Z\",\"level\":\"info\"", 42),
		      "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\"status\":200,\"bytes\":11534336"));
	ck_assert_ptr_null(strchr(buf, '\x1b'));
}
END_TEST

START_TEST(test_long_line)
{
	static char target[8000];
	memset(target, 'a', sizeof(target));
	struct access_entry e = entry();
	e.target = target;
	e.target_len = sizeof(target);
	char buf[512];
	size_t n = access_log_format(buf, sizeof(buf), ALOG_CLF, &e, "[t]", "");
	ck_assert_uint_lt(n, sizeof(buf));
	ck_assert(buf[n - 1] == '\n');
	ck_assert_ptr_eq(strchr(buf, '\n'), buf + n - 1); /* one line, however long the input */
}
END_TEST

UNIT_SUITE(http_accesslog)
{
	Suite *s = suite_create("http_accesslog");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_clf);
	tcase_add_test(tc, test_kv);
	tcase_add_test(tc, test_long_line);
	suite_add_tcase(s, tc);
	return s;
}
