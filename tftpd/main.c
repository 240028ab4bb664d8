/* SPDX-License-Identifier: MIT */
/* pxe-tftpd: configuration, sockets (bound here or passed by systemd),
 * privileges, signals, and the libuv loop that serves. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "config.h"
#include "daemon.h"
#include "holder.h"
#include "log.h"
#include "server.h"
#include "sock.h"

#define MAX_LISTEN 64

struct app {
	int argc;
	char **argv;
	uv_loop_t *loop;
	struct tftpd *srv;
	struct pxe_config conf;
	struct tftpd_runtime rt;
	struct pxe_signals sig;
	bool listen_activated;
};

static int runtime_open(struct tftpd_runtime *rt, const struct tftpd_config *cfg,
			const struct tftpd_runtime *old, struct pxe_err *err)
{
	memset(rt, 0, sizeof(*rt));
	rt->cfg = cfg;
	/* An unchanged directory root keeps its descriptor (after chroot its
	 * path may be unreachable); an image is indexed again only when the
	 * file at the path is another one (replaced by mv). */
	bool changed;
	int r = pxe_root_reload(old ? old->root : NULL, cfg->root,
				(const char *const *)cfg->fallback_root.v, cfg->fallback_root.n,
				&rt->root, &changed, err);
	if (r < 0)
		return r;
	if (old && changed) {
		char d[1024];
		pxe_root_describe(rt->root, d, sizeof(d));
		pxe_log_msg(PXE_LOG_NOTICE, "reload", "now serving %s", d);
	}
	if (cfg->map && (r = tftp_map_load(&rt->map, cfg->map, err)) < 0) {
		pxe_root_unref(rt->root);
		rt->root = NULL;
		return r;
	}
	return 0;
}

static void runtime_close(struct tftpd_runtime *rt)
{
	pxe_root_unref(rt->root);
	rt->root = NULL;
	tftp_map_free(&rt->map);
}

static void log_setup(const struct tftpd_config *cfg)
{
	struct pxe_log_config lc;
	pxe_common_log_config(&cfg->common, &lc);
	int r = pxe_log_open("pxe-tftpd", &lc);
	if (r < 0)
		pxe_log_startup_err("pxe-tftpd", "cannot open log %s: %s", cfg->common.log_file,
				    strerror(-r));
}

/* Sockets from systemd (ListenDatagram=), else our own from --listen.
 * IPv6 wildcards from the default list are skipped where the kernel has
 * no IPv6 (tftpd-hpa's trap: one dual-stack socket that fails whole). */
static int open_listeners(struct app *a)
{
	struct pxe_activated_fd act[MAX_LISTEN];
	int n = pxe_listen_fds(act, MAX_LISTEN);
	if (n < 0)
		return pxe_log_startup_err("pxe-tftpd", "LISTEN_FDS: %s", strerror(-n)), -1;
	int used = 0;
	for (int i = 0; i < n && i < MAX_LISTEN; i++) {
		if (act[i].type != SOCK_DGRAM)
			continue;
		if (tftpd_listen_fd(a->srv, act[i].fd) == 0)
			used++;
	}
	if (n > 0) {
		a->listen_activated = true;
		if (used)
			return 0;
		return pxe_log_startup_err("pxe-tftpd", "no datagram socket among LISTEN_FDS"), -1;
	}
	const struct tftpd_config *cfg = a->conf.cfg;
	bool dflt = a->conf.src[0].kind == PXE_SRC_DEFAULT;
	for (size_t i = 0; i < cfg->listen.n; i++) {
		const struct pxe_sockaddr *ad = &cfg->listen.v[i];
		/* no SO_REUSEADDR: a second server on the port must fail here
		 * (sock.h); per-transfer sockets are on ephemeral ports */
		int fd = pxe_sock_bind(ad, SOCK_DGRAM, PXE_SOCK_PKTINFO, 0);
		char txt[128], msg[512];
		pxe_addr_format(&ad->u.sa, true, txt, sizeof(txt));
		if (fd < 0 && dflt && ad->u.sa.sa_family == AF_INET6 &&
		    (fd == -EAFNOSUPPORT || fd == -EADDRNOTAVAIL)) {
			pxe_log_msg(PXE_LOG_NOTICE, "listen", "no IPv6, skipping %s", txt);
			continue;
		}
		if (fd < 0) {
			pxe_bind_error(msg, sizeof(msg), &ad->u.sa, SOCK_DGRAM, fd);
			return pxe_log_startup_err("pxe-tftpd", "%s", msg), -1;
		}
		int r = tftpd_listen_fd(a->srv, fd);
		if (r < 0)
			return pxe_log_startup_err("pxe-tftpd", "listen %s: %s", txt, strerror(-r)),
			       -1;
		used++;
	}
	return used ? 0 : -1;
}

static void on_stop(void *ctx)
{
	struct app *a = ctx;
	pxe_sd_notify("STOPPING=1");
	pxe_log_msg(PXE_LOG_NOTICE, "stop", "stopping, %zu transfers in progress",
		    tftpd_active(a->srv));
	tftpd_stop(a->srv);
	pxe_signals_close(&a->sig);
}

static void on_reopen(void *ctx)
{
	(void)ctx;
	int r = pxe_log_reopen();
	if (r < 0)
		pxe_log_msg(PXE_LOG_ERR, "reopen", "log reopen failed: %s", strerror(-r));
}

static bool same_listen(const struct tftpd_config *a, const struct tftpd_config *b)
{
	if (a->listen.n != b->listen.n || a->single_port != b->single_port)
		return false;
	for (size_t i = 0; i < a->listen.n; i++)
		if (!pxe_addr_equal(&a->listen.v[i].u.sa, &b->listen.v[i].u.sa))
			return false;
	return true;
}

/* SIGHUP: load the whole configuration again into a fresh struct and swap
 * only when all of it is good: a bad file is reported and the running
 * configuration stays in force. */
static void on_reload(void *ctx)
{
	struct app *a = ctx;
	pxe_sd_notify_reloading();
	struct pxe_config nc;
	struct tftpd_runtime nrt;
	struct pxe_err err = {{0}};
	if (pxe_config_load(&tftpd_spec, a->argc, a->argv, &nc, &err) < 0) {
		pxe_log_msg(PXE_LOG_ERR, "reload", "keeping the old configuration: %s", err.msg);
		pxe_sd_notify("READY=1");
		return;
	}
	if (runtime_open(&nrt, nc.cfg, &a->rt, &err) < 0) {
		pxe_log_msg(PXE_LOG_ERR, "reload", "keeping the old configuration: %s", err.msg);
		pxe_config_free(&nc);
		pxe_sd_notify("READY=1");
		return;
	}
	const struct tftpd_config *ncfg = nc.cfg;
	if (!a->listen_activated && !same_listen(a->conf.cfg, ncfg))
		pxe_log_msg(PXE_LOG_WARN, "reload",
			    "listen addresses or single-port changed: restart to apply");
	log_setup(ncfg);
	runtime_close(&a->rt);
	pxe_config_free(&a->conf);
	a->conf = nc;
	a->rt = nrt;
	a->rt.cfg = a->conf.cfg;
	tftpd_set_runtime(a->srv, &a->rt);
	pxe_log_msg(PXE_LOG_NOTICE, "reload", "configuration reloaded");
	pxe_sd_notify("READY=1");
}

static int drop_privileges(const struct tftpd_config *cfg)
{
	struct pxe_err err = {{0}};
	const struct pxe_common_config *cc = &cfg->common;
	/* READY/RELOADING must still reach systemd after --chroot. */
	if (cc->chroot)
		(void)pxe_sd_notify_keep();
	if (cc->pidfile && pxe_pidfile_write(cc->pidfile, &err) < 0)
		return pxe_log_startup_err("pxe-tftpd", "%s", err.msg), -1;
	if (pxe_privileges_drop(cc->chroot, cc->user, cc->group, NULL, 0, &err) < 0)
		return pxe_log_startup_err("pxe-tftpd", "%s", err.msg), -1;
	return 0;
}

/* Each transfer holds a socket and a file: max-transfers 1000 needs more
 * than the usual soft limit of 1024 descriptors (systemd's default). */
static void raise_nofile(const struct tftpd_config *cfg)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)cfg->max_transfers * 2 + 64;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= want)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ? want : rl.rlim_max;
	if (setrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur < want)
		pxe_log_msg(PXE_LOG_WARN, "start",
			    "RLIMIT_NOFILE %llu is below what max-transfers %lld needs (%llu)",
			    (unsigned long long)rl.rlim_cur, cfg->max_transfers,
			    (unsigned long long)want);
}

static int run(struct app *a)
{
	const struct tftpd_config *cfg = a->conf.cfg;
	struct pxe_err err = {{0}};
	if (a->conf.n_extra > 0)
		return pxe_log_startup_err("pxe-tftpd", "unexpected argument '%s'",
					   a->conf.extra_args[0]),
		       PXE_EX_CONFIG;
	log_setup(cfg);
	struct tftpd_config *mcfg = a->conf.cfg;
	if (pxe_privileges_plan(&a->conf, "user", "group", &mcfg->common.user, &mcfg->common.group,
				&err) < 0)
		return pxe_log_startup_err("pxe-tftpd", "%s", err.msg), PXE_EX_CONFIG;
	raise_nofile(cfg);
	if (runtime_open(&a->rt, cfg, NULL, &err) < 0)
		return pxe_log_startup_err("pxe-tftpd", "%s", err.msg), PXE_EX_CONFIG;
	if (cfg->common.daemon && pxe_daemon_start() < 0)
		return pxe_log_startup_err("pxe-tftpd", "--daemon: %s", strerror(errno)), 1;
	a->loop = uv_default_loop();
	a->srv = tftpd_new(a->loop, &a->rt);
	if (!a->srv || open_listeners(a) < 0 || drop_privileges(cfg) < 0) {
		pxe_daemon_ready(1);
		return 1;
	}
	a->sig = (struct pxe_signals){
		.on_reload = on_reload, .on_reopen = on_reopen, .on_stop = on_stop, .ctx = a};
	pxe_signals_start(&a->sig, a->loop);
	char what[1024];
	pxe_root_describe(a->rt.root, what, sizeof(what));
	pxe_log_msg(PXE_LOG_NOTICE, "start", "serving %s", what);
	pxe_sd_notifyf("READY=1\nSTATUS=serving %s", cfg->root);
	pxe_daemon_ready(0);
	tftpd_run(a->srv);
	tftpd_free(a->srv);
	runtime_close(&a->rt);
	uv_loop_close(a->loop);
	return 0;
}

int main(int argc, char **argv)
{
	static struct app a;
	a.argc = argc;
	a.argv = argv;
	int rc = pxe_config_main(&tftpd_spec, argc, argv, &a.conf);
	if (rc >= 0)
		return rc;
	rc = run(&a);
	pxe_config_free(&a.conf);
	pxe_log_close();
	return rc;
}
