/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/subst.c: ${...} expansion, bounded output, template checks. */
#include "unit.h"

#include "pxe/subst.h"

#include <errno.h>
#include <string.h>

struct subst_case {
	const char *tmpl;
	int ret; /* length or -errno */
	const char *out;
};

/* clang-format off */
static const struct subst_case cases[] = {
    {"http://${server}/boot.ipxe", 27, "http://198.18.0.1/boot.ipxe"},
    {"${server}", 10, "198.18.0.1"},
    {"pxelinux.cfg/01-${mac-hyphen}", 33, "pxelinux.cfg/01-52-54-00-0a-bc-de"},
    {"${mac}", 17, "52:54:00:0a:bc:de"},
    {"${mac-hex}.efi", 16, "5254000abcde.efi"},
    {"${arch}/grubx64.efi", 20, "x64-uefi/grubx64.efi"},
    {"arch-${arch-code}", 6, "arch-9"},
    {"plain.0", 7, "plain.0"},
    {"", 0, ""},
    {"$5 and $ and ${server}$", 24, "$5 and $ and 198.18.0.1$"},
    {"${server}${server}", 20, "198.18.0.1198.18.0.1"},
    {"${nope}", -EINVAL, ""},
    {"${server", -EINVAL, ""},
    {"${}", -EINVAL, ""},
    {"${SERVER}", -EINVAL, ""},
};
/* clang-format on */

static struct dhcp_pxe_subst_vars vars(void)
{
	struct dhcp_pxe_subst_vars v;
	static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x0a, 0xbc, 0xde};

	memset(&v, 0, sizeof(v));
	memcpy(&v.server_be, "\xc6\x12\x00\x01", 4);
	v.mac = mac;
	v.mac_len = 6;
	v.arch_known = true;
	v.arch = 9;
	return v;
}

START_TEST(test_subst)
{
	const struct subst_case *c = &cases[_i];
	struct dhcp_pxe_subst_vars v = vars();
	struct pxe_err err = {{0}};
	char out[128];

	memset(out, 'Z', sizeof(out));
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), c->tmpl, &v), c->ret);
	ck_assert_str_eq(out, c->out);
	ck_assert_int_eq(dhcp_pxe_subst_check(c->tmpl, &err), c->ret < 0 ? c->ret : 0);
	if (c->ret < 0)
		ck_assert_msg(strstr(err.msg, "expected ${server}"), "%s", err.msg);
}
END_TEST

START_TEST(test_bounds)
{
	struct dhcp_pxe_subst_vars v = vars();
	const char *t = "http://${server}/boot.ipxe"; /* 27 bytes expanded */
	char out[64];

	ck_assert_int_eq(dhcp_pxe_subst(out, 28, t, &v), 27);
	ck_assert_int_eq(dhcp_pxe_subst(out, 27, t, &v), -ENOSPC);
	ck_assert_str_eq(out, "");
	ck_assert_int_eq(dhcp_pxe_subst(out, 10, t, &v), -ENOSPC);
	ck_assert_int_eq(dhcp_pxe_subst(out, 1, "", &v), 0);
	ck_assert_int_eq(dhcp_pxe_subst(out, 1, "x", &v), -ENOSPC);
	ck_assert_int_eq(dhcp_pxe_subst(out, 0, "", &v), -ENOSPC);
	/* the variable itself does not fit */
	ck_assert_int_eq(dhcp_pxe_subst(out, 10, "${server}", &v), -ENOSPC);
	ck_assert_int_eq(dhcp_pxe_subst(out, 11, "${server}", &v), 10);
}
END_TEST

START_TEST(test_missing_values)
{
	struct dhcp_pxe_subst_vars v = vars();
	char out[64];

	v.server_be = 0;
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${server}", &v), -EINVAL);
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${mac}", &v), 17);
	v.mac = NULL;
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${mac}", &v), -EINVAL);
	v.arch_known = false;
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${arch}", &v), -EINVAL);
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${arch-code}", &v), -EINVAL);
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "plain", &v), 5);
	ck_assert(dhcp_pxe_subst_has_vars("a${server}"));
	ck_assert(!dhcp_pxe_subst_has_vars("a$server"));
}
END_TEST

START_TEST(test_long_mac)
{
	struct dhcp_pxe_subst_vars v = vars();
	uint8_t mac[16];
	char out[128];

	memset(mac, 0xab, sizeof(mac));
	v.mac = mac;
	v.mac_len = 16; /* InfiniBand-sized chaddr: 16*3-1 characters */
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${mac}", &v), 47);
	v.mac_len = 17;
	ck_assert_int_eq(dhcp_pxe_subst(out, sizeof(out), "${mac}", &v), -EINVAL);
}
END_TEST

START_TEST(test_urls)
{
	ck_assert(dhcp_pxe_file_is_url("http://198.18.0.1/ipxe.efi"));
	ck_assert(dhcp_pxe_file_is_url("HTTPS://boot.example/x"));
	ck_assert(dhcp_pxe_file_is_url("http://${server}/boot.ipxe"));
	ck_assert(!dhcp_pxe_file_is_url("ipxe.efi"));
	ck_assert(!dhcp_pxe_file_is_url("http://"));
	ck_assert(!dhcp_pxe_file_is_url("http:///x"));
	ck_assert(!dhcp_pxe_file_is_url("tftp://198.18.0.1/x"));

	ck_assert(dhcp_pxe_url_host_is_name("http://boot.example/x"));
	ck_assert(dhcp_pxe_url_host_is_name("http://boot:8080/x"));
	ck_assert(dhcp_pxe_url_host_is_name("https://boot.example"));
	ck_assert(!dhcp_pxe_url_host_is_name("http://198.18.0.1/x"));
	ck_assert(!dhcp_pxe_url_host_is_name("http://198.18.0.1:8080/x"));
	ck_assert(!dhcp_pxe_url_host_is_name("http://[2001:db8::1]/x"));
	ck_assert(!dhcp_pxe_url_host_is_name("http://${server}/x"));
	ck_assert(!dhcp_pxe_url_host_is_name("ipxe.efi"));
	ck_assert(dhcp_pxe_url_host_is_name("http://198.18.0/x")); /* not a literal */
}
END_TEST

UNIT_SUITE(pxe_subst)
{
	Suite *s = suite_create("pxe_subst");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_subst, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_bounds);
	tcase_add_test(tc, test_missing_values);
	tcase_add_test(tc, test_long_mac);
	tcase_add_test(tc, test_urls);
	suite_add_tcase(s, tc);
	return s;
}
