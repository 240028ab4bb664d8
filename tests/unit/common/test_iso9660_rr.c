/* SPDX-License-Identifier: MIT */
/* common/iso9660*.c: Rock Ridge symlinks (SL components, resolution inside
 * the image), TF forms, ZF, and multi-extent files (ECMA-119 9.1.6). */
#include "unit.h"

#include "iso9660.h"
#include "iso_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Root at 20-21 with SP and ER; /d at 22 holding "file" (sector 40). */
static void rr_image(struct isofx *f, struct fxdir *root)
{
	uint8_t su[128];
	size_t n;
	struct fxdir d;
	fx_init(f, 64);
	fx_pvd(f, 16, 20, 2 * FX_SEC, "RR");
	fx_term(f, 17);
	n = fx_sp(su);
	n += fx_er(su + n);
	fx_dir(root, f, 20, 2 * FX_SEC, 20, 2 * FX_SEC, su, n);
	n = fx_nm(su, 0, "d");
	fx_add(root, "D", 22, FX_SEC, 2, su, n);
	fx_dir(&d, f, 22, FX_SEC, 20, 2 * FX_SEC, NULL, 0);
	n = fx_nm(su, 0, "file");
	fx_add(&d, "FILE.;1", 40, 3, 0, su, n);
	memcpy(fx_sec(f, 40), "abc", 3);
}

/* A symlink whose target is written as SL components: a leading '/' is
 * ROOT, "." CURRENT, ".." PARENT. */
static void add_link(struct fxdir *d, const char *name, const char *target)
{
	uint8_t su[255], comps[200];
	size_t n = 0, c = 0;
	const char *p = target;
	if (*p == '/') {
		comps[c++] = 8, comps[c++] = 0;
		p++;
	}
	while (*p) {
		size_t len = strcspn(p, "/");
		if (len == 1 && p[0] == '.')
			comps[c++] = 2, comps[c++] = 0;
		else if (len == 2 && p[0] == '.' && p[1] == '.')
			comps[c++] = 4, comps[c++] = 0;
		else if (len > 0) {
			comps[c++] = 0, comps[c++] = (uint8_t)len;
			memcpy(comps + c, p, len);
			c += len;
		}
		p += len + (p[len] == '/');
	}
	n = fx_nm(su, 0, name);
	n += fx_px(su + n, S_IFLNK | 0777);
	n += fx_sl(su + n, 0, comps, c);
	fx_add(d, name, 0, 0, 0, su, n);
}

static int res(struct pxe_iso *iso, const char *path, const char **out)
{
	static struct pxe_iso_entry e;
	int r = pxe_iso_lookup(iso, path, strlen(path), 0, &e);
	*out = r == 0 ? e.path : NULL;
	return r;
}

START_TEST(symlinks)
{
	struct isofx f;
	struct fxdir root;
	rr_image(&f, &root);
	add_link(&root, "rel", "d/file");
	add_link(&root, "abs", "/d/file");
	add_link(&root, "dots", "./d/../d/file");
	add_link(&root, "dlink", "d");
	add_link(&root, "up", "../etc/passwd");
	add_link(&root, "absup", "/../d/file");
	add_link(&root, "l1", "l2");
	add_link(&root, "l2", "l1");
	add_link(&root, "dangling", "nothere");
	add_link(&root, "tofile", "d/file/x");
	add_link(&root, "toroot", "/");
	/* a chain: c1 -> c2 -> ... -> c9 -> d/file */
	char name[8], target[8];
	for (int i = 1; i <= 8; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		snprintf(target, sizeof(target), "c%d", i + 1);
		add_link(&root, name, target);
	}
	add_link(&root, "c9", "d/file");
	struct pxe_iso *iso = NULL;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	ck_assert_uint_eq(pxe_iso_info(iso)->symlinks, 20);
	const char *p;
	ck_assert_int_eq(res(iso, "rel", &p), 0);
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "abs", &p), 0);
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "dots", &p), 0);
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "dlink/file", &p), 0); /* a link in the middle */
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "dlink", &p), 0);
	ck_assert_str_eq(p, "d");
	ck_assert_int_eq(res(iso, "toroot/d/file", &p), 0);
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "up", &p), -EACCES); /* never out of the image */
	ck_assert_int_eq(res(iso, "absup", &p), -EACCES);
	ck_assert_int_eq(res(iso, "l1", &p), -ELOOP);
	ck_assert_int_eq(res(iso, "dangling", &p), -ENOENT);
	ck_assert_int_eq(res(iso, "tofile", &p), -ENOTDIR);
	ck_assert_int_eq(res(iso, "c2", &p), 0); /* 8 hops */
	ck_assert_str_eq(p, "d/file");
	ck_assert_int_eq(res(iso, "c1", &p), -ELOOP); /* 9 */
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "abs", 3, PXE_ISO_NOFOLLOW, &e), 0);
	ck_assert_str_eq(e.link, "/d/file");
	ck_assert_int_eq(pxe_iso_lookup(iso, "dots", 4, PXE_ISO_NOFOLLOW, &e), 0);
	ck_assert_str_eq(e.link, "./d/../d/file");
	/* NOFOLLOW concerns the last component only */
	ck_assert_int_eq(pxe_iso_lookup(iso, "dlink/file", 10, PXE_ISO_NOFOLLOW, &e), 0);
	ck_assert_str_eq(e.path, "d/file");
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* RRIP 4.1.3: a component split over two SL entries (component CONTINUE,
 * entry CONTINUE), and a second NM split the same way. */
START_TEST(split_entries)
{
	struct isofx f;
	struct fxdir root;
	rr_image(&f, &root);
	uint8_t su[255];
	size_t n = fx_nm(su, 1, "spl");
	n += fx_nm(su + n, 0, "it");
	n += fx_px(su + n, S_IFLNK | 0777);
	static const uint8_t a[] = {0, 1, 'd', 1, 2, 'f', 'i'};
	static const uint8_t b[] = {0, 2, 'l', 'e'};
	n += fx_sl(su + n, 1, a, sizeof(a));
	n += fx_sl(su + n, 0, b, sizeof(b));
	fx_add(&root, "SPLIT", 0, 0, 0, su, n);
	struct pxe_iso *iso = NULL;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "split", 5, PXE_ISO_NOFOLLOW, &e), 0);
	ck_assert_str_eq(e.link, "d/file");
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* TF: short and long (17-byte, bit 7) forms; MODIFY after CREATION. */
START_TEST(tf_forms)
{
	struct isofx f;
	struct fxdir root;
	rr_image(&f, &root);
	uint8_t su[255];
	static const uint8_t s7[14] = {100, 1, 1, 0, 0, 0, 0, 121, 6, 7, 8, 9, 10, 4};
	size_t n = fx_nm(su, 0, "short");
	n += fx_tf(su + n, 3, s7, sizeof(s7)); /* CREATION, MODIFY */
	fx_add(&root, "A", 40, 3, 0, su, n);
	uint8_t s17[34] = "2000010100000000";
	memcpy(s17 + 17, "2021060708091000", 16);
	s17[16] = 0;
	s17[33] = (uint8_t)-8; /* 08:09:10 at -02:00 = 10:09:10 UTC */
	n = fx_nm(su, 0, "long");
	n += fx_tf(su + n, 0x83, s17, sizeof(s17));
	fx_add(&root, "B", 40, 3, 0, su, n);
	n = fx_nm(su, 0, "unset"); /* long form all zeros: not specified */
	uint8_t z[17] = "0000000000000000";
	n += fx_tf(su + n, 0x82, z, sizeof(z));
	fx_add(&root, "C", 40, 3, 0, su, n);
	struct pxe_iso *iso = NULL;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "short", 5, 0, &e), 0);
	ck_assert_int_eq(e.mtime, 1623049750);
	ck_assert_int_eq(pxe_iso_lookup(iso, "long", 4, 0, &e), 0);
	ck_assert_int_eq(e.mtime, 1623060550);
	ck_assert_int_eq(pxe_iso_lookup(iso, "unset", 5, 0, &e), 0);
	ck_assert_int_eq(e.mtime, 0);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

START_TEST(zisofs)
{
	struct isofx f;
	struct fxdir root;
	rr_image(&f, &root);
	uint8_t su[255];
	size_t n = fx_nm(su, 0, "z.bin");
	n += fx_zf(su + n, 200000);
	fx_add(&root, "Z.BIN;1", 41, 48, 0, su, n);
	struct pxe_iso *iso = NULL;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "z.bin", 5, 0, &e), 0);
	ck_assert(e.flags & PXE_ISO_ZISOFS);
	ck_assert(e.flags & PXE_ISO_UNSERVABLE);
	ck_assert_ptr_nonnull(strstr(pxe_iso_unservable_reason(e.flags), "zisofs"));
	ck_assert_uint_eq(pxe_iso_info(iso)->unservable, 1);
	ck_assert_ptr_null(pxe_iso_unservable_reason(0));
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* Multi-extent: above 4 GiB and contiguous (what xorriso writes: one
 * run), not contiguous (an extent list), interleaved (refused). The image
 * is sparse: fx_read gives zeros past the bytes the fixture holds. */
START_TEST(multi_extent)
{
	struct isofx f;
	struct fxdir root;
	rr_image(&f, &root);
	f.size = 12ull << 30;
	uint8_t su[255];
	size_t n = fx_nm(su, 0, "huge");
	const uint32_t first = 0xfffff800u, lba = 100;
	fx_add(&root, "HUGE.;1", lba, first, 0x80, su, n);
	fx_add(&root, "HUGE.;1", lba + first / FX_SEC, 405034752, 0, su, n);
	n = fx_nm(su, 0, "gaps");
	fx_add(&root, "GAPS.;1", 50, 4096, 0x80, su, n);
	fx_add(&root, "GAPS.;1", 60, 4096, 0x80, su, n);
	fx_add(&root, "GAPS.;1", 62, 10, 0, su, n);
	n = fx_nm(su, 0, "inter");
	fx_add(&root, "INTER.;1", 55, 100, 0, su, n);
	/* the file unit size (+26) of the last record, "INTER.;1" with its pad byte */
	fx_sec(&f, 20)[root.pos - (33 + 8 + 1 + n) + 26] = 1;
	struct pxe_iso *iso = NULL;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "huge", 4, 0, &e), 0);
	ck_assert_uint_eq(e.size, 4700000000ull);
	ck_assert_uint_eq(e.flags, PXE_ISO_MULTI);
	ck_assert_uint_eq(e.n_ext, 1);
	ck_assert_uint_eq(e.off, (uint64_t)lba * FX_SEC);
	ck_assert_uint_eq(e.ext[0].len, 4700000000ull);
	ck_assert_int_eq(pxe_iso_lookup(iso, "gaps", 4, 0, &e), 0);
	ck_assert_uint_eq(e.flags, PXE_ISO_MULTI | PXE_ISO_NONCONTIG);
	ck_assert_uint_eq(e.size, 8202);
	ck_assert_uint_eq(e.n_ext, 2); /* 60 and 62 touch: folded */
	ck_assert_uint_eq(e.ext[0].off, 50 * FX_SEC);
	ck_assert_uint_eq(e.ext[0].len, 4096);
	ck_assert_uint_eq(e.ext[1].off, 60 * FX_SEC);
	ck_assert_uint_eq(e.ext[1].len, 4106);
	ck_assert_int_eq(pxe_iso_lookup(iso, "inter", 5, 0, &e), 0);
	ck_assert_uint_eq(e.flags, PXE_ISO_INTERLEAVED);
	ck_assert_ptr_nonnull(strstr(pxe_iso_unservable_reason(e.flags), "interleaved"));
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

UNIT_SUITE(iso9660_rr)
{
	Suite *s = suite_create("iso9660_rr");
	TCase *tc = tcase_create("rockridge");
	tcase_add_test(tc, symlinks);
	tcase_add_test(tc, split_entries);
	tcase_add_test(tc, tf_forms);
	tcase_add_test(tc, zisofs);
	tcase_add_test(tc, multi_extent);
	suite_add_tcase(s, tc);
	return s;
}
