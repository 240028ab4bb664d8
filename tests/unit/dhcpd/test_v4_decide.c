/* SPDX-License-Identifier: MIT */
/* dhcpd/v4/decide.c with the config: the RFC 2131 §4.3 decisions, driven
 * with a fake clock and no sockets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "v4/decide.h"
#include "fixture.h"
#include "unit.h"

#define SRV 0xc6120001u /* 198.18.0.1 */

static char *dir;
static struct pxe_config conf;
static struct dhcp_ctx ctx;
static struct dhcp_msg req, rep;
static struct dhcp_out out;
static const struct dhcp_rx rx = {.local_addr = SRV, .ifindex = 2};

static void setup(void)
{
	dir = unit_tmpdir();
	dhcp_fixture_load(
		dir,
		"[dhcpd]\nauthoritative = yes\nlease-time = 10m\ndecline-time = 1m\n"
		"option = ntp-server:198.18.0.1\n"
		"[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.19\nrouter = 198.18.0.1\n"
		"option = 224:c6:12:00:01\n"
		"[subnet 198.18.16.0/20]\nrange = 198.18.16.10-198.18.31.250\n"
		"[host fixed]\nmac = 02:54:00:00:00:99\naddress = 198.18.0.50\nhostname = fx\n",
		&conf);
	dhcp_fixture_ctx(&ctx, &conf);
}

static void teardown(void)
{
	dhcp_fixture_free(&ctx, &conf, dir);
}

static void mkreq(int type, unsigned mac)
{
	dhcp_fixture_req(&req, type, mac, 0x1234 + mac);
}

static void put_addr(uint8_t code, uint32_t host)
{
	dhcp_fixture_put_u32(&req, code, host);
}

static int run(int64_t now)
{
	return dhcp_fixture_run(&ctx, &req, &rx, now, &out, &rep);
}

static uint32_t yiaddr(void)
{
	return ntohl(out.yiaddr);
}

START_TEST(test_discover_offer)
{
	mkreq(DHCPDISCOVER, 1);
	const uint8_t prl[] = {1, 3, 42, 224};
	dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	run(1000);
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert_uint_ge(yiaddr(), 0xc612000a);
	ck_assert_uint_le(yiaddr(), 0xc6120013);
	ck_assert_int_eq(out.dest, DEST_YIADDR);
	ck_assert(!out.sync);
	uint32_t a;
	ck_assert(dhcp_opt_addr(&rep, DHO_SERVER_ID, &a) && ntohl(a) == SRV);
	ck_assert(dhcp_opt_addr(&rep, DHO_SUBNET_MASK, &a) && ntohl(a) == 0xffffff00);
	ck_assert(dhcp_opt_addr(&rep, DHO_ROUTER, &a) && ntohl(a) == SRV);
	ck_assert(dhcp_opt_addr(&rep, 42, &a) && ntohl(a) == SRV);
	ck_assert(dhcp_opt_addr(&rep, 224, &a) && ntohl(a) == SRV);
	size_t n;
	const uint8_t *lt = dhcp_opt_get(&rep, DHO_LEASE_TIME, &n);
	ck_assert(lt && n == 4 && lt[2] == 0x02 && lt[3] == 0x58); /* 600 s */
	ck_assert_uint_le(out.len, DHCP_MIN_MSG);
	/* the broadcast bit asks for a broadcast reply */
	mkreq(DHCPDISCOVER, 2);
	req.flags = DHCP_FLAG_BROADCAST;
	run(1000);
	ck_assert_int_eq(out.dest, DEST_BROADCAST);
}
END_TEST

START_TEST(test_offers_never_repeat_and_pool_end)
{
	uint32_t seen = 0;
	for (unsigned i = 0; i < 10; i++) {
		mkreq(DHCPDISCOVER, 100 + i);
		run(1000);
		ck_assert_int_eq(out.type, DHCPOFFER);
		uint32_t bit = 1u << (yiaddr() - 0xc612000a);
		ck_assert(!(seen & bit));
		seen |= bit;
	}
	mkreq(DHCPDISCOVER, 200);
	run(1000);
	ck_assert_int_eq(out.type, 0); /* pool exhausted: silence, not a repeat */
	mkreq(DHCPDISCOVER, 200);
	run(1000 + 31); /* offers held for offer-time (30 s) only */
	ck_assert_int_eq(dhcp_leases_expire(ctx.leases, 1031, NULL, NULL), 10);
	run(1031);
	ck_assert_int_eq(out.type, DHCPOFFER);
}
END_TEST

START_TEST(test_burst_2000_relayed)
{
	static uint8_t seen[4096];
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < 2000; i++) {
		mkreq(DHCPDISCOVER, 1000 + i);
		req.giaddr = htonl(0xc6121001);
		run(1000);
		ck_assert_int_eq(out.type, DHCPOFFER);
		ck_assert_int_eq(out.dest, DEST_RELAY);
		uint32_t off = yiaddr() - 0xc6121000;
		ck_assert_uint_lt(off, 4096);
		ck_assert(!seen[off]);
		seen[off] = 1;
	}
}
END_TEST

static uint32_t dora(unsigned mac, int64_t now)
{
	mkreq(DHCPDISCOVER, mac);
	run(now);
	ck_assert_int_eq(out.type, DHCPOFFER);
	uint32_t a = yiaddr();
	mkreq(DHCPREQUEST, mac);
	put_addr(DHO_REQUESTED_ADDR, a);
	put_addr(DHO_SERVER_ID, SRV);
	run(now);
	ck_assert_int_eq(out.type, DHCPACK);
	ck_assert(out.sync && out.journal);
	ck_assert_uint_eq(yiaddr(), a);
	return a;
}

START_TEST(test_request_states)
{
	uint32_t a = dora(1, 1000);
	ck_assert_int_eq(out.ev, JEV_ADD);
	/* RENEWING: ciaddr, unicast reply to ciaddr */
	mkreq(DHCPREQUEST, 1);
	req.ciaddr = htonl(a);
	run(1300);
	ck_assert_int_eq(out.type, DHCPACK);
	ck_assert_int_eq(out.ev, JEV_RENEW);
	ck_assert_int_eq(out.dest, DEST_CIADDR);
	/* INIT-REBOOT with the right address: ACK; with a wrong net: NAK */
	mkreq(DHCPREQUEST, 1);
	put_addr(DHO_REQUESTED_ADDR, a);
	run(1400);
	ck_assert_int_eq(out.type, DHCPACK);
	mkreq(DHCPREQUEST, 1);
	put_addr(DHO_REQUESTED_ADDR, 0xc6120505);
	run(1400);
	ck_assert_int_eq(out.type, DHCPNAK);
	ck_assert_int_eq(out.dest, DEST_BROADCAST);
	/* another client asking for a's address: NAK */
	mkreq(DHCPREQUEST, 2);
	put_addr(DHO_REQUESTED_ADDR, a);
	run(1400);
	ck_assert_int_eq(out.type, DHCPNAK);
	/* SELECTING another server: silence, and our offer is freed */
	mkreq(DHCPDISCOVER, 3);
	run(1500);
	uint32_t b = yiaddr();
	mkreq(DHCPREQUEST, 3);
	put_addr(DHO_REQUESTED_ADDR, b);
	put_addr(DHO_SERVER_ID, 0xc6120002);
	run(1500);
	ck_assert_int_eq(out.type, 0);
	ck_assert_int_eq(dhcp_lease_by_addr(ctx.leases, b)->state, LEASE_EXPIRED);
}
END_TEST

START_TEST(test_decline_release_inform)
{
	uint32_t a = dora(1, 1000);
	mkreq(DHCPDECLINE, 1);
	put_addr(DHO_REQUESTED_ADDR, a);
	run(1001);
	ck_assert_int_eq(out.type, 0);
	ck_assert(out.journal);
	ck_assert_int_eq(out.ev, JEV_DECLINE);
	uint32_t b = dora(1, 1002);
	ck_assert_uint_ne(a, b);
	ck_assert_uint_ne(dora(2, 1003), a);
	mkreq(DHCPRELEASE, 1);
	req.ciaddr = htonl(b);
	run(1004);
	ck_assert_int_eq(out.ev, JEV_RELEASE);
	ck_assert_int_eq(dhcp_lease_by_addr(ctx.leases, b)->state, LEASE_RELEASED);
	/* the released client still gets its address back */
	ck_assert_uint_eq(dora(1, 1005), b);
	mkreq(DHCPINFORM, 7);
	req.ciaddr = htonl(0xc6120080);
	run(1006);
	ck_assert_int_eq(out.type, DHCPACK);
	ck_assert_int_eq(out.dest, DEST_CIADDR);
	ck_assert_uint_eq(out.yiaddr, 0);
	ck_assert(!dhcp_opt_has(&rep, DHO_LEASE_TIME));
}
END_TEST

START_TEST(test_host_and_relay_options)
{
	mkreq(DHCPDISCOVER, 0x99);
	run(1000);
	ck_assert_uint_eq(yiaddr(), 0xc6120032);
	size_t n;
	const uint8_t *h = dhcp_opt_get(&rep, DHO_HOSTNAME, &n);
	ck_assert(h && n == 2 && !memcmp(h, "fx", 2));
	/* relayed, with option 82: echoed unchanged as the last option */
	mkreq(DHCPDISCOVER, 5);
	req.giaddr = htonl(0xc6121001);
	const uint8_t rai[] = {1, 4, 0xde, 0xad, 0xbe, 0xef};
	dhcp_msg_set_opt(&req, DHO_RELAY_AGENT, rai, sizeof(rai));
	run(1000);
	ck_assert_int_eq(out.dest, DEST_RELAY);
	const uint8_t *v = dhcp_opt_get(&rep, DHO_RELAY_AGENT, &n);
	ck_assert(v && n == sizeof(rai) && !memcmp(v, rai, n));
	size_t i = 240;
	while (out.buf[i] != 255)
		i += out.buf[i] ? 2u + out.buf[i + 1] : 1u;
	ck_assert_int_eq(out.buf[i - 8], DHO_RELAY_AGENT);
	/* link selection overrides giaddr */
	mkreq(DHCPDISCOVER, 6);
	req.giaddr = htonl(0xc6121001);
	const uint8_t ls[] = {5, 4, 198, 18, 0, 0};
	dhcp_msg_set_opt(&req, DHO_RELAY_AGENT, ls, sizeof(ls));
	run(1000);
	ck_assert_uint_eq(yiaddr() >> 8, 0xc61200);
	/* no subnet for the link: silence */
	mkreq(DHCPDISCOVER, 7);
	req.giaddr = htonl(0x0a000001);
	run(1000);
	ck_assert_int_eq(out.type, 0);
}
END_TEST

UNIT_SUITE(dhcp_v4_decide)
{
	Suite *s = suite_create("dhcp_v4_decide");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_discover_offer);
	tcase_add_test(tc, test_offers_never_repeat_and_pool_end);
	tcase_add_test(tc, test_burst_2000_relayed);
	tcase_add_test(tc, test_request_states);
	tcase_add_test(tc, test_decline_release_inform);
	tcase_add_test(tc, test_host_and_relay_options);
	suite_add_tcase(s, tc);
	return s;
}
