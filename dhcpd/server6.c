/* SPDX-License-Identifier: MIT */
/* The DHCPv6 side of the server loop (see server6.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "commit.h"
#include "heldlog.h"
#include "hex.h"
#include "ifaces.h"
#include "leases6.h"
#include "listen.h"
#include "log.h"
#include "ra.h"
#include "script.h"
#include "server6.h"
#include "send.h"
#include "v6/decide.h"

#define DHCP6_SERVER_PORT 547 /* RFC 8415 §7.2 */
#define DHCP6_CLIENT_PORT 546
#define DHCP6_PORT_PXE    4011 /* EDK2 PXEBC_BS_DISCOVER_PORT, for IPv6 too */
#define RX6_BATCH         256

/* ff02::1:2, All_DHCP_Relay_Agents_and_Servers (RFC 8415 §7.1) */
static const uint8_t all_dhcp[16] = {0xff, 0x02, [13] = 0x01, [15] = 0x02};

/* ---- the server DUID */

/* DUID-LL from the MAC of the lowest-numbered interface (RFC 8415
 * §11.4): derived, so it is the same after a restart; else DUID-UUID
 * (RFC 6355) from /etc/machine-id. */
static int make_duid(struct dhcpd *d)
{
	uint8_t *o = d->duid6;
	if (d->if6.has_mac) {
		o[0] = 0, o[1] = DHCP6_DUID_LL, o[2] = 0, o[3] = DHCP6_HWTYPE_ETHERNET;
		memcpy(o + 4, d->if6.mac, 6);
		d->duid6_len = 10;
		return 0;
	}
	char id[64] = "";
	int fd = open("/etc/machine-id", O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, id, sizeof(id) - 1) : -1;
	if (fd >= 0)
		close(fd);
	if (n < 32 || pxe_hex_decode(id, 32, NULL, 0, o + 2, 16) != 16)
		return -ENODEV;
	o[0] = 0, o[1] = DHCP6_DUID_UUID;
	d->duid6_len = 18;
	return 0;
}

/* ---- sockets */

static int join_links(struct dhcpd *d, int fd)
{
	int joined = 0;
	for (size_t i = 0; i < d->if6.n_links; i++) {
		int idx = d->if6.links[i].ifindex;
		if (!dhcp_ifaces_allowed(d, idx))
			continue;
		struct ipv6_mreq mr = {.ipv6mr_interface = (unsigned)idx};
		memcpy(&mr.ipv6mr_multiaddr, all_dhcp, 16);
		if (setsockopt(fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &mr, sizeof(mr)) == 0 ||
		    errno == EADDRINUSE)
			joined++;
	}
	return joined;
}

static int bind6(int port, bool quiet)
{
	int fd = dhcp_listen_udp("[::]", port, 0, quiet);
	int off = 0; /* our own multicast (RAs, other servers' traffic) is not a request */
	if (fd >= 0)
		setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof(off));
	return fd;
}

/* ---- one request */

/* The request's line; held for the commit (heldlog.h) when the reply
 * waits for the journal, else written and NULL returned. */
static struct dhcp_heldlog *log_request(const struct dhcp6_msg *m, const struct dhcp6_out *o,
					int ifindex)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, o->type || o->n_ev ? PXE_LOG_INFO : PXE_LOG_DEBUG, "dhcp");
	if (!l.active)
		return NULL;
	char xid[16], ip[INET6_ADDRSTRLEN], ifn[IF_NAMESIZE], duid[2 * 130 + 1];
	snprintf(xid, sizeof(xid), "0x%06x", m->xid);
	pxe_log_uint(&l, "family", 6);
	pxe_log_str(&l, "type", dhcp6_msg_type_name(m->type));
	if (m->client_id.data) {
		pxe_hex_encode(duid, sizeof(duid), m->client_id.data, m->client_id.len, 0);
		pxe_log_str(&l, "duid", duid);
	}
	if (o->has_mac)
		pxe_log_mac(&l, "mac", o->mac, 6);
	pxe_log_str(&l, "xid", xid);
	if (ifindex > 0 && if_indextoname((unsigned)ifindex, ifn))
		pxe_log_str(&l, "iface", ifn);
	if (m->n_relays)
		pxe_log_str(&l, "relay",
			    inet_ntop(AF_INET6, m->relays[m->n_relays - 1].link, ip, sizeof(ip)));
	struct dhcp_logtail t = {.reply = o->type ? dhcp6_msg_type_name(o->type) : NULL,
				 .status = o->status};
	if (o->has_addr)
		inet_ntop(AF_INET6, o->addr, t.ip, sizeof(t.ip));
	if (o->n_ev)
		t.lease = dhcp_jevent_name(o->ev[0].ev);
	if (o->why)
		snprintf(t.why, sizeof(t.why), "%s", o->why);
	if (o->sync && o->type)
		return dhcp_heldlog_make(&l, &t);
	dhcp_logtail_write(&l, &t);
	pxe_log_end(&l);
	return NULL;
}

static void log_boot(const struct dhcp6_msg *m, const struct dhcp6_out *o, bool on_4011)
{
	const struct dhcp_pxe_decision *dec = &o->boot;
	const struct dhcp_pxe_client *c = &dec->client;
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_INFO, "pxe");
	if (!l.active)
		return;
	char xid[16];
	snprintf(xid, sizeof(xid), "0x%06x", m->xid);
	pxe_log_uint(&l, "family", 6);
	if (o->has_mac)
		pxe_log_mac(&l, "mac", o->mac, 6);
	pxe_log_str(&l, "xid", xid);
	pxe_log_str(&l, "type", dhcp6_msg_type_name(m->type));
	if (on_4011)
		pxe_log_uint(&l, "port", DHCP6_PORT_PXE);
	pxe_log_str(&l, "arch", c->arch_known ? c->arch_name : "unknown");
	if (c->arch_known)
		pxe_log_uint(&l, "arch_code", c->arch);
	pxe_log_str(&l, "class", dhcp_pxe_client_class(c));
	pxe_log_str(&l, "boot", dec->boot ? dec->boot->pxe.name : "-");
	pxe_log_str(&l, "file", o->url[0] ? o->url : "-");
	if (!o->url[0] && dec->why)
		pxe_log_str(&l, "why", dec->why);
	pxe_log_end(&l);
}

static void commit6(struct dhcpd *d, const struct dhcp6_out *o)
{
	for (size_t i = 0; i < o->n_ev; i++) {
		if (dhcp_journal_add6(&d->journal, dhcp_now(), o->ev[i].ev, &o->ev[i].lease) < 0)
			pxe_log_msg(PXE_LOG_ERR, "journal", "cannot buffer a lease line");
		dhcp_script_event6(d->script, o->ev[i].ev, &o->ev[i].lease);
	}
}

/* Bad packets get silence (RFC 8415 §16) and, so that a flood cannot
 * fill the log, one warning per MALFORMED_LOG_MS with how many there were;
 * each one at debug level. */
#define MALFORMED_LOG_MS 10000

static void malformed(struct dhcpd *d, const struct sockaddr_in6 *from, size_t len,
		      const char *what, unsigned code)
{
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, &from->sin6_addr, ip, sizeof(ip));
	pxe_log_msg(PXE_LOG_DEBUG, "dhcp",
		    "family=6 packet of %zu bytes from [%s] ignored: %s (option %u)", len, ip, what,
		    code);
	d->malformed6++;
	uint64_t now = uv_now(d->loop);
	if (d->malformed6_logged_ms && now - d->malformed6_logged_ms < MALFORMED_LOG_MS)
		return;
	pxe_log_msg(PXE_LOG_WARN, "dhcp",
		    "family=6 %lu bad packets ignored so far; the last: %s, %zu bytes from [%s] "
		    "(option %u)",
		    (unsigned long)d->malformed6, what, len, ip, code);
	d->malformed6_logged_ms = now ? now : 1;
}

static void handle6(struct dhcpd *d, const uint8_t *buf, size_t len,
		    const struct sockaddr_in6 *from, const struct in6_addr *dst,
		    const struct dhcp6_rx *rx)
{
	struct dhcp6_msg *m = d->msg6;
	struct dhcp6_out *o = d->out6;
	int pr = dhcp6_parse(buf, len, m);
	if (pr < 0) {
		malformed(d, from, len, pr == -ELOOP ? "too many relay layers" : "malformed",
			  m->bad_code);
		return;
	}
	struct dhcp6_ctx ctx = {.cfg = d->cfg,
				.leases = dhcp_leases_v6(d->leases),
				.duid = d->duid6,
				.duid_len = d->duid6_len};
	dhcp6_decide(&ctx, m, rx, dhcp_now(), o);
	if (o->boot.made)
		log_boot(m, o, rx->on_4011);
	struct dhcp_heldlog *line = log_request(m, o, rx->ifindex);
	if (o->n_ev)
		commit6(d, o);
	if (!o->type)
		return;
	struct dhcp_pending *p = calloc(1, sizeof(*p) + o->len);
	if (!p) {
		dhcp_heldlog_end(line, "out of memory");
		return;
	}
	p->v6 = true;
	p->v6_4011 = rx->on_4011;
	p->dst6 = *from; /* the client (port 546) or the relay (547), §19.3 */
	p->dst6.sin6_scope_id = (uint32_t)rx->ifindex;
	if (!rx->multicast)
		p->src6 = *dst; /* else :: from calloc: the kernel picks */
	p->len = o->len;
	memcpy(p->buf, o->buf, o->len);
	p->log = line;
	if (o->sync)
		dhcp_commit_queue(d, p);
	else
		dhcp_send_queue(d, p);
}

static bool read_pktinfo6(struct msghdr *mh, int *ifindex, struct in6_addr *dst)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof(pi));
			*ifindex = (int)pi.ipi6_ifindex;
			*dst = pi.ipi6_addr;
			return true;
		}
	}
	return false;
}

static void read_one6(struct dhcpd *d, int fd, bool on_4011)
{
	uint8_t buf[DHCP6_MAX_MSG + 1];
	struct sockaddr_in6 from;
	_Alignas(struct cmsghdr) char cb[256];
	struct iovec iov = {.iov_base = buf, .iov_len = sizeof(buf)};
	for (unsigned got = 0; got < RX6_BATCH; got++) {
		struct msghdr mh = {.msg_name = &from,
				    .msg_namelen = sizeof(from),
				    .msg_iov = &iov,
				    .msg_iovlen = 1,
				    .msg_control = cb,
				    .msg_controllen = sizeof(cb)};
		ssize_t n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		d->stats_rx++;
		struct in6_addr dst;
		struct dhcp6_rx rx = {.on_4011 = on_4011};
		if (!read_pktinfo6(&mh, &rx.ifindex, &dst) || !dhcp_ifaces_allowed(d, rx.ifindex) ||
		    (size_t)n > DHCP6_MAX_MSG || from.sin6_family != AF_INET6 ||
		    !ntohs(from.sin6_port))
			continue;
		rx.multicast = IN6_IS_ADDR_MULTICAST(&dst);
		rx.link = dhcp6_link_subnet(d->cfg, &d->if6, rx.ifindex, rx.server, &rx.has_server);
		handle6(d, buf, (size_t)n, &from, &dst, &rx);
	}
}

static void on_readable6(uv_poll_t *h, int status, int events)
{
	struct dhcpd *d = h->data;
	(void)events;
	if (status < 0)
		return;
	read_one6(d, h == &d->poll6_4011 ? d->fd6_4011 : d->fd6, h == &d->poll6_4011);
}

/* ---- router advertisements */

#define RA_MAX_LINKS 32

static bool link_allowed(const void *ctx, int ifindex)
{
	return dhcp_ifaces_allowed(ctx, ifindex);
}

/* The links to advertise on: -EADDRNOTAVAIL (logged) when an ra = yes
 * prefix is on no interface, -EINVAL when a link's values are out of
 * RFC 4861's bounds. */
static int ra_links(struct dhcpd *d, struct dhcp_ra_link *links, size_t *n)
{
	const struct dhcp_subnet6 *missing;
	*n = dhcp6_ra_links(d->cfg, &d->if6, link_allowed, d, links, RA_MAX_LINKS, &missing);
	if (missing) {
		pxe_log_msg(PXE_LOG_ERR, "ra",
			    "%s:%d: [subnet6 %s] ra = yes, but no interface%s has an address "
			    "in the prefix: it would be advertised where it is not on the link",
			    missing->file, missing->line, missing->cidr,
			    d->cfg->interface.n ? " of interface =" : "");
		return -EADDRNOTAVAIL;
	}
	for (size_t i = 0; i < *n; i++) {
		const char *why = dhcp_ra_link_problem(&links[i]);
		if (why) {
			pxe_log_msg(PXE_LOG_ERR, "ra", "%s: %s", links[i].ifname, why);
			return -EINVAL;
		}
	}
	return 0;
}

static int ra_start(struct dhcpd *d)
{
	struct dhcp_ra_link links[RA_MAX_LINKS];
	size_t n;
	int r = ra_links(d, links, &n);
	if (r < 0 || !n)
		return r;
	d->ra = dhcp_ra_start(d->loop, links, n); /* NULL: logged, DHCPv6 goes on */
	return 0;
}

static void ra_reload(struct dhcpd *d)
{
	struct dhcp_ra_link links[RA_MAX_LINKS];
	size_t n;
	if (ra_links(d, links, &n) < 0) {
		pxe_log_msg(PXE_LOG_WARN, "reload", "router advertisements unchanged");
		return;
	}
	if (d->ra)
		dhcp_ra_update(d->ra, links, n);
	else if (n)
		d->ra = dhcp_ra_start(d->loop, links, n);
}

/* ---- life */

static void expired6(void *ctx, struct dhcp6_lease *l)
{
	struct dhcpd *d = ctx;
	char ip[INET6_ADDRSTRLEN];
	struct pxe_log_line line;
	pxe_log_begin(&line, PXE_LOG_INFO, "dhcp");
	pxe_log_uint(&line, "family", 6);
	pxe_log_str(&line, "lease", "expire");
	if (l->has_mac)
		pxe_log_mac(&line, "mac", l->mac, 6);
	pxe_log_str(&line, "ip", inet_ntop(AF_INET6, l->addr, ip, sizeof(ip)));
	pxe_log_end(&line);
	if (dhcp_journal_add6(&d->journal, dhcp_now(), JEV_EXPIRE, l) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "cannot buffer a lease line");
	dhcp_script_event6(d->script, JEV_EXPIRE, l);
}

void dhcp6_server_expire(struct dhcpd *d)
{
	if (d->fd6 >= 0 && d->cfg->mode6 == DHCP6_MODE_FULL)
		dhcp6_leases_expire(dhcp_leases_v6(d->leases), dhcp_now(), expired6, d);
}

static int set_ranges(struct dhcpd *d, const struct dhcpd_config *c)
{
	return dhcp6_leases_set_ranges(dhcp_leases_v6(d->leases), c->ranges6, c->n_ranges6,
				       (const uint8_t(*)[16])c->reserved6, c->n_reserved6);
}

void dhcp6_server_refresh(struct dhcpd *d)
{
	if (d->fd6 < 0)
		return;
	if (dhcp6_iflist_read(&d->if6) == 0)
		join_links(d, d->fd6);
}

void dhcp6_server_reload(struct dhcpd *d)
{
	if (d->fd6 < 0)
		return;
	if (set_ranges(d, d->cfg) < 0)
		pxe_log_msg(PXE_LOG_ERR, "reload", "family=6: cannot set the ranges");
	dhcp6_server_refresh(d);
	ra_reload(d);
}

int dhcp6_server_start(struct dhcpd *d)
{
	const struct dhcpd_config *c = d->cfg;
	if (c->mode6 == DHCP6_MODE_OFF)
		return 0;
	d->msg6 = malloc(sizeof(*d->msg6));
	d->out6 = malloc(sizeof(*d->out6));
	if (!d->msg6 || !d->out6)
		return -ENOMEM;
	int r = dhcp6_iflist_read(&d->if6);
	if (r < 0) {
		pxe_log_startup_err(NULL, "interfaces: %s", strerror(-r));
		return r;
	}
	if ((r = make_duid(d)) < 0) {
		pxe_log_startup_err(NULL, "DHCPv6: no interface with a MAC and no "
					  "/etc/machine-id for a server DUID");
		return r;
	}
	if ((r = set_ranges(d, c)) < 0)
		return r;
	if ((d->fd6 = bind6(DHCP6_SERVER_PORT, false)) < 0)
		return d->fd6;
	if (c->mode6 == DHCP6_MODE_BOOT_ONLY && (d->fd6_4011 = bind6(DHCP6_PORT_PXE, true)) < 0)
		d->fd6_4011 = -1; /* EDK2 then cannot follow a proxy offer; others can */
	int joined = join_links(d, d->fd6);
	if ((r = ra_start(d)) < 0) {
		pxe_log_startup_err(NULL, "router advertisements: see the line above");
		return r;
	}
	uv_poll_init(d->loop, &d->poll6, d->fd6);
	d->poll6.data = d;
	uv_poll_start(&d->poll6, UV_READABLE, on_readable6);
	if (d->fd6_4011 >= 0) {
		uv_poll_init(d->loop, &d->poll6_4011, d->fd6_4011);
		d->poll6_4011.data = d;
		uv_poll_start(&d->poll6_4011, UV_READABLE, on_readable6);
	}
	char duid[41];
	pxe_hex_encode(duid, sizeof(duid), d->duid6, d->duid6_len, 0);
	pxe_log_msg(PXE_LOG_NOTICE, "start",
		    "family=6 mode=%s subnets=%zu ranges=%zu links=%d duid=%s",
		    c->mode6 == DHCP6_MODE_FULL ? "full" : "boot-only", c->n_subnets6, c->n_ranges6,
		    joined, duid);
	return 0;
}

void dhcp6_server_stop(struct dhcpd *d)
{
	dhcp_ra_stop(d->ra); /* the final RA where one is due (RFC 4861 §6.2.5) */
	d->ra = NULL;
	if (d->fd6 >= 0)
		uv_close((uv_handle_t *)&d->poll6, NULL);
	if (d->fd6_4011 >= 0)
		uv_close((uv_handle_t *)&d->poll6_4011, NULL);
}

void dhcp6_server_free(struct dhcpd *d)
{
	if (d->fd6 >= 0)
		close(d->fd6);
	if (d->fd6_4011 >= 0)
		close(d->fd6_4011);
	dhcp6_iflist_free(&d->if6);
	free(d->msg6);
	free(d->out6);
}
