/* SPDX-License-Identifier: MIT */
/* Range evaluation (RFC 9110 §14) and multipart sizes. */
#include <stdio.h>
#include <string.h>

#include "handler.h"
#include "range.h"
#include "unit.h"

static const struct {
	const char *in;
	uint64_t size;
	enum http_range_result want;
	int n;
	uint64_t first, last; /* of the first range */
} cases[] = {
	{"bytes=0-99", 4096, HTTP_RANGE_OK, 1, 0, 99},
	{"bytes=-100", 4096, HTTP_RANGE_OK, 1, 3996, 4095},
	{"bytes=100-", 4096, HTTP_RANGE_OK, 1, 100, 4095},
	{"bytes=0-", 4096, HTTP_RANGE_OK, 1, 0, 4095},
	{"bytes=0-99999", 4096, HTTP_RANGE_OK, 1, 0, 4095},
	{"bytes=-99999", 4096, HTTP_RANGE_OK, 1, 0, 4095},
	{"bytes=4095-4095", 4096, HTTP_RANGE_OK, 1, 4095, 4095},
	{"Bytes = 1-2", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"BYTES=1-2", 4096, HTTP_RANGE_OK, 1, 1, 2},
	{"bytes=4096-", 4096, HTTP_RANGE_UNSATISFIABLE, 0, 0, 0},
	{"bytes=5000-6000", 4096, HTTP_RANGE_UNSATISFIABLE, 0, 0, 0},
	{"bytes=-0", 4096, HTTP_RANGE_UNSATISFIABLE, 0, 0, 0},
	{"bytes=0-0", 0, HTTP_RANGE_UNSATISFIABLE, 0, 0, 0},
	{"bytes=5000-6000, 0-1", 4096, HTTP_RANGE_OK, 1, 0, 1},
	{"bytes=0-9,20-29", 4096, HTTP_RANGE_OK, 2, 0, 9},
	{"bytes=20-29,0-9", 4096, HTTP_RANGE_OK, 2, 0, 9},  /* out of order: sorted */
	{"bytes=0-9,5-29", 4096, HTTP_RANGE_OK, 1, 0, 29},  /* overlap: merged */
	{"bytes=0-9,10-19", 4096, HTTP_RANGE_OK, 1, 0, 19}, /* adjacent: merged */
	{"bytes=, 0-9 ,", 4096, HTTP_RANGE_OK, 1, 0, 9},
	{"bytes=9-0", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=a-b", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=1", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"items=0-1", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=0-1;x", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=99999999999999999999-", 4096, HTTP_RANGE_IGNORE, 0, 0, 0},
	{"bytes=5368709020-5368709119", 5368709120ULL, HTTP_RANGE_OK, 1, 5368709020ULL,
	 5368709119ULL},
	{"bytes=-100", 5368709120ULL, HTTP_RANGE_OK, 1, 5368709020ULL, 5368709119ULL},
};

START_TEST(test_table)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct http_byte_range r[HTTP_RANGES_MAX];
		int n = -1;
		enum http_range_result got =
			http_range_parse(cases[i].in, strlen(cases[i].in), cases[i].size, r, &n);
		ck_assert_msg(got == cases[i].want, "case %zu (%s): got %d", i, cases[i].in, got);
		if (got != HTTP_RANGE_OK)
			continue;
		ck_assert_msg(n == cases[i].n, "case %zu: n=%d", i, n);
		ck_assert_msg(r[0].first == cases[i].first && r[0].last == cases[i].last,
			      "case %zu: %llu-%llu", i, (unsigned long long)r[0].first,
			      (unsigned long long)r[0].last);
	}
}
END_TEST

START_TEST(test_many_ranges)
{
	char buf[4096] = "bytes=";
	for (int i = 0; i < 40; i++)
		sprintf(buf + strlen(buf), "%s%d-%d", i ? "," : "", i * 10, i * 10 + 1);
	struct http_byte_range r[HTTP_RANGES_MAX];
	int n;
	/* 40 disjoint ranges: more than HTTP_RANGES_MAX, ignored (200) */
	ck_assert_int_eq(http_range_parse(buf, strlen(buf), 100000, r, &n), HTTP_RANGE_IGNORE);
	/* 40 overlapping ranges of the same bytes coalesce into one */
	strcpy(buf, "bytes=");
	for (int i = 0; i < 40; i++)
		strcat(buf, i ? ",0-10" : "0-10");
	ck_assert_int_eq(http_range_parse(buf, strlen(buf), 100000, r, &n), HTTP_RANGE_OK);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(test_multipart_length)
{
	struct http_byte_range r[2] = {{0, 9}, {20, 29}};
	char buf[1024];
	size_t a = http_multipart_part_head(buf, sizeof(buf), "B", "text/plain", &r[0], 4096, true);
	ck_assert_str_eq(
		buf, "--B\r\nContent-Type: text/plain\r\nContent-Range: bytes 0-9/4096\r\n\r\n");
	size_t b =
		http_multipart_part_head(buf, sizeof(buf), "B", "text/plain", &r[1], 4096, false);
	size_t t = http_multipart_tail(buf, sizeof(buf), "B");
	ck_assert_str_eq(buf, "\r\n--B--\r\n");
	ck_assert_uint_eq(http_multipart_length("B", "text/plain", r, 2, 4096), a + b + t + 20);
}
END_TEST

UNIT_SUITE(http_range)
{
	Suite *s = suite_create("http_range");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_many_ranges);
	tcase_add_test(tc, test_multipart_length);
	suite_add_tcase(s, tc);
	return s;
}
