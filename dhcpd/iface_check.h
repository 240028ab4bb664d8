/* SPDX-License-Identifier: MIT */
/* Start-up truth about interfaces: given the host's interfaces and their
 * IPv4 addresses, what in the configuration cannot be served from them.
 * Pure; ifaces.c lists the interfaces and logs the warnings, at start and
 * on reload. */
#ifndef DHCP_IFACE_CHECK_H
#define DHCP_IFACE_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"

/* One interface, or one IPv4 or IPv6 address of it (an interface may
 * appear once per address). Host byte order; addr 0 and !v6: an interface
 * without IPv4. */
struct dhcp_iface_addr {
	const char *name;
	uint32_t addr, mask;
	bool v6; /* addr6 holds one of its IPv6 addresses */
	uint8_t addr6[16];
};

/* Warnings through warn: each configured interface that is not in ifs;
 * when no (configured) interface has an address in any [subnet] (in the
 * proxy modes: any [subnet] there is), one naming the subnets; and, while
 * DHCPv6 runs, one for each [subnet6] whose prefix no (configured)
 * interface has an address in. The number of warnings. */
size_t dhcp_iface_check(const struct dhcpd_config *c, const struct dhcp_iface_addr *ifs, size_t n,
			dhcp_warn_fn warn, void *ctx);

/* Not pure: the host's interfaces and addresses from getifaddrs (ifa),
 * pointing into it; *n of them, NULL when there is none or no memory. */
struct ifaddrs;
struct dhcp_iface_addr *dhcp_iface_list(struct ifaddrs *ifa, size_t *n);
/* Not pure: dhcp_iface_check on the host as it is now (--check-config,
 * through the spec's check_host): warnings to stderr. */
void dhcp_iface_check_host(const void *cfg);

#endif
