/* SPDX-License-Identifier: MIT */
/* DHCPv4 reply building and delivery choice (see reply.h): layered
 * options, option 82 echoed last (RFC 3046 §2.2), option overload (RFC
 * 2132 §9.3), destinations (RFC 2131 §4.1), BOOTREPLY (RFC 951, 1542). */
#include <string.h>
#include <arpa/inet.h>

#include "reply.h"

int dhcp_out_ignore(struct dhcp_out *out, const char *why)
{
	out->type = 0;
	out->why = why;
	return 0;
}

void *dhcp_reply_scratch(struct dhcp_reply *rep, const void *data, size_t len)
{
	if (rep->scratch_len + len > sizeof(rep->scratch))
		return NULL;
	void *p = rep->scratch + rep->scratch_len;
	memcpy(p, data, len);
	rep->scratch_len += len;
	return p;
}

void dhcp_reply_put(struct dhcp_reply *rep, uint8_t code, const void *val, size_t len)
{
	void *p = dhcp_reply_scratch(rep, val, len);
	if (p)
		dhcp_optset_put(&rep->opts, code, p, len);
}

static void put_u32(struct dhcp_reply *rep, uint8_t code, uint32_t v)
{
	uint32_t be = htonl(v);
	dhcp_reply_put(rep, code, &be, 4);
}

void dhcp_reply_start(struct dhcp_reply *rep, const struct dhcp_msg *req, uint32_t server_addr,
		      int type)
{
	memset(rep, 0, offsetof(struct dhcp_reply, scratch));
	rep->scratch_len = 0;
	rep->type = type;
	rep->server_addr = server_addr;
	rep->max_len = dhcp_max_reply(req, DHCP_MAX_MSG);
	if (type == DHCPBOOTREPLY && !dhcp_opt_has(req, DHO_MAX_SIZE))
		rep->max_len = DHCP_BOOTP_MIN; /* RFC 951: a 64-byte vend area */
	dhcp_optset_init(&rep->opts);
}

void dhcp_reply_init(struct dhcp_reply *rep, const struct dhcpd_config *c,
		     const struct dhcp_msg *req, uint32_t server_addr, const struct dhcp_subnet *s,
		     const struct dhcp_host *h, int type)
{
	dhcp_reply_start(rep, req, server_addr, type);
	rep->subnet = s;
	rep->host = h;
	if (s)
		put_u32(rep, DHO_SUBNET_MASK, s->mask);
	dhcp_optset_put_list(&rep->opts, &c->global_opts);
	if (s)
		dhcp_optset_put_list(&rep->opts, &s->opts);
	if (h)
		dhcp_optset_put_list(&rep->opts, &h->opts);
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

void dhcp_reply_build(const struct dhcp_msg *req, const struct dhcp_reply *rep, uint32_t yiaddr,
		      uint32_t ciaddr, const uint8_t *always, size_t n_always, struct dhcp_out *out)
{
	struct dhcp_builder b;
	dhcp_build_start(&b, out->buf, rep->max_len, req, (uint8_t)rep->type);
	dhcp_build_set_addr(&b, DHCP_OFF_YIADDR, yiaddr);
	dhcp_build_set_addr(&b, DHCP_OFF_CIADDR, ciaddr);
	dhcp_build_set_addr(&b, DHCP_OFF_SIADDR, rep->siaddr);
	dhcp_build_set_str(&b, DHCP_OFF_SNAME, 64, rep->sname);
	dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, rep->file);
	dhcp_reply_emit_options(&b, req, rep, always, n_always);
	out->len = dhcp_build_finish(&b);
	out->type = rep->type;
}

void dhcp_reply_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
		       uint32_t lease, struct dhcp_out *out)
{
	static const uint8_t always[] = {DHO_SERVER_ID, DHO_LEASE_TIME, DHO_T1, DHO_T2,
					 DHO_SUBNET_MASK};
	put_u32(rep, DHO_SERVER_ID, rep->server_addr);
	if (lease) {
		put_u32(rep, DHO_LEASE_TIME, lease);
		put_u32(rep, DHO_T1, lease / 2); /* RFC 2131 §4.4.5 */
		put_u32(rep, DHO_T2, (uint32_t)((uint64_t)lease * 7 / 8));
	} else {
		dhcp_optset_del(&rep->opts, DHO_LEASE_TIME);
		dhcp_optset_del(&rep->opts, DHO_T1);
		dhcp_optset_del(&rep->opts, DHO_T2);
	}
	/* An ACK to an INFORM has no yiaddr and echoes ciaddr. */
	uint32_t ciaddr = rep->type == DHCPACK && !yiaddr ? req->ciaddr : 0;
	dhcp_reply_build(req, rep, yiaddr, ciaddr, always, sizeof(always), out);
	out->yiaddr = yiaddr;
}

void dhcp_reply_encode_bootp(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
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
		/* RFC 2132 §9, codes 50-61: lease time, T1, T2, message type,
		 * server identifier ... are DHCP's, not BOOTP's. */
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

/* RFC 2131 §4.1, "If the 'giaddr' field ... is nonzero". */
void dhcp_reply_dest(const struct dhcp_msg *req, int type, struct dhcp_out *out)
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

int dhcp_reply_nak(const struct dhcp_msg *req, const struct dhcp_rx *rx, const char *why,
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
	dhcp_reply_dest(req, DHCPNAK, out);
	return DHCPNAK;
}
