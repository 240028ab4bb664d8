/* SPDX-License-Identifier: MIT */
/* What a request names (tftpd/files.c), on a scratch root and without
 * sockets or a loop: RRQ opens (errors as TFTP codes, netascii
 * converted), WRQ temporary files that become the target only on commit,
 * with the target's mode or the umask's. */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server_int.h"
#include "unit.h"

#define NOW (1000 * 1000000ull) /* the fake clock: only seeds a temp name */

static char *root;
static struct tftpd_config cfg;
static struct tftpd_runtime rt;
static struct tftpd *srv;

static void setup(void)
{
	root = unit_tmpdir();
	ck_assert_ptr_nonnull(root);
	cfg = (struct tftpd_config){.allow_write = true, .create = true, .umask_val = 022};
	rt = (struct tftpd_runtime){.cfg = &cfg};
	struct pxe_err err;
	ck_assert_int_eq(pxe_root_open(&rt.root, root, &err), 0);
	srv = calloc(1, sizeof(*srv));
	ck_assert_ptr_nonnull(srv);
	srv->rt = &rt;
}

static void teardown(void)
{
	pxe_root_unref(rt.root);
	free(srv);
	unit_tmpdir_remove(root);
}

static struct tftp_conn *conn(enum tftp_mode mode)
{
	struct tftp_conn *c = tftp_conn_new(srv, NOW);
	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(pxe_addr_parse("127.0.0.1:2000", 0, &c->peer), 0);
	c->mode = mode;
	return c;
}

static struct tftp_req req(enum tftp_op op, const char *name)
{
	return (struct tftp_req){
		.op = op, .filename = name, .filename_len = strlen(name), .mode = TFTP_MODE_OCTET};
}

static char *read_fd(int fd, size_t *len)
{
	static char buf[256];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
	ck_assert_int_ge(n, 0);
	buf[n] = 0;
	*len = (size_t)n;
	return buf;
}

static mode_t mode_of(const char *rel)
{
	char path[4200];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	ck_assert_int_eq(stat(path, &st), 0);
	return st.st_mode & 07777;
}

static bool exists(const char *rel)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return access(path, F_OK) == 0;
}

/* What the file at rel (under the root) holds. */
static const char *content_of(const char *rel)
{
	char path[4200];
	size_t n;
	snprintf(path, sizeof(path), "%s/%s", root, rel);
	int fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	const char *s = read_fd(fd, &n);
	close(fd);
	return s;
}

/* An RRQ for name, opened. */
static struct tftp_conn *download(const char *name, enum tftp_mode mode, struct stat *st)
{
	struct tftp_conn *c = conn(mode);
	struct tftp_req r = req(TFTP_RRQ, name);
	const char *msg = NULL;
	ck_assert_int_eq(tftp_open_read(c, &r, st, &msg), 0);
	return c;
}

/* A WRQ for name, opened, its data written. */
static struct tftp_conn *upload(const char *name, const char *data)
{
	struct tftp_conn *c = conn(TFTP_MODE_OCTET);
	struct tftp_req r = req(TFTP_WRQ, name);
	const char *msg = NULL;
	ck_assert_int_eq(tftp_open_write(c, &r, NOW, &msg), 0);
	ck_assert_int_eq(write(c->fd, data, strlen(data)), (ssize_t)strlen(data));
	return c;
}

/* WRQ temporary files (".NAME.XXXXXX") in the root. */
static int temp_files(void)
{
	DIR *d = opendir(root);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
	closedir(d);
	return n;
}

START_TEST(test_read_opens_the_file)
{
	ck_assert_int_eq(unit_write_file(root, "boot/a.txt", "hello\n"), 0);
	struct stat st;
	struct tftp_conn *c = download("boot/a.txt", TFTP_MODE_OCTET, &st);
	ck_assert_int_eq(st.st_size, 6);
	size_t n;
	ck_assert_str_eq(read_fd(c->src.fd, &n), "hello\n");
	tftp_conn_free_unstarted(c);
	/* '\' is a separator (Windows-style PXE clients) */
	tftp_conn_free_unstarted(download("boot\\a.txt", TFTP_MODE_OCTET, &st));
}
END_TEST

/* Resolver errors as TFTP error codes (RFC 1350 §5). */
START_TEST(test_read_errors)
{
	ck_assert_int_eq(unit_write_file(root, "dir/f", "x"), 0);
	struct tftp_conn *c = conn(TFTP_MODE_OCTET);
	struct stat st;
	const char *msg = NULL;
	struct tftp_req r = req(TFTP_RRQ, "missing");
	ck_assert_int_eq(tftp_open_read(c, &r, &st, &msg), TFTP_ENOTFOUND);
	ck_assert_ptr_null(msg);
	r = req(TFTP_RRQ, "dir");
	ck_assert_int_eq(tftp_open_read(c, &r, &st, &msg), TFTP_EACCESS);
	ck_assert_str_eq(msg, strerror(EISDIR));
	r = req(TFTP_RRQ, "../etc/passwd");
	ck_assert_int_eq(tftp_open_read(c, &r, &st, &msg), TFTP_EACCESS);
	ck_assert_str_eq(msg, "Outside the served root");
	ck_assert_int_eq(c->src.fd, -1);
	tftp_conn_free_unstarted(c);
}
END_TEST

/* netascii: the file is converted once (LF to CR LF), and the size is
 * the converted one (what tsize must say). */
START_TEST(test_read_netascii)
{
	ck_assert_int_eq(unit_write_file(root, "t.cfg", "a\nb\rc"), 0);
	struct stat st;
	struct tftp_conn *c = download("t.cfg", TFTP_MODE_NETASCII, &st);
	size_t n;
	char *data = read_fd(c->src.fd, &n);
	ck_assert_uint_eq(n, 7);
	ck_assert_int_eq(memcmp(data, "a\r\nb\r\0c", 7), 0);
	ck_assert_int_eq(st.st_size, 7);
	tftp_conn_free_unstarted(c);
}
END_TEST

/* A new file: written to a temporary name, renamed into place on commit,
 * with 0666 less the umask. */
START_TEST(test_write_new_file)
{
	char dir[4200], tmp[300];
	snprintf(dir, sizeof(dir), "%s/up", root);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	struct tftp_conn *c = upload("up/new.bin", "data");
	ck_assert_ptr_nonnull(c->tmpname);
	ck_assert_int_eq(strncmp(c->tmpname, ".new.bin.", 9), 0);
	snprintf(tmp, sizeof(tmp), "up/%s", c->tmpname);
	ck_assert(exists(tmp));
	ck_assert(!exists("up/new.bin"));
	ck_assert_int_eq(tftp_write_commit(c), 0);
	ck_assert(exists("up/new.bin"));
	ck_assert(!exists(tmp));
	ck_assert_int_eq(mode_of("up/new.bin"), 0644);
	ck_assert_str_eq(content_of("up/new.bin"), "data");
	ck_assert_ptr_null(c->tmpname);
	tftp_conn_free_unstarted(c);
}
END_TEST

/* An existing file keeps its mode; until the commit it is untouched. */
START_TEST(test_write_keeps_mode)
{
	char path[4200];
	ck_assert_int_eq(unit_write_file(root, "old.cfg", "old"), 0);
	snprintf(path, sizeof(path), "%s/old.cfg", root);
	ck_assert_int_eq(chmod(path, 0600), 0);
	struct tftp_conn *c = upload("old.cfg", "new!");
	ck_assert_str_eq(content_of("old.cfg"), "old");
	ck_assert_int_eq(tftp_write_commit(c), 0);
	ck_assert_int_eq(mode_of("old.cfg"), 0600);
	ck_assert_str_eq(content_of("old.cfg"), "new!");
	tftp_conn_free_unstarted(c);
}
END_TEST

/* An upload that fails leaves no trace and the old file as it was. */
START_TEST(test_write_discard)
{
	ck_assert_int_eq(unit_write_file(root, "keep.txt", "old"), 0);
	struct tftp_conn *c = upload("keep.txt", "partial");
	ck_assert_int_eq(temp_files(), 1);
	tftp_write_discard(c);
	ck_assert_int_eq(temp_files(), 0);
	tftp_conn_free_unstarted(c);
	ck_assert_str_eq(content_of("keep.txt"), "old");
}
END_TEST

/* Writing off, create off, a directory that is not there. */
START_TEST(test_write_refused)
{
	struct tftp_conn *c = conn(TFTP_MODE_OCTET);
	const char *msg = NULL;
	struct tftp_req r = req(TFTP_WRQ, "x.bin");
	cfg.allow_write = false;
	ck_assert_int_eq(tftp_open_write(c, &r, NOW, &msg), TFTP_EACCESS);
	ck_assert_str_eq(msg, "Writing is not allowed");
	cfg.allow_write = true;
	cfg.create = false;
	msg = NULL;
	ck_assert_int_eq(tftp_open_write(c, &r, NOW, &msg), TFTP_ENOTFOUND);
	cfg.create = true;
	r = req(TFTP_WRQ, "no/such/dir/x.bin");
	ck_assert_int_eq(tftp_open_write(c, &r, NOW, &msg), TFTP_ENOTFOUND);
	ck_assert(!exists("x.bin"));
	tftp_conn_free_unstarted(c);
	ck_assert_int_eq(temp_files(), 0);
}
END_TEST

UNIT_SUITE(tftp_files)
{
	Suite *s = suite_create("tftp_files");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_read_opens_the_file);
	tcase_add_test(tc, test_read_errors);
	tcase_add_test(tc, test_read_netascii);
	tcase_add_test(tc, test_write_new_file);
	tcase_add_test(tc, test_write_keeps_mode);
	tcase_add_test(tc, test_write_discard);
	tcase_add_test(tc, test_write_refused);
	suite_add_tcase(s, tc);
	return s;
}
