/* The PXE boot service's decisions and reply contents (issue 7; facts in
 * reference/anchors.md §3.2-3.4). Full mode edits the core's reply through
 * the boot hook; proxyDHCP (port 67, mode=proxy) and boot-server (port
 * 4011, every mode) replies are built here, never with an address. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "boot.h"
#include "pxe/subst.h"

/* ---- the decision ---- */

static void pxe_raw_from_msg(const struct dhcp_msg *m, struct dhcp_pxe_raw *r)
{
	memset(r, 0, sizeof(*r));
	r->msg_type = (uint8_t)dhcp_msg_type(m);
	r->htype = m->htype;
	r->chaddr = m->chaddr;
	r->hlen = m->hlen > 16 ? 16 : m->hlen;
	r->vendor_class.data = dhcp_opt_get(m, DHO_VENDOR_CLASS, &r->vendor_class.len);
	r->user_class.data = dhcp_opt_get(m, DHO_USER_CLASS, &r->user_class.len);
	r->arch.data = dhcp_opt_get(m, DHO_CLIENT_ARCH, &r->arch.len);
	r->ndi.data = dhcp_opt_get(m, DHO_CLIENT_NDI, &r->ndi.len);
	r->uuid.data = dhcp_opt_get(m, DHO_UUID, &r->uuid.len);
	r->vendor_opts.data = dhcp_opt_get(m, DHO_VENDOR_ENCAP, &r->vendor_opts.len);
	r->ipxe_encap.data = dhcp_opt_get(m, 175, &r->ipxe_encap.len);
}

static const struct dhcp_boot *select_boot(const struct dhcpd_config *cfg,
					   const struct dhcp_pxe_client *c)
{
	for (size_t i = 0; i < cfg->n_boots; i++)
		if (dhcp_pxe_boot_matches(&cfg->boots[i].pxe, c))
			return &cfg->boots[i];
	return NULL;
}

static void expand_file(struct dhcp_boot_decision *dec, uint32_t server)
{
	const struct dhcp_pxe_client *c = &dec->client;
	const char *tmpl = dhcp_pxe_boot_file(&dec->boot->pxe, c);
	if (!tmpl || !tmpl[0]) {
		dec->why = "section gives no file";
		return;
	}
	struct dhcp_pxe_subst_vars v = {.server_be = htonl(server),
					.mac = c->mac,
					.mac_len = c->mac_len,
					.arch_known = c->arch_known,
					.arch = c->arch};
	if (dhcp_pxe_subst(dec->file, sizeof(dec->file), tmpl, &v) < 0) {
		dec->file[0] = '\0';
		dec->why = "file does not expand (too long, or ${arch} of an unknown arch)";
	}
}

/* server: our address on the receiving interface, host order. */
static void decide(const struct dhcpd_config *cfg, const struct dhcp_msg *req, uint32_t server,
		   struct dhcp_boot_decision *dec)
{
	struct dhcp_pxe_raw raw;
	pxe_raw_from_msg(req, &raw);
	dec->file[0] = '\0';
	dec->why = NULL;
	dec->warn = NULL;
	dec->delay_ms = 0;
	dec->broadcast = false;
	dhcp_pxe_client_classify(&raw, &dec->client);
	const struct dhcp_pxe_client *c = &dec->client;
	dec->boot = select_boot(cfg, c);
	dec->made = dec->boot || dhcp_pxe_client_is_netboot(c) || c->is_ipxe ||
		    c->rpi != DHCP_PXE_RPI_NONE;
	if (!dec->boot) {
		dec->why = "no [boot] section matches";
		return;
	}
	dec->delay_ms = dec->boot->delay_ms;
	dec->broadcast = dec->boot->broadcast;
	expand_file(dec, server);
}

/* Whether the decision gives the client something to boot. */
static bool serves(const struct dhcp_boot_decision *dec)
{
	return dec->boot && (dec->file[0] || dec->boot->pxe.menu.n > 0);
}

/* ---- reply contents ---- */

static bool param_requested(const struct dhcp_msg *req, uint8_t code)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(req, DHO_PARAM_LIST, &n);
	for (size_t i = 0; p && i < n; i++)
		if (p[i] == code)
			return true;
	return false;
}

static void put(struct dhcp_reply *rep, uint8_t code, const void *val, size_t len)
{
	void *p = dhcp_reply_scratch(rep, val, len);
	if (p)
		dhcp_optset_put(&rep->opts, code, p, len);
}

/* The boot file goes into the `file` header field and, when the client
 * asked for option 67 (or the name does not fit the field), into option 67
 * as well: some firmware reads only one of them. */
static void put_file(const struct dhcp_boot_decision *dec, const struct dhcp_msg *req,
		     struct dhcp_reply *rep)
{
	size_t n = strlen(dec->file);
	if (n < sizeof(rep->file))
		memcpy(rep->file, dec->file, n + 1);
	if (n >= sizeof(rep->file) || param_requested(req, DHO_BOOTFILE))
		put(rep, DHO_BOOTFILE, dec->file, n);
}

static void put_pxe_opts(const struct dhcp_boot_decision *dec, const struct dhcp_msg *req,
			 struct dhcp_reply *rep)
{
	const struct dhcp_pxe_client *c = &dec->client;
	const struct dhcp_boot *b = dec->boot;
	/* A proxy offer must carry 60 "PXEClient" (EDK2 PxeBcDhcp4.c); an HTTP
	 * Boot offer 60 "HTTPClient" (HttpBootDhcp4.c). */
	const char *vc = dhcp_pxe_reply_vendor_class(c);
	if (vc)
		put(rep, DHO_VENDOR_CLASS, vc, strlen(vc));
	size_t n;
	const uint8_t *uuid = dhcp_opt_get(req, DHO_UUID, &n);
	if (uuid && c->has_uuid && b->echo_uuid) /* PXE spec 2.1 §2.2.1 */
		put(rep, DHO_UUID, uuid, n);
	uint8_t o43[DHCP_PXE_OPT43_MAX];
	int len = dhcp_pxe_boot_opt43(&b->pxe, c, htonl(rep->server_addr), o43, sizeof(o43));
	if (len > 0)
		put(rep, DHO_VENDOR_ENCAP, o43, (size_t)len);
}

static void fill_reply(const struct dhcp_boot_decision *dec, const struct dhcp_msg *req,
		       struct dhcp_reply *rep)
{
	const struct dhcp_boot *b = dec->boot;
	rep->siaddr = b && b->pxe.has_next_server ? b->pxe.next_server_be : htonl(rep->server_addr);
	if (dec->client.is_http && rep->max_len > DHCP_PXE_HTTP_MAX_OFFER)
		rep->max_len = DHCP_PXE_HTTP_MAX_OFFER; /* EDK2 drops larger offers */
	if (!serves(dec))
		return;
	snprintf(rep->sname, sizeof(rep->sname), "%s", b->pxe.server_name);
	dhcp_optset_put_list(&rep->opts, &b->option.opts);
	if (dec->file[0])
		put_file(dec, req, rep);
	/* Options 60, 97 and 43 only for firmware that sent option 60 (every
	 * PXE ROM, EDK2, iPXE and the Pi boot loader do): a Pi running Linux
	 * matched by its MAC prefix gets none of them. */
	if (dhcp_pxe_client_is_netboot(&dec->client))
		put_pxe_opts(dec, req, rep);
}

/* EDK2 cannot resolve a URL's host name without a DNS server in some
 * offer: say so in the log when there is none to send. */
static void check_dns(struct dhcp_boot_decision *dec, const struct dhcp_reply *rep)
{
	if (dec->client.is_http && dhcp_pxe_url_host_is_name(dec->file) &&
	    !dhcp_optset_has(&rep->opts, DHO_DNS))
		dec->warn = "the URL names a host but no dns is configured";
}

void dhcp_boot_full_hook(void *arg, const struct dhcp_msg *req, struct dhcp_reply *rep)
{
	struct dhcp_boot_ctx *bc = arg;
	decide(bc->cfg, req, rep->server_addr, &bc->dec);
	if (!bc->dec.made)
		return;
	fill_reply(&bc->dec, req, rep);
	check_dns(&bc->dec, rep);
}

/* ---- proxyDHCP and boot-server replies ---- */

static int ignore(struct dhcp_out *out, const char *why)
{
	out->type = 0;
	out->why = why;
	return 0;
}

/* The reply type for req, or 0 (out->why set). A proxy never answers a
 * DHCPREQUEST meant for another server (§4.3.2: option 54 names it). */
static int proxy_type(const struct dhcp_msg *req, const struct dhcp_rx *rx, bool on_4011,
		      struct dhcp_out *out)
{
	uint32_t sid;
	int type = dhcp_msg_type(req);
	if (req->op != DHCP_BOOTREQUEST)
		return ignore(out, "not a request");
	if (on_4011) { /* PXE boot-server request, or EDK2's BINL request */
		if (type == DHCPREQUEST || type == DHCPINFORM)
			return DHCPACK;
		return ignore(out, "port 4011 answers DHCPREQUEST and DHCPINFORM only");
	}
	switch (type) {
	case DHCPDISCOVER: return DHCPOFFER;
	case DHCPINFORM: return DHCPACK;
	case DHCPREQUEST:
		if (dhcp_opt_addr(req, DHO_SERVER_ID, &sid) && ntohl(sid) == rx->local_addr)
			return DHCPACK;
		return ignore(out, "proxy: request for another server");
	default: return ignore(out, "proxy: not a DISCOVER, REQUEST or INFORM");
	}
}

static void proxy_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, struct dhcp_out *out)
{
	static const uint8_t always[] = {DHO_SERVER_ID, DHO_VENDOR_CLASS, DHO_UUID,
					 DHO_VENDOR_ENCAP};
	uint32_t sid = htonl(rep->server_addr);
	put(rep, DHO_SERVER_ID, &sid, 4);
	struct dhcp_builder b;
	dhcp_build_start(&b, out->buf, rep->max_len, req, (uint8_t)rep->type);
	dhcp_build_set_addr(&b, DHCP_OFF_CIADDR, req->ciaddr);
	dhcp_build_set_addr(&b, DHCP_OFF_SIADDR, rep->siaddr);
	dhcp_build_set_str(&b, DHCP_OFF_SNAME, 64, rep->sname);
	dhcp_build_set_str(&b, DHCP_OFF_FILE, 128, rep->file);
	dhcp_reply_emit_options(&b, req, rep, always, sizeof(always));
	out->len = dhcp_build_finish(&b);
	out->type = rep->type;
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
static void proxy_dns(const struct dhcpd_config *cfg, const struct dhcp_boot_decision *dec,
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

int dhcp_boot_proxy(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
		    const struct dhcp_rx *rx, bool on_4011, struct dhcp_boot_decision *dec,
		    struct dhcp_out *out)
{
	memset(out, 0, offsetof(struct dhcp_out, lease_copy));
	out->why = NULL;
	out->len = 0;
	out->yiaddr = 0;
	out->probe = false;
	dec->made = false;
	int type = proxy_type(req, rx, on_4011, out);
	if (!type)
		return 0;
	decide(cfg, req, rx->local_addr, dec);
	if (!dhcp_pxe_client_is_netboot(&dec->client)) {
		dec->made = false; /* not ours to log: an ordinary DHCP client */
		return ignore(out, "proxy: not a PXE or HTTP boot client");
	}
	if (!serves(dec))
		return ignore(out, dec->why ? dec->why : "no boot file for this client");
	/* Layer bit 0x8000 asks for BIS credentials, which we do not have; a
	 * reply without them fails the client's check, so stay silent (as
	 * dnsmasq does). */
	if (dec->client.has_boot_item && (dec->client.boot_item_layer & DHCP_PXE_LAYER_BIS))
		return ignore(out, "BIS credentials requested (not supported)");
	struct dhcp_reply rep;
	memset(&rep, 0, offsetof(struct dhcp_reply, scratch));
	rep.scratch_len = 0;
	rep.type = type;
	rep.server_addr = rx->local_addr;
	rep.max_len = dhcp_max_reply(req, DHCP_MAX_MSG);
	dhcp_optset_init(&rep.opts);
	fill_reply(dec, req, &rep);
	proxy_dns(cfg, dec, rx, &rep);
	check_dns(dec, &rep);
	proxy_encode(req, &rep, out);
	return type;
}
