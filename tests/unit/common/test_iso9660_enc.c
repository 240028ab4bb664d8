/* SPDX-License-Identifier: MIT */
/* common/iso9660_enc.c (dates, UCS-2, names), pxe_iso_pread(), and the
 * cost of indexing 20,000 files. */
#include "unit.h"

#include "iso9660_int.h"
#include "iso_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

START_TEST(dates)
{
	ck_assert_int_eq(iso_days_from_civil(1970, 1, 1), 0);
	ck_assert_int_eq(iso_days_from_civil(1969, 12, 31), -1);
	ck_assert_int_eq(iso_days_from_civil(2000, 3, 1), 11017);
	uint8_t t[7] = {120, 1, 2, 3, 4, 5, 0};
	ck_assert_int_eq(iso_time7(t), 1577934245);
	t[6] = 4; /* +01:00: an hour earlier in UTC */
	ck_assert_int_eq(iso_time7(t), 1577934245 - 3600);
	t[6] = (uint8_t)-48; /* -12:00 */
	ck_assert_int_eq(iso_time7(t), 1577934245 + 12 * 3600);
	t[6] = 60; /* out of range: ignored */
	ck_assert_int_eq(iso_time7(t), 1577934245);
	t[1] = 13;
	ck_assert_int_eq(iso_time7(t), 0);
	static const uint8_t zero[7];
	ck_assert_int_eq(iso_time7(zero), 0);
	uint8_t l[17] = "2021060708091000";
	l[16] = (uint8_t)-8;
	ck_assert_int_eq(iso_time17(l), 1623060550);
	memcpy(l, "0000000000000000", 16);
	ck_assert_int_eq(iso_time17(l), 0);
	memcpy(l, "2021x60708091000", 16);
	ck_assert_int_eq(iso_time17(l), 0);
}
END_TEST

START_TEST(ucs2)
{
	char out[16];
	static const uint8_t e[] = {0, 'a', 0, 0xe9, 0x65, 0xe5};
	ck_assert_uint_eq(iso_ucs2_to_utf8(e, sizeof(e), out, sizeof(out)), 6);
	ck_assert_str_eq(out, "a\xc3\xa9\xe6\x97\xa5");
	static const uint8_t pair[] = {0xd8, 0x3d, 0xde, 0x00, 0, 'z'};
	ck_assert_uint_eq(iso_ucs2_to_utf8(pair, sizeof(pair), out, sizeof(out)), 5);
	ck_assert_str_eq(out, "\xf0\x9f\x98\x80z");
	static const uint8_t lone[] = {0xd8, 0x00, 0, 'z', 0};
	ck_assert_uint_eq(iso_ucs2_to_utf8(lone, sizeof(lone), out, sizeof(out)), 4);
	ck_assert_str_eq(out, "\xef\xbf\xbdz"); /* U+FFFD; the odd last byte dropped */
	static const uint8_t nul[] = {0, 'a', 0, 0};
	ck_assert_uint_eq(iso_ucs2_to_utf8(nul, sizeof(nul), out, sizeof(out)), 2);
	ck_assert_int_eq(out[1], '\0'); /* kept, for the caller to refuse */
	ck_assert_uint_eq(iso_ucs2_to_utf8(e, sizeof(e), out, 6), SIZE_MAX);
	ck_assert_uint_eq(iso_ucs2_to_utf8(e, sizeof(e), out, 0), SIZE_MAX);
}
END_TEST

START_TEST(names)
{
	char n[32];
	strcpy(n, "VMLINUZ.;1");
	ck_assert_uint_eq(iso_strip_version(n, strlen(n)), 8);
	ck_assert_str_eq(n, "VMLINUZ.");
	strcpy(n, "A;");
	ck_assert_uint_eq(iso_strip_version(n, 2), 1);
	strcpy(n, "A;1x");
	ck_assert_uint_eq(iso_strip_version(n, 4), 4);
	strcpy(n, "123");
	ck_assert_uint_eq(iso_strip_version(n, 3), 3);
	ck_assert_uint_eq(iso_plain_name((const uint8_t *)"ABC", 3, n, 4), 3);
	ck_assert_uint_eq(iso_plain_name((const uint8_t *)"ABCD", 4, n, 4), SIZE_MAX);
	iso_trim_label((const uint8_t *)"ARCH_2026   \0\0", 14, n, sizeof(n));
	ck_assert_str_eq(n, "ARCH_2026");
	iso_trim_label((const uint8_t *)"A\x01"
					"B",
		       3, n, sizeof(n));
	ck_assert_str_eq(n, "A?B");
}
END_TEST

START_TEST(fd_read)
{
	char path[] = "/tmp/pxeiso.XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	unlink(path);
	ck_assert_int_eq(write(fd, "0123456789", 10), 10);
	char buf[8] = {0};
	ck_assert_int_eq(pxe_iso_pread(&fd, buf, 4, 3), 0);
	ck_assert_str_eq(buf, "3456");
	ck_assert_int_eq(pxe_iso_pread(&fd, buf, 4, 8), -EIO); /* short: the file shrank */
	close(fd);
	ck_assert_int_eq(pxe_iso_pread(&fd, buf, 4, 0), -EBADF);
}
END_TEST

/* 100 directories of 200 Rock Ridge files each (NM, PX, TF per record). */
static void big_tree(struct isofx *f)
{
	const uint32_t dirs = 100, per = 200, dsecs = 16, root = 20, rsecs = 8;
	fx_init(f, root + rsecs + dirs * dsecs);
	fx_pvd(f, 16, root, rsecs * FX_SEC, "BIG");
	fx_term(f, 17);
	uint8_t su[128];
	size_t n = fx_sp(su);
	n += fx_er(su + n);
	struct fxdir r, d;
	fx_dir(&r, f, root, rsecs * FX_SEC, root, rsecs * FX_SEC, su, n);
	static const uint8_t tf[14] = {121, 6, 7, 8, 9, 10, 4, 121, 6, 7, 8, 9, 10, 4};
	for (uint32_t i = 0; i < dirs; i++) {
		char name[32], id[32];
		uint32_t lba = root + rsecs + i * dsecs;
		snprintf(id, sizeof(id), "D%03u", i);
		snprintf(name, sizeof(name), "dir-%03u", i);
		n = fx_nm(su, 0, name);
		n += fx_px(su + n, S_IFDIR | 0755);
		fx_add(&r, id, lba, dsecs * FX_SEC, 2, su, n);
		fx_dir(&d, f, lba, dsecs * FX_SEC, root, rsecs * FX_SEC, NULL, 0);
		for (uint32_t j = 0; j < per; j++) {
			snprintf(id, sizeof(id), "F%05u.;1", j);
			snprintf(name, sizeof(name), "file-%05u.img", j);
			n = fx_nm(su, 0, name);
			n += fx_px(su + n, S_IFREG | 0644);
			n += fx_tf(su + n, 3, tf, sizeof(tf));
			fx_add(&d, id, 0, 0, 0, su, n);
		}
		ck_assert_uint_le(d.pos, dsecs * FX_SEC);
	}
	ck_assert_uint_le(r.pos, rsecs * FX_SEC);
}

START_TEST(twenty_thousand_files)
{
	struct isofx f;
	big_tree(&f);
	struct timespec t0, t1;
	struct pxe_iso *iso;
	struct pxe_err err;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int r = pxe_iso_open(&iso, fx_read, &f, f.size, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(r == 0, "%d %s", r, err.msg);
	double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
	const struct pxe_iso_info *in = pxe_iso_info(iso);
	ck_assert_uint_eq(in->files, 20000);
	ck_assert_uint_eq(in->dirs, 101);
	/* "well under a second" even under ASan; the memory proportional:
	 * about 100 bytes an entry plus its path */
	ck_assert_msg(ms < 1000, "indexing 20,000 files took %.0f ms", ms);
	ck_assert_msg(in->memory < 4u << 20, "the index holds %zu bytes", in->memory);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "dir-042/file-00199.img", 22, 0, &e), 0);
	ck_assert_int_eq(e.mtime, 1623049750);
	if (getenv("ISO_TIMING"))
		fprintf(stderr, "iso9660: 20000 files indexed in %.1f ms, %zu bytes\n", ms,
			in->memory);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

UNIT_SUITE(iso9660_enc)
{
	Suite *s = suite_create("iso9660_enc");
	TCase *tc = tcase_create("encodings");
	tcase_add_test(tc, dates);
	tcase_add_test(tc, ucs2);
	tcase_add_test(tc, names);
	tcase_add_test(tc, fd_read);
	tcase_add_test(tc, twenty_thousand_files);
	suite_add_tcase(s, tc);
	return s;
}
