/* Connection state machine and its socket I/O (see conn.h). Bodies go out
 * with sendfile(2) from the page cache, or, for small cached files, in the
 * same write as the head. Responses to pipelined requests are batched into
 * one write. */
#include "conn.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <unistd.h>

#include "handler.h"
#include "httpd.h"
#include "log.h"
#include "response.h"

#define LINGER_MS 2000
/* sendfile(2) in 128 KiB steps, as lighttpd does (256 KiB): one call
 * for a whole 1 GiB body fills the socket buffer before any of it goes
 * out and then waits for it to drain; short steps keep data flowing while
 * the receiver reads. Measured over loopback on 2 vCPUs, one curl stream
 * of 1 GiB: ~1.4 GB/s with 1 GiB steps, ~2.0 GB/s with 128 KiB (64 KiB:
 * ~1.2 GB/s, the system calls start to cost). */
#define SENDFILE_CHUNK (128u << 10)

static void set_state(struct conn *c, enum conn_state st)
{
	const struct httpd_config *cfg = c->srv->cfg;
	uint64_t now = httpd_now_ms(c->srv);
	c->state = st;
	switch (st) {
	case CONN_IDLE:
	case CONN_SEND:
		c->deadline_ms = cfg->timeout_ms ? now + (uint64_t)cfg->timeout_ms : 0;
		break;
	case CONN_READ_HEAD:
		c->deadline_ms =
			cfg->header_timeout_ms ? now + (uint64_t)cfg->header_timeout_ms : 0;
		break;
	case CONN_LINGER: c->deadline_ms = now + LINGER_MS; break;
	}
}

/* ---------------------------------------------------------------- logging */

static bool peer_trusted(const struct conn *c)
{
	const struct pxe_strlist *t = &c->srv->cfg->trusted_ip;
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], c->peer))
			return true;
	return false;
}

static void fill_entry(const struct conn *c, const struct http_request *req, const struct reply *rp,
		       struct access_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->client = c->peer;
	if (req->x_forwarded_for.p && peer_trusted(c)) {
		/* the client's address as the trusted proxy reports it */
		static char xff[128];
		snprintf(xff, sizeof(xff), "%.*s", (int)req->x_forwarded_for.len,
			 req->x_forwarded_for.p);
		e->client = xff;
	}
	e->method = req->method_str.p;
	e->method_len = req->method_str.len;
	e->target = req->target.p;
	e->target_len = req->target.len;
	e->version = req->version;
	e->status = rp->status;
	e->bytes = rp->no_body ? 0 : rp->body_len;
	e->referer = req->referer.p;
	e->referer_len = req->referer.len;
	e->ua = req->user_agent.p;
	e->ua_len = req->user_agent.len;
	e->file = rp->file[0] ? rp->file : NULL;
	e->ms = 0;
}

/* Copy an entry (its strings too) for a reply whose byte count is known
 * only when the transfer ends. */
static struct access_entry *entry_copy(const struct access_entry *e)
{
	size_t n = sizeof(*e) + strlen(e->client) + 1 + e->method_len + e->target_len +
		   e->referer_len + e->ua_len + (e->file ? strlen(e->file) + 1 : 0);
	struct access_entry *d = malloc(n);
	if (!d)
		return NULL;
	*d = *e;
	char *p = (char *)(d + 1);
#define DUP(field, len)                                                                            \
	do {                                                                                       \
		if (e->field) {                                                                    \
			memcpy(p, e->field, len);                                                  \
			d->field = p;                                                              \
			p += len;                                                                  \
		}                                                                                  \
	} while (0)
	size_t cl = strlen(e->client) + 1;
	DUP(client, cl);
	DUP(method, e->method_len);
	DUP(target, e->target_len);
	DUP(referer, e->referer_len);
	DUP(ua, e->ua_len);
	if (e->file) {
		size_t fl = strlen(e->file) + 1;
		DUP(file, fl);
	}
#undef DUP
	return d;
}

static void log_deferred(struct conn *c)
{
	if (!c->log_line)
		return;
	struct access_entry *e = (struct access_entry *)(void *)c->log_line;
	e->bytes = c->body_sent;
	e->ms = httpd_now_ms(c->srv) - c->req_start_ms;
	access_log_write(&c->srv->alog, e, time(NULL));
	free(c->log_line);
	c->log_line = NULL;
}

/* ---------------------------------------------------------------- output */

static int obuf_append(struct conn *c, const char *p, size_t n)
{
	if (c->ooff == c->olen) {
		c->ooff = c->olen = 0;
	}
	char *nb = realloc(c->obuf, c->olen + n);
	if (!nb)
		return -1;
	memcpy(nb + c->olen, p, n);
	c->obuf = nb;
	c->olen += n;
	return 0;
}

/* Make room in the shared write buffer: move what is there to this
 * connection's own queue (it is sent, in order, before anything else). */
static int spill_wbuf(struct conn *c)
{
	struct httpd *s = c->srv;
	int r = s->wlen ? obuf_append(c, s->wbuf, s->wlen) : 0;
	s->wlen = 0;
	return r;
}

static void body_to_queue(struct conn *c, struct reply *rp, const char *mem, size_t n)
{
	struct httpd *s = c->srv;
	if (n <= HTTPD_SCRATCH - s->wlen) {
		memcpy(s->wbuf + s->wlen, mem, n);
		s->wlen += n;
		return;
	}
	if (spill_wbuf(c) < 0 || obuf_append(c, mem, n) < 0)
		c->close_after = true;
	(void)rp;
}

static void queue_file(struct conn *c, struct reply *rp, const struct access_entry *e)
{
	c->sf = rp->fe;
	rp->fe = NULL;
	c->body_sent = 0;
	if (rp->nranges > 1) {
		c->mp = calloc(1, sizeof(*c->mp));
		if (!c->mp) {
			c->close_after = true;
			return;
		}
		memcpy(c->mp->r, rp->ranges, sizeof(rp->ranges));
		c->mp->n = rp->nranges;
		c->mp->size = (uint64_t)c->sf->st.st_size;
		snprintf(c->mp->ctype, sizeof(c->mp->ctype), "%s", rp->content_type);
		c->sf_left = 0;
	} else {
		c->sf_off = rp->off;
		c->sf_left = rp->len;
	}
	if (e)
		c->log_line = (char *)entry_copy(e);
}

/* Serialise a reply: head into the shared buffer, then the body. */
static void emit(struct conn *c, const struct http_request *req, struct reply *rp)
{
	struct httpd *s = c->srv;
	const struct httpd_config *cfg = s->cfg;
	bool ka = !rp->close && cfg->keepalive && req->keepalive && !s->stopping;
	if (!ka) {
		c->close_after = true;
		c->linger = rp->linger;
	}
	httpd_date_update(s);
	const struct fc_entry *fe = rp->fe;
	struct http_resp h = {
		.status = rp->status,
		.version = req->version,
		.date = s->date,
		.server = s->rt.server,
		.content_type = rp->content_type,
		.content_length = rp->body_len,
		.no_length = rp->status == 304,
		.last_modified = rp->validators && fe ? fe->last_modified : NULL,
		.etag = rp->validators && fe ? fe->etag : NULL,
		.content_range = rp->content_range[0] ? rp->content_range : NULL,
		.location = rp->location,
		.allow = rp->allow,
		.www_authenticate = rp->www_authenticate,
		.content_encoding = rp->content_encoding,
		.vary_accept_encoding = rp->vary,
		.accept_ranges = rp->accept_ranges,
		.keepalive = ka,
		.extra = s->rt.extra_headers,
		.extra_len = s->rt.extra_len,
	};
	char ctype[128];
	if (rp->nranges > 1 && rp->status == 206) {
		snprintf(ctype, sizeof(ctype), "multipart/byteranges; boundary=%s", s->boundary);
		h.content_type = ctype;
	}
	if (HTTPD_SCRATCH - s->wlen < 8192 && spill_wbuf(c) < 0)
		c->close_after = true;
	size_t n = http_resp_head(s->wbuf + s->wlen, HTTPD_SCRATCH - s->wlen, &h);
	if (n == 0) { /* cannot happen with sane --header values */
		c->close_after = true;
		return;
	}
	s->wlen += n;
	s->requests++;
	struct access_entry e;
	bool logging = access_log_enabled(&s->alog);
	if (logging)
		fill_entry(c, req, rp, &e);
	if (rp->no_body || rp->body_len == 0) {
		/* nothing */
	} else if (rp->mem) {
		body_to_queue(c, rp, rp->mem, rp->mem_len);
	} else if (fe && fe->data && rp->nranges <= 1) {
		body_to_queue(c, rp, fe->data + rp->off, (size_t)rp->len);
	} else if (fe) {
		queue_file(c, rp, logging ? &e : NULL);
		return;
	}
	if (logging)
		access_log_write(&s->alog, &e, s->date_sec);
}

/* Queue the next multipart piece. false when the body is complete. */
static bool multipart_next(struct conn *c)
{
	struct conn_multipart *m = c->mp;
	char tmp[512];
	size_t n;
	if (m->next > m->n)
		return false;
	if (m->next == m->n) {
		n = http_multipart_tail(tmp, sizeof(tmp), c->srv->boundary);
	} else {
		const struct http_byte_range *r = &m->r[m->next];
		n = http_multipart_part_head(tmp, sizeof(tmp), c->srv->boundary, m->ctype, r,
					     m->size, m->next == 0);
		c->sf_off = r->first;
		c->sf_left = r->last - r->first + 1;
	}
	m->next++;
	c->body_sent += n;
	if (obuf_append(c, tmp, n) < 0)
		return false;
	return true;
}

/* Send what is queued. 0: all sent; 1: the socket is full; -1: error. */
static int conn_send(struct conn *c)
{
	struct httpd *s = c->srv;
	if (s->wlen) {
		/* A whole reply followed by close(): corked, so that the FIN
		 * rides in the reply's segment instead of one of its own. */
		bool more = c->sf || c->mp || c->olen > c->ooff || (c->close_after && !c->linger);
		ssize_t n = send(c->fd, s->wbuf, s->wlen, MSG_NOSIGNAL | (more ? MSG_MORE : 0));
		if (n < 0 && errno != EAGAIN && errno != EINTR) {
			s->wlen = 0;
			return -1;
		}
		size_t done = n < 0 ? 0 : (size_t)n;
		if (done < s->wlen) {
			/* keep order: the unsent rest goes before anything queued */
			size_t rest = s->wlen - done;
			char *nb = malloc(rest + (c->olen - c->ooff));
			if (!nb) {
				s->wlen = 0;
				return -1;
			}
			memcpy(nb, s->wbuf + done, rest);
			if (c->olen > c->ooff)
				memcpy(nb + rest, c->obuf + c->ooff, c->olen - c->ooff);
			free(c->obuf);
			c->olen = rest + c->olen - c->ooff;
			c->ooff = 0;
			c->obuf = nb;
		}
		s->wlen = 0;
	}
	for (;;) {
		if (c->ooff < c->olen) {
			bool more = (c->sf && c->sf_left) || c->mp;
			ssize_t n = send(c->fd, c->obuf + c->ooff, c->olen - c->ooff,
					 MSG_NOSIGNAL | (more ? MSG_MORE : 0));
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				return errno == EAGAIN ? 1 : -1;
			c->ooff += (size_t)n;
			set_state(c, CONN_SEND);
			continue;
		}
		if (c->obuf) {
			free(c->obuf);
			c->obuf = NULL;
			c->olen = c->ooff = 0;
		}
		if (c->sf && c->sf_left) {
			off_t off = (off_t)c->sf_off;
			size_t want =
				c->sf_left > SENDFILE_CHUNK ? SENDFILE_CHUNK : (size_t)c->sf_left;
			ssize_t n = sendfile(c->fd, c->sf->fd, &off, want);
			if (n < 0)
				return errno == EAGAIN ? 1 : -1;
			if (n == 0)
				return -1; /* the file shrank: Content-Length cannot be kept */
			c->sf_off += (uint64_t)n;
			c->sf_left -= (uint64_t)n;
			c->body_sent += (uint64_t)n;
			set_state(c, CONN_SEND);
			continue;
		}
		if (c->mp && multipart_next(c))
			continue;
		return 0;
	}
}

static void conn_wait(struct conn *c)
{
	if (c->in_epoll)
		return;
	struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET,
				 .data.ptr = c};
	if (epoll_ctl(c->srv->epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0) {
		pxe_log_msg(PXE_LOG_ERR, "epoll", "epoll_ctl: %s", strerror(errno));
		conn_close(c);
		return;
	}
	c->in_epoll = true;
}

/* ---------------------------------------------------------------- input */

static void ibuf_keep(struct conn *c, const char *data, size_t len)
{
	if (len == 0) {
		free(c->ibuf);
		c->ibuf = NULL;
		c->ilen = c->icap = 0;
		return;
	}
	if (data >= c->ibuf && c->ibuf && data < c->ibuf + c->icap) {
		memmove(c->ibuf, data, len);
		c->ilen = len;
		return;
	}
	if (len > c->icap) {
		char *nb = realloc(c->ibuf, len + 1024);
		if (!nb) {
			c->close_after = true;
			return;
		}
		c->ibuf = nb;
		c->icap = len + 1024;
	}
	memcpy(c->ibuf, data, len);
	c->ilen = len;
}

static bool has_output(const struct conn *c)
{
	return c->srv->wlen || c->olen > c->ooff || c->sf || c->mp;
}

/* Parse and answer the complete requests in data; keep the rest. */
static void conn_input(struct conn *c, const char *data, size_t len)
{
	struct httpd *s = c->srv;
	size_t used = 0;
	while (used < len && !c->close_after) {
		struct http_request req;
		struct reply rp;
		int r = http_request_parse(data + used, len - used, &s->rt.limits, &req);
		if (r == 0)
			break;
		memset(&rp, 0, sizeof(rp));
		c->req_start_ms = httpd_now_ms(s);
		if (r < 0) {
			http_error_reply(&rp, -r, false);
			req.keepalive = false;
			used = len;
		} else {
			http_handle(s, &req, &rp);
			used += (size_t)r;
		}
		emit(c, &req, &rp);
		reply_free(s, &rp);
		if (c->sf || c->mp || c->olen > c->ooff || s->wlen > HTTPD_SCRATCH / 2)
			break; /* send this first; the rest waits in ibuf */
	}
	enum conn_state before = c->state;
	ibuf_keep(c, data + used, len - used);
	if (has_output(c))
		set_state(c, CONN_SEND);
	else if (c->ilen && before != CONN_READ_HEAD)
		set_state(c, CONN_READ_HEAD);
	else if (!c->ilen && before != CONN_IDLE)
		set_state(c, CONN_IDLE);
}

/* One read. 1: go on (data handled or more may come), 0: drained, -1: closed. */
static int conn_read(struct conn *c)
{
	struct httpd *s = c->srv;
	char *dst;
	size_t cap;
	if (c->ilen == 0) {
		dst = s->rbuf;
		cap = sizeof(s->rbuf);
	} else {
		size_t limit = s->rt.limits.max_head + 1;
		if (c->icap - c->ilen < 1024) {
			size_t ncap = c->icap + (c->icap < limit ? limit : 4096);
			char *nb = realloc(c->ibuf, ncap);
			if (!nb) {
				conn_close(c);
				return -1;
			}
			c->ibuf = nb;
			c->icap = ncap;
		}
		dst = c->ibuf + c->ilen;
		cap = c->icap - c->ilen;
	}
	c->read_pending = false;
	ssize_t n = read(c->fd, dst, cap);
	if (n < 0) {
		if (errno == EAGAIN)
			return 0;
		if (errno == EINTR) {
			c->read_pending = true;
			return 1;
		}
		conn_close(c);
		return -1;
	}
	if (n == 0) { /* the client is gone, or half-closed with nothing to answer */
		conn_close(c);
		return -1;
	}
	c->read_pending = (size_t)n == cap; /* edge-triggered: maybe more */
	if (dst == s->rbuf) {
		conn_input(c, s->rbuf, (size_t)n);
	} else {
		c->ilen += (size_t)n;
		conn_input(c, c->ibuf, c->ilen);
	}
	return 1;
}

/* After an error reply: discard input until EOF (or the deadline). */
static void conn_drain(struct conn *c)
{
	for (int i = 0; i < 64; i++) {
		ssize_t n = read(c->fd, c->srv->rbuf, sizeof(c->srv->rbuf));
		if (n < 0 && errno == EAGAIN) {
			conn_wait(c);
			return;
		}
		if (n <= 0 && !(n < 0 && errno == EINTR)) {
			conn_close(c);
			return;
		}
	}
	conn_wait(c);
}

/* The response is out: close, linger, or back to reading. false: closed. */
static bool conn_response_done(struct conn *c)
{
	if (c->sf) {
		fc_release(&c->srv->fc, c->sf);
		c->sf = NULL;
	}
	free(c->mp);
	c->mp = NULL;
	log_deferred(c);
	if (c->close_after) {
		if (!c->linger) {
			conn_close(c);
			return false;
		}
		shutdown(c->fd, SHUT_WR);
		set_state(c, CONN_LINGER);
		conn_drain(c);
		return false;
	}
	set_state(c, c->ilen ? CONN_READ_HEAD : CONN_IDLE);
	return true;
}

/* Run the machine until it must wait for the socket (or closes). */
static void conn_drive(struct conn *c)
{
	bool reparse = false;
	for (;;) {
		if (c->state == CONN_SEND) {
			int r = conn_send(c);
			if (r < 0) {
				conn_close(c);
				return;
			}
			if (r > 0) {
				conn_wait(c);
				return;
			}
			if (!conn_response_done(c))
				return;
			reparse = c->ilen > 0;
			continue;
		}
		if (c->state == CONN_LINGER) {
			conn_drain(c);
			return;
		}
		if (reparse) {
			reparse = false;
			conn_input(c, c->ibuf, c->ilen);
			continue;
		}
		if (c->read_pending) {
			if (conn_read(c) < 0)
				return;
			continue;
		}
		if (c->peer_eof && c->state == CONN_IDLE) {
			conn_close(c);
			return;
		}
		conn_wait(c);
		return;
	}
}

void conn_event(struct conn *c, uint32_t events)
{
	if (events & EPOLLERR) {
		conn_close(c);
		return;
	}
	if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP))
		c->read_pending = true;
	if (events & EPOLLRDHUP)
		c->peer_eof = true;
	conn_drive(c);
}

void conn_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer)
{
	struct conn *c = calloc(1, sizeof(*c));
	if (!c) {
		close(fd);
		return;
	}
	c->srv = s;
	c->fd = fd;
	c->peer_addr = *peer;
	pxe_addr_format(&peer->u.sa, false, c->peer, sizeof(c->peer));
	c->next = s->conns;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	set_state(c, CONN_IDLE);
	c->read_pending = true; /* the request often arrives with the handshake */
	conn_drive(c);
}

static void send_408(struct conn *c)
{
	struct httpd *s = c->srv;
	struct reply rp;
	memset(&rp, 0, sizeof(rp));
	http_error_reply(&rp, 408, false);
	httpd_date_update(s);
	struct http_resp h = {.status = 408,
			      .version = 11,
			      .date = s->date,
			      .server = s->rt.server,
			      .content_type = rp.content_type,
			      .content_length = rp.mem_len};
	char buf[1024];
	size_t n = http_resp_head(buf, sizeof(buf) - rp.mem_len, &h);
	memcpy(buf + n, rp.mem, rp.mem_len);
	if (send(c->fd, buf, n + rp.mem_len, MSG_NOSIGNAL | MSG_DONTWAIT) > 0)
		shutdown(c->fd, SHUT_WR);
}

void conn_check_timeout(struct conn *c, uint64_t now)
{
	if (!c->deadline_ms || now < c->deadline_ms)
		return;
	if (c->state == CONN_READ_HEAD) {
		send_408(c);
		struct pxe_log_line l;
		pxe_log_begin(&l, PXE_LOG_INFO, "header-timeout");
		pxe_log_str(&l, "client", c->peer);
		pxe_log_uint(&l, "status", 408);
		pxe_log_end(&l);
		/* linger so that the 408 is read rather than reset */
		c->close_after = true;
		c->linger = true;
		set_state(c, CONN_LINGER);
		c->deadline_ms = now + LINGER_MS;
		conn_drain(c);
		return;
	}
	conn_close(c);
}

void conn_close(struct conn *c)
{
	struct httpd *s = c->srv;
	log_deferred(c);
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	close(c->fd);
	if (c->sf)
		fc_release(&s->fc, c->sf);
	free(c->mp);
	free(c->ibuf);
	free(c->obuf);
	free(c);
	httpd_conn_closed(s);
}
