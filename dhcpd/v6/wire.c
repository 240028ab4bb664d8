/* SPDX-License-Identifier: MIT */
/* DHCPv6 parsing and building. RFC 8415 §8 (client/server format), §9
 * (relay format), §21 (options), §19 (relay agent behaviour); RFC 5970
 * (options 59-62), RFC 6939 (option 79). */
#include <errno.h>
#include <string.h>

#include "wire.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* ------------------------------------------------------------- walking */

int dhcp6_opt_next(const uint8_t *buf, size_t len, size_t *off, uint16_t *code,
		   struct dhcp6_bytes *val)
{
	size_t i = *off;
	if (i >= len)
		return 0;
	/* §21.1: code and length are 16 bits each; the value follows. */
	if (len - i < DHCP6_OPT_HDR_LEN)
		return -EINVAL;
	size_t n = get16(buf + i + 2);
	if (len - i - DHCP6_OPT_HDR_LEN < n)
		return -EINVAL;
	*code = get16(buf + i);
	val->data = buf + i + DHCP6_OPT_HDR_LEN;
	val->len = n;
	*off = i + DHCP6_OPT_HDR_LEN + n;
	return 1;
}

int dhcp6_item_next(const uint8_t *buf, size_t len, size_t *off, struct dhcp6_bytes *item)
{
	size_t i = *off;
	if (i >= len)
		return 0;
	if (len - i < 2 || len - i - 2 < get16(buf + i))
		return -EINVAL;
	item->data = buf + i + 2;
	item->len = get16(buf + i);
	*off = i + 2 + item->len;
	return 1;
}

static bool items_ok(const uint8_t *buf, size_t len)
{
	size_t off = 0;
	struct dhcp6_bytes it;
	int r;
	while ((r = dhcp6_item_next(buf, len, &off, &it)) > 0)
		;
	return r == 0;
}

/* ------------------------------------------------------------- options */

/* §21.13: status-code (2 bytes) and a UTF-8 message. */
static int take_status(const struct dhcp6_bytes *v, struct dhcp6_status_opt *s)
{
	if (v->len < 2)
		return -EINVAL;
	if (s->present)
		return 0;
	s->present = true;
	s->code = get16(v->data);
	s->msg.data = v->data + 2;
	s->msg.len = v->len - 2;
	return 0;
}

/* §21.6: IAADDR is address, preferred and valid lifetimes, options. */
static int take_iaaddr(const struct dhcp6_bytes *v, struct dhcp6_ia_na *ia, uint16_t *bad)
{
	if (v->len < 24)
		return -EINVAL;
	if (ia->n_addrs == DHCP6_MAX_IAADDR) {
		ia->addrs_truncated = true;
		return 0;
	}
	struct dhcp6_iaaddr *a = &ia->addrs[ia->n_addrs++];
	memcpy(a->addr, v->data, 16);
	a->preferred = get32(v->data + 16);
	a->valid = get32(v->data + 20);
	size_t off = 0;
	uint16_t code;
	struct dhcp6_bytes o;
	int r;
	while ((r = dhcp6_opt_next(v->data + 24, v->len - 24, &off, &code, &o)) > 0) {
		if (code == D6O_STATUS_CODE && take_status(&o, &a->status) < 0) {
			*bad = code;
			return -EINVAL;
		}
	}
	return r;
}

/* §21.4: IA_NA is IAID, T1, T2, then IAADDR and status options. */
static int take_ia_na(const struct dhcp6_bytes *v, struct dhcp6_msg *m)
{
	if (v->len < 12)
		return -EINVAL;
	if (m->n_ia_na == DHCP6_MAX_IA) {
		m->ia_na_truncated = true;
		return 0;
	}
	struct dhcp6_ia_na *ia = &m->ia_na[m->n_ia_na++];
	ia->iaid = get32(v->data);
	ia->t1 = get32(v->data + 4);
	ia->t2 = get32(v->data + 8);
	size_t off = 0;
	uint16_t code;
	struct dhcp6_bytes o;
	int r;
	while ((r = dhcp6_opt_next(v->data + 12, v->len - 12, &off, &code, &o)) > 0) {
		int e = 0;
		if (code == D6O_IAADDR)
			e = take_iaaddr(&o, ia, &m->bad_code);
		else if (code == D6O_STATUS_CODE)
			e = take_status(&o, &ia->status);
		if (e < 0) {
			if (!m->bad_code)
				m->bad_code = code;
			return e;
		}
	}
	return r;
}

static int take_oro(const struct dhcp6_bytes *v, struct dhcp6_msg *m)
{
	/* §21.7: a list of 16-bit codes. */
	if (v->len % 2)
		return -EINVAL;
	if (m->has_oro)
		return 0;
	m->has_oro = true;
	for (size_t i = 0; i + 1 < v->len; i += 2) {
		if (m->n_oro == DHCP6_MAX_ORO) {
			m->oro_truncated = true;
			break;
		}
		m->oro[m->n_oro++] = get16(v->data + i);
	}
	return 0;
}

/* §21.16: enterprise number, then items. A client may send one per
 * enterprise: keep the first, unless a later one is the PXE one (343). */
static int take_vendor_class(const struct dhcp6_bytes *v, struct dhcp6_msg *m)
{
	if (v->len < 4 || !items_ok(v->data + 4, v->len - 4))
		return -EINVAL;
	uint32_t ent = get32(v->data);
	if (m->has_vendor_class &&
	    (m->vendor_enterprise == DHCP6_ENTERPRISE_INTEL || ent != DHCP6_ENTERPRISE_INTEL))
		return 0;
	m->has_vendor_class = true;
	m->vendor_enterprise = ent;
	m->vendor_class.data = v->data + 4;
	m->vendor_class.len = v->len - 4;
	return 0;
}

static void keep_first(struct dhcp6_bytes *dst, const struct dhcp6_bytes *v)
{
	if (!dst->data)
		*dst = *v;
}

/* One option of a client/server message: checked against its RFC's
 * format, then kept. -EINVAL for a malformed value. */
static int take_opt(uint16_t code, const struct dhcp6_bytes *v, struct dhcp6_msg *m)
{
	switch (code) {
	case D6O_CLIENTID:
	case D6O_SERVERID:
		/* §11.1: a 2-byte type, at most 128 bytes after it. */
		if (v->len < 2 || v->len > DHCP6_MAX_DUID)
			return -EINVAL;
		keep_first(code == D6O_CLIENTID ? &m->client_id : &m->server_id, v);
		return 0;
	case D6O_IA_NA: return take_ia_na(v, m);
	case D6O_ORO: return take_oro(v, m);
	case D6O_PREFERENCE:
		if (v->len != 1)
			return -EINVAL;
		m->has_preference = true;
		m->preference = v->data[0];
		return 0;
	case D6O_ELAPSED_TIME:
		if (v->len != 2)
			return -EINVAL;
		if (!m->has_elapsed)
			m->elapsed = get16(v->data);
		m->has_elapsed = true;
		return 0;
	case D6O_STATUS_CODE: return take_status(v, &m->status);
	case D6O_RAPID_COMMIT:
		if (v->len != 0) /* §21.14: no value */
			return -EINVAL;
		m->rapid_commit = true;
		return 0;
	case D6O_USER_CLASS:
	case D6O_BOOTFILE_PARAM:
		/* §21.15, RFC 5970 §3.2: {u16 length, data} items. */
		if (!items_ok(v->data, v->len))
			return -EINVAL;
		keep_first(code == D6O_USER_CLASS ? &m->user_class : &m->bootfile_param, v);
		return 0;
	case D6O_VENDOR_CLASS: return take_vendor_class(v, m);
	case D6O_BOOTFILE_URL: keep_first(&m->bootfile_url, v); return 0;
	case D6O_CLIENT_ARCH_TYPE:
		/* RFC 5970 §3.3: one or more 16-bit types. */
		if (v->len == 0 || v->len % 2)
			return -EINVAL;
		keep_first(&m->arch, v);
		return 0;
	case D6O_NII:
		if (v->len != 3) /* RFC 5970 §3.4: type, major, minor */
			return -EINVAL;
		keep_first(&m->nii, v);
		return 0;
	default: return 0; /* §16: unknown options are ignored */
	}
}

static int parse_client(const uint8_t *buf, size_t len, struct dhcp6_msg *m)
{
	if (len < DHCP6_HDR_LEN)
		return -EINVAL;
	m->type = buf[0];
	m->xid = get32(buf) & 0xffffff;
	m->body.data = buf;
	m->body.len = len;
	size_t off = DHCP6_HDR_LEN;
	uint16_t code;
	struct dhcp6_bytes v;
	int r;
	while ((r = dhcp6_opt_next(buf, len, &off, &code, &v)) > 0) {
		if (take_opt(code, &v, m) < 0) {
			if (!m->bad_code)
				m->bad_code = code;
			return -EINVAL;
		}
	}
	return r;
}

static bool is_relay(uint8_t type)
{
	return type == DHCP6_RELAY_FORW || type == DHCP6_RELAY_REPL;
}

/* One relay layer (§9.1): its header and options 9, 18, 79. Sets *inner
 * to the relay message. */
static int parse_relay(const uint8_t *buf, size_t len, struct dhcp6_relay *rl,
		       struct dhcp6_bytes *inner, uint16_t *bad)
{
	if (len < DHCP6_RELAY_HDR_LEN)
		return -EINVAL;
	rl->type = buf[0];
	rl->hop_count = buf[1];
	memcpy(rl->link, buf + 2, 16);
	memcpy(rl->peer, buf + 18, 16);
	inner->data = NULL;
	size_t off = DHCP6_RELAY_HDR_LEN;
	uint16_t code;
	struct dhcp6_bytes v;
	int r;
	while ((r = dhcp6_opt_next(buf, len, &off, &code, &v)) > 0) {
		if (code == D6O_RELAY_MSG) {
			keep_first(inner, &v);
		} else if (code == D6O_INTERFACE_ID) {
			keep_first(&rl->interface_id, &v);
		} else if (code == D6O_CLIENT_LINKLAYER_ADDR) {
			/* RFC 6939 §4: link-layer type, then the address. */
			if (v.len < 2) {
				*bad = code;
				return -EINVAL;
			}
			if (!rl->has_lladdr) {
				rl->has_lladdr = true;
				rl->lladdr_type = get16(v.data);
				rl->lladdr.data = v.data + 2;
				rl->lladdr.len = v.len - 2;
			}
		}
	}
	if (r == 0 && !inner->data) {
		*bad = D6O_RELAY_MSG;
		return -EINVAL;
	}
	return r;
}

int dhcp6_parse(const uint8_t *buf, size_t len, struct dhcp6_msg *m)
{
	memset(m, 0, sizeof(*m));
	if (len < DHCP6_HDR_LEN || len > DHCP6_MAX_MSG)
		return -EINVAL;
	/* Unwrap relays iteratively: every layer must be of the outermost
	 * one's kind (RELAY-FORW carries a client message or another
	 * RELAY-FORW, §19.1.2), and the depth is bounded (§7.6). */
	uint8_t kind = buf[0];
	while (is_relay(buf[0])) {
		if (buf[0] != kind)
			return -EINVAL;
		if (m->n_relays == DHCP6_MAX_RELAYS)
			return -ELOOP;
		struct dhcp6_bytes inner;
		int r = parse_relay(buf, len, &m->relays[m->n_relays], &inner, &m->bad_code);
		if (r < 0)
			return r;
		m->n_relays++;
		buf = inner.data;
		len = inner.len;
		if (len < 1)
			return -EINVAL;
	}
	return parse_client(buf, len, m);
}

bool dhcp6_oro_has(const struct dhcp6_msg *m, uint16_t code)
{
	for (size_t i = 0; i < m->n_oro; i++)
		if (m->oro[i] == code)
			return true;
	return false;
}

const char *dhcp6_msg_type_name(int type)
{
	static const char *const names[] = {
		"unknown",    "solicit",    "advertise",   "request",
		"confirm",    "renew",      "rebind",      "reply",
		"release",    "decline",    "reconfigure", "information-request",
		"relay-forw", "relay-repl",
	};
	return type > 0 && type <= DHCP6_RELAY_REPL ? names[type] : "unknown";
}

/* ---------------------------------------------------------------- DUID */

int dhcp6_duid_type(const uint8_t *duid, size_t len)
{
	return duid && len >= 2 ? get16(duid) : 0;
}

bool dhcp6_duid_mac(const uint8_t *duid, size_t len, uint8_t mac[6])
{
	/* §11.2 DUID-LLT: type, hardware type, time, address; §11.4
	 * DUID-LL: type, hardware type, address. */
	size_t at;
	switch (dhcp6_duid_type(duid, len)) {
	case DHCP6_DUID_LLT: at = 8; break;
	case DHCP6_DUID_LL: at = 4; break;
	default: return false;
	}
	if (len != at + 6 || get16(duid + 2) != DHCP6_HWTYPE_ETHERNET)
		return false;
	memcpy(mac, duid + at, 6);
	return true;
}

bool dhcp6_client_mac(const struct dhcp6_msg *m, uint8_t mac[6])
{
	/* RFC 6939 §4: the first-hop relay (innermost layer) adds it. */
	if (m->n_relays) {
		const struct dhcp6_relay *r = &m->relays[m->n_relays - 1];
		if (r->has_lladdr && r->lladdr_type == DHCP6_HWTYPE_ETHERNET &&
		    r->lladdr.len == 6) {
			memcpy(mac, r->lladdr.data, 6);
			return true;
		}
	}
	return dhcp6_duid_mac(m->client_id.data, m->client_id.len, mac);
}

/* ------------------------------------------------------------ building */

static int nospc(struct dhcp6_builder *b)
{
	b->overflow = true;
	return -ENOSPC;
}

/* Whether n more bytes fit (callers keep n small: no option is longer
 * than 0xffff + 4 bytes). */
static bool room(struct dhcp6_builder *b, size_t n)
{
	if (b->cap - b->len >= n)
		return true;
	b->overflow = true;
	return false;
}

int dhcp6_build_start(struct dhcp6_builder *b, uint8_t *buf, size_t cap, uint8_t type, uint32_t xid)
{
	b->buf = buf;
	b->cap = cap;
	b->len = 0;
	b->depth = 0;
	b->overflow = false;
	if (!room(b, DHCP6_HDR_LEN))
		return nospc(b);
	put32(buf, xid & 0xffffff);
	buf[0] = type;
	b->len = DHCP6_HDR_LEN;
	return 0;
}

int dhcp6_build_opt(struct dhcp6_builder *b, uint16_t code, const void *val, size_t len)
{
	if (len > 0xffff || !room(b, DHCP6_OPT_HDR_LEN + len))
		return nospc(b);
	put16(b->buf + b->len, code);
	put16(b->buf + b->len + 2, (uint16_t)len);
	if (len)
		memcpy(b->buf + b->len + DHCP6_OPT_HDR_LEN, val, len);
	b->len += DHCP6_OPT_HDR_LEN + len;
	return 0;
}

int dhcp6_build_open(struct dhcp6_builder *b, uint16_t code, const void *fixed, size_t len)
{
	if (b->depth == DHCP6_BUILD_DEPTH)
		return -EINVAL;
	size_t at = b->len;
	int r = dhcp6_build_opt(b, code, fixed, len);
	if (r < 0)
		return r;
	b->open[b->depth++] = at;
	return 0;
}

void dhcp6_build_close(struct dhcp6_builder *b)
{
	if (!b->depth)
		return;
	size_t at = b->open[--b->depth];
	size_t n = b->len - at - DHCP6_OPT_HDR_LEN;
	/* An option's length is 16 bits: a container grown past it (only
	 * with a cap over 64 KiB) makes the message unusable. */
	if (n > 0xffff)
		b->overflow = true;
	put16(b->buf + at + 2, (uint16_t)n);
}

int dhcp6_build_u8(struct dhcp6_builder *b, uint16_t code, uint8_t v)
{
	return dhcp6_build_opt(b, code, &v, 1);
}

int dhcp6_build_u16(struct dhcp6_builder *b, uint16_t code, uint16_t v)
{
	uint8_t p[2];
	put16(p, v);
	return dhcp6_build_opt(b, code, p, 2);
}

int dhcp6_build_u32(struct dhcp6_builder *b, uint16_t code, uint32_t v)
{
	uint8_t p[4];
	put32(p, v);
	return dhcp6_build_opt(b, code, p, 4);
}

int dhcp6_build_status(struct dhcp6_builder *b, uint16_t status, const char *msg)
{
	size_t n = msg ? strlen(msg) : 0;
	if (n > 0xffff - 2 || !room(b, DHCP6_OPT_HDR_LEN + 2 + n))
		return nospc(b);
	uint8_t *p = b->buf + b->len;
	put16(p, D6O_STATUS_CODE);
	put16(p + 2, (uint16_t)(2 + n));
	put16(p + 4, status);
	if (n)
		memcpy(p + 6, msg, n);
	b->len += DHCP6_OPT_HDR_LEN + 2 + n;
	return 0;
}

/* The size of an IA_NA with these contents, to check the room before
 * writing any of it. */
static size_t ia_na_size(size_t n, uint16_t status, const char *msg)
{
	size_t s = DHCP6_OPT_HDR_LEN + 12 + n * (DHCP6_OPT_HDR_LEN + 24);
	if (status || !n)
		s += DHCP6_OPT_HDR_LEN + 2 + (msg ? strlen(msg) : 0);
	return s;
}

int dhcp6_build_ia_na(struct dhcp6_builder *b, uint32_t iaid, uint32_t t1, uint32_t t2,
		      const struct dhcp6_iaaddr *addrs, size_t n, uint16_t status, const char *msg)
{
	if (b->depth == DHCP6_BUILD_DEPTH)
		return -EINVAL;
	if (n > DHCP6_MAX_MSG || (msg && strlen(msg) > DHCP6_MAX_MSG) ||
	    !room(b, ia_na_size(n, status, msg)))
		return nospc(b);
	uint8_t fixed[24];
	put32(fixed, iaid);
	put32(fixed + 4, t1);
	put32(fixed + 8, t2);
	dhcp6_build_open(b, D6O_IA_NA, fixed, 12);
	for (size_t i = 0; i < n; i++) {
		memcpy(fixed, addrs[i].addr, 16);
		put32(fixed + 16, addrs[i].preferred);
		put32(fixed + 20, addrs[i].valid);
		dhcp6_build_opt(b, D6O_IAADDR, fixed, 24);
	}
	/* §21.13: a status inside the IA tells this IA's outcome. */
	if (status || !n)
		dhcp6_build_status(b, status, msg);
	dhcp6_build_close(b);
	return 0;
}

int dhcp6_build_items(struct dhcp6_builder *b, uint16_t code, bool has_ent, uint32_t ent,
		      const char *const *items, size_t n)
{
	size_t need = has_ent ? 4 : 0;
	for (size_t i = 0; i < n; i++)
		need += 2 + strlen(items[i]);
	if (need > 0xffff || !room(b, DHCP6_OPT_HDR_LEN + need))
		return nospc(b);
	uint8_t *p = b->buf + b->len;
	put16(p, code);
	put16(p + 2, (uint16_t)need);
	p += DHCP6_OPT_HDR_LEN;
	if (has_ent) {
		put32(p, ent);
		p += 4;
	}
	for (size_t i = 0; i < n; i++) {
		size_t k = strlen(items[i]);
		put16(p, (uint16_t)k);
		memcpy(p + 2, items[i], k);
		p += 2 + k;
	}
	b->len += DHCP6_OPT_HDR_LEN + need;
	return 0;
}

int dhcp6_build_addrs(struct dhcp6_builder *b, uint16_t code, const uint8_t (*addrs)[16], size_t n)
{
	if (n > 0xffff / 16)
		return nospc(b);
	return dhcp6_build_opt(b, code, addrs, 16 * n);
}

int dhcp6_build_finish(struct dhcp6_builder *b)
{
	while (b->depth)
		dhcp6_build_close(b);
	return b->overflow ? -ENOSPC : (int)b->len;
}

/* ---------------------------------------------------------------- relay */

/* Bytes one RELAY-REPL layer adds around its relay message. */
static size_t layer_size(const struct dhcp6_relay *r)
{
	size_t n = DHCP6_RELAY_HDR_LEN + DHCP6_OPT_HDR_LEN;
	if (r->interface_id.data)
		n += DHCP6_OPT_HDR_LEN + r->interface_id.len;
	return n;
}

int dhcp6_wrap_relay_reply(const struct dhcp6_msg *req, const uint8_t *reply, size_t len,
			   uint8_t *out, size_t cap)
{
	size_t hdrs = 0;
	for (size_t i = 0; i < req->n_relays; i++)
		hdrs += layer_size(&req->relays[i]);
	if (hdrs + len > cap || hdrs + len > DHCP6_MAX_MSG)
		return -ENOSPC;
	memmove(out + hdrs, reply, len);
	/* Outermost first: each layer's relay message is everything after
	 * its own header and options. §19.3: the server copies hop-count,
	 * link-address and peer-address, and echoes interface-id. */
	size_t at = 0;
	for (size_t i = 0; i < req->n_relays; i++) {
		const struct dhcp6_relay *r = &req->relays[i];
		uint8_t *p = out + at;
		p[0] = DHCP6_RELAY_REPL;
		p[1] = r->hop_count;
		memcpy(p + 2, r->link, 16);
		memcpy(p + 18, r->peer, 16);
		p += DHCP6_RELAY_HDR_LEN;
		if (r->interface_id.data) {
			put16(p, D6O_INTERFACE_ID);
			put16(p + 2, (uint16_t)r->interface_id.len);
			memcpy(p + DHCP6_OPT_HDR_LEN, r->interface_id.data, r->interface_id.len);
			p += DHCP6_OPT_HDR_LEN + r->interface_id.len;
		}
		at += layer_size(r);
		put16(p, D6O_RELAY_MSG);
		put16(p + 2, (uint16_t)(hdrs + len - at));
	}
	return (int)(hdrs + len);
}
