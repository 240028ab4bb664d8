/* SPDX-License-Identifier: MIT */
/* Who holds a port or a lock (holder.h): parsers of proc(5) text, and the
 * thin functions that read /proc with them. */
#include "holder.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "sock.h"

/* Sockets bound to one port that we look for: a wildcard and a few
 * addresses (or IPv4 and IPv6) at most; more is not worth a bigger scan. */
#define MAX_INODES 16
/* /proc/net/tcp "st" column: include/net/tcp_states.h TCP_LISTEN. */
#define TCP_LISTEN_STATE 0x0A

/* ------------------------------------------------------------ parsers */

int pxe_proc_sock_parse(const char *line, struct pxe_proc_sock *out)
{
	unsigned sl, port, state;
	unsigned long inode;
	char addr[40];
	int n = 0;
	/* sl local rem st tx:rx tr:when retrnsmt uid timeout inode */
	if (sscanf(line,
		   " %u: %39[0-9A-Fa-f]:%4X %*[0-9A-Fa-f]:%*4X %2X %*X:%*X %*X:%*X %*X %*u %*u "
		   "%lu%n",
		   &sl, addr, &port, &state, &inode, &n) != 5 ||
	    n == 0)
		return -EINVAL;
	size_t alen = strlen(addr);
	if ((alen != 8 && alen != 32) || port > 65535)
		return -EINVAL;
	out->port = port;
	out->state = state;
	out->inode = inode;
	return 0;
}

bool pxe_fd_link_is_socket(const char *link, unsigned long inode)
{
	unsigned long v;
	int n = 0;
	if (!link || sscanf(link, "socket:[%lu]%n", &v, &n) != 1 || n == 0 || link[n] != '\0')
		return false;
	return strncmp(link, "socket:[", 8) == 0 && isdigit((unsigned char)link[8]) && v == inode;
}

int pxe_proc_lock_parse(const char *line, struct pxe_proc_lock *out)
{
	char kind[16], adv[16], mode[16], rest[256];
	unsigned long id;
	int n = 0;
	memset(out, 0, sizeof(*out));
	if (sscanf(line, " %lu: %n", &id, &n) != 1 || n == 0)
		return -EINVAL;
	line += n;
	if (strncmp(line, "->", 2) == 0) {
		out->blocked = true;
		line += 2;
	}
	/* kind, ADVISORY/MANDATORY, READ/WRITE, pid, MAJ:MIN:INODE, range */
	if (sscanf(line, " %15s %15s %15s %ld %x:%x:%lu %255s", kind, adv, mode, &out->pid,
		   &out->major, &out->minor, &out->inode, rest) != 8)
		return -EINVAL;
	snprintf(out->kind, sizeof(out->kind), "%s", kind);
	out->write = strcmp(mode, "WRITE") == 0;
	return 0;
}

/* ------------------------------------------------------- /proc readers */

static void read_comm(long pid, char *buf, size_t cap)
{
	char path[64];
	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%ld/comm", pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return;
	if (fgets(buf, (int)cap, f))
		buf[strcspn(buf, "\n")] = '\0';
	fclose(f);
}

/* Inodes of the sockets on port in one /proc/net table; returns the new
 * count. */
static size_t table_inodes(const char *table, int port, bool listen_only, unsigned long *ino,
			   size_t n)
{
	char line[512];
	FILE *f = fopen(table, "re");
	if (!f)
		return n;
	while (n < MAX_INODES && fgets(line, sizeof(line), f)) {
		struct pxe_proc_sock s;
		if (pxe_proc_sock_parse(line, &s) < 0 || s.inode == 0 || (int)s.port != port)
			continue;
		if (listen_only && s.state != TCP_LISTEN_STATE)
			continue;
		ino[n++] = s.inode;
	}
	fclose(f);
	return n;
}

static bool fd_dir_has(long pid, const unsigned long *ino, size_t n)
{
	char path[64], link[64];
	snprintf(path, sizeof(path), "/proc/%ld/fd", pid);
	DIR *d = opendir(path); /* EACCES for other users' processes */
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		ssize_t k = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (k <= 0)
			continue;
		link[k] = '\0';
		for (size_t i = 0; i < n && !found; i++)
			found = pxe_fd_link_is_socket(link, ino[i]);
	}
	closedir(d);
	return found;
}

static int find_socket_owner(const unsigned long *ino, size_t n, struct pxe_holder *out)
{
	DIR *d = opendir("/proc");
	if (!d)
		return -ENOENT;
	long self = (long)getpid();
	struct dirent *e;
	int r = -ENOENT;
	while (r < 0 && (e = readdir(d))) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self || !fd_dir_has(pid, ino, n))
			continue;
		out->pid = pid;
		read_comm(pid, out->comm, sizeof(out->comm));
		r = 0;
	}
	closedir(d);
	return r;
}

int pxe_port_holder(int type, int port, struct pxe_holder *out)
{
	unsigned long ino[MAX_INODES];
	size_t n = 0;
	bool tcp = type == SOCK_STREAM;
	out->pid = -1;
	out->comm[0] = '\0';
	/* the tables of our network namespace; /proc/net is a link here, and
	 * hidden by the units' ProcSubset=pid */
	n = table_inodes(tcp ? "/proc/self/net/tcp" : "/proc/self/net/udp", port, tcp, ino, n);
	n = table_inodes(tcp ? "/proc/self/net/tcp6" : "/proc/self/net/udp6", port, tcp, ino, n);
	return n ? find_socket_owner(ino, n, out) : -ENOENT;
}

int pxe_flock_holder(int fd, struct pxe_holder *out)
{
	struct stat st;
	char line[512];
	out->pid = -1;
	out->comm[0] = '\0';
	if (fstat(fd, &st) < 0)
		return -ENOENT;
	FILE *f = fopen("/proc/locks", "re");
	if (!f)
		return -ENOENT;
	while (out->pid <= 0 && fgets(line, sizeof(line), f)) {
		struct pxe_proc_lock l;
		if (pxe_proc_lock_parse(line, &l) < 0 || l.blocked || strcmp(l.kind, "FLOCK") ||
		    l.inode != (unsigned long)st.st_ino || l.major != major(st.st_dev) ||
		    l.minor != minor(st.st_dev) || l.pid <= 0)
			continue;
		out->pid = l.pid;
	}
	fclose(f);
	if (out->pid <= 0)
		return -ENOENT;
	read_comm(out->pid, out->comm, sizeof(out->comm));
	return 0;
}

void pxe_holder_describe(const struct pxe_holder *h, char *buf, size_t cap)
{
	if (!h || h->pid <= 0)
		snprintf(buf, cap, "%s", "");
	else if (h->comm[0])
		snprintf(buf, cap, " (held by %s, pid %ld)", h->comm, h->pid);
	else
		snprintf(buf, cap, " (held by pid %ld)", h->pid);
}

void pxe_bind_error(char *buf, size_t cap, const struct sockaddr *sa, int type, int err)
{
	char addr[128], who[96] = "";
	struct pxe_holder h;
	if (err < 0)
		err = -err;
	pxe_addr_format(sa, true, addr, sizeof(addr));
	if (err == EADDRINUSE && pxe_port_holder(type, pxe_addr_port(sa), &h) == 0)
		pxe_holder_describe(&h, who, sizeof(who));
	snprintf(buf, cap, "listen %s/%s: %s%s", addr, type == SOCK_STREAM ? "tcp" : "udp",
		 strerror(err), who);
}
