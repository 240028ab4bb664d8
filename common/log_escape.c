/* SPDX-License-Identifier: MIT */
/* Escaping of log values (log.h): the security boundary of the log.
 * Client bytes (file names, host names, user agents) become one value
 * that cannot contain a line break, an unescaped quote or a terminal
 * escape, so a client can neither end a line nor forge a field. Pure. */
#include "log.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* Bounded output: whole units (a byte or one escape sequence) are written
 * while they fit with room for the NUL; after the first unit that does not
 * fit nothing more is written, so the output is a clean prefix. n counts
 * what the complete output needs, like snprintf. */
struct out {
	char *buf;
	size_t cap;
	size_t n; /* bytes needed */
	size_t w; /* bytes written */
};

static void out_put(struct out *o, const char *s, size_t k)
{
	if (o->w == o->n && o->w + k < o->cap) {
		memcpy(o->buf + o->w, s, k);
		o->w += k;
	}
	o->n += k;
}

static void out_byte(struct out *o, char c)
{
	out_put(o, &c, 1);
}

static size_t out_finish(struct out *o)
{
	if (o->cap > 0)
		o->buf[o->w] = '\0';
	return o->n;
}

static const char hexdig[] = "0123456789abcdef";

/* Printable ASCII that needs no quoting in logfmt. '=' and '"' would let a
 * reader see a new field or a quoted value, '\\' an escape. */
static bool logfmt_bare(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '=' && c != '"' && c != '\\';
}

static void logfmt_escape_byte(struct out *o, unsigned char c)
{
	char e[4] = {'\\', 0, 0, 0};

	switch (c) {
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	default:
		if (c >= 0x20 && c < 0x7f) {
			out_byte(o, (char)c);
			return;
		}
		/* other controls (ESC, NUL...) and all bytes >= 0x7f */
		e[1] = 'x';
		e[2] = hexdig[c >> 4];
		e[3] = hexdig[c & 15];
		out_put(o, e, 4);
		return;
	}
	out_put(o, e, 2);
}

size_t pxe_log_escape_logfmt(char *buf, size_t cap, const char *val, size_t len)
{
	struct out o = {buf, cap, 0, 0};
	const unsigned char *p = (const unsigned char *)val;
	bool bare = len > 0;

	for (size_t i = 0; i < len && bare; i++)
		bare = logfmt_bare(p[i]);
	if (bare) {
		out_put(&o, val, len);
		return out_finish(&o);
	}
	out_byte(&o, '"');
	for (size_t i = 0; i < len; i++)
		logfmt_escape_byte(&o, p[i]);
	out_byte(&o, '"');
	return out_finish(&o);
}

/* Decode one strict UTF-8 sequence (RFC 3629 §4: no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns its length, or 0 when p does
 * not start a valid sequence. */
static size_t utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t min, c;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2, min = 0x80, c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3, min = 0x800, c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4, min = 0x10000, c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static void json_u(struct out *o, uint32_t u)
{
	char e[6] = {'\\',
		     'u',
		     hexdig[(u >> 12) & 15],
		     hexdig[(u >> 8) & 15],
		     hexdig[(u >> 4) & 15],
		     hexdig[u & 15]};
	out_put(o, e, 6);
}

/* One code point as ASCII JSON (RFC 8259 §7): beyond the BMP as a UTF-16
 * surrogate pair. */
static void json_codepoint(struct out *o, uint32_t c)
{
	if (c >= 0x10000) {
		c -= 0x10000;
		json_u(o, 0xd800 | (c >> 10));
		json_u(o, 0xdc00 | (c & 0x3ff));
	} else {
		json_u(o, c);
	}
}

static void json_escape_ascii(struct out *o, unsigned char c)
{
	char e[2] = {'\\', 0};

	switch (c) {
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	default:
		if (c >= 0x20 && c < 0x7f)
			out_byte(o, (char)c);
		else
			json_u(o, c); /* other controls and DEL */
		return;
	}
	out_put(o, e, 2);
}

size_t pxe_log_escape_json(char *buf, size_t cap, const char *val, size_t len)
{
	struct out o = {buf, cap, 0, 0};
	const unsigned char *p = (const unsigned char *)val;

	out_byte(&o, '"');
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = p[i] < 0x80 ? 0 : utf8_decode(p + i, len - i, &cp);

		if (p[i] < 0x80) {
			json_escape_ascii(&o, p[i]);
			i++;
		} else if (n > 0) {
			json_codepoint(&o, cp);
			i += n;
		} else {
			/* not UTF-8: keep the byte visible as U+00XX so the
			 * output stays valid JSON */
			json_u(&o, p[i]);
			i++;
		}
	}
	out_byte(&o, '"');
	return out_finish(&o);
}
