/* SPDX-License-Identifier: MIT */
/* The router advertisement shell (see ra.h): socket, timer, logging. What
 * is sent and when comes from v6/ra.c; this file only carries it out. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/icmp6.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "log.h"
#include "ra.h"

struct ra_link {
	struct dhcp_ra_link cfg;
	struct dhcp_ra_sched sched;
	unsigned fails;         /* sends failed in a row */
	bool warned;            /* and a warning said so */
	uint16_t sent_lifetime; /* router lifetime in the last RA that went out */
	size_t len;
	uint8_t pkt[DHCP_RA_MAX_LEN];
};

struct dhcp_ra {
	uv_loop_t *loop;
	int fd;
	uv_poll_t poll;
	uv_timer_t timer;
	int open_handles;
	size_t n;
	struct ra_link *links;
};

static const struct in6_addr all_nodes = {{{0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}}};
static const struct in6_addr all_routers = {{{0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2}}};

static uint32_t rnd32(void)
{
	uint32_t v;
	if (uv_random(NULL, NULL, &v, sizeof(v), 0, NULL) != 0)
		v = (uint32_t)uv_hrtime();
	return v;
}

static int setopt(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

/* The socket sees Router Solicitations only (RFC 3542 §3.2 filter), with
 * the arrival interface and hop limit (§6.1.1 needs 255). Our RAs leave
 * with hop limit 255 (§4.2) and do not loop back to us. */
static int open_socket(void)
{
	int fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return -errno;
	struct icmp6_filter f;
	ICMP6_FILTER_SETBLOCKALL(&f);
	ICMP6_FILTER_SETPASS(ND_ROUTER_SOLICIT, &f);
	int r = setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f, sizeof(f)) < 0 ? -errno : 0;
	if (!r)
		r = setopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1);
	if (!r)
		r = setopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1);
	if (!r)
		r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, 255);
	if (!r)
		r = setopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, 255);
	if (!r)
		r = setopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0);
	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

/* RSes go to all-routers (RFC 4861 §6.3.7); a host that does not forward
 * is not in that group unless we join it. */
static void set_group(struct dhcp_ra *ra, const struct ra_link *k, bool join)
{
	struct ipv6_mreq m = {.ipv6mr_multiaddr = all_routers,
			      .ipv6mr_interface = (unsigned)k->cfg.ifindex};
	int opt = join ? IPV6_ADD_MEMBERSHIP : IPV6_DROP_MEMBERSHIP;
	if (setsockopt(ra->fd, IPPROTO_IPV6, opt, &m, sizeof(m)) < 0 && join)
		pxe_log_msg(PXE_LOG_WARN, "ra", "%s: cannot join ff02::2 (%s): no answers to RS",
			    k->cfg.ifname, strerror(errno));
}

/* §4.2: an RA's source MUST be the link's link-local address. Left to
 * the kernel, a link whose link-local address is not there yet (no carrier,
 * still in DAD) sends from a global one, and hosts drop it (§6.1.2); so
 * the source is named, and a link without one is tried again later. */
static int link_local_of(int ifindex, struct in6_addr *out)
{
	struct ifaddrs *all, *a;
	char name[IF_NAMESIZE];
	if (!if_indextoname((unsigned)ifindex, name))
		return -errno;
	if (getifaddrs(&all) < 0)
		return -errno;
	int r = -EADDRNOTAVAIL;
	for (a = all; a && r; a = a->ifa_next) {
		const struct sockaddr_in6 *sa = (const struct sockaddr_in6 *)a->ifa_addr;
		if (!sa || sa->sin6_family != AF_INET6 || strcmp(a->ifa_name, name) ||
		    !IN6_IS_ADDR_LINKLOCAL(&sa->sin6_addr))
			continue;
		*out = sa->sin6_addr;
		r = 0;
	}
	freeifaddrs(all);
	return r;
}

/* To ff02::1 on the link, from its link-local address (the kernel refuses
 * one still in DAD: EINVAL, tried again later) and with the checksum
 * filled in by the kernel. */
static int send_ra(struct dhcp_ra *ra, const struct ra_link *k, bool final)
{
	uint8_t buf[DHCP_RA_MAX_LEN];
	size_t len = dhcp_ra_build(buf, sizeof(buf), &k->cfg, final);
	if (!len)
		return -EINVAL;
	struct in6_pktinfo pi = {.ipi6_ifindex = (unsigned)k->cfg.ifindex};
	int r = link_local_of(k->cfg.ifindex, &pi.ipi6_addr);
	if (r < 0)
		return r;
	struct sockaddr_in6 to = {.sin6_family = AF_INET6,
				  .sin6_addr = all_nodes,
				  .sin6_scope_id = (uint32_t)k->cfg.ifindex};
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cbuf;
	memset(&cbuf, 0, sizeof(cbuf));
	struct msghdr msg = {.msg_name = &to,
			     .msg_namelen = sizeof(to),
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf.b,
			     .msg_controllen = sizeof(cbuf.b)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = IPPROTO_IPV6;
	c->cmsg_type = IPV6_PKTINFO;
	c->cmsg_len = CMSG_LEN(sizeof(struct in6_pktinfo));
	memcpy(CMSG_DATA(c), &pi, sizeof(pi));
	return sendmsg(ra->fd, &msg, 0) < 0 ? -errno : 0;
}

/* "fd00:198:18:1::/64:LA,fd00:1::/48:L": each prefix with its flags. */
static void format_prefixes(char *out, size_t cap, const struct dhcp_ra_link *l)
{
	size_t at = 0;
	out[0] = 0;
	for (size_t i = 0; i < l->n_prefixes && at < cap; i++) {
		char a[INET6_ADDRSTRLEN];
		const struct dhcp_ra_prefix *x = &l->prefixes[i];
		inet_ntop(AF_INET6, x->prefix, a, sizeof(a));
		int w = snprintf(out + at, cap - at, "%s%s/%u:L%s", i ? "," : "", a,
				 (unsigned)x->len, x->autonomous ? "A" : "");
		if (w < 0)
			break;
		at += (size_t)w;
	}
}

static void log_link(const struct ra_link *k, const char *what)
{
	struct pxe_log_line l;
	char pfx[DHCP_RA_MAX_PREFIXES * 56];
	const char *flags[] = {"none", "O", "M", "MO"};
	pxe_log_begin(&l, PXE_LOG_INFO, "ra");
	if (!l.active)
		return;
	format_prefixes(pfx, sizeof(pfx), &k->cfg);
	pxe_log_str(&l, "op", what);
	pxe_log_str(&l, "iface", k->cfg.ifname);
	pxe_log_str(&l, "prefix", pfx);
	pxe_log_str(&l, "flags", flags[(k->cfg.managed ? 2 : 0) + (k->cfg.other ? 1 : 0)]);
	pxe_log_uint(&l, "router_lifetime", k->cfg.router_lifetime);
	pxe_log_uint(&l, "interval_ms", k->sched.max_ms);
	pxe_log_end(&l);
}

static void on_timer(uv_timer_t *t);

static void arm(struct dhcp_ra *ra)
{
	if (!ra->n) {
		uv_timer_stop(&ra->timer);
		return;
	}
	uint64_t due = UINT64_MAX, now = uv_now(ra->loop);
	for (size_t i = 0; i < ra->n; i++)
		if (ra->links[i].sched.next < due)
			due = ra->links[i].sched.next;
	uv_timer_start(&ra->timer, on_timer, due > now ? due - now : 0, 0);
}

/* A failure is usually the link-local address still in DAD at start: a
 * warning only when it lasts (or a link that worked stops working), then
 * quiet until it works again. */
#define FAILS_BEFORE_WARNING 5

static void send_due(struct dhcp_ra *ra, struct ra_link *k, uint64_t now)
{
	int r = send_ra(ra, k, false);
	if (r == 0) {
		pxe_log_msg(k->warned ? PXE_LOG_INFO : PXE_LOG_DEBUG, "ra", "sent on %s%s",
			    k->cfg.ifname, k->warned ? " again" : "");
		k->fails = 0;
		k->warned = false;
		k->sent_lifetime = k->cfg.router_lifetime;
		dhcp_ra_sched_sent(&k->sched, now, rnd32());
		return;
	}
	k->fails++;
	bool warn = !k->warned && (k->sched.has_last || k->fails >= FAILS_BEFORE_WARNING);
	pxe_log_msg(warn ? PXE_LOG_WARN : PXE_LOG_DEBUG, "ra", "%s: send failed: %s%s",
		    k->cfg.ifname, strerror(-r), warn ? " (retrying every second)" : "");
	k->warned = k->warned || warn;
	dhcp_ra_sched_failed(&k->sched, now);
}

static void on_timer(uv_timer_t *t)
{
	struct dhcp_ra *ra = t->data;
	uint64_t now = uv_now(ra->loop);
	for (size_t i = 0; i < ra->n; i++)
		if (ra->links[i].sched.next <= now)
			send_due(ra, &ra->links[i], now);
	arm(ra);
}

static struct ra_link *find_link(struct ra_link *links, size_t n, int ifindex)
{
	for (size_t i = 0; i < n; i++)
		if (links[i].cfg.ifindex == ifindex)
			return &links[i];
	return NULL;
}

static void log_rs(const struct ra_link *k, const struct sockaddr_in6 *from,
		   enum dhcp_ra_rs_verdict v, const struct dhcp_ra_rs *rs)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_DEBUG, "rs");
	if (!l.active)
		return;
	pxe_log_str(&l, "iface", k->cfg.ifname);
	pxe_log_addr(&l, "client", (const struct sockaddr *)from);
	if (rs->has_slla)
		pxe_log_mac(&l, "mac", rs->slla, 6);
	if (v != DHCP_RA_RS_OK)
		pxe_log_str(&l, "why", dhcp_ra_rs_verdict_name(v));
	pxe_log_end(&l);
}

static void handle_rs(struct dhcp_ra *ra, const uint8_t *buf, size_t len,
		      const struct sockaddr_in6 *from, int ifindex, int hops)
{
	struct ra_link *k = find_link(ra->links, ra->n, ifindex);
	if (!k)
		return; /* a link we do not advertise on */
	struct dhcp_ra_rs rs = {0};
	enum dhcp_ra_rs_verdict v = dhcp_ra_rs_check(buf, len, hops, from->sin6_addr.s6_addr, &rs);
	log_rs(k, from, v, &rs);
	if (v != DHCP_RA_RS_OK)
		return;
	dhcp_ra_sched_rs(&k->sched, uv_now(ra->loop), rnd32());
	arm(ra);
}

/* One datagram with its arrival interface and hop limit; false when the
 * socket is drained. */
static bool recv_one(struct dhcp_ra *ra)
{
	uint8_t buf[1500];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(int))];
	} cbuf;
	struct sockaddr_in6 from;
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	struct msghdr msg = {.msg_name = &from,
			     .msg_namelen = sizeof(from),
			     .msg_iov = &iov,
			     .msg_iovlen = 1,
			     .msg_control = cbuf.b,
			     .msg_controllen = sizeof(cbuf.b)};
	ssize_t r = recvmsg(ra->fd, &msg, MSG_DONTWAIT);
	if (r < 0)
		return errno == EINTR;
	int ifindex = 0, hops = -1;
	for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c)) {
		if (c->cmsg_level != IPPROTO_IPV6)
			continue;
		if (c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			ifindex = (int)pi.ipi6_ifindex;
		} else if (c->cmsg_type == IPV6_HOPLIMIT) {
			memcpy(&hops, CMSG_DATA(c), sizeof(hops));
		}
	}
	/* The ICMPv6 checksum is checked already: Linux verifies it for
	 * IPPROTO_ICMPV6 raw sockets and drops a bad datagram before recvmsg. */
	if (ifindex > 0 && !(msg.msg_flags & MSG_TRUNC))
		handle_rs(ra, buf, (size_t)r, &from, ifindex, hops);
	return true;
}

static void on_readable(uv_poll_t *h, int status, int events)
{
	struct dhcp_ra *ra = h->data;
	(void)events;
	if (status < 0)
		return;
	for (int i = 0; i < 64 && recv_one(ra); i++)
		;
}

/* Copy the configuration into fresh links (sched is set by the caller);
 * -EINVAL, logged, when a link's RA cannot be built. */
static int copy_links(const struct dhcp_ra_link *links, size_t n, struct ra_link **out)
{
	struct ra_link *v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		v[i].cfg = links[i];
		v[i].len = dhcp_ra_build(v[i].pkt, sizeof(v[i].pkt), &links[i], false);
		if (!v[i].len) {
			pxe_log_msg(PXE_LOG_ERR, "ra", "%s: more than %d prefixes", links[i].ifname,
				    DHCP_RA_MAX_PREFIXES);
			free(v);
			return -EINVAL;
		}
	}
	*out = v;
	return 0;
}

static void start_link(struct dhcp_ra *ra, struct ra_link *k)
{
	set_group(ra, k, true);
	dhcp_ra_sched_start(&k->sched, k->cfg.max_interval_ms, uv_now(ra->loop));
	log_link(k, "start");
}

/* §6.2.5: a link that stops advertising tells hosts it is no longer a
 * default router, if the last RA that went out said it was. One final RA;
 * the RFC allows up to three, but stopping must not wait for timers. */
static void stop_link(struct dhcp_ra *ra, const struct ra_link *k)
{
	if (k->sent_lifetime) {
		int r = send_ra(ra, k, true);
		if (r < 0)
			pxe_log_msg(PXE_LOG_WARN, "ra", "%s: final RA not sent: %s", k->cfg.ifname,
				    strerror(-r));
		else
			pxe_log_msg(PXE_LOG_INFO, "ra", "%s: final RA, router lifetime 0",
				    k->cfg.ifname);
	}
	set_group(ra, k, false);
}

struct dhcp_ra *dhcp_ra_start(uv_loop_t *loop, const struct dhcp_ra_link *links, size_t n)
{
	int fd = open_socket();
	if (fd < 0) {
		pxe_log_msg(PXE_LOG_WARN, "ra",
			    "no raw ICMPv6 socket (%s; CAP_NET_RAW is needed): "
			    "router advertisements disabled, DHCPv6 goes on",
			    strerror(-fd));
		return NULL;
	}
	struct dhcp_ra *ra = calloc(1, sizeof(*ra));
	struct ra_link *v = NULL;
	int r = ra ? copy_links(links, n, &v) : -ENOMEM;
	if (r < 0) {
		pxe_log_msg(PXE_LOG_ERR, "ra", "router advertisements disabled: %s", strerror(-r));
		free(ra);
		close(fd);
		return NULL;
	}
	ra->loop = loop;
	ra->fd = fd;
	ra->links = v;
	ra->n = n;
	uv_poll_init(loop, &ra->poll, fd);
	uv_timer_init(loop, &ra->timer);
	ra->poll.data = ra->timer.data = ra;
	ra->open_handles = 2;
	for (size_t i = 0; i < n; i++)
		start_link(ra, &ra->links[i]);
	uv_poll_start(&ra->poll, UV_READABLE, on_readable);
	arm(ra);
	return ra;
}

/* A link kept across a reload: its schedule goes on, and starts over when
 * what it advertises changed. */
static void keep_link(struct dhcp_ra *ra, struct ra_link *k, const struct ra_link *old)
{
	bool changed = k->len != old->len || memcmp(k->pkt, old->pkt, k->len) != 0;
	k->sched = old->sched;
	k->fails = old->fails;
	k->warned = old->warned;
	k->sent_lifetime = old->sent_lifetime;
	dhcp_ra_sched_update(&k->sched, k->cfg.max_interval_ms, changed, uv_now(ra->loop), rnd32());
	if (changed)
		log_link(k, "update");
}

int dhcp_ra_update(struct dhcp_ra *ra, const struct dhcp_ra_link *links, size_t n)
{
	struct ra_link *v = NULL;
	int r = copy_links(links, n, &v);
	if (r < 0)
		return r;
	for (size_t i = 0; i < ra->n; i++)
		if (!find_link(v, n, ra->links[i].cfg.ifindex))
			stop_link(ra, &ra->links[i]);
	for (size_t i = 0; i < n; i++) {
		const struct ra_link *old = find_link(ra->links, ra->n, v[i].cfg.ifindex);
		if (old)
			keep_link(ra, &v[i], old);
		else
			start_link(ra, &v[i]);
	}
	free(ra->links);
	ra->links = v;
	ra->n = n;
	arm(ra);
	return 0;
}

static void on_closed(uv_handle_t *h)
{
	struct dhcp_ra *ra = h->data;
	if (--ra->open_handles == 0) {
		close(ra->fd);
		free(ra->links);
		free(ra);
	}
}

void dhcp_ra_stop(struct dhcp_ra *ra)
{
	if (!ra)
		return;
	for (size_t i = 0; i < ra->n; i++) {
		stop_link(ra, &ra->links[i]);
		log_link(&ra->links[i], "stop");
	}
	ra->n = 0;
	uv_close((uv_handle_t *)&ra->poll, on_closed);
	uv_close((uv_handle_t *)&ra->timer, on_closed);
}
