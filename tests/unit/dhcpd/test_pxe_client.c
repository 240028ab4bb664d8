/* SPDX-License-Identifier: MIT */
/* dhcpd/pxe/client.c: classification from the option bytes real firmware
 * sends (EDK2 PxeBcDhcp4.c / HttpBootDhcp4.c templates, iPXE, the Raspberry
 * Pi captures in boot-net.adoc), and malformed variants. */
#include "unit.h"

#include "pxe/client.h"

#include <string.h>

/* An option value given as a byte string with its length (so that NULs and
 * empty-but-present values can be written); .len < 0 means absent. */
struct ov {
	const char *b;
	int len;
};
#define ABSENT                                                                                     \
	{                                                                                          \
		NULL, -1                                                                           \
	}
#define S(lit)                                                                                     \
	{                                                                                          \
		lit, (int)sizeof(lit) - 1                                                          \
	}

struct client_case {
	const char *what;
	struct ov vc, uc, o93, ndi, uuid, o43, o175;
	const char *mac; /* 6 bytes */
	/* expected */
	bool arch_known;
	uint16_t arch;
	const char *arch_name;
	bool pxe, http_client, ipxe, uefi, is_http;
	enum dhcp_pxe_rpi rpi;
	const char *class_name;
	unsigned malformed;
};

#define MAC_QEMU  "\x52\x54\x00\x12\x34\x56"
#define MAC_INTEL "\x00\x1b\x21\x0a\x0b\x0c"
#define MAC_PI3   "\xb8\x27\xeb\x28\xf6\x6d" /* boot-net.adoc capture */
#define MAC_PI4   "\xdc\xa6\x32\x01\x36\xc2"
#define MAC_PI5   "\xd8\x3a\xdd\x76\x19\x76"
#define VC_BIOS   S("PXEClient:Arch:00000:UNDI:002001")
#define GUID17    S("\x00\x8a\x9b\x2f\x11\x22\x33\x44\x55\x66\x77\x88\x99\xaa\xbb\xcc\xdd")
#define GUID_PI3B S("\x00\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44\x44")
/* Pi 4 EEPROM: 0 + "RPi4" (0x34695052 LE) + revision 0x00c03111 LE + 4 MAC
 * bytes + serial. */
#define GUID_PI4 S("\x00RPi4\x11\x31\xc0\x00\x32\x01\x36\xc2\x12\x34\x56\x78")
#define GUID_PI5 S("\x00RPi5\x17\x40\xd0\x00\xdd\x76\x19\x76\x9a\xbc\xde\xf0")

/* clang-format off */
static const struct client_case cases[] = {
    {"EDK2 x64 PXE", S("PXEClient:Arch:00007:UNDI:003016"), ABSENT, S("\x00\x07"),
     S("\x01\x03\x10"), GUID17, ABSENT, ABSENT, MAC_QEMU, true, 7, "x64-uefi", true, false,
     false, true, false, DHCP_PXE_RPI_NONE, "pxe", 0},
    {"x64 firmware sending 9", S("PXEClient:Arch:00009:UNDI:003016"), ABSENT, S("\x00\x09"),
     S("\x01\x03\x10"), GUID17, ABSENT, ABSENT, MAC_QEMU, true, 9, "x64-uefi", true, false,
     false, true, false, DHCP_PXE_RPI_NONE, "pxe", 0},
    {"EDK2 arm64", S("PXEClient:Arch:00011:UNDI:003000"), ABSENT, S("\x00\x0b"), ABSENT,
     GUID17, ABSENT, ABSENT, MAC_QEMU, true, 11, "arm64-uefi", true, false, false, true,
     false, DHCP_PXE_RPI_NONE, "pxe", 0},
    {"EDK2 x64 HTTP Boot", S("HTTPClient:Arch:00016:UNDI:003001"), ABSENT, S("\x00\x10"),
     S("\x01\x03\x01"), GUID17, ABSENT, ABSENT, MAC_QEMU, true, 16, "x64-uefi-http", false,
     true, false, true, true, DHCP_PXE_RPI_NONE, "http", 0},
    {"iPXE BIOS (bare user class, 175)", VC_BIOS, S("iPXE"), S("\x00\x00"), S("\x01\x02\x01"),
     ABSENT, ABSENT, S("\xb1\x05\x01\x80\x86\x10\x0e"), MAC_QEMU, true, 0, "bios", true, false,
     true, false, false, DHCP_PXE_RPI_NONE, "ipxe", 0},
    {"iPXE, RFC 3004 user class", S("PXEClient:Arch:00007:UNDI:003016"), S("\x04iPXE"),
     S("\x00\x07"), ABSENT, ABSENT, ABSENT, ABSENT, MAC_QEMU, true, 7, "x64-uefi", true,
     false, true, true, false, DHCP_PXE_RPI_NONE, "ipxe", 0},
    {"iPXE by option 175 only", S("PXEClient:Arch:00000:UNDI:002001"), ABSENT, S("\x00\x00"),
     ABSENT, ABSENT, ABSENT, S(""), MAC_QEMU, true, 0, "bios", true, false, true, false,
     false, DHCP_PXE_RPI_NONE, "ipxe", 0},
    {"Intel BIOS ROM, no option 97", VC_BIOS, ABSENT, S("\x00\x00"), S("\x01\x02\x01"), ABSENT,
     ABSENT, ABSENT, MAC_INTEL, true, 0, "bios", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", 0},
    {"Raspberry Pi 3B ROM", VC_BIOS, ABSENT, S("\x00\x00"), S("\x01\x02\x01"), GUID_PI3B,
     ABSENT, ABSENT, MAC_PI3, true, 0, "bios", true, false, false, false, false,
     DHCP_PXE_RPI_3B, "rpi3b", 0},
    {"Raspberry Pi 3B+ ROM", VC_BIOS, ABSENT, S("\x00\x00"), S("\x01\x02\x01"), GUID17, ABSENT,
     ABSENT, MAC_PI3, true, 0, "bios", true, false, false, false, false, DHCP_PXE_RPI_3,
     "rpi3", 0},
    {"Raspberry Pi 4 EEPROM", VC_BIOS, ABSENT, S("\x00\x00"), S("\x01\x02\x01"), GUID_PI4,
     ABSENT, ABSENT, MAC_PI4, true, 0, "bios", true, false, false, false, false,
     DHCP_PXE_RPI_4, "rpi4", 0},
    {"Raspberry Pi 4, foreign MAC", VC_BIOS, ABSENT, S("\x00\x00"), ABSENT, GUID_PI4, ABSENT,
     ABSENT, MAC_QEMU, true, 0, "bios", true, false, false, false, false, DHCP_PXE_RPI_4,
     "rpi4", 0},
    {"Raspberry Pi 5 EEPROM", VC_BIOS, ABSENT, S("\x00\x00"), ABSENT, GUID_PI5, ABSENT, ABSENT,
     MAC_PI5, true, 0, "bios", true, false, false, false, false, DHCP_PXE_RPI_5, "rpi5", 0},
    {"Pi 4 with DHCP_OPTION97=0", VC_BIOS, ABSENT, S("\x00\x00"), ABSENT, GUID17, ABSENT, ABSENT,
     MAC_PI4, true, 0, "bios", true, false, false, false, false, DHCP_PXE_RPI_OUI, "rpi", 0},
    {"Pi 4 running EDK2 (arm64)", S("PXEClient:Arch:00011:UNDI:003000"), ABSENT, S("\x00\x0b"),
     ABSENT, GUID17, ABSENT, ABSENT, MAC_PI4, true, 11, "arm64-uefi", true, false, false,
     true, false, DHCP_PXE_RPI_OUI, "rpi", 0},
    {"no 93: arch from option 60", S("PXEClient:Arch:00006:UNDI:003000"), ABSENT, ABSENT, ABSENT,
     ABSENT, ABSENT, ABSENT, MAC_QEMU, true, 6, "ia32-uefi", true, false, false, true, false,
     DHCP_PXE_RPI_NONE, "pxe", 0},
    {"plain DHCP client", S("udhcp 1.36.1"), ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT,
     MAC_QEMU, false, 0, "unknown", false, false, false, false, false, DHCP_PXE_RPI_NONE,
     "dhcp", 0},
    {"no options at all", ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, MAC_QEMU,
     false, 0, "unknown", false, false, false, false, false, DHCP_PXE_RPI_NONE, "dhcp", 0},
    {"unknown arch code", S("PXEClient:Arch:00099:UNDI:003000"), ABSENT, S("\x00\x63"), ABSENT,
     ABSENT, ABSENT, ABSENT, MAC_QEMU, true, 99, "unknown", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", 0},
    {"93 of odd length", S("PXEClient"), ABSENT, S("\x00\x07\x00"), ABSENT, ABSENT, ABSENT,
     ABSENT, MAC_QEMU, true, 7, "x64-uefi", true, false, false, true, false, DHCP_PXE_RPI_NONE,
     "pxe", DHCP_PXE_BAD_ARCH},
    {"93 of one byte", S("PXEClient"), ABSENT, S("\x07"), ABSENT, ABSENT, ABSENT, ABSENT,
     MAC_QEMU, false, 0, "unknown", true, false, false, false, false, DHCP_PXE_RPI_NONE, "pxe",
     DHCP_PXE_BAD_ARCH},
    {"93 empty, arch from 60", S("PXEClient:Arch:00007:UNDI:003016"), ABSENT, S(""), ABSENT,
     ABSENT, ABSENT, ABSENT, MAC_QEMU, true, 7, "x64-uefi", true, false, false, true, false,
     DHCP_PXE_RPI_NONE, "pxe", DHCP_PXE_BAD_ARCH},
    {"77 empty", S("PXEClient:Arch:00000:UNDI:002001"), S(""), S("\x00\x00"), ABSENT, ABSENT,
     ABSENT, ABSENT, MAC_QEMU, true, 0, "bios", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", DHCP_PXE_BAD_UC},
    {"97 without type byte", VC_BIOS, ABSENT, S("\x00\x00"), S("\x01\x02"),
     S("RPi4\x11\x31\xc0\x00\x32\x01\x36\xc2\x12\x34\x56\x78"), ABSENT, ABSENT, MAC_QEMU, true,
     0, "bios", true, false, false, false, false, DHCP_PXE_RPI_NONE, "pxe",
     DHCP_PXE_BAD_UUID | DHCP_PXE_BAD_NDI},
    {"60 with a NUL", S("PXEClient\0:Arch:00007"), ABSENT, ABSENT, ABSENT, ABSENT, ABSENT,
     ABSENT, MAC_QEMU, false, 0, "unknown", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", DHCP_PXE_BAD_VC},
    {"60 arch out of range", S("PXEClient:Arch:99999:UNDI:003000"), ABSENT, ABSENT, ABSENT,
     ABSENT, ABSENT, ABSENT, MAC_QEMU, false, 0, "unknown", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", 0},
    {"60 arch with 6 digits", S("PXEClient:Arch:000070:UNDI"), ABSENT, ABSENT, ABSENT, ABSENT,
     ABSENT, ABSENT, MAC_QEMU, false, 0, "unknown", true, false, false, false, false,
     DHCP_PXE_RPI_NONE, "pxe", 0},
    {"43 truncated", VC_BIOS, ABSENT, S("\x00\x00"), ABSENT, ABSENT, S("\x47\x04\x80"), ABSENT,
     MAC_QEMU, true, 0, "bios", true, false, false, false, false, DHCP_PXE_RPI_NONE, "pxe",
     DHCP_PXE_BAD_OPT43},
};
/* clang-format on */

static struct dhcp_pxe_bytes ov(struct ov o)
{
	struct dhcp_pxe_bytes b = {NULL, 0};
	if (o.len >= 0) {
		b.data = (const uint8_t *)o.b;
		b.len = (size_t)o.len;
	}
	return b;
}

static void classify_case(const struct client_case *k, struct dhcp_pxe_client *c)
{
	struct dhcp_pxe_raw in;

	memset(&in, 0, sizeof(in));
	in.msg_type = 1;
	in.htype = 1;
	in.chaddr = (const uint8_t *)k->mac;
	in.hlen = 6;
	in.vendor_class = ov(k->vc);
	in.user_class = ov(k->uc);
	in.arch = ov(k->o93);
	in.ndi = ov(k->ndi);
	in.uuid = ov(k->uuid);
	in.vendor_opts = ov(k->o43);
	in.ipxe_encap = ov(k->o175);
	dhcp_pxe_client_classify(&in, c);
}

START_TEST(test_classify)
{
	const struct client_case *k = &cases[_i];
	struct dhcp_pxe_client c;

	classify_case(k, &c);
	ck_assert_msg(c.arch_known == k->arch_known, "%s: arch_known", k->what);
	ck_assert_msg(c.arch == k->arch, "%s: arch %u", k->what, c.arch);
	ck_assert_str_eq(c.arch_name, k->arch_name);
	ck_assert_msg(c.pxe_client == k->pxe, "%s: pxe", k->what);
	ck_assert_msg(c.http_client == k->http_client, "%s: http_client", k->what);
	ck_assert_msg(c.is_ipxe == k->ipxe, "%s: ipxe", k->what);
	ck_assert_msg(c.is_uefi == k->uefi, "%s: uefi", k->what);
	ck_assert_msg(c.is_http == k->is_http, "%s: is_http", k->what);
	ck_assert_msg(c.rpi == k->rpi, "%s: rpi %d", k->what, (int)c.rpi);
	ck_assert_str_eq(dhcp_pxe_client_class(&c), k->class_name);
	ck_assert_msg(c.malformed == k->malformed, "%s: malformed %#x", k->what, c.malformed);
	ck_assert_uint_eq(c.mac_len, 6);
	ck_assert_int_eq(memcmp(c.mac, k->mac, 6), 0);
	ck_assert_uint_eq(c.msg_type, 1);
	ck_assert(dhcp_pxe_client_is_netboot(&c) == (k->pxe || k->http_client));
	if (k->http_client)
		ck_assert_str_eq(dhcp_pxe_reply_vendor_class(&c), "HTTPClient");
	else if (k->pxe)
		ck_assert_str_eq(dhcp_pxe_reply_vendor_class(&c), "PXEClient");
	else
		ck_assert_ptr_null(dhcp_pxe_reply_vendor_class(&c));
}
END_TEST

START_TEST(test_arch_list)
{
	static const uint8_t list[] = {0x00, 0x10, 0x00, 0x07, 0x00, 0x00};
	static const uint8_t many[20] = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5,
					 0, 6, 0, 7, 0, 8, 0, 9, 0, 10};
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client c;

	memset(&in, 0, sizeof(in));
	in.arch.data = list;
	in.arch.len = sizeof(list);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert_uint_eq(c.n_archs, 3);
	ck_assert_uint_eq(c.arch, 16);
	ck_assert(dhcp_pxe_client_has_arch(&c, 7));
	ck_assert(dhcp_pxe_client_has_arch(&c, 0));
	ck_assert(!dhcp_pxe_client_has_arch(&c, 9));
	ck_assert_uint_eq(c.mac_len, 0);

	in.arch.data = many;
	in.arch.len = sizeof(many);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert_uint_eq(c.n_archs, DHCP_PXE_MAX_ARCHS);
	ck_assert_uint_eq(c.archs[7], 8);
	ck_assert(!dhcp_pxe_client_has_arch(&c, 9));
}
END_TEST

START_TEST(test_boot_item)
{
	/* A 4011 boot-server DHCPREQUEST: 43.71 type 0x8001 layer 0, padded. */
	static const uint8_t o43[] = {0x00, 0x47, 0x04, 0x80, 0x01, 0x00, 0x00, 0xff};
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client c;

	memset(&in, 0, sizeof(in));
	in.vendor_opts.data = o43;
	in.vendor_opts.len = sizeof(o43);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(c.has_boot_item);
	ck_assert_uint_eq(c.boot_item_type, 0x8001);
	ck_assert_uint_eq(c.boot_item_layer, 0);
	ck_assert_uint_eq(c.malformed, 0);
}
END_TEST

START_TEST(test_user_class)
{
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client c;
	static const uint8_t two[] = "\x03"
				     "foo"
				     "\x04"
				     "iPXE";
	static const uint8_t bad[] = "\x05"
				     "a";

	memset(&in, 0, sizeof(in));
	in.user_class.data = two;
	in.user_class.len = sizeof(two) - 1;
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(dhcp_pxe_client_user_class_is(&c, "iPXE"));
	ck_assert(dhcp_pxe_client_user_class_is(&c, "foo"));
	ck_assert(!dhcp_pxe_client_user_class_is(&c, "fo"));
	ck_assert(!dhcp_pxe_client_user_class_is(&c, "iPX"));
	ck_assert(c.is_ipxe);

	in.user_class.data = bad;
	in.user_class.len = sizeof(bad) - 1;
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(!dhcp_pxe_client_user_class_is(&c, "a"));
	ck_assert(dhcp_pxe_client_user_class_is(&c, "\x05"
						    "a"));
	ck_assert(!c.is_ipxe);

	in.user_class.data = NULL;
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(!dhcp_pxe_client_user_class_is(&c, ""));
}
END_TEST

START_TEST(test_rpi_ouis)
{
	static const char *const ouis[] = {"\x28\xcd\xc1", "\x2c\xcf\x67", "\xb8\x27\xeb",
					   "\xd8\x3a\xdd", "\xdc\xa6\x32", "\xe4\x5f\x01"};
	for (size_t i = 0; i < 6; i++)
		ck_assert(dhcp_pxe_mac_is_rpi((const uint8_t *)ouis[i], 3));
	ck_assert(!dhcp_pxe_mac_is_rpi((const uint8_t *)MAC_QEMU, 6));
	ck_assert(!dhcp_pxe_mac_is_rpi((const uint8_t *)"\xb8\x27", 2));
	ck_assert(!dhcp_pxe_mac_is_rpi(NULL, 6));
	ck_assert_str_eq(dhcp_pxe_rpi_name(DHCP_PXE_RPI_NONE), "none");
	ck_assert_str_eq(dhcp_pxe_rpi_name(DHCP_PXE_RPI_4), "rpi4");
}
END_TEST

START_TEST(test_long_values)
{
	uint8_t big[300];
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client c;

	memset(big, 'A', sizeof(big));
	memset(&in, 0, sizeof(in));
	in.vendor_class.data = big;
	in.vendor_class.len = sizeof(big); /* more than an option can hold */
	in.user_class.data = big;
	in.user_class.len = sizeof(big);
	in.chaddr = big;
	in.hlen = 255; /* a lying hlen */
	dhcp_pxe_client_classify(&in, &c);
	ck_assert_uint_eq(strlen(c.vendor_class), DHCP_PXE_MAX_VC);
	ck_assert_uint_eq(c.user_class_len, DHCP_PXE_MAX_UC);
	ck_assert_uint_eq(c.mac_len, 16);
}
END_TEST

/* Option 175 as iPXE sends it (pad bytes allowed), and cut short: the
 * codes before the cut count, the cut item and what follows do not. */
START_TEST(test_ipxe_features)
{
	static const uint8_t whole[] = {0x13, 0x01, 0x01, 0x00, 0x24, 0x01,
					0x01, 0xeb, 0x03, 1,    2,    3};
	static const uint8_t cut[] = {0x13, 0x01, 0x01, 0x24, 0x05, 0x01, 0x15, 0x01};
	static const uint8_t ended[] = {0x13, 0x01, 0x01, 0xff, 0x24, 0x01, 0x01};
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client c;

	memset(&in, 0, sizeof(in));
	in.ipxe_encap.data = whole;
	in.ipxe_encap.len = sizeof(whole);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(c.is_ipxe && c.has_ipxe_encap);
	ck_assert(dhcp_pxe_client_has_ipxe_feature(&c, 19));
	ck_assert(dhcp_pxe_client_has_ipxe_feature(&c, 36));
	ck_assert(dhcp_pxe_client_has_ipxe_feature(&c, 235));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 0));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 1));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 3));

	in.ipxe_encap.data = cut;
	in.ipxe_encap.len = sizeof(cut);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(dhcp_pxe_client_has_ipxe_feature(&c, 19));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 36));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 21));

	in.ipxe_encap.data = ended;
	in.ipxe_encap.len = sizeof(ended);
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(dhcp_pxe_client_has_ipxe_feature(&c, 19));
	ck_assert(!dhcp_pxe_client_has_ipxe_feature(&c, 36));

	in.ipxe_encap.len = 1; /* a code without its length */
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(c.has_ipxe_encap && !dhcp_pxe_client_has_ipxe_feature(&c, 19));

	in.known = true;
	dhcp_pxe_client_classify(&in, &c);
	ck_assert(c.known);
}
END_TEST

UNIT_SUITE(pxe_client)
{
	Suite *s = suite_create("pxe_client");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_classify, 0, (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, test_arch_list);
	tcase_add_test(tc, test_boot_item);
	tcase_add_test(tc, test_user_class);
	tcase_add_test(tc, test_rpi_ouis);
	tcase_add_test(tc, test_long_values);
	tcase_add_test(tc, test_ipxe_features);
	suite_add_tcase(s, tc);
	return s;
}
