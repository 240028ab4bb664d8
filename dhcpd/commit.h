/* SPDX-License-Identifier: MIT */
/* Lease changes on disk before their ACKs, so that a server that restarts
 * never gives an address it ACKed to another client (RFC 2131 §3.1 step 4:
 * the server commits the binding to persistent storage, then sends the
 * DHCPACK; §1.6: configuration survives server reboots). Each change is
 * buffered in the journal (and handed to the lease script); the ACKs wait
 * in d->pend; at the end of a loop iteration the batch is written and
 * fdatasynced on the thread pool while the loop goes on, then its ACKs
 * are sent; compaction when the file has grown well past the live leases. */
#ifndef DHCP_COMMIT_H
#define DHCP_COMMIT_H

#include <uv.h>

#include "state.h"

/* A lease change: into the journal's buffer and the script's queue. */
void dhcp_commit_event(struct dhcpd *d, enum dhcp_jevent ev, const struct dhcp_lease *l);
/* An ACK that may leave only once the buffered lines are on disk (taken
 * over). */
void dhcp_commit_queue(struct dhcpd *d, struct dhcp_pending *p);
/* The end of a loop iteration (uv_check): send this iteration's replies,
 * start the sync of what was buffered, compact when it is time. */
void dhcp_commit_on_check(uv_check_t *h);
/* The tick: when the lease file was deleted or replaced under us (an
 * admin's rm, a restore, a cleanup script), write it anew from the leases
 * in memory, which are what the clients were told. */
void dhcp_commit_check_file(struct dhcpd *d);
/* The tick: when the wall clock was set (clock.h), move every lease's end
 * with it (each keeps the time it had left), rebase the lease clock and
 * write the journal anew in the new time. */
void dhcp_commit_follow_clock(struct dhcpd *d);
/* Stopping: write and sync the rest here and now, then send its ACKs. */
void dhcp_commit_finish(struct dhcpd *d);

#endif
