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
#include "io.h"
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
	struct conn_io io; /* plain TCP or TLS */
	/* TLS without kTLS: file bytes go through this buffer (CONN_TLS_BUF,
	 * allocated at the connection's first file body, reused after):
	 * [pos, len) is still to be written, and starts at file offset boff */
	char *tbuf;
	size_t tlen, tpos;
	uint64_t boff;
};

/* The TLS body buffer: one sendfile step of the plain path. */
#define CONN_TLS_BUF CONN_SENDFILE_STEP

/* A new accepted socket: try to read at once, then epoll. */
void conn_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer);
/* The same with a transport of its own (io->fd is the socket): TLS, whose
 * handshake comes first (io->tls set), or a unit test's fake. io is
 * copied; on failure the socket is closed and io freed. */
void conn_accepted_io(struct httpd *s, const struct conn_io *io, const struct pxe_sockaddr *peer);
/* Events from the connection epoll set. */
void conn_event(struct conn *c, uint32_t events);
/* The sweep timer: enforce deadlines. */
void conn_check_timeout(struct conn *c, uint64_t now);
void conn_close(struct conn *c);

#endif
