/* SPDX-License-Identifier: MIT */
/* Bindings (RFC 2131 §1: a client's address and lease): which subnet a
 * request's link is, which address its client gets (§4.3.1) and for how
 * long (§3.1, option 51), and whether an address may be given to it. The
 * state the DHCPv4 decisions work on is here: the configuration and the
 * lease store. Pure: the time is an argument. */
#ifndef DHCP_V4_BINDING_H
#define DHCP_V4_BINDING_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "leases.h"
#include "reply.h"
#include "wire.h"

/* What the decisions work on. */
struct dhcp_ctx {
	const struct dhcpd_config *cfg;
	struct dhcp_leases *leases;
};

/* One request as the decisions see it: its type (0: BOOTP), its client's
 * lease key (option 61, else htype and chaddr), its [host], the subnet of
 * its link. */
struct dhcp_req_info {
	const struct dhcp_subnet *subnet;
	const struct dhcp_host *host;
	uint8_t key[DHCP_KEY_MAX];
	size_t key_len;
	int type;
};

/* The link the client is on: giaddr (or the relay's link-selection
 * sub-option, RFC 3527), else the interface the request came in on. */
const struct dhcp_subnet *dhcp_binding_subnet(const struct dhcpd_config *c,
					      const struct dhcp_msg *m, const struct dhcp_rx *rx);
/* Whether a is a host address of s (not its network or broadcast). */
bool dhcp_binding_in_subnet(const struct dhcp_subnet *s, uint32_t a);
/* Whether a may be given to ri's client now: in its subnet, in a range
 * (or its reservation), and not held by another client. */
bool dhcp_binding_usable(const struct dhcp_ctx *ctx, const struct dhcp_req_info *ri, uint32_t a,
			 int64_t now);
/* §4.3.1: the client's current or previous address, else the requested
 * one, else a free one; a reservation wins over all. 0: none. */
uint32_t dhcp_binding_choose(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			     const struct dhcp_req_info *ri, int64_t now);
/* The lease time granted, in seconds. */
uint32_t dhcp_binding_secs(const struct dhcpd_config *c, const struct dhcp_req_info *ri,
			   const struct dhcp_msg *req);
/* The client's hardware address and host name (option 12) into l. */
void dhcp_binding_note(struct dhcp_lease *l, const struct dhcp_msg *m);

#endif
