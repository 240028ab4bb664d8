/* SPDX-License-Identifier: MIT */
/* Router advertisements on the links of `ra = yes` [subnet6] sections: the
 * libuv shell around v6/ra.c. One raw ICMPv6 socket for all links (it
 * receives only Router Solicitations), one timer at the earliest deadline
 * over the links. RAs go to ff02::1 from the link-local address the kernel
 * picks. */
#ifndef DHCP_RA_SHELL_H
#define DHCP_RA_SHELL_H

#include <stddef.h>
#include <uv.h>

#include "v6/ra.h"

struct dhcp_ra;

/* Start advertising on the n links (copied), one entry per interface (the
 * prefixes of all `ra = yes` [subnet6] sections on it merged into one
 * link); the first RA on each is due at once. NULL on failure, logged:
 * with no CAP_NET_RAW one warning line, and the caller goes on without
 * RAs; a link whose RA cannot be built (more than DHCP_RA_MAX_PREFIXES
 * prefixes: dhcp_ra_link_problem says so first) is an error line. */
struct dhcp_ra *dhcp_ra_start(uv_loop_t *loop, const struct dhcp_ra_link *links, size_t n);
/* A reloaded configuration (SIGHUP): links are matched by ifindex; a link
 * whose RA changed sends it again like a fresh start, a new link starts,
 * a link no longer listed stops (with a final RA where §6.2.5 wants one).
 * 0, or -errno with the old links kept. ra must not be NULL: a caller
 * that had none calls dhcp_ra_start. */
int dhcp_ra_update(struct dhcp_ra *ra, const struct dhcp_ra_link *links, size_t n);
/* Stop: a final RA with router lifetime 0 on each link whose last RA had
 * a non-zero one (RFC 4861 §6.2.5), then the handles are closed and freed
 * by the loop. NULL is a no-op. */
void dhcp_ra_stop(struct dhcp_ra *ra);

#endif
