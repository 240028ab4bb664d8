/* SPDX-License-Identifier: MIT */
/* Reply delivery, RFC 2131 §4.1 (see send.c for the destinations).
 * dhcp_send_queue takes p over and keeps it, in order, until
 * dhcp_send_flush sends the queue with one sendmmsg per run of replies
 * through the same socket (a full queue is flushed at once). Whoever
 * queues outside the poll phase flushes before returning to the loop,
 * which may sleep next. */
#ifndef DHCP_SEND_H
#define DHCP_SEND_H

#include "state.h"

struct dhcp_txq *dhcp_txq_new(void);
void dhcp_txq_free(struct dhcp_txq *q);
void dhcp_send_queue(struct dhcpd *d, struct dhcp_pending *p);
void dhcp_send_flush(struct dhcpd *d);
/* The AF_PACKET socket for unicast to a client without an address (no
 * ARP): fd or -errno. */
int dhcp_send_open_packet(void);

#endif
