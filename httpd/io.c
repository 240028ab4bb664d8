/* SPDX-License-Identifier: MIT */
/* The plain TCP transport (io.h). */
#include "io.h"

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

static int plain_handshake(struct conn_io *io)
{
	(void)io;
	return 0;
}

static ssize_t plain_read(struct conn_io *io, void *buf, size_t n, bool *more)
{
	ssize_t r;
	*more = false;
	do
		r = read(io->fd, buf, n);
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static ssize_t plain_write(struct conn_io *io, const void *buf, size_t n, bool more)
{
	ssize_t r;
	do
		r = send(io->fd, buf, n, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
	while (r < 0 && errno == EINTR);
	return r < 0 ? -errno : r;
}

static void plain_nop(struct conn_io *io)
{
	(void)io;
}

const struct conn_io_ops conn_io_plain = {
	.handshake = plain_handshake,
	.read = plain_read,
	.write = plain_write,
	.close_notify = plain_nop,
	.free = plain_nop,
};
