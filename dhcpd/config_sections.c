/* SPDX-License-Identifier: MIT */
/* The [subnet CIDR] and [host NAME] tables, and the reading of every
 * section other than [dhcpd] ([boot NAME] is config_boot.c's). Keys are
 * looked up as written; each keeps its file and line for --print-config. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config6.h"
#include "config_boot.h"
#include "config_sections.h"

#define S(f) offsetof(struct dhcp_subnet, f)
/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt subnet_opts[] = {
	{ .name = "range", .type = PXE_OPT_STRLIST, .offset = S(range), .arg = "START-END",
	  .help = "addresses handed out dynamically (repeatable)" },
	{ .name = "router", .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_SPLIT, .offset = S(router),
	  .arg = "ADDR", .help = "option 3" },
	{ .name = "dns", .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_SPLIT, .offset = S(dns),
	  .arg = "ADDR", .help = "option 6" },
	{ .name = "domain-name", .type = PXE_OPT_STRING, .offset = S(domain_name), .arg = "NAME",
	  .help = "option 15" },
	{ .name = "lease-time", .type = PXE_OPT_DURATION, .offset = S(lease_time_ms), .min = 60000,
	  .max = 4294967000LL * 1000, .arg = "DURATION", .help = "lease time in this subnet" },
	{ .name = "max-lease-time", .type = PXE_OPT_DURATION, .offset = S(max_lease_time_ms),
	  .min = 60000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "longest lease granted on request (option 51) in this subnet" },
	{ .name = "min-lease-time", .type = PXE_OPT_DURATION, .offset = S(min_lease_time_ms),
	  .min = 1000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "shortest lease granted on request (option 51) in this subnet" },
	{ .name = "bootp-dynamic", .type = PXE_OPT_STRING, .offset = S(bootp_dynamic),
	  .arg = "yes|no",
	  .help = "BOOTP clients without a [host] address get one from this subnet's range" },
	{ .name = "option", .type = PXE_OPT_STRLIST, .offset = S(option), .arg = "NAME:VALUE",
	  .help = "DHCP option (number or name, then the value)" },
};
/* clang-format on */
static const struct pxe_opt_table subnet_table = PXE_OPT_TABLE(subnet_opts);

#define H(f) offsetof(struct dhcp_host, f)
/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt host_opts[] = {
	{ .name = "mac", .type = PXE_OPT_STRING, .offset = H(mac), .arg = "MAC",
	  .help = "hardware address" },
	{ .name = "client-id", .type = PXE_OPT_STRING, .offset = H(client_id), .arg = "HEX",
	  .help = "option 61 value instead of the MAC" },
	{ .name = "address", .type = PXE_OPT_STRING, .offset = H(address), .arg = "ADDR",
	  .help = "fixed address" },
	{ .name = "hostname", .type = PXE_OPT_STRING, .offset = H(hostname), .arg = "NAME",
	  .help = "option 12 sent to the host" },
	{ .name = "lease-time", .type = PXE_OPT_DURATION, .offset = H(lease_time_ms), .min = 60000,
	  .max = 4294967000LL * 1000, .arg = "DURATION", .help = "lease time for this host" },
	{ .name = "option", .type = PXE_OPT_STRLIST, .offset = H(option), .arg = "NAME:VALUE",
	  .help = "DHCP option for this host" },
	{ .name = "ignore", .type = PXE_OPT_BOOL, .offset = H(ignore), .def = "no",
	  .help = "never answer this host" },
	{ .name = "duid", .type = PXE_OPT_STRING, .offset = H(duid), .arg = "HEX",
	  .help = "DHCPv6 client DUID (option 1), instead of or beside the MAC" },
	{ .name = "address6", .type = PXE_OPT_STRING, .offset = H(address6), .arg = "ADDR",
	  .help = "fixed IPv6 address (IA_NA) in a [subnet6]" },
};
/* clang-format on */
static const struct pxe_opt_table host_table = PXE_OPT_TABLE(host_opts);

/* The NAME of a "[kind NAME]" header (kind in any case), or NULL. */
static const char *section_arg(const char *section, const char *kind)
{
	size_t n = strlen(kind);
	if (strncasecmp(section, kind, n) || (section[n] != ' ' && section[n] != '\t'))
		return NULL;
	section += n;
	while (*section == ' ' || *section == '\t')
		section++;
	return *section ? section : NULL;
}

struct dhcp_subnet *dhcp_config_subnet(struct dhcpd_config *c, const char *cidr,
				       struct pxe_err *err)
{
	for (size_t i = c->n_subnets; i-- > 0;)
		if (!strcmp(c->subnets[i].cidr, cidr))
			return &c->subnets[i];
	struct dhcp_subnet *ns = dhcp_config_grow(c->subnets, &c->n_subnets, sizeof(*ns));
	if (!ns)
		return NULL;
	c->subnets = ns;
	struct dhcp_subnet *s = &ns[c->n_subnets - 1];
	s->cidr = strdup(cidr);
	if (!s->cidr || pxe_opt_section_init(&subnet_table, s, &s->src, err) < 0)
		return NULL;
	return s;
}

static struct dhcp_host *get_host(struct dhcpd_config *c, const char *name, struct pxe_err *err)
{
	for (size_t i = c->n_hosts; i-- > 0;)
		if (!strcmp(c->hosts[i].name, name))
			return &c->hosts[i];
	struct dhcp_host *nh = dhcp_config_grow(c->hosts, &c->n_hosts, sizeof(*nh));
	if (!nh)
		return NULL;
	c->hosts = nh;
	struct dhcp_host *h = &nh[c->n_hosts - 1];
	h->name = strdup(name);
	if (!h->name || pxe_opt_section_init(&host_table, h, &h->src, err) < 0)
		return NULL;
	return h;
}

int dhcp_config_section_key(void *cfg, const char *section, const char *key, const char *value,
			    const char *file, int line, struct pxe_err *err)
{
	struct dhcpd_config *c = cfg;
	const struct pxe_src at = {PXE_SRC_FILE, file, line};
	const char *arg;
	if ((arg = section_arg(section, "subnet"))) {
		struct dhcp_subnet *s = dhcp_config_subnet(c, arg, err);
		if (!s)
			return -ENOMEM;
		if (!s->file) {
			s->file = file;
			s->line = line;
		}
		return pxe_opt_section_apply(&subnet_table, s, s->src, section, key, value, &at,
					     err);
	}
	if ((arg = section_arg(section, "host"))) {
		struct dhcp_host *h = get_host(c, arg, err);
		if (!h)
			return -ENOMEM;
		if (!h->file) {
			h->file = file;
			h->line = line;
		}
		return pxe_opt_section_apply(&host_table, h, h->src, section, key, value, &at, err);
	}
	if ((arg = section_arg(section, "boot"))) {
		struct dhcp_boot *b = dhcp_config_boot(c, arg, &at, err);
		if (!b)
			return -EINVAL;
		return dhcp_config_boot_key(b, section, key, value, &at, err);
	}
	if ((arg = section_arg(section, "subnet6")))
		return dhcp_config6_section_key(c, arg, key, value, file, line, err);
	return pxe_err_set(err, EINVAL,
			   "unknown section [%s] (expected [dhcpd], [subnet CIDR], "
			   "[subnet6 PREFIX/LEN], [host NAME] or [boot NAME])",
			   section);
}

void dhcp_config_sections_free(struct dhcpd_config *c)
{
	for (size_t i = 0; i < c->n_subnets; i++) {
		pxe_opt_section_free(&subnet_table, &c->subnets[i], c->subnets[i].src);
		dhcp_optlist_free(&c->subnets[i].opts);
		free(c->subnets[i].cidr);
	}
	for (size_t i = 0; i < c->n_hosts; i++) {
		pxe_opt_section_free(&host_table, &c->hosts[i], c->hosts[i].src);
		dhcp_optlist_free(&c->hosts[i].opts);
		free(c->hosts[i].name);
	}
	for (size_t i = 0; i < c->n_boots; i++)
		dhcp_config_boot_free(&c->boots[i]);
	dhcp_config6_free(c);
	free(c->subnets);
	free(c->hosts);
	free(c->boots);
	c->subnets = NULL;
	c->hosts = NULL;
	c->boots = NULL;
	c->n_subnets = c->n_hosts = c->n_boots = 0;
}

void dhcp_config_sections_print(FILE *out, const struct dhcpd_config *c)
{
	for (size_t i = 0; i < c->n_subnets; i++) {
		fprintf(out, "\n[subnet %s]\n", c->subnets[i].cidr);
		pxe_opt_section_print(out, &subnet_table, &c->subnets[i], c->subnets[i].src);
	}
	dhcp_config6_print(out, c);
	for (size_t i = 0; i < c->n_hosts; i++) {
		fprintf(out, "\n[host %s]\n", c->hosts[i].name);
		pxe_opt_section_print(out, &host_table, &c->hosts[i], c->hosts[i].src);
	}
	for (size_t i = 0; i < c->n_boots; i++)
		dhcp_config_boot_print(out, &c->boots[i]);
}

void dhcp_config_subnet_derived(struct dhcp_subnet *s, const char *key, const char *from)
{
	int i = pxe_opt_section_index(&subnet_table, key);
	if (i >= 0)
		s->src[i] = (struct pxe_src){PXE_SRC_DERIVED, from, 0};
}

const struct pxe_src *dhcp_config_subnet_src(const struct dhcp_subnet *s, const char *key)
{
	int i = pxe_opt_section_index(&subnet_table, key);
	return i >= 0 && s->src ? &s->src[i] : NULL;
}

const struct pxe_src *dhcp_config_host_src(const struct dhcp_host *h, const char *key)
{
	int i = pxe_opt_section_index(&host_table, key);
	return i >= 0 && h->src ? &h->src[i] : NULL;
}
