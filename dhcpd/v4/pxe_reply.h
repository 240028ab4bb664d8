/* SPDX-License-Identifier: MIT */
/* The PXE boot decision in DHCPv4 terms: the request's options as the PXE
 * layer reads them, and what a decision puts into a reply: siaddr, sname,
 * file, options 43, 60, 67 and 97, the section's options (PXE spec 2.1
 * §2.2; EDK2 PxeBcDhcp4.c, HttpBootDhcp4.c). Pure. */
#ifndef DHCP_V4_PXE_REPLY_H
#define DHCP_V4_PXE_REPLY_H

#include "pxe/service.h"
#include "reply.h"
#include "wire.h"

/* The request's raw PXE facts: options 60, 77, 93, 94, 97, 43, 175 and
 * the header's htype and chaddr. */
void dhcp_pxe_reply_raw(const struct dhcp_msg *m, struct dhcp_pxe_raw *r);

/* Full mode: decide for req among the config's [boot] sections and fill
 * rep (begun with dhcp_reply_init, which holds our address) when the
 * client is one to boot; the decision into dec. */
void dhcp_pxe_reply_full(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
			 struct dhcp_reply *rep, struct dhcp_pxe_decision *dec);
/* What a decision puts into rep: siaddr always; the rest when it serves
 * the client; options 60, 97 and 43 only to network-boot firmware. */
void dhcp_pxe_reply_fill(const struct dhcp_pxe_decision *dec, const struct dhcp_msg *req,
			 struct dhcp_reply *rep);
/* EDK2 cannot resolve a URL's host name without a DNS server in some
 * offer: dec->warn says so when rep has none to send. */
void dhcp_pxe_reply_check_dns(struct dhcp_pxe_decision *dec, const struct dhcp_reply *rep);

#endif
