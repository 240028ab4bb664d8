/* SPDX-License-Identifier: MIT */
/* The DHCPv6 side of the server loop: the UDP 547 socket joined to
 * ff02::1:2 on every link (and [::]:4011 for EDK2's boot-service request
 * in boot-only mode), each request decided by dhcp6_decide, logged, and
 * its reply sent at once or after the journal's fdatasync; the server
 * DUID; the router advertisements of [subnet6] ra = yes. */
#ifndef DHCP_SERVER6_H
#define DHCP_SERVER6_H

#include "state.h"

/* Start (after the v4 sockets): nothing when DHCPv6 is off. 0, or a
 * negative errno after a start-up error was logged. */
int dhcp6_server_start(struct dhcpd *d);
/* Interfaces may have changed (tick): rejoin ff02::1:2, refresh addresses. */
void dhcp6_server_refresh(struct dhcpd *d);
/* A new configuration is in force (SIGHUP). */
void dhcp6_server_reload(struct dhcpd *d);
/* Lease expiry (tick). */
void dhcp6_server_expire(struct dhcpd *d);
void dhcp6_server_stop(struct dhcpd *d);
void dhcp6_server_free(struct dhcpd *d);

#endif
