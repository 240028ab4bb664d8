/* SPDX-License-Identifier: MIT */
/* The interfaces pxe-dhcpd answers on (--interface, by index, looked up
 * again as interfaces come and go), and the lease ranges with the
 * server's own addresses reserved in them. */
#ifndef DHCP_IFACES_H
#define DHCP_IFACES_H

#include <stdbool.h>

#include "state.h"

/* Look the configured interfaces up again (one that is not there yet
 * counts as none until it appears). */
void dhcp_ifaces_resolve(struct dhcpd *d);
/* Whether a request that came in on ifindex is ours to answer. */
bool dhcp_ifaces_allowed(const struct dhcpd *d, int ifindex);
/* c's ranges into the lease store, with c's reserved addresses and our
 * own (a range that covers the server never hands out its address); and,
 * from the same list of interfaces, the warnings of iface_check.h logged
 * (this runs at start and on reload). 0 or -ENOMEM. */
int dhcp_ifaces_ranges(struct dhcpd *d, const struct dhcpd_config *c);

#endif
