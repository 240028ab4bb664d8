/* SPDX-License-Identifier: MIT */
/* Reading the sections of pxe-dhcpd's file other than [dhcpd]: [subnet
 * CIDR] and [host NAME] here, [boot NAME] through config_boot.h. */
#ifndef DHCP_CONFIG_SECTIONS_H
#define DHCP_CONFIG_SECTIONS_H

#include <stdio.h>

#include "config.h"

/* One `key = value` line of [section] at file:line (pxe_section_fn). */
int dhcp_config_section_key(void *cfg, const char *section, const char *key, const char *value,
			    const char *file, int line, struct pxe_err *err);
/* The [subnet CIDR] of that CIDR, added (with its defaults) when there is
 * none yet; NULL when out of memory. */
struct dhcp_subnet *dhcp_config_subnet(struct dhcpd_config *c, const char *cidr,
				       struct pxe_err *err);
/* Say that a subnet's key was set from another setting (--print-config
 * shows "from FROM"), e.g. the implicit subnet of [dhcpd] range. */
void dhcp_config_subnet_derived(struct dhcp_subnet *s, const char *key, const char *from);

/* Where a key of a [subnet] or [host] was set (file and line), or NULL
 * when the table has no such key. */
const struct pxe_src *dhcp_config_subnet_src(const struct dhcp_subnet *s, const char *key);
const struct pxe_src *dhcp_config_host_src(const struct dhcp_host *h, const char *key);

/* The sections as INI for --print-config, each key with its source. */
void dhcp_config_sections_print(FILE *out, const struct dhcpd_config *c);
void dhcp_config_sections_free(struct dhcpd_config *c);

#endif
