/* SPDX-License-Identifier: MIT */
/* Range evaluation, RFC 9110 §14.1.2 (byte ranges) and §14.2 (Range). */
#include "range.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *skip_ows(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* 1*DIGIT into *v; NULL on no digits or overflow. */
static const char *digits(const char *p, const char *end, uint64_t *v)
{
	const char *s = p;
	uint64_t x = 0;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		if (x > (UINT64_MAX - 9) / 10)
			return NULL;
		x = x * 10 + (uint64_t)(*p - '0');
	}
	*v = x;
	return p == s ? NULL : p;
}

/* One range-spec: first-last | first- | -suffix. Returns the end of the
 * spec, or NULL on a syntax error. *sat says whether it is satisfiable. */
static const char *one_spec(const char *p, const char *end, uint64_t size,
			    struct http_byte_range *r, bool *sat)
{
	uint64_t a, b;
	*sat = false;
	if (p < end && *p == '-') {
		p = digits(p + 1, end, &b);
		if (!p)
			return NULL;
		if (b > 0 && size > 0) { /* suffix-range: the last b bytes */
			r->first = b >= size ? 0 : size - b;
			r->last = size - 1;
			*sat = true;
		}
		return p;
	}
	p = digits(p, end, &a);
	if (!p || p >= end || *p != '-')
		return NULL;
	p++;
	const char *q = digits(p, end, &b);
	if (q) {
		if (b < a)
			return NULL; /* §14.1.1: last < first makes the whole header invalid */
		p = q;
	} else {
		b = UINT64_MAX;
	}
	if (a < size) {
		r->first = a;
		r->last = b >= size ? size - 1 : b;
		*sat = true;
	}
	return p;
}

static int cmp_range(const void *x, const void *y)
{
	const struct http_byte_range *a = x, *b = y;
	return a->first < b->first ? -1 : a->first > b->first;
}

/* Sort and merge overlapping or adjacent ranges, but only when some
 * overlap or are out of order: otherwise the client's order is kept. */
static int coalesce(struct http_byte_range *r, int n)
{
	bool tidy = true;
	for (int i = 1; i < n; i++)
		if (r[i].first <= r[i - 1].last + 1)
			tidy = false;
	if (tidy)
		return n;
	qsort(r, (size_t)n, sizeof(*r), cmp_range);
	int k = 0;
	for (int i = 1; i < n; i++) {
		if (r[i].first <= r[k].last + 1) {
			if (r[i].last > r[k].last)
				r[k].last = r[i].last;
		} else {
			r[++k] = r[i];
		}
	}
	return k + 1;
}

enum http_range_result http_range_parse(const char *s, size_t len, uint64_t size,
					struct http_byte_range *out, int *n)
{
	/* Collected before coalescing: room for many, a fixed bound still. */
	struct http_byte_range tmp[HTTP_RANGES_MAX * 4];
	const char *p = s, *end = s + len;
	int count = 0;
	bool any = false;
	*n = 0;
	p = skip_ows(p, end);
	if (end - p < 6 || strncasecmp(p, "bytes=", 6))
		return HTTP_RANGE_IGNORE;
	p += 6;
	for (;;) {
		p = skip_ows(p, end);
		if (p < end && *p == ',') { /* empty list elements (§5.6.1) */
			p++;
			continue;
		}
		if (p >= end)
			break;
		struct http_byte_range r;
		bool sat;
		p = one_spec(p, end, size, &r, &sat);
		if (!p)
			return HTTP_RANGE_IGNORE;
		any = true;
		if (sat) {
			if (count == (int)(sizeof(tmp) / sizeof(tmp[0])))
				return HTTP_RANGE_IGNORE;
			tmp[count++] = r;
		}
		p = skip_ows(p, end);
		if (p < end && *p != ',')
			return HTTP_RANGE_IGNORE;
	}
	if (!any)
		return HTTP_RANGE_IGNORE;
	if (count == 0)
		return HTTP_RANGE_UNSATISFIABLE;
	count = coalesce(tmp, count);
	if (count > HTTP_RANGES_MAX)
		return HTTP_RANGE_IGNORE;
	memcpy(out, tmp, (size_t)count * sizeof(*out));
	*n = count;
	return HTTP_RANGE_OK;
}
