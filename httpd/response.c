/* SPDX-License-Identifier: MIT */
/* Status table and response-head building. Heads are assembled with
 * memcpy of fixed pieces: this runs once per request. */
#include "response.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	int code;
	const char *reason;
} statuses[] = {
	{200, "OK"},
	{206, "Partial Content"},
	{301, "Moved Permanently"},
	{304, "Not Modified"},
	{400, "Bad Request"},
	{401, "Unauthorized"},
	{403, "Forbidden"},
	{404, "Not Found"},
	{405, "Method Not Allowed"},
	{408, "Request Timeout"},
	{412, "Precondition Failed"},
	{414, "URI Too Long"},
	{416, "Range Not Satisfiable"},
	{431, "Request Header Fields Too Large"},
	{500, "Internal Server Error"},
	{501, "Not Implemented"},
	{503, "Service Unavailable"},
	{505, "HTTP Version Not Supported"},
};

const char *http_status_reason(int code)
{
	size_t n = sizeof(statuses) / sizeof(statuses[0]);
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (statuses[mid].code == code)
			return statuses[mid].reason;
		if (statuses[mid].code < code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return "Unknown";
}

struct out {
	char *p, *end;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full || (size_t)(o->end - o->p) < n) {
		o->full = true;
		return;
	}
	memcpy(o->p, s, n);
	o->p += n;
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void field(struct out *o, const char *name, size_t nl, const char *v)
{
	if (!v)
		return;
	put(o, name, nl);
	puts_(o, v);
	put(o, "\r\n", 2);
}
#define FIELD(o, lit, v) field(o, lit, sizeof(lit) - 1, v)

static void put_u64(struct out *o, uint64_t v)
{
	char b[24];
	int i = sizeof(b);
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	put(o, b + i, sizeof(b) - (size_t)i);
}

size_t http_resp_head(char *buf, size_t cap, const struct http_resp *r)
{
	struct out o = {buf, buf + cap, false};
	put(&o, "HTTP/1.1 ", 9); /* our version, whatever the client's (RFC 9110 §6.2) */
	char code[4] = {(char)('0' + r->status / 100 % 10), (char)('0' + r->status / 10 % 10),
			(char)('0' + r->status % 10), ' '};
	put(&o, code, 4);
	puts_(&o, http_status_reason(r->status));
	put(&o, "\r\n", 2);
	FIELD(&o, "Date: ", r->date);
	FIELD(&o, "Server: ", r->server);
	FIELD(&o, "Content-Type: ", r->content_type);
	FIELD(&o, "Content-Encoding: ", r->content_encoding);
	if (!r->no_length) {
		put(&o, "Content-Length: ", 16);
		put_u64(&o, r->content_length);
		put(&o, "\r\n", 2);
	}
	FIELD(&o, "Last-Modified: ", r->last_modified);
	FIELD(&o, "ETag: ", r->etag);
	if (r->accept_ranges)
		put(&o, "Accept-Ranges: bytes\r\n", 22);
	FIELD(&o, "Content-Range: ", r->content_range);
	if (r->vary_accept_encoding)
		put(&o, "Vary: Accept-Encoding\r\n", 23);
	FIELD(&o, "Location: ", r->location);
	FIELD(&o, "Allow: ", r->allow);
	FIELD(&o, "WWW-Authenticate: ", r->www_authenticate);
	if (!r->keepalive)
		put(&o, "Connection: close\r\n", 19);
	else if (r->version == 10) /* HTTP/1.0 keep-alive must be confirmed */
		put(&o, "Connection: keep-alive\r\n", 24);
	if (r->extra_len)
		put(&o, r->extra, r->extra_len);
	put(&o, "\r\n", 2);
	return o.full ? 0 : (size_t)(o.p - buf);
}

size_t http_error_body(char *buf, size_t cap, int status)
{
	const char *reason = http_status_reason(status);
	int n = snprintf(buf, cap,
			 "<!DOCTYPE html>\n<html><head><title>%d %s</title></head>"
			 "<body><h1>%d %s</h1></body></html>\n",
			 status, reason, status, reason);
	if (n < 0)
		return 0;
	return (size_t)n < cap ? (size_t)n : cap ? cap - 1 : 0;
}
