/* SPDX-License-Identifier: MIT */
/* Hand-built ISO 9660 images for the reader's unit tests (test_iso*.c) and
 * its fuzz target: descriptors, directory records and SUSP/RRIP entries
 * written byte by byte from ECMA-119, SUSP 1.12 and RRIP 1.12, so each
 * parser branch and each corruption can be produced on purpose. */
#ifndef PXE_UNIT_ISO_FIXTURE_H
#define PXE_UNIT_ISO_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

#define FX_SEC 2048u

struct isofx {
	uint8_t *img;
	size_t cap;     /* bytes of img */
	uint64_t size;  /* the image size told to the reader (reads past cap: zeros) */
	unsigned reads; /* read calls */
	int fail_reads; /* when > 0, read number fail_reads returns -EIO */
};

/* A zeroed image of sectors sectors (size = cap). */
void fx_init(struct isofx *f, size_t sectors);
void fx_free(struct isofx *f);
uint8_t *fx_sec(struct isofx *f, uint32_t lba);
/* The read callback: bounds-checked against size, zeros past cap. */
int fx_read(void *ctx, void *buf, size_t len, uint64_t off);

/* Descriptors: PVD (root directory at root_lba, root_size bytes), Joliet
 * SVD, terminator, at the given sectors. */
void fx_pvd(struct isofx *f, uint32_t sec, uint32_t root_lba, uint32_t root_size,
	    const char *label);
void fx_joliet(struct isofx *f, uint32_t sec, uint32_t root_lba, uint32_t root_size,
	       const char *label_ascii);
void fx_term(struct isofx *f, uint32_t sec);

/* One directory record at p; returns its length. time: 7 bytes or NULL. */
size_t fx_rec(uint8_t *p, uint32_t lba, uint32_t size, uint8_t flags, const void *name, size_t nlen,
	      const void *su, size_t sulen, const uint8_t *time);

/* A directory being written: "." and ".." first, then fx_add() records,
 * moved to the next sector when one would cross a boundary. */
struct fxdir {
	struct isofx *f;
	uint32_t lba;
	size_t pos;
};
void fx_dir(struct fxdir *d, struct isofx *f, uint32_t lba, uint32_t size, uint32_t parent_lba,
	    uint32_t parent_size, const void *dot_su, size_t dot_sulen);
void fx_add(struct fxdir *d, const char *name, uint32_t lba, uint32_t size, uint8_t flags,
	    const void *su, size_t sulen);
/* The same with a name of nlen raw bytes (Joliet UCS-2). */
void fx_add_raw(struct fxdir *d, const void *name, size_t nlen, uint32_t lba, uint32_t size,
		uint8_t flags, const void *su, size_t sulen);

/* SUSP/RRIP entries appended at b (returns bytes written). */
size_t fx_sp(uint8_t *b);
size_t fx_er(uint8_t *b);
size_t fx_nm(uint8_t *b, uint8_t flags, const char *name);
size_t fx_px(uint8_t *b, uint32_t mode);
size_t fx_tf(uint8_t *b, uint8_t flags, const uint8_t *stamps, size_t len);
size_t fx_sl(uint8_t *b, uint8_t flags, const uint8_t *comps, size_t len);
size_t fx_ce(uint8_t *b, uint32_t block, uint32_t off, uint32_t len);
size_t fx_cl(uint8_t *b, uint32_t lba);
size_t fx_re(uint8_t *b);
size_t fx_zf(uint8_t *b, uint32_t real_size);

/* A small valid Rock Ridge image (symlinks, CE, multi-extent, relocation,
 * Joliet beside it): the unit tests' and the fuzzer's seed. */
void fx_sample_rr(struct isofx *f);

#endif
