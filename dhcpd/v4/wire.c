/* SPDX-License-Identifier: MIT */
/* BOOTP/DHCPv4 parsing and building. RFC 2131 §2 (format), §4.1
 * (overload order), RFC 2132 §9.3 (option 52), §9.10 (option 57),
 * RFC 3396 (long options split and concatenated), RFC 3046 (option 82). */
#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include "wire.h"

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

/* One pass over an option area. copy == false: add lengths; true: copy
 * values at the running offsets in fill[]. Returns 1 when END was seen,
 * 0 at the end of the area, -EINVAL when an option runs past it. */
static int walk(struct dhcp_msg *m, const uint8_t *a, size_t n, bool copy, uint16_t *fill)
{
	size_t i = 0;
	while (i < n) {
		uint8_t code = a[i];
		if (code == DHO_PAD) {
			i++;
			continue;
		}
		if (code == DHO_END)
			return 1;
		if (i + 1 >= n || i + 2 + (size_t)a[i + 1] > n)
			return -EINVAL;
		uint8_t len = a[i + 1];
		if (copy) {
			memcpy(m->optbuf + fill[code], a + i + 2, len);
			fill[code] += len;
		} else {
			/* Option 52 counts only in the options field (RFC 2132
			 * §9.3), which is walked first, before overload is known. */
			if (code == DHO_OVERLOAD && len >= 1 && !m->overload_seen) {
				m->overload = a[i + 2];
				m->overload_seen = true;
			}
			m->opt_len[code] += len;
			m->opt_present[code / 8] |= 1u << (code % 8);
		}
		i += 2 + (size_t)len;
	}
	return 0;
}

/* Walk the options field, then file and sname when option 52 says so. */
static int walk_all(struct dhcp_msg *m, const uint8_t *buf, size_t len, bool copy, uint16_t *fill)
{
	int r = walk(m, buf + DHCP_HDR_LEN + 4, len - DHCP_HDR_LEN - 4, copy, fill);
	if (r < 0)
		return r;
	m->missing_end = r == 0;
	if (!copy && m->overload > 3)
		m->overload = 0; /* meaningless values: ignore the option */
	if (m->overload & 1) {
		r = walk(m, buf + DHCP_OFF_FILE, 128, copy, fill);
		if (r < 0)
			return r;
	}
	if (m->overload & 2) {
		r = walk(m, buf + DHCP_OFF_SNAME, 64, copy, fill);
		if (r < 0)
			return r;
	}
	return 0;
}

static void parse_header(const uint8_t *buf, struct dhcp_msg *m)
{
	m->op = buf[0];
	m->htype = buf[1];
	m->hlen = buf[2];
	m->hops = buf[3];
	m->xid = get32(buf + 4);
	m->secs = get16(buf + 8);
	m->flags = get16(buf + 10);
	m->ciaddr = get_be(buf + 12);
	m->yiaddr = get_be(buf + 16);
	m->siaddr = get_be(buf + 20);
	m->giaddr = get_be(buf + 24);
	memcpy(m->chaddr, buf + 28, 16);
}

int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *m)
{
	memset(m->opt_len, 0, sizeof(m->opt_len));
	memset(m->opt_present, 0, sizeof(m->opt_present));
	m->overload = 0;
	m->overload_seen = false;
	m->missing_end = false;
	m->has_cookie = false;
	m->optbuf_len = 0;
	m->sname[0] = m->file[0] = '\0';
	if (len < DHCP_HDR_LEN || len > DHCP_MAX_MSG)
		return -EINVAL;
	parse_header(buf, m);
	if ((m->op != DHCP_BOOTREQUEST && m->op != DHCP_BOOTREPLY) || m->hlen > 16)
		return -EINVAL;
	if (len >= DHCP_HDR_LEN + 4 && get32(buf + DHCP_HDR_LEN) == DHCP_COOKIE) {
		m->has_cookie = true;
		int r = walk_all(m, buf, len, false, NULL);
		if (r < 0)
			return r;
		uint16_t fill[256];
		size_t off = 0;
		for (int c = 0; c < 256; c++) {
			m->opt_off[c] = fill[c] = (uint16_t)off;
			off += m->opt_len[c];
		}
		m->optbuf_len = (uint16_t)off;
		walk_all(m, buf, len, true, fill);
	}
	if (!(m->overload & 2)) {
		memcpy(m->sname, buf + DHCP_OFF_SNAME, 64);
		m->sname[64] = '\0';
	}
	if (!(m->overload & 1)) {
		memcpy(m->file, buf + DHCP_OFF_FILE, 128);
		m->file[128] = '\0';
	}
	return 0;
}

bool dhcp_opt_has(const struct dhcp_msg *m, uint8_t code)
{
	return m->has_cookie && (m->opt_present[code / 8] & (1u << (code % 8)));
}

const uint8_t *dhcp_opt_get(const struct dhcp_msg *m, uint8_t code, size_t *len)
{
	if (!dhcp_opt_has(m, code))
		return NULL;
	if (len)
		*len = m->opt_len[code];
	return m->optbuf + m->opt_off[code];
}

int dhcp_msg_type(const struct dhcp_msg *m)
{
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, DHO_MSG_TYPE, &n);
	if (!v || n != 1 || v[0] < DHCPDISCOVER || v[0] > DHCPINFORM)
		return 0;
	return v[0];
}

bool dhcp_opt_addr(const struct dhcp_msg *m, uint8_t code, uint32_t *out)
{
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, code, &n);
	if (!v || n != 4)
		return false;
	*out = get_be(v);
	return true;
}

bool dhcp_opt_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out)
{
	uint32_t be;
	if (!dhcp_opt_addr(m, code, &be))
		return false;
	*out = ntohl(be);
	return true;
}

size_t dhcp_max_reply(const struct dhcp_msg *m, size_t cap)
{
	size_t n, max = DHCP_MIN_MSG;
	const uint8_t *v = dhcp_opt_get(m, DHO_MAX_SIZE, &n);
	if (v && n == 2 && get16(v) > DHCP_MIN_MSG + DHCP_IPUDP_HDR)
		max = get16(v) - DHCP_IPUDP_HDR;
	return max < cap ? max : cap;
}

const uint8_t *dhcp_rai_sub(const struct dhcp_msg *m, uint8_t sub, size_t *len)
{
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, DHO_RELAY_AGENT, &n);
	for (size_t i = 0; v && i + 2 <= n && i + 2 + (size_t)v[i + 1] <= n;
	     i += 2 + (size_t)v[i + 1]) {
		if (v[i] == sub) {
			*len = v[i + 1];
			return v + i + 2;
		}
	}
	return NULL;
}

const char *dhcp_msg_type_name(int type)
{
	static const char *const names[] = {
		"bootp", "discover", "offer",   "request", "decline",
		"ack",   "nak",      "release", "inform",  "bootreply",
	};
	return type >= 0 && type <= DHCPBOOTREPLY ? names[type] : "unknown";
}

void dhcp_build_start(struct dhcp_builder *b, uint8_t *buf, size_t cap, const struct dhcp_msg *req,
		      uint8_t type)
{
	b->buf = buf;
	b->cap = cap;
	b->overflow = false;
	b->ovl_allowed = b->ovl_used = 0;
	b->ovl_len[0] = b->ovl_len[1] = 0;
	memset(buf, 0, DHCP_HDR_LEN + 4);
	buf[0] = DHCP_BOOTREPLY;
	buf[1] = req->htype;
	buf[2] = req->hlen;
	put32(buf + 4, req->xid);
	/* RFC 2131 table 3: flags and giaddr from the request. */
	buf[10] = req->flags >> 8;
	buf[11] = req->flags & 0xff;
	memcpy(buf + DHCP_OFF_GIADDR, &req->giaddr, 4);
	memcpy(buf + DHCP_OFF_CHADDR, req->chaddr, 16);
	put32(buf + DHCP_HDR_LEN, DHCP_COOKIE);
	b->len = DHCP_HDR_LEN + 4;
	if (type)
		dhcp_build_opt(b, DHO_MSG_TYPE, &type, 1);
}

void dhcp_build_set_addr(struct dhcp_builder *b, size_t off, uint32_t be)
{
	memcpy(b->buf + off, &be, 4);
}

void dhcp_build_set_flags(struct dhcp_builder *b, uint16_t flags)
{
	b->buf[10] = flags >> 8;
	b->buf[11] = flags & 0xff;
}

void dhcp_build_set_str(struct dhcp_builder *b, size_t off, size_t field_len, const char *s)
{
	size_t n = strlen(s);
	memset(b->buf + off, 0, field_len);
	memcpy(b->buf + off, s, n < field_len ? n : field_len - 1);
}

/* Write code/val at dst, split into 255-byte instances (RFC 3396);
 * returns the bytes written. The caller checked the room (opt_size). */
static size_t put_opt(uint8_t *dst, uint8_t code, const uint8_t *v, size_t len)
{
	size_t k = 0;
	do {
		size_t n = len > 255 ? 255 : len;
		dst[k++] = code;
		dst[k++] = (uint8_t)n;
		if (n)
			memcpy(dst + k, v, n);
		k += n;
		v += n;
		len -= n;
	} while (len);
	return k;
}

static size_t opt_size(size_t len)
{
	return len + 2 * (len ? (len + 254) / 255 : 1);
}

/* The overload fields in the order RFC 2131 §4.1 reads them: file, then
 * sname; bit 1 and bit 2 of option 52. */
static const struct {
	size_t off, size;
} ovl_field[2] = {{DHCP_OFF_FILE, 128}, {DHCP_OFF_SNAME, 64}};
#define OVL_OPT_LEN 3 /* option 52 itself, kept free in the options field */

/* An option that does not fit the options field: into file or sname,
 * leaving one byte of each for its END (RFC 2132 §9.3). */
static bool spill(struct dhcp_builder *b, uint8_t code, const void *val, size_t len)
{
	size_t need = opt_size(len);
	for (int f = 0; f < 2; f++) {
		if (!(b->ovl_allowed & (1u << f)) || b->ovl_len[f] + need + 1 > ovl_field[f].size)
			continue;
		b->ovl_len[f] += put_opt(b->buf + ovl_field[f].off + b->ovl_len[f], code, val, len);
		b->ovl_used |= (uint8_t)(1u << f);
		return true;
	}
	return false;
}

int dhcp_build_opt(struct dhcp_builder *b, uint8_t code, const void *val, size_t len)
{
	size_t need = opt_size(len);
	/* While overload may still be needed, option 52 keeps its room. */
	size_t keep = b->ovl_allowed ? OVL_OPT_LEN : 0;
	if (b->len + need + 1 + keep <= b->cap) {
		b->len += put_opt(b->buf + b->len, code, val, len);
		return 0;
	}
	if (b->ovl_allowed && spill(b, code, val, len))
		return 0;
	if (!b->ovl_used && b->len + need + 1 <= b->cap) {
		/* Fits only in the room kept for option 52: take it and give
		 * up overload, no option has needed it so far. */
		b->ovl_allowed = 0;
		b->len += put_opt(b->buf + b->len, code, val, len);
		return 0;
	}
	b->overflow = true;
	return -ENOSPC;
}

void dhcp_build_allow_overload(struct dhcp_builder *b, bool file, bool sname)
{
	/* Only with room for option 52 and END in the options field. */
	if (b->len + OVL_OPT_LEN + 1 > b->cap)
		return;
	b->ovl_allowed = (uint8_t)((file ? 1 : 0) | (sname ? 2 : 0));
}

int dhcp_build_opt_u32(struct dhcp_builder *b, uint8_t code, uint32_t v)
{
	uint8_t p[4];
	put32(p, v);
	return dhcp_build_opt(b, code, p, 4);
}

int dhcp_build_opt_addr(struct dhcp_builder *b, uint8_t code, uint32_t be)
{
	return dhcp_build_opt(b, code, &be, 4);
}

size_t dhcp_build_finish(struct dhcp_builder *b)
{
	if (b->ovl_used) {
		/* RFC 2132 §9.3: 52 in the options field; each used field
		 * ends with END, its rest is PAD (zero from set_str). */
		for (int f = 0; f < 2; f++)
			if (b->ovl_used & (1u << f))
				b->buf[ovl_field[f].off + b->ovl_len[f]] = DHO_END;
		b->buf[b->len++] = DHO_OVERLOAD;
		b->buf[b->len++] = 1;
		b->buf[b->len++] = b->ovl_used;
	}
	b->buf[b->len++] = DHO_END;
	while (b->len < DHCP_BOOTP_MIN && b->len < b->cap)
		b->buf[b->len++] = DHO_PAD;
	return b->len;
}

size_t dhcp_build_finish_plain(struct dhcp_builder *b)
{
	memset(b->buf + DHCP_HDR_LEN, 0, DHCP_BOOTP_MIN - DHCP_HDR_LEN);
	b->len = DHCP_BOOTP_MIN;
	return b->len;
}

int dhcp_msg_set_opt(struct dhcp_msg *m, uint8_t code, const void *val, size_t len)
{
	if (m->optbuf_len + len > sizeof(m->optbuf))
		return -ENOSPC;
	memcpy(m->optbuf + m->optbuf_len, val, len);
	m->opt_off[code] = m->optbuf_len;
	m->opt_len[code] = (uint16_t)len;
	m->optbuf_len += (uint16_t)len;
	m->opt_present[code / 8] |= 1u << (code % 8);
	m->has_cookie = true;
	return 0;
}

size_t dhcp_build_request(uint8_t *buf, size_t cap, const struct dhcp_msg *m)
{
	struct dhcp_builder b;
	if (cap < DHCP_BOOTP_MIN)
		return 0;
	dhcp_build_start(&b, buf, cap, m, 0);
	buf[0] = m->op ? m->op : DHCP_BOOTREQUEST;
	buf[3] = m->hops;
	buf[8] = m->secs >> 8;
	buf[9] = m->secs & 0xff;
	memcpy(buf + DHCP_OFF_CIADDR, &m->ciaddr, 4);
	memcpy(buf + DHCP_OFF_YIADDR, &m->yiaddr, 4);
	memcpy(buf + DHCP_OFF_SIADDR, &m->siaddr, 4);
	/* Message type first, like real clients. */
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, DHO_MSG_TYPE, &n);
	if (v && dhcp_build_opt(&b, DHO_MSG_TYPE, v, n) < 0)
		return 0;
	for (int c = 1; c < 255; c++) {
		if (c == DHO_MSG_TYPE || !(v = dhcp_opt_get(m, (uint8_t)c, &n)))
			continue;
		if (dhcp_build_opt(&b, (uint8_t)c, v, n) < 0)
			return 0;
	}
	return dhcp_build_finish(&b);
}
