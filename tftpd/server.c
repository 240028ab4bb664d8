/* SPDX-License-Identifier: MIT */
/* Listening sockets and requests: each RRQ/WRQ becomes a transfer
 * (conn.c) after its file is opened and its options negotiated. */
#include "server_int.h"

#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "udp.h"

/* Retransmit timing: the first wait before a round trip is measured, and
 * the floor under the measured one (a PXE ROM answers within
 * milliseconds; loopback within microseconds). */
#define RTO_INIT_US 250000
#define RTO_MIN_US  50000

/* ------------------------------------------------------------ hash */

static size_t addr_hash(const struct pxe_sockaddr *a)
{
	const uint8_t *p;
	size_t n;
	uint32_t h = 2166136261u;
	if (a->u.sa.sa_family == AF_INET) {
		p = (const uint8_t *)&a->u.in4.sin_addr;
		n = 4;
		h = (h ^ a->u.in4.sin_port) * 16777619u;
	} else {
		p = (const uint8_t *)&a->u.in6.sin6_addr;
		n = 16;
		h = (h ^ a->u.in6.sin6_port) * 16777619u;
	}
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % TFTP_HASH_BUCKETS;
}

void tftp_hash_add(struct tftpd *s, struct tftp_conn *c)
{
	size_t b = addr_hash(&c->peer);
	c->hnext = s->hash[b];
	s->hash[b] = c;
	c->next = s->all;
	c->prev = NULL;
	if (s->all)
		s->all->prev = c;
	s->all = c;
	s->nconns++;
}

void tftp_hash_del(struct tftpd *s, struct tftp_conn *c)
{
	for (struct tftp_conn **pp = &s->hash[addr_hash(&c->peer)]; *pp; pp = &(*pp)->hnext) {
		if (*pp == c) {
			*pp = c->hnext;
			break;
		}
	}
	if (c->prev)
		c->prev->next = c->next;
	else if (s->all == c)
		s->all = c->next;
	if (c->next)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
	s->nconns--;
}

struct tftp_conn *tftp_hash_find(struct tftpd *s, const struct pxe_sockaddr *peer)
{
	for (struct tftp_conn *c = s->hash[addr_hash(peer)]; c; c = c->hnext)
		if (pxe_addr_equal(&c->peer.u.sa, &peer->u.sa))
			return c;
	return NULL;
}

/* ------------------------------------------------------------ requests */

/* How often suppressed error replies are reported. */
#define ERRLIMIT_REPORT_US 10000000u

/* An ERROR from a listen socket to an address no transfer has proven
 * (srclimit.h): false when the address's budget is spent (then nothing is
 * sent, and the count is reported once per ERRLIMIT_REPORT_US). */
static bool listen_error(struct tftp_listener *l, const struct pxe_sockaddr *from,
			 const struct pxe_sockaddr *local, int ifindex, uint16_t code,
			 const char *msg)
{
	struct tftpd *s = l->srv;
	uint64_t now = tftp_now_us();
	bool ok = tftp_srclimit_allow(&s->errlimit, from, now);
	if (ok)
		tftp_udp_send_error(l->fd, from, local, ifindex, code, msg);
	if (s->errlimit.suppressed != s->errlimit_reported &&
	    now - s->errlimit_report_us >= ERRLIMIT_REPORT_US) {
		pxe_log_msg(PXE_LOG_WARN, "ratelimit",
			    "%llu error replies not sent (more than %d/s to one address: a flood, "
			    "maybe with forged sources)",
			    (unsigned long long)(s->errlimit.suppressed - s->errlimit_reported),
			    TFTP_SRCLIMIT_RATE);
		s->errlimit_reported = s->errlimit.suppressed;
		s->errlimit_report_us = now;
	}
	return ok;
}

static void log_refused(const struct pxe_sockaddr *from, const struct tftp_req *r, int code,
			const char *msg)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_INFO, "transfer");
	if (!l.active)
		return;
	pxe_log_addr(&l, "client", &from->u.sa);
	pxe_log_str(&l, "op", r->op == TFTP_WRQ ? "write" : "read");
	pxe_log_strn(&l, "file", r->filename, r->filename_len);
	pxe_log_str(&l, "status", "refused");
	pxe_log_int(&l, "error", code);
	pxe_log_str(&l, "reason", msg ? msg : tftp_error_text((uint16_t)code));
	pxe_log_end(&l);
}

static struct tftp_timing timing(const struct tftpd_config *cfg, const struct tftp_neg *n)
{
	struct tftp_timing t;
	/* RFC 2349: the client's timeout is the retransmit interval; we use
	 * it as the ceiling and retransmit sooner once the round trip is
	 * known (a lost block then costs milliseconds, not seconds). */
	t.timeout_us = n->timeout_s ? (uint64_t)n->timeout_s * 1000000u
				    : (uint64_t)cfg->timeout_ms * 1000u;
	t.rto_init_us = t.timeout_us < RTO_INIT_US ? t.timeout_us : RTO_INIT_US;
	t.rto_min_us = t.timeout_us < RTO_MIN_US ? t.timeout_us : RTO_MIN_US;
	t.retries = (unsigned)cfg->retries;
	return t;
}

static void negotiate(struct tftpd *s, struct tftp_conn *c, const struct tftp_req *r, uint64_t size,
		      uint64_t now_us)
{
	const struct tftpd_config *cfg = s->rt->cfg;
	bool mapped = c->peer.u.sa.sa_family == AF_INET6 &&
		      IN6_IS_ADDR_V4MAPPED(&c->peer.u.in6.sin6_addr);
	struct tftp_limits lim = {
		.blksize_max = tftp_mtu_blksize(&s->mtu, cfg->blksize_max, c->peer.u.sa.sa_family,
						mapped, c->ifindex, now_us),
		.windowsize_max = (uint32_t)cfg->windowsize_max,
		.rollover = (int)cfg->rollover,
		.refuse = cfg->refuse_bits,
	};
	tftp_negotiate(r, &lim, size, &c->neg);
	if (c->neg.noack)
		c->oack_len = tftp_build_oack(c->oack, sizeof(c->oack), c->neg.oack, c->neg.noack);
	struct tftp_timing t = timing(cfg, &c->neg);
	bool oack = c->oack_len > 0;
	if (c->write)
		tftp_rx_init(&c->rx, c->neg.blksize, c->neg.windowsize, c->neg.rollover, oack, &t);
	else
		tftp_tx_init(&c->tx, size, c->neg.blksize, c->neg.windowsize, c->neg.rollover, oack,
			     &t);
}

static void start_request(struct tftp_listener *l, const struct tftp_req *r,
			  const struct pxe_sockaddr *from, const struct pxe_sockaddr *local,
			  int ifindex)
{
	struct tftpd *s = l->srv;
	uint64_t now = tftp_now_us();
	struct tftp_conn *c = tftp_conn_new(s, now);
	if (!c)
		return;
	c->peer = *from;
	c->local = *local;
	c->ifindex = ifindex;
	c->write = r->op == TFTP_WRQ;
	c->mode = r->mode;
	c->file = strndup(r->filename, r->filename_len);
	const char *msg = NULL;
	struct stat st = {0};
	int code = c->write ? tftp_open_write(c, r, now, &msg) : tftp_open_read(c, r, &st, &msg);
	if (code) {
		if (listen_error(l, from, local, ifindex, (uint16_t)code, msg))
			log_refused(from, r, code, msg);
		tftp_conn_free_unstarted(c);
		return;
	}
	negotiate(s, c, r, (uint64_t)st.st_size, now);
	int e = tftp_conn_start(c, l);
	if (e < 0) {
		if (listen_error(l, from, local, ifindex, TFTP_EUNDEF, "Server busy"))
			log_refused(from, r, 0, strerror(-e));
		tftp_conn_free_unstarted(c);
	}
}

static uint32_t req_hash(const uint8_t *buf, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ buf[i]) * 16777619u;
	return h;
}

/* A retransmission of the request that started c. */
static bool same_request(const struct tftp_conn *c, const uint8_t *buf, size_t n)
{
	return c->req_len == n && c->req_hash == req_hash(buf, n);
}

static void handle_request(struct tftp_listener *l, const uint8_t *buf, size_t n,
			   const struct pxe_sockaddr *from, const struct pxe_sockaddr *local,
			   int ifindex)
{
	struct tftpd *s = l->srv;
	struct tftp_req r;
	int e = tftp_parse_req(buf, n, &r);
	if (e < 0) {
		listen_error(l, from, local, ifindex, TFTP_EBADOP,
			     e == -ENOTSUP ? "Unsupported mode" : "Malformed request");
		return;
	}
	if ((size_t)s->nconns >= (size_t)s->rt->cfg->max_transfers) {
		if (listen_error(l, from, local, ifindex, TFTP_EUNDEF, "Server busy"))
			log_refused(from, &r, 0, "server busy (max-transfers)");
		return;
	}
	start_request(l, &r, from, local, ifindex);
	struct tftp_conn *c = tftp_hash_find(s, from);
	if (c) {
		c->req_len = n;
		c->req_hash = req_hash(buf, n);
	}
}

static void handle_datagram(struct tftp_listener *l, const uint8_t *buf, size_t n,
			    const struct pxe_sockaddr *from, const struct pxe_sockaddr *local,
			    int ifindex)
{
	struct tftpd *s = l->srv;
	if (n < 2 || s->stopping)
		return;
	uint16_t op = tftp_get16(buf);
	/* A transfer with this client address and port already runs: a
	 * repeated RRQ (the client's retransmit) must not start a second one;
	 * in single-port mode the packet is that transfer's. */
	struct tftp_conn *c = tftp_hash_find(s, from);
	if (c && (op == TFTP_RRQ || op == TFTP_WRQ) && !same_request(c, buf, n)) {
		/* A different request from the same port: the client gave up
		 * on the old transfer without an ERROR (firmware that reads
		 * tsize from the OACK and asks again). */
		tftp_conn_finish(c,
				 c->write || c->tx.state != TFTP_XS_OACK ? TFTP_ST_ABORTED
									 : TFTP_ST_DECLINED,
				 "new request from the same port");
		c = NULL;
	}
	if (c) {
		if (!c->own_sock && op != TFTP_RRQ && op != TFTP_WRQ)
			tftp_conn_packet(c, buf, n);
		return;
	}
	if (op == TFTP_RRQ || op == TFTP_WRQ) {
		handle_request(l, buf, n, from, local, ifindex);
	} else if (s->rt->cfg->single_port && op != TFTP_ERROR) {
		listen_error(l, from, local, ifindex, TFTP_EBADID, NULL);
	}
}

static void listener_cb(uv_poll_t *h, int status, int events)
{
	struct tftp_listener *l = h->data;
	struct tftpd *s = l->srv;
	(void)events;
	(void)status;
	s->io_events++;
	for (int i = 0; i < 64; i++) {
		struct pxe_sockaddr from, local;
		union {
			struct cmsghdr h;
			uint8_t b[256];
		} cb;
		struct iovec iov = {.iov_base = s->rxbuf, .iov_len = sizeof(s->rxbuf)};
		struct msghdr m = {.msg_name = &from.u,
				   .msg_namelen = sizeof(from.u),
				   .msg_iov = &iov,
				   .msg_iovlen = 1,
				   .msg_control = cb.b,
				   .msg_controllen = sizeof(cb.b)};
		ssize_t n = recvmsg(l->fd, &m, 0);
		if (n < 0) {
			if (errno == EINTR || errno == ECONNREFUSED)
				continue;
			return;
		}
		from.len = m.msg_namelen;
		int ifindex;
		tftp_udp_read_pktinfo(&m, l->fd, &local, &ifindex);
		handle_datagram(l, s->rxbuf, (size_t)n, &from, &local, ifindex);
	}
}

/* ------------------------------------------------------------ server */

/* CPUs this process may run on: busy-poll = auto is off with one. */
static int usable_cpus(void)
{
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) < 0)
		return 2;
	return CPU_COUNT(&set);
}

/* The busy-poll window as configured (at start and on every reload). */
static void spin_setup(struct tftpd *s)
{
	const struct tftpd_config *cfg = s->rt->cfg;
	if (!cfg->busy_poll_auto)
		tftp_spin_fixed(&s->spin, (uint64_t)cfg->busy_poll_us * 1000u);
	else if (!tftp_spin_auto(&s->spin, usable_cpus()))
		pxe_log_msg(PXE_LOG_INFO, "busy-poll",
			    "auto: off, this process may use one CPU only");
}

struct tftpd *tftpd_new(uv_loop_t *loop, const struct tftpd_runtime *rt)
{
	struct tftpd *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->loop = loop;
	s->rt = rt;
	spin_setup(s);
	return s;
}

const struct tftpd_runtime *tftpd_set_runtime(struct tftpd *s, const struct tftpd_runtime *rt)
{
	const struct tftpd_runtime *old = s->rt;
	s->rt = rt;
	spin_setup(s);
	return old;
}

int tftpd_listen_fd(struct tftpd *s, int fd)
{
	struct pxe_sockaddr a;
	a.len = sizeof(a.u);
	if (getsockname(fd, &a.u.sa, &a.len) < 0)
		return -errno;
	int r = tftp_udp_want_pktinfo(fd, a.u.sa.sa_family);
	if (r < 0)
		return r;
	struct tftp_listener *l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->srv = s;
	l->fd = fd;
	l->family = a.u.sa.sa_family;
	r = uv_poll_init(s->loop, &l->poll, fd);
	if (r < 0) {
		free(l);
		return r;
	}
	l->poll.data = l;
	uv_poll_start(&l->poll, UV_READABLE, listener_cb);
	l->next = s->listeners;
	s->listeners = l;
	return 0;
}

size_t tftpd_active(const struct tftpd *s)
{
	return s->nconns;
}

/* Something to spin for: transfers run, and the server is not stopping. */
static bool transfers_run(const struct tftpd *s)
{
	return s->nconns > 0 && !s->stopping;
}

/* Busy polling (like the kernel's net.core.busy_poll for NIC queues):
 * while transfers run, look for the next packet without sleeping for a
 * while after the last one. A sleeping server is woken by the client's
 * ACK; on a virtual machine that wake-up (an IPI through the hypervisor)
 * costs more than the whole rest of a lock-step round trip, and its cost
 * lands on the client's send. How long: busy-poll microseconds, or with
 * auto what spin.c learns from the gaps between packets. Never without a
 * transfer. False when the loop has run out. */
static bool spin_after_packet(struct tftpd *s)
{
	bool more = tftp_spin_start(&s->spin, uv_hrtime(), transfers_run(s));
	while (more) {
		unsigned before = s->io_events;
		if (!uv_run(s->loop, UV_RUN_NOWAIT))
			return false;
		enum tftp_spin_next next = tftp_spin_polled(
			&s->spin, uv_hrtime(), s->io_events != before, transfers_run(s));
		if (next == TFTP_SPIN_YIELD)
			sched_yield();
		more = next != TFTP_SPIN_SLEEP;
	}
	return true;
}

void tftpd_run(struct tftpd *s)
{
	uv_loop_configure(s->loop, UV_METRICS_IDLE_TIME);
	for (;;) {
		unsigned woke = s->io_events;
		uint64_t idle0 = uv_metrics_idle_time(s->loop);
		if (!uv_run(s->loop, UV_RUN_ONCE))
			return;
		bool packet = s->io_events != woke;
		tftp_spin_slept(&s->spin, uv_metrics_idle_time(s->loop) - idle0, packet,
				s->nconns > 0);
		/* A timer or a signal, not a packet: sleep again. */
		if (packet && !spin_after_packet(s))
			return;
	}
}

static void listener_closed(uv_handle_t *h)
{
	free(h->data);
}

void tftpd_stop(struct tftpd *s)
{
	s->stopping = true;
	while (s->all) {
		struct tftp_conn *c = s->all;
		if (!(c->write && c->rx.state == TFTP_XS_DALLY))
			tftp_udp_send_error(c->sock, &c->peer, c->own_sock ? NULL : &c->local,
					    c->ifindex, TFTP_EUNDEF, "Server shutting down");
		tftp_conn_finish(c, TFTP_ST_ABORTED, "server stopping");
	}
	for (struct tftp_listener *l = s->listeners, *n; l; l = n) {
		n = l->next;
		uv_close((uv_handle_t *)&l->poll, listener_closed);
		close(l->fd);
	}
	s->listeners = NULL;
}

void tftpd_free(struct tftpd *s)
{
	if (!s)
		return;
	free(s->buf);
	free(s);
}
