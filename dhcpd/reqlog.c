/* SPDX-License-Identifier: MIT */
/* The log lines of a request (see reqlog.h). */
#include <stdio.h>
#include <net/if.h>
#include <arpa/inet.h>

#include "log.h"
#include "reqlog.h"
#include "v4/proxy.h"

struct dhcp_heldlog *dhcp_reqlog_request(const struct dhcp_msg *m, int type,
					 const struct dhcp_out *o, int ifindex)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, o->type || o->journal ? PXE_LOG_INFO : PXE_LOG_DEBUG, "dhcp");
	if (!l.active)
		return NULL;
	char xid[16], ip[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];
	snprintf(xid, sizeof(xid), "0x%08x", m->xid);
	pxe_log_str(&l, "type", dhcp_msg_type_name(type));
	pxe_log_mac(&l, "mac", m->chaddr, m->hlen <= 16 ? m->hlen : 16);
	pxe_log_str(&l, "xid", xid);
	if (ifindex > 0 && if_indextoname((unsigned)ifindex, ifn))
		pxe_log_str(&l, "iface", ifn);
	if (m->giaddr)
		pxe_log_str(&l, "relay", inet_ntop(AF_INET, &m->giaddr, ip, sizeof(ip)));
	struct dhcp_logtail t = {.reply = o->type ? dhcp_msg_type_name(o->type) : NULL};
	if (o->yiaddr)
		inet_ntop(AF_INET, &o->yiaddr, t.ip, sizeof(t.ip));
	if (o->journal) {
		t.lease = dhcp_jevent_name(o->ev);
		snprintf(t.hostname, sizeof(t.hostname), "%s", o->lease_copy.hostname);
	}
	if (o->why)
		snprintf(t.why, sizeof(t.why), "%s", o->why);
	if (o->sync && o->type)
		return dhcp_heldlog_make(&l, &t);
	dhcp_logtail_write(&l, &t);
	pxe_log_end(&l);
	return NULL;
}

void dhcp_reqlog_pxe(const struct dhcp_msg *m, const struct dhcp_pxe_decision *dec,
		     const struct dhcp_rx *rx)
{
	struct pxe_log_line l;
	const struct dhcp_pxe_client *c = &dec->client;
	pxe_log_begin(&l, PXE_LOG_INFO, "pxe");
	if (!l.active)
		return;
	char xid[16];
	snprintf(xid, sizeof(xid), "0x%08x", m->xid);
	pxe_log_mac(&l, "mac", m->chaddr, m->hlen <= 16 ? m->hlen : 16);
	pxe_log_str(&l, "xid", xid);
	pxe_log_str(&l, "type", dhcp_msg_type_name(dhcp_msg_type(m)));
	if (rx->on_4011)
		pxe_log_uint(&l, "port", DHCP_PORT_PXE);
	pxe_log_str(&l, "arch", c->arch_known ? c->arch_name : "unknown");
	if (c->arch_known)
		pxe_log_uint(&l, "arch_code", c->arch);
	pxe_log_str(&l, "class", dhcp_pxe_client_class(c));
	if (c->rpi != DHCP_PXE_RPI_NONE)
		pxe_log_str(&l, "rpi", dhcp_pxe_rpi_name(c->rpi));
	if (c->has_boot_item)
		pxe_log_uint(&l, "item", c->boot_item_type);
	pxe_log_str(&l, "boot", dec->boot ? dec->boot->pxe.name : "-");
	pxe_log_str(&l, "file", dec->file[0] ? dec->file : "-");
	if (!dec->file[0] && dec->why)
		pxe_log_str(&l, "why", dec->why);
	if (dec->warn)
		pxe_log_str(&l, "warn", dec->warn);
	pxe_log_end(&l);
}
