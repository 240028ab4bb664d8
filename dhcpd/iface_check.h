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

/* One interface, or one IPv4 address of it (an interface may appear once
 * per address). Host byte order; addr 0: an interface without IPv4. */
struct dhcp_iface_addr {
	const char *name;
	uint32_t addr, mask;
};

/* Warnings through warn: each configured interface that is not in ifs;
 * and, when no (configured) interface has an address in any [subnet] (in
 * the proxy modes: any [subnet] there is), one naming the subnets. The
 * number of warnings. */
size_t dhcp_iface_check(const struct dhcpd_config *c, const struct dhcp_iface_addr *ifs, size_t n,
			dhcp_warn_fn warn, void *ctx);

#endif
