/* SPDX-License-Identifier: MIT */
/* Lease script runner: a ring of pending events, one child at a time
 * through uv_spawn. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "hex.h"
#include "log.h"
#include "script.h"

struct script_ev {
	enum dhcp_jevent ev;
	bool v6;
	struct dhcp_lease l;   /* !v6 */
	struct dhcp6_lease l6; /* v6 */
};

struct dhcp_script {
	uv_loop_t *loop;
	char *path;
	struct script_ev *q;
	size_t cap, head, n;
	uv_process_t proc;
	bool running, closing;
	unsigned long dropped;
};

struct dhcp_script *dhcp_script_new(uv_loop_t *loop)
{
	struct dhcp_script *s = calloc(1, sizeof(*s));
	if (s)
		s->loop = loop;
	return s;
}

int dhcp_script_configure(struct dhcp_script *s, const char *path, size_t max_queue)
{
	char *np = path ? strdup(path) : NULL;
	if (path && !np)
		return -ENOMEM;
	if (max_queue != s->cap) {
		struct script_ev *nq = calloc(max_queue ? max_queue : 1, sizeof(*nq));
		if (!nq) {
			free(np);
			return -ENOMEM;
		}
		size_t keep = s->n < max_queue ? s->n : max_queue;
		for (size_t i = 0; i < keep; i++)
			nq[i] = s->q[(s->head + i) % s->cap];
		free(s->q);
		s->q = nq;
		s->cap = max_queue;
		s->head = 0;
		s->n = keep;
	}
	free(s->path);
	s->path = np;
	return 0;
}

static void start_next(struct dhcp_script *s);

static void on_close(uv_handle_t *h)
{
	struct dhcp_script *s = h->data;
	s->running = false;
	if (s->closing) {
		free(s->q);
		free(s->path);
		free(s);
		return;
	}
	start_next(s);
}

static void on_exit_cb(uv_process_t *p, int64_t status, int sig)
{
	struct dhcp_script *s = p->data;
	if (status || sig) {
		struct pxe_log_line l;
		pxe_log_begin(&l, PXE_LOG_WARN, "script");
		pxe_log_str(&l, "script", s->path ? s->path : "-");
		pxe_log_int(&l, "status", status);
		pxe_log_int(&l, "signal", sig);
		pxe_log_end(&l);
	}
	uv_close((uv_handle_t *)p, on_close);
}

/* The facts of a lease of either family as the script's environment:
 * DHCP_CLIENT_ID is option 61 (v4) or the DUID (v6), DHCP_IAID only v6. */
struct script_facts {
	char mac[64], id[2 * 130 + 1], ip[INET6_ADDRSTRLEN], iaid[16];
	const char *hostname;
	int64_t expires;
};

static void facts_of(const struct script_ev *e, struct script_facts *f)
{
	f->iaid[0] = '\0';
	if (e->v6) {
		const struct dhcp6_lease *l = &e->l6;
		pxe_hex_encode(f->mac, sizeof(f->mac), l->mac, l->has_mac ? 6 : 0, ':');
		pxe_hex_encode(f->id, sizeof(f->id), l->duid, l->duid_len, 0);
		inet_ntop(AF_INET6, l->addr, f->ip, sizeof(f->ip));
		snprintf(f->iaid, sizeof(f->iaid), "%u", l->iaid);
		f->hostname = l->hostname;
		f->expires = l->expires;
		return;
	}
	uint32_t be = htonl(e->l.addr);
	pxe_hex_encode(f->mac, sizeof(f->mac), e->l.hw, e->l.hlen, ':');
	pxe_hex_encode(f->id, sizeof(f->id), e->l.key, e->l.key_len, 0);
	inet_ntop(AF_INET, &be, f->ip, sizeof(f->ip));
	f->hostname = e->l.hostname;
	f->expires = e->l.expires;
}

static void spawn(struct dhcp_script *s, const struct script_ev *e)
{
	char env[10][300];
	struct script_facts f;
	facts_of(e, &f);
	const char *evn = dhcp_jevent_name(e->ev);
	snprintf(env[0], sizeof(env[0]), "DHCP_EVENT=%s", evn);
	snprintf(env[1], sizeof(env[1]), "DHCP_MAC=%s", f.mac);
	snprintf(env[2], sizeof(env[2]), "DHCP_IP=%s", f.ip);
	snprintf(env[3], sizeof(env[3]), "DHCP_HOSTNAME=%s", f.hostname);
	snprintf(env[4], sizeof(env[4]), "DHCP_CLIENT_ID=%s", f.id);
	if (f.expires == DHCP_LEASE_INFINITE) /* BOOTP (RFC 1534 §2) */
		snprintf(env[5], sizeof(env[5]), "DHCP_EXPIRES=never");
	else
		snprintf(env[5], sizeof(env[5]), "DHCP_EXPIRES=%lld", (long long)f.expires);
	snprintf(env[6], sizeof(env[6]),
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	snprintf(env[7], sizeof(env[7]), "DHCP_FAMILY=%d", e->v6 ? 6 : 4);
	snprintf(env[8], sizeof(env[8]), "DHCP_IAID=%s", f.iaid);
	char *envp[] = {env[0], env[1], env[2],
			env[3], env[4], env[5],
			env[6], env[7], e->v6 ? env[8] : NULL,
			NULL};
	char *args[] = {s->path, (char *)evn, f.mac, f.ip, (char *)f.hostname, NULL};
	uv_process_options_t o = {
		.exit_cb = on_exit_cb, .file = s->path, .args = args, .env = envp};
	uv_stdio_container_t io[3] = {{.flags = UV_IGNORE},
				      {.flags = UV_INHERIT_FD, .data.fd = 2},
				      {.flags = UV_INHERIT_FD, .data.fd = 2}};
	o.stdio = io;
	o.stdio_count = 3;
	s->proc.data = s;
	int r = uv_spawn(s->loop, &s->proc, &o);
	s->running = true;
	if (r < 0) {
		pxe_log_msg(PXE_LOG_WARN, "script", "cannot run %s: %s", s->path, uv_strerror(r));
		uv_close((uv_handle_t *)&s->proc, on_close);
	}
}

static void start_next(struct dhcp_script *s)
{
	if (s->running || !s->n || !s->path || s->closing)
		return;
	struct script_ev e = s->q[s->head];
	s->head = (s->head + 1) % s->cap;
	s->n--;
	spawn(s, &e);
}

static struct script_ev *slot(struct dhcp_script *s)
{
	if (!s || !s->path)
		return NULL;
	if (s->n == s->cap) {
		if (s->dropped++ % 100 == 0)
			pxe_log_msg(PXE_LOG_WARN, "script",
				    "queue full (%zu): events dropped so far: %lu", s->cap,
				    s->dropped);
		return NULL;
	}
	return &s->q[(s->head + s->n) % s->cap];
}

void dhcp_script_event6(struct dhcp_script *s, enum dhcp_jevent ev, const struct dhcp6_lease *l)
{
	struct script_ev *e = slot(s);
	if (!e)
		return;
	e->ev = ev;
	e->v6 = true;
	e->l6 = *l;
	s->n++;
	start_next(s);
}

void dhcp_script_event(struct dhcp_script *s, enum dhcp_jevent ev, const struct dhcp_lease *l)
{
	struct script_ev *e = slot(s);
	if (!e)
		return;
	e->ev = ev;
	e->v6 = false;
	e->l = *l;
	s->n++;
	start_next(s);
}

void dhcp_script_free(struct dhcp_script *s)
{
	if (!s)
		return;
	s->closing = true;
	if (!s->running) {
		free(s->q);
		free(s->path);
		free(s);
	}
}
