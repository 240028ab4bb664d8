/* SPDX-License-Identifier: MIT */
/* The lease file's lock and directory (see journal_lock.h). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "holder.h"
#include "journal_lock.h"

int dhcp_journal_mkdir(const char *leasefile, struct pxe_err *err)
{
	char *copy = strdup(leasefile);
	if (!copy)
		return pxe_err_set(err, ENOMEM, "out of memory");
	const char *dir = dirname(copy);
	int r = 0;
	if (mkdir(dir, 0750) == 0)
		r = 1;
	else if (errno != EEXIST)
		r = pxe_err_set(err, errno, "%s: cannot create the lease file's directory: %s", dir,
				strerror(errno));
	free(copy);
	return r;
}

/* "FILE: locked by another pxe-dhcpd (pid N)" */
static int locked_error(const char *leasefile, int fd, struct pxe_err *err)
{
	struct pxe_holder h;
	char who[80] = "another pxe-dhcpd";
	if (pxe_flock_holder(fd, &h) == 0) {
		if (h.comm[0] && strcmp(h.comm, "pxe-dhcpd") != 0)
			snprintf(who, sizeof(who), "%s (pid %ld)", h.comm, h.pid);
		else
			snprintf(who, sizeof(who), "another pxe-dhcpd (pid %ld)", h.pid);
	}
	return pxe_err_set(err, EWOULDBLOCK, "%s: locked by %s", leasefile, who);
}

int dhcp_journal_lock(const char *leasefile, struct pxe_err *err)
{
	char path[4096];
	if (snprintf(path, sizeof(path), "%s.lock", leasefile) >= (int)sizeof(path))
		return pxe_err_set(err, ENAMETOOLONG, "%s: name too long", leasefile);
	/* flock(2) needs no write access: read-only, and 0600 so that no other
	 * user can take the lock and keep the server from starting */
	int r, fd = open(path, O_RDONLY | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
	if (fd < 0)
		return pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	r = errno == EWOULDBLOCK ? locked_error(leasefile, fd, err)
				 : pxe_err_set(err, errno, "%s: flock: %s", path, strerror(errno));
	close(fd);
	return r;
}

int dhcp_journal_abspath(char **path)
{
	char cwd[4096], *p;
	if ((*path)[0] == '/')
		return 0;
	if (!getcwd(cwd, sizeof(cwd)) || asprintf(&p, "%s/%s", cwd, *path) < 0)
		return -errno;
	free(*path);
	*path = p;
	return 0;
}
