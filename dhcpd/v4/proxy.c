/* SPDX-License-Identifier: MIT */
/* proxyDHCP (port 67, mode=proxy) and boot-server (port 4011) replies:
 * the boot decision's contents, never an address (see proxy.h). */
#include <string.h>
#include <arpa/inet.h>

#include "proxy.h"
#include "pxe/subst.h"
#include "pxe_reply.h"

/* The reply type for req, or 0 (out->why set). A proxy never answers a
 * DHCPREQUEST meant for another server (RFC 2131 §4.3.2: option 54
 * names it). */
static int proxy_type(const struct dhcp_msg *req, const struct dhcp_rx *rx, bool on_4011,
		      struct dhcp_out *out)
{
	uint32_t sid;
	int type = dhcp_msg_type(req);
	if (req->op != DHCP_BOOTREQUEST)
		return dhcp_out_ignore(out, "not a request");
	if (on_4011) { /* PXE boot-server request, or EDK2's BINL request */
		if (type == DHCPREQUEST || type == DHCPINFORM)
			return DHCPACK;
		return dhcp_out_ignore(out, "port 4011 answers DHCPREQUEST and DHCPINFORM only");
	}
	switch (type) {
	case DHCPDISCOVER: return DHCPOFFER;
	case DHCPINFORM: return DHCPACK;
	case DHCPREQUEST:
		if (dhcp_opt_addr(req, DHO_SERVER_ID, &sid) && ntohl(sid) == rx->local_addr)
			return DHCPACK;
		return dhcp_out_ignore(out, "proxy: request for another server");
	default: return dhcp_out_ignore(out, "proxy: not a DISCOVER, REQUEST or INFORM");
	}
}

static void proxy_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, struct dhcp_out *out)
{
	static const uint8_t always[] = {DHO_SERVER_ID, DHO_VENDOR_CLASS, DHO_UUID,
					 DHO_VENDOR_ENCAP};
	uint32_t sid = htonl(rep->server_addr);
	dhcp_reply_put(rep, DHO_SERVER_ID, &sid, 4);
	dhcp_reply_build(req, rep, 0, req->ciaddr, always, sizeof(always), out);
	/* RFC 2131 §4.1; a proxy offer has no yiaddr to unicast to, so it is
	 * broadcast (as dnsmasq does). */
	if (req->giaddr) {
		out->dest = DEST_RELAY;
		out->dst_addr = req->giaddr;
	} else if (req->ciaddr) {
		out->dest = DEST_CIADDR;
		out->dst_addr = req->ciaddr;
	} else {
		out->dest = DEST_BROADCAST;
	}
}

/* A proxy sends no subnet options, but an HTTP Boot URL with a host name
 * needs a DNS server in some offer (EDK2 HttpBootDhcp4.c): the subnet's
 * dns, when one is configured, goes along. */
static void proxy_dns(const struct dhcpd_config *cfg, const struct dhcp_pxe_decision *dec,
		      const struct dhcp_rx *rx, struct dhcp_reply *rep)
{
	if (!dec->client.is_http || !dhcp_pxe_url_host_is_name(dec->file) ||
	    dhcp_optset_has(&rep->opts, DHO_DNS))
		return;
	const struct dhcp_subnet *s = dhcp_config_subnet_for(cfg, rx->local_addr);
	for (size_t i = 0; s && i < s->opts.n; i++)
		if (s->opts.v[i].code == DHO_DNS)
			dhcp_optset_put(&rep->opts, DHO_DNS, s->opts.v[i].data, s->opts.v[i].len);
}

/* Why a client we decided for gets no proxy reply, or NULL. */
static const char *refused(const struct dhcp_pxe_decision *dec)
{
	if (!dhcp_pxe_serves(dec))
		return dec->why ? dec->why : "no boot file for this client";
	/* Layer bit 0x8000 asks for BIS credentials, which we do not have; a
	 * reply without them fails the client's check, so stay silent (as
	 * dnsmasq does). */
	if (dec->client.has_boot_item && (dec->client.boot_item_layer & DHCP_PXE_LAYER_BIS))
		return "BIS credentials requested (not supported)";
	return NULL;
}

int dhcp_proxy_decide(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, bool on_4011, struct dhcp_out *out)
{
	struct dhcp_pxe_decision *dec = &out->boot;
	memset(out, 0, offsetof(struct dhcp_out, lease_copy));
	out->why = NULL;
	out->len = 0;
	out->yiaddr = 0;
	out->probe = false;
	dec->made = false;
	int type = proxy_type(req, rx, on_4011, out);
	if (!type)
		return 0;
	/* [host] applies here too: ignore = yes, known-only and the known
	 * term, as dnsmasq's dhcp-host and tag:known do in proxy mode. */
	size_t cid_len = 0;
	const uint8_t *cid = dhcp_opt_get(req, DHO_CLIENT_ID, &cid_len);
	const struct dhcp_host *host =
		dhcp_config_host_for(cfg, req->chaddr, req->hlen, cid, cid_len);
	const char *host_why = dhcp_config_host_refusal(cfg, host);
	if (host_why)
		return dhcp_out_ignore(out, host_why);
	struct dhcp_pxe_raw raw;
	dhcp_pxe_reply_raw(req, &raw);
	raw.known = host != NULL;
	dhcp_pxe_decide(cfg->boots, cfg->n_boots, &raw,
			&(struct dhcp_pxe_server){.v4_be = htonl(rx->local_addr)}, dec);
	if (!dhcp_pxe_client_is_netboot(&dec->client)) {
		dec->made = false; /* not ours to log: an ordinary DHCP client */
		return dhcp_out_ignore(out, "proxy: not a PXE or HTTP boot client");
	}
	const char *why = refused(dec);
	if (why)
		return dhcp_out_ignore(out, why);
	struct dhcp_reply rep;
	dhcp_reply_start(&rep, req, rx->local_addr, type); /* no subnet's options */
	dhcp_pxe_reply_fill(dec, req, &rep);
	/* A proxy offer with a menu sends the client to a boot server named
	 * in 43.8 (or found on port 4011), not to siaddr: 0.0.0.0 there, as
	 * dnsmasq sends (PXE spec 2.1 §2.2.3 reads the boot server list). */
	if (!on_4011 && dec->boot && !dec->file[0] && dec->boot->pxe.menu.n > 0 &&
	    !dec->boot->pxe.has_next_server)
		rep.siaddr = 0;
	proxy_dns(cfg, dec, rx, &rep);
	dhcp_pxe_reply_check_dns(dec, &rep);
	proxy_encode(req, &rep, out);
	return type;
}
