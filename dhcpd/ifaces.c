/* SPDX-License-Identifier: MIT */
/* The interfaces pxe-dhcpd answers on, and its own addresses kept out of
 * the ranges (see ifaces.h). */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "iface_check.h"
#include "ifaces.h"
#include "log.h"

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

static void log_warning(void *ctx, const char *msg)
{
	(void)ctx;
	pxe_log_msg(PXE_LOG_WARN, "interfaces", "%s", msg);
}

int dhcp_ifaces_ranges(struct dhcpd *d, const struct dhcpd_config *c)
{
	struct ifaddrs *ifa = NULL;
	if (getifaddrs(&ifa) < 0)
		ifa = NULL;
	size_t n_ifs = 0, n = c->n_reserved;
	struct dhcp_iface_addr *ifs = dhcp_iface_list(ifa, &n_ifs);
	uint32_t *rsv = malloc((n + n_ifs + 1) * sizeof(*rsv));
	if (!rsv) {
		free(ifs);
		if (ifa)
			freeifaddrs(ifa);
		return -ENOMEM;
	}
	if (n) /* a proxy config has no reserved addresses (NULL) */
		memcpy(rsv, c->reserved, n * sizeof(*rsv));
	for (size_t i = 0; i < n_ifs; i++)
		if (ifs[i].addr)
			rsv[n++] = ifs[i].addr;
	/* getifaddrs failing (or no memory for the list) would make every
	 * check fail: warn only from a real list. */
	if (ifs)
		dhcp_iface_check(c, ifs, n_ifs, log_warning, NULL);
	int r = dhcp_leases_set_ranges(d->leases, c->ranges, c->n_ranges, rsv, n);
	free(rsv);
	free(ifs);
	if (ifa)
		freeifaddrs(ifa);
	return r;
}
