/* SPDX-License-Identifier: MIT */
/* What to answer to one parsed request: status, validators, body source.
 * Decided here, serialised and sent by conn.c. */
#ifndef HTTP_HANDLER_H
#define HTTP_HANDLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fcache.h"
#include "range.h"
#include "request.h"

struct httpd;

struct reply {
	int status;
	bool close;   /* close the connection after this reply */
	bool linger;  /* input may be unread: drain before close */
	bool no_body; /* HEAD, 304 */
	const char *content_type;
	const char *content_encoding;
	bool vary;
	bool accept_ranges;
	bool validators; /* send Last-Modified and ETag of fe */
	char content_range[96];
	char *location; /* owned */
	const char *allow;
	const char *www_authenticate;
	/* body: memory (mem, mem_len; owned when owned != NULL) or a file
	 * segment of fe (off, len), or multipart byteranges of fe */
	const char *mem;
	size_t mem_len;
	char *owned;
	struct fc_entry *fe; /* a reference: released by the caller */
	uint64_t off, len;
	struct http_byte_range ranges[HTTP_RANGES_MAX];
	int nranges;       /* > 1: multipart/byteranges */
	uint64_t body_len; /* Content-Length */
	char file[64];     /* resolved path for the log (cut) */
	char errbody[320];
};

/* Decide the reply for req. peer_trusted is unused here (logging). */
void http_handle(struct httpd *s, const struct http_request *req, struct reply *rp);
/* An error reply without a request (400, 408, 414, 431...). */
void http_error_reply(struct reply *rp, int status, bool head);
void reply_free(struct httpd *s, struct reply *rp);

/* multipart/byteranges pieces (RFC 9110 §14.6), pure. */
size_t http_multipart_part_head(char *buf, size_t cap, const char *boundary, const char *ctype,
				const struct http_byte_range *r, uint64_t size, bool first);
size_t http_multipart_tail(char *buf, size_t cap, const char *boundary);
uint64_t http_multipart_length(const char *boundary, const char *ctype,
			       const struct http_byte_range *r, int n, uint64_t size);

#endif
