/* SPDX-License-Identifier: MIT */
/* The TLS side of a connection: the HANDSHAKE state of the machine, and
 * the connection shell over a fake transport (io.h) that scripts what a
 * TLS library answers: want-read, want-write, done, failure, bytes held
 * above the socket, writes that take part of the bytes or none, and the
 * close_notify at the end. The fake passes bytes through a socketpair
 * unencrypted, so the client side reads plain HTTP. */
#include <errno.h>
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

/* ---------------------------------------------------------------- machine */

static const struct conn_policy PT = {
	.idle_ms = 5000, .header_ms = 2000, .keepalive = true, .handshake_ms = 3000};

START_TEST(test_fsm_handshake)
{
	struct conn_fsm m;
	ck_assert_int_eq(conn_fsm_start_tls(&m, &PT, 1000).kind, CONN_ACT_HANDSHAKE);
	ck_assert_int_eq(m.state, CONN_HANDSHAKE);
	ck_assert_uint_eq(m.deadline, 4000);
	/* want-read or want-write: wait for the socket, either way */
	struct conn_ev again = {.kind = CONN_EV_AGAIN};
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &again, 1100).kind, CONN_ACT_WAIT);
	struct conn_ev io = {.kind = CONN_EV_IO, .readable = false};
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &io, 1200).kind, CONN_ACT_HANDSHAKE);
	/* bytes do not extend the handshake deadline */
	ck_assert_uint_eq(m.deadline, 4000);
	struct conn_ev timer = {.kind = CONN_EV_TIMER};
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &timer, 3999).kind, CONN_ACT_NONE);
	struct conn_ev done = {.kind = CONN_EV_DONE};
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &done, 2000).kind, CONN_ACT_READ);
	ck_assert_int_eq(m.state, CONN_IDLE);
	ck_assert_uint_eq(m.deadline, 7000); /* the keep-alive clock now */
}
END_TEST

START_TEST(test_fsm_handshake_ends)
{
	struct conn_fsm m;
	struct conn_ev timer = {.kind = CONN_EV_TIMER};
	conn_fsm_start_tls(&m, &PT, 0);
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &timer, 3000).kind, CONN_ACT_CLOSE);
	ck_assert_int_eq(m.state, CONN_CLOSED);
	struct conn_ev err = {.kind = CONN_EV_ERROR}, eof = {.kind = CONN_EV_EOF};
	conn_fsm_start_tls(&m, &PT, 0);
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &err, 1).kind, CONN_ACT_CLOSE);
	conn_fsm_start_tls(&m, &PT, 0);
	ck_assert_int_eq(conn_fsm_step(&m, &PT, &eof, 1).kind, CONN_ACT_CLOSE);
	/* no handshake timeout configured: no deadline */
	struct conn_policy never = PT;
	never.handshake_ms = 0;
	conn_fsm_start_tls(&m, &never, 0);
	ck_assert_uint_eq(m.deadline, 0);
}
END_TEST

/* ---------------------------------------------------------------- fake */

struct fake {
	struct conn_io io; /* first: the shell's io is a copy, found by fd */
	int hs[8];         /* handshake results, in order; then 0 */
	int nhs, ihs;
	const char *held; /* bytes "decrypted" but above the socket */
	size_t held_len;
	size_t wmax;     /* bytes a write takes at most (0: all) */
	int wagain;      /* writes that answer -EAGAIN first */
	char again_head; /* first byte offered when -EAGAIN was answered */
	bool retry_check;
	int read_wants_write; /* reads that answer -EAGAIN wanting the socket writable */
	int handshakes, notifies, frees, writes, reads;
};

static struct fake fk;

static int fake_handshake(struct conn_io *io)
{
	(void)io;
	fk.handshakes++;
	if (fk.ihs < fk.nhs) {
		int r = fk.hs[fk.ihs++];
		if (r == -EPROTO)
			snprintf(io->why, sizeof(io->why), "fake alert");
		return r;
	}
	return 0;
}

static ssize_t fake_read(struct conn_io *io, void *buf, size_t n, bool *more)
{
	*more = false;
	fk.reads++;
	if (fk.read_wants_write > 0) { /* e.g. TLS 1.3 tickets or a key update to send first */
		fk.read_wants_write--;
		io->read_want_write = true;
		return -EAGAIN;
	}
	io->read_want_write = false;
	if (fk.held_len) {
		/* one record at a time: 10 bytes, the rest stays pending */
		size_t k = fk.held_len < 10 ? fk.held_len : 10;
		k = k < n ? k : n;
		memcpy(buf, fk.held, k);
		fk.held += k;
		fk.held_len -= k;
		*more = fk.held_len > 0;
		return (ssize_t)k;
	}
	ssize_t r = read(io->fd, buf, n);
	return r < 0 ? -errno : r;
}

static ssize_t fake_write(struct conn_io *io, const void *buf, size_t n, bool more)
{
	(void)more;
	fk.writes++;
	const char *p = buf;
	if (fk.retry_check) { /* TLS: the retry offers the same bytes */
		ck_assert_int_eq(p[0], fk.again_head);
		fk.retry_check = false;
	}
	if (fk.wagain > 0) {
		fk.wagain--;
		fk.again_head = p[0];
		fk.retry_check = true;
		return -EAGAIN;
	}
	if (fk.wmax && n > fk.wmax)
		n = fk.wmax;
	ssize_t r = send(io->fd, buf, n, MSG_NOSIGNAL);
	if (r < 0 && errno == EAGAIN) {
		fk.again_head = p[0];
		fk.retry_check = true;
	}
	return r < 0 ? -errno : r;
}

static void fake_close_notify(struct conn_io *io)
{
	(void)io;
	fk.notifies++;
}

static void fake_free(struct conn_io *io)
{
	(void)io;
	fk.frees++;
}

static const struct conn_io_ops fake_ops = {
	.handshake = fake_handshake,
	.read = fake_read,
	.write = fake_write,
	.close_notify = fake_close_notify,
	.free = fake_free,
};

/* ---------------------------------------------------------------- shell */

static struct httpd *srv;
static struct pxe_config conf;
static char *dir;
static char big[100000];

static void setup(void)
{
	dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "a.txt", "hello\n"), 0);
	for (size_t i = 0; i < sizeof(big) - 1; i++)
		big[i] = (char)('a' + i % 26);
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(unit_write_file(dir, "big.txt", big), 0);
	const char *argv[] = {"pxe-httpd", dir, "--tls-handshake-timeout", "3", "--timeout", "5"};
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
	memset(&fk, 0, sizeof(fk));
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

static int tls_dummy; /* io.tls only has to be set: the fake does the rest */

/* A "TLS" connection over the fake, the client end in *client. */
static struct conn *connect_fake(const char *req, int *client)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv), 0);
	if (req)
		ck_assert_int_eq(write(sv[1], req, strlen(req)), (ssize_t)strlen(req));
	struct pxe_sockaddr peer = {0};
	peer.u.in4.sin_family = AF_INET;
	peer.len = sizeof(peer.u.in4);
	struct conn_io io = {.ops = &fake_ops, .fd = sv[0], .tls = &tls_dummy};
	conn_accepted_io(srv, &io, &peer);
	*client = sv[1];
	return srv->conns;
}

static size_t slurp(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	while (n < cap - 1) {
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	return n;
}

START_TEST(test_handshake_want_read_write)
{
	fk.hs[0] = -EAGAIN; /* want read */
	fk.hs[1] = -EAGAIN; /* want write */
	fk.nhs = 2;
	int cl;
	struct conn *c = connect_fake("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", &cl);
	ck_assert_int_eq(c->m.state, CONN_HANDSHAKE);
	ck_assert_uint_eq(srv->handshakes, 1);
	ck_assert(c->in_epoll);
	conn_event(c, EPOLLOUT); /* the socket turned writable: drive again */
	ck_assert_int_eq(c->m.state, CONN_HANDSHAKE);
	conn_event(c, EPOLLIN);
	/* done: the request that waited in the socket is answered at once */
	ck_assert_int_eq(fk.handshakes, 3);
	ck_assert_uint_eq(srv->handshakes, 0);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	char buf[4096];
	slurp(cl, buf, sizeof(buf));
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17), "%s", buf);
	ck_assert_ptr_nonnull(strstr(buf, "\r\n\r\nhello\n"));
	close(cl);
}
END_TEST

START_TEST(test_handshake_timeout)
{
	for (int i = 0; i < 8; i++)
		fk.hs[i] = -EAGAIN;
	fk.nhs = 8;
	int cl;
	struct conn *c = connect_fake(NULL, &cl);
	uint64_t now = httpd_now_ms(srv);
	conn_check_timeout(c, now + 2000); /* before the 3 s deadline */
	ck_assert_ptr_nonnull(srv->conns);
	conn_event(c, EPOLLIN); /* bytes do not extend it */
	conn_check_timeout(c, now + 3000);
	ck_assert_ptr_null(srv->conns);
	ck_assert_uint_eq(srv->handshakes, 0);
	ck_assert_int_eq(fk.frees, 1);
	char b;
	ck_assert_int_eq(read(cl, &b, 1), 0); /* closed */
	close(cl);
}
END_TEST

START_TEST(test_handshake_error)
{
	fk.hs[0] = -EPROTO;
	fk.nhs = 1;
	int cl;
	connect_fake("\x16\x03\x01garbage", &cl);
	ck_assert_ptr_null(srv->conns);
	ck_assert_uint_eq(srv->handshakes, 0);
	ck_assert_int_eq(fk.frees, 1);
	char b;
	/* closed with the garbage unread: EOF or a reset, not "try again" */
	ssize_t r = read(cl, &b, 1);
	ck_assert_msg(r == 0 || (r < 0 && errno == ECONNRESET), "read %zd: %s", r, strerror(errno));
	close(cl);
}
END_TEST

START_TEST(test_close_notify)
{
	int cl;
	connect_fake("GET /a.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", &cl);
	ck_assert_ptr_null(srv->conns); /* answered and closed */
	ck_assert_int_eq(fk.notifies, 1);
	ck_assert_int_eq(fk.frees, 1);
	char buf[4096];
	slurp(cl, buf, sizeof(buf));
	ck_assert_ptr_nonnull(strstr(buf, "Connection: close\r\n"));
	close(cl);
}
END_TEST

/* Bytes decrypted but held above the socket: no epoll event will come for
 * them, the shell must read on (io.h: more). */
START_TEST(test_pending_bytes)
{
	static const char two[] = "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n"
				  "GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n";
	fk.held = two;
	fk.held_len = sizeof(two) - 1;
	int cl;
	struct conn *c = connect_fake(NULL, &cl);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	char buf[4096];
	slurp(cl, buf, sizeof(buf));
	const char *second = strstr(buf, "hello\n");
	ck_assert_ptr_nonnull(second);
	ck_assert_ptr_nonnull(strstr(second + 6, "HTTP/1.1 200 OK\r\n"));
	close(cl);
}
END_TEST

/* A file body over TLS without kTLS: pread into the connection's buffer,
 * written in parts and after want-write retries, byte-exact. */
START_TEST(test_body_fallback)
{
	fk.wmax = 7000;
	fk.wagain = 1;
	int cl;
	struct conn *c = connect_fake("GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\n", &cl);
	static char buf[200000];
	size_t n = 0;
	for (int i = 0; i < 1000 && c->m.state != CONN_IDLE; i++) {
		ssize_t r = read(cl, buf + n, sizeof(buf) - 1 - n);
		if (r > 0)
			n += (size_t)r;
		conn_event(c, EPOLLOUT);
	}
	n += slurp(cl, buf + n, sizeof(buf) - n);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	ck_assert_ptr_nonnull(c->tbuf); /* the fallback buffer, kept for the next body */
	const char *body = strstr(buf, "\r\n\r\n");
	ck_assert_ptr_nonnull(body);
	body += 4;
	ck_assert_uint_eq(n - (size_t)(body - buf), sizeof(big) - 1);
	ck_assert(!memcmp(body, big, sizeof(big) - 1));
	ck_assert_int_gt(fk.writes, (int)(sizeof(big) / 7000));
	close(cl);
}
END_TEST

/* The other directions: a read that must write first goes on when the
 * socket turns writable (EPOLLOUT alone), a write that must read first
 * when it turns readable (EPOLLIN alone). */
START_TEST(test_want_other_way)
{
	fk.read_wants_write = 1;
	int cl;
	struct conn *c = connect_fake("GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", &cl);
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	ck_assert(c->io.read_want_write);
	char buf[4096];
	ck_assert_int_lt(read(cl, buf, sizeof(buf)), 0); /* nothing answered yet */
	/* the reply's writes want a read first (outq_send tries the shared
	 * buffer, then its own queue: two answers) */
	fk.wagain = 2;
	conn_event(c, EPOLLOUT); /* writable only: the read goes on, the write waits */
	ck_assert(!c->io.read_want_write);
	ck_assert_int_eq(c->m.state, CONN_SEND);
	conn_event(c, EPOLLIN); /* readable only: the write goes on */
	ck_assert_int_eq(c->m.state, CONN_IDLE);
	slurp(cl, buf, sizeof(buf));
	ck_assert_msg(!strncmp(buf, "HTTP/1.1 200 OK\r\n", 17), "%s", buf);
	close(cl);
}
END_TEST

UNIT_SUITE(http_conn_tls)
{
	Suite *s = suite_create("http_conn_tls");
	TCase *m = tcase_create("machine");
	tcase_add_test(m, test_fsm_handshake);
	tcase_add_test(m, test_fsm_handshake_ends);
	suite_add_tcase(s, m);
	TCase *tc = tcase_create("shell");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_handshake_want_read_write);
	tcase_add_test(tc, test_handshake_timeout);
	tcase_add_test(tc, test_handshake_error);
	tcase_add_test(tc, test_close_notify);
	tcase_add_test(tc, test_pending_bytes);
	tcase_add_test(tc, test_body_fallback);
	tcase_add_test(tc, test_want_other_way);
	suite_add_tcase(s, tc);
	return s;
}
