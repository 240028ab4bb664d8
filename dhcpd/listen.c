/* SPDX-License-Identifier: MIT */
/* UDP listening sockets (see listen.h). */
#include <sys/socket.h>

#include "holder.h"
#include "listen.h"
#include "log.h"
#include "sock.h"

/* A boot storm arrives faster than a busy moment of the loop drains:
 * room for a few thousand requests (FORCE works for root only). */
void dhcp_listen_rcvbuf(int fd)
{
	int sz = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

int dhcp_listen_udp(const char *addr, int port, unsigned extra, bool quiet)
{
	struct pxe_sockaddr a;
	char msg[512];
	pxe_addr_parse(addr, port, &a);
	int fd = pxe_sock_bind(&a, SOCK_DGRAM, PXE_SOCK_PKTINFO | extra, 0);
	if (fd >= 0) {
		dhcp_listen_rcvbuf(fd);
		return fd;
	}
	pxe_bind_error(msg, sizeof(msg), &a.u.sa, SOCK_DGRAM, fd);
	if (quiet)
		pxe_log_msg(PXE_LOG_WARN, "listen", "%s", msg);
	else
		pxe_log_startup_err(NULL, "%s", msg);
	return fd;
}
