/* SPDX-License-Identifier: MIT */
/* libFuzzer: the HTTP request-head parser and what runs on its output
 * (percent-decoding, conditionals, If-Range, Accept-Encoding). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cond.h"
#include "request.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct http_limits lim = {
		.max_request_line = 1024, .max_head = 4096, .max_headers = 50};
	/* an exact-size copy so that ASan sees any read past the end */
	char *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct http_request r;
	int n = http_request_parse(buf, size, &lim, &r);
	if (n > 0) {
		if ((size_t)n > size)
			abort();
		char path[8192];
		http_percent_decode(r.path.p ? r.path.p : "", r.path.len, path, sizeof(path));
		struct http_validators v = {"\"1-2-3.4\"", 9, 784111777};
		http_cond_eval(&r, &v);
		http_if_range_ok(r.if_range, &v);
		http_accepts_gzip(r.accept_encoding);
		if (r.if_modified_since.p)
			http_date_parse(r.if_modified_since.p, r.if_modified_since.len);
	} else if (n != 0 && n != -400 && n != -414 && n != -431 && n != -501 && n != -505) {
		abort();
	}
	free(buf);
	return 0;
}
