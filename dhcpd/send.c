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
 * ipi_spec_dst). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <sys/socket.h>

#include "server.h"

int dhcp_send_open_packet(void)
{
	/* Protocol 0: this socket only sends, it never receives. */
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	return fd < 0 ? -errno : fd;
}

static int send_udp(int fd, const struct dhcp_pending *p, uint32_t dst_be, int port, int ifindex)
{
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	to.sin_addr.s_addr = dst_be;
	struct iovec iov = {.iov_base = (void *)p->buf, .iov_len = p->len};
	union {
		char buf[CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} cb;
	memset(&cb, 0, sizeof(cb));
	struct msghdr mh = {.msg_name = &to,
	                    .msg_namelen = sizeof(to),
	                    .msg_iov = &iov,
	                    .msg_iovlen = 1,
	                    .msg_control = cb.buf,
	                    .msg_controllen = sizeof(cb.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = IPPROTO_IP;
	c->cmsg_type = IP_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in_pktinfo));
	struct in_pktinfo pi = {.ipi_ifindex = ifindex};
	pi.ipi_spec_dst.s_addr = htonl(p->local_addr);
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	if (fd < 0)
		return -EBADF;
	if (sendmsg(fd, &mh, 0) < 0)
		return -errno;
	return 0;
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

/* IPv4 + UDP around the DHCP message, sent to chaddr by the kernel's
 * link-layer header (SOCK_DGRAM packet socket). */
static int send_packet(struct dhcpd *d, const struct dhcp_pending *p)
{
	uint8_t frame[sizeof(struct iphdr) + sizeof(struct udphdr) + DHCP_MAX_MSG];
	struct iphdr ip = {.version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_UDP};
	struct udphdr udp = {.source = htons(67), .dest = htons(68)};
	size_t total = sizeof(ip) + sizeof(udp) + p->len;
	ip.tot_len = htons((uint16_t)total);
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
	memcpy(frame + sizeof(ip), &udp, sizeof(udp));
	memcpy(frame + sizeof(ip) + sizeof(udp), p->buf, p->len);
	uint32_t s = csum_add(0, pseudo, sizeof(pseudo));
	s = csum_add(s, frame + sizeof(ip), sizeof(udp) + p->len);
	uint16_t uc = (uint16_t)~s;
	udp.check = htons(uc ? uc : 0xffff);
	memcpy(frame, &ip, sizeof(ip));
	memcpy(frame + sizeof(ip), &udp, sizeof(udp));
	struct sockaddr_ll ll = {.sll_family = AF_PACKET,
	                         .sll_protocol = htons(ETH_P_IP),
	                         .sll_ifindex = p->ifindex,
	                         .sll_halen = 6};
	memcpy(ll.sll_addr, p->chaddr, 6);
	if (sendto(d->pkt_fd, frame, total, 0, (struct sockaddr *)&ll, sizeof(ll)) < 0)
		return -errno;
	return 0;
}

int dhcp_send(struct dhcpd *d, const struct dhcp_pending *p)
{
	int fd = d->fd >= 0 ? d->fd : d->fd4011; /* mode=proxy-4011 has no port 67 */
	switch (p->dest) {
	case DEST_RELAY: return send_udp(fd, p, p->dst_addr, 67, 0);
	case DEST_CIADDR: return send_udp(fd, p, p->dst_addr, 68, 0);
	case DEST_SOURCE: return send_udp(d->fd4011, p, p->dst_addr, p->dst_port, 0);
	case DEST_YIADDR:
		if (d->pkt_fd >= 0 && p->htype == 1 && p->hlen == 6 && p->ifindex > 0 &&
		    send_packet(d, p) == 0)
			return 0;
		/* no packet socket or not Ethernet: broadcast instead */
		return send_udp(fd, p, htonl(INADDR_BROADCAST), 68, p->ifindex);
	case DEST_BROADCAST: return send_udp(fd, p, htonl(INADDR_BROADCAST), 68, p->ifindex);
	default: return 0;
	}
}
