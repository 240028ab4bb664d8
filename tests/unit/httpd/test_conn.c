/* SPDX-License-Identifier: MIT */
/* The connection state machine driven directly, over a socketpair (no
 * network), with the deadline check given explicit times. */
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

static struct httpd *srv;
static struct pxe_config conf;
static char *dir;

static void setup(void)
{
	dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "a.txt", "hello\n"), 0);
	char big[100000];
	memset(big, 'x', sizeof(big));
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(unit_write_file(dir, "big.txt", big), 0);
	ck_assert_int_eq(unit_write_file(dir, "digits.txt", "0123456789ABCDEFGHIJ"), 0);
	const char *argv[] = {"pxe-httpd", dir, "--header-timeout", "2", "--timeout", "5"};
	struct pxe_err err;
	ck_assert_int_eq(pxe_config_load(&httpd_spec, 6, (char **)argv, &conf, &err), 0);
	srv = calloc(1, sizeof(*srv));
	srv->loop = uv_default_loop();
	srv->cfg = conf.cfg;
	ck_assert_int_eq(httpd_runtime_init(&srv->rt, srv->cfg, NULL, NULL, &err), 0);
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

/* A connection whose client end is *client, after the client wrote req. */
static struct conn *connect_with(const char *req, int *client)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	if (req)
		ck_assert_int_eq(write(sv[1], req, strlen(req)), (ssize_t)strlen(req));
	struct pxe_sockaddr peer = {0};
	peer.u.in4.sin_family = AF_INET;
	peer.len = sizeof(peer.u.in4);
	conn_accepted(srv, sv[0], &peer);
	*client = sv[1];
	return srv->conns;
}

static size_t slurp(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	return n;
}

static int count(const char *hay, const char *needle)
{
	int k = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		k++;
	return k;
}

START_TEST(test_pipelined)
{
	int cl;
	struct conn *c = connect_with("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
				      "HEAD /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
				      "GET /nope HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HT",
				      &cl);
	static char buf[300000];
	slurp(cl, buf, sizeof(buf));
	ck_assert_int_eq(count(buf, "HTTP/1.1 200 OK\r\n"), 2);
	ck_assert_int_eq(count(buf, "HTTP/1.1 404 Not Found\r\n"), 1);
	ck_assert_int_eq(count(buf, "hello\n"), 1);   /* HEAD has no body */
	ck_assert_int_eq(c->m.state, CONN_READ_HEAD); /* the 4th head is partial */
	ck_assert_uint_eq(c->ilen, 13);
	ck_assert_int_eq(write(cl, "TP/1.1\r\nHost: x\r\n\r\n", 19), 19);
	conn_event(c, EPOLLIN);
	slurp(cl, buf, sizeof(buf));
	ck_assert_int_eq(count(buf, "HTTP/1.1 200 OK\r\n"), 1);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	close(cl);
}
END_TEST

START_TEST(test_header_timeout)
{
	int cl;
	struct conn *c = connect_with("GET / HTTP/1.1\r\nHo", &cl);
	ck_assert_int_eq(c->m.state, CONN_READ_HEAD);
	uint64_t now = httpd_now_ms(srv);
	conn_check_timeout(c, now + 1000); /* before the 2 s deadline: nothing */
	ck_assert_int_eq(c->m.state, CONN_READ_HEAD);
	/* more bytes do not extend the header deadline (slowloris) */
	ck_assert_int_eq(write(cl, "s", 1), 1);
	conn_event(c, EPOLLIN);
	conn_check_timeout(c, now + 2500);
	char buf[2048];
	slurp(cl, buf, sizeof(buf));
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 408 Request Timeout\r\n", 30), "%s", buf);
	ck_assert_int_eq(c->m.state, CONN_LINGER);
	close(cl);
}
END_TEST

START_TEST(test_idle_timeout)
{
	int cl;
	struct conn *c = connect_with(NULL, &cl);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	uint64_t now = httpd_now_ms(srv);
	conn_check_timeout(c, now + 4000);
	ck_assert_ptr_eq(srv->conns, c);
	conn_check_timeout(c, now + 5001);
	ck_assert_ptr_null(srv->conns); /* closed, silently */
	char b;
	ck_assert_int_eq(read(cl, &b, 1), 0);
	close(cl);
}
END_TEST

START_TEST(test_backpressure)
{
	int cl;
	int small = 4096;
	struct conn *c = connect_with(NULL, &cl);
	setsockopt(c->fd, SOL_SOCKET, SO_SNDBUF, &small, sizeof(small));
	const char *req =
		"GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
	ck_assert_int_eq(write(cl, req, strlen(req)), (ssize_t)strlen(req));
	conn_event(c, EPOLLIN);
	ck_assert_int_eq(c->m.state, CONN_SEND); /* the socket is full */
	static char buf[400000];
	size_t got = 0;
	for (int i = 0; i < 1000 && c->m.state == CONN_SEND; i++) {
		got += slurp(cl, buf + got, sizeof(buf) - got);
		conn_event(c, EPOLLOUT);
	}
	got += slurp(cl, buf + got, sizeof(buf) - got);
	ck_assert_int_eq(count(buf, "HTTP/1.1 200 OK\r\n"), 2);
	ck_assert_ptr_nonnull(strstr(buf, "xxxxHTTP/1.1 200 OK"));
	ck_assert(got > 99999);
	close(cl);
}
END_TEST

START_TEST(test_bad_request_closes)
{
	int cl;
	connect_with("BAD\r\n\r\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", &cl);
	char buf[4096];
	slurp(cl, buf, sizeof(buf));
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 400 Bad Request\r\n", 26), "%s", buf);
	ck_assert_int_eq(count(buf, "HTTP/1.1"), 1); /* nothing after a 400 */
	ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n"));
	close(cl);
}
END_TEST

/* The shell carries out the machine's multipart steps in order: each
 * part's head, its segment by sendfile(2), the closing boundary. */
START_TEST(test_multipart_in_order)
{
	int cl;
	struct conn *c = connect_with("GET /digits.txt HTTP/1.1\r\nHost: x\r\n"
				      "Range: bytes=0-2,10-12,18-\r\n\r\n",
				      &cl);
	static char buf[4096];
	slurp(cl, buf, sizeof(buf));
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 206 Partial Content\r\n", 30), "%s", buf);
	const char *body = strstr(buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	ck_assert_str_eq(body + 4, "--BOUNDARY\r\nContent-Type: text/plain\r\n"
				   "Content-Range: bytes 0-2/20\r\n\r\n012"
				   "\r\n--BOUNDARY\r\nContent-Type: text/plain\r\n"
				   "Content-Range: bytes 10-12/20\r\n\r\nABC"
				   "\r\n--BOUNDARY\r\nContent-Type: text/plain\r\n"
				   "Content-Range: bytes 18-19/20\r\n\r\nIJ"
				   "\r\n--BOUNDARY--\r\n");
	ck_assert_int_eq(c->m.state, CONN_IDLE); /* kept alive */
	ck_assert_ptr_null(c->body.fe);          /* the file released */
	close(cl);
}
END_TEST

/* HTTP/1.0 without keep-alive: the reply, then the connection is gone. */
START_TEST(test_http10_closes)
{
	int cl;
	connect_with("GET /a.txt HTTP/1.0\r\n\r\nGET /a.txt HTTP/1.0\r\n\r\n", &cl);
	char buf[4096];
	slurp(cl, buf, sizeof(buf));
	ck_assert_int_eq(count(buf, "HTTP/1.1 200 OK\r\n"), 1);
	ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n"));
	ck_assert_ptr_null(srv->conns);
	char b;
	ck_assert_int_eq(read(cl, &b, 1), 0);
	close(cl);
}
END_TEST

UNIT_SUITE(http_conn)
{
	Suite *s = suite_create("http_conn");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_pipelined);
	tcase_add_test(tc, test_header_timeout);
	tcase_add_test(tc, test_idle_timeout);
	tcase_add_test(tc, test_backpressure);
	tcase_add_test(tc, test_bad_request_closes);
	tcase_add_test(tc, test_multipart_in_order);
	tcase_add_test(tc, test_http10_closes);
	suite_add_tcase(s, tc);
	return s;
}
