/* SPDX-License-Identifier: MIT */
/* Reading an open file of a root (common/root.h): the file's own offsets
 * shifted by its base, clamped to its size (an image file's neighbour
 * starts right after it), and split at extent boundaries for the rare
 * multi-extent file whose pieces do not touch. */
#include "root.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

void pxe_file_close(struct pxe_file *f)
{
	if (f->fd >= 0)
		close(f->fd);
	free(f->ext);
	*f = (struct pxe_file)PXE_FILE_INIT;
}

uint64_t pxe_file_span(const struct pxe_file *f, uint64_t off, uint64_t *fd_off)
{
	uint64_t size = (uint64_t)f->st.st_size;
	if (off >= size) {
		*fd_off = f->base + size;
		return 0;
	}
	if (!f->ext) {
		*fd_off = f->base + off;
		return size - off;
	}
	for (uint32_t i = 0; i < f->n_ext; i++) {
		if (off < f->ext[i].len) {
			*fd_off = f->ext[i].off + off;
			return f->ext[i].len - off;
		}
		off -= f->ext[i].len;
	}
	*fd_off = 0; /* the extents add up to less than st_size: not built so */
	return 0;
}

/* Each piece at most one span: pread does not cross a gap. */
static ssize_t pread_spans(const struct pxe_file *f, uint8_t *buf, size_t len, uint64_t off)
{
	size_t done = 0;
	while (done < len) {
		uint64_t at;
		uint64_t span = pxe_file_span(f, off + done, &at);
		if (!span)
			break;
		size_t want = len - done < span ? len - done : (size_t)span;
		ssize_t n = pread(f->fd, buf + done, want, (off_t)at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return done ? (ssize_t)done : -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (ssize_t)done;
}

ssize_t pxe_file_pread(const struct pxe_file *f, void *buf, size_t len, uint64_t off)
{
	uint64_t size = (uint64_t)f->st.st_size;
	if (off >= size)
		return 0;
	if (len > size - off)
		len = (size_t)(size - off);
	if (f->ext)
		return pread_spans(f, buf, len, off);
	ssize_t n = pread(f->fd, buf, len, (off_t)(f->base + off));
	return n < 0 ? -errno : n;
}

ssize_t pxe_file_preadv(const struct pxe_file *f, const struct iovec *iov, int iovcnt, uint64_t off)
{
	uint64_t size = (uint64_t)f->st.st_size;
	uint64_t total = 0;
	for (int i = 0; i < iovcnt; i++)
		total += iov[i].iov_len;
	if (!f->ext && total <= (off < size ? size - off : 0)) { /* the hot path */
		ssize_t n = preadv(f->fd, iov, iovcnt, (off_t)(f->base + off));
		return n < 0 ? -errno : n;
	}
	/* Past the end or across gaps: piece by piece, clamped. */
	size_t done = 0;
	for (int i = 0; i < iovcnt; i++) {
		ssize_t n = pxe_file_pread(f, iov[i].iov_base, iov[i].iov_len, off + done);
		if (n < 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
		if ((size_t)n < iov[i].iov_len)
			break;
	}
	return (ssize_t)done;
}
