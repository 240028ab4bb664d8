/* SPDX-License-Identifier: MIT */
/* dhcpd/v4/options.c: typed values, names and numbers, option set order. */
#include <string.h>

#include "v4/options.h"
#include "unit.h"

static void enc_ok(enum dhcp_opt_type t, const char *text, const char *hex)
{
	uint8_t out[256], want[256];
	size_t n = 0, wn = 0;
	struct pxe_err e;
	ck_assert_msg(dhcp_opt_encode(t, text, out, sizeof(out), &n, &e) == 0, "%s: %s", text,
		      e.msg);
	ck_assert_int_eq(dhcp_opt_encode(DOT_HEX, hex, want, sizeof(want), &wn, &e), 0);
	ck_assert_uint_eq(n, wn);
	ck_assert(!memcmp(out, want, n));
}

START_TEST(test_encode_types)
{
	enc_ok(DOT_ADDR, "198.18.0.1", "c6120001");
	enc_ok(DOT_ADDRS, "198.18.0.1, 198.18.0.2 1.2.3.4", "c6120001c612000201020304");
	enc_ok(DOT_STRING, "\"hi there\"", "6869207468657265");
	enc_ok(DOT_U8, "255", "ff");
	enc_ok(DOT_U16, "1500", "05dc");
	enc_ok(DOT_U32, "4294967295", "ffffffff");
	enc_ok(DOT_S32, "-1", "ffffffff");
	enc_ok(DOT_SECS, "1h", "00000e10");
	enc_ok(DOT_BOOL, "yes", "01");
	enc_ok(DOT_HEX, "01:02:ab", "0102ab");
	enc_ok(DOT_DOMAINS, "a.example,b", "0161076578616d706c6500016200");
}
END_TEST

START_TEST(test_encode_routes_and_errors)
{
	enc_ok(DOT_ROUTES, "10.0.0.0/8 198.18.0.1, 0.0.0.0/0 198.18.0.1", "080ac612000100c6120001");
	uint8_t out[8];
	size_t n;
	struct pxe_err e;
	ck_assert_int_lt(dhcp_opt_encode(DOT_ADDR, "1.2.3", out, sizeof(out), &n, &e), 0);
	ck_assert_int_lt(dhcp_opt_encode(DOT_U8, "256", out, sizeof(out), &n, &e), 0);
	ck_assert_int_lt(dhcp_opt_encode(DOT_HEX, "0g", out, sizeof(out), &n, &e), 0);
	ck_assert_int_lt(
		dhcp_opt_encode(DOT_ADDRS, "1.2.3.4 1.2.3.5 1.2.3.6", out, sizeof(out), &n, &e), 0);
	ck_assert_int_lt(dhcp_opt_encode(DOT_BOOL, "maybe", out, sizeof(out), &n, &e), 0);
}
END_TEST

START_TEST(test_optval_parse)
{
	struct dhcp_optval v;
	struct pxe_err e;
	ck_assert_int_eq(dhcp_optval_parse("42:198.18.0.1", &v, &e), 0);
	ck_assert_int_eq(v.code, 42);
	ck_assert_int_eq(v.len, 4);
	dhcp_optval_free(&v);
	ck_assert_int_eq(dhcp_optval_parse("ntp-server:198.18.0.1,198.18.0.2", &v, &e), 0);
	ck_assert_int_eq(v.len, 8);
	dhcp_optval_free(&v);
	ck_assert_int_eq(dhcp_optval_parse("DNS-Server: 1.1.1.1", &v, &e), 0); /* alias, any case */
	ck_assert_int_eq(v.code, 6);
	dhcp_optval_free(&v);
	ck_assert_int_eq(dhcp_optval_parse("224:01:02", &v, &e), 0); /* unknown code: hex */
	ck_assert_int_eq(v.len, 2);
	dhcp_optval_free(&v);
	ck_assert_int_eq(dhcp_optval_parse("224:\"text\"", &v, &e), 0); /* or a quoted string */
	ck_assert_int_eq(v.len, 4);
	dhcp_optval_free(&v);
	ck_assert_int_lt(dhcp_optval_parse("no-such-option:1", &v, &e), 0);
	ck_assert_int_lt(dhcp_optval_parse("255:1", &v, &e), 0);
	ck_assert_int_lt(dhcp_optval_parse("router", &v, &e), 0);
	ck_assert_int_lt(dhcp_optval_parse("router:300.1.1.1", &v, &e), 0);
	ck_assert(strstr(e.msg, "router") != NULL);
}
END_TEST

START_TEST(test_optset_order)
{
	static struct dhcp_msg req;
	uint8_t buf[DHCP_MAX_MSG];
	memset(&req, 0, sizeof(req));
	const uint8_t prl[] = {6, 3, 1};
	dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	struct dhcp_optset s;
	dhcp_optset_init(&s);
	const uint8_t a[4] = {1, 2, 3, 4};
	dhcp_optset_put(&s, 1, a, 4);
	dhcp_optset_put(&s, 3, a, 4);
	dhcp_optset_put(&s, 6, a, 4);
	dhcp_optset_put(&s, 42, a, 4);
	dhcp_optset_put(&s, 54, a, 4);
	dhcp_optset_put(&s, 3, a, 2); /* a later layer overrides */
	struct dhcp_builder b;
	dhcp_build_start(&b, buf, sizeof(buf), &req, DHCPOFFER);
	const uint8_t always[] = {54};
	ck_assert_int_eq(dhcp_optset_emit(&s, &b, &req, always, 1), 0);
	/* 53, then 54 (always), then 6, 3, 1 in the client's order, then 42 */
	const uint8_t want[] = {53, 1, 2, 54, 4, 1, 2, 3, 4, 6, 4, 1, 2, 3, 4, 3, 2, 1, 2, 1, 4};
	ck_assert(!memcmp(buf + 240, want, sizeof(want)));
	ck_assert_int_eq(buf[240 + sizeof(want) + 4], 42);
}
END_TEST

UNIT_SUITE(dhcp_options)
{
	Suite *s = suite_create("dhcp_options");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_encode_types);
	tcase_add_test(tc, test_encode_routes_and_errors);
	tcase_add_test(tc, test_optval_parse);
	tcase_add_test(tc, test_optset_order);
	suite_add_tcase(s, tc);
	return s;
}
