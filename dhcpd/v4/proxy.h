/* SPDX-License-Identifier: MIT */
/* proxyDHCP and the PXE boot server (PXE spec 2.1 §2.2): replies that
 * carry boot information only, beside a site DHCP server that hands out
 * the addresses: on port 67 in mode=proxy, on port 4011 in every mode.
 * Pure. */
#ifndef DHCP_V4_PROXY_H
#define DHCP_V4_PROXY_H

#include <stdbool.h>

#include "config.h"
#include "reply.h"
#include "wire.h"

#define DHCP_PORT_PXE 4011 /* PXE boot server (PXE spec 2.1 §2.2.5) */

/* A proxyDHCP reply (on_4011 false: port 67 in mode=proxy) or a
 * boot-server reply (on_4011 true) into out: yiaddr 0, no lease, the boot
 * decision in out->boot. Returns the reply type, or 0 with out->why when
 * the request gets no answer. out->dest is DEST_BROADCAST, DEST_RELAY or
 * DEST_CIADDR; a 4011 reply goes back to the request's source instead
 * (handle.h). */
int dhcp_proxy_decide(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, bool on_4011, struct dhcp_out *out);

#endif
