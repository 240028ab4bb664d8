/* SPDX-License-Identifier: MIT */
/* Client paths resolved beneath a served root, which they can never leave
 * (docs/ARCHITECTURE.md, "Paths from clients"). pxe_path_clean() is pure
 * string work; pxe_path_open() lets the kernel enforce the boundary with
 * openat2(RESOLVE_BENEATH) and falls back to a userspace walk with the same
 * semantics on kernels older than 5.6 or under seccomp filters that refuse
 * the syscall. */
#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Linux's MAXSYMLINKS: the walk refuses where the kernel would. */
#define PATH_MAX_LINKS 40
/* openat2 may return EAGAIN when a concurrent rename makes a '..' check
 * inconclusive (openat2(2)); retrying a few times is what the man page
 * suggests, and a bound keeps a hostile renamer from spinning us. */
#define PATH_OPENAT2_TRIES 8

/* struct open_how and RESOLVE_* from <linux/openat2.h>; spelt out here
 * because the layout is kernel ABI and libc headers may predate it. */
struct path_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define PATH_RESOLVE_NO_MAGICLINKS 0x02
#define PATH_RESOLVE_BENEATH       0x08

/* ---------------------------------------------------------------- clean */

static bool path_is_sep(char c, unsigned flags)
{
	return c == '/' || (c == '\\' && (flags & PXE_PATH_BACKSLASH));
}

static char path_fold(char c, unsigned flags)
{
	/* ASCII only: case-insensitive PXE clients (Windows WDS, some
	 * firmwares) uppercase plain ASCII names; a locale would be wrong. */
	if ((flags & PXE_PATH_LOWERCASE) && c >= 'A' && c <= 'Z')
		return (char)(c - 'A' + 'a');
	return c;
}

/* Drop the last component of out[0..n). */
static size_t path_pop(const char *out, size_t n)
{
	while (n > 0 && out[n - 1] != '/')
		n--;
	return n > 0 ? n - 1 : 0;
}

/* Append one component; n is the current length, lim the room including
 * the terminating NUL. Returns the new length or -ENAMETOOLONG. */
static int path_push(char *out, size_t n, size_t lim, const char *c, size_t clen, unsigned flags)
{
	if (clen > NAME_MAX || n + (n > 0) + clen >= lim)
		return -ENAMETOOLONG;
	if (n > 0)
		out[n++] = '/';
	for (size_t i = 0; i < clen; i++)
		out[n++] = path_fold(c[i], flags);
	return (int)n;
}

static int path_clean_fail(char *out, size_t cap, int err)
{
	if (out && cap > 0)
		out[0] = '\0';
	return err;
}

int pxe_path_clean(const char *in, size_t len, unsigned flags, char *out, size_t cap)
{
	size_t lim = cap < PXE_PATH_MAX ? cap : PXE_PATH_MAX;
	size_t n = 0, i = 0;

	if (!out || (!in && len > 0))
		return -EINVAL;
	/* A NUL would truncate the name the kernel sees (the classic
	 * "evil.cfg\0.txt"): refuse rather than guess. */
	if (len > 0 && memchr(in, '\0', len))
		return path_clean_fail(out, cap, -EINVAL);
	if (lim == 0)
		return -ENAMETOOLONG;
	while (i < len) {
		size_t start = i;
		while (i < len && !path_is_sep(in[i], flags))
			i++;
		size_t clen = i - start;
		const char *c = in + start;
		if (i < len)
			i++; /* the separator */
		if (clen == 0 || (clen == 1 && c[0] == '.'))
			continue;
		if (clen == 2 && c[0] == '.' && c[1] == '.') {
			if (n == 0)
				return path_clean_fail(out, cap, -EACCES);
			n = path_pop(out, n);
			continue;
		}
		int r = path_push(out, n, lim, c, clen, flags);
		if (r < 0)
			return path_clean_fail(out, cap, r);
		n = (size_t)r;
	}
	out[n] = '\0';
	return (int)n;
}

/* ---------------------------------------------------------------- open */

static int path_check_rel(const char *rel)
{
	if (!rel || rel[0] == '/')
		return -EINVAL;
	if (strnlen(rel, PXE_PATH_MAX) >= PXE_PATH_MAX)
		return -ENAMETOOLONG;
	return 0;
}

static unsigned path_mode(int open_flags, unsigned mode)
{
	/* openat2 refuses a mode without O_CREAT/O_TMPFILE, and bits beyond
	 * 07777 everywhere: pass only what the kernel accepts. */
	if ((open_flags & O_CREAT) || (open_flags & O_TMPFILE) == O_TMPFILE)
		return mode & 07777;
	return 0;
}

/* fstat into st when asked; closes fd on failure. */
static int path_finish(int fd, struct stat *st)
{
	if (fd < 0 || !st)
		return fd;
	if (fstat(fd, st) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	return fd;
}

/* -ENOSYS when this libc or kernel has no openat2. */
static int path_openat2(int rootfd, const char *rel, int open_flags, unsigned mode)
{
#ifdef SYS_openat2
	struct path_open_how how = {
		.flags = (uint64_t)(unsigned)(open_flags | O_CLOEXEC),
		.mode = path_mode(open_flags, mode),
		.resolve = PATH_RESOLVE_BENEATH | PATH_RESOLVE_NO_MAGICLINKS,
	};
	/* openat2 has no AT_EMPTY_PATH: the root itself is "." */
	const char *p = rel[0] ? rel : ".";
	for (int i = 0; i < PATH_OPENAT2_TRIES; i++) {
		long fd = syscall(SYS_openat2, rootfd, p, &how, sizeof(how));
		if (fd >= 0)
			return (int)fd;
		if (errno != EAGAIN)
			return errno == EXDEV ? -EACCES : -errno;
	}
	return -EAGAIN;
#else
	(void)rootfd, (void)rel, (void)open_flags, (void)mode;
	return -ENOSYS;
#endif
}

int pxe_path_open(int rootfd, const char *rel, int open_flags, unsigned mode, struct stat *st)
{
	int r = path_check_rel(rel);
	if (r < 0)
		return r;
	int fd = path_openat2(rootfd, rel, open_flags, mode);
	/* ENOSYS: kernel < 5.6 or old libc; EPERM: a seccomp filter (older
	 * container runtimes) that does not know the syscall. A genuine EPERM
	 * from the file comes back from the walk just the same. */
	if (fd == -ENOSYS || fd == -EPERM)
		return pxe_path_open_walk(rootfd, rel, open_flags, mode, st);
	return path_finish(fd, st);
}

/* ---------------------------------------------------------------- walk
 *
 * The walk keeps what is resolved (done: real directories below the root,
 * never symlinks) apart from what is left (todo). Each component is opened
 * with O_NOFOLLOW relative to the directory fd of done; a symlink's target
 * is spliced in front of todo, so its components get the same treatment. As
 * done holds no symlinks, '..' is simply dropping its last name, and '..' at
 * the root is an escape. The cost is that a '..' must reopen done from the
 * root (lazily, once per run of '..'), instead of trusting a "..", which a
 * concurrent rename could move outside. */

struct path_walk {
	int rootfd;
	int cur;    /* fd of done; rootfd when done is empty */
	bool stale; /* cur must be reopened from done (after '..') */
	int links;  /* symlinks followed */
	size_t dlen;
	size_t pos; /* next byte of todo */
	char done[PXE_PATH_MAX];
	char todo[PXE_PATH_MAX];
};

static void walk_set_cur(struct path_walk *w, int fd)
{
	if (w->cur >= 0 && w->cur != w->rootfd)
		close(w->cur);
	w->cur = fd;
}

/* Reopen done from the root, one O_NOFOLLOW directory at a time. */
static int walk_reopen(struct path_walk *w)
{
	char name[NAME_MAX + 1];
	size_t i = 0;

	walk_set_cur(w, w->rootfd);
	while (i < w->dlen) {
		size_t n = strcspn(w->done + i, "/");
		memcpy(name, w->done + i, n);
		name[n] = '\0';
		int fd = openat(w->cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		walk_set_cur(w, fd);
		i += n + 1;
	}
	w->stale = false;
	return 0;
}

/* Make cur valid again after '..'. 0 or -errno (cur itself may be
 * AT_FDCWD or, from a careless caller, -1: not an error code here). */
static int walk_cur(struct path_walk *w)
{
	return w->stale ? walk_reopen(w) : 0;
}

/* Next component of todo into name; 0 when todo is used up. */
static int walk_take(struct path_walk *w, char *name)
{
	while (w->todo[w->pos] == '/')
		w->pos++;
	size_t n = strcspn(w->todo + w->pos, "/");
	if (n > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(name, w->todo + w->pos, n);
	name[n] = '\0';
	w->pos += n;
	return (int)n;
}

static int walk_up(struct path_walk *w)
{
	if (w->dlen == 0)
		return -EACCES; /* RESOLVE_BENEATH says EXDEV; we say EACCES */
	w->dlen = path_pop(w->done, w->dlen);
	w->done[w->dlen] = '\0';
	w->stale = true;
	return 0;
}

static int walk_down(struct path_walk *w, const char *name, int fd)
{
	int r = path_push(w->done, w->dlen, sizeof(w->done), name, strlen(name), 0);
	if (r < 0) {
		close(fd);
		return r;
	}
	w->dlen = (size_t)r;
	walk_set_cur(w, fd);
	return 0;
}

/* Replace todo by target + '/' + rest of todo. */
static int walk_splice(struct path_walk *w, const char *target, size_t tlen)
{
	const char *rest = w->todo + w->pos;
	size_t rlen = strlen(rest);
	if (tlen + 1 + rlen >= sizeof(w->todo))
		return -ENAMETOOLONG;
	memmove(w->todo + tlen + (rlen > 0), rest, rlen + 1);
	memcpy(w->todo, target, tlen);
	if (rlen > 0)
		w->todo[tlen] = '/';
	w->pos = 0;
	return 0;
}

/* name in cur is a symlink (or so readlinkat will tell): splice its target.
 * Returns 0, -EINVAL when it is not a symlink, or another -errno. */
static int walk_follow(struct path_walk *w, const char *name)
{
	char target[PXE_PATH_MAX];
	ssize_t n = readlinkat(w->cur, name, target, sizeof(target));
	if (n < 0)
		return -errno;
	if (++w->links > PATH_MAX_LINKS)
		return -ELOOP;
	if (n == 0)
		return -ENOENT; /* as the kernel treats an empty target */
	if ((size_t)n >= sizeof(target))
		return -ENAMETOOLONG;
	/* An absolute target names the host's /, not the root: an escape,
	 * as for RESOLVE_BENEATH. */
	if (target[0] == '/')
		return -EACCES;
	return walk_splice(w, target, (size_t)n);
}

/* A component with more path after it must be a directory or a symlink. */
static int walk_inner(struct path_walk *w, const char *name)
{
	int fd = openat(w->cur, name, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0)
		return walk_down(w, name, fd);
	if (errno != ENOTDIR)
		return -errno;
	int r = walk_follow(w, name);
	return r == -EINVAL ? -ENOTDIR : r;
}

/* The last component: open it with the caller's flags unless it is a
 * symlink to follow. Sets *fd, or leaves it -1 after following a link. */
static int walk_last(struct path_walk *w, const char *name, int flags, unsigned mode, int *fd)
{
	/* O_NOFOLLOW and O_CREAT|O_EXCL never follow a final symlink. */
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
	if (follow) {
		int r = walk_follow(w, name);
		if (r != -EINVAL && r != -ENOENT)
			return r;
	}
	/* Not a symlink a moment ago; should one appear now, O_NOFOLLOW
	 * fails (ELOOP) instead of following it. */
	*fd = openat(w->cur, name, flags | O_NOFOLLOW | O_CLOEXEC, path_mode(flags, mode));
	return *fd < 0 ? -errno : 0;
}

static int walk_step(struct path_walk *w, const char *name, int flags, unsigned mode, int *fd)
{
	if (strcmp(name, ".") == 0)
		return 0;
	if (strcmp(name, "..") == 0)
		return walk_up(w);
	int r = walk_cur(w);
	if (r < 0)
		return r;
	if (w->todo[w->pos] != '\0')
		return walk_inner(w, name);
	return walk_last(w, name, flags, mode, fd);
}

static int walk_run(struct path_walk *w, int flags, unsigned mode)
{
	char name[NAME_MAX + 1];
	int fd = -1;

	for (;;) {
		int n = walk_take(w, name);
		if (n < 0)
			return n;
		if (n == 0)
			break;
		int r = walk_step(w, name, flags, mode, &fd);
		if (r < 0)
			return r;
		if (fd >= 0)
			return fd;
	}
	/* Ended on "", ".", ".." or a trailing '/': the directory itself. */
	int r = walk_cur(w);
	if (r < 0)
		return r;
	fd = openat(w->cur, ".", flags | O_CLOEXEC, path_mode(flags, mode));
	return fd < 0 ? -errno : fd;
}

int pxe_path_open_walk(int rootfd, const char *rel, int open_flags, unsigned mode, struct stat *st)
{
	int r = path_check_rel(rel);
	if (r < 0)
		return r;
	struct path_walk w = {.rootfd = rootfd, .cur = rootfd};
	strcpy(w.todo, rel); /* fits: path_check_rel */
	int fd = walk_run(&w, open_flags, mode);
	walk_set_cur(&w, -1);
	return path_finish(fd, st);
}

int pxe_path_resolve_open(int rootfd, const char *in, size_t len, unsigned flags, int open_flags,
			  unsigned mode, struct stat *st)
{
	char rel[PXE_PATH_MAX];
	int r = pxe_path_clean(in, len, flags, rel, sizeof(rel));
	if (r < 0)
		return r;
	return pxe_path_open(rootfd, rel, open_flags, mode, st);
}
