/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's DHCPv6 configuration: reading the [subnet6 PREFIX/LEN]
 * sections (pxesuite.conf(5)), validating them with the IPv6 keys of
 * [host] (duid, address6) and `dhcpv6 =`, and look-ups on the result.
 * The structs are config.h's, beside the DHCPv4 ones. */
#ifndef DHCP_CONFIG6_H
#define DHCP_CONFIG6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "config.h"
#include "err.h"

/* One key of [subnet6 ARG] at (file, line). */
int dhcp_config6_section_key(struct dhcpd_config *c, const char *arg, const char *key,
			     const char *value, const char *file, int line, struct pxe_err *err);
/* Validate the whole v6 part (after the v4 part): the effective
 * c->mode6, prefixes, ranges, hosts' duid and address6. */
int dhcp_config6_validate(struct dhcpd_config *c, struct pxe_err *err);
void dhcp_config6_print(FILE *out, const struct dhcpd_config *c);
void dhcp_config6_free(struct dhcpd_config *c);
const struct pxe_src *dhcp_config6_subnet_src(const struct dhcp_subnet6 *s, const char *key);

/* Whether a is inside prefix/plen. */
bool dhcp6_in_prefix(const uint8_t a[16], const uint8_t prefix[16], unsigned plen);
/* Parse "ADDR/LEN": 0, or -EINVAL (also when bits past LEN are set). */
int dhcp6_parse_prefix(const char *s, uint8_t prefix[16], uint8_t *plen);

/* Look-ups on a validated config. */
const struct dhcp_subnet6 *dhcp_config_subnet6_for(const struct dhcpd_config *c,
						   const uint8_t addr[16]);
/* The [host] of a DHCPv6 client: by DUID first, then by MAC (option 79 or
 * the DUID's link-layer address; mac NULL when unknown). */
const struct dhcp_host *dhcp_config_host6_for(const struct dhcpd_config *c, const uint8_t *duid,
					      size_t duid_len, const uint8_t *mac);

#endif
