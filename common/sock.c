/* SPDX-License-Identifier: MIT */
/* Addresses, listening sockets, and the two systemd protocols pxesuite
 * speaks without libsystemd: socket activation (sd_listen_fds(3)) and
 * readiness notification (sd_notify(3)). Linux only. */
#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

/* "[" + 45-char IPv6 text + "%" + 15-char interface name + "]:65535" is
 * 70; anything much longer is not an address. */
#define ADDR_MAX_LEN 128
/* sd_listen_fds(3): passed fds start right after stdin/stdout/stderr. */
#define LISTEN_FDS_START 3

/* ------------------------------------------------------------ parsing */

static bool all_digits(const char *s, size_t n)
{
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* Strict decimal: digits only (no sign, no spaces, no "0x"), <= max. */
static int parse_ulong(const char *s, size_t n, unsigned long max, unsigned long *out)
{
	unsigned long v = 0;
	if (!all_digits(s, n))
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (max - d) / 10)
			return -EINVAL;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* p == NULL: no ":PORT" was written, use the default (which must be a
 * port itself; a negative default means a port is required). */
static int resolve_port(const char *p, size_t n, int default_port, int *port)
{
	unsigned long v;
	if (!p) {
		if (default_port < 0 || default_port > 65535)
			return -EINVAL;
		*port = default_port;
		return 0;
	}
	if (n > 5 || parse_ulong(p, n, 65535, &v) < 0)
		return -EINVAL;
	*port = (int)v;
	return 0;
}

/* "%eth0" or "%2" (RFC 4007 section 11.2 zone index). */
static int parse_scope(const char *name, uint32_t *id)
{
	unsigned long v;
	size_t n = strlen(name);
	if (n == 0 || n >= IF_NAMESIZE)
		return -EINVAL;
	unsigned idx = if_nametoindex(name);
	if (idx) {
		*id = idx;
		return 0;
	}
	if (parse_ulong(name, n, UINT32_MAX, &v) < 0 || v == 0)
		return -EINVAL;
	*id = (uint32_t)v;
	return 0;
}

static int set_v4(const char *h, size_t n, int port, struct pxe_sockaddr *out)
{
	char buf[INET_ADDRSTRLEN];
	struct sockaddr_in *sin = &out->u.in4;
	if (n == 0 || (n == 1 && h[0] == '*')) {
		sin->sin_addr.s_addr = htonl(INADDR_ANY);
	} else {
		if (n >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, h, n);
		buf[n] = '\0';
		/* inet_pton, unlike inet_aton, takes only a full dotted quad */
		if (inet_pton(AF_INET, buf, &sin->sin_addr) != 1)
			return -EINVAL;
	}
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	out->len = sizeof(*sin);
	return 0;
}

static int set_v6(const char *h, size_t n, int port, struct pxe_sockaddr *out)
{
	char buf[INET6_ADDRSTRLEN + IF_NAMESIZE + 1];
	struct sockaddr_in6 *sin6 = &out->u.in6;
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, h, n);
	buf[n] = '\0';
	char *pct = strchr(buf, '%');
	if (pct) {
		*pct = '\0';
		if (parse_scope(pct + 1, &sin6->sin6_scope_id) < 0)
			return -EINVAL;
	}
	if (inet_pton(AF_INET6, buf, &sin6->sin6_addr) != 1)
		return -EINVAL;
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons((uint16_t)port);
	out->len = sizeof(*sin6);
	return 0;
}

/* "[V6]" or "[V6]:PORT"; s[0] == '['. */
static int parse_bracketed(const char *s, size_t len, int default_port, struct pxe_sockaddr *out)
{
	const char *end = memchr(s, ']', len);
	const char *p = NULL;
	size_t plen = 0;
	int port;
	if (!end)
		return -EINVAL;
	if (end[1] != '\0') {
		if (end[1] != ':')
			return -EINVAL;
		p = end + 2;
		plen = len - (size_t)(p - s);
	}
	if (resolve_port(p, plen, default_port, &port) < 0)
		return -EINVAL;
	return set_v6(s + 1, (size_t)(end - s - 1), port, out);
}

int pxe_addr_parse(const char *s, int default_port, struct pxe_sockaddr *out)
{
	int port;
	if (!s || !out)
		return -EINVAL;
	size_t len = strnlen(s, ADDR_MAX_LEN + 1);
	if (len == 0 || len > ADDR_MAX_LEN)
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	if (s[0] == '[')
		return parse_bracketed(s, len, default_port, out);
	/* "69": a port on the IPv4 wildcard */
	if (all_digits(s, len)) {
		if (resolve_port(s, len, default_port, &port) < 0)
			return -EINVAL;
		return set_v4("", 0, port, out);
	}
	const char *colon = strchr(s, ':');
	/* "::1", "fe80::1%eth0": bare IPv6 (two colons or more), no port */
	if (colon && strchr(colon + 1, ':')) {
		if (resolve_port(NULL, 0, default_port, &port) < 0)
			return -EINVAL;
		return set_v6(s, len, port, out);
	}
	/* "ADDR", "ADDR:PORT", ":PORT", "*:PORT", "*" */
	size_t hlen = colon ? (size_t)(colon - s) : len;
	const char *p = colon ? colon + 1 : NULL;
	if (resolve_port(p, p ? len - hlen - 1 : 0, default_port, &port) < 0)
		return -EINVAL;
	return set_v4(s, hlen, port, out);
}

/* --------------------------------------------------------- formatting */

static void format_scope(uint32_t id, char *buf, size_t cap)
{
	char name[IF_NAMESIZE];
	if (id == 0)
		buf[0] = '\0';
	else if (if_indextoname(id, name))
		snprintf(buf, cap, "%%%s", name);
	else
		snprintf(buf, cap, "%%%u", id);
}

int pxe_addr_format(const struct sockaddr *sa, bool with_port, char *buf, size_t cap)
{
	char host[INET6_ADDRSTRLEN];
	char scope[IF_NAMESIZE + 12];
	if (cap > 0)
		buf[0] = '\0';
	if (!sa)
		return -EINVAL;
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
		inet_ntop(AF_INET, &sin->sin_addr, host, sizeof(host));
		if (!with_port)
			return snprintf(buf, cap, "%s", host);
		return snprintf(buf, cap, "%s:%u", host, ntohs(sin->sin_port));
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
		inet_ntop(AF_INET6, &sin6->sin6_addr, host, sizeof(host));
		format_scope(sin6->sin6_scope_id, scope, sizeof(scope));
		if (!with_port)
			return snprintf(buf, cap, "%s%s", host, scope);
		return snprintf(buf, cap, "[%s%s]:%u", host, scope, ntohs(sin6->sin6_port));
	}
	return -EAFNOSUPPORT;
}

const struct sockaddr *pxe_addr_unmap(const struct sockaddr *sa, struct sockaddr_in *v4)
{
	if (!sa || sa->sa_family != AF_INET6)
		return sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;
	if (!IN6_IS_ADDR_V4MAPPED(&sin6->sin6_addr))
		return sa;
	memset(v4, 0, sizeof(*v4));
	v4->sin_family = AF_INET;
	v4->sin_port = sin6->sin6_port;
	memcpy(&v4->sin_addr, &sin6->sin6_addr.s6_addr[12], 4);
	return (const struct sockaddr *)v4;
}

int pxe_addr_format_peer(const struct sockaddr *sa, bool with_port, char *buf, size_t cap)
{
	struct sockaddr_in v4;
	return pxe_addr_format(pxe_addr_unmap(sa, &v4), with_port, buf, cap);
}

int pxe_addr_port(const struct sockaddr *sa)
{
	if (!sa)
		return -EINVAL;
	if (sa->sa_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)sa)->sin_port);
	if (sa->sa_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)sa)->sin6_port);
	return -EAFNOSUPPORT;
}

void pxe_addr_set_port(struct pxe_sockaddr *a, int port)
{
	uint16_t p = htons((uint16_t)port);
	if (a->u.sa.sa_family == AF_INET)
		a->u.in4.sin_port = p;
	else if (a->u.sa.sa_family == AF_INET6)
		a->u.in6.sin6_port = p;
}

bool pxe_addr_equal(const struct sockaddr *a, const struct sockaddr *b)
{
	if (!a || !b || a->sa_family != b->sa_family)
		return false;
	if (a->sa_family == AF_INET) {
		const struct sockaddr_in *x = (const void *)a, *y = (const void *)b;
		return x->sin_port == y->sin_port && x->sin_addr.s_addr == y->sin_addr.s_addr;
	}
	if (a->sa_family == AF_INET6) {
		const struct sockaddr_in6 *x = (const void *)a, *y = (const void *)b;
		return x->sin6_port == y->sin6_port && x->sin6_scope_id == y->sin6_scope_id &&
		       memcmp(&x->sin6_addr, &y->sin6_addr, sizeof(x->sin6_addr)) == 0;
	}
	return false;
}

/* ------------------------------------------------------------ binding */

/* One row per PXE_SOCK_* flag: the option to set on IPv4 and on IPv6. */
static const struct sockopt_rule {
	unsigned flag;
	int level4, name4;
	int level6, name6;
} sockopt_rules[] = {
	{PXE_SOCK_REUSEADDR, SOL_SOCKET, SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR},
	{PXE_SOCK_BROADCAST, SOL_SOCKET, SO_BROADCAST, SOL_SOCKET, SO_BROADCAST},
	/* the local address and interface of each datagram (RFC 3542 6.1),
	 * so that replies leave from the address the client talked to */
	{PXE_SOCK_PKTINFO, IPPROTO_IP, IP_PKTINFO, IPPROTO_IPV6, IPV6_RECVPKTINFO},
	/* bind at boot before the interface has its address (tftpd-hpa's
	 * "failed to bind" reports); IPV6_FREEBIND needs Linux 4.15 */
	{PXE_SOCK_FREEBIND, IPPROTO_IP, IP_FREEBIND, IPPROTO_IPV6, IPV6_FREEBIND},
};

static int setopt_int(int fd, int level, int name, int val)
{
	return setsockopt(fd, level, name, &val, sizeof(val)) < 0 ? -errno : 0;
}

static int apply_sockopts(int fd, int family, unsigned flags)
{
	bool v6 = family == AF_INET6;
	int r;
	for (size_t i = 0; i < sizeof(sockopt_rules) / sizeof(sockopt_rules[0]); i++) {
		const struct sockopt_rule *o = &sockopt_rules[i];
		if (!(flags & o->flag))
			continue;
		r = v6 ? setopt_int(fd, o->level6, o->name6, 1)
		       : setopt_int(fd, o->level4, o->name4, 1);
		if (r < 0)
			return r;
	}
	/* Never rely on net.ipv6.bindv6only: Debian's tftpd-hpa listened on
	 * udp6 :::69 only and missed IPv4 clients (Launchpad #1448500). */
	if (v6)
		return setopt_int(fd, IPPROTO_IPV6, IPV6_V6ONLY,
				  (flags & PXE_SOCK_DUALSTACK) ? 0 : 1);
	return 0;
}

int pxe_sock_bind(const struct pxe_sockaddr *a, int type, unsigned flags, int backlog)
{
	if (!a)
		return -EINVAL;
	int family = a->u.sa.sa_family;
	socklen_t len = family == AF_INET    ? sizeof(struct sockaddr_in)
			: family == AF_INET6 ? sizeof(struct sockaddr_in6)
					     : 0;
	if (len == 0)
		return -EAFNOSUPPORT;
	int base = type & ~(SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (base != SOCK_STREAM && (flags & PXE_SOCK_REUSEADDR))
		return -EINVAL; /* a second server would share the port (sock.h) */
	int fd = socket(family, base | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	int r = apply_sockopts(fd, family, flags);
	if (r == 0 && bind(fd, &a->u.sa, len) < 0)
		r = -errno;
	if (r == 0 && base == SOCK_STREAM && listen(fd, backlog > 0 ? backlog : SOMAXCONN) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

/* -------------------------------------------------- socket activation */

/* LISTEN_FDNAMES: exactly n colon-separated names (sd_listen_fds(3)
 * treats a different count as an error), each fitting the name field.
 * Unset or empty means "no names". */
static int check_fdnames(const char *names, unsigned long n)
{
	unsigned long count = 1;
	size_t cur = 0;
	if (!names || !*names)
		return 0;
	for (const char *p = names; *p; p++) {
		if (*p == ':') {
			count++;
			cur = 0;
		} else if (++cur >= sizeof(((struct pxe_activated_fd *)0)->name)) {
			return -ENAMETOOLONG;
		}
	}
	return count == n ? 0 : -EINVAL;
}

/* The i-th name of a validated LISTEN_FDNAMES, or "". */
static void copy_fdname(const char *names, int i, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (!names || !*names)
		return;
	for (; i > 0; i--)
		names = strchr(names, ':') + 1;
	size_t n = strcspn(names, ":");
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, names, n);
	buf[n] = '\0';
}

/* Type and family of an inherited fd. FIFOs and other non-sockets
 * (ListenFIFO=, ListenSpecial=) give type 0 and AF_UNSPEC. */
static void describe_fd(int fd, struct pxe_activated_fd *o)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	int v;
	socklen_t vlen = sizeof(v);
	o->fd = fd;
	o->type = getsockopt(fd, SOL_SOCKET, SO_TYPE, &v, &vlen) == 0 ? v : 0;
	o->family = AF_UNSPEC;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		o->family = ss.ss_family;
		return;
	}
	vlen = sizeof(v);
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &v, &vlen) == 0)
		o->family = v;
}

static int listen_fds_take(struct pxe_activated_fd *out, int max)
{
	unsigned long pid, n;
	const char *e = getenv("LISTEN_PID");
	if (!e)
		return 0;
	if (parse_ulong(e, strlen(e), INT_MAX, &pid) < 0 || pid == 0)
		return -EINVAL;
	/* set for another process (inherited across fork/exec): not ours */
	if ((pid_t)pid != getpid())
		return 0;
	e = getenv("LISTEN_FDS");
	if (!e)
		return 0;
	if (parse_ulong(e, strlen(e), INT_MAX - LISTEN_FDS_START, &n) < 0)
		return -EINVAL;
	const char *names = getenv("LISTEN_FDNAMES");
	int r = check_fdnames(names, n);
	if (r < 0)
		return r;
	for (unsigned long i = 0; i < n; i++) {
		int fd = LISTEN_FDS_START + (int)i;
		int fl = fcntl(fd, F_GETFD);
		if (fl < 0 || fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
			return -errno;
	}
	for (int i = 0; i < max && (unsigned long)i < n; i++) {
		describe_fd(LISTEN_FDS_START + i, &out[i]);
		copy_fdname(names, i, out[i].name, sizeof(out[i].name));
	}
	return (int)n;
}

int pxe_listen_fds(struct pxe_activated_fd *out, int max)
{
	int r = (max < 0 || (max > 0 && !out)) ? -EINVAL : listen_fds_take(out, max);
	/* like sd_listen_fds(1): whatever happened, children must not see them */
	unsetenv("LISTEN_PID");
	unsetenv("LISTEN_FDS");
	unsetenv("LISTEN_FDNAMES");
	return r;
}

/* ----------------------------------------------------------- sd_notify */

/* NOTIFY_SOCKET: an absolute path, or "@name" for the abstract namespace
 * (unix(7): sun_path[0] == '\0', the length says where the name ends). */
static int notify_addr(const char *e, struct sockaddr_un *sun, socklen_t *len)
{
	size_t n = strlen(e);
	size_t off = offsetof(struct sockaddr_un, sun_path);
	if ((e[0] != '/' && e[0] != '@') || n < 2)
		return -EINVAL;
	if (n > sizeof(sun->sun_path) || (e[0] == '/' && n == sizeof(sun->sun_path)))
		return -ENAMETOOLONG;
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	memcpy(sun->sun_path, e, n);
	if (e[0] == '@') {
		sun->sun_path[0] = '\0';
		*len = (socklen_t)(off + n);
	} else {
		*len = (socklen_t)(off + n + 1);
	}
	return 0;
}

/* The connected socket of pxe_sd_notify_keep(): like the logger, one
 * process-wide object, because systemd's notify socket is per process. */
static int kept_notify_fd = -1;

int pxe_sd_notify_keep(void)
{
	struct sockaddr_un sun;
	socklen_t len;
	const char *e = getenv("NOTIFY_SOCKET");
	if (!e)
		return 0;
	if (kept_notify_fd >= 0)
		return 1;
	int r = notify_addr(e, &sun, &len);
	if (r < 0)
		return r;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, len) < 0) {
		r = -errno;
		close(fd);
		return r;
	}
	kept_notify_fd = fd;
	return 1;
}

static int send_kept(const char *state)
{
	size_t n = strlen(state);
	ssize_t w;
	do
		w = send(kept_notify_fd, state, n, MSG_NOSIGNAL);
	while (w < 0 && errno == EINTR);
	return w < 0 ? -errno : (size_t)w != n ? -EIO : 1;
}

int pxe_sd_notify(const char *state)
{
	struct sockaddr_un sun;
	socklen_t len;
	const char *e = getenv("NOTIFY_SOCKET");
	if (!e)
		return 0;
	if (!state)
		return -EINVAL;
	if (kept_notify_fd >= 0)
		return send_kept(state);
	int r = notify_addr(e, &sun, &len);
	if (r < 0)
		return r;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	size_t n = strlen(state);
	ssize_t w;
	do
		w = sendto(fd, state, n, MSG_NOSIGNAL, (struct sockaddr *)&sun, len);
	while (w < 0 && errno == EINTR);
	r = w < 0 ? -errno : (size_t)w != n ? -EIO : 1;
	close(fd);
	return r;
}

int pxe_sd_notifyf(const char *fmt, ...)
{
	char *msg = NULL;
	va_list ap;
	if (!getenv("NOTIFY_SOCKET"))
		return 0;
	va_start(ap, fmt);
	int n = vasprintf(&msg, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	int r = pxe_sd_notify(msg);
	free(msg);
	return r;
}

/* Type=notify-reload wants MONOTONIC_USEC with RELOADING=1, so that the
 * manager can tell this reload from an earlier one (sd_notify(3)). */
int pxe_sd_notify_reloading(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_MONOTONIC, &ts) < 0)
		return -errno;
	unsigned long long usec = (unsigned long long)ts.tv_sec * 1000000ULL +
				  (unsigned long long)ts.tv_nsec / 1000ULL;
	return pxe_sd_notifyf("RELOADING=1\nMONOTONIC_USEC=%llu", usec);
}
