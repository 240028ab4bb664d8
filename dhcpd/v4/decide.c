/* SPDX-License-Identifier: MIT */
/* RFC 2131 §4.3 server behaviour: DISCOVER (§4.3.1), REQUEST (§4.3.2),
 * DECLINE (§4.3.3), RELEASE (§4.3.4), INFORM (§4.3.5); reply delivery per
 * §4.1; relay agents per RFC 3046 (echo option 82) and RFC 3527 (link
 * selection); BOOTP clients per RFC 951, RFC 1542 and RFC 1534. Every
 * reply with an address carries what the PXE boot decision gives the
 * client (pxe_reply.h). */
#include <string.h>
#include <arpa/inet.h>

#include "decide.h"
#include "pxe_reply.h"

/* A reply of type to the request: the configured layers of options, then
 * the boot decision's contents; the decision into out->boot. */
static void start_reply(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			const struct dhcp_rx *rx, const struct dhcp_req_info *ri, int type,
			struct dhcp_reply *rep, struct dhcp_out *out)
{
	dhcp_reply_init(rep, ctx->cfg, req, rx->local_addr, ri->subnet, ri->host, type);
	dhcp_pxe_reply_full(ctx->cfg, req, rep, &out->boot);
}

static int do_discover(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		       const struct dhcp_rx *rx, const struct dhcp_req_info *ri, int64_t now,
		       struct dhcp_out *out)
{
	uint32_t a = dhcp_binding_choose(ctx, req, ri, now);
	if (!a)
		return dhcp_out_ignore(out, ri->host && ri->host->addr ? "reserved address in use"
								       : "no free address");
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool fresh = !(l && l->addr == a) && !(ri->host && ri->host->addr == a);
	if (l && l->addr == a && l->probing && dhcp_lease_active(l, now))
		return dhcp_out_ignore(out, "ping check of the address in progress");
	if (!(l && l->addr == a && dhcp_lease_active(l, now) && l->state == LEASE_BOUND)) {
		/* Held for this client, so a burst never offers it twice. */
		l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_OFFERED,
				     now + ctx->cfg->offer_time_ms / 1000);
		if (!l)
			return dhcp_out_ignore(out, "out of memory");
	}
	dhcp_binding_note(l, req);
	if (fresh && ctx->cfg->ping_check) {
		/* The server pings it and hands the request back to us; only
		 * this client waits (the address is held meanwhile). */
		l->probing = true;
		out->probe = true;
		out->probe_addr = a;
		out->yiaddr = htonl(a);
		return dhcp_out_ignore(out, "ping check first");
	}
	struct dhcp_reply rep;
	start_reply(ctx, req, rx, ri, DHCPOFFER, &rep, out);
	dhcp_reply_encode(req, &rep, htonl(a), dhcp_binding_secs(ctx->cfg, ri, req), out);
	dhcp_reply_dest(req, DHCPOFFER, out);
	return DHCPDISCOVER;
}

static int ack(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
	       const struct dhcp_req_info *ri, uint32_t a, int64_t now, struct dhcp_out *out)
{
	uint32_t secs = dhcp_binding_secs(ctx->cfg, ri, req);
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool renew = l && l->addr == a && l->state == LEASE_BOUND;
	l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_BOUND, now + secs);
	if (!l)
		return dhcp_out_ignore(out, "out of memory");
	dhcp_binding_note(l, req);
	out->journal = true;
	out->sync = true;
	out->ev = renew ? JEV_RENEW : JEV_ADD;
	out->lease_copy = *l;
	struct dhcp_reply rep;
	start_reply(ctx, req, rx, ri, DHCPACK, &rep, out);
	dhcp_reply_encode(req, &rep, htonl(a), secs, out);
	dhcp_reply_dest(req, DHCPACK, out);
	return DHCPREQUEST;
}

/* §4.3.2 SELECTING: the client names the server it chose in option 54. */
static int req_selecting(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			 const struct dhcp_rx *rx, const struct dhcp_req_info *ri, uint32_t sid,
			 int64_t now, struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (ntohl(sid) != rx->local_addr) {
		/* It took another server's offer: free ours now. */
		if (l && l->state == LEASE_OFFERED)
			dhcp_lease_set_state(ctx->leases, l, LEASE_EXPIRED, now);
		return dhcp_out_ignore(out, "client chose another server");
	}
	uint32_t want = req->ciaddr;
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want) || want) {
		if (dhcp_binding_usable(ctx, ri, ntohl(want), now) &&
		    (!ri->host || !ri->host->addr || ri->host->addr == ntohl(want)))
			return ack(ctx, req, rx, ri, ntohl(want), now, out);
	}
	return dhcp_reply_nak(req, rx, "requested address not available", out);
}

/* §4.3.2 INIT-REBOOT (option 50, no ciaddr) and RENEWING/REBINDING
 * (ciaddr). Silence when we know nothing, unless authoritative. */
static int req_verify(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, const struct dhcp_req_info *ri, uint32_t a,
		      int64_t now, struct dhcp_out *out)
{
	if (!dhcp_binding_in_subnet(ri->subnet, a))
		return dhcp_reply_nak(req, rx, "wrong network", out);
	if (ri->host && ri->host->addr && ri->host->addr != a)
		return dhcp_reply_nak(req, rx, "address reserved elsewhere for this host", out);
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool known = l && l->addr == a;
	if ((known || ctx->cfg->authoritative) && dhcp_binding_usable(ctx, ri, a, now))
		return ack(ctx, req, rx, ri, a, now, out);
	if (known || ctx->cfg->authoritative || (l && dhcp_lease_active(l, now)))
		return dhcp_reply_nak(
			req, rx, known ? "address in use" : "address not leased to this client",
			out);
	return dhcp_out_ignore(out, "unknown client, not authoritative");
}

static int do_request(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, const struct dhcp_req_info *ri, int64_t now,
		      struct dhcp_out *out)
{
	uint32_t sid, want;
	if (dhcp_opt_addr(req, DHO_SERVER_ID, &sid))
		return req_selecting(ctx, req, rx, ri, sid, now, out);
	if (req->ciaddr)
		return req_verify(ctx, req, rx, ri, ntohl(req->ciaddr), now, out);
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want))
		return req_verify(ctx, req, rx, ri, ntohl(want), now, out);
	return dhcp_out_ignore(out, "request without address");
}

static int do_decline(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_req_info *ri, int64_t now, struct dhcp_out *out)
{
	uint32_t a;
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (!dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &a) || !l || l->addr != ntohl(a))
		return dhcp_out_ignore(out, "decline for an address the client does not hold");
	dhcp_lease_decline(ctx->leases, l, now + ctx->cfg->decline_time_ms / 1000);
	out->journal = true;
	out->ev = JEV_DECLINE;
	out->lease_copy = *l;
	out->yiaddr = a;
	out->why = "address in use by another host";
	return DHCPDECLINE;
}

static int do_release(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_req_info *ri, int64_t now, struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (!l || l->addr != ntohl(req->ciaddr) || l->state != LEASE_BOUND)
		return dhcp_out_ignore(out, "release for an address the client does not hold");
	dhcp_lease_set_state(ctx->leases, l, LEASE_RELEASED, now);
	out->journal = true;
	out->ev = JEV_RELEASE;
	out->lease_copy = *l;
	out->yiaddr = req->ciaddr;
	return DHCPRELEASE;
}

static int do_inform(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		     const struct dhcp_rx *rx, struct dhcp_req_info *ri, struct dhcp_out *out)
{
	if (!req->ciaddr)
		return dhcp_out_ignore(out, "inform without ciaddr");
	if (!req->giaddr) /* §4.3.5: the client's own address names its subnet */
		ri->subnet = dhcp_config_subnet_for(ctx->cfg, ntohl(req->ciaddr));
	struct dhcp_reply rep;
	start_reply(ctx, req, rx, ri, DHCPACK, &rep, out);
	dhcp_reply_encode(req, &rep, 0, 0, out);
	out->dest = req->giaddr ? DEST_RELAY : DEST_CIADDR;
	out->dst_addr = req->giaddr ? req->giaddr : req->ciaddr;
	return DHCPINFORM;
}

/* ---- BOOTP (RFC 951, RFC 1542, RFC 1534) ---- */

/* A dynamic BOOTP address is bound for good: BOOTP has no lease time, no
 * renewal and no release (RFC 1534 §2). False when out says why not yet. */
static bool bootp_bind(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		       const struct dhcp_req_info *ri, uint32_t a, int64_t now,
		       struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool mine = l && l->addr == a && dhcp_lease_active(l, now);
	if (mine && l->probing)
		return dhcp_out_ignore(out, "ping check of the address in progress");
	if (!(l && l->addr == a) && ctx->cfg->ping_check) {
		/* As for a DISCOVER: held while the server pings it. */
		l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_OFFERED,
				     now + ctx->cfg->offer_time_ms / 1000);
		if (!l)
			return dhcp_out_ignore(out, "out of memory");
		l->probing = true;
		out->probe = true;
		out->probe_addr = a;
		out->yiaddr = htonl(a);
		return dhcp_out_ignore(out, "ping check first");
	}
	bool bound = mine && l->state == LEASE_BOUND;
	if (bound && l->expires == DHCP_LEASE_INFINITE) {
		dhcp_binding_note(l, req); /* nothing new for the journal */
		return true;
	}
	l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_BOUND,
			     DHCP_LEASE_INFINITE);
	if (!l)
		return dhcp_out_ignore(out, "out of memory");
	dhcp_binding_note(l, req);
	out->journal = true;
	out->sync = true; /* on disk before the reply, as an ACK */
	out->ev = bound ? JEV_RENEW : JEV_ADD;
	out->lease_copy = *l;
	return true;
}

/* A BOOTREQUEST without option 53. A host with a reserved address always
 * gets it (no lease is recorded: the reservation is the binding); other
 * clients only where bootp-dynamic allows. */
static int do_bootp(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		    const struct dhcp_rx *rx, const struct dhcp_req_info *ri, int64_t now,
		    struct dhcp_out *out)
{
	bool fixed = ri->host && ri->host->addr;
	if (!fixed && !ri->subnet->bootp_dyn)
		return dhcp_out_ignore(
			out, "BOOTP client without a reserved address (bootp-dynamic = no)");
	uint32_t a = dhcp_binding_choose(ctx, req, ri, now);
	if (!a)
		return dhcp_out_ignore(out, fixed ? "reserved address in use" : "no free address");
	if (!fixed && !bootp_bind(ctx, req, ri, a, now, out))
		return 0;
	struct dhcp_reply rep;
	start_reply(ctx, req, rx, ri, DHCPBOOTREPLY, &rep, out);
	dhcp_reply_encode_bootp(req, &rep, htonl(a), out);
	dhcp_reply_dest(req, DHCPBOOTREPLY, out); /* RFC 1542 §5.4 */
	return DHCPBOOTREPLY;
}

int dhcp_decide(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
		int64_t now, struct dhcp_out *out)
{
	struct dhcp_req_info ri;
	size_t cid_len = 0;
	const uint8_t *cid = dhcp_opt_get(req, DHO_CLIENT_ID, &cid_len);
	out->type = 0;
	out->dest = DEST_NONE;
	out->sync = out->journal = out->probe = false;
	out->why = NULL;
	out->boot.made = false;
	out->len = 0;
	out->yiaddr = 0;
	if (req->op != DHCP_BOOTREQUEST)
		return dhcp_out_ignore(out, "not a request");
	ri.type = dhcp_msg_type(req);
	if (!ri.type && dhcp_opt_has(req, DHO_MSG_TYPE))
		return dhcp_out_ignore(out, "invalid DHCP message type");
	if (req->hlen == 0 && !cid)
		return dhcp_out_ignore(out, "no client identifier and no hardware address");
	ri.key_len = dhcp_client_key(cid, cid_len, req->htype, req->chaddr, req->hlen, ri.key);
	ri.host = dhcp_config_host_for(ctx->cfg, req->chaddr, req->hlen, cid, cid_len);
	const char *refused = dhcp_config_host_refusal(ctx->cfg, ri.host);
	if (refused)
		return dhcp_out_ignore(out, refused);
	ri.subnet = dhcp_binding_subnet(ctx->cfg, req, rx);
	if (!ri.subnet && ri.type != DHCPINFORM)
		return dhcp_out_ignore(out, "no subnet for this link");
	switch (ri.type) {
	case 0: return do_bootp(ctx, req, rx, &ri, now, out);
	case DHCPDISCOVER: return do_discover(ctx, req, rx, &ri, now, out);
	case DHCPREQUEST: return do_request(ctx, req, rx, &ri, now, out);
	case DHCPDECLINE: return do_decline(ctx, req, &ri, now, out);
	case DHCPRELEASE: return do_release(ctx, req, &ri, now, out);
	case DHCPINFORM: return do_inform(ctx, req, rx, &ri, out);
	default: return dhcp_out_ignore(out, "not a client message");
	}
}
