/* SPDX-License-Identifier: MIT */
/* Replies onto a connection's output (see emit.h). */
#include "emit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "reqlog.h"
#include "response.h"

/* The head into the shared write buffer. false: it did not fit (cannot
 * happen with sane --header values). */
static bool put_head(struct httpd *s, struct outq *q, const struct http_request *req,
		     const struct reply *rp, bool keepalive, struct emit_out *out)
{
	httpd_date_update(s);
	const struct fc_entry *fe = rp->fe;
	struct http_resp h = {
		.status = rp->status,
		.version = req->version,
		.date = s->date,
		.server = s->rt.server,
		.content_type = rp->content_type,
		.content_length = rp->body_len,
		.no_length = rp->status == 304,
		.last_modified = rp->validators && fe ? fe->last_modified : NULL,
		.etag = rp->validators && fe ? fe->etag : NULL,
		.content_range = rp->content_range[0] ? rp->content_range : NULL,
		.location = rp->location,
		.allow = rp->allow,
		.www_authenticate = rp->www_authenticate,
		.content_encoding = rp->content_encoding,
		.vary_accept_encoding = rp->vary,
		.accept_ranges = rp->accept_ranges,
		.keepalive = keepalive,
		.extra = s->rt.extra_headers,
		.extra_len = s->rt.extra_len,
	};
	char ctype[128];
	if (rp->nranges > 1 && rp->status == 206) {
		snprintf(ctype, sizeof(ctype), "multipart/byteranges; boundary=%s", s->boundary);
		h.content_type = ctype;
	}
	if (HTTPD_SCRATCH - s->wlen < 8192 && outq_spill(q, s) < 0)
		out->failed = true;
	size_t n = http_resp_head(s->wbuf + s->wlen, HTTPD_SCRATCH - s->wlen, &h);
	s->wlen += n;
	return n > 0;
}

/* A file body sent from the file: one segment, or multipart parts. */
static void queue_file(struct emit_body *b, struct reply *rp, const struct access_entry *e,
		       struct emit_out *out)
{
	b->fe = rp->fe;
	rp->fe = NULL;
	b->sent = 0;
	if (rp->nranges > 1) {
		b->mp = calloc(1, sizeof(*b->mp));
		if (!b->mp) {
			out->failed = true;
			return;
		}
		memcpy(b->mp->r, rp->ranges, sizeof(rp->ranges));
		b->mp->n = rp->nranges;
		b->mp->size = (uint64_t)b->fe->f.st.st_size;
		snprintf(b->mp->ctype, sizeof(b->mp->ctype), "%s", rp->content_type);
	} else {
		out->off = rp->off;
		out->len = rp->len;
	}
	if (e)
		b->log = reqlog_copy(e);
}

void emit_reply(struct httpd *s, struct outq *q, struct emit_body *b, const char *peer,
		const struct http_request *req, struct reply *rp, bool keepalive,
		struct emit_out *out)
{
	*out = (struct emit_out){0};
	if (!put_head(s, q, req, rp, keepalive, out)) {
		out->failed = true;
		return;
	}
	s->requests++;
	struct reqlog l;
	bool logging = access_log_enabled(&s->alog);
	if (logging)
		reqlog_fill(&l, peer, &s->cfg->trusted_ip, req, rp);
	const struct fc_entry *fe = rp->fe;
	int r = 0;
	if (rp->no_body || rp->body_len == 0) {
		/* nothing */
	} else if (rp->mem) {
		r = outq_put(q, s, rp->mem, rp->mem_len);
	} else if (fe && fe->data && rp->nranges <= 1) {
		r = outq_put(q, s, fe->data + rp->off, (size_t)rp->len);
	} else if (fe) {
		queue_file(b, rp, logging ? &l.e : NULL, out);
		return; /* logged when the body is out */
	}
	if (r < 0)
		out->failed = true;
	if (logging)
		access_log_write(&s->alog, &l.e, s->date_sec);
}

int emit_part(struct httpd *s, struct outq *q, struct emit_body *b, int part, bool tail)
{
	const struct emit_multipart *m = b->mp;
	char tmp[512];
	size_t n;
	if (tail)
		n = http_multipart_tail(tmp, sizeof(tmp), s->boundary);
	else
		n = http_multipart_part_head(tmp, sizeof(tmp), s->boundary, m->ctype, &m->r[part],
					     m->size, part == 0);
	b->sent += n;
	return outq_append(q, tmp, n);
}

void emit_finish(struct httpd *s, struct emit_body *b, uint64_t now_ms)
{
	if (b->fe) {
		fc_release(&s->fc, b->fe);
		b->fe = NULL;
	}
	free(b->mp);
	b->mp = NULL;
	reqlog_write_deferred(&s->alog, &b->log, b->sent, now_ms - b->start_ms);
}

size_t emit_408(struct httpd *s, char *buf, size_t cap)
{
	struct reply rp;
	memset(&rp, 0, sizeof(rp));
	http_error_reply(&rp, 408, false);
	httpd_date_update(s);
	struct http_resp h = {.status = 408,
			      .version = 11,
			      .date = s->date,
			      .server = s->rt.server,
			      .content_type = rp.content_type,
			      .content_length = rp.mem_len};
	size_t n = http_resp_head(buf, cap - rp.mem_len, &h);
	memcpy(buf + n, rp.mem, rp.mem_len);
	return n + rp.mem_len;
}
