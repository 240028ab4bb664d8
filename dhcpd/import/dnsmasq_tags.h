/* SPDX-License-Identifier: MIT */
/* dnsmasq's tag sources as pxesuite match terms: see dnsmasq_tags.c. */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_TAGS_H
#define PXE_DHCPD_IMPORT_DNSMASQ_TAGS_H

#include "dnsmasq_model.h"

/* Every tag source of m->conf's lines into m->tags; dhcp-host set: tags
 * and dhcp-range set: tags must be added (dnsm_tag_add) before. -1 on ENOMEM. */
int dnsm_tags_build(struct dnsm_model *m);

#endif
