/* SPDX-License-Identifier: MIT */
/* ping-check: before a new address is offered, send it an ICMP echo and
 * wait ping-timeout for an answer. Only the client being checked waits:
 * its request is kept and handed back to the server afterwards, while the
 * loop serves everyone else (dnsmasq's check blocks ~3 s per new client,
 * one after another). An address that answers is quarantined like a
 * DHCPDECLINE. */
#ifndef DHCP_PING_H
#define DHCP_PING_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "v4/reply.h"

struct dhcp_pinger;

/* done(ctx, in_use, request, len, rx) is called once per probe. */
typedef void (*dhcp_ping_done)(void *ctx, uint32_t addr, bool in_use, const uint8_t *req,
			       size_t len, const struct dhcp_rx *rx);

/* NULL when no ICMP socket can be opened (logged): checks are skipped. */
struct dhcp_pinger *dhcp_pinger_new(uv_loop_t *loop, dhcp_ping_done done, void *ctx);
/* Start a probe; -EBUSY when too many are running (the caller offers at
 * once), -errno when the echo cannot be sent. */
int dhcp_ping_start(struct dhcp_pinger *p, uint32_t addr, unsigned timeout_ms, const uint8_t *req,
		    size_t len, const struct dhcp_rx *rx);
void dhcp_pinger_close(struct dhcp_pinger *p);

#endif
