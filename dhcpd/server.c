/* pxe-dhcpd event loop. Requests are read in batches from one UDP socket
 * (IP_PKTINFO tells the interface and our address on it); each is decided
 * by dhcp_proto_handle; lease changes are buffered in the journal; at the
 * end of the loop iteration (uv_check) the journal is written and
 * fdatasynced once, and only then are the ACKs of that batch sent. */
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
#include "ping.h"
#include "script.h"
#include "server.h"
#include "sock.h"

#define RX_BATCH 256

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

/* ---- replies ---- */

static struct dhcp_pending *make_pending(const struct dhcp_msg *m, const struct dhcp_out *o,
                                         const struct dhcp_rx *rx)
{
	struct dhcp_pending *p = malloc(sizeof(*p) + o->len);
	if (!p)
		return NULL;
	p->dest = o->dest;
	p->dst_addr = o->dst_addr;
	p->local_addr = rx->local_addr;
	p->ifindex = rx->ifindex;
	p->htype = m->htype;
	p->hlen = m->hlen;
	memcpy(p->chaddr, m->chaddr, 16);
	p->len = o->len;
	memcpy(p->buf, o->buf, o->len);
	return p;
}

static void send_now(struct dhcpd *d, struct dhcp_pending *p)
{
	int r = dhcp_send(d, p);
	if (r < 0) {
		d->stats_drop++;
		pxe_log_msg(PXE_LOG_WARN, "send", "reply not sent: %s", strerror(-r));
	} else {
		d->stats_tx++;
	}
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
	dhcp_proto_handle(&d->ctx, m, rx, now_s(), o);
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
	} else {
		send_now(d, p);
		free(p);
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

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcpd *d = h->data;
	uint8_t *buf = d->rxbuf;
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < RX_BATCH; i++) {
		struct sockaddr_in from;
		struct iovec iov = {.iov_base = buf, .iov_len = sizeof(d->rxbuf)};
		union {
			char c[256];
			struct cmsghdr align;
		} cb;
		struct msghdr mh = {.msg_name = &from,
		                    .msg_namelen = sizeof(from),
		                    .msg_iov = &iov,
		                    .msg_iovlen = 1,
		                    .msg_control = cb.c,
		                    .msg_controllen = sizeof(cb.c)};
		ssize_t n = recvmsg(d->fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			break;
		struct dhcp_rx rx = {0};
		d->stats_rx++;
		if (!read_pktinfo(&mh, &rx) || !iface_allowed(d, rx.ifindex) ||
		    (size_t)n > DHCP_MAX_MSG)
			continue;
		handle_packet(d, buf, (size_t)n, &rx, d->msg, d->out);
	}
}

static void deliver(struct dhcpd *d, struct dhcp_pending **pend, size_t n, int result,
                    const char *path)
{
	if (result < 0) /* not on disk: no ACK; the clients retry */
		pxe_log_msg(PXE_LOG_ERR, "journal", "%s: %s; %zu ACKs not sent", path,
		            strerror(-result), n);
	for (size_t i = 0; i < n; i++) {
		if (result == 0)
			send_now(d, pend[i]);
		free(pend[i]);
	}
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
	uv_poll_stop(&d->poll);
	uv_check_stop(&d->check);
	uv_timer_stop(&d->tick);
	uv_close((uv_handle_t *)&d->poll, NULL);
	uv_close((uv_handle_t *)&d->check, NULL);
	uv_close((uv_handle_t *)&d->tick, NULL);
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

static int open_socket(struct dhcpd *d)
{
	struct pxe_activated_fd act[8];
	int n = pxe_listen_fds(act, 8);
	for (int i = 0; i < n && i < 8; i++) {
		if (act[i].type == SOCK_DGRAM && act[i].family == AF_INET) {
			int one = 1;
			d->fd = act[i].fd;
			setsockopt(d->fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof(one));
			setsockopt(d->fd, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one));
			big_rcvbuf(d->fd);
			return 0;
		}
	}
	struct pxe_sockaddr a;
	pxe_addr_parse("0.0.0.0", 67, &a);
	d->fd = pxe_sock_bind(&a, SOCK_DGRAM,
	                      PXE_SOCK_REUSEADDR | PXE_SOCK_PKTINFO | PXE_SOCK_BROADCAST, 0);
	if (d->fd < 0) {
		pxe_log_msg(PXE_LOG_ERR, "listen", "cannot bind 0.0.0.0:67: %s", strerror(-d->fd));
		return d->fd;
	}
	big_rcvbuf(d->fd);
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
	d->fd = d->pkt_fd = d->journal.fd = -1;
	d->leases = dhcp_leases_new();
	d->script = dhcp_script_new(loop);
	d->msg = malloc(sizeof(*d->msg));
	d->out = malloc(sizeof(*d->out));
	if (!d->leases || !d->script || !d->msg || !d->out)
		return -ENOMEM;
	d->ctx.cfg = d->cfg;
	d->ctx.leases = d->leases;
	int r = apply_ranges(d, d->cfg);
	if (r < 0 || (r = load_leases(d)) < 0 || (r = open_socket(d)) < 0)
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
	uv_poll_init(loop, &d->poll, d->fd);
	uv_check_init(loop, &d->check);
	uv_timer_init(loop, &d->tick);
	d->poll.data = d->check.data = d->tick.data = d;
	d->sig = (struct pxe_signals){
	    .on_reload = on_reload, .on_reopen = on_reopen, .on_stop = on_stop, .ctx = d};
	return pxe_signals_start(&d->sig, loop);
}

int dhcp_server_run(struct dhcpd *d)
{
	uv_poll_start(&d->poll, UV_READABLE, on_readable);
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
	dhcp_journal_close(&d->journal);
	dhcp_leases_free(d->leases);
	dhcp_script_free(d->script);
	if (d->fd >= 0)
		close(d->fd);
	if (d->pkt_fd >= 0)
		close(d->pkt_fd);
	pxe_config_free(&d->conf);
}
