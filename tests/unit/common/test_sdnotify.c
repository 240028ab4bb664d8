/* SPDX-License-Identifier: MIT */
/* common/sock.c: systemd socket activation (LISTEN_FDS) and sd_notify.
 *
 * Activation puts sockets on fds 3, 4, 5, where check keeps its own files
 * (CK_FORK or not), so each case runs in a child of its own: the child
 * moves its report pipe out of the way, installs the sockets, calls
 * pxe_listen_fds and writes what it saw to the pipe; the parent asserts. */
#include "unit.h"

#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------- socket activation */

#define MAX_ACT 4

struct act_result {
	int rc;
	struct pxe_activated_fd fds[MAX_ACT];
	int cloexec[MAX_ACT]; /* FD_CLOEXEC of fds 3.. after the call */
	int env_left;         /* how many of the three variables survived */
};

struct act_case {
	const char *pid;   /* "self", "other", or the literal LISTEN_PID */
	const char *nfds;  /* LISTEN_FDS, NULL: unset */
	const char *names; /* LISTEN_FDNAMES, NULL: unset */
	int nsock;         /* sockets installed on fds 3.. (at most 3) */
	int max;           /* entries handed to pxe_listen_fds */
};

/* fds 3.. in the child: UDP, TCP listening, AF_UNIX datagram. */
static int make_socket(int i)
{
	static const int fam[] = {AF_INET, AF_INET, AF_UNIX};
	static const int type[] = {SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM};
	struct sockaddr_in sin = {.sin_family = AF_INET};
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(fam[i], type[i], 0); /* no CLOEXEC: pxe_listen_fds sets it */
	if (fd < 0)
		return -1;
	if (fam[i] == AF_INET && bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		return -1;
	if (type[i] == SOCK_STREAM && listen(fd, 4) < 0)
		return -1;
	int high = fcntl(fd, F_DUPFD, 110 + i);
	close(fd);
	return high;
}

static void set_env(const char *name, const char *value)
{
	if (value)
		setenv(name, value, 1);
	else
		unsetenv(name);
}

static void act_child(const struct act_case *c, int report)
{
	struct act_result r;
	int high[3];
	char pid[32];
	memset(&r, 0, sizeof(r));
	for (int i = 0; i < c->nsock; i++)
		if ((high[i] = make_socket(i)) < 0)
			_exit(2);
	for (int fd = 3; fd < 100; fd++)
		if (fd != report)
			close(fd);
	for (int i = 0; i < c->nsock; i++)
		if (dup2(high[i], 3 + i) != 3 + i || close(high[i]) < 0)
			_exit(3);
	if (strcmp(c->pid, "self") == 0)
		snprintf(pid, sizeof(pid), "%d", (int)getpid());
	else if (strcmp(c->pid, "other") == 0)
		snprintf(pid, sizeof(pid), "%d", (int)getpid() + 1);
	else
		snprintf(pid, sizeof(pid), "%s", c->pid);
	setenv("LISTEN_PID", pid, 1);
	set_env("LISTEN_FDS", c->nfds);
	set_env("LISTEN_FDNAMES", c->names);

	r.rc = pxe_listen_fds(c->max ? r.fds : NULL, c->max);
	for (int i = 0; i < MAX_ACT; i++)
		r.cloexec[i] = fcntl(3 + i, F_GETFD) & FD_CLOEXEC;
	r.env_left = !!getenv("LISTEN_PID") + !!getenv("LISTEN_FDS") + !!getenv("LISTEN_FDNAMES");
	_exit(write(report, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 4);
}

static void run_activation(const struct act_case *c, struct act_result *r)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		close(p[0]);
		act_child(c, fcntl(p[1], F_DUPFD, 100));
	}
	close(p[1]);
	ssize_t n = read(p[0], r, sizeof(*r));
	close(p[0]);
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "child status %d", status);
	ck_assert_int_eq(n, (ssize_t)sizeof(*r));
	ck_assert_int_eq(r->env_left, 0); /* unset in every case */
}

START_TEST(test_listen_fds_three)
{
	struct act_case c = {"self", "3", "tftp:http:ctl", 3, MAX_ACT};
	struct act_result r;
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 3);
	static const int type[] = {SOCK_DGRAM, SOCK_STREAM, SOCK_DGRAM};
	static const int fam[] = {AF_INET, AF_INET, AF_UNIX};
	static const char *const name[] = {"tftp", "http", "ctl"};
	for (int i = 0; i < 3; i++) {
		ck_assert_int_eq(r.fds[i].fd, 3 + i);
		ck_assert_int_eq(r.fds[i].type, type[i]);
		ck_assert_int_eq(r.fds[i].family, fam[i]);
		ck_assert_str_eq(r.fds[i].name, name[i]);
		ck_assert_int_eq(r.cloexec[i], FD_CLOEXEC);
	}
	ck_assert_int_eq(r.fds[3].fd, 0); /* untouched beyond n */
}
END_TEST

START_TEST(test_listen_fds_no_names)
{
	struct act_case c = {"self", "2", NULL, 2, MAX_ACT};
	struct act_result r;
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 2);
	ck_assert_str_eq(r.fds[0].name, "");
	ck_assert_str_eq(r.fds[1].name, "");
	ck_assert_int_eq(r.fds[1].type, SOCK_STREAM);

	c.names = ""; /* empty: no names either */
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 2);
	ck_assert_str_eq(r.fds[0].name, "");
}
END_TEST

START_TEST(test_listen_fds_more_than_max)
{
	/* all three become close-on-exec and are counted; two are described */
	struct act_case c = {"self", "3", "a::c", 3, 2};
	struct act_result r;
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 3);
	ck_assert_str_eq(r.fds[0].name, "a");
	ck_assert_str_eq(r.fds[1].name, ""); /* empty name in the middle */
	ck_assert_int_eq(r.fds[2].fd, 0);
	for (int i = 0; i < 3; i++)
		ck_assert_int_eq(r.cloexec[i], FD_CLOEXEC);

	c.max = 0;
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 3);
	ck_assert_int_eq(r.cloexec[2], FD_CLOEXEC);
}
END_TEST

START_TEST(test_listen_fds_not_ours)
{
	struct act_result r;
	/* LISTEN_PID of another process: the fds are not for us, leave them */
	struct act_case c = {"other", "2", "a:b", 2, MAX_ACT};
	run_activation(&c, &r);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(r.cloexec[0], 0);
	ck_assert_int_eq(r.fds[0].fd, 0);

	struct act_case none = {"self", NULL, NULL, 0, MAX_ACT};
	run_activation(&none, &r);
	ck_assert_int_eq(r.rc, 0);
	none.nfds = "0";
	run_activation(&none, &r);
	ck_assert_int_eq(r.rc, 0);
}
END_TEST

START_TEST(test_listen_fds_invalid)
{
	static const struct act_case bad[] = {
		{"12x", "1", NULL, 1, MAX_ACT},
		{"", "1", NULL, 1, MAX_ACT},
		{"0", "1", NULL, 1, MAX_ACT},
		{"-1", "1", NULL, 1, MAX_ACT},
		{" 1", "1", NULL, 1, MAX_ACT},
		{"99999999999999999999", "1", NULL, 1, MAX_ACT},
		{"self", "x", NULL, 1, MAX_ACT},
		{"self", "-1", NULL, 1, MAX_ACT},
		{"self", "", NULL, 1, MAX_ACT},
		{"self", "1 ", NULL, 1, MAX_ACT},
		{"self", "+1", NULL, 1, MAX_ACT},
		{"self", "4294967299", NULL, 1, MAX_ACT},
		/* LISTEN_FDNAMES must name every fd, no more, no fewer */
		{"self", "2", "a", 2, MAX_ACT},
		{"self", "2", "a:b:c", 2, MAX_ACT},
	};
	struct act_result r;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run_activation(&bad[i], &r);
		ck_assert_msg(r.rc == -EINVAL, "case %zu (%s, %s): %d", i, bad[i].pid, bad[i].nfds,
			      r.rc);
		ck_assert_int_eq(r.cloexec[0], 0); /* rejected before touching fds */
	}

	char longname[80];
	memset(longname, 'n', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	struct act_case toolong = {"self", "1", longname, 1, MAX_ACT};
	run_activation(&toolong, &r);
	ck_assert_int_eq(r.rc, -ENAMETOOLONG);

	/* fds 3..4 promised but not open */
	struct act_case closed = {"self", "2", NULL, 0, MAX_ACT};
	run_activation(&closed, &r);
	ck_assert_int_eq(r.rc, -EBADF);
}
END_TEST

START_TEST(test_listen_fds_args)
{
	struct pxe_activated_fd a[1];
	ck_assert_int_eq(pxe_listen_fds(NULL, 1), -EINVAL);
	ck_assert_int_eq(pxe_listen_fds(a, -1), -EINVAL);
	unsetenv("LISTEN_PID");
	ck_assert_int_eq(pxe_listen_fds(a, 1), 0);
}
END_TEST

/* ----------------------------------------------------------- sd_notify */

/* A datagram socket standing in for systemd; name "@x" is abstract. */
static int notify_listener(const char *name)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	size_t n = strlen(name);
	ck_assert_uint_lt(n, sizeof(sun.sun_path));
	memcpy(sun.sun_path, name, n);
	socklen_t len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
	if (name[0] == '@') {
		sun.sun_path[0] = '\0';
		len--;
	}
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(bind(fd, (struct sockaddr *)&sun, len), 0);
	ck_assert_int_eq(setenv("NOTIFY_SOCKET", name, 1), 0);
	return fd;
}

/* The next datagram, already queued (AF_UNIX sendto is synchronous). */
static void expect_msg(int fd, const char *want)
{
	char buf[512];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_str_eq(buf, want);
}

static void exchange(int fd)
{
	ck_assert_int_eq(pxe_sd_notify("READY=1"), 1);
	expect_msg(fd, "READY=1");
	ck_assert_int_eq(pxe_sd_notifyf("STATUS=serving %d files from %s", 3, "/srv/tftp"), 1);
	expect_msg(fd, "STATUS=serving 3 files from /srv/tftp");
	ck_assert_int_eq(pxe_sd_notify("STOPPING=1\nSTATUS=bye"), 1);
	expect_msg(fd, "STOPPING=1\nSTATUS=bye");
}

static int next_fd(void)
{
	int fd = dup(0);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

START_TEST(test_notify_path)
{
	char *dir = unit_tmpdir();
	char path[512];
	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/notify", dir);
	int fd = notify_listener(path);
	int before = next_fd();
	exchange(fd);
	ck_assert_int_eq(next_fd(), before); /* one socket per call, closed */
	close(fd);
	unsetenv("NOTIFY_SOCKET");
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_notify_abstract)
{
	char name[64];
	snprintf(name, sizeof(name), "@pxeunit-notify-%d-%ld", (int)getpid(), (long)time(NULL));
	int fd = notify_listener(name);
	exchange(fd);
	close(fd);
	/* nobody bound to that name any more */
	ck_assert_int_eq(pxe_sd_notify("READY=1"), -ECONNREFUSED);
	unsetenv("NOTIFY_SOCKET");
}
END_TEST

/* After pxe_sd_notify_keep() the path may vanish (chroot): still delivered.
 * Runs in check's forked child, so the kept socket ends with the test. */
START_TEST(test_notify_keep_survives_path_loss)
{
	if (getenv("CK_FORK") && !strcmp(getenv("CK_FORK"), "no"))
		return; /* the kept socket is process-wide */
	char *dir = unit_tmpdir();
	char path[512], moved[512];
	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/notify", dir);
	snprintf(moved, sizeof(moved), "%s/elsewhere", dir);
	int fd = notify_listener(path);
	ck_assert_int_eq(pxe_sd_notify_keep(), 1);
	ck_assert_int_eq(rename(path, moved), 0);
	exchange(fd);
	close(fd);
	unsetenv("NOTIFY_SOCKET");
	ck_assert_int_eq(pxe_sd_notify_keep(), 0);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_notify_reloading)
{
	char name[64];
	struct timespec t0, t1;
	unsigned long long usec;
	char tail;
	snprintf(name, sizeof(name), "@pxeunit-reload-%d-%ld", (int)getpid(), (long)time(NULL));
	int fd = notify_listener(name);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	ck_assert_int_eq(pxe_sd_notify_reloading(), 1);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, MSG_DONTWAIT);
	ck_assert_int_gt(n, 0);
	buf[n] = '\0';
	ck_assert_int_eq(sscanf(buf, "RELOADING=1\nMONOTONIC_USEC=%llu%c", &usec, &tail), 1);
	unsigned long long lo = (unsigned long long)t0.tv_sec * 1000000 + t0.tv_nsec / 1000;
	unsigned long long hi = (unsigned long long)t1.tv_sec * 1000000 + t1.tv_nsec / 1000;
	ck_assert(usec >= lo && usec <= hi);
	close(fd);
	unsetenv("NOTIFY_SOCKET");
}
END_TEST

START_TEST(test_notify_unset)
{
	unsetenv("NOTIFY_SOCKET");
	ck_assert_int_eq(pxe_sd_notify("READY=1"), 0);
	ck_assert_int_eq(pxe_sd_notifyf("STATUS=%s", "x"), 0);
	ck_assert_int_eq(pxe_sd_notify_reloading(), 0);
}
END_TEST

START_TEST(test_notify_errors)
{
	char *dir = unit_tmpdir();
	char buf[400];
	ck_assert_ptr_nonnull(dir);
	int before = next_fd();
	static const char *const bad[] = {"", "notify.sock", "run/notify", "@", "vsock:2:1234"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		setenv("NOTIFY_SOCKET", bad[i], 1);
		ck_assert_msg(pxe_sd_notify("READY=1") == -EINVAL, "\"%s\" accepted", bad[i]);
	}
	snprintf(buf, sizeof(buf), "/%0300d", 0);
	setenv("NOTIFY_SOCKET", buf, 1);
	ck_assert_int_eq(pxe_sd_notify("READY=1"), -ENAMETOOLONG);
	buf[0] = '@';
	setenv("NOTIFY_SOCKET", buf, 1);
	ck_assert_int_eq(pxe_sd_notify("READY=1"), -ENAMETOOLONG);

	snprintf(buf, sizeof(buf), "%s/missing/notify", dir);
	setenv("NOTIFY_SOCKET", buf, 1);
	ck_assert_int_eq(pxe_sd_notify("READY=1"), -ENOENT);
	/* a path that exists but is no socket */
	ck_assert_int_eq(unit_write_file(dir, "plain", "x"), 0);
	snprintf(buf, sizeof(buf), "%s/plain", dir);
	setenv("NOTIFY_SOCKET", buf, 1);
	ck_assert_int_eq(pxe_sd_notify("READY=1"), -ECONNREFUSED);
	ck_assert_int_eq(pxe_sd_notify(NULL), -EINVAL);
	ck_assert_int_eq(next_fd(), before);
	unsetenv("NOTIFY_SOCKET");
	unit_tmpdir_remove(dir);
}
END_TEST

UNIT_SUITE(sdnotify)
{
	Suite *s = suite_create("systemd");
	TCase *tc = tcase_create("listen_fds");
	tcase_add_test(tc, test_listen_fds_three);
	tcase_add_test(tc, test_listen_fds_no_names);
	tcase_add_test(tc, test_listen_fds_more_than_max);
	tcase_add_test(tc, test_listen_fds_not_ours);
	tcase_add_test(tc, test_listen_fds_invalid);
	tcase_add_test(tc, test_listen_fds_args);
	suite_add_tcase(s, tc);
	tc = tcase_create("notify");
	tcase_add_test(tc, test_notify_path);
	tcase_add_test(tc, test_notify_abstract);
	tcase_add_test(tc, test_notify_keep_survives_path_loss);
	tcase_add_test(tc, test_notify_reloading);
	tcase_add_test(tc, test_notify_unset);
	tcase_add_test(tc, test_notify_errors);
	suite_add_tcase(s, tc);
	return s;
}
