/* SPDX-License-Identifier: MIT */
/* The access-log entry of one request: filled from the request and its
 * reply, written at once, or, for a file body, copied and written when the
 * transfer ends and its byte count is known. */
#ifndef HTTP_REQLOG_H
#define HTTP_REQLOG_H

#include <stdint.h>

#include "accesslog.h"
#include "handler.h"
#include "opts.h"
#include "request.h"

/* An entry being filled, with room for the one string it does not find in
 * the request: the client address a trusted proxy reports. */
struct reqlog {
	struct access_entry e;
	char client[128];
};

/* peer: the address text; trusted: --trusted-ip (X-Forwarded-For is
 * believed from these peers only). */
void reqlog_fill(struct reqlog *l, const char *peer, const struct pxe_strlist *trusted,
		 const struct http_request *req, const struct reply *rp);
/* A copy of e and its strings in one allocation (free() it); NULL: no
 * memory. */
struct access_entry *reqlog_copy(const struct access_entry *e);
/* Write a copied entry with the bytes sent and the time taken, free it. */
void reqlog_write_deferred(struct access_log *alog, struct access_entry **e, uint64_t bytes,
			   uint64_t ms);

#endif
