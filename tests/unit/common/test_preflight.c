/* SPDX-License-Identifier: MIT */
/* common/preflight.c: the checks of what a daemon will need at start. */
#include "unit.h"

#include "preflight.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *tmp;
static char path[4300];

static void setup(void)
{
	tmp = unit_tmpdir();
}

static void teardown(void)
{
	unit_tmpdir_remove(tmp);
	tmp = NULL;
}

static const char *at(const char *rel)
{
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return path;
}

/* The message for rel: "TMP/rel" and then what. */
static void expect_msg(const struct pxe_err *e, const char *rel, const char *what)
{
	char want[4400];
	snprintf(want, sizeof(want), "%s/%s: %s", tmp, rel, what);
	ck_assert_str_eq(e->msg, want);
}

START_TEST(readable_file)
{
	struct pxe_err e = {{0}};
	ck_assert_int_eq(unit_write_file(tmp, "d/f", "x"), 0);
	ck_assert_int_eq(pxe_check_readable_file(at("d/f"), &e), 0);
	ck_assert_int_eq(pxe_check_readable_file(at("d/none"), &e), -ENOENT);
	expect_msg(&e, "d/none", "No such file or directory");
	ck_assert_int_eq(pxe_check_readable_file(at("d"), &e), -EISDIR);
	expect_msg(&e, "d", "expected a regular file, found a directory");
	ck_assert_int_eq(pxe_check_readable_file(at("d/f/x"), &e), -ENOTDIR);
	ck_assert_int_eq(mkfifo(at("fifo"), 0600), 0);
	ck_assert_int_eq(pxe_check_readable_file(at("fifo"), &e), -EINVAL);
	expect_msg(&e, "fifo", "expected a regular file, found a FIFO");
	ck_assert_int_eq(pxe_check_readable_file("/dev/null", &e), -EINVAL);
	ck_assert_str_eq(e.msg, "/dev/null: expected a regular file, found a device");
}
END_TEST

/* Root reads everything: the permission bits only count for others. */
START_TEST(unreadable_file)
{
	if (geteuid() == 0)
		return;
	struct pxe_err e;
	ck_assert_int_eq(unit_write_file(tmp, "secret", "x"), 0);
	ck_assert_int_eq(chmod(at("secret"), 0), 0);
	ck_assert_int_eq(pxe_check_readable_file(at("secret"), &e), -EACCES);
	expect_msg(&e, "secret", "Permission denied");
}
END_TEST

START_TEST(directories)
{
	struct pxe_err e;
	ck_assert_int_eq(unit_write_file(tmp, "srv/f", "x"), 0);
	ck_assert_int_eq(pxe_check_dir(at("srv"), &e), 0);
	ck_assert_int_eq(pxe_check_dir(at("srv/"), &e), 0);
	ck_assert_int_eq(pxe_check_dir(at("srv/f"), &e), -ENOTDIR);
	expect_msg(&e, "srv/f", "not a directory");
	ck_assert_int_eq(pxe_check_dir(at("none"), &e), -ENOENT);
	expect_msg(&e, "none", "No such file or directory");
	ck_assert_int_eq(symlink("srv", at("link")), 0);
	ck_assert_int_eq(pxe_check_dir(at("link"), &e), 0); /* a link to a tree is one */
	/* a served root is a directory or an ISO 9660 image (test_root.c) */
	ck_assert_int_eq(pxe_check_served_root(at("srv"), &e), 0);
	ck_assert_int_eq(pxe_check_served_root(at("srv/f"), &e), -EMEDIUMTYPE);
	expect_msg(&e, "srv/f",
		   "not an ISO 9660 image: 1 bytes, shorter than its System Area and first "
		   "volume descriptor (34816); a served root is a directory or an ISO 9660 image");
	ck_assert_int_eq(pxe_check_served_root(at("srv/f/x"), &e), -ENOTDIR);
	ck_assert_int_eq(pxe_check_served_root(at("none"), &e), -ENOENT);
}
END_TEST

START_TEST(users_and_groups)
{
	struct pxe_err e;
	ck_assert_int_eq(pxe_check_user("root", &e), 0);
	ck_assert_int_eq(pxe_check_user("0", &e), 0);
	ck_assert_int_eq(pxe_check_user("4000000", &e), 0); /* a number needs no entry */
	ck_assert_int_eq(pxe_check_user("no-such-user-pxe", &e), -ENOENT);
	ck_assert_str_eq(e.msg, "no such user 'no-such-user-pxe'");
	ck_assert_int_eq(pxe_check_user("12ab", &e), -ENOENT);
	ck_assert_int_eq(pxe_check_user("", &e), -EINVAL);
	ck_assert_str_eq(e.msg, "expected a user name or number, got ''");
	ck_assert_int_eq(pxe_check_group("root", &e), 0);
	ck_assert_int_eq(pxe_check_group("0", &e), 0);
	ck_assert_int_eq(pxe_check_group("no-such-group-pxe", &e), -ENOENT);
	ck_assert_str_eq(e.msg, "no such group 'no-such-group-pxe'");
	ck_assert_int_eq(pxe_check_group("", &e), -EINVAL);
	ck_assert_str_eq(e.msg, "expected a group name or number, got ''");
}
END_TEST

UNIT_SUITE(preflight)
{
	Suite *s = suite_create("preflight");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, readable_file);
	tcase_add_test(tc, unreadable_file);
	tcase_add_test(tc, directories);
	tcase_add_test(tc, users_and_groups);
	suite_add_tcase(s, tc);
	return s;
}
