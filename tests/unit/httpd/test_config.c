/* darkhttpd command lines map onto pxe-httpd's option table. */
#include <stdio.h>
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
	ck_assert(!h->listing); /* off by default, unlike darkhttpd */
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
	ck_assert(h->listing && h->gzip_static);
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
	const char *none[] = {"pxe-httpd", "--port", "80"};
	struct pxe_err err;
	ck_assert_int_lt(pxe_config_load(&httpd_spec, 3, (char **)none, &c, &err), 0);
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
	suite_add_tcase(s, tc);
	return s;
}
