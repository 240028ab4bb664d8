/* SPDX-License-Identifier: MIT */
/* common/root.c and root_file.c: a directory and an image behind one
 * interface; reads shifted by the file's base and clamped to its size (an
 * image file's neighbour follows it), reads across extent gaps, the stat
 * an image entry gets, writes refused, listings, and reload keeping or
 * swapping the image while an open file still reads the old one. */
#include "unit.h"

#include "iso_fixture.h"
#include "root.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define T_2021 1623049750 /* the sample's vmlinuz TF: 2021-06-07 08:09:10 +01:00 */

static char tmpdir[64];

static void mk_tmpdir(void)
{
	strcpy(tmpdir, "/tmp/pxe-root-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void rm_tmpdir(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, buf, len), (ssize_t)len);
	close(fd);
}

/* The fixture's sample image written to DIR/name; with fill, every data
 * byte of the sample changed to fill (a "new release" of the image). */
static void write_sample(const char *path, int fill)
{
	struct isofx f;
	fx_sample_rr(&f);
	if (fill) {
		memset(fx_sec(&f, 30), fill, 100);
		memset(fx_sec(&f, 32), fill, 10);
	}
	write_file(path, f.img, f.cap);
	fx_free(&f);
}

static struct pxe_root *open_ok(const char *path)
{
	struct pxe_root *r = NULL;
	struct pxe_err err = {{0}};
	int e = pxe_root_open(&r, path, &err);
	ck_assert_msg(e == 0, "open %s: %d %s", path, e, err.msg);
	return r;
}

START_TEST(image_files)
{
	mk_tmpdir();
	char img[128];
	snprintf(img, sizeof(img), "%s/sample.iso", tmpdir);
	write_sample(img, 0);
	struct pxe_root *r = open_ok(img);
	ck_assert_int_eq(pxe_root_kind(r), PXE_ROOT_IMAGE);
	ck_assert_int_eq(pxe_root_dirfd(r), -1);
	ck_assert_str_eq(pxe_root_image_name(r), "sample.iso");
	char d[512];
	pxe_root_describe(r, d, sizeof(d));
	ck_assert_msg(strstr(d, "volume \"SAMPLE\"") && strstr(d, "rockridge names"), "%s", d);

	struct pxe_file f;
	ck_assert_int_eq(pxe_root_open_file(r, "vmlinuz", O_RDONLY, &f), 0);
	ck_assert_int_eq(f.st.st_size, 100);
	ck_assert(S_ISREG(f.st.st_mode));
	ck_assert_int_eq(f.st.st_mtim.tv_sec, T_2021);
	ck_assert_int_eq(f.base, 30 * FX_SEC);
	uint8_t buf[300];
	/* Clamped at the file's end: the next sector is another file. */
	memset(buf, 0, sizeof(buf));
	ck_assert_int_eq(pxe_file_pread(&f, buf, sizeof(buf), 0), 100);
	ck_assert_int_eq(buf[0], 'K');
	ck_assert_int_eq(buf[99], 'K');
	ck_assert_int_eq(pxe_file_pread(&f, buf, 10, 95), 5);
	ck_assert_int_eq(pxe_file_pread(&f, buf, 10, 100), 0);
	struct iovec iov[2] = {{buf, 60}, {buf + 60, 60}};
	ck_assert_int_eq(pxe_file_preadv(&f, iov, 2, 0), 100);
	struct iovec in[2] = {{buf, 30}, {buf + 30, 30}};
	ck_assert_int_eq(pxe_file_preadv(&f, in, 2, 10), 60);
	uint64_t at;
	ck_assert_uint_eq(pxe_file_span(&f, 40, &at), 60);
	ck_assert_uint_eq(at, 30 * FX_SEC + 40);
	ck_assert_uint_eq(pxe_file_span(&f, 100, &at), 0);
	/* Identity: another file of the image, another st_ino. */
	struct pxe_file g;
	ck_assert_int_eq(pxe_root_open_file(r, "/boot/x.cfg", O_RDONLY, &g), 0);
	ck_assert(g.st.st_ino != f.st.st_ino);
	ck_assert(g.st.st_dev == f.st.st_dev);
	pxe_file_close(&g);
	pxe_file_close(&f);
	ck_assert_int_eq(f.fd, -1);

	/* A symlink inside the image: link -> boot/x.cfg. */
	ck_assert_int_eq(pxe_root_open_file(r, "link", O_RDONLY | O_NONBLOCK, &f), 0);
	ck_assert_int_eq(f.st.st_size, 10);
	ck_assert_int_eq(pxe_file_pread(&f, buf, 10, 0), 10);
	ck_assert_int_eq(buf[0], 'C');
	pxe_file_close(&f);
	/* Multi-extent "big": 4096 + 100 bytes read across the boundary. */
	ck_assert_int_eq(pxe_root_open_file(r, "big", O_RDONLY, &f), 0);
	ck_assert_int_eq(f.st.st_size, 4196);
	ck_assert_ptr_null(f.ext); /* its extents touch */
	pxe_file_close(&f);
	/* Directories open (no descriptor); writes are refused. */
	ck_assert_int_eq(pxe_root_open_file(r, "boot", O_RDONLY, &f), 0);
	ck_assert(S_ISDIR(f.st.st_mode));
	ck_assert_int_eq(f.fd, -1);
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(r, "", O_RDONLY | O_DIRECTORY, &f), 0);
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(r, "vmlinuz", O_RDONLY | O_DIRECTORY, &f), -ENOTDIR);
	ck_assert_int_eq(pxe_root_open_file(r, "vmlinuz", O_WRONLY, &f), -EROFS);
	ck_assert_int_eq(pxe_root_open_file(r, "new", O_WRONLY | O_CREAT, &f), -EROFS);
	ck_assert_int_eq(pxe_root_open_file(r, "missing", O_RDONLY, &f), -ENOENT);
	ck_assert_int_eq(f.fd, -1);
	pxe_root_unref(r);
	rm_tmpdir();
}
END_TEST

struct seen {
	char names[16][64];
	int n;
	off_t sizes[16];
};

static int collect(void *arg, const char *name, const struct stat *st)
{
	struct seen *s = arg;
	if (s->n < 16) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%s%s", name,
			 S_ISDIR(st->st_mode) ? "/" : "");
		s->sizes[s->n++] = st->st_size;
	}
	return 0;
}

static bool has(const struct seen *s, const char *name)
{
	for (int i = 0; i < s->n; i++)
		if (!strcmp(s->names[i], name))
			return true;
	return false;
}

START_TEST(listings)
{
	mk_tmpdir();
	char img[128], dir[128], p[160];
	snprintf(img, sizeof(img), "%s/sample.iso", tmpdir);
	write_sample(img, 0);
	struct pxe_root *r = open_ok(img);
	struct seen s = {0};
	ck_assert_int_eq(pxe_root_dir_each(r, "", collect, &s), 0);
	/* rr_moved is hidden, deep shown in place, link listed as its target */
	ck_assert_msg(has(&s, "boot/") && has(&s, "vmlinuz") && has(&s, "deep/") &&
			      has(&s, "link") && has(&s, "big") && !has(&s, "rr_moved/"),
		      "listing has %d entries", s.n);
	ck_assert_int_eq(pxe_root_dir_each(r, "vmlinuz", collect, &s), -ENOTDIR);
	ck_assert_int_eq(pxe_root_dir_each(r, "nope", collect, &s), -ENOENT);
	pxe_root_unref(r);

	/* A directory root: the same calls. */
	snprintf(dir, sizeof(dir), "%s/tree", tmpdir);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/a.txt", dir);
	write_file(p, "hello", 5);
	snprintf(p, sizeof(p), "%s/sub", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	r = open_ok(dir);
	ck_assert_int_eq(pxe_root_kind(r), PXE_ROOT_DIR);
	ck_assert_int_ge(pxe_root_dirfd(r), 0);
	ck_assert_ptr_null(pxe_root_image_name(r));
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pxe_root_dir_each(r, "", collect, &s), 0);
	ck_assert_int_eq(s.n, 2);
	ck_assert(has(&s, "a.txt") && has(&s, "sub/"));
	struct pxe_file f;
	ck_assert_int_eq(pxe_root_open_file(r, "a.txt", O_RDONLY, &f), 0);
	ck_assert_uint_eq(f.base, 0);
	uint8_t buf[16];
	ck_assert_int_eq(pxe_file_pread(&f, buf, sizeof(buf), 0), 5);
	pxe_file_close(&f);
	/* The resolver's guarantees hold: no way out of the root. */
	ck_assert_int_eq(pxe_root_open_file(r, "../tree/a.txt", O_RDONLY, &f), -EACCES);
	pxe_root_unref(r);
	rm_tmpdir();
}
END_TEST

START_TEST(not_an_image)
{
	mk_tmpdir();
	char p[128];
	snprintf(p, sizeof(p), "%s/notes.txt", tmpdir);
	uint8_t zero[40 * 2048] = {0};
	write_file(p, zero, sizeof(zero));
	struct pxe_root *r = (struct pxe_root *)1;
	struct pxe_err err = {{0}};
	ck_assert_int_eq(pxe_root_open(&r, p, &err), -EMEDIUMTYPE);
	ck_assert_ptr_null(r);
	ck_assert_msg(strstr(err.msg, "not an ISO 9660 image"), "%s", err.msg);
	/* Truncated: the sample cut in the middle of its data. */
	struct isofx f;
	fx_sample_rr(&f);
	write_file(p, f.img, 26 * FX_SEC);
	fx_free(&f);
	ck_assert_int_eq(pxe_root_open(&r, p, &err), -EINVAL);
	ck_assert_msg(strstr(err.msg, "cannot serve this image"), "%s", err.msg);
	snprintf(p, sizeof(p), "%s/missing", tmpdir);
	ck_assert_int_eq(pxe_root_open(&r, p, &err), -ENOENT);
	ck_assert_int_eq(pxe_root_open(&r, "/dev/null", &err), -ENOTDIR);
	rm_tmpdir();
}
END_TEST

START_TEST(reload_swaps_image)
{
	mk_tmpdir();
	char img[128], next[128];
	snprintf(img, sizeof(img), "%s/sample.iso", tmpdir);
	snprintf(next, sizeof(next), "%s/next.iso", tmpdir);
	write_sample(img, 0);
	struct pxe_root *r = open_ok(img), *n = NULL;
	struct pxe_err err = {{0}};
	bool changed = true;
	ck_assert_int_eq(pxe_root_reload(r, img, NULL, 0, &n, &changed, &err), 0);
	ck_assert_ptr_eq(n, r);
	ck_assert(!changed);
	pxe_root_unref(n);

	struct pxe_file f;
	ck_assert_int_eq(pxe_root_open_file(r, "vmlinuz", O_RDONLY, &f), 0);
	write_sample(next, 'N');
	ck_assert_int_eq(rename(next, img), 0);
	ck_assert_int_eq(pxe_root_reload(r, img, NULL, 0, &n, &changed, &err), 0);
	ck_assert(changed);
	ck_assert_ptr_ne(n, r);
	pxe_root_unref(r); /* the old index goes; the open file keeps the old image */
	uint8_t buf[100];
	ck_assert_int_eq(pxe_file_pread(&f, buf, 100, 0), 100);
	ck_assert_int_eq(buf[50], 'K');
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(n, "vmlinuz", O_RDONLY, &f), 0);
	ck_assert_int_eq(pxe_file_pread(&f, buf, 100, 0), 100);
	ck_assert_int_eq(buf[50], 'N');
	pxe_file_close(&f);

	/* A broken replacement: an error, and the caller keeps n. */
	write_file(next, "garbage", 7);
	ck_assert_int_eq(rename(next, img), 0);
	struct pxe_root *bad = NULL;
	ck_assert_int_lt(pxe_root_reload(n, img, NULL, 0, &bad, &changed, &err), 0);
	ck_assert_ptr_null(bad);
	ck_assert(!changed);
	/* Gone (or out of reach after --chroot): kept. */
	ck_assert_int_eq(unlink(img), 0);
	ck_assert_int_eq(pxe_root_reload(n, img, NULL, 0, &bad, &changed, &err), 0);
	ck_assert_ptr_eq(bad, n);
	pxe_root_unref(bad);
	pxe_root_unref(n);
	rm_tmpdir();
}
END_TEST

/* A multi-extent file whose pieces do not touch: reads and spans split at
 * the gaps and never return the gap's bytes. */
START_TEST(noncontig_reads)
{
	mk_tmpdir();
	char p[128];
	snprintf(p, sizeof(p), "%s/blob", tmpdir);
	uint8_t data[64];
	for (int i = 0; i < 64; i++)
		data[i] = (uint8_t)i;
	write_file(p, data, sizeof(data));
	struct pxe_file f = PXE_FILE_INIT;
	f.fd = open(p, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(f.fd, 0);
	f.ext = malloc(2 * sizeof(*f.ext));
	f.ext[0] = (struct pxe_iso_extent){10, 6};  /* bytes 10..15 */
	f.ext[1] = (struct pxe_iso_extent){40, 10}; /* bytes 40..49 */
	f.n_ext = 2;
	f.st.st_size = 16;
	uint8_t buf[32];
	ck_assert_int_eq(pxe_file_pread(&f, buf, sizeof(buf), 0), 16);
	ck_assert_int_eq(buf[5], 15);
	ck_assert_int_eq(buf[6], 40);
	ck_assert_int_eq(buf[15], 49);
	ck_assert_int_eq(pxe_file_pread(&f, buf, 4, 4), 4);
	ck_assert_int_eq(buf[0], 14);
	ck_assert_int_eq(buf[2], 40);
	struct iovec iov[3] = {{buf, 3}, {buf + 3, 3}, {buf + 6, 20}};
	ck_assert_int_eq(pxe_file_preadv(&f, iov, 3, 1), 15);
	ck_assert_int_eq(buf[4], 15);
	ck_assert_int_eq(buf[5], 40);
	uint64_t at;
	ck_assert_uint_eq(pxe_file_span(&f, 3, &at), 3);
	ck_assert_uint_eq(at, 13);
	ck_assert_uint_eq(pxe_file_span(&f, 6, &at), 10);
	ck_assert_uint_eq(at, 40);
	ck_assert_uint_eq(pxe_file_span(&f, 16, &at), 0);
	pxe_file_close(&f);
	rm_tmpdir();
}
END_TEST

/* A directory over an image: the directory's file wins, what it lacks
 * comes from the image, listings hold both once, and a reload shares what
 * did not change. */
START_TEST(layers)
{
	mk_tmpdir();
	char img[128], dir[128], p[200];
	snprintf(img, sizeof(img), "%s/sample.iso", tmpdir);
	snprintf(dir, sizeof(dir), "%s/top", tmpdir);
	write_sample(img, 0);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/vmlinuz", dir);
	write_file(p, "mine", 4);
	snprintf(p, sizeof(p), "%s/ipxe.efi", dir);
	write_file(p, "EFI", 3);
	snprintf(p, sizeof(p), "%s/boot", dir); /* a directory in both */
	ck_assert_int_eq(mkdir(p, 0755), 0);
	const char *paths[2] = {dir, img};
	struct pxe_root *r = NULL;
	struct pxe_err err = {{0}};
	bool changed = true;
	ck_assert_int_eq(pxe_root_reload(NULL, paths[0], paths + 1, 1, &r, &changed, &err), 0);
	ck_assert_uint_eq(pxe_root_layers(r), 2);
	ck_assert_int_eq(pxe_root_kind(r), PXE_ROOT_DIR);
	ck_assert_int_ge(pxe_root_dirfd(r), 0);
	ck_assert_str_eq(pxe_root_image_name(r), "sample.iso");
	char d[1024];
	pxe_root_describe(r, d, sizeof(d));
	ck_assert_msg(strstr(d, "directory ") && strstr(d, "; then image "), "%s", d);

	struct pxe_file f;
	uint8_t buf[128];
	ck_assert_int_eq(pxe_root_open_file(r, "vmlinuz", O_RDONLY, &f), 0);
	ck_assert_int_eq(f.st.st_size, 4); /* the directory's */
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(r, "boot/x.cfg", O_RDONLY, &f), 0);
	ck_assert_int_eq(pxe_file_pread(&f, buf, sizeof(buf), 0), 10); /* the image's */
	ck_assert_int_eq(buf[0], 'C');
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(r, "link", O_RDONLY, &f), 0);
	pxe_file_close(&f);
	ck_assert_int_eq(pxe_root_open_file(r, "nothing", O_RDONLY, &f), -ENOENT);

	struct seen s = {0};
	ck_assert_int_eq(pxe_root_dir_each(r, "", collect, &s), 0);
	int vm = 0;
	for (int i = 0; i < s.n; i++)
		vm += !strcmp(s.names[i], "vmlinuz");
	ck_assert_int_eq(vm, 1);
	ck_assert(has(&s, "ipxe.efi") && has(&s, "boot/") && has(&s, "big") && has(&s, "deep/"));
	memset(&s, 0, sizeof(s));
	ck_assert_int_eq(pxe_root_dir_each(r, "boot", collect, &s), 0);
	ck_assert(has(&s, "x.cfg"));
	ck_assert_int_eq(pxe_root_dir_each(r, "nothing", collect, &s), -ENOENT);

	/* Reload: nothing changed, the same root. */
	struct pxe_root *n = NULL;
	ck_assert_int_eq(pxe_root_reload(r, paths[0], paths + 1, 1, &n, &changed, &err), 0);
	ck_assert_ptr_eq(n, r);
	ck_assert(!changed);
	pxe_root_unref(n);
	/* The image replaced: a new root, the new bytes. */
	char next[128];
	snprintf(next, sizeof(next), "%s/next.iso", tmpdir);
	write_sample(next, 'N');
	ck_assert_int_eq(rename(next, img), 0);
	ck_assert_int_eq(pxe_root_reload(r, paths[0], paths + 1, 1, &n, &changed, &err), 0);
	ck_assert(changed);
	ck_assert_int_eq(pxe_root_dirfd(n), pxe_root_dirfd(r)); /* the directory layer shared */
	ck_assert_int_eq(pxe_root_open_file(n, "boot/x.cfg", O_RDONLY, &f), 0);
	ck_assert_int_eq(pxe_file_pread(&f, buf, 10, 0), 10);
	ck_assert_int_eq(buf[0], 'N');
	pxe_file_close(&f);
	pxe_root_unref(n);
	/* Layers dropped or reordered: a new root too. */
	ck_assert_int_eq(pxe_root_reload(r, paths[1], NULL, 0, &n, &changed, &err), 0);
	ck_assert(changed);
	ck_assert_int_eq(pxe_root_kind(n), PXE_ROOT_IMAGE);
	pxe_root_unref(n);
	const char *many[PXE_ROOT_MAX_LAYERS];
	for (int i = 0; i < PXE_ROOT_MAX_LAYERS; i++)
		many[i] = img;
	ck_assert_int_eq(pxe_root_reload(r, dir, many, PXE_ROOT_MAX_LAYERS, &n, &changed, &err),
			 -EINVAL);
	pxe_root_unref(r);
	rm_tmpdir();
}
END_TEST

UNIT_SUITE(root)
{
	Suite *s = suite_create("root");
	TCase *tc = tcase_create("root");
	tcase_add_test(tc, image_files);
	tcase_add_test(tc, listings);
	tcase_add_test(tc, not_an_image);
	tcase_add_test(tc, reload_swaps_image);
	tcase_add_test(tc, noncontig_reads);
	tcase_add_test(tc, layers);
	suite_add_tcase(s, tc);
	return s;
}
