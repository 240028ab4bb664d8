/* SPDX-License-Identifier: MIT */
/* Daemon life: pid file, signals on the uv loop, the --daemon readiness
 * handshake, and the privilege drop. Everything that changes the process
 * irreversibly (daemonising, setuid, chroot) runs in a forked child. */
#include "unit.h"

#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/capability.h>

static char *read_text(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return NULL;
	ssize_t n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return NULL;
	buf[n] = 0;
	return buf;
}

/* Exit status of a child, or -1 when it did not exit normally. */
static int wait_status(pid_t pid)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ------------------------------------------------------------ pid file */

START_TEST(test_pidfile_content)
{
	char *dir = unit_tmpdir();
	char path[4096], buf[64], want[32];
	snprintf(path, sizeof(path), "%s/run/x.pid", dir);
	ck_assert_int_eq(unit_write_file(dir, "run/x.pid", "999999999\nold junk here\n"), 0);
	struct pxe_err err = {{0}};
	ck_assert_int_eq(pxe_pidfile_write(path, &err), 0);
	snprintf(want, sizeof(want), "%d\n", (int)getpid());
	ck_assert_str_eq(read_text(path, buf, sizeof(buf)), want); /* truncated */
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_uid, getuid());
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_pidfile_missing_dir)
{
	char *dir = unit_tmpdir();
	char path[4096];
	snprintf(path, sizeof(path), "%s/nonexistent/x.pid", dir);
	struct pxe_err err = {{0}};
	ck_assert_int_eq(pxe_pidfile_write(path, &err), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, path));
	ck_assert_ptr_nonnull(strstr(err.msg, strerror(ENOENT)));
	unit_tmpdir_remove(dir);
}
END_TEST

/* ------------------------------------------------------------ signals */

struct sig_test {
	struct pxe_signals sig;
	uv_timer_t tick, guard;
	const int *raise_list;
	int n_raise, next;
	int reloads, reopens, stops;
	bool timed_out;
};

static void sig_test_finish(struct sig_test *t)
{
	uv_close((uv_handle_t *)&t->tick, NULL);
	uv_close((uv_handle_t *)&t->guard, NULL);
	pxe_signals_close(&t->sig);
}

static void on_reload(void *ctx)
{
	((struct sig_test *)ctx)->reloads++;
}
static void on_reopen(void *ctx)
{
	((struct sig_test *)ctx)->reopens++;
}
static void on_stop(void *ctx)
{
	struct sig_test *t = ctx;
	if (++t->stops == 1)
		sig_test_finish(t);
}

static void on_tick(uv_timer_t *h)
{
	struct sig_test *t = h->data;
	if (t->next < t->n_raise)
		raise(t->raise_list[t->next++]);
}

static void on_guard(uv_timer_t *h)
{
	struct sig_test *t = h->data;
	t->timed_out = true;
	sig_test_finish(t);
}

/* Raise each signal of list in turn from a timer; the last must stop. */
static void run_signals(struct sig_test *t, const int *list, int n)
{
	uv_loop_t loop;
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	t->raise_list = list;
	t->n_raise = n;
	t->sig.ctx = t;
	ck_assert_int_eq(pxe_signals_start(&t->sig, &loop), 0);
	uv_timer_init(&loop, &t->tick);
	uv_timer_init(&loop, &t->guard);
	t->tick.data = t->guard.data = t;
	uv_timer_start(&t->tick, on_tick, 5, 5);
	uv_timer_start(&t->guard, on_guard, 3000, 0);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
	ck_assert(!t->timed_out);
}

START_TEST(test_signals_callbacks)
{
	static const int list[] = {SIGHUP, SIGUSR1, SIGHUP, SIGTERM};
	struct sig_test t = {
		.sig = {.on_reload = on_reload, .on_reopen = on_reopen, .on_stop = on_stop}};
	run_signals(&t, list, 4);
	ck_assert_int_eq(t.reloads, 2);
	ck_assert_int_eq(t.reopens, 1);
	ck_assert_int_eq(t.stops, 1);
}
END_TEST

START_TEST(test_signals_sigint_and_null_callbacks)
{
	/* No reload/reopen callbacks: HUP and USR1 must not kill us; PIPE is
	 * ignored; INT stops. */
	static const int list[] = {SIGHUP, SIGUSR1, SIGPIPE, SIGINT};
	struct sig_test t = {.sig = {.on_stop = on_stop}};
	run_signals(&t, list, 4);
	ck_assert_int_eq(t.stops, 1);
}
END_TEST

START_TEST(test_signals_do_not_keep_loop_alive)
{
	uv_loop_t loop;
	struct pxe_signals s = {0};
	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(pxe_signals_start(&s, &loop), 0);
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0); /* returns at once */
	pxe_signals_close(&s);
	pxe_signals_close(&s); /* twice is harmless */
	ck_assert_int_eq(uv_run(&loop, UV_RUN_DEFAULT), 0);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

/* ------------------------------------------------------------ --daemon */

static bool fd_is_devnull(int fd)
{
	struct stat a, b;
	return fstat(fd, &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) &&
	       a.st_rdev == b.st_rdev;
}

/* What the daemon saw, written atomically (tmp + rename) to dir/report. */
static void daemon_report(const char *dir, pid_t parent)
{
	char tmp[4096], path[4096];
	snprintf(tmp, sizeof(tmp), "%s/report.tmp", dir);
	snprintf(path, sizeof(path), "%s/report", dir);
	FILE *f = fopen(tmp, "w");
	if (!f)
		return;
	char cwd[64];
	fprintf(f, "pid=%d parent=%d sid_leader=%d other_session=%d in=%d out=%d err=%d cwd=%s\n",
		(int)getpid(), (int)parent, getsid(0) == getpid(), getsid(0) != getsid(parent),
		fd_is_devnull(0), fd_is_devnull(1), fd_is_devnull(2),
		getcwd(cwd, sizeof(cwd)) ? cwd : "?");
	fclose(f);
	rename(tmp, path);
}

/* Fork X; X daemonises; the daemon runs `body`; returns X's exit status. */
static int run_daemon(const char *dir, void (*body)(const char *dir, pid_t x))
{
	pid_t x = fork();
	ck_assert_int_ge(x, 0);
	if (x == 0) {
		char errpath[4096];
		snprintf(errpath, sizeof(errpath), "%s/stderr", dir);
		int fd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0 || dup2(fd, STDERR_FILENO) < 0)
			_exit(100);
		pid_t me = getpid();
		if (pxe_daemon_start() < 0)
			_exit(101);
		if (getpid() == me)
			_exit(102); /* the parent must never return */
		body(dir, me);
		_exit(0);
	}
	return wait_status(x);
}

static bool wait_file(const char *dir, const char *name, char *buf, size_t cap)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	for (int i = 0; i < 300; i++) {
		if (read_text(path, buf, cap))
			return true;
		struct timespec ts = {0, 10 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	return false;
}

static void body_fail3(const char *dir, pid_t x)
{
	daemon_report(dir, x);
	pxe_daemon_ready(3);
}

static void body_ready(const char *dir, pid_t x)
{
	pxe_daemon_ready(0);
	daemon_report(dir, x); /* after readiness: stderr now /dev/null too */
}

static void body_no_ready(const char *dir, pid_t x)
{
	(void)dir;
	(void)x;
}

START_TEST(test_daemon_status_propagates)
{
	char *dir = unit_tmpdir();
	char buf[512];
	ck_assert_int_eq(run_daemon(dir, body_fail3), 3);
	ck_assert(wait_file(dir, "report", buf, sizeof(buf)));
	/* stdin/stdout gone, stderr still attached before readiness. */
	ck_assert_ptr_nonnull(strstr(buf, "sid_leader=0 other_session=1 in=1 out=1 err=0 cwd=/\n"));
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_daemon_ready_zero)
{
	char *dir = unit_tmpdir();
	char buf[512];
	ck_assert_int_eq(run_daemon(dir, body_ready), 0);
	ck_assert(wait_file(dir, "report", buf, sizeof(buf)));
	ck_assert_ptr_nonnull(strstr(buf, "in=1 out=1 err=1"));
	ck_assert(wait_file(dir, "stderr", buf, sizeof(buf)));
	ck_assert_str_eq(buf, "");
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_daemon_dies_before_ready)
{
	char *dir = unit_tmpdir();
	char buf[512];
	ck_assert_int_eq(run_daemon(dir, body_no_ready), 1);
	ck_assert(wait_file(dir, "stderr", buf, sizeof(buf)));
	ck_assert_ptr_nonnull(strstr(buf, "exited before it was ready"));
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_daemon_ready_noop)
{
	struct stat before, after;
	ck_assert_int_eq(fstat(STDERR_FILENO, &before), 0);
	pxe_daemon_ready(0); /* not daemonised: stderr stays what it was */
	ck_assert_int_eq(fstat(STDERR_FILENO, &after), 0);
	ck_assert(before.st_dev == after.st_dev && before.st_ino == after.st_ino);
}
END_TEST

/* ------------------------------------------------------------ privileges */

/* Checks inside a forked child: report and exit non-zero on failure. */
#define CHILD_CHECK(cond)                                                                          \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: child check failed: %s\n", __FILE__, __LINE__,     \
				#cond);                                                            \
			_exit(1);                                                                  \
		}                                                                                  \
	} while (0)

static int in_child(void (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return wait_status(pid);
}

static bool need_root(void)
{
	if (geteuid() == 0)
		return true;
	fprintf(stderr, "SKIP root-only privilege test: not running as root\n");
	return false;
}

static void caps_now(uint64_t *perm, uint64_t *eff, uint64_t *inh)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	CHILD_CHECK(syscall(SYS_capget, &hdr, d) == 0);
	*perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	*inh = d[0].inheritable | (uint64_t)d[1].inheritable << 32;
}

static void check_is_nobody(void)
{
	gid_t groups[64];
	CHILD_CHECK(getuid() == 65534 && geteuid() == 65534);
	CHILD_CHECK(getgid() == 65534 && getegid() == 65534);
	int n = getgroups(64, groups);
	CHILD_CHECK(n >= 0);
	for (int i = 0; i < n; i++)
		CHILD_CHECK(groups[i] != 0);
	CHILD_CHECK(setuid(0) < 0);
}

static void drop_nobody(void *arg)
{
	(void)arg;
	struct pxe_err err = {{0}};
	int r = pxe_privileges_drop(NULL, "nobody", "nogroup", NULL, 0, &err);
	if (r)
		fprintf(stderr, "drop: %s\n", err.msg);
	CHILD_CHECK(r == 0);
	check_is_nobody();
	uint64_t perm, eff, inh;
	caps_now(&perm, &eff, &inh);
	CHILD_CHECK(perm == 0 && eff == 0 && inh == 0);
}

static void drop_numeric(void *arg)
{
	(void)arg;
	struct pxe_err err = {{0}};
	/* No group: the user's primary group (65534 for nobody). */
	CHILD_CHECK(pxe_privileges_drop(NULL, "65534", NULL, NULL, 0, &err) == 0);
	check_is_nobody();
}

static void drop_keep_net_raw(void *arg)
{
	(void)arg;
	struct pxe_err err = {{0}};
	const int keep[] = {CAP_NET_RAW};
	int r = pxe_privileges_drop(NULL, "nobody", "nogroup", keep, 1, &err);
	if (r)
		fprintf(stderr, "drop: %s\n", err.msg);
	CHILD_CHECK(r == 0);
	check_is_nobody();
	uint64_t perm, eff, inh;
	caps_now(&perm, &eff, &inh);
	CHILD_CHECK(perm == UINT64_C(1) << CAP_NET_RAW);
	CHILD_CHECK(eff == UINT64_C(1) << CAP_NET_RAW);
	CHILD_CHECK(inh == 0);
}

static void drop_chroot(void *dir)
{
	struct pxe_err err = {{0}};
	int r = pxe_privileges_drop(dir, NULL, NULL, NULL, 0, &err);
	if (r)
		fprintf(stderr, "drop: %s\n", err.msg);
	CHILD_CHECK(r == 0);
	char buf[64];
	CHILD_CHECK(read_text("/file", buf, sizeof(buf)) && strcmp(buf, "inside\n") == 0);
	CHILD_CHECK(getuid() == 0);
}

static void drop_chroot_nobody(void *dir)
{
	/* The lookups must happen before the chroot: dir has no /etc. */
	struct pxe_err err = {{0}};
	int r = pxe_privileges_drop(dir, "nobody", "nogroup", NULL, 0, &err);
	if (r)
		fprintf(stderr, "drop: %s\n", err.msg);
	CHILD_CHECK(r == 0);
	check_is_nobody();
	char buf[64];
	CHILD_CHECK(read_text("/file", buf, sizeof(buf)) && strcmp(buf, "inside\n") == 0);
	CHILD_CHECK(access("/etc/passwd", F_OK) < 0);
}

static void drop_then_not_root(void *arg)
{
	(void)arg;
	struct pxe_err err = {{0}};
	CHILD_CHECK(pxe_privileges_drop(NULL, "nobody", "nogroup", NULL, 0, &err) == 0);
	/* Now unprivileged: becoming root is refused, being ourselves is fine. */
	CHILD_CHECK(pxe_privileges_drop(NULL, "root", NULL, NULL, 0, &err) == -EPERM);
	CHILD_CHECK(strstr(err.msg, "cannot switch to user root: not running as root"));
	CHILD_CHECK(pxe_privileges_drop(NULL, "nobody", NULL, NULL, 0, &err) == 0);
	CHILD_CHECK(pxe_privileges_drop(NULL, "nobody", "nogroup", NULL, 0, &err) == 0);
	CHILD_CHECK(pxe_privileges_drop(NULL, "nobody", "root", NULL, 0, &err) == -EPERM);
	CHILD_CHECK(strstr(err.msg, "group root"));
	CHILD_CHECK(pxe_privileges_drop("/", NULL, NULL, NULL, 0, &err) == -EPERM);
	CHILD_CHECK(strstr(err.msg, "chroot /"));
	check_is_nobody();
}

START_TEST(test_priv_drop_nobody)
{
	if (!need_root())
		return;
	ck_assert_int_eq(in_child(drop_nobody, NULL), 0);
	ck_assert_int_eq(in_child(drop_numeric, NULL), 0);
}
END_TEST

START_TEST(test_priv_keep_caps)
{
	if (!need_root())
		return;
	ck_assert_int_eq(in_child(drop_keep_net_raw, NULL), 0);
}
END_TEST

START_TEST(test_priv_chroot)
{
	if (!need_root())
		return;
	char *dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "file", "inside\n"), 0);
	ck_assert_int_eq(in_child(drop_chroot, dir), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0); /* nobody must reach /file */
	ck_assert_int_eq(in_child(drop_chroot_nobody, dir), 0);
	unit_tmpdir_remove(dir);
}
END_TEST

START_TEST(test_priv_not_root)
{
	if (!need_root())
		return;
	ck_assert_int_eq(in_child(drop_then_not_root, NULL), 0);
}
END_TEST

START_TEST(test_priv_unknown_names)
{
	/* Lookups fail before anything changes: safe in the test process. */
	struct pxe_err err = {{0}};
	ck_assert_int_eq(pxe_privileges_drop(NULL, "no-such-user-pxe", NULL, NULL, 0, &err),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no-such-user-pxe"));
	ck_assert_int_eq(pxe_privileges_drop(NULL, "nobody", "no-such-group-pxe", NULL, 0, &err),
			 -ENOENT);
	ck_assert_ptr_nonnull(strstr(err.msg, "no-such-group-pxe"));
	const int bad[] = {64};
	ck_assert_int_eq(pxe_privileges_drop(NULL, "nobody", NULL, bad, 1, &err), -EINVAL);
}
END_TEST

START_TEST(test_priv_nothing_asked)
{
	struct pxe_err err = {{0}};
	uid_t u = geteuid();
	ck_assert_int_eq(pxe_privileges_drop(NULL, NULL, NULL, NULL, 0, &err), 0);
	ck_assert_int_eq(geteuid(), u);
}
END_TEST

UNIT_SUITE(daemon)
{
	Suite *s = suite_create("daemon");
	TCase *tc = tcase_create("pidfile");
	tcase_add_test(tc, test_pidfile_content);
	tcase_add_test(tc, test_pidfile_missing_dir);
	suite_add_tcase(s, tc);

	tc = tcase_create("signals");
	tcase_add_test(tc, test_signals_callbacks);
	tcase_add_test(tc, test_signals_sigint_and_null_callbacks);
	tcase_add_test(tc, test_signals_do_not_keep_loop_alive);
	suite_add_tcase(s, tc);

	tc = tcase_create("daemonise");
	tcase_add_test(tc, test_daemon_status_propagates);
	tcase_add_test(tc, test_daemon_ready_zero);
	tcase_add_test(tc, test_daemon_dies_before_ready);
	tcase_add_test(tc, test_daemon_ready_noop);
	suite_add_tcase(s, tc);

	tc = tcase_create("privileges");
	tcase_add_test(tc, test_priv_drop_nobody);
	tcase_add_test(tc, test_priv_keep_caps);
	tcase_add_test(tc, test_priv_chroot);
	tcase_add_test(tc, test_priv_not_root);
	tcase_add_test(tc, test_priv_unknown_names);
	tcase_add_test(tc, test_priv_nothing_asked);
	suite_add_tcase(s, tc);
	return s;
}
