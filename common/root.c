/* SPDX-License-Identifier: MIT */
/* The served root: a directory (common/safepath.c) or an ISO 9660 image
 * (common/iso9660.h). See root.h for the contract. */
#include "root.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "safepath.h"

struct pxe_root {
	unsigned refs;
	enum pxe_root_kind kind;
	char *path;
	int fd;         /* directory: O_PATH; image: O_RDONLY */
	struct stat st; /* of fd, as opened */
	struct pxe_iso *iso;
	const char *image_name; /* inside path */
	uint64_t index_us;      /* how long indexing took */
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void root_free(struct pxe_root *r)
{
	if (r->fd >= 0)
		close(r->fd);
	pxe_iso_free(r->iso);
	free(r->path);
	free(r);
}

static int open_image(struct pxe_root *r, struct pxe_err *err)
{
	/* O_NONBLOCK: a FIFO named as the root must not hang the start. */
	int fd = open(r->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return pxe_err_set(err, errno, "%s: %s", r->path, strerror(errno));
	r->fd = fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return pxe_err_set(err, errno, "%s: %s", r->path, strerror(errno));
	if (st.st_dev != r->st.st_dev || st.st_ino != r->st.st_ino)
		return pxe_err_set(err, EAGAIN, "%s: replaced while being opened", r->path);
	r->st = st;
	struct pxe_err ierr = {{0}};
	uint64_t t0 = mono_us();
	int e = pxe_iso_open(&r->iso, pxe_iso_pread, &r->fd, (uint64_t)st.st_size, &ierr);
	r->index_us = mono_us() - t0;
	if (e == -EMEDIUMTYPE)
		return pxe_err_set(err, EMEDIUMTYPE,
				   "%s: %s; a served root is a directory or an ISO 9660 image",
				   r->path, ierr.msg);
	if (e < 0)
		return pxe_err_set(err, -e, "%s: cannot serve this image: %s", r->path, ierr.msg);
	r->kind = PXE_ROOT_IMAGE;
	const char *slash = strrchr(r->path, '/');
	r->image_name = slash ? slash + 1 : r->path;
	return 0;
}

int pxe_root_open(struct pxe_root **out, const char *path, struct pxe_err *err)
{
	*out = NULL;
	struct pxe_root *r = calloc(1, sizeof(*r));
	if (!r || !(r->path = strdup(path))) {
		free(r);
		return pxe_err_set(err, ENOMEM, "out of memory");
	}
	r->refs = 1;
	r->fd = open(path, O_PATH | O_CLOEXEC);
	int e = 0;
	if (r->fd < 0)
		e = pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	else if (fstat(r->fd, &r->st) < 0)
		e = pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(r->st.st_mode))
		r->kind = PXE_ROOT_DIR;
	else if (S_ISREG(r->st.st_mode)) {
		close(r->fd);
		r->fd = -1;
		e = open_image(r, err);
	} else
		e = pxe_err_set(err, ENOTDIR, "%s: neither a directory nor an ISO 9660 image file",
				path);
	if (e < 0) {
		root_free(r);
		return e;
	}
	*out = r;
	return 0;
}

/* The image at path is still the one r indexed: mv gives a new inode, and
 * an overwrite in place (which the man pages warn against) a new size or
 * mtime. */
static bool same_image(const struct pxe_root *r, const struct stat *st)
{
	return st->st_dev == r->st.st_dev && st->st_ino == r->st.st_ino &&
	       st->st_size == r->st.st_size && st->st_mtim.tv_sec == r->st.st_mtim.tv_sec &&
	       st->st_mtim.tv_nsec == r->st.st_mtim.tv_nsec;
}

int pxe_root_reload(struct pxe_root *old, const char *path, struct pxe_root **out, bool *changed,
		    struct pxe_err *err)
{
	*changed = false;
	if (old && !strcmp(old->path, path)) {
		struct stat st;
		/* A directory root keeps its descriptor (after --chroot its path
		 * may name nothing); so does an image whose path is gone or
		 * that is still the same file. */
		if (old->kind == PXE_ROOT_DIR || stat(path, &st) < 0 ||
		    (S_ISREG(st.st_mode) && same_image(old, &st))) {
			*out = pxe_root_ref(old);
			return 0;
		}
	}
	int e = pxe_root_open(out, path, err);
	if (e == 0)
		*changed = true;
	return e;
}

struct pxe_root *pxe_root_ref(struct pxe_root *r)
{
	r->refs++;
	return r;
}

void pxe_root_unref(struct pxe_root *r)
{
	if (r && --r->refs == 0)
		root_free(r);
}

enum pxe_root_kind pxe_root_kind(const struct pxe_root *r)
{
	return r->kind;
}

const char *pxe_root_path(const struct pxe_root *r)
{
	return r->path;
}

int pxe_root_dirfd(const struct pxe_root *r)
{
	return r->kind == PXE_ROOT_DIR ? r->fd : -1;
}

const struct pxe_iso *pxe_root_iso(const struct pxe_root *r)
{
	return r->iso;
}

int pxe_root_image_fd(const struct pxe_root *r)
{
	return r->kind == PXE_ROOT_IMAGE ? r->fd : -1;
}

const struct stat *pxe_root_image_stat(const struct pxe_root *r)
{
	return r->kind == PXE_ROOT_IMAGE ? &r->st : NULL;
}

const char *pxe_root_image_name(const struct pxe_root *r)
{
	return r->kind == PXE_ROOT_IMAGE ? r->image_name : NULL;
}

size_t pxe_root_describe(const struct pxe_root *r, char *buf, size_t cap)
{
	int n;
	if (r->kind == PXE_ROOT_DIR) {
		n = snprintf(buf, cap, "directory %s", r->path);
	} else {
		const struct pxe_iso_info *in = pxe_iso_info(r->iso);
		n = snprintf(buf, cap,
			     "image %s: volume \"%s\", %s names, %" PRIu32 " files, %" PRIu32
			     " directories, %" PRIu32 " symlinks, index %zu KiB built in %" PRIu64
			     " ms",
			     r->path, in->label, in->view_name, in->files, in->dirs, in->symlinks,
			     (in->memory + 1023) / 1024, (r->index_us + 999) / 1000);
		if (in->unservable && n >= 0 && (size_t)n < cap)
			n += snprintf(buf + n, cap - (size_t)n,
				      "; %" PRIu32 " cannot be served (zisofs or interleaved)",
				      in->unservable);
	}
	if (n < 0)
		n = 0;
	return (size_t)n < cap ? (size_t)n : (cap ? cap - 1 : 0);
}

/* 64-bit finaliser (splitmix64): spreads identity bits over st_ino. */
static uint64_t mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9u;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebu;
	return x ^ (x >> 31);
}

/* What stat(2) would say of an image entry on a loop mount, except st_ino:
 * it names the image (inode, mtime, size) and the entry's offset, so that
 * ETags built from (ino, size, mtime) change when the image does even if
 * the file inside did not move (issue 14: "ETag from the image identity,
 * offset and size"). */
static void entry_stat(const struct pxe_root *r, const struct pxe_iso_entry *en, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = r->st.st_dev;
	uint64_t id =
		mix64((uint64_t)r->st.st_ino ^ mix64((uint64_t)r->st.st_mtim.tv_sec) ^
		      mix64((uint64_t)r->st.st_mtim.tv_nsec + ((uint64_t)r->st.st_size << 1)));
	st->st_ino = (ino_t)mix64(id ^ (en->flags & PXE_ISO_DIR ? en->index : en->off));
	st->st_mode = (mode_t)en->mode;
	st->st_nlink = 1;
	st->st_uid = r->st.st_uid;
	st->st_gid = r->st.st_gid;
	st->st_size = (off_t)en->size;
	st->st_blksize = 2048;
	st->st_blocks = (blkcnt_t)((en->size + 511) / 512);
	st->st_mtim.tv_sec = (time_t)en->mtime;
	st->st_atim = st->st_ctim = st->st_mtim;
}

static int image_open_file(const struct pxe_root *r, const char *rel, int open_flags,
			   struct pxe_file *f)
{
	if ((open_flags & O_ACCMODE) != O_RDONLY || (open_flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	struct pxe_iso_entry en;
	int e = pxe_iso_lookup(r->iso, rel, strlen(rel), 0, &en);
	if (e < 0)
		return e;
	if ((open_flags & O_DIRECTORY) && !(en.flags & PXE_ISO_DIR))
		return -ENOTDIR;
	entry_stat(r, &en, &f->st);
	if (en.flags & PXE_ISO_DIR)
		return 0; /* fd stays -1: nothing to read */
	if (en.flags & PXE_ISO_UNSERVABLE) {
		f->refusal = pxe_iso_unservable_reason(en.flags);
		return -ENOTSUP;
	}
	if (en.flags & PXE_ISO_NONCONTIG) {
		f->ext = malloc(en.n_ext * sizeof(*f->ext));
		if (!f->ext)
			return -ENOMEM;
		memcpy(f->ext, en.ext, en.n_ext * sizeof(*f->ext));
		f->n_ext = en.n_ext;
	}
	f->base = en.off;
	/* Its own descriptor of the image: it keeps this image alive for the
	 * transfer after a reload has swapped another in. */
	f->fd = fcntl(r->fd, F_DUPFD_CLOEXEC, 3);
	if (f->fd < 0) {
		int err = errno;
		free(f->ext);
		f->ext = NULL;
		return -err;
	}
	return 0;
}

int pxe_root_open_file(const struct pxe_root *r, const char *rel, int open_flags,
		       struct pxe_file *f)
{
	*f = (struct pxe_file)PXE_FILE_INIT;
	if (r->kind == PXE_ROOT_IMAGE)
		return image_open_file(r, rel, open_flags, f);
	int fd = pxe_path_open(r->fd, rel, open_flags, 0, &f->st);
	if (fd < 0)
		return fd;
	f->fd = fd;
	return 0;
}

struct each_ctx {
	const struct pxe_root *r;
	pxe_root_each_fn fn;
	void *arg;
};

static int image_each(void *arg, const struct pxe_iso_entry *child)
{
	struct each_ctx *x = arg;
	struct pxe_iso_entry en = *child;
	/* A symlink is listed as what it points to, as fstatat(2) shows it;
	 * one that leads nowhere inside the image is left out. */
	if ((child->flags & PXE_ISO_SYMLINK) &&
	    pxe_iso_lookup(x->r->iso, child->path, strlen(child->path), 0, &en) < 0)
		return 0;
	struct stat st;
	entry_stat(x->r, &en, &st);
	return x->fn(x->arg, child->name, &st);
}

static int dir_each(const struct pxe_root *r, const char *rel, pxe_root_each_fn fn, void *arg)
{
	int dfd = pxe_path_open(r->fd, rel, O_RDONLY | O_DIRECTORY, 0, NULL);
	if (dfd < 0)
		return dfd;
	DIR *d = fdopendir(dfd);
	if (!d) {
		int e = errno;
		close(dfd);
		return -e;
	}
	int ret = 0;
	struct dirent *de;
	while (!ret && (de = readdir(d))) {
		const char *n = de->d_name;
		if (n[0] == '.' && (!n[1] || (n[1] == '.' && !n[2])))
			continue;
		struct stat st;
		if (fstatat(dirfd(d), n, &st, 0) < 0)
			continue;
		ret = fn(arg, n, &st);
	}
	closedir(d);
	return ret;
}

int pxe_root_dir_each(const struct pxe_root *r, const char *rel, pxe_root_each_fn fn, void *arg)
{
	if (r->kind == PXE_ROOT_DIR)
		return dir_each(r, rel, fn, arg);
	struct pxe_iso_entry dir;
	int e = pxe_iso_lookup(r->iso, rel, strlen(rel), 0, &dir);
	if (e < 0)
		return e;
	if (!(dir.flags & PXE_ISO_DIR))
		return -ENOTDIR;
	struct each_ctx x = {r, fn, arg};
	return pxe_iso_dir_each(r->iso, &dir, image_each, &x);
}
