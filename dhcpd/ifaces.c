/* The interfaces pxe-dhcpd answers on, and its own addresses kept out of
 * the ranges (see ifaces.h). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "ifaces.h"

void dhcp_ifaces_resolve(struct dhcpd *d)
{
	free(d->ifaces);
	d->ifaces = NULL;
	d->n_ifaces = 0;
	const struct pxe_strlist *l = &d->cfg->interface;
	if (!l->n)
		return;
	d->ifaces = calloc(l->n, sizeof(int));
	if (!d->ifaces)
		return;
	for (size_t i = 0; i < l->n; i++) {
		unsigned idx = if_nametoindex(l->v[i]);
		d->ifaces[d->n_ifaces++] = idx ? (int)idx : -1; /* -1: not there (yet) */
	}
}

bool dhcp_ifaces_allowed(const struct dhcpd *d, int ifindex)
{
	if (!d->cfg->interface.n)
		return true;
	for (size_t i = 0; i < d->n_ifaces; i++)
		if (d->ifaces[i] == ifindex)
			return true;
	return false;
}

int dhcp_ifaces_ranges(struct dhcpd *d, const struct dhcpd_config *c)
{
	size_t n = c->n_reserved;
	uint32_t *rsv = malloc((n + 64) * sizeof(*rsv));
	if (!rsv)
		return -ENOMEM;
	if (n) /* a proxy config has no reserved addresses (NULL) */
		memcpy(rsv, c->reserved, n * sizeof(*rsv));
	struct ifaddrs *ifa, *i;
	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i && n < c->n_reserved + 64; i = i->ifa_next)
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
				rsv[n++] =
					ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		freeifaddrs(ifa);
	}
	int r = dhcp_leases_set_ranges(d->leases, c->ranges, c->n_ranges, rsv, n);
	free(rsv);
	return r;
}
