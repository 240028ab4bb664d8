/* SPDX-License-Identifier: MIT */
/* darkhttpd command lines map onto pxe-httpd's option table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "unit.h"

static int load(struct pxe_config *c, int argc, const char **argv)
{
	struct pxe_err err;
	int r = pxe_config_load(&httpd_spec, argc, (char **)argv, c, &err);
	if (r < 0)
		fprintf(stderr, "load: %s\n", err.msg);
	return r;
}

START_TEST(test_arch_guide)
{
	const char *argv[] = {"pxe-httpd", "/srv/archiso", "--no-keepalive", "--port", "8080"};
	struct pxe_config c;
	ck_assert_int_eq(load(&c, 5, argv), 0);
	struct httpd_config *h = c.cfg;
	ck_assert_str_eq(h->root, "/srv/archiso");
	ck_assert(!h->keepalive);
	ck_assert_int_eq(h->port, 8080);
	ck_assert(!h->listing);   /* off by default, unlike darkhttpd */
	ck_assert(h->image_file); /* an image root serves itself at /NAME */
	ck_assert(h->server_id);
	ck_assert_int_eq(h->timeout_ms, 30000);
	ck_assert_str_eq(h->index, "index.html");
	ck_assert_str_eq(h->default_mimetype, "application/octet-stream");
	pxe_config_free(&c);
}
END_TEST

START_TEST(test_all_darkhttpd_options)
{
	const char *argv[] = {"pxe-httpd",
			      "/srv",
			      "--port",
			      "80",
			      "--addr",
			      "127.0.0.1",
			      "--ipv6",
			      "--daemon",
			      "--pidfile",
			      "/run/x.pid",
			      "--maxconn",
			      "100",
			      "--log",
			      "/var/log/a.log",
			      "--syslog",
			      "--index",
			      "start.html",
			      "--no-listing",
			      "--mimetypes",
			      "/etc/m",
			      "--default-mimetype",
			      "text/plain",
			      "--uid",
			      "nobody",
			      "--gid",
			      "nogroup",
			      "--chroot",
			      "--no-keepalive",
			      "--hide-dotfiles",
			      "--forward",
			      "a.example",
			      "http://b.example",
			      "--forward",
			      "c.example",
			      "http://d.example",
			      "--forward-all",
			      "http://e.example",
			      "--forward-https",
			      "--no-server-id",
			      "--timeout",
			      "5",
			      "--auth",
			      "u:p",
			      "--trusted-ip",
			      "10.0.0.1",
			      "--header",
			      "X-A: 1",
			      "--header",
			      "X-B: 2",
			      "--accf",
			      "--single-file"};
	struct pxe_config c;
	ck_assert_int_eq(load(&c, sizeof(argv) / sizeof(argv[0]), argv), 0);
	struct httpd_config *h = c.cfg;
	ck_assert_int_eq(h->port, 80);
	ck_assert_str_eq(h->addr, "127.0.0.1");
	ck_assert(h->ipv6 && h->daemon && h->syslog && h->chroot && !h->keepalive);
	ck_assert(h->hide_dotfiles && h->forward_https && !h->server_id && h->single_file);
	ck_assert_str_eq(h->pidfile, "/run/x.pid");
	ck_assert_int_eq(h->maxconn, 100);
	ck_assert_str_eq(h->access_log, "/var/log/a.log");
	ck_assert_str_eq(h->index, "start.html");
	ck_assert(!h->listing);
	ck_assert_str_eq(h->mimetypes, "/etc/m");
	ck_assert_str_eq(h->default_mimetype, "text/plain");
	ck_assert_str_eq(h->user, "nobody");
	ck_assert_str_eq(h->group, "nogroup");
	ck_assert_uint_eq(h->forward.n, 2);
	ck_assert_str_eq(h->forward.v[0], "a.example http://b.example");
	ck_assert_str_eq(h->forward.v[1], "c.example http://d.example");
	ck_assert_str_eq(h->forward_all, "http://e.example");
	ck_assert_int_eq(h->timeout_ms, 5000);
	ck_assert_str_eq(h->auth, "u:p");
	ck_assert_uint_eq(h->trusted_ip.n, 1);
	ck_assert_uint_eq(h->header.n, 2);
	ck_assert_str_eq(h->header.v[1], "X-B: 2");
	pxe_config_free(&c);
}
END_TEST

START_TEST(test_ours_and_errors)
{
	const char *a1[] = {"pxe-httpd",
			    "/srv",
			    "--listen",
			    "127.0.0.1:81",
			    "--listen",
			    "[::1]:82",
			    "--listing",
			    "--gzip-static",
			    "--no-image-file",
			    "--access-log-format",
			    "json",
			    "--header-timeout",
			    "3s",
			    "--max-header-size",
			    "32K"};
	struct pxe_config c;
	ck_assert_int_eq(load(&c, sizeof(a1) / sizeof(a1[0]), a1), 0);
	struct httpd_config *h = c.cfg;
	ck_assert_uint_eq(h->listen.n, 2);
	ck_assert(h->listing && h->gzip_static && !h->image_file);
	ck_assert_int_eq(h->access_log_format, ALOG_JSON);
	ck_assert_int_eq(h->header_timeout_ms, 3000);
	ck_assert_uint_eq(h->max_head, 32768);
	pxe_config_free(&c);
	const char *bad[][4] = {
		{"pxe-httpd", "/srv", "--header", "NoColon"},
		{"pxe-httpd", "/srv", "--auth", "nocolon"},
		{"pxe-httpd", "/srv", "--port", "70000"},
		{"pxe-httpd", "/srv", "--forward", "onlyhost"},
		{"pxe-httpd", "/srv", "--bogus", "x"},
		{"pxe-httpd", "/srv", "--index", "a/b"},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct pxe_err err;
		ck_assert_msg(pxe_config_load(&httpd_spec, 4, (char **)bad[i], &c, &err) < 0,
			      "bad %zu accepted", i);
	}
	/* validation names the key, where it was set */
	const char *both[] = {"pxe-httpd", "/srv", "--auth", "u:p", "--auth-file", "/f"};
	struct pxe_err verr;
	ck_assert_int_lt(pxe_config_load(&httpd_spec, 6, (char **)both, &c, &verr), 0);
	ck_assert_str_eq(verr.msg, "--auth-file: set either auth or auth-file, not both");
	const char *line[] = {"pxe-httpd", "/srv", "--max-request-line", "16K"};
	ck_assert_int_lt(pxe_config_load(&httpd_spec, 4, (char **)line, &c, &verr), 0);
	ck_assert_str_eq(verr.msg, "--max-request-line: expected less than max-header-size "
				   "(16384), got 16384");
	const char *none[] = {"pxe-httpd", "--port", "80"};
	struct pxe_err err;
	ck_assert_int_lt(pxe_config_load(&httpd_spec, 3, (char **)none, &c, &err), 0);
}
END_TEST

/* pxe_config_check's report for argv (what --check-config prints). */
static char *check(int argc, const char **argv, int *n)
{
	struct pxe_config c;
	ck_assert_int_eq(load(&c, argc, argv), 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	*n = pxe_config_check(&c, m);
	fclose(m);
	pxe_config_free(&c);
	return buf;
}

/* The root is a directory or an ISO 9660 image (a small file is neither),
 * or with --single-file a readable file; the files named are readable; the
 * user and group exist. */
START_TEST(test_check_config)
{
	char *dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "www/index.html", "hi"), 0);
	ck_assert_int_eq(unit_write_file(dir, "auth", "u:p\n"), 0);
	char www[4200], file[4200], auth[4200], want[20000];
	snprintf(www, sizeof(www), "%s/www", dir);
	snprintf(file, sizeof(file), "%s/www/index.html", dir);
	snprintf(auth, sizeof(auth), "%s/auth", dir);
	int n;
	const char *good[] = {"pxe-httpd", www,    "--auth-file", auth,
			      "--uid",     "root", "--gid",       "root"};
	char *out = check(8, good, &n);
	ck_assert_msg(n == 0, "%s", out);
	free(out);
	const char *single[] = {"pxe-httpd", file, "--single-file"};
	out = check(3, single, &n);
	ck_assert_msg(n == 0, "%s", out);
	free(out);

	const char *bad[] = {
		"pxe-httpd", file,     "--mimetypes",      "/nonexistent/m", "--auth-file",
		www,         "--user", "no-such-user-pxe", "--group",        "no-such-group-pxe"};
	out = check(10, bad, &n);
	ck_assert_int_eq(n, 5);
	snprintf(want, sizeof(want),
		 "pxe-httpd: --root: %s: not an ISO 9660 image: 2 bytes, shorter than its System "
		 "Area and first volume descriptor (34816); a served root is a directory or an "
		 "ISO 9660 image\n"
		 "pxe-httpd: --user: no such user 'no-such-user-pxe'\n"
		 "pxe-httpd: --group: no such group 'no-such-group-pxe'\n"
		 "pxe-httpd: --mimetypes: /nonexistent/m: No such file or directory\n"
		 "pxe-httpd: --auth-file: %s: expected a regular file, found a directory\n",
		 file, www);
	ck_assert_str_eq(out, want);
	free(out);
	const char *single_dir[] = {"pxe-httpd", www, "--single-file"};
	out = check(3, single_dir, &n);
	ck_assert_int_eq(n, 1);
	snprintf(want, sizeof(want),
		 "pxe-httpd: --root: %s: expected a regular file, found a directory\n", www);
	ck_assert_str_eq(out, want);
	free(out);
	unit_tmpdir_remove(dir);
}
END_TEST

/* Every unknown key of [httpd] lists the valid ones, whole. */
START_TEST(test_unknown_key_lists_all)
{
	char *dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "h.conf", "[httpd]\nmime-types = /x\n"), 0);
	char conf[4200];
	snprintf(conf, sizeof(conf), "%s/h.conf", dir);
	const char *argv[] = {"pxe-httpd", "-c", conf, "/srv"};
	struct pxe_config c;
	struct pxe_err err;
	ck_assert_int_lt(pxe_config_load(&httpd_spec, 4, (char **)argv, &c, &err), 0);
	ck_assert_msg(strstr(err.msg, "h.conf:2: [httpd] mime-types: unknown key; valid keys: "
				      "root, fallback-root, "
				      "port, addr, ipv6, listen, pidfile, chroot, user, group,"),
		      "%s", err.msg);
	/* whole when struct pxe_err holds it, else cut short of the guess */
	ck_assert_msg(strstr(err.msg, sizeof(err.msg) >= 1024
					      ? ", tls-handshake-timeout, tls-max-handshakes, "
						"tls-protocols; did you mean "
						"'mimetypes'?"
					      : ", ...; did you mean 'mimetypes'?"),
		      "%s", err.msg);
	ck_assert_ptr_null(strstr(err.msg, "daemon")); /* the command line's only */
	ck_assert_ptr_null(strstr(err.msg, "accf"));   /* hidden */
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_base64)
{
	char out[32];
	httpd_base64((const unsigned char *)"Aladdin:open sesame", 19, out);
	ck_assert_str_eq(out, "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
	httpd_base64((const unsigned char *)"ab", 2, out);
	ck_assert_str_eq(out, "YWI=");
	httpd_base64((const unsigned char *)"", 0, out);
	ck_assert_str_eq(out, "");
}
END_TEST

UNIT_SUITE(http_config)
{
	Suite *s = suite_create("http_config");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_arch_guide);
	tcase_add_test(tc, test_all_darkhttpd_options);
	tcase_add_test(tc, test_ours_and_errors);
	tcase_add_test(tc, test_base64);
	tcase_add_test(tc, test_check_config);
	tcase_add_test(tc, test_unknown_key_lists_all);
	suite_add_tcase(s, tc);
	return s;
}
