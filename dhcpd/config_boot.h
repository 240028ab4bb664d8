/* SPDX-License-Identifier: MIT */
/* [boot NAME] sections: one option table for all their keys, the PXE keys
 * (pxe/keys.h) and the section's own: option, and the quirk switches
 * reply-delay, broadcast, echo-uuid. */
#ifndef DHCP_CONFIG_BOOT_H
#define DHCP_CONFIG_BOOT_H

#include <stdio.h>

#include "config.h"

/* The [boot NAME] of that name, added at `at` (its first line) when there
 * is none yet; NULL with err when the name is not one or out of memory. */
struct dhcp_boot *dhcp_config_boot(struct dhcpd_config *c, const char *name,
				   const struct pxe_src *at, struct pxe_err *err);
/* One `key = value` line of b (section: the header as written). 0, or
 * -errno with err: the key and what was expected, or the keys there are. */
int dhcp_config_boot_key(struct dhcp_boot *b, const char *section, const char *key,
			 const char *value, const struct pxe_src *at, struct pxe_err *err);
/* After the last key (menu size, ${} names, HTTP URL, something to boot
 * in a section that matches every client): 0 or -EINVAL with err
 * "[boot NAME]: ...". */
int dhcp_config_boot_check(const struct dhcp_boot *b, struct pxe_err *err);
/* What is legal in b but probably not meant, as one warning (without a
 * location), or NULL. */
const char *dhcp_config_boot_warning(const struct dhcp_boot *b);
/* "[boot NAME]" and each key with its source, for --print-config. */
void dhcp_config_boot_print(FILE *out, const struct dhcp_boot *b);
void dhcp_config_boot_free(struct dhcp_boot *b);

#endif
