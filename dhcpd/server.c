/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd's server: setting up the event loop, running it, stopping
 * (see server.h). Requests are read in batches from one UDP socket per
 * port (recv.c) and decided by dhcp_handle; replies are queued and leave
 * with one sendmmsg at the end of the loop iteration (commit.c, send.c);
 * lease changes are buffered in the journal, which is then written and
 * fdatasynced once, and only after that are the ACKs of that batch sent. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "commit.h"
#include "heldlog.h"
#include "ifaces.h"
#include "journal_lock.h"
#include "listen.h"
#include "log.h"
#include "ping.h"
#include "recv.h"
#include "reload.h"
#include "script.h"
#include "send.h"
#include "server6.h"
#include "server.h"
#include "sock.h"
#include "timers.h"
#include "v4/proxy.h"

/* ---- signals ---- */

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
		dhcp_commit_finish(d);
	dhcp_timers_send_delayed(d);
	dhcp_send_flush(d);
	if (d->fd >= 0)
		uv_close((uv_handle_t *)&d->poll, NULL);
	if (d->fd4011 >= 0)
		uv_close((uv_handle_t *)&d->poll4011, NULL);
	dhcp6_server_stop(d);
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

static int bound_port(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof(a);
	if (getsockname(fd, (struct sockaddr *)&a, &n) < 0 || a.sin_family != AF_INET)
		return -1;
	return ntohs(a.sin_port);
}

/* One socket on 0.0.0.0 per port: IP_PKTINFO tells which interface and
 * address each request came in on, so no per-interface sockets are
 * needed. No SO_REUSEADDR (sock.h): a second server on the port fails
 * here, naming the first. quiet: the caller decides whether a failure
 * stops the start (port 4011 in full and proxy modes does not). */
static int bind_port(int port, bool quiet)
{
	return dhcp_listen_udp("0.0.0.0", port, PXE_SOCK_BROADCAST, quiet);
}

/* Port 67 (not in mode=proxy-4011, where the site's DHCP server has it)
 * and port 4011, the PXE boot server, in every mode. Sockets passed by
 * systemd are told apart by their port. */
static int open_sockets(struct dhcpd *d)
{
	struct pxe_activated_fd act[8];
	if (!d->cfg->v4_on) /* an IPv6-only site: no [subnet], mode = full */
		return 0;
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
		dhcp_listen_rcvbuf(fd);
	}
	if (want67 && d->fd < 0 && (d->fd = bind_port(67, false)) < 0)
		return d->fd;
	if (d->fd4011 < 0 && (d->fd4011 = bind_port(DHCP_PORT_PXE, want67)) < 0) {
		if (!want67)
			return d->fd4011;
		d->fd4011 = -1; /* full/proxy still work without the boot server */
		pxe_log_msg(PXE_LOG_WARN, "listen", "no PXE boot server on port 4011");
	}
	return 0;
}

/* The lease file's lock first (journal_lock.h): while another pxe-dhcpd
 * holds it, nothing here reads, compacts or writes its journal. */
static int lock_leases(struct dhcpd *d)
{
	struct pxe_err err;
	const char *path = d->cfg->leasefile;
	int made = dhcp_journal_mkdir(path, &err);
	int fd = made < 0 ? made : dhcp_journal_lock(path, &err);
	if (fd < 0) {
		pxe_log_startup_err(NULL, "%s", err.msg);
		return fd;
	}
	if (made > 0)
		pxe_log_msg(PXE_LOG_NOTICE, "leases", "created the lease directory of %s", path);
	d->journal.lock_fd = fd;
	return 0;
}

static int load_leases(struct dhcpd *d)
{
	const char *path = d->cfg->leasefile;
	long n = dhcp_journal_replay(path, d->leases, dhcp_now(), replay_warn, (void *)path);
	if (n < 0) {
		pxe_log_startup_err(NULL, "%s: %s", path, strerror((int)-n));
		return (int)n;
	}
	/* Start from a clean file: drops a truncated tail and old history. */
	struct pxe_err err;
	size_t lines = 0;
	int r = dhcp_journal_write_snapshot(path, d->leases, dhcp_now(), &lines, &err);
	if (r == 0)
		r = dhcp_journal_open(&d->journal, path, &err);
	if (r < 0) {
		pxe_log_startup_err(NULL, "%s", err.msg);
		return r;
	}
	d->journal.lines = lines;
	pxe_log_msg(PXE_LOG_INFO, "leases", "%s: %ld lines read, %zu records", path, n,
		    dhcp_leases_count_all(d->leases));
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
	d->fd = d->fd4011 = d->pkt_fd = d->journal.fd = d->journal.lock_fd = -1;
	d->fd6 = d->fd6_4011 = -1;
	d->leases = dhcp_leases_new();
	d->script = dhcp_script_new(loop);
	d->msg = malloc(sizeof(*d->msg));
	d->out = malloc(sizeof(*d->out));
	d->rxq = dhcp_rxq_new();
	d->txq = dhcp_txq_new();
	if (!d->leases || !d->script || !d->msg || !d->out || !d->rxq || !d->txq)
		return -ENOMEM;
	d->ctx.cfg = d->cfg;
	d->ctx.leases = d->leases;
	int r = dhcp_ifaces_ranges(d, d->cfg);
	if (r < 0)
		return r;
	/* The proxy modes hand out no addresses: no lease file at all. The
	 * lock, then the ports, and only then the journal's replay and
	 * compaction: a start that fails on either leaves the file as it
	 * was (another server may be writing it). */
	bool full = d->cfg->leases_on;
	if (full && (r = lock_leases(d)) < 0)
		return r;
	if ((r = open_sockets(d)) < 0)
		return r;
	if (full && (r = load_leases(d)) < 0)
		return r;
	dhcp_ifaces_resolve(d); /* before DHCPv6 joins ff02::1:2 on them */
	if ((r = dhcp6_server_start(d)) < 0)
		return r;
	d->pkt_fd = dhcp_send_open_packet();
	if (d->pkt_fd < 0)
		pxe_log_msg(PXE_LOG_WARN, "listen",
			    "no packet socket (%s): replies to clients without "
			    "an address are broadcast",
			    strerror(-d->pkt_fd));
	dhcp_script_configure(d->script, d->cfg->script, (size_t)d->cfg->script_queue);
	if (d->cfg->ping_check)
		d->pinger = dhcp_pinger_new(loop, dhcp_recv_ping_done, d);
	dhcp_ifaces_resolve(d);
	if (d->fd >= 0)
		uv_poll_init(loop, &d->poll, d->fd);
	if (d->fd4011 >= 0)
		uv_poll_init(loop, &d->poll4011, d->fd4011);
	uv_check_init(loop, &d->check);
	uv_timer_init(loop, &d->tick);
	uv_timer_init(loop, &d->delay_timer);
	d->poll.data = d->poll4011.data = d->check.data = d->tick.data = d->delay_timer.data = d;
	d->sig = (struct pxe_signals){
		.on_reload = dhcp_reload, .on_reopen = on_reopen, .on_stop = on_stop, .ctx = d};
	return pxe_signals_start(&d->sig, loop);
}

int dhcp_server_run(struct dhcpd *d)
{
	if (d->fd >= 0)
		uv_poll_start(&d->poll, UV_READABLE, dhcp_recv_on_readable);
	if (d->fd4011 >= 0)
		uv_poll_start(&d->poll4011, UV_READABLE, dhcp_recv_on_readable);
	uv_check_start(&d->check, dhcp_commit_on_check);
	uv_timer_start(&d->tick, dhcp_timers_on_tick, 1000, 1000);
	pxe_log_msg(PXE_LOG_NOTICE, "start", "serving %zu subnets, %zu ranges, %zu leases",
		    d->cfg->n_subnets, d->cfg->n_ranges, dhcp_leases_count_all(d->leases));
	pxe_sd_notify("READY=1\nSTATUS=serving");
	uv_run(d->loop, UV_RUN_DEFAULT);
	uv_run(d->loop, UV_RUN_NOWAIT); /* finish closing handles */
	return 0;
}

void dhcp_server_free(struct dhcpd *d)
{
	for (size_t i = 0; i < d->n_pend; i++) {
		dhcp_heldlog_end(d->pend[i]->log, "server stopping");
		free(d->pend[i]);
	}
	free(d->pend);
	free(d->ifaces);
	free(d->msg);
	free(d->out);
	free(d->rxq);
	dhcp_txq_free(d->txq);
	dhcp_journal_close(&d->journal);
	dhcp_leases_free(d->leases);
	dhcp_script_free(d->script);
	dhcp6_server_free(d);
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
