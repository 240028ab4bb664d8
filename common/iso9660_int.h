/* SPDX-License-Identifier: MIT */
/* Private to the ISO 9660 reader (iso9660_*.c): the index layout and the
 * state of one pxe_iso_open(). */
#ifndef PXE_ISO9660_INT_H
#define PXE_ISO9660_INT_H

#include "iso9660.h"
#include "safepath.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ISO_SECTOR    2048u
#define ISO_NONE      UINT32_MAX
#define ISO_DEPTH_MAX 128u        /* directories below the root */
#define ISO_DIR_MAX   (64u << 20) /* bytes of one directory extent */
#define ISO_CE_MAX    32u         /* SUSP continuation areas per record */
#define ISO_CE_LEN    (64u << 10) /* bytes of one continuation area */
#define ISO_NAME_MAX  NAME_MAX    /* bytes of one name, as in a file system */
#define ISO_LINK_MAX  4096u       /* bytes of a symlink target */
#define ISO_REC_MIN   34u         /* 33 fixed bytes and a one-byte name */
#define ISO_F_DIR     0x02u       /* 9.1.6 file flags: a directory */
#define ISO_F_MULTI   0x80u       /* "not the final directory record for the file" */

/* One entry of the index; strings are offsets into the arena (it grows). */
struct iso_node {
	uint64_t off, size;
	int64_t mtime;
	uint32_t mode, flags;
	uint32_t path, name, link; /* arena offsets; link ISO_NONE when none */
	uint32_t ext, n_ext;       /* into iso->ext */
	uint32_t parent, child_first, n_child;
	uint32_t hash;
	uint32_t depth;
};

struct pxe_iso {
	struct pxe_iso_info info;
	bool fold; /* plain view: keys compared with ASCII case folded */
	struct iso_node *nodes;
	uint32_t n_nodes, cap_nodes;
	char *arena;
	size_t arena_len, arena_cap;
	struct pxe_iso_extent *ext;
	uint32_t n_ext, cap_ext;
	uint32_t *table; /* node index + 1, 0 empty; open addressing, linear */
	uint32_t table_mask;
};

/* The volume descriptor set (iso9660_desc.c). */
struct iso_vd {
	uint32_t volume_blocks;
	uint8_t pvd_root[34], joliet_root[34]; /* root directory records */
	bool joliet;
	char pvd_label[33];
	char joliet_label[100];
};

/* What the System Use area of one record says (iso9660_susp.c). */
struct iso_rr {
	bool sp, er_rrip, rrip; /* SP; ER naming RRIP; any RRIP entry */
	uint8_t skp;            /* SP LEN_SKP */
	bool has_name, name_cont, name_dot;
	size_t name_len;
	char name[ISO_NAME_MAX + 1];
	bool has_px, has_tf, has_sl, sl_cont, sl_comp_cont;
	uint32_t mode;
	int64_t mtime;
	size_t link_len;
	char link[ISO_LINK_MAX + 1];
	bool cl, re, zf;
	uint32_t cl_lba;
};

/* One pxe_iso_open(). */
struct iso_build {
	struct pxe_iso *iso;
	pxe_iso_read_fn read;
	void *ctx;
	uint64_t image_size;
	struct pxe_err *err;
	enum pxe_iso_view view;
	uint8_t skp;
	uint8_t *dirbuf, *ce_buf;
	size_t dirbuf_cap;
	uint32_t *seen; /* directory extents walked: lba + 1, open addressing */
	uint32_t seen_mask, n_seen;
	uint32_t pending; /* node of an unfinished multi-extent file, or ISO_NONE */
	bool pend_skip;   /* ... whose first record was a duplicate name */
	uint8_t pend_id[256], pend_id_len; /* its on-disc identifier */
	struct iso_rr rr;
};

/* iso9660_enc.c: numbers, dates and names as ECMA-119 and Joliet store them */
uint32_t iso_le32(const uint8_t *p);
uint16_t iso_le16(const uint8_t *p);
uint32_t iso_be32(const uint8_t *p);
int64_t iso_days_from_civil(int64_t y, unsigned m, unsigned d);
int64_t iso_time7(const uint8_t *t);  /* 9.1.5 directory record time; 0 when unset */
int64_t iso_time17(const uint8_t *t); /* 8.4.26.1 digits and offset; 0 when unset */
size_t iso_ucs2_to_utf8(const uint8_t *in, size_t len, char *out, size_t cap);
size_t iso_plain_name(const uint8_t *in, size_t len, char *out, size_t cap);
size_t iso_strip_version(char *name, size_t len);
void iso_trim_label(const uint8_t *in, size_t len, char *out, size_t cap);

/* iso9660_desc.c */
int iso_read_descriptors(struct iso_build *b, struct iso_vd *vd);

/* iso9660_susp.c: parse a record's System Use area (and its CE chain)
 * into b->rr; where names the record for errors. */
int iso_susp_parse(struct iso_build *b, const uint8_t *su, size_t len, const char *where);

/* A directory record's fields (ECMA-119 9.1), bounded by its length. */
struct iso_rec {
	uint32_t lba, size;
	uint8_t ext_attr, flags, unit, gap, name_len;
	const uint8_t *time, *name, *su;
	size_t su_len, at; /* at: byte of the record in its directory */
};

/* iso9660_dir.c: the tree, breadth first */
int iso_detect_rr(struct iso_build *b, const uint8_t *root_rec);
int iso_walk(struct iso_build *b, const uint8_t *root_rec);
const char *iso_path(const struct iso_build *b, uint32_t node);
int iso_rr_of(struct iso_build *b, uint32_t dir, const struct iso_rec *r);
int iso_dir_scan(struct iso_build *b, uint32_t dir, const uint8_t *buf, size_t size, bool *only_re);

/* iso9660_rec.c: one record */
int iso_record(struct iso_build *b, uint32_t dir, const struct iso_rec *r);
int iso_bound(struct iso_build *b, uint32_t node, uint64_t off, uint64_t len);

/* iso9660_index.c: the index being built */
uint32_t iso_hash(const char *s, size_t len, bool fold);
int iso_node_add(struct iso_build *b, uint32_t parent, const char *name, size_t len, uint32_t *out);
int iso_arena_put(struct pxe_iso *iso, const char *s, size_t len, uint32_t *off);
int iso_ext_add(struct pxe_iso *iso, uint64_t off, uint64_t len);
int iso_find(const struct pxe_iso *iso, const char *key, size_t len);
int iso_fail(struct iso_build *b, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
