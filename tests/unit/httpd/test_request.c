/* SPDX-License-Identifier: MIT */
/* Request-head parser: table of valid, malformed and boundary heads. */
#include <string.h>

#include "request.h"
#include "unit.h"

static const struct http_limits lim = {.max_request_line = 64, .max_head = 256, .max_headers = 8};

static const struct {
	const char *in;
	int want; /* > 0: head length is strlen(in); 0 incomplete; < 0 status */
} cases[] = {
	{"GET / HTTP/1.1\r\nHost: a\r\n\r\n", 1},
	{"GET / HTTP/1.0\r\n\r\n", 1},
	{"HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", 1},
	{"GET / HTTP/1.1\nHost: a\n\n", 1},                /* bare LF (RFC 9112 §2.2) */
	{"\r\nGET / HTTP/1.0\r\n\r\n", 1},                 /* leading empty line */
	{"GET http://h/p HTTP/1.1\r\nHost: h\r\n\r\n", 1}, /* absolute-form */
	{"GET / HTTP/1.2\r\nHost: a\r\n\r\n", 1},          /* 1.x: served as 1.1 */
	{"OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", 1},
	{"GET / HTTP/1.1\r\nHost: a\r\n", 0},
	{"GET / HTTP/1.1\r\nHost: a\r\n\r", 0},
	{"GET / HTTP/1.1", 0},
	{"", 0},
	{"GET / HTTP/1.1\r\n\r\n", -400}, /* no Host in 1.1 */
	{"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", -400},
	{"GET / HTTP/1.1\r\nHost : a\r\n\r\n", -400}, /* space before colon */
	{"GET / HTTP/1.1\r\nHost: a\r\n folded\r\n\r\n", -400},
	{"GET / HTTP/1.1\r\nHost: a\r\nX: a\x01b\r\n\r\n", -400},
	{"GET  / HTTP/1.1\r\nHost: a\r\n\r\n", -400},
	{"GET / HTTP/1.1 \r\nHost: a\r\n\r\n", -400},
	{"GET /\r\n\r\n", -400}, /* HTTP/0.9 */
	{"GET / HTTP/2.0\r\nHost: a\r\n\r\n", -505},
	{"GET / FTP/1.0\r\n\r\n", -400},
	{"G@T / HTTP/1.0\r\n\r\n", -400},
	{"GET x HTTP/1.0\r\n\r\n", -400}, /* not origin-form */
	{"GET / HTTP/1.1\r\nHost: a\r\nContent-Length: x\r\n\r\n", -400},
	{"GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", -501},
	{"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa HTTP/1.1\r\n\r\n",
	 -414},
	{"GET /aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", -414},
	{"GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: 1\r\nA: "
	 "1\r\n\r\n",
	 -431},
};

START_TEST(test_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_request r;
		size_t n = strlen(cases[i].in);
		int got = http_request_parse(cases[i].in, n, &lim, &r);
		int want = cases[i].want > 0 ? (int)n : cases[i].want;
		ck_assert_msg(got == want, "case %zu: got %d want %d", i, got, want);
	}
}
END_TEST

START_TEST(test_oversize_head)
{
	char buf[400];
	memset(buf, 'a', sizeof(buf));
	memcpy(buf, "GET / HTTP/1.1\r\nX: ", 19);
	struct http_request r;
	ck_assert_int_eq(http_request_parse(buf, sizeof(buf), &lim, &r), -431);
	ck_assert_int_eq(http_request_parse(buf, 200, &lim, &r), 0);
}
END_TEST

START_TEST(test_fields)
{
	const char *in =
		"GET /a%20b?q=1 HTTP/1.1\r\nhost:  ex.org \r\nRange: bytes=0-1\r\n"
		"Connection: close\r\nUser-Agent: iPXE/1.21\r\nIf-None-Match: \"x\"\r\n\r\n"
		"GET / HTTP/1.1\r\n";
	struct http_request r;
	int n = http_request_parse(in, strlen(in), &lim, &r);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(r.method, HTTP_GET);
	ck_assert_int_eq(r.version, 11);
	ck_assert(!r.keepalive);
	ck_assert_int_eq((int)r.path.len, 6);
	ck_assert(!memcmp(r.path.p, "/a%20b", 6));
	ck_assert_int_eq((int)r.host.len, 6);
	ck_assert(!memcmp(r.host.p, "ex.org", 6));
	ck_assert(!memcmp(r.range.p, "bytes=0-1", r.range.len));
	ck_assert(!memcmp(r.user_agent.p, "iPXE/1.21", r.user_agent.len));
	ck_assert_int_eq(n, (int)(strstr(in, "\r\n\r\n") - in) + 4);
}
END_TEST

START_TEST(test_keepalive)
{
	struct http_request r;
	const char *a = "GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n";
	ck_assert_int_gt(http_request_parse(a, strlen(a), &lim, &r), 0);
	ck_assert(r.keepalive);
	const char *b = "GET / HTTP/1.0\r\n\r\n";
	ck_assert_int_gt(http_request_parse(b, strlen(b), &lim, &r), 0);
	ck_assert(!r.keepalive);
	const char *c = "GET / HTTP/1.1\r\nHost: x\r\nConnection: foo, keep-alive\r\n\r\n";
	ck_assert_int_gt(http_request_parse(c, strlen(c), &lim, &r), 0);
	ck_assert(r.keepalive);
	const char *d = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello";
	ck_assert_int_gt(http_request_parse(d, strlen(d), &lim, &r), 0);
	ck_assert(r.has_body);
	ck_assert_int_eq(r.method, HTTP_OTHER);
}
END_TEST

START_TEST(test_decode)
{
	char out[16];
	ck_assert_int_eq(http_percent_decode("/a%20b", 6, out, sizeof(out)), 4);
	ck_assert_str_eq(out, "/a b");
	ck_assert_int_eq(http_percent_decode("%2e%2E/", 7, out, sizeof(out)), 3);
	ck_assert_str_eq(out, "../");
	ck_assert_int_eq(http_percent_decode("%2", 2, out, sizeof(out)), -1);
	ck_assert_int_eq(http_percent_decode("%zz", 3, out, sizeof(out)), -1);
	ck_assert_int_eq(http_percent_decode("a%00", 4, out, sizeof(out)), -1);
	ck_assert_int_eq(http_percent_decode("0123456789abcdefg", 17, out, sizeof(out)), -2);
}
END_TEST

START_TEST(test_gzip)
{
#define S(x) ((struct http_str){x, sizeof(x) - 1})
	ck_assert(http_accepts_gzip(S("gzip, deflate")));
	ck_assert(http_accepts_gzip(S("deflate, GZIP;q=0.5")));
	ck_assert(!http_accepts_gzip(S("gzip;q=0")));
	ck_assert(!http_accepts_gzip(S("gzip;q=0.000")));
	ck_assert(http_accepts_gzip(S("*")));
	ck_assert(!http_accepts_gzip(S("*, gzip;q=0")));
	ck_assert(!http_accepts_gzip(S("br, deflate")));
	ck_assert(!http_accepts_gzip((struct http_str){NULL, 0}));
	ck_assert(http_list_has(S("Keep-Alive, Upgrade"), "upgrade"));
	ck_assert(!http_list_has(S("closed"), "close"));
#undef S
}
END_TEST

/* A TLS ClientHello on the plain port: 400 at once, without a line end
 * (not the header timeout); a method still arriving stays partial. */
START_TEST(test_not_a_token_at_once)
{
	struct http_request r;
	static const char hello[] = "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03";
	ck_assert_int_eq(http_request_parse(hello, sizeof(hello) - 1, &lim, &r), -400);
	ck_assert_int_eq(http_request_parse("GE", 2, &lim, &r), 0);
	ck_assert_int_eq(http_request_parse("GET /a", 6, &lim, &r), 0);
	ck_assert_int_eq(http_request_parse("\r\nGET", 5, &lim, &r), 0);
}
END_TEST

UNIT_SUITE(http_request)
{
	Suite *s = suite_create("http_request");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_not_a_token_at_once);
	tcase_add_test(tc, test_oversize_head);
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_keepalive);
	tcase_add_test(tc, test_decode);
	tcase_add_test(tc, test_gzip);
	suite_add_tcase(s, tc);
	return s;
}
