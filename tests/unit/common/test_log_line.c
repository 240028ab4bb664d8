/* SPDX-License-Identifier: MIT */
/* The line builder (common/log_line.c): fields and their types in both
 * formats, truncation at a field boundary, addresses and MACs. */
#include "log_int.h"
#include "test_log_fixture.h"
#include "unit.h"

#include <arpa/inet.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

/* ------------------------------------------------------------ lines */

START_TEST(test_line_logfmt)
{
	struct pxe_log_line l;
	static const char *const keys[] = {"ts",    "level",     "daemon", "event", "file",
					   "bytes", "big",       "neg",    "ms",    "ok",
					   "no",    "bad_key_x", NULL};

	logtest_open_file(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_NOTICE, "transfer");
	ck_assert(l.active);
	pxe_log_str(&l, "file", "boot/x 1.efi");
	pxe_log_int(&l, "bytes", 1024);
	pxe_log_uint(&l, "big", 18446744073709551615ULL);
	pxe_log_int(&l, "neg", -5);
	pxe_log_double(&l, "ms", 12.3456, 2);
	pxe_log_bool(&l, "ok", true);
	pxe_log_bool(&l, "no", false);
	pxe_log_str(&l, "bad key=x", "v");
	pxe_log_end(&l);
	ck_assert(!l.active);

	size_t len;
	char *f = logtest_slurp(logtest_path, &len);
	ck_assert_uint_eq(len, l.len);
	ck_assert_str_eq(f, l.buf);
	ck_assert_int_eq(strncmp(f, "ts=", 3), 0);
	logtest_assert_ts(f + 3, 24);
	ck_assert_str_eq(f + 3 + 24, " level=notice daemon=pxe-test event=transfer "
				     "file=\"boot/x 1.efi\" bytes=1024 big=18446744073709551615 "
				     "neg=-5 ms=12.35 ok=true no=false bad_key_x=v\n");
	ck_assert_int_eq(strncmp(l.buf + l.head, "level=notice ", 13), 0);
	logtest_assert_keys(logtest_parse(f, len), keys);
	free(f);
}
END_TEST

START_TEST(test_line_json)
{
	struct pxe_log_line l;

	logtest_open_file(true, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_ERR, "transfer");
	pxe_log_str(&l, "file", "boot/x 1.efi");
	pxe_log_int(&l, "bytes", 1024);
	pxe_log_double(&l, "ms", 0.5, 3);
	pxe_log_double(&l, "nan", NAN, 3);
	pxe_log_bool(&l, "ok", true);
	pxe_log_str(&l, "v", "caf\xc3\xa9 \"q\"");
	pxe_log_end(&l);

	char *f = logtest_slurp(logtest_path, NULL);
	ck_assert_int_eq(strncmp(f, "{\"ts\":\"", 7), 0);
	logtest_assert_ts(f + 7, 24);
	ck_assert_str_eq(f + 7 + 24, "\",\"level\":\"err\",\"daemon\":\"pxe-test\","
				     "\"event\":\"transfer\",\"file\":\"boot/x 1.efi\","
				     "\"bytes\":1024,\"ms\":0.500,\"nan\":null,\"ok\":true,"
				     "\"v\":\"caf\\u00e9 \\\"q\\\"\"}\n");
	ck_assert_int_eq(strncmp(l.buf + l.head, "\"level\":", 8), 0);
	free(f);
	char *out = logtest_json_check(logtest_path);
	if (out) {
		static const char v[] = "caf\xc3\xa9 \"q\"";
		char want[128] = "OK ";
		logtest_hex(want + 3, v, sizeof(v) - 1);
		strcat(want, " -\n");
		ck_assert_str_eq(out, want);
		free(out);
	}
}
END_TEST

START_TEST(test_double_and_keys)
{
	struct pxe_log_line l;

	logtest_open_file(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "e");
	pxe_log_double(&l, "a", 2.5, -1);
	pxe_log_double(&l, "b", INFINITY, 2);
	pxe_log_double(&l, "c", -INFINITY, 2);
	pxe_log_double(&l, "d", NAN, 2);
	pxe_log_double(&l, "e", 1e300, 2);
	pxe_log_str(&l, "", "x");
	pxe_log_str(&l, "n", NULL);
	pxe_log_strn(&l, "m", NULL, 5);
	pxe_log_end(&l);
	char *p = strstr(l.buf, " a=");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, " a=2 b=inf c=-inf d=nan e=1.00e+300 _=x n=\"\" m=\"\"\n");
}
END_TEST

/* The builder on its own, without the process-wide logger: its format,
 * threshold and daemon name come in; levels out of range are clamped. */
START_TEST(test_line_without_logger)
{
	struct pxe_log_line l;

	pxe_log_line_start(&l, 1, PXE_LOG_DEBUG, true, "d", "e");
	ck_assert(l.active);
	ck_assert_int_eq(l.level, PXE_LOG_ERR);
	pxe_log_int(&l, "n", 1);
	pxe_log_line_finish(&l);
	ck_assert(!l.active);
	ck_assert_uint_eq(strlen(l.buf), l.len);
	static const char tail[] =
		"\",\"level\":\"err\",\"daemon\":\"d\",\"event\":\"e\",\"n\":1}\n";
	ck_assert_uint_gt(l.len, sizeof(tail) - 1);
	ck_assert_str_eq(l.buf + l.len - (sizeof(tail) - 1), tail);

	pxe_log_line_start(&l, 9, PXE_LOG_DEBUG, false, "d", "e");
	ck_assert(l.active);
	ck_assert_int_eq(l.level, PXE_LOG_DEBUG);
	pxe_log_line_finish(&l);
	ck_assert_ptr_nonnull(strstr(l.buf, " level=debug daemon=d event=e\n"));

	pxe_log_line_start(&l, PXE_LOG_INFO, PXE_LOG_NOTICE, false, "d", "e");
	ck_assert(!l.active);
	pxe_log_str(&l, "a", "b");
	ck_assert_uint_eq(l.len, 0);
}
END_TEST

/* ------------------------------------------------------------ truncation */

static void check_truncated_line(const struct pxe_log_line *l, bool json, size_t field_len)
{
	static const char mark[] = ",\"truncated\":1}\n";

	ck_assert(l->truncated);
	ck_assert_uint_lt(l->len, PXE_LOG_LINE_MAX);
	ck_assert_uint_eq(strlen(l->buf), l->len);
	if (json) {
		ck_assert_str_eq(l->buf + l->len - (sizeof(mark) - 1), mark);
		return;
	}
	int n = logtest_parse(l->buf, l->len);
	ck_assert_msg(n > 0, "parse error %d", n);
	ck_assert_str_eq(logtest_kvs[n - 1].key, "truncated");
	ck_assert_str_eq(logtest_kvs[n - 1].val, "1");
	for (int i = 4; field_len && i < n - 1; i++)
		ck_assert_uint_eq(logtest_kvs[i].vlen, field_len); /* only whole fields */
}

static void truncation(bool json)
{
	char big[1000], huge[6000];
	struct pxe_log_line l;

	memset(big, 'x', sizeof(big));
	for (size_t i = 0; i < sizeof(huge); i++)
		huge[i] = (char)(i % 3 == 0 ? '\n' : i % 3 == 1 ? '\xff' : '"');
	logtest_open_file(json, PXE_LOG_INFO);

	/* many big fields: the first that does not fit ends the line */
	pxe_log_begin(&l, PXE_LOG_INFO, "many");
	for (int i = 0; i < 10; i++) {
		char key[16];
		snprintf(key, sizeof(key), "v%d", i);
		pxe_log_strn(&l, key, big, sizeof(big));
	}
	pxe_log_int(&l, "after", 1);
	pxe_log_end(&l);
	check_truncated_line(&l, json, sizeof(big));
	ck_assert_ptr_null(strstr(l.buf, "after"));

	/* one value bigger than a line, escaping makes it grow further */
	pxe_log_begin(&l, PXE_LOG_INFO, "huge");
	pxe_log_int(&l, "before", 7);
	pxe_log_strn(&l, "v", huge, sizeof(huge));
	pxe_log_str(&l, "after", "x");
	pxe_log_end(&l);
	check_truncated_line(&l, json, 0);
	ck_assert_ptr_null(strstr(l.buf, "after"));
	ck_assert_ptr_nonnull(strstr(l.buf, json ? "\"before\":7," : " before=7 "));

	/* every size around the limit gives a well-formed line */
	for (size_t n = 3950; n <= 4100; n++) {
		char *v = malloc(n);
		ck_assert_ptr_nonnull(v);
		memset(v, 'a', n);
		pxe_log_begin(&l, PXE_LOG_INFO, "edge");
		pxe_log_strn(&l, "v", v, n);
		pxe_log_end(&l);
		free(v);
		ck_assert_uint_lt(l.len, PXE_LOG_LINE_MAX);
		if (!json)
			ck_assert_int_gt(logtest_parse(l.buf, l.len), 0);
	}
}

START_TEST(test_truncation_logfmt)
{
	truncation(false);
}
END_TEST

START_TEST(test_truncation_json)
{
	truncation(true);
	char *out = logtest_json_check(logtest_path);
	if (!out)
		return;
	/* lines 1 and 2 are truncated */
	ck_assert_int_eq(strncmp(out, "OK ", 3), 0);
	char *nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(nl[-1], 'T');
	free(out);
}
END_TEST

/* ------------------------------------------------------------ addresses */

static const char *field_after(const struct pxe_log_line *l, const char *key)
{
	static char v[256];
	char pat[64];
	snprintf(pat, sizeof(pat), " %s=", key);
	const char *p = strstr(l->buf, pat);
	ck_assert_msg(p != NULL, "no %s in %s", key, l->buf);
	p += strlen(pat);
	size_t n = strcspn(p, " \n");
	snprintf(v, sizeof(v), "%.*s", (int)n, p);
	return v;
}

static struct sockaddr_in6 sin6(const char *ip, unsigned port, unsigned scope)
{
	struct sockaddr_in6 s = {.sin6_family = AF_INET6,
				 .sin6_port = htons((uint16_t)port),
				 .sin6_scope_id = scope};
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &s.sin6_addr), 1);
	return s;
}

START_TEST(test_addresses)
{
	struct pxe_log_line l;
	struct sockaddr_in s4 = {.sin_family = AF_INET, .sin_port = htons(2071)};
	struct sockaddr_in6 s6 = sin6("::1", 69, 0), ll = sin6("fe80::1", 69, 1);
	struct sockaddr_in6 gone = sin6("fe80::1", 69, 999999), noport = sin6("2001:db8::1", 0, 0);
	struct sockaddr_in6 mapped = sin6("::ffff:198.18.0.5", 67, 0);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	static const uint8_t mac[] = {0x52, 0x54, 0x00, 0xAB, 0xcd, 0xEF};
	char ifname[IF_NAMESIZE], want[64];

	inet_pton(AF_INET, "198.18.0.5", &s4.sin_addr);
	logtest_open_file(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "addr");
	pxe_log_addr(&l, "a4", (struct sockaddr *)&s4);
	pxe_log_ip(&l, "i4", (struct sockaddr *)&s4);
	pxe_log_addr(&l, "a6", (struct sockaddr *)&s6);
	pxe_log_ip(&l, "i6", (struct sockaddr *)&s6);
	pxe_log_addr(&l, "ll", (struct sockaddr *)&ll);
	pxe_log_addr(&l, "gone", (struct sockaddr *)&gone);
	pxe_log_addr(&l, "np", (struct sockaddr *)&noport);
	pxe_log_addr(&l, "mapped", (struct sockaddr *)&mapped);
	pxe_log_addr(&l, "null", NULL);
	pxe_log_addr(&l, "un", (struct sockaddr *)&un);
	pxe_log_mac(&l, "mac", mac, sizeof(mac));
	pxe_log_mac(&l, "nomac", mac, 0);
	pxe_log_end(&l);

	ck_assert_str_eq(field_after(&l, "a4"), "198.18.0.5:2071");
	ck_assert_str_eq(field_after(&l, "i4"), "198.18.0.5");
	ck_assert_str_eq(field_after(&l, "a6"), "[::1]:69");
	ck_assert_str_eq(field_after(&l, "i6"), "::1");
	if (if_indextoname(1, ifname))
		snprintf(want, sizeof(want), "[fe80::1%%%s]:69", ifname);
	else
		snprintf(want, sizeof(want), "[fe80::1%%1]:69");
	ck_assert_str_eq(field_after(&l, "ll"), want);
	if (!if_indextoname(999999, ifname))
		ck_assert_str_eq(field_after(&l, "gone"), "[fe80::1%999999]:69");
	ck_assert_str_eq(field_after(&l, "np"), "2001:db8::1");
	ck_assert_str_eq(field_after(&l, "mapped"), "198.18.0.5:67");
	ck_assert_str_eq(field_after(&l, "null"), "-");
	ck_assert_str_eq(field_after(&l, "un"), "af1");
	ck_assert_str_eq(field_after(&l, "mac"), "52:54:00:ab:cd:ef");
	ck_assert_str_eq(field_after(&l, "nomac"), "\"\"");
}
END_TEST

START_TEST(test_addresses_json)
{
	struct pxe_log_line l;
	struct sockaddr_in6 s6 = sin6("2001:db8::5", 4011, 0);

	logtest_open_file(true, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "addr");
	pxe_log_addr(&l, "client", (struct sockaddr *)&s6);
	pxe_log_mac(&l, "mac", (const uint8_t *)"\x01\x02\x03\x04\x05\x06", 6);
	pxe_log_end(&l);
	ck_assert_ptr_nonnull(strstr(
		l.buf, ",\"client\":\"[2001:db8::5]:4011\",\"mac\":\"01:02:03:04:05:06\"}\n"));
}
END_TEST

UNIT_SUITE(log_line)
{
	Suite *s = suite_create("log_line");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, logtest_setup, logtest_teardown);
	tcase_add_test(tc, test_line_logfmt);
	tcase_add_test(tc, test_line_json);
	tcase_add_test(tc, test_double_and_keys);
	tcase_add_test(tc, test_line_without_logger);
	tcase_add_test(tc, test_truncation_logfmt);
	tcase_add_test(tc, test_truncation_json);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_addresses_json);
	suite_add_tcase(s, tc);
	return s;
}
