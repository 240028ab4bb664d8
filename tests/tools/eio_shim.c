/* SPDX-License-Identifier: MIT */
/* An LD_PRELOAD shim for fault tests (tests/integration/dhcpd_eio.sh):
 * write, pwrite, fsync and fdatasync on one file fail with EIO while a
 * control file exists, the way a disk that stops taking writes fails them
 * (a medium error, a device-mapper "error" target, a pulled USB stick).
 *   EIO_SHIM_PATH     the file: a descriptor whose /proc/self/fd link names
 *                     it, or a name that starts with it (its ".tmp" sibling
 *                     of a compaction), is faulted
 *   EIO_SHIM_CONTROL  while this file exists, the calls fail; when it
 *                     starts with "sync", only fsync and fdatasync do (the
 *                     write lands in the page cache and its flush fails:
 *                     fsync(2), ERRORS); with "short", a write of n bytes
 *                     writes n/2 of them (and one of a single byte fails),
 *                     so a batch ends up on disk but for its last byte, and
 *                     ftruncate fails too: the fragment cannot be cut off
 * Without both variables every call goes straight through. Only calls that
 * reach these symbols are seen: stdio's own writes (fwrite into a FILE)
 * are not, but the fsync that must follow them is.
 *
 * Under an ASan build the sanitizer's interceptors call the next
 * definition (dlsym RTLD_NEXT), which is this one, so both work together;
 * a gcc build (libasan.so) needs ASAN_OPTIONS=verify_asan_link_order=0
 * as with libfaketime in dhcpd_clock.sh. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *fault_path(void)
{
	static const char *p;
	static int init;
	if (!init) {
		p = getenv("EIO_SHIM_PATH");
		init = 1;
	}
	return p;
}

enum { OFF, ALL, SYNC, SHORT };

/* The control file's mode. */
static int mode(const char *ctl)
{
	int fd = open(ctl, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return OFF;
	char b[5] = "";
	ssize_t n = read(fd, b, sizeof(b));
	close(fd);
	if (n >= 4 && memcmp(b, "sync", 4) == 0)
		return SYNC;
	if (n >= 5 && memcmp(b, "short", 5) == 0)
		return SHORT;
	return ALL;
}

/* The mode in force for a call on fd: OFF unless the control file exists
 * and fd is the faulted file, checked in that order so the common case
 * costs one failed open() and no readlink. errno is left as it was. */
static int fault_mode(int fd)
{
	const char *path = fault_path();
	const char *ctl = getenv("EIO_SHIM_CONTROL");
	if (!path || !ctl)
		return OFF;
	int saved = errno;
	int m = mode(ctl);
	if (m != OFF) {
		char link[64], name[PATH_MAX];
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		ssize_t n = readlink(link, name, sizeof(name) - 1);
		if (n <= 0 || strncmp(name, path, strlen(path)) != 0)
			m = OFF;
	}
	errno = saved;
	return m;
}

/* For a write of n bytes: -1 (fail with EIO), or how many to write. */
static ssize_t write_fault(int fd, size_t n)
{
	switch (fault_mode(fd)) {
	case ALL: return -1;
	case SHORT: return n >= 2 ? (ssize_t)(n / 2) : -1;
	default: return (ssize_t)n;
	}
}

static int sync_fault(int fd)
{
	int m = fault_mode(fd);
	return m == ALL || m == SYNC || m == SHORT;
}

/* The next definition of a symbol (libc's, or the sanitizer's). */
static void *next(const char *name)
{
	return dlsym(RTLD_NEXT, name);
}

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef int (*sync_fn)(int);

ssize_t write(int fd, const void *buf, size_t n)
{
	static write_fn real;
	if (!real)
		real = (write_fn)next("write");
	ssize_t k = write_fault(fd, n);
	if (k < 0) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, (size_t)k);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	static pwrite_fn real;
	if (!real)
		real = (pwrite_fn)next("pwrite");
	ssize_t k = write_fault(fd, n);
	if (k < 0) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, (size_t)k, off);
}

/* _FILE_OFFSET_BITS=64 builds (the daemons) call pwrite64 and ftruncate64;
 * this file is built without it, so both names can be defined. */
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static pwrite64_fn real;
	if (!real)
		real = (pwrite64_fn)next("pwrite64");
	ssize_t k = write_fault(fd, n);
	if (k < 0) {
		errno = EIO;
		return -1;
	}
	return real(fd, buf, (size_t)k, off);
}

int fsync(int fd)
{
	static sync_fn real;
	if (!real)
		real = (sync_fn)next("fsync");
	if (sync_fault(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int fdatasync(int fd)
{
	static sync_fn real;
	if (!real)
		real = (sync_fn)next("fdatasync");
	if (sync_fault(fd)) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

/* Only in "short" mode: the fragment of a write cut short stays. */
typedef int (*truncate_fn)(int, off_t);
typedef int (*truncate64_fn)(int, off64_t);
int ftruncate(int fd, off_t len)
{
	static truncate_fn real;
	if (!real)
		real = (truncate_fn)next("ftruncate");
	if (fault_mode(fd) == SHORT) {
		errno = EIO;
		return -1;
	}
	return real(fd, len);
}

int ftruncate64(int fd, off64_t len)
{
	static truncate64_fn real;
	if (!real)
		real = (truncate64_fn)next("ftruncate64");
	if (fault_mode(fd) == SHORT) {
		errno = EIO;
		return -1;
	}
	return real(fd, len);
}
