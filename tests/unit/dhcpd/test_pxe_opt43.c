/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/opt43.c: option 43 bytes, byte for byte, the 255-byte limit at
 * its edge, and parsing of well-formed and broken client options. */
#include "unit.h"

#include "pxe/opt43.h"

#include <errno.h>
#include <string.h>

#define ASSERT_BYTES(got, n, want)                                                                 \
	do {                                                                                       \
		ck_assert_int_eq((n), (int)sizeof(want) - 1);                                      \
		ck_assert_int_eq(memcmp((got), (want), sizeof(want) - 1), 0);                      \
	} while (0)

START_TEST(test_nomenu)
{
	uint8_t b[255];
	int n = dhcp_pxe_opt43_build_nomenu(b, sizeof(b));
	ASSERT_BYTES(b, n, "\x06\x01\x08\xff");
	ck_assert_int_eq(dhcp_pxe_opt43_build_nomenu(b, 3), -ENOSPC);
	ck_assert_int_eq(dhcp_pxe_opt43_build_nomenu(b, 4), 4);
}
END_TEST

START_TEST(test_rpi)
{
	/* raspberrypi/documentation boot-net.adoc, the tcpdump of a working
	 * reply: "Vendor-Option Option 43, length 32: 6.1.3.10.4.0.80.88.69.
	 * 9.20.0.0.17.82.97.115.112.98.101.114.114.121.32.80.105.32.66.111.
	 * 111.116.255" */
	static const uint8_t doc[32] = {6,   1,  3,  10,  4,  0,   80,  88,  69,  9,   20,
					0,   0,  17, 82,  97, 115, 112, 98,  101, 114, 114,
					121, 32, 80, 105, 32, 66,  111, 111, 116, 255};
	uint8_t b[255];
	int n = dhcp_pxe_opt43_build_rpi(b, sizeof(b), false);

	ck_assert_int_eq(n, 32);
	ck_assert_int_eq(memcmp(b, doc, 32), 0);
	n = dhcp_pxe_opt43_build_rpi(b, sizeof(b), true);
	ASSERT_BYTES(b, n,
		     "\x06\x01\x03\x0a\x04\x00PXE\x09\x17\x00\x00\x14"
		     "Raspberry Pi Boot   \xff");
	ck_assert_int_eq(dhcp_pxe_opt43_build_rpi(b, 31, false), -ENOSPC);
}
END_TEST

START_TEST(test_item)
{
	uint8_t b[255];
	int n = dhcp_pxe_opt43_build_item(b, sizeof(b), 0x8001, 0);
	ASSERT_BYTES(b, n, "\x47\x04\x80\x01\x00\x00\xff");
	n = dhcp_pxe_opt43_build_item(b, sizeof(b), 0, 0x8001);
	ASSERT_BYTES(b, n, "\x47\x04\x00\x00\x80\x01\xff");
}
END_TEST

static void menu_add(struct dhcp_pxe_menu *m, uint16_t type, const char *text, const char *file)
{
	struct dhcp_pxe_menu_item *it = &m->items[m->n++];
	it->type = type;
	strcpy(it->text, text);
	strcpy(it->file, file);
}

START_TEST(test_menu)
{
	struct dhcp_pxe_menu m;
	uint8_t b[255];
	uint32_t server;
	int n;

	memcpy(&server, "\xc6\x12\x00\x01", 4); /* 198.18.0.1 */
	memset(&m, 0, sizeof(m));
	menu_add(&m, 0x8000, "Linux", "pxelinux.0");
	menu_add(&m, DHCP_PXE_ITEM_LOCAL, "Disk", "");
	m.has_prompt = true;
	m.timeout = 10;
	strcpy(m.prompt, "F8");
	n = dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, server);
	ASSERT_BYTES(b, n,
		     "\x06\x01\x03"                         /* discovery control 3 */
		     "\x08\x07\x80\x00\x01\xc6\x12\x00\x01" /* boot server for 0x8000 */
		     "\x0a\x03\x0a"
		     "F8" /* prompt, 10 s */
		     "\x09\x0f\x80\x00\x05"
		     "Linux"
		     "\x00\x00\x04"
		     "Disk"
		     "\xff");
	ck_assert_uint_eq(dhcp_pxe_menu_size(&m), (size_t)n);
	ck_assert_ptr_eq(dhcp_pxe_menu_find(&m, 0x8000), &m.items[0]);
	ck_assert_ptr_eq(dhcp_pxe_menu_find(&m, 0), &m.items[1]);
	ck_assert_ptr_null(dhcp_pxe_menu_find(&m, 0x8001));

	/* No server address: no 43.8 (three bytes shorter per item + header). */
	n = dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, 0);
	ck_assert_int_eq(n, (int)dhcp_pxe_menu_size(&m) - 9);
	ck_assert_int_eq(memcmp(b, "\x06\x01\x02\x0a", 4), 0); /* broadcast discovery */
	ck_assert_int_eq(dhcp_pxe_opt43_build_menu(b, 10, &m, server), -ENOSPC);

	/* An empty menu is the no-menu form. */
	m.n = 0;
	n = dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, server);
	ASSERT_BYTES(b, n, "\x06\x01\x08\xff");
}
END_TEST

/* One server item of text length L: 3 + 9 + 6 + 2 + 3 + L + 1 = 24 + L. */
START_TEST(test_limit_edge)
{
	struct dhcp_pxe_menu m;
	struct pxe_err err = {{0}};
	uint8_t b[300];
	char text[DHCP_PXE_TEXT_MAX + 1];
	uint32_t server = 0x0100a8c0;

	memset(&m, 0, sizeof(m));
	memset(text, 'x', 231);
	text[231] = '\0';
	menu_add(&m, 0x8000, text, "f");
	ck_assert_uint_eq(dhcp_pxe_menu_size(&m), 255);
	ck_assert_int_eq(dhcp_pxe_menu_check(&m, &err), 0);
	ck_assert_int_eq(dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, server), 255);
	ck_assert_int_eq(dhcp_pxe_opt43_build_menu(b, 254, &m, server), -ENOSPC);

	strcat(m.items[0].text, "x"); /* 256 */
	ck_assert_uint_eq(dhcp_pxe_menu_size(&m), 256);
	ck_assert_int_eq(dhcp_pxe_menu_check(&m, &err), -EMSGSIZE);
	ck_assert_msg(strstr(err.msg, "256 bytes") && strstr(err.msg, "255"), "%s", err.msg);
	ck_assert_int_eq(dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, server), -EMSGSIZE);
	/* ... even when 43.8 would be left out: the load-time check uses the
	 * largest form, so a config is never accepted and then fails. */
	ck_assert_int_eq(dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, 0), -EMSGSIZE);
}
END_TEST

START_TEST(test_many_items)
{
	struct dhcp_pxe_menu m;
	uint8_t b[255];
	struct dhcp_pxe_opt43_info info;
	int n;

	memset(&m, 0, sizeof(m));
	for (int i = 0; i < DHCP_PXE_MENU_MAX_ITEMS; i++)
		menu_add(&m, (uint16_t)(0x8000 + i), "item", "f");
	/* 3 + 2+16*7 + 6 + 2+16*7 + 1 = 238 */
	ck_assert_uint_eq(dhcp_pxe_menu_size(&m), 238);
	n = dhcp_pxe_opt43_build_menu(b, sizeof(b), &m, 0x0100a8c0);
	ck_assert_int_eq(n, 238);
	ck_assert_int_eq(dhcp_pxe_opt43_parse(b, (size_t)n, &info), 0);
	ck_assert(!info.malformed);
	ck_assert(info.end_seen);
	ck_assert_uint_eq(info.n_menu_items, 16);
	ck_assert_uint_eq(info.n_servers, 16);
	ck_assert(info.has_discovery_control);
	ck_assert_uint_eq(info.discovery_control, 3);
	ck_assert(info.has_prompt);
	ck_assert_uint_eq(info.timeout, 0);
	ck_assert(!info.has_boot_item);
}
END_TEST

struct parse_case {
	const char *what;
	const char *b;
	int len;
	int ret;
	bool malformed, end_seen, has_item;
	uint16_t type, layer;
};

/* clang-format off */
static const struct parse_case parse_cases[] = {
    {"empty", "", 0, 0, false, false, false, 0, 0},
    {"only end", "\xff", 1, 0, false, true, false, 0, 0},
    {"item", "\x47\x04\x80\x01\x00\x02\xff", 7, 0, false, true, true, 0x8001, 2},
    {"item with BIS layer", "\x47\x04\x00\x00\x80\x00\xff", 7, 0, false, true, true, 0, 0x8000},
    {"pads, no end", "\x00\x00\x47\x04\x00\x05\x00\x00", 8, 0, false, false, true, 5, 0},
    {"item too short", "\x47\x03\x80\x01\x00\xff", 6, 0, true, true, false, 0, 0},
    {"item too long", "\x47\x05\x80\x01\x00\x00\x00\xff", 8, 0, true, true, false, 0, 0},
    {"truncated length", "\x47", 1, -EINVAL, true, false, false, 0, 0},
    {"truncated value", "\x47\x04\x80", 3, -EINVAL, true, false, false, 0, 0},
    {"long dc swallows the item", "\x06\x05\x01\x47\x04\x80\x01\x00\x00", 9, 0, true, false,
     false, 0, 0},
    {"end hides the rest", "\xff\x47\x04\x80\x01\x00\x00", 7, 0, false, true, false, 0, 0},
    {"menu entry overruns", "\x09\x04\x80\x00\x05\x41", 6, 0, true, false, false, 0, 0},
    {"servers overrun", "\x08\x05\x80\x00\x02\x01\x02", 7, 0, true, false, false, 0, 0},
    {"dc of 2 bytes", "\x06\x02\x08\x08\xff", 5, 0, true, true, false, 0, 0},
    {"empty prompt", "\x0a\x00\xff", 3, 0, true, true, false, 0, 0},
    {"MTFTP and unknown skipped", "\x01\x04\xe0\x00\x01\x01\x80\x00\x47\x04\x00\x01\x00\x00",
     14, 0, false, false, true, 1, 0},
};
/* clang-format on */

START_TEST(test_parse)
{
	const struct parse_case *c = &parse_cases[_i];
	struct dhcp_pxe_opt43_info info;

	ck_assert_msg(dhcp_pxe_opt43_parse((const uint8_t *)c->b, (size_t)c->len, &info) == c->ret,
		      "%s: ret", c->what);
	ck_assert_msg(info.malformed == c->malformed, "%s: malformed", c->what);
	ck_assert_msg(info.end_seen == c->end_seen, "%s: end", c->what);
	ck_assert_msg(info.has_boot_item == c->has_item, "%s: item", c->what);
	ck_assert_uint_eq(info.item_type, c->type);
	ck_assert_uint_eq(info.item_layer, c->layer);
}
END_TEST

UNIT_SUITE(pxe_opt43)
{
	Suite *s = suite_create("pxe_opt43");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_nomenu);
	tcase_add_test(tc, test_rpi);
	tcase_add_test(tc, test_item);
	tcase_add_test(tc, test_menu);
	tcase_add_test(tc, test_limit_edge);
	tcase_add_test(tc, test_many_items);
	tcase_add_loop_test(tc, test_parse, 0, (int)(sizeof(parse_cases) / sizeof(parse_cases[0])));
	suite_add_tcase(s, tc);
	return s;
}
