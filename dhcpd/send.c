/* SPDX-License-Identifier: MIT */
/* Reply delivery, RFC 2131 §4.1:
 *  - through a relay: unicast to giaddr, server port 67;
 *  - NAK, or the broadcast bit set: 255.255.255.255:68 on the interface
 *    the request came in on;
 *  - ciaddr set: unicast to ciaddr:68;
 *  - otherwise unicast to yiaddr:68 although the client cannot answer ARP
 *    yet: an AF_PACKET datagram socket addressed to chaddr, so no ARP is
 *    needed; broadcast when that is not possible (no packet socket, not
 *    Ethernet).
 *  - port 4011 (PXE boot server): back to the request's source address
 *    and port, from the 4011 socket.
 * Every reply leaves from the address the request was sent to (IP_PKTINFO
 * ipi_spec_dst).
 *
 * Replies are not sent one system call each: dhcp_send_queue keeps them in
 * order, and dhcp_send_flush (end of the loop iteration, after a journal
 * sync, after a reply-delay) hands each run of replies that leave through
 * the same socket to one sendmmsg(2). On this kind of VM the syscall entry
 * and exit, not the DHCP logic, is what a boot storm costs. */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "log.h"
#include "send.h"

/* replies per sendmmsg; a full queue is flushed at once */
#define TX_BATCH   64
#define UDP_IP_HDR (sizeof(struct iphdr) + sizeof(struct udphdr))

/* One queued reply with everything its msghdr points to. */
struct tx_slot {
	struct dhcp_pending *p; /* owned until the flush */
	int fd;                 /* the socket it leaves through; -1: none */
	bool packet;            /* an AF_PACKET frame: hdr + p->buf */
	union {
		struct sockaddr_in in;
		struct sockaddr_ll ll;
	} to;
	/* room for CMSG_SPACE(sizeof(struct in_pktinfo)), 32 bytes */
	_Alignas(struct cmsghdr) char cb[64];
	uint8_t hdr[UDP_IP_HDR];
	struct iovec iov[2];
};

struct dhcp_txq {
	size_t n;
	struct tx_slot s[TX_BATCH];
	struct mmsghdr mm[TX_BATCH];
};

int dhcp_send_open_packet(void)
{
	/* Protocol 0: this socket only sends, it never receives. */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

struct dhcp_txq *dhcp_txq_new(void)
{
	return calloc(1, sizeof(struct dhcp_txq));
}

void dhcp_txq_free(struct dhcp_txq *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->n; i++)
		free(q->s[i].p);
	free(q);
}

/* A UDP datagram from the request's local address (IP_PKTINFO). */
static void slot_udp(struct tx_slot *s, struct msghdr *mh, int fd, uint32_t dst_be, int port,
		     int ifindex)
{
	const struct dhcp_pending *p = s->p;
	s->fd = fd;
	s->packet = false;
	s->to.in = (struct sockaddr_in){.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	s->to.in.sin_addr.s_addr = dst_be;
	s->iov[0] = (struct iovec){.iov_base = (void *)p->buf, .iov_len = p->len};
	memset(s->cb, 0, sizeof(s->cb));
	*mh = (struct msghdr){.msg_name = &s->to.in,
			      .msg_namelen = sizeof(s->to.in),
			      .msg_iov = s->iov,
			      .msg_iovlen = 1,
			      .msg_control = s->cb,
			      .msg_controllen = CMSG_SPACE(sizeof(struct in_pktinfo))};
	struct cmsghdr *c = CMSG_FIRSTHDR(mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = {.ipi_ifindex = ifindex};
	pi.ipi_spec_dst.s_addr = htonl(p->local_addr);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
}

static uint16_t csum_add(uint32_t sum, const void *data, size_t len)
{
	const uint8_t *b = data;
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* IPv4 + UDP headers for the DHCP message (RFC 768 checksum over the
 * pseudo header, the UDP header and the payload). */
static void build_headers(uint8_t *hdr, const struct dhcp_pending *p)
{
	struct iphdr ip = {.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_UDP};
	struct udphdr udp = {.source = htons(67), .dest = htons(68)};
	ip.tot_len = htons((uint16_t)(UDP_IP_HDR + p->len));
	ip.saddr = htonl(p->local_addr);
	ip.daddr = p->dst_addr;
	ip.check = htons((uint16_t)~csum_add(0, &ip, sizeof(ip)));
	udp.len = htons((uint16_t)(sizeof(udp) + p->len));
	uint8_t pseudo[12];
	memcpy(pseudo, &ip.saddr, 4);
	memcpy(pseudo + 4, &ip.daddr, 4);
	pseudo[8] = 0;
	pseudo[9] = IPPROTO_UDP;
	memcpy(pseudo + 10, &udp.len, 2);
	uint32_t s = csum_add(0, pseudo, sizeof(pseudo));
	s = csum_add(s, &udp, sizeof(udp));
	/* csum_add folds to 16 bits; odd-length data only ever comes last */
	s = csum_add(s, p->buf, p->len);
	uint16_t uc = (uint16_t)~s;
	udp.check = htons(uc ? uc : 0xffff);
	memcpy(hdr, &ip, sizeof(ip));
	memcpy(hdr + sizeof(ip), &udp, sizeof(udp));
}

/* IPv4 + UDP around the DHCP message, sent to chaddr by the kernel's
 * link-layer header (SOCK_DGRAM packet socket): no ARP needed. */
static void slot_packet(struct tx_slot *s, struct msghdr *mh, int pkt_fd)
{
	const struct dhcp_pending *p = s->p;
	s->fd = pkt_fd;
	s->packet = true;
	build_headers(s->hdr, p);
	s->to.ll = (struct sockaddr_ll){.sll_family = AF_PACKET,
					.sll_protocol = htons(ETH_P_IP),
					.sll_ifindex = p->ifindex,
					.sll_halen = 6};
	memcpy(s->to.ll.sll_addr, p->chaddr, 6);
	s->iov[0] = (struct iovec){.iov_base = s->hdr, .iov_len = sizeof(s->hdr)};
	s->iov[1] = (struct iovec){.iov_base = (void *)p->buf, .iov_len = p->len};
	*mh = (struct msghdr){.msg_name = &s->to.ll,
			      .msg_namelen = sizeof(s->to.ll),
			      .msg_iov = s->iov,
			      .msg_iovlen = 2};
}

static int udp_fd(const struct dhcpd *d)
{
	return d->fd >= 0 ? d->fd : d->fd4011; /* mode=proxy-4011 has no port 67 */
}

static void slot_broadcast(const struct dhcpd *d, struct tx_slot *s, struct msghdr *mh)
{
	slot_udp(s, mh, udp_fd(d), htonl(INADDR_BROADCAST), 68, s->p->ifindex);
}

/* The socket and address of one reply. False: nowhere to send it. */
static bool slot_route(const struct dhcpd *d, struct tx_slot *s, struct msghdr *mh)
{
	const struct dhcp_pending *p = s->p;
	switch (p->dest) {
	case DEST_RELAY: slot_udp(s, mh, udp_fd(d), p->dst_addr, 67, 0); return true;
	case DEST_CIADDR: slot_udp(s, mh, udp_fd(d), p->dst_addr, 68, 0); return true;
	case DEST_SOURCE: slot_udp(s, mh, d->fd4011, p->dst_addr, p->dst_port, 0); return true;
	case DEST_YIADDR:
		if (d->pkt_fd >= 0 && p->htype == 1 && p->hlen == 6 && p->ifindex > 0)
			slot_packet(s, mh, d->pkt_fd);
		else /* no packet socket or not Ethernet: broadcast instead */
			slot_broadcast(d, s, mh);
		return true;
	case DEST_BROADCAST: slot_broadcast(d, s, mh); return true;
	default: return false;
	}
}

/* A DHCPv6 reply: one sendmsg to the client or relay it answers (they are
 * few next to a DHCPv4 storm's, and never broadcast or sent by frame).
 * IPV6_PKTINFO sets the link and, for a unicast request, the source: the
 * address the request went to (EDK2's PxeBc checks the reply to its 4011
 * REQUEST comes from the server it asked). */
static void send6(struct dhcpd *d, struct dhcp_pending *p)
{
	int fd = p->v6_4011 ? d->fd6_4011 : d->fd6;
	struct in6_pktinfo pi = {.ipi6_addr = p->src6, .ipi6_ifindex = p->dst6.sin6_scope_id};
	_Alignas(struct cmsghdr) char cb[CMSG_SPACE(sizeof(pi))] = {0};
	struct iovec iov = {.iov_base = p->buf, .iov_len = p->len};
	struct msghdr mh = {.msg_name = &p->dst6,
			    .msg_namelen = sizeof(p->dst6),
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = cb,
			    .msg_controllen = sizeof(cb)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(pi));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (sendmsg(fd, &mh, MSG_DONTWAIT) < 0) {
		char ip[INET6_ADDRSTRLEN];
		d->stats_drop++;
		pxe_log_msg(PXE_LOG_WARN, "dhcp", "family=6 send to %s: %s",
			    inet_ntop(AF_INET6, &p->dst6.sin6_addr, ip, sizeof(ip)),
			    strerror(errno));
	} else {
		d->stats_tx++;
	}
	free(p);
}

void dhcp_send_queue(struct dhcpd *d, struct dhcp_pending *p)
{
	if (p->v6) {
		send6(d, p);
		return;
	}
	struct dhcp_txq *q = d->txq;
	if (q->n == TX_BATCH)
		dhcp_send_flush(d);
	struct tx_slot *s = &q->s[q->n];
	s->p = p;
	if (!slot_route(d, s, &q->mm[q->n].msg_hdr)) { /* as before: nothing to do */
		d->stats_tx++;
		free(p);
		return;
	}
	q->n++;
}

static void count_drops(struct dhcpd *d, size_t n, int err)
{
	d->stats_drop += n;
	if (n == 1)
		pxe_log_msg(PXE_LOG_WARN, "send", "reply not sent: %s", strerror(err));
	else
		pxe_log_msg(PXE_LOG_WARN, "send", "%zu replies not sent: %s", n, strerror(err));
}

/* A frame the packet socket refused goes out as a broadcast, as it
 * would have without a packet socket; anything else is a drop. */
static void send_failed(struct dhcpd *d, struct tx_slot *s, int err)
{
	struct msghdr mh;
	if (s->packet) {
		slot_broadcast(d, s, &mh);
		if (s->fd >= 0 && sendmsg(s->fd, &mh, 0) >= 0) {
			d->stats_tx++;
			return;
		}
		err = s->fd < 0 ? EBADF : errno;
	}
	count_drops(d, 1, err);
}

static bool transient(int err)
{
	return err == EAGAIN || err == EWOULDBLOCK || err == ENOBUFS || err == EINTR;
}

/* Replies [i, end) that share one socket. sendmmsg stops at the first
 * message that fails: a full buffer (EAGAIN, ENOBUFS) is tried once more
 * for the rest of the run, then the rest is dropped and counted; any other
 * error concerns that one message, and the ones after it still go. */
static void send_run(struct dhcpd *d, struct dhcp_txq *q, size_t i, size_t end)
{
	int fd = q->s[i].fd;
	bool retried = false;
	while (i < end) {
		int k = fd < 0 ? -1 : sendmmsg(fd, &q->mm[i], (unsigned)(end - i), 0);
		if (k > 0) {
			d->stats_tx += (uint64_t)k;
			i += (size_t)k;
			continue;
		}
		int err = fd < 0 ? EBADF : k < 0 ? errno : EIO;
		if (transient(err) && !retried) {
			retried = true;
			continue;
		}
		size_t last = transient(err) ? end : i + 1;
		if (q->s[i].packet) {
			for (; i < last; i++)
				send_failed(d, &q->s[i], err);
		} else {
			count_drops(d, last - i, err);
			i = last;
		}
	}
}

void dhcp_send_flush(struct dhcpd *d)
{
	struct dhcp_txq *q = d->txq;
	size_t n = q->n;
	for (size_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && q->s[j].fd == q->s[i].fd; j++)
			;
		send_run(d, q, i, j);
	}
	for (size_t i = 0; i < n; i++)
		free(q->s[i].p);
	q->n = 0;
}
