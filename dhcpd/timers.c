/* SPDX-License-Identifier: MIT */
/* The server's timers (see timers.h): the once-a-second tick, and the
 * replies that wait out a [boot] section's reply-delay. */
#include <arpa/inet.h>

#include "commit.h"
#include "ifaces.h"
#include "log.h"
#include "send.h"
#include "server6.h"
#include "timers.h"

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

void dhcp_timers_delay(struct dhcpd *d, struct dhcp_pending *p, long long ms)
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

void dhcp_timers_send_delayed(struct dhcpd *d)
{
	for (size_t i = 0; i < d->n_delayed; i++) /* due soon anyway: send now */
		dhcp_send_queue(d, d->delayed[i]);
	d->n_delayed = 0;
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
	dhcp_commit_event(d, JEV_EXPIRE, &copy);
}

void dhcp_timers_on_tick(uv_timer_t *t)
{
	struct dhcpd *d = t->data;
	dhcp_commit_follow_clock(d); /* before expiry: a jump forward expires nothing */
	dhcp_leases_expire(d->leases, dhcp_now(), expired_cb, d);
	dhcp6_server_expire(d);
	if (++d->ticks % 5 == 0) { /* an interface that appears later (hotplug) */
		dhcp_ifaces_resolve(d);
		dhcp6_server_refresh(d);
	}
	if (d->cfg->leases_on)
		dhcp_commit_check_file(d);
}
