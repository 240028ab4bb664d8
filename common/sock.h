/* SPDX-License-Identifier: MIT */
/* Addresses and listening sockets, IPv4 and IPv6. */
#ifndef PXE_SOCK_H
#define PXE_SOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <netinet/in.h>

struct pxe_sockaddr {
	union {
		struct sockaddr sa;
		struct sockaddr_in in4;
		struct sockaddr_in6 in6;
		struct sockaddr_storage ss;
	} u;
	socklen_t len;
};

/* Parse "ADDR", "ADDR:PORT", "[V6]", "[V6]:PORT", ":PORT", "*:PORT" or
 * "PORT" alone (wildcard). IPv6 scope "%ifname" accepted inside brackets.
 * A missing port takes default_port. Pure: no DNS. 0 or -EINVAL.
 * Details: ":PORT", "*:PORT", "*" and "PORT" mean 0.0.0.0 ("[::]:PORT" for
 * the IPv6 wildcard); a bare IPv6 address without brackets ("::1",
 * "fe80::1%eth0") is accepted, without a port; the scope is an interface
 * name (if_nametoindex) or a number. Ports are 0..65535, digits only.
 * A negative default_port makes the port mandatory. */
int pxe_addr_parse(const char *s, int default_port, struct pxe_sockaddr *out);
/* "198.18.0.5:69", "[::1]:69"; with_port false: "198.18.0.5", "::1".
 * Returns snprintf-style length. An IPv6 scope is written "%ifname"
 * (or "%N"), so the output parses back with pxe_addr_parse. Families
 * other than AF_INET/AF_INET6: buf = "" and -EAFNOSUPPORT. */
int pxe_addr_format(const struct sockaddr *sa, bool with_port, char *buf, size_t cap);
/* A client seen on a dual-stack socket has an IPv4-mapped IPv6 address
 * (::ffff:198.18.0.100, RFC 4291 section 2.5.5.2): the same client as
 * IPv4, written into *v4 (with the port), or sa itself for any other
 * address. The one place that unmaps, for logs and other text meant for
 * people (pxe_addr_format_peer, pxe_log_addr). */
const struct sockaddr *pxe_addr_unmap(const struct sockaddr *sa, struct sockaddr_in *v4);
/* pxe_addr_format of pxe_addr_unmap(sa): "198.18.0.100:2071", not
 * "[::ffff:198.18.0.100]:2071". For peers in logs; it does not parse back
 * to the same family, so configuration output uses pxe_addr_format. */
int pxe_addr_format_peer(const struct sockaddr *sa, bool with_port, char *buf, size_t cap);
int pxe_addr_port(const struct sockaddr *sa); /* -EAFNOSUPPORT if not v4/v6 */
void pxe_addr_set_port(struct pxe_sockaddr *a, int port);
/* addr+port (+ scope for v6); families must match: 1.2.3.4 and
 * ::ffff:1.2.3.4 are different. */
bool pxe_addr_equal(const struct sockaddr *a, const struct sockaddr *b);

/* SO_REUSEADDR, for SOCK_STREAM only: a TCP listener may bind while old
 * connections of the port are in TIME_WAIT, and a second listener still
 * gets EADDRINUSE. On UDP, SO_REUSEADDR (and SO_REUSEPORT) let a second,
 * unrelated server bind the same port beside the first (socket(7)), which
 * then shares its requests: pxe_sock_bind refuses the flag for datagram
 * sockets (-EINVAL), and there is no SO_REUSEPORT flag. */
#define PXE_SOCK_REUSEADDR 0x01
#define PXE_SOCK_PKTINFO   0x02 /* IP_PKTINFO / IPV6_RECVPKTINFO */
#define PXE_SOCK_FREEBIND  0x04 /* bind before the address exists */
#define PXE_SOCK_DUALSTACK 0x08 /* IPV6_V6ONLY=0; default is 1, set explicitly */
#define PXE_SOCK_BROADCAST 0x10

/* socket + options + bind (+ listen for SOCK_STREAM with backlog; <= 0
 * means SOMAXCONN). Non-blocking and close-on-exec. IPv6 sockets always
 * get IPV6_V6ONLY set (1, or 0 with PXE_SOCK_DUALSTACK), never the
 * sysctl default. Returns the fd or -errno (-EADDRINUSE when another
 * socket has the port: holder.h says whose). */
int pxe_sock_bind(const struct pxe_sockaddr *a, int type, unsigned flags, int backlog);

/* systemd socket activation (sd_listen_fds(3) protocol, no libsystemd).
 * Checks LISTEN_PID == getpid(), takes LISTEN_FDS fds from 3 on, names from
 * LISTEN_FDNAMES, sets FD_CLOEXEC, then unsets the three variables.
 * Returns the number of fds (0 when not activated) or -errno.
 * Fills at most max entries but returns (and sets FD_CLOEXEC on) all n.
 * The variables are unset in every case, as sd_listen_fds(1) does.
 * -EINVAL: LISTEN_PID/LISTEN_FDS not plain decimal, or LISTEN_FDNAMES
 * does not hold exactly n names; -ENAMETOOLONG: a name over 63 bytes;
 * -EBADF: one of the fds is not open. A non-socket fd (ListenFIFO=)
 * gets type 0 and family AF_UNSPEC. */
struct pxe_activated_fd {
	int fd;
	int type;      /* SOCK_DGRAM / SOCK_STREAM (from SO_TYPE) */
	int family;    /* AF_INET / AF_INET6 / AF_UNIX (from getsockname) */
	char name[64]; /* from LISTEN_FDNAMES, "" if none */
};
int pxe_listen_fds(struct pxe_activated_fd *out, int max);

/* sd_notify(3) protocol: one datagram to $NOTIFY_SOCKET (a path, or an
 * abstract name when it starts with '@'). Returns 1 when sent, 0 when
 * NOTIFY_SOCKET is unset, -errno on failure (-EINVAL for a relative or
 * empty value, -ENAMETOOLONG beyond sun_path). Each call opens its own
 * socket and looks the path up again, unless pxe_sd_notify_keep() was
 * called: after chroot a path NOTIFY_SOCKET (systemd's
 * /run/systemd/notify) is out of reach, so daemons call
 * pxe_sd_notify_keep() before chroot. */
int pxe_sd_notify(const char *state);
/* Open and connect the notify socket now and use it for every later
 * pxe_sd_notify (call before --chroot). 1 kept, 0 when NOTIFY_SOCKET is
 * unset, -errno on failure. */
int pxe_sd_notify_keep(void);
int pxe_sd_notifyf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* RELOADING=1 with MONOTONIC_USEC, for Type=notify-reload. */
int pxe_sd_notify_reloading(void);

#endif
