/* SPDX-License-Identifier: MIT */
/* What the PXE boot decision puts into a DHCPv4 reply (see pxe_reply.h). */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "pxe/subst.h"
#include "pxe_reply.h"

void dhcp_pxe_reply_raw(const struct dhcp_msg *m, struct dhcp_pxe_raw *r)
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

static bool param_requested(const struct dhcp_msg *req, uint8_t code)
{
	size_t n;
	const uint8_t *p = dhcp_opt_get(req, DHO_PARAM_LIST, &n);
	for (size_t i = 0; p && i < n; i++)
		if (p[i] == code)
			return true;
	return false;
}

/* The boot file goes into the `file` header field and, when the client
 * asked for option 67 (or the name does not fit the field), into option 67
 * as well: some firmware reads only one of them. */
static void put_file(const struct dhcp_pxe_decision *dec, const struct dhcp_msg *req,
		     struct dhcp_reply *rep)
{
	size_t n = strlen(dec->file);
	if (n < sizeof(rep->file))
		memcpy(rep->file, dec->file, n + 1);
	if (n >= sizeof(rep->file) || param_requested(req, DHO_BOOTFILE))
		dhcp_reply_put(rep, DHO_BOOTFILE, dec->file, n);
}

static void put_pxe_opts(const struct dhcp_pxe_decision *dec, const struct dhcp_msg *req,
			 struct dhcp_reply *rep)
{
	const struct dhcp_pxe_client *c = &dec->client;
	const struct dhcp_boot *b = dec->boot;
	/* A proxy offer must carry 60 "PXEClient" (EDK2 PxeBcDhcp4.c); an
	 * HTTP Boot offer 60 "HTTPClient" (HttpBootDhcp4.c), with a URL. */
	const char *vc = dhcp_pxe_boot_opt60(&b->pxe, c, dec->file);
	if (vc)
		dhcp_reply_put(rep, DHO_VENDOR_CLASS, vc, strlen(vc));
	size_t n;
	const uint8_t *uuid = dhcp_opt_get(req, DHO_UUID, &n);
	if (uuid && c->has_uuid && b->echo_uuid) /* PXE spec 2.1 §2.2.1 */
		dhcp_reply_put(rep, DHO_UUID, uuid, n);
	uint8_t o43[DHCP_PXE_OPT43_MAX];
	int len = dhcp_pxe_boot_opt43(&b->pxe, c, htonl(rep->server_addr), o43, sizeof(o43));
	if (len > 0)
		dhcp_reply_put(rep, DHO_VENDOR_ENCAP, o43, (size_t)len);
}

void dhcp_pxe_reply_fill(const struct dhcp_pxe_decision *dec, const struct dhcp_msg *req,
			 struct dhcp_reply *rep)
{
	const struct dhcp_boot *b = dec->boot;
	rep->siaddr = b && b->pxe.has_next_server ? b->pxe.next_server_be : htonl(rep->server_addr);
	if (dec->client.is_http && rep->max_len > DHCP_PXE_HTTP_MAX_OFFER)
		rep->max_len = DHCP_PXE_HTTP_MAX_OFFER; /* EDK2 drops larger offers */
	if (!dhcp_pxe_serves(dec))
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

void dhcp_pxe_reply_check_dns(struct dhcp_pxe_decision *dec, const struct dhcp_reply *rep)
{
	if (dec->client.is_http && dhcp_pxe_url_host_is_name(dec->file) &&
	    !dhcp_optset_has(&rep->opts, DHO_DNS))
		dec->warn = "the URL names a host but no dns is configured";
}

void dhcp_pxe_reply_full(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
			 struct dhcp_reply *rep, struct dhcp_pxe_decision *dec)
{
	struct dhcp_pxe_raw raw;
	dhcp_pxe_reply_raw(req, &raw);
	raw.known = rep->host != NULL;
	dhcp_pxe_decide(cfg->boots, cfg->n_boots, &raw,
			&(struct dhcp_pxe_server){.v4_be = htonl(rep->server_addr)}, dec);
	if (!dec->made)
		return;
	dhcp_pxe_reply_fill(dec, req, rep);
	dhcp_pxe_reply_check_dns(dec, rep);
}
