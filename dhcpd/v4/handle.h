/* SPDX-License-Identifier: MIT */
/* One DHCPv4 request, whatever the mode: the full server's decisions on
 * port 67 (decide.h), proxyDHCP in mode=proxy and the PXE boot server on
 * port 4011 in every mode (proxy.h); then where the reply goes. Pure: the
 * server's receive path calls this and sends what it returns. */
#ifndef DHCP_V4_HANDLE_H
#define DHCP_V4_HANDLE_H

#include <stdint.h>

#include "binding.h"
#include "reply.h"
#include "wire.h"

/* Returns what dhcp_decide or dhcp_proxy_decide returns; out as they fill
 * it, with a 4011 reply sent back to the request's source (PXE spec 2.1
 * §2.2.5) and the section's broadcast quirk applied. */
int dhcp_handle(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
		int64_t now, struct dhcp_out *out);

#endif
