/* SPDX-License-Identifier: MIT */
/* libFuzzer: pxe_path_clean() on arbitrary bytes, with every flag
 * combination and several caps. Whatever the input, a success must be a
 * clean relative path that cannot climb (no leading '/', no "", "." or ".."
 * component, hence no "//"), fit its cap, and clean to itself again. The
 * output buffer is malloc'ed at exactly cap bytes so ASan sees any overrun. */
#include "safepath.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_component(const char *c, size_t n, unsigned flags)
{
	if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
		abort();
	for (size_t i = 0; i < n; i++) {
		if ((flags & PXE_PATH_BACKSLASH) && c[i] == '\\')
			abort();
		if ((flags & PXE_PATH_LOWERCASE) && c[i] >= 'A' && c[i] <= 'Z')
			abort();
	}
}

static void check_clean(const char *in, size_t len, unsigned flags, size_t cap)
{
	char *out = malloc(cap ? cap : 1);
	if (!out)
		return;
	int r = pxe_path_clean(in, len, flags, out, cap);
	if (r < 0) {
		if (r != -EINVAL && r != -EACCES && r != -ENAMETOOLONG)
			abort();
		if (len > 0 && memchr(in, '\0', len) && r != -EINVAL)
			abort();
		free(out);
		return;
	}
	if ((len > 0 && memchr(in, '\0', len)) || (size_t)r >= cap || (size_t)r >= PXE_PATH_MAX)
		abort();
	if (memchr(out, '\0', (size_t)r) || out[r] != '\0')
		abort();
	if (r > 0 && (out[0] == '/' || strstr(out, "//")))
		abort();
	for (const char *c = out; r > 0;) {
		size_t n = strcspn(c, "/");
		check_component(c, n, flags);
		if (c[n] == '\0')
			break;
		c += n + 1;
	}
	/* idempotent: a clean path cleans to itself */
	char again[PXE_PATH_MAX];
	if (pxe_path_clean(out, (size_t)r, flags, again, sizeof(again)) != r ||
	    memcmp(again, out, (size_t)r + 1) != 0)
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t caps[] = {0, 1, 2, 7, 64, PXE_PATH_MAX, 2 * PXE_PATH_MAX};
	for (unsigned flags = 0; flags < 4; flags++)
		for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
			check_clean((const char *)data, size, flags, caps[i]);
	return 0;
}
