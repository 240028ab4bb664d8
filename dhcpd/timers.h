/* SPDX-License-Identifier: MIT */
/* The server's timers: the tick (once a second: leases that expire go to
 * the journal; every five, the interfaces are looked up again, for one
 * that appears later), and reply-delay, the quirk of firmware that misses
 * fast offers (or of a proxy that should lose the race to the site
 * server): such replies wait in d->delayed on one timer. */
#ifndef DHCP_TIMERS_H
#define DHCP_TIMERS_H

#include <uv.h>

#include "state.h"

/* Send p (taken over) ms from now; at once when too many wait. */
void dhcp_timers_delay(struct dhcpd *d, struct dhcp_pending *p, long long ms);
/* Stopping: queue every waiting reply for sending now. */
void dhcp_timers_send_delayed(struct dhcpd *d);
void dhcp_timers_on_tick(uv_timer_t *t);

#endif
