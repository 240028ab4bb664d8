/* SPDX-License-Identifier: MIT */
/* Lease store: two chained hash tables (client key, address), a record
 * vector for iteration, and per-range bitmaps of unavailable addresses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leases.h"
#include "leases6.h"

struct range {
	uint32_t start, size;
	uint64_t *used; /* 1: held by a live record, reserved, or padding */
	uint64_t *rsv;  /* 1: reserved (never dynamic) */
	uint32_t cursor;
	uint32_t nfree;
};

struct dhcp_leases {
	struct dhcp_lease **kb, **ab; /* buckets */
	size_t nbuckets;              /* power of two, both tables */
	struct dhcp_lease **all;
	size_t n, cap;
	struct range *ranges;
	size_t nranges;
	struct dhcp6_leases *v6;
};

static uint32_t hash_key(const uint8_t *k, size_t n)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < n; i++)
		h = (h ^ k[i]) * 16777619u;
	return h;
}

static uint32_t hash_addr(uint32_t a)
{
	a ^= a >> 16;
	a *= 0x45d9f3bu;
	a ^= a >> 16;
	return a;
}

struct dhcp_leases *dhcp_leases_new(void)
{
	struct dhcp_leases *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->nbuckets = 1024;
	s->kb = calloc(s->nbuckets, sizeof(*s->kb));
	s->ab = calloc(s->nbuckets, sizeof(*s->ab));
	s->v6 = dhcp6_leases_new();
	if (!s->kb || !s->ab || !s->v6) {
		dhcp_leases_free(s);
		return NULL;
	}
	return s;
}

static void free_ranges(struct dhcp_leases *s)
{
	for (size_t i = 0; i < s->nranges; i++) {
		free(s->ranges[i].used);
		free(s->ranges[i].rsv);
	}
	free(s->ranges);
	s->ranges = NULL;
	s->nranges = 0;
}

void dhcp_leases_free(struct dhcp_leases *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->all[i]);
	free(s->all);
	free(s->kb);
	free(s->ab);
	free_ranges(s);
	dhcp6_leases_free(s->v6);
	free(s);
}

size_t dhcp_client_key(const uint8_t *cid, size_t cid_len, uint8_t htype, const uint8_t *chaddr,
		       uint8_t hlen, uint8_t *key)
{
	if (cid && cid_len > 0) {
		size_t n = cid_len < DHCP_KEY_MAX ? cid_len : DHCP_KEY_MAX;
		memcpy(key, cid, n);
		return n;
	}
	/* Same shape as the option 61 most clients send (RFC 2132 §9.14). */
	if (hlen > 16)
		hlen = 16;
	key[0] = htype;
	memcpy(key + 1, chaddr, hlen);
	return (size_t)hlen + 1;
}

/* ---- ranges and bitmaps ---- */

static bool bit_get(const uint64_t *b, uint32_t i)
{
	return b[i / 64] >> (i % 64) & 1;
}

static void bit_put(uint64_t *b, uint32_t i, bool v)
{
	if (v)
		b[i / 64] |= 1ull << (i % 64);
	else
		b[i / 64] &= ~(1ull << (i % 64));
}

static struct range *range_for(const struct dhcp_leases *s, uint32_t addr, uint32_t *off)
{
	for (size_t i = 0; i < s->nranges; i++) {
		struct range *r = &s->ranges[i];
		if (addr - r->start < r->size) {
			*off = addr - r->start;
			return r;
		}
	}
	return NULL;
}

int dhcp_leases_range_of(const struct dhcp_leases *s, uint32_t addr)
{
	for (size_t i = 0; i < s->nranges; i++)
		if (addr - s->ranges[i].start < s->ranges[i].size)
			return (int)i;
	return -1;
}

/* Mark addr held (true) or free (false); reserved addresses stay held. */
static void mark(struct dhcp_leases *s, uint32_t addr, bool held)
{
	uint32_t off;
	struct range *r = range_for(s, addr, &off);
	if (!r)
		return;
	held = held || bit_get(r->rsv, off);
	if (bit_get(r->used, off) == held)
		return;
	bit_put(r->used, off, held);
	if (held)
		r->nfree--;
	else
		r->nfree++;
}

static bool state_holds(uint8_t st)
{
	return st == LEASE_OFFERED || st == LEASE_BOUND || st == LEASE_DECLINED;
}

static int range_init(struct range *r, const struct dhcp_range_def *d)
{
	uint64_t size = (uint64_t)d->end - d->start + 1;
	if (d->end < d->start || size > (1u << 24))
		return -EINVAL;
	size_t words = (size_t)(size + 63) / 64;
	r->start = d->start;
	r->size = (uint32_t)size;
	r->used = calloc(words, 8);
	r->rsv = calloc(words, 8);
	if (!r->used || !r->rsv)
		return -ENOMEM;
	for (uint64_t i = size; i < (uint64_t)words * 64; i++) /* padding is never free */
		bit_put(r->used, (uint32_t)i, true);
	r->nfree = r->size;
	r->cursor = 0;
	return 0;
}

int dhcp_leases_set_ranges(struct dhcp_leases *s, const struct dhcp_range_def *d, size_t n,
			   const uint32_t *reserved, size_t n_reserved)
{
	free_ranges(s);
	s->ranges = calloc(n ? n : 1, sizeof(*s->ranges));
	if (!s->ranges)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		s->nranges = i + 1;
		int r = range_init(&s->ranges[i], &d[i]);
		if (r < 0) {
			free_ranges(s);
			return r;
		}
	}
	for (size_t i = 0; i < n_reserved; i++) {
		uint32_t off;
		struct range *r = range_for(s, reserved[i], &off);
		if (r) {
			bit_put(r->rsv, off, true);
			mark(s, reserved[i], true);
		}
	}
	for (size_t i = 0; i < s->n; i++)
		if (state_holds(s->all[i]->state))
			mark(s, s->all[i]->addr, true);
	return 0;
}

size_t dhcp_leases_nranges(const struct dhcp_leases *s)
{
	return s->nranges;
}

size_t dhcp_leases_range_free(const struct dhcp_leases *s, size_t i)
{
	return i < s->nranges ? s->ranges[i].nfree : 0;
}

/* First clear bit in [from, to), or -1. Whole words at a time. */
static int64_t find_zero(const uint64_t *b, uint32_t from, uint32_t to)
{
	uint32_t i = from;
	while (i < to) {
		uint64_t w = ~b[i / 64] & (~0ull << (i % 64));
		if (w) {
			uint32_t bit = (i & ~63u) + (uint32_t)__builtin_ctzll(w);
			return bit < to ? (int64_t)bit : -1;
		}
		i = (i & ~63u) + 64;
	}
	return -1;
}

int dhcp_leases_alloc(struct dhcp_leases *s, size_t first, size_t n, uint32_t *addr)
{
	for (size_t k = 0; k < n && first + k < s->nranges; k++) {
		struct range *r = &s->ranges[first + k];
		if (!r->nfree)
			continue;
		int64_t i = find_zero(r->used, r->cursor, r->size);
		if (i < 0)
			i = find_zero(r->used, 0, r->cursor);
		if (i < 0)
			continue;
		r->cursor = (uint32_t)i + 1 < r->size ? (uint32_t)i + 1 : 0;
		*addr = r->start + (uint32_t)i;
		return 0;
	}
	return -ENOSPC;
}

/* ---- hash tables ---- */

static size_t kslot(const struct dhcp_leases *s, const uint8_t *k, size_t n)
{
	return hash_key(k, n) & (s->nbuckets - 1);
}

static size_t aslot(const struct dhcp_leases *s, uint32_t a)
{
	return hash_addr(a) & (s->nbuckets - 1);
}

static void klink(struct dhcp_leases *s, struct dhcp_lease *l)
{
	size_t i = kslot(s, l->key, l->key_len);
	l->knext = s->kb[i];
	s->kb[i] = l;
	l->keyed = true;
}

static void kunlink(struct dhcp_leases *s, struct dhcp_lease *l)
{
	if (!l->keyed)
		return;
	struct dhcp_lease **p = &s->kb[kslot(s, l->key, l->key_len)];
	while (*p && *p != l)
		p = &(*p)->knext;
	if (*p)
		*p = l->knext;
	l->keyed = false;
}

static void alink(struct dhcp_leases *s, struct dhcp_lease *l)
{
	size_t i = aslot(s, l->addr);
	l->anext = s->ab[i];
	s->ab[i] = l;
}

static void aunlink(struct dhcp_leases *s, struct dhcp_lease *l)
{
	struct dhcp_lease **p = &s->ab[aslot(s, l->addr)];
	while (*p && *p != l)
		p = &(*p)->anext;
	if (*p)
		*p = l->anext;
}

static int grow(struct dhcp_leases *s)
{
	size_t nb = s->nbuckets * 2;
	struct dhcp_lease **kb = calloc(nb, sizeof(*kb)), **ab = calloc(nb, sizeof(*ab));
	if (!kb || !ab) {
		free(kb);
		free(ab);
		return -ENOMEM;
	}
	free(s->kb);
	free(s->ab);
	s->kb = kb;
	s->ab = ab;
	s->nbuckets = nb;
	for (size_t i = 0; i < s->n; i++) {
		if (s->all[i]->keyed)
			klink(s, s->all[i]);
		alink(s, s->all[i]);
	}
	return 0;
}

struct dhcp_lease *dhcp_lease_by_client(const struct dhcp_leases *s, const uint8_t *key, size_t len)
{
	for (struct dhcp_lease *l = s->kb[kslot(s, key, len)]; l; l = l->knext)
		if (l->key_len == len && !memcmp(l->key, key, len))
			return l;
	return NULL;
}

struct dhcp_lease *dhcp_lease_by_addr(const struct dhcp_leases *s, uint32_t addr)
{
	for (struct dhcp_lease *l = s->ab[aslot(s, addr)]; l; l = l->anext)
		if (l->addr == addr)
			return l;
	return NULL;
}

bool dhcp_lease_active(const struct dhcp_lease *l, int64_t now)
{
	return state_holds(l->state) && l->expires > now;
}

bool dhcp_leases_addr_available(const struct dhcp_leases *s, uint32_t addr, const uint8_t *key,
				size_t key_len, int64_t now, bool reserved_ok)
{
	struct dhcp_lease *l = dhcp_lease_by_addr(s, addr);
	if (l && dhcp_lease_active(l, now) &&
	    !(l->keyed && l->key_len == key_len && !memcmp(l->key, key, key_len)))
		return false;
	uint32_t off;
	struct range *r = range_for(s, addr, &off);
	if (!r)
		return reserved_ok;
	return reserved_ok || !bit_get(r->rsv, off);
}

void dhcp_leases_remove(struct dhcp_leases *s, struct dhcp_lease *l)
{
	if (state_holds(l->state))
		mark(s, l->addr, false);
	kunlink(s, l);
	aunlink(s, l);
	size_t i = l->idx;
	s->all[i] = s->all[--s->n];
	s->all[i]->idx = i;
	free(l);
}

static struct dhcp_lease *new_record(struct dhcp_leases *s, const uint8_t *key, size_t key_len)
{
	if (s->n + 1 > s->nbuckets && grow(s) < 0)
		return NULL;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct dhcp_lease **na = realloc(s->all, nc * sizeof(*na));
		if (!na)
			return NULL;
		s->all = na;
		s->cap = nc;
	}
	struct dhcp_lease *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->key_len = (uint8_t)(key_len < DHCP_KEY_MAX ? key_len : DHCP_KEY_MAX);
	if (l->key_len)
		memcpy(l->key, key, l->key_len);
	l->state = LEASE_EXPIRED;
	l->idx = s->n;
	s->all[s->n++] = l;
	if (l->key_len)
		klink(s, l);
	return l;
}

struct dhcp_lease *dhcp_leases_take(struct dhcp_leases *s, const uint8_t *key, size_t key_len,
				    uint32_t addr, enum dhcp_lease_state st, int64_t expires)
{
	struct dhcp_lease *l = key_len ? dhcp_lease_by_client(s, key, key_len) : NULL;
	struct dhcp_lease *other = dhcp_lease_by_addr(s, addr);
	if (other && other != l)
		dhcp_leases_remove(s, other);
	if (!l) {
		l = new_record(s, key, key_len);
		if (!l)
			return NULL;
		l->addr = addr;
		alink(s, l);
	} else if (l->addr != addr) {
		if (state_holds(l->state))
			mark(s, l->addr, false);
		aunlink(s, l);
		l->addr = addr;
		alink(s, l);
		l->state = LEASE_EXPIRED;
		l->probing = false;
	}
	dhcp_lease_set_state(s, l, st, expires);
	return l;
}

void dhcp_lease_set_state(struct dhcp_leases *s, struct dhcp_lease *l, enum dhcp_lease_state st,
			  int64_t expires)
{
	bool was = state_holds(l->state), now = state_holds(st);
	if (st != LEASE_OFFERED)
		l->probing = false;
	l->state = (uint8_t)st;
	l->expires = expires;
	if (was != now)
		mark(s, l->addr, now);
}

void dhcp_lease_decline(struct dhcp_leases *s, struct dhcp_lease *l, int64_t until)
{
	kunlink(s, l);
	l->hostname[0] = '\0';
	dhcp_lease_set_state(s, l, LEASE_DECLINED, until);
}

size_t dhcp_leases_expire(struct dhcp_leases *s, int64_t now,
			  void (*cb)(void *ctx, struct dhcp_lease *l), void *ctx)
{
	size_t changed = 0;
	for (size_t i = 0; i < s->n;) {
		struct dhcp_lease *l = s->all[i];
		if (!state_holds(l->state) || l->expires > now) {
			i++;
			continue;
		}
		changed++;
		if (l->state == LEASE_DECLINED) {
			dhcp_leases_remove(s, l); /* the last record moved to i */
			continue;
		}
		if (l->state == LEASE_BOUND && cb)
			cb(ctx, l);
		dhcp_lease_set_state(s, l, LEASE_EXPIRED, l->expires);
		i++;
	}
	return changed;
}

size_t dhcp_leases_count(const struct dhcp_leases *s)
{
	return s->n;
}

size_t dhcp_leases_count_all(const struct dhcp_leases *s)
{
	return s->n + dhcp6_leases_count(s->v6);
}

struct dhcp6_leases *dhcp_leases_v6(const struct dhcp_leases *s)
{
	return s->v6;
}

struct dhcp_lease *dhcp_leases_at(const struct dhcp_leases *s, size_t i)
{
	return i < s->n ? s->all[i] : NULL;
}

const char *dhcp_lease_state_name(int st)
{
	static const char *const n[] = {"offered", "bound", "released", "expired", "declined"};
	return st >= 0 && st <= LEASE_DECLINED ? n[st] : "unknown";
}

static int64_t shifted(int64_t t, int64_t delta)
{
	return t == DHCP_LEASE_INFINITE ? t : t + delta;
}

void dhcp_leases_shift(struct dhcp_leases *s, int64_t delta)
{
	for (size_t i = 0; i < s->n; i++)
		s->all[i]->expires = shifted(s->all[i]->expires, delta);
	for (size_t i = 0; i < dhcp6_leases_count(s->v6); i++) {
		struct dhcp6_lease *l = dhcp6_leases_at(s->v6, i);
		l->expires = shifted(l->expires, delta);
	}
}
