/* SPDX-License-Identifier: MIT */
/* common/hex.c: the one hex codec (lease lines, script environments, MAC
 * prefixes, ${mac}, option values). */
#include "unit.h"

#include "hex.h"

#include <errno.h>
#include <string.h>

static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0xab, 0xcd, 0xef};

START_TEST(encode)
{
	char out[64];
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), mac, 6, ':'), 17);
	ck_assert_str_eq(out, "52:54:00:ab:cd:ef");
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), mac, 6, 0), 12);
	ck_assert_str_eq(out, "525400abcdef");
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), mac, 3, '-'), 8);
	ck_assert_str_eq(out, "52-54-00");
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), mac, 0, ':'), 0);
	ck_assert_str_eq(out, "");
	const uint8_t all[2] = {0x00, 0xff};
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), all, 2, 0), 4);
	ck_assert_str_eq(out, "00ff");
}
END_TEST

/* Cut short like snprintf: NUL-terminated, the whole length returned. */
START_TEST(encode_short)
{
	char out[8];
	memset(out, 'x', sizeof(out));
	ck_assert_uint_eq(pxe_hex_encode(out, sizeof(out), mac, 6, ':'), 17);
	ck_assert_str_eq(out, "52:54:0");
	ck_assert_uint_eq(pxe_hex_encode(out, 1, mac, 6, ':'), 17);
	ck_assert_str_eq(out, "");
	out[0] = 'x';
	ck_assert_uint_eq(pxe_hex_encode(out, 0, mac, 6, ':'), 17);
	ck_assert_int_eq(out[0], 'x'); /* cap 0: nothing written */
	/* exactly fits: 17 characters and the NUL */
	char fit[18];
	ck_assert_uint_eq(pxe_hex_encode(fit, sizeof(fit), mac, 6, ':'), 17);
	ck_assert_str_eq(fit, "52:54:00:ab:cd:ef");
}
END_TEST

struct dec_case {
	const char *in;
	const char *seps;
	unsigned flags;
	int ret;           /* bytes, or -errno */
	const char *bytes; /* ret bytes */
};

/* clang-format off */
static const struct dec_case dec_cases[] = {
	{"", ":", 0, 0, ""},
	{"0102ab", ":", 0, 3, "\x01\x02\xab"},
	{"01:02:AB", ":", 0, 3, "\x01\x02\xab"},
	{"01 - 02::ab:", ": -", 0, 3, "\x01\x02\xab"},
	{":01", ":", 0, 1, "\x01"},
	{"0", ":", 0, -EINVAL, NULL},
	{"012", ":", 0, -EINVAL, NULL},
	{"0g", ":", 0, -EINVAL, NULL},
	{"01-02", ":", 0, -EINVAL, NULL},    /* '-' is not a separator here */
	{"01:02", NULL, 0, -EINVAL, NULL},   /* no separators at all */
	{"0:1", ":", 0, -EINVAL, NULL},      /* a digit pair is never split */
	{"52:54:00", ":-", PXE_HEX_STRICT, 3, "\x52\x54\x00"},
	{"52-54:00", ":-", PXE_HEX_STRICT, 3, "\x52\x54\x00"},
	{"52", ":-", PXE_HEX_STRICT, 1, "\x52"},
	{"525400", ":-", PXE_HEX_STRICT, -EINVAL, NULL},
	{"52:", ":-", PXE_HEX_STRICT, -EINVAL, NULL},
	{":52", ":-", PXE_HEX_STRICT, -EINVAL, NULL},
	{"52::54", ":-", PXE_HEX_STRICT, -EINVAL, NULL},
	{":", ":-", PXE_HEX_STRICT, -EINVAL, NULL},
	{"", ":-", PXE_HEX_STRICT, 0, ""},
};
/* clang-format on */

START_TEST(decode_table)
{
	const struct dec_case *c = &dec_cases[_i];
	uint8_t out[16];
	int r = pxe_hex_decode(c->in, strlen(c->in), c->seps, c->flags, out, sizeof(out));
	ck_assert_msg(r == c->ret, "'%s': %d, want %d", c->in, r, c->ret);
	if (r > 0)
		ck_assert_int_eq(memcmp(out, c->bytes, (size_t)r), 0);
}
END_TEST

START_TEST(decode_limits)
{
	uint8_t out[6];
	/* a bad digit is reported before the lack of room, as it comes first */
	ck_assert_int_eq(pxe_hex_decode("0102", 4, NULL, 0, out, 1), -ENOSPC);
	ck_assert_int_eq(pxe_hex_decode("01zz", 4, NULL, 0, out, 1), -EINVAL);
	ck_assert_int_eq(pxe_hex_decode("52:54:00:12:34:56:78", 20, ":", PXE_HEX_STRICT, out, 6),
			 -ENOSPC);
	ck_assert_int_eq(pxe_hex_decode("52:54:00:12:34:56", 17, ":", PXE_HEX_STRICT, out, 6), 6);
	/* only len characters are read: the rest of a longer text is not */
	ck_assert_int_eq(pxe_hex_decode("52:54 ipxe", 5, ":", PXE_HEX_STRICT, out, 6), 2);
	ck_assert_int_eq(pxe_hex_decode("5", 1, NULL, 0, out, 6), -EINVAL);
	ck_assert_int_eq(pxe_hex_decode("5\0"
					"1",
					3, NULL, 0, out, 6),
			 -EINVAL);
}
END_TEST

START_TEST(round_trip)
{
	uint8_t in[256], back[256];
	char text[3 * 256];
	for (int i = 0; i < 256; i++)
		in[i] = (uint8_t)i;
	for (int sep = 0; sep < 2; sep++) {
		size_t n = pxe_hex_encode(text, sizeof(text), in, 256, sep ? ':' : 0);
		ck_assert_uint_eq(n, sep ? 767 : 512);
		ck_assert_int_eq(pxe_hex_decode(text, n, ":", sep ? PXE_HEX_STRICT : 0, back, 256),
				 256);
		ck_assert_int_eq(memcmp(in, back, 256), 0);
	}
}
END_TEST

UNIT_SUITE(hex)
{
	Suite *s = suite_create("hex");
	TCase *tc = tcase_create("codec");
	tcase_add_test(tc, encode);
	tcase_add_test(tc, encode_short);
	tcase_add_loop_test(tc, decode_table, 0, sizeof(dec_cases) / sizeof(dec_cases[0]));
	tcase_add_test(tc, decode_limits);
	tcase_add_test(tc, round_trip);
	suite_add_tcase(s, tc);
	return s;
}
