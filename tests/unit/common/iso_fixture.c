/* SPDX-License-Identifier: MIT */
/* Hand-built ISO 9660 images (iso_fixture.h). */
#include "iso_fixture.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void fx_init(struct isofx *f, size_t sectors)
{
	memset(f, 0, sizeof(*f));
	f->cap = sectors * FX_SEC;
	f->img = calloc(1, f->cap);
	f->size = f->cap;
}

void fx_free(struct isofx *f)
{
	free(f->img);
	f->img = NULL;
}

uint8_t *fx_sec(struct isofx *f, uint32_t lba)
{
	return f->img + (size_t)lba * FX_SEC;
}

int fx_read(void *ctx, void *buf, size_t len, uint64_t off)
{
	struct isofx *f = ctx;
	f->reads++;
	if (f->fail_reads > 0 && (int)f->reads == f->fail_reads)
		return -EIO;
	if (off > f->size || len > f->size - off)
		abort(); /* the reader promised never to read past the image */
	memset(buf, 0, len);
	if (off < f->cap)
		memcpy(buf, f->img + off, len < f->cap - off ? len : f->cap - off);
	return 0;
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
		p[7 - i] = (uint8_t)(v >> (8 * i));
	}
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = p[3] = (uint8_t)v;
	p[1] = p[2] = (uint8_t)(v >> 8);
}

static void fx_vd(uint8_t *s, uint8_t type)
{
	s[0] = type;
	memcpy(s + 1, "CD001", 5);
	s[6] = 1;
}

void fx_pvd(struct isofx *f, uint32_t sec, uint32_t root_lba, uint32_t root_size, const char *label)
{
	uint8_t *s = fx_sec(f, sec);
	fx_vd(s, 1);
	memset(s + 40, ' ', 32);
	memcpy(s + 40, label, strlen(label));
	put32(s + 80, (uint32_t)(f->cap / FX_SEC));
	put16(s + 120, 1);
	put16(s + 124, 1);
	put16(s + 128, FX_SEC);
	fx_rec(s + 156, root_lba, root_size, 2, "\0", 1, NULL, 0, NULL);
}

void fx_joliet(struct isofx *f, uint32_t sec, uint32_t root_lba, uint32_t root_size,
	       const char *label_ascii)
{
	uint8_t *s = fx_sec(f, sec);
	fx_vd(s, 2);
	for (size_t i = 0; i < 16; i++) {
		s[40 + 2 * i] = 0;
		s[41 + 2 * i] = i < strlen(label_ascii) ? (uint8_t)label_ascii[i] : ' ';
	}
	put32(s + 80, (uint32_t)(f->cap / FX_SEC));
	memcpy(s + 88, "%/E", 3);
	put16(s + 128, FX_SEC);
	fx_rec(s + 156, root_lba, root_size, 2, "\0", 1, NULL, 0, NULL);
}

void fx_term(struct isofx *f, uint32_t sec)
{
	fx_vd(fx_sec(f, sec), 255);
}

size_t fx_rec(uint8_t *p, uint32_t lba, uint32_t size, uint8_t flags, const void *name, size_t nlen,
	      const void *su, size_t sulen, const uint8_t *time)
{
	size_t len = 33 + nlen + !(nlen & 1) + sulen;
	static const uint8_t t0[7] = {120, 1, 2, 3, 4, 5, 0}; /* 2020-01-02 03:04:05 GMT */
	p[0] = (uint8_t)len;
	put32(p + 2, lba);
	put32(p + 10, size);
	memcpy(p + 18, time ? time : t0, 7);
	p[25] = flags;
	put16(p + 28, 1);
	p[32] = (uint8_t)nlen;
	memcpy(p + 33, name, nlen);
	if (sulen)
		memcpy(p + 33 + nlen + !(nlen & 1), su, sulen);
	return len;
}

void fx_dir(struct fxdir *d, struct isofx *f, uint32_t lba, uint32_t size, uint32_t parent_lba,
	    uint32_t parent_size, const void *dot_su, size_t dot_sulen)
{
	d->f = f;
	d->lba = lba;
	uint8_t *p = fx_sec(f, lba);
	d->pos = fx_rec(p, lba, size, 2, "\0", 1, dot_su, dot_sulen, NULL);
	d->pos += fx_rec(p + d->pos, parent_lba, parent_size, 2, "\1", 1, NULL, 0, NULL);
}

void fx_add_raw(struct fxdir *d, const void *name, size_t nlen, uint32_t lba, uint32_t size,
		uint8_t flags, const void *su, size_t sulen)
{
	size_t len = 33 + nlen + !(nlen & 1) + sulen;
	if (d->pos % FX_SEC + len > FX_SEC)
		d->pos = (d->pos / FX_SEC + 1) * FX_SEC;
	d->pos += fx_rec(fx_sec(d->f, d->lba) + d->pos, lba, size, flags, name, nlen, su, sulen,
			 NULL);
}

void fx_add(struct fxdir *d, const char *name, uint32_t lba, uint32_t size, uint8_t flags,
	    const void *su, size_t sulen)
{
	fx_add_raw(d, name, strlen(name), lba, size, flags, su, sulen);
}

static size_t fx_entry(uint8_t *b, const char *sig, size_t len)
{
	b[0] = (uint8_t)sig[0];
	b[1] = (uint8_t)sig[1];
	b[2] = (uint8_t)len;
	b[3] = 1;
	return len;
}

size_t fx_sp(uint8_t *b)
{
	b[4] = 0xbe, b[5] = 0xef, b[6] = 0;
	return fx_entry(b, "SP", 7);
}

size_t fx_er(uint8_t *b)
{
	static const char id[] = "RRIP_1991A";
	memset(b + 4, 0, 4);
	b[4] = (uint8_t)strlen(id);
	memcpy(b + 8, id, strlen(id));
	return fx_entry(b, "ER", 8 + strlen(id));
}

size_t fx_nm(uint8_t *b, uint8_t flags, const char *name)
{
	b[4] = flags;
	memcpy(b + 5, name, strlen(name));
	return fx_entry(b, "NM", 5 + strlen(name));
}

size_t fx_px(uint8_t *b, uint32_t mode)
{
	memset(b + 4, 0, 40);
	put32(b + 4, mode);
	put32(b + 12, 1);
	return fx_entry(b, "PX", 44);
}

size_t fx_tf(uint8_t *b, uint8_t flags, const uint8_t *stamps, size_t len)
{
	b[4] = flags;
	memcpy(b + 5, stamps, len);
	return fx_entry(b, "TF", 5 + len);
}

size_t fx_sl(uint8_t *b, uint8_t flags, const uint8_t *comps, size_t len)
{
	b[4] = flags;
	memcpy(b + 5, comps, len);
	return fx_entry(b, "SL", 5 + len);
}

size_t fx_ce(uint8_t *b, uint32_t block, uint32_t off, uint32_t len)
{
	put32(b + 4, block);
	put32(b + 12, off);
	put32(b + 20, len);
	return fx_entry(b, "CE", 28);
}

size_t fx_cl(uint8_t *b, uint32_t lba)
{
	put32(b + 4, lba);
	return fx_entry(b, "CL", 12);
}

size_t fx_re(uint8_t *b)
{
	return fx_entry(b, "RE", 4);
}

size_t fx_zf(uint8_t *b, uint32_t real_size)
{
	b[4] = 'p', b[5] = 'z', b[6] = 4, b[7] = 15;
	put32(b + 8, real_size);
	return fx_entry(b, "ZF", 16);
}

/* The seed image (iso_fixture.h): sectors 16-18 descriptors, 20 root, 21
 * /boot, 22 rr_moved, 23 the relocated /deep, 24 the Joliet root, 25 a CE
 * area, data from 30. */
void fx_sample_rr(struct isofx *f)
{
	uint8_t su[256];
	size_t n;
	struct fxdir d;
	fx_init(f, 48);
	fx_pvd(f, 16, 20, FX_SEC, "SAMPLE");
	fx_joliet(f, 17, 24, FX_SEC, "SAMPLE_J");
	fx_term(f, 18);

	n = fx_sp(su);
	n += fx_er(su + n);
	n += fx_px(su + n, S_IFDIR | 0755);
	fx_dir(&d, f, 20, FX_SEC, 20, FX_SEC, su, n);
	n = fx_nm(su, 0, "boot");
	n += fx_px(su + n, S_IFDIR | 0755);
	fx_add(&d, "BOOT", 21, FX_SEC, 2, su, n);
	static const uint8_t tf[7] = {121, 6, 7, 8, 9, 10, 4}; /* 2021-06-07 08:09:10 +01:00 */
	n = fx_nm(su, 0, "vmlinuz");
	n += fx_px(su + n, S_IFREG | 0644);
	n += fx_tf(su + n, 2, tf, 7);
	fx_add(&d, "VMLINUZ.;1", 30, 100, 0, su, n);
	static const uint8_t comps[] = {0, 4, 'b', 'o', 'o', 't', 0, 5, 'x', '.', 'c', 'f', 'g'};
	n = fx_nm(su, 0, "link");
	n += fx_px(su + n, S_IFLNK | 0777);
	n += fx_sl(su + n, 0, comps, sizeof(comps));
	fx_add(&d, "LINK.;1", 0, 0, 0, su, n);
	n = fx_nm(su, 0, "deep");
	n += fx_cl(su + n, 23);
	fx_add(&d, "DEEP.;1", 0, 0, 0, su, n);
	n = fx_nm(su, 0, "rr_moved");
	fx_add(&d, "RR_MOVED", 22, FX_SEC, 2, su, n);
	n = fx_nm(su, 0, "big");
	fx_add(&d, "BIG.;1", 40, 4096, 0x80, su, n);
	fx_add(&d, "BIG.;1", 42, 100, 0, su, n);
	n = fx_ce(su, 25, 100, 40);
	fx_add(&d, "LONG.;1", 31, 10, 0, su, n);
	n = fx_nm(fx_sec(f, 25) + 100, 0, "long-name-from-a-ce-area");
	(void)n;

	fx_dir(&d, f, 21, FX_SEC, 20, FX_SEC, NULL, 0);
	n = fx_nm(su, 0, "x.cfg");
	fx_add(&d, "X.CFG;1", 32, 10, 0, su, n);

	fx_dir(&d, f, 22, FX_SEC, 20, FX_SEC, NULL, 0);
	n = fx_nm(su, 0, "deep");
	n += fx_re(su + n);
	fx_add(&d, "DEEP", 23, FX_SEC, 2, su, n);

	fx_dir(&d, f, 23, FX_SEC, 22, FX_SEC, NULL, 0);
	n = fx_nm(su, 0, "f.txt");
	fx_add(&d, "F.TXT;1", 33, 5, 0, su, n);

	fx_dir(&d, f, 24, FX_SEC, 24, FX_SEC, NULL, 0);
	static const uint8_t jname[] = {0, 'v', 0, 'm', 0, ';', 0, '1'};
	fx_add_raw(&d, jname, sizeof(jname), 30, 100, 0, NULL, 0);

	memset(fx_sec(f, 30), 'K', 100);
	memset(fx_sec(f, 31), 'L', 10);
	memset(fx_sec(f, 32), 'C', 10);
	memset(fx_sec(f, 33), 'F', 5);
}
