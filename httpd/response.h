/* SPDX-License-Identifier: MIT */
/* Response heads (RFC 9110 §15 status codes, RFC 9112 §4 status line), pure. */
#ifndef HTTP_RESPONSE_H
#define HTTP_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "Not Found" for 404; "Unknown" for codes not in the table. */
const char *http_status_reason(int code);

struct http_resp {
	int status;
	int version;              /* the client's: 10 or 11 */
	const char *date;         /* IMF-fixdate */
	const char *server;       /* NULL: no Server header */
	const char *content_type; /* NULL: none */
	uint64_t content_length;
	bool no_length;            /* omit Content-Length (none) */
	const char *last_modified; /* NULL: none */
	const char *etag;          /* NULL: none */
	const char *content_range; /* value, NULL: none */
	const char *location;      /* NULL: none */
	const char *allow;         /* 405 */
	const char *www_authenticate;
	const char *content_encoding;
	bool vary_accept_encoding;
	bool accept_ranges;
	bool keepalive;    /* Connection: keep-alive / close */
	const char *extra; /* custom header lines, each ending "\r\n" */
	size_t extra_len;
};

/* Write the head (status line through the empty line) into buf. Returns its
 * length, or 0 when it does not fit cap. */
size_t http_resp_head(char *buf, size_t cap, const struct http_resp *r);

/* A small HTML body for an error status: "<h1>404 Not Found</h1>"...
 * Returns the length written (cut to cap). */
size_t http_error_body(char *buf, size_t cap, int status);

#endif
