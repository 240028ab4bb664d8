/* SPDX-License-Identifier: MIT */
/* DHCPv4 replies: where a request came from (dhcp_rx), a reply under
 * construction from layered options (dhcp_reply), its encoding and where
 * it goes (RFC 2131 §4.1), and what a decision hands back to the server
 * (dhcp_out): the message, its destination, the lease for the journal and
 * the PXE boot decision. Pure. */
#ifndef DHCP_V4_REPLY_H
#define DHCP_V4_REPLY_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "journal.h"
#include "options.h"
#include "pxe/service.h"
#include "wire.h"

/* Where a request arrived. */
struct dhcp_rx {
	uint32_t local_addr; /* our address on the receiving interface (host order) */
	int ifindex;
	bool on_4011;      /* arrived on the PXE boot-server port */
	uint32_t src_addr; /* the sender, network order (for 4011 replies) */
	uint16_t src_port; /* host order */
};

/* A reply under construction: the options of every layer, then the boot
 * decision's (pxe_reply.h), before it is encoded. */
struct dhcp_reply {
	int type;                /* DHCPOFFER, DHCPACK, DHCPBOOTREPLY */
	struct dhcp_optset opts; /* layered: server, [dhcpd], subnet, host, boot */
	uint32_t siaddr;         /* next-server, network order */
	char sname[64], file[128];
	const struct dhcp_subnet *subnet;
	const struct dhcp_host *host;
	uint32_t server_addr;  /* host order */
	size_t max_len;        /* the client's limit; the boot contents may lower it */
	uint8_t scratch[1024]; /* storage for values made for this reply */
	size_t scratch_len;
};

enum dhcp_dest {
	DEST_NONE,
	DEST_RELAY,     /* unicast to giaddr, port 67 */
	DEST_BROADCAST, /* 255.255.255.255:68 on the receiving interface */
	DEST_CIADDR,    /* unicast to ciaddr:68 */
	DEST_YIADDR,    /* unicast to yiaddr:68 without ARP (packet socket) */
	DEST_SOURCE,    /* back to the request's source address and port (4011) */
};

/* What a decision returns to the server. */
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
	/* The boot decision, when one was made (boot.made): for the log line,
	 * and for the sender (the section's reply-delay and broadcast). */
	struct dhcp_pxe_decision boot;
	size_t len;
	uint8_t buf[DHCP_MAX_MSG];
};

/* No reply: out->type 0, out->why says why. Returns 0. */
int dhcp_out_ignore(struct dhcp_out *out, const char *why);

/* Start a reply of type to req with no options yet: the client's size
 * limit (RFC 2131 §2; RFC 951's 64-byte vend area for BOOTP).
 * server_addr: our address, host order. */
void dhcp_reply_start(struct dhcp_reply *rep, const struct dhcp_msg *req, uint32_t server_addr,
		      int type);
/* Start a reply of type to req: the client's limit, the subnet mask and
 * the options of [dhcpd], the subnet and the host, in that order (a later
 * layer overrides). server_addr: our address, host order. */
void dhcp_reply_init(struct dhcp_reply *rep, const struct dhcpd_config *c,
		     const struct dhcp_msg *req, uint32_t server_addr, const struct dhcp_subnet *s,
		     const struct dhcp_host *h, int type);
/* Store bytes in rep->scratch for use as an option value; NULL when full. */
void *dhcp_reply_scratch(struct dhcp_reply *rep, const void *data, size_t len);
/* Put option code with a copy of val (in the scratch space) into rep. */
void dhcp_reply_put(struct dhcp_reply *rep, uint8_t code, const void *val, size_t len);
/* Emit rep's options into b in the client's order, then option 82 echoed
 * unchanged and last, with room kept for it (RFC 3046 §2.2). Options that
 * do not fit go into the file and sname fields when rep leaves them empty
 * (option 52, RFC 2132 §9.3), except in a BOOTREPLY; b's cap is kept. */
void dhcp_reply_emit_options(struct dhcp_builder *b, const struct dhcp_msg *req,
			     const struct dhcp_reply *rep, const uint8_t *always, size_t n_always);

/* Build rep into out->buf as a reply of rep->type: yiaddr and ciaddr
 * (network order, 0: none), siaddr, sname and file from rep, then its
 * options (always[] first, see dhcp_optset_emit). */
void dhcp_reply_build(const struct dhcp_msg *req, const struct dhcp_reply *rep, uint32_t yiaddr,
		      uint32_t ciaddr, const uint8_t *always, size_t n_always,
		      struct dhcp_out *out);
/* Encode an OFFER or ACK into out->buf: yiaddr (network order), lease
 * time with T1 and T2 (RFC 2131 §4.4.5; none for lease 0, an INFORM). */
void dhcp_reply_encode(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
		       uint32_t lease, struct dhcp_out *out);
/* Encode a BOOTREPLY: the header, and options only for a client that sent
 * the RFC 1048 cookie, never the DHCP extensions (RFC 2132 §9). */
void dhcp_reply_encode_bootp(const struct dhcp_msg *req, struct dhcp_reply *rep, uint32_t yiaddr,
			     struct dhcp_out *out);
/* Where a reply of type to req goes (RFC 2131 §4.1): out->dest and
 * out->dst_addr (out->yiaddr for DEST_YIADDR). */
void dhcp_reply_dest(const struct dhcp_msg *req, int type, struct dhcp_out *out);
/* A DHCPNAK saying why (RFC 2131 §4.3.2), broadcast or through the
 * relay. Returns DHCPNAK. */
int dhcp_reply_nak(const struct dhcp_msg *req, const struct dhcp_rx *rx, const char *why,
		   struct dhcp_out *out);

#endif
