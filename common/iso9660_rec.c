/* SPDX-License-Identifier: MIT */
/* One directory record (ECMA-119 9.1) into one entry of the index: its
 * name in the chosen view, its mode and time, its data extent; the further
 * sections of a multi-extent file (9.1.6); Rock Ridge relocation (RRIP
 * 4.1.5: CL followed, RE skipped, rr_moved hidden). */
#include "iso9660_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The name the view shows; "" when the record is "." or "..". */
static int iso_name_of(struct iso_build *b, uint32_t dir, const struct iso_rec *r, char *name,
		       size_t *len)
{
	size_t n;
	if (b->view == PXE_ISO_VIEW_ROCKRIDGE && b->rr.has_name) {
		n = b->rr.name_dot ? 0 : b->rr.name_len;
		memcpy(name, b->rr.name, n);
	} else if (b->view == PXE_ISO_VIEW_JOLIET) {
		n = iso_ucs2_to_utf8(r->name, r->name_len, name, ISO_NAME_MAX + 1);
		if (n != SIZE_MAX)
			n = iso_strip_version(name, n);
	} else {
		n = iso_plain_name(r->name, r->name_len, name, ISO_NAME_MAX + 1);
		if (n != SIZE_MAX)
			n = iso_strip_version(name, n);
		/* 7.5.1: "NAME." is a name with an empty extension */
		if (n != SIZE_MAX && n > 1 && name[n - 1] == '.')
			n--;
	}
	if (n == SIZE_MAX)
		return iso_fail(b, ENAMETOOLONG, "directory /%s: record at byte %zu: name too long",
				iso_path(b, dir), r->at);
	name[n] = '\0';
	if (memchr(name, '/', n) || memchr(name, '\0', n) || (n > 0 && strcmp(name, ".") == 0) ||
	    strcmp(name, "..") == 0)
		return iso_fail(b, EINVAL,
				"directory /%s: record at byte %zu: invalid name \"%s\" (a '/', "
				"NUL, \".\" or \"..\")",
				iso_path(b, dir), r->at, name);
	*len = n;
	return 0;
}

int iso_bound(struct iso_build *b, uint32_t node, uint64_t off, uint64_t len)
{
	if (len == 0 || (off <= b->image_size && len <= b->image_size - off))
		return 0;
	return iso_fail(b, EINVAL,
			"/%s: data at bytes %llu-%llu lies past the end of the image (%llu bytes): "
			"truncated?",
			iso_path(b, node), (unsigned long long)off, (unsigned long long)(off + len),
			(unsigned long long)b->image_size);
}

/* One more section of a multi-extent file: folded into the previous one
 * when it starts where that ends (what xorriso writes), else listed. */
static int iso_section(struct iso_build *b, uint32_t node, const struct iso_rec *r)
{
	struct pxe_iso *iso = b->iso;
	uint64_t off = ((uint64_t)r->lba + r->ext_attr) * ISO_SECTOR;
	int e = iso_bound(b, node, off, r->size);
	if (e < 0)
		return e;
	struct iso_node *n = &iso->nodes[node];
	struct pxe_iso_extent *last = &iso->ext[n->ext + n->n_ext - 1];
	n->flags |= PXE_ISO_MULTI;
	if (r->unit || r->gap)
		n->flags |= PXE_ISO_INTERLEAVED;
	n->size += r->size;
	if (last->off + last->len == off || r->size == 0) {
		last->len += r->size;
		return 0;
	}
	if (last->len == 0) {
		*last = (struct pxe_iso_extent){off, r->size};
		n->off = off;
		return 0;
	}
	n->flags |= PXE_ISO_NONCONTIG;
	n->n_ext++;
	return iso_ext_add(iso, off, r->size);
}

/* RRIP 4.1.5.1: a CL record stands for a directory moved elsewhere; its
 * size is in the "." record at the start of that directory. */
static int iso_relocated(struct iso_build *b, uint32_t dir, const struct iso_rec *r, uint32_t *size)
{
	uint8_t dot[ISO_REC_MIN];
	uint64_t off = (uint64_t)b->rr.cl_lba * ISO_SECTOR;
	if (off + sizeof(dot) > b->image_size)
		return iso_fail(b, EINVAL,
				"directory /%s: record at byte %zu: Rock Ridge CL points past the "
				"end of the image (block %u)",
				iso_path(b, dir), r->at, b->rr.cl_lba);
	int e = b->read(b->ctx, dot, sizeof(dot), off);
	if (e < 0)
		return iso_fail(b, e, "reading a relocated directory (block %u) failed",
				b->rr.cl_lba);
	if (dot[0] < ISO_REC_MIN || dot[32] != 1 || dot[33] != 0 ||
	    iso_le32(dot + 2) != b->rr.cl_lba)
		return iso_fail(b, EINVAL,
				"directory /%s: record at byte %zu: Rock Ridge CL block %u holds "
				"no directory",
				iso_path(b, dir), r->at, b->rr.cl_lba);
	*size = iso_le32(dot + 10);
	return 0;
}

static uint32_t iso_mode(const struct iso_build *b, bool dir)
{
	const struct iso_rr *rr = &b->rr;
	bool rrv = b->view == PXE_ISO_VIEW_ROCKRIDGE;
	uint32_t perm = rrv && rr->has_px ? (rr->mode & 07777) : dir ? 0555 : 0444;
	if (dir)
		return S_IFDIR | perm;
	if (rrv && rr->has_px && (rr->mode & S_IFMT) && !S_ISDIR(rr->mode))
		return rr->mode;
	if (rrv && !rr->has_px && rr->has_sl)
		return S_IFLNK | 0777;
	return S_IFREG | perm;
}

/* Fill a new entry from its first record. */
static int iso_fill(struct iso_build *b, uint32_t dir, uint32_t node, const struct iso_rec *r)
{
	struct pxe_iso *iso = b->iso;
	const struct iso_rr *rr = &b->rr;
	bool rrv = b->view == PXE_ISO_VIEW_ROCKRIDGE;
	bool isdir = (r->flags & ISO_F_DIR) || (rrv && rr->cl);
	uint32_t size = r->size, lba = r->lba + r->ext_attr;
	int e = 0;

	if (rrv && rr->cl && (e = iso_relocated(b, dir, r, &size)) < 0)
		return e;
	if (rrv && rr->cl)
		lba = rr->cl_lba;
	struct iso_node *n = &iso->nodes[node];
	n->mode = iso_mode(b, isdir);
	n->mtime = rrv && rr->has_tf ? rr->mtime : iso_time7(r->time);
	n->off = (uint64_t)lba * ISO_SECTOR;
	n->size = size;
	if (isdir) {
		n->flags |= PXE_ISO_DIR;
		if ((r->flags & ISO_F_MULTI) || r->unit || r->gap)
			return iso_fail(b, EINVAL,
					"directory /%s: multi-extent or interleaved directories do "
					"not exist in ECMA-119",
					iso_path(b, node));
		return iso_bound(b, node, n->off, n->size);
	}
	if (S_ISLNK(n->mode)) {
		if (!rr->has_sl)
			return iso_fail(b, EINVAL, "/%s: a Rock Ridge symlink without SL target",
					iso_path(b, node));
		n->flags |= PXE_ISO_SYMLINK;
		n->off = n->size = 0;
		return iso_arena_put(iso, rr->link, rr->link_len, &iso->nodes[node].link);
	}
	if (rrv && rr->zf)
		n->flags |= PXE_ISO_ZISOFS;
	if (r->unit || r->gap)
		n->flags |= PXE_ISO_INTERLEAVED;
	if ((e = iso_bound(b, node, n->off, n->size)) < 0)
		return e;
	n->ext = iso->n_ext;
	n->n_ext = 1;
	return iso_ext_add(iso, n->off, n->size);
}

static bool iso_is_rr_moved(const struct iso_build *b, uint32_t dir, const char *name,
			    const struct iso_rec *r)
{
	return b->view == PXE_ISO_VIEW_ROCKRIDGE && dir == 0 && (r->flags & ISO_F_DIR) &&
	       (strcmp(name, "rr_moved") == 0 || strcmp(name, ".rr_moved") == 0);
}

/* rr_moved is hidden when all it holds are relocated directories (RE),
 * each shown at its original place through its CL record. */
static int iso_all_relocated(struct iso_build *b, uint32_t dir, const struct iso_rec *r, bool *yes)
{
	uint64_t off = (uint64_t)r->lba * ISO_SECTOR;
	int e = iso_bound(b, dir, off, r->size);
	if (e < 0 || r->size > ISO_DIR_MAX)
		return e < 0 ? e : 0;
	*yes = true;
	if (r->size == 0) /* empty, and no read at an address that may be past the end */
		return 0;
	uint8_t *buf = malloc(r->size);
	if (!buf)
		return iso_fail(b, ENOMEM, "out of memory");
	e = b->read(b->ctx, buf, r->size, off);
	if (e < 0)
		e = iso_fail(b, e, "reading the directory rr_moved failed");
	else
		e = iso_dir_scan(b, dir, buf, r->size, yes);
	free(buf);
	return e;
}

int iso_record(struct iso_build *b, uint32_t dir, const struct iso_rec *r)
{
	bool dot = r->name_len == 1 && r->name[0] <= 1;
	bool rrv = b->view == PXE_ISO_VIEW_ROCKRIDGE;
	int e;

	if (b->pending != ISO_NONE || b->pend_skip) {
		if (r->name_len != b->pend_id_len || memcmp(r->name, b->pend_id, r->name_len))
			return iso_fail(b, EINVAL,
					"directory /%s: multi-extent file ends without its final "
					"record (record at byte %zu)",
					iso_path(b, dir), r->at);
		e = b->pend_skip ? 0 : iso_section(b, b->pending, r);
		if (!(r->flags & ISO_F_MULTI))
			b->pending = ISO_NONE, b->pend_skip = false;
		return e;
	}
	if (dot && !(dir == 0 && r->name[0] == 0 && rrv))
		return 0;
	if (rrv && (e = iso_rr_of(b, dir, r)) < 0)
		return e;
	if (dot) { /* the root's "." carries the root's own PX and TF */
		struct iso_node *root = &b->iso->nodes[0];
		root->mode = iso_mode(b, true);
		root->mtime = b->rr.has_tf ? b->rr.mtime : root->mtime;
		return 0;
	}
	if (rrv && b->rr.re)
		return 0; /* a relocated directory: shown where its CL record is */
	char name[ISO_NAME_MAX + 1];
	size_t nlen = 0;
	uint32_t node;
	if ((e = iso_name_of(b, dir, r, name, &nlen)) < 0 || nlen == 0)
		return e;
	if (iso_is_rr_moved(b, dir, name, r)) {
		bool hide = false;
		if ((e = iso_all_relocated(b, dir, r, &hide)) < 0 || hide)
			return e;
		if ((e = iso_rr_of(b, dir, r)) < 0)
			return e;
	}
	if ((e = iso_node_add(b, dir, name, nlen, &node)) < 0)
		return e;
	if (r->flags & ISO_F_MULTI) {
		b->pending = e == 1 ? ISO_NONE : node;
		b->pend_skip = e == 1;
		b->pend_id_len = r->name_len;
		memcpy(b->pend_id, r->name, r->name_len);
	}
	return e == 1 ? 0 : iso_fill(b, dir, node, r);
}
