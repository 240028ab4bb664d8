/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/section.c and keys.c: [boot NAME] keys, first-match
 * selection, and the boot file and option 43 a section gives a client. */
#include "unit.h"

#include "fixture.h"
#include "pxe/keys.h"
#include "pxe/section.h"

#include <errno.h>
#include <string.h>

/* ----------------------------------------------------------- sections */

static void boot(struct dhcp_pxe_boot *b, const char *name, const char *const *kv)
{
	struct pxe_err err = {{0}};

	ck_assert_int_eq(dhcp_pxe_boot_init(b, name, &err), 0);
	for (; kv[0]; kv += 2)
		ck_assert_msg(dhcp_pxe_boot_set(b, kv[0], kv[1], &err) == 0, "%s = %s: %s", kv[0],
			      kv[1], err.msg);
	ck_assert_int_eq(dhcp_pxe_boot_check(b, &err), 0);
}

/* A typical file: iPXE, UEFI and BIOS sections, plus HTTP Boot and a Pi. */
static struct dhcp_pxe_boot typical[5];

static void typical_setup(void)
{
	static const char *const ipxe[] = {"match", "user-class:iPXE", "file",
					   "http://${server}/boot.ipxe", NULL};
	static const char *const http[] = {"match", "http", "file", "http://${server}/ipxe.efi",
					   NULL};
	static const char *const uefi[] = {"match", "arch:x64-uefi", "file", "ipxe.efi", NULL};
	static const char *const bios[] = {"match",       "arch:bios !rpi", "file", "undionly.kpxe",
					   "next-server", "198.18.0.5",     NULL};
	static const char *const pi[] = {"match", "rpi",          "match", "arch:bios",
					 "file",  "bootcode.bin", NULL};
	boot(&typical[0], "ipxe", ipxe);
	boot(&typical[1], "http", http);
	boot(&typical[2], "uefi", uefi);
	boot(&typical[3], "bios", bios);
	boot(&typical[4], "pi", pi);
}

START_TEST(test_select)
{
	static const char *const want[K_N] = {
		[K_BIOS] = "bios",     [K_EDK2_X64] = "uefi", [K_X64_9] = "uefi",
		[K_ARM64] = NULL,      [K_HTTP16] = "http",   [K_IPXE_BIOS] = "ipxe",
		[K_IPXE_EFI] = "ipxe", [K_PI3B] = "pi",       [K_PI4] = "pi",
		[K_PI4_UEFI] = NULL,   [K_PLAIN] = NULL,      [K_4011] = "bios"};
	struct dhcp_pxe_client c;
	const struct dhcp_pxe_boot *b;

	typical_setup();
	for (int k = 0; k < K_N; k++) {
		dhcp_fixture_pxe_client((enum dhcp_fixture_kind)k, &c);
		b = dhcp_pxe_select(typical, 5, &c);
		if (!want[k])
			ck_assert_msg(b == NULL, "client %d got %s", k, b ? b->name : "");
		else
			ck_assert_msg(b && strcmp(b->name, want[k]) == 0, "client %d: %s", k,
				      b ? b->name : "none");
	}
	ck_assert_uint_eq(typical[3].n_terms, 2);
	ck_assert(typical[3].has_next_server);
	ck_assert_int_eq(memcmp(&typical[3].next_server_be, "\xc6\x12\x00\x05", 4), 0);
	ck_assert_ptr_null(dhcp_pxe_select(typical, 0, &c));
}
END_TEST

START_TEST(test_empty_section_matches_all)
{
	struct dhcp_pxe_boot b;
	struct dhcp_pxe_client c;
	struct pxe_err err = {{0}};

	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "default", &err), 0);
	dhcp_fixture_pxe_client(K_PLAIN, &c);
	ck_assert_ptr_eq(dhcp_pxe_select(&b, 1, &c), &b);
}
END_TEST

struct set_case {
	const char *key, *value;
	int ret;
	const char *msg; /* substring of the error */
};

/* clang-format off */
static const struct set_case set_cases[] = {
    {"match", "arch:bios   !ipxe\tmac:52:54:00", 0, NULL},
    {"match", "vendor-class:\"My Class\" user-class:\"a b\"", 0, NULL},
    {"match", "vendor-class:\"unterminated", -EINVAL, "unterminated quote"},
    {"match", "", -EINVAL, "no term given"},
    {"match", "\"\" ipxe", -EINVAL, "empty"},
    {"match", "   ", -EINVAL, "no term given"},
    {"match", "arch:bios bogus", -EINVAL, "got 'bogus'"},
    {"file", "http://${server}/x", 0, NULL},
    {"file", "${bogus}", -EINVAL, "unknown variable '${bogus}'"},
    {"server-name", "boot.example", 0, NULL},
    {"server-name", "0123456789012345678901234567890123456789012345678901234567890123", -EINVAL,
     "at most 63"},
    {"next-server", "198.18.0.5", 0, NULL},
    {"next-server", "198.18.0", -EINVAL, "expected an IPv4 address"},
    {"next-server", "198.18.0.256", -EINVAL, "expected an IPv4 address"},
    {"next-server", "198.18.0.5x", -EINVAL, "expected an IPv4 address"},
    {"next-server", "198.18.0.5 ", -EINVAL, "expected an IPv4 address"},
    {"next-server", "-1.18.0.5", -EINVAL, "expected an IPv4 address"},
    {"menu-item", "pxelinux.0 Install Linux", 0, NULL},
    {"menu-item", "local Boot from disk", 0, NULL},
    {"menu-item", "pxelinux.0", -EINVAL, "expected FILE TEXT"},
    {"menu-item", "", -EINVAL, "expected FILE TEXT"},
    {"menu-item", "${x} text", -EINVAL, "unknown variable"},
    {"menu-prompt", "10 Press F8", 0, NULL},
    {"menu-prompt", "255 Wait", 0, NULL},
    {"menu-prompt", "256 x", -EINVAL, "SECONDS (0-255)"},
    {"menu-prompt", "ten x", -EINVAL, "SECONDS (0-255)"},
    {"menu-prompt", "10x y", -EINVAL, "SECONDS (0-255)"},
    {"rpi-pad", "yes", 0, NULL},
    {"rpi-pad", "maybe", -EINVAL, "expected auto, yes or no"},
    {"option43", "no-uefi", 0, NULL},
    {"option43", "off", -EINVAL, "expected auto, never or no-uefi"},
    {"option60", "never", 0, NULL},
    {"option60", "no", -EINVAL, "expected auto or never"},
    {"rpi", "no", 0, NULL},
    {"rpi", "yes", -EINVAL, "expected auto or no"},
    {"option", "66:x", -ENOENT, NULL},
    {"bogus", "1", -ENOENT, NULL},
};
/* clang-format on */

START_TEST(test_set)
{
	const struct set_case *sc = &set_cases[_i];
	struct dhcp_pxe_boot b;
	struct pxe_err err = {{0}};

	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "t", &err), 0);
	ck_assert_msg(dhcp_pxe_boot_set(&b, sc->key, sc->value, &err) == sc->ret, "%s = %s: %s",
		      sc->key, sc->value, err.msg);
	if (sc->msg)
		ck_assert_msg(strstr(err.msg, sc->msg), "%s = %s: '%s'", sc->key, sc->value,
			      err.msg);
	if (sc->ret == -ENOENT)
		ck_assert_str_eq(err.msg, "");
}
END_TEST

START_TEST(test_section_limits)
{
	struct dhcp_pxe_boot b;
	struct pxe_err err = {{0}};
	char line[512], name[80];

	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "", &err), -EINVAL);
	memset(name, 'n', 64);
	name[64] = '\0';
	ck_assert_int_eq(dhcp_pxe_boot_init(&b, name, &err), -EINVAL);
	name[63] = '\0';
	ck_assert_int_eq(dhcp_pxe_boot_init(&b, name, &err), 0);

	/* 16 terms fit, the 17th is refused */
	line[0] = '\0';
	for (int i = 0; i < DHCP_PXE_MAX_TERMS; i++)
		strcat(line, "ipxe ");
	ck_assert_int_eq(dhcp_pxe_boot_add_match(&b, line, &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_add_match(&b, "pxe", &err), -E2BIG);

	/* A refused match line adds none of its terms. */
	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "atomic", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_add_match(&b, "ipxe", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_add_match(&b, "arch:bios pxe bogus", &err), -EINVAL);
	ck_assert_uint_eq(b.n_terms, 1);
	ck_assert_int_eq(dhcp_pxe_boot_add_match(&b, "pxe \"unterminated", &err), -EINVAL);
	ck_assert_uint_eq(b.n_terms, 1);

	/* Menu items: the one that would pass 255 bytes is refused at its
	 * own line and the section stays valid. 3+2+6+2+1 = 14 bytes fixed;
	 * each item "f <29 x>" takes 7 (43.8) + 3 + 29 = 39: 6 items, 248. */
	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "menu", &err), 0);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(
			dhcp_pxe_boot_set(&b, "menu-item", "f xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &err),
			0);
	ck_assert_uint_eq(dhcp_pxe_menu_size(&b.menu), 248);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-item", "f x", &err), -EMSGSIZE);
	ck_assert_msg(strstr(err.msg, "PXE menu needs 259 bytes"), "%s", err.msg);
	ck_assert_uint_eq(b.menu.n, 6);
	/* a "local" item needs no 43.8 entry: 3 + 4 = 255 exactly */
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-item", "local xxxx", &err), 0);
	ck_assert_uint_eq(dhcp_pxe_menu_size(&b.menu), 255);
	/* a prompt longer than the default "PXE" now passes the limit */
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-prompt", "5 xxxx", &err), -EMSGSIZE);
	ck_assert(!b.menu.has_prompt);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-prompt", "5 xxx", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_check(&b, &err), 0);
	ck_assert_uint_eq(b.menu.items[0].type, 0x8000);
	ck_assert_uint_eq(b.menu.items[5].type, 0x8005);
	ck_assert_uint_eq(b.menu.items[6].type, 0);
}
END_TEST

/* Found by the fuzzer: a refused menu-prompt once fell back to the
 * default "PXE" prompt, which is longer than an empty one, and so pushed
 * an accepted menu past 255 bytes. */
START_TEST(test_refused_prompt_keeps_old)
{
	struct dhcp_pxe_boot b;
	struct pxe_err err = {{0}};

	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "p", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-prompt", "7", &err), 0); /* empty text */
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(
			dhcp_pxe_boot_set(&b, "menu-item", "f xxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &err),
			0);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-item", "local xxxxxxx", &err), 0);
	ck_assert_uint_eq(dhcp_pxe_menu_size(&b.menu), 255);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "menu-prompt", "9 x", &err), -EMSGSIZE);
	ck_assert(b.menu.has_prompt);
	ck_assert_uint_eq(b.menu.timeout, 7);
	ck_assert_str_eq(b.menu.prompt, "");
	ck_assert_int_eq(dhcp_pxe_boot_check(&b, &err), 0);
}
END_TEST

/* ------------------------------------------------------ reply contents */

START_TEST(test_reply_pi)
{
	static const char *const kv[] = {"match", "rpi", "file", "bootcode.bin", NULL};
	struct dhcp_pxe_boot b;
	struct dhcp_pxe_client c;
	uint8_t o[255];
	int n;

	boot(&b, "pi", kv);
	dhcp_fixture_pxe_client(K_PI4, &c);
	ck_assert(dhcp_pxe_client_is_rpi_rom(&c));
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, 32);
	ck_assert_int_eq(memcmp(o + 14, "Raspberry Pi Boot\xff", 18), 0);
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "bootcode.bin");

	dhcp_fixture_pxe_client(K_PI3B, &c); /* auto: the 3B's constant GUID gets the padding */
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, 35);
	ck_assert_int_eq(memcmp(o + 14, "Raspberry Pi Boot   \xff", 21), 0);
	b.rpi_pad = DHCP_PXE_RPI_PAD_NO;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o)), 32);
	dhcp_fixture_pxe_client(K_PI4, &c);
	b.rpi_pad = DHCP_PXE_RPI_PAD_YES;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o)), 35);

	/* A Pi running UEFI firmware is an ordinary UEFI client. */
	dhcp_fixture_pxe_client(K_PI4_UEFI, &c);
	ck_assert(!dhcp_pxe_client_is_rpi_rom(&c));
	n = dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o));
	ck_assert_int_eq(n, 4);
	ck_assert_int_eq(memcmp(o, "\x06\x01\x08\xff", 4), 0);
}
END_TEST

START_TEST(test_reply_menu)
{
	static const char *const kv[] = {
		"match",       "pxe",  "menu-item", "pxelinux.0 Linux", "menu-item", "local Disk",
		"menu-prompt", "5 F8", NULL};
	struct dhcp_pxe_boot b;
	struct dhcp_pxe_client c;
	struct dhcp_pxe_opt43_info info;
	uint8_t o[255];
	int n;

	boot(&b, "menu", kv);
	dhcp_fixture_pxe_client(K_BIOS, &c);
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, (int)dhcp_pxe_menu_size(&b.menu));
	ck_assert_int_eq(dhcp_pxe_opt43_parse(o, (size_t)n, &info), 0);
	ck_assert_uint_eq(info.n_menu_items, 2);
	ck_assert_uint_eq(info.n_servers, 1);
	ck_assert_uint_eq(info.timeout, 5);
	ck_assert_ptr_null(dhcp_pxe_boot_file(&b, &c)); /* the item is chosen on 4011 */

	/* The 4011 request for item 0x8001 is unknown here: no file; the echo
	 * still goes out. Item 0x8000 gets pxelinux.0. */
	dhcp_fixture_pxe_client(K_4011, &c);
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(memcmp(o, "\x47\x04\x80\x01\x00\x00\xff", 7), 0);
	ck_assert_ptr_null(dhcp_pxe_boot_file(&b, &c));
	c.boot_item_type = 0x8000;
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "pxelinux.0");
	c.boot_item_type = 0;
	ck_assert_ptr_null(dhcp_pxe_boot_file(&b, &c)); /* local boot */
	b.opt43 = DHCP_PXE_OPT43_NEVER;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o)), 7);

	/* UEFI clients with this two-item menu still get it ... */
	b.opt43 = DHCP_PXE_OPT43_AUTO;
	dhcp_fixture_pxe_client(K_EDK2_X64, &c);
	ck_assert_int_gt(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 7);
	/* ... unless told not to (they then ask port 4011, BINL style) */
	b.opt43 = DHCP_PXE_OPT43_NO_UEFI;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 0);
	dhcp_fixture_pxe_client(K_BIOS, &c);
	ck_assert_int_gt(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 7);
	b.opt43 = DHCP_PXE_OPT43_NEVER;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 0);
}
END_TEST

START_TEST(test_reply_uefi_single_item)
{
	static const char *const kv[] = {"menu-item", "ipxe.efi Boot iPXE", "file", "other", NULL};
	struct dhcp_pxe_boot b;
	struct dhcp_pxe_client c;
	uint8_t o[255];

	boot(&b, "one", kv);
	dhcp_fixture_pxe_client(K_EDK2_X64, &c);
	/* dnsmasq's pxe_uefi_workaround: file directly, no menu */
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "ipxe.efi");
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 4);
	dhcp_fixture_pxe_client(K_BIOS, &c);
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "other");
	ck_assert_int_gt(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 4);
}
END_TEST

START_TEST(test_reply_http_and_plain)
{
	struct dhcp_pxe_client c;
	uint8_t o[255];

	typical_setup();
	dhcp_fixture_pxe_client(K_HTTP16, &c);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&typical[1], &c, 0x0100a8c0, o, sizeof(o)), 0);
	ck_assert_str_eq(dhcp_pxe_boot_file(&typical[1], &c), "http://${server}/ipxe.efi");
	dhcp_fixture_pxe_client(K_PLAIN, &c);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(NULL, &c, 0x0100a8c0, o, sizeof(o)), 0);
	ck_assert_ptr_null(dhcp_pxe_boot_file(NULL, &c));
	/* no section matched, but a PXE ROM still gets a valid option 43 */
	dhcp_fixture_pxe_client(K_ARM64, &c);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(NULL, &c, 0x0100a8c0, o, sizeof(o)), 4);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(NULL, &c, 0x0100a8c0, o, 2), -ENOSPC);
}
END_TEST

START_TEST(test_http_needs_url)
{
	struct dhcp_pxe_boot b;
	struct pxe_err err = {{0}};
	static const char *const sets[][4] = {
		{"http", "ipxe.efi", NULL, NULL},
		{"arch:x64-uefi-http", "ipxe.efi", NULL, NULL},
		{"arch:19", "grubaa64.efi", NULL, NULL},
		{"vendor-class:HTTPClient", "/ipxe.efi", NULL, NULL},
	};

	for (size_t i = 0; i < sizeof(sets) / sizeof(sets[0]); i++) {
		ck_assert_int_eq(dhcp_pxe_boot_init(&b, "h", &err), 0);
		ck_assert_int_eq(dhcp_pxe_boot_set(&b, "match", sets[i][0], &err), 0);
		ck_assert_int_eq(dhcp_pxe_boot_set(&b, "file", sets[i][1], &err), 0);
		ck_assert_int_eq(dhcp_pxe_boot_check(&b, &err), -EINVAL);
		ck_assert_msg(strstr(err.msg, "need an absolute URL"), "%s", err.msg);
		ck_assert_int_eq(dhcp_pxe_boot_set(&b, "file", "http://${server}/x.efi", &err), 0);
		ck_assert_int_eq(dhcp_pxe_boot_check(&b, &err), 0);
	}
	/* !http and mixed sections are not checked */
	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "h", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "match", "!http", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_set(&b, "file", "ipxe.efi", &err), 0);
	ck_assert_int_eq(dhcp_pxe_boot_check(&b, &err), 0);
}
END_TEST

UNIT_SUITE(pxe_section)
{
	Suite *s = suite_create("pxe_section");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_select);
	tcase_add_test(tc, test_empty_section_matches_all);
	tcase_add_loop_test(tc, test_set, 0, (int)(sizeof(set_cases) / sizeof(set_cases[0])));
	tcase_add_test(tc, test_section_limits);
	tcase_add_test(tc, test_refused_prompt_keeps_old);
	tcase_add_test(tc, test_reply_pi);
	tcase_add_test(tc, test_reply_menu);
	tcase_add_test(tc, test_reply_uefi_single_item);
	tcase_add_test(tc, test_reply_http_and_plain);
	tcase_add_test(tc, test_http_needs_url);
	suite_add_tcase(s, tc);
	return s;
}
