/* SPDX-License-Identifier: MIT */
/* The directory tree (ECMA-119 9.1 directory records), walked breadth
 * first so each directory's children are consecutive entries of the index;
 * each record goes to iso9660_rec.c. */
#include "iso9660_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *iso_path(const struct iso_build *b, uint32_t node)
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

int iso_rr_of(struct iso_build *b, uint32_t dir, const struct iso_rec *r)
{
	char where[PXE_PATH_MAX + 64];
	snprintf(where, sizeof(where), "directory /%s: record at byte %zu", iso_path(b, dir),
		 r->at);
	size_t skp = b->skp < r->su_len ? b->skp : r->su_len;
	return iso_susp_parse(b, r->su + skp, r->su_len - skp, where);
}

/* Walk the records of one directory extent. With only_re, nothing is
 * indexed: it only says whether every record is a relocated directory. */
int iso_dir_scan(struct iso_build *b, uint32_t dir, const uint8_t *buf, size_t size, bool *only_re)
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
	/* Without SP the bytes there are not SUSP (other extensions, padding
	 * from old mastering tools): no Rock Ridge, and nothing to refuse. */
	if (e < 0 && !b->rr.sp) {
		if (b->err)
			b->err->msg[0] = '\0';
		return 0;
	}
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
