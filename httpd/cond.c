/* SPDX-License-Identifier: MIT */
/* Validators and conditional requests: RFC 9110 §5.6.7 (dates), §8.8.3
 * (ETag), §13.1 (preconditions), §13.2.2 (evaluation order). */
#include "cond.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char wdays[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
				   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

static void put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void http_date_format(time_t t, char *buf)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	memcpy(buf, wdays[tm.tm_wday], 3);
	memcpy(buf + 3, ", ", 2);
	put2(buf + 5, tm.tm_mday);
	buf[7] = ' ';
	memcpy(buf + 8, months[tm.tm_mon], 3);
	buf[11] = ' ';
	int y = tm.tm_year + 1900;
	put2(buf + 12, y / 100);
	put2(buf + 14, y % 100);
	buf[16] = ' ';
	put2(buf + 17, tm.tm_hour);
	buf[19] = ':';
	put2(buf + 20, tm.tm_min);
	buf[22] = ':';
	put2(buf + 23, tm.tm_sec);
	memcpy(buf + 25, " GMT", 5); /* with the NUL */
}

static int month_of(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (!strncmp(p, months[i], 3))
			return i;
	return -1;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian), no timezone. */
static long long days_from_civil(long long y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static time_t make_time(int y, int mon, int d, int h, int mi, int s)
{
	if (mon < 0 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970)
		return -1;
	long long days = days_from_civil(y, mon + 1, d);
	return (time_t)(days * 86400 + h * 3600 + mi * 60 + s);
}

time_t http_date_parse(const char *s, size_t len)
{
	char b[64], mon[4] = {0}, wd[16];
	int d, y, h, mi, sec, n = 0;
	if (len >= sizeof(b))
		return -1;
	memcpy(b, s, len);
	b[len] = 0;
	/* IMF-fixdate: Sun, 06 Nov 1994 08:49:37 GMT */
	if (sscanf(b, "%3s, %2d %3s %4d %2d:%2d:%2d GMT%n", wd, &d, mon, &y, &h, &mi, &sec, &n) ==
		    7 &&
	    n == (int)len)
		return make_time(y, month_of(mon), d, h, mi, sec);
	/* RFC 850: Sunday, 06-Nov-94 08:49:37 GMT (two-digit year: §5.6.7) */
	n = 0;
	if (sscanf(b, "%15[A-Za-z], %2d-%3s-%2d %2d:%2d:%2d GMT%n", wd, &d, mon, &y, &h, &mi, &sec,
		   &n) == 7 &&
	    n == (int)len)
		return make_time(y < 70 ? 2000 + y : 1900 + y, month_of(mon), d, h, mi, sec);
	/* asctime: Sun Nov  6 08:49:37 1994 */
	n = 0;
	if (sscanf(b, "%3s %3s %2d %2d:%2d:%2d %4d%n", wd, mon, &d, &h, &mi, &sec, &y, &n) == 7 &&
	    n == (int)len)
		return make_time(y, month_of(mon), d, h, mi, sec);
	return -1;
}

size_t http_etag_make(char *buf, size_t cap, uint64_t ino, uint64_t size, int64_t mtime_sec,
		      long mtime_nsec)
{
	int n = snprintf(buf, cap, "\"%llx-%llx-%llx.%lx\"", (unsigned long long)ino,
			 (unsigned long long)size, (unsigned long long)mtime_sec,
			 (unsigned long)mtime_nsec);
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}

static bool tag_eq(const char *a, size_t al, const char *b, size_t bl, bool weak)
{
	if (weak) {
		if (al > 2 && a[0] == 'W' && a[1] == '/') {
			a += 2;
			al -= 2;
		}
		if (bl > 2 && b[0] == 'W' && b[1] == '/') {
			b += 2;
			bl -= 2;
		}
	} else if ((al > 1 && a[0] == 'W') || (bl > 1 && b[0] == 'W')) {
		return false; /* strong comparison: weak tags never match */
	}
	return al == bl && !memcmp(a, b, al);
}

bool http_etag_list_match(struct http_str list, const char *etag, size_t etag_len, bool weak)
{
	const char *p = list.p, *end = list.p ? list.p + list.len : NULL;
	while (p && p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		if (p >= end)
			break;
		if (*p == '*')
			return true;
		const char *s = p;
		if (end - p > 2 && p[0] == 'W' && p[1] == '/')
			p += 2;
		if (p >= end || *p != '"')
			return false; /* malformed list: no match */
		const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (!q)
			return false;
		p = q + 1;
		if (tag_eq(s, (size_t)(p - s), etag, etag_len, weak))
			return true;
	}
	return false;
}

enum http_cond_result http_cond_eval(const struct http_request *r, const struct http_validators *v)
{
	if (r->if_match.p) {
		if (!http_etag_list_match(r->if_match, v->etag, v->etag_len, false))
			return HTTP_COND_FAILED;
	} else if (r->if_unmodified_since.p) {
		time_t t = http_date_parse(r->if_unmodified_since.p, r->if_unmodified_since.len);
		if (t != -1 && v->mtime > t)
			return HTTP_COND_FAILED;
	}
	if (r->if_none_match.p) {
		/* §13.1.2: weak comparison; GET/HEAD get 304, others 412 */
		if (http_etag_list_match(r->if_none_match, v->etag, v->etag_len, true))
			return r->method == HTTP_OTHER ? HTTP_COND_FAILED : HTTP_COND_NOT_MODIFIED;
	} else if (r->if_modified_since.p && r->method != HTTP_OTHER) {
		time_t t = http_date_parse(r->if_modified_since.p, r->if_modified_since.len);
		if (t != -1 && v->mtime <= t)
			return HTTP_COND_NOT_MODIFIED;
	}
	return HTTP_COND_OK;
}

bool http_if_range_ok(struct http_str ir, const struct http_validators *v)
{
	if (!ir.p)
		return true;
	if (ir.len > 0 && (ir.p[0] == '"' || (ir.len > 1 && ir.p[0] == 'W' && ir.p[1] == '/')))
		return tag_eq(ir.p, ir.len, v->etag, v->etag_len, false);
	time_t t = http_date_parse(ir.p, ir.len);
	return t != -1 && t == v->mtime;
}
