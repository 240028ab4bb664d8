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
	struct dhcp_lease l;
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

static void spawn(struct dhcp_script *s, const struct script_ev *e)
{
	char mac[64], cid[2 * DHCP_KEY_MAX + 1], ip[INET_ADDRSTRLEN], env[8][200];
	uint32_t be = htonl(e->l.addr);
	pxe_hex_encode(mac, sizeof(mac), e->l.hw, e->l.hlen, ':');
	pxe_hex_encode(cid, sizeof(cid), e->l.key, e->l.key_len, 0);
	inet_ntop(AF_INET, &be, ip, sizeof(ip));
	const char *evn = dhcp_jevent_name(e->ev);
	snprintf(env[0], sizeof(env[0]), "DHCP_EVENT=%s", evn);
	snprintf(env[1], sizeof(env[1]), "DHCP_MAC=%s", mac);
	snprintf(env[2], sizeof(env[2]), "DHCP_IP=%s", ip);
	snprintf(env[3], sizeof(env[3]), "DHCP_HOSTNAME=%s", e->l.hostname);
	snprintf(env[4], sizeof(env[4]), "DHCP_CLIENT_ID=%s", cid);
	if (e->l.expires == DHCP_LEASE_INFINITE) /* BOOTP (RFC 1534 §2) */
		snprintf(env[5], sizeof(env[5]), "DHCP_EXPIRES=never");
	else
		snprintf(env[5], sizeof(env[5]), "DHCP_EXPIRES=%lld", (long long)e->l.expires);
	snprintf(env[6], sizeof(env[6]),
		 "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
	char *envp[] = {env[0], env[1], env[2], env[3], env[4], env[5], env[6], NULL};
	char *args[] = {s->path, (char *)evn, mac, ip, (char *)e->l.hostname, NULL};
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

void dhcp_script_event(struct dhcp_script *s, enum dhcp_jevent ev, const struct dhcp_lease *l)
{
	if (!s || !s->path)
		return;
	if (s->n == s->cap) {
		if (s->dropped++ % 100 == 0)
			pxe_log_msg(PXE_LOG_WARN, "script",
				    "queue full (%zu): events dropped so far: %lu", s->cap,
				    s->dropped);
		return;
	}
	struct script_ev *e = &s->q[(s->head + s->n) % s->cap];
	e->ev = ev;
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
