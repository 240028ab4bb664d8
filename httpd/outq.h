/* SPDX-License-Identifier: MIT */
/* The output of one connection. A reply's head and small body go into the
 * server's shared write buffer (s->wbuf), which the send that follows
 * empties, so a keep-alive request costs one send(2) and no copy; what that
 * send leaves behind moves to the connection's own queue, which goes out
 * before anything queued later. */
#ifndef HTTP_OUTQ_H
#define HTTP_OUTQ_H

#include <stdbool.h>
#include <stddef.h>

struct httpd;
struct conn_io;

struct outq {
	char *buf; /* NULL when empty */
	size_t len, off;
};

/* Append to the connection's own queue. 0 or -ENOMEM. */
int outq_append(struct outq *q, const char *p, size_t n);
/* Move the shared buffer's bytes to the own queue, to make room. */
int outq_spill(struct outq *q, struct httpd *s);
/* n bytes behind what is queued: in the shared buffer when they fit. */
int outq_put(struct outq *q, struct httpd *s, const char *p, size_t n);
/* Enough is queued to send before answering the next pipelined request. */
bool outq_full(const struct outq *q, const struct httpd *s);
/* Send what is queued. more: body bytes follow; fin: the connection closes
 * after this. 0: all sent; 1: the socket is full; -errno. *progress is set
 * when bytes went out. */
int outq_send(struct outq *q, struct httpd *s, struct conn_io *io, bool more, bool fin,
	      bool *progress);
void outq_free(struct outq *q);

#endif
