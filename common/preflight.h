/* SPDX-License-Identifier: MIT */
/* What a daemon will need at start, checked before it starts: the files it
 * opens and the user and group it switches to. --check-config runs these
 * through the option tables (opts.h, pxe_opt.check), and so does the start
 * itself, so that both fail with the same sentence (docs/ARCHITECTURE.md,
 * "What every daemon does").
 *
 * Each returns 0, or -errno with err saying what is wrong with the value
 * ("/srv/tftp: not a directory", "no such user 'pxe'"); the caller adds
 * where the value came from and its key. Paths are checked as given, from
 * the current directory, as the daemons open them before any chroot. */
#ifndef PXE_PREFLIGHT_H
#define PXE_PREFLIGHT_H

#include "err.h"

/* path opens for reading and is a regular file. */
int pxe_check_readable_file(const char *path, struct pxe_err *err);
/* path is a directory (opened as the daemons open it, O_PATH). */
int pxe_check_dir(const char *path, struct pxe_err *err);
/* The tree a daemon serves: a directory or an ISO 9660 image file
 * (common/root.h; the image is indexed, so a corrupt one fails here). */
int pxe_check_served_root(const char *path, struct pxe_err *err);
/* name is a user in the passwd database, or a numeric id (as
 * pxe_privileges_drop takes it). -ENOENT when neither. */
int pxe_check_user(const char *name, struct pxe_err *err);
/* name is a group in the group database, or a numeric id. */
int pxe_check_group(const char *name, struct pxe_err *err);

#endif
