/* SPDX-License-Identifier: MIT */
/* The DHCPv6 part of pxe-dhcpd's configuration (see config6.h): the
 * [subnet6 PREFIX/LEN] table, its validation, and the IPv6 keys of
 * [host]. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config6.h"

#define S(f) offsetof(struct dhcp_subnet6, f)
/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt subnet6_opts[] = {
	{ .name = "range", .type = PXE_OPT_STRLIST, .offset = S(range), .arg = "START-END",
	  .help = "addresses handed out in IA_NA (repeatable)", .aliases = "range6" },
	{ .name = "dns", .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_SPLIT, .offset = S(dns),
	  .arg = "ADDR", .help = "option 23, DNS recursive name servers (RFC 3646)" },
	{ .name = "lease-time", .type = PXE_OPT_DURATION, .offset = S(lease_time_ms), .min = 60000,
	  .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "valid lifetime of an address (default: the [dhcpd] lease-time)" },
	{ .name = "preferred-time", .type = PXE_OPT_DURATION, .offset = S(preferred_time_ms),
	  .min = 60000, .max = 4294967000LL * 1000, .arg = "DURATION",
	  .help = "preferred lifetime of an address (default: the valid lifetime)" },
	{ .name = "rapid-commit", .type = PXE_OPT_BOOL, .offset = S(rapid_commit), .def = "yes",
	  .help = "answer a SOLICIT with Rapid Commit (option 14) by a REPLY (RFC 8415 §18.3.1)" },
	{ .name = "preference", .type = PXE_OPT_INT, .offset = S(preference), .def = "255",
	  .min = 0, .max = 255, .arg = "N",
	  .help = "option 7 in ADVERTISE; 255 makes clients (EDK2) request at once" },
	{ .name = "ra", .type = PXE_OPT_BOOL, .offset = S(ra), .def = "no",
	  .help = "send router advertisements for this prefix on its interfaces" },
	{ .name = "ra-autonomous", .type = PXE_OPT_BOOL, .offset = S(ra_autonomous), .def = "yes",
	  .help = "the A flag: clients may also form SLAAC addresses in the prefix" },
	{ .name = "ra-interval", .type = PXE_OPT_DURATION, .offset = S(ra_interval_ms),
	  .def = "600s", .min = 4000, .max = 1800000, .arg = "DURATION",
	  .help = "longest time between unsolicited advertisements (RFC 4861 §6.2.1)" },
	{ .name = "ra-router-lifetime", .type = PXE_OPT_DURATION, .offset = S(ra_lifetime_ms),
	  .def = "0", .min = 0, .max = 9000000, .arg = "DURATION",
	  .help = "router lifetime: 0 unless this host routes for the link" },
};
/* clang-format on */
static const struct pxe_opt_table subnet6_table = PXE_OPT_TABLE(subnet6_opts);

bool dhcp6_in_prefix(const uint8_t a[16], const uint8_t prefix[16], unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	if (memcmp(a, prefix, full))
		return false;
	if (!rest)
		return true;
	uint8_t m = (uint8_t)(0xff << (8 - rest));
	return (a[full] & m) == (prefix[full] & m);
}

int dhcp6_parse_prefix(const char *s, uint8_t prefix[16], uint8_t *plen)
{
	char buf[INET6_ADDRSTRLEN];
	const char *slash = strchr(s, '/');
	if (!slash || (size_t)(slash - s) >= sizeof(buf) || !slash[1])
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	char *end;
	long p = strtol(slash + 1, &end, 10);
	if (*end || p < 1 || p > 128 || inet_pton(AF_INET6, buf, prefix) != 1)
		return -EINVAL;
	/* Host bits set: a typo for another prefix rather than a prefix. */
	for (long bit = p; bit < 128; bit++)
		if (prefix[bit / 8] & (0x80 >> (bit % 8)))
			return -EINVAL;
	*plen = (uint8_t)p;
	return 0;
}

static struct dhcp_subnet6 *get_subnet6(struct dhcpd_config *c, const char *cidr,
					struct pxe_err *err)
{
	for (size_t i = c->n_subnets6; i-- > 0;)
		if (!strcmp(c->subnets6[i].cidr, cidr))
			return &c->subnets6[i];
	struct dhcp_subnet6 *ns = dhcp_config_grow(c->subnets6, &c->n_subnets6, sizeof(*ns));
	if (!ns)
		return NULL;
	c->subnets6 = ns;
	struct dhcp_subnet6 *s = &ns[c->n_subnets6 - 1];
	s->cidr = strdup(cidr);
	if (!s->cidr || pxe_opt_section_init(&subnet6_table, s, &s->src, err) < 0)
		return NULL;
	return s;
}

int dhcp_config6_section_key(struct dhcpd_config *c, const char *arg, const char *key,
			     const char *value, const char *file, int line, struct pxe_err *err)
{
	const struct pxe_src at = {PXE_SRC_FILE, file, line};
	struct dhcp_subnet6 *s = get_subnet6(c, arg, err);
	if (!s)
		return -ENOMEM;
	if (!s->file) {
		s->file = file;
		s->line = line;
	}
	return pxe_opt_section_apply(&subnet6_table, s, s->src, "subnet6", key, value, &at, err);
}

const struct pxe_src *dhcp_config6_subnet_src(const struct dhcp_subnet6 *s, const char *key)
{
	int i = pxe_opt_section_index(&subnet6_table, key);
	return i >= 0 && s->src ? &s->src[i] : NULL;
}

/* ---- validation */

static int located(struct pxe_err *err, int r, const char *file, int line)
{
	struct pxe_err e = *err;
	if (file)
		pxe_err_set(err, -r, "%s:%d: %s", file, line, e.msg);
	return r;
}

static int cmp16(const uint8_t a[16], const uint8_t b[16])
{
	return memcmp(a, b, 16);
}

static int parse_range6(const char *s, struct dhcp6_range_def *r)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (dhcp_split_range(s, a, b, sizeof(a)) < 0)
		return -EINVAL;
	if (inet_pton(AF_INET6, a, r->start) != 1 || inet_pton(AF_INET6, b, r->end) != 1 ||
	    cmp16(r->end, r->start) < 0)
		return -EINVAL;
	return 0;
}

static int subnet6_ranges(struct dhcpd_config *c, struct dhcp_subnet6 *s, struct pxe_err *err)
{
	s->first_range = c->n_ranges6;
	for (size_t i = 0; i < s->range.n; i++) {
		struct dhcp6_range_def r;
		if (parse_range6(s->range.v[i], &r) < 0)
			return pxe_err_set(err, EINVAL,
					   "[subnet6 %s] range: expected START-END like "
					   "fd00::100-fd00::1ff, got '%s'",
					   s->cidr, s->range.v[i]);
		if (!dhcp6_in_prefix(r.start, s->prefix, s->plen) ||
		    !dhcp6_in_prefix(r.end, s->prefix, s->plen))
			return pxe_err_set(err, EINVAL,
					   "[subnet6 %s] range %s is not inside the prefix",
					   s->cidr, s->range.v[i]);
		for (size_t k = 0; k < c->n_ranges6; k++)
			if (cmp16(r.start, c->ranges6[k].end) <= 0 &&
			    cmp16(c->ranges6[k].start, r.end) <= 0)
				return pxe_err_set(err, EINVAL,
						   "[subnet6 %s] range %s overlaps another range",
						   s->cidr, s->range.v[i]);
		struct dhcp6_range_def *nr = realloc(c->ranges6, (c->n_ranges6 + 1) * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		c->ranges6 = nr;
		nr[c->n_ranges6++] = r;
	}
	s->n_ranges = c->n_ranges6 - s->first_range;
	return 0;
}

static int validate_subnet6(struct dhcpd_config *c, struct dhcp_subnet6 *s, struct pxe_err *err)
{
	if (dhcp6_parse_prefix(s->cidr, s->prefix, &s->plen) < 0)
		return pxe_err_set(err, EINVAL,
				   "[subnet6 %s]: expected PREFIX/LEN like fd00:198:18:1::/64 "
				   "(no bits set past LEN)",
				   s->cidr);
	for (size_t i = 0; i < c->n_subnets6 && &c->subnets6[i] != s; i++) {
		const struct dhcp_subnet6 *o = &c->subnets6[i];
		unsigned p = o->plen < s->plen ? o->plen : s->plen;
		if (dhcp6_in_prefix(s->prefix, o->prefix, p))
			return pxe_err_set(err, EINVAL, "[subnet6 %s] overlaps [subnet6 %s]",
					   s->cidr, o->cidr);
	}
	int r = subnet6_ranges(c, s, err);
	if (r < 0)
		return r;
	if (s->dns.n > DHCP6_MAX_DNS)
		return pxe_err_set(err, EINVAL, "[subnet6 %s] dns: at most %d servers", s->cidr,
				   DHCP6_MAX_DNS);
	for (size_t i = 0; i < s->dns.n; i++)
		if (inet_pton(AF_INET6, s->dns.v[i], s->dns_addrs[i]) != 1)
			return pxe_err_set(err, EINVAL,
					   "[subnet6 %s] dns: expected an IPv6 address, got '%s'",
					   s->cidr, s->dns.v[i]);
	s->n_dns = s->dns.n;
	long long valid = s->lease_time_ms ? s->lease_time_ms : c->lease_time_ms;
	long long pref = s->preferred_time_ms ? s->preferred_time_ms : valid;
	if (pref > valid)
		return pxe_err_set(err, EINVAL,
				   "[subnet6 %s]: preferred-time %llds is longer than the valid "
				   "lifetime %llds (RFC 8415 §21.6)",
				   s->cidr, pref / 1000, valid / 1000);
	s->valid_secs = (uint32_t)(valid / 1000);
	s->preferred_secs = (uint32_t)(pref / 1000);
	return 0;
}

static int add_reserved6(struct dhcpd_config *c, const uint8_t a[16])
{
	uint8_t(*nr)[16] = realloc(c->reserved6, (c->n_reserved6 + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	c->reserved6 = nr;
	memcpy(nr[c->n_reserved6++], a, 16);
	return 0;
}

static int validate_host6(struct dhcpd_config *c, struct dhcp_host *h, struct pxe_err *err)
{
	if (h->duid) {
		size_t n = 0;
		struct pxe_err e;
		if (dhcp_opt_encode(DOT_HEX, h->duid, h->v6.duid, sizeof(h->v6.duid), &n, &e) < 0 ||
		    n < 2)
			return pxe_err_set(err, EINVAL,
					   "[host %s] duid: expected 2 to 130 hex bytes like "
					   "00:03:00:01:52:54:00:12:34:56, got '%s'",
					   h->name, h->duid);
		h->v6.duid_len = (uint8_t)n;
	}
	if (!h->address6)
		return 0;
	if (inet_pton(AF_INET6, h->address6, h->v6.addr) != 1)
		return pxe_err_set(err, EINVAL,
				   "[host %s] address6: expected an IPv6 address, got '%s'",
				   h->name, h->address6);
	if (!dhcp_config_subnet6_for(c, h->v6.addr))
		return pxe_err_set(err, EINVAL, "[host %s] address6 %s is in no [subnet6]", h->name,
				   h->address6);
	for (size_t i = 0; i < c->n_hosts && &c->hosts[i] != h; i++)
		if (c->hosts[i].v6.has_addr && !cmp16(c->hosts[i].v6.addr, h->v6.addr))
			return pxe_err_set(err, EINVAL, "[host %s] address6 %s is also [host %s]'s",
					   h->name, h->address6, c->hosts[i].name);
	h->v6.has_addr = true;
	return add_reserved6(c, h->v6.addr);
}

int dhcp_config6_validate(struct dhcpd_config *c, struct pxe_err *err)
{
	int r;
	for (size_t i = 0; i < c->n_subnets6; i++) {
		struct dhcp_subnet6 *s = &c->subnets6[i];
		if ((r = validate_subnet6(c, s, err)) < 0)
			return located(err, r, s->file, s->line);
	}
	for (size_t i = 0; i < c->n_hosts; i++) {
		struct dhcp_host *h = &c->hosts[i];
		if ((r = validate_host6(c, h, err)) < 0)
			return located(err, r, h->file, h->line);
	}
	switch (c->dhcpv6) {
	case DHCP6_MODE_AUTO:
		c->mode6 = !c->n_subnets6              ? DHCP6_MODE_OFF
			   : c->mode == DHCP_MODE_FULL ? DHCP6_MODE_FULL
						       : DHCP6_MODE_BOOT_ONLY;
		break;
	case DHCP6_MODE_FULL:
		if (!c->n_subnets6)
			return pxe_err_set(err, EINVAL,
					   "dhcpv6 = full needs a [subnet6 PREFIX/LEN] section");
		c->mode6 = DHCP6_MODE_FULL;
		break;
	default: c->mode6 = c->dhcpv6; break;
	}
	return 0;
}

void dhcp_config6_print(FILE *out, const struct dhcpd_config *c)
{
	for (size_t i = 0; i < c->n_subnets6; i++) {
		fprintf(out, "\n[subnet6 %s]\n", c->subnets6[i].cidr);
		pxe_opt_section_print(out, &subnet6_table, &c->subnets6[i], c->subnets6[i].src);
	}
}

void dhcp_config6_free(struct dhcpd_config *c)
{
	for (size_t i = 0; i < c->n_subnets6; i++) {
		pxe_opt_section_free(&subnet6_table, &c->subnets6[i], c->subnets6[i].src);
		free(c->subnets6[i].cidr);
	}
	free(c->subnets6);
	free(c->ranges6);
	free(c->reserved6);
	c->subnets6 = NULL;
	c->ranges6 = NULL;
	c->reserved6 = NULL;
	c->n_subnets6 = c->n_ranges6 = c->n_reserved6 = 0;
}

/* ---- look-ups */

const struct dhcp_subnet6 *dhcp_config_subnet6_for(const struct dhcpd_config *c,
						   const uint8_t addr[16])
{
	for (size_t i = 0; i < c->n_subnets6; i++)
		if (dhcp6_in_prefix(addr, c->subnets6[i].prefix, c->subnets6[i].plen))
			return &c->subnets6[i];
	return NULL;
}

const struct dhcp_host *dhcp_config_host6_for(const struct dhcpd_config *c, const uint8_t *duid,
					      size_t duid_len, const uint8_t *mac)
{
	for (size_t i = 0; i < c->n_hosts; i++) {
		const struct dhcp_host *h = &c->hosts[i];
		if (h->v6.duid_len && h->v6.duid_len == duid_len &&
		    !memcmp(h->v6.duid, duid, duid_len))
			return h;
	}
	if (!mac)
		return NULL;
	for (size_t i = 0; i < c->n_hosts; i++) {
		const struct dhcp_host *h = &c->hosts[i];
		if (h->hw_len == 6 && !memcmp(h->hw, mac, 6))
			return h;
	}
	return NULL;
}
