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

/* One tree: a directory or an image. Layers are shared between the root
 * in force and the one a reload builds, so an unchanged image is not
 * indexed again. */
struct layer {
	unsigned refs;
	enum pxe_root_kind kind;
	char *path;
	int fd;         /* directory: O_PATH; image: O_RDONLY */
	struct stat st; /* of fd, as opened */
	struct pxe_iso *iso;
	const char *image_name; /* inside path */
	uint64_t index_us;      /* how long indexing took */
};

/* The root: its layers in order; the first that holds a path serves it. */
struct pxe_root {
	unsigned refs;
	size_t n;
	struct layer *l[PXE_ROOT_MAX_LAYERS];
};

static uint64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void layer_unref(struct layer *y)
{
	if (!y || --y->refs)
		return;
	if (y->fd >= 0)
		close(y->fd);
	pxe_iso_free(y->iso);
	free(y->path);
	free(y);
}

static int open_image(struct layer *y, struct pxe_err *err)
{
	/* O_NONBLOCK: a FIFO named as the root must not hang the start. */
	int fd = open(y->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return pxe_err_set(err, errno, "%s: %s", y->path, strerror(errno));
	y->fd = fd;
	struct stat st;
	if (fstat(fd, &st) < 0)
		return pxe_err_set(err, errno, "%s: %s", y->path, strerror(errno));
	if (st.st_dev != y->st.st_dev || st.st_ino != y->st.st_ino)
		return pxe_err_set(err, EAGAIN, "%s: replaced while being opened", y->path);
	y->st = st;
	struct pxe_err ierr = {{0}};
	uint64_t t0 = mono_us();
	int e = pxe_iso_open(&y->iso, pxe_iso_pread, &y->fd, (uint64_t)st.st_size, &ierr);
	y->index_us = mono_us() - t0;
	if (e == -EMEDIUMTYPE)
		return pxe_err_set(err, EMEDIUMTYPE,
				   "%s: %s; a served root is a directory or an ISO 9660 image",
				   y->path, ierr.msg);
	if (e < 0)
		return pxe_err_set(err, -e, "%s: cannot serve this image: %s", y->path, ierr.msg);
	y->kind = PXE_ROOT_IMAGE;
	const char *slash = strrchr(y->path, '/');
	y->image_name = slash ? slash + 1 : y->path;
	return 0;
}

static int layer_open(struct layer **out, const char *path, struct pxe_err *err)
{
	*out = NULL;
	struct layer *y = calloc(1, sizeof(*y));
	if (!y || !(y->path = strdup(path))) {
		free(y);
		return pxe_err_set(err, ENOMEM, "out of memory");
	}
	y->refs = 1;
	y->fd = open(path, O_PATH | O_CLOEXEC);
	int e = 0;
	if (y->fd < 0)
		e = pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	else if (fstat(y->fd, &y->st) < 0)
		e = pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	else if (S_ISDIR(y->st.st_mode))
		y->kind = PXE_ROOT_DIR;
	else if (S_ISREG(y->st.st_mode)) {
		close(y->fd);
		y->fd = -1;
		e = open_image(y, err);
	} else
		e = pxe_err_set(err, ENOTDIR, "%s: neither a directory nor an ISO 9660 image file",
				path);
	if (e < 0) {
		layer_unref(y);
		return e;
	}
	*out = y;
	return 0;
}

/* The image at path is still the one y indexed: mv gives a new inode, and
 * an overwrite in place (which the man pages warn against) a new size or
 * mtime. */
static bool same_image(const struct layer *y, const struct stat *st)
{
	return st->st_dev == y->st.st_dev && st->st_ino == y->st.st_ino &&
	       st->st_size == y->st.st_size && st->st_mtim.tv_sec == y->st.st_mtim.tv_sec &&
	       st->st_mtim.tv_nsec == y->st.st_mtim.tv_nsec;
}

/* A layer of the old root with the same path, kept when it still serves
 * what is there: a directory keeps its descriptor (after --chroot its path
 * may name nothing), and so does an image whose path is gone or that is
 * still the same file. NULL: open path afresh. */
static struct layer *reusable(const struct pxe_root *old, const char *path)
{
	for (size_t i = 0; old && i < old->n; i++) {
		struct layer *y = old->l[i];
		if (strcmp(y->path, path))
			continue;
		struct stat st;
		if (y->kind == PXE_ROOT_DIR || stat(path, &st) < 0 ||
		    (S_ISREG(st.st_mode) && same_image(y, &st)))
			return y;
	}
	return NULL;
}

static struct pxe_root *root_new(void)
{
	struct pxe_root *r = calloc(1, sizeof(*r));
	if (r)
		r->refs = 1;
	return r;
}

int pxe_root_reload(struct pxe_root *old, const char *path, const char *const *fallback,
		    size_t n_fallback, struct pxe_root **out, bool *changed, struct pxe_err *err)
{
	*out = NULL;
	*changed = false;
	size_t n = 1 + n_fallback;
	if (n > PXE_ROOT_MAX_LAYERS)
		return pxe_err_set(err, EINVAL, "fallback-root: at most %d, got %zu",
				   PXE_ROOT_MAX_LAYERS - 1, n_fallback);
	struct pxe_root *r = root_new();
	if (!r)
		return pxe_err_set(err, ENOMEM, "out of memory");
	bool same = old && old->n == n;
	for (size_t i = 0; i < n; i++) {
		const char *p = i ? fallback[i - 1] : path;
		struct layer *y = reusable(old, p);
		if (y) {
			y->refs++;
		} else {
			int e = layer_open(&y, p, err);
			if (e < 0) {
				pxe_root_unref(r);
				return e;
			}
		}
		r->l[r->n++] = y;
		same = same && y == old->l[i];
	}
	if (same) { /* nothing changed: the root in force, one more reference */
		pxe_root_unref(r);
		*out = pxe_root_ref(old);
		return 0;
	}
	*changed = old != NULL;
	*out = r;
	return 0;
}

int pxe_root_open(struct pxe_root **out, const char *path, struct pxe_err *err)
{
	bool changed;
	return pxe_root_reload(NULL, path, NULL, 0, out, &changed, err);
}

struct pxe_root *pxe_root_ref(struct pxe_root *r)
{
	r->refs++;
	return r;
}

void pxe_root_unref(struct pxe_root *r)
{
	if (!r || --r->refs)
		return;
	for (size_t i = 0; i < r->n; i++)
		layer_unref(r->l[i]);
	free(r);
}

size_t pxe_root_layers(const struct pxe_root *r)
{
	return r->n;
}

enum pxe_root_kind pxe_root_kind(const struct pxe_root *r)
{
	return r->l[0]->kind;
}

int pxe_root_dirfd(const struct pxe_root *r)
{
	return r->l[0]->kind == PXE_ROOT_DIR ? r->l[0]->fd : -1;
}

/* The first image among the layers, or NULL. */
static const struct layer *first_image(const struct pxe_root *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->l[i]->kind == PXE_ROOT_IMAGE)
			return r->l[i];
	return NULL;
}

const struct stat *pxe_root_image_stat(const struct pxe_root *r)
{
	const struct layer *y = first_image(r);
	return y ? &y->st : NULL;
}

int pxe_root_open_image(const struct pxe_root *r, struct pxe_file *f)
{
	*f = (struct pxe_file)PXE_FILE_INIT;
	const struct layer *y = first_image(r);
	if (!y)
		return -ENOENT;
	f->fd = fcntl(y->fd, F_DUPFD_CLOEXEC, 3);
	if (f->fd < 0)
		return -errno;
	f->st = y->st;
	return 0;
}

const char *pxe_root_image_name(const struct pxe_root *r)
{
	const struct layer *y = first_image(r);
	return y ? y->image_name : NULL;
}

static int describe_layer(const struct layer *y, char *buf, size_t cap)
{
	if (y->kind == PXE_ROOT_DIR)
		return snprintf(buf, cap, "directory %s", y->path);
	const struct pxe_iso_info *in = pxe_iso_info(y->iso);
	int n = snprintf(buf, cap,
			 "image %s: volume \"%s\", %s names, %" PRIu32 " files, %" PRIu32
			 " directories, %" PRIu32 " symlinks, index %zu KiB built in %" PRIu64
			 " ms",
			 y->path, in->label, in->view_name, in->files, in->dirs, in->symlinks,
			 (in->memory + 1023) / 1024, (y->index_us + 999) / 1000);
	if (in->unservable && n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n,
			      "; %" PRIu32 " cannot be served (zisofs or interleaved)",
			      in->unservable);
	return n;
}

size_t pxe_root_describe(const struct pxe_root *r, char *buf, size_t cap)
{
	size_t n = 0;
	if (cap)
		buf[0] = 0;
	for (size_t i = 0; i < r->n && n + 1 < cap; i++) {
		int k = i ? snprintf(buf + n, cap - n, "; then ") : 0;
		if (k > 0)
			n += (size_t)k < cap - n ? (size_t)k : cap - n - 1;
		if (n + 1 >= cap)
			break;
		k = describe_layer(r->l[i], buf + n, cap - n);
		if (k > 0)
			n += (size_t)k < cap - n ? (size_t)k : cap - n - 1;
	}
	return n;
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
static void entry_stat(const struct layer *y, const struct pxe_iso_entry *en, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = y->st.st_dev;
	uint64_t id =
		mix64((uint64_t)y->st.st_ino ^ mix64((uint64_t)y->st.st_mtim.tv_sec) ^
		      mix64((uint64_t)y->st.st_mtim.tv_nsec + ((uint64_t)y->st.st_size << 1)));
	st->st_ino = (ino_t)mix64(id ^ (en->flags & PXE_ISO_DIR ? en->index : en->off));
	st->st_mode = (mode_t)en->mode;
	st->st_nlink = 1;
	st->st_uid = y->st.st_uid;
	st->st_gid = y->st.st_gid;
	st->st_size = (off_t)en->size;
	st->st_blksize = 2048;
	st->st_blocks = (blkcnt_t)((en->size + 511) / 512);
	st->st_mtim.tv_sec = (time_t)en->mtime;
	st->st_atim = st->st_ctim = st->st_mtim;
}

static int image_open_file(const struct layer *y, const char *rel, int open_flags,
			   struct pxe_file *f)
{
	if ((open_flags & O_ACCMODE) != O_RDONLY || (open_flags & (O_CREAT | O_TRUNC)))
		return -EROFS;
	struct pxe_iso_entry en;
	int e = pxe_iso_lookup(y->iso, rel, strlen(rel), 0, &en);
	if (e == -EACCES)
		return -EXDEV; /* a symlink that climbs out of the image */
	if (e < 0)
		return e;
	if ((open_flags & O_DIRECTORY) && !(en.flags & PXE_ISO_DIR))
		return -ENOTDIR;
	entry_stat(y, &en, &f->st);
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
	f->fd = fcntl(y->fd, F_DUPFD_CLOEXEC, 3);
	if (f->fd < 0) {
		int err = errno;
		free(f->ext);
		f->ext = NULL;
		return -err;
	}
	return 0;
}

static int layer_open_file(const struct layer *y, const char *rel, int open_flags,
			   struct pxe_file *f)
{
	*f = (struct pxe_file)PXE_FILE_INIT;
	if (y->kind == PXE_ROOT_IMAGE)
		return image_open_file(y, rel, open_flags, f);
	int fd = pxe_path_open(y->fd, rel, open_flags, 0, &f->st);
	if (fd < 0)
		return fd;
	f->fd = fd;
	return 0;
}

/* A layer without the path lets the next one answer; any other answer
 * (the file, a refusal, an escape) is final. */
static bool absent(int e)
{
	return e == -ENOENT || e == -ENOTDIR;
}

int pxe_root_open_file(const struct pxe_root *r, const char *rel, int open_flags,
		       struct pxe_file *f)
{
	int e = -ENOENT;
	for (size_t i = 0; i < r->n; i++) {
		e = layer_open_file(r->l[i], rel, open_flags, f);
		if (!absent(e))
			return e;
	}
	return e;
}

struct each_ctx {
	const struct pxe_root *r;
	size_t layer; /* the one being listed */
	const char *rel;
	pxe_root_each_fn fn;
	void *arg;
};

/* A name an earlier layer has in the same directory hides this one. */
static bool hidden(const struct each_ctx *x, const char *name)
{
	if (x->layer == 0)
		return false;
	char path[PXE_PATH_MAX];
	int n = snprintf(path, sizeof(path), "%s%s%s", x->rel, x->rel[0] ? "/" : "", name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return false;
	for (size_t i = 0; i < x->layer; i++) {
		struct pxe_file f;
		int e = layer_open_file(x->r->l[i], path, O_PATH, &f);
		pxe_file_close(&f);
		if (!absent(e))
			return true;
	}
	return false;
}

static int image_each(void *arg, const struct pxe_iso_entry *child)
{
	struct each_ctx *x = arg;
	const struct layer *y = x->r->l[x->layer];
	struct pxe_iso_entry en = *child;
	/* A symlink is listed as what it points to, as fstatat(2) shows it;
	 * one that leads nowhere inside the image is left out. */
	if ((child->flags & PXE_ISO_SYMLINK) &&
	    pxe_iso_lookup(y->iso, child->path, strlen(child->path), 0, &en) < 0)
		return 0;
	if (hidden(x, child->name))
		return 0;
	struct stat st;
	entry_stat(y, &en, &st);
	return x->fn(x->arg, child->name, &st);
}

static int dir_each(struct each_ctx *x)
{
	const struct layer *y = x->r->l[x->layer];
	int dfd = pxe_path_open(y->fd, x->rel, O_RDONLY | O_DIRECTORY, 0, NULL);
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
		if (fstatat(dirfd(d), n, &st, 0) < 0 || hidden(x, n))
			continue;
		ret = x->fn(x->arg, n, &st);
	}
	closedir(d);
	return ret;
}

static int image_dir_each(struct each_ctx *x)
{
	const struct layer *y = x->r->l[x->layer];
	struct pxe_iso_entry dir;
	int e = pxe_iso_lookup(y->iso, x->rel, strlen(x->rel), 0, &dir);
	if (e < 0)
		return e == -EACCES ? -EXDEV : e;
	if (!(dir.flags & PXE_ISO_DIR))
		return -ENOTDIR;
	return pxe_iso_dir_each(y->iso, &dir, image_each, x);
}

int pxe_root_dir_each(const struct pxe_root *r, const char *rel, pxe_root_each_fn fn, void *arg)
{
	int ret = -ENOENT;
	bool found = false;
	for (size_t i = 0; i < r->n; i++) {
		struct each_ctx x = {r, i, rel, fn, arg};
		int e = r->l[i]->kind == PXE_ROOT_DIR ? dir_each(&x) : image_dir_each(&x);
		if (absent(e)) {
			if (!found)
				ret = e;
			continue;
		}
		if (e != 0)
			return e; /* fn stopped, or an error that is not absence */
		found = true;
		ret = 0;
	}
	return ret;
}
