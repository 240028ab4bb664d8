/* SPDX-License-Identifier: MIT */
/* Router advertisements, pure (see ra.h): RFC 4861 §4.2 message, §4.6
 * options, §6.1.1 RS validity, §6.2.4 and §6.2.6 timing. */
#include <string.h>

#include "v6/ra.h"

#define ND_RS_TYPE       133
#define ND_RA_TYPE       134
#define OPT_SLLA         1 /* §4.6.1 source link-layer address */
#define OPT_PREFIX       3 /* §4.6.2 prefix information */
#define OPT_MTU          5 /* §4.6.4 */
#define RA_HOP_LIMIT     64
#define RA_FLAG_M        0x80
#define RA_FLAG_O        0x40
#define PREFIX_FLAG_L    0x80
#define PREFIX_FLAG_A    0x40
#define ND_HOP_LIMIT     255 /* §6.1.1: proof the RS did not cross a router */
#define SLAAC_PREFIX_LEN 64  /* RFC 4862 §5.5.3 d with RFC 4291 §2.5.1 IIDs */

static uint8_t *put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return p + 2;
}

static uint8_t *put32(uint8_t *p, uint32_t v)
{
	p = put16(p, v >> 16);
	return put16(p, v & 0xffff);
}

/* Copy the first len bits of src, zeroes after them (§4.6.2: "the bits in
 * the prefix after the prefix length are reserved and MUST be initialized
 * to zero"). */
static void mask_prefix(uint8_t dst[16], const uint8_t src[16], unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > i * 8 ? len - i * 8 : 0;
		uint8_t m = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
		dst[i] = src[i] & m;
	}
}

static uint8_t *put_prefix(uint8_t *p, const struct dhcp_ra_prefix *x)
{
	uint32_t pref = x->preferred <= x->valid ? x->preferred : x->valid;
	p[0] = OPT_PREFIX;
	p[1] = 4; /* 32 octets in units of 8 */
	p[2] = x->len <= 128 ? x->len : 128;
	p[3] = PREFIX_FLAG_L | (x->autonomous ? PREFIX_FLAG_A : 0);
	p = put32(p + 4, x->valid);
	p = put32(p, pref);
	p = put32(p, 0); /* Reserved2 */
	mask_prefix(p, x->prefix, x->len);
	return p + 16;
}

size_t dhcp_ra_build(uint8_t *buf, size_t cap, const struct dhcp_ra_link *l, bool final)
{
	if (l->n_prefixes > DHCP_RA_MAX_PREFIXES)
		return 0;
	size_t need = 16 + (l->has_mac ? 8 : 0) + (l->mtu ? 8 : 0) + 32 * l->n_prefixes;
	if (cap < need)
		return 0;
	memset(buf, 0, need);
	/* Bytes 2-3, the ICMPv6 checksum, stay 0: the kernel computes it for
	 * raw ICMPv6 sockets (RFC 3542 §3.1), over the source address it
	 * picks itself. */
	buf[0] = ND_RA_TYPE;
	buf[4] = RA_HOP_LIMIT;
	buf[5] = (l->managed ? RA_FLAG_M : 0) | (l->other ? RA_FLAG_O : 0);
	put16(buf + 6, final ? 0 : l->router_lifetime);
	/* Reachable time and retrans timer (8-15): 0, unspecified. */
	uint8_t *p = buf + 16;
	if (l->has_mac) {
		p[0] = OPT_SLLA;
		p[1] = 1;
		memcpy(p + 2, l->mac, 6);
		p += 8;
	}
	if (l->mtu) {
		p[0] = OPT_MTU;
		p[1] = 1;
		p = put32(p + 4, l->mtu);
	}
	for (size_t i = 0; i < l->n_prefixes; i++)
		p = put_prefix(p, &l->prefixes[i]);
	return (size_t)(p - buf);
}

static uint32_t max_interval(uint32_t ms)
{
	return ms ? ms : DHCP_RA_DEFAULT_MAX_INTERVAL_MS;
}

static const char *prefix_problem(const struct dhcp_ra_prefix *x)
{
	if (x->len > 128)
		return "prefix length above 128";
	if (x->preferred > x->valid)
		return "preferred lifetime longer than the valid lifetime (RFC 4861 §4.6.2)";
	if (x->autonomous && x->len != SLAAC_PREFIX_LEN)
		return "an autonomous (SLAAC) prefix must be a /64 (RFC 4862 §5.5.3)";
	return NULL;
}

const char *dhcp_ra_link_problem(const struct dhcp_ra_link *l)
{
	uint32_t max = max_interval(l->max_interval_ms);
	if (l->n_prefixes > DHCP_RA_MAX_PREFIXES)
		return "more than 8 prefixes on one link";
	if (max < DHCP_RA_MIN_MAX_INTERVAL_MS || max > DHCP_RA_MAX_MAX_INTERVAL_MS)
		return "the RA interval must be 4 s to 1800 s (RFC 4861 §6.2.1)";
	if (l->router_lifetime && ((uint64_t)l->router_lifetime * 1000 < max ||
				   l->router_lifetime > DHCP_RA_MAX_ROUTER_LIFETIME))
		return "the router lifetime must be 0 or from the RA interval to 9000 s "
		       "(RFC 4861 §6.2.1)";
	for (size_t i = 0; i < l->n_prefixes; i++) {
		const char *why = prefix_problem(&l->prefixes[i]);
		if (why)
			return why;
	}
	return NULL;
}

bool dhcp_ra_prefix_on_link(const uint8_t prefix[16], uint8_t len, const uint8_t (*addrs)[16],
			    const uint8_t *plens, size_t n)
{
	uint8_t want[16], have[16];
	(void)plens; /* an address inside the prefix is enough, whatever its own length */
	mask_prefix(want, prefix, len);
	for (size_t i = 0; i < n; i++) {
		mask_prefix(have, addrs[i], len);
		if (!memcmp(want, have, 16))
			return true;
	}
	return false;
}

static bool unspecified(const uint8_t a[16])
{
	static const uint8_t zero[16];
	return !memcmp(a, zero, 16);
}

/* §6.1.1: options are well formed, none has length 0; remember the source
 * link-layer address. */
static enum dhcp_ra_rs_verdict rs_options(const uint8_t *buf, size_t len, struct dhcp_ra_rs *out)
{
	for (size_t off = 8; off < len;) {
		if (len - off < 2 || buf[off + 1] == 0 || (size_t)buf[off + 1] * 8 > len - off)
			return DHCP_RA_RS_BAD_OPTION;
		if (buf[off] == OPT_SLLA && buf[off + 1] == 1) {
			out->has_slla = true;
			memcpy(out->slla, buf + off + 2, 6);
		}
		off += (size_t)buf[off + 1] * 8;
	}
	return DHCP_RA_RS_OK;
}

enum dhcp_ra_rs_verdict dhcp_ra_rs_check(const uint8_t *buf, size_t len, int hop_limit,
					 const uint8_t src[16], struct dhcp_ra_rs *out)
{
	struct dhcp_ra_rs rs = {0};
	if (hop_limit != ND_HOP_LIMIT)
		return DHCP_RA_RS_HOP_LIMIT;
	if (len < 8)
		return DHCP_RA_RS_SHORT;
	if (buf[0] != ND_RS_TYPE)
		return DHCP_RA_RS_TYPE;
	if (buf[1] != 0)
		return DHCP_RA_RS_CODE;
	enum dhcp_ra_rs_verdict v = rs_options(buf, len, &rs);
	if (v != DHCP_RA_RS_OK)
		return v;
	if (rs.has_slla && unspecified(src))
		return DHCP_RA_RS_UNSPEC_SLLA;
	if (out)
		*out = rs;
	return DHCP_RA_RS_OK;
}

static const char *const verdict_names[] = {
	[DHCP_RA_RS_OK] = "ok",
	[DHCP_RA_RS_HOP_LIMIT] = "hop-limit-not-255",
	[DHCP_RA_RS_TYPE] = "not-rs",
	[DHCP_RA_RS_CODE] = "code-not-0",
	[DHCP_RA_RS_SHORT] = "short",
	[DHCP_RA_RS_BAD_OPTION] = "bad-option",
	[DHCP_RA_RS_UNSPEC_SLLA] = "unspecified-source-with-lladdr",
};

const char *dhcp_ra_rs_verdict_name(enum dhcp_ra_rs_verdict v)
{
	if ((unsigned)v < sizeof(verdict_names) / sizeof(verdict_names[0]))
		return verdict_names[v];
	return "unknown";
}

/* ---------------------------------------------------------------- timing */

/* §6.2.1: MinRtrAdvInterval defaults to 0.33 × MaxRtrAdvInterval and MUST
 * be at least 3 s. */
static void set_intervals(struct dhcp_ra_sched *s, uint32_t max_interval_ms)
{
	s->max_ms = max_interval(max_interval_ms);
	s->min_ms = (uint32_t)((uint64_t)s->max_ms * 33 / 100);
	if (s->min_ms < DHCP_RA_MIN_DELAY_BETWEEN_MS)
		s->min_ms = DHCP_RA_MIN_DELAY_BETWEEN_MS;
	if (s->min_ms > s->max_ms)
		s->min_ms = s->max_ms;
}

/* A value in [lo, hi], uniform enough for timers. */
static uint32_t pick(uint32_t lo, uint32_t hi, uint32_t rnd)
{
	return lo + (uint32_t)((uint64_t)rnd % ((uint64_t)hi - lo + 1));
}

/* The earliest time the rate limit allows the next multicast RA (§6.2.6:
 * at most one every MIN_DELAY_BETWEEN_RAS). */
static uint64_t rate_limit(const struct dhcp_ra_sched *s, uint64_t t)
{
	if (s->has_last && t < s->last + DHCP_RA_MIN_DELAY_BETWEEN_MS)
		return s->last + DHCP_RA_MIN_DELAY_BETWEEN_MS;
	return t;
}

void dhcp_ra_sched_start(struct dhcp_ra_sched *s, uint32_t max_interval_ms, uint64_t now)
{
	memset(s, 0, sizeof(*s));
	set_intervals(s, max_interval_ms);
	s->next = now;
}

void dhcp_ra_sched_sent(struct dhcp_ra_sched *s, uint64_t now, uint32_t rnd)
{
	uint32_t iv = pick(s->min_ms, s->max_ms, rnd);
	if (s->sent < DHCP_RA_MAX_INITIAL_ADVERTS)
		s->sent++;
	/* §6.2.4: for the first MAX_INITIAL_RTR_ADVERTISEMENTS, an interval
	 * above MAX_INITIAL_RTR_ADVERT_INTERVAL is cut down to it, so a host
	 * that missed the first RA gets another one soon. */
	if (s->sent < DHCP_RA_MAX_INITIAL_ADVERTS && iv > DHCP_RA_MAX_INITIAL_INTERVAL_MS)
		iv = DHCP_RA_MAX_INITIAL_INTERVAL_MS;
	s->has_last = true;
	s->last = now;
	s->rs_pending = false;
	s->next = now + iv;
}

void dhcp_ra_sched_failed(struct dhcp_ra_sched *s, uint64_t now)
{
	s->next = rate_limit(s, now + DHCP_RA_RETRY_MS);
}

void dhcp_ra_sched_rs(struct dhcp_ra_sched *s, uint64_t now, uint32_t rnd)
{
	/* One RA may answer several RSes; its delay counts from the first. */
	if (s->rs_pending)
		return;
	uint32_t delay = pick(0, DHCP_RA_MAX_DELAY_MS, rnd);
	uint64_t t = now + delay;
	/* Rate limited: MIN_DELAY_BETWEEN_RAS plus the random value after the
	 * previous RA (§6.2.6). */
	if (s->has_last && now < s->last + DHCP_RA_MIN_DELAY_BETWEEN_MS)
		t = s->last + DHCP_RA_MIN_DELAY_BETWEEN_MS + delay;
	/* An RA already due sooner answers the RS: the delay is dropped. */
	if (t < s->next)
		s->next = t;
	s->rs_pending = true;
}

void dhcp_ra_sched_update(struct dhcp_ra_sched *s, uint32_t max_interval_ms, bool changed,
			  uint64_t now, uint32_t rnd)
{
	set_intervals(s, max_interval_ms);
	if (changed) {
		/* §6.2.4: new information may be sent like a fresh start. */
		s->sent = 0;
		uint64_t t = rate_limit(s, now);
		if (t < s->next)
			s->next = t;
		return;
	}
	if (s->next > now + s->max_ms)
		s->next = now + pick(s->min_ms, s->max_ms, rnd);
}
