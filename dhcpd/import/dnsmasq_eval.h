/* SPDX-License-Identifier: MIT */
/* A reference evaluator of dnsmasq's boot decision, straight from the read
 * lines (not from the model's match terms): the tags a client gets
 * (dhcp-host, dhcp-range set:, dhcp-match, dhcp-vendorclass,
 * dhcp-userclass, dhcp-mac, then tag-if in order) and the dhcp-boot line
 * find_boot() picks (src/rfc2131.c). Tests compare it with pxe-dhcpd's own
 * decision on the imported configuration. Full-mode dhcp-boot only:
 * pxe-service menus are not evaluated. */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_EVAL_H
#define PXE_DHCPD_IMPORT_DNSMASQ_EVAL_H

#include <stdbool.h>
#include <stdint.h>

#include "dnsmasq_read.h"

#define DNSM_EVAL_FEATURES 8

/* A client as dnsmasq sees it. */
struct dnsm_persona {
	int arch;                         /* option 93, -1 for none */
	const char *vendor_class;         /* option 60, NULL for none */
	const char *user_class;           /* option 77 (one item), NULL for none */
	bool has_175;                     /* iPXE's option 175 */
	int features[DNSM_EVAL_FEATURES]; /* its encapsulated options */
	int nfeatures;
	uint8_t mac[6];
};

struct dnsm_decision {
	const struct dnsm_line *boot; /* the dhcp-boot line, NULL for none */
	char file[256];
	char server[64];
};

void dnsm_eval(const struct dnsm_conf *c, const struct dnsm_persona *p, struct dnsm_decision *d);

#endif
