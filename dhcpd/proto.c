/* RFC 2131 §4.3 server behaviour: DISCOVER (§4.3.1), REQUEST (§4.3.2),
 * DECLINE (§4.3.3), RELEASE (§4.3.4), INFORM (§4.3.5); reply delivery per
 * §4.1; relay agents per RFC 3046 (echo option 82) and RFC 3527 (link
 * selection); BOOTP clients per RFC 951, RFC 1542 and RFC 1534. */
#include <string.h>
#include <arpa/inet.h>

#include "proto.h"

struct req_info {
	const struct dhcp_subnet *subnet;
	const struct dhcp_host *host;
	uint8_t key[DHCP_KEY_MAX];
	size_t key_len;
	int type;
};

void *dhcp_reply_scratch(struct dhcp_reply *rep, const void *data, size_t len)
{
	if (rep->scratch_len + len > sizeof(rep->scratch))
		return NULL;
	void *p = rep->scratch + rep->scratch_len;
	memcpy(p, data, len);
	rep->scratch_len += len;
	return p;
}

static int ignore(struct dhcp_out *out, const char *why)
{
	out->type = 0;
	out->why = why;
	return 0;
}

/* The link the client is on: giaddr (or the relay's link-selection
 * sub-option), else the interface the request came in on. */
static const struct dhcp_subnet *pick_subnet(const struct dhcpd_config *c, const struct dhcp_msg *m,
					     const struct dhcp_rx *rx)
{
	if (m->giaddr) {
		size_t n;
		const uint8_t *ls = dhcp_rai_sub(m, DHCP_RAI_LINK_SELECTION, &n);
		uint32_t a;
		if (ls && n == 4) {
			memcpy(&a, ls, 4);
			return dhcp_config_subnet_for(c, ntohl(a));
		}
		return dhcp_config_subnet_for(c, ntohl(m->giaddr));
	}
	return dhcp_config_subnet_for(c, rx->local_addr);
}

static bool in_subnet(const struct dhcp_subnet *s, uint32_t a)
{
	return (a & s->mask) == s->net && a != s->net && a != (s->net | ~s->mask);
}

static bool in_ranges(const struct dhcp_leases *ls, const struct dhcp_subnet *s, uint32_t a)
{
	int r = dhcp_leases_range_of(ls, a);
	return r >= 0 && (size_t)r >= s->first_range && (size_t)r < s->first_range + s->n_ranges;
}

static uint32_t configured_secs(const struct dhcpd_config *c, const struct req_info *ri)
{
	if (ri->host && ri->host->lease_time_ms)
		return (uint32_t)(ri->host->lease_time_ms / 1000);
	return ri->subnet ? ri->subnet->lease_secs : (uint32_t)(c->lease_time_ms / 1000);
}

/* The lease time granted. A client may ask for one with option 51 in a
 * DISCOVER or REQUEST (RFC 2131 §3.1 step 1, §4.3.1): it gets it within
 * [min-lease-time, max-lease-time]; without option 51 the configured time.
 * The limits never exclude the configured time itself (a [host]'s may be
 * longer than its subnet's cap). */
static uint32_t lease_secs(const struct dhcpd_config *c, const struct req_info *ri,
			   const struct dhcp_msg *req)
{
	uint32_t lt = configured_secs(c, ri);
	uint32_t want;
	if (!ri->subnet || !dhcp_opt_u32(req, DHO_LEASE_TIME, &want))
		return lt;
	uint32_t hi = ri->subnet->max_lease_secs > lt ? ri->subnet->max_lease_secs : lt;
	uint32_t lo = ri->subnet->min_lease_secs < lt ? ri->subnet->min_lease_secs : lt;
	return want > hi ? hi : want < lo ? lo : want;
}

static void note_client(struct dhcp_lease *l, const struct dhcp_msg *m)
{
	size_t n;
	const uint8_t *h = dhcp_opt_get(m, DHO_HOSTNAME, &n);
	l->htype = m->htype;
	l->hlen = m->hlen;
	memcpy(l->hw, m->chaddr, sizeof(l->hw));
	if (h) {
		n = n < sizeof(l->hostname) - 1 ? n : sizeof(l->hostname) - 1;
		memcpy(l->hostname, h, n);
		l->hostname[n] = '\0';
	}
}

/* ---- building replies ---- */

static void reply_init(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		       const struct dhcp_rx *rx, const struct req_info *ri, int type,
		       struct dhcp_reply *rep)
{
	const struct dhcpd_config *c = ctx->cfg;
	memset(rep, 0, offsetof(struct dhcp_reply, scratch));
	rep->scratch_len = 0;
	rep->type = type;
	rep->subnet = ri->subnet;
	rep->host = ri->host;
	rep->server_addr = rx->local_addr;
	rep->max_len = dhcp_max_reply(req, DHCP_MAX_MSG);
	if (type == DHCPBOOTREPLY && !dhcp_opt_has(req, DHO_MAX_SIZE))
		rep->max_len = DHCP_BOOTP_MIN; /* RFC 951: a 64-byte vend area */
	dhcp_optset_init(&rep->opts);
	if (ri->subnet) {
		uint32_t mask = htonl(ri->subnet->mask);
		dhcp_optset_put(&rep->opts, DHO_SUBNET_MASK, dhcp_reply_scratch(rep, &mask, 4), 4);
	}
	dhcp_optset_put_list(&rep->opts, &c->global_opts);
	if (ri->subnet)
		dhcp_optset_put_list(&rep->opts, &ri->subnet->opts);
	if (ri->host)
		dhcp_optset_put_list(&rep->opts, &ri->host->opts);
	if (ctx->boot_hook)
		ctx->boot_hook(ctx->boot_arg, req, rep);
}

static void put_u32(struct dhcp_reply *rep, uint8_t code, uint32_t v)
{
	uint32_t be = htonl(v);
	void *p = dhcp_reply_scratch(rep, &be, 4);
	if (p)
		dhcp_optset_put(&rep->opts, code, p, 4);
}

void dhcp_reply_emit_options(struct dhcp_builder *b, const struct dhcp_msg *req,
			     const struct dhcp_reply *rep, const uint8_t *always, size_t n_always)
{
	/* Option 82 goes last, unchanged (RFC 3046 §2.2): keep room for it. */
	size_t rai_len = 0;
	const uint8_t *rai = dhcp_opt_get(req, DHO_RELAY_AGENT, &rai_len);
	size_t rai_room = rai ? rai_len + 2 * ((rai_len + 254) / 255 + 1) : 0;
	/* What does not fit goes into file and sname when they are free
	 * (RFC 2131 §4.1, RFC 2132 §9.3), not for BOOTP: option 52 is a DHCP
	 * extension, and a BOOTP client would read options as a file name. */
	if (rep->type != DHCPBOOTREPLY)
		dhcp_build_allow_overload(b, !rep->file[0], !rep->sname[0]);
	b->cap = rep->max_len > rai_room ? rep->max_len - rai_room : b->len;
	dhcp_optset_emit(&rep->opts, b, req, always, n_always);
	b->cap = rep->max_len;
	if (rai)
		dhcp_build_opt(b, DHO_RELAY_AGENT, rai, rai_len);
}

/* Encode rep for req into out->buf; yiaddr network order. */
static void reply_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
			 uint32_t lease, struct dhcp_out *out)
{
	static const uint8_t always[] = {DHO_SERVER_ID, DHO_LEASE_TIME, DHO_T1, DHO_T2,
					 DHO_SUBNET_MASK};
	uint32_t sid = htonl(rep->server_addr);
	dhcp_optset_put(&rep->opts, DHO_SERVER_ID, dhcp_reply_scratch(rep, &sid, 4), 4);
	if (lease) {
		put_u32(rep, DHO_LEASE_TIME, lease);
		put_u32(rep, DHO_T1, lease / 2); /* RFC 2131 §4.4.5 */
		put_u32(rep, DHO_T2, (uint32_t)((uint64_t)lease * 7 / 8));
	} else {
		dhcp_optset_del(&rep->opts, DHO_LEASE_TIME);
		dhcp_optset_del(&rep->opts, DHO_T1);
		dhcp_optset_del(&rep->opts, DHO_T2);
	}
	struct dhcp_builder b;
	dhcp_build_start(&b, out->buf, rep->max_len, req, (uint8_t)rep->type);
	dhcp_build_set_addr(&b, DHCP_OFF_YIADDR, yiaddr);
	dhcp_build_set_addr(&b, DHCP_OFF_SIADDR, rep->siaddr);
	if (rep->type == DHCPACK && !yiaddr) /* INFORM: echo ciaddr */
		dhcp_build_set_addr(&b, DHCP_OFF_CIADDR, req->ciaddr);
	dhcp_build_set_str(&b, DHCP_OFF_SNAME, 64, rep->sname);
	dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, rep->file);
	dhcp_reply_emit_options(&b, req, rep, always, sizeof(always));
	out->len = dhcp_build_finish(&b);
	out->type = rep->type;
	out->yiaddr = yiaddr;
}

/* RFC 2131 §4.1, "If the 'giaddr' field ... is nonzero". */
static void pick_dest(const struct dhcp_msg *req, int type, struct dhcp_out *out)
{
	if (req->giaddr) {
		out->dest = DEST_RELAY;
		out->dst_addr = req->giaddr;
		if (type == DHCPNAK) /* the relay must broadcast a NAK */
			out->buf[DHCP_OFF_FLAGS] |= 0x80;
	} else if (type == DHCPNAK) {
		out->dest = DEST_BROADCAST;
	} else if (req->ciaddr) {
		out->dest = DEST_CIADDR;
		out->dst_addr = req->ciaddr;
	} else if (req->flags & DHCP_FLAG_BROADCAST) {
		out->dest = DEST_BROADCAST;
	} else {
		out->dest = DEST_YIADDR;
		out->dst_addr = out->yiaddr;
	}
}

static int send_nak(const struct dhcp_msg *req, const struct dhcp_rx *rx, const char *why,
		    struct dhcp_out *out)
{
	struct dhcp_builder b;
	uint32_t sid = htonl(rx->local_addr);
	dhcp_build_start(&b, out->buf, dhcp_max_reply(req, DHCP_MAX_MSG), req, DHCPNAK);
	dhcp_build_opt(&b, DHO_SERVER_ID, &sid, 4);
	dhcp_build_opt(&b, DHO_MESSAGE, why, strlen(why));
	size_t n;
	const uint8_t *rai = dhcp_opt_get(req, DHO_RELAY_AGENT, &n);
	if (rai)
		dhcp_build_opt(&b, DHO_RELAY_AGENT, rai, n);
	out->len = dhcp_build_finish(&b);
	out->type = DHCPNAK;
	out->why = why;
	out->yiaddr = 0;
	pick_dest(req, DHCPNAK, out);
	return DHCPNAK;
}

/* ---- choosing an address ---- */

static bool usable(const struct dhcp_ctx *ctx, const struct req_info *ri, uint32_t a, int64_t now)
{
	if (!in_subnet(ri->subnet, a))
		return false;
	bool fixed = ri->host && ri->host->addr == a;
	if (!fixed && !in_ranges(ctx->leases, ri->subnet, a))
		return false;
	return dhcp_leases_addr_available(ctx->leases, a, ri->key, ri->key_len, now, fixed);
}

/* §4.3.1: the client's current or previous address, else the requested
 * one, else a free one. A host reservation wins over all of them. */
static uint32_t choose_addr(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			    const struct req_info *ri, int64_t now)
{
	if (ri->host && ri->host->addr)
		return usable(ctx, ri, ri->host->addr, now) ? ri->host->addr : 0;
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (l && usable(ctx, ri, l->addr, now))
		return l->addr;
	uint32_t want;
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want) && usable(ctx, ri, ntohl(want), now))
		return ntohl(want);
	uint32_t a;
	if (dhcp_leases_alloc(ctx->leases, ri->subnet->first_range, ri->subnet->n_ranges, &a) < 0)
		return 0;
	return a;
}

static int do_discover(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		       const struct dhcp_rx *rx, const struct req_info *ri, int64_t now,
		       struct dhcp_out *out)
{
	uint32_t a = choose_addr(ctx, req, ri, now);
	if (!a)
		return ignore(out, ri->host && ri->host->addr ? "reserved address in use"
							      : "no free address");
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool fresh = !(l && l->addr == a) && !(ri->host && ri->host->addr == a);
	if (l && l->addr == a && l->probing && dhcp_lease_active(l, now))
		return ignore(out, "ping check of the address in progress");
	if (!(l && l->addr == a && dhcp_lease_active(l, now) && l->state == LEASE_BOUND)) {
		/* Held for this client, so a burst never offers it twice. */
		l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_OFFERED,
				     now + ctx->cfg->offer_time_ms / 1000);
		if (!l)
			return ignore(out, "out of memory");
	}
	note_client(l, req);
	if (fresh && ctx->cfg->ping_check) {
		/* The server pings it and hands the request back to us; only
		 * this client waits (the address is held meanwhile). */
		l->probing = true;
		out->probe = true;
		out->probe_addr = a;
		out->yiaddr = htonl(a);
		return ignore(out, "ping check first");
	}
	struct dhcp_reply rep;
	reply_init(ctx, req, rx, ri, DHCPOFFER, &rep);
	reply_encode(req, &rep, htonl(a), lease_secs(ctx->cfg, ri, req), out);
	pick_dest(req, DHCPOFFER, out);
	return DHCPDISCOVER;
}

static int ack(const struct dhcp_ctx *ctx, const struct dhcp_msg *req, const struct dhcp_rx *rx,
	       const struct req_info *ri, uint32_t a, int64_t now, struct dhcp_out *out)
{
	uint32_t secs = lease_secs(ctx->cfg, ri, req);
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool renew = l && l->addr == a && l->state == LEASE_BOUND;
	l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_BOUND, now + secs);
	if (!l)
		return ignore(out, "out of memory");
	note_client(l, req);
	out->journal = true;
	out->sync = true;
	out->ev = renew ? JEV_RENEW : JEV_ADD;
	out->lease_copy = *l;
	struct dhcp_reply rep;
	reply_init(ctx, req, rx, ri, DHCPACK, &rep);
	reply_encode(req, &rep, htonl(a), secs, out);
	pick_dest(req, DHCPACK, out);
	return DHCPREQUEST;
}

/* §4.3.2 SELECTING: the client names the server it chose in option 54. */
static int req_selecting(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
			 const struct dhcp_rx *rx, const struct req_info *ri, uint32_t sid,
			 int64_t now, struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (ntohl(sid) != rx->local_addr) {
		/* It took another server's offer: free ours now. */
		if (l && l->state == LEASE_OFFERED)
			dhcp_lease_set_state(ctx->leases, l, LEASE_EXPIRED, now);
		return ignore(out, "client chose another server");
	}
	uint32_t want = req->ciaddr;
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want) || want) {
		if (usable(ctx, ri, ntohl(want), now) &&
		    (!ri->host || !ri->host->addr || ri->host->addr == ntohl(want)))
			return ack(ctx, req, rx, ri, ntohl(want), now, out);
	}
	return send_nak(req, rx, "requested address not available", out);
}

/* §4.3.2 INIT-REBOOT (option 50, no ciaddr) and RENEWING/REBINDING
 * (ciaddr). Silence when we know nothing, unless authoritative. */
static int req_verify(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, const struct req_info *ri, uint32_t a, int64_t now,
		      struct dhcp_out *out)
{
	if (!in_subnet(ri->subnet, a))
		return send_nak(req, rx, "wrong network", out);
	if (ri->host && ri->host->addr && ri->host->addr != a)
		return send_nak(req, rx, "address reserved elsewhere for this host", out);
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool known = l && l->addr == a;
	if ((known || ctx->cfg->authoritative) && usable(ctx, ri, a, now))
		return ack(ctx, req, rx, ri, a, now, out);
	if (known || ctx->cfg->authoritative || (l && dhcp_lease_active(l, now)))
		return send_nak(req, rx,
				known ? "address in use" : "address not leased to this client",
				out);
	return ignore(out, "unknown client, not authoritative");
}

static int do_request(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, const struct req_info *ri, int64_t now,
		      struct dhcp_out *out)
{
	uint32_t sid, want;
	if (dhcp_opt_addr(req, DHO_SERVER_ID, &sid))
		return req_selecting(ctx, req, rx, ri, sid, now, out);
	if (req->ciaddr)
		return req_verify(ctx, req, rx, ri, ntohl(req->ciaddr), now, out);
	if (dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &want))
		return req_verify(ctx, req, rx, ri, ntohl(want), now, out);
	return ignore(out, "request without address");
}

static int do_decline(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct req_info *ri, int64_t now, struct dhcp_out *out)
{
	uint32_t a;
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (!dhcp_opt_addr(req, DHO_REQUESTED_ADDR, &a) || !l || l->addr != ntohl(a))
		return ignore(out, "decline for an address the client does not hold");
	dhcp_lease_decline(ctx->leases, l, now + ctx->cfg->decline_time_ms / 1000);
	out->journal = true;
	out->ev = JEV_DECLINE;
	out->lease_copy = *l;
	out->yiaddr = a;
	out->why = "address in use by another host";
	return DHCPDECLINE;
}

static int do_release(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct req_info *ri, int64_t now, struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	if (!l || l->addr != ntohl(req->ciaddr) || l->state != LEASE_BOUND)
		return ignore(out, "release for an address the client does not hold");
	dhcp_lease_set_state(ctx->leases, l, LEASE_RELEASED, now);
	out->journal = true;
	out->ev = JEV_RELEASE;
	out->lease_copy = *l;
	out->yiaddr = req->ciaddr;
	return DHCPRELEASE;
}

static int do_inform(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		     const struct dhcp_rx *rx, struct req_info *ri, struct dhcp_out *out)
{
	if (!req->ciaddr)
		return ignore(out, "inform without ciaddr");
	if (!req->giaddr) /* §4.3.5: the client's own address names its subnet */
		ri->subnet = dhcp_config_subnet_for(ctx->cfg, ntohl(req->ciaddr));
	struct dhcp_reply rep;
	reply_init(ctx, req, rx, ri, DHCPACK, &rep);
	reply_encode(req, &rep, 0, 0, out);
	out->dest = req->giaddr ? DEST_RELAY : DEST_CIADDR;
	out->dst_addr = req->giaddr ? req->giaddr : req->ciaddr;
	return DHCPINFORM;
}

/* ---- BOOTP (RFC 951, RFC 1542, RFC 1534) ---- */

/* A BOOTREPLY: the header, and options only for a client that sent the
 * RFC 1048 cookie; never the DHCP extensions (RFC 2132 §9, codes 50-61:
 * lease time, T1, T2, message type, server identifier ...). */
static void bootp_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
			 struct dhcp_out *out)
{
	static const uint8_t always[] = {DHO_SUBNET_MASK};
	struct dhcp_builder b;
	dhcp_build_start(&b, out->buf, rep->max_len, req, 0);
	dhcp_build_set_addr(&b, DHCP_OFF_YIADDR, yiaddr);
	dhcp_build_set_addr(&b, DHCP_OFF_SIADDR, rep->siaddr);
	dhcp_build_set_str(&b, DHCP_OFF_SNAME, 64, rep->sname);
	dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, rep->file);
	if (req->has_cookie) {
		for (int c = DHO_REQUESTED_ADDR; c <= DHO_CLIENT_ID; c++)
			dhcp_optset_del(&rep->opts, (uint8_t)c);
		dhcp_reply_emit_options(&b, req, rep, always, sizeof(always));
		out->len = dhcp_build_finish(&b);
	} else {
		out->len = dhcp_build_finish_plain(&b);
	}
	out->type = DHCPBOOTREPLY;
	out->yiaddr = yiaddr;
}

/* A dynamic BOOTP address is bound for good: BOOTP has no lease time, no
 * renewal and no release (RFC 1534 §2). False when out says why not yet. */
static bool bootp_bind(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		       const struct req_info *ri, uint32_t a, int64_t now, struct dhcp_out *out)
{
	struct dhcp_lease *l = dhcp_lease_by_client(ctx->leases, ri->key, ri->key_len);
	bool mine = l && l->addr == a && dhcp_lease_active(l, now);
	if (mine && l->probing)
		return ignore(out, "ping check of the address in progress");
	if (!(l && l->addr == a) && ctx->cfg->ping_check) {
		/* As for a DISCOVER: held while the server pings it. */
		l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_OFFERED,
				     now + ctx->cfg->offer_time_ms / 1000);
		if (!l)
			return ignore(out, "out of memory");
		l->probing = true;
		out->probe = true;
		out->probe_addr = a;
		out->yiaddr = htonl(a);
		return ignore(out, "ping check first");
	}
	bool bound = mine && l->state == LEASE_BOUND;
	if (bound && l->expires == DHCP_LEASE_INFINITE) {
		note_client(l, req); /* nothing new for the journal */
		return true;
	}
	l = dhcp_leases_take(ctx->leases, ri->key, ri->key_len, a, LEASE_BOUND,
			     DHCP_LEASE_INFINITE);
	if (!l)
		return ignore(out, "out of memory");
	note_client(l, req);
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
		    const struct dhcp_rx *rx, const struct req_info *ri, int64_t now,
		    struct dhcp_out *out)
{
	bool fixed = ri->host && ri->host->addr;
	if (!fixed && !ri->subnet->bootp_dyn)
		return ignore(out, "BOOTP client without a reserved address (bootp-dynamic = no)");
	uint32_t a = choose_addr(ctx, req, ri, now);
	if (!a)
		return ignore(out, fixed ? "reserved address in use" : "no free address");
	if (!fixed && !bootp_bind(ctx, req, ri, a, now, out))
		return 0;
	struct dhcp_reply rep;
	reply_init(ctx, req, rx, ri, DHCPBOOTREPLY, &rep);
	bootp_encode(req, &rep, htonl(a), out);
	pick_dest(req, DHCPBOOTREPLY, out); /* RFC 1542 §5.4 */
	return DHCPBOOTREPLY;
}

int dhcp_proto_handle(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, int64_t now, struct dhcp_out *out)
{
	struct req_info ri;
	size_t cid_len = 0;
	const uint8_t *cid = dhcp_opt_get(req, DHO_CLIENT_ID, &cid_len);
	out->type = 0;
	out->dest = DEST_NONE;
	out->sync = out->journal = out->probe = false;
	out->why = NULL;
	out->len = 0;
	out->yiaddr = 0;
	if (req->op != DHCP_BOOTREQUEST)
		return ignore(out, "not a request");
	ri.type = dhcp_msg_type(req);
	if (!ri.type && dhcp_opt_has(req, DHO_MSG_TYPE))
		return ignore(out, "invalid DHCP message type");
	if (req->hlen == 0 && !cid)
		return ignore(out, "no client identifier and no hardware address");
	ri.key_len = dhcp_client_key(cid, cid_len, req->htype, req->chaddr, req->hlen, ri.key);
	ri.host = dhcp_config_host_for(ctx->cfg, req->chaddr, req->hlen, cid, cid_len);
	if (ri.host && ri.host->ignore)
		return ignore(out, "host is ignored");
	ri.subnet = pick_subnet(ctx->cfg, req, rx);
	if (!ri.subnet && ri.type != DHCPINFORM)
		return ignore(out, "no subnet for this link");
	switch (ri.type) {
	case 0: return do_bootp(ctx, req, rx, &ri, now, out);
	case DHCPDISCOVER: return do_discover(ctx, req, rx, &ri, now, out);
	case DHCPREQUEST: return do_request(ctx, req, rx, &ri, now, out);
	case DHCPDECLINE: return do_decline(ctx, req, &ri, now, out);
	case DHCPRELEASE: return do_release(ctx, req, &ri, now, out);
	case DHCPINFORM: return do_inform(ctx, req, rx, &ri, out);
	default: return ignore(out, "not a client message");
	}
}
