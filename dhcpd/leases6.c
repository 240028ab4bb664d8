/* SPDX-License-Identifier: MIT */
/* DHCPv6 lease store: two chained hash tables ((DUID, IAID) and address),
 * a record vector for iteration, ranges with a cursor and an occupancy
 * count, and a sorted array of reserved addresses. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "leases6.h"

/* A 128-bit address as a number: hi holds bytes 0-7 (network order). */
struct u128 {
	uint64_t hi, lo;
};

struct range6 {
	struct u128 start, end, cursor; /* start <= cursor <= end */
	size_t occ; /* distinct addresses in the range held by a record or reserved */
};

struct dhcp6_leases {
	struct dhcp6_lease **kb, **ab; /* buckets */
	size_t nbuckets;               /* power of two, both tables */
	struct dhcp6_lease **all;
	size_t n, cap;
	struct range6 *ranges;
	size_t nranges;
	struct u128 *rsv; /* sorted, no duplicates */
	size_t nrsv;
};

/* ---- 128-bit arithmetic on two halves ---- */

static struct u128 u128_get(const uint8_t a[16])
{
	struct u128 u = {0, 0};
	for (int i = 0; i < 8; i++) {
		u.hi = u.hi << 8 | a[i];
		u.lo = u.lo << 8 | a[i + 8];
	}
	return u;
}

static void u128_put(struct u128 u, uint8_t a[16])
{
	for (int i = 7; i >= 0; i--) {
		a[i] = (uint8_t)u.hi;
		a[i + 8] = (uint8_t)u.lo;
		u.hi >>= 8;
		u.lo >>= 8;
	}
}

static int u128_cmp(struct u128 a, struct u128 b)
{
	if (a.hi != b.hi)
		return a.hi < b.hi ? -1 : 1;
	return a.lo < b.lo ? -1 : a.lo > b.lo;
}

static bool u128_eq(struct u128 a, struct u128 b)
{
	return a.hi == b.hi && a.lo == b.lo;
}

/* a + 1, the carry going from the low half into the high one */
static struct u128 u128_inc(struct u128 a)
{
	a.lo++;
	if (a.lo == 0)
		a.hi++;
	return a;
}

/* a - b for a >= b, the borrow going from the low half into the high one */
static struct u128 u128_sub(struct u128 a, struct u128 b)
{
	struct u128 d = {a.hi - b.hi, a.lo - b.lo};
	if (a.lo < b.lo)
		d.hi--;
	return d;
}

/* Does the range hold more than k addresses (end - start >= k)? */
static bool range_exceeds(const struct range6 *r, size_t k)
{
	struct u128 span = u128_sub(r->end, r->start);
	return span.hi || span.lo >= (uint64_t)k;
}

static bool in_range(const struct range6 *r, struct u128 a)
{
	return u128_cmp(a, r->start) >= 0 && u128_cmp(a, r->end) <= 0;
}

/* The address after a in r, wrapping from end to start. */
static struct u128 range_next(const struct range6 *r, struct u128 a)
{
	return u128_eq(a, r->end) ? r->start : u128_inc(a);
}

/* ---- hashing ---- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33; /* the MurmurHash3 finaliser: sequential addresses spread out */
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	x ^= x >> 33;
	return x;
}

static size_t aslot(const struct dhcp6_leases *s, const uint8_t a[16])
{
	struct u128 u = u128_get(a);
	return (size_t)mix64(u.lo ^ mix64(u.hi)) & (s->nbuckets - 1);
}

static size_t kslot(const struct dhcp6_leases *s, const uint8_t *duid, size_t len, uint32_t iaid)
{
	uint32_t h = 2166136261u; /* FNV-1a over the DUID, then the IAID */
	for (size_t i = 0; i < len; i++)
		h = (h ^ duid[i]) * 16777619u;
	for (int i = 0; i < 4; i++)
		h = (h ^ (uint8_t)(iaid >> (8 * i))) * 16777619u;
	return h & (s->nbuckets - 1);
}

static size_t duid_clamp(size_t len)
{
	return len < DHCP6_LEASE_DUID_MAX ? len : DHCP6_LEASE_DUID_MAX;
}

/* ---- life ---- */

struct dhcp6_leases *dhcp6_leases_new(void)
{
	struct dhcp6_leases *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->nbuckets = 1024;
	s->kb = calloc(s->nbuckets, sizeof(*s->kb));
	s->ab = calloc(s->nbuckets, sizeof(*s->ab));
	if (!s->kb || !s->ab) {
		dhcp6_leases_free(s);
		return NULL;
	}
	return s;
}

void dhcp6_leases_free(struct dhcp6_leases *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		free(s->all[i]);
	free(s->all);
	free(s->kb);
	free(s->ab);
	free(s->ranges);
	free(s->rsv);
	free(s);
}

/* ---- ranges and reservations ---- */

static bool is_reserved(const struct dhcp6_leases *s, struct u128 a)
{
	size_t lo = 0, hi = s->nrsv;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = u128_cmp(a, s->rsv[mid]);
		if (!c)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static int find_range(const struct dhcp6_leases *s, struct u128 a)
{
	for (size_t i = 0; i < s->nranges; i++)
		if (in_range(&s->ranges[i], a))
			return (int)i;
	return -1;
}

int dhcp6_leases_range_of(const struct dhcp6_leases *s, const uint8_t addr[16])
{
	return find_range(s, u128_get(addr));
}

size_t dhcp6_leases_nranges(const struct dhcp6_leases *s)
{
	return s->nranges;
}

static int cmp_u128(const void *a, const void *b)
{
	return u128_cmp(*(const struct u128 *)a, *(const struct u128 *)b);
}

static int set_reserved(struct dhcp6_leases *s, const uint8_t (*reserved)[16], size_t n)
{
	struct u128 *v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		v[i] = u128_get(reserved[i]);
	qsort(v, n, sizeof(*v), cmp_u128);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || !u128_eq(v[k - 1], v[i]))
			v[k++] = v[i];
	free(s->rsv);
	s->rsv = v;
	s->nrsv = k;
	return 0;
}

/* A reload keeps the cursor of a range that did not change, so that the
 * next allocation does not walk again over the addresses handed out. */
static struct u128 old_cursor(const struct range6 *old, size_t n, const struct range6 *r)
{
	for (size_t i = 0; i < n; i++)
		if (u128_eq(old[i].start, r->start) && u128_eq(old[i].end, r->end))
			return old[i].cursor;
	return r->start;
}

/* Occupancy of every range and each record's range, from scratch. */
static void recount(struct dhcp6_leases *s)
{
	for (size_t i = 0; i < s->nranges; i++)
		s->ranges[i].occ = 0;
	for (size_t i = 0; i < s->nrsv; i++) {
		int r = find_range(s, s->rsv[i]);
		if (r >= 0)
			s->ranges[r].occ++;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct dhcp6_lease *l = s->all[i];
		struct u128 a = u128_get(l->addr);
		l->range = find_range(s, a);
		if (l->range >= 0 && !is_reserved(s, a))
			s->ranges[l->range].occ++;
	}
}

int dhcp6_leases_set_ranges(struct dhcp6_leases *s, const struct dhcp6_range_def *d, size_t n,
			    const uint8_t (*reserved)[16], size_t n_reserved)
{
	struct range6 *nr = calloc(n ? n : 1, sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		nr[i].start = u128_get(d[i].start);
		nr[i].end = u128_get(d[i].end);
		if (u128_cmp(nr[i].end, nr[i].start) < 0) {
			free(nr);
			return -EINVAL;
		}
		nr[i].cursor = old_cursor(s->ranges, s->nranges, &nr[i]);
	}
	if (set_reserved(s, reserved, n_reserved) < 0) {
		free(nr);
		return -ENOMEM;
	}
	free(s->ranges);
	s->ranges = nr;
	s->nranges = n;
	recount(s);
	return 0;
}

/* ---- hash tables ---- */

static void klink(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	size_t i = kslot(s, l->duid, l->duid_len, l->iaid);
	l->knext = s->kb[i];
	s->kb[i] = l;
	l->keyed = true;
}

static void kunlink(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	if (!l->keyed)
		return;
	struct dhcp6_lease **p = &s->kb[kslot(s, l->duid, l->duid_len, l->iaid)];
	while (*p && *p != l)
		p = &(*p)->knext;
	if (*p)
		*p = l->knext;
	l->keyed = false;
}

static void alink(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	size_t i = aslot(s, l->addr);
	l->anext = s->ab[i];
	s->ab[i] = l;
}

static void aunlink(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	struct dhcp6_lease **p = &s->ab[aslot(s, l->addr)];
	while (*p && *p != l)
		p = &(*p)->anext;
	if (*p)
		*p = l->anext;
}

/* Put l at addr: address table, range and occupancy. */
static void attach(struct dhcp6_leases *s, struct dhcp6_lease *l, const uint8_t addr[16])
{
	struct u128 a = u128_get(addr);
	memcpy(l->addr, addr, 16);
	alink(s, l);
	l->range = find_range(s, a);
	if (l->range >= 0 && !is_reserved(s, a))
		s->ranges[l->range].occ++;
}

static void detach(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	aunlink(s, l);
	if (l->range >= 0 && !is_reserved(s, u128_get(l->addr)))
		s->ranges[l->range].occ--;
	l->range = -1;
}

static int grow(struct dhcp6_leases *s)
{
	size_t nb = s->nbuckets * 2;
	struct dhcp6_lease **kb = calloc(nb, sizeof(*kb)), **ab = calloc(nb, sizeof(*ab));
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

struct dhcp6_lease *dhcp6_lease_by_client(const struct dhcp6_leases *s, const uint8_t *duid,
					  size_t duid_len, uint32_t iaid)
{
	duid_len = duid_clamp(duid_len);
	for (struct dhcp6_lease *l = s->kb[kslot(s, duid, duid_len, iaid)]; l; l = l->knext)
		if (l->iaid == iaid && l->duid_len == duid_len && !memcmp(l->duid, duid, duid_len))
			return l;
	return NULL;
}

struct dhcp6_lease *dhcp6_lease_by_addr(const struct dhcp6_leases *s, const uint8_t addr[16])
{
	for (struct dhcp6_lease *l = s->ab[aslot(s, addr)]; l; l = l->anext)
		if (!memcmp(l->addr, addr, 16))
			return l;
	return NULL;
}

/* ---- records ---- */

static bool state_holds(uint8_t st)
{
	return st == LEASE_OFFERED || st == LEASE_BOUND || st == LEASE_DECLINED;
}

bool dhcp6_lease_active(const struct dhcp6_lease *l, int64_t now)
{
	return state_holds(l->state) && l->expires > now;
}

static bool same_client(const struct dhcp6_lease *l, const uint8_t *duid, size_t duid_len,
			uint32_t iaid)
{
	duid_len = duid_clamp(duid_len);
	return l->keyed && l->iaid == iaid && l->duid_len == duid_len &&
	       !memcmp(l->duid, duid, duid_len);
}

bool dhcp6_leases_addr_available(const struct dhcp6_leases *s, const uint8_t addr[16],
				 const uint8_t *duid, size_t duid_len, uint32_t iaid, int64_t now,
				 bool reserved_ok)
{
	struct dhcp6_lease *l = dhcp6_lease_by_addr(s, addr);
	if (l && dhcp6_lease_active(l, now) && !same_client(l, duid, duid_len, iaid))
		return false;
	struct u128 a = u128_get(addr);
	if (find_range(s, a) < 0)
		return reserved_ok;
	return reserved_ok || !is_reserved(s, a);
}

void dhcp6_leases_remove(struct dhcp6_leases *s, struct dhcp6_lease *l)
{
	detach(s, l);
	kunlink(s, l);
	size_t i = l->idx;
	s->all[i] = s->all[--s->n];
	s->all[i]->idx = i;
	free(l);
}

static struct dhcp6_lease *new_record(struct dhcp6_leases *s, const uint8_t *duid, size_t duid_len,
				      uint32_t iaid)
{
	if (s->n + 1 > s->nbuckets && grow(s) < 0)
		return NULL;
	if (s->n == s->cap) {
		size_t nc = s->cap ? s->cap * 2 : 1024;
		struct dhcp6_lease **na = realloc(s->all, nc * sizeof(*na));
		if (!na)
			return NULL;
		s->all = na;
		s->cap = nc;
	}
	struct dhcp6_lease *l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->duid_len = (uint8_t)duid_clamp(duid_len);
	if (l->duid_len)
		memcpy(l->duid, duid, l->duid_len);
	l->iaid = iaid;
	l->state = LEASE_EXPIRED;
	l->range = -1;
	l->idx = s->n;
	s->all[s->n++] = l;
	if (l->duid_len)
		klink(s, l);
	return l;
}

struct dhcp6_lease *dhcp6_leases_take(struct dhcp6_leases *s, const uint8_t *duid, size_t duid_len,
				      uint32_t iaid, const uint8_t addr[16],
				      enum dhcp_lease_state st, int64_t expires)
{
	struct dhcp6_lease *l = duid_len ? dhcp6_lease_by_client(s, duid, duid_len, iaid) : NULL;
	struct dhcp6_lease *other = dhcp6_lease_by_addr(s, addr);
	if (other && other != l)
		dhcp6_leases_remove(s, other);
	if (!l) {
		l = new_record(s, duid, duid_len, iaid);
		if (!l)
			return NULL;
		attach(s, l, addr);
	} else if (memcmp(l->addr, addr, 16)) {
		detach(s, l);
		attach(s, l, addr);
	}
	dhcp6_lease_set_state(s, l, st, expires);
	return l;
}

void dhcp6_lease_set_state(struct dhcp6_leases *s, struct dhcp6_lease *l, enum dhcp_lease_state st,
			   int64_t expires)
{
	(void)s; /* no bitmap to keep: holding is read from the record itself */
	l->state = (uint8_t)st;
	l->expires = expires;
}

void dhcp6_lease_decline(struct dhcp6_leases *s, struct dhcp6_lease *l, int64_t until)
{
	kunlink(s, l);
	l->hostname[0] = '\0';
	dhcp6_lease_set_state(s, l, LEASE_DECLINED, until);
}

/* What expire() does with a record: 0 nothing, 1 expire it, 2 drop it. */
static int expire_action(const struct dhcp6_lease *l, int64_t now)
{
	if (!state_holds(l->state))
		return l->expires < now - DHCP6_LEASE_KEEP ? 2 : 0;
	if (l->expires > now)
		return 0;
	return l->state == LEASE_BOUND ? 1 : 2;
}

size_t dhcp6_leases_expire(struct dhcp6_leases *s, int64_t now,
			   void (*cb)(void *ctx, struct dhcp6_lease *l), void *ctx)
{
	size_t changed = 0;
	for (size_t i = 0; i < s->n;) {
		struct dhcp6_lease *l = s->all[i];
		int act = expire_action(l, now);
		changed += act != 0;
		if (act == 2) {
			dhcp6_leases_remove(s, l); /* the last record moved to i */
			continue;
		}
		if (act == 1) {
			if (cb)
				cb(ctx, l);
			dhcp6_lease_set_state(s, l, LEASE_EXPIRED, l->expires);
		}
		i++;
	}
	return changed;
}

size_t dhcp6_leases_count(const struct dhcp6_leases *s)
{
	return s->n;
}

struct dhcp6_lease *dhcp6_leases_at(const struct dhcp6_leases *s, size_t i)
{
	return i < s->n ? s->all[i] : NULL;
}

/* ---- allocation ---- */

/* An address no record holds and no reservation names, from the cursor
 * on. Only called when the range has one (occ < size): each address
 * stepped over is a distinct record or reservation, so at most occ + 1
 * steps. */
static bool alloc_fresh(const struct dhcp6_leases *s, struct range6 *r, struct u128 *out)
{
	struct u128 a = r->cursor;
	for (size_t step = 0; step <= r->occ; step++, a = range_next(r, a)) {
		uint8_t b[16];
		u128_put(a, b);
		if (!dhcp6_lease_by_addr(s, b) && !is_reserved(s, a)) {
			*out = a;
			return true;
		}
	}
	return false; /* the counts were wrong; never seen */
}

/* No fresh address left: the range is no larger than its occupancy, so one
 * lap over it is bounded too. Takes the first address whose record has
 * lapsed (expired, released, an offer past its time). */
static bool alloc_reuse(const struct dhcp6_leases *s, struct range6 *r, int64_t now,
			struct u128 *out)
{
	size_t size = (size_t)u128_sub(r->end, r->start).lo + 1; /* <= occ */
	struct u128 a = r->cursor;
	for (size_t step = 0; step < size; step++, a = range_next(r, a)) {
		uint8_t b[16];
		u128_put(a, b);
		struct dhcp6_lease *l = dhcp6_lease_by_addr(s, b);
		if (l && !dhcp6_lease_active(l, now) && !is_reserved(s, a)) {
			*out = a;
			return true;
		}
	}
	return false;
}

int dhcp6_leases_alloc(struct dhcp6_leases *s, size_t first, size_t n, int64_t now, uint8_t out[16])
{
	size_t last = first < s->nranges ? first + (n < s->nranges - first ? n : s->nranges - first)
					 : first;
	struct u128 a;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = first; i < last; i++) {
			struct range6 *r = &s->ranges[i];
			bool fresh = range_exceeds(r, r->occ);
			bool ok = pass == 0 ? fresh && alloc_fresh(s, r, &a)
					    : !fresh && alloc_reuse(s, r, now, &a);
			if (ok) {
				r->cursor = range_next(r, a);
				u128_put(a, out);
				return 0;
			}
		}
	}
	return -ENOSPC;
}
