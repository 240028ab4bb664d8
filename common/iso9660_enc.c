/* SPDX-License-Identifier: MIT */
/* Numbers, dates and names as ECMA-119 and Joliet record them. */
#include "iso9660_int.h"

#include <string.h>

/* ECMA-119 7.2/7.3: 16- and 32-bit numbers are recorded both-endian; the
 * little-endian half comes first and is the one read here. */
uint16_t iso_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

uint32_t iso_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint32_t iso_be32(const uint8_t *p)
{
	return (uint32_t)p[3] | (uint32_t)p[2] << 8 | (uint32_t)p[1] << 16 | (uint32_t)p[0] << 24;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): no timegm(), which depends on the C library's range. */
int64_t iso_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int64_t iso_epoch(int64_t y, unsigned mo, unsigned d, unsigned h, unsigned mi, unsigned s,
			 int8_t gmtoff)
{
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60)
		return 0;
	int64_t t = iso_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
	/* The offset from GMT in 15-minute steps, -48 (west) to +52 (east):
	 * local time minus the offset is UTC. Out of range: ignored. */
	if (gmtoff >= -48 && gmtoff <= 52)
		t -= (int64_t)gmtoff * 15 * 60;
	return t;
}

/* ECMA-119 9.1.5: years since 1900, month, day, hour, minute, second, GMT
 * offset. All zero means "not specified". */
int64_t iso_time7(const uint8_t *t)
{
	static const uint8_t zero[7];
	if (memcmp(t, zero, sizeof(zero)) == 0)
		return 0;
	return iso_epoch(1900 + (int64_t)t[0], t[1], t[2], t[3], t[4], t[5], (int8_t)t[6]);
}

static int iso_digits(const uint8_t *p, unsigned n)
{
	int v = 0;
	for (unsigned i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* ECMA-119 8.4.26.1: "YYYYMMDDHHMMSScc" in digits, then the GMT offset;
 * all '0' (or all zero bytes) means "not specified". */
int64_t iso_time17(const uint8_t *t)
{
	int y = iso_digits(t, 4), mo = iso_digits(t + 4, 2), d = iso_digits(t + 6, 2);
	int h = iso_digits(t + 8, 2), mi = iso_digits(t + 10, 2), s = iso_digits(t + 12, 2);
	if (y <= 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s < 0)
		return 0;
	return iso_epoch(y, (unsigned)mo, (unsigned)d, (unsigned)h, (unsigned)mi, (unsigned)s,
			 (int8_t)t[16]);
}

static size_t iso_put_utf8(char *out, size_t n, size_t cap, uint32_t c)
{
	uint8_t b[4];
	size_t k;
	if (c < 0x80) {
		b[0] = (uint8_t)c, k = 1;
	} else if (c < 0x800) {
		b[0] = (uint8_t)(0xc0 | c >> 6), b[1] = (uint8_t)(0x80 | (c & 0x3f)), k = 2;
	} else if (c < 0x10000) {
		b[0] = (uint8_t)(0xe0 | c >> 12), b[1] = (uint8_t)(0x80 | (c >> 6 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c & 0x3f)), k = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | c >> 18), b[1] = (uint8_t)(0x80 | (c >> 12 & 0x3f));
		b[2] = (uint8_t)(0x80 | (c >> 6 & 0x3f)), b[3] = (uint8_t)(0x80 | (c & 0x3f)),
		k = 4;
	}
	if (n + k >= cap)
		return SIZE_MAX;
	memcpy(out + n, b, k);
	return n + k;
}

/* Joliet names are UCS-2 big-endian; xorriso writes UTF-16 surrogate pairs
 * for characters beyond the BMP, so pairs are joined. A lone surrogate
 * becomes U+FFFD; a NUL stays a NUL byte, for the caller to refuse.
 * Returns the UTF-8 length (out NUL-terminated), or SIZE_MAX when it does
 * not fit cap. */
size_t iso_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return SIZE_MAX;
	for (size_t i = 0; i + 1 < len && n != SIZE_MAX; i += 2) {
		uint32_t c = (uint32_t)in[i] << 8 | in[i + 1];
		if (c >= 0xd800 && c <= 0xdbff && i + 3 < len) {
			uint32_t lo = (uint32_t)in[i + 2] << 8 | in[i + 3];
			if (lo >= 0xdc00 && lo <= 0xdfff) {
				c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
				i += 2;
			}
		}
		if (c >= 0xd800 && c <= 0xdfff)
			c = 0xfffd;
		n = iso_put_utf8(out, n, cap, c);
	}
	if (n == SIZE_MAX)
		return SIZE_MAX;
	out[n] = '\0';
	return n;
}

/* An ISO 9660 identifier copied as it is (d-characters, or what
 * -full-iso9660-filenames allows). SIZE_MAX when it does not fit cap. */
size_t iso_plain_name(const uint8_t *in, size_t len, char *out, size_t cap)
{
	if (len >= cap)
		return SIZE_MAX;
	memcpy(out, in, len);
	out[len] = '\0';
	return len;
}

/* ECMA-119 7.5.1: "NAME.EXT;1": the file version number after ';' is not
 * part of the name a client asks for. */
size_t iso_strip_version(char *name, size_t len)
{
	size_t i = len;
	while (i > 0 && name[i - 1] >= '0' && name[i - 1] <= '9')
		i--;
	if (i > 0 && name[i - 1] == ';') {
		len = i - 1;
		name[len] = '\0';
	}
	return len;
}

/* A descriptor's a-characters, padded with spaces: trailing spaces and
 * NULs dropped, control bytes shown as '?'. */
void iso_trim_label(const uint8_t *in, size_t len, char *out, size_t cap)
{
	size_t n = 0;
	for (size_t i = 0; i < len && n + 1 < cap; i++)
		out[n++] = in[i] < 0x20 || in[i] == 0x7f ? '?' : (char)in[i];
	while (n > 0 && (out[n - 1] == ' ' || out[n - 1] == '?'))
		n--;
	if (cap > 0)
		out[n] = '\0';
}
