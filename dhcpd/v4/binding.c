/* SPDX-License-Identifier: MIT */
/* Subnet, address and lease time of a request (see binding.h). */
#include <string.h>
#include <arpa/inet.h>

#include "binding.h"

const struct dhcp_subnet *dhcp_binding_subnet(const struct dhcpd_config *c,
					      const struct dhcp_msg *m, const struct dhcp_rx *rx)
{
	if (m->giaddr) {
		size_t n;
		const uint8_t *ls = dhcp_rai_sub(m, DHCP_RAI_LINK_SELECTION, &n);
		uint32_t a;
		if (ls && n == 4) {
			memcpy(&a, ls, 4);
			return dhcp_config_subnet_for(c, ntohl(a));
		}
		return dhcp_config_subnet_for(c, ntohl(m->giaddr));
	}
	return dhcp_config_subnet_for(c, rx->local_addr);
}

bool dhcp_binding_in_subnet(const struct dhcp_subnet *s, uint32_t a)
{
	return (a & s->mask) == s->net && a != s->net && a != (s->net | ~s->mask);
}

static bool in_ranges(const struct dhcp_leases *ls, const struct dhcp_subnet *s, uint32_t a)
{
	int r = dhcp_leases_range_of(ls, a);
	return r >= 0 && (size_t)r >= s->first_range && (size_t)r < s->first_range + s->n_ranges;
}

bool dhcp_binding_usable(const struct dhcp_ctx *ctx, const struct dhcp_req_info *ri, uint32_t a,
			 int64_t now)
{
	if (!dhcp_binding_in_subnet(ri->subnet, a))
		return false;
	bool fixed = ri->host && ri->host->addr == a;
	if (!fixed && !in_ranges(ctx->leases, ri->subnet, a))
		return false;
	return dhcp_leases_addr_available(ctx->leases, a, ri->key, ri->key_len, now, fixed);
}

uint32_t dhcp_binding_choose(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			     const struct dhcp_req_info *ri, int64_t now)
{
	if (ri->host && ri->host->addr)
		return dhcp_binding_usable(ctx, ri, ri->host->addr, now) ? ri->host->addr : 0;
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (l && dhcp_binding_usable(ctx, ri, l->addr, now))
		return l->addr;
	uint32_t want;
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want) &&
	    dhcp_binding_usable(ctx, ri, ntohl(want), now))
		return ntohl(want);
	uint32_t a;
	if (dhcp_leases_alloc(ctx->leases, ri->subnet->first_range, ri->subnet->n_ranges, &a) < 0)
		return 0;
	return a;
}

static uint32_t configured_secs(const struct dhcpd_config *c, const struct dhcp_req_info *ri)
{
	if (ri->host && ri->host->lease_time_ms)
		return (uint32_t)(ri->host->lease_time_ms / 1000);
	return ri->subnet ? ri->subnet->lease_secs : (uint32_t)(c->lease_time_ms / 1000);
}

/* A client may ask for a lease time with option 51 in a DISCOVER or
 * REQUEST (RFC 2131 §3.1 step 1, §4.3.1): it gets it within
 * [min-lease-time, max-lease-time]; without option 51 the configured time.
 * The limits never exclude the configured time itself (a [host]'s may be
 * longer than its subnet's cap). */
uint32_t dhcp_binding_secs(const struct dhcpd_config *c, const struct dhcp_req_info *ri,
			   const struct dhcp_msg *req)
{
	uint32_t lt = configured_secs(c, ri);
	uint32_t want;
	if (!ri->subnet || !dhcp_opt_u32(req, DHO_LEASE_TIME, &want))
		return lt;
	uint32_t hi = ri->subnet->max_lease_secs > lt ? ri->subnet->max_lease_secs : lt;
	uint32_t lo = ri->subnet->min_lease_secs < lt ? ri->subnet->min_lease_secs : lt;
	return want > hi ? hi : want < lo ? lo : want;
}

void dhcp_binding_note(struct dhcp_lease *l, const struct dhcp_msg *m)
{
	size_t n;
	const uint8_t *h = dhcp_opt_get(m, DHO_HOSTNAME, &n);
	l->htype = m->htype;
	l->hlen = m->hlen;
	memcpy(l->hw, m->chaddr, sizeof(l->hw));
	if (h) {
		n = n < sizeof(l->hostname) - 1 ? n : sizeof(l->hostname) - 1;
		memcpy(l->hostname, h, n);
		l->hostname[n] = '\0';
	}
}
