/* SPDX-License-Identifier: MIT */
/* What the configuration asks of the host's interfaces (see
 * iface_check.h). A missing interface and a server with no address in any
 * subnet start without complaint otherwise: "serving 1 subnets", and
 * nothing is answered. Both are warnings, not errors: an interface may
 * appear later (a bridge made after the daemon starts: dhcp_ifaces_resolve
 * looks again), and a server that only relay agents reach serves remote
 * subnets without an address in any of them (RFC 2131 §4.3.1: the subnet
 * of giaddr). */
#include "iface_check.h"

#include <ifaddrs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "config6.h"

static bool iface_exists(const struct dhcp_iface_addr *ifs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ifs[i].name, name))
			return true;
	return false;
}

static bool iface_wanted(const struct dhcpd_config *c, const char *name)
{
	if (!c->interface.n)
		return true;
	for (size_t i = 0; i < c->interface.n; i++)
		if (!strcmp(c->interface.v[i], name))
			return true;
	return false;
}

/* Whether one of the interfaces we answer on has an address in a subnet. */
static bool some_subnet_local(const struct dhcpd_config *c, const struct dhcp_iface_addr *ifs,
			      size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ifs[i].addr && iface_wanted(c, ifs[i].name) &&
		    dhcp_config_subnet_for(c, ifs[i].addr))
			return true;
	return false;
}

/* "a, b and c" of n strings into buf, cut with "..." when it is full. */
static void join(char *buf, size_t cap, size_t n, const char *(*at)(const void *, size_t),
		 const void *arr, const char *pre, const char *post)
{
	size_t len = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++) {
		const char *sep = i == 0 ? "" : i + 1 == n ? " and " : ", ";
		int w = snprintf(buf + len, cap - len, "%s%s%s%s", sep, pre, at(arr, i), post);
		if (w < 0 || (size_t)w >= cap - len) {
			if (cap > 4)
				memcpy(buf + cap - 4, "...", 4);
			return;
		}
		len += (size_t)w;
	}
}

static const char *subnet_cidr(const void *arr, size_t i)
{
	return ((const struct dhcpd_config *)arr)->subnets[i].cidr;
}

static const char *iface_name(const void *arr, size_t i)
{
	return ((const struct pxe_strlist *)arr)->v[i];
}

/* A [subnet6] that no interface we answer on has an address in is served
 * only through relays (RFC 8415 §13.1: the link of the relay's
 * link-address). */
static size_t check_subnets6(const struct dhcpd_config *c, const struct dhcp_iface_addr *ifs,
			     size_t n, dhcp_warn_fn warn, void *ctx)
{
	size_t warned = 0;
	if (c->mode6 == DHCP6_MODE_OFF)
		return 0;
	for (size_t k = 0; k < c->n_subnets6; k++) {
		const struct dhcp_subnet6 *s = &c->subnets6[k];
		bool local = false;
		for (size_t i = 0; i < n && !local; i++)
			local = ifs[i].v6 && iface_wanted(c, ifs[i].name) &&
				dhcp6_in_prefix(ifs[i].addr6, s->prefix, s->plen);
		if (local)
			continue;
		char msg[512];
		snprintf(msg, sizeof(msg),
			 "%s:%d: [subnet6 %s]: no interface%s has an address in the prefix: only "
			 "relayed requests are answered for it",
			 s->file ? s->file : "-", s->line, s->cidr,
			 c->interface.n ? " of interface =" : "");
		warn(ctx, msg);
		warned++;
	}
	return warned;
}

size_t dhcp_iface_check(const struct dhcpd_config *c, const struct dhcp_iface_addr *ifs, size_t n,
			dhcp_warn_fn warn, void *ctx)
{
	char msg[768], subnets[384], names[256];
	size_t warned = 0;
	for (size_t i = 0; i < c->interface.n; i++) {
		if (iface_exists(ifs, n, c->interface.v[i]))
			continue;
		snprintf(msg, sizeof(msg),
			 "interface %s does not exist: nothing is answered on it until it appears",
			 c->interface.v[i]);
		warn(ctx, msg);
		warned++;
	}
	warned += check_subnets6(c, ifs, n, warn, ctx);
	/* The proxy modes need no [subnet]; where there are some, the same
	 * holds for them. */
	if (!c->n_subnets || some_subnet_local(c, ifs, n))
		return warned;
	join(subnets, sizeof(subnets), c->n_subnets, subnet_cidr, c, "[subnet ", "]");
	if (c->interface.n) {
		join(names, sizeof(names), c->interface.n, iface_name, &c->interface, "", "");
		bool one = c->interface.n == 1;
		snprintf(msg, sizeof(msg),
			 "interface%s %s %s no address in %s: only relayed requests are answered",
			 one ? "" : "s", names, one ? "has" : "have", subnets);
	} else {
		snprintf(msg, sizeof(msg),
			 "no interface has an address in %s: only relayed requests are answered",
			 subnets);
	}
	warn(ctx, msg);
	return warned + 1;
}

struct dhcp_iface_addr *dhcp_iface_list(struct ifaddrs *ifa, size_t *n)
{
	size_t cap = 0;
	*n = 0;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
		cap++;
	struct dhcp_iface_addr *l = cap ? calloc(cap, sizeof(*l)) : NULL;
	if (!l)
		return NULL;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		struct dhcp_iface_addr *e = &l[(*n)++];
		e->name = i->ifa_name;
		if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6) {
			e->v6 = true;
			memcpy(e->addr6, &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, 16);
			continue;
		}
		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET)
			continue; /* AF_PACKET: the interface, with or without IPv4 */
		e->addr = ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		if (i->ifa_netmask)
			e->mask = ntohl(((struct sockaddr_in *)i->ifa_netmask)->sin_addr.s_addr);
	}
	return l;
}

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "pxe-dhcpd: warning: %s\n", msg);
}

void dhcp_iface_check_host(const void *cfg)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) < 0)
		return;
	size_t n = 0;
	struct dhcp_iface_addr *ifs = dhcp_iface_list(ifa, &n);
	if (ifs)
		dhcp_iface_check(cfg, ifs, n, print_warning, NULL);
	free(ifs);
	freeifaddrs(ifa);
}
