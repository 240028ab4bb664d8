/* SPDX-License-Identifier: MIT */
/* A transfer's DATA blocks onto the wire (window.h). */
#include "window.h"

#include <errno.h>
#include <netinet/udp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "server_int.h"
#include "udp.h"

/* DATA datagrams handed to one sendmmsg call. */
#define TFTP_BATCH       64
#define TFTP_BATCH_BYTES 65536
/* Read-ahead of a lock-step transfer with small blocks. */
#define TFTP_RA_BYTES 8192
/* One UDP GSO send: at most 64 segments, within one 64 KiB datagram. */
#define TFTP_GSO_MAX_SEGS  64
#define TFTP_GSO_MAX_BYTES 65000
/* Windows of at most TFTP_SMALL_WINDOW_BLOCKS blocks and under
 * TFTP_SMALL_WINDOW_BYTES go out by sendmmsg. Where a GSO datagram
 * reaches the client whole (loopback, veth, a VM's tap), the client
 * cannot start on the window's first blocks while the rest are sent:
 * the round trip is our send plus its reading, where sendmmsg overlaps
 * the two. In larger windows GSO's saving per datagram (one pass
 * through the stack per 64 KiB) is worth more. The shared harness
 * (session 26 note, issue 18), sendmmsg against GSO: blksize 1468
 * windowsize 16 1.13-1.21x the MB/s at 0.85-0.88x the server CPU per
 * MB, 512/16 1.11-1.30x at 0.78-0.92x, 1468/4 1.02-1.27x at 0.80-0.96x;
 * but 1468/64, 512/64 and 8192/16 cost 1.3-2.5x the CPU per MB. */
#define TFTP_SMALL_WINDOW_BLOCKS 16
#define TFTP_SMALL_WINDOW_BYTES  65536

void tftp_window_init(struct tftp_conn *c, bool gso)
{
	/* GSO for all but small windows (lock-step is one: a block per
	 * window), own socket only (the listen socket's replies need a
	 * source address each), and two segments must fit in one send. */
	size_t seg = (size_t)c->tx.blksize + TFTP_HDR;
	bool small = c->tx.windowsize <= TFTP_SMALL_WINDOW_BLOCKS &&
		     seg * c->tx.windowsize < TFTP_SMALL_WINDOW_BYTES;
	c->gso = gso && !c->write && !small && 2 * seg <= TFTP_GSO_MAX_BYTES;
	/* Lock-step with small blocks: read ahead ~8 KiB per pread. */
	if (!c->write && c->tx.windowsize == 1 && c->tx.blksize <= TFTP_RA_BYTES / 2) {
		c->ra_cap = TFTP_RA_BYTES / c->tx.blksize * c->tx.blksize;
		c->ra = malloc(c->ra_cap);
	}
}

int tftp_window_sndbuf(const struct tftp_conn *c)
{
	/* A whole window should fit in the send buffer, and the next one
	 * start while the client reads it. */
	int want = (int)((c->tx.blksize + 64) * c->tx.windowsize * 2);
	return want > 8 << 20 ? 8 << 20 : want;
}

/* Make sure the shared buffer holds one batch of this transfer. */
static int ensure_buf(struct tftpd *s, size_t need)
{
	if (s->buf_cap >= need)
		return 0;
	uint8_t *b = realloc(s->buf, need);
	if (!b)
		return -ENOMEM;
	s->buf = b;
	s->buf_cap = need;
	return 0;
}

/* The file data of [off, off + len): from the transfer's read-ahead
 * buffer (lock-step with small blocks: one pread per several blocks
 * instead of one per block), else read into the shared buffer. */
static int read_data(struct tftp_conn *c, uint64_t off, size_t len, const uint8_t **out)
{
	uint8_t *dst = c->srv->buf;
	size_t want = len;
	if (c->ra) {
		if (off >= c->ra_off && off + len <= c->ra_off + c->ra_len) {
			*out = c->ra + (off - c->ra_off);
			return 0;
		}
		if (len <= c->ra_cap) {
			dst = c->ra;
			want = c->ra_cap;
		}
	}
	/* Clamped at the file's end: in an image the next file follows. */
	ssize_t n = pxe_file_pread(&c->src, dst, want, off);
	if (n < (ssize_t)len)
		return n < 0 ? (int)n : -EIO; /* the file shrank under us */
	if (dst == c->ra) {
		c->ra_off = off;
		c->ra_len = (size_t)n;
	}
	*out = dst;
	return 0;
}

/* Send up to TFTP_BATCH blocks from first: one pread for their data (they
 * are contiguous in the file), one sendmmsg. Returns the number of
 * blocks sent (short when the socket buffer is full), or -errno. */
static int send_batch(struct tftp_conn *c, uint64_t first, uint32_t count)
{
	struct tftpd *s = c->srv;
	struct tftp_tx *x = &c->tx;
	/* At most ~64 KiB per batch: with large blocks the client starts on
	 * the first one while we read the next, instead of waiting for a
	 * whole window to be read. */
	uint32_t cap = TFTP_BATCH_BYTES / x->blksize;
	if (cap < 1)
		cap = 1;
	if (count > cap)
		count = cap;
	if (count > TFTP_BATCH)
		count = TFTP_BATCH;
	if (ensure_buf(s, (size_t)count * x->blksize) < 0)
		return -ENOMEM;
	uint64_t off = tftp_tx_offset(x, first);
	size_t total = 0;
	for (uint32_t i = 0; i < count; i++)
		total += tftp_tx_len(x, first + i);
	const uint8_t *src = s->buf;
	if (total) {
		int r = read_data(c, off, total, &src);
		if (r < 0)
			return r;
	}
	struct mmsghdr mm[TFTP_BATCH];
	struct iovec iov[2 * TFTP_BATCH];
	uint8_t hdr[TFTP_BATCH][TFTP_HDR];
	union tftp_udp_cmsg cb[TFTP_BATCH];
	size_t pos = 0;
	memset(mm, 0, sizeof(mm[0]) * count);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t len = tftp_tx_len(x, first + i);
		tftp_build_data_hdr(hdr[i], TFTP_HDR, tftp_wire_block(first + i, x->rollover));
		iov[2 * i] = (struct iovec){.iov_base = hdr[i], .iov_len = TFTP_HDR};
		iov[2 * i + 1] = (struct iovec){.iov_base = (void *)(src + pos), .iov_len = len};
		pos += len;
		struct msghdr *m = &mm[i].msg_hdr;
		m->msg_name = &c->peer.u.sa;
		m->msg_namelen = c->peer.len;
		m->msg_iov = &iov[2 * i];
		m->msg_iovlen = 2;
		if (!c->own_sock)
			tftp_udp_set_src(m, &cb[i], &c->local, c->ifindex);
	}
	int sent;
	do
		sent = sendmmsg(c->sock, mm, count, 0);
	while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return (errno == EAGAIN || errno == ENOBUFS) ? 0 : -errno;
	return sent;
}

/* UDP GSO (Linux 4.18): one sendmsg carries up to 64 equal-sized
 * datagrams, each with its own 4-byte TFTP header, and the stack
 * handles them as one. The file data is read with one preadv
 * straight into place between the headers. Returns the blocks sent, 0
 * when the socket buffer is full, -EOPNOTSUPP when the route or kernel
 * cannot segment (the caller falls back to sendmmsg), or -errno. */
static int send_gso(struct tftp_conn *c, uint64_t first, uint32_t count)
{
	struct tftpd *s = c->srv;
	struct tftp_tx *x = &c->tx;
	size_t seg = (size_t)x->blksize + TFTP_HDR;
	uint32_t max = (uint32_t)(TFTP_GSO_MAX_BYTES / seg);
	if (max > TFTP_GSO_MAX_SEGS)
		max = TFTP_GSO_MAX_SEGS;
	if (count > max)
		count = max;
	if (ensure_buf(s, (size_t)count * seg) < 0)
		return -ENOMEM;
	struct iovec rd[TFTP_GSO_MAX_SEGS];
	size_t total = 0, data = 0;
	for (uint32_t i = 0; i < count; i++) {
		uint32_t len = tftp_tx_len(x, first + i);
		uint8_t *h = s->buf + (size_t)i * seg;
		tftp_build_data_hdr(h, TFTP_HDR, tftp_wire_block(first + i, x->rollover));
		rd[i] = (struct iovec){.iov_base = h + TFTP_HDR, .iov_len = len};
		total = (size_t)i * seg + TFTP_HDR + len;
		data += len;
	}
	if (data) {
		ssize_t n = pxe_file_preadv(&c->src, rd, (int)count, tftp_tx_offset(x, first));
		if (n != (ssize_t)data)
			return n < 0 ? (int)n : -EIO;
	}
	struct iovec iov = {.iov_base = s->buf, .iov_len = total};
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(uint16_t))];
	} cb;
	memset(&cb, 0, sizeof(cb));
	struct msghdr m = {.msg_name = &c->peer.u.sa,
			   .msg_namelen = c->peer.len,
			   .msg_iov = &iov,
			   .msg_iovlen = 1,
			   .msg_control = cb.b,
			   .msg_controllen = sizeof(cb.b)};
	uint16_t gso = (uint16_t)seg;
	cb.h.cmsg_level = SOL_UDP;
	cb.h.cmsg_type = UDP_SEGMENT;
	cb.h.cmsg_len = CMSG_LEN(sizeof(gso));
	memcpy(CMSG_DATA(&cb.h), &gso, sizeof(gso));
	ssize_t r;
	do
		r = sendmsg(c->sock, &m, 0);
	while (r < 0 && errno == EINTR);
	if (r >= 0)
		return (int)count;
	if (errno == EAGAIN || errno == ENOBUFS)
		return 0;
	if (errno == EIO || errno == EINVAL || errno == ENOPROTOOPT || errno == EOPNOTSUPP)
		return -EOPNOTSUPP;
	return -errno;
}

/* What the socket buffer cannot take the caller sends later (conn.c:
 * on POLLOUT, or at the retransmit timer on a shared socket). */
int tftp_window_send(struct tftp_conn *c, uint64_t first, uint32_t count)
{
	uint32_t sent = 0;
	while (sent < count) {
		int n = -EOPNOTSUPP;
		if (c->gso && count - sent > 1) {
			n = send_gso(c, first + sent, count - sent);
			if (n == -EOPNOTSUPP)
				c->gso = false;
		}
		if (n == -EOPNOTSUPP)
			n = send_batch(c, first + sent, count - sent);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		sent += (uint32_t)n;
	}
	return (int)sent;
}
