/* SPDX-License-Identifier: MIT */
#include "preflight.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "root.h"

/* What a non-regular file is, for the message. */
static const char *kind_of(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

int pxe_check_readable_file(const char *path, struct pxe_err *err)
{
	/* O_NONBLOCK: a FIFO given by mistake must not hang the check. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	struct stat st;
	int r = fstat(fd, &st) < 0 ? -errno : 0;
	close(fd);
	if (r < 0)
		return pxe_err_set(err, -r, "%s: %s", path, strerror(-r));
	if (!S_ISREG(st.st_mode))
		return pxe_err_set(err, S_ISDIR(st.st_mode) ? EISDIR : EINVAL,
				   "%s: expected a regular file, found %s", path,
				   kind_of(st.st_mode));
	return 0;
}

int pxe_check_dir(const char *path, struct pxe_err *err)
{
	int fd = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	int e = errno;
	if (e == ENOTDIR)
		return pxe_err_set(err, e, "%s: not a directory", path);
	return pxe_err_set(err, e, "%s: %s", path, strerror(e));
}

int pxe_check_served_root(const char *path, struct pxe_err *err)
{
	/* Open it as the daemons will: an image is indexed whole, so a
	 * truncated or corrupt one fails here with the reader's sentence. */
	struct pxe_root *r;
	int e = pxe_root_open(&r, path, err);
	pxe_root_unref(r);
	return e;
}

/* "65534" -> true; as pxe_privileges_drop reads ids (common/daemon.c). */
static bool is_id(const char *s)
{
	if (*s < '0' || *s > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	return !errno && !*end && v < (unsigned long)(uid_t)-1;
}

/* getpwnam(3)/getgrnam(3): NULL with errno 0, ENOENT, ESRCH, EBADF or
 * EPERM means "no such entry"; anything else is a failed lookup. */
static bool lookup_failed(int e)
{
	return e != 0 && e != ENOENT && e != ESRCH && e != EBADF && e != EPERM;
}

int pxe_check_user(const char *name, struct pxe_err *err)
{
	if (!*name)
		return pxe_err_set(err, EINVAL, "expected a user name or number, got ''");
	errno = 0;
	if (getpwnam(name))
		return 0;
	int e = errno;
	if (is_id(name))
		return 0;
	if (lookup_failed(e))
		return pxe_err_set(err, e, "looking up user '%s': %s", name, strerror(e));
	return pxe_err_set(err, ENOENT, "no such user '%s'", name);
}

int pxe_check_group(const char *name, struct pxe_err *err)
{
	if (!*name)
		return pxe_err_set(err, EINVAL, "expected a group name or number, got ''");
	errno = 0;
	if (getgrnam(name))
		return 0;
	int e = errno;
	if (is_id(name))
		return 0;
	if (lookup_failed(e))
		return pxe_err_set(err, e, "looking up group '%s': %s", name, strerror(e));
	return pxe_err_set(err, ENOENT, "no such group '%s'", name);
}
