/* SPDX-License-Identifier: MIT */
/* dhcpd/journal.c with DHCPv6 lines: format6 -> parse -> apply, corrupt
 * v6 lines skipped with a reason, replay of a mixed v4/v6 journal, a
 * snapshot holding both families, a quarantine replayed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "journal.h"
#include "leases.h"
#include "leases6.h"
#include "unit.h"

#define BASE4 0xc6120100u /* 198.18.1.0 */
#define T0    1764698400  /* 2025-12-02T18:00:00Z */

static void ip6(const char *s, uint8_t out[16])
{
	ck_assert_msg(inet_pton(AF_INET6, s, out) == 1, "bad test address %s", s);
}

static size_t duid_of(unsigned i, uint8_t *d)
{
	/* DUID-LLT (RFC 8415 §11.2), as EDK2 sends it */
	uint8_t v[] = {0, 1, 0, 1, 0x2f, 0x1a, 0x2b, 0x3c, 0x52, 0x54, 0, 0x12, 0x34, (uint8_t)i};
	memcpy(d, v, sizeof(v));
	return sizeof(v);
}

static struct dhcp_leases *store(void)
{
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r4 = {BASE4, BASE4 + 99};
	struct dhcp6_range_def r6;
	ip6("fd00:198:18:1::100", r6.start);
	ip6("fd00:198:18:1::1ff", r6.end);
	ck_assert_int_eq(dhcp_leases_set_ranges(s, &r4, 1, NULL, 0), 0);
	ck_assert_int_eq(dhcp6_leases_set_ranges(dhcp_leases_v6(s), &r6, 1, NULL, 0), 0);
	return s;
}

START_TEST(test_format6_roundtrip)
{
	struct dhcp6_lease l;
	memset(&l, 0, sizeof(l));
	ip6("fd00:198:18:1:0:0:0:100", l.addr);
	l.expires = T0 + 3600;
	l.iaid = 4294967295u;
	l.duid_len = (uint8_t)duid_of(1, l.duid);
	l.has_mac = true;
	memcpy(l.mac, "\x52\x54\x00\x12\x34\x56", 6);
	strcpy(l.hostname, "node 1\nadd6");
	char line[1024];
	size_t n = dhcp_journal_format6(line, sizeof(line), T0, JEV_ADD, &l);
	ck_assert_uint_gt(n, 0);
	ck_assert_str_eq(line, "2025-12-02T18:00:00Z add6 duid=000100012f1a2b3c525400123401 "
			       "iaid=4294967295 ip=fd00:198:18:1::100 until=2025-12-02T19:00:00Z "
			       "mac=52:54:00:12:34:56 host=node%201%0Aadd6\n");
	ck_assert(!strstr(line, "expire")); /* dhcp-bench's reader treats that word as a removal */
	line[n - 1] = '\0';
	struct dhcp_jrec r;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), 0);
	ck_assert_uint_eq(r.family, 6);
	ck_assert_int_eq(r.ev, JEV_ADD);
	ck_assert(!memcmp(r.addr6, l.addr, 16));
	ck_assert_uint_eq(r.iaid, l.iaid);
	ck_assert_uint_eq(r.duid_len, l.duid_len);
	ck_assert(!memcmp(r.duid, l.duid, l.duid_len));
	ck_assert_uint_eq(r.hlen, 6);
	ck_assert_int_eq(r.until, T0 + 3600);
	ck_assert_str_eq(r.hostname, "node 1\nadd6");
	/* applied: a bound lease in the v6 store, none in the v4 one */
	struct dhcp_leases *s = store();
	dhcp_journal_apply(s, &r, T0);
	ck_assert_uint_eq(dhcp_leases_count(s), 0);
	struct dhcp6_lease *k =
		dhcp6_lease_by_client(dhcp_leases_v6(s), l.duid, l.duid_len, l.iaid);
	ck_assert_ptr_nonnull(k);
	ck_assert_int_eq(k->state, LEASE_BOUND);
	ck_assert(k->has_mac && !memcmp(k->mac, l.mac, 6));
	ck_assert_str_eq(k->hostname, l.hostname);
	/* and formats back to the same line */
	char again[1024];
	ck_assert_uint_eq(dhcp_journal_format6(again, sizeof(again), T0, JEV_ADD, k), n);
	again[n - 1] = '\0';
	ck_assert_str_eq(again, line);
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_format6_limits)
{
	/* the longest line: a 130-byte DUID, a host name escaped whole */
	struct dhcp6_lease l;
	memset(&l, 0xff, sizeof(l));
	l.has_mac = true;
	l.duid_len = DHCP6_LEASE_DUID_MAX;
	l.expires = DHCP_LEASE_INFINITE;
	l.state = LEASE_BOUND;
	memset(l.hostname, ' ', sizeof(l.hostname) - 1);
	l.hostname[sizeof(l.hostname) - 1] = '\0';
	char line[1024];
	size_t n = dhcp_journal_format6(line, sizeof(line), T0, JEV_RENEW, &l);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_lt(n, 700);
	ck_assert(strstr(line, " renew6 ") && strstr(line, " until=never "));
	ck_assert(strstr(line, " ip=ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff "));
	ck_assert_uint_eq(dhcp_journal_format6(line, n, T0, JEV_RENEW, &l), 0); /* no room */
	line[n - 1] = '\0';
	struct dhcp_jrec r;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), 0);
	ck_assert_uint_eq(r.duid_len, DHCP6_LEASE_DUID_MAX);
	ck_assert_int_eq(r.until, DHCP_LEASE_INFINITE);
	ck_assert_str_eq(r.hostname, l.hostname);
	/* no MAC, no host name */
	l.has_mac = false;
	l.hostname[0] = '\0';
	l.expires = T0;
	n = dhcp_journal_format6(line, sizeof(line), T0, JEV_RELEASE, &l);
	ck_assert(n > 0 && strstr(line, " mac=-\n"));
	/* every event has its v6 name */
	static const char *const names[] = {" add6 ", " renew6 ", " release6 ", " expire6 ",
					    " decline6 "};
	for (int ev = JEV_ADD; ev <= JEV_DECLINE; ev++) {
		ck_assert_uint_gt(dhcp_journal_format6(line, sizeof(line), T0, ev, &l), 0);
		ck_assert_ptr_nonnull(strstr(line, names[ev]));
		line[strlen(line) - 1] = '\0';
		ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), 0);
		ck_assert_int_eq(r.ev, ev);
		ck_assert_uint_eq(r.family, 6);
	}
}
END_TEST

START_TEST(test_parse6_corrupt)
{
	static const struct {
		const char *line, *why;
	} bad[] = {
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=198.18.1.1 "
		 "until=2025-12-02T19:00:00Z",
		 "bad field value"}, /* a v4 address in a v6 line */
		{"2025-12-02T18:00:00Z add mac=- ip=fd00::1 until=2025-12-02T19:00:00Z cid=01",
		 "bad field value"}, /* and the other way round */
		{"2025-12-02T18:00:00Z add6 iaid=1 ip=fd00::1 until=2025-12-02T19:00:00Z",
		 "missing duid= or iaid="},
		{"2025-12-02T18:00:00Z add6 duid=0001 ip=fd00::1 until=2025-12-02T19:00:00Z",
		 "missing duid= or iaid="},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 until=2025-12-02T19:00:00Z",
		 "missing ip= or until="},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=4294967296 ip=fd00::1 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=-1 ip=fd00::1 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid= ip=fd00::1 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=0x1 ip=fd00::1 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=001 iaid=1 ip=fd00::1 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=fd00::1 until=never mac=52:54:00",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=fd00::1 until=never mac=zz",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=fd00::1::2 until=never",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=fd00::1 until=2025-13-02",
		 "bad field value"},
		{"2025-12-02T18:00:00Z add7 duid=0001 iaid=1 ip=fd00::1 until=never",
		 "unknown event"},
		{"2025-12-02T18:00:00Z", "unknown event"},
		{"2025-12-02T18:00:00Z add6 duid=0001 iaid=1 ip=fd00::1 until=never junk",
		 "field without '='"},
	};
	struct dhcp_jrec r;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *why = NULL;
		ck_assert_msg(dhcp_journal_parse(bad[i].line, &r, &why) == -EINVAL, "%s",
			      bad[i].line);
		ck_assert_str_eq(why, bad[i].why);
	}
	/* a DUID longer than 130 bytes */
	char line[1024];
	int n = snprintf(line, sizeof(line), "2025-12-02T18:00:00Z add6 duid=");
	for (int i = 0; i < 131; i++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, "ab");
	snprintf(line + n, sizeof(line) - (size_t)n, " iaid=1 ip=fd00::1 until=never");
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), -EINVAL);
	ck_assert_str_eq(why, "bad field value");
	/* unknown fields (a newer version's) are ignored */
	ck_assert_int_eq(dhcp_journal_parse("2025-12-02T18:00:00Z add6 duid=0001 iaid=1 "
					    "ip=fd00::1 until=never pd=fd00:1::/56",
					    &r, &why),
			 0);
}
END_TEST

static int warned;
static long warned_line[16];
static void warn_cb(void *ctx, long line, const char *why)
{
	(void)ctx;
	(void)why;
	if (warned < 16)
		warned_line[warned] = line;
	warned++;
}

/* 10 v4 and 10 v6 clients bound, v4 client 3 and v6 client 4 released,
 * v6 client 5 declined. */
static void write_mixed(const char *path, struct dhcp_leases *s)
{
	struct dhcp_journal j = {.fd = -1, .lock_fd = -1};
	struct pxe_err e;
	ck_assert_int_eq(dhcp_journal_open(&j, path, &e), 0);
	struct dhcp6_leases *s6 = dhcp_leases_v6(s);
	for (unsigned i = 0; i < 10; i++) {
		uint8_t k[DHCP_KEY_MAX], mac[6] = {2, 0x54, 0, 0, 0, (uint8_t)i}, d[16], a[16];
		size_t kl = dhcp_client_key(NULL, 0, 1, mac, 6, k);
		struct dhcp_lease *l =
			dhcp_leases_take(s, k, kl, BASE4 + i, LEASE_BOUND, T0 + 3600);
		l->hlen = 6;
		memcpy(l->hw, mac, 6);
		ck_assert_int_eq(dhcp_journal_add(&j, T0, JEV_ADD, l), 0);
		ck_assert_int_eq(dhcp6_leases_alloc(s6, 0, 1, T0, a), 0);
		struct dhcp6_lease *l6 =
			dhcp6_leases_take(s6, d, duid_of(i, d), 1, a, LEASE_BOUND, T0 + 3600);
		l6->has_mac = true;
		memcpy(l6->mac, mac, 6);
		snprintf(l6->hostname, sizeof(l6->hostname), "node%u", i);
		ck_assert_int_eq(dhcp_journal_add6(&j, T0, JEV_ADD, l6), 0);
	}
	struct dhcp_lease *l3 = dhcp_lease_by_addr(s, BASE4 + 3);
	dhcp_lease_set_state(s, l3, LEASE_RELEASED, T0 + 1);
	ck_assert_int_eq(dhcp_journal_add(&j, T0 + 1, JEV_RELEASE, l3), 0);
	uint8_t d[16];
	struct dhcp6_lease *l4 = dhcp6_lease_by_client(s6, d, duid_of(4, d), 1);
	dhcp6_lease_set_state(s6, l4, LEASE_RELEASED, T0 + 1);
	ck_assert_int_eq(dhcp_journal_add6(&j, T0 + 1, JEV_RELEASE, l4), 0);
	struct dhcp6_lease *l5 = dhcp6_lease_by_client(s6, d, duid_of(5, d), 1);
	dhcp6_lease_decline(s6, l5, T0 + 86400);
	ck_assert_int_eq(dhcp_journal_add6(&j, T0 + 1, JEV_DECLINE, l5), 0);
	ck_assert_uint_eq(j.lines, 23);
	ck_assert_int_eq(dhcp_journal_flush(&j), 0);
	dhcp_journal_close(&j);
}

static void assert_mixed(struct dhcp_leases *t)
{
	struct dhcp6_leases *t6 = dhcp_leases_v6(t);
	ck_assert_uint_eq(dhcp_leases_count(t), 10);
	ck_assert_uint_eq(dhcp6_leases_count(t6), 10);
	ck_assert_int_eq(dhcp_lease_by_addr(t, BASE4 + 9)->state, LEASE_BOUND);
	ck_assert_int_eq(dhcp_lease_by_addr(t, BASE4 + 3)->state, LEASE_RELEASED);
	uint8_t d[16], a[16];
	struct dhcp6_lease *l = dhcp6_lease_by_client(t6, d, duid_of(9, d), 1);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->state, LEASE_BOUND);
	ck_assert_str_eq(l->hostname, "node9");
	ck_assert(l->has_mac && l->mac[5] == 9);
	ck_assert_int_eq(dhcp6_lease_by_client(t6, d, duid_of(4, d), 1)->state, LEASE_RELEASED);
	ck_assert_ptr_null(dhcp6_lease_by_client(t6, d, duid_of(5, d), 1)); /* declined */
	ip6("fd00:198:18:1::105", a);
	l = dhcp6_lease_by_addr(t6, a);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->state, LEASE_DECLINED);
	ck_assert_int_eq(l->expires, T0 + 86400);
	ck_assert(l->has_mac && l->mac[5] == 5);
	ck_assert(!dhcp6_leases_addr_available(t6, a, d, duid_of(5, d), 1, T0 + 10, true));
	/* a new client gets a fresh address: not a held one, not the released one */
	ck_assert_int_eq(dhcp6_leases_alloc(t6, 0, 1, T0 + 10, a), 0);
	ck_assert(!dhcp6_lease_by_addr(t6, a));
}

START_TEST(test_replay_mixed)
{
	char *dir = unit_tmpdir();
	char path[512];
	snprintf(path, sizeof(path), "%s/leases", dir);
	struct dhcp_leases *s = store();
	write_mixed(path, s);
	/* corrupt lines of both families among them, and a crash mid-line */
	FILE *f = fopen(path, "a");
	fputs("2025-12-02T18:00:02Z add6 duid=0001 iaid=1 ip=198.18.1.50 until=never\n"
	      "2025-12-02T18:00:02Z add mac=- ip=fd00::1 until=never cid=01\n"
	      "# a comment\n"
	      "2025-12-02T18:00:02Z add6 duid=00010001 iaid=7 ip=fd00:198:18:1::1",
	      f);
	fclose(f);
	struct dhcp_leases *t = store();
	warned = 0;
	ck_assert_int_eq(dhcp_journal_replay(path, t, T0 + 10, warn_cb, NULL), 27);
	ck_assert_int_eq(warned, 3);
	ck_assert_int_eq(warned_line[0], 24);
	ck_assert_int_eq(warned_line[1], 25);
	ck_assert_int_eq(warned_line[2], 27);
	assert_mixed(t);
	/* the snapshot holds both families and replays to the same store */
	size_t lines = 0;
	struct pxe_err e;
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, t, T0 + 10, &lines, &e), 0);
	ck_assert_uint_eq(lines, 20);
	struct dhcp_leases *u = store();
	warned = 0;
	ck_assert_int_eq(dhcp_journal_replay(path, u, T0 + 10, warn_cb, NULL), 20);
	ck_assert_int_eq(warned, 0);
	assert_mixed(u);
	/* a day later: leases replay as expired and keep their client's
	 * address; the quarantine is over */
	struct dhcp_leases *v = store();
	int64_t later = T0 + 88000;
	ck_assert_int_eq(dhcp_journal_replay(path, v, later, NULL, NULL), 20);
	uint8_t d[16], a[16];
	struct dhcp6_lease *l = dhcp6_lease_by_client(dhcp_leases_v6(v), d, duid_of(7, d), 1);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->state, LEASE_EXPIRED);
	ck_assert(!dhcp6_lease_active(l, later));
	ip6("fd00:198:18:1::105", a);
	ck_assert_ptr_null(dhcp6_lease_by_addr(dhcp_leases_v6(v), a));
	ck_assert_uint_eq(dhcp6_leases_count(dhcp_leases_v6(v)), 9);
	/* its snapshot keeps the expired records, not the one released more
	 * than DHCP6_LEASE_KEEP ago; later still, no v6 record at all */
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, v, later, &lines, &e), 0);
	ck_assert_uint_eq(lines, 18);
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, v, T0 + 200000, &lines, &e), 0);
	ck_assert_uint_eq(lines, 10);
	dhcp_leases_free(s);
	dhcp_leases_free(t);
	dhcp_leases_free(u);
	dhcp_leases_free(v);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_apply6_rules)
{
	struct dhcp_leases *s = store();
	struct dhcp6_leases *s6 = dhcp_leases_v6(s);
	struct dhcp_jrec r;
	const char *why;
	/* A bound, then B's old expiry line for the same address: A keeps it */
	ck_assert_int_eq(dhcp_journal_parse("2025-12-02T18:00:00Z add6 duid=0003000102540000000a "
					    "iaid=1 ip=fd00:198:18:1::100 "
					    "until=2025-12-02T19:00:00Z mac=-",
					    &r, &why),
			 0);
	dhcp_journal_apply(s, &r, T0);
	ck_assert_int_eq(
		dhcp_journal_parse("2025-12-02T18:00:00Z expire6 "
				   "duid=0003000102540000000b iaid=1 "
				   "ip=fd00:198:18:1::100 until=2025-12-02T18:00:00Z mac=-",
				   &r, &why),
		0);
	dhcp_journal_apply(s, &r, T0);
	ck_assert_uint_eq(dhcp6_leases_count(s6), 1);
	uint8_t a[16];
	ip6("fd00:198:18:1::100", a);
	struct dhcp6_lease *l = dhcp6_lease_by_addr(s6, a);
	ck_assert_int_eq(l->state, LEASE_BOUND);
	ck_assert(!l->has_mac);
	/* a line without a client changes nothing */
	ck_assert_int_eq(dhcp_journal_parse("2025-12-02T18:00:00Z add6 duid=- iaid=1 "
					    "ip=fd00:198:18:1::101 until=never mac=-",
					    &r, &why),
			 0);
	dhcp_journal_apply(s, &r, T0);
	ck_assert_uint_eq(dhcp6_leases_count(s6), 1);
	/* a quarantine over A's address replaces A's record */
	ck_assert_int_eq(
		dhcp_journal_parse("2025-12-02T18:00:01Z decline6 "
				   "duid=0003000102540000000a iaid=1 "
				   "ip=fd00:198:18:1::100 until=2025-12-03T18:00:00Z mac=-",
				   &r, &why),
		0);
	dhcp_journal_apply(s, &r, T0);
	l = dhcp6_lease_by_addr(s6, a);
	ck_assert_int_eq(l->state, LEASE_DECLINED);
	ck_assert_uint_eq(l->duid_len, 10);
	ck_assert_uint_eq(dhcp6_leases_count(s6), 1);
	ck_assert_uint_eq(dhcp_leases_count(s), 0);
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_v4_lines_unchanged)
{
	/* An old journal reads as before: family 4, nothing in the v6 store. */
	struct dhcp_jrec r;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse("2026-11-25T09:20:00Z add mac=02:54:42:00:00:01 "
					    "ip=198.18.1.0 until=2026-11-25T10:20:00Z "
					    "cid=0102544200000001 host=node1",
					    &r, &why),
			 0);
	ck_assert_uint_eq(r.family, 4);
	ck_assert_uint_eq(r.addr, BASE4);
	struct dhcp_leases *s = store();
	dhcp_journal_apply(s, &r, 1764000000);
	ck_assert_uint_eq(dhcp_leases_count(s), 1);
	ck_assert_uint_eq(dhcp6_leases_count(dhcp_leases_v6(s)), 0);
	dhcp_leases_free(s);
}
END_TEST

UNIT_SUITE(dhcp_journal6)
{
	Suite *s = suite_create("dhcp_journal6");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_format6_roundtrip);
	tcase_add_test(tc, test_format6_limits);
	tcase_add_test(tc, test_parse6_corrupt);
	tcase_add_test(tc, test_replay_mixed);
	tcase_add_test(tc, test_apply6_rules);
	tcase_add_test(tc, test_v4_lines_unchanged);
	suite_add_tcase(s, tc);
	return s;
}
