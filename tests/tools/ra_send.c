/* SPDX-License-Identifier: MIT */
/* ra_send: pxe-dhcpd's router advertisements (dhcpd/ra.c) on one interface,
 * without the rest of the daemon, for tests/integration/dhcpd_ra.sh. Run it
 * only inside a network namespace made for the test.
 *   ra_send [options] IFACE PREFIX/LEN
 *     --managed --other        the M and O flags
 *     --no-slaac               the prefix without the A flag
 *     --router-lifetime S      default 0
 *     --interval S             MaxRtrAdvInterval, default 600
 *     --seconds N              stop after N seconds (default 30); SIGTERM
 *                              and SIGINT stop at once
 *     --add-prefix P/LEN       reload after --add-after seconds (default 5)
 *     --add-after S            with this prefix added (dhcp_ra_update)
 * Logs at level debug to stderr; exit 0, 1 when RAs could not start, 2 on
 * a usage error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "log.h"
#include "ra.h"

struct ctx {
	uv_loop_t *loop;
	struct dhcp_ra *ra;
	struct dhcp_ra_link link;
	struct dhcp_ra_prefix extra;
	bool has_extra;
	uv_timer_t stop_timer, add_timer;
	uv_signal_t sigterm, sigint;
};

static int parse_prefix(const char *s, struct dhcp_ra_prefix *p, bool slaac)
{
	char buf[INET6_ADDRSTRLEN + 8];
	snprintf(buf, sizeof(buf), "%s", s);
	char *slash = strchr(buf, '/');
	if (!slash)
		return -EINVAL;
	*slash = 0;
	char *end;
	long len = strtol(slash + 1, &end, 10);
	if (*end || len < 0 || len > 128 || inet_pton(AF_INET6, buf, p->prefix) != 1)
		return -EINVAL;
	p->len = (uint8_t)len;
	p->autonomous = slaac;
	p->valid = DHCP_RA_DEFAULT_VALID;
	p->preferred = DHCP_RA_DEFAULT_PREFERRED;
	return 0;
}

/* The interface's index, MAC and MTU, as the daemon's interface code will
 * give them. */
static int read_iface(const char *name, struct dhcp_ra_link *l)
{
	struct ifreq ifr = {0};
	snprintf(l->ifname, sizeof(l->ifname), "%s", name);
	l->ifindex = (int)if_nametoindex(name);
	if (!l->ifindex)
		return -errno;
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == 0) {
		memcpy(l->mac, ifr.ifr_hwaddr.sa_data, 6);
		l->has_mac = true;
	}
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		l->mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	return 0;
}

static void on_handle_closed(uv_handle_t *h)
{
	(void)h;
}

static void stop(struct ctx *c)
{
	if (!c->ra)
		return;
	dhcp_ra_stop(c->ra);
	c->ra = NULL;
	uv_close((uv_handle_t *)&c->stop_timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->add_timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->sigterm, on_handle_closed);
	uv_close((uv_handle_t *)&c->sigint, on_handle_closed);
}

static void on_stop_timer(uv_timer_t *t)
{
	stop(t->data);
}

static void on_signal(uv_signal_t *s, int signum)
{
	(void)signum;
	stop(s->data);
}

static void on_add_timer(uv_timer_t *t)
{
	struct ctx *c = t->data;
	c->link.prefixes[c->link.n_prefixes++] = c->extra;
	int r = dhcp_ra_update(c->ra, &c->link, 1);
	pxe_log_msg(PXE_LOG_INFO, "ra_send", "update: %s", r ? strerror(-r) : "ok");
}

static int usage(void)
{
	fprintf(stderr, "usage: ra_send [--managed] [--other] [--no-slaac] [--router-lifetime S] "
			"[--interval S] [--seconds N] [--add-prefix P/LEN [--add-after S]] "
			"IFACE PREFIX/LEN\n");
	return 2;
}

enum { O_RL = 256, O_IV, O_SEC, O_ADD, O_ADD_AFTER };

static int parse_args(int argc, char **argv, struct ctx *c, unsigned *secs, unsigned *add_after)
{
	static const struct option opts[] = {{"managed", no_argument, NULL, 'm'},
					     {"other", no_argument, NULL, 'o'},
					     {"no-slaac", no_argument, NULL, 'n'},
					     {"router-lifetime", required_argument, NULL, O_RL},
					     {"interval", required_argument, NULL, O_IV},
					     {"seconds", required_argument, NULL, O_SEC},
					     {"add-prefix", required_argument, NULL, O_ADD},
					     {"add-after", required_argument, NULL, O_ADD_AFTER},
					     {NULL, 0, NULL, 0}};
	bool slaac = true;
	const char *add = NULL;
	int o;
	while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (o) {
		case 'm': c->link.managed = true; break;
		case 'o': c->link.other = true; break;
		case 'n': slaac = false; break;
		case O_RL: c->link.router_lifetime = (uint16_t)atoi(optarg); break;
		case O_IV: c->link.max_interval_ms = (uint32_t)atoi(optarg) * 1000; break;
		case O_SEC: *secs = (unsigned)atoi(optarg); break;
		case O_ADD: add = optarg; break;
		case O_ADD_AFTER: *add_after = (unsigned)atoi(optarg); break;
		default: return -EINVAL;
		}
	}
	if (argc - optind != 2 || read_iface(argv[optind], &c->link) < 0 ||
	    parse_prefix(argv[optind + 1], &c->link.prefixes[0], slaac) < 0)
		return -EINVAL;
	c->link.n_prefixes = 1;
	if (add && parse_prefix(add, &c->extra, slaac) < 0)
		return -EINVAL;
	c->has_extra = add != NULL;
	return 0;
}

int main(int argc, char **argv)
{
	static struct ctx c;
	unsigned secs = 30, add_after = 5;
	if (parse_args(argc, argv, &c, &secs, &add_after) < 0)
		return usage();
	struct pxe_log_config lc = {.level = PXE_LOG_DEBUG};
	pxe_log_open("ra_send", &lc);
	const char *why = dhcp_ra_link_problem(&c.link);
	if (why)
		pxe_log_msg(PXE_LOG_WARN, "ra_send", "%s", why);
	c.loop = uv_default_loop();
	c.ra = dhcp_ra_start(c.loop, &c.link, 1);
	if (!c.ra)
		return 1;
	uv_timer_init(c.loop, &c.stop_timer);
	uv_timer_init(c.loop, &c.add_timer);
	uv_signal_init(c.loop, &c.sigterm);
	uv_signal_init(c.loop, &c.sigint);
	c.stop_timer.data = c.add_timer.data = c.sigterm.data = c.sigint.data = &c;
	uv_timer_start(&c.stop_timer, on_stop_timer, (uint64_t)secs * 1000, 0);
	if (c.has_extra)
		uv_timer_start(&c.add_timer, on_add_timer, (uint64_t)add_after * 1000, 0);
	uv_signal_start(&c.sigterm, on_signal, SIGTERM);
	uv_signal_start(&c.sigint, on_signal, SIGINT);
	uv_run(c.loop, UV_RUN_DEFAULT);
	uv_loop_close(c.loop);
	pxe_log_close();
	return 0;
}
