/* SPDX-License-Identifier: MIT */
/* The PXE boot service's decision for one request: which firmware asks
 * (the client's classes), which [boot] section serves it (the first whose
 * match terms hold), which file (the section's template, ${} expanded).
 * It names no DHCPv4 type: the DHCPv4 core fills its replies from it
 * (v4/pxe_reply.h), and a DHCPv6 core would fill its own the same way.
 * Pure: no sockets, no clocks, no logging. */
#ifndef DHCP_PXE_SERVICE_H
#define DHCP_PXE_SERVICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "client.h"
#include "config.h"

struct dhcp_pxe_decision {
	bool made; /* a network-boot client, or a section matched: log it */
	struct dhcp_pxe_client client;
	const struct dhcp_boot *boot;     /* NULL: no section matched */
	char file[DHCP_PXE_FILE_MAX + 1]; /* expanded boot file, "" = none */
	const char *why;                  /* why there is no file */
	const char *warn;                 /* a problem with the reply, for the log */
	long long delay_ms;               /* reply-delay of the section */
	bool broadcast;                   /* broadcast = yes */
};

/* Our address on the interface the request came in on, for ${server}:
 * v4_be (network order) for a DHCPv4 request, v6 (16 bytes) for a DHCPv6
 * one; 0 / NULL when unknown. */
struct dhcp_pxe_server {
	uint32_t v4_be;
	const uint8_t *v6;
};

/* Decide for the client whose options raw holds, among the [boot]
 * sections boots[0..n-1]. */
void dhcp_pxe_decide(const struct dhcp_boot *boots, size_t n, const struct dhcp_pxe_raw *raw,
		     const struct dhcp_pxe_server *srv, struct dhcp_pxe_decision *dec);
/* Whether the decision gives the client something to boot: a file, or a
 * menu to choose one from. */
bool dhcp_pxe_serves(const struct dhcp_pxe_decision *dec);

#endif
