/* SPDX-License-Identifier: MIT */
/* The log lines of one request, so that a boot can be followed with grep:
 * event=dhcp (type, mac, xid, interface, relay, reply, address, lease
 * event, why) and, when a boot decision was made, event=pxe (firmware
 * class, architecture, section, file, why, warn). */
#ifndef DHCP_REQLOG_H
#define DHCP_REQLOG_H

#include "heldlog.h"
#include "pxe/service.h"
#include "v4/reply.h"
#include "v4/wire.h"

/* type: the request's message type; ifindex: where it came in. A reply
 * that waits for the journal (o->sync) has its line held, returned to be
 * ended by the commit (heldlog.h); otherwise the line is written and NULL
 * returned. */
struct dhcp_heldlog *dhcp_reqlog_request(const struct dhcp_msg *m, int type,
					 const struct dhcp_out *o, int ifindex);
/* One line per boot decision: which firmware, which section, which file. */
void dhcp_reqlog_pxe(const struct dhcp_msg *m, const struct dhcp_pxe_decision *dec,
		     const struct dhcp_rx *rx);

#endif
