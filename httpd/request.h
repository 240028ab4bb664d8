/* SPDX-License-Identifier: MIT */
/* HTTP/1.x request head parser (RFC 9112 §2-§5), pure: bytes in, struct out.
 * The struct points into the caller's buffer; nothing is copied. */
#ifndef HTTP_REQUEST_H
#define HTTP_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct http_str {
	const char *p; /* NULL when absent */
	size_t len;
};

enum http_method { HTTP_GET, HTTP_HEAD, HTTP_OTHER };

struct http_limits {
	size_t max_request_line; /* longer request line: 414 */
	size_t max_head;         /* longer head (request line + headers): 431 */
	unsigned max_headers;    /* more header lines: 431 */
};

/* Headers the server acts on; others are skipped. */
struct http_request {
	enum http_method method;
	struct http_str method_str;
	struct http_str target; /* request-target as sent */
	struct http_str path;   /* target without query, still %-encoded */
	int version;            /* 10 or 11 */
	bool keepalive;         /* what the client asked for (RFC 9112 §9.3) */
	bool has_body;          /* Content-Length > 0 or Transfer-Encoding */
	struct http_str host, range, if_range, if_none_match, if_modified_since, if_match,
		if_unmodified_since, accept_encoding, authorization, referer, user_agent,
		x_forwarded_for, x_forwarded_proto;
	size_t head_len; /* bytes up to and including the empty line */
};

/* Parse the head at the start of buf[0..len).
 * Returns the head length (> 0) when a whole head is there, 0 when more
 * bytes are needed, or a negative HTTP status for a request that must be
 * refused: -400 malformed, -414 request line over the limit, -431 head over
 * the limit, -505 unsupported HTTP version, -501 unsupported
 * Transfer-Encoding. *out is valid only when the return is > 0 (and, for
 * errors, holds what was parsed so far: method and version, for the log). */
int http_request_parse(const char *buf, size_t len, const struct http_limits *lim,
		       struct http_request *out);

/* Percent-decode path (RFC 3986 §2.1) into out (NUL-terminated).
 * Returns the decoded length, -1 on a malformed escape or an encoded NUL,
 * -2 when it does not fit cap. */
int http_percent_decode(const char *in, size_t len, char *out, size_t cap);

/* Case-insensitive token search in a comma-separated header value
 * (Connection: keep-alive, Upgrade...). */
bool http_list_has(struct http_str v, const char *token);
/* Accept-Encoding allows gzip (present and q != 0; RFC 9110 §12.5.3). */
bool http_accepts_gzip(struct http_str v);

#endif
