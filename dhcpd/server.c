/* pxe-dhcpd event loop. Requests are read in batches from one UDP socket
 * (IP_PKTINFO tells the interface and our address on it), up to RX_VLEN
 * per recvmmsg; each is decided by dhcp_handle; replies are queued
 * and leave with one sendmmsg at the end of the loop iteration (uv_check);
 * lease changes are buffered in the journal, which is then written and
 * fdatasynced once, and only after that are the ACKs of that batch sent. */
#include <errno.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "log.h"
#include "config_spec.h"
#include "ping.h"
#include "script.h"
#include "server.h"
#include "sock.h"

/* requests per wakeup and socket: the other socket gets its turn */
#define RX_BATCH 256
#define RX_VLEN  32 /* datagrams per recvmmsg */

/* Everything recvmmsg fills: per datagram a buffer one byte longer than
 * the largest message (so a longer one shows), its source and its
 * control data (IP_PKTINFO). */
struct dhcp_rxq {
	struct mmsghdr mm[RX_VLEN];
	struct iovec iov[RX_VLEN];
	struct sockaddr_in from[RX_VLEN];
	_Alignas(struct cmsghdr) char cb[RX_VLEN][256];
	uint8_t buf[RX_VLEN][DHCP_MAX_MSG + 1];
};

static int64_t now_s(void)
{
	return (int64_t)time(NULL);
}

/* ---- interfaces ---- */

static void resolve_ifaces(struct dhcpd *d)
{
	free(d->ifaces);
	d->ifaces = NULL;
	d->n_ifaces = 0;
	const struct pxe_strlist *l = &d->cfg->interface;
	if (!l->n)
		return;
	d->ifaces = calloc(l->n, sizeof(int));
	if (!d->ifaces)
		return;
	for (size_t i = 0; i < l->n; i++) {
		unsigned idx = if_nametoindex(l->v[i]);
		d->ifaces[d->n_ifaces++] = idx ? (int)idx : -1; /* -1: not there (yet) */
	}
}

static bool iface_allowed(const struct dhcpd *d, int ifindex)
{
	if (!d->cfg->interface.n)
		return true;
	for (size_t i = 0; i < d->n_ifaces; i++)
		if (d->ifaces[i] == ifindex)
			return true;
	return false;
}

/* Ranges from the config, plus our own addresses as reserved ones so that
 * a range that covers the server never hands out its address. */
static int apply_ranges(struct dhcpd *d, const struct dhcpd_config *c)
{
	size_t n = c->n_reserved;
	uint32_t *rsv = malloc((n + 64) * sizeof(*rsv));
	if (!rsv)
		return -ENOMEM;
	if (n) /* a proxy config has no reserved addresses (NULL) */
		memcpy(rsv, c->reserved, n * sizeof(*rsv));
	struct ifaddrs *ifa, *i;
	if (getifaddrs(&ifa) == 0) {
		for (i = ifa; i && n < c->n_reserved + 64; i = i->ifa_next)
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET)
				rsv[n++] =
					ntohl(((struct sockaddr_in *)i->ifa_addr)->sin_addr.s_addr);
		freeifaddrs(ifa);
	}
	int r = dhcp_leases_set_ranges(d->leases, c->ranges, c->n_ranges, rsv, n);
	free(rsv);
	return r;
}

/* ---- logging ---- */

static void log_request(const struct dhcp_msg *m, int type, const struct dhcp_out *o, int ifindex)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, o->type || o->journal ? PXE_LOG_INFO : PXE_LOG_DEBUG, "dhcp");
	if (!l.active)
		return;
	char xid[16], ip[INET_ADDRSTRLEN], ifn[IF_NAMESIZE];
	snprintf(xid, sizeof(xid), "0x%08x", m->xid);
	pxe_log_str(&l, "type", dhcp_msg_type_name(type));
	pxe_log_mac(&l, "mac", m->chaddr, m->hlen <= 16 ? m->hlen : 16);
	pxe_log_str(&l, "xid", xid);
	if (ifindex > 0 && if_indextoname((unsigned)ifindex, ifn))
		pxe_log_str(&l, "iface", ifn);
	if (m->giaddr)
		pxe_log_str(&l, "relay", inet_ntop(AF_INET, &m->giaddr, ip, sizeof(ip)));
	if (o->type)
		pxe_log_str(&l, "reply", dhcp_msg_type_name(o->type));
	if (o->yiaddr)
		pxe_log_str(&l, "ip", inet_ntop(AF_INET, &o->yiaddr, ip, sizeof(ip)));
	if (o->journal)
		pxe_log_str(&l, "lease", dhcp_jevent_name(o->ev));
	if (o->journal && o->lease_copy.hostname[0])
		pxe_log_str(&l, "hostname", o->lease_copy.hostname);
	if (o->why)
		pxe_log_str(&l, "why", o->why);
	pxe_log_end(&l);
}

/* One line per boot decision: which firmware, which section, which file. */
static void log_pxe(const struct dhcp_msg *m, const struct dhcp_pxe_decision *dec,
		    const struct dhcp_rx *rx)
{
	struct pxe_log_line l;
	const struct dhcp_pxe_client *c = &dec->client;
	pxe_log_begin(&l, PXE_LOG_INFO, "pxe");
	if (!l.active)
		return;
	char xid[16];
	snprintf(xid, sizeof(xid), "0x%08x", m->xid);
	pxe_log_mac(&l, "mac", m->chaddr, m->hlen <= 16 ? m->hlen : 16);
	pxe_log_str(&l, "xid", xid);
	pxe_log_str(&l, "type", dhcp_msg_type_name(dhcp_msg_type(m)));
	if (rx->on_4011)
		pxe_log_uint(&l, "port", DHCP_PORT_PXE);
	pxe_log_str(&l, "arch", c->arch_known ? c->arch_name : "unknown");
	if (c->arch_known)
		pxe_log_uint(&l, "arch_code", c->arch);
	pxe_log_str(&l, "class", dhcp_pxe_client_class(c));
	if (c->rpi != DHCP_PXE_RPI_NONE)
		pxe_log_str(&l, "rpi", dhcp_pxe_rpi_name(c->rpi));
	if (c->has_boot_item)
		pxe_log_uint(&l, "item", c->boot_item_type);
	pxe_log_str(&l, "boot", dec->boot ? dec->boot->pxe.name : "-");
	pxe_log_str(&l, "file", dec->file[0] ? dec->file : "-");
	if (!dec->file[0] && dec->why)
		pxe_log_str(&l, "why", dec->why);
	if (dec->warn)
		pxe_log_str(&l, "warn", dec->warn);
	pxe_log_end(&l);
}

/* ---- replies ---- */

static struct dhcp_pending *make_pending(const struct dhcp_msg *m, const struct dhcp_out *o,
					 const struct dhcp_rx *rx)
{
	struct dhcp_pending *p = malloc(sizeof(*p) + o->len);
	if (!p)
		return NULL;
	p->dest = o->dest;
	p->dst_addr = o->dst_addr;
	p->dst_port = o->dst_port;
	p->due_ms = 0;
	p->local_addr = rx->local_addr;
	p->ifindex = rx->ifindex;
	p->htype = m->htype;
	p->hlen = m->hlen;
	memcpy(p->chaddr, m->chaddr, 16);
	p->len = o->len;
	memcpy(p->buf, o->buf, o->len);
	return p;
}

static void queue_reply(struct dhcpd *d, struct dhcp_pending *p)
{
	if (d->n_pend == d->cap_pend) {
		size_t nc = d->cap_pend ? d->cap_pend * 2 : 256;
		struct dhcp_pending **np = realloc(d->pend, nc * sizeof(*np));
		if (!np) {
			free(p);
			return;
		}
		d->pend = np;
		d->cap_pend = nc;
	}
	d->pend[d->n_pend++] = p;
}

/* reply-delay: replies wait in d->delayed until due; one timer serves
 * them all (delays are short and few clients have them). */
static void on_delay(uv_timer_t *t);

static void arm_delay(struct dhcpd *d)
{
	int64_t next = -1;
	for (size_t i = 0; i < d->n_delayed; i++)
		if (next < 0 || d->delayed[i]->due_ms < next)
			next = d->delayed[i]->due_ms;
	if (next < 0)
		return;
	int64_t now = (int64_t)uv_now(d->loop);
	uv_timer_start(&d->delay_timer, on_delay, next > now ? (uint64_t)(next - now) : 0, 0);
}

static void on_delay(uv_timer_t *t)
{
	struct dhcpd *d = t->data;
	int64_t now = (int64_t)uv_now(d->loop);
	size_t k = 0;
	for (size_t i = 0; i < d->n_delayed; i++) {
		struct dhcp_pending *p = d->delayed[i];
		if (p->due_ms <= now)
			dhcp_send_queue(d, p);
		else
			d->delayed[k++] = p;
	}
	d->n_delayed = k;
	dhcp_send_flush(d); /* a timer callback: the loop may sleep next */
	arm_delay(d);
}

static void delay_reply(struct dhcpd *d, struct dhcp_pending *p, long long ms)
{
	if (d->n_delayed >= DHCP_MAX_DELAYED) { /* a storm: no room to wait */
		dhcp_send_queue(d, p);
		return;
	}
	uv_update_time(d->loop); /* the delay counts from now, not the loop's start */
	p->due_ms = (int64_t)uv_now(d->loop) + ms;
	d->delayed[d->n_delayed++] = p;
	arm_delay(d);
}

static void journal_event(struct dhcpd *d, enum dhcp_jevent ev, const struct dhcp_lease *l)
{
	if (dhcp_journal_add(&d->journal, now_s(), ev, l) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "cannot buffer a lease line");
	dhcp_script_event(d->script, ev, l);
}

static void handle_packet(struct dhcpd *d, const uint8_t *buf, size_t len, const struct dhcp_rx *rx,
			  struct dhcp_msg *m, struct dhcp_out *o)
{
	if (dhcp_parse(buf, len, m) < 0) {
		pxe_log_msg(PXE_LOG_DEBUG, "dhcp", "malformed packet of %zu bytes ignored", len);
		return;
	}
	int type = dhcp_msg_type(m);
	dhcp_handle(&d->ctx, m, rx, now_s(), o);
	if (o->boot.made)
		log_pxe(m, &o->boot, rx);
	log_request(m, type, o, rx->ifindex);
	if (o->journal)
		journal_event(d, o->ev, &o->lease_copy);
	if (o->probe) {
		uint32_t a = o->probe_addr;
		if (d->pinger && dhcp_ping_start(d->pinger, a, (unsigned)d->cfg->ping_timeout_ms,
						 buf, len, rx) == 0)
			return;
		/* no check possible: offer at once */
		struct dhcp_lease *l = dhcp_lease_by_addr(d->leases, a);
		if (l)
			l->probing = false;
		handle_packet(d, buf, len, rx, m, o);
		return;
	}
	if (!o->type)
		return;
	struct dhcp_pending *p = make_pending(m, o, rx);
	if (!p)
		return;
	if (o->sync) {
		queue_reply(d, p);
	} else if (o->boot.made && o->boot.delay_ms > 0) {
		delay_reply(d, p, o->boot.delay_ms);
	} else {
		dhcp_send_queue(d, p);
	}
}

/* A ping-check is over: quarantine an address that answered, then handle
 * the waiting request again (it gets an offer, or a probe of another
 * address). */
static void ping_done(void *ctx, uint32_t addr, bool in_use, const uint8_t *req, size_t len,
		      const struct dhcp_rx *rx)
{
	struct dhcpd *d = ctx;
	struct dhcp_lease *l = dhcp_lease_by_addr(d->leases, addr);
	if (in_use) {
		struct in_addr a = {.s_addr = htonl(addr)};
		pxe_log_msg(PXE_LOG_WARN, "ping", "%s answers a ping: quarantined", inet_ntoa(a));
		if (l) {
			dhcp_lease_decline(d->leases, l, now_s() + d->cfg->decline_time_ms / 1000);
			journal_event(d, JEV_DECLINE, l);
		}
	} else if (l) {
		l->probing = false;
	}
	struct dhcp_rx r = *rx;
	memcpy(d->rxbuf, req, len); /* the probe's slot may be reused at once */
	handle_packet(d, d->rxbuf, len, &r, d->msg, d->out);
	dhcp_send_flush(d); /* maybe a timer callback: the loop may sleep next */
}

static bool read_pktinfo(struct msghdr *mh, struct dhcp_rx *rx)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			rx->ifindex = pi.ipi_ifindex;
			rx->local_addr = ntohl(pi.ipi_spec_dst.s_addr);
			return true;
		}
	}
	return false;
}

/* One datagram of a recvmmsg batch: the checks, then the request. */
static void read_one(struct dhcpd *d, struct dhcp_rxq *q, int i, bool on_4011)
{
	size_t n = q->mm[i].msg_len;
	struct dhcp_rx rx = {.on_4011 = on_4011,
			     .src_addr = q->from[i].sin_addr.s_addr,
			     .src_port = ntohs(q->from[i].sin_port)};
	d->stats_rx++;
	if (!read_pktinfo(&q->mm[i].msg_hdr, &rx) || !iface_allowed(d, rx.ifindex) ||
	    n > DHCP_MAX_MSG)
		return;
	/* A 4011 request comes from a configured client (ciaddr): a source
	 * without an address or port cannot be answered. */
	if (on_4011 && (!rx.src_addr || !rx.src_port))
		return;
	handle_packet(d, q->buf[i], n, &rx, d->msg, d->out);
}

static struct dhcp_rxq *rxq_new(void)
{
	struct dhcp_rxq *q = malloc(sizeof(*q));
	if (!q)
		return NULL;
	for (unsigned i = 0; i < RX_VLEN; i++) {
		q->iov[i] = (struct iovec){.iov_base = q->buf[i], .iov_len = sizeof(q->buf[i])};
		q->mm[i].msg_hdr = (struct msghdr){.msg_name = &q->from[i],
						   .msg_iov = &q->iov[i],
						   .msg_iovlen = 1,
						   .msg_control = q->cb[i]};
	}
	return q;
}

/* The kernel writes back the name and control lengths: set them anew. */
static void rxq_reset(struct dhcp_rxq *q, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		q->mm[i].msg_hdr.msg_namelen = sizeof(q->from[i]);
		q->mm[i].msg_hdr.msg_controllen = sizeof(q->cb[i]);
	}
}

/* Up to RX_BATCH requests, RX_VLEN per system call, handled in the order
 * they arrived. A short batch means the socket is empty: no further call
 * just to hear EAGAIN. */
static void read_socket(struct dhcpd *d, int fd, bool on_4011)
{
	struct dhcp_rxq *q = d->rxq;
	for (unsigned got = 0; got < RX_BATCH;) {
		unsigned want = RX_BATCH - got < RX_VLEN ? RX_BATCH - got : RX_VLEN;
		rxq_reset(q, want);
		int n = recvmmsg(fd, q->mm, want, MSG_DONTWAIT, NULL);
		if (n <= 0)
			break;
		for (int i = 0; i < n; i++)
			read_one(d, q, i, on_4011);
		got += (unsigned)n;
		if ((unsigned)n < want)
			break;
	}
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcpd *d = h->data;
	(void)events;
	if (status < 0)
		return;
	if (h == &d->poll4011)
		read_socket(d, d->fd4011, true);
	else
		read_socket(d, d->fd, false);
}

static void deliver(struct dhcpd *d, struct dhcp_pending **pend, size_t n, int result,
		    const char *path)
{
	if (result < 0) /* not on disk: no ACK; the clients retry */
		pxe_log_msg(PXE_LOG_ERR, "journal", "%s: %s; %zu ACKs not sent", path,
			    strerror(-result), n);
	for (size_t i = 0; i < n; i++) {
		if (result == 0)
			dhcp_send_queue(d, pend[i]);
		else
			free(pend[i]);
	}
	dhcp_send_flush(d); /* the ACKs at once, in one sendmmsg */
}

static void maybe_compact(struct dhcpd *d)
{
	if (d->syncing || !dhcp_journal_wants_compaction(&d->journal, dhcp_leases_count(d->leases)))
		return;
	struct pxe_err err;
	if (dhcp_journal_compact(&d->journal, d->leases, now_s(), &err) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "compaction failed: %s", err.msg);
}

/* Synchronous flush (stopping): the rest of the lines, then their ACKs. */
static void finish_sync(struct dhcpd *d)
{
	int r = dhcp_journal_flush(&d->journal);
	deliver(d, d->pend, d->n_pend, r, d->journal.path);
	d->n_pend = 0;
}

static void sync_work(uv_work_t *w)
{
	struct dhcp_sync *s = w->data;
	s->result = dhcp_journal_write_sync(s->fd, s->buf, s->len);
}

static void sync_done(uv_work_t *w, int status)
{
	struct dhcp_sync *s = w->data;
	struct dhcpd *d = s->d;
	if (status < 0 && s->result == 0)
		s->result = status;
	deliver(d, s->pend, s->n, s->result, d->journal.path);
	free(s->buf);
	free(s->pend);
	s->buf = NULL;
	s->pend = NULL;
	d->syncing = false;
	if (d->stopping)
		finish_sync(d);
	else
		maybe_compact(d);
}

/* Group commit: the lines buffered so far go to a worker thread for one
 * write + fdatasync while the loop keeps reading requests (so a slow disk
 * never overflows the socket buffer); the ACKs of those lines are sent
 * when it is done. One sync at a time; the next batch gathers meanwhile. */
static void start_sync(struct dhcpd *d)
{
	struct dhcp_sync *s = &d->sync;
	if (d->syncing || !dhcp_journal_pending(&d->journal))
		return;
	s->d = d;
	s->buf = dhcp_journal_take(&d->journal, &s->len);
	s->pend = d->pend;
	s->n = d->n_pend;
	s->fd = d->journal.fd;
	s->result = 0;
	s->req.data = s;
	d->pend = NULL;
	d->n_pend = d->cap_pend = 0;
	d->syncing = true;
	int r = uv_queue_work(d->loop, &s->req, sync_work, sync_done);
	if (r < 0) { /* no thread pool: do it here */
		sync_work(&s->req);
		sync_done(&s->req, 0);
	}
}

static void on_check(uv_check_t *h)
{
	struct dhcpd *d = h->data;
	dhcp_send_flush(d); /* the replies of this iteration's requests */
	if (d->syncing)
		return;
	start_sync(d);
	maybe_compact(d);
}

static void expired_cb(void *ctx, struct dhcp_lease *l)
{
	struct dhcpd *d = ctx;
	struct dhcp_lease copy = *l;
	struct pxe_log_line line;
	char ip[INET_ADDRSTRLEN];
	uint32_t be = htonl(l->addr);
	pxe_log_begin(&line, PXE_LOG_INFO, "dhcp");
	pxe_log_str(&line, "lease", "expire");
	pxe_log_mac(&line, "mac", l->hw, l->hlen);
	pxe_log_str(&line, "ip", inet_ntop(AF_INET, &be, ip, sizeof(ip)));
	pxe_log_end(&line);
	journal_event(d, JEV_EXPIRE, &copy);
}

static void on_tick(uv_timer_t *t)
{
	struct dhcpd *d = t->data;
	dhcp_leases_expire(d->leases, now_s(), expired_cb, d);
	if (++d->ticks % 5 == 0) /* an interface that appears later (hotplug) */
		resolve_ifaces(d);
}

/* ---- signals ---- */

static void on_reload(void *ctx)
{
	struct dhcpd *d = ctx;
	struct pxe_config nc;
	struct pxe_err err;
	pxe_sd_notify_reloading();
	int r = pxe_config_load(&dhcp_config_spec, d->argc, d->argv, &nc, &err);
	if (r == 0 && (r = apply_ranges(d, nc.cfg)) < 0) {
		snprintf(err.msg, sizeof(err.msg), "ranges: %s", strerror(-r));
		pxe_config_free(&nc);
		apply_ranges(d, d->cfg);
	}
	if (r < 0) {
		pxe_log_msg(PXE_LOG_ERR, "reload", "%s; the old configuration stays in force",
			    err.msg);
		pxe_sd_notify("READY=1\nSTATUS=reload failed, old configuration in force");
		return;
	}
	const struct dhcpd_config *c = nc.cfg;
	if (strcmp(c->leasefile, d->cfg->leasefile))
		pxe_log_msg(PXE_LOG_WARN, "reload", "leasefile change takes effect at restart");
	if (c->mode != d->cfg->mode)
		pxe_log_msg(PXE_LOG_WARN, "reload", "mode change takes effect at restart");
	struct pxe_config old = d->conf;
	d->conf = nc;
	d->cfg = c;
	d->ctx.cfg = c;
	struct pxe_log_config lc;
	pxe_common_log_config(&c->common, &lc);
	pxe_log_open("pxe-dhcpd", &lc);
	dhcp_script_configure(d->script, c->script, (size_t)c->script_queue);
	if (c->ping_check && !d->pinger)
		d->pinger = dhcp_pinger_new(d->loop, ping_done, d);
	resolve_ifaces(d);
	pxe_config_free(&old);
	pxe_log_msg(PXE_LOG_NOTICE, "reload", "configuration reloaded, %zu leases kept",
		    dhcp_leases_count(d->leases));
	pxe_sd_notify("READY=1\nSTATUS=serving");
}

static void on_reopen(void *ctx)
{
	(void)ctx;
	pxe_log_reopen();
}

static void on_stop(void *ctx)
{
	struct dhcpd *d = ctx;
	if (d->stopping)
		return;
	d->stopping = true;
	pxe_sd_notify("STOPPING=1");
	if (!d->syncing) /* else sync_done finishes the job */
		finish_sync(d);
	for (size_t i = 0; i < d->n_delayed; i++) /* due soon anyway: send now */
		dhcp_send_queue(d, d->delayed[i]);
	d->n_delayed = 0;
	dhcp_send_flush(d);
	if (d->fd >= 0)
		uv_close((uv_handle_t *)&d->poll, NULL);
	if (d->fd4011 >= 0)
		uv_close((uv_handle_t *)&d->poll4011, NULL);
	uv_check_stop(&d->check);
	uv_timer_stop(&d->tick);
	uv_close((uv_handle_t *)&d->check, NULL);
	uv_close((uv_handle_t *)&d->tick, NULL);
	uv_close((uv_handle_t *)&d->delay_timer, NULL);
	dhcp_pinger_close(d->pinger);
	d->pinger = NULL;
	pxe_signals_close(&d->sig);
}

/* ---- setup ---- */

static void replay_warn(void *ctx, long line, const char *why)
{
	const char *path = ctx;
	pxe_log_msg(PXE_LOG_WARN, "leases", "%s:%ld: %s", path, line, why);
}

/* A boot storm arrives faster than a busy moment of the loop drains:
 * room for a few thousand requests (FORCE works for root only). */
static void big_rcvbuf(int fd)
{
	int sz = 8 << 20;
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &sz, sizeof(sz)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &sz, sizeof(sz));
}

static int bound_port(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	if (getsockname(fd, (struct sockaddr *)&a, &n) < 0 || a.sin_family != AF_INET)
		return -1;
	return ntohs(a.sin_port);
}

static int bind_port(int port)
{
	struct pxe_sockaddr a;
	pxe_addr_parse("0.0.0.0", (uint16_t)port, &a);
	int fd = pxe_sock_bind(&a, SOCK_DGRAM,
			       PXE_SOCK_REUSEADDR | PXE_SOCK_PKTINFO | PXE_SOCK_BROADCAST, 0);
	if (fd < 0)
		pxe_log_msg(PXE_LOG_ERR, "listen", "cannot bind 0.0.0.0:%d: %s", port,
			    strerror(-fd));
	else
		big_rcvbuf(fd);
	return fd;
}

/* Port 67 (not in mode=proxy-4011, where the site's DHCP server has it)
 * and port 4011, the PXE boot server, in every mode. Sockets passed by
 * systemd are told apart by their port. */
static int open_sockets(struct dhcpd *d)
{
	struct pxe_activated_fd act[8];
	bool want67 = d->cfg->mode != DHCP_MODE_PROXY4011;
	int n = pxe_listen_fds(act, 8);
	for (int i = 0; i < n && i < 8; i++) {
		if (act[i].type != SOCK_DGRAM || act[i].family != AF_INET)
			continue;
		int one = 1, fd = act[i].fd;
		int *slot = bound_port(fd) == DHCP_PORT_PXE ? &d->fd4011 : &d->fd;
		if (*slot >= 0 || (slot == &d->fd && !want67))
			continue;
		*slot = fd;
		pxe_log_msg(PXE_LOG_INFO, "listen",
			    "port %d: socket from systemd (socket activation)",
			    slot == &d->fd4011 ? DHCP_PORT_PXE : 67);
		setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
		setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
		big_rcvbuf(fd);
	}
	if (want67 && d->fd < 0 && (d->fd = bind_port(67)) < 0)
		return d->fd;
	if (d->fd4011 < 0 && (d->fd4011 = bind_port(DHCP_PORT_PXE)) < 0) {
		if (!want67)
			return d->fd4011;
		d->fd4011 = -1; /* full/proxy still work without the boot server */
		pxe_log_msg(PXE_LOG_WARN, "listen", "no PXE boot server on port 4011");
	}
	return 0;
}

static int load_leases(struct dhcpd *d)
{
	const char *path = d->cfg->leasefile;
	long n = dhcp_journal_replay(path, d->leases, now_s(), replay_warn, (void *)path);
	if (n < 0) {
		pxe_log_msg(PXE_LOG_ERR, "leases", "%s: %s", path, strerror((int)-n));
		return (int)n;
	}
	/* Start from a clean file: drops a truncated tail and old history. */
	struct pxe_err err;
	size_t lines = 0;
	int r = dhcp_journal_write_snapshot(path, d->leases, now_s(), &lines, &err);
	if (r == 0)
		r = dhcp_journal_open(&d->journal, path, &err);
	if (r < 0) {
		pxe_log_msg(PXE_LOG_ERR, "leases", "%s", err.msg);
		return r;
	}
	d->journal.lines = lines;
	pxe_log_msg(PXE_LOG_INFO, "leases", "%s: %ld lines read, %zu records", path, n,
		    dhcp_leases_count(d->leases));
	return 0;
}

int dhcp_server_init(struct dhcpd *d, uv_loop_t *loop, struct pxe_config *conf, int argc,
		     char **argv)
{
	memset(d, 0, sizeof(*d));
	d->loop = loop;
	d->conf = *conf;
	d->cfg = conf->cfg;
	d->argc = argc;
	d->argv = argv;
	d->fd = d->fd4011 = d->pkt_fd = d->journal.fd = -1;
	d->leases = dhcp_leases_new();
	d->script = dhcp_script_new(loop);
	d->msg = malloc(sizeof(*d->msg));
	d->out = malloc(sizeof(*d->out));
	d->rxq = rxq_new();
	d->txq = dhcp_txq_new();
	if (!d->leases || !d->script || !d->msg || !d->out || !d->rxq || !d->txq)
		return -ENOMEM;
	d->ctx.cfg = d->cfg;
	d->ctx.leases = d->leases;
	int r = apply_ranges(d, d->cfg);
	if (r < 0)
		return r;
	/* The proxy modes hand out no addresses: no lease file at all. */
	if (d->cfg->mode == DHCP_MODE_FULL && (r = load_leases(d)) < 0)
		return r;
	if ((r = open_sockets(d)) < 0)
		return r;
	d->pkt_fd = dhcp_send_open_packet();
	if (d->pkt_fd < 0)
		pxe_log_msg(PXE_LOG_WARN, "listen",
			    "no packet socket (%s): replies to clients without "
			    "an address are broadcast",
			    strerror(-d->pkt_fd));
	dhcp_script_configure(d->script, d->cfg->script, (size_t)d->cfg->script_queue);
	if (d->cfg->ping_check)
		d->pinger = dhcp_pinger_new(loop, ping_done, d);
	resolve_ifaces(d);
	if (d->fd >= 0)
		uv_poll_init(loop, &d->poll, d->fd);
	if (d->fd4011 >= 0)
		uv_poll_init(loop, &d->poll4011, d->fd4011);
	uv_check_init(loop, &d->check);
	uv_timer_init(loop, &d->tick);
	uv_timer_init(loop, &d->delay_timer);
	d->poll.data = d->poll4011.data = d->check.data = d->tick.data = d->delay_timer.data = d;
	d->sig = (struct pxe_signals){
		.on_reload = on_reload, .on_reopen = on_reopen, .on_stop = on_stop, .ctx = d};
	return pxe_signals_start(&d->sig, loop);
}

int dhcp_server_run(struct dhcpd *d)
{
	if (d->fd >= 0)
		uv_poll_start(&d->poll, UV_READABLE, on_readable);
	if (d->fd4011 >= 0)
		uv_poll_start(&d->poll4011, UV_READABLE, on_readable);
	uv_check_start(&d->check, on_check);
	uv_timer_start(&d->tick, on_tick, 1000, 1000);
	pxe_log_msg(PXE_LOG_NOTICE, "start", "serving %zu subnets, %zu ranges, %zu leases",
		    d->cfg->n_subnets, d->cfg->n_ranges, dhcp_leases_count(d->leases));
	pxe_sd_notify("READY=1\nSTATUS=serving");
	uv_run(d->loop, UV_RUN_DEFAULT);
	uv_run(d->loop, UV_RUN_NOWAIT); /* finish closing handles */
	return 0;
}

void dhcp_server_free(struct dhcpd *d)
{
	for (size_t i = 0; i < d->n_pend; i++)
		free(d->pend[i]);
	free(d->pend);
	free(d->ifaces);
	free(d->msg);
	free(d->out);
	free(d->rxq);
	dhcp_txq_free(d->txq);
	dhcp_journal_close(&d->journal);
	dhcp_leases_free(d->leases);
	dhcp_script_free(d->script);
	for (size_t i = 0; i < d->n_delayed; i++)
		free(d->delayed[i]);
	if (d->fd >= 0)
		close(d->fd);
	if (d->fd4011 >= 0)
		close(d->fd4011);
	if (d->pkt_fd >= 0)
		close(d->pkt_fd);
	pxe_config_free(&d->conf);
}
