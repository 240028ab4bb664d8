/* SPDX-License-Identifier: MIT */
/* One client connection: the I/O shell around its state machine
 * (conn_fsm.h). The shell carries out the machine's actions with system
 * calls (read, send, sendfile, shutdown, close, epoll registration) and
 * request handling, and feeds back what came of them; every decision (the
 * next state, deadlines, keep-alive, pipelining) is the machine's. */
#ifndef HTTP_CONN_H
#define HTTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn_fsm.h"
#include "emit.h"
#include "outq.h"
#include "sock.h"

struct httpd;

struct conn {
	struct conn *prev, *next;
	struct httpd *srv;
	int fd;
	bool in_epoll;
	struct conn_fsm m;
	char peer[64]; /* address text for the log */
	struct pxe_sockaddr peer_addr;
	/* input held between reads (pipelined requests, partial heads);
	 * NULL when none: a read then goes to the shared buffer */
	char *ibuf;
	size_t ilen, icap;
	struct outq q;
	struct emit_body body;
};

/* A new accepted socket: try to read at once, then epoll. */
void conn_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer);
/* Events from the connection epoll set. */
void conn_event(struct conn *c, uint32_t events);
/* The sweep timer: enforce deadlines. */
void conn_check_timeout(struct conn *c, uint64_t now);
void conn_close(struct conn *c);

#endif
