/* SPDX-License-Identifier: MIT */
/* The tree a daemon serves: a directory, or the files inside an ISO 9660
 * image (common/iso9660.h), behind one interface, so that pxe-tftpd and
 * pxe-httpd do not know which one they have.
 *
 * A root is opened once (start, reload) and looked into per request:
 * pxe_root_open_file() takes a path already cleaned by pxe_path_clean()
 * and gives a struct pxe_file: a descriptor of its own, the offset of the
 * file's first byte in it, and a struct stat. Directory roots resolve the
 * path with common/safepath.c (never outside the root); image roots look it
 * up in the index (O(1), symlinks kept inside the image) and hand out a
 * duplicate of the image's descriptor with the file's offset, so data is
 * read with the same pread/preadv/sendfile calls, shifted by f->base.
 *
 * Replacing an image: a file's descriptor keeps the image it was opened
 * from alive (and a NONCONTIG file's extent list is copied into it), so a
 * transfer in flight finishes from the old image after pxe_root_reload()
 * has swapped a new one in and the old root has been unref'd. Images are
 * replaced by mv (a new inode), never overwritten in place.
 *
 * Roots are reference counted and used by one thread. */
#ifndef PXE_ROOT_H
#define PXE_ROOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "err.h"
#include "iso9660.h"

enum pxe_root_kind { PXE_ROOT_DIR, PXE_ROOT_IMAGE };

struct pxe_root; /* opaque */

/* path: a directory, or a regular file holding an ISO 9660 image (told by
 * its content, not its name). Anything else is an error saying what it
 * is: "IMAGE: not an ISO 9660 image: ...", the image reader's sentence for
 * a corrupt, truncated or UDF-only image.
 * 0 and *out (one reference), or -errno with err filled. */
int pxe_root_open(struct pxe_root **out, const char *path, struct pxe_err *err);

/* Layers: path and n_fallback more roots (directories or images) seen as
 * one tree. A path is served by the first layer that has it (a missing
 * file or directory lets the next one answer; an escape or a refusal is
 * final); a directory lists the names of all layers, the first layer's
 * entry winning. So /srv/pxe (ipxe.efi, a script) over archlinux.iso
 * serves both. At most PXE_ROOT_MAX_LAYERS layers (-EINVAL).
 *
 * At start old is NULL. On SIGHUP: *out is old again (one more reference)
 * when every path names what old's layer of that path serves: the same
 * directory, or an image with the same identity (device, inode, size,
 * mtime). Else a new root, in which layers that did not change are shared
 * with old (an image is indexed again only when replaced), and *changed is
 * true. A path that cannot be opened (gone, or out of reach after
 * --chroot) but is old's keeps old's layer. A new image that fails to
 * index is an error and the caller keeps old. */
#define PXE_ROOT_MAX_LAYERS 8
int pxe_root_reload(struct pxe_root *old, const char *path, const char *const *fallback,
		    size_t n_fallback, struct pxe_root **out, bool *changed, struct pxe_err *err);

struct pxe_root *pxe_root_ref(struct pxe_root *r);
void pxe_root_unref(struct pxe_root *r); /* NULL is fine */

size_t pxe_root_layers(const struct pxe_root *r);
/* Of the first layer (the root proper). */
enum pxe_root_kind pxe_root_kind(const struct pxe_root *r);
/* A directory first layer: its O_PATH descriptor (for writes, which
 * images refuse); else -1. */
int pxe_root_dirfd(const struct pxe_root *r);
/* Of the first image among the layers: its stat; NULL when there is
 * none. */
const struct stat *pxe_root_image_stat(const struct pxe_root *r);
/* That image's file name (the last component of its path), for pxe-httpd's
 * /<basename>.iso; NULL when no layer is an image. */
const char *pxe_root_image_name(const struct pxe_root *r);

/* One sentence for the start and reload log lines: each layer, the
 * directory, or the image with its name set, file count, volume label,
 * index size and how long indexing took. Returns the length written
 * (truncated to cap). */
size_t pxe_root_describe(const struct pxe_root *r, char *buf, size_t cap);

/* An open file of a root. */
struct pxe_file {
	int fd;         /* its own descriptor: close with pxe_file_close */
	uint64_t base;  /* the file's byte 0 is at this offset of fd */
	struct stat st; /* image files: st_size, st_mtim (RRIP TF or the
			   record time), st_mode from the index; st_dev and
			   st_ino identify image and offset, so validators
			   built from them change when the image does */
	/* NONCONTIG files only (multi-extent with gaps): where each piece is;
	 * owned. NULL for every other file: one run of st_size bytes at base. */
	struct pxe_iso_extent *ext;
	uint32_t n_ext;
	/* Set when pxe_root_open_file() refuses with -ENOTSUP: the sentence
	 * (zisofs-compressed, interleaved) to log and to tell the client. */
	const char *refusal;
};

#define PXE_FILE_INIT                                                                              \
	{                                                                                          \
		.fd = -1                                                                           \
	}

/* Open rel (a pxe_path_clean() result; "" is the root) for reading, from
 * the first layer that has it.
 * open_flags are for directory roots (O_RDONLY | O_NONBLOCK, O_DIRECTORY
 * ...; O_CLOEXEC is added); an image root ignores them but refuses any
 * write access with -EROFS. Directories open too (S_ISDIR in st; an
 * image's have fd -1). Errors: those of pxe_path_open() and
 * pxe_iso_lookup() (a symlink that climbs
 * out of an image is -EXDEV), -EROFS, and -ENOTSUP with f->refusal set for a file the
 * image holds but that cannot be served byte for byte. */
int pxe_root_open_file(const struct pxe_root *r, const char *rel, int open_flags,
		       struct pxe_file *f);
void pxe_file_close(struct pxe_file *f);
/* That image file itself as an open file (base 0, its own stat), for
 * pxe-httpd's /<basename>.iso: 0, or -ENOENT when no layer is an image. */
int pxe_root_open_image(const struct pxe_root *r, struct pxe_file *f);

/* The file's bytes at off (relative to the file) into buf / iov; reads
 * never go past st_size. Return bytes read or -errno, as pread/preadv. */
ssize_t pxe_file_pread(const struct pxe_file *f, void *buf, size_t len, uint64_t off);
ssize_t pxe_file_preadv(const struct pxe_file *f, const struct iovec *iov, int iovcnt,
			uint64_t off);
/* For sendfile: where the file's byte off lies in f->fd (*fd_off) and how
 * many bytes from there are contiguous and inside the file (0 at or past
 * the end). */
uint64_t pxe_file_span(const struct pxe_file *f, uint64_t off, uint64_t *fd_off);

/* The entries of the directory rel (a cleaned path) in every layer that
 * has it (a name once, from the first layer holding it), "." and ".." left
 * out, in no particular order: fn gets each name and its stat (image roots:
 * as in struct pxe_file; directory roots: fstatat, entries that fail are
 * skipped). Stops when fn returns non-zero and returns that; -errno when
 * rel is no directory or cannot be opened. */
typedef int (*pxe_root_each_fn)(void *arg, const char *name, const struct stat *st);
int pxe_root_dir_each(const struct pxe_root *r, const char *rel, pxe_root_each_fn fn, void *arg);

#endif
