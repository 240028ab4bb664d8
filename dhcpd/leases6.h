/* SPDX-License-Identifier: MIT */
/* In-memory DHCPv6 lease store for IA_NA addresses (RFC 8415 §6.2, §21.4).
 * One record per (DUID, IAID) and per address, found in O(1) both ways.
 * A range6 may be a whole /64, so there is no bitmap over a range: each
 * range has a rotating cursor that steps over addresses held by records or
 * reserved, and per-range counts that bound the walk (at most records +
 * reserved + 1 steps). Addresses are 128-bit numbers kept as two 64-bit
 * halves (no __int128: 32-bit targets lack it).
 * Pure: the caller passes the time; nothing is written to disk here. The
 * v4 store owns one (dhcp_leases_v6 in leases.h) so that the journal keeps
 * one handle. */
#ifndef DHCP6_LEASES_H
#define DHCP6_LEASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The lease states of both families. They live here, not in leases.h:
 * the DHCPv4 store owns a DHCPv6 store (leases.h includes this header),
 * and the module graph runs one way (tests/include-graph.py). */
enum dhcp_lease_state {
	LEASE_OFFERED,  /* held for its client until expires (offer-time; v6: after ADVERTISE) */
	LEASE_BOUND,    /* ACKed (v6: REPLY to REQUEST, RENEW, REBIND), on disk */
	LEASE_RELEASED, /* address free again; record kept so the client gets it back */
	LEASE_EXPIRED,  /* same */
	LEASE_DECLINED, /* quarantined after DECLINE until expires; no client */
};

/* expires of a lease that never ends: a BOOTP client's (RFC 1534 §2), or a
 * DHCPv6 valid lifetime of 0xffffffff (RFC 8415 §7.7) */
#define DHCP_LEASE_INFINITE INT64_MAX

#define DHCP6_LEASE_DUID_MAX 130 /* = DHCP6_MAX_DUID in v6/wire.h (§11.1) */

struct dhcp6_lease {
	uint8_t addr[16];
	int64_t expires; /* unix seconds: end of the valid lifetime (or of the quarantine) */
	uint8_t state;   /* enum dhcp_lease_state: OFFERED (held after ADVERTISE until
			  * expires), BOUND, RELEASED, EXPIRED, DECLINED */
	uint32_t iaid;
	uint8_t duid_len;
	uint8_t duid[DHCP6_LEASE_DUID_MAX];
	bool has_mac;
	uint8_t mac[6]; /* from option 79 or the DUID, for logs and the journal */
	char hostname[64];
	/* internal */
	struct dhcp6_lease *knext, *anext;
	size_t idx;
	int range; /* index of the range holding addr, or -1 */
	bool keyed;
};

struct dhcp6_range_def {
	uint8_t start[16], end[16]; /* inclusive, network byte order */
};

struct dhcp6_leases;

struct dhcp6_leases *dhcp6_leases_new(void);
void dhcp6_leases_free(struct dhcp6_leases *s);

/* Replace ranges (load/reload). Reserved addresses ([host] address6) are
 * never allocated dynamically. Existing records stay. 0, -EINVAL (a range
 * whose end is below its start) or -ENOMEM. */
int dhcp6_leases_set_ranges(struct dhcp6_leases *s, const struct dhcp6_range_def *r, size_t n,
			    const uint8_t (*reserved)[16], size_t n_reserved);
size_t dhcp6_leases_nranges(const struct dhcp6_leases *s);
/* Range index holding addr, or -1. */
int dhcp6_leases_range_of(const struct dhcp6_leases *s, const uint8_t addr[16]);

struct dhcp6_lease *dhcp6_lease_by_client(const struct dhcp6_leases *s, const uint8_t *duid,
					  size_t duid_len, uint32_t iaid);
struct dhcp6_lease *dhcp6_lease_by_addr(const struct dhcp6_leases *s, const uint8_t addr[16]);
/* OFFERED, BOUND or DECLINED and not yet expired. */
bool dhcp6_lease_active(const struct dhcp6_lease *l, int64_t now);

/* Can addr go to (duid, iaid)? True when no live record of another client
 * or a quarantine holds it and it is not reserved (or reserved_ok).
 * Addresses outside every range are only free when reserved_ok. */
bool dhcp6_leases_addr_available(const struct dhcp6_leases *s, const uint8_t addr[16],
				 const uint8_t *duid, size_t duid_len, uint32_t iaid, int64_t now,
				 bool reserved_ok);

/* A free address in ranges [first, first+n): 0 and out, or -ENOSPC.
 * Addresses no record has ever held come first; an expired or released
 * record's address (kept for its client's return) only when a range has
 * no fresh one left. Does not mark it: follow with dhcp6_leases_take. */
int dhcp6_leases_alloc(struct dhcp6_leases *s, size_t first, size_t n, int64_t now,
		       uint8_t out[16]);

/* Give addr to (duid, iaid) in state st until expires (create or move its
 * record; a record of another client at addr is dropped). duid_len 0 makes
 * a record with no client (a replayed quarantine). NULL on ENOMEM. */
struct dhcp6_lease *dhcp6_leases_take(struct dhcp6_leases *s, const uint8_t *duid, size_t duid_len,
				      uint32_t iaid, const uint8_t addr[16],
				      enum dhcp_lease_state st, int64_t expires);
void dhcp6_lease_set_state(struct dhcp6_leases *s, struct dhcp6_lease *l, enum dhcp_lease_state st,
			   int64_t expires);
/* DECLINE (RFC 8415 §18.3.8): the record leaves its client (its DUID stays
 * for the logs) and quarantines the address until `until`. */
void dhcp6_lease_decline(struct dhcp6_leases *s, struct dhcp6_lease *l, int64_t until);
void dhcp6_leases_remove(struct dhcp6_leases *s, struct dhcp6_lease *l);

/* Expire what is due: BOUND becomes EXPIRED (cb called first); OFFERED
 * records and ended quarantines (DECLINED) are dropped, and so are
 * EXPIRED and RELEASED records lapsed for more than DHCP6_LEASE_KEEP.
 * Unlike a DHCPv4 pool, a /64 puts no bound on the records that clients
 * with new DUIDs leave behind (a SOLICIT flood would otherwise grow the
 * store and every snapshot for ever); an advertised address that was
 * never requested is not worth keeping for its client. Returns how many
 * records changed or went. */
#define DHCP6_LEASE_KEEP 86400 /* seconds a lapsed record keeps its client's address */
size_t dhcp6_leases_expire(struct dhcp6_leases *s, int64_t now,
			   void (*cb)(void *ctx, struct dhcp6_lease *l), void *ctx);

size_t dhcp6_leases_count(const struct dhcp6_leases *s);
struct dhcp6_lease *dhcp6_leases_at(const struct dhcp6_leases *s, size_t i);

#endif
