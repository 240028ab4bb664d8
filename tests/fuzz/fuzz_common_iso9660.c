/* SPDX-License-Identifier: MIT */
/* libFuzzer: the ISO 9660 reader (common/iso9660*.c) on corrupt images.
 * The first byte picks the mode:
 *   even: byte patches {offset (2 bytes), value} applied to a valid Rock
 *         Ridge image (tests/unit/common/iso_fixture.c: symlinks, CE,
 *         relocation, multi-extent, Joliet), so mutations reach the deep
 *         parsers without a corpus; bit 1 also truncates the image;
 *   odd:  the rest is the image from sector 16 on (the System Area zero).
 * Whatever the input: open succeeds or fails with a message; the reader
 * never reads past the image (fx_read aborts); on success every entry is
 * found again by its path, extents add up to the size and lie inside the
 * image, and symlinks resolve to an entry or an error. */
#include "iso9660.h"

#include "../unit/common/iso_fixture.c"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_child(void *arg, const struct pxe_iso_entry *e)
{
	(void)e;
	(*(unsigned *)arg)++;
	return 0;
}

static void check_entry(struct pxe_iso *iso, const struct pxe_iso_entry *e, uint64_t image)
{
	struct pxe_iso_entry g;
	if (pxe_iso_lookup(iso, e->path, strlen(e->path), PXE_ISO_NOFOLLOW, &g) != 0 ||
	    g.index != e->index)
		abort();
	if (e->flags & PXE_ISO_DIR) {
		unsigned n = 0;
		if (pxe_iso_dir_each(iso, e, count_child, &n) != 0)
			abort();
		return;
	}
	if (e->flags & PXE_ISO_SYMLINK) {
		int r = pxe_iso_lookup(iso, e->path, strlen(e->path), 0, &g);
		if (r != 0 && r != -ENOENT && r != -ELOOP && r != -EACCES && r != -ENOTDIR &&
		    r != -ENAMETOOLONG)
			abort();
		if (r == 0 && (g.flags & PXE_ISO_SYMLINK))
			abort();
		return;
	}
	uint64_t sum = 0;
	for (uint32_t i = 0; i < e->n_ext; i++) {
		if (e->ext[i].len &&
		    (e->ext[i].off > image || e->ext[i].len > image - e->ext[i].off))
			abort();
		sum += e->ext[i].len;
	}
	if (sum != e->size)
		abort();
}

static void run(struct isofx *f, const uint8_t *data, size_t size)
{
	struct pxe_iso *iso = NULL;
	struct pxe_err err = {{0}};
	int r = pxe_iso_open(&iso, fx_read, f, f->size, &err);
	if (r < 0) {
		if (iso || err.msg[0] == '\0')
			abort();
		return;
	}
	const struct pxe_iso_info *in = pxe_iso_info(iso);
	struct pxe_iso_entry e;
	for (uint32_t i = 0; pxe_iso_get(iso, i, &e) == 0; i++)
		check_entry(iso, &e, f->size);
	if (in->files + in->dirs + in->symlinks > in->entries)
		abort();
	/* a lookup of the input itself: never a crash */
	pxe_iso_lookup(iso, (const char *)data, size < 300 ? size : 300, 0, &e);
	pxe_iso_free(iso);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct isofx f;
	if (size == 0)
		return 0;
	if (data[0] & 1) {
		fx_init(&f, 16);
		size_t n = size - 1 > (1u << 20) ? 1u << 20 : size - 1;
		uint8_t *img = realloc(f.img, f.cap + n);
		if (!img)
			return 0;
		memcpy(img + f.cap, data + 1, n);
		f.img = img;
		f.cap += n;
		f.size = f.cap;
	} else {
		fx_sample_rr(&f);
		size_t i = 1;
		if ((data[0] & 2) && size >= 3) {
			f.size = (uint64_t)(data[1] | data[2] << 8) * 2; /* up to 128 KiB */
			i = 3;
		}
		for (; i + 3 <= size; i += 3) {
			size_t off = (size_t)(data[i] | data[i + 1] << 8) + 16 * FX_SEC;
			if (off < f.cap)
				f.img[off] = data[i + 2];
		}
	}
	run(&f, data, size);
	fx_free(&f);
	return 0;
}
