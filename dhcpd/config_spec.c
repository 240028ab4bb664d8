/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's option table (the [dhcpd] section and the command line) and
 * the spec that reads the whole file: the other sections through
 * config_sections.c, validation through config_check.c. */
#include <stdio.h>

#include "config_check.h"
#include "config_sections.h"
#include "config_spec.h"
#include "iface_check.h"

#define C(f) offsetof(struct dhcpd_config, f)

static const char *const mode_choices[] = {"full", "proxy", "proxy-4011", NULL};
/* In the order of enum dhcp6_mode. */
static const char *const mode6_choices[] = {"auto", "off", "full", "boot-only", NULL};

/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt dhcpd_opts[] = {
	{ .name = "interface", .short_name = 'i', .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_SPLIT,
	  .offset = C(interface), .arg = "IFACE",
	  .help = "answer only on this interface (default: every interface with an address "
	          "in a subnet)" },
	{ .name = "mode", .type = PXE_OPT_ENUM, .offset = C(mode), .def = "full",
	  .choices = mode_choices,
	  .help = "full: hand out addresses; proxy modes: boot information only" },
	{ .name = "dhcpv6", .type = PXE_OPT_ENUM, .offset = C(dhcpv6), .def = "auto",
	  .choices = mode6_choices,
	  .help = "DHCPv6 on UDP 547: full (addresses and boot options), boot-only (boot options, "
	          "no addresses), off; auto: off without a [subnet6], else full, or boot-only in "
	          "the proxy modes" },
	{ .name = "leasefile", .type = PXE_OPT_STRING, .offset = C(leasefile),
	  .def = PXE_LOCALSTATEDIR "/lib/pxe-dhcpd/dhcpd.leases", .arg = "FILE",
	  .help = "lease journal (append-only text, one line per change)",
	  .aliases = "lease-file", .check = dhcp_config_check_leasefile },
	{ .name = "authoritative", .type = PXE_OPT_BOOL, .offset = C(authoritative), .def = "no",
	  .help = "NAK requests for addresses we do not know (RFC 2131 §4.3.2)" },
	{ .name = "known-only", .type = PXE_OPT_BOOL, .offset = C(known_only), .def = "no",
	  .help = "answer only clients with a [host] entry, in every mode and family" },
	{ .name = "lease-time", .type = PXE_OPT_DURATION, .offset = C(lease_time_ms), .def = "1h",
	  .min = 60000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "lease time when a subnet or host sets none" },
	{ .name = "max-lease-time", .type = PXE_OPT_DURATION, .offset = C(max_lease_time_ms),
	  .min = 60000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "longest lease granted to a client asking for one with option 51 (default: "
	          "lease-time)" },
	{ .name = "min-lease-time", .type = PXE_OPT_DURATION, .offset = C(min_lease_time_ms),
	  .def = "1m", .min = 1000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "shortest lease granted to a client asking for one with option 51" },
	{ .name = "bootp-dynamic", .type = PXE_OPT_BOOL, .offset = C(bootp_dynamic), .def = "no",
	  .help = "give BOOTP clients without a [host] address one from the range, with no "
	          "expiry (RFC 1534)" },
	{ .name = "offer-time", .type = PXE_OPT_DURATION, .offset = C(offer_time_ms), .def = "30s",
	  .min = 1000, .max = 3600000, .arg = "DURATION",
	  .help = "how long an offered address stays held for its client" },
	{ .name = "decline-time", .type = PXE_OPT_DURATION, .offset = C(decline_time_ms),
	  .def = "10m", .min = 1000, .max = 86400000LL * 30, .arg = "DURATION",
	  .help = "quarantine of an address after DHCPDECLINE" },
	{ .name = "range", .type = PXE_OPT_STRLIST, .offset = C(range), .arg = "START-END",
	  .help = "address range of an implicit subnet (with netmask), as on the command line" },
	{ .name = "netmask", .type = PXE_OPT_STRING, .offset = C(netmask), .arg = "MASK",
	  .help = "netmask of the implicit subnet of range (default 255.255.255.0)" },
	{ .name = "option", .type = PXE_OPT_STRLIST, .offset = C(option), .arg = "NAME:VALUE",
	  .help = "DHCP option for every subnet (number or name, then the value)" },
	{ .name = "script", .type = PXE_OPT_STRING, .offset = C(script), .arg = "PATH",
	  .help = "program run on lease add/renew/release/expire (facts in the environment)" },
	{ .name = "script-queue", .type = PXE_OPT_INT, .offset = C(script_queue), .def = "256",
	  .min = 1, .max = 100000, .arg = "N",
	  .help = "script runs waiting at most; more are dropped and logged" },
	{ .name = "ping-check", .type = PXE_OPT_BOOL, .offset = C(ping_check), .def = "no",
	  .help = "ping a new address before offering it (never delays other clients)" },
	{ .name = "ping-timeout", .type = PXE_OPT_DURATION, .offset = C(ping_timeout_ms),
	  .def = "500ms", .min = 10, .max = 10000, .arg = "DURATION",
	  .help = "how long to wait for an echo reply" },
	{ .name = "leases", .type = PXE_OPT_BOOL, .flags = PXE_OPTF_CLI_ONLY,
	  .offset = C(print_leases), .def = "no",
	  .help = "print the current leases from the lease file and exit" },
	{ .name = "import-dnsmasq", .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_CLI_ONLY,
	  .offset = C(import_dnsmasq), .arg = "FILE",
	  .help = "print the pxesuite.conf for a dnsmasq configuration (- for stdin) and "
	          "exit; see MOVING FROM DNSMASQ in pxe-dhcpd(8)" },
	PXE_OPTS_DAEMON(struct dhcpd_config, common),
	PXE_OPTS_LOG(struct dhcpd_config, common),
};
/* clang-format on */

static void free_extra(void *cfg)
{
	dhcp_config_sections_free(cfg);
	dhcp_config_check_free(cfg);
}

static void print_extra(FILE *out, const void *cfg)
{
	dhcp_config_sections_print(out, cfg);
}

const struct pxe_opt_spec dhcp_config_spec = {
	.prog = "pxe-dhcpd",
	.section = "dhcpd",
	.usage = "-c FILE [options]",
	.summary = "DHCP server, proxyDHCP and PXE boot service.",
	.opts = dhcpd_opts,
	.nopts = sizeof(dhcpd_opts) / sizeof(dhcpd_opts[0]),
	.cfg_size = sizeof(struct dhcpd_config),
	.other_section = dhcp_config_section_key,
	.validate = dhcp_config_validate,
	.free_extra = free_extra,
	.print_extra = print_extra,
	.check_host = dhcp_iface_check_host,
	.check_start = pxe_privileges_check,
	.epilog = "Sections: [subnet CIDR], [subnet6 PREFIX/LEN], [host NAME], [boot NAME]; see "
		  "pxesuite.conf(5).",
};
