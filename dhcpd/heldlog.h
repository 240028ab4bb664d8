/* SPDX-License-Identifier: MIT */
/* The log line of a request whose reply waits for the lease journal
 * (commit.c): its head (type, mac, xid, interface, relay) is made when
 * the request is handled, its tail (reply, address, lease event, why) is
 * written when the batch's fate is known. So a line never says reply=ack
 * for an ACK that was not sent because its lease line did not reach the
 * disk; it says reply=none dropped=ack why="journal write failed". */
#ifndef DHCP_HELDLOG_H
#define DHCP_HELDLOG_H

#include <netinet/in.h>

#include "log.h"

/* The fields after the head, for DHCPv4 and DHCPv6 alike. */
struct dhcp_logtail {
	const char *reply;         /* the reply's type name (static), NULL: none */
	char ip[INET6_ADDRSTRLEN]; /* the address given, "" none */
	const char *lease;         /* the journal event's name (static), NULL none */
	char hostname[64];         /* "" none */
	unsigned status;           /* a DHCPv6 status code, 0 none */
	char why[96];              /* "" none; copied: a reload may free the original */
};

/* Append the tail's fields to l (a line about to end). */
void dhcp_logtail_write(struct pxe_log_line *l, const struct dhcp_logtail *t);

struct dhcp_heldlog;
/* Keep head (begun, not ended) and tail for later, in a compact copy:
 * NULL when the line is filtered out (level) or memory is short. */
struct dhcp_heldlog *dhcp_heldlog_make(const struct pxe_log_line *head,
				       const struct dhcp_logtail *t);
/* Write the line and free it (NULL: nothing). dropped: NULL when the
 * reply was sent, else why it was not. */
void dhcp_heldlog_end(struct dhcp_heldlog *h, const char *dropped);

#endif
