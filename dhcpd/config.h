/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's configuration as a value: the [dhcpd] keys (also the command
 * line), the [subnet CIDR], [host NAME] and [boot NAME] sections
 * (pxesuite.conf(5)), what validation derives from them, and look-ups on
 * the result. Loaded into a fresh struct (config_spec.h), validated whole,
 * then handed over; SIGHUP goes the same way and keeps the old struct on
 * error. The tables are config_spec.c's ([dhcpd]), config_sections.c's
 * ([subnet], [host]) and config_boot.c's ([boot]). */
#ifndef DHCP_CONFIG_H
#define DHCP_CONFIG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config_common.h"
#include "leases.h"
#include "leases6.h"
#include "opts.h"
#include "pxe/section.h"
#include "v4/options.h"

enum dhcp_mode { DHCP_MODE_FULL, DHCP_MODE_PROXY, DHCP_MODE_PROXY4011 };

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

/* [subnet CIDR] keys, as written (pxe_opt table) ... */
struct dhcp_subnet {
	char *cidr;
	struct pxe_strlist range, router, dns, option;
	char *domain_name;
	long long lease_time_ms;                        /* 0: the [dhcpd] lease-time */
	long long max_lease_time_ms, min_lease_time_ms; /* 0: the [dhcpd] ones */
	char *bootp_dynamic; /* yes/no; NULL: the [dhcpd] bootp-dynamic */
	struct pxe_src *src; /* where each key came from (--print-config) */
	const char *file;    /* where the section starts, for messages */
	int line;
	/* ... and what validation derives from them. Host byte order. */
	uint32_t net, mask;
	size_t first_range, n_ranges;
	struct dhcp_optlist opts; /* router, dns, domain-name, option = ... */
	uint32_t lease_secs;
	uint32_t max_lease_secs; /* cap of a lease time the client asks for */
	uint32_t min_lease_secs; /* floor of it */
	bool bootp_dyn;          /* BOOTP clients without a reservation served */
};

struct dhcp_host {
	char *name;
	char *mac, *client_id, *address, *hostname;
	char *duid, *address6; /* DHCPv6 (config6.h) */
	long long lease_time_ms;
	struct pxe_strlist option;
	bool ignore;
	struct pxe_src *src;
	const char *file;
	int line;
	/* derived */
	uint8_t hw[16], hw_len;
	uint8_t cid[DHCP_KEY_MAX], cid_len;
	uint32_t addr; /* 0: no fixed address */
	struct dhcp_optlist opts;
	struct dhcp_host6 v6;
};

/* [boot NAME]. Kept in file order: the first section whose match terms
 * hold wins. The PXE keys fill pxe (pxe/keys.h), the others the fields
 * after it. */
struct dhcp_boot {
	struct dhcp_pxe_boot pxe;          /* name, match, file, menu ... */
	struct dhcp_optlines option;       /* option = ... */
	long long delay_ms;                /* reply-delay */
	bool broadcast;                    /* broadcast = yes: always broadcast replies */
	bool echo_uuid;                    /* echo-uuid = no: no option 97 in replies */
	struct pxe_strlist bootfile_param; /* DHCPv6 option 60 (RFC 5970 §3.2) */
	struct pxe_src *src;               /* where each key came from */
	const char *file;                  /* where the section starts, for messages */
	int line;
};

struct dhcpd_config {
	struct pxe_strlist interface;
	int mode;
	char *leasefile;
	bool authoritative;
	bool known_only; /* answer only clients that have a [host] entry */
	long long lease_time_ms, offer_time_ms, decline_time_ms;
	long long max_lease_time_ms; /* 0: lease-time */
	long long min_lease_time_ms;
	bool bootp_dynamic;
	struct pxe_strlist range; /* [dhcpd] range/netmask: an implicit subnet */
	char *netmask;
	struct pxe_strlist option; /* options for every subnet */
	char *script;
	long long script_queue;
	bool ping_check;
	long long ping_timeout_ms;
	bool print_leases; /* --leases */
	/* --import-dnsmasq: main.c hands the command line to import/ before
	 * any configuration is read; listed here for --help and the checks
	 * that every option is documented */
	struct pxe_strlist import_dnsmasq;
	int dhcpv6; /* enum dhcp6_mode as written */
	struct pxe_common_config common;

	struct dhcp_subnet *subnets;
	size_t n_subnets;
	struct dhcp_host *hosts;
	size_t n_hosts;
	struct dhcp_boot *boots;
	size_t n_boots;
	/* derived by validation */
	struct dhcp_range_def *ranges;
	size_t n_ranges;
	uint32_t *reserved;
	size_t n_reserved;
	struct dhcp_optlist global_opts;
	bool v4_on;     /* DHCPv4 served: not mode = full without any [subnet] */
	int mode6;      /* enum dhcp6_mode in force: OFF, FULL or BOOT_ONLY */
	bool leases_on; /* a lease file: DHCPv4 or DHCPv6 in full mode */
	struct dhcp_subnet6 *subnets6;
	size_t n_subnets6;
	struct dhcp6_range_def *ranges6;
	size_t n_ranges6;
	uint8_t (*reserved6)[16];
	size_t n_reserved6;
};

/* Look-ups on a validated config. Addresses in host byte order. */
const struct dhcp_subnet *dhcp_config_subnet_for(const struct dhcpd_config *c, uint32_t addr);
/* Why a client whose [host] entry is h (NULL: none) gets no answer at all,
 * in every mode and family: the host's ignore = yes, or known-only and no
 * entry. NULL when it may be answered. */
const char *dhcp_config_host_refusal(const struct dhcpd_config *c, const struct dhcp_host *h);
const struct dhcp_host *dhcp_config_host_for(const struct dhcpd_config *c, const uint8_t *hw,
					     uint8_t hlen, const uint8_t *cid, size_t cid_len);
int dhcp_parse_cidr(const char *s, uint32_t *net, uint32_t *mask);
/* "START-END" into its two halves, each at most cap - 1 bytes (a range of
 * either family: IPv6 addresses have no '-'). 0 or -EINVAL. */
int dhcp_split_range(const char *s, char *start, char *end, size_t cap);

/* Where warnings go: legal settings that are probably not what was meant
 * (config_check.h, iface_check.h). msg names the file, line and key. */
typedef void (*dhcp_warn_fn)(void *ctx, const char *msg);

/* Append a zeroed element of size bytes to the array arr of *n (the
 * section arrays while they are read); NULL when out of memory. */
void *dhcp_config_grow(void *arr, size_t *n, size_t size);

#endif
