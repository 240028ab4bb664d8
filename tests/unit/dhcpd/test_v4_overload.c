/* SPDX-License-Identifier: MIT */
/* dhcpd/v4/wire.c builder: option overload into file and sname (RFC 2132
 * §9.3, RFC 2131 §4.1) never past the client's size, and the plain RFC 951
 * reply without a cookie. Each built reply is parsed back. */
#include <errno.h>
#include <string.h>

#include "fixture.h"
#include "v4/wire.h"
#include "unit.h"

static struct dhcp_msg req, m;

static void mkreq(void)
{
	dhcp_fixture_req(&req, DHCPDISCOVER, 0, 0x42);
}

static const struct {
	const char *name;
	size_t cap;
	bool file_free, sname_free;
	size_t n_opts, opt_len; /* options 200, 201, ... of opt_len bytes */
	size_t want_fit;        /* how many dhcp_build_opt accepts */
	int want_overload;      /* option 52's value, 0: absent */
} cases[] = {
	/* options field: 7 x 42 bytes after 53 (the 3 bytes of 52 kept
	 * free); file: 3 x 42 + END; sname: 1 x 42 + END */
	{"both fields", DHCP_MIN_MSG, true, true, 14, 40, 11, 3},
	{"few: file only needed", DHCP_MIN_MSG, true, true, 10, 40, 10, 1},
	{"file holds a boot file: sname only", DHCP_MIN_MSG, false, true, 14, 40, 8, 2},
	{"sname holds a server name: file only", DHCP_MIN_MSG, true, false, 14, 40, 10, 1},
	{"overload not allowed", DHCP_MIN_MSG, false, false, 14, 40, 7, 0},
	{"room enough: no overload", 1400, true, true, 14, 40, 14, 0},
	/* 300 bytes (255 + 45, 304 on the wire) fit only into the room kept
	 * for option 52: taken, overload given up, nothing more fits */
	{"last room taken, overload given up", DHCP_MIN_MSG, true, true, 2, 300, 1, 0},
};

START_TEST(test_overload_table)
{
	uint8_t out[DHCP_MAX_MSG], val[400];
	mkreq();
	struct dhcp_builder b;
	dhcp_build_start(&b, out, cases[_i].cap, &req, DHCPOFFER);
	if (!cases[_i].file_free)
		dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, "boot/x64/grubnetx64.efi");
	if (!cases[_i].sname_free)
		dhcp_build_set_str(&b, DHCP_OFF_SNAME, 64, "boot-server");
	dhcp_build_allow_overload(&b, cases[_i].file_free, cases[_i].sname_free);
	bool ok[32] = {false};
	size_t fit = 0;
	for (size_t i = 0; i < cases[_i].n_opts; i++) {
		memset(val, (int)('a' + i), sizeof(val));
		ok[i] = dhcp_build_opt(&b, (uint8_t)(200 + i), val, cases[_i].opt_len) == 0;
		fit += ok[i];
	}
	size_t n = dhcp_build_finish(&b);
	ck_assert_msg(fit == cases[_i].want_fit, "%s: %zu options fit, want %zu", cases[_i].name,
		      fit, cases[_i].want_fit);
	ck_assert_uint_le(n, cases[_i].cap);
	ck_assert_int_eq(dhcp_parse(out, n, &m), 0);
	ck_assert_int_eq(dhcp_msg_type(&m), DHCPOFFER);
	ck_assert_int_eq(m.overload, cases[_i].want_overload);
	ck_assert_int_eq(dhcp_opt_has(&m, DHO_OVERLOAD), cases[_i].want_overload != 0);
	for (size_t i = 0; i < cases[_i].n_opts; i++) {
		size_t len;
		const uint8_t *v = dhcp_opt_get(&m, (uint8_t)(200 + i), &len);
		if (!ok[i]) {
			ck_assert_msg(!v, "%s: option %zu left out but present", cases[_i].name,
				      200 + i);
			continue;
		}
		ck_assert_msg(v && len == cases[_i].opt_len, "%s: option %zu lost", cases[_i].name,
			      200 + i);
		for (size_t k = 0; k < len; k++)
			ck_assert_int_eq(v[k], 'a' + (int)i);
	}
	if (!cases[_i].file_free)
		ck_assert_str_eq(m.file, "boot/x64/grubnetx64.efi");
	if (!cases[_i].sname_free)
		ck_assert_str_eq(m.sname, "boot-server");
	if (!cases[_i].want_overload && cases[_i].file_free)
		ck_assert_str_eq(m.file, ""); /* untouched */
}
END_TEST

/* Too little room for option 52 and END: overload is not switched on. */
START_TEST(test_overload_needs_room)
{
	uint8_t out[DHCP_MAX_MSG], val[64] = {0};
	mkreq();
	struct dhcp_builder b;
	dhcp_build_start(&b, out, DHCP_HDR_LEN + 4 + 3 + 2, &req, DHCPOFFER);
	dhcp_build_allow_overload(&b, true, true);
	ck_assert_int_eq(b.ovl_allowed, 0);
	ck_assert_int_eq(dhcp_build_opt(&b, 200, val, 10), -ENOSPC);
}
END_TEST

START_TEST(test_plain_bootp_reply)
{
	uint8_t out[DHCP_MAX_MSG];
	mkreq();
	struct dhcp_builder b;
	dhcp_build_start(&b, out, DHCP_MIN_MSG, &req, 0);
	dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, "pxelinux.0");
	ck_assert_uint_eq(dhcp_build_finish_plain(&b), DHCP_BOOTP_MIN);
	for (size_t i = DHCP_HDR_LEN; i < DHCP_BOOTP_MIN; i++)
		ck_assert_int_eq(out[i], 0); /* no cookie, a zero vend area */
	ck_assert_int_eq(dhcp_parse(out, DHCP_BOOTP_MIN, &m), 0);
	ck_assert(!m.has_cookie);
	ck_assert_str_eq(m.file, "pxelinux.0");
	ck_assert_str_eq(dhcp_msg_type_name(DHCPBOOTREPLY), "bootreply");
}
END_TEST

UNIT_SUITE(dhcp_overload)
{
	Suite *s = suite_create("dhcp_overload");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_overload_table, 0, sizeof(cases) / sizeof(cases[0]));
	tcase_add_test(tc, test_overload_needs_room);
	tcase_add_test(tc, test_plain_bootp_reply);
	suite_add_tcase(s, tc);
	return s;
}
