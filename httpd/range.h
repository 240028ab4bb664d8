/* SPDX-License-Identifier: MIT */
/* Range requests (RFC 9110 §14), pure. */
#ifndef HTTP_RANGE_H
#define HTTP_RANGE_H

#include <stddef.h>
#include <stdint.h>

#define HTTP_RANGES_MAX 16

struct http_byte_range {
	uint64_t first, last; /* inclusive, last < size */
};

enum http_range_result {
	HTTP_RANGE_IGNORE,        /* no usable Range: send the whole file (200) */
	HTTP_RANGE_OK,            /* *n >= 1 satisfiable ranges (206) */
	HTTP_RANGE_UNSATISFIABLE, /* 416 with Content-Range: bytes SIZE */
};

/* Evaluate a Range value against a representation of size bytes.
 * Syntax errors and units other than "bytes" are ignored (RFC 9110 §14.2:
 * "a server MAY ignore the Range header field"). Unsatisfiable ranges are
 * dropped; when none remain, 416. Overlapping or out-of-order ranges are
 * sorted and coalesced (§14.3 allows it; it defeats the many-small-ranges
 * amplification of CVE-2011-3192); more than HTTP_RANGES_MAX ranges left
 * after that: the Range is ignored and the whole file goes out. */
enum http_range_result http_range_parse(const char *s, size_t len, uint64_t size,
					struct http_byte_range *out, int *n);

#endif
