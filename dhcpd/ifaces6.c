/* SPDX-License-Identifier: MIT */
/* IPv6 addresses of the host for DHCPv6 (see ifaces6.h). */
#include <errno.h>
#include <ifaddrs.h>
#include <stdio.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <linux/if_packet.h>
#include <netinet/in.h>

#include "config6.h"
#include "ifaces6.h"

void dhcp6_iflist_free(struct dhcp6_iflist *l)
{
	free(l->a);
	free(l->links);
	*l = (struct dhcp6_iflist){0};
}

static unsigned mask_len(const struct sockaddr_in6 *m)
{
	unsigned n = 0;
	for (int i = 0; i < 16; i++)
		n += (unsigned)__builtin_popcount(m->sin6_addr.s6_addr[i]);
	return n;
}

static bool usable_link(const struct ifaddrs *i)
{
	return (i->ifa_flags & IFF_UP) && (i->ifa_flags & IFF_MULTICAST) &&
	       !(i->ifa_flags & IFF_LOOPBACK);
}

static struct dhcp6_link *find_link(struct dhcp6_iflist *l, int idx, size_t cap)
{
	for (size_t k = 0; k < l->n_links; k++)
		if (l->links[k].ifindex == idx)
			return &l->links[k];
	if (l->n_links >= cap)
		return NULL;
	l->links[l->n_links].ifindex = idx;
	return &l->links[l->n_links++];
}

/* Marks the addresses the kernel flags IFA_F_PERMANENT (0x80), from
 * /proc/self/net/if_inet6 ("ADDR IFINDEX PLEN SCOPE FLAGS NAME", hex), which
 * getifaddrs does not tell; /proc/net is a link there, hidden by the unit's
 * ProcSubset=pid. Without the file every address counts as permanent: the
 * choice is then the first, as before. */
static void mark_permanent(struct dhcp6_iflist *n)
{
	FILE *f = fopen("/proc/self/net/if_inet6", "re");
	if (!f) {
		for (size_t i = 0; i < n->n; i++)
			n->a[i].permanent = true;
		return;
	}
	char hex[33];
	unsigned idx, plen, scope, flags;
	while (fscanf(f, "%32s %x %x %x %x %*s", hex, &idx, &plen, &scope, &flags) == 5) {
		uint8_t a[16];
		bool ok = strlen(hex) == 32;
		for (int k = 0; ok && k < 16; k++) {
			unsigned b;
			ok = sscanf(hex + 2 * k, "%2x", &b) == 1;
			a[k] = (uint8_t)b;
		}
		for (size_t i = 0; ok && i < n->n; i++)
			if (n->a[i].ifindex == (int)idx && !memcmp(n->a[i].addr, a, 16))
				n->a[i].permanent = (flags & 0x80) != 0;
	}
	fclose(f);
}

int dhcp6_iflist_read(struct dhcp6_iflist *l)
{
	struct ifaddrs *ifa;
	if (getifaddrs(&ifa) < 0)
		return -errno;
	size_t cap = 0;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next)
		cap++;
	struct dhcp6_iflist n = {0};
	n.a = calloc(cap + 1, sizeof(*n.a));
	n.links = calloc(cap + 1, sizeof(*n.links));
	if (!n.a || !n.links) {
		freeifaddrs(ifa);
		dhcp6_iflist_free(&n);
		return -ENOMEM;
	}
	int mac_idx = 0;
	for (struct ifaddrs *i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || !usable_link(i))
			continue;
		int idx = (int)if_nametoindex(i->ifa_name);
		if (idx <= 0)
			continue;
		if (i->ifa_addr->sa_family == AF_PACKET) {
			const struct sockaddr_ll *ll = (const struct sockaddr_ll *)i->ifa_addr;
			static const uint8_t zero[6];
			struct dhcp6_link *k = find_link(&n, idx, cap);
			if (ll->sll_halen != 6 || !memcmp(ll->sll_addr, zero, 6) || !k)
				continue;
			k->has_mac = true;
			memcpy(k->mac, ll->sll_addr, 6);
			if (!mac_idx || idx < mac_idx) {
				mac_idx = idx;
				memcpy(n.mac, ll->sll_addr, 6);
				n.has_mac = true;
			}
			continue;
		}
		if (i->ifa_addr->sa_family != AF_INET6)
			continue;
		find_link(&n, idx, cap);
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)i->ifa_addr;
		if (IN6_IS_ADDR_LINKLOCAL(&a->sin6_addr) || IN6_IS_ADDR_LOOPBACK(&a->sin6_addr))
			continue;
		struct dhcp6_ifaddr *e = &n.a[n.n++];
		e->ifindex = idx;
		memcpy(e->addr, &a->sin6_addr, 16);
		e->plen = i->ifa_netmask
				  ? (uint8_t)mask_len((const struct sockaddr_in6 *)i->ifa_netmask)
				  : 128;
	}
	freeifaddrs(ifa);
	mark_permanent(&n);
	dhcp6_iflist_free(l);
	*l = n;
	return 0;
}

const struct dhcp_subnet6 *dhcp6_link_subnet(const struct dhcpd_config *c,
					     const struct dhcp6_iflist *l, int ifindex,
					     uint8_t server[16], bool *has_server)
{
	*has_server = false;
	const struct dhcp_subnet6 *found = NULL;
	int best = -1; /* 2 in a [subnet6] prefix, +1 permanent */
	for (size_t i = 0; i < l->n; i++) {
		if (l->a[i].ifindex != ifindex)
			continue;
		const struct dhcp_subnet6 *s = dhcp_config_subnet6_for(c, l->a[i].addr);
		int rank = (s ? 2 : 0) + (l->a[i].permanent ? 1 : 0);
		if (rank > best) {
			best = rank;
			found = s;
			memcpy(server, l->a[i].addr, 16);
			*has_server = true;
		}
	}
	return found;
}

static struct dhcp_ra_link *ra_link_for(const struct dhcp6_iflist *l, int ifindex,
					struct dhcp_ra_link *out, size_t *n, size_t cap)
{
	for (size_t i = 0; i < *n; i++)
		if (out[i].ifindex == ifindex)
			return &out[i];
	if (*n >= cap)
		return NULL;
	struct dhcp_ra_link *k = &out[(*n)++];
	memset(k, 0, sizeof(*k));
	k->ifindex = ifindex;
	if_indextoname((unsigned)ifindex, k->ifname);
	for (size_t i = 0; i < l->n_links; i++)
		if (l->links[i].ifindex == ifindex && l->links[i].has_mac) {
			k->has_mac = true;
			memcpy(k->mac, l->links[i].mac, 6);
		}
	k->other = true; /* DNS and boot options come from DHCPv6 (RFC 4861 §4.2) */
	return k;
}

/* One subnet's prefix onto the link k: M when it hands out addresses, the
 * longest router lifetime and the shortest interval of the sections. */
static void ra_add_prefix(struct dhcp_ra_link *k, const struct dhcpd_config *c,
			  const struct dhcp_subnet6 *s)
{
	for (size_t i = 0; i < k->n_prefixes; i++)
		if (k->prefixes[i].len == s->plen && !memcmp(k->prefixes[i].prefix, s->prefix, 16))
			return;
	if (k->n_prefixes >= DHCP_RA_MAX_PREFIXES)
		return;
	struct dhcp_ra_prefix *p = &k->prefixes[k->n_prefixes++];
	memcpy(p->prefix, s->prefix, 16);
	p->len = s->plen;
	p->autonomous = s->ra_autonomous;
	p->valid = s->valid_secs;
	p->preferred = s->preferred_secs;
	if (c->mode6 == DHCP6_MODE_FULL && s->n_ranges)
		k->managed = true;
	uint16_t lt = (uint16_t)(s->ra_lifetime_ms / 1000);
	if (lt > k->router_lifetime)
		k->router_lifetime = lt;
	uint32_t iv = (uint32_t)s->ra_interval_ms;
	if (!k->max_interval_ms || iv < k->max_interval_ms)
		k->max_interval_ms = iv;
}

size_t dhcp6_ra_links(const struct dhcpd_config *c, const struct dhcp6_iflist *l,
		      bool (*allowed)(const void *ctx, int ifindex), const void *ctx,
		      struct dhcp_ra_link *out, size_t cap, const struct dhcp_subnet6 **missing)
{
	size_t n = 0;
	*missing = NULL;
	for (size_t i = 0; i < c->n_subnets6; i++) {
		const struct dhcp_subnet6 *s = &c->subnets6[i];
		if (!s->ra)
			continue;
		bool found = false;
		for (size_t k = 0; k < l->n; k++) {
			const struct dhcp6_ifaddr *a = &l->a[k];
			if (!dhcp6_in_prefix(a->addr, s->prefix, s->plen) ||
			    !allowed(ctx, a->ifindex))
				continue;
			struct dhcp_ra_link *link = ra_link_for(l, a->ifindex, out, &n, cap);
			if (link)
				ra_add_prefix(link, c, s);
			found = true;
		}
		if (!found && !*missing)
			*missing = s;
	}
	return n;
}
