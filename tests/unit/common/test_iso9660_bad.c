/* SPDX-License-Identifier: MIT */
/* common/iso9660*.c on corrupt images: each damage gives its own error,
 * naming what is wrong, and never a crash, a hang or a partial index. */
#include "unit.h"

#include "iso9660.h"
#include "iso_fixture.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static void open_fails_at(int line, struct isofx *f, int code, const char *want)
{
	struct pxe_iso *iso = (struct pxe_iso *)1;
	struct pxe_err err = {{0}};
	int r = pxe_iso_open(&iso, fx_read, f, f->size, &err);
	ck_assert_msg(r == -code, "line %d: got %d (%s), expected %d", line, r, err.msg, -code);
	ck_assert_ptr_null(iso);
	ck_assert_msg(strstr(err.msg, want), "line %d: message \"%s\" lacks \"%s\"", line, err.msg,
		      want);
	fx_free(f);
}

#define open_fails(f, code, want) open_fails_at(__LINE__, f, code, want)

/* The record of the sample's directory at lba named id (ISO identifier). */
static uint8_t *rec(struct isofx *f, uint32_t lba, const char *id)
{
	uint8_t *s = fx_sec(f, lba);
	for (size_t pos = 0; pos < FX_SEC && s[pos];) {
		if (s[pos + 32] == strlen(id) && memcmp(s + pos + 33, id, strlen(id)) == 0)
			return s + pos;
		pos += s[pos];
	}
	ck_abort_msg("no record %s", id);
	return NULL;
}

/* Where the records of the directory sector at lba end. */
static size_t rec_end(struct isofx *f, uint32_t lba)
{
	uint8_t *s = fx_sec(f, lba);
	size_t pos = 0;
	while (pos < FX_SEC && s[pos])
		pos += s[pos];
	return pos;
}

/* 9.1.12-13: the System Use area follows the name and its pad byte */
static uint8_t *su_of(uint8_t *r)
{
	return r + 33 + r[32] + !(r[32] & 1);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = p[7 - i] = (uint8_t)(v >> (8 * i));
}

START_TEST(descriptors)
{
	struct isofx f;
	fx_sample_rr(&f);
	memset(fx_sec(&f, 16), 0, FX_SEC);
	open_fails(&f, EMEDIUMTYPE, "no CD001 volume descriptor at sector 16");
	fx_sample_rr(&f);
	memset(fx_sec(&f, 16), 0, 3 * FX_SEC);
	memcpy(fx_sec(&f, 16), "\0BEA01\1", 7);
	memcpy(fx_sec(&f, 17), "\0NSR02\1", 7);
	memcpy(fx_sec(&f, 18), "\0TEA01\1", 7);
	open_fails(&f, ENOTSUP, "a UDF-only image (BEA01 at sector 16");
	fx_sample_rr(&f);
	f.size = 34815;
	open_fails(&f, EMEDIUMTYPE, "shorter than its System Area");
	fx_sample_rr(&f);
	fx_sec(&f, 16)[129] = 2; /* logical block size 512 */
	open_fails(&f, ENOTSUP, "logical block size 512");
	fx_sample_rr(&f);
	fx_sec(&f, 16)[0] = 0; /* the PVD becomes a boot record */
	open_fails(&f, EINVAL, "no primary volume descriptor");
	fx_sample_rr(&f);
	fx_sec(&f, 16)[156] = 33;
	open_fails(&f, EINVAL, "root directory record length 33");
	fx_sample_rr(&f);
	fx_sec(&f, 18)[0] = 3; /* the terminator becomes a partition descriptor */
	open_fails(&f, EINVAL, "sector 19 has no CD001 identifier");
	fx_sample_rr(&f);
	for (uint32_t s = 18; s < 48; s++)
		memcpy(fx_sec(&f, s), "\3CD001\1", 7);
	open_fails(&f, EINVAL, "no terminator before the end of the image");
	fx_sample_rr(&f);
	f.size = 40 * FX_SEC; /* a truncated download */
	open_fails(&f, EINVAL, "the image is truncated: its volume is 98304 bytes, the file 81920");
}
END_TEST

/* -partition_offset 16 writes a second set after the first terminator:
 * it is never read, whatever it says. */
START_TEST(second_set_ignored)
{
	struct isofx f;
	fx_sample_rr(&f);
	fx_pvd(&f, 19, 0, 0x7fffffff, "WRONG");
	fx_term(&f, 20 + 27); /* somewhere further on, unread too */
	struct pxe_iso *iso;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	ck_assert_str_eq(pxe_iso_info(iso)->label, "SAMPLE");
	ck_assert_uint_eq(pxe_iso_info(iso)->entries, 9);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

START_TEST(records)
{
	struct isofx f;
	char want[128];
	fx_sample_rr(&f);
	/* records named "\0" (skipped as ".") up to the sector's end, the last across it */
	size_t start = rec_end(&f, 21), pos = start;
	for (; pos + 250 <= FX_SEC + 100; pos += 250)
		fx_rec(fx_sec(&f, 21) + pos, 21, 0, 0, "\0", 1, NULL, 0, NULL);
	for (size_t p = start; p < pos; p += 250)
		fx_sec(&f, 21)[p] = 250;
	snprintf(want, sizeof(want), "directory /boot: record at byte %zu (250 bytes)", pos - 250);
	open_fails(&f, EINVAL, want);
	fx_sample_rr(&f);
	pos = rec_end(&f, 20);
	fx_sec(&f, 20)[pos] = 20;
	snprintf(want, sizeof(want), "directory /: record at byte %zu (20 bytes) is too short",
		 pos);
	open_fails(&f, EINVAL, want);
	fx_sample_rr(&f);
	rec(&f, 20, "VMLINUZ.;1")[32] = 200;
	open_fails(&f, EINVAL, "name of 200 bytes does not fit");
	fx_sample_rr(&f);
	put32(rec(&f, 20, "VMLINUZ.;1") + 10, 1u << 30);
	open_fails(&f, EINVAL, "/vmlinuz: data at bytes 61440-1073803264 lies past the end");
	fx_sample_rr(&f);
	put32(rec(&f, 20, "BOOT") + 2, 20); /* /boot is the root again */
	open_fails(&f, ELOOP, "directory /boot: its extent (block 20) was already read");
	fx_sample_rr(&f);
	f.size = 12ull << 30;
	put32(rec(&f, 20, "BOOT") + 10, 0x7fffffffu);
	open_fails(&f, EINVAL, "directory /boot: 2147483647 bytes, more than");
	fx_sample_rr(&f);
	/* the first section claims to be final: the second record is then a
	 * second file of the same name, and the first one stands (9.3) */
	rec(&f, 20, "BIG.;1")[25] = 0;
	struct pxe_iso *iso;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "big", 3, 0, &e), 0);
	ck_assert_uint_eq(e.size, 4096);
	ck_assert_uint_eq(e.flags, 0);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

START_TEST(multi_extent_unfinished)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *big = rec(&f, 20, "BIG.;1");
	big[big[0] + 25] = 0x80; /* the second section is not final either */
	open_fails(&f, EINVAL, "directory /: multi-extent file ends without its final record");
	fx_sample_rr(&f);
	big = rec(&f, 20, "BIG.;1");
	big[big[0] + 33] = 'P'; /* the next record has another name */
	open_fails(&f, EINVAL, "multi-extent file ends without its final record (record at byte");
}
END_TEST

START_TEST(rock_ridge)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *v = rec(&f, 20, "VMLINUZ.;1");
	su_of(v)[2] = 250; /* NM */
	open_fails(&f, EINVAL, "System Use entry NM (250 bytes) overruns its area");
	fx_sample_rr(&f);
	v = rec(&f, 20, "VMLINUZ.;1");
	memcpy(su_of(v) + 5, "vm/inuz", 7);
	open_fails(&f, EINVAL, "invalid name \"vm/inuz\"");
	fx_sample_rr(&f);
	v = rec(&f, 20, "VMLINUZ.;1");
	memcpy(su_of(v) + 5, "..", 2);
	su_of(v)[2] = 7; /* NM of 2 bytes, then padding until PX */
	memset(su_of(v) + 7, 0, 5);
	open_fails(&f, EINVAL, "invalid name \"..\"");
	fx_sample_rr(&f);
	uint8_t *l = rec(&f, 20, "LINK.;1");
	memcpy(su_of(l) + 9 + 44, "XX", 2); /* SL gone, PX still says symlink */
	open_fails(&f, EINVAL, "/link: a Rock Ridge symlink without SL target");
	fx_sample_rr(&f);
	uint8_t *d = rec(&f, 20, "DEEP.;1");
	put32(su_of(d) + 9 + 4, 1000); /* CL past the end */
	open_fails(&f, EINVAL, "Rock Ridge CL points past the end of the image (block 1000)");
	fx_sample_rr(&f);
	d = rec(&f, 20, "DEEP.;1");
	put32(su_of(d) + 9 + 4, 30); /* CL at file data */
	open_fails(&f, EINVAL, "Rock Ridge CL block 30 holds no directory");
	fx_sample_rr(&f);
	/* an empty rr_moved whose block lies past the end: hidden, never read */
	uint8_t *m = rec(&f, 20, "RR_MOVED");
	put32(m + 2, 100000);
	put32(m + 10, 0);
	struct pxe_iso *iso;
	struct pxe_err err;
	ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), 0);
	pxe_iso_free(iso);
	fx_free(&f);
	fx_sample_rr(&f);
	d = rec(&f, 20, "DEEP.;1");
	put32(su_of(d) + 9 + 4, 20); /* CL at the root: a loop */
	open_fails(&f, ELOOP, "directory /deep: its extent (block 20)");
}
END_TEST

/* SUSP 5.1 CE: areas outside the image, and a chain that loops. */
START_TEST(continuation)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *c = su_of(rec(&f, 20, "LONG.;1"));
	ck_assert_int_eq(c[0], 'C');
	put32(c + 4, 5000);
	open_fails(&f, EINVAL,
		   "SUSP continuation area (block 5000, offset 100, 40 bytes) lies outside");
	fx_sample_rr(&f);
	c = su_of(rec(&f, 20, "LONG.;1"));
	put32(c + 12, 4000); /* offset beyond its block */
	open_fails(&f, EINVAL, "offset 4000");
	fx_sample_rr(&f);
	c = su_of(rec(&f, 20, "LONG.;1"));
	put32(c + 20, 0);
	open_fails(&f, EINVAL, "0 bytes) lies outside");
	fx_sample_rr(&f);
	/* the area at 25/100 (NM of 29 bytes) gets a CE back to itself */
	fx_ce(fx_sec(&f, 25) + 129, 25, 100, 57);
	c = su_of(rec(&f, 20, "LONG.;1"));
	put32(c + 20, 57);
	open_fails(&f, ELOOP, "more than 32 SUSP continuation areas (a CE loop?)");
	fx_sample_rr(&f);
	uint8_t *n = fx_sec(&f, 25) + 100;
	n[2] = 5 + 200;
	n[4] = 1; /* CONTINUE, and a second NM of 100 bytes: 300 > 255 */
	memset(n + 5, 'a', 200);
	n[205] = 'N', n[206] = 'M', n[207] = 105, n[208] = 1, n[209] = 0;
	memset(n + 210, 'b', 100);
	c = su_of(rec(&f, 20, "LONG.;1"));
	put32(c + 20, 310);
	open_fails(&f, ENAMETOOLONG, "Rock Ridge name longer than 255 bytes");
}
END_TEST

/* 130 directories, each inside the last: deeper than the limit. */
START_TEST(too_deep)
{
	struct isofx f;
	fx_init(&f, 200);
	fx_pvd(&f, 16, 20, FX_SEC, "DEEP");
	fx_term(&f, 17);
	for (uint32_t i = 0; i < 130; i++) {
		struct fxdir d;
		fx_dir(&d, &f, 20 + i, FX_SEC, i ? 19 + i : 20, FX_SEC, NULL, 0);
		fx_add(&d, "D", 21 + i, FX_SEC, 2, NULL, 0);
	}
	open_fails(&f, ENAMETOOLONG, "deeper than 128 directories");
}
END_TEST

START_TEST(read_errors)
{
	for (int n = 1; n <= 8; n++) {
		struct isofx f;
		fx_sample_rr(&f);
		f.fail_reads = n;
		struct pxe_iso *iso;
		struct pxe_err err;
		ck_assert_int_eq(pxe_iso_open(&iso, fx_read, &f, f.size, &err), -EIO);
		ck_assert_msg(strstr(err.msg, "failed"), "%s", err.msg);
		fx_free(&f);
	}
}
END_TEST

UNIT_SUITE(iso9660_bad)
{
	Suite *s = suite_create("iso9660_bad");
	TCase *tc = tcase_create("corrupt");
	tcase_add_test(tc, descriptors);
	tcase_add_test(tc, second_set_ignored);
	tcase_add_test(tc, records);
	tcase_add_test(tc, multi_extent_unfinished);
	tcase_add_test(tc, rock_ridge);
	tcase_add_test(tc, continuation);
	tcase_add_test(tc, too_deep);
	tcase_add_test(tc, read_errors);
	suite_add_tcase(s, tc);
	return s;
}
