/* SPDX-License-Identifier: MIT */
/* Validation of pxe-dhcpd's configuration after every source is read:
 * subnets (ranges inside them and apart, lease-time limits), hosts
 * (6-octet MACs, addresses in a subnet and unique), [boot] sections, and
 * what replies are built from (option lists, reserved addresses); the
 * warnings of a valid configuration; the lease file's check for
 * --check-config and start. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "config6.h"
#include "config_boot.h"
#include "config_check.h"
#include "config_sections.h"
#include "log.h"

/* Where an error is: a key's file and line, else its section's. */
struct where {
	const char *file;
	int line;
};

static void at_key(struct where *w, const struct pxe_src *src)
{
	if (src && src->kind == PXE_SRC_FILE && src->file)
		*w = (struct where){src->file, src->line};
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
	if (dhcp_split_range(s, a, b, sizeof(a)) < 0)
		return -EINVAL;
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

/* A [host] is found by chaddr and its length (dhcp_config_host_for), and
 * every network a PXE client boots on is Ethernet or IEEE 802 (htype 1 and
 * 6, hlen 6; RFC 1700): a MAC of another length would never match. Clients
 * with longer addresses (InfiniBand, RFC 4390: hlen 0) are known by their
 * client-id. */
#define DHCP_HOST_MAC_LEN 6

static int validate_mac(struct dhcp_host *h, struct pxe_err *err)
{
	if (hexbytes(h->mac, h->hw, sizeof(h->hw), &h->hw_len) < 0)
		return pxe_err_set(
			err, EINVAL,
			"[host %s] mac: expected 6 octets like 52:54:00:12:34:56, got '%s'",
			h->name, h->mac);
	if (h->hw_len != DHCP_HOST_MAC_LEN)
		return pxe_err_set(
			err, EINVAL,
			"[host %s] mac: expected 6 octets like 52:54:00:12:34:56, got %u "
			"in '%s'",
			h->name, h->hw_len, h->mac);
	return 0;
}

static int host_address(struct dhcpd_config *c, struct dhcp_host *h, struct pxe_err *err)
{
	if (parse_ip(h->address, &h->addr) < 0)
		return pxe_err_set(err, EINVAL,
				   "[host %s] address: expected an IPv4 address, got '%s'", h->name,
				   h->address);
	if (!dhcp_config_subnet_for(c, h->addr))
		return pxe_err_set(err, EINVAL, "[host %s] address %s is in no [subnet]", h->name,
				   h->address);
	for (size_t i = 0; i < c->n_hosts && &c->hosts[i] != h; i++)
		if (c->hosts[i].addr == h->addr)
			return pxe_err_set(err, EINVAL, "[host %s] address %s is also [host %s]'s",
					   h->name, h->address, c->hosts[i].name);
	return add_reserved(c, h->addr);
}

/* Errors say the line of their key (w), else of the section. */
static int validate_host(struct dhcpd_config *c, struct dhcp_host *h, struct where *w,
			 struct pxe_err *err)
{
	struct pxe_err e;
	int r;
	if (!h->mac && !h->client_id && !h->duid)
		return pxe_err_set(err, EINVAL, "[host %s]: needs mac, client-id or duid", h->name);
	if (h->mac && (r = validate_mac(h, err)) < 0) {
		at_key(w, dhcp_config_host_src(h, "mac"));
		return r;
	}
	if (h->client_id && hexbytes(h->client_id, h->cid, sizeof(h->cid), &h->cid_len) < 0) {
		at_key(w, dhcp_config_host_src(h, "client-id"));
		return pxe_err_set(err, EINVAL, "[host %s] client-id: expected hex bytes, got '%s'",
				   h->name, h->client_id);
	}
	if (h->address && (r = host_address(c, h, err)) < 0) {
		at_key(w, dhcp_config_host_src(h, "address"));
		return r;
	}
	if (h->hostname) {
		struct dhcp_optval o = {.code = DHO_HOSTNAME, .len = (uint16_t)strlen(h->hostname)};
		o.data = (uint8_t *)strdup(h->hostname);
		if (!o.data || dhcp_optlist_add(&h->opts, &o) < 0)
			return -ENOMEM;
	}
	if ((r = add_opts(&h->opts, &h->option, &e)) < 0) {
		at_key(w, dhcp_config_host_src(h, "option"));
		return pxe_err_set(err, -r, "[host %s] option: %s", h->name, e.msg);
	}
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
	struct dhcp_subnet *s = dhcp_config_subnet(c, cidr, err);
	if (!s)
		return -ENOMEM;
	for (size_t i = 0; i < c->range.n; i++)
		if (pxe_strlist_add(&s->range, c->range.v[i]) < 0)
			return -ENOMEM;
	dhcp_config_subnet_derived(s, "range", "[dhcpd] range");
	return 0;
}

/* Section errors found after parsing: say where the section is. */

static int located(struct pxe_err *err, int r, const struct where *w)
{
	struct pxe_err e = *err;
	if (w->file)
		pxe_err_set(err, -r, "%s:%d: %s", w->file, w->line, e.msg);
	return r;
}

/* ---- warnings: legal, but probably not what was meant */

static void warn_at(dhcp_warn_fn warn, void *ctx, const struct where *w, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void warn_at(dhcp_warn_fn warn, void *ctx, const struct where *w, const char *fmt, ...)
{
	char msg[512];
	int n = w->file ? snprintf(msg, sizeof(msg), "%s:%d: ", w->file, w->line) : 0;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	warn(ctx, msg);
}

/* RFC 2132 §3.5: option 3 lists "routers on the client's subnet". One
 * outside is still legal: a client given a /32 (or a provider's gateway
 * outside the customer's prefix) reaches it on-link when it adds a host
 * route first (systemd-networkd's GatewayOnLink, dhclient-script's route
 * to the router); most clients drop it, hence the warning. */
static size_t warn_routers(const struct dhcp_subnet *s, dhcp_warn_fn warn, void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < s->router.n; i++) {
		uint32_t a;
		if (parse_ip(s->router.v[i], &a) < 0 || (a & s->mask) == s->net)
			continue;
		struct where w = {s->file, s->line};
		at_key(&w, dhcp_config_subnet_src(s, "router"));
		warn_at(warn, ctx, &w,
			"[subnet %s] router: %s is outside the subnet; only clients that add a "
			"route to it on-link can use it",
			s->cidr, s->router.v[i]);
		n++;
	}
	return n;
}

size_t dhcp_config_warnings(const struct dhcpd_config *c, dhcp_warn_fn warn, void *ctx)
{
	size_t n = 0;
	for (size_t i = 0; i < c->n_subnets; i++)
		n += warn_routers(&c->subnets[i], warn, ctx);
	for (size_t i = 0; i < c->n_boots; i++) {
		const char *why = dhcp_config_boot_warning(&c->boots[i]);
		if (why) {
			warn_at(warn, ctx, &(struct where){c->boots[i].file, c->boots[i].line},
				"[boot %s]: %s", c->boots[i].pxe.name, why);
			n++;
		}
	}
	return n;
}

static void log_warning(void *ctx, const char *msg)
{
	(void)ctx;
	pxe_log_msg(PXE_LOG_WARN, "config", "%s", msg);
}

int dhcp_config_validate(void *cfg, struct pxe_err *err)
{
	struct dhcpd_config *c = cfg;
	int r = implicit_subnet(c, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < c->n_subnets; i++)
		if ((r = validate_subnet(c, &c->subnets[i], err)) < 0)
			return located(err, r,
				       &(struct where){c->subnets[i].file, c->subnets[i].line});
	for (size_t i = 0; i < c->n_hosts; i++) {
		struct where w = {c->hosts[i].file, c->hosts[i].line};
		if ((r = validate_host(c, &c->hosts[i], &w, err)) < 0)
			return located(err, r, &w);
	}
	if ((r = dhcp_config6_validate(c, err)) < 0)
		return r;
	struct pxe_err e;
	if ((r = add_opts(&c->global_opts, &c->option, &e)) < 0)
		return pxe_err_set(err, -r, "option: %s", e.msg);
	for (size_t i = 0; i < c->n_boots; i++)
		if ((r = dhcp_config_boot_check(&c->boots[i], err)) < 0)
			return located(err, r, &(struct where){c->boots[i].file, c->boots[i].line});
	uint16_t next_item = DHCP_PXE_ITEM_FIRST;
	for (size_t i = 0; i < c->n_boots; i++)
		dhcp_pxe_boot_number_items(&c->boots[i].pxe, &next_item);
	/* An IPv6-only site has [subnet6] sections and no [subnet]. */
	if (!c->n_subnets && !c->print_leases && c->mode == DHCP_MODE_FULL &&
	    c->mode6 == DHCP6_MODE_OFF)
		return pxe_err_set(err, EINVAL,
				   "no [subnet CIDR] section, no [subnet6 PREFIX/LEN] and no "
				   "range: nothing to serve");
	c->v4_on = c->mode != DHCP_MODE_FULL || c->n_subnets > 0;
	c->leases_on = c->mode == DHCP_MODE_FULL || c->mode6 == DHCP6_MODE_FULL;
	/* Before the log is opened (start, --check-config) this is stderr;
	 * on reload, the log. --leases only reads the lease file. */
	if (!c->print_leases)
		dhcp_config_warnings(c, log_warning, NULL);
	return 0;
}

/* ---- what start needs from the file system */

static int dir_of(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 1;
	if (n >= cap)
		return -ENAMETOOLONG;
	if (!slash)
		memcpy(out, ".", 2);
	else if (n == 0)
		memcpy(out, "/", 2);
	else {
		memcpy(out, path, n);
		out[n] = '\0';
	}
	return 0;
}

static int writable_dir(const char *dir)
{
	struct stat st;
	if (stat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	return access(dir, W_OK | X_OK) < 0 ? -errno : 0;
}

int dhcp_leasefile_check(const char *path, char *bad, size_t cap)
{
	char dir[4096], parent[4096];
	/* The journal is appended to, and replaced by compaction (a new file
	 * renamed over it): the file and its directory must be writable. */
	snprintf(bad, cap, "%s", path);
	if (access(path, F_OK) == 0 && access(path, W_OK) < 0)
		return -errno;
	int r = dir_of(path, dir, sizeof(dir));
	if (r < 0)
		return r;
	snprintf(bad, cap, "%s", dir);
	r = writable_dir(dir);
	if (r != -ENOENT)
		return r;
	/* Missing: the daemon makes it, one level deep, in a writable parent. */
	if (dir_of(dir, parent, sizeof(parent)) < 0 || writable_dir(parent) < 0)
		return -ENOENT;
	return 0;
}

int dhcp_config_check_leasefile(const void *cfg, const char *value, struct pxe_err *err)
{
	const struct dhcpd_config *c = cfg;
	/* The proxy modes keep no leases (unless DHCPv6 hands out addresses);
	 * --leases only reads them. */
	if ((c->mode != DHCP_MODE_FULL && c->dhcpv6 != DHCP6_MODE_FULL) || c->print_leases)
		return 0;
	char bad[4096];
	int r = dhcp_leasefile_check(value, bad, sizeof(bad));
	if (r == -ENOENT)
		return pxe_err_set(err, ENOENT,
				   "%s: %s, and it cannot be made: its parent is missing or not "
				   "writable",
				   bad, strerror(-r));
	if (r < 0)
		return pxe_err_set(err, -r, "%s: %s", bad, strerror(-r));
	return 0;
}

void dhcp_config_check_free(struct dhcpd_config *c)
{
	free(c->ranges);
	free(c->reserved);
	dhcp_optlist_free(&c->global_opts);
	c->ranges = NULL;
	c->reserved = NULL;
	c->n_ranges = c->n_reserved = 0;
}
