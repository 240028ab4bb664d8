/* SPDX-License-Identifier: MIT */
/* The interface MTU that bounds blksize: a DATA datagram larger than the
 * link is fragmented, and some PXE ROMs cannot reassemble (RFC 2348 §1
 * leaves the limit to the server). SIOCGIFMTU per interface, cached for a
 * minute; the clock is passed in, so the cache is tested with a fake one. */
#ifndef TFTP_MTU_H
#define TFTP_MTU_H

#include <stdbool.h>
#include <stdint.h>

#define TFTP_MTU_CACHE  16
#define TFTP_MTU_TTL_US 60000000ull /* an entry is asked again after a minute */

struct tftp_mtu_entry {
	int ifindex;
	int mtu;
	uint64_t at_us; /* when it was asked */
};

/* Zeroed: empty. */
struct tftp_mtu_cache {
	struct tftp_mtu_entry e[TFTP_MTU_CACHE];
};

/* The MTU of ifindex at time now_us: from the cache while its entry is
 * younger than TFTP_MTU_TTL_US, else asked (the oldest entry makes room).
 * 0 when unknown; an interface that is gone is not cached. */
int tftp_mtu_get(struct tftp_mtu_cache *c, int ifindex, uint64_t now_us);

/* The largest blksize for a request that came in on ifindex (0: unknown):
 * blksize_max when configured (> 0), else what fits the interface MTU
 * (1500 when unknown) in one unfragmented datagram, within 512..65464. */
uint32_t tftp_mtu_blksize(struct tftp_mtu_cache *c, long long blksize_max, int family,
			  bool v4mapped, int ifindex, uint64_t now_us);

#endif
