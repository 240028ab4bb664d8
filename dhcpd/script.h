/* SPDX-License-Identifier: MIT */
/* script = PATH: a program run on lease add/renew/release/expire/decline,
 * like dnsmasq's --dhcp-script: arguments "EVENT MAC IP HOSTNAME" and the
 * facts in DHCP_* environment variables. One run at a time, from a
 * bounded queue; events past the bound are dropped with a log line. The
 * loop never waits for the script. */
#ifndef DHCP_SCRIPT_H
#define DHCP_SCRIPT_H

#include <stddef.h>
#include <uv.h>

#include "journal.h"
#include "leases.h"

struct dhcp_script;

struct dhcp_script *dhcp_script_new(uv_loop_t *loop);
/* NULL path: no script. Keeps queued events. */
int dhcp_script_configure(struct dhcp_script *s, const char *path, size_t max_queue);
void dhcp_script_event(struct dhcp_script *s, enum dhcp_jevent ev, const struct dhcp_lease *l);
/* The same for a DHCPv6 lease (DHCP_FAMILY=6, DHCP_IAID, the DUID as
 * DHCP_CLIENT_ID). */
void dhcp_script_event6(struct dhcp_script *s, enum dhcp_jevent ev, const struct dhcp6_lease *l);
/* Stop (a running script is left to finish on its own) and free on close. */
void dhcp_script_free(struct dhcp_script *s);

#endif
