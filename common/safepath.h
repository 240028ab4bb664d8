/* SPDX-License-Identifier: MIT */
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
#define PXE_PATH_MAX       4096

/* in/len: raw bytes (may contain NUL: refused). out gets a NUL-terminated
 * relative path: leading '/'s stripped (TFTP clients send "/pxelinux.0"),
 * "//", "." and a trailing '/' dropped, "a/../b" resolved lexically; "" is
 * the root itself. Lowercasing folds ASCII A-Z only. Without
 * PXE_PATH_BACKSLASH a '\' is an ordinary byte of a name.
 * Returns the length of out (< cap), or
 *   -EINVAL        a NUL byte in in[0..len),
 *   -EACCES        a '..' that would climb above the root,
 *   -ENAMETOOLONG  result does not fit cap or PXE_PATH_MAX (with its NUL),
 *                  or a component is longer than NAME_MAX.
 * On error out is "" (when cap > 0). */
int pxe_path_clean(const char *in, size_t len, unsigned flags, char *out, size_t cap);

/* Open rel (output of pxe_path_clean, though '..' that stays inside is
 * accepted too) beneath rootfd with open_flags (O_RDONLY, O_DIRECTORY,
 * O_WRONLY|O_CREAT ...; O_CLOEXEC is always added; mode is used only with
 * O_CREAT/O_TMPFILE). "" opens the root itself. An absolute rel is -EINVAL.
 * A symlink is followed only while it stays beneath the root: one whose
 * target leaves it, or is absolute at all, is -EACCES (as is any escape);
 * more than 40 symlinks is -ELOOP. When st is non-NULL it is filled by
 * fstat. A FIFO blocks the open as with open(2): servers pass O_NONBLOCK
 * and then refuse what st says is not S_ISREG.
 * Returns the fd or -errno (-ENOENT, -EACCES, -ELOOP, -ENOTDIR ...). */
int pxe_path_open(int rootfd, const char *rel, int open_flags, unsigned mode, struct stat *st);

/* Both steps at once. */
int pxe_path_resolve_open(int rootfd, const char *in, size_t len, unsigned flags, int open_flags,
			  unsigned mode, struct stat *st);

/* For tests: pxe_path_open() without openat2, always the userspace
 * O_NOFOLLOW walk it falls back to (kernel < 5.6, seccomp); same contract,
 * so unit tests run one table through both. */
int pxe_path_open_walk(int rootfd, const char *rel, int open_flags, unsigned mode, struct stat *st);

#endif
