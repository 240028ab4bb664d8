/* SPDX-License-Identifier: MIT */
/* Access-log entries of requests (see reqlog.h). */
#include "reqlog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static bool peer_trusted(const char *peer, const struct pxe_strlist *t)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i], peer))
			return true;
	return false;
}

void reqlog_fill(struct reqlog *l, const char *peer, const struct pxe_strlist *trusted,
		 const struct http_request *req, const struct reply *rp)
{
	struct access_entry *e = &l->e;
	memset(e, 0, sizeof(*e));
	e->client = peer;
	if (req->x_forwarded_for.p && peer_trusted(peer, trusted)) {
		/* the client's address as the trusted proxy reports it */
		snprintf(l->client, sizeof(l->client), "%.*s", (int)req->x_forwarded_for.len,
			 req->x_forwarded_for.p);
		e->client = l->client;
	}
	e->method = req->method_str.p;
	e->method_len = req->method_str.len;
	e->target = req->target.p;
	e->target_len = req->target.len;
	e->version = req->version;
	e->status = rp->status;
	e->bytes = rp->no_body ? 0 : rp->body_len;
	e->referer = req->referer.p;
	e->referer_len = req->referer.len;
	e->ua = req->user_agent.p;
	e->ua_len = req->user_agent.len;
	e->file = rp->file[0] ? rp->file : NULL;
	e->ms = 0;
}

struct access_entry *reqlog_copy(const struct access_entry *e)
{
	size_t n = sizeof(*e) + strlen(e->client) + 1 + e->method_len + e->target_len +
		   e->referer_len + e->ua_len + (e->file ? strlen(e->file) + 1 : 0);
	struct access_entry *d = malloc(n);
	if (!d)
		return NULL;
	*d = *e;
	char *p = (char *)(d + 1);
#define DUP(field, len)                                                                            \
	do {                                                                                       \
		if (e->field) {                                                                    \
			memcpy(p, e->field, len);                                                  \
			d->field = p;                                                              \
			p += len;                                                                  \
		}                                                                                  \
	} while (0)
	size_t cl = strlen(e->client) + 1;
	DUP(client, cl);
	DUP(method, e->method_len);
	DUP(target, e->target_len);
	DUP(referer, e->referer_len);
	DUP(ua, e->ua_len);
	if (e->file) {
		size_t fl = strlen(e->file) + 1;
		DUP(file, fl);
	}
#undef DUP
	return d;
}

void reqlog_write_deferred(struct access_log *alog, struct access_entry **e, uint64_t bytes,
			   uint64_t ms)
{
	if (!*e)
		return;
	(*e)->bytes = bytes;
	(*e)->ms = ms;
	access_log_write(alog, *e, time(NULL));
	free(*e);
	*e = NULL;
}
