/* SPDX-License-Identifier: MIT */
/* Directory listings through the root interface: sorted names, sizes,
 * directories with '/', dot files hidden on request, and an extra entry
 * (an image root's own file) that hides an entry of the same name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "listing.h"
#include "unit.h"

static char *dir;
static struct pxe_root *root;

static void setup(void)
{
	dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "b.txt", "bb"), 0);
	ck_assert_int_eq(unit_write_file(dir, "a b.txt", "a"), 0);
	ck_assert_int_eq(unit_write_file(dir, ".hidden", "h"), 0);
	ck_assert_int_eq(unit_write_file(dir, "same.iso", "inner"), 0);
	ck_assert_int_eq(unit_write_file(dir, "sub/c.txt", "ccc"), 0);
	struct pxe_err err = {""};
	ck_assert_msg(pxe_root_open(&root, dir, &err) == 0, "%s", err.msg);
}

static void teardown(void)
{
	pxe_root_unref(root);
	unit_tmpdir_remove(dir);
}

static char *list(const char *rel, bool hide, const struct http_listing_extra *extra)
{
	size_t len;
	char *html = http_listing(root, rel, "/x/", 3, hide, extra, &len);
	ck_assert_ptr_nonnull(html);
	ck_assert_uint_eq(strlen(html), len);
	return html;
}

START_TEST(test_sorted_with_sizes)
{
	char *h = list("", false, NULL);
	const char *hid = strstr(h, "<a href=\".hidden\">"),
		   *ab = strstr(h, "<a href=\"a%20b.txt\">"),
		   *b = strstr(h, "<a href=\"b.txt\">b.txt</a>"),
		   *sub = strstr(h, "<a href=\"sub/\">sub/</a>");
	ck_assert_msg(hid && ab && b && sub && hid < ab && ab < b && b < sub, "%s", h);
	ck_assert_ptr_nonnull(strstr(b, " 2\n"));
	ck_assert_ptr_nonnull(strstr(h, "<title>/x/</title>"));
	/* no "." entry, and ".." once: the link the page starts with */
	ck_assert_ptr_null(strstr(h, "href=\"./\""));
	const char *up = strstr(h, "href=\"../\"");
	ck_assert_ptr_nonnull(up);
	ck_assert_ptr_null(strstr(up + 1, "href=\"../\""));
	free(h);
}
END_TEST

START_TEST(test_hide_dotfiles)
{
	char *h = list("", true, NULL);
	ck_assert_ptr_null(strstr(h, ".hidden"));
	ck_assert_ptr_nonnull(strstr(h, "b.txt"));
	free(h);
}
END_TEST

START_TEST(test_subdirectory)
{
	char *h = list("sub", false, NULL);
	ck_assert_ptr_nonnull(strstr(h, "<a href=\"c.txt\">c.txt</a>"));
	ck_assert_ptr_null(strstr(h, "b.txt"));
	free(h);
}
END_TEST

START_TEST(test_extra_entry_wins)
{
	struct stat st = {.st_mode = S_IFREG | 0444, .st_size = 123456789};
	struct http_listing_extra self = {"same.iso", &st};
	char *h = list("", false, &self);
	const char *e = strstr(h, "<a href=\"same.iso\">");
	ck_assert_ptr_nonnull(e);
	ck_assert_ptr_null(strstr(e + 1, "<a href=\"same.iso\">")); /* once */
	ck_assert_ptr_nonnull(strstr(e, " 123456789\n"));
	free(h);
}
END_TEST

START_TEST(test_missing_directory)
{
	char *h = list("nope", false, NULL); /* an empty listing, as before */
	ck_assert_ptr_nonnull(strstr(h, "href=\"../\""));
	ck_assert_ptr_null(strstr(h, "b.txt"));
	free(h);
}
END_TEST

UNIT_SUITE(http_listing)
{
	Suite *s = suite_create("http_listing");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_sorted_with_sizes);
	tcase_add_test(tc, test_hide_dotfiles);
	tcase_add_test(tc, test_subdirectory);
	tcase_add_test(tc, test_extra_entry_wins);
	tcase_add_test(tc, test_missing_directory);
	suite_add_tcase(s, tc);
	return s;
}
