/* One client connection: an explicit state machine (STYLE.md §2).
 *
 *   IDLE ──bytes──▶ READ_HEAD ──whole head──▶ (handle) ──▶ SEND ──done──▶ IDLE
 *     │                 │ header timeout: 408                  │  close:
 *     │ idle timeout    ▼                                      ▼
 *     └──────────▶ (closed) ◀──── LINGER ◀── shutdown(SHUT_WR) ┘
 *
 * IDLE: waiting for the first byte of a request (keep-alive timeout).
 * READ_HEAD: part of a head received (header timeout, not reset by bytes:
 *   a client sending a byte a second is cut off).
 * SEND: response bytes queued: a memory buffer, then a file segment sent
 *   with sendfile(2), then (multipart) the next part.
 * LINGER: after an error reply the client may still be sending; reading
 *   and discarding until EOF or 2 s keeps its RST from destroying our reply. */
#ifndef HTTP_CONN_H
#define HTTP_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fcache.h"
#include "range.h"
#include "sock.h"

struct httpd;

enum conn_state { CONN_IDLE, CONN_READ_HEAD, CONN_SEND, CONN_LINGER };

struct conn_multipart {
	struct http_byte_range r[HTTP_RANGES_MAX];
	int n, next; /* next part to queue; n: the tail */
	uint64_t size;
	char ctype[128];
};

struct conn {
	struct conn *prev, *next;
	struct httpd *srv;
	int fd;
	enum conn_state state;
	uint64_t deadline_ms; /* 0: none */
	uint64_t req_start_ms;
	bool in_epoll;
	bool read_pending; /* input arrived while sending (edge-triggered) */
	bool close_after, linger;
	bool peer_eof;
	char peer[64]; /* address text for the log */
	struct pxe_sockaddr peer_addr;
	/* unconsumed input (pipelined requests, partial heads); NULL when none */
	char *ibuf;
	size_t ilen, icap;
	/* queued output */
	char *obuf;
	size_t olen, ooff;
	struct fc_entry *sf; /* sendfile source (a reference) */
	uint64_t sf_off, sf_left;
	struct conn_multipart *mp;
	uint64_t body_sent;
	char *log_line; /* access-log entry waiting for the byte count */
	size_t log_at;  /* where the count goes in log_line */
};

/* A new accepted socket: try to read at once, then epoll. */
void conn_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer);
/* Events from the connection epoll set. */
void conn_event(struct conn *c, uint32_t events);
/* The sweep timer: enforce deadlines. */
void conn_check_timeout(struct conn *c, uint64_t now);
void conn_close(struct conn *c);

#endif
