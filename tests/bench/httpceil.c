/* SPDX-License-Identifier: MIT */
/* httpceil: a measuring stick, not part of pxesuite. The least an HTTP
 * server can do for wrk: a canned 200 with a 4096-byte body from memory,
 * one thread, epoll, accept4 until EAGAIN, TCP_NODELAY and
 * TCP_DEFER_ACCEPT as pxe-httpd sets them; the request is read (one read,
 * no parsing but the end of the head and "close"), the answer is one
 * write, and with "Connection: close" the socket is closed at once.
 * usage: httpceil ADDR PORT */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

static char reply[8192], reply_close[8192];
static size_t reply_len, reply_close_len;
static int ep;

/* false: the connection is closed */
static int serve(int fd)
{
	char buf[4096];
	for (;;) {
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		if (n <= 0) {
			if (n < 0)
				return 1; /* EAGAIN: wait for epoll */
			close(fd);
			return 0;
		}
		buf[n] = 0;
		if (!strstr(buf, "\r\n\r\n"))
			return 1; /* a split head: good enough for wrk */
		if (strcasestr(buf, "connection: close")) {
			/* wrk reconnects only when the reply says close */
			(void)!write(fd, reply_close, reply_close_len);
			close(fd);
			return 0;
		}
		if (write(fd, reply, reply_len) < 0) {
			close(fd);
			return 0;
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	char body[4096];
	memset(body, 'x', sizeof(body));
	reply_len = (size_t)snprintf(reply, sizeof(reply),
				     "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
				     "Content-Length: 4096\r\n\r\n");
	memcpy(reply + reply_len, body, sizeof(body));
	reply_len += sizeof(body);
	reply_close_len =
		(size_t)snprintf(reply_close, sizeof(reply_close),
				 "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n"
				 "Content-Length: 4096\r\nConnection: close\r\n\r\n");
	memcpy(reply_close + reply_close_len, body, sizeof(body));
	reply_close_len += sizeof(body);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2]))};
	inet_pton(AF_INET, argv[1], &a.sin_addr);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1, defer = 1;
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4096) < 0) {
		perror("bind/listen");
		return 1;
	}
	setsockopt(l, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(l, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
	ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.fd = l};
	epoll_ctl(ep, EPOLL_CTL_ADD, l, &e);
	struct epoll_event ev[256];
	for (;;) {
		int n = epoll_wait(ep, ev, 256, -1);
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;
			if (fd != l) {
				serve(fd);
				continue;
			}
			for (;;) {
				int c = accept4(l, NULL, NULL, SOCK_NONBLOCK);
				if (c < 0)
					break;
				if (serve(c)) {
					struct epoll_event ce = {.events = EPOLLIN, .data.fd = c};
					epoll_ctl(ep, EPOLL_CTL_ADD, c, &ce);
				}
			}
		}
	}
}
