/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/match.c: match terms (parse, evaluate, format, messages). */
#include "unit.h"

#include "fixture.h"
#include "pxe/match.h"

#include <errno.h>
#include <string.h>

/* -------------------------------------------------------------- terms */

struct term_case {
	const char *text;
	int ret;
	/* which clients it holds for (bit per enum kind), when ret == 0 */
	unsigned holds;
	const char *formatted; /* NULL: same as text */
};

#define B(k) (1u << (k))
#define ALL  (B(K_N) - 1)

/* clang-format off */
static const struct term_case term_cases[] = {
    {"arch:bios", 0, B(K_BIOS) | B(K_IPXE_BIOS) | B(K_PI3B) | B(K_PI4) | B(K_4011), NULL},
    {"arch:0", 0, B(K_BIOS) | B(K_IPXE_BIOS) | B(K_PI3B) | B(K_PI4) | B(K_4011), NULL},
    {"arch:x64-uefi", 0, B(K_EDK2_X64) | B(K_X64_9) | B(K_IPXE_EFI), NULL},
    {"arch:X64-UEFI", 0, B(K_EDK2_X64) | B(K_X64_9) | B(K_IPXE_EFI), "arch:x64-uefi"},
    {"arch:7", 0, B(K_EDK2_X64) | B(K_IPXE_EFI), NULL},
    {"arch:9", 0, B(K_X64_9), NULL},
    {"arch:0x0b", 0, B(K_ARM64) | B(K_PI4_UEFI), "arch:11"},
    {"arch:arm64-uefi", 0, B(K_ARM64) | B(K_PI4_UEFI), NULL},
    {"arch:x64-uefi-http", 0, B(K_HTTP16), NULL},
    {"!arch:bios", 0,
     ALL & ~(B(K_BIOS) | B(K_IPXE_BIOS) | B(K_PI3B) | B(K_PI4) | B(K_4011)), NULL},
    {"vendor-class:PXEClient", 0, ALL & ~(B(K_HTTP16) | B(K_PLAIN)), NULL},
    {"vendor-class:HTTPClient:Arch:00016", 0, B(K_HTTP16), NULL},
    {"vendor-class:pxeclient", 0, 0, NULL}, /* case-sensitive */
    {"user-class:iPXE", 0, B(K_IPXE_BIOS) | B(K_IPXE_EFI), NULL},
    {"ipxe", 0, B(K_IPXE_BIOS) | B(K_IPXE_EFI), NULL},
    {"!ipxe", 0, ALL & ~(B(K_IPXE_BIOS) | B(K_IPXE_EFI)), NULL},
    {"mac:52:54:00", 0, ALL & ~(B(K_PI3B) | B(K_PI4) | B(K_PI4_UEFI)), NULL},
    {"mac:52-54-00-12-34-56", 0, ALL & ~(B(K_PI3B) | B(K_PI4) | B(K_PI4_UEFI)),
     "mac:52:54:00:12:34:56"},
    {"mac:B8:27:EB", 0, B(K_PI3B), "mac:b8:27:eb"},
    {"mac:dc", 0, B(K_PI4) | B(K_PI4_UEFI), NULL},
    {"rpi", 0, B(K_PI3B) | B(K_PI4) | B(K_PI4_UEFI), NULL},
    {"rpi:3", 0, B(K_PI3B), NULL},
    {"rpi:4", 0, B(K_PI4), NULL},
    {"rpi:5", 0, 0, NULL},
    {"http", 0, B(K_HTTP16), NULL},
    {"uefi", 0, B(K_EDK2_X64) | B(K_X64_9) | B(K_ARM64) | B(K_HTTP16) | B(K_IPXE_EFI) |
     B(K_PI4_UEFI), NULL},
    {"pxe", 0, ALL & ~(B(K_HTTP16) | B(K_PLAIN)), NULL},
    /* the catalogue is DHCPv4; test_v6_decide.c has the DHCPv6 side */
    {"ipv4", 0, ALL, NULL},
    {"ipv6", 0, 0, NULL},
    {"!ipv6", 0, ALL, NULL},
    {"ipxe-feature:19", 0, B(K_IPXE_BIOS) | B(K_IPXE_EFI), NULL},
    {"ipxe-feature:36", 0, B(K_IPXE_EFI), NULL},
    {"!ipxe-feature:36", 0, ALL & ~B(K_IPXE_EFI), NULL},
    {"ipxe-feature:1", 0, 0, NULL}, /* the value byte 01 is not a code */
    {"ipxe-feature:036", 0, B(K_IPXE_EFI), "ipxe-feature:36"},
    {"known", 0, 0, NULL}, /* the fixture's clients have no [host] */
    {"!known", 0, ALL, NULL},
    {"ipxe-feature:0", -EINVAL, 0, NULL},
    {"ipxe-feature:255", -EINVAL, 0, NULL},
    {"ipxe-feature:", -EINVAL, 0, NULL},
    {"ipxe-feature:http", -EINVAL, 0, NULL},
    {"known:yes", -EINVAL, 0, NULL},
    {"arch:efi64", -EINVAL, 0, NULL},
    {"arch:", -EINVAL, 0, NULL},
    {"arch:70000", -EINVAL, 0, NULL},
    {"vendor-class:", -EINVAL, 0, NULL},
    {"user-class:", -EINVAL, 0, NULL},
    {"mac:", -EINVAL, 0, NULL},
    {"mac:5", -EINVAL, 0, NULL},
    {"mac:52:54:", -EINVAL, 0, NULL},
    {"mac:525400", -EINVAL, 0, NULL},
    {"mac:52:54:00:12:34:56:78", -EINVAL, 0, NULL},
    {"mac:zz", -EINVAL, 0, NULL},
    {"rpi:6", -EINVAL, 0, NULL},
    {"rpi:", -EINVAL, 0, NULL},
    {"ipxe:yes", -EINVAL, 0, NULL},
    {"iPXE", -EINVAL, 0, NULL},
    {"x", -EINVAL, 0, NULL},
    {"!", -EINVAL, 0, NULL},
    {"!!ipxe", -EINVAL, 0, NULL},
    {"", -EINVAL, 0, NULL},
};
/* clang-format on */

START_TEST(test_term)
{
	const struct term_case *tc = &term_cases[_i];
	struct dhcp_pxe_term t, t2;
	struct pxe_err err = {{0}};
	char buf[300];

	ck_assert_msg(dhcp_pxe_term_parse(tc->text, strlen(tc->text), &t, &err) == tc->ret,
		      "'%s': %s", tc->text, err.msg);
	if (tc->ret < 0) {
		ck_assert_msg(err.msg[0], "'%s': no message", tc->text);
		return;
	}
	for (int k = 0; k < K_N; k++) {
		struct dhcp_pxe_client c;
		dhcp_fixture_pxe_client((enum dhcp_fixture_kind)k, &c);
		ck_assert_msg(dhcp_pxe_term_eval(&t, &c) == !!(tc->holds & B(k)),
			      "'%s' on client %d", tc->text, k);
	}
	ck_assert_int_gt(dhcp_pxe_term_format(&t, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, tc->formatted ? tc->formatted : tc->text);
	ck_assert_int_eq(dhcp_pxe_term_parse(buf, strlen(buf), &t2, &err), 0);
	ck_assert_int_eq(memcmp(&t, &t2, sizeof(t)), 0);
	ck_assert_int_eq(dhcp_pxe_term_format(&t, buf, 3), -ENOSPC);
}
END_TEST

START_TEST(test_term_messages)
{
	struct dhcp_pxe_term t;
	struct pxe_err err = {{0}};

	dhcp_pxe_term_parse("x", 1, &t, &err);
	ck_assert_str_eq(err.msg, "expected arch:NAME|NUMBER, vendor-class:PREFIX, "
				  "user-class:TEXT, mac:PREFIX, ipxe, ipxe-feature:N, rpi[:3|4|5], "
				  "http, uefi, pxe, ipv4, ipv6 or known (each may start with '!'), "
				  "got 'x'");
	dhcp_pxe_term_parse("arch:efi64", 10, &t, &err);
	ck_assert_msg(strstr(err.msg, "unknown architecture 'efi64'"), "%s", err.msg);
	dhcp_pxe_term_parse("mac:zz", 6, &t, &err);
	ck_assert_msg(strstr(err.msg, "mac:zz: expected 1 to 6 hex bytes"), "%s", err.msg);
}
END_TEST

UNIT_SUITE(pxe_match)
{
	Suite *s = suite_create("pxe_match");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_term, 0, (int)(sizeof(term_cases) / sizeof(term_cases[0])));
	tcase_add_test(tc, test_term_messages);
	suite_add_tcase(s, tc);
	return s;
}
