/* SPDX-License-Identifier: MIT */
/* Validators and conditional requests (RFC 9110 §8.8, §13), pure. */
#ifndef HTTP_COND_H
#define HTTP_COND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "request.h"

#define HTTP_DATE_LEN 29 /* "Sun, 06 Nov 1994 08:49:37 GMT" */
#define HTTP_ETAG_MAX 64

/* IMF-fixdate into buf (>= HTTP_DATE_LEN + 1 bytes). */
void http_date_format(time_t t, char *buf);
/* IMF-fixdate, RFC 850 and asctime forms (RFC 9110 §5.6.7). -1 if invalid. */
time_t http_date_parse(const char *s, size_t len);

/* Strong entity tag, quoted, from what identifies a file's bytes:
 * inode, size, modification time in ns. Returns its length. */
size_t http_etag_make(char *buf, size_t cap, uint64_t ino, uint64_t size, int64_t mtime_sec,
		      long mtime_nsec);

struct http_validators {
	const char *etag; /* quoted, strong */
	size_t etag_len;
	time_t mtime; /* Last-Modified, in seconds */
};

enum http_cond_result {
	HTTP_COND_OK = 200, /* proceed */
	HTTP_COND_NOT_MODIFIED = 304,
	HTTP_COND_FAILED = 412,
};

/* RFC 9110 §13.2.2 order: If-Match, If-Unmodified-Since, If-None-Match,
 * If-Modified-Since. Dates are compared as times, not strings. */
enum http_cond_result http_cond_eval(const struct http_request *r, const struct http_validators *v);

/* If-Range (§13.1.5): true when the Range may be honoured: no If-Range,
 * or an ETag that matches strongly, or a date equal to Last-Modified. */
bool http_if_range_ok(struct http_str if_range, const struct http_validators *v);

/* Entity-tag list match (§13.1.1, §13.1.2): "*" or any tag equal to etag;
 * weak comparison ignores "W/". */
bool http_etag_list_match(struct http_str list, const char *etag, size_t etag_len, bool weak);

#endif
