/* SPDX-License-Identifier: MIT */
/* common/safepath.c: lexical cleaning, and opening beneath a root through
 * both openat2 and the fallback walk, which must agree on every case. The
 * tree has files next to the root (outside.txt, outdir/secret) that no case
 * may ever open. */
#include "unit.h"

#include "safepath.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define BS PXE_PATH_BACKSLASH
#define LC PXE_PATH_LOWERCASE

/* ---------------------------------------------------------------- clean */

struct clean_case {
	const char *in;
	int len; /* -1: strlen(in) */
	unsigned flags;
	int ret; /* length, or -errno */
	const char *out;
};

static const struct clean_case clean_cases[] = {
	{"pxelinux.0", -1, 0, 10, "pxelinux.0"},
	{"/pxelinux.0", -1, 0, 10, "pxelinux.0"},
	{"///pxelinux.0", -1, 0, 10, "pxelinux.0"},
	{"//a//b", -1, 0, 3, "a/b"},
	{"./a", -1, 0, 1, "a"},
	{"a/./b", -1, 0, 3, "a/b"},
	{"a/../b", -1, 0, 1, "b"},
	{"a/b/../../c", -1, 0, 1, "c"},
	{"a/b/../c/./d/", -1, 0, 5, "a/c/d"},
	{"a/", -1, 0, 1, "a"},
	{"a/..", -1, 0, 0, ""},
	{"", -1, 0, 0, ""},
	{"/", -1, 0, 0, ""},
	{".", -1, 0, 0, ""},
	{"./", -1, 0, 0, ""},
	{"../x", -1, 0, -EACCES, ""},
	{"a/../../x", -1, 0, -EACCES, ""},
	{"a/b/../../..", -1, 0, -EACCES, ""},
	{"/../x", -1, 0, -EACCES, ""},
	{"..", -1, 0, -EACCES, ""},
	{"/..", -1, 0, -EACCES, ""},
	{"...", -1, 0, 3, "..."},
	{"....", -1, 0, 4, "...."},
	{"a/..b", -1, 0, 5, "a/..b"},
	{"a/b..", -1, 0, 5, "a/b.."},
	{".a/.b", -1, 0, 5, ".a/.b"},
	{"a\0b", 3, 0, -EINVAL, ""},
	{"a.cfg\0.txt", 10, 0, -EINVAL, ""},
	{"\0", 1, 0, -EINVAL, ""},
	{"../\0", 4, 0, -EINVAL, ""},
	{"abc", 2, 0, 2, "ab"},
	/* '\' is an ordinary byte unless asked for */
	{"\\boot\\pxelinux.0", -1, 0, 16, "\\boot\\pxelinux.0"},
	{"..\\..\\etc\\passwd", -1, 0, 16, "..\\..\\etc\\passwd"},
	{"\\boot\\pxelinux.0", -1, BS, 15, "boot/pxelinux.0"},
	{"..\\..\\etc\\passwd", -1, BS, -EACCES, ""},
	{"a\\..\\..\\x", -1, BS, -EACCES, ""},
	{"a\\/\\b", -1, BS, 3, "a/b"},
	{"BOOT/PXELinux.0", -1, 0, 15, "BOOT/PXELinux.0"},
	{"BOOT/PXELinux.0", -1, LC, 15, "boot/pxelinux.0"},
	{"\\BOOT\\BCD", -1, BS | LC, 8, "boot/bcd"},
	{"Caf\xC3\x89/Z", -1, LC, 7, "caf\xC3\x89/z"}, /* ASCII only */
	{"[@`{]", -1, LC, 5, "[@`{]"},
};

static void check_clean(const struct clean_case *c, size_t cap)
{
	char out[PXE_PATH_MAX];
	size_t len = c->len < 0 ? strlen(c->in) : (size_t)c->len;
	memset(out, 'Z', sizeof(out));
	int r = pxe_path_clean(c->in, len, c->flags, out, cap);
	ck_assert_msg(r == c->ret, "clean(\"%s\", %#x): got %d want %d", c->in, c->flags, r,
		      c->ret);
	ck_assert_str_eq(out, c->out);
}

START_TEST(test_clean_table)
{
	check_clean(&clean_cases[_i], PXE_PATH_MAX);
}
END_TEST

START_TEST(test_clean_cap)
{
	char out[8];
	static const struct clean_case fits = {"/abcdefg", -1, 0, 7, "abcdefg"};
	static const struct clean_case tight = {"/abcdefgh", -1, 0, -ENAMETOOLONG, ""};
	check_clean(&fits, sizeof(out));
	check_clean(&tight, sizeof(out));
	ck_assert_int_eq(pxe_path_clean("a", 1, 0, out, 0), -ENAMETOOLONG);
	ck_assert_int_eq(pxe_path_clean("", 0, 0, out, 1), 0);
	ck_assert_int_eq(pxe_path_clean("a", 1, 0, out, 1), -ENAMETOOLONG);
	ck_assert_int_eq(pxe_path_clean("a", 1, 0, NULL, 8), -EINVAL);
	ck_assert_int_eq(pxe_path_clean(NULL, 0, 0, out, 8), 0);
	ck_assert_int_eq(pxe_path_clean(NULL, 1, 0, out, 8), -EINVAL);
	/* a bigger cap does not lift PXE_PATH_MAX */
	char *big = malloc(3 * PXE_PATH_MAX);
	ck_assert_ptr_nonnull(big);
	memset(big, 'a', 2 * PXE_PATH_MAX);
	for (size_t i = 100; i < 2 * PXE_PATH_MAX; i += 100)
		big[i] = '/';
	ck_assert_int_eq(
		pxe_path_clean(big, 2 * PXE_PATH_MAX, 0, big + 2 * PXE_PATH_MAX, PXE_PATH_MAX),
		-ENAMETOOLONG);
	free(big);
}
END_TEST

/* n names of NAME_MAX bytes joined by '/', the last one extra bytes longer. */
static char *long_path(int n, int extra)
{
	size_t len = (size_t)n * (NAME_MAX + 1) - 1 + (size_t)extra;
	char *p = malloc(len + 1);
	ck_assert_ptr_nonnull(p);
	memset(p, 'x', len);
	for (int i = 1; i < n; i++)
		p[(size_t)i * (NAME_MAX + 1) - 1] = '/';
	p[len] = '\0';
	return p;
}

START_TEST(test_clean_long)
{
	char out[PXE_PATH_MAX];
	char *p = long_path(1, 0); /* one name of NAME_MAX */
	ck_assert_int_eq(pxe_path_clean(p, strlen(p), 0, out, sizeof(out)), NAME_MAX);
	free(p);
	p = long_path(1, 1); /* NAME_MAX + 1 */
	ck_assert_int_eq(pxe_path_clean(p, strlen(p), 0, out, sizeof(out)), -ENAMETOOLONG);
	free(p);
	p = long_path(16, 0); /* 16 * 256 - 1 = 4095 bytes: just fits */
	ck_assert_int_eq(strlen(p), PXE_PATH_MAX - 1);
	ck_assert_int_eq(pxe_path_clean(p, strlen(p), 0, out, sizeof(out)), PXE_PATH_MAX - 1);
	ck_assert_str_eq(out, p);
	free(p);
	p = long_path(17, 0);
	ck_assert_int_eq(pxe_path_clean(p, strlen(p), 0, out, sizeof(out)), -ENAMETOOLONG);
	free(p);
	/* a long request that cleans to something short is fine */
	size_t n = 100000;
	p = malloc(n + 1);
	ck_assert_ptr_nonnull(p);
	for (size_t i = 0; i < n; i += 5)
		memcpy(p + i, "a/../", 5);
	ck_assert_int_eq(pxe_path_clean(p, n, 0, out, sizeof(out)), 0);
	free(p);
}
END_TEST

/* ---------------------------------------------------------------- tree */

static char *tmp;
static int rootfd = -1;

static void mk_file(const char *rel, const char *content)
{
	ck_assert_int_eq(unit_write_file(tmp, rel, content), 0);
}

static void mk_link(const char *target, const char *rel)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/root/%s", tmp, rel);
	ck_assert_msg(symlink(target, path) == 0, "symlink %s: %s", path, strerror(errno));
}

static void tree_links(void)
{
	char abs[PATH_MAX];
	mk_link("sub/b.txt", "link_in");
	mk_link("../a.txt", "sub/up");
	mk_link("sub", "dirlink");
	mk_link("sub/deep", "deeplink");
	mk_link("..", "sub/dotdot");
	mk_link("../..", "sub/rootup");
	mk_link("../outside.txt", "esc");
	mk_link("../outdir", "escdir");
	mk_link("../../outside.txt", "sub/esc2");
	mk_link("../created_outside", "escnew");
	mk_link("sub/created_inside", "innew");
	mk_link("nothere", "dangling");
	mk_link("loop2", "loop1");
	mk_link("loop1", "loop2");
	mk_link("self", "self");
	snprintf(abs, sizeof(abs), "%s/outside.txt", tmp);
	mk_link(abs, "abs");
	snprintf(abs, sizeof(abs), "%s/outdir", tmp);
	mk_link(abs, "absdir");
	snprintf(abs, sizeof(abs), "%s/root/a.txt", tmp); /* inside, yet absolute */
	mk_link(abs, "absin");
	snprintf(abs, sizeof(abs), "%s/created_abs", tmp);
	mk_link(abs, "absnew");
}

/* chain00 -> chain01 -> ... -> chain39 -> a.txt is 40 links, the most
 * Linux follows; chainx -> chain00 is one too many. */
static void tree_chain(void)
{
	char name[32], target[32];
	for (int i = 0; i < 40; i++) {
		snprintf(name, sizeof(name), "chain%02d", i);
		snprintf(target, sizeof(target), "chain%02d", i + 1);
		mk_link(i == 39 ? "a.txt" : target, name);
	}
	mk_link("chain00", "chainx");
}

static void tree_setup(void)
{
	char path[PATH_MAX];
	tmp = unit_tmpdir();
	ck_assert_ptr_nonnull(tmp);
	mk_file("outside.txt", "outside");
	mk_file("outdir/secret", "secret");
	mk_file("root/a.txt", "A");
	mk_file("root/sub/b.txt", "B");
	mk_file("root/sub/deep/c.txt", "C");
	mk_file("root/....", "dots");
	mk_file("root/a/..b", "dotb");
	tree_links();
	tree_chain();
	snprintf(path, sizeof(path), "%s/root", tmp);
	rootfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ck_assert_int_ge(rootfd, 0);
}

static void tree_teardown(void)
{
	close(rootfd);
	rootfd = -1;
	unit_tmpdir_remove(tmp);
	tmp = NULL;
}

typedef int (*open_fn)(int, const char *, int, unsigned, struct stat *);
static const struct {
	const char *name;
	open_fn fn;
} impls[] = {
	{"pxe_path_open", pxe_path_open},
	{"pxe_path_open_walk", pxe_path_open_walk},
};
#define N_IMPLS 2

/* ---------------------------------------------------------------- open */

struct open_case {
	const char *rel;
	int flags;
	int ret;             /* 0: success, else -errno */
	const char *content; /* success: file content, NULL for a directory */
};

static const struct open_case open_cases[] = {
	{"a.txt", O_RDONLY, 0, "A"},
	{"sub/b.txt", O_RDONLY, 0, "B"},
	{"sub/deep/c.txt", O_RDONLY, 0, "C"},
	{"sub/./deep//c.txt", O_RDONLY, 0, "C"},
	{"./a.txt", O_RDONLY, 0, "A"},
	{"....", O_RDONLY, 0, "dots"},
	{"a/..b", O_RDONLY, 0, "dotb"},
	{"sub/../a.txt", O_RDONLY, 0, "A"},
	{"", O_RDONLY | O_DIRECTORY, 0, NULL},
	{".", O_RDONLY, 0, NULL},
	{"sub", O_RDONLY | O_DIRECTORY, 0, NULL},
	{"sub/", O_RDONLY, 0, NULL},
	{"sub/..", O_RDONLY, 0, NULL},
	{"a.txt", O_RDONLY | O_DIRECTORY, -ENOTDIR, NULL},
	{"a.txt/", O_RDONLY, -ENOTDIR, NULL},
	{"a.txt/x", O_RDONLY, -ENOTDIR, NULL},
	{"link_in/x", O_RDONLY, -ENOTDIR, NULL},
	{"nope", O_RDONLY, -ENOENT, NULL},
	{"nope/x", O_RDONLY, -ENOENT, NULL},
	{"dangling", O_RDONLY, -ENOENT, NULL},
	{"/a.txt", O_RDONLY, -EINVAL, NULL},
	{"//a.txt", O_RDONLY, -EINVAL, NULL},
	{"..", O_RDONLY, -EACCES, NULL},
	{"../outside.txt", O_RDONLY, -EACCES, NULL},
	{"sub/../../outside.txt", O_RDONLY, -EACCES, NULL},
	/* symlinks that stay inside */
	{"link_in", O_RDONLY, 0, "B"},
	{"sub/up", O_RDONLY, 0, "A"},
	{"dirlink/b.txt", O_RDONLY, 0, "B"},
	{"dirlink", O_RDONLY | O_DIRECTORY, 0, NULL},
	{"dirlink/../a.txt", O_RDONLY, 0, "A"},
	{"deeplink/../b.txt", O_RDONLY, 0, "B"}, /* '..' of sub/deep, not of root */
	{"sub/dotdot/a.txt", O_RDONLY, 0, "A"},
	{"sub/dotdot/sub/dotdot/sub/up", O_RDONLY, 0, "A"},
	{"chain00", O_RDONLY, 0, "A"},
	{"a.txt", O_RDONLY | O_NOFOLLOW, 0, "A"},
	{"link_in", O_RDONLY | O_NOFOLLOW, -ELOOP, NULL},
	/* symlinks that leave */
	{"esc", O_RDONLY, -EACCES, NULL},
	{"sub/esc2", O_RDONLY, -EACCES, NULL},
	{"escdir/secret", O_RDONLY, -EACCES, NULL},
	{"escdir", O_RDONLY | O_DIRECTORY, -EACCES, NULL},
	{"sub/rootup", O_RDONLY, -EACCES, NULL},
	{"sub/rootup/outside.txt", O_RDONLY, -EACCES, NULL},
	{"sub/dotdot/../outside.txt", O_RDONLY, -EACCES, NULL},
	{"abs", O_RDONLY, -EACCES, NULL},
	{"absdir/secret", O_RDONLY, -EACCES, NULL},
	{"absin", O_RDONLY, -EACCES, NULL},
	/* loops */
	{"loop1", O_RDONLY, -ELOOP, NULL},
	{"loop1/x", O_RDONLY, -ELOOP, NULL},
	{"self", O_RDONLY, -ELOOP, NULL},
	{"chainx", O_RDONLY, -ELOOP, NULL},
};
#define N_OPEN_CASES (int)(sizeof(open_cases) / sizeof(open_cases[0]))

static void check_fd(int fd, const struct stat *st, const char *content, const char *what)
{
	char buf[64];
	if (!content) {
		ck_assert_msg(S_ISDIR(st->st_mode), "%s: not a directory", what);
		return;
	}
	ck_assert_msg(S_ISREG(st->st_mode), "%s: not a file", what);
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	ck_assert_msg(strcmp(buf, content) == 0, "%s: read \"%s\" want \"%s\"", what, buf, content);
}

static void check_open(int impl, const char *rel, int flags, unsigned mode, int ret,
		       const char *content)
{
	struct stat st;
	int fd = impls[impl].fn(rootfd, rel, flags, mode, &st);
	if (ret < 0) {
		ck_assert_msg(fd == ret, "%s(\"%s\", %#x): got %d (%s) want %d (%s)",
			      impls[impl].name, rel, flags, fd, strerror(fd < 0 ? -fd : 0), ret,
			      strerror(-ret));
		return;
	}
	ck_assert_msg(fd >= 0, "%s(\"%s\", %#x): got %d (%s)", impls[impl].name, rel, flags, fd,
		      strerror(-fd));
	check_fd(fd, &st, content, rel);
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
}

/* _i runs over cases x implementations. */
START_TEST(test_open_table)
{
	const struct open_case *c = &open_cases[_i / N_IMPLS];
	check_open(_i % N_IMPLS, c->rel, c->flags, 0, c->ret, c->content);
}
END_TEST

static int count_fds(void)
{
	int n = 0;
	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/* Every error path of the walk closes what it opened. */
START_TEST(test_open_no_leak)
{
	int before = count_fds();
	for (int i = 0; i < N_OPEN_CASES; i++) {
		int fd = impls[_i].fn(rootfd, open_cases[i].rel, open_cases[i].flags, 0, NULL);
		if (fd >= 0)
			close(fd);
	}
	ck_assert_int_eq(count_fds(), before);
}
END_TEST

static int exists(const char *rel)
{
	char path[PATH_MAX];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	return lstat(path, &st) == 0;
}

START_TEST(test_open_create)
{
	const int wr = O_WRONLY | O_CREAT, excl = O_WRONLY | O_CREAT | O_EXCL;
	struct stat st;
	int fd = impls[_i].fn(rootfd, "sub/new.txt", excl, 0600, &st);
	ck_assert_int_ge(fd, 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	close(fd);
	check_open(_i, "sub/new.txt", excl, 0600, -EEXIST, NULL);
	ck_assert_int_eq(unlinkat(rootfd, "sub/new.txt", 0), 0);
	/* O_CREAT follows a dangling symlink only while it stays inside */
	check_open(_i, "escnew", wr, 0644, -EACCES, NULL);
	ck_assert(!exists("created_outside"));
	check_open(_i, "absnew", wr, 0644, -EACCES, NULL);
	ck_assert(!exists("created_abs"));
	fd = impls[_i].fn(rootfd, "innew", wr, 0644, NULL);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert(exists("root/sub/created_inside"));
	ck_assert_int_eq(unlinkat(rootfd, "sub/created_inside", 0), 0);
	/* O_CREAT|O_EXCL never follows */
	check_open(_i, "link_in", excl, 0644, -EEXIST, NULL);
	check_open(_i, "dangling", excl, 0644, -EEXIST, NULL);
	check_open(_i, "sub", wr, 0644, -EISDIR, NULL);
	check_open(_i, "nodir/x", wr, 0644, -ENOENT, NULL);
	ck_assert(!exists("root/nothere"));
}
END_TEST

START_TEST(test_open_long)
{
	char *p = long_path(1, 0);
	int fd = openat(rootfd, p, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "L", 1), 1);
	close(fd);
	check_open(_i, p, O_RDONLY, 0, 0, "L");
	ck_assert_int_eq(unlinkat(rootfd, p, 0), 0);
	free(p);
	p = long_path(1, 1);
	check_open(_i, p, O_RDONLY, 0, -ENAMETOOLONG, NULL);
	free(p);
	p = long_path(17, 0);
	check_open(_i, p, O_RDONLY, 0, -ENAMETOOLONG, NULL);
	free(p);
	ck_assert_int_eq(impls[_i].fn(rootfd, NULL, O_RDONLY, 0, NULL), -EINVAL);
	ck_assert_int_eq(impls[_i].fn(-1, "a.txt", O_RDONLY, 0, NULL), -EBADF);
	ck_assert_int_eq(impls[_i].fn(-1, "sub/../a.txt", O_RDONLY, 0, NULL), -EBADF);
}
END_TEST

/* Make openat2 fail with err in this process, as old kernels (ENOSYS) and
 * some container seccomp profiles (EPERM) do. Returns 0 or -1. */
static int deny_openat2(int err)
{
	struct sock_filter prog[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned)err),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fprog = {.len = sizeof(prog) / sizeof(prog[0]), .filter = prog};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -1;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog, 0, 0);
}

/* Count the open_cases pxe_path_open gets wrong without openat2. */
static int open_table_mismatches(void)
{
	int bad = 0;
	for (int i = 0; i < N_OPEN_CASES; i++) {
		const struct open_case *c = &open_cases[i];
		int fd = pxe_path_open(rootfd, c->rel, c->flags, 0, NULL);
		bad += c->ret < 0 ? fd != c->ret : fd < 0;
		if (fd >= 0)
			close(fd);
	}
	return bad;
}

/* pxe_path_open falls back to the walk when openat2 is refused; in a child,
 * since a seccomp filter cannot be removed. */
START_TEST(test_open_fallback)
{
	static const int errs[] = {ENOSYS, EPERM};
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (deny_openat2(errs[_i]) < 0)
			_exit(2);
		if (pxe_path_open(rootfd, "a.txt", O_RDONLY, 0, NULL) < 0 ||
		    syscall(SYS_openat2, rootfd, "a.txt", NULL, 0) != -1 || errno != errs[_i])
			_exit(3);
		_exit(open_table_mismatches() ? 1 : 0);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status), "child died");
	ck_assert_msg(WEXITSTATUS(status) == 0, "errno %d: child status %d", errs[_i],
		      WEXITSTATUS(status));
}
END_TEST

START_TEST(test_resolve_open)
{
	static const struct {
		const char *in;
		int len;
		unsigned flags;
		int ret;
		const char *content;
	} cases[] = {
		{"/sub/b.txt", -1, 0, 0, "B"},
		{"\\SUB\\B.TXT", -1, BS | LC, 0, "B"},
		{"\\sub\\b.txt", -1, 0, -ENOENT, NULL},
		{"/", -1, 0, 0, NULL},
		{"/../outside.txt", -1, 0, -EACCES, NULL},
		{"..\\outside.txt", -1, BS, -EACCES, NULL},
		{"/esc", -1, 0, -EACCES, NULL},
		{"a.txt\0.cfg", 10, 0, -EINVAL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct stat st;
		size_t len = cases[i].len < 0 ? strlen(cases[i].in) : (size_t)cases[i].len;
		int fd = pxe_path_resolve_open(rootfd, cases[i].in, len, cases[i].flags, O_RDONLY,
					       0, &st);
		if (cases[i].ret < 0) {
			ck_assert_msg(fd == cases[i].ret, "resolve(\"%s\"): got %d want %d",
				      cases[i].in, fd, cases[i].ret);
			continue;
		}
		ck_assert_msg(fd >= 0, "resolve(\"%s\"): got %d", cases[i].in, fd);
		check_fd(fd, &st, cases[i].content, cases[i].in);
		close(fd);
	}
}
END_TEST

UNIT_SUITE(safepath)
{
	Suite *s = suite_create("safepath");
	TCase *tc = tcase_create("clean");
	tcase_add_loop_test(tc, test_clean_table, 0,
			    (int)(sizeof(clean_cases) / sizeof(clean_cases[0])));
	tcase_add_test(tc, test_clean_cap);
	tcase_add_test(tc, test_clean_long);
	suite_add_tcase(s, tc);

	tc = tcase_create("open");
	tcase_add_unchecked_fixture(tc, tree_setup, tree_teardown);
	tcase_add_loop_test(tc, test_open_table, 0, N_OPEN_CASES * N_IMPLS);
	tcase_add_loop_test(tc, test_open_create, 0, N_IMPLS);
	tcase_add_loop_test(tc, test_open_no_leak, 0, N_IMPLS);
	tcase_add_loop_test(tc, test_open_fallback, 0, 2);
	tcase_add_loop_test(tc, test_open_long, 0, N_IMPLS);
	tcase_add_test(tc, test_resolve_open);
	suite_add_tcase(s, tc);
	return s;
}
