/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's server: set up from a loaded configuration (lease replay and
 * compaction, sockets, handles), run until SIGTERM, torn down. The loop's
 * work is in recv.c (requests), commit.c (the journal and the ACKs that
 * wait for it), send.c (replies), timers.c (expiry, reply-delay) and
 * reload.c (SIGHUP). */
#ifndef DHCP_SERVER_H
#define DHCP_SERVER_H

#include <uv.h>

#include "opts.h"
#include "state.h"

/* Set up everything from conf (taken over): lease replay, compaction,
 * sockets. 0 or -errno (logged). */
int dhcp_server_init(struct dhcpd *d, uv_loop_t *loop, struct pxe_config *conf, int argc,
		     char **argv);
/* Run until SIGTERM/SIGINT. */
int dhcp_server_run(struct dhcpd *d);
void dhcp_server_free(struct dhcpd *d);

#endif
