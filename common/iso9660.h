/* SPDX-License-Identifier: MIT */
/* An index of the files inside an ISO 9660 image, so the daemons can serve
 * them straight from the image file (no loop mount, no root).
 *
 * Pure code: the image is read through a callback, only inside
 * pxe_iso_open(); the index it returns answers every later question from
 * memory (O(1) lookups by path, per-directory child lists), so the daemons
 * do no I/O after start but the data reads at the offsets it gives.
 *
 * What it reads (ECMA-119, SUSP/RRIP 1.12, Joliet):
 * - the volume descriptor set that starts at sector 16, up to its first
 *   terminator (a hybrid image made with -partition_offset 16 holds a second
 *   set at sector 32 whose addresses are relative to the partition);
 * - one name view: Rock Ridge when the root carries SP (and ER or RRIP
 *   entries), else Joliet, else plain ISO 9660 (";N" and a trailing '.'
 *   stripped, names matched case-insensitively, ASCII);
 * - Rock Ridge NM, PX, TF, SL, CE, CL/RE (deep directories moved to
 *   rr_moved are shown at their original place; rr_moved is hidden), ZF;
 * - multi-extent files (ECMA-119 9.1.6) as one entry with an extent list.
 * Corrupt input (records past their sector or buffer, extents past the
 * image, loops, descriptors missing) is an error with a sentence saying
 * what and where; UDF-only images are refused as such. */
#ifndef PXE_ISO9660_H
#define PXE_ISO9660_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct pxe_iso; /* an index; opaque */

/* Read exactly len bytes at byte offset off into buf: 0, or -errno. The
 * reader never asks for bytes at or past image_size. */
typedef int (*pxe_iso_read_fn)(void *ctx, void *buf, size_t len, uint64_t off);

/* A read callback over a file descriptor (pread, EINTR retried, a short
 * read is -EIO: the file shrank); ctx points to an int holding the fd. */
int pxe_iso_pread(void *ctx, void *buf, size_t len, uint64_t off);

enum pxe_iso_view {
	PXE_ISO_VIEW_PLAIN,     /* ISO 9660 names, matched case-insensitively */
	PXE_ISO_VIEW_JOLIET,    /* the Joliet tree, UCS-2 names as UTF-8 */
	PXE_ISO_VIEW_ROCKRIDGE, /* the primary tree with Rock Ridge names */
};

/* pxe_iso_entry.flags */
#define PXE_ISO_DIR         0x01u /* a directory (mode S_IFDIR) */
#define PXE_ISO_SYMLINK     0x02u /* a Rock Ridge symlink (link holds the target) */
#define PXE_ISO_MULTI       0x04u /* recorded as several sections (9.1.6); n_ext is 1 when they touch */
#define PXE_ISO_NONCONTIG   0x08u /* the extents do not touch: read them one by one */
#define PXE_ISO_ZISOFS      0x10u /* zisofs-compressed (RRIP ZF): never serve raw */
#define PXE_ISO_INTERLEAVED 0x20u /* interleaved (file unit/gap): refused */
/* What cannot be served as the bytes at off..off+size (or the extents). */
#define PXE_ISO_UNSERVABLE (PXE_ISO_ZISOFS | PXE_ISO_INTERLEAVED)

struct pxe_iso_extent {
	uint64_t off; /* byte offset in the image */
	uint64_t len; /* bytes */
};

/* One file, directory or symlink of the index. The pointers stay valid
 * until pxe_iso_free(). */
struct pxe_iso_entry {
	const char *path; /* normalised, relative, no leading '/'; "" is the root */
	const char *name; /* the last component of path ("" for the root) */
	const char *link; /* symlink target as recorded, or NULL */
	uint64_t off;     /* byte offset of the data in the image (first extent) */
	uint64_t size;    /* bytes (may exceed 4 GiB with several extents) */
	int64_t mtime;    /* seconds since the epoch, UTC: RRIP TF modify, else
			     the directory record time with its GMT offset */
	uint32_t mode;    /* st_mode: Rock Ridge PX, else S_IFDIR|0555 or S_IFREG|0444 */
	uint32_t flags;   /* PXE_ISO_* */
	/* The data: files have n_ext >= 1 extents adding up to size (one
	 * {off, size} unless NONCONTIG); directories and symlinks have none. */
	const struct pxe_iso_extent *ext;
	uint32_t n_ext;
	uint32_t index; /* the entry's number, < pxe_iso_info()->entries */
};

struct pxe_iso_info {
	enum pxe_iso_view view;
	const char *view_name; /* "rockridge", "joliet", "iso9660" */
	char label[128];       /* volume identifier (UTF-8 for Joliet), spaces trimmed */
	uint32_t files;        /* regular files */
	uint32_t dirs;         /* directories, the root included */
	uint32_t symlinks;
	uint32_t unservable;  /* entries with a PXE_ISO_UNSERVABLE flag */
	uint32_t entries;     /* all of them */
	uint64_t volume_size; /* bytes the volume descriptor claims */
	size_t memory;        /* bytes the index holds */
};

/* Parse the image (image_size bytes, read through read/ctx) and build the
 * index. Returns 0 and *out, or -errno with err saying what is wrong:
 *   -EMEDIUMTYPE  no ISO 9660 volume (no CD001 at sector 16)
 *   -ENOTSUP      a UDF-only image, or a logical block size other than 2048
 *   -EINVAL       corrupt descriptors or directory records, extents past the
 *                 end of the image (a truncated download)
 *   -ELOOP        a directory reached twice, a CE chain too long
 *   -ENAMETOOLONG a path longer than PXE_PATH_MAX or deeper than allowed
 *   -ENOMEM, or what read returned. */
int pxe_iso_open(struct pxe_iso **out, pxe_iso_read_fn read, void *ctx, uint64_t image_size,
		 struct pxe_err *err);
void pxe_iso_free(struct pxe_iso *iso);
const struct pxe_iso_info *pxe_iso_info(const struct pxe_iso *iso);

/* pxe_iso_lookup() flags */
#define PXE_ISO_NOFOLLOW 0x01u /* the last component's symlink itself */

/* Look a client path up: it is cleaned as common/safepath.c's
 * pxe_path_clean() does (leading '/', "//", "." dropped, ".." resolved,
 * never above the root, NUL refused), then found in O(1). Symlinks are
 * followed inside the image (at most 8), an absolute target counting from
 * the image root; a target that climbs above the root is -EACCES. ".."
 * in a target is resolved lexically against the real directories above
 * the link. A followed symlink gives the entry it points to (its path).
 * Returns 0 and *out, or -ENOENT, -ENOTDIR, -ELOOP, -EACCES, -EINVAL,
 * -ENAMETOOLONG. */
int pxe_iso_lookup(const struct pxe_iso *iso, const char *path, size_t len, unsigned flags,
		   struct pxe_iso_entry *out);

/* The entry numbered index (0 is the root); -ENOENT past the end. */
int pxe_iso_get(const struct pxe_iso *iso, uint32_t index, struct pxe_iso_entry *out);

/* Call fn for each child of the directory dir (an entry from lookup), in
 * the image's order (ISO 9660 sorts by the on-disc identifier). Stops when
 * fn returns non-zero and returns that; -ENOTDIR when dir is no directory. */
typedef int (*pxe_iso_each_fn)(void *arg, const struct pxe_iso_entry *child);
int pxe_iso_dir_each(const struct pxe_iso *iso, const struct pxe_iso_entry *dir, pxe_iso_each_fn fn,
		     void *arg);

/* A sentence on why an entry with these flags cannot be served, or NULL. */
const char *pxe_iso_unservable_reason(uint32_t flags);

#endif
