/* SPDX-License-Identifier: MIT */
/* Receiving requests (see recv.h): recvmmsg batches with IP_PKTINFO (the
 * interface and our address on it), each request decided by dhcp_handle,
 * logged, and its reply sent, held for the journal or delayed. */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "commit.h"
#include "ifaces.h"
#include "log.h"
#include "ping.h"
#include "recv.h"
#include "reqlog.h"
#include "send.h"
#include "timers.h"
#include "v4/handle.h"

/* requests per wakeup and socket: the other socket gets its turn */
#define RX_BATCH 256
#define RX_VLEN  32 /* datagrams per recvmmsg */

/* Everything recvmmsg fills: per datagram a buffer one byte longer than
 * the largest message (so a longer one shows), its source and its
 * control data (IP_PKTINFO). */
struct dhcp_rxq {
	struct mmsghdr mm[RX_VLEN];
	struct iovec iov[RX_VLEN];
	struct sockaddr_in from[RX_VLEN];
	_Alignas(struct cmsghdr) char cb[RX_VLEN][256];
	uint8_t buf[RX_VLEN][DHCP_MAX_MSG + 1];
};

static struct dhcp_pending *make_pending(const struct dhcp_msg *m, const struct dhcp_out *o,
					 const struct dhcp_rx *rx)
{
	/* calloc: every field, the v6 ones too, is defined (send.c and the
	 * commit path read the struct as a whole) */
	struct dhcp_pending *p = calloc(1, sizeof(*p) + o->len);
	if (!p)
		return NULL;
	p->dest = o->dest;
	p->dst_addr = o->dst_addr;
	p->dst_port = o->dst_port;
	p->local_addr = rx->local_addr;
	p->ifindex = rx->ifindex;
	p->htype = m->htype;
	p->hlen = m->hlen;
	memcpy(p->chaddr, m->chaddr, 16);
	p->len = o->len;
	memcpy(p->buf, o->buf, o->len);
	return p;
}

static void handle_packet(struct dhcpd *d, const uint8_t *buf, size_t len, const struct dhcp_rx *rx,
			  struct dhcp_msg *m, struct dhcp_out *o)
{
	if (dhcp_parse(buf, len, m) < 0) {
		pxe_log_msg(PXE_LOG_DEBUG, "dhcp", "malformed packet of %zu bytes ignored", len);
		return;
	}
	int type = dhcp_msg_type(m);
	dhcp_handle(&d->ctx, m, rx, dhcp_now(), o);
	if (o->boot.made)
		dhcp_reqlog_pxe(m, &o->boot, rx);
	struct dhcp_heldlog *line = dhcp_reqlog_request(m, type, o, rx->ifindex);
	if (o->journal)
		dhcp_commit_event(d, o->ev, &o->lease_copy);
	if (o->probe) {
		uint32_t a = o->probe_addr;
		if (d->pinger && dhcp_ping_start(d->pinger, a, (unsigned)d->cfg->ping_timeout_ms,
						 buf, len, rx) == 0)
			return;
		/* no check possible: offer at once */
		struct dhcp_lease *l = dhcp_lease_by_addr(d->leases, a);
		if (l)
			l->probing = false;
		handle_packet(d, buf, len, rx, m, o);
		return;
	}
	if (!o->type)
		return;
	struct dhcp_pending *p = make_pending(m, o, rx);
	if (!p) {
		dhcp_heldlog_end(line, "out of memory");
		return;
	}
	if (o->sync) {
		p->log = line;
		dhcp_commit_queue(d, p);
	} else if (o->boot.made && o->boot.delay_ms > 0) {
		dhcp_timers_delay(d, p, o->boot.delay_ms);
	} else {
		dhcp_send_queue(d, p);
	}
}

/* A ping-check is over: quarantine an address that answered, then handle
 * the waiting request again (it gets an offer, or a probe of another
 * address). */
void dhcp_recv_ping_done(void *ctx, uint32_t addr, bool in_use, const uint8_t *req, size_t len,
			 const struct dhcp_rx *rx)
{
	struct dhcpd *d = ctx;
	struct dhcp_lease *l = dhcp_lease_by_addr(d->leases, addr);
	if (in_use) {
		struct in_addr a = {.s_addr = htonl(addr)};
		pxe_log_msg(PXE_LOG_WARN, "ping", "%s answers a ping: quarantined", inet_ntoa(a));
		if (l) {
			dhcp_lease_decline(d->leases, l,
					   dhcp_now() + d->cfg->decline_time_ms / 1000);
			dhcp_commit_event(d, JEV_DECLINE, l);
		}
	} else if (l) {
		l->probing = false;
	}
	struct dhcp_rx r = *rx;
	memcpy(d->rxbuf, req, len); /* the probe's slot may be reused at once */
	handle_packet(d, d->rxbuf, len, &r, d->msg, d->out);
	dhcp_send_flush(d); /* maybe a timer callback: the loop may sleep next */
}

static bool read_pktinfo(struct msghdr *mh, struct dhcp_rx *rx)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->ifindex = pi.ipi_ifindex;
			rx->local_addr = ntohl(pi.ipi_spec_dst.s_addr);
			return true;
		}
	}
	return false;
}

/* One datagram of a recvmmsg batch: the checks, then the request. */
static void read_one(struct dhcpd *d, struct dhcp_rxq *q, int i, bool on_4011)
{
	size_t n = q->mm[i].msg_len;
	struct dhcp_rx rx = {.on_4011 = on_4011,
			     .src_addr = q->from[i].sin_addr.s_addr,
			     .src_port = ntohs(q->from[i].sin_port)};
	d->stats_rx++;
	if (!read_pktinfo(&q->mm[i].msg_hdr, &rx) || !dhcp_ifaces_allowed(d, rx.ifindex) ||
	    n > DHCP_MAX_MSG)
		return;
	/* A 4011 request comes from a configured client (ciaddr): a source
	 * without an address or port cannot be answered. */
	if (on_4011 && (!rx.src_addr || !rx.src_port))
		return;
	handle_packet(d, q->buf[i], n, &rx, d->msg, d->out);
}

struct dhcp_rxq *dhcp_rxq_new(void)
{
	struct dhcp_rxq *q = malloc(sizeof(*q));
	if (!q)
		return NULL;
	for (unsigned i = 0; i < RX_VLEN; i++) {
		q->iov[i] = (struct iovec){.iov_base = q->buf[i], .iov_len = sizeof(q->buf[i])};
		q->mm[i].msg_hdr = (struct msghdr){.msg_name = &q->from[i],
						   .msg_iov = &q->iov[i],
						   .msg_iovlen = 1,
						   .msg_control = q->cb[i]};
	}
	return q;
}

/* The kernel writes back the name and control lengths: set them anew. */
static void rxq_reset(struct dhcp_rxq *q, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		q->mm[i].msg_hdr.msg_namelen = sizeof(q->from[i]);
		q->mm[i].msg_hdr.msg_controllen = sizeof(q->cb[i]);
	}
}

/* Up to RX_BATCH requests, RX_VLEN per system call, handled in the order
 * they arrived. A short batch means the socket is empty: no further call
 * just to hear EAGAIN. */
static void read_socket(struct dhcpd *d, int fd, bool on_4011)
{
	struct dhcp_rxq *q = d->rxq;
	for (unsigned got = 0; got < RX_BATCH;) {
		unsigned want = RX_BATCH - got < RX_VLEN ? RX_BATCH - got : RX_VLEN;
		rxq_reset(q, want);
		int n = recvmmsg(fd, q->mm, want, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			read_one(d, q, i, on_4011);
		got += (unsigned)n;
		if ((unsigned)n < want)
			break;
	}
}

void dhcp_recv_on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcpd *d = h->data;
	(void)events;
	if (status < 0)
		return;
	if (h == &d->poll4011)
		read_socket(d, d->fd4011, true);
	else
		read_socket(d, d->fd, false);
}
