/* SPDX-License-Identifier: MIT */
/* In-memory lease store. O(1) lookup by client identifier (option 61, else
 * htype + chaddr: RFC 2131 §4.2) and by address; free addresses come from a
 * bitmap per range with a rotating cursor (word-at-a-time, never a walk
 * over lease records). At most one record per address.
 * Pure: the caller passes the time; nothing is written to disk here. */
#ifndef DHCP_LEASES_H
#define DHCP_LEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "leases6.h" /* the DHCPv6 store this one owns; enum dhcp_lease_state */

#define DHCP_KEY_MAX 64 /* client identifiers longer than this are cut */

struct dhcp_lease {
	uint32_t addr;   /* host byte order */
	int64_t expires; /* unix seconds, or DHCP_LEASE_INFINITE */
	uint8_t state;
	uint8_t htype, hlen;
	uint8_t key_len;
	uint8_t hw[16];
	uint8_t key[DHCP_KEY_MAX];
	char hostname[64];
	bool probing; /* OFFERED, waiting for the ping check */
	/* internal */
	struct dhcp_lease *knext, *anext;
	size_t idx;
	bool keyed;
};

struct dhcp_range_def {
	uint32_t start, end; /* host byte order, inclusive */
};

struct dhcp_leases;

struct dhcp_leases *dhcp_leases_new(void);
void dhcp_leases_free(struct dhcp_leases *s);

/* Replace the ranges (config load or reload); reserved addresses are never
 * handed out dynamically (host reservations, network/broadcast, our own
 * addresses). Existing records stay; their addresses are re-marked. */
int dhcp_leases_set_ranges(struct dhcp_leases *s, const struct dhcp_range_def *r, size_t n,
			   const uint32_t *reserved, size_t n_reserved);
size_t dhcp_leases_nranges(const struct dhcp_leases *s);

/* Client key: option 61 when present, else htype + chaddr. */
size_t dhcp_client_key(const uint8_t *cid, size_t cid_len, uint8_t htype, const uint8_t *chaddr,
		       uint8_t hlen, uint8_t *key);

struct dhcp_lease *dhcp_lease_by_client(const struct dhcp_leases *s, const uint8_t *key,
					size_t len);
struct dhcp_lease *dhcp_lease_by_addr(const struct dhcp_leases *s, uint32_t addr);
/* Range index holding addr, or -1. */
int dhcp_leases_range_of(const struct dhcp_leases *s, uint32_t addr);
bool dhcp_lease_active(const struct dhcp_lease *l, int64_t now);

/* Can addr go to the client with this key? True when no live record of
 * another client or a quarantine holds it and it is not reserved (or
 * reserved_ok). Addresses outside every range are only free when
 * reserved_ok (host reservations). */
bool dhcp_leases_addr_available(const struct dhcp_leases *s, uint32_t addr, const uint8_t *key,
				size_t key_len, int64_t now, bool reserved_ok);

/* Next free address among ranges [first, first+n): 0 and *addr, or
 * -ENOSPC. Does not mark it: follow with dhcp_leases_take. */
int dhcp_leases_alloc(struct dhcp_leases *s, size_t first, size_t n, uint32_t *addr);

/* Give addr to the client (creating or moving its record; a stale record
 * at addr is dropped) in state st until expires. Returns the record or
 * NULL (out of memory). */
struct dhcp_lease *dhcp_leases_take(struct dhcp_leases *s, const uint8_t *key, size_t key_len,
				    uint32_t addr, enum dhcp_lease_state st, int64_t expires);
/* Change state: active states hold the address, others free it. */
void dhcp_lease_set_state(struct dhcp_leases *s, struct dhcp_lease *l, enum dhcp_lease_state st,
			  int64_t expires);
/* DHCPDECLINE: the record loses its client and quarantines the address. */
void dhcp_lease_decline(struct dhcp_leases *s, struct dhcp_lease *l, int64_t until);
void dhcp_leases_remove(struct dhcp_leases *s, struct dhcp_lease *l);

/* Expire what is due: OFFERED and BOUND become EXPIRED (cb called for
 * BOUND ones, old state given), DECLINED records are dropped. Returns how
 * many changed. */
size_t dhcp_leases_expire(struct dhcp_leases *s, int64_t now,
			  void (*cb)(void *ctx, struct dhcp_lease *l), void *ctx);

/* Every end time of both families moved by delta seconds (the wall clock
 * was set; clock.h); infinite ones stay. */
void dhcp_leases_shift(struct dhcp_leases *s, int64_t delta);

/* DHCPv4 records only. */
size_t dhcp_leases_count(const struct dhcp_leases *s);
struct dhcp_lease *dhcp_leases_at(const struct dhcp_leases *s, size_t i);
/* Free addresses left in range i. */
size_t dhcp_leases_range_free(const struct dhcp_leases *s, size_t i);

const char *dhcp_lease_state_name(int st);

/* The DHCPv6 store (leases6.h) is owned by this one, made and freed with
 * it, so that the journal and its callers keep one handle for both. */
struct dhcp6_leases *dhcp_leases_v6(const struct dhcp_leases *s);
/* Records of both families: what compaction weighs the journal against. */
size_t dhcp_leases_count_all(const struct dhcp_leases *s);

#endif
