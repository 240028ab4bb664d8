/* SPDX-License-Identifier: MIT */
/* dhcpd/v6/ra.c: the RA built for a known link, byte for byte (RFC 4861
 * §4.2, §4.6.1, §4.6.2, §4.6.4); the §6.1.1 checks of a Router
 * Solicitation, one table row each; the schedule on a fake clock with
 * fixed random values (§6.2.4 initial adverts and periodic interval,
 * §6.2.6 RS reply delay and rate limit, a reload); the config helpers. */
#include <string.h>

#include "unit.h"
#include "v6/ra.h"

static const uint8_t pfx1[16] = {0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 1};
/* fd00:198:18:ff::1, advertised as a /48: the bits past 48 go. */
static const uint8_t pfx2[16] = {0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 0xff, 0, 0, 0, 0, 0, 0, 0, 1};

static struct dhcp_ra_link known_link(void)
{
	struct dhcp_ra_link l = {.ifindex = 2,
				 .ifname = "br0",
				 .mac = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
				 .has_mac = true,
				 .mtu = 1500,
				 .managed = true,
				 .other = true,
				 .n_prefixes = 2};
	memcpy(l.prefixes[0].prefix, pfx1, 16);
	l.prefixes[0].len = 64;
	l.prefixes[0].autonomous = true;
	l.prefixes[0].valid = DHCP_RA_DEFAULT_VALID;
	l.prefixes[0].preferred = DHCP_RA_DEFAULT_PREFERRED;
	memcpy(l.prefixes[1].prefix, pfx2, 16);
	l.prefixes[1].len = 48;
	l.prefixes[1].valid = 3600;
	l.prefixes[1].preferred = 1800;
	return l;
}

static const uint8_t known_ra[] = {
	/* §4.2: type 134, code 0, checksum 0 (the kernel's), hop limit 64,
	 * M|O, router lifetime 0, reachable 0, retrans 0 */
	134, 0, 0, 0, 64, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	/* §4.6.1 source link-layer address */
	1, 1, 0x52, 0x54, 0x00, 0x12, 0x34, 0x56,
	/* §4.6.4 MTU 1500 */
	5, 1, 0, 0, 0, 0, 0x05, 0xdc,
	/* §4.6.2 fd00:198:18:1::/64, L|A, valid 2592000, preferred 604800 */
	3, 4, 64, 0xc0, 0x00, 0x27, 0x8d, 0x00, 0x00, 0x09, 0x3a, 0x80, 0, 0, 0, 0, 0xfd, 0, 0x01,
	0x98, 0, 0x18, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	/* fd00:198:18::/48, L only, valid 3600, preferred 1800 */
	3, 4, 48, 0x80, 0, 0, 0x0e, 0x10, 0, 0, 0x07, 0x08, 0, 0, 0, 0, 0xfd, 0, 0x01, 0x98, 0,
	0x18, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

START_TEST(test_build_known)
{
	struct dhcp_ra_link l = known_link();
	uint8_t buf[DHCP_RA_MAX_LEN];
	size_t n = dhcp_ra_build(buf, sizeof(buf), &l, false);
	ck_assert_uint_eq(n, sizeof(known_ra));
	ck_assert_mem_eq(buf, known_ra, sizeof(known_ra));

	/* Too small a buffer, or too many prefixes: nothing. */
	ck_assert_uint_eq(dhcp_ra_build(buf, sizeof(known_ra) - 1, &l, false), 0);
	l.n_prefixes = DHCP_RA_MAX_PREFIXES + 1;
	ck_assert_uint_eq(dhcp_ra_build(buf, sizeof(buf), &l, false), 0);
}
END_TEST

START_TEST(test_build_lifetime_final)
{
	struct dhcp_ra_link l = known_link();
	uint8_t buf[DHCP_RA_MAX_LEN];
	l.router_lifetime = 1800;
	l.managed = false;
	ck_assert_uint_eq(dhcp_ra_build(buf, sizeof(buf), &l, false), sizeof(known_ra));
	ck_assert_uint_eq(buf[5], 0x40);
	ck_assert_uint_eq(buf[6] << 8 | buf[7], 1800);
	/* §6.2.5: the final RA says router lifetime 0, the rest unchanged. */
	ck_assert_uint_eq(dhcp_ra_build(buf, sizeof(buf), &l, true), sizeof(known_ra));
	ck_assert_uint_eq(buf[6] << 8 | buf[7], 0);
	ck_assert_mem_eq(buf + 16, known_ra + 16, sizeof(known_ra) - 16);

	/* No MAC, no MTU, no flags: header and the prefix only; a preferred
	 * lifetime above the valid one is cut to it (§4.6.2). */
	l = known_link();
	l.has_mac = false;
	l.mtu = 0;
	l.managed = l.other = false;
	l.n_prefixes = 1;
	l.prefixes[0].preferred = l.prefixes[0].valid + 1;
	ck_assert_uint_eq(dhcp_ra_build(buf, sizeof(buf), &l, false), 16 + 32);
	ck_assert_uint_eq(buf[5], 0);
	ck_assert_uint_eq(buf[16], 3);
	ck_assert_mem_eq(buf + 16 + 8, known_ra + 32 + 4, 4);
	ck_assert_mem_eq(buf + 16 + 4, buf + 16 + 8, 4);
}
END_TEST

/* ---------------------------------------------------------------- RS */

static const uint8_t ll_src[16] = {0xfe, 0x80, [15] = 1};
static const uint8_t unspec[16];

static const struct rs_case {
	const char *name;
	uint8_t b[32];
	size_t len;
	int hops;
	bool unspecified;
	enum dhcp_ra_rs_verdict want;
	bool slla;
} rs_cases[] = {
	{"bare RS", {133}, 8, 255, false, DHCP_RA_RS_OK, false},
	{"RS with lladdr",
	 {133, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0x54, 0, 0, 0, 9},
	 16,
	 255,
	 false,
	 DHCP_RA_RS_OK,
	 true},
	{"unknown option skipped",
	 {133, 0, 0, 0, 0, 0, 0, 0, 14, 1, 1, 2, 3, 4, 5, 6},
	 16,
	 255,
	 false,
	 DHCP_RA_RS_OK,
	 false},
	{"from :: without lladdr", {133}, 8, 255, true, DHCP_RA_RS_OK, false},
	{"hop limit 64", {133}, 8, 64, false, DHCP_RA_RS_HOP_LIMIT, false},
	{"no hop limit given", {133}, 8, -1, false, DHCP_RA_RS_HOP_LIMIT, false},
	{"7 octets", {133}, 7, 255, false, DHCP_RA_RS_SHORT, false},
	{"code 1", {133, 1}, 8, 255, false, DHCP_RA_RS_CODE, false},
	{"an RA", {134}, 16, 255, false, DHCP_RA_RS_TYPE, false},
	{"option length 0",
	 {133, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0},
	 16,
	 255,
	 false,
	 DHCP_RA_RS_BAD_OPTION,
	 false},
	{"option past the end",
	 {133, 0, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0, 0},
	 16,
	 255,
	 false,
	 DHCP_RA_RS_BAD_OPTION,
	 false},
	{"one stray octet",
	 {133, 0, 0, 0, 0, 0, 0, 0, 1},
	 9,
	 255,
	 false,
	 DHCP_RA_RS_BAD_OPTION,
	 false},
	{"from :: with lladdr",
	 {133, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0x54, 0, 0, 0, 9},
	 16,
	 255,
	 true,
	 DHCP_RA_RS_UNSPEC_SLLA,
	 false},
};

START_TEST(test_rs_check)
{
	const struct rs_case *c = &rs_cases[_i];
	struct dhcp_ra_rs rs = {0};
	enum dhcp_ra_rs_verdict v =
		dhcp_ra_rs_check(c->b, c->len, c->hops, c->unspecified ? unspec : ll_src, &rs);
	ck_assert_msg(v == c->want, "%s: got %s, want %s", c->name, dhcp_ra_rs_verdict_name(v),
		      dhcp_ra_rs_verdict_name(c->want));
	ck_assert_int_eq(rs.has_slla, c->slla);
	if (c->slla)
		ck_assert_mem_eq(rs.slla, "\x02\x54\0\0\0\x09", 6);
	ck_assert_ptr_nonnull(dhcp_ra_rs_verdict_name(v));
}
END_TEST

/* ---------------------------------------------------------------- timing */

#define MAX_MS 600000u
#define MIN_MS 198000u /* 0.33 × 600 s */

START_TEST(test_sched_initial)
{
	struct dhcp_ra_sched s;
	dhcp_ra_sched_start(&s, 0, 1000);
	ck_assert_uint_eq(s.max_ms, MAX_MS);
	ck_assert_uint_eq(s.min_ms, MIN_MS);
	ck_assert_uint_eq(s.next, 1000); /* the first RA at once */
	/* The next two at most 16 s apart (§6.2.4), whatever is drawn. */
	dhcp_ra_sched_sent(&s, 1000, UINT32_MAX);
	ck_assert_uint_eq(s.next, 17000);
	dhcp_ra_sched_sent(&s, 17000, 0);
	ck_assert_uint_eq(s.next, 33000);
	/* Then the periodic interval: the lowest draw gives the minimum. */
	dhcp_ra_sched_sent(&s, 33000, 0);
	ck_assert_uint_eq(s.next, 33000 + MIN_MS);
	dhcp_ra_sched_sent(&s, s.next, MAX_MS - MIN_MS);
	ck_assert_uint_eq(s.next, 33000 + MIN_MS + MAX_MS);

	/* A short interval needs no cut: 10 s gives [3.3 s, 10 s]. */
	dhcp_ra_sched_start(&s, 10000, 0);
	dhcp_ra_sched_sent(&s, 0, 10000 - 3300);
	ck_assert_uint_eq(s.next, 10000);
	/* MinRtrAdvInterval is never below 3 s (§6.2.1). */
	dhcp_ra_sched_start(&s, 4000, 0);
	ck_assert_uint_eq(s.min_ms, 3000);
}
END_TEST

START_TEST(test_sched_periodic_range)
{
	struct dhcp_ra_sched s;
	uint64_t now = 0;
	uint32_t x = 12345;
	dhcp_ra_sched_start(&s, 0, now);
	for (int i = 0; i < 1000; i++) {
		x = x * 1103515245u + 12345u;
		dhcp_ra_sched_sent(&s, now, x);
		uint64_t iv = s.next - now;
		if (i < 2)
			ck_assert_uint_le(iv, 16000);
		else
			ck_assert(iv >= MIN_MS && iv <= MAX_MS);
		now = s.next;
	}
}
END_TEST

/* A schedule past its initial adverts, the last RA at t=100 s, the next
 * one due at 400 s. */
static struct dhcp_ra_sched settled(void)
{
	struct dhcp_ra_sched s;
	dhcp_ra_sched_start(&s, 0, 0);
	dhcp_ra_sched_sent(&s, 0, 0);
	dhcp_ra_sched_sent(&s, 16000, 0);
	dhcp_ra_sched_sent(&s, 100000, 300000 - MIN_MS);
	ck_assert_uint_eq(s.next, 400000);
	return s;
}

START_TEST(test_sched_rs)
{
	struct dhcp_ra_sched s = settled();
	/* §6.2.6: answered after a random 0-500 ms. */
	dhcp_ra_sched_rs(&s, 110000, 0);
	ck_assert_uint_eq(s.next, 110000);
	s = settled();
	dhcp_ra_sched_rs(&s, 110000, 500);
	ck_assert_uint_eq(s.next, 110500);
	/* A second RS before the answer changes nothing: the delay counts
	 * from the first one. */
	dhcp_ra_sched_rs(&s, 110100, 0);
	ck_assert_uint_eq(s.next, 110500);
	/* The answer is an RA like any other: the periodic timer restarts. */
	dhcp_ra_sched_sent(&s, 110500, 0);
	ck_assert_uint_eq(s.next, 110500 + MIN_MS);
	ck_assert(!s.rs_pending);

	/* Rate limit: within 3 s of the last RA, the answer waits until 3 s
	 * after it, plus the random delay. */
	s = settled();
	dhcp_ra_sched_rs(&s, 101000, 200);
	ck_assert_uint_eq(s.next, 103200);

	/* An RA already due sooner than the delay answers it. */
	s = settled();
	dhcp_ra_sched_rs(&s, 399800, 500);
	ck_assert_uint_eq(s.next, 400000);
}
END_TEST

START_TEST(test_sched_failed)
{
	struct dhcp_ra_sched s;
	dhcp_ra_sched_start(&s, 0, 5000);
	/* The first send fails (link-local still tentative): again in 1 s. */
	dhcp_ra_sched_failed(&s, 5000);
	ck_assert_uint_eq(s.next, 6000);
	ck_assert_uint_eq(s.sent, 0);
	/* A retry never beats the rate limit. */
	s = settled();
	dhcp_ra_sched_failed(&s, 100500);
	ck_assert_uint_eq(s.next, 103000);
}
END_TEST

START_TEST(test_sched_update)
{
	/* Same content, same interval: nothing moves. */
	struct dhcp_ra_sched s = settled();
	dhcp_ra_sched_update(&s, 0, false, 120000, 0);
	ck_assert_uint_eq(s.next, 400000);
	/* A shorter interval pulls a deadline that is now too far. */
	dhcp_ra_sched_update(&s, 60000, false, 120000, 0);
	ck_assert_uint_eq(s.max_ms, 60000);
	ck_assert_uint_eq(s.min_ms, 19800);
	ck_assert_uint_eq(s.next, 120000 + 19800);
	/* New content: an RA soon (after the rate limit), and the initial
	 * rule again for the next ones. */
	s = settled();
	dhcp_ra_sched_update(&s, 0, true, 101000, 0);
	ck_assert_uint_eq(s.next, 103000);
	dhcp_ra_sched_sent(&s, 103000, UINT32_MAX);
	ck_assert_uint_eq(s.next, 103000 + 16000);
	s = settled();
	dhcp_ra_sched_update(&s, 0, true, 200000, 0);
	ck_assert_uint_eq(s.next, 200000);
}
END_TEST

/* ---------------------------------------------------------------- config */

START_TEST(test_prefix_on_link)
{
	const uint8_t addrs[3][16] = {
		{0xfe, 0x80, [15] = 1},
		{0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 1, [15] = 1}, /* fd00:198:18:1::1 */
		{0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 2, [15] = 7},
	};
	const uint8_t plens[3] = {64, 64, 64};
	ck_assert(dhcp_ra_prefix_on_link(pfx1, 64, addrs, plens, 3));
	/* Bits past the length do not matter, in the prefix or the address. */
	ck_assert(dhcp_ra_prefix_on_link(pfx2, 48, addrs, plens, 3));
	const uint8_t other[16] = {0xfd, 0, 0x01, 0x98, 0, 0x18, 0, 3};
	ck_assert(!dhcp_ra_prefix_on_link(other, 64, addrs, plens, 3));
	ck_assert(dhcp_ra_prefix_on_link(other, 62, addrs, plens, 3));
	ck_assert(!dhcp_ra_prefix_on_link(pfx1, 64, addrs, plens, 1));
	ck_assert(!dhcp_ra_prefix_on_link(pfx1, 64, addrs, NULL, 0));
}
END_TEST

START_TEST(test_link_problem)
{
	struct dhcp_ra_link l = known_link();
	ck_assert_ptr_null(dhcp_ra_link_problem(&l));
	l.max_interval_ms = 3999;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l.max_interval_ms = 1800001;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l.max_interval_ms = 1800000;
	ck_assert_ptr_null(dhcp_ra_link_problem(&l));
	/* A router lifetime shorter than the interval would lapse between RAs. */
	l.router_lifetime = 1799;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l.router_lifetime = 1800;
	ck_assert_ptr_null(dhcp_ra_link_problem(&l));
	l.router_lifetime = 9001;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l = known_link();
	l.prefixes[0].len = 56; /* autonomous: SLAAC wants a /64 */
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l = known_link();
	l.prefixes[1].preferred = 3601;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l = known_link();
	l.prefixes[1].len = 129;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
	l = known_link();
	l.n_prefixes = DHCP_RA_MAX_PREFIXES + 1;
	ck_assert_ptr_nonnull(dhcp_ra_link_problem(&l));
}
END_TEST

UNIT_SUITE(dhcp6_ra)
{
	Suite *s = suite_create("dhcp6_ra");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_build_known);
	tcase_add_test(tc, test_build_lifetime_final);
	tcase_add_loop_test(tc, test_rs_check, 0, sizeof(rs_cases) / sizeof(rs_cases[0]));
	tcase_add_test(tc, test_sched_initial);
	tcase_add_test(tc, test_sched_periodic_range);
	tcase_add_test(tc, test_sched_rs);
	tcase_add_test(tc, test_sched_failed);
	tcase_add_test(tc, test_sched_update);
	tcase_add_test(tc, test_prefix_on_link);
	tcase_add_test(tc, test_link_problem);
	suite_add_tcase(s, tc);
	return s;
}
