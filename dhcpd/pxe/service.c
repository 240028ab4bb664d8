/* SPDX-License-Identifier: MIT */
/* The PXE boot service's decision (see service.h): classify, select the
 * first matching [boot] section, expand its file. */
#include "service.h"

#include "section.h"
#include "subst.h"

static const struct dhcp_boot *select_boot(const struct dhcp_boot *boots, size_t n,
					   const struct dhcp_pxe_client *c)
{
	for (size_t i = 0; i < n; i++)
		if (dhcp_pxe_boot_matches(&boots[i].pxe, c))
			return &boots[i];
	return NULL;
}

static void expand_file(struct dhcp_pxe_decision *dec, const struct dhcp_pxe_server *srv)
{
	const struct dhcp_pxe_client *c = &dec->client;
	const char *tmpl = dhcp_pxe_boot_file(&dec->boot->pxe, c);
	if (!tmpl || !tmpl[0]) {
		dec->why = "section gives no file";
		return;
	}
	struct dhcp_pxe_subst_vars v = {.server_be = srv->v4_be,
					.server6 = srv->v6,
					.mac = c->mac,
					.mac_len = c->mac_len,
					.arch_known = c->arch_known,
					.arch = c->arch};
	if (dhcp_pxe_subst(dec->file, sizeof(dec->file), tmpl, &v) < 0) {
		dec->file[0] = '\0';
		dec->why = "file does not expand (too long, or ${arch} of an unknown arch)";
	}
}

void dhcp_pxe_decide(const struct dhcp_boot *boots, size_t n, const struct dhcp_pxe_raw *raw,
		     const struct dhcp_pxe_server *srv, struct dhcp_pxe_decision *dec)
{
	dec->file[0] = '\0';
	dec->why = NULL;
	dec->warn = NULL;
	dec->delay_ms = 0;
	dec->broadcast = false;
	dhcp_pxe_client_classify(raw, &dec->client);
	const struct dhcp_pxe_client *c = &dec->client;
	dec->boot = select_boot(boots, n, c);
	dec->made = dec->boot || dhcp_pxe_client_is_netboot(c) || c->is_ipxe ||
		    c->rpi != DHCP_PXE_RPI_NONE;
	if (!dec->boot) {
		dec->why = "no [boot] section matches";
		return;
	}
	dec->delay_ms = dec->boot->delay_ms;
	dec->broadcast = dec->boot->broadcast;
	expand_file(dec, srv);
}

bool dhcp_pxe_serves(const struct dhcp_pxe_decision *dec)
{
	return dec->boot && (dec->file[0] || dec->boot->pxe.menu.n > 0);
}
