/* SPDX-License-Identifier: MIT */
/* Listeners, the connection epoll set, timers: the libuv glue. */
#include "httpd.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "holder.h"
#include "log.h"
#include "sock.h"
#include "tls.h"

#define SWEEP_MS      500
#define ACCEPT_BATCH  128
#define EPOLL_BATCH   256
#define MAX_LISTENERS 32

uint64_t httpd_now_ms(const struct httpd *s)
{
	return uv_now(s->loop);
}

void httpd_date_update(struct httpd *s)
{
	time_t now = time(NULL);
	if (now != s->date_sec) {
		s->date_sec = now;
		http_date_format(now, s->date);
	}
}

static void on_accept(uv_poll_t *p, int status, int events);

/* A listener is polled while the server accepts at all (not at --maxconn,
 * not after EMFILE, not stopping) and, for a TLS one, while fewer than
 * --tls-max-handshakes handshakes run: past that cap TLS connections wait
 * in the kernel's backlog, and plain HTTP is still accepted. */
static void listeners_update(struct httpd *s)
{
	for (size_t i = 0; i < s->nlis; i++) {
		struct listener *l = &s->lis[i];
		bool want = s->accepting && !(l->tls && s->hs_paused);
		if (want == l->polling)
			continue;
		if (want)
			uv_poll_start(&l->poll, UV_READABLE, on_accept);
		else
			uv_poll_stop(&l->poll);
		l->polling = want;
	}
}

void httpd_accept_pause(struct httpd *s, bool pause)
{
	s->accepting = !pause;
	listeners_update(s);
}

void httpd_handshake_over(struct httpd *s)
{
	s->handshakes--;
	if (s->hs_paused && s->handshakes < (size_t)s->cfg->tls_max_handshakes) {
		s->hs_paused = false;
		listeners_update(s);
	}
}

/* At --tls-max-handshakes: stop taking TLS connections (a handshake costs
 * an RSA or DH private-key operation: a flood of ClientHellos must not take
 * the CPU from the downloads running). They wait in the backlog rather than
 * being closed, so a burst of firmware clients is served late, not lost. */
static bool handshake_cap(struct httpd *s)
{
	if (s->handshakes < (size_t)s->cfg->tls_max_handshakes)
		return false;
	s->hs_paused = true;
	s->hs_pauses++;
	listeners_update(s);
	uint64_t now = httpd_now_ms(s);
	if (!s->hs_warned_ms || now - s->hs_warned_ms > 10000) { /* once per 10 s */
		s->hs_warned_ms = now;
		pxe_log_msg(PXE_LOG_WARN, "tls-handshake",
			    "%zu handshakes in progress (--tls-max-handshakes): new TLS "
			    "connections wait in the backlog (%llu pauses so far)",
			    s->handshakes, (unsigned long long)s->hs_pauses);
	}
	return true;
}

static bool at_cap(const struct httpd *s)
{
	return s->cfg->maxconn > 0 && s->nconns >= (size_t)s->cfg->maxconn;
}

void httpd_conn_closed(struct httpd *s)
{
	if (s->maxconn_paused && !at_cap(s) && !s->stopping) {
		s->maxconn_paused = false;
		httpd_accept_pause(s, false);
	}
}

static void on_emfile_timer(uv_timer_t *t)
{
	struct httpd *s = t->data;
	if (!s->stopping && !s->maxconn_paused)
		httpd_accept_pause(s, false);
}

static void tls_accepted(struct httpd *s, int fd, const struct pxe_sockaddr *peer)
{
	if (!s->rt.tls) { /* a reload dropped --tls-cert: validate() keeps it for --tls-listen */
		close(fd);
		return;
	}
	struct conn_io io;
	if (tls_io_init(&io, s->rt.tls, fd) < 0) {
		close(fd);
		return;
	}
	conn_accepted_io(s, &io, peer);
}

static void on_accept(uv_poll_t *p, int status, int events)
{
	struct listener *l = p->data;
	struct httpd *s = l->srv;
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < ACCEPT_BATCH; i++) {
		if (at_cap(s)) { /* a real cap: the rest wait in the backlog */
			s->maxconn_paused = true;
			httpd_accept_pause(s, true);
			return;
		}
		if (l->tls && handshake_cap(s))
			return;
		struct pxe_sockaddr peer;
		peer.len = sizeof(peer.u);
		int fd = accept4(l->fd, &peer.u.sa, &peer.len, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				uint64_t now = httpd_now_ms(s);
				if (!s->accept_warned_ms ||
				    now - s->accept_warned_ms > 10000) { /* once per 10 s */
					s->accept_warned_ms = now;
					pxe_log_msg(
						PXE_LOG_WARN, "accept",
						"%s: pausing accept for 100 ms (%zu connections)",
						strerror(errno), s->nconns);
				}
				httpd_accept_pause(s, true);
				uv_timer_start(&s->emfile_timer, on_emfile_timer, 100, 0);
			}
			return; /* EAGAIN, or a connection reset before we took it */
		}
		if (l->tls)
			tls_accepted(s, fd, &peer);
		else
			conn_accepted(s, fd, &peer);
	}
}

static void on_epoll(uv_poll_t *p, int status, int events)
{
	struct httpd *s = p->data;
	struct epoll_event ev[EPOLL_BATCH];
	(void)status;
	(void)events;
	int n = epoll_wait(s->epfd, ev, EPOLL_BATCH, 0);
	for (int i = 0; i < n; i++)
		conn_event(ev[i].data.ptr, ev[i].events);
}

static void on_sweep(uv_timer_t *t)
{
	struct httpd *s = t->data;
	uint64_t now = httpd_now_ms(s);
	struct conn *next;
	for (struct conn *c = s->conns; c; c = next) {
		next = c->next;
		conn_check_timeout(c, now);
	}
	access_log_flush(&s->alog);
}

static int add_listener(struct httpd *s, int fd, bool tls)
{
	if (s->nlis == MAX_LISTENERS)
		return -EMFILE;
	int one = 1;
	/* accepted sockets inherit TCP_NODELAY: a reply is one write, and
	 * Nagle would hold back the next reply on a keep-alive connection */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	/* TCP_DEFER_ACCEPT (Linux's counterpart of FreeBSD's accf_http):
	 * the kernel hands over a connection when its request is there, so
	 * a new connection costs accept, read, send, close, without a read
	 * that finds nothing and an epoll registration for the wait. A
	 * client that stays silent is handed over after a second (one
	 * SYN-ACK retransmission) and then meets the usual timeouts. On
	 * 2 vCPUs this took 39% of the server's CPU time off Connection:
	 * close requests. */
	int defer = s->cfg->defer_accept || s->cfg->accf ? 1 : 0;
	setsockopt(fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof(defer));
	s->lis[s->nlis++] = (struct listener){.fd = fd, .srv = s, .tls = tls};
	return 0;
}

static int listen_activated(struct httpd *s, struct pxe_err *err)
{
	struct pxe_activated_fd fds[MAX_LISTENERS];
	int n = pxe_listen_fds(fds, MAX_LISTENERS);
	if (n < 0)
		return pxe_err_set(err, -n, "socket activation: %s", strerror(-n));
	for (int i = 0; i < n && i < MAX_LISTENERS; i++) {
		if (fds[i].type != SOCK_STREAM)
			continue;
		int fl = fcntl(fds[i].fd, F_GETFL);
		fcntl(fds[i].fd, F_SETFL, fl | O_NONBLOCK);
		/* FileDescriptorName=https (or tls) in the .socket unit */
		bool tls = !strcmp(fds[i].name, "https") || !strcmp(fds[i].name, "tls");
		if (tls && !s->rt.tls)
			return pxe_err_set(err, EINVAL,
					   "socket activation: socket '%s' needs --tls-cert and "
					   "--tls-key",
					   fds[i].name);
		add_listener(s, fds[i].fd, tls);
	}
	if (n > 0 && s->nlis == 0)
		return pxe_err_set(err, EINVAL, "socket activation: no stream socket passed");
	return (int)s->nlis;
}

static int bind_one(struct httpd *s, const struct pxe_sockaddr *a, unsigned flags, bool tls,
		    struct pxe_err *err)
{
	/* SO_REUSEADDR on TCP only allows a bind while old connections of
	 * the port are in TIME_WAIT; a second listener still gets EADDRINUSE
	 * (socket(7)), named with its holder */
	int fd = pxe_sock_bind(a, SOCK_STREAM, PXE_SOCK_REUSEADDR | flags, (int)s->cfg->backlog);
	if (fd < 0) {
		char msg[sizeof(err->msg)];
		pxe_bind_error(msg, sizeof(msg), &a->u.sa, SOCK_STREAM, fd);
		return pxe_err_set(err, -fd, "%s", msg);
	}
	return add_listener(s, fd, tls);
}

int httpd_listen(struct httpd *s, struct pxe_err *err)
{
	const struct httpd_config *cfg = s->cfg;
	s->lis = calloc(MAX_LISTENERS, sizeof(*s->lis));
	if (!s->lis)
		return -ENOMEM;
	int r = listen_activated(s, err);
	if (r != 0)
		return r < 0 ? r : 0;
	for (size_t i = 0; i < cfg->tls_listen.n; i++)
		if ((r = bind_one(s, &cfg->tls_listen.v[i], 0, true, err)) < 0)
			return r;
	for (size_t i = 0; i < cfg->listen.n; i++)
		if ((r = bind_one(s, &cfg->listen.v[i], 0, false, err)) < 0)
			return r;
	if (cfg->listen.n)
		return 0;
	/* --tls-listen alone: HTTPS only (no darkhttpd default listener
	 * beside it, which would take port 80 as root unasked) */
	if (cfg->tls_listen.n && cfg->port < 0 && !cfg->addr && !cfg->ipv6)
		return 0;
	/* darkhttpd: --addr/--port/--ipv6; port 8080, or 80 when root */
	int port = cfg->port >= 0 ? (int)cfg->port : getuid() == 0 ? 80 : 8080;
	const char *addr = cfg->addr ? cfg->addr : cfg->ipv6 ? "::" : "0.0.0.0";
	struct pxe_sockaddr a;
	char buf[300];
	/* a bare IPv6 address takes no port in pxe_addr_parse: bracket it */
	if (strchr(addr, ':') && addr[0] != '[')
		snprintf(buf, sizeof(buf), "[%s]", addr);
	else
		snprintf(buf, sizeof(buf), "%s", addr);
	if (pxe_addr_parse(buf, port, &a) < 0)
		return pxe_err_set(err, EINVAL, "--addr %s: not an IP address", addr);
	bool dual = cfg->ipv6 && !cfg->addr;
	return bind_one(s, &a, dual ? PXE_SOCK_DUALSTACK : 0, false, err);
}

int httpd_server_start(struct httpd *s)
{
	int r;
	unsigned char rnd[8];
	if (getrandom(rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
		memcpy(rnd, &s, sizeof(rnd) < sizeof(s) ? sizeof(rnd) : sizeof(s));
	snprintf(s->boundary, sizeof(s->boundary), "pxe-httpd-%02x%02x%02x%02x%02x%02x%02x%02x",
		 rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7]);
	s->wbuf = malloc(HTTPD_SCRATCH);
	if (!s->wbuf)
		return -ENOMEM;
	s->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (s->epfd < 0)
		return -errno;
	if ((r = uv_poll_init(s->loop, &s->ep_poll, s->epfd)) < 0)
		return r;
	s->ep_poll.data = s;
	uv_poll_start(&s->ep_poll, UV_READABLE, on_epoll);
	uv_timer_init(s->loop, &s->sweep);
	s->sweep.data = s;
	uv_timer_start(&s->sweep, on_sweep, SWEEP_MS, SWEEP_MS);
	uv_timer_init(s->loop, &s->emfile_timer);
	s->emfile_timer.data = s;
	for (size_t i = 0; i < s->nlis; i++) {
		if ((r = uv_poll_init(s->loop, &s->lis[i].poll, s->lis[i].fd)) < 0)
			return r;
		s->lis[i].poll.data = &s->lis[i];
		s->lis[i].polling = false;
	}
	httpd_accept_pause(s, false);
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	(void)h;
}

void httpd_server_stop(struct httpd *s)
{
	s->stopping = true;
	httpd_accept_pause(s, true);
	while (s->conns)
		conn_close(s->conns);
	access_log_flush(&s->alog);
	for (size_t i = 0; i < s->nlis; i++) {
		uv_close((uv_handle_t *)&s->lis[i].poll, on_closed);
		close(s->lis[i].fd);
	}
	uv_close((uv_handle_t *)&s->ep_poll, on_closed);
	uv_close((uv_handle_t *)&s->sweep, on_closed);
	uv_close((uv_handle_t *)&s->emfile_timer, on_closed);
}
