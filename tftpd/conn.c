/* One transfer's I/O: its socket, its timer, sending what the state
 * machine asks (a window in one sendmmsg, data read with pread), and the
 * log line at its end. */
#include "server_int.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

/* The state machines' clock: the loop's cached time. Millisecond
 * resolution is plenty next to the 50 ms retransmit floor, and it saves a
 * clock_gettime per packet (a system call on some hypervisors). */
static uint64_t loop_us(const struct tftp_conn *c)
{
	return uv_now(c->srv->loop) * 1000;
}

/* ------------------------------------------------------------ sending */

/* IP_PKTINFO / IPV6_PKTINFO control message choosing the source address
 * of a datagram sent from a shared wildcard socket. */
union tftp_cmsg {
	struct cmsghdr h;
	uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
};

static size_t set_src(struct msghdr *m, union tftp_cmsg *cb, const struct pxe_sockaddr *src,
		      int ifindex)
{
	memset(cb, 0, sizeof(*cb));
	m->msg_control = cb->b;
	struct cmsghdr *h = &cb->h;
	if (src->u.sa.sa_family == AF_INET) {
		struct in_pktinfo pi = {.ipi_spec_dst = src->u.in4.sin_addr};
		h->cmsg_level = IPPROTO_IP;
		h->cmsg_type = IP_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct in6_pktinfo pi = {.ipi6_addr = src->u.in6.sin6_addr,
					 .ipi6_ifindex = (unsigned)ifindex};
		h->cmsg_level = IPPROTO_IPV6;
		h->cmsg_type = IPV6_PKTINFO;
		h->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(h), &pi, sizeof(pi));
		m->msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	return m->msg_controllen;
}

int tftp_sendto(int fd, const void *buf, size_t len, const struct pxe_sockaddr *dst,
		const struct pxe_sockaddr *src, int ifindex)
{
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr m = {.msg_name = (void *)&dst->u.sa,
			   .msg_namelen = dst->len,
			   .msg_iov = &iov,
			   .msg_iovlen = 1};
	union tftp_cmsg cb;
	if (src)
		set_src(&m, &cb, src, ifindex);
	return sendmsg(fd, &m, 0) < 0 ? -errno : 0;
}

void tftp_send_error(int fd, const struct pxe_sockaddr *dst, const struct pxe_sockaddr *src,
		     int ifindex, uint16_t code, const char *msg)
{
	uint8_t b[600];
	size_t n = tftp_build_error(b, sizeof(b), code, msg);
	(void)tftp_sendto(fd, b, n, dst, src, ifindex);
}

static const struct pxe_sockaddr *conn_src(struct tftp_conn *c)
{
	return c->own_sock ? NULL : &c->local;
}

static void conn_send(struct tftp_conn *c, const void *buf, size_t len)
{
	(void)tftp_sendto(c->sock, buf, len, &c->peer, conn_src(c), c->ifindex);
}

static void poll_set(struct tftp_conn *c, int events);

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
	ssize_t n = pread(c->fd, dst, want, (off_t)off);
	if (n < (ssize_t)len)
		return n < 0 ? -errno : -EIO; /* the file shrank under us */
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
	union tftp_cmsg cb[TFTP_BATCH];
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
			set_src(m, &cb[i], &c->local, c->ifindex);
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
 * handles them as one (DESIGN.md). The file data is read with one preadv
 * straight into place between the headers. Returns the blocks sent, 0
 * when the socket buffer is full, -EOPNOTSUPP when the route or kernel
 * cannot segment (the caller falls back to sendmmsg), or -errno. */
#define TFTP_GSO_MAX_SEGS  64
#define TFTP_GSO_MAX_BYTES 65000
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
		ssize_t n = preadv(c->fd, rd, (int)count, (off_t)tftp_tx_offset(x, first));
		if (n != (ssize_t)data)
			return n < 0 ? -errno : -EIO;
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

/* Send blocks; what the socket buffer cannot take waits for POLLOUT
 * (own socket) or for the retransmit timer (shared socket). */
static int send_blocks(struct tftp_conn *c, uint64_t first, uint32_t count)
{
	while (count > 0) {
		int n = -EOPNOTSUPP;
		if (c->gso && count > 1) {
			n = send_gso(c, first, count);
			if (n == -EOPNOTSUPP)
				c->gso = false;
		}
		if (n == -EOPNOTSUPP)
			n = send_batch(c, first, count);
		if (n < 0)
			return n;
		first += (uint32_t)n;
		count -= (uint32_t)n;
		if (n == 0)
			break;
	}
	c->pend_first = first;
	c->pend_count = count;
	if (c->own_sock)
		poll_set(c, UV_READABLE | (count ? UV_WRITABLE : 0));
	return 0;
}

/* --------------------------------------------------------- life cycle */

static void conn_freed(uv_handle_t *h)
{
	struct tftp_conn *c = h->data;
	if (--c->handles > 0)
		return;
	free(c->file);
	free(c->finalname);
	free(c->ra);
	free(c);
}

struct tftp_conn *tftp_conn_new(struct tftpd *s, uint64_t now_us)
{
	struct tftp_conn *c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->srv = s;
	c->sock = c->fd = c->dirfd = -1;
	c->start_us = now_us;
	return c;
}

void tftp_conn_free_unstarted(struct tftp_conn *c)
{
	tftp_write_discard(c);
	if (c->fd >= 0)
		close(c->fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	if (c->own_sock && c->sock >= 0)
		close(c->sock);
	free(c->file);
	free(c->finalname);
	free(c->ra);
	free(c);
}

static const char *const status_names[] = {
	[TFTP_ST_OK] = "ok",
	[TFTP_ST_TIMEOUT] = "timeout",
	[TFTP_ST_DECLINED] = "declined",
	[TFTP_ST_ABORTED] = "aborted",
	[TFTP_ST_ERROR] = "error",
};

static void log_asked(struct pxe_log_line *l, const char *key, long long v)
{
	if (v >= 0)
		pxe_log_int(l, key, v);
}

static void conn_log(struct tftp_conn *c, enum tftp_status st, const char *why)
{
	bool quiet = st == TFTP_ST_OK || st == TFTP_ST_DECLINED;
	struct pxe_log_line l;
	pxe_log_begin(&l, quiet ? PXE_LOG_INFO : PXE_LOG_NOTICE, "transfer");
	if (!l.active)
		return;
	uint64_t us = tftp_now_us() - c->start_us;
	pxe_log_addr(&l, "client", &c->peer.u.sa);
	pxe_log_str(&l, "op", c->write ? "write" : "read");
	pxe_log_str(&l, "file", c->file ? c->file : "");
	pxe_log_str(&l, "mode", c->mode == TFTP_MODE_NETASCII ? "netascii" : "octet");
	pxe_log_uint(&l, "bytes", c->bytes);
	pxe_log_uint(&l, "blksize", c->write ? c->rx.blksize : c->tx.blksize);
	pxe_log_uint(&l, "windowsize", c->write ? c->rx.windowsize : c->tx.windowsize);
	pxe_log_double(&l, "ms", (double)us / 1000.0, 1);
	pxe_log_double(&l, "mbps", us ? (double)c->bytes / (double)us : 0.0, 2);
	pxe_log_uint(&l, "retransmits", c->write ? c->rx.retransmits : c->tx.retransmits);
	pxe_log_uint(&l, "timeouts", c->write ? c->rx.timeouts : c->tx.timeouts);
	pxe_log_str(&l, "status", status_names[st]);
	if (why)
		pxe_log_str(&l, "reason", why);
	log_asked(&l, "ask_blksize", c->neg.ask_blksize);
	log_asked(&l, "ask_windowsize", c->neg.ask_windowsize);
	log_asked(&l, "ask_tsize", c->neg.ask_tsize);
	log_asked(&l, "ask_timeout", c->neg.ask_timeout);
	pxe_log_end(&l);
}

void tftp_conn_finish(struct tftp_conn *c, enum tftp_status st, const char *why)
{
	if (c->closing)
		return;
	c->closing = true;
	/* An upload stopped while dallying after its final ACK is complete. */
	if (c->write && c->rx.state == TFTP_XS_DALLY) {
		st = TFTP_ST_OK;
		why = NULL;
	}
	conn_log(c, st, why);
	tftp_hash_del(c->srv, c);
	if (c->write && st != TFTP_ST_OK)
		tftp_write_discard(c);
	if (c->fd >= 0)
		close(c->fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->fd = c->dirfd = -1;
	uv_close((uv_handle_t *)&c->timer, conn_freed);
	if (c->own_sock) {
		uv_close((uv_handle_t *)&c->poll, conn_freed);
		close(c->sock);
	}
}

/* ------------------------------------------------------------ actions */

static void timer_cb(uv_timer_t *t);

/* Deadlines move later with every ACK; restarting the libuv timer each
 * time costs two heap operations per block. Keep an earlier timer armed
 * instead: when it fires early, timer_cb re-arms for what is left. */
static void arm(struct tftp_conn *c, uint64_t deadline)
{
	if (c->closing || (c->armed && deadline >= c->armed))
		return;
	c->armed = deadline;
	uint64_t now = loop_us(c);
	uint64_t ms = deadline > now ? (deadline - now + 999) / 1000 : 0;
	uv_timer_start(&c->timer, timer_cb, ms, 0);
}

static void send_ack_or_oack(struct tftp_conn *c, const struct tftp_act *a)
{
	if (a->oack) {
		conn_send(c, c->oack, c->oack_len);
		return;
	}
	uint8_t b[TFTP_HDR];
	tftp_build_ack(b, sizeof(b), tftp_wire_block(a->first, c->rx.rollover));
	conn_send(c, b, sizeof(b));
}

static void tx_bytes(struct tftp_conn *c)
{
	uint64_t done = c->tx.base - 1;
	uint64_t b = done * c->tx.blksize;
	c->bytes = b > c->tx.size ? c->tx.size : b;
}

/* Carry out what the state machine decided. */
static void do_act(struct tftp_conn *c, const struct tftp_act *a)
{
	switch (a->kind) {
	case TFTP_ACT_NONE: break;
	case TFTP_ACT_SEND:
		if (a->oack)
			conn_send(c, c->oack, c->oack_len);
		if (a->count) {
			int r = send_blocks(c, a->first, a->count);
			if (r < 0) {
				tftp_send_error(c->sock, &c->peer, conn_src(c), c->ifindex,
						TFTP_EUNDEF, "Read error");
				tftp_conn_finish(c, TFTP_ST_ERROR, strerror(-r));
				return;
			}
		}
		break;
	case TFTP_ACT_ACK: send_ack_or_oack(c, a); break;
	case TFTP_ACT_DONE:
		if (!c->write)
			tx_bytes(c);
		tftp_conn_finish(c, TFTP_ST_OK, NULL);
		return;
	case TFTP_ACT_FAIL:
		/* A client that read the OACK (the tsize probe) and went away
		 * without an ERROR declined; it did not fail. */
		if (!c->write && c->tx.state == TFTP_XS_FAILED && c->tx.base == 1 && c->oack_len &&
		    c->neg.ask_tsize >= 0 && c->tx.next == 1)
			tftp_conn_finish(c, TFTP_ST_DECLINED, "no ACK of the OACK");
		else
			tftp_conn_finish(c, TFTP_ST_TIMEOUT, NULL);
		return;
	}
	arm(c, c->write ? c->rx.deadline : c->tx.deadline);
}

static void timer_cb(uv_timer_t *t)
{
	struct tftp_conn *c = t->data;
	c->armed = 0;
	uint64_t now = loop_us(c);
	uint64_t dl = c->write ? c->rx.deadline : c->tx.deadline;
	if (now < dl) {
		arm(c, dl);
		return;
	}
	struct tftp_act a = c->write ? tftp_rx_timeout(&c->rx, now) : tftp_tx_timeout(&c->tx, now);
	do_act(c, &a);
}

/* WRQ: store one in-order DATA payload. */
static int rx_store(struct tftp_conn *c, const uint8_t *data, size_t len)
{
	const uint8_t *p = data;
	size_t n = len;
	if (c->mode == TFTP_MODE_NETASCII) {
		n = tftp_netascii_decode(&c->dec, data, len, c->srv->decbuf);
		p = c->srv->decbuf;
	}
	while (n > 0) {
		ssize_t w = write(c->fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		n -= (size_t)w;
	}
	c->bytes += len;
	return 0;
}

static void rx_data(struct tftp_conn *c, const struct tftp_pkt *p)
{
	struct tftp_act a = tftp_rx_data(&c->rx, p->block, (uint32_t)p->data_len, loop_us(c));
	if (a.write) {
		int r = rx_store(c, p->data, p->data_len);
		if (r == 0 && a.complete)
			r = tftp_write_commit(c);
		if (r < 0) {
			bool full = r == -ENOSPC || r == -EDQUOT;
			tftp_send_error(c->sock, &c->peer, conn_src(c), c->ifindex,
					full ? TFTP_ENOSPACE : TFTP_EUNDEF,
					full ? NULL : "Write error");
			tftp_conn_finish(c, TFTP_ST_ERROR, strerror(-r));
			return;
		}
	}
	do_act(c, &a);
}

static void client_error(struct tftp_conn *c, const struct tftp_pkt *p)
{
	char why[128];
	snprintf(why, sizeof(why), "client ERROR %u: %.*s", p->errcode,
		 (int)(p->errmsg_len > 80 ? 80 : p->errmsg_len), p->errmsg);
	/* RFC 2347: ERROR 8 (or the tsize probe's "abort") right after the
	 * OACK is a client declining, not a failure. */
	bool declined = c->write ? c->rx.have == 0 : c->tx.state == TFTP_XS_OACK;
	if (!c->write)
		tx_bytes(c);
	tftp_conn_finish(c, declined ? TFTP_ST_DECLINED : TFTP_ST_ABORTED, why);
}

void tftp_conn_packet(struct tftp_conn *c, const uint8_t *buf, size_t len)
{
	struct tftp_pkt p;
	if (c->closing || tftp_parse_pkt(buf, len, &p) < 0)
		return;
	if (p.op == TFTP_ERROR) {
		client_error(c, &p);
	} else if (p.op == TFTP_ACK && !c->write) {
		struct tftp_act a = tftp_tx_ack(&c->tx, p.block, loop_us(c));
		do_act(c, &a);
	} else if (p.op == TFTP_DATA && c->write) {
		rx_data(c, &p);
	}
	/* A repeated request or a stray OACK from the client is ignored. */
}

/* ------------------------------------------------------------ socket */

/* Packets on the transfer's own socket: from the client, or from a wrong
 * TID (RFC 1350 §4: answer ERROR 5, change nothing). */
static void conn_readable(struct tftp_conn *c)
{
	struct tftpd *s = c->srv;
	for (int i = 0; i < 64 && !c->closing; i++) {
		struct pxe_sockaddr from;
		from.len = sizeof(from.u);
		ssize_t n = recvfrom(c->sock, s->rxbuf, sizeof(s->rxbuf), 0, &from.u.sa, &from.len);
		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			return;
		}
		if (!pxe_addr_equal(&from.u.sa, &c->peer.u.sa)) {
			if (n >= 2 && tftp_get16(s->rxbuf) != TFTP_ERROR)
				tftp_send_error(c->sock, &from, NULL, 0, TFTP_EBADID, NULL);
			continue;
		}
		uint64_t sent_at = c->tx.sent_at;
		tftp_conn_packet(c, s->rxbuf, (size_t)n);
		/* A sender that just sent a window waits a round trip for the
		 * next ACK: skip the recvfrom that would only say EAGAIN (what
		 * else is queued, level-triggered epoll brings back). */
		if (!c->write && c->tx.sent_at != sent_at)
			break;
	}
}

static void conn_writable(struct tftp_conn *c)
{
	if (c->pend_count == 0) {
		poll_set(c, UV_READABLE);
		return;
	}
	int r = send_blocks(c, c->pend_first, c->pend_count);
	if (r < 0)
		tftp_conn_finish(c, TFTP_ST_ERROR, strerror(-r));
}

static void poll_cb(uv_poll_t *h, int status, int events)
{
	struct tftp_conn *c = h->data;
	c->srv->io_events++;
	if (status < 0) {
		/* e.g. an ICMP error queued on the socket: read it away */
		events = UV_READABLE;
	}
	if ((events & UV_WRITABLE) && !c->closing)
		conn_writable(c);
	if ((events & UV_READABLE) && !c->closing)
		conn_readable(c);
}

static void poll_set(struct tftp_conn *c, int events)
{
	if (c->closing || c->poll_events == events)
		return;
	c->poll_events = events;
	uv_poll_start(&c->poll, events, poll_cb);
}

/* Bind the transfer socket to the address the request came to, on an
 * ephemeral port or one from port-range. */
static int bind_port(struct tftp_conn *c, int fd)
{
	const struct tftpd_config *cfg = c->srv->rt->cfg;
	struct pxe_sockaddr a = c->local;
	if (!cfg->port_lo) {
		pxe_addr_set_port(&a, 0);
		return bind(fd, &a.u.sa, a.len) < 0 ? -errno : 0;
	}
	unsigned span = cfg->port_hi - cfg->port_lo + 1;
	for (unsigned i = 0; i < span; i++) {
		unsigned port = cfg->port_lo + (c->srv->port_next++ % span);
		pxe_addr_set_port(&a, (int)port);
		if (bind(fd, &a.u.sa, a.len) == 0)
			return 0;
		if (errno != EADDRINUSE)
			return -errno;
	}
	return -EADDRINUSE;
}

static int open_socket(struct tftp_conn *c)
{
	int fam = c->local.u.sa.sa_family;
	int fd = socket(fam, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int off = 0;
	if (fam == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off));
	/* A whole window should fit in the send buffer: past wmem_max only
	 * with CAP_NET_ADMIN (SO_SNDBUFFORCE), else as much as allowed. */
	int want = (int)((c->tx.blksize + 64) * c->tx.windowsize * 2);
	if (want > 8 << 20)
		want = 8 << 20;
	if (want > 212992 && setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &want, sizeof(want)) < 0)
		(void)setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &want, sizeof(want));
	int r = bind_port(c, fd);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int tftp_conn_start(struct tftp_conn *c, struct tftp_listener *l)
{
	struct tftpd *s = c->srv;
	if (s->rt->cfg->single_port) {
		c->sock = l->fd;
		c->own_sock = false;
	} else {
		int fd = open_socket(c);
		if (fd < 0)
			return fd;
		c->sock = fd;
		c->own_sock = true;
		/* GSO pays off from two datagrams per window (own socket only:
		 * the listen socket's replies need a source address each). */
		c->gso = !c->write && c->tx.windowsize > 1 && s->rt->cfg->gso &&
			 2 * ((size_t)c->tx.blksize + TFTP_HDR) <= TFTP_GSO_MAX_BYTES;
		uv_poll_init(s->loop, &c->poll, fd);
		c->poll.data = c;
		c->handles++;
	}
	/* Lock-step with small blocks: read ahead ~8 KiB per pread. */
	if (!c->write && c->tx.windowsize == 1 && c->tx.blksize <= TFTP_RA_BYTES / 2) {
		c->ra_cap = TFTP_RA_BYTES / c->tx.blksize * c->tx.blksize;
		c->ra = malloc(c->ra_cap);
	}
	uv_timer_init(s->loop, &c->timer);
	c->timer.data = c;
	c->handles++;
	tftp_hash_add(s, c);
	if (c->own_sock)
		poll_set(c, UV_READABLE);
	struct tftp_act a =
		c->write ? tftp_rx_start(&c->rx, loop_us(c)) : tftp_tx_start(&c->tx, loop_us(c));
	do_act(c, &a);
	return 0;
}
