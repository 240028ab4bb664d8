/* SPDX-License-Identifier: MIT */
/* SIGHUP (see reload.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config_spec.h"
#include "ifaces.h"
#include "journal_lock.h"
#include "log.h"
#include "ping.h"
#include "recv.h"
#include "reload.h"
#include "script.h"
#include "server6.h"

/* The new configuration's leasefile as an absolute path. A relative one
 * that names the running file (main.c made that absolute from the
 * directory of the start, which --daemon has left) is that file;
 * another relative one is taken from the current directory. */
static int resolve_leasefile(const struct dhcpd *d, struct dhcpd_config *nc)
{
	const char *cur = d->cfg->leasefile;
	size_t a = strlen(cur), b = strlen(nc->leasefile);
	if (nc->leasefile[0] != '/' && a > b && cur[a - b - 1] == '/' &&
	    strcmp(cur + a - b, nc->leasefile) == 0) {
		char *p = strdup(cur);
		if (!p)
			return -1;
		free(nc->leasefile);
		nc->leasefile = p;
		return 0;
	}
	return dhcp_journal_abspath(&nc->leasefile);
}

/* Lock the new file before anything moves (journal_lock.h), then write
 * the leases there and switch. The old file's descriptor may still have a
 * write in flight on the thread pool: commit.c closes it when that ends. */
static int switch_leasefile(struct dhcpd *d, const char *path, struct pxe_err *err)
{
	int r = dhcp_journal_mkdir(path, err);
	if (r < 0)
		return r;
	int lock = dhcp_journal_lock(path, err);
	if (lock < 0)
		return lock;
	int old_fd = -1;
	r = dhcp_journal_switch(&d->journal, path, lock, d->leases, dhcp_now(), &old_fd, err);
	if (r < 0) {
		close(lock);
		return r;
	}
	if (!d->syncing && old_fd >= 0)
		close(old_fd);
	pxe_log_msg(PXE_LOG_NOTICE, "reload", "leases now in %s", path);
	return 0;
}

/* The lease file part of a reload: 0 to go on, -1 (err set) to keep the
 * old configuration. Only a running journal moves: the proxy modes have
 * none, and a mode change waits for the restart. */
static int reload_leasefile(struct dhcpd *d, struct dhcpd_config *nc, struct pxe_err *err)
{
	if (!d->cfg->leases_on || d->journal.fd < 0)
		return 0;
	if (resolve_leasefile(d, nc) < 0)
		return pxe_err_set(err, ENOMEM, "leasefile %s: cannot make it absolute",
				   nc->leasefile);
	if (!strcmp(nc->leasefile, d->cfg->leasefile))
		return 0;
	/* after --chroot the journal's path is the inner one, and the new
	 * name could not be checked against the root from here */
	if (d->cfg->common.chroot && *d->cfg->common.chroot) {
		pxe_log_msg(PXE_LOG_WARN, "reload",
			    "leasefile change takes effect at restart (--chroot)");
		return 0;
	}
	return switch_leasefile(d, nc->leasefile, err);
}

void dhcp_reload(void *ctx)
{
	struct dhcpd *d = ctx;
	struct pxe_config nc;
	struct pxe_err err;
	pxe_sd_notify_reloading();
	int r = pxe_config_load(&dhcp_config_spec, d->argc, d->argv, &nc, &err);
	bool loaded = r == 0;
	if (loaded && (r = dhcp_ifaces_ranges(d, nc.cfg)) < 0)
		snprintf(err.msg, sizeof(err.msg), "ranges: %s", strerror(-r));
	else if (loaded)
		r = reload_leasefile(d, nc.cfg, &err);
	if (r < 0) {
		if (loaded) {
			pxe_config_free(&nc);
			dhcp_ifaces_ranges(d, d->cfg);
		}
		pxe_log_msg(PXE_LOG_ERR, "reload", "%s; the old configuration stays in force",
			    err.msg);
		pxe_sd_notify("READY=1\nSTATUS=reload failed, old configuration in force");
		return;
	}
	const struct dhcpd_config *c = nc.cfg;
	if (c->mode != d->cfg->mode)
		pxe_log_msg(PXE_LOG_WARN, "reload", "mode change takes effect at restart");
	if (c->mode6 != d->cfg->mode6)
		pxe_log_msg(PXE_LOG_WARN, "reload", "dhcpv6 change takes effect at restart");
	struct pxe_config old = d->conf;
	d->conf = nc;
	d->cfg = c;
	d->ctx.cfg = c;
	struct pxe_log_config lc;
	pxe_common_log_config(&c->common, &lc);
	pxe_log_open("pxe-dhcpd", &lc);
	dhcp_script_configure(d->script, c->script, (size_t)c->script_queue);
	if (c->ping_check && !d->pinger)
		d->pinger = dhcp_pinger_new(d->loop, dhcp_recv_ping_done, d);
	dhcp_ifaces_resolve(d);
	dhcp6_server_reload(d);
	pxe_config_free(&old);
	pxe_log_msg(PXE_LOG_NOTICE, "reload", "configuration reloaded, %zu leases kept",
		    dhcp_leases_count_all(d->leases));
	pxe_sd_notify("READY=1\nSTATUS=serving");
}
