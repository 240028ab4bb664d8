/* SPDX-License-Identifier: MIT */
/* A connection's transport: the byte stream under HTTP, plain TCP or TLS.
 * The connection shell (conn.c) reads, writes and ends the stream through
 * these few calls only, so the same request parser, Range, ETag,
 * keep-alive and access log serve both, and unit tests put a fake
 * transport under a connection (tests/unit/httpd/test_conn_tls.c). */
#ifndef HTTP_IO_H
#define HTTP_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct conn_io;

struct conn_io_ops {
	/* Complete the handshake: 0 done, -EAGAIN (want read or write: the
	 * socket's next event), other -errno: failed (why in io->why). */
	int (*handshake)(struct conn_io *io);
	/* >0 bytes, 0 end of stream, -EAGAIN, -errno. *more: bytes may wait
	 * although the read was short (TLS: a record at a time, records
	 * buffered above the socket): read again before waiting for the
	 * socket (edge-triggered epoll would not say so). */
	ssize_t (*read)(struct conn_io *io, void *buf, size_t n, bool *more);
	/* >0 bytes taken, -EAGAIN, -errno. more: further bytes follow soon
	 * (MSG_MORE). TLS takes bytes once only: a retry after -EAGAIN must
	 * offer the same bytes again (SSL_write, SSL_MODE_ENABLE_PARTIAL_WRITE). */
	ssize_t (*write)(struct conn_io *io, const void *buf, size_t n, bool more);
	/* End the stream in the protocol (TLS close_notify, RFC 8446 §6.1);
	 * best effort, never blocks. The socket is closed by the shell. */
	void (*close_notify)(struct conn_io *io);
	/* Release the transport's state (not the socket). */
	void (*free)(struct conn_io *io);
};

struct conn_io {
	const struct conn_io_ops *ops;
	int fd;
	void *tls;            /* SSL *, NULL for plain TCP */
	bool tls_done;        /* handshake over (counted in s->handshakes until then) */
	bool up;              /* handshake succeeded, no fatal error since: close_notify */
	bool ktls_send;       /* the kernel encrypts: SSL_sendfile works */
	bool read_want_write; /* a TLS read needs the socket writable first */
	char why[96];         /* the last failure, for the log */
};

/* Plain TCP: read(2) and send(2). */
extern const struct conn_io_ops conn_io_plain;

#endif
