/* dhcpd/pxe/match.c: match terms (parse, evaluate, format), [boot NAME]
 * keys, first-match selection, and the file/option 43 chosen per client. */
#include "unit.h"

#include "pxe/match.h"

#include <errno.h>
#include <string.h>

/* ------------------------------------------------------------ clients */

enum kind {
	K_BIOS,
	K_EDK2_X64,
	K_X64_9,
	K_ARM64,
	K_HTTP16,
	K_IPXE_BIOS,
	K_IPXE_EFI,
	K_PI3B,
	K_PI4,
	K_PI4_UEFI,
	K_PLAIN,
	K_4011,
	K_N
};

static void client(enum kind k, struct dhcp_pxe_client *c)
{
	static const uint8_t qemu[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	static const uint8_t pi3[6] = {0xb8, 0x27, 0xeb, 0x28, 0xf6, 0x6d};
	static const uint8_t pi4[6] = {0xdc, 0xa6, 0x32, 0x01, 0x36, 0xc2};
	static const char *const vc[K_N] = {"PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00007:UNDI:003016",
					    "PXEClient:Arch:00009:UNDI:003016",
					    "PXEClient:Arch:00011:UNDI:003000",
					    "HTTPClient:Arch:00016:UNDI:003001",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00007:UNDI:003016",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00011:UNDI:003000",
					    "udhcp 1.36.1",
					    "PXEClient:Arch:00000:UNDI:002001"};
	static const uint16_t arch[K_N] = {0, 7, 9, 11, 16, 0, 7, 0, 0, 11, 0xffff, 0};
	static const uint8_t guid_pi3b[17] = {0,    0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
					      0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44};
	static const uint8_t guid_pi4[17] = "\x00RPi4\x11\x31\xc0\x00\x32\x01\x36\xc2\x12\x34\x56";
	static const uint8_t item[] = {0x47, 0x04, 0x80, 0x01, 0x00, 0x00, 0xff};
	struct dhcp_pxe_raw in;
	uint8_t a[2] = {(uint8_t)(arch[k] >> 8), (uint8_t)arch[k]};

	memset(&in, 0, sizeof(in));
	in.msg_type = 1;
	in.chaddr = k == K_PI3B ? pi3 : (k == K_PI4 || k == K_PI4_UEFI) ? pi4 : qemu;
	in.hlen = 6;
	in.vendor_class.data = (const uint8_t *)vc[k];
	in.vendor_class.len = strlen(vc[k]);
	if (arch[k] != 0xffff) {
		in.arch.data = a;
		in.arch.len = 2;
	}
	if (k == K_IPXE_BIOS || k == K_IPXE_EFI) {
		in.user_class.data = (const uint8_t *)"iPXE";
		in.user_class.len = 4;
		in.ipxe_encap.data = (const uint8_t *)"";
	}
	if (k == K_PI3B) {
		in.uuid.data = guid_pi3b;
		in.uuid.len = 17;
	}
	if (k == K_PI4) {
		in.uuid.data = guid_pi4;
		in.uuid.len = 17;
	}
	if (k == K_4011) {
		in.msg_type = 3;
		in.vendor_opts.data = item;
		in.vendor_opts.len = sizeof(item);
	}
	dhcp_pxe_client_classify(&in, c);
}

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
		client((enum kind)k, &c);
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
				  "user-class:TEXT, mac:PREFIX, ipxe, rpi[:3|4|5], http, uefi or "
				  "pxe (each may start with '!'), got 'x'");
	dhcp_pxe_term_parse("arch:efi64", 10, &t, &err);
	ck_assert_msg(strstr(err.msg, "unknown architecture 'efi64'"), "%s", err.msg);
	dhcp_pxe_term_parse("mac:zz", 6, &t, &err);
	ck_assert_msg(strstr(err.msg, "mac:zz: expected 1 to 6 hex bytes"), "%s", err.msg);
}
END_TEST

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

/* The DESIGN.md example, plus an HTTP Boot and a Pi section. */
static struct dhcp_pxe_boot design[5];

static void design_setup(void)
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
	boot(&design[0], "ipxe", ipxe);
	boot(&design[1], "http", http);
	boot(&design[2], "uefi", uefi);
	boot(&design[3], "bios", bios);
	boot(&design[4], "pi", pi);
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

	design_setup();
	for (int k = 0; k < K_N; k++) {
		client((enum kind)k, &c);
		b = dhcp_pxe_select(design, 5, &c);
		if (!want[k])
			ck_assert_msg(b == NULL, "client %d got %s", k, b ? b->name : "");
		else
			ck_assert_msg(b && strcmp(b->name, want[k]) == 0, "client %d: %s", k,
				      b ? b->name : "none");
	}
	ck_assert_uint_eq(design[3].n_terms, 2);
	ck_assert(design[3].has_next_server);
	ck_assert_int_eq(memcmp(&design[3].next_server_be, "\xc6\x12\x00\x05", 4), 0);
	ck_assert_ptr_null(dhcp_pxe_select(design, 0, &c));
}
END_TEST

START_TEST(test_empty_section_matches_all)
{
	struct dhcp_pxe_boot b;
	struct dhcp_pxe_client c;
	struct pxe_err err = {{0}};

	ck_assert_int_eq(dhcp_pxe_boot_init(&b, "default", &err), 0);
	client(K_PLAIN, &c);
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
	client(K_PI4, &c);
	ck_assert(dhcp_pxe_client_is_rpi_rom(&c));
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, 32);
	ck_assert_int_eq(memcmp(o + 14, "Raspberry Pi Boot\xff", 18), 0);
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "bootcode.bin");

	client(K_PI3B, &c); /* auto: the 3B's constant GUID gets the padding */
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, 35);
	ck_assert_int_eq(memcmp(o + 14, "Raspberry Pi Boot   \xff", 21), 0);
	b.rpi_pad = DHCP_PXE_RPI_PAD_NO;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o)), 32);
	client(K_PI4, &c);
	b.rpi_pad = DHCP_PXE_RPI_PAD_YES;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0, o, sizeof(o)), 35);

	/* A Pi running UEFI firmware is an ordinary UEFI client. */
	client(K_PI4_UEFI, &c);
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
	client(K_BIOS, &c);
	n = dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o));
	ck_assert_int_eq(n, (int)dhcp_pxe_menu_size(&b.menu));
	ck_assert_int_eq(dhcp_pxe_opt43_parse(o, (size_t)n, &info), 0);
	ck_assert_uint_eq(info.n_menu_items, 2);
	ck_assert_uint_eq(info.n_servers, 1);
	ck_assert_uint_eq(info.timeout, 5);
	ck_assert_ptr_null(dhcp_pxe_boot_file(&b, &c)); /* the item is chosen on 4011 */

	/* The 4011 request for item 0x8001 is unknown here: no file; the echo
	 * still goes out. Item 0x8000 gets pxelinux.0. */
	client(K_4011, &c);
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
	client(K_EDK2_X64, &c);
	ck_assert_int_gt(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 7);
	/* ... unless told not to (they then ask port 4011, BINL style) */
	b.opt43 = DHCP_PXE_OPT43_NO_UEFI;
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 0);
	client(K_BIOS, &c);
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
	client(K_EDK2_X64, &c);
	/* dnsmasq's pxe_uefi_workaround: file directly, no menu */
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "ipxe.efi");
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 4);
	client(K_BIOS, &c);
	ck_assert_str_eq(dhcp_pxe_boot_file(&b, &c), "other");
	ck_assert_int_gt(dhcp_pxe_boot_opt43(&b, &c, 0x0100a8c0, o, sizeof(o)), 4);
}
END_TEST

START_TEST(test_reply_http_and_plain)
{
	struct dhcp_pxe_client c;
	uint8_t o[255];

	design_setup();
	client(K_HTTP16, &c);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(&design[1], &c, 0x0100a8c0, o, sizeof(o)), 0);
	ck_assert_str_eq(dhcp_pxe_boot_file(&design[1], &c), "http://${server}/ipxe.efi");
	client(K_PLAIN, &c);
	ck_assert_int_eq(dhcp_pxe_boot_opt43(NULL, &c, 0x0100a8c0, o, sizeof(o)), 0);
	ck_assert_ptr_null(dhcp_pxe_boot_file(NULL, &c));
	/* no section matched, but a PXE ROM still gets a valid option 43 */
	client(K_ARM64, &c);
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

UNIT_SUITE(pxe_match)
{
	Suite *s = suite_create("pxe_match");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_term, 0, (int)(sizeof(term_cases) / sizeof(term_cases[0])));
	tcase_add_test(tc, test_term_messages);
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
