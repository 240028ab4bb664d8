/* SPDX-License-Identifier: MIT */
/* The host's IPv6 addresses as pxe-dhcpd needs them for DHCPv6: which
 * [subnet6] a link is on (an address of the interface inside the prefix)
 * and our address there for ${server}; and a MAC for the server DUID.
 * dhcp6_iflist_read takes the snapshot (getifaddrs, and the addresses'
 * flags from /proc/net/if_inet6); the look-ups are pure. */
#ifndef DHCP_IFACES6_H
#define DHCP_IFACES6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "v6/ra.h"

struct dhcp6_ifaddr {
	int ifindex;
	uint8_t addr[16];
	uint8_t plen;
	/* Set by hand (IFA_F_PERMANENT), not taken from an RA (SLAAC, privacy
	 * addresses) or a DHCPv6 lease: the one a boot URL should name, since
	 * the TFTP and HTTP servers are bound to it and it does not change. */
	bool permanent;
};

struct dhcp6_link {
	int ifindex;
	bool has_mac;
	uint8_t mac[6];
};

struct dhcp6_iflist {
	struct dhcp6_ifaddr *a; /* global and ULA addresses (no link-local, no loopback) */
	size_t n;
	struct dhcp6_link *links; /* interfaces that are up, multicast and not loopback */
	size_t n_links;
	bool has_mac; /* of the lowest-numbered such interface: the DUID */
	uint8_t mac[6];
};

/* 0 or -errno. Replaces what l held. */
int dhcp6_iflist_read(struct dhcp6_iflist *l);
void dhcp6_iflist_free(struct dhcp6_iflist *l);

/* The [subnet6] of link ifindex (NULL: none) and our address on it into
 * server (*has_server false when the link has no global or ULA address):
 * one inside the subnet's prefix when there is one, and of those a
 * permanent one before one from SLAAC (a host on a link with another
 * router also autoconfigures an address in the boot prefix). */
const struct dhcp_subnet6 *dhcp6_link_subnet(const struct dhcpd_config *c,
					     const struct dhcp6_iflist *l, int ifindex,
					     uint8_t server[16], bool *has_server);

/* The router advertisements the [subnet6] sections with ra = yes ask
 * for: one link per interface (allowed(ctx, ifindex)) with an address in
 * such a prefix, the prefixes of every section on it merged. At most cap
 * links into out; returns how many. *missing: the first ra = yes section
 * whose prefix no allowed interface carries (NULL: none), which the
 * start refuses: it would advertise a prefix that is not on the link. */
size_t dhcp6_ra_links(const struct dhcpd_config *c, const struct dhcp6_iflist *l,
		      bool (*allowed)(const void *ctx, int ifindex), const void *ctx,
		      struct dhcp_ra_link *out, size_t cap, const struct dhcp_subnet6 **missing);

#endif
