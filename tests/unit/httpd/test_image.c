/* SPDX-License-Identifier: MIT */
/* pxe-httpd with an ISO 9660 image as its root, driven over a socketpair:
 * files come from the image's descriptor at their offset (sendfile and the
 * cached-bytes path), the image itself at /<name>, the listing of the
 * image's root. The image is written here byte by byte (ECMA-119: two
 * descriptors, one directory, plain names), so no tool is needed. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "conn.h"
#include "httpd.h"
#include "unit.h"

#define SEC       2048
#define BIG_LBA   20
#define BIG_SIZE  40000 /* above the cache's 32 KiB: sent with sendfile */
#define SMALL_LBA 40
#define NSECTORS  41

static struct httpd *srv;
static struct pxe_config conf;
static char *dir;
static unsigned char img[NSECTORS * SEC];

static void both32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++) {
		p[i] = (unsigned char)(v >> (8 * i));
		p[7 - i] = (unsigned char)(v >> (8 * i));
	}
}

static void both16(unsigned char *p, uint16_t v)
{
	p[0] = p[3] = (unsigned char)v;
	p[1] = p[2] = (unsigned char)(v >> 8);
}

/* ECMA-119 9.1: one directory record; its length. */
static size_t rec(unsigned char *p, uint32_t lba, uint32_t size, uint8_t flags, const char *name,
		  size_t nlen)
{
	size_t len = 33 + nlen + (nlen % 2 == 0);
	memset(p, 0, len);
	p[0] = (unsigned char)len;
	both32(p + 2, lba);
	both32(p + 10, size);
	static const unsigned char t[7] = {125, 1, 2, 3, 4, 5, 0}; /* 2025-01-02 03:04:05 */
	memcpy(p + 18, t, 7);
	p[25] = flags;
	both16(p + 28, 1);
	p[32] = (unsigned char)nlen;
	memcpy(p + 33, name, nlen);
	return len;
}

static void make_image(const char *path)
{
	memset(img, 0, sizeof(img));
	unsigned char *pvd = img + 16 * SEC, *term = img + 17 * SEC, *root = img + 18 * SEC;
	pvd[0] = 1;
	memcpy(pvd + 1, "CD001", 5);
	pvd[6] = 1;
	memset(pvd + 40, ' ', 32);
	memcpy(pvd + 40, "UNIT", 4);
	both32(pvd + 80, NSECTORS);
	both16(pvd + 120, 1);
	both16(pvd + 124, 1);
	both16(pvd + 128, SEC);
	rec(pvd + 156, 18, SEC, 2, "\0", 1);
	term[0] = 255;
	memcpy(term + 1, "CD001", 5);
	term[6] = 1;
	size_t o = rec(root, 18, SEC, 2, "\0", 1);
	o += rec(root + o, 18, SEC, 2, "\1", 1);
	o += rec(root + o, SMALL_LBA, 6, 0, "A.TXT;1", 7);
	rec(root + o, BIG_LBA, BIG_SIZE, 0, "BIG.BIN;1", 9);
	for (size_t i = 0; i < BIG_SIZE; i++)
		img[BIG_LBA * SEC + i] = (unsigned char)(i * 7 + i / 251);
	memcpy(img + SMALL_LBA * SEC, "hello\n", 6);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, img, sizeof(img)), (ssize_t)sizeof(img));
	close(fd);
}

static void setup(void)
{
	dir = unit_tmpdir();
	char path[4096];
	snprintf(path, sizeof(path), "%s/unit.iso", dir);
	make_image(path);
	const char *argv[] = {"pxe-httpd", path, "--listing"};
	struct pxe_err err = {""};
	ck_assert_int_eq(pxe_config_load(&httpd_spec, 3, (char **)argv, &conf, &err), 0);
	srv = calloc(1, sizeof(*srv));
	srv->loop = uv_default_loop();
	srv->cfg = conf.cfg;
	ck_assert_msg(httpd_runtime_init(&srv->rt, srv->cfg, NULL, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(pxe_root_kind(srv->rt.root), PXE_ROOT_IMAGE);
	ck_assert_int_eq(access_log_open(&srv->alog, "/dev/null", false, 0), 0);
	ck_assert_int_eq(fc_init(&srv->fc, 16, 1000), 0);
	srv->wbuf = malloc(HTTPD_SCRATCH);
	srv->epfd = epoll_create1(EPOLL_CLOEXEC);
	strcpy(srv->boundary, "BOUNDARY");
}

static void teardown(void)
{
	while (srv->conns)
		conn_close(srv->conns);
	close(srv->epfd);
	free(srv->wbuf);
	fc_destroy(&srv->fc);
	access_log_close(&srv->alog);
	httpd_runtime_free(&srv->rt);
	free(srv);
	pxe_config_free(&conf);
	unit_tmpdir_remove(dir);
}

/* Send req on a fresh connection, drive it until the reply is out, and
 * return the whole answer (head and body) in buf; its length. */
static size_t ask(const char *req, char *buf, size_t cap)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	ck_assert_int_eq(write(sv[1], req, strlen(req)), (ssize_t)strlen(req));
	struct pxe_sockaddr peer = {0};
	peer.u.in4.sin_family = AF_INET;
	peer.len = sizeof(peer.u.in4);
	conn_accepted(srv, sv[0], &peer);
	size_t n = 0;
	for (int spins = 0; spins < 10000 && n < cap; spins++) {
		ssize_t r = read(sv[1], buf + n, cap - n);
		if (r > 0) {
			n += (size_t)r;
			continue;
		}
		if (r == 0 || !srv->conns)
			break;
		conn_event(srv->conns, EPOLLOUT); /* the socket drained: send on */
	}
	close(sv[1]);
	return n;
}

static const char *body_of(const char *buf, size_t n)
{
	const char *p = memmem(buf, n, "\r\n\r\n", 4);
	ck_assert_ptr_nonnull(p);
	return p + 4;
}

static char resp[NSECTORS * SEC + 4096];

START_TEST(test_file_from_image)
{
	size_t n = ask("GET /big.bin HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", resp,
		       sizeof(resp));
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%.200s", resp);
	ck_assert_ptr_nonnull(strstr(resp, "Content-Length: 40000\r\n"));
	const char *b = body_of(resp, n);
	ck_assert_uint_eq(n - (size_t)(b - resp), BIG_SIZE);
	ck_assert_int_eq(memcmp(b, img + BIG_LBA * SEC, BIG_SIZE), 0);
}
END_TEST

START_TEST(test_range_in_image)
{
	size_t n = ask("GET /BIG.BIN HTTP/1.1\r\nHost: x\r\nRange: bytes=39990-\r\n"
		       "Connection: close\r\n\r\n",
		       resp, sizeof(resp));
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 206 ", 13), "%.200s", resp);
	ck_assert_ptr_nonnull(strstr(resp, "Content-Range: bytes 39990-39999/40000\r\n"));
	const char *b = body_of(resp, n);
	ck_assert_uint_eq(n - (size_t)(b - resp), 10);
	ck_assert_int_eq(memcmp(b, img + BIG_LBA * SEC + 39990, 10), 0);
}
END_TEST

START_TEST(test_small_cached_from_image)
{
	for (int i = 0; i < 2; i++) { /* a miss, then a hit on the cached bytes */
		size_t n = ask("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", resp,
			       sizeof(resp));
		ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%.200s", resp);
		const char *b = body_of(resp, n);
		ck_assert_uint_eq(n - (size_t)(b - resp), 6);
		ck_assert_int_eq(memcmp(b, "hello\n", 6), 0);
	}
	ck_assert_uint_eq(srv->fc.hits, 1);
}
END_TEST

START_TEST(test_image_itself)
{
	size_t n = ask("GET /unit.iso HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", resp,
		       sizeof(resp));
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%.200s", resp);
	ck_assert_ptr_nonnull(strstr(resp, "Accept-Ranges: bytes\r\n"));
	ck_assert_ptr_nonnull(strstr(resp, "ETag: \""));
	const char *b = body_of(resp, n);
	ck_assert_uint_eq(n - (size_t)(b - resp), sizeof(img));
	ck_assert_int_eq(memcmp(b, img, sizeof(img)), 0);
	n = ask("GET /unit.iso HTTP/1.1\r\nHost: x\r\nRange: bytes=32769-32773\r\n"
		"Connection: close\r\n\r\n",
		resp, sizeof(resp));
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 206 ", 13), "%.200s", resp);
	ck_assert_int_eq(memcmp(body_of(resp, n), "CD001", 5), 0);
}
END_TEST

START_TEST(test_image_itself_off)
{
	srv->cfg->image_file = false;
	ask("GET /unit.iso HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", resp, sizeof(resp));
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 404 ", 13), "%.200s", resp);
}
END_TEST

START_TEST(test_listing_of_image_root)
{
	size_t n = ask("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", resp,
		       sizeof(resp) - 1);
	resp[n] = 0;
	ck_assert_msg(!strncmp(resp, "HTTP/1.1 200 OK\r\n", 17), "%.200s", resp);
	/* plain ISO 9660 names are shown as recorded (upper case) */
	const char *a = strcasestr(resp, "<a href=\"a.txt\">"),
		   *b = strcasestr(resp, "<a href=\"big.bin\">"),
		   *u = strstr(resp, "<a href=\"unit.iso\">");
	ck_assert_msg(a && b && u && a < b && b < u, "%s", resp);
}
END_TEST

UNIT_SUITE(http_image)
{
	Suite *s = suite_create("http_image");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_file_from_image);
	tcase_add_test(tc, test_range_in_image);
	tcase_add_test(tc, test_small_cached_from_image);
	tcase_add_test(tc, test_image_itself);
	tcase_add_test(tc, test_image_itself_off);
	tcase_add_test(tc, test_listing_of_image_root);
	suite_add_tcase(s, tc);
	return s;
}
