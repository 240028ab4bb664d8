/* SPDX-License-Identifier: MIT */
/* A connection's output queue and its writes through the transport (see outq.h). */
#include "outq.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "httpd.h"
#include "io.h"

int outq_append(struct outq *q, const char *p, size_t n)
{
	if (q->off == q->len)
		q->off = q->len = 0;
	char *nb = realloc(q->buf, q->len + n);
	if (!nb)
		return -ENOMEM;
	memcpy(nb + q->len, p, n);
	q->buf = nb;
	q->len += n;
	return 0;
}

int outq_spill(struct outq *q, struct httpd *s)
{
	int r = s->wlen ? outq_append(q, s->wbuf, s->wlen) : 0;
	s->wlen = 0;
	return r;
}

int outq_put(struct outq *q, struct httpd *s, const char *p, size_t n)
{
	if (n <= HTTPD_SCRATCH - s->wlen) {
		memcpy(s->wbuf + s->wlen, p, n);
		s->wlen += n;
		return 0;
	}
	int r = outq_spill(q, s);
	return r < 0 ? r : outq_append(q, p, n);
}

bool outq_full(const struct outq *q, const struct httpd *s)
{
	return q->len > q->off || s->wlen > HTTPD_SCRATCH / 2;
}

void outq_free(struct outq *q)
{
	free(q->buf);
	*q = (struct outq){0};
}

/* The unsent rest of the shared buffer goes before what the own queue
 * holds, to keep the order. */
static int keep_rest(struct outq *q, const char *rest, size_t n)
{
	size_t held = q->len - q->off;
	char *nb = malloc(n + held);
	if (!nb)
		return -ENOMEM;
	memcpy(nb, rest, n);
	if (held)
		memcpy(nb + n, q->buf + q->off, held);
	free(q->buf);
	q->buf = nb;
	q->len = n + held;
	q->off = 0;
	return 0;
}

static int send_shared(struct outq *q, struct httpd *s, struct conn_io *io, bool more, bool fin,
		       bool *progress)
{
	/* A whole reply followed by close(): corked, so that the FIN rides
	 * in the reply's segment instead of one of its own. */
	bool cork = more || q->len > q->off || fin;
	ssize_t n = io->ops->write(io, s->wbuf, s->wlen, cork);
	int r = 0;
	if (n < 0 && n != -EAGAIN)
		r = (int)n;
	size_t done = n < 0 ? 0 : (size_t)n;
	if (done)
		*progress = true;
	if (r == 0 && done < s->wlen)
		r = keep_rest(q, s->wbuf + done, s->wlen - done);
	s->wlen = 0;
	return r;
}

int outq_send(struct outq *q, struct httpd *s, struct conn_io *io, bool more, bool fin,
	      bool *progress)
{
	*progress = false;
	if (s->wlen) {
		int r = send_shared(q, s, io, more, fin, progress);
		if (r < 0)
			return r;
	}
	while (q->off < q->len) {
		ssize_t n = io->ops->write(io, q->buf + q->off, q->len - q->off, more);
		if (n < 0)
			return n == -EAGAIN ? 1 : (int)n;
		q->off += (size_t)n;
		*progress = true;
	}
	outq_free(q);
	return 0;
}
