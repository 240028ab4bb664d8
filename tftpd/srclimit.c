/* SPDX-License-Identifier: MIT */
/* Per-source rate limit of ERROR replies (see srclimit.h). */
#include "srclimit.h"

#include <string.h>

static uint64_t addr_key(const struct pxe_sockaddr *a)
{
	const uint8_t *p;
	size_t n;
	if (a->u.sa.sa_family == AF_INET) {
		p = (const uint8_t *)&a->u.in4.sin_addr;
		n = 4;
	} else {
		p = (const uint8_t *)&a->u.in6.sin6_addr;
		n = 16;
	}
	uint64_t h = 14695981039346656037ull; /* FNV-1a, 64 bits */
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 1099511628211ull;
	return h;
}

bool tftp_srclimit_allow(struct tftp_srclimit *l, const struct pxe_sockaddr *src, uint64_t now_us)
{
	/* Addresses that hash to one slot share its bucket: a slot taken
	 * over by another address would refill it, and a forger alternating
	 * two such addresses would get every error through. */
	struct tftp_srcslot *s = &l->slots[(addr_key(src) >> 7) % TFTP_SRCLIMIT_SLOTS];
	uint64_t add = (now_us - s->last_us) * TFTP_SRCLIMIT_RATE / 1000; /* milli-tokens */
	if (add >= TFTP_SRCLIMIT_BURST * 1000 || now_us < s->last_us) {
		s->tokens_milli = TFTP_SRCLIMIT_BURST * 1000;
		s->last_us = now_us;
	} else if (add > 0) {
		uint64_t t = s->tokens_milli + add;
		s->tokens_milli =
			t > TFTP_SRCLIMIT_BURST * 1000 ? TFTP_SRCLIMIT_BURST * 1000 : (uint32_t)t;
		/* only the time turned into tokens is used up: no rounding loss
		 * when errors come faster than a milli-token per call */
		s->last_us += add * 1000 / TFTP_SRCLIMIT_RATE;
	}
	if (s->tokens_milli < 1000) {
		l->suppressed++;
		return false;
	}
	s->tokens_milli -= 1000;
	return true;
}
