/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's UDP listening sockets, either family: bound with the
 * receiving interface reported (IP_PKTINFO / IPV6_RECVPKTINFO), a receive
 * buffer for a boot storm, and the "in use by NAME, pid N" message when
 * the port is taken. */
#ifndef DHCP_LISTEN_H
#define DHCP_LISTEN_H

#include <stdbool.h>

/* Bind addr ("0.0.0.0", "[::]") port with PXE_SOCK_PKTINFO and extra
 * (sock.h flags). The fd, or a negative errno after the error was logged:
 * as a warning when quiet (the caller goes on without it), else as a
 * start-up error. */
int dhcp_listen_udp(const char *addr, int port, unsigned extra, bool quiet);

/* The receive buffer for a socket systemd passed (or one bound here). */
void dhcp_listen_rcvbuf(int fd);

#endif
