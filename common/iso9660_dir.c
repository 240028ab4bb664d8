/* The directory tree (ECMA-119 9.1 directory records), walked breadth
 * first so each directory's children are consecutive entries of the index.
 * Names come from the chosen view; multi-extent files (9.1.6) become one
 * entry; Rock Ridge deep-directory relocation (RRIP 4.1.5) is undone. */
#include "iso9660_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define ISO_REC_MIN 34u   /* 33 fixed bytes and a one-byte name */
#define ISO_F_DIR   0x02u /* 9.1.6 file flags */
#define ISO_F_MULTI 0x80u /* "not the final directory record for the file" */

struct iso_rec {
	uint32_t lba, size;
	uint8_t ext_attr, flags, unit, gap, name_len;
	const uint8_t *time, *name, *su;
	size_t su_len, at; /* at: byte of the record in its directory */
};

static const char *iso_path(const struct iso_build *b, uint32_t node)
{
	return b->iso->arena + b->iso->nodes[node].path;
}

/* Fixed fields of the record at p (len bytes, already bounded). */
static int iso_rec_parse(struct iso_build *b, uint32_t dir, const uint8_t *p, size_t at,
			 struct iso_rec *r)
{
	r->at = at;
	r->ext_attr = p[1];
	r->lba = iso_le32(p + 2);
	r->size = iso_le32(p + 10);
	r->time = p + 18;
	r->flags = p[25];
	r->unit = p[26];
	r->gap = p[27];
	r->name_len = p[32];
	r->name = p + 33;
	if (r->name_len == 0 || 33u + r->name_len > p[0])
		return iso_fail(b, EINVAL,
				"directory /%s: record at byte %zu: name of %u bytes does not fit "
				"its %u-byte record",
				iso_path(b, dir), at, r->name_len, p[0]);
	/* 9.1.12: a pad byte follows a name of even length */
	size_t su = 33u + r->name_len + !(r->name_len & 1);
	r->su = p + su;
	r->su_len = su < p[0] ? p[0] - su : 0;
	return 0;
}

static int iso_rr_of(struct iso_build *b, uint32_t dir, const struct iso_rec *r)
{
	char where[PXE_PATH_MAX + 64];
	snprintf(where, sizeof(where), "directory /%s: record at byte %zu", iso_path(b, dir),
		 r->at);
	size_t skp = b->skp < r->su_len ? b->skp : r->su_len;
	return iso_susp_parse(b, r->su + skp, r->su_len - skp, where);
}

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

static int iso_bound(struct iso_build *b, uint32_t node, uint64_t off, uint64_t len)
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

static int iso_dir_scan(struct iso_build *b, uint32_t dir, const uint8_t *buf, size_t size,
			bool *only_re);

/* rr_moved is hidden when all it holds are relocated directories (RE),
 * each shown at its original place through its CL record. */
static int iso_all_relocated(struct iso_build *b, uint32_t dir, const struct iso_rec *r, bool *yes)
{
	uint64_t off = (uint64_t)r->lba * ISO_SECTOR;
	int e = iso_bound(b, dir, off, r->size);
	if (e < 0 || r->size > ISO_DIR_MAX)
		return e < 0 ? e : 0;
	uint8_t *buf = malloc(r->size ? r->size : 1);
	if (!buf)
		return iso_fail(b, ENOMEM, "out of memory");
	e = b->read(b->ctx, buf, r->size, off);
	*yes = true;
	if (e >= 0)
		e = iso_dir_scan(b, dir, buf, r->size, yes);
	free(buf);
	return e;
}

static int iso_record(struct iso_build *b, uint32_t dir, const struct iso_rec *r)
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

/* Walk the records of one directory extent. With only_re, nothing is
 * indexed: it only says whether every record is a relocated directory. */
static int iso_dir_scan(struct iso_build *b, uint32_t dir, const uint8_t *buf, size_t size,
			bool *only_re)
{
	size_t pos = 0;
	while (pos < size) {
		size_t end = (pos / ISO_SECTOR + 1) * ISO_SECTOR;
		if (end > size)
			end = size;
		uint8_t len = buf[pos];
		if (len == 0) { /* 6.8.1.1: the rest of the sector is unused */
			pos = end;
			continue;
		}
		if (len < ISO_REC_MIN || pos + len > end)
			return iso_fail(b, EINVAL,
					"directory /%s: record at byte %zu (%u bytes) is too short "
					"or crosses its sector",
					iso_path(b, dir), pos, len);
		struct iso_rec r;
		int e = iso_rec_parse(b, dir, buf + pos, pos, &r);
		if (e == 0 && only_re && !(r.name_len == 1 && r.name[0] <= 1)) {
			e = iso_rr_of(b, dir, &r);
			*only_re = *only_re && b->rr.re;
		} else if (e == 0 && !only_re) {
			e = iso_record(b, dir, &r);
		}
		if (e < 0)
			return e;
		pos += len;
	}
	return 0;
}

/* 1 when the directory extent at lba was walked before (a loop). */
static int iso_seen(struct iso_build *b, uint32_t lba)
{
	if (2 * (b->n_seen + 1) > b->seen_mask + 1) {
		uint32_t cap = b->seen_mask ? 2 * (b->seen_mask + 1) : 64;
		uint32_t *t = calloc(cap, sizeof(*t));
		if (!t)
			return -ENOMEM;
		for (uint32_t i = 0; b->seen && i <= b->seen_mask; i++) {
			uint32_t h = b->seen[i] * 2654435761u;
			while (b->seen[i] && t[h & (cap - 1)])
				h++;
			if (b->seen[i])
				t[h & (cap - 1)] = b->seen[i];
		}
		free(b->seen);
		b->seen = t;
		b->seen_mask = cap - 1;
	}
	uint32_t key = lba + 1, h = key * 2654435761u;
	for (;; h++) {
		uint32_t *s = &b->seen[h & b->seen_mask];
		if (*s == key)
			return 1;
		if (*s == 0) {
			*s = key;
			b->n_seen++;
			return 0;
		}
	}
}

static int iso_dir_read(struct iso_build *b, uint32_t dir)
{
	struct iso_node *n = &b->iso->nodes[dir];
	uint64_t off = n->off, size = n->size;
	int e = iso_seen(b, (uint32_t)(off / ISO_SECTOR));
	if (e != 0)
		return e < 0 ? iso_fail(b, ENOMEM, "out of memory")
			     : iso_fail(
				       b, ELOOP,
				       "directory /%s: its extent (block %llu) was already read as "
				       "another directory: a loop",
				       iso_path(b, dir), (unsigned long long)(off / ISO_SECTOR));
	if (size > ISO_DIR_MAX)
		return iso_fail(b, EINVAL, "directory /%s: %llu bytes, more than %u",
				iso_path(b, dir), (unsigned long long)size, ISO_DIR_MAX);
	if (size > b->dirbuf_cap) {
		uint8_t *p = realloc(b->dirbuf, size);
		if (!p)
			return iso_fail(b, ENOMEM, "out of memory");
		b->dirbuf = p, b->dirbuf_cap = size;
	}
	if (size && (e = b->read(b->ctx, b->dirbuf, size, off)) < 0)
		return iso_fail(b, e, "directory /%s: reading %llu bytes at %llu failed",
				iso_path(b, dir), (unsigned long long)size,
				(unsigned long long)off);
	b->iso->nodes[dir].child_first = b->iso->n_nodes;
	b->pending = ISO_NONE, b->pend_skip = false;
	if ((e = iso_dir_scan(b, dir, b->dirbuf, size, NULL)) < 0)
		return e;
	if (b->pending != ISO_NONE || b->pend_skip)
		return iso_fail(b, EINVAL,
				"directory /%s: multi-extent file ends without its "
				"final record",
				iso_path(b, dir));
	b->iso->nodes[dir].n_child = b->iso->n_nodes - b->iso->nodes[dir].child_first;
	return 0;
}

/* SUSP 5.3: Rock Ridge is in use when the root's "." record starts with
 * SP, and ER (or, for RRIP 1.09 images, any RRIP entry) says which. */
int iso_detect_rr(struct iso_build *b, const uint8_t *root_rec)
{
	uint8_t s[ISO_SECTOR];
	uint64_t off = (uint64_t)iso_le32(root_rec + 2) * ISO_SECTOR;
	if (off + ISO_SECTOR > b->image_size)
		return iso_fail(b, EINVAL,
				"the root directory (byte %llu) lies past the end of "
				"the image: truncated?",
				(unsigned long long)off);
	int e = b->read(b->ctx, s, ISO_SECTOR, off);
	if (e < 0)
		return iso_fail(b, e, "reading the root directory failed");
	if (s[0] < ISO_REC_MIN || s[32] != 1 || s[33] != 0)
		return iso_fail(b, EINVAL,
				"the root directory does not start with its \".\" "
				"record");
	size_t su = ISO_REC_MIN;
	e = iso_susp_parse(b, s + su, s[0] - su, "the root directory's \".\" record");
	if (e < 0)
		return e;
	b->skp = b->rr.skp;
	return b->rr.sp && (b->rr.er_rrip || b->rr.rrip);
}

int iso_walk(struct iso_build *b, const uint8_t *root_rec)
{
	uint32_t root;
	int e = iso_node_add(b, ISO_NONE, "", 0, &root);
	if (e < 0)
		return e;
	struct iso_node *n = &b->iso->nodes[root];
	n->flags = PXE_ISO_DIR;
	n->mode = S_IFDIR | 0555;
	n->off = (uint64_t)iso_le32(root_rec + 2) * ISO_SECTOR;
	n->size = iso_le32(root_rec + 10);
	n->mtime = iso_time7(root_rec + 18);
	if ((e = iso_bound(b, root, n->off, n->size)) < 0)
		return e;
	for (uint32_t i = 0; i < b->iso->n_nodes; i++)
		if ((b->iso->nodes[i].flags & PXE_ISO_DIR) && (e = iso_dir_read(b, i)) < 0)
			return e;
	return 0;
}
