/* SPDX-License-Identifier: MIT */
/* Receiving requests: up to RX_BATCH per wakeup and socket (port 67, and
 * 4011 for the PXE boot server), RX_VLEN per recvmmsg, handled in the
 * order they arrived; a request back from a ping-check is handled again.
 * Replies are queued (send.h), held for the journal (commit.h) or
 * delayed (timers.h). */
#ifndef DHCP_RECV_H
#define DHCP_RECV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "state.h"

/* The recvmmsg buffers (free with free()). */
struct dhcp_rxq *dhcp_rxq_new(void);
/* uv_poll callback of the port 67 and 4011 sockets (h->data: the dhcpd). */
void dhcp_recv_on_readable(uv_poll_t *h, int status, int events);
/* dhcp_ping_done: a ping-check is over (ctx: the dhcpd). */
void dhcp_recv_ping_done(void *ctx, uint32_t addr, bool in_use, const uint8_t *req, size_t len,
			 const struct dhcp_rx *rx);

#endif
