/* SPDX-License-Identifier: MIT */
/* Who holds it: the process behind a busy port or a taken lock, found the
 * way Linux tells it (proc(5)): /proc/net/{udp,udp6,tcp,tcp6} give the
 * inode of the socket bound to a local port, /proc/PID/fd links read
 * "socket:[INODE]", /proc/locks gives the pid of a flock(2) holder, and
 * /proc/PID/comm names the process. The parsers are pure (a line in, a
 * struct out); the pxe_*_holder functions read /proc. Nothing is found for
 * another user's process without the permission to read its fds, or in
 * another network namespace: callers then name only the port or file. */
#ifndef PXE_HOLDER_H
#define PXE_HOLDER_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

/* One socket line of /proc/net/{udp,udp6,tcp,tcp6}. */
struct pxe_proc_sock {
	unsigned port;       /* local port */
	unsigned state;      /* the st column: 0x0A TCP LISTEN, 0x07 UDP unconnected */
	unsigned long inode; /* 0 for sockets without a file (TIME_WAIT) */
};
/* Parse one line ("  0: 00000000:0045 00000000:0000 07 ... 0 0 12345 2 ...",
 * IPv6 tables with 32 hex digits of address). 0, or -EINVAL for the
 * header line and anything else. */
int pxe_proc_sock_parse(const char *line, struct pxe_proc_sock *out);

/* Whether a /proc/PID/fd link target names socket inode. */
bool pxe_fd_link_is_socket(const char *link, unsigned long inode);

/* One line of /proc/locks:
 *   "1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF"
 * Blocked requests ("1: -> FLOCK ...") have blocked set. The device is
 * MAJOR:MINOR in hex. */
struct pxe_proc_lock {
	char kind[16]; /* FLOCK, POSIX, OFDLCK, LEASE, DELEG */
	bool blocked;
	bool write;
	long pid; /* -1 when Linux does not show it (another pid namespace) */
	unsigned major, minor;
	unsigned long inode;
};
int pxe_proc_lock_parse(const char *line, struct pxe_proc_lock *out);

struct pxe_holder {
	long pid;      /* > 0 when found */
	char comm[32]; /* "" when unreadable */
};

/* The process holding local port (SOCK_DGRAM or SOCK_STREAM; TCP only in
 * LISTEN), in this network namespace, IPv4 and IPv6 tables alike. Our own
 * process is skipped. 0 when found, -ENOENT when not (or not visible). */
int pxe_port_holder(int type, int port, struct pxe_holder *out);
/* The process holding a flock(2) write lock on the file open as fd (which
 * we could not lock), from /proc/locks. 0 or -ENOENT. */
int pxe_flock_holder(int fd, struct pxe_holder *out);

/* " (held by pxe-tftpd, pid 1234)", " (held by pid 1234)" or "" when not
 * found: what to append to a message. */
void pxe_holder_describe(const struct pxe_holder *h, char *buf, size_t cap);

/* The message for a listening socket that could not be bound:
 * "listen 0.0.0.0:69/udp: Address already in use (held by pxe-tftpd,
 * pid 1234)"; the holder is looked up for EADDRINUSE only. err is a
 * positive or negative errno. */
void pxe_bind_error(char *buf, size_t cap, const struct sockaddr *sa, int type, int err);

#endif
