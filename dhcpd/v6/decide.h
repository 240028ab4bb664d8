/* SPDX-License-Identifier: MIT */
/* The DHCPv6 server's decisions (RFC 8415 §16 validation, §18.3 server
 * behaviour; RFC 5970 boot options): one function takes a parsed request,
 * where it came from and the time, updates the v6 lease store, and says
 * what to send, what to write to the journal, and what was decided for
 * booting. The reply goes back to where the request came from (a client
 * on its link, or the relay that forwarded it, RFC 8415 §19.3), wrapped in
 * RELAY-REPL layers when relayed. Pure: unit tests drive it directly. */
#ifndef DHCP6_DECIDE_H
#define DHCP6_DECIDE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "journal.h"
#include "leases6.h"
#include "pxe/service.h"
#include "wire.h"

/* Where a request arrived. */
struct dhcp6_rx {
	int ifindex;
	bool multicast; /* sent to ff02::1:2, not unicast to one of our addresses */
	bool on_4011;   /* the PXE boot-service port (EDK2's request to a proxy offer) */
	/* The [subnet6] of the receiving link (an address of the interface
	 * inside its prefix), for a client that is not relayed; NULL: none. */
	const struct dhcp_subnet6 *link;
	/* Our address on the receiving link for ${server} and tftp:// URLs: a
	 * global or ULA address, in the link's prefix when there is one. */
	bool has_server;
	uint8_t server[16];
};

/* What the server is: its DUID (option 2, RFC 8415 §11), the config and
 * the store. */
struct dhcp6_ctx {
	const struct dhcpd_config *cfg;
	struct dhcp6_leases *leases;
	const uint8_t *duid;
	size_t duid_len;
};

/* One lease change for the journal (and the lease script). */
struct dhcp6_jev {
	enum dhcp_jevent ev;
	struct dhcp6_lease lease;
};

struct dhcp6_out {
	int type;        /* DHCPv6 message type sent (inner, not RELAY-REPL); 0: nothing */
	const char *why; /* why nothing, or why a status, for the log */
	bool sync;       /* send only after the journal's lines are on disk */
	size_t n_ev;
	struct dhcp6_jev ev[DHCP6_MAX_IA];
	uint16_t status; /* top-level status code sent (0 Success or none) */
	bool has_addr;   /* the first address given, for the log */
	uint8_t addr[16];
	bool has_mac; /* the client's MAC (option 79 or DUID), for the log */
	uint8_t mac[6];
	const struct dhcp_host *host;
	/* The boot decision, when one was made (boot.made). */
	struct dhcp_pxe_decision boot;
	char url[DHCP_PXE_FILE_MAX + 64]; /* option 59 sent, "" = none */
	size_t len;
	uint8_t buf[DHCP6_MAX_MSG];
};

/* Handle one request. Returns the type of the message sent, or 0 when
 * there is none (out->why says why). */
int dhcp6_decide(const struct dhcp6_ctx *ctx, const struct dhcp6_msg *req,
		 const struct dhcp6_rx *rx, int64_t now, struct dhcp6_out *out);

/* The boot file URL (option 59) for a decided file: an absolute URL
 * (tftp://, http://, https://) as it is; a bare path becomes
 * tftp://[server]/path (RFC 5970 §3.1). -EINVAL: a path but no server
 * address; -ENOSPC: too long. */
int dhcp6_boot_url(const char *file, const uint8_t *server, char *out, size_t cap);

#endif
