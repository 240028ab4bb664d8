/* SPDX-License-Identifier: MIT */
/* The server's clock for lease times: unix seconds, as the journal records
 * them, but advancing with CLOCK_BOOTTIME (which counts suspend and never
 * jumps) from a base taken off the wall clock. A wall clock set forward by
 * a day must not expire every lease at once (their clients still hold the
 * addresses), nor one set back extend them by a day: the tick notices the
 * wall clock moving away (dhcp_clock_drift), moves every lease's end by the
 * same amount so each keeps the time it had left, and rebases. */
#ifndef DHCP_CLOCK_H
#define DHCP_CLOCK_H

#include <stdint.h>

/* A difference the tick lets pass: NTP slewing, a second's rounding. */
#define DHCP_CLOCK_SLACK 60

int64_t dhcp_now(void);
/* The wall clock minus ours when they differ by more than
 * DHCP_CLOCK_SLACK seconds, else 0. */
int64_t dhcp_clock_drift(void);
/* Move our clock by delta seconds (after the leases were moved). */
void dhcp_clock_rebase(int64_t delta);

#endif
