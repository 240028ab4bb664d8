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

#include <stdio.h>
#include <string.h>

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
