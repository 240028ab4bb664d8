/* SPDX-License-Identifier: MIT */
/* MIME lookup: built-in table order, files, precedence. */
#include <string.h>

#include "listing.h"
#include "mime.h"
#include "response.h"
#include "unit.h"

START_TEST(test_builtin)
{
	ck_assert_str_eq(http_mime_builtin("html"), "text/html");
	ck_assert_str_eq(http_mime_builtin("efi"), "application/efi");
	ck_assert_ptr_null(http_mime_builtin("nope"));
	/* bsearch finds both ends and the middle only if the table is sorted */
	const char *all[] = {"7z",     "bin",      "cpio", "efi",  "gz", "iso", "json", "kpxe",
			     "sha256", "squashfs", "txt",  "wasm", "xz", "zip", "zst"};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		ck_assert_msg(http_mime_builtin(all[i]) != NULL, "%s", all[i]);
	ck_assert_str_eq(http_mime_lookup(NULL, NULL, "dir.d/INDEX.HTML", "x/y"), "text/html");
	ck_assert_str_eq(http_mime_lookup(NULL, NULL, "dir.d/noext", "x/y"), "x/y");
	ck_assert_str_eq(http_mime_lookup(NULL, NULL, "a.", "x/y"), "x/y");
	ck_assert_str_eq(http_mime_lookup(NULL, NULL, "boot.ipxe", "x/y"), "text/plain");
}
END_TEST

START_TEST(test_files)
{
	struct http_mime_table user = {0}, sys = {0};
	const char *u = "# comment\ntext/x-custom  foo BAR\napplication/x-over html\nbroken\n";
	const char *s = "text/x-sys sys foo\n\napplication/x-sys2\n";
	ck_assert_int_eq(http_mime_load_text(&user, u, strlen(u)), 0);
	ck_assert_int_eq(http_mime_load_text(&sys, s, strlen(s)), 0);
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.foo", "d"), "text/x-custom");
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.bar", "d"), "text/x-custom");
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.html", "d"), "application/x-over");
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.sys", "d"), "text/x-sys");
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.txt", "d"), "text/plain");
	ck_assert_str_eq(http_mime_lookup(&user, &sys, "a.zzz", "d"), "d");
	http_mime_free(&user);
	http_mime_free(&sys);
	ck_assert_int_lt(http_mime_load(&user, "/nonexistent/mime.types"), 0);
}
END_TEST

START_TEST(test_status_and_escape)
{
	ck_assert_str_eq(http_status_reason(416), "Range Not Satisfiable");
	ck_assert_str_eq(http_status_reason(431), "Request Header Fields Too Large");
	ck_assert_str_eq(http_status_reason(999), "Unknown");
	char buf[256];
	http_html_escape(buf, sizeof(buf), "<a href=\"x\">&'");
	ck_assert_str_eq(buf, "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
	http_url_escape(buf, sizeof(buf), "a b/%?.txt");
	ck_assert_str_eq(buf, "a%20b%2F%25%3F.txt");
	struct http_resp r = {.status = 304,
			      .version = 10,
			      .date = "D",
			      .no_length = true,
			      .keepalive = true,
			      .extra = "X-A: 1\r\n",
			      .extra_len = 8};
	size_t n = http_resp_head(buf, sizeof(buf), &r);
	ck_assert_uint_eq(n, strlen(buf));
	ck_assert_str_eq(
		buf,
		"HTTP/1.1 304 Not Modified\r\nDate: D\r\nConnection: keep-alive\r\nX-A: 1\r\n\r\n");
	ck_assert_uint_eq(http_resp_head(buf, 10, &r), 0);
}
END_TEST

UNIT_SUITE(http_mime)
{
	Suite *s = suite_create("http_mime");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_builtin);
	tcase_add_test(tc, test_files);
	tcase_add_test(tc, test_status_and_escape);
	suite_add_tcase(s, tc);
	return s;
}
