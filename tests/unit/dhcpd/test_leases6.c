/* SPDX-License-Identifier: MIT */
/* dhcpd/leases6.c: allocation over a /64 and over tiny ranges, carry
 * across the two 64-bit halves, reservations, the client's address back,
 * DECLINE quarantine (RFC 8415 §18.3.8), expiry, records that move. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "leases.h" /* the v4 store that owns the v6 one */
#include "leases6.h"
#include "unit.h"

static void ip6(const char *s, uint8_t out[16])
{
	ck_assert_msg(inet_pton(AF_INET6, s, out) == 1, "bad test address %s", s);
}

static struct dhcp6_range_def range(const char *a, const char *b)
{
	struct dhcp6_range_def r;
	ip6(a, r.start);
	ip6(b, r.end);
	return r;
}

/* A DUID-LL (RFC 8415 §11.4) for client i. */
static size_t duid_of(unsigned i, uint8_t *d)
{
	uint8_t v[] = {0, 3, 0, 1, 2, 0x54, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
	memcpy(d, v, sizeof(v));
	return sizeof(v);
}

static void assert_addr(const uint8_t a[16], const char *want)
{
	char got[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, got, sizeof(got));
	ck_assert_str_eq(got, want);
}

/* Allocate and take for client i; returns the address. */
static void grab(struct dhcp6_leases *s, unsigned i, uint8_t out[16])
{
	uint8_t d[16];
	size_t dl = duid_of(i, d);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, dhcp6_leases_nranges(s), 0, out), 0);
	ck_assert_ptr_nonnull(dhcp6_leases_take(s, d, dl, 1, out, LEASE_BOUND, 1000));
}

START_TEST(test_alloc_huge_range)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::", "fd00:198:18:1:ffff:ffff:ffff:ffff");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	ck_assert_uint_eq(dhcp6_leases_nranges(s), 1);
	/* 3,000 clients (the hash tables grow twice): never an address twice */
	for (unsigned i = 0; i < 3000; i++) {
		uint8_t a[16], d[16];
		ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), 0);
		ck_assert_ptr_null(dhcp6_lease_by_addr(s, a));
		ck_assert_int_eq(dhcp6_leases_range_of(s, a), 0);
		size_t dl = duid_of(i, d);
		ck_assert_ptr_nonnull(dhcp6_leases_take(s, d, dl, 7, a, LEASE_OFFERED, 100));
	}
	ck_assert_uint_eq(dhcp6_leases_count(s), 3000);
	uint8_t d[16];
	size_t dl = duid_of(1234, d);
	struct dhcp6_lease *l = dhcp6_lease_by_client(s, d, dl, 7);
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_eq(dhcp6_lease_by_addr(s, l->addr), l);
	ck_assert_ptr_null(dhcp6_lease_by_client(s, d, dl, 8)); /* another IA of the client */
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_alloc_skips_taken_run)
{
	/* Addresses taken without alloc (reservations, a replayed journal) lie
	 * ahead of the cursor: the walk steps over them. */
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::", "fd00:198:18:1:ffff:ffff:ffff:ffff");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	for (unsigned i = 0; i < 500; i++) {
		uint8_t a[16], d[16];
		memcpy(a, r.start, 16);
		a[14] = (uint8_t)(i >> 8);
		a[15] = (uint8_t)i;
		ck_assert_ptr_nonnull(
			dhcp6_leases_take(s, d, duid_of(i, d), 1, a, LEASE_BOUND, 50));
	}
	uint8_t a[16];
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 10, a), 0);
	assert_addr(a, "fd00:198:18:1::1f4");
	/* a reload with the same range keeps the cursor, a new range starts over */
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 10, a), 0);
	assert_addr(a, "fd00:198:18:1::1f5");
	/* lapsed records' addresses come after fresh ones, even past their time */
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 100, a), 0);
	assert_addr(a, "fd00:198:18:1::1f6");
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_alloc_tiny_exhaustion)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::10", "fd00:198:18:1::13");
	uint8_t rsv[1][16];
	ip6("fd00:198:18:1::11", rsv[0]);
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, (const uint8_t(*)[16])rsv, 1), 0);
	uint8_t a[16];
	grab(s, 1, a);
	assert_addr(a, "fd00:198:18:1::10");
	grab(s, 2, a);
	assert_addr(a, "fd00:198:18:1::12");
	grab(s, 3, a);
	assert_addr(a, "fd00:198:18:1::13");
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), -ENOSPC);
	/* nothing in ranges past the end, nor in an empty selection */
	ck_assert_int_eq(dhcp6_leases_alloc(s, 1, 1, 0, a), -ENOSPC);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 0, 0, a), -ENOSPC);
	/* client 2 releases: its address is the only one left */
	uint8_t d[16];
	size_t dl = duid_of(2, d);
	struct dhcp6_lease *l = dhcp6_lease_by_client(s, d, dl, 1);
	dhcp6_lease_set_state(s, l, LEASE_RELEASED, 0);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), 0);
	assert_addr(a, "fd00:198:18:1::12");
	/* a second range with room is preferred to reusing that address */
	struct dhcp6_range_def two[2] = {r, range("fd00:198:18:2::1", "fd00:198:18:2::1")};
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, two, 2, (const uint8_t(*)[16])rsv, 1), 0);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 2, 0, a), 0);
	assert_addr(a, "fd00:198:18:2::1");
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), 0);
	assert_addr(a, "fd00:198:18:1::12");
	/* an offer past its time frees its address too, before expire() ran */
	ck_assert_ptr_nonnull(dhcp6_leases_take(s, d, dl, 1, a, LEASE_OFFERED, 50));
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 49, a), -ENOSPC);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 50, a), 0);
	assert_addr(a, "fd00:198:18:1::12");
	dhcp6_leases_free(s);
}
END_TEST

/* Four addresses whose high 64-bit half changes in the middle. */
static void carry_case(const char *start, const char *end, const char *const want[4])
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range(start, end);
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t a[16];
	for (unsigned i = 0; i < 4; i++) {
		grab(s, i, a);
		assert_addr(a, want[i]);
		ck_assert_int_eq(dhcp6_leases_range_of(s, a), 0);
	}
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), -ENOSPC);
	/* the cursor wrapped from end to start: a freed start comes back */
	ip6(want[0], a);
	dhcp6_leases_remove(s, dhcp6_lease_by_addr(s, a));
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), 0);
	assert_addr(a, want[0]);
	dhcp6_leases_free(s);
}

START_TEST(test_alloc_carry)
{
	static const char *const w1[4] = {"::ffff:ffff:ffff:fffe", "::ffff:ffff:ffff:ffff",
					  "0:0:0:1::", "::1:0:0:0:1"}; /* RFC 5952 §4.2.3 */
	carry_case("::ffff:ffff:ffff:fffe", "::1:0:0:0:1", w1);
	static const char *const w2[4] = {"fd00:198:18:0:ffff:ffff:ffff:fffe",
					  "fd00:198:18:0:ffff:ffff:ffff:ffff",
					  "fd00:198:18:1::", "fd00:198:18:1::1"};
	carry_case("fd00:198:18:0:ffff:ffff:ffff:fffe", "fd00:198:18:1::1", w2);
	/* the very top of the address space: the cursor wraps, never overflows */
	static const char *const w3[4] = {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffc",
					  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffd",
					  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe",
					  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"};
	carry_case(w3[0], w3[3], w3);
}
END_TEST

START_TEST(test_whole_space_and_bad_range)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("::", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0); /* 2^128 addresses */
	uint8_t a[16];
	grab(s, 1, a);
	assert_addr(a, "::");
	grab(s, 2, a);
	assert_addr(a, "::1");
	struct dhcp6_range_def bad = range("fd00:198:18:1::2", "fd00:198:18:1::1");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &bad, 1, NULL, 0), -EINVAL);
	ck_assert_uint_eq(dhcp6_leases_nranges(s), 1); /* the old ranges stay */
	ck_assert_uint_eq(dhcp6_leases_count(s), 2);
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_reserved)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::100", "fd00:198:18:1::1ff");
	uint8_t rsv[4][16];
	ip6("fd00:198:18:1::101", rsv[0]);
	ip6("fd00:198:18:1::100", rsv[1]);
	ip6("fd00:198:18:1::103", rsv[2]);
	ip6("fd00:198:18:1::101", rsv[3]); /* twice */
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, (const uint8_t(*)[16])rsv, 4), 0);
	uint8_t a[16], d[16];
	size_t dl = duid_of(1, d);
	grab(s, 1, a);
	assert_addr(a, "fd00:198:18:1::102");
	grab(s, 2, a);
	assert_addr(a, "fd00:198:18:1::104");
	ck_assert(!dhcp6_leases_addr_available(s, rsv[0], d, dl, 1, 0, false));
	ck_assert(dhcp6_leases_addr_available(s, rsv[0], d, dl, 1, 0, true));
	uint8_t out[16];
	ip6("fd00:198:18:9::1", out);
	ck_assert(!dhcp6_leases_addr_available(s, out, d, dl, 1, 0, false));
	ck_assert(dhcp6_leases_addr_available(s, out, d, dl, 1, 0, true));
	ck_assert_int_eq(dhcp6_leases_range_of(s, out), -1);
	/* a host reservation taken, then released: still never dynamic */
	uint8_t h[16];
	size_t hl = duid_of(99, h);
	struct dhcp6_lease *l = dhcp6_leases_take(s, h, hl, 1, rsv[2], LEASE_BOUND, 1000);
	ck_assert_ptr_nonnull(l);
	dhcp6_leases_remove(s, l);
	for (unsigned i = 3; i <= 253; i++) /* 256 - 3 reserved */
		grab(s, i, a);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), -ENOSPC);
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_same_client_back)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::10", "fd00:198:18:1::1f");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t a[16], x[16], d1[16], d2[16];
	size_t l1 = duid_of(1, d1), l2 = duid_of(2, d2);
	grab(s, 1, x);
	struct dhcp6_lease *l = dhcp6_lease_by_client(s, d1, l1, 1);
	ck_assert(!dhcp6_leases_addr_available(s, x, d2, l2, 1, 10, false));
	ck_assert(!dhcp6_leases_addr_available(s, x, d1, l1, 2, 10, false)); /* other IAID */
	ck_assert(dhcp6_leases_addr_available(s, x, d1, l1, 1, 10, false));
	dhcp6_lease_set_state(s, l, LEASE_RELEASED, 10);
	/* others get fresh addresses while there are any */
	for (unsigned i = 2; i < 17; i++) {
		grab(s, i, a);
		ck_assert(memcmp(a, x, 16));
	}
	ck_assert(dhcp6_leases_addr_available(s, x, d1, l1, 1, 20, false));
	ck_assert_ptr_eq(dhcp6_lease_by_client(s, d1, l1, 1), l);
	ck_assert(!memcmp(l->addr, x, 16));
	/* a released address is free for another client too */
	ck_assert(dhcp6_leases_addr_available(s, x, d2, l2, 1, 20, false));
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_decline_quarantine)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::10", "fd00:198:18:1::11");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t a[16], b[16], d1[16];
	size_t l1 = duid_of(1, d1);
	grab(s, 1, a);
	grab(s, 2, b);
	dhcp6_lease_set_state(s, dhcp6_lease_by_addr(s, b), LEASE_EXPIRED, 0);
	struct dhcp6_lease *l = dhcp6_lease_by_client(s, d1, l1, 1);
	dhcp6_lease_decline(s, l, 500);
	ck_assert_ptr_null(dhcp6_lease_by_client(s, d1, l1, 1));
	ck_assert_ptr_eq(dhcp6_lease_by_addr(s, a), l);
	ck_assert_uint_eq(l->duid_len, l1); /* who declined it, for the logs */
	ck_assert(!dhcp6_leases_addr_available(s, a, d1, l1, 1, 10, false));
	ck_assert(!dhcp6_leases_addr_available(s, a, d1, l1, 1, 10, true));
	uint8_t c[16];
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 10, c), 0); /* not the quarantined one */
	ck_assert(!memcmp(c, b, 16));
	ck_assert_ptr_nonnull(dhcp6_leases_take(s, d1, l1, 1, c, LEASE_BOUND, 1000));
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 10, c), -ENOSPC);
	/* the quarantine ends: the record goes, the address is free */
	ck_assert_uint_eq(dhcp6_leases_expire(s, 600, NULL, NULL), 1);
	ck_assert_ptr_null(dhcp6_lease_by_addr(s, a));
	ck_assert_uint_eq(dhcp6_leases_count(s), 1);
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 600, c), 0);
	ck_assert(!memcmp(c, a, 16));
	dhcp6_leases_free(s);
}
END_TEST

static unsigned expired_bound;
static void on_expire(void *ctx, struct dhcp6_lease *l)
{
	ck_assert_ptr_eq(ctx, &expired_bound);
	ck_assert_int_eq(l->state, LEASE_BOUND); /* called before the change */
	expired_bound++;
}

START_TEST(test_expire_callback)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::10", "fd00:198:18:1::1f");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t a[16], d[16];
	static const struct {
		uint8_t st;
		int64_t exp;
	} t[] = {{LEASE_BOUND, 100},
		 {LEASE_OFFERED, 100},
		 {LEASE_BOUND, 300},
		 {LEASE_RELEASED, 50},
		 {LEASE_BOUND, DHCP_LEASE_INFINITE}};
	for (unsigned i = 0; i < 5; i++) {
		ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, a), 0);
		ck_assert_ptr_nonnull(dhcp6_leases_take(s, d, duid_of(i, d), 1, a,
							(enum dhcp_lease_state)t[i].st, t[i].exp));
	}
	expired_bound = 0;
	/* the bound lease expires, the offer that no REQUEST followed goes */
	ck_assert_uint_eq(dhcp6_leases_expire(s, 200, on_expire, &expired_bound), 2);
	ck_assert_uint_eq(expired_bound, 1);
	ck_assert_int_eq(dhcp6_lease_by_client(s, d, duid_of(0, d), 1)->state, LEASE_EXPIRED);
	ck_assert_ptr_null(dhcp6_lease_by_client(s, d, duid_of(1, d), 1));
	ck_assert_int_eq(dhcp6_lease_by_client(s, d, duid_of(2, d), 1)->state, LEASE_BOUND);
	ck_assert(dhcp6_lease_active(dhcp6_lease_by_client(s, d, duid_of(2, d), 1), 200));
	ck_assert(!dhcp6_lease_active(dhcp6_lease_by_client(s, d, duid_of(2, d), 1), 300));
	ck_assert_uint_eq(dhcp6_leases_count(s), 4);
	/* lapsed records stay DHCP6_LEASE_KEEP for their clients, then go */
	ck_assert_uint_eq(dhcp6_leases_expire(s, 50 + DHCP6_LEASE_KEEP, on_expire, &expired_bound),
			  1); /* the lease until 300 */
	ck_assert_uint_eq(dhcp6_leases_count(s), 4);
	ck_assert_uint_eq(dhcp6_leases_expire(s, 51 + DHCP6_LEASE_KEEP, NULL, NULL), 1);
	ck_assert_ptr_null(dhcp6_lease_by_client(s, d, duid_of(3, d), 1)); /* released at 50 */
	ck_assert_uint_eq(dhcp6_leases_expire(s, INT64_MAX - 1, on_expire, &expired_bound), 2);
	ck_assert_uint_eq(expired_bound, 2);
	ck_assert(dhcp6_lease_active(dhcp6_lease_by_client(s, d, duid_of(4, d), 1), INT64_MAX - 1));
	ck_assert_uint_eq(dhcp6_leases_count(s), 1);
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_take_moves)
{
	struct dhcp6_leases *s = dhcp6_leases_new();
	struct dhcp6_range_def r = range("fd00:198:18:1::10", "fd00:198:18:1::12");
	ck_assert_int_eq(dhcp6_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t x[16], y[16], z[16], d1[16], d2[16];
	size_t l1 = duid_of(1, d1), l2 = duid_of(2, d2);
	ip6("fd00:198:18:1::10", x);
	ip6("fd00:198:18:1::11", y);
	struct dhcp6_lease *a = dhcp6_leases_take(s, d1, l1, 1, x, LEASE_BOUND, 1000);
	ck_assert_ptr_eq(dhcp6_leases_take(s, d1, l1, 1, y, LEASE_BOUND, 1000), a);
	ck_assert_ptr_null(dhcp6_lease_by_addr(s, x));
	ck_assert_ptr_eq(dhcp6_lease_by_addr(s, y), a);
	ck_assert_uint_eq(dhcp6_leases_count(s), 1);
	/* the move freed x: it is the fresh address left with ::12 */
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, z), 0);
	assert_addr(z, "fd00:198:18:1::10");
	/* another client takes y: the first one's record is dropped */
	dhcp6_lease_set_state(s, a, LEASE_EXPIRED, 1000);
	struct dhcp6_lease *b = dhcp6_leases_take(s, d2, l2, 1, y, LEASE_OFFERED, 2000);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_null(dhcp6_lease_by_client(s, d1, l1, 1));
	ck_assert_ptr_eq(dhcp6_lease_by_addr(s, y), b);
	ck_assert_uint_eq(dhcp6_leases_count(s), 1);
	ck_assert_ptr_eq(dhcp6_leases_at(s, 0), b);
	ck_assert_ptr_null(dhcp6_leases_at(s, 1));
	/* the counts stayed right: two fresh addresses, then none */
	uint8_t d[16];
	for (unsigned i = 10; i < 12; i++) {
		ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, z), 0);
		ck_assert_ptr_nonnull(dhcp6_leases_take(s, d, duid_of(i, d), 1, z, LEASE_BOUND, 9));
	}
	ck_assert_int_eq(dhcp6_leases_alloc(s, 0, 1, 0, z), -ENOSPC);
	dhcp6_leases_free(s);
}
END_TEST

START_TEST(test_owned_by_v4_store)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp6_leases *s6 = dhcp_leases_v6(s);
	ck_assert_ptr_nonnull(s6);
	uint8_t a[16], d[16];
	ip6("fd00:198:18:1::1", a);
	ck_assert_ptr_nonnull(dhcp6_leases_take(s6, d, duid_of(1, d), 1, a, LEASE_BOUND, 9));
	ck_assert_uint_eq(dhcp_leases_count(s), 0); /* v4 only */
	ck_assert_uint_eq(dhcp_leases_count_all(s), 1);
	dhcp_leases_free(s); /* frees the v6 store: ASan sees a leak otherwise */
}
END_TEST

UNIT_SUITE(dhcp6_leases)
{
	Suite *s = suite_create("dhcp6_leases");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_alloc_huge_range);
	tcase_add_test(tc, test_alloc_skips_taken_run);
	tcase_add_test(tc, test_alloc_tiny_exhaustion);
	tcase_add_test(tc, test_alloc_carry);
	tcase_add_test(tc, test_whole_space_and_bad_range);
	tcase_add_test(tc, test_reserved);
	tcase_add_test(tc, test_same_client_back);
	tcase_add_test(tc, test_decline_quarantine);
	tcase_add_test(tc, test_expire_callback);
	tcase_add_test(tc, test_take_moves);
	tcase_add_test(tc, test_owned_by_v4_store);
	suite_add_tcase(s, tc);
	return s;
}
