/* SPDX-License-Identifier: MIT */
/* The connection's I/O shell (see conn.h): one function per action of the
 * state machine, each one system call or one piece of request handling,
 * each leaving the event that the machine steps on next. Bodies go out
 * with sendfile(2) from the page cache, or, for small cached files, in the
 * same write as the head; replies to pipelined requests are batched into
 * one write. */
#include "conn.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handler.h"
#include "httpd.h"
#include "log.h"
#include "request.h"
#include "tls.h"

#include <openssl/ssl.h>

/* The input being answered in one run: the bytes of the last read (in the
 * shared read buffer) or those held in ibuf; used: answered so far. */
struct conn_in {
	const char *p; /* NULL: none yet (the held input is in ibuf) */
	size_t len, used;
};

/* One run of the machine, from an event until it waits. */
struct conn_run {
	uint64_t now;
	struct conn_in in;
	size_t head_len; /* of the head parsed last */
	bool rp_live;    /* rp holds references (reply_free) */
	struct http_request req;
	struct reply rp;
};

enum conn_go { CONN_GO_ON, CONN_GO_STOP, CONN_GO_FREED };

typedef enum conn_go (*conn_do_fn)(struct conn *c, struct conn_run *r, const struct conn_act *a,
				   struct conn_ev *ev);

/* ---------------------------------------------------------------- TLS */

/* Hostile or broken TLS clients: one line per connection, then it is cut
 * off (garbage for a ClientHello, plain HTTP on the TLS port, a client
 * silent mid-handshake, a renegotiation attempt). */
static void log_tls_error(struct conn *c, const char *event, const char *why)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_INFO, event);
	pxe_log_str(&l, "client", c->peer);
	pxe_log_str(&l, "error", why[0] ? why : "unknown");
	pxe_log_end(&l);
}

/* The connection no longer counts against --tls-max-handshakes. */
static void handshake_over(struct conn *c)
{
	if (!c->io.tls_done) {
		c->io.tls_done = true;
		httpd_handshake_over(c->srv);
	}
}

/* kTLS: the kernel encrypts the page cache's pages (SSL_sendfile). */
static ssize_t tls_sendfile(struct conn_io *io, int fd, off_t off, size_t len)
{
	ssize_t n = SSL_sendfile(io->tls, fd, off, len, 0);
	if (n < 0)
		errno = SSL_get_error(io->tls, (int)n) == SSL_ERROR_WANT_WRITE ? EAGAIN : EIO;
	return n;
}

/* ---------------------------------------------------------------- input */

static int ibuf_keep(struct conn *c, const char *data, size_t len)
{
	if (len == 0) {
		free(c->ibuf);
		c->ibuf = NULL;
		c->ilen = c->icap = 0;
		return 0;
	}
	if (data >= c->ibuf && c->ibuf && data < c->ibuf + c->icap) {
		memmove(c->ibuf, data, len);
		c->ilen = len;
		return 0;
	}
	if (len > c->icap) {
		char *nb = realloc(c->ibuf, len + 1024);
		if (!nb)
			return -ENOMEM;
		c->ibuf = nb;
		c->icap = len + 1024;
	}
	memcpy(c->ibuf, data, len);
	c->ilen = len;
	return 0;
}

/* Keep what is not answered yet in ibuf: the shared read buffer is the
 * next read's, or another connection's. */
static int input_settle(struct conn *c, struct conn_in *in)
{
	if (!in->p)
		return 0;
	int r = ibuf_keep(c, in->p + in->used, in->len - in->used);
	*in = (struct conn_in){0};
	return r;
}

/* Where the next read goes: the shared buffer, or behind the held input
 * (a head arriving in pieces, up to --max-header-size). */
static char *read_dest(struct conn *c, size_t *cap)
{
	struct httpd *s = c->srv;
	if (c->ilen == 0) {
		*cap = sizeof(s->rbuf);
		return s->rbuf;
	}
	size_t limit = s->rt.limits.max_head + 1;
	if (c->icap - c->ilen < 1024) {
		size_t ncap = c->icap + (c->icap < limit ? limit : 4096);
		char *nb = realloc(c->ibuf, ncap);
		if (!nb)
			return NULL;
		c->ibuf = nb;
		c->icap = ncap;
	}
	*cap = c->icap - c->ilen;
	return c->ibuf + c->ilen;
}

static void parse_head(struct conn *c, struct conn_run *r, struct conn_ev *ev)
{
	struct conn_in *in = &r->in;
	int n = http_request_parse(in->p + in->used, in->len - in->used, &c->srv->rt.limits,
				   &r->req);
	ev->head = n > 0 ? CONN_HEAD_COMPLETE : n == 0 ? CONN_HEAD_PARTIAL : CONN_HEAD_ERROR;
	ev->status = n < 0 ? -n : 0;
	r->head_len = n > 0 ? (size_t)n : 0;
}

static enum conn_go do_read(struct conn *c, struct conn_run *r, const struct conn_act *a,
			    struct conn_ev *ev)
{
	(void)a;
	size_t cap;
	char *dst = input_settle(c, &r->in) < 0 ? NULL : read_dest(c, &cap);
	if (!dst) {
		*ev = (struct conn_ev){.kind = CONN_EV_ERROR};
		return CONN_GO_ON;
	}
	bool more;
	ssize_t n = c->io.ops->read(&c->io, dst, cap, &more);
	if (n <= 0) {
		/* 0: the client is gone, or half-closed with nothing to answer */
		if (n < 0 && n != -EAGAIN && c->io.tls)
			log_tls_error(c, "tls-error", c->io.why);
		*ev = (struct conn_ev){.kind = n == -EAGAIN ? CONN_EV_AGAIN : CONN_EV_EOF};
		return CONN_GO_ON;
	}
	if (dst == c->srv->rbuf) {
		r->in = (struct conn_in){.p = dst, .len = (size_t)n};
	} else {
		c->ilen += (size_t)n;
		r->in = (struct conn_in){.p = c->ibuf, .len = c->ilen};
	}
	/* more: TLS holds decrypted bytes that no socket event announces */
	*ev = (struct conn_ev){.kind = CONN_EV_INPUT, .filled = (size_t)n == cap || more};
	parse_head(c, r, ev);
	return CONN_GO_ON;
}

static enum conn_go do_parse(struct conn *c, struct conn_run *r, const struct conn_act *a,
			     struct conn_ev *ev)
{
	(void)a;
	if (!r->in.p)
		r->in = (struct conn_in){.p = c->ibuf, .len = c->ilen};
	*ev = (struct conn_ev){.kind = CONN_EV_HEAD};
	parse_head(c, r, ev);
	return CONN_GO_ON;
}

/* Lingering: read and discard (a bounded number of reads per event). */
static enum conn_go do_drain(struct conn *c, struct conn_run *r, const struct conn_act *a,
			     struct conn_ev *ev)
{
	(void)a;
	r->in = (struct conn_in){0}; /* the read below overwrites the shared buffer */
	for (int i = 0; i < 64; i++) {
		bool more;
		ssize_t n = c->io.ops->read(&c->io, c->srv->rbuf, sizeof(c->srv->rbuf), &more);
		if (n == -EAGAIN)
			break;
		if (n <= 0) {
			*ev = (struct conn_ev){.kind = CONN_EV_EOF};
			return CONN_GO_ON;
		}
	}
	*ev = (struct conn_ev){.kind = CONN_EV_AGAIN};
	return CONN_GO_ON;
}

/* ---------------------------------------------------------------- replies */

static void reply_event(struct conn *c, const struct conn_run *r, struct conn_ev *ev)
{
	*ev = (struct conn_ev){.kind = CONN_EV_REPLY,
			       .req_keepalive = r->req.keepalive,
			       .close = r->rp.close,
			       .linger = r->rp.linger,
			       .stopping = c->srv->stopping};
}

static enum conn_go do_handle(struct conn *c, struct conn_run *r, const struct conn_act *a,
			      struct conn_ev *ev)
{
	(void)a;
	memset(&r->rp, 0, sizeof(r->rp));
	c->body.start_ms = r->now;
	http_handle(c->srv, &r->req, &r->rp);
	r->rp_live = true;
	r->in.used += r->head_len;
	reply_event(c, r, ev);
	return CONN_GO_ON;
}

static enum conn_go do_reject(struct conn *c, struct conn_run *r, const struct conn_act *a,
			      struct conn_ev *ev)
{
	memset(&r->rp, 0, sizeof(r->rp));
	c->body.start_ms = r->now;
	http_error_reply(&r->rp, a->status, false);
	r->rp_live = true;
	r->req.keepalive = false;
	r->in.used = r->in.len; /* framing is lost: nothing after it is parsed */
	reply_event(c, r, ev);
	return CONN_GO_ON;
}

static enum conn_go do_queue(struct conn *c, struct conn_run *r, const struct conn_act *a,
			     struct conn_ev *ev)
{
	struct httpd *s = c->srv;
	struct emit_out o;
	emit_reply(s, &c->q, &c->body, c->peer, &r->req, &r->rp, a->keepalive, &o);
	reply_free(s, &r->rp);
	r->rp_live = false;
	*ev = (struct conn_ev){.kind = CONN_EV_QUEUED,
			       .off = o.off,
			       .len = o.len,
			       .failed = o.failed,
			       .more_input = r->in.used < r->in.len,
			       .full = outq_full(&c->q, s)};
	if (c->body.mp) {
		ev->parts = c->body.mp->r;
		ev->nparts = c->body.mp->n;
	}
	return CONN_GO_ON;
}

/* ---------------------------------------------------------------- output */

static enum conn_go do_send(struct conn *c, struct conn_run *r, const struct conn_act *a,
			    struct conn_ev *ev)
{
	(void)r;
	bool progress;
	int n = outq_send(&c->q, c->srv, &c->io, a->more, a->fin, &progress);
	*ev = (struct conn_ev){.kind = n == 0  ? CONN_EV_SENT
				       : n > 0 ? CONN_EV_BLOCKED
					       : CONN_EV_ERROR,
			       .progress = progress};
	return CONN_GO_ON;
}

/* TLS without kTLS: pread into the connection's buffer, SSL_write from
 * it. A write that finds the socket full keeps the bytes for the retry
 * (TLS takes the same bytes again, io.h). */
static ssize_t tls_body_write(struct conn *c, const struct pxe_file *f, uint64_t off, uint64_t len)
{
	if (c->tpos == c->tlen || c->boff != off) {
		uint64_t fd_off = 0;
		uint64_t span = pxe_file_span(f, off, &fd_off);
		size_t want = (size_t)(len < span ? len : span);
		if (want > CONN_TLS_BUF)
			want = CONN_TLS_BUF;
		if (!c->tbuf && !(c->tbuf = malloc(CONN_TLS_BUF)))
			return -ENOMEM;
		ssize_t n = want ? pread(f->fd, c->tbuf, want, (off_t)fd_off) : 0;
		if (n <= 0)
			return n < 0 ? -errno : -EIO; /* the file shrank */
		c->tlen = (size_t)n;
		c->tpos = 0;
		c->boff = off;
	}
	ssize_t n = c->io.ops->write(&c->io, c->tbuf + c->tpos, c->tlen - c->tpos, true);
	if (n > 0) {
		c->tpos += (size_t)n;
		c->boff += (uint64_t)n;
	}
	return n;
}

static enum conn_go do_sendfile(struct conn *c, struct conn_run *r, const struct conn_act *a,
				struct conn_ev *ev)
{
	(void)r;
	if (c->io.tls && !c->io.ktls_send) {
		ssize_t n = tls_body_write(c, &c->body.fe->f, a->off, a->len);
		if (n > 0) {
			c->body.sent += (uint64_t)n;
			*ev = (struct conn_ev){.kind = CONN_EV_SENT, .bytes = (uint64_t)n};
		} else {
			*ev = (struct conn_ev){.kind = n == -EAGAIN ? CONN_EV_BLOCKED
								    : CONN_EV_ERROR};
		}
		return CONN_GO_ON;
	}
	/* a->off is a file offset; an image file's bytes lie at another
	 * offset of the image's descriptor (base 0 for a directory root) */
	const struct pxe_file *f = &c->body.fe->f;
	uint64_t fd_off = 0;
	uint64_t span = pxe_file_span(f, a->off, &fd_off);
	off_t off = (off_t)fd_off;
	size_t want = (size_t)(a->len < span ? a->len : span);
	ssize_t n = !span       ? 0
		    : c->io.tls ? tls_sendfile(&c->io, f->fd, off, want)
				: sendfile(c->fd, f->fd, &off, want);
	if (n > 0) {
		c->body.sent += (uint64_t)n;
		*ev = (struct conn_ev){.kind = CONN_EV_SENT, .bytes = (uint64_t)n};
	} else {
		/* n == 0: the file shrank; its Content-Length cannot be kept */
		bool again = n < 0 && errno == EAGAIN;
		*ev = (struct conn_ev){.kind = again ? CONN_EV_BLOCKED : CONN_EV_ERROR};
	}
	return CONN_GO_ON;
}

static enum conn_go do_queue_part(struct conn *c, struct conn_run *r, const struct conn_act *a,
				  struct conn_ev *ev)
{
	(void)r;
	int n = emit_part(c->srv, &c->q, &c->body, a->part, a->tail);
	*ev = (struct conn_ev){.kind = n < 0 ? CONN_EV_ERROR : CONN_EV_DONE};
	return CONN_GO_ON;
}

static enum conn_go do_finish(struct conn *c, struct conn_run *r, const struct conn_act *a,
			      struct conn_ev *ev)
{
	(void)a;
	emit_finish(c->srv, &c->body, r->now);
	*ev = (struct conn_ev){.kind = CONN_EV_DONE};
	return CONN_GO_ON;
}

/* ---------------------------------------------------------------- ending */

static enum conn_go do_shutdown(struct conn *c, struct conn_run *r, const struct conn_act *a,
				struct conn_ev *ev)
{
	(void)r;
	(void)a;
	c->io.ops->close_notify(&c->io);
	shutdown(c->fd, SHUT_WR);
	*ev = (struct conn_ev){.kind = CONN_EV_DONE};
	return CONN_GO_ON;
}

static enum conn_go do_send_408(struct conn *c, struct conn_run *r, const struct conn_act *a,
				struct conn_ev *ev)
{
	(void)r;
	(void)a;
	char buf[1024];
	size_t n = emit_408(c->srv, buf, sizeof(buf));
	if (c->io.ops->write(&c->io, buf, n, false) > 0) {
		c->io.ops->close_notify(&c->io);
		shutdown(c->fd, SHUT_WR);
	}
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_INFO, "header-timeout");
	pxe_log_str(&l, "client", c->peer);
	pxe_log_uint(&l, "status", 408);
	pxe_log_end(&l);
	*ev = (struct conn_ev){.kind = CONN_EV_DONE};
	return CONN_GO_ON;
}

static enum conn_go do_close(struct conn *c, struct conn_run *r, const struct conn_act *a,
			     struct conn_ev *ev)
{
	(void)a;
	(void)ev;
	if (r->rp_live)
		reply_free(c->srv, &r->rp);
	conn_close(c);
	return CONN_GO_FREED;
}

/* The TLS handshake, driven until it waits for the socket. */
static enum conn_go do_handshake(struct conn *c, struct conn_run *r, const struct conn_act *a,
				 struct conn_ev *ev)
{
	(void)r;
	(void)a;
	int n = c->io.ops->handshake(&c->io);
	if (n == -EAGAIN) {
		*ev = (struct conn_ev){.kind = CONN_EV_AGAIN};
		return CONN_GO_ON;
	}
	handshake_over(c);
	if (n < 0) {
		log_tls_error(c, "tls-handshake", c->io.why);
		/* plain HTTP on the TLS port (OpenSSL saw "GET ", "POST"...):
		 * say so in plain HTTP, as nginx's 400 "plain HTTP request was
		 * sent to HTTPS port" does, instead of a reset */
		if (!strcmp(c->io.why, "http request")) {
			static const char msg[] = "HTTP/1.1 400 Bad Request\r\n"
						  "Content-Type: text/plain\r\n"
						  "Content-Length: 38\r\n"
						  "Connection: close\r\n\r\n"
						  "plain HTTP request sent to HTTPS port\n";
			if (send(c->fd, msg, sizeof(msg) - 1, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
				shutdown(c->fd, SHUT_WR);
		}
		*ev = (struct conn_ev){.kind = n == -ECONNRESET ? CONN_EV_EOF : CONN_EV_ERROR};
		return CONN_GO_ON;
	}
	if (pxe_log_enabled(PXE_LOG_DEBUG) && c->io.ops == &conn_io_tls) {
		const char *version, *cipher, *sni;
		bool resumed;
		tls_io_describe(&c->io, &version, &cipher, &sni, &resumed);
		struct pxe_log_line l;
		pxe_log_begin(&l, PXE_LOG_DEBUG, "tls");
		pxe_log_str(&l, "client", c->peer);
		pxe_log_str(&l, "version", version);
		pxe_log_str(&l, "cipher", cipher);
		pxe_log_str(&l, "sni", sni[0] ? sni : "-");
		pxe_log_str(&l, "resumed", resumed ? "yes" : "no");
		pxe_log_str(&l, "ktls", c->io.ktls_send ? "yes" : "no");
		pxe_log_end(&l);
	}
	*ev = (struct conn_ev){.kind = CONN_EV_DONE};
	return CONN_GO_ON;
}

/* NONE and WAIT end the run; what is held must outlive it. */
static enum conn_go do_none(struct conn *c, struct conn_run *r, const struct conn_act *a,
			    struct conn_ev *ev)
{
	(void)a;
	if (r->rp_live) {
		reply_free(c->srv, &r->rp);
		r->rp_live = false;
	}
	if (input_settle(c, &r->in) < 0) {
		*ev = (struct conn_ev){.kind = CONN_EV_ERROR};
		return CONN_GO_ON;
	}
	return CONN_GO_STOP;
}

static enum conn_go do_wait(struct conn *c, struct conn_run *r, const struct conn_act *a,
			    struct conn_ev *ev)
{
	enum conn_go go = do_none(c, r, a, ev);
	if (go != CONN_GO_STOP || c->in_epoll)
		return go;
	struct epoll_event e = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.ptr = c};
	if (epoll_ctl(c->srv->epfd, EPOLL_CTL_ADD, c->fd, &e) < 0) {
		pxe_log_msg(PXE_LOG_ERR, "epoll", "epoll_ctl: %s", strerror(errno));
		*ev = (struct conn_ev){.kind = CONN_EV_ERROR};
		return CONN_GO_ON;
	}
	c->in_epoll = true;
	return CONN_GO_STOP;
}

/* ---------------------------------------------------------------- driving */

/* One row per action of the machine. */
/* clang-format off */
static const conn_do_fn actions[] = {
	[CONN_ACT_NONE] = do_none,
	[CONN_ACT_WAIT] = do_wait,
	[CONN_ACT_READ] = do_read,
	[CONN_ACT_PARSE] = do_parse,
	[CONN_ACT_HANDLE] = do_handle,
	[CONN_ACT_REJECT] = do_reject,
	[CONN_ACT_QUEUE] = do_queue,
	[CONN_ACT_SEND] = do_send,
	[CONN_ACT_SENDFILE] = do_sendfile,
	[CONN_ACT_QUEUE_PART] = do_queue_part,
	[CONN_ACT_FINISH] = do_finish,
	[CONN_ACT_SHUTDOWN] = do_shutdown,
	[CONN_ACT_SEND_408] = do_send_408,
	[CONN_ACT_DRAIN] = do_drain,
	[CONN_ACT_CLOSE] = do_close,
	[CONN_ACT_HANDSHAKE] = do_handshake,
};
/* clang-format on */
_Static_assert(sizeof(actions) / sizeof(actions[0]) == CONN_NACTS, "an action without a row");

/* Carry out a, step on what came of it, until the machine waits. */
static void conn_exec(struct conn *c, struct conn_act a, uint64_t now)
{
	struct conn_run r;
	r.now = now;
	r.in = (struct conn_in){0};
	r.rp_live = false;
	for (;;) {
		struct conn_ev ev;
		enum conn_go go = actions[a.kind](c, &r, &a, &ev);
		if (go != CONN_GO_ON)
			return;
		a = conn_fsm_step(&c->m, &c->srv->rt.conn, &ev, now);
	}
}

static void conn_feed(struct conn *c, const struct conn_ev *ev, uint64_t now)
{
	conn_exec(c, conn_fsm_step(&c->m, &c->srv->rt.conn, ev, now), now);
}

void conn_event(struct conn *c, uint32_t events)
{
	struct conn_ev ev = {.kind = CONN_EV_IO,
			     .readable = events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP),
			     .hup = events & EPOLLRDHUP};
	/* a TLS read that had to write first goes on when the socket can */
	if (c->io.read_want_write && (events & EPOLLOUT))
		ev.readable = true;
	if (events & EPOLLERR)
		ev.kind = CONN_EV_ERROR;
	conn_feed(c, &ev, httpd_now_ms(c->srv));
}

void conn_check_timeout(struct conn *c, uint64_t now)
{
	struct conn_ev ev = {.kind = CONN_EV_TIMER};
	if (c->m.state == CONN_HANDSHAKE && c->m.deadline && now >= c->m.deadline)
		log_tls_error(c, "tls-handshake", "timeout");
	conn_feed(c, &ev, now);
}

void conn_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer)
{
	struct conn_io io = {.ops = &conn_io_plain, .fd = fd};
	conn_accepted_io(s, &io, peer);
}

void conn_accepted_io(struct httpd *s, const struct conn_io *io, const struct pxe_sockaddr *peer)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		struct conn_io tmp = *io;
		tmp.ops->free(&tmp);
		close(io->fd);
		return;
	}
	c->srv = s;
	c->fd = io->fd;
	c->io = *io;
	c->peer_addr = *peer;
	pxe_addr_format_peer(&peer->u.sa, false, c->peer, sizeof(c->peer));
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	uint64_t now = httpd_now_ms(s);
	if (c->io.tls) {
		s->handshakes++;
		conn_exec(c, conn_fsm_start_tls(&c->m, &s->rt.conn, now), now);
	} else {
		c->io.tls_done = true;
		conn_exec(c, conn_fsm_start(&c->m, &s->rt.conn, now), now);
	}
}

void conn_close(struct conn *c)
{
	struct httpd *s = c->srv;
	emit_finish(s, &c->body, httpd_now_ms(s));
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	handshake_over(c);
	c->io.ops->close_notify(&c->io); /* once: SHUTDOWN may have sent it */
	c->io.ops->free(&c->io);
	close(c->fd);
	free(c->tbuf);
	free(c->ibuf);
	outq_free(&c->q);
	free(c);
	httpd_conn_closed(s);
}
