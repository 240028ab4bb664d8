/* SPDX-License-Identifier: MIT */
/* common/holder.c: the parsers on text captured from /proc (Linux 6.1),
 * then the /proc readers on a socket held by a child process and on a
 * flock held through another open file description of this process. */
#include "unit.h"

#include "holder.h"
#include "sock.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------ /proc/net */

START_TEST(test_sock_parse)
{
	struct pxe_proc_sock s;
	/* /proc/net/udp: 0.0.0.0:67, unconnected */
	ck_assert_int_eq(
		pxe_proc_sock_parse("  123: 00000000:0043 00000000:0000 07 00000000:00000000 "
				    "00:00000000 00000000     0        0 48151 2 "
				    "ffff8a1c4b0e1a40 0",
				    &s),
		0);
	ck_assert_uint_eq(s.port, 67);
	ck_assert_uint_eq(s.state, 7);
	ck_assert_uint_eq(s.inode, 48151);
	/* /proc/net/tcp6: [::]:8080 LISTEN, uid 1000 */
	ck_assert_int_eq(
		pxe_proc_sock_parse("   0: 00000000000000000000000000000000:1F90 "
				    "00000000000000000000000000000000:0000 0A "
				    "00000000:00000000 00:00000000 00000000  1000        0 "
				    "99887 1 ffff8a1c4a6d2300 100 0 0 10 0",
				    &s),
		0);
	ck_assert_uint_eq(s.port, 8080);
	ck_assert_uint_eq(s.state, 0x0A);
	ck_assert_uint_eq(s.inode, 99887);
	/* /proc/net/tcp: 127.0.0.1:69 -> 127.0.0.1:40000 in TIME_WAIT, no inode */
	ck_assert_int_eq(
		pxe_proc_sock_parse("   5: 0100007F:0045 0100007F:9C40 06 00000000:00000000 "
				    "03:00001622 00000000     0        0 0 3 "
				    "ffff8a1c4a6d2300",
				    &s),
		0);
	ck_assert_uint_eq(s.port, 69);
	ck_assert_uint_eq(s.inode, 0);
}
END_TEST

START_TEST(test_sock_parse_invalid)
{
	struct pxe_proc_sock s;
	ck_assert_int_eq(pxe_proc_sock_parse("   sl  local_address rem_address   st tx_queue "
					     "rx_queue tr tm->when retrnsmt   uid  timeout inode "
					     "ref pointer drops",
					     &s),
			 -EINVAL);
	ck_assert_int_eq(pxe_proc_sock_parse("", &s), -EINVAL);
	/* an address of neither 8 nor 32 hex digits */
	ck_assert_int_eq(pxe_proc_sock_parse("  1: 0000000:0043 00000000:0000 07 00000000:00000000 "
					     "00:00000000 00000000     0        0 1 2 ffff 0",
					     &s),
			 -EINVAL);
	/* cut before the inode */
	ck_assert_int_eq(
		pxe_proc_sock_parse("  1: 00000000:0043 00000000:0000 07 00000000:00000000 "
				    "00:00000000 00000000     0        0",
				    &s),
		-EINVAL);
}
END_TEST

START_TEST(test_fd_link)
{
	ck_assert(pxe_fd_link_is_socket("socket:[48151]", 48151));
	ck_assert(!pxe_fd_link_is_socket("socket:[48151]", 4815));
	ck_assert(!pxe_fd_link_is_socket("socket:[481510]", 48151));
	ck_assert(!pxe_fd_link_is_socket("socket:[48151", 48151));
	ck_assert(!pxe_fd_link_is_socket("socket:[48151]x", 48151));
	ck_assert(!pxe_fd_link_is_socket("socket:[ 48151]", 48151));
	ck_assert(!pxe_fd_link_is_socket("socket:[-48151]", (unsigned long)-48151));
	ck_assert(!pxe_fd_link_is_socket("/var/lib/socket:[48151]", 48151));
	ck_assert(!pxe_fd_link_is_socket("anon_inode:[eventpoll]", 48151));
	ck_assert(!pxe_fd_link_is_socket(NULL, 48151));
}
END_TEST

/* ------------------------------------------------------- /proc/locks */

START_TEST(test_lock_parse)
{
	struct pxe_proc_lock l;
	ck_assert_int_eq(pxe_proc_lock_parse("1: FLOCK  ADVISORY  WRITE 1234 08:01:5678 0 EOF", &l),
			 0);
	ck_assert_str_eq(l.kind, "FLOCK");
	ck_assert(!l.blocked);
	ck_assert(l.write);
	ck_assert_int_eq(l.pid, 1234);
	ck_assert_uint_eq(l.major, 8);
	ck_assert_uint_eq(l.minor, 1);
	ck_assert_uint_eq(l.inode, 5678);
	/* the device is hex: 00:2a is minor 42 (tmpfs) */
	ck_assert_int_eq(pxe_proc_lock_parse("12: POSIX  ADVISORY  READ 77 00:2a:123456 0 100", &l),
			 0);
	ck_assert_str_eq(l.kind, "POSIX");
	ck_assert(!l.write);
	ck_assert_uint_eq(l.minor, 42);
	ck_assert_uint_eq(l.inode, 123456);
	/* a request waiting for lock 1 */
	ck_assert_int_eq(
		pxe_proc_lock_parse("1: -> FLOCK  ADVISORY  WRITE 999 08:01:5678 0 EOF", &l), 0);
	ck_assert(l.blocked);
	ck_assert_int_eq(l.pid, 999);
	/* a holder in another pid namespace */
	ck_assert_int_eq(pxe_proc_lock_parse("3: FLOCK  ADVISORY  WRITE -1 fd:00:42 0 EOF", &l), 0);
	ck_assert_int_eq(l.pid, -1);
	ck_assert_uint_eq(l.major, 0xfd);
	ck_assert_int_eq(pxe_proc_lock_parse("", &l), -EINVAL);
	ck_assert_int_eq(pxe_proc_lock_parse("1: FLOCK  ADVISORY  WRITE", &l), -EINVAL);
	ck_assert_int_eq(pxe_proc_lock_parse("x: FLOCK  ADVISORY  WRITE 1 08:01:2 0 EOF", &l),
			 -EINVAL);
}
END_TEST

START_TEST(test_describe)
{
	char buf[96];
	struct pxe_holder h = {.pid = 1234, .comm = "pxe-tftpd"};
	pxe_holder_describe(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, " (held by pxe-tftpd, pid 1234)");
	h.comm[0] = '\0';
	pxe_holder_describe(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, " (held by pid 1234)");
	h.pid = -1;
	pxe_holder_describe(&h, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
	pxe_holder_describe(NULL, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* ----------------------------------------------------- /proc readers */

/* A child that binds 127.0.0.1:0 (type), reports the port on a pipe and
 * waits until killed. */
static pid_t holder_child(int type, int *port)
{
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct pxe_sockaddr a;
		pxe_addr_parse("127.0.0.1:0", 0, &a);
		int fd = pxe_sock_bind(&a, type, 0, 0);
		struct sockaddr_storage ss;
		socklen_t len = sizeof(ss);
		int v = fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0
				? pxe_addr_port((struct sockaddr *)&ss)
				: -1;
		if (write(p[1], &v, sizeof(v)) != sizeof(v))
			_exit(1);
		for (int i = 0; i < 100; i++) /* bounded: 10 s */
			usleep(100000);
		_exit(0);
	}
	close(p[1]);
	ck_assert_int_eq(read(p[0], port, sizeof(*port)), sizeof(*port));
	close(p[0]);
	ck_assert_int_gt(*port, 0);
	return pid;
}

static void reap(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

START_TEST(test_port_holder_live)
{
	static const int types[] = {SOCK_DGRAM, SOCK_STREAM};
	for (size_t i = 0; i < 2; i++) {
		int port;
		pid_t pid = holder_child(types[i], &port);
		struct pxe_holder h;
		ck_assert_int_eq(pxe_port_holder(types[i], port, &h), 0);
		ck_assert_int_eq(h.pid, pid);
		ck_assert_str_ne(h.comm, "");

		/* the message a second server prints */
		struct pxe_sockaddr a;
		char msg[256], want[128];
		pxe_addr_parse("127.0.0.1", port, &a);
		int fd = pxe_sock_bind(&a, types[i],
				       types[i] == SOCK_STREAM ? PXE_SOCK_REUSEADDR : 0, 0);
		ck_assert_int_eq(fd, -EADDRINUSE);
		pxe_bind_error(msg, sizeof(msg), &a.u.sa, types[i], fd);
		snprintf(want, sizeof(want), "listen 127.0.0.1:%d/%s: Address already in use", port,
			 types[i] == SOCK_STREAM ? "tcp" : "udp");
		ck_assert_int_eq(strncmp(msg, want, strlen(want)), 0);
		snprintf(want, sizeof(want), ", pid %ld)", (long)pid);
		ck_assert_ptr_nonnull(strstr(msg, want));
		reap(pid);
	}
}
END_TEST

START_TEST(test_port_holder_none)
{
	/* a port nobody has; and our own sockets are not "another" holder */
	struct pxe_sockaddr a;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	pxe_addr_parse("127.0.0.1:0", 0, &a);
	int fd = pxe_sock_bind(&a, SOCK_DGRAM, 0, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)&ss, &len), 0);
	int port = pxe_addr_port((struct sockaddr *)&ss);
	struct pxe_holder h;
	ck_assert_int_eq(pxe_port_holder(SOCK_DGRAM, port, &h), -ENOENT);
	ck_assert_int_eq(h.pid, -1);
	close(fd);
	ck_assert_int_eq(pxe_port_holder(SOCK_DGRAM, port, &h), -ENOENT);

	char msg[256];
	pxe_bind_error(msg, sizeof(msg), &a.u.sa, SOCK_DGRAM, EADDRINUSE);
	ck_assert_str_eq(msg, "listen 127.0.0.1:0/udp: Address already in use");
	pxe_bind_error(msg, sizeof(msg), &a.u.sa, SOCK_STREAM, -EACCES);
	ck_assert_str_eq(msg, "listen 127.0.0.1:0/tcp: Permission denied");
}
END_TEST

/* flock(2) locks belong to the open file description: two open(2)s of one
 * file in one process conflict like two processes do. */
START_TEST(test_flock_holder)
{
	char *dir = unit_tmpdir();
	char path[4200];
	snprintf(path, sizeof(path), "%s/f.lock", dir);
	int a = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	int b = open(path, O_RDWR | O_CLOEXEC);
	ck_assert_int_ge(a, 0);
	ck_assert_int_ge(b, 0);
	struct pxe_holder h;
	ck_assert_int_eq(pxe_flock_holder(b, &h), -ENOENT);
	ck_assert_int_eq(flock(a, LOCK_EX | LOCK_NB), 0);
	ck_assert_int_eq(flock(b, LOCK_EX | LOCK_NB), -1);
	ck_assert_int_eq(errno, EWOULDBLOCK);
	ck_assert_int_eq(pxe_flock_holder(b, &h), 0);
	ck_assert_int_eq(h.pid, getpid());
	ck_assert_str_ne(h.comm, "");
	/* a dup shares the description and its lock: no conflict */
	int c = dup(a);
	ck_assert_int_eq(flock(c, LOCK_EX | LOCK_NB), 0);
	close(c);
	close(a); /* the last reference to the description: lock released */
	ck_assert_int_eq(flock(b, LOCK_EX | LOCK_NB), 0);
	close(b);
	unit_tmpdir_remove(dir);
}
END_TEST

UNIT_SUITE(holder)
{
	Suite *s = suite_create("holder");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_sock_parse);
	tcase_add_test(tc, test_sock_parse_invalid);
	tcase_add_test(tc, test_fd_link);
	tcase_add_test(tc, test_lock_parse);
	tcase_add_test(tc, test_describe);
	tcase_add_test(tc, test_port_holder_live);
	tcase_add_test(tc, test_port_holder_none);
	tcase_add_test(tc, test_flock_holder);
	suite_add_tcase(s, tc);
	return s;
}
