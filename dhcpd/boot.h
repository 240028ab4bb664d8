/* The PXE boot service: [boot NAME] sections in the config, the boot
 * decision for one request (class, section, file) and what it puts into a
 * reply, in full mode (through the core's boot hook) and as proxyDHCP or
 * port-4011 boot-server replies. Pure: no sockets, no clocks, no logging. */
#ifndef DHCP_BOOT_H
#define DHCP_BOOT_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "proto.h"
#include "pxe/client.h"
#include "v4/wire.h"

#define DHCP_PORT_PXE 4011 /* PXE boot server (PXE spec 2.1 §2.2.5) */

/* What was decided for one request, for the log line and the sender. */
struct dhcp_boot_decision {
	bool made; /* a network-boot client, or a section matched: log it */
	struct dhcp_pxe_client client;
	const struct dhcp_boot *boot;     /* NULL: no section matched */
	char file[DHCP_PXE_FILE_MAX + 1]; /* expanded boot file, "" = none */
	const char *why;                  /* why there is no file */
	const char *warn;                 /* a problem with the reply, for the log */
	long long delay_ms;               /* reply-delay of the section */
	bool broadcast;                   /* broadcast = yes */
};

/* The full-mode hook's argument (dhcp_ctx.boot_arg); cfg follows reloads. */
struct dhcp_boot_ctx {
	const struct dhcpd_config *cfg;
	struct dhcp_boot_decision dec; /* the last request's decision */
};

/* dhcp_boot_hook for full mode: boot file, siaddr, sname, options 43, 60,
 * 67, 97 and the section's options into rep. */
void dhcp_boot_full_hook(void *arg, const struct dhcp_msg *req, struct dhcp_reply *rep);

/* A proxyDHCP reply (on_4011 false: port 67 in mode=proxy) or a boot-server
 * reply (on_4011 true, every mode) into out: yiaddr 0, no lease. Returns
 * the reply type, or 0 with out->why when the request gets no answer.
 * out->dest is DEST_BROADCAST/DEST_RELAY/DEST_CIADDR; the 4011 caller
 * sends to the request's source instead. */
int dhcp_boot_proxy(const struct dhcpd_config *cfg, const struct dhcp_msg *req,
		    const struct dhcp_rx *rx, bool on_4011, struct dhcp_boot_decision *dec,
		    struct dhcp_out *out);

#endif
