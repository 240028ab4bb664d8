/* SPDX-License-Identifier: MIT */
/* ICMP echo probes for ping-check (RFC 2131 §3.1 step 2: the server
 * SHOULD probe an address before offering it). A raw ICMP socket when we
 * have CAP_NET_RAW, else an unprivileged ping socket. Replies are matched
 * by source address. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <sys/socket.h>

#include "log.h"
#include "ping.h"

#define MAX_PROBES 256

struct probe {
	uv_timer_t timer;
	struct dhcp_pinger *owner;
	uint32_t addr;
	struct dhcp_rx rx;
	size_t len;
	bool active;
	uint8_t req[DHCP_MAX_MSG];
};

struct dhcp_pinger {
	uv_loop_t *loop;
	int fd;
	bool raw;
	uv_poll_t poll;
	dhcp_ping_done done;
	void *ctx;
	uint16_t seq;
	int open_handles;
	bool closing;
	struct probe *probes[MAX_PROBES];
};

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

static void finish(struct probe *pr, bool in_use)
{
	struct dhcp_pinger *p = pr->owner;
	pr->active = false;
	uv_timer_stop(&pr->timer);
	p->done(p->ctx, pr->addr, in_use, pr->req, pr->len, &pr->rx);
}

static void on_timeout(uv_timer_t *t)
{
	finish(t->data, false);
}

static void on_icmp(uv_poll_t *h, int status, int events)
{
	struct dhcp_pinger *p = h->data;
	uint8_t buf[1500];
	(void)events;
	if (status < 0)
		return;
	for (int n = 0; n < 64; n++) {
		struct sockaddr_in from;
		socklen_t fl = sizeof(from);
		ssize_t r = recvfrom(p->fd, buf, sizeof(buf), MSG_DONTWAIT,
				     (struct sockaddr *)&from, &fl);
		if (r < 0)
			return;
		size_t off = p->raw ? (size_t)(buf[0] & 15) * 4 : 0;
		if ((size_t)r < off + 8 || buf[off] != ICMP_ECHOREPLY)
			continue;
		uint32_t a = ntohl(from.sin_addr.s_addr);
		for (size_t i = 0; i < MAX_PROBES; i++)
			if (p->probes[i] && p->probes[i]->active && p->probes[i]->addr == a)
				finish(p->probes[i], true);
	}
}

struct dhcp_pinger *dhcp_pinger_new(uv_loop_t *loop, dhcp_ping_done done, void *ctx)
{
	struct dhcp_pinger *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->raw = true;
	p->fd = socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	if (p->fd < 0) {
		p->raw = false;
		p->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMP);
	}
	if (p->fd < 0) {
		pxe_log_msg(PXE_LOG_WARN, "ping", "no ICMP socket (%s): ping-check disabled",
			    strerror(errno));
		free(p);
		return NULL;
	}
	p->loop = loop;
	p->done = done;
	p->ctx = ctx;
	uv_poll_init(loop, &p->poll, p->fd);
	p->poll.data = p;
	uv_poll_start(&p->poll, UV_READABLE, on_icmp);
	p->open_handles = 1;
	return p;
}

static int send_echo(struct dhcp_pinger *p, uint32_t addr)
{
	uint8_t pkt[16] = {ICMP_ECHO, 0};
	uint16_t seq = ++p->seq, id = (uint16_t)getpid();
	pkt[4] = id >> 8;
	pkt[5] = id & 0xff;
	pkt[6] = seq >> 8;
	pkt[7] = seq & 0xff;
	memcpy(pkt + 8, "pxe-dhcp", 8);
	uint16_t c = csum(pkt, sizeof(pkt));
	pkt[2] = c >> 8;
	pkt[3] = c & 0xff;
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(addr)};
	if (sendto(p->fd, pkt, sizeof(pkt), 0, (struct sockaddr *)&to, sizeof(to)) < 0)
		return -errno;
	return 0;
}

int dhcp_ping_start(struct dhcp_pinger *p, uint32_t addr, unsigned timeout_ms, const uint8_t *req,
		    size_t len, const struct dhcp_rx *rx)
{
	size_t i;
	for (i = 0; i < MAX_PROBES && p->probes[i] && p->probes[i]->active; i++)
		;
	if (i == MAX_PROBES || len > DHCP_MAX_MSG)
		return -EBUSY;
	struct probe *pr = p->probes[i];
	if (!pr) {
		pr = calloc(1, sizeof(*pr));
		if (!pr)
			return -ENOMEM;
		uv_timer_init(p->loop, &pr->timer);
		pr->timer.data = pr;
		pr->owner = p;
		p->probes[i] = pr;
		p->open_handles++;
	}
	int r = send_echo(p, addr);
	if (r < 0)
		return r;
	pr->addr = addr;
	pr->rx = *rx;
	pr->len = len;
	memcpy(pr->req, req, len);
	pr->active = true;
	uv_timer_start(&pr->timer, on_timeout, timeout_ms, 0);
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct dhcp_pinger *owner = h->data;
	if (h->type == UV_TIMER) {
		struct probe *pr = h->data;
		owner = pr->owner;
		free(pr);
	}
	if (--owner->open_handles == 0) {
		close(owner->fd);
		free(owner);
	}
}

void dhcp_pinger_close(struct dhcp_pinger *p)
{
	if (!p || p->closing)
		return;
	p->closing = true;
	for (size_t i = 0; i < MAX_PROBES; i++)
		if (p->probes[i])
			uv_close((uv_handle_t *)&p->probes[i]->timer, on_closed);
	uv_close((uv_handle_t *)&p->poll, on_closed);
}
