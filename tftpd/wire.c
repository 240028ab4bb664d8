/* SPDX-License-Identifier: MIT */
/* TFTP packet parsing and building (RFC 1350 §5, RFC 2347). */
#include "wire.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 1350 §5 / RFC 2347 §"Error codes" texts, indexed by code. */
static const char *const error_texts[] = {
	[TFTP_EUNDEF] = "Not defined",
	[TFTP_ENOTFOUND] = "File not found",
	[TFTP_EACCESS] = "Access violation",
	[TFTP_ENOSPACE] = "Disk full or allocation exceeded",
	[TFTP_EBADOP] = "Illegal TFTP operation",
	[TFTP_EBADID] = "Unknown transfer ID",
	[TFTP_EEXISTS] = "File already exists",
	[TFTP_ENOUSER] = "No such user",
	[TFTP_EOPTNEG] = "Option negotiation refused",
};

const char *tftp_error_text(uint16_t code)
{
	if (code < sizeof(error_texts) / sizeof(error_texts[0]))
		return error_texts[code];
	return "Unknown error";
}

/* Next NUL-terminated string in [p, end): its length, or -1 when the
 * terminator is missing. */
static long next_str(const uint8_t *p, const uint8_t *end)
{
	const uint8_t *z = memchr(p, 0, (size_t)(end - p));
	return z ? (long)(z - p) : -1;
}

static int parse_mode(const char *s, size_t n, enum tftp_mode *out)
{
	if (n == 5 && !strncasecmp(s, "octet", 5))
		*out = TFTP_MODE_OCTET;
	else if (n == 8 && !strncasecmp(s, "netascii", 8))
		*out = TFTP_MODE_NETASCII;
	else
		return -ENOTSUP;
	return 0;
}

/* RFC 2347: option/value pairs after the mode. A pair missing its value
 * terminator ends the list (trailing garbage is tolerated). */
static void parse_opts(const uint8_t *p, const uint8_t *end, struct tftp_req *out)
{
	while (p < end && out->nopts < TFTP_MAX_OPTS) {
		long nl = next_str(p, end);
		if (nl <= 0)
			return;
		const uint8_t *v = p + nl + 1;
		long vl = v < end ? next_str(v, end) : -1;
		if (vl < 0)
			return;
		struct tftp_opt *o = &out->opts[out->nopts++];
		o->name = (const char *)p;
		o->name_len = (size_t)nl;
		o->value = (const char *)v;
		o->value_len = (size_t)vl;
		p = v + vl + 1;
	}
}

int tftp_parse_req(const uint8_t *buf, size_t len, struct tftp_req *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 2)
		return -EINVAL;
	uint16_t op = tftp_get16(buf);
	if (op != TFTP_RRQ && op != TFTP_WRQ)
		return -ENOTSUP;
	out->op = (enum tftp_op)op;
	const uint8_t *p = buf + 2, *end = buf + len;
	long fl = next_str(p, end);
	if (fl <= 0)
		return -EINVAL;
	out->filename = (const char *)p;
	out->filename_len = (size_t)fl;
	p += fl + 1;
	long ml = p < end ? next_str(p, end) : -1;
	if (ml < 0)
		return -EINVAL;
	int r = parse_mode((const char *)p, (size_t)ml, &out->mode);
	if (r < 0)
		return r;
	parse_opts(p + ml + 1, end, out);
	return 0;
}

int tftp_parse_pkt(const uint8_t *buf, size_t len, struct tftp_pkt *out)
{
	memset(out, 0, sizeof(*out));
	if (len < 2)
		return -EINVAL;
	out->op = (enum tftp_op)tftp_get16(buf);
	switch (out->op) {
	case TFTP_RRQ:
	case TFTP_WRQ:
	case TFTP_OACK: return 0;
	case TFTP_DATA:
	case TFTP_ACK:
	case TFTP_ERROR: break;
	default: return -EINVAL;
	}
	if (len < TFTP_HDR)
		return -EINVAL;
	uint16_t v = tftp_get16(buf + 2);
	if (out->op == TFTP_ERROR) {
		out->errcode = v;
		out->errmsg = (const char *)buf + TFTP_HDR;
		const uint8_t *z = memchr(buf + TFTP_HDR, 0, len - TFTP_HDR);
		out->errmsg_len = z ? (size_t)(z - (buf + TFTP_HDR)) : len - TFTP_HDR;
		return 0;
	}
	out->block = v;
	if (out->op == TFTP_DATA) {
		out->data = buf + TFTP_HDR;
		out->data_len = len - TFTP_HDR;
	}
	return 0;
}

const struct tftp_opt *tftp_req_opt(const struct tftp_req *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < r->nopts; i++)
		if (r->opts[i].name_len == n && !strncasecmp(r->opts[i].name, name, n))
			return &r->opts[i];
	return NULL;
}

size_t tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block)
{
	if (cap < TFTP_HDR)
		return 0;
	tftp_put16(buf, TFTP_ACK);
	tftp_put16(buf + 2, block);
	return TFTP_HDR;
}

size_t tftp_build_data_hdr(uint8_t *buf, size_t cap, uint16_t block)
{
	if (cap < TFTP_HDR)
		return 0;
	tftp_put16(buf, TFTP_DATA);
	tftp_put16(buf + 2, block);
	return TFTP_HDR;
}

size_t tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg)
{
	if (cap < TFTP_HDR + 1)
		return 0;
	if (!msg)
		msg = tftp_error_text(code);
	tftp_put16(buf, TFTP_ERROR);
	tftp_put16(buf + 2, code);
	size_t n = strlen(msg);
	if (n > cap - TFTP_HDR - 1)
		n = cap - TFTP_HDR - 1;
	memcpy(buf + TFTP_HDR, msg, n);
	buf[TFTP_HDR + n] = 0;
	return TFTP_HDR + n + 1;
}

size_t tftp_build_oack(uint8_t *buf, size_t cap, const struct tftp_oack_item *items, size_t n)
{
	if (cap < 2)
		return 0;
	tftp_put16(buf, TFTP_OACK);
	size_t off = 2;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(items[i].name) + 1, vl = strlen(items[i].value) + 1;
		if (off + nl + vl > cap)
			return 0;
		memcpy(buf + off, items[i].name, nl);
		off += nl;
		memcpy(buf + off, items[i].value, vl);
		off += vl;
	}
	return off;
}
