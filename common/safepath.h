/* Resolve a client-supplied path under a served root, and open it.
 * Shared by pxe-tftpd and pxe-httpd, fuzzed in tests/fuzz/.
 *
 * Two steps:
 * 1. pxe_path_clean(): pure lexical normalisation of the request string
 *    (optional '\' -> '/', optional lowercasing, strip leading '/', collapse
 *    '//' and '.', resolve 'a/../b', refuse NUL bytes and any '..' that would
 *    climb above the root).
 * 2. pxe_path_open(): open the cleaned relative path beneath a root
 *    directory fd. openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) where the
 *    kernel has it; else a component-by-component walk with O_NOFOLLOW that
 *    follows a symlink only when its target stays inside the root.
 * Percent-decoding is the caller's business (HTTP); decode first, clean after. */
#ifndef PXE_SAFEPATH_H
#define PXE_SAFEPATH_H

#include <stddef.h>
#include <sys/stat.h>

#define PXE_PATH_BACKSLASH 0x01 /* treat '\' as '/' (Windows-style PXE clients) */
#define PXE_PATH_LOWERCASE 0x02 /* fold A-Z to a-z */
#define PXE_PATH_MAX 4096

/* in/len: raw bytes (may contain NUL: refused). out gets a NUL-terminated
 * relative path without leading '/', or "" for the root itself.
 * Returns the length of out, or -EINVAL (NUL byte, empty after a '..'
 * escape attempt is -EACCES), -EACCES (escape above root),
 * -ENAMETOOLONG (does not fit cap or PXE_PATH_MAX). */
int pxe_path_clean(const char *in, size_t len, unsigned flags, char *out, size_t cap);

/* Open rel (output of pxe_path_clean) beneath rootfd with open_flags
 * (O_RDONLY, O_DIRECTORY, O_WRONLY|O_CREAT ... plus O_CLOEXEC implied).
 * An absolute rel is -EINVAL. A symlink whose target leaves the root is
 * -EACCES (as is any escape). When st is non-NULL it is filled by fstat.
 * Returns the fd or -errno (-ENOENT, -EACCES, -ELOOP, -ENOTDIR ...). */
int pxe_path_open(int rootfd, const char *rel, int open_flags, unsigned mode, struct stat *st);

/* Both steps at once. */
int pxe_path_resolve_open(int rootfd, const char *in, size_t len, unsigned flags,
			  int open_flags, unsigned mode, struct stat *st);

#endif
