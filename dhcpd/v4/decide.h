/* SPDX-License-Identifier: MIT */
/* The DHCPv4 server's decisions in full mode (RFC 2131 §4.3, BOOTP per
 * RFC 951, 1542 and 1534): one function takes a parsed request, where it
 * came from and the time, updates the lease store, and says what to send
 * where, what to write to the journal, and what was decided for booting.
 * No sockets, no clocks: unit tests drive it directly. */
#ifndef DHCP_V4_DECIDE_H
#define DHCP_V4_DECIDE_H

#include <stdint.h>

#include "binding.h"
#include "reply.h"
#include "wire.h"

/* Handle one request. Returns the message type handled (DHCPBOOTREPLY for
 * a BOOTP request), or 0 when the request was not for us (out->why says
 * why). out->boot holds the boot decision when one was made (boot.made):
 * for every reply that carries an address. */
int dhcp_decide(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
		int64_t now, struct dhcp_out *out);

#endif
