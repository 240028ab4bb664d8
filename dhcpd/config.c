/* pxe-dhcpd configuration tables, sections and validation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "boot.h"
#include "config.h"

#define C(f) offsetof(struct dhcpd_config, f)

static const char *const mode_choices[] = {"full", "proxy", "proxy-4011", NULL};

/* One option per paragraph, the house layout of option tables: */
/* clang-format off */
static const struct pxe_opt dhcpd_opts[] = {
	{.name = "interface",
	 .short_name = 'i',
	 .type = PXE_OPT_STRLIST,
	 .flags = PXE_OPTF_SPLIT,
	 .offset = C(interface),
	 .arg = "IFACE",
	 .help = "answer only on this interface (default: every interface with an address "
		 "in a subnet)"},
	{.name = "mode",
	 .type = PXE_OPT_ENUM,
	 .offset = C(mode),
	 .def = "full",
	 .choices = mode_choices,
	 .help = "full: hand out addresses; proxy modes: boot information only"},
	{.name = "leasefile",
	 .type = PXE_OPT_STRING,
	 .offset = C(leasefile),
	 .def = PXE_LOCALSTATEDIR "/lib/pxe-dhcpd/dhcpd.leases",
	 .arg = "FILE",
	 .help = "lease journal (append-only text, one line per change)",
	 .aliases = "lease-file"},
	{.name = "authoritative",
	 .type = PXE_OPT_BOOL,
	 .offset = C(authoritative),
	 .def = "no",
	 .help = "NAK requests for addresses we do not know (RFC 2131 §4.3.2)"},
	{.name = "lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = C(lease_time_ms),
	 .def = "1h",
	 .min = 60000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "lease time when a subnet or host sets none"},
	{.name = "max-lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = C(max_lease_time_ms),
	 .min = 60000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "longest lease granted to a client asking for one with option 51 (default: "
		 "lease-time)"},
	{.name = "min-lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = C(min_lease_time_ms),
	 .def = "1m",
	 .min = 1000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "shortest lease granted to a client asking for one with option 51"},
	{.name = "bootp-dynamic",
	 .type = PXE_OPT_BOOL,
	 .offset = C(bootp_dynamic),
	 .def = "no",
	 .help = "give BOOTP clients without a [host] address one from the range, with no "
		 "expiry (RFC 1534)"},
	{.name = "offer-time",
	 .type = PXE_OPT_DURATION,
	 .offset = C(offer_time_ms),
	 .def = "30s",
	 .min = 1000,
	 .max = 3600000,
	 .arg = "DURATION",
	 .help = "how long an offered address stays held for its client"},
	{.name = "decline-time",
	 .type = PXE_OPT_DURATION,
	 .offset = C(decline_time_ms),
	 .def = "10m",
	 .min = 1000,
	 .max = 86400000LL * 30,
	 .arg = "DURATION",
	 .help = "quarantine of an address after DHCPDECLINE"},
	{.name = "range",
	 .type = PXE_OPT_STRLIST,
	 .offset = C(range),
	 .arg = "START-END",
	 .help = "address range of an implicit subnet (with netmask), as on the command line"},
	{.name = "netmask",
	 .type = PXE_OPT_STRING,
	 .offset = C(netmask),
	 .arg = "MASK",
	 .help = "netmask of the implicit subnet of range (default 255.255.255.0)"},
	{.name = "option",
	 .type = PXE_OPT_STRLIST,
	 .offset = C(option),
	 .arg = "NAME:VALUE",
	 .help = "DHCP option for every subnet (number or name, then the value)"},
	{.name = "script",
	 .type = PXE_OPT_STRING,
	 .offset = C(script),
	 .arg = "PATH",
	 .help = "program run on lease add/renew/release/expire (facts in the environment)"},
	{.name = "script-queue",
	 .type = PXE_OPT_INT,
	 .offset = C(script_queue),
	 .def = "256",
	 .min = 1,
	 .max = 100000,
	 .arg = "N",
	 .help = "script runs waiting at most; more are dropped and logged"},
	{.name = "ping-check",
	 .type = PXE_OPT_BOOL,
	 .offset = C(ping_check),
	 .def = "no",
	 .help = "ping a new address before offering it (never delays other clients)"},
	{.name = "ping-timeout",
	 .type = PXE_OPT_DURATION,
	 .offset = C(ping_timeout_ms),
	 .def = "500ms",
	 .min = 10,
	 .max = 10000,
	 .arg = "DURATION",
	 .help = "how long to wait for an echo reply"},
	{.name = "leases",
	 .type = PXE_OPT_BOOL,
	 .flags = PXE_OPTF_CLI_ONLY,
	 .offset = C(print_leases),
	 .def = "no",
	 .help = "print the current leases from the lease file and exit"},
	PXE_OPTS_DAEMON(struct dhcpd_config, common),
	PXE_OPTS_LOG(struct dhcpd_config, common),
};
/* clang-format on */

#define S(f) offsetof(struct dhcp_subnet, f)
/* One option per paragraph, the house layout of option tables: */
/* clang-format off */
static const struct pxe_opt subnet_opts[] = {
	{.name = "range",
	 .type = PXE_OPT_STRLIST,
	 .offset = S(range),
	 .arg = "START-END",
	 .help = "addresses handed out dynamically (repeatable)"},
	{.name = "router",
	 .type = PXE_OPT_STRLIST,
	 .flags = PXE_OPTF_SPLIT,
	 .offset = S(router),
	 .arg = "ADDR",
	 .help = "option 3"},
	{.name = "dns",
	 .type = PXE_OPT_STRLIST,
	 .flags = PXE_OPTF_SPLIT,
	 .offset = S(dns),
	 .arg = "ADDR",
	 .help = "option 6"},
	{.name = "domain-name",
	 .type = PXE_OPT_STRING,
	 .offset = S(domain_name),
	 .arg = "NAME",
	 .help = "option 15"},
	{.name = "lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = S(lease_time_ms),
	 .min = 60000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "lease time in this subnet"},
	{.name = "max-lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = S(max_lease_time_ms),
	 .min = 60000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "longest lease granted on request (option 51) in this subnet"},
	{.name = "min-lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = S(min_lease_time_ms),
	 .min = 1000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "shortest lease granted on request (option 51) in this subnet"},
	{.name = "bootp-dynamic",
	 .type = PXE_OPT_STRING,
	 .offset = S(bootp_dynamic),
	 .arg = "yes|no",
	 .help = "BOOTP clients without a [host] address get one from this subnet's range"},
	{.name = "option",
	 .type = PXE_OPT_STRLIST,
	 .offset = S(option),
	 .arg = "NAME:VALUE",
	 .help = "DHCP option (number or name, then the value)"},
};
/* clang-format on */
static const struct pxe_opt_table subnet_table = PXE_OPT_TABLE(subnet_opts);

#define H(f) offsetof(struct dhcp_host, f)
/* One option per paragraph, the house layout of option tables: */
/* clang-format off */
static const struct pxe_opt host_opts[] = {
	{.name = "mac",
	 .type = PXE_OPT_STRING,
	 .offset = H(mac),
	 .arg = "MAC",
	 .help = "hardware address"},
	{.name = "client-id",
	 .type = PXE_OPT_STRING,
	 .offset = H(client_id),
	 .arg = "HEX",
	 .help = "option 61 value instead of the MAC"},
	{.name = "address",
	 .type = PXE_OPT_STRING,
	 .offset = H(address),
	 .arg = "ADDR",
	 .help = "fixed address"},
	{.name = "hostname",
	 .type = PXE_OPT_STRING,
	 .offset = H(hostname),
	 .arg = "NAME",
	 .help = "option 12 sent to the host"},
	{.name = "lease-time",
	 .type = PXE_OPT_DURATION,
	 .offset = H(lease_time_ms),
	 .min = 60000,
	 .max = 4294967000LL * 1000,
	 .arg = "DURATION",
	 .help = "lease time for this host"},
	{.name = "option",
	 .type = PXE_OPT_STRLIST,
	 .offset = H(option),
	 .arg = "NAME:VALUE",
	 .help = "DHCP option for this host"},
	{.name = "ignore",
	 .type = PXE_OPT_BOOL,
	 .offset = H(ignore),
	 .def = "no",
	 .help = "never answer this host"},
};
/* clang-format on */
static const struct pxe_opt_table host_table = PXE_OPT_TABLE(host_opts);

/* ---- sections ---- */

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

static void *grow(void *arr, size_t *n, size_t size)
{
	char *na = realloc(arr, (*n + 1) * size);
	if (!na)
		return NULL;
	memset(na + *n * size, 0, size);
	(*n)++;
	return na;
}

static struct dhcp_subnet *get_subnet(struct dhcpd_config *c, const char *cidr, struct pxe_err *err)
{
	for (size_t i = c->n_subnets; i-- > 0;)
		if (!strcmp(c->subnets[i].cidr, cidr))
			return &c->subnets[i];
	struct dhcp_subnet *ns = grow(c->subnets, &c->n_subnets, sizeof(*ns));
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
	struct dhcp_host *nh = grow(c->hosts, &c->n_hosts, sizeof(*nh));
	if (!nh)
		return NULL;
	c->hosts = nh;
	struct dhcp_host *h = &nh[c->n_hosts - 1];
	h->name = strdup(name);
	if (!h->name || pxe_opt_section_init(&host_table, h, &h->src, err) < 0)
		return NULL;
	return h;
}

static struct dhcp_boot *get_boot(struct dhcpd_config *c, const char *name, const char *file,
				  int line, struct pxe_err *err)
{
	for (size_t i = 0; i < c->n_boots; i++)
		if (!strcmp(c->boots[i].name, name))
			return &c->boots[i];
	struct dhcp_boot *nb = grow(c->boots, &c->n_boots, sizeof(*nb));
	if (!nb)
		return NULL;
	c->boots = nb;
	struct dhcp_boot *b = &nb[c->n_boots - 1];
	b->file = file;
	b->line = line;
	if (!(b->name = strdup(name)))
		return NULL;
	if (dhcp_pxe_boot_init(&b->pxe, name, err) < 0) {
		c->n_boots--; /* not a section: nothing of it to keep */
		free(b->name);
		return NULL;
	}
	return b;
}

static int boot_key(struct dhcpd_config *c, const char *name, const char *key, const char *value,
		    const char *file, int line, struct pxe_err *err)
{
	pxe_err_set(err, ENOMEM, "out of memory");
	struct dhcp_boot *b = get_boot(c, name, file, line, err);
	if (!b)
		return -EINVAL;
	struct dhcp_kv *nkv = grow(b->kv, &b->n, sizeof(*nkv));
	if (!nkv)
		return -ENOMEM;
	b->kv = nkv;
	nkv[b->n - 1].key = strdup(key);
	nkv[b->n - 1].value = strdup(value);
	nkv[b->n - 1].line = line;
	if (!nkv[b->n - 1].key || !nkv[b->n - 1].value)
		return -ENOMEM;
	return dhcp_boot_section_key(b, key, value, err);
}

static int other_section(void *cfg, const char *section, const char *key, const char *value,
			 const char *file, int line, struct pxe_err *err)
{
	struct dhcpd_config *c = cfg;
	const struct pxe_src at = {PXE_SRC_FILE, file, line};
	const char *arg;
	if ((arg = section_arg(section, "subnet"))) {
		struct dhcp_subnet *s = get_subnet(c, arg, err);
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
	if ((arg = section_arg(section, "boot")))
		return boot_key(c, arg, key, value, file, line, err);
	return pxe_err_set(err, EINVAL,
			   "unknown section [%s] (expected [dhcpd], [subnet CIDR], "
			   "[host NAME] or [boot NAME])",
			   section);
}

/* ---- validation ---- */

int dhcp_parse_cidr(const char *s, uint32_t *net, uint32_t *mask)
{
	char buf[32];
	const char *slash = strchr(s, '/');
	struct in_addr a;
	if (!slash || (size_t)(slash - s) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, (size_t)(slash - s));
	buf[slash - s] = '\0';
	char *end;
	long p = strtol(slash + 1, &end, 10);
	if (*end || slash[1] == '\0' || p < 1 || p > 32 || inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	*mask = p == 32 ? 0xffffffffu : ~(0xffffffffu >> p);
	*net = ntohl(a.s_addr) & *mask;
	return 0;
}

static int parse_ip(const char *s, uint32_t *out)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return -EINVAL;
	*out = ntohl(a.s_addr);
	return 0;
}

static int parse_range(const char *s, struct dhcp_range_def *r)
{
	char a[32], b[32];
	const char *dash = strchr(s, '-');
	if (!dash || (size_t)(dash - s) >= sizeof(a) || strlen(dash + 1) >= sizeof(b))
		return -EINVAL;
	memcpy(a, s, (size_t)(dash - s));
	a[dash - s] = '\0';
	strcpy(b, dash + 1);
	if (parse_ip(a, &r->start) < 0 || parse_ip(b, &r->end) < 0 || r->end < r->start)
		return -EINVAL;
	return 0;
}

static int add_addr_opt(struct dhcp_optlist *l, uint8_t code, const struct pxe_strlist *v,
			struct pxe_err *err)
{
	if (!v->n)
		return 0;
	struct dhcp_optval o = {.code = code};
	o.data = malloc(4 * v->n);
	if (!o.data)
		return -ENOMEM;
	for (size_t i = 0; i < v->n; i++) {
		uint32_t a;
		if (parse_ip(v->v[i], &a) < 0) {
			free(o.data);
			return pxe_err_set(err, EINVAL, "expected an IPv4 address, got '%s'",
					   v->v[i]);
		}
		a = htonl(a);
		memcpy(o.data + 4 * i, &a, 4);
	}
	o.len = (uint16_t)(4 * v->n);
	return dhcp_optlist_add(l, &o);
}

static int add_opts(struct dhcp_optlist *l, const struct pxe_strlist *v, struct pxe_err *err)
{
	for (size_t i = 0; i < v->n; i++) {
		struct dhcp_optval o;
		int r = dhcp_optval_parse(v->v[i], &o, err);
		if (r < 0)
			return r;
		if ((r = dhcp_optlist_add(l, &o)) < 0) {
			dhcp_optval_free(&o);
			return r;
		}
	}
	return 0;
}

static int add_reserved(struct dhcpd_config *c, uint32_t a)
{
	uint32_t *nr = realloc(c->reserved, (c->n_reserved + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	c->reserved = nr;
	nr[c->n_reserved++] = a;
	return 0;
}

static int subnet_ranges(struct dhcpd_config *c, struct dhcp_subnet *s, struct pxe_err *err)
{
	s->first_range = c->n_ranges;
	for (size_t i = 0; i < s->range.n; i++) {
		struct dhcp_range_def r;
		if (parse_range(s->range.v[i], &r) < 0)
			return pxe_err_set(err, EINVAL,
					   "[subnet %s] range: expected START-END, got '%s'",
					   s->cidr, s->range.v[i]);
		if ((r.start & s->mask) != s->net || (r.end & s->mask) != s->net)
			return pxe_err_set(err, EINVAL,
					   "[subnet %s] range %s is not inside the subnet", s->cidr,
					   s->range.v[i]);
		for (size_t k = 0; k < c->n_ranges; k++)
			if (r.start <= c->ranges[k].end && c->ranges[k].start <= r.end)
				return pxe_err_set(err, EINVAL,
						   "[subnet %s] range %s overlaps another range",
						   s->cidr, s->range.v[i]);
		struct dhcp_range_def *nr = realloc(c->ranges, (c->n_ranges + 1) * sizeof(*nr));
		if (!nr)
			return -ENOMEM;
		c->ranges = nr;
		nr[c->n_ranges++] = r;
		/* Network and broadcast addresses are never leased. */
		if (s->mask != 0xffffffffu &&
		    (add_reserved(c, s->net) < 0 || add_reserved(c, s->net | ~s->mask) < 0))
			return -ENOMEM;
	}
	s->n_ranges = c->n_ranges - s->first_range;
	return 0;
}

/* lease-time, and the limits of a lease time the client asks for
 * (option 51, RFC 2131 §4.3.1): the subnet's keys, else [dhcpd]'s. The
 * limits never exclude the configured lease time itself. */
static int subnet_lease_limits(const struct dhcpd_config *c, struct dhcp_subnet *s,
			       struct pxe_err *err)
{
	long long lt = s->lease_time_ms ? s->lease_time_ms : c->lease_time_ms;
	long long max = s->max_lease_time_ms ? s->max_lease_time_ms : c->max_lease_time_ms;
	long long min = s->min_lease_time_ms ? s->min_lease_time_ms : c->min_lease_time_ms;
	if (!max)
		max = lt;
	if (max < lt)
		return pxe_err_set(err, EINVAL,
				   "[subnet %s]: max-lease-time %llds is shorter than lease-time "
				   "%llds",
				   s->cidr, max / 1000, lt / 1000);
	if (min > lt)
		return pxe_err_set(
			err, EINVAL,
			"[subnet %s]: min-lease-time %llds is longer than lease-time %llds",
			s->cidr, min / 1000, lt / 1000);
	s->lease_secs = (uint32_t)(lt / 1000);
	s->max_lease_secs = (uint32_t)(max / 1000);
	s->min_lease_secs = (uint32_t)(min / 1000);
	s->bootp_dyn = c->bootp_dynamic;
	if (s->bootp_dynamic && pxe_parse_bool(s->bootp_dynamic, &s->bootp_dyn, err) < 0)
		return pxe_err_set(err, EINVAL,
				   "[subnet %s] bootp-dynamic: expected yes or no, got '%s'",
				   s->cidr, s->bootp_dynamic);
	return 0;
}

static int validate_subnet(struct dhcpd_config *c, struct dhcp_subnet *s, struct pxe_err *err)
{
	struct pxe_err e;
	if (dhcp_parse_cidr(s->cidr, &s->net, &s->mask) < 0)
		return pxe_err_set(err, EINVAL,
				   "[subnet %s]: expected NETWORK/PREFIX like 198.18.0.0/24",
				   s->cidr);
	for (size_t i = 0; i < c->n_subnets && &c->subnets[i] != s; i++)
		if ((c->subnets[i].net & s->mask) == s->net ||
		    (s->net & c->subnets[i].mask) == c->subnets[i].net)
			return pxe_err_set(err, EINVAL, "[subnet %s] overlaps [subnet %s]", s->cidr,
					   c->subnets[i].cidr);
	int r = subnet_ranges(c, s, err);
	if (r < 0)
		return r;
	if ((r = subnet_lease_limits(c, s, err)) < 0)
		return r;
	if ((r = add_addr_opt(&s->opts, DHO_ROUTER, &s->router, &e)) < 0 ||
	    (r = add_addr_opt(&s->opts, DHO_DNS, &s->dns, &e)) < 0)
		return pxe_err_set(err, -r, "[subnet %s]: %s", s->cidr, e.msg);
	if (s->domain_name) {
		struct dhcp_optval o = {.code = DHO_DOMAIN_NAME,
					.len = (uint16_t)strlen(s->domain_name)};
		o.data = (uint8_t *)strdup(s->domain_name);
		if (!o.data || dhcp_optlist_add(&s->opts, &o) < 0)
			return -ENOMEM;
	}
	if ((r = add_opts(&s->opts, &s->option, &e)) < 0)
		return pxe_err_set(err, -r, "[subnet %s] option: %s", s->cidr, e.msg);
	return 0;
}

static int hexbytes(const char *s, uint8_t *out, size_t cap, uint8_t *len)
{
	size_t n = 0;
	struct pxe_err e;
	if (dhcp_opt_encode(DOT_HEX, s, out, cap, &n, &e) < 0 || n == 0)
		return -EINVAL;
	*len = (uint8_t)n;
	return 0;
}

static int validate_host(struct dhcpd_config *c, struct dhcp_host *h, struct pxe_err *err)
{
	struct pxe_err e;
	if (!h->mac && !h->client_id)
		return pxe_err_set(err, EINVAL, "[host %s]: needs mac or client-id", h->name);
	if (h->mac && hexbytes(h->mac, h->hw, sizeof(h->hw), &h->hw_len) < 0)
		return pxe_err_set(err, EINVAL,
				   "[host %s] mac: expected 52:54:00:12:34:56, got '%s'", h->name,
				   h->mac);
	if (h->client_id && hexbytes(h->client_id, h->cid, sizeof(h->cid), &h->cid_len) < 0)
		return pxe_err_set(err, EINVAL, "[host %s] client-id: expected hex bytes, got '%s'",
				   h->name, h->client_id);
	if (h->address) {
		if (parse_ip(h->address, &h->addr) < 0)
			return pxe_err_set(err, EINVAL,
					   "[host %s] address: expected an IPv4 address, got '%s'",
					   h->name, h->address);
		if (!dhcp_config_subnet_for(c, h->addr))
			return pxe_err_set(err, EINVAL, "[host %s] address %s is in no [subnet]",
					   h->name, h->address);
		for (size_t i = 0; i < c->n_hosts && &c->hosts[i] != h; i++)
			if (c->hosts[i].addr == h->addr)
				return pxe_err_set(err, EINVAL,
						   "[host %s] address %s is also [host %s]'s",
						   h->name, h->address, c->hosts[i].name);
		if (add_reserved(c, h->addr) < 0)
			return -ENOMEM;
	}
	if (h->hostname) {
		struct dhcp_optval o = {.code = DHO_HOSTNAME, .len = (uint16_t)strlen(h->hostname)};
		o.data = (uint8_t *)strdup(h->hostname);
		if (!o.data || dhcp_optlist_add(&h->opts, &o) < 0)
			return -ENOMEM;
	}
	int r = add_opts(&h->opts, &h->option, &e);
	if (r < 0)
		return pxe_err_set(err, -r, "[host %s] option: %s", h->name, e.msg);
	return 0;
}

/* [dhcpd] range + netmask (or --range on the command line) make one
 * implicit subnet, so that `pxe-dhcpd -i br0 --range A-B` needs no file. */
static int implicit_subnet(struct dhcpd_config *c, struct pxe_err *err)
{
	if (!c->range.n)
		return 0;
	uint32_t mask = 0xffffff00u, start;
	struct dhcp_range_def r;
	if (c->netmask && parse_ip(c->netmask, &mask) < 0)
		return pxe_err_set(err, EINVAL,
				   "netmask: expected an address like 255.255.0.0, got '%s'",
				   c->netmask);
	if (parse_range(c->range.v[0], &r) < 0)
		return pxe_err_set(err, EINVAL, "range: expected START-END, got '%s'",
				   c->range.v[0]);
	start = r.start;
	int prefix = __builtin_popcount(mask);
	char cidr[40];
	struct in_addr a = {.s_addr = htonl(start & mask)};
	snprintf(cidr, sizeof(cidr), "%s/%d", inet_ntoa(a), prefix);
	struct dhcp_subnet *s = get_subnet(c, cidr, err);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < c->range.n; i++)
		if (pxe_strlist_add(&s->range, c->range.v[i]) < 0)
			return -ENOMEM;
	s->src[pxe_opt_section_index(&subnet_table, "range")] =
		(struct pxe_src){PXE_SRC_DERIVED, "[dhcpd] range", 0};
	return 0;
}

/* Section errors found after parsing: say where the section is. */
static int located(struct pxe_err *err, int r, const char *file, int line)
{
	struct pxe_err e = *err;
	if (file)
		pxe_err_set(err, -r, "%s:%d: %s", file, line, e.msg);
	return r;
}

static int validate(void *cfg, struct pxe_err *err)
{
	struct dhcpd_config *c = cfg;
	int r = implicit_subnet(c, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n_subnets; i++)
		if ((r = validate_subnet(c, &c->subnets[i], err)) < 0)
			return located(err, r, c->subnets[i].file, c->subnets[i].line);
	for (size_t i = 0; i < c->n_hosts; i++)
		if ((r = validate_host(c, &c->hosts[i], err)) < 0)
			return located(err, r, c->hosts[i].file, c->hosts[i].line);
	struct pxe_err e;
	if ((r = add_opts(&c->global_opts, &c->option, &e)) < 0)
		return pxe_err_set(err, -r, "option: %s", e.msg);
	for (size_t i = 0; i < c->n_boots; i++)
		if ((r = dhcp_boot_section_check(&c->boots[i], err)) < 0)
			return located(err, r, c->boots[i].file, c->boots[i].line);
	if (!c->n_subnets && !c->print_leases && c->mode == DHCP_MODE_FULL)
		return pxe_err_set(err, EINVAL,
				   "no [subnet CIDR] section and no range: nothing to serve");
	return 0;
}

static void free_extra(void *cfg)
{
	struct dhcpd_config *c = cfg;
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
	for (size_t i = 0; i < c->n_boots; i++) {
		for (size_t k = 0; k < c->boots[i].n; k++) {
			free(c->boots[i].kv[k].key);
			free(c->boots[i].kv[k].value);
		}
		free(c->boots[i].kv);
		free(c->boots[i].name);
		dhcp_optlist_free(&c->boots[i].opts);
	}
	free(c->subnets);
	free(c->hosts);
	free(c->boots);
	free(c->ranges);
	free(c->reserved);
	dhcp_optlist_free(&c->global_opts);
	c->subnets = NULL;
	c->hosts = NULL;
	c->boots = NULL;
	c->ranges = NULL;
	c->reserved = NULL;
	c->n_subnets = c->n_hosts = c->n_boots = c->n_ranges = c->n_reserved = 0;
}

static void print_extra(FILE *out, const void *cfg)
{
	const struct dhcpd_config *c = cfg;
	for (size_t i = 0; i < c->n_subnets; i++) {
		fprintf(out, "\n[subnet %s]\n", c->subnets[i].cidr);
		pxe_opt_section_print(out, &subnet_table, &c->subnets[i], c->subnets[i].src);
	}
	for (size_t i = 0; i < c->n_hosts; i++) {
		fprintf(out, "\n[host %s]\n", c->hosts[i].name);
		pxe_opt_section_print(out, &host_table, &c->hosts[i], c->hosts[i].src);
	}
	for (size_t i = 0; i < c->n_boots; i++) {
		fprintf(out, "\n[boot %s]\n", c->boots[i].name);
		for (size_t k = 0; k < c->boots[i].n; k++)
			fprintf(out, "%s = %s\n", c->boots[i].kv[k].key, c->boots[i].kv[k].value);
	}
}

const struct pxe_opt_spec dhcp_config_spec = {
	.prog = "pxe-dhcpd",
	.section = "dhcpd",
	.usage = "-c FILE [options]",
	.summary = "DHCP server, proxyDHCP and PXE boot service.",
	.opts = dhcpd_opts,
	.nopts = sizeof(dhcpd_opts) / sizeof(dhcpd_opts[0]),
	.cfg_size = sizeof(struct dhcpd_config),
	.other_section = other_section,
	.validate = validate,
	.free_extra = free_extra,
	.print_extra = print_extra,
	.epilog = "Sections: [subnet CIDR], [host NAME], [boot NAME]; see pxesuite.conf(5).",
};

const struct dhcp_subnet *dhcp_config_subnet_for(const struct dhcpd_config *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_subnets; i++)
		if ((addr & c->subnets[i].mask) == c->subnets[i].net && c->subnets[i].mask)
			return &c->subnets[i];
	return NULL;
}

const struct dhcp_host *dhcp_config_host_for(const struct dhcpd_config *c, const uint8_t *hw,
					     uint8_t hlen, const uint8_t *cid, size_t cid_len)
{
	for (size_t i = 0; i < c->n_hosts; i++) {
		const struct dhcp_host *h = &c->hosts[i];
		if (h->cid_len && cid && h->cid_len == cid_len && !memcmp(h->cid, cid, cid_len))
			return h;
		if (h->hw_len && h->hw_len == hlen && !memcmp(h->hw, hw, hlen))
			return h;
	}
	return NULL;
}
