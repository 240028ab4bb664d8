/* SPDX-License-Identifier: MIT */
/* One transfer's I/O: its socket and its timer, turning packets and
 * timeouts into steps of the state machines (xfer.c) and carrying out
 * what they return: DATA windows (window.c), ACKs, OACKs, ERRORs, file
 * writes, and the log line at the end (xferlog.c). */
#include "server_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "udp.h"
#include "window.h"
#include "xferlog.h"

/* The state machines' clock: the loop's cached time. Millisecond
 * resolution is plenty next to the 50 ms retransmit floor, and it saves a
 * clock_gettime per packet (a system call on some hypervisors). */
static uint64_t loop_us(const struct tftp_conn *c)
{
	return uv_now(c->srv->loop) * 1000;
}

/* ------------------------------------------------------------ sending */

static const struct pxe_sockaddr *conn_src(struct tftp_conn *c)
{
	return c->own_sock ? NULL : &c->local;
}

static void conn_send(struct tftp_conn *c, const void *buf, size_t len)
{
	(void)tftp_udp_send(c->sock, buf, len, &c->peer, conn_src(c), c->ifindex);
}

static void poll_set(struct tftp_conn *c, int events);

/* Send blocks; what the socket buffer cannot take waits for POLLOUT
 * (own socket) or for the retransmit timer (shared socket). */
static int send_blocks(struct tftp_conn *c, uint64_t first, uint32_t count)
{
	int n = tftp_window_send(c, first, count);
	if (n < 0)
		return n;
	c->pend_first = first + (uint32_t)n;
	c->pend_count = count - (uint32_t)n;
	if (c->own_sock)
		poll_set(c, UV_READABLE | (c->pend_count ? UV_WRITABLE : 0));
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
	c->src = (struct pxe_file)PXE_FILE_INIT;
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
	pxe_file_close(&c->src);
	if (c->own_sock && c->sock >= 0)
		close(c->sock);
	free(c->file);
	free(c->finalname);
	free(c->ra);
	free(c);
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
	tftp_xferlog(c, st, why);
	tftp_hash_del(c->srv, c);
	if (c->write && st != TFTP_ST_OK)
		tftp_write_discard(c);
	if (c->fd >= 0)
		close(c->fd);
	if (c->dirfd >= 0)
		close(c->dirfd);
	c->fd = c->dirfd = -1;
	pxe_file_close(&c->src);
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
				tftp_udp_send_error(c->sock, &c->peer, conn_src(c), c->ifindex,
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
			tftp_udp_send_error(c->sock, &c->peer, conn_src(c), c->ifindex,
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
				tftp_udp_send_error(c->sock, &from, NULL, 0, TFTP_EBADID, NULL);
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

int tftp_conn_start(struct tftp_conn *c, struct tftp_listener *l)
{
	struct tftpd *s = c->srv;
	if (s->rt->cfg->single_port) {
		c->sock = l->fd;
		c->own_sock = false;
	} else {
		/* Bound to the address the request came to, on a port of its
		 * own: the transfer's TID (RFC 1350 §4). */
		const struct tftpd_config *cfg = s->rt->cfg;
		int fd = tftp_udp_open(&c->local, tftp_window_sndbuf(c), cfg->port_lo, cfg->port_hi,
				       &s->port_next);
		if (fd < 0)
			return fd;
		c->sock = fd;
		c->own_sock = true;
		uv_poll_init(s->loop, &c->poll, fd);
		c->poll.data = c;
		c->handles++;
	}
	tftp_window_init(c, c->own_sock && s->rt->cfg->gso);
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
