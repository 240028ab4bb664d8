/* The DHCP server's decisions (RFC 2131 §4.3): one function takes a parsed
 * request, where it came from and the time, updates the lease store, and
 * says what to send where and what to write to the journal. No sockets,
 * no clocks: unit tests drive it directly. */
#ifndef DHCP_PROTO_H
#define DHCP_PROTO_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "journal.h"
#include "leases.h"
#include "v4/options.h"
#include "v4/wire.h"

/* Where a request arrived. */
struct dhcp_rx {
	uint32_t local_addr; /* our address on the receiving interface (host order) */
	int ifindex;
	bool on_4011;      /* arrived on the PXE boot-server port */
	uint32_t src_addr; /* the sender, network order (for 4011 replies) */
	uint16_t src_port; /* host order */
};

/* A reply under construction. The boot service (issue 7: classes, option
 * 43, file/next-server) plugs in through dhcp_boot_hook and edits this
 * before it is encoded. */
struct dhcp_reply {
	int type;                /* DHCPOFFER, DHCPACK, DHCPBOOTREPLY */
	struct dhcp_optset opts; /* layered: server, [dhcpd], subnet, host, boot */
	uint32_t siaddr;         /* next-server, network order */
	char sname[64], file[128];
	const struct dhcp_subnet *subnet;
	const struct dhcp_host *host;
	uint32_t server_addr;  /* host order */
	size_t max_len;        /* the client's limit; a hook may lower it (1472) */
	uint8_t scratch[1024]; /* storage for values made for this reply */
	size_t scratch_len;
};

typedef void (*dhcp_boot_hook)(void *arg, const struct dhcp_msg *req, struct dhcp_reply *rep);

struct dhcp_ctx {
	const struct dhcpd_config *cfg;
	struct dhcp_leases *leases;
	dhcp_boot_hook boot_hook; /* NULL: none */
	void *boot_arg;
};

enum dhcp_dest {
	DEST_NONE,
	DEST_RELAY,     /* unicast to giaddr, port 67 */
	DEST_BROADCAST, /* 255.255.255.255:68 on the receiving interface */
	DEST_CIADDR,    /* unicast to ciaddr:68 */
	DEST_YIADDR,    /* unicast to yiaddr:68 without ARP (packet socket) */
	DEST_SOURCE,    /* back to the request's source address and port (4011) */
};

struct dhcp_out {
	int type; /* message sent (0: nothing) */
	enum dhcp_dest dest;
	uint32_t dst_addr; /* network order (giaddr, ciaddr or yiaddr) */
	uint16_t dst_port; /* DEST_SOURCE: the request's source port */
	bool sync;         /* send only after the journal is on disk */
	bool journal;      /* lease_copy / ev go to the journal (and script) */
	enum dhcp_jevent ev;
	struct dhcp_lease lease_copy;
	uint32_t yiaddr;     /* network order, for the log */
	bool probe;          /* ping probe_addr first, then handle the request again */
	uint32_t probe_addr; /* host order */
	const char *why;     /* reason for a NAK or for silence, for the log */
	size_t len;
	uint8_t buf[DHCP_MAX_MSG];
};

/* Handle one request. Returns the message type handled (DHCPBOOTREPLY for
 * a BOOTP request), or 0 when the request was not for us (out->why says
 * why). */
int dhcp_proto_handle(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		      const struct dhcp_rx *rx, int64_t now, struct dhcp_out *out);

/* Emit rep's options into b in the client's order, then option 82 echoed
 * unchanged and last, with room kept for it (RFC 3046 §2.2). Options that
 * do not fit go into the file and sname fields when rep leaves them empty
 * (option 52, RFC 2132 §9.3), except in a BOOTREPLY; b's cap is kept. */
void dhcp_reply_emit_options(struct dhcp_builder *b, const struct dhcp_msg *req,
			     const struct dhcp_reply *rep, const uint8_t *always, size_t n_always);
/* Store bytes in rep->scratch for use as an option value; NULL when full. */
void *dhcp_reply_scratch(struct dhcp_reply *rep, const void *data, size_t len);

#endif
