/* SPDX-License-Identifier: MIT */
/* Putting a decided reply on a connection's output: the head (RFC 9112
 * §4) into the write buffer, a memory body (or a small cached file) after
 * it; a file body becomes the connection's sendfile(2) source, and
 * multipart/byteranges parts (RFC 9110 §14.6) are queued one at a time as
 * the send goes. Also the 408 of a header timeout. */
#ifndef HTTP_EMIT_H
#define HTTP_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "accesslog.h"
#include "fcache.h"
#include "handler.h"
#include "outq.h"
#include "range.h"
#include "request.h"

struct httpd;

struct emit_multipart {
	struct http_byte_range r[HTTP_RANGES_MAX];
	int n;
	uint64_t size;
	char ctype[128];
};

/* The response being sent: its file body and its deferred log line. */
struct emit_body {
	struct fc_entry *fe;       /* sendfile source (a reference), NULL: none */
	struct emit_multipart *mp; /* more than one range of fe */
	uint64_t sent;             /* body bytes sent (part heads too), for the log */
	struct access_entry *log;  /* the log line waiting for sent */
	uint64_t start_ms;         /* when the request was parsed */
};

/* What follows the queued head: a file segment to sendfile (len 0: none),
 * or b->mp. failed: out of memory, close after what is queued. */
struct emit_out {
	uint64_t off, len;
	bool failed;
};

/* Queue rp (the answer to req) with Connection: keep-alive or close. */
void emit_reply(struct httpd *s, struct outq *q, struct emit_body *b, const char *peer,
		const struct http_request *req, struct reply *rp, bool keepalive,
		struct emit_out *out);
/* Queue the head of part `part` of b->mp, or the closing boundary. 0 or
 * -ENOMEM. */
int emit_part(struct httpd *s, struct outq *q, struct emit_body *b, int part, bool tail);
/* The response is out (or the connection closes): release the file, write
 * the deferred log line. */
void emit_finish(struct httpd *s, struct emit_body *b, uint64_t now_ms);
/* The whole 408 reply into buf; its length. */
size_t emit_408(struct httpd *s, char *buf, size_t cap);

#endif
