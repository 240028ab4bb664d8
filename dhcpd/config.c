/* SPDX-License-Identifier: MIT */
/* Look-ups on pxe-dhcpd's validated configuration (see config.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"

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

int dhcp_split_range(const char *s, char *start, char *end, size_t cap)
{
	const char *dash = strchr(s, '-');
	if (!dash || (size_t)(dash - s) >= cap || strlen(dash + 1) >= cap)
		return -EINVAL;
	memcpy(start, s, (size_t)(dash - s));
	start[dash - s] = '\0';
	strcpy(end, dash + 1);
	return 0;
}

void *dhcp_config_grow(void *arr, size_t *n, size_t size)
{
	char *na = realloc(arr, (*n + 1) * size);
	if (!na)
		return NULL;
	memset(na + *n * size, 0, size);
	(*n)++;
	return na;
}

const struct dhcp_subnet *dhcp_config_subnet_for(const struct dhcpd_config *c, uint32_t addr)
{
	for (size_t i = 0; i < c->n_subnets; i++)
		if ((addr & c->subnets[i].mask) == c->subnets[i].net && c->subnets[i].mask)
			return &c->subnets[i];
	return NULL;
}

const char *dhcp_config_host_refusal(const struct dhcpd_config *c, const struct dhcp_host *h)
{
	if (h && h->ignore)
		return "host is ignored";
	if (!h && c->known_only)
		return "unknown client (known-only)";
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
