/* SPDX-License-Identifier: MIT */
/* dhcpd/v4/wire.c: parsing (overload, pads, missing end, RFC 3396
 * concatenation, malformed input) and building (max size, splitting). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "unit.h"
#include "v4/wire.h"

/* A DISCOVER with the given options area (after the cookie). */
static size_t mk(uint8_t *buf, const uint8_t *opts, size_t n)
{
	memset(buf, 0, 240);
	buf[0] = 1;
	buf[1] = 1;
	buf[2] = 6;
	buf[4] = 0x12;
	buf[7] = 0x34;
	memcpy(buf + 28, "\x02\x54\x00\x00\x00\x01", 6);
	buf[236] = 0x63;
	buf[237] = 0x82;
	buf[238] = 0x53;
	buf[239] = 0x63;
	memcpy(buf + 240, opts, n);
	return 240 + n;
}

static struct dhcp_msg m;

START_TEST(test_parse_basic)
{
	uint8_t buf[600];
	const uint8_t o[] = {53, 1, 1, 0, 0, 55, 3, 1, 3, 6, 61, 7, 1, 2, 0x54, 0, 0, 0, 1, 255};
	size_t n = mk(buf, o, sizeof(o));
	ck_assert_int_eq(dhcp_parse(buf, n, &m), 0);
	ck_assert_int_eq(dhcp_msg_type(&m), DHCPDISCOVER);
	ck_assert_uint_eq(m.xid, 0x12000034);
	ck_assert(!m.missing_end);
	size_t len;
	const uint8_t *v = dhcp_opt_get(&m, DHO_PARAM_LIST, &len);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(len, 3);
	ck_assert_int_eq(v[2], 6);
	ck_assert_ptr_null(dhcp_opt_get(&m, DHO_HOSTNAME, &len));
}
END_TEST

START_TEST(test_parse_missing_end_and_pads)
{
	uint8_t buf[600];
	const uint8_t o[] = {0, 0, 53, 1, 3, 0, 50, 4, 198, 18, 0, 5};
	size_t n = mk(buf, o, sizeof(o));
	ck_assert_int_eq(dhcp_parse(buf, n, &m), 0);
	ck_assert(m.missing_end);
	uint32_t a;
	ck_assert(dhcp_opt_addr(&m, DHO_REQUESTED_ADDR, &a));
	ck_assert_uint_eq(ntohl(a), 0xc6120005);
}
END_TEST

START_TEST(test_parse_overload_and_concat)
{
	uint8_t buf[600];
	/* 52 = 3: file then sname carry options; option 12 split in three
	 * pieces across the areas is one value (RFC 3396). */
	const uint8_t o[] = {53, 1, 1, 52, 1, 3, 12, 2, 'a', 'b', 255};
	size_t n = mk(buf, o, sizeof(o));
	const uint8_t f[] = {12, 2, 'c', 'd', 0, 255};
	const uint8_t s[] = {12, 1, 'e', 255};
	memcpy(buf + DHCP_OFF_FILE, f, sizeof(f));
	memcpy(buf + DHCP_OFF_SNAME, s, sizeof(s));
	ck_assert_int_eq(dhcp_parse(buf, n, &m), 0);
	size_t len;
	const uint8_t *v = dhcp_opt_get(&m, DHO_HOSTNAME, &len);
	ck_assert_uint_eq(len, 5);
	ck_assert(!memcmp(v, "abcde", 5));
	ck_assert_str_eq(m.file, "");
	ck_assert_str_eq(m.sname, "");
}
END_TEST

START_TEST(test_parse_malformed)
{
	uint8_t buf[600];
	const uint8_t bad1[] = {53, 1, 1, 12, 10, 'a'}; /* runs past the end */
	const uint8_t bad2[] = {53};                    /* no length */
	ck_assert_int_lt(dhcp_parse(buf, mk(buf, bad1, sizeof(bad1)), &m), 0);
	ck_assert_int_lt(dhcp_parse(buf, mk(buf, bad2, sizeof(bad2)), &m), 0);
	ck_assert_int_lt(dhcp_parse(buf, 100, &m), 0); /* short */
	mk(buf, bad2, 0);
	buf[2] = 17; /* hlen > 16 */
	ck_assert_int_lt(dhcp_parse(buf, 240, &m), 0);
	/* overload pointing at garbage that runs past the file field */
	const uint8_t o[] = {53, 1, 1, 52, 1, 1, 255};
	size_t n = mk(buf, o, sizeof(o));
	memset(buf + DHCP_OFF_FILE, 0, 128);
	buf[DHCP_OFF_FILE + 126] = 12;
	buf[DHCP_OFF_FILE + 127] = 5;
	ck_assert_int_lt(dhcp_parse(buf, n, &m), 0);
	/* BOOTP without the cookie parses, without options */
	n = mk(buf, o, 0);
	buf[236] = 0;
	ck_assert_int_eq(dhcp_parse(buf, 300, &m), 0);
	ck_assert_int_eq(dhcp_msg_type(&m), 0);
}
END_TEST

START_TEST(test_max_size)
{
	uint8_t buf[600];
	const uint8_t o1[] = {53, 1, 1, 57, 2, 0x05, 0xdc, 255}; /* 1500 */
	ck_assert_int_eq(dhcp_parse(buf, mk(buf, o1, sizeof(o1)), &m), 0);
	ck_assert_uint_eq(dhcp_max_reply(&m, DHCP_MAX_MSG), 1500 - 28);
	const uint8_t o2[] = {53, 1, 1, 57, 2, 0x01, 0x00, 255}; /* 256: below the minimum */
	ck_assert_int_eq(dhcp_parse(buf, mk(buf, o2, sizeof(o2)), &m), 0);
	ck_assert_uint_eq(dhcp_max_reply(&m, DHCP_MAX_MSG), DHCP_MIN_MSG);
	const uint8_t o3[] = {53, 1, 1, 255};
	ck_assert_int_eq(dhcp_parse(buf, mk(buf, o3, sizeof(o3)), &m), 0);
	ck_assert_uint_eq(dhcp_max_reply(&m, DHCP_MAX_MSG), DHCP_MIN_MSG);
}
END_TEST

START_TEST(test_build)
{
	uint8_t req[600], out[DHCP_MAX_MSG];
	const uint8_t o[] = {53, 1, 1, 255};
	ck_assert_int_eq(dhcp_parse(req, mk(req, o, sizeof(o)), &m), 0);
	struct dhcp_builder b;
	dhcp_build_start(&b, out, DHCP_MIN_MSG, &m, DHCPOFFER);
	uint8_t big[600];
	memset(big, 'x', sizeof(big));
	ck_assert_int_eq(dhcp_build_opt(&b, 66, big, 300), 0); /* split in 255 + 45 */
	ck_assert_int_eq(dhcp_build_opt(&b, 67, big, 300), -ENOSPC);
	ck_assert(b.overflow);
	size_t n = dhcp_build_finish(&b);
	ck_assert_uint_le(n, DHCP_MIN_MSG);
	ck_assert_int_eq(out[0], DHCP_BOOTREPLY);
	/* parse our own reply back: 66 is 300 bytes again */
	ck_assert_int_eq(dhcp_parse(out, n, &m), 0);
	size_t len;
	ck_assert_ptr_nonnull(dhcp_opt_get(&m, 66, &len));
	ck_assert_uint_eq(len, 300);
	ck_assert_int_eq(dhcp_msg_type(&m), DHCPOFFER);
	/* short replies are padded to the BOOTP size */
	dhcp_build_start(&b, out, DHCP_MIN_MSG, &m, DHCPNAK);
	ck_assert_uint_eq(dhcp_build_finish(&b), DHCP_BOOTP_MIN);
}
END_TEST

START_TEST(test_rai)
{
	uint8_t buf[600];
	const uint8_t o[] = {53,   1,    1, 82, 12,  1,  4, 0xde, 0xad,
			     0xbe, 0xef, 5, 4,  198, 18, 1, 0,    255};
	ck_assert_int_eq(dhcp_parse(buf, mk(buf, o, sizeof(o)), &m), 0);
	size_t n;
	const uint8_t *v = dhcp_rai_sub(&m, DHCP_RAI_LINK_SELECTION, &n);
	ck_assert_ptr_nonnull(v);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(v[2], 1);
	ck_assert_ptr_null(dhcp_rai_sub(&m, 2, &n));
}
END_TEST

UNIT_SUITE(dhcp_wire)
{
	Suite *s = suite_create("dhcp_wire");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_basic);
	tcase_add_test(tc, test_parse_missing_end_and_pads);
	tcase_add_test(tc, test_parse_overload_and_concat);
	tcase_add_test(tc, test_parse_malformed);
	tcase_add_test(tc, test_max_size);
	tcase_add_test(tc, test_build);
	tcase_add_test(tc, test_rai);
	suite_add_tcase(s, tc);
	return s;
}
