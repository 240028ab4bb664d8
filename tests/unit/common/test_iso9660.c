/* SPDX-License-Identifier: MIT */
/* common/iso9660*.c on hand-built images (iso_fixture.c): the three name
 * views, Rock Ridge entries (NM, PX, TF, SL, CE, CL/RE, ZF), multi-extent
 * files, symlink resolution and the lookups' path rules. */
#include "unit.h"

#include "iso9660.h"
#include "iso_fixture.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#define T_2021 1623049750 /* 2021-06-07 07:09:10 UTC: the sample's TF (08:09:10 +01:00) */
#define T_2020 1577934245 /* 2020-01-02 03:04:05 UTC: the fixture's record time */

static struct pxe_iso *open_ok(struct isofx *f)
{
	struct pxe_iso *iso = NULL;
	struct pxe_err err = {{0}};
	int r = pxe_iso_open(&iso, fx_read, f, f->size, &err);
	ck_assert_msg(r == 0, "open: %d %s", r, err.msg);
	return iso;
}

static struct pxe_iso_entry get(struct pxe_iso *iso, const char *path, unsigned flags)
{
	struct pxe_iso_entry e;
	int r = pxe_iso_lookup(iso, path, strlen(path), flags, &e);
	ck_assert_msg(r == 0, "lookup %s: %d", path, r);
	return e;
}

static int lookup_err(struct pxe_iso *iso, const char *path)
{
	struct pxe_iso_entry e;
	return pxe_iso_lookup(iso, path, strlen(path), 0, &e);
}

START_TEST(sample_rockridge)
{
	struct isofx f;
	fx_sample_rr(&f);
	struct pxe_iso *iso = open_ok(&f);
	const struct pxe_iso_info *in = pxe_iso_info(iso);
	ck_assert_int_eq(in->view, PXE_ISO_VIEW_ROCKRIDGE);
	ck_assert_str_eq(in->view_name, "rockridge");
	ck_assert_str_eq(in->label, "SAMPLE");
	ck_assert_uint_eq(in->entries, 9);
	ck_assert_uint_eq(in->files, 5);
	ck_assert_uint_eq(in->dirs, 3);
	ck_assert_uint_eq(in->symlinks, 1);

	struct pxe_iso_entry e = get(iso, "vmlinuz", 0);
	ck_assert_uint_eq(e.off, 30 * FX_SEC);
	ck_assert_uint_eq(e.size, 100);
	ck_assert_uint_eq(e.mode, S_IFREG | 0644);
	ck_assert_int_eq(e.mtime, T_2021); /* TF modify, GMT offset applied */
	ck_assert_uint_eq(e.n_ext, 1);
	ck_assert_str_eq(e.name, "vmlinuz");
	e = get(iso, "", 0);
	ck_assert_uint_eq(e.mode, S_IFDIR | 0755); /* the root's PX, from its "." */
	ck_assert_int_eq(e.mtime, T_2020);         /* no TF: the record time */
	ck_assert_str_eq(e.path, "");
	/* NM in a CE continuation area */
	e = get(iso, "long-name-from-a-ce-area", 0);
	ck_assert_uint_eq(e.off, 31 * FX_SEC);
	/* CL followed, rr_moved (all RE) hidden */
	e = get(iso, "deep/f.txt", 0);
	ck_assert_uint_eq(e.off, 33 * FX_SEC);
	e = get(iso, "deep", 0);
	ck_assert(e.flags & PXE_ISO_DIR);
	ck_assert_int_eq(lookup_err(iso, "rr_moved"), -ENOENT);
	ck_assert_int_eq(lookup_err(iso, "rr_moved/deep/f.txt"), -ENOENT);
	/* multi-extent, contiguous: one run */
	e = get(iso, "big", 0);
	ck_assert_uint_eq(e.size, 4196);
	ck_assert_uint_eq(e.flags, PXE_ISO_MULTI);
	ck_assert_uint_eq(e.n_ext, 1);
	ck_assert_uint_eq(e.ext[0].off, 40 * FX_SEC);
	ck_assert_uint_eq(e.ext[0].len, 4196);
	/* the symlink, followed and not */
	e = get(iso, "link", 0);
	ck_assert_str_eq(e.path, "boot/x.cfg");
	e = get(iso, "link", PXE_ISO_NOFOLLOW);
	ck_assert_str_eq(e.link, "boot/x.cfg");
	ck_assert_uint_eq(e.mode, S_IFLNK | 0777);
	ck_assert(e.flags & PXE_ISO_SYMLINK);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

struct names {
	char s[256];
	int n, stop;
};

static int collect(void *arg, const struct pxe_iso_entry *e)
{
	struct names *nm = arg;
	strcat(nm->s, e->name);
	strcat(nm->s, ",");
	return ++nm->n == nm->stop ? 7 : 0;
}

START_TEST(dir_children)
{
	struct isofx f;
	fx_sample_rr(&f);
	struct pxe_iso *iso = open_ok(&f);
	struct pxe_iso_entry root = get(iso, "/", 0);
	struct names nm = {"", 0, 0};
	ck_assert_int_eq(pxe_iso_dir_each(iso, &root, collect, &nm), 0);
	ck_assert_str_eq(nm.s, "boot,vmlinuz,link,deep,big,long-name-from-a-ce-area,");
	struct names two = {"", 0, 2};
	ck_assert_int_eq(pxe_iso_dir_each(iso, &root, collect, &two), 7);
	ck_assert_str_eq(two.s, "boot,vmlinuz,");
	struct pxe_iso_entry file = get(iso, "vmlinuz", 0);
	ck_assert_int_eq(pxe_iso_dir_each(iso, &file, collect, &nm), -ENOTDIR);
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_get(iso, 0, &e), 0);
	ck_assert_str_eq(e.path, "");
	ck_assert_int_eq(pxe_iso_get(iso, 9, &e), -ENOENT);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* The same cleaning as common/safepath.c: leading '/', "//", "." and a
 * trailing '/' dropped, ".." resolved, never above the root, NUL refused. */
START_TEST(lookup_paths)
{
	struct isofx f;
	fx_sample_rr(&f);
	struct pxe_iso *iso = open_ok(&f);
	ck_assert_str_eq(get(iso, "/boot//./x.cfg", 0).path, "boot/x.cfg");
	ck_assert_str_eq(get(iso, "boot/../vmlinuz", 0).path, "vmlinuz");
	ck_assert_str_eq(get(iso, "boot/", 0).path, "boot");
	ck_assert_int_eq(lookup_err(iso, "../vmlinuz"), -EACCES);
	ck_assert_int_eq(lookup_err(iso, "nope"), -ENOENT);
	ck_assert_int_eq(lookup_err(iso, "vmlinuz/x"), -ENOTDIR);
	ck_assert_int_eq(lookup_err(iso, "VMLINUZ"), -ENOENT); /* Rock Ridge: exact case */
	struct pxe_iso_entry e;
	ck_assert_int_eq(pxe_iso_lookup(iso, "vmlinuz\0.txt", 12, 0, &e), -EINVAL);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* No SP in the root's "." record: the Joliet tree (UCS-2, ";1" stripped). */
START_TEST(joliet_view)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *dot = fx_sec(&f, 20);
	dot[34] = 'X'; /* SP -> XP: not SUSP any more */
	struct pxe_iso *iso = open_ok(&f);
	ck_assert_int_eq(pxe_iso_info(iso)->view, PXE_ISO_VIEW_JOLIET);
	ck_assert_str_eq(pxe_iso_info(iso)->label, "SAMPLE_J");
	struct pxe_iso_entry e = get(iso, "vm", 0);
	ck_assert_uint_eq(e.off, 30 * FX_SEC);
	ck_assert_uint_eq(e.mode, S_IFREG | 0444);
	ck_assert_int_eq(lookup_err(iso, "VM"), -ENOENT); /* Joliet preserves case */
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* Neither: plain ISO 9660 names, ";1" and a trailing '.' stripped,
 * matched case-insensitively; relocation is not undone without RR. */
START_TEST(plain_view)
{
	struct isofx f;
	fx_sample_rr(&f);
	fx_sec(&f, 20)[34] = 'X';
	memcpy(fx_sec(&f, 17) + 88, "   ", 3); /* no Joliet escape sequence */
	struct pxe_iso *iso = open_ok(&f);
	ck_assert_int_eq(pxe_iso_info(iso)->view, PXE_ISO_VIEW_PLAIN);
	ck_assert_str_eq(pxe_iso_info(iso)->view_name, "iso9660");
	ck_assert_str_eq(get(iso, "vmlinuz", 0).path, "VMLINUZ");
	ck_assert_str_eq(get(iso, "Boot/X.cfg", 0).path, "BOOT/X.CFG");
	ck_assert_str_eq(get(iso, "rr_moved/deep/f.txt", 0).path, "RR_MOVED/DEEP/F.TXT");
	struct pxe_iso_entry e = get(iso, "big", 0);
	ck_assert_uint_eq(e.size, 4196);
	ck_assert_uint_eq(get(iso, "deep", 0).size, 0); /* the CL placeholder file */
	ck_assert_uint_eq(get(iso, "", 0).mode, S_IFDIR | 0555);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* SP alone (no ER, no RRIP entry in the root) is not Rock Ridge. */
START_TEST(sp_without_rrip)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *su = fx_sec(&f, 20) + 34;
	su[7] = 'X';  /* ER -> XR */
	su[25] = 'X'; /* PX -> XX */
	su[26] = 'X';
	struct pxe_iso *iso = open_ok(&f);
	ck_assert_int_eq(pxe_iso_info(iso)->view, PXE_ISO_VIEW_JOLIET);
	pxe_iso_free(iso);
	fx_free(&f);
	fx_sample_rr(&f);
	su = fx_sec(&f, 20) + 34;
	su[7] = 'X'; /* ER gone, PX stays: RRIP 1.09 style */
	iso = open_ok(&f);
	ck_assert_int_eq(pxe_iso_info(iso)->view, PXE_ISO_VIEW_ROCKRIDGE);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

/* Bytes after the root's "." name that are no SUSP entries (no SP): not
 * Rock Ridge, and no reason to refuse the image. */
START_TEST(root_su_not_susp)
{
	struct isofx f;
	fx_sample_rr(&f);
	uint8_t *su = fx_sec(&f, 20) + 34;
	memcpy(su, "XY\xff\x01", 4); /* an entry claiming 255 bytes */
	struct pxe_iso *iso = open_ok(&f);
	ck_assert_int_eq(pxe_iso_info(iso)->view, PXE_ISO_VIEW_JOLIET);
	pxe_iso_free(iso);
	fx_free(&f);
}
END_TEST

UNIT_SUITE(iso9660)
{
	Suite *s = suite_create("iso9660");
	TCase *tc = tcase_create("views");
	tcase_add_test(tc, sample_rockridge);
	tcase_add_test(tc, dir_children);
	tcase_add_test(tc, lookup_paths);
	tcase_add_test(tc, joliet_view);
	tcase_add_test(tc, plain_view);
	tcase_add_test(tc, sp_without_rrip);
	tcase_add_test(tc, root_su_not_susp);
	suite_add_tcase(s, tc);
	return s;
}
