/* SPDX-License-Identifier: MIT */
/* pxe-tftpd's datagram sockets (udp.h). */
#include "udp.h"

#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "wire.h"

int tftp_udp_want_pktinfo(int fd, int family)
{
	int on = 1;
	int r = family == AF_INET6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof(on))
				   : setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	if (family == AF_INET6) /* v4-mapped on a dual-stack socket */
		(void)setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof(on));
	return r < 0 ? -errno : 0;
}

void tftp_udp_read_pktinfo(struct msghdr *m, int fd, struct pxe_sockaddr *local, int *ifindex)
{
	memset(local, 0, sizeof(*local));
	local->len = sizeof(local->u);
	getsockname(fd, &local->u.sa, &local->len);
	*ifindex = 0;
	for (struct cmsghdr *h = CMSG_FIRSTHDR(m); h; h = CMSG_NXTHDR(m, h)) {
		if (h->cmsg_level == IPPROTO_IP && h->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(h), sizeof(pi));
			if (local->u.sa.sa_family == AF_INET)
				local->u.in4.sin_addr = pi.ipi_addr;
			*ifindex = pi.ipi_ifindex;
		} else if (h->cmsg_level == IPPROTO_IPV6 && h->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(h), sizeof(pi));
			local->u.in6.sin6_addr = pi.ipi6_addr;
			*ifindex = (int)pi.ipi6_ifindex;
			if (IN6_IS_ADDR_LINKLOCAL(&pi.ipi6_addr))
				local->u.in6.sin6_scope_id = pi.ipi6_ifindex;
		}
	}
}

void tftp_udp_set_src(struct msghdr *m, union tftp_udp_cmsg *cb, const struct pxe_sockaddr *src,
		      int ifindex)
{
	memset(cb, 0, sizeof(*cb));
	m->msg_control = cb->b;
	struct cmsghdr *h = &cb->h;
	if (src->u.sa.sa_family == AF_INET) {
		struct in_pktinfo pi = {.ipi_spec_dst = src->u.in4.sin_addr};
		h->cmsg_level = IPPROTO_IP;
		h->cmsg_type = IP_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_addr = src->u.in6.sin6_addr,
					 .ipi6_ifindex = (unsigned)ifindex};
		h->cmsg_level = IPPROTO_IPV6;
		h->cmsg_type = IPV6_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
	}
}

int tftp_udp_send(int fd, const void *buf, size_t len, const struct pxe_sockaddr *dst,
		  const struct pxe_sockaddr *src, int ifindex)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr m = {.msg_name = (void *)&dst->u.sa,
			   .msg_namelen = dst->len,
			   .msg_iov = &iov,
			   .msg_iovlen = 1};
	union tftp_udp_cmsg cb;
	if (src)
		tftp_udp_set_src(&m, &cb, src, ifindex);
	return sendmsg(fd, &m, 0) < 0 ? -errno : 0;
}

void tftp_udp_send_error(int fd, const struct pxe_sockaddr *dst, const struct pxe_sockaddr *src,
			 int ifindex, uint16_t code, const char *msg)
{
	uint8_t b[600];
	size_t n = tftp_build_error(b, sizeof(b), code, msg);
	(void)tftp_udp_send(fd, b, n, dst, src, ifindex);
}

static int bind_port(int fd, const struct pxe_sockaddr *local, unsigned port_lo, unsigned port_hi,
		     unsigned *port_next)
{
	struct pxe_sockaddr a = *local;
	if (!port_lo) {
		pxe_addr_set_port(&a, 0);
		return bind(fd, &a.u.sa, a.len) < 0 ? -errno : 0;
	}
	unsigned span = port_hi - port_lo + 1;
	for (unsigned i = 0; i < span; i++) {
		unsigned port = port_lo + ((*port_next)++ % span);
		pxe_addr_set_port(&a, (int)port);
		if (bind(fd, &a.u.sa, a.len) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

int tftp_udp_open(const struct pxe_sockaddr *local, int sndbuf, unsigned port_lo, unsigned port_hi,
		  unsigned *port_next)
{
	int fam = local->u.sa.sa_family;
	int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int off = 0;
	if (fam == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	/* Past wmem_max only with CAP_NET_ADMIN (SO_SNDBUFFORCE), else as
	 * much as allowed. */
	if (sndbuf > 212992 &&
	    setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	int r = bind_port(fd, local, port_lo, port_hi, port_next);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}
