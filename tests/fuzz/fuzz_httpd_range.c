/* SPDX-License-Identifier: MIT */
/* libFuzzer: Range evaluation. The first 8 bytes are the file size, the
 * rest the header value; every range returned must lie inside the file. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "range.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint64_t fsize = 0;
	if (size < 8)
		return 0;
	memcpy(&fsize, data, 8);
	if (data[0] & 1)
		fsize &= 0xffff; /* small files too */
	size -= 8;
	char *s = malloc(size ? size : 1);
	if (!s)
		return 0;
	memcpy(s, data + 8, size);
	struct http_byte_range r[HTTP_RANGES_MAX];
	int n = -1;
	enum http_range_result res = http_range_parse(s, size, fsize, r, &n);
	if (res == HTTP_RANGE_OK) {
		if (n < 1 || n > HTTP_RANGES_MAX)
			abort();
		for (int i = 0; i < n; i++)
			if (r[i].first > r[i].last || r[i].last >= fsize)
				abort();
	} else if (n != 0) {
		abort();
	}
	free(s);
	return 0;
}
