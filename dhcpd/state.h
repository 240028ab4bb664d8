/* SPDX-License-Identifier: MIT */
/* The state of the pxe-dhcpd server, one struct dhcpd that every
 * event-loop file is handed (no globals): sockets, the lease store and
 * journal, the replies waiting for the journal or a reply-delay, timers.
 * server.c sets it up and tears it down. */
#ifndef DHCP_STATE_H
#define DHCP_STATE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>
#include <netinet/in.h>

#include "clock.h" /* dhcp_now: lease times and the journal */
#include "config.h"
#include "daemon.h"
#include "ifaces6.h"
#include "journal.h"
#include "leases.h"
#include "opts.h"
#include "v4/binding.h"
#include "v4/reply.h"
#include "v4/wire.h"

struct dhcp_script;
struct dhcp_txq;
struct dhcp_rxq;
struct dhcp_ra;
struct dhcp6_msg;
struct dhcp6_out;
struct dhcp_heldlog;

#define DHCP_MAX_DELAYED 1024 /* replies waiting out a reply-delay */

/* A reply waiting for the journal's fdatasync (ACKs). */
struct dhcp_pending {
	bool v6; /* a DHCPv6 reply: dst6 through fd6 (or fd6_4011) */
	bool v6_4011;
	struct sockaddr_in6 dst6; /* with sin6_scope_id = the receiving link */
	/* The address a unicast request was sent to: the reply leaves from it
	 * (IPV6_PKTINFO), because EDK2 drops a reply to its 4011 REQUEST from
	 * another source. Unspecified (::) for a multicast request. */
	struct in6_addr src6;
	enum dhcp_dest dest;
	uint32_t dst_addr;   /* network order */
	uint16_t dst_port;   /* DEST_SOURCE */
	uint32_t local_addr; /* host order */
	int ifindex;
	uint8_t htype, hlen, chaddr[16];
	int64_t due_ms; /* reply-delay: uv_now() when it is to be sent */
	/* the request's log line, written when the journal's fate is known
	 * (heldlog.h); NULL when the level filters it out */
	struct dhcp_heldlog *log;
	size_t len;
	uint8_t buf[];
};

/* One group commit in flight on the thread pool: the lines of a batch,
 * written and fdatasynced there, and the ACKs that wait for them. */
struct dhcp_sync {
	uv_work_t req;
	struct dhcpd *d;
	char *buf;
	size_t len;
	struct dhcp_pending **pend;
	size_t n;
	int fd;
	int result;
};

struct dhcpd {
	uv_loop_t *loop;
	struct pxe_config conf; /* current config (owned) */
	const struct dhcpd_config *cfg;
	int argc;
	char **argv;

	struct dhcp_leases *leases;
	struct dhcp_journal journal;
	struct dhcp_ctx ctx;

	int fd;     /* UDP 0.0.0.0:67 with IP_PKTINFO; -1 in mode=proxy-4011 */
	int fd4011; /* UDP 0.0.0.0:4011, the PXE boot server */
	uv_poll_t poll4011;
	uv_timer_t delay_timer; /* reply-delay */
	struct dhcp_pending *delayed[DHCP_MAX_DELAYED];
	size_t n_delayed;
	int pkt_fd; /* AF_PACKET for unicast without ARP, -1 if none */
	uv_poll_t poll;
	uv_check_t check; /* end of loop iteration: flush, then send ACKs */
	uv_timer_t tick;  /* lease expiry, interface refresh */
	struct pxe_signals sig;

	int *ifaces; /* allowed ifindexes; NULL: any with a subnet */
	size_t n_ifaces;

	struct dhcp_pending **pend; /* ACKs whose lines are not yet being synced */
	size_t n_pend, cap_pend;
	struct dhcp_sync sync;
	bool syncing;
	/* Journal writes failing (ENOSPC, EIO): ACKs held back since the
	 * last report, when that was (uv_now), whether it still fails,
	 * whether an error line awaits its "written again" notice. */
	size_t jfail_acks;
	uint64_t jfail_logged_ms;
	bool jfail;
	bool jfail_reported;

	struct dhcp_msg *msg; /* scratch for the request being handled */
	struct dhcp_out *out;
	uint8_t rxbuf[DHCP_MAX_MSG + 1]; /* a request back from a ping-check */
	struct dhcp_rxq *rxq;            /* recvmmsg buffers (recv.c) */
	struct dhcp_txq *txq;            /* replies waiting for sendmmsg (send.c) */
	unsigned ticks;

	/* DHCPv6 (server6.c) */
	int fd6, fd6_4011; /* [::]:547, [::]:4011 (boot-only mode); -1: none */
	uv_poll_t poll6, poll6_4011;
	struct dhcp6_iflist if6;
	uint8_t duid6[20]; /* DUID-LL of the lowest-numbered interface (RFC 8415 §11.4) */
	size_t duid6_len;
	struct dhcp6_msg *msg6;
	struct dhcp6_out *out6;
	struct dhcp_ra *ra;
	uint64_t malformed6;           /* bad DHCPv6 packets ignored */
	uint64_t malformed6_logged_ms; /* uv_now() of the last warning about them */

	struct dhcp_script *script;
	struct dhcp_pinger *pinger; /* NULL: no ping-check */
	uint64_t stats_rx, stats_tx, stats_drop;
	bool stopping;
};

#endif
