/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/arch.c: the IANA processor-architecture table and its names. */
#include "unit.h"

#include "pxe/arch.h"

#include <errno.h>
#include <string.h>

START_TEST(test_table_sorted_complete)
{
	size_t n;
	const struct dhcp_pxe_arch *t = dhcp_pxe_arch_table(&n);

	ck_assert_uint_eq(n, DHCP_PXE_ARCH_MAX + 1);
	for (size_t i = 0; i < n; i++) {
		ck_assert_uint_eq(t[i].code, i); /* 0..41, no gaps, sorted */
		ck_assert_ptr_nonnull(t[i].name);
		ck_assert_ptr_nonnull(t[i].desc);
		ck_assert_ptr_eq(dhcp_pxe_arch_by_code((uint16_t)i), &t[i]);
		/* every name resolves to an entry with the same name */
		ck_assert_ptr_nonnull(dhcp_pxe_arch_by_name(t[i].name));
		ck_assert_str_eq(dhcp_pxe_arch_by_name(t[i].name)->name, t[i].name);
	}
}
END_TEST

START_TEST(test_name_index_sorted)
{
	uint16_t code, prev_code;
	const char *prev = NULL, *name;
	size_t i;

	for (i = 0; (name = dhcp_pxe_arch_name_at(i, &code)) != NULL; i++) {
		if (prev)
			ck_assert_msg(strcmp(prev, name) < 0, "%s !< %s", prev, name);
		ck_assert_str_eq(dhcp_pxe_arch_name(code), name);
		prev = name;
		prev_code = code;
	}
	(void)prev_code;
	/* 42 codes, two of them (7, 9) share one name */
	ck_assert_uint_eq(i, DHCP_PXE_ARCH_MAX);
}
END_TEST

struct code_case {
	uint16_t code;
	const char *name;
	bool uefi, http;
};

/* clang-format off */
static const struct code_case code_cases[] = {
	{0, "bios", false, false},
	{6, "ia32-uefi", true, false},
	{7, "x64-uefi", true, false},
	{9, "x64-uefi", true, false}, /* EBC per IANA; sent by x64 firmware */
	{10, "arm32-uefi", true, false},
	{11, "arm64-uefi", true, false},
	{15, "x86-uefi-http", true, true},
	{16, "x64-uefi-http", true, true},
	{18, "arm32-uefi-http", true, true},
	{19, "arm64-uefi-http", true, true},
	{20, "bios-http", false, true},
	{22, "arm64-uboot", false, false},
	{27, "riscv64-uefi", true, false},
	{28, "riscv64-uefi-http", true, true},
	{39, "loongarch64-uefi", true, false},
	{40, "loongarch64-uefi-http", true, true},
	{41, "rpiboot", false, false},
	{42, "unknown", false, false},
	{0xffff, "unknown", false, false},
};
/* clang-format on */

START_TEST(test_by_code)
{
	const struct code_case *c = &code_cases[_i];

	ck_assert_str_eq(dhcp_pxe_arch_name(c->code), c->name);
	ck_assert_int_eq(dhcp_pxe_arch_is_uefi(c->code), c->uefi);
	ck_assert_int_eq(dhcp_pxe_arch_is_http(c->code), c->http);
}
END_TEST

struct parse_case {
	const char *text;
	int ret;
	uint16_t code;
	bool by_name;
};

/* clang-format off */
static const struct parse_case parse_cases[] = {
	{"bios", 0, 0, true},
	{"x64-uefi", 0, 7, true},
	{"X64-UEFI", 0, 7, true},
	{"arm64-uefi", 0, 11, true},
	{"x64-uefi-http", 0, 16, true},
	{"rpiboot", 0, 41, true},
	{"0", 0, 0, false},
	{"9", 0, 9, false},
	{"16", 0, 16, false},
	{"0x10", 0, 16, false},
	{"65535", 0, 65535, false},
	{"65536", -EINVAL, 0, false},
	{"-1", -EINVAL, 0, false},
	{"7a", -EINVAL, 0, false},
	{"", -EINVAL, 0, false},
	{"efi64", -EINVAL, 0, false},
	{"x64", -EINVAL, 0, false},
};
/* clang-format on */

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	uint16_t code = 1234;
	bool by_name = false;

	ck_assert_int_eq(dhcp_pxe_arch_parse(c->text, &code, &by_name), c->ret);
	if (c->ret == 0) {
		ck_assert_uint_eq(code, c->code);
		ck_assert_int_eq(by_name, c->by_name);
	}
}
END_TEST

START_TEST(test_same)
{
	ck_assert(dhcp_pxe_arch_same(7, 9));
	ck_assert(dhcp_pxe_arch_same(9, 7));
	ck_assert(dhcp_pxe_arch_same(11, 11));
	ck_assert(dhcp_pxe_arch_same(500, 500));
	ck_assert(!dhcp_pxe_arch_same(7, 16));
	ck_assert(!dhcp_pxe_arch_same(0, 20));
	ck_assert(!dhcp_pxe_arch_same(500, 501));
	ck_assert_ptr_null(dhcp_pxe_arch_by_name(NULL));
	ck_assert_ptr_null(dhcp_pxe_arch_by_name("nope"));
}
END_TEST

UNIT_SUITE(pxe_arch)
{
	Suite *s = suite_create("pxe_arch");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_table_sorted_complete);
	tcase_add_test(tc, test_name_index_sorted);
	tcase_add_loop_test(tc, test_by_code, 0, (int)(sizeof(code_cases) / sizeof(code_cases[0])));
	tcase_add_loop_test(tc, test_parse, 0, (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	tcase_add_test(tc, test_same);
	suite_add_tcase(s, tc);
	return s;
}
