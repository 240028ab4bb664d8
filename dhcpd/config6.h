/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's DHCPv6 configuration: the [subnet6 PREFIX/LEN] sections
 * (pxesuite.conf(5)), the IPv6 keys of [host] (duid, address6), which
 * DHCPv6 service runs (`dhcpv6 =`), and what validation derives from
 * them: prefixes, ranges, reserved addresses, DNS servers, lifetimes.
 * Look-ups on the validated value. */
#ifndef DHCP_CONFIG6_H
#define DHCP_CONFIG6_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "leases6.h"
#include "opts.h"

struct dhcpd_config;
struct dhcp_host;

/* `dhcpv6 =`: auto is off without a [subnet6], else full in mode = full
 * and boot-only in the proxy modes (another server hands out addresses). */
enum dhcp6_mode { DHCP6_MODE_AUTO, DHCP6_MODE_OFF, DHCP6_MODE_FULL, DHCP6_MODE_BOOT_ONLY };

#define DHCP6_MAX_DNS 8

/* [subnet6 PREFIX/LEN] keys, as written ... */
struct dhcp_subnet6 {
	char *cidr;
	struct pxe_strlist range, dns;
	long long lease_time_ms;     /* valid lifetime; 0: the [dhcpd] lease-time */
	long long preferred_time_ms; /* 0: the valid lifetime */
	bool rapid_commit;
	long long preference;
	bool ra, ra_autonomous;
	long long ra_interval_ms, ra_lifetime_ms;
	struct pxe_src *src;
	const char *file;
	int line;
	/* ... and what validation derives from them */
	uint8_t prefix[16]; /* bits past plen zero */
	uint8_t plen;
	size_t first_range, n_ranges; /* in dhcpd_config.ranges6 */
	uint8_t dns_addrs[DHCP6_MAX_DNS][16];
	size_t n_dns;
	uint32_t valid_secs, preferred_secs;
};

/* The [host] keys for DHCPv6, derived: a DUID (hex, as a client sends it
 * in option 1) and a fixed IPv6 address. */
struct dhcp_host6 {
	uint8_t duid[130];
	uint8_t duid_len;
	bool has_addr;
	uint8_t addr[16];
};

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
