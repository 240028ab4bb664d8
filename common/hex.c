/* SPDX-License-Identifier: MIT */
/* See hex.h. */
#include "hex.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static const char digits[] = "0123456789abcdef";

size_t pxe_hex_encode(char *out, size_t cap, const uint8_t *b, size_t n, char sep)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const char c[3] = {sep, digits[b[i] >> 4], digits[b[i] & 15]};
		for (size_t k = i && sep ? 0 : 1; k < 3; k++, len++)
			if (len + 1 < cap)
				out[len] = c[k];
	}
	if (cap)
		out[len < cap ? len : cap - 1] = '\0';
	return len;
}

static int nibble(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_sep(char c, const char *seps)
{
	return c && seps && strchr(seps, c);
}

int pxe_hex_decode(const char *s, size_t len, const char *seps, unsigned flags, uint8_t *out,
		   size_t cap)
{
	bool strict = flags & PXE_HEX_STRICT;
	bool after_byte = false; /* strict: a separator may come next */
	size_t n = 0;
	for (size_t i = 0; i < len;) {
		if (is_sep(s[i], seps)) {
			if (strict && !after_byte)
				return -EINVAL;
			after_byte = false;
			i++;
			continue;
		}
		if (strict && after_byte)
			return -EINVAL;
		int hi = nibble(s[i]), lo = i + 1 < len ? nibble(s[i + 1]) : -1;
		if (hi < 0 || lo < 0)
			return -EINVAL;
		if (n >= cap)
			return -ENOSPC;
		out[n++] = (uint8_t)(hi << 4 | lo);
		i += 2;
		after_byte = true;
	}
	if (strict && n && !after_byte)
		return -EINVAL; /* a separator at the end */
	return (int)n;
}
