/* SPDX-License-Identifier: MIT */
/* The mode dispatch of one DHCPv4 request (see handle.h). */
#include "handle.h"

#include "decide.h"
#include "proxy.h"

int dhcp_handle(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
		int64_t now, struct dhcp_out *out)
{
	int r;
	if (rx->on_4011) {
		r = dhcp_proxy_decide(ctx->cfg, req, rx, true, out);
		out->dest = DEST_SOURCE; /* PXE spec: back to the client's port */
		out->dst_addr = rx->src_addr;
		out->dst_port = rx->src_port;
	} else if (ctx->cfg->mode == DHCP_MODE_FULL) {
		r = dhcp_decide(ctx, req, rx, now, out);
	} else {
		r = dhcp_proxy_decide(ctx->cfg, req, rx, false, out);
	}
	/* broadcast = yes: for firmware that ignores unicast replies; a
	 * relay's reply stays with the relay. */
	if (out->boot.made && out->boot.broadcast && !req->giaddr &&
	    (out->dest == DEST_YIADDR || out->dest == DEST_CIADDR))
		out->dest = DEST_BROADCAST;
	return r;
}
