/* SPDX-License-Identifier: MIT */
/* dhcpd/v4/decide.c: BOOTP clients (RFC 951, RFC 1542, RFC 1534), the lease
 * time a client asks for (option 51, RFC 2131 §4.3.1) and option overload
 * in replies (RFC 2132 §9.3), with the config keys for them. Table-driven,
 * fake clock, no sockets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config_spec.h"
#include "v4/decide.h"
#include "fixture.h"
#include "unit.h"

#define SRV   0xc6120001u /* 198.18.0.1 */
#define RELAY 0xc6121001u /* 198.18.16.1 */
#define FIXED 0xc6120032u /* 198.18.0.50 */

static const char conf_text[] =
	"[dhcpd]\nlease-time = 10m\n"
	"[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.19\nrouter = 198.18.0.1\n"
	"dns = 198.18.0.1\n"
	"option = 224:\"" /* 100 bytes */
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	"aa"
	"aaaaaaaa\"\n"
	"option = 225:\""
	"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
	"bb"
	"bbbbbbbb\"\n"
	"option = 226:\""
	"cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"
	"cc"
	"cccccccc\"\n"
	"option = 227:\"dddddddddddddddddddddddddddddddddddddddd\"\n" /* 40 bytes */
	"option = 228:\"eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee\"\n"
	"[subnet 198.18.16.0/20]\nrange = 198.18.16.10-198.18.16.12\nrouter = 198.18.16.1\n"
	"bootp-dynamic = yes\nmax-lease-time = 1h\nmin-lease-time = 5m\n"
	"[host fixed]\nmac = 02:54:00:00:00:99\naddress = 198.18.0.50\nhostname = fx\n"
	"[host long]\nmac = 02:54:00:00:00:77\nlease-time = 2h\n"
	"[boot grub]\nmatch = mac:02:54:00:00:00:51\nfile = boot/grubx64.efi\n";

static char *dir;
static struct pxe_config conf;
static struct dhcp_ctx ctx;
static struct dhcp_msg req, rep;
static struct dhcp_out out;
static const struct dhcp_rx rx = {.local_addr = SRV, .ifindex = 2};

static void setup(void)
{
	dir = unit_tmpdir();
	dhcp_fixture_load(dir, conf_text, &conf);
	dhcp_fixture_ctx(&ctx, &conf);
}

static void teardown(void)
{
	dhcp_fixture_free(&ctx, &conf, dir);
}

/* type 0: BOOTP (no option 53); cookie false: no RFC 1048 cookie either */
static void mkreq(int type, unsigned mac, bool cookie)
{
	dhcp_fixture_req(&req, type, mac, 0x5678 + mac);
	req.has_cookie = cookie;
}

static void put_u32(uint8_t code, uint32_t v)
{
	dhcp_fixture_put_u32(&req, code, v);
}

static uint32_t opt_u32(uint8_t code)
{
	return dhcp_fixture_opt_u32(&rep, code);
}

static int run(int64_t now)
{
	return dhcp_fixture_run(&ctx, &req, &rx, now, &out, &rep);
}

/* ---- BOOTP ---- */

enum via { LOCAL, RELAYED, LOCAL_BCAST };

static const struct {
	const char *name;
	unsigned mac;
	bool cookie;
	enum via via;
	bool served;
	uint32_t addr; /* 0: any in the relayed subnet's range */
	bool journal;  /* a lease line (dynamic BOOTP) */
	enum dhcp_dest dest;
} bootp_cases[] = {
	{"reserved host, cookie", 0x99, true, LOCAL, true, FIXED, false, DEST_YIADDR},
	{"reserved host, no cookie", 0x99, false, LOCAL, true, FIXED, false, DEST_YIADDR},
	{"reserved host, broadcast flag", 0x99, true, LOCAL_BCAST, true, FIXED, false,
	 DEST_BROADCAST},
	{"no reservation, bootp-dynamic = no", 0x01, true, LOCAL, false, 0, false, DEST_NONE},
	{"no reservation, bootp-dynamic = yes", 0x02, true, RELAYED, true, 0, true, DEST_RELAY},
	{"no reservation, no cookie, dynamic", 0x03, false, RELAYED, true, 0, true, DEST_RELAY},
};

START_TEST(test_bootp_table)
{
	const typeof(bootp_cases[0]) *tc = &bootp_cases[_i];
	mkreq(0, tc->mac, tc->cookie);
	if (tc->cookie) { /* asks for everything it knows and more */
		const uint8_t prl[] = {1, 3, 6, 51, 54, 58, 59};
		dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	}
	if (tc->via == RELAYED)
		req.giaddr = htonl(RELAY);
	if (tc->via == LOCAL_BCAST)
		req.flags = DHCP_FLAG_BROADCAST;
	int r = run(1000);
	if (!tc->served) {
		ck_assert_int_eq(r, 0);
		ck_assert_int_eq(out.type, 0);
		ck_assert_ptr_nonnull(strstr(out.why, "bootp-dynamic"));
		ck_assert(!out.journal);
		return;
	}
	ck_assert_msg(r == DHCPBOOTREPLY && out.type == DHCPBOOTREPLY, "%s: %s", tc->name,
		      out.why ? out.why : "?");
	ck_assert_int_eq(out.dest, tc->dest);
	uint32_t a = ntohl(out.yiaddr);
	if (tc->addr)
		ck_assert_uint_eq(a, tc->addr);
	else
		ck_assert(a >= 0xc612100a && a <= 0xc612100c);
	ck_assert_uint_eq(ntohl(rep.yiaddr), a);
	ck_assert_int_eq(rep.op, DHCP_BOOTREPLY);
	/* RFC 951: at least 300 bytes; no DHCP extensions in a BOOTREPLY */
	ck_assert_uint_ge(out.len, DHCP_BOOTP_MIN);
	ck_assert_int_eq(dhcp_msg_type(&rep), 0);
	ck_assert(!dhcp_opt_has(&rep, DHO_MSG_TYPE));
	for (int c = DHO_REQUESTED_ADDR; c <= DHO_CLIENT_ID; c++)
		ck_assert_msg(!dhcp_opt_has(&rep, (uint8_t)c), "%s: option %d", tc->name, c);
	ck_assert_int_eq(rep.has_cookie, tc->cookie);
	uint32_t v;
	if (tc->cookie) {
		ck_assert_uint_eq(out.len, DHCP_BOOTP_MIN); /* no option 57: the 64-byte area */
		ck_assert(dhcp_opt_addr(&rep, DHO_SUBNET_MASK, &v));
		ck_assert(dhcp_opt_addr(&rep, DHO_ROUTER, &v));
	} else {
		ck_assert_uint_eq(out.len, DHCP_BOOTP_MIN);
		ck_assert(!dhcp_opt_has(&rep, DHO_SUBNET_MASK));
	}
	ck_assert_int_eq(out.journal, tc->journal);
	ck_assert_int_eq(out.sync, tc->journal);
	if (tc->journal) {
		ck_assert_int_eq(out.ev, JEV_ADD);
		ck_assert(out.lease_copy.expires == DHCP_LEASE_INFINITE);
		struct dhcp_lease *l = dhcp_lease_by_addr(ctx.leases, a);
		ck_assert_ptr_nonnull(l);
		ck_assert_int_eq(l->state, LEASE_BOUND);
		/* never expires (RFC 1534 §2) */
		ck_assert_uint_eq(dhcp_leases_expire(ctx.leases, (int64_t)1 << 40, NULL, NULL), 0);
		ck_assert(dhcp_lease_active(l, (int64_t)1 << 40));
		/* asked again: the same address, nothing new to write */
		run(2000);
		ck_assert_int_eq(out.type, DHCPBOOTREPLY);
		ck_assert_uint_eq(ntohl(out.yiaddr), a);
		ck_assert(!out.journal);
	} else {
		ck_assert_ptr_null(dhcp_lease_by_addr(ctx.leases, a));
	}
}
END_TEST

/* The dynamic BOOTP pool runs dry like a DHCP one: silence, and the
 * addresses stay with their BOOTP clients. */
START_TEST(test_bootp_pool_end_and_option57)
{
	for (unsigned i = 0; i < 3; i++) {
		mkreq(0, 0x10 + i, true);
		req.giaddr = htonl(RELAY);
		run(1000);
		ck_assert_int_eq(out.type, DHCPBOOTREPLY);
	}
	mkreq(0, 0x20, true);
	req.giaddr = htonl(RELAY);
	run(1000 + 86400 * 365);
	ck_assert_int_eq(out.type, 0);
	ck_assert_str_eq(out.why, "no free address");
	/* a BOOTP client that gives option 57 may get more than 300 bytes */
	mkreq(0, 0x99, true);
	uint16_t max = htons(1000);
	dhcp_msg_set_opt(&req, DHO_MAX_SIZE, &max, 2);
	const uint8_t prl[] = {1, 3, 6, 224, 225, 226};
	dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	run(1000);
	ck_assert_int_eq(out.type, DHCPBOOTREPLY);
	ck_assert_uint_gt(out.len, DHCP_BOOTP_MIN);
	ck_assert(dhcp_opt_has(&rep, 226));
	ck_assert(!dhcp_opt_has(&rep, DHO_OVERLOAD));
}
END_TEST

/* An invalid option 53 is not BOOTP. */
START_TEST(test_bad_type_not_bootp)
{
	mkreq(0, 0x99, true);
	uint8_t t = 42;
	dhcp_msg_set_opt(&req, DHO_MSG_TYPE, &t, 1);
	run(1000);
	ck_assert_int_eq(out.type, 0);
}
END_TEST

/* ---- requested lease time ---- */

static const struct {
	const char *name;
	unsigned mac;
	bool relayed;   /* the subnet with max 1h, min 5m */
	uint32_t asked; /* 0: no option 51 */
	uint32_t granted;
} lt_cases[] = {
	{"none asked: lease-time", 0x31, false, 0, 600},
	{"shorter: honoured", 0x32, false, 300, 300},
	{"below the 1m floor", 0x33, false, 30, 60},
	{"longer: capped at lease-time", 0x34, false, 7200, 600},
	{"infinite asked: capped", 0x35, false, 0xffffffffu, 600},
	{"subnet max-lease-time allows 30m", 0x36, true, 1800, 1800},
	{"subnet max-lease-time 1h caps", 0x37, true, 7200, 3600},
	{"subnet min-lease-time 5m", 0x38, true, 60, 300},
	{"host lease-time 2h is never cut", 0x77, false, 100000, 7200},
	{"host asks for less than its 2h", 0x77, false, 3600, 3600},
};

START_TEST(test_lease_time_table)
{
	const typeof(lt_cases[0]) *tc = &lt_cases[_i];
	mkreq(DHCPDISCOVER, tc->mac, true);
	if (tc->relayed)
		req.giaddr = htonl(RELAY);
	if (tc->asked)
		put_u32(DHO_LEASE_TIME, tc->asked);
	run(1000);
	ck_assert_msg(out.type == DHCPOFFER, "%s: %s", tc->name, out.why ? out.why : "?");
	ck_assert_msg(opt_u32(DHO_LEASE_TIME) == tc->granted, "%s: offered %u, want %u", tc->name,
		      opt_u32(DHO_LEASE_TIME), tc->granted);
	uint32_t a = ntohl(out.yiaddr);
	/* the REQUEST asks again (RFC 2131 §3.1 step 3) */
	mkreq(DHCPREQUEST, tc->mac, true);
	if (tc->relayed)
		req.giaddr = htonl(RELAY);
	put_u32(DHO_REQUESTED_ADDR, a);
	put_u32(DHO_SERVER_ID, SRV);
	if (tc->asked)
		put_u32(DHO_LEASE_TIME, tc->asked);
	run(1001);
	ck_assert_int_eq(out.type, DHCPACK);
	ck_assert_uint_eq(opt_u32(DHO_LEASE_TIME), tc->granted);
	ck_assert_uint_eq(opt_u32(DHO_T1), tc->granted / 2); /* RFC 2131 §4.4.5 */
	ck_assert_uint_eq(opt_u32(DHO_T2), (uint32_t)((uint64_t)tc->granted * 7 / 8));
	ck_assert(out.journal);
	ck_assert_int_eq(out.lease_copy.expires, 1001 + (int64_t)tc->granted);
}
END_TEST

/* ---- overload ---- */

/* A DISCOVER with option 57 = 576 asking for five large options: 226
 * does not fit the options field; with file free it goes there and 228
 * into sname, with file holding a boot file (the [boot grub] section's,
 * for 02:54:00:00:00:51) only 228 fits (sname). */
START_TEST(test_overload_reply)
{
	for (int with_file = 0; with_file < 2; with_file++) {
		mkreq(DHCPDISCOVER, 0x50 + (unsigned)with_file, true);
		uint16_t max = htons(576);
		dhcp_msg_set_opt(&req, DHO_MAX_SIZE, &max, 2);
		const uint8_t prl[] = {1, 3, 6, 224, 225, 226, 227, 228};
		dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
		run(1000);
		ck_assert_int_eq(out.type, DHCPOFFER);
		ck_assert_uint_le(out.len, 576 - DHCP_IPUDP_HDR);
		size_t n;
		for (int c = 224; c <= 228; c++) {
			bool want = !(with_file && c == 226);
			ck_assert_msg(dhcp_opt_has(&rep, (uint8_t)c) == want, "file=%d option %d",
				      with_file, c);
			if (want)
				ck_assert_uint_eq(dhcp_opt_get(&rep, (uint8_t)c, &n)[0],
						  'a' + (c - 224));
		}
		ck_assert_int_eq(rep.overload, with_file ? 2 : 3);
		ck_assert_str_eq(rep.file, with_file ? "boot/grubx64.efi" : "");
		ck_assert(dhcp_opt_has(&rep, DHO_LEASE_TIME) && dhcp_opt_has(&rep, DHO_SERVER_ID));
	}
	/* without option 57 the limit is 576 as well (RFC 2131 §2) */
	mkreq(DHCPDISCOVER, 0x52, true);
	const uint8_t prl[] = {224, 225, 226, 227, 228};
	dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	run(1000);
	ck_assert_uint_le(out.len, DHCP_MIN_MSG);
	ck_assert_int_eq(rep.overload, 3);
	for (int c = 224; c <= 228; c++)
		ck_assert(dhcp_opt_has(&rep, (uint8_t)c));
}
END_TEST

/* ---- config keys ---- */

static const struct {
	const char *text, *want;
} bad_confs[] = {
	{"[dhcpd]\nlease-time = 1h\nmax-lease-time = 30m\n[subnet 198.18.0.0/24]\n"
	 "router = 198.18.0.1\n",
	 "max-lease-time 1800s is shorter than lease-time 3600s"},
	{"[subnet 198.18.0.0/24]\nlease-time = 10m\nmin-lease-time = 20m\n",
	 "min-lease-time 1200s is longer than lease-time 600s"},
	{"[subnet 198.18.0.0/24]\nbootp-dynamic = perhaps\n", "bootp-dynamic: expected yes or no"},
	{"[dhcpd]\nbootp-dynamic = perhaps\n[subnet 198.18.0.0/24]\nrouter = 198.18.0.1\n",
	 "bootp-dynamic"},
};

START_TEST(test_config_errors)
{
	char *d = unit_tmpdir(), path[512];
	char *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	snprintf(path, sizeof(path), "%s/d.conf", d);
	ck_assert_int_eq(unit_write_file(d, "d.conf", bad_confs[_i].text), 0);
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_lt(pxe_config_load(&dhcp_config_spec, 3, argv, &c, &e), 0);
	ck_assert_msg(strstr(e.msg, bad_confs[_i].want) != NULL, "'%s' lacks '%s'", e.msg,
		      bad_confs[_i].want);
	unit_tmpdir_remove(d);
}
END_TEST

START_TEST(test_config_inherit)
{
	const struct dhcpd_config *c = conf.cfg;
	ck_assert(!c->bootp_dynamic);
	ck_assert(!c->subnets[0].bootp_dyn);
	ck_assert(c->subnets[1].bootp_dyn);
	ck_assert_uint_eq(c->subnets[0].max_lease_secs, 600); /* default: lease-time */
	ck_assert_uint_eq(c->subnets[0].min_lease_secs, 60);
	ck_assert_uint_eq(c->subnets[1].max_lease_secs, 3600);
	ck_assert_uint_eq(c->subnets[1].min_lease_secs, 300);
}
END_TEST

/* ---- the journal: a BOOTP lease is written and read back as never ending */

START_TEST(test_journal_infinite)
{
	struct dhcp_lease l = {
		.addr = 0xc612100a, .expires = DHCP_LEASE_INFINITE, .hlen = 6, .key_len = 7};
	memcpy(l.hw, "\x02\x54\x00\x00\x00\x02", 6);
	memcpy(l.key, "\x01\x02\x54\x00\x00\x00\x02", 7);
	char line[512];
	size_t n = dhcp_journal_format(line, sizeof(line), 1000, JEV_ADD, &l);
	ck_assert_uint_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(line, " until=never "));
	line[n - 1] = '\0';
	struct dhcp_jrec r;
	const char *why = NULL;
	ck_assert_int_eq(dhcp_journal_parse(line, &r, &why), 0);
	ck_assert(r.until == DHCP_LEASE_INFINITE);
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def rg = {0xc612100a, 0xc612100c};
	ck_assert_int_eq(dhcp_leases_set_ranges(s, &rg, 1, NULL, 0), 0);
	dhcp_journal_apply(s, &r, (int64_t)1 << 40); /* replayed far in the future: still live */
	struct dhcp_lease *g = dhcp_lease_by_addr(s, 0xc612100a);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(g->state, LEASE_BOUND);
	ck_assert(g->expires == DHCP_LEASE_INFINITE);
	dhcp_leases_free(s);
}
END_TEST

UNIT_SUITE(dhcp_v4_decide_ext)
{
	Suite *s = suite_create("dhcp_v4_decide_ext");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_bootp_table, 0, sizeof(bootp_cases) / sizeof(bootp_cases[0]));
	tcase_add_test(tc, test_bootp_pool_end_and_option57);
	tcase_add_test(tc, test_bad_type_not_bootp);
	tcase_add_loop_test(tc, test_lease_time_table, 0, sizeof(lt_cases) / sizeof(lt_cases[0]));
	tcase_add_test(tc, test_overload_reply);
	tcase_add_test(tc, test_config_inherit);
	suite_add_tcase(s, tc);
	TCase *t2 = tcase_create("nofixture");
	tcase_add_loop_test(t2, test_config_errors, 0, sizeof(bad_confs) / sizeof(bad_confs[0]));
	tcase_add_test(t2, test_journal_infinite);
	suite_add_tcase(s, t2);
	return s;
}
