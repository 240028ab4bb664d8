/* SPDX-License-Identifier: MIT */
/* Dates, ETags and conditional evaluation (RFC 9110 §13). */
#include <string.h>

#include "cond.h"
#include "unit.h"

START_TEST(test_dates)
{
	char buf[HTTP_DATE_LEN + 1];
	http_date_format(784111777, buf);
	ck_assert_str_eq(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	const char *forms[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT",
			       "Sun Nov  6 08:49:37 1994"};
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(http_date_parse(forms[i], strlen(forms[i])), 784111777);
	const char *bad[] = {"",
			     "yesterday",
			     "Sun, 06 Nov 1994 08:49:37 CET",
			     "Sun, 32 Nov 1994 08:49:37 GMT",
			     "Sun, 06 Foo 1994 08:49:37 GMT",
			     "Sun, 06 Nov 1994 25:49:37 GMT",
			     "Sun, 06 Nov 1994 08:49:37 GMTx"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(http_date_parse(bad[i], strlen(bad[i])) == -1, "bad %zu", i);
	ck_assert_int_eq(http_date_parse("Thu, 01 Jan 2037 00:00:00 GMT", 29), 2114380800);
}
END_TEST

#define S(x) ((struct http_str){x, sizeof(x) - 1})

START_TEST(test_etag_match)
{
	const char *e = "\"abc\"";
	ck_assert(http_etag_list_match(S("\"abc\""), e, 5, false));
	ck_assert(http_etag_list_match(S("\"x\", \"abc\""), e, 5, false));
	ck_assert(http_etag_list_match(S("*"), e, 5, false));
	ck_assert(http_etag_list_match(S("W/\"abc\""), e, 5, true));
	ck_assert(!http_etag_list_match(S("W/\"abc\""), e, 5, false));
	ck_assert(!http_etag_list_match(S("\"abcd\""), e, 5, true));
	ck_assert(!http_etag_list_match(S("abc"), e, 5, true));
	ck_assert(!http_etag_list_match(S("\"ab"), e, 5, true));
}
END_TEST

START_TEST(test_eval)
{
	struct http_validators v = {"\"abc\"", 5, 784111777};
	struct http_request r;
	memset(&r, 0, sizeof(r));
	r.method = HTTP_GET;
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_OK);
	r.if_modified_since = S("Sun, 06 Nov 1994 08:49:37 GMT");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_NOT_MODIFIED);
	/* a later date in another format: still a time comparison */
	r.if_modified_since = S("Sunday, 06-Nov-94 09:00:00 GMT");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_NOT_MODIFIED);
	r.if_modified_since = S("Sun, 06 Nov 1994 08:49:36 GMT");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_OK);
	r.if_modified_since = S("garbage");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_OK);
	/* If-None-Match wins over If-Modified-Since (§13.2.2) */
	r.if_modified_since = S("Sun, 06 Nov 1994 08:49:37 GMT");
	r.if_none_match = S("\"other\"");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_OK);
	r.if_none_match = S("W/\"abc\"");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_NOT_MODIFIED);
	memset(&r, 0, sizeof(r));
	r.if_match = S("\"other\"");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_FAILED);
	r.if_match = S("\"abc\"");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_OK);
	r.if_match = (struct http_str){0};
	r.if_unmodified_since = S("Sun, 06 Nov 1994 08:00:00 GMT");
	ck_assert_int_eq(http_cond_eval(&r, &v), HTTP_COND_FAILED);
}
END_TEST

START_TEST(test_if_range)
{
	struct http_validators v = {"\"abc\"", 5, 784111777};
	ck_assert(http_if_range_ok((struct http_str){0}, &v));
	ck_assert(http_if_range_ok(S("\"abc\""), &v));
	ck_assert(!http_if_range_ok(S("\"abd\""), &v));
	ck_assert(!http_if_range_ok(S("W/\"abc\""), &v)); /* strong comparison only */
	ck_assert(http_if_range_ok(S("Sun, 06 Nov 1994 08:49:37 GMT"), &v));
	ck_assert(!http_if_range_ok(S("Sun, 06 Nov 1994 08:49:38 GMT"), &v));
	ck_assert(!http_if_range_ok(S("Mon, 01 Jan 2001 00:00:00 GMT"), &v));
	ck_assert(!http_if_range_ok(S("nonsense"), &v));
}
END_TEST

START_TEST(test_etag_make)
{
	char a[HTTP_ETAG_MAX], b[HTTP_ETAG_MAX];
	size_t n = http_etag_make(a, sizeof(a), 1, 4096, 784111777, 5);
	ck_assert_uint_eq(n, strlen(a));
	ck_assert(a[0] == '"' && a[n - 1] == '"');
	http_etag_make(b, sizeof(b), 1, 4096, 784111777, 6);
	ck_assert_str_ne(a, b);
	http_etag_make(b, sizeof(b), 1, 5368709120ULL, 784111777, 5);
	ck_assert_str_ne(a, b);
}
END_TEST

UNIT_SUITE(http_cond)
{
	Suite *s = suite_create("http_cond");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_dates);
	tcase_add_test(tc, test_etag_match);
	tcase_add_test(tc, test_eval);
	tcase_add_test(tc, test_if_range);
	tcase_add_test(tc, test_etag_make);
	suite_add_tcase(s, tc);
	return s;
}
