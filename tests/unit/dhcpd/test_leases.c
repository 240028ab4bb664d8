/* SPDX-License-Identifier: MIT */
/* dhcpd/leases.c and journal.c: allocation without repeats, reservations,
 * expiry, decline, journal format/replay with a truncated tail. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "leases.h"
#include "unit.h"

#define BASE 0xc6120100u /* 198.18.1.0 */

static size_t key_of(unsigned i, uint8_t *k)
{
	uint8_t mac[6] = {2, 0x54, 0, (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
	return dhcp_client_key(NULL, 0, 1, mac, 6, k);
}

START_TEST(test_alloc_distinct)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 1999};
	uint32_t rsv[] = {BASE + 5};
	ck_assert_int_eq(dhcp_leases_set_ranges(s, &r, 1, rsv, 1), 0);
	/* A burst of 2,000 offers: never the same address twice. */
	static uint8_t seen[2000];
	memset(seen, 0, sizeof(seen));
	uint8_t k[DHCP_KEY_MAX];
	for (unsigned i = 0; i < 1999; i++) {
		uint32_t a;
		ck_assert_int_eq(dhcp_leases_alloc(s, 0, 1, &a), 0);
		ck_assert(a != BASE + 5);
		ck_assert(!seen[a - BASE]);
		seen[a - BASE] = 1;
		size_t kl = key_of(i, k);
		ck_assert_ptr_nonnull(dhcp_leases_take(s, k, kl, a, LEASE_OFFERED, 100));
	}
	uint32_t a;
	ck_assert_int_eq(dhcp_leases_alloc(s, 0, 1, &a), -ENOSPC);
	ck_assert_uint_eq(dhcp_leases_range_free(s, 0), 0);
	/* lookups both ways */
	size_t kl = key_of(7, k);
	struct dhcp_lease *l = dhcp_lease_by_client(s, k, kl);
	ck_assert_ptr_nonnull(l);
	ck_assert_ptr_eq(dhcp_lease_by_addr(s, l->addr), l);
	/* offers expire: the addresses come back */
	ck_assert_uint_eq(dhcp_leases_expire(s, 100, NULL, NULL), 1999);
	ck_assert_uint_eq(dhcp_leases_range_free(s, 0), 1999);
	ck_assert_int_eq(dhcp_leases_alloc(s, 0, 1, &a), 0);
	/* the expired record keeps its client's affinity until the address goes elsewhere */
	ck_assert(dhcp_leases_addr_available(s, l->addr, k, kl, 200, false));
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_take_moves_and_decline)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	ck_assert_int_eq(dhcp_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t k1[DHCP_KEY_MAX], k2[DHCP_KEY_MAX];
	size_t l1 = key_of(1, k1), l2 = key_of(2, k2);
	struct dhcp_lease *a = dhcp_leases_take(s, k1, l1, BASE + 1, LEASE_BOUND, 1000);
	ck_assert(!dhcp_leases_addr_available(s, BASE + 1, k2, l2, 10, false));
	ck_assert(dhcp_leases_addr_available(s, BASE + 1, k1, l1, 10, false));
	/* moving the client frees its old address */
	a = dhcp_leases_take(s, k1, l1, BASE + 2, LEASE_BOUND, 1000);
	ck_assert_ptr_null(dhcp_lease_by_addr(s, BASE + 1));
	ck_assert_uint_eq(dhcp_leases_range_free(s, 0), 9);
	dhcp_lease_decline(s, a, 500);
	ck_assert_ptr_null(dhcp_lease_by_client(s, k1, l1));
	ck_assert(!dhcp_leases_addr_available(s, BASE + 2, k1, l1, 10, false));
	ck_assert_uint_eq(dhcp_leases_expire(s, 600, NULL, NULL), 1);
	ck_assert_ptr_null(dhcp_lease_by_addr(s, BASE + 2));
	ck_assert_uint_eq(dhcp_leases_range_free(s, 0), 10);
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_reserved_outside_ranges)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	uint32_t rsv[] = {BASE + 3};
	dhcp_leases_set_ranges(s, &r, 1, rsv, 1);
	uint8_t k[DHCP_KEY_MAX];
	size_t kl = key_of(1, k);
	ck_assert(!dhcp_leases_addr_available(s, BASE + 3, k, kl, 0, false));
	ck_assert(dhcp_leases_addr_available(s, BASE + 3, k, kl, 0, true));
	ck_assert(!dhcp_leases_addr_available(s, BASE + 100, k, kl, 0, false));
	ck_assert(dhcp_leases_addr_available(s, BASE + 100, k, kl, 0, true));
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_journal_roundtrip)
{
	struct dhcp_lease l;
	memset(&l, 0, sizeof(l));
	l.addr = BASE + 7;
	l.expires = 1764000000;
	l.hlen = 6;
	memcpy(l.hw, "\x02\x54\x00\x00\x00\x07", 6);
	l.key_len = (uint8_t)key_of(7, l.key);
	strcpy(l.hostname, "evil host\nadd");
	char line[512];
	size_t n = dhcp_journal_format(line, sizeof(line), 1763990000, JEV_ADD, &l);
	ck_assert_uint_gt(n, 0);
	ck_assert(strstr(line, "2025-11-24T") == line);
	ck_assert(strstr(line, " add mac=02:54:00:00:00:07 ip=198.18.1.7 until=") != NULL);
	ck_assert(strstr(line, "host=evil%20host%0Aadd\n") != NULL);
	ck_assert(!strstr(line, "expire")); /* dhcp-bench's reader treats that word as a removal */
	line[n - 1] = '\0';
	struct dhcp_jrec r;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), 0);
	ck_assert_uint_eq(r.addr, BASE + 7);
	ck_assert_int_eq(r.until, 1764000000);
	ck_assert_str_eq(r.hostname, "evil host\nadd");
	ck_assert_uint_eq(r.key_len, l.key_len);
	ck_assert_int_lt(
		dhcp_journal_parse("2025-11-24T00:00:00Z add mac=zz ip=1.2.3.4 until=x", &r, &why),
		0);
	ck_assert_int_lt(dhcp_journal_parse("garbage", &r, &why), 0);
}
END_TEST

static int warned;
static void warn_cb(void *ctx, long line, const char *why)
{
	(void)ctx;
	(void)line;
	(void)why;
	warned++;
}

START_TEST(test_journal_replay_truncated)
{
	char *dir = unit_tmpdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/leases", dir);
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 99};
	dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
	struct dhcp_journal j = {.fd = -1, .lock_fd = -1};
	struct pxe_err e;
	ck_assert_int_eq(dhcp_journal_open(&j, path, &e), 0);
	uint8_t k[DHCP_KEY_MAX];
	for (unsigned i = 0; i < 10; i++) {
		size_t kl = key_of(i, k);
		struct dhcp_lease *l =
			dhcp_leases_take(s, k, kl, BASE + i, LEASE_BOUND, 2000000000);
		ck_assert_int_eq(dhcp_journal_add(&j, 1700000000, JEV_ADD, l), 0);
	}
	struct dhcp_lease *l3 = dhcp_lease_by_addr(s, BASE + 3);
	dhcp_lease_set_state(s, l3, LEASE_RELEASED, 1700000001);
	dhcp_journal_add(&j, 1700000001, JEV_RELEASE, l3);
	ck_assert_int_eq(dhcp_journal_flush(&j), 0);
	dhcp_journal_close(&j);
	/* a crash mid-line, and a corrupt line before it */
	FILE *f = fopen(path, "a");
	fputs("this is not a lease line\n2025-11-24T00:00:00Z add mac=02:54:00:00:00:63 "
	      "ip=198.18.1.99 unt",
	      f);
	fclose(f);
	struct dhcp_leases *t = dhcp_leases_new();
	dhcp_leases_set_ranges(t, &r, 1, NULL, 0);
	warned = 0;
	ck_assert_int_eq(dhcp_journal_replay(path, t, 1700000100, warn_cb, NULL), 13);
	ck_assert_int_eq(warned, 2);
	ck_assert_ptr_nonnull(dhcp_lease_by_addr(t, BASE + 9));
	ck_assert_int_eq(dhcp_lease_by_addr(t, BASE + 9)->state, LEASE_BOUND);
	ck_assert_int_eq(dhcp_lease_by_addr(t, BASE + 3)->state, LEASE_RELEASED);
	ck_assert_ptr_null(dhcp_lease_by_addr(t, BASE + 99));
	ck_assert_uint_eq(dhcp_leases_range_free(t, 0), 91);
	/* compaction: the snapshot replays to the same store */
	size_t lines;
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, t, 1700000100, &lines, &e), 0);
	ck_assert_uint_eq(lines, 10);
	struct dhcp_leases *u = dhcp_leases_new();
	dhcp_leases_set_ranges(u, &r, 1, NULL, 0);
	warned = 0;
	ck_assert_int_eq(dhcp_journal_replay(path, u, 1700000100, warn_cb, NULL), 10);
	ck_assert_int_eq(warned, 0);
	ck_assert_uint_eq(dhcp_leases_range_free(u, 0), 91);
	/* leases past their time replay as expired, keeping affinity */
	struct dhcp_leases *v = dhcp_leases_new();
	dhcp_leases_set_ranges(v, &r, 1, NULL, 0);
	dhcp_journal_replay(path, v, 2100000000, NULL, NULL);
	ck_assert_uint_eq(dhcp_leases_range_free(v, 0), 100);
	size_t kl = key_of(5, k);
	ck_assert_uint_eq(dhcp_lease_by_client(v, k, kl)->addr, BASE + 5);
	dhcp_leases_free(s);
	dhcp_leases_free(t);
	dhcp_leases_free(u);
	dhcp_leases_free(v);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_journal_decline_replay)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
	struct dhcp_jrec rec;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse("2026-11-25T09:00:00Z decline mac=02:54:43:00:00:04 "
					    "ip=198.18.1.3 until=2026-11-25T10:00:00Z cid=-",
					    &rec, &why),
			 0);
	dhcp_journal_apply(s, &rec, 1764061200); /* 09:00 */
	struct dhcp_lease *l = dhcp_lease_by_addr(s, BASE + 3);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->state, LEASE_DECLINED);
	ck_assert_uint_eq(dhcp_leases_range_free(s, 0), 9);
	dhcp_leases_free(s);
}
END_TEST

/* The wall clock set by delta: every end moves by it, infinite ones stay;
 * so a lease still has the same time left and expiry sees the same. */
START_TEST(test_shift)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	ck_assert_int_eq(dhcp_leases_set_ranges(s, &r, 1, NULL, 0), 0);
	uint8_t k[DHCP_KEY_MAX];
	size_t kl = key_of(1, k);
	struct dhcp_lease *a = dhcp_leases_take(s, k, kl, BASE + 1, LEASE_BOUND, 1000 + 3600);
	kl = key_of(2, k);
	struct dhcp_lease *b =
		dhcp_leases_take(s, k, kl, BASE + 2, LEASE_BOUND, DHCP_LEASE_INFINITE);
	const uint8_t duid[] = {0, 3, 0, 1, 2, 0x54, 0, 0, 0, 1};
	const uint8_t addr6[16] = {0xfd, 0, 1, 0x98, 0, 0x18, [15] = 5};
	struct dhcp6_lease *c = dhcp6_leases_take(dhcp_leases_v6(s), duid, sizeof(duid), 7, addr6,
						  LEASE_BOUND, 1000 + 600);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	ck_assert_ptr_nonnull(c);
	dhcp_leases_shift(s, 86400);
	ck_assert_int_eq(a->expires, 1000 + 3600 + 86400);
	ck_assert(b->expires == DHCP_LEASE_INFINITE);
	ck_assert_int_eq(c->expires, 1000 + 600 + 86400);
	/* a day on, 10 minutes later: nothing due */
	ck_assert_uint_eq(dhcp_leases_expire(s, 1000 + 600 + 86400, NULL, NULL), 0);
	dhcp_leases_shift(s, -2 * 86400);
	ck_assert_int_eq(a->expires, 1000 + 3600 - 86400);
	dhcp_leases_free(s);
}
END_TEST

UNIT_SUITE(dhcp_leases)
{
	Suite *s = suite_create("dhcp_leases");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_alloc_distinct);
	tcase_add_test(tc, test_take_moves_and_decline);
	tcase_add_test(tc, test_reserved_outside_ranges);
	tcase_add_test(tc, test_journal_roundtrip);
	tcase_add_test(tc, test_journal_replay_truncated);
	tcase_add_test(tc, test_journal_decline_replay);
	tcase_add_test(tc, test_shift);
	suite_add_tcase(s, tc);
	return s;
}
