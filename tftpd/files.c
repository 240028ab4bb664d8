/* SPDX-License-Identifier: MIT */
/* What a request names: the file (map rules, unique roots, the served
 * root: a directory through the shared resolver, or an image's index),
 * netascii conversion, WRQ temporary files. */
#include "server_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "safepath.h"

/* Errors of the resolver as TFTP error codes (RFC 1350 §5), and the
 * message that goes with them to the client and into the log line. One
 * code covers several causes (a permission and an escape are both "Access
 * violation"), so the message says which, strerror's text as tftpd-hpa
 * sends it; EXDEV is a path that leads outside the served root (as
 * openat2's RESOLVE_BENEATH says). A missing file keeps the standard text. */
static int errno_to_tftp(int e, const char **msg)
{
	*msg = strerror(e);
	switch (e) {
	case ENOENT: *msg = NULL; return TFTP_ENOTFOUND;
	case ENOTDIR:
	case ENAMETOOLONG: return TFTP_ENOTFOUND;
	case EXDEV: *msg = "Outside the served root"; return TFTP_EACCESS;
	case EROFS: *msg = "The served root is a read-only image"; return TFTP_EACCESS;
	case EACCES:
	case EPERM:
	case ELOOP:
	case EINVAL:
	case EISDIR: return TFTP_EACCESS;
	case ENOSPC:
	case EDQUOT: *msg = NULL; return TFTP_ENOSPACE;
	case EEXIST: *msg = NULL; return TFTP_EEXISTS;
	default: return TFTP_EUNDEF;
	}
}

static unsigned path_flags(const struct tftpd_config *cfg)
{
	/* '\' is a separator for TFTP always: Windows-style PXE clients
	 * send "boot\x86\wdsnbp.com" (dnsmasq does the same). */
	return PXE_PATH_BACKSLASH | (cfg->lowercase ? PXE_PATH_LOWERCASE : 0);
}

/* unique-root = ip for writes: ROOT/<client address>/ when it exists,
 * else ROOT. Returns an fd to close (>= 0) or -1 to use the shared root. */
static int unique_root(struct tftp_conn *c)
{
	const struct tftpd_runtime *rt = c->srv->rt;
	if (rt->cfg->unique_root != TFTPD_UNIQUE_IP || pxe_root_dirfd(rt->root) < 0)
		return -1;
	char ip[INET6_ADDRSTRLEN + 32];
	if (pxe_addr_format_peer(&c->peer.u.sa, false, ip, sizeof(ip)) < 0)
		return -1;
	int fd = pxe_path_open(pxe_root_dirfd(rt->root), ip, O_PATH | O_DIRECTORY, 0, NULL);
	return fd >= 0 ? fd : -1;
}

/* unique-root = ip for reads: <client address>/rel when that directory is
 * in the root, in any of its layers (rel is clean, so the prefix cannot be
 * climbed out of). */
static const char *unique_rel(struct tftp_conn *c, const char *rel, char *buf, size_t cap)
{
	const struct tftpd_runtime *rt = c->srv->rt;
	if (rt->cfg->unique_root != TFTPD_UNIQUE_IP)
		return rel;
	char ip[INET6_ADDRSTRLEN + 32];
	if (pxe_addr_format_peer(&c->peer.u.sa, false, ip, sizeof(ip)) < 0)
		return rel;
	struct pxe_file d;
	int e = pxe_root_open_file(rt->root, ip, O_PATH | O_DIRECTORY, &d);
	pxe_file_close(&d);
	if (e < 0)
		return rel;
	int n = snprintf(buf, cap, "%s%s%s", ip, rel[0] ? "/" : "", rel);
	return n > 0 && (size_t)n < cap ? buf : rel;
}

/* What mapped_name's error tells the client: a rule's "r" (refuse) is
 * EACCES there, and said as what it is. */
static int map_refused(int e, const char **msg)
{
	if (e != EACCES)
		return errno_to_tftp(e, msg);
	*msg = "Refused by a map rule";
	return TFTP_EACCESS;
}

/* Apply map rules; returns the name to resolve (name or buf), or NULL
 * when a rule refuses the request. */
static const char *mapped_name(struct tftp_conn *c, const char *name, char *buf, size_t cap,
			       int *err)
{
	const struct tftp_map *m = &c->srv->rt->map;
	*err = 0;
	if (m->n == 0)
		return name;
	char ip[INET6_ADDRSTRLEN + 32] = "";
	pxe_addr_format_peer(&c->peer.u.sa, false, ip, sizeof(ip));
	int r = tftp_map_apply(m, name, ip, buf, cap);
	if (r == TFTP_MAP_DENIED) {
		*err = EACCES;
		return NULL;
	}
	if (r < 0) {
		*err = -r;
		return NULL;
	}
	return r == TFTP_MAP_REWRITTEN ? buf : name;
}

/* Writes (directory roots only): name cleaned (a '..' above the root is
 * -EXDEV: outside it, not a permission), then opened beneath the root. */
static int open_under_root(struct tftp_conn *c, const char *name, int flags, unsigned mode,
			   struct stat *st)
{
	char rel[PXE_PATH_MAX];
	int n = pxe_path_clean(name, strlen(name), path_flags(c->srv->rt->cfg), rel, sizeof(rel));
	if (n < 0)
		return n == -EACCES ? -EXDEV : n;
	int uroot = unique_root(c);
	int root = uroot >= 0 ? uroot : pxe_root_dirfd(c->srv->rt->root);
	int fd = pxe_path_open(root, rel, flags, mode, st);
	if (uroot >= 0)
		close(uroot);
	return fd;
}

/* The file named by rel (clean) from the root, for reading.
 * O_NONBLOCK: a FIFO in the tree must not hang the loop. */
static int open_source(struct tftp_conn *c, const char *rel, struct pxe_file *f)
{
	char buf[PXE_PATH_MAX];
	return pxe_root_open_file(c->srv->rt->root, unique_rel(c, rel, buf, sizeof(buf)),
				  O_RDONLY | O_NONBLOCK, f);
}

/* netascii: convert the whole file once into an anonymous file, so that
 * blocks have offsets and retransmits are simple. Boot files sent as
 * netascii are small text files. */
static int netascii_copy(const struct pxe_file *src)
{
	int mfd = memfd_create("tftp-netascii", MFD_CLOEXEC);
	if (mfd < 0)
		return -errno;
	uint8_t in[16384], out[2 * sizeof(in)];
	for (uint64_t off = 0;;) {
		ssize_t n = pxe_file_pread(src, in, sizeof(in), off);
		if (n <= 0) {
			if (n < 0) {
				close(mfd);
				return (int)n;
			}
			return mfd;
		}
		off += (uint64_t)n;
		size_t m = tftp_netascii_encode(in, (size_t)n, out);
		if (write(mfd, out, m) != (ssize_t)m) {
			close(mfd);
			return -EIO;
		}
	}
}

int tftp_open_read(struct tftp_conn *c, const struct tftp_req *r, struct stat *st, const char **msg)
{
	char buf[PXE_PATH_MAX];
	int e;
	const char *name = mapped_name(c, r->filename, buf, sizeof(buf), &e);
	if (!name)
		return map_refused(e, msg);
	char rel[PXE_PATH_MAX];
	int n = pxe_path_clean(name, strlen(name), path_flags(c->srv->rt->cfg), rel, sizeof(rel));
	if (n < 0)
		return errno_to_tftp(n == -EACCES ? EXDEV : -n, msg);
	struct pxe_file f;
	e = open_source(c, rel, &f);
	if (e == -ENOTSUP && f.refusal) {
		*msg = f.refusal; /* a zisofs or interleaved file in the image */
		return TFTP_EACCESS;
	}
	if (e < 0)
		return errno_to_tftp(-e, msg);
	if (!S_ISREG(f.st.st_mode)) {
		*msg = S_ISDIR(f.st.st_mode) ? strerror(EISDIR) : "Not a regular file";
		pxe_file_close(&f); /* it clears f.st: the message first */
		return TFTP_EACCESS;
	}
	if (c->mode == TFTP_MODE_NETASCII) {
		int mfd = netascii_copy(&f);
		pxe_file_close(&f);
		if (mfd < 0)
			return errno_to_tftp(-mfd, msg);
		f.fd = mfd;
		if (fstat(mfd, &f.st) < 0) {
			pxe_file_close(&f);
			return errno_to_tftp(errno, msg);
		}
	}
	*st = f.st;
	c->src = f;
	return 0;
}

/* Split "a/b/c" into the directory "a/b" (or "") and the name "c". */
static int split_path(const char *rel, char *dir, size_t cap, const char **base)
{
	const char *slash = strrchr(rel, '/');
	size_t n = slash ? (size_t)(slash - rel) : 0;
	if (n >= cap)
		return -ENAMETOOLONG;
	memcpy(dir, rel, n);
	dir[n] = 0;
	*base = slash ? slash + 1 : rel;
	return **base ? 0 : -EISDIR;
}

/* An existing target: writable, regular; its mode is kept. */
static int check_target(struct tftp_conn *c, const char *rel, unsigned *mode)
{
	const struct tftpd_config *cfg = c->srv->rt->cfg;
	struct stat st;
	int fd = open_under_root(c, rel, O_WRONLY | O_NONBLOCK, 0, &st);
	if (fd == -ENOENT) {
		*mode = 0666 & ~cfg->umask_val;
		return cfg->create ? 0 : -ENOENT;
	}
	if (fd < 0)
		return fd;
	close(fd);
	if (!S_ISREG(st.st_mode))
		return -EACCES;
	*mode = st.st_mode & 07777;
	return 0;
}

/* now_us seeds the name only when getrandom has no entropy yet (early
 * boot); O_EXCL and the retries keep a guessed name harmless. */
static int make_temp(struct tftp_conn *c, const char *base, unsigned mode, uint64_t now_us)
{
	size_t n = strlen(base) + 16;
	c->tmpname = malloc(n);
	if (!c->tmpname)
		return -ENOMEM;
	for (int i = 0; i < 16; i++) {
		unsigned rnd = 0;
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) < 0)
			rnd = (unsigned)now_us + (unsigned)i;
		snprintf(c->tmpname, n, ".%s.%06x", base, rnd & 0xffffff);
		int fd =
			openat(c->dirfd, c->tmpname, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd >= 0) {
			/* fchmod, not the open mode: the process umask is not ours */
			if (fchmod(fd, mode) < 0) { /* best effort */
			}
			return fd;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int tftp_open_write(struct tftp_conn *c, const struct tftp_req *r, uint64_t now_us,
		    const char **msg)
{
	const struct tftpd_config *cfg = c->srv->rt->cfg;
	char buf[PXE_PATH_MAX], rel[PXE_PATH_MAX], dir[PXE_PATH_MAX];
	const char *base;
	int e;
	if (!cfg->allow_write) {
		*msg = "Writing is not allowed";
		return TFTP_EACCESS;
	}
	if (pxe_root_dirfd(c->srv->rt->root) < 0)
		return errno_to_tftp(EROFS, msg);
	const char *name = mapped_name(c, r->filename, buf, sizeof(buf), &e);
	if (!name)
		return map_refused(e, msg);
	int n = pxe_path_clean(name, strlen(name), path_flags(cfg), rel, sizeof(rel));
	if (n < 0)
		return errno_to_tftp(n == -EACCES ? EXDEV : -n, msg);
	if ((e = split_path(rel, dir, sizeof(dir), &base)) < 0)
		return errno_to_tftp(-e, msg);
	unsigned mode;
	if ((e = check_target(c, rel, &mode)) < 0)
		return errno_to_tftp(-e, msg);
	c->dirfd = open_under_root(c, dir, O_PATH | O_DIRECTORY, 0, NULL);
	if (c->dirfd < 0)
		return errno_to_tftp(-c->dirfd, msg);
	c->finalname = strdup(base);
	if (!c->finalname)
		return errno_to_tftp(ENOMEM, msg);
	c->fd = make_temp(c, base, mode, now_us);
	if (c->fd < 0)
		return errno_to_tftp(-c->fd, msg);
	return 0;
}

int tftp_write_commit(struct tftp_conn *c)
{
	uint8_t tail[1];
	size_t n = c->mode == TFTP_MODE_NETASCII ? tftp_netascii_decode_end(&c->dec, tail) : 0;
	if (n && write(c->fd, tail, n) != (ssize_t)n)
		return -errno;
	if (fdatasync(c->fd) < 0)
		return -errno;
	if (renameat(c->dirfd, c->tmpname, c->dirfd, c->finalname) < 0)
		return -errno;
	free(c->tmpname);
	c->tmpname = NULL;
	return 0;
}

void tftp_write_discard(struct tftp_conn *c)
{
	if (c->tmpname && c->dirfd >= 0)
		unlinkat(c->dirfd, c->tmpname, 0);
	free(c->tmpname);
	c->tmpname = NULL;
}
