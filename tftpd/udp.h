/* SPDX-License-Identifier: MIT */
/* pxe-tftpd's datagram sockets, beyond plain sendto/recvfrom: the
 * destination address and interface of a request on a wildcard listener
 * and the source address of its replies (IP_PKTINFO, IPV6_PKTINFO of
 * RFC 3542 §6), ERROR packets, and a transfer's own socket (RFC 1350 §4:
 * a new TID per transfer, optionally from a port range). No state. */
#ifndef TFTP_UDP_H
#define TFTP_UDP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "sock.h"

/* Room for one IP_PKTINFO or IPV6_PKTINFO control message. */
union tftp_udp_cmsg {
	struct cmsghdr h;
	uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

/* Ask the kernel for each datagram's destination address and interface
 * on listener fd of family (IPv6 sockets: for v4-mapped requests too).
 * 0 or -errno. */
int tftp_udp_want_pktinfo(int fd, int family);
/* The address a datagram received with msg on listener fd was sent to,
 * and its interface (0 when not known). */
void tftp_udp_read_pktinfo(struct msghdr *msg, int fd, struct pxe_sockaddr *local, int *ifindex);

/* Make a datagram sent with msg leave from src (a shared wildcard
 * socket must answer from the address the request came to). */
void tftp_udp_set_src(struct msghdr *msg, union tftp_udp_cmsg *cb, const struct pxe_sockaddr *src,
		      int ifindex);
/* Send one datagram to dst from fd; src: the source address for a shared
 * (listen) socket, NULL for an own socket. 0 or -errno. */
int tftp_udp_send(int fd, const void *buf, size_t len, const struct pxe_sockaddr *dst,
		  const struct pxe_sockaddr *src, int ifindex);
/* An ERROR packet (RFC 1350 §5); msg NULL: the code's standard text. */
void tftp_udp_send_error(int fd, const struct pxe_sockaddr *dst, const struct pxe_sockaddr *src,
			 int ifindex, uint16_t code, const char *msg);

/* A transfer's own socket, non-blocking, bound to local's address on an
 * ephemeral port, or with port_lo > 0 on the first free port of
 * port_lo..port_hi from *port_next on (advanced, so that consecutive
 * transfers spread over the range). sndbuf: the send buffer a whole
 * window wants. The fd or -errno. */
int tftp_udp_open(const struct pxe_sockaddr *local, int sndbuf, unsigned port_lo, unsigned port_hi,
		  unsigned *port_next);

#endif
