/* SPDX-License-Identifier: MIT */
/* tftpd/srclimit.c: the per-source budget of ERROR replies. */
#include "unit.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "srclimit.h"

static struct pxe_sockaddr v4(const char *a)
{
	struct pxe_sockaddr s;
	memset(&s, 0, sizeof(s));
	s.u.in4.sin_family = AF_INET;
	inet_pton(AF_INET, a, &s.u.in4.sin_addr);
	s.len = sizeof(s.u.in4);
	return s;
}

static struct tftp_srclimit lim;

START_TEST(test_burst_then_rate)
{
	memset(&lim, 0, sizeof(lim));
	struct pxe_sockaddr a = v4("198.18.0.7"), b = v4("198.18.0.8");
	uint64_t t = 5000000;
	unsigned ok = 0;
	for (int i = 0; i < 100; i++)
		ok += tftp_srclimit_allow(&lim, &a, t);
	ck_assert_uint_eq(ok, TFTP_SRCLIMIT_BURST);
	ck_assert_uint_eq(lim.suppressed, 100 - TFTP_SRCLIMIT_BURST);
	/* another address has its own budget */
	ck_assert(tftp_srclimit_allow(&lim, &b, t));
	/* a request every 10 ms for 2 s: RATE per second get through, no
	 * rounding loss although each call adds a tenth of a token */
	ok = 0;
	for (int i = 1; i <= 200; i++)
		ok += tftp_srclimit_allow(&lim, &a, t + (uint64_t)i * 10000);
	ck_assert_uint_eq(ok, 2 * TFTP_SRCLIMIT_RATE);
	/* quiet for a minute: a full burst again, no more */
	t += 62000000;
	ok = 0;
	for (int i = 0; i < 100; i++)
		ok += tftp_srclimit_allow(&lim, &a, t);
	ck_assert_uint_eq(ok, TFTP_SRCLIMIT_BURST);
}
END_TEST

/* Forged sources all over the address space: memory is the fixed table,
 * and one victim's budget is never refilled by other addresses. */
START_TEST(test_many_sources)
{
	memset(&lim, 0, sizeof(lim));
	struct pxe_sockaddr victim = v4("198.18.0.9");
	uint64_t t = 1000000;
	unsigned ok = 0;
	for (unsigned i = 0; i < 100000; i++) {
		char a[32];
		snprintf(a, sizeof(a), "198.19.%u.%u", (i >> 8) & 255, i & 255);
		struct pxe_sockaddr s = v4(a);
		tftp_srclimit_allow(&lim, &s, t);
		ok += tftp_srclimit_allow(&lim, &victim, t);
	}
	ck_assert_uint_le(ok, TFTP_SRCLIMIT_BURST);
}
END_TEST

UNIT_SUITE(tftp_srclimit)
{
	Suite *s = suite_create("tftp_srclimit");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_burst_then_rate);
	tcase_add_test(tc, test_many_sources);
	suite_add_tcase(s, tc);
	return s;
}
