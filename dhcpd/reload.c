/* SIGHUP (see reload.h). */
#include <stdio.h>
#include <string.h>

#include "config_spec.h"
#include "ifaces.h"
#include "log.h"
#include "ping.h"
#include "recv.h"
#include "reload.h"
#include "script.h"

void dhcp_reload(void *ctx)
{
	struct dhcpd *d = ctx;
	struct pxe_config nc;
	struct pxe_err err;
	pxe_sd_notify_reloading();
	int r = pxe_config_load(&dhcp_config_spec, d->argc, d->argv, &nc, &err);
	if (r == 0 && (r = dhcp_ifaces_ranges(d, nc.cfg)) < 0) {
		snprintf(err.msg, sizeof(err.msg), "ranges: %s", strerror(-r));
		pxe_config_free(&nc);
		dhcp_ifaces_ranges(d, d->cfg);
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
		d->pinger = dhcp_pinger_new(d->loop, dhcp_recv_ping_done, d);
	dhcp_ifaces_resolve(d);
	pxe_config_free(&old);
	pxe_log_msg(PXE_LOG_NOTICE, "reload", "configuration reloaded, %zu leases kept",
		    dhcp_leases_count(d->leases));
	pxe_sd_notify("READY=1\nSTATUS=serving");
}
