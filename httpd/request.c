/* SPDX-License-Identifier: MIT */
/* HTTP/1.x request head parser. RFC 9112 §2.2 (message parsing), §3
 * (request line), §5 (field syntax), RFC 9110 §5.6.2 (tokens). Pure: no
 * allocation, no I/O; the result points into the caller's buffer. */
#include "request.h"

#include <stddef.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 §5.6.2 tchar */
static const unsigned char tchar[256] = {
	['!'] = 1, ['#'] = 1, ['$'] = 1, ['%'] = 1, ['&'] = 1, ['\''] = 1, ['*'] = 1, ['+'] = 1,
	['-'] = 1, ['.'] = 1, ['^'] = 1, ['_'] = 1, ['`'] = 1, ['|'] = 1,  ['~'] = 1, ['0'] = 1,
	['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1,  ['7'] = 1, ['8'] = 1,
	['9'] = 1, ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1,  ['F'] = 1, ['G'] = 1,
	['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1, ['M'] = 1,  ['N'] = 1, ['O'] = 1,
	['P'] = 1, ['Q'] = 1, ['R'] = 1, ['S'] = 1, ['T'] = 1, ['U'] = 1,  ['V'] = 1, ['W'] = 1,
	['X'] = 1, ['Y'] = 1, ['Z'] = 1, ['a'] = 1, ['b'] = 1, ['c'] = 1,  ['d'] = 1, ['e'] = 1,
	['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1,  ['l'] = 1, ['m'] = 1,
	['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1, ['s'] = 1,  ['t'] = 1, ['u'] = 1,
	['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
};

#define FIELD(name, member)                                                                        \
	{                                                                                          \
		name, sizeof(name) - 1, offsetof(struct http_request, member)                      \
	}
static const struct {
	const char *name;
	size_t len;
	size_t off;
} known_fields[] = {
	FIELD("host", host),
	FIELD("range", range),
	FIELD("if-range", if_range),
	FIELD("if-none-match", if_none_match),
	FIELD("if-modified-since", if_modified_since),
	FIELD("if-match", if_match),
	FIELD("if-unmodified-since", if_unmodified_since),
	FIELD("accept-encoding", accept_encoding),
	FIELD("authorization", authorization),
	FIELD("referer", referer),
	FIELD("user-agent", user_agent),
	FIELD("x-forwarded-for", x_forwarded_for),
	FIELD("x-forwarded-proto", x_forwarded_proto),
};

/* Where the head ends: just past the empty line ("\r\n\r\n" or, leniently
 * per RFC 9112 §2.2, "\n\n"), searching from *resume; 0 when not yet. */
static size_t head_end(const char *buf, size_t len, size_t *resume)
{
	size_t i = *resume;
	for (;;) {
		const char *nl = i < len ? memchr(buf + i, '\n', len - i) : NULL;
		if (!nl)
			break;
		size_t k = (size_t)(nl - buf) + 1;
		if (k < len && buf[k] == '\n')
			return k + 1;
		if (k + 1 < len && buf[k] == '\r' && buf[k + 1] == '\n')
			return k + 2;
		if (k + 1 >= len) {
			/* need the next byte(s) to decide: resume at this line end */
			*resume = k - 1;
			return 0;
		}
		i = k;
	}
	*resume = len > 0 ? len - 1 : 0;
	return 0;
}

static int parse_version(const char *p, size_t n, int *out)
{
	if (n != 8 || memcmp(p, "HTTP/", 5) || p[6] != '.' || p[5] < '0' || p[5] > '9' ||
	    p[7] < '0' || p[7] > '9')
		return -400;
	if (p[5] != '1')
		return -505;
	*out = p[7] == '0' ? 10 : 11; /* 1.2+ are served as 1.1 (RFC 9110 §2.5) */
	return 0;
}

static enum http_method method_of(const char *p, size_t n)
{
	if (n == 3 && !memcmp(p, "GET", 3))
		return HTTP_GET;
	if (n == 4 && !memcmp(p, "HEAD", 4))
		return HTTP_HEAD;
	return HTTP_OTHER;
}

/* request-line = method SP request-target SP HTTP-version (RFC 9112 §3) */
static int parse_request_line(const char *p, size_t n, struct http_request *r)
{
	size_t i = 0;
	while (i < n && tchar[(unsigned char)p[i]])
		i++;
	if (i == 0 || i >= n || p[i] != ' ')
		return -400;
	r->method_str = (struct http_str){p, i};
	r->method = method_of(p, i);
	size_t t = ++i;
	while (i < n && (unsigned char)p[i] > 0x20 && (unsigned char)p[i] < 0x7f)
		i++;
	if (i == t || i >= n || p[i] != ' ')
		return -400;
	r->target = (struct http_str){p + t, i - t};
	int rc = parse_version(p + i + 1, n - i - 1, &r->version);
	if (rc < 0)
		return rc;
	const char *tp = r->target.p;
	size_t tl = r->target.len;
	/* absolute-form (RFC 9112 §3.2.2): keep only the path */
	if (tl > 7 && (!strncasecmp(tp, "http://", 7) || !strncasecmp(tp, "https://", 8))) {
		const char *s = memchr(tp + 7, '/', tl - 7);
		if (!s)
			return -400;
		tl -= (size_t)(s - tp);
		tp = s;
	}
	if (tp[0] != '/') /* "*" (OPTIONS) and authority-form go to 405 via the method */
		return r->method == HTTP_OTHER ? 0 : -400;
	const char *q = memchr(tp, '?', tl);
	r->path = (struct http_str){tp, q ? (size_t)(q - tp) : tl};
	return 0;
}

static void trim_ows(const char **v, size_t *n)
{
	while (*n && (**v == ' ' || **v == '\t')) {
		(*v)++;
		(*n)--;
	}
	while (*n && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
		(*n)--;
}

static int content_length(const char *v, size_t n, bool *body)
{
	if (n == 0)
		return -400;
	unsigned long long x = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9' || x > (~0ULL - 9) / 10)
			return -400;
		x = x * 10 + (unsigned)(v[i] - '0');
	}
	if (x)
		*body = true;
	return 0;
}

struct conn_tokens {
	bool close, keepalive, host_seen;
};

static int store_field(struct http_request *r, const char *name, size_t nl, const char *v,
		       size_t vl, struct conn_tokens *ct)
{
	for (size_t k = 0; k < sizeof(known_fields) / sizeof(known_fields[0]); k++) {
		if (known_fields[k].len != nl || strncasecmp(known_fields[k].name, name, nl))
			continue;
		struct http_str *f = (struct http_str *)((char *)r + known_fields[k].off);
		if (f == &r->host) {
			if (ct->host_seen) /* RFC 9112 §3.2: more than one Host is a 400 */
				return -400;
			ct->host_seen = true;
		}
		if (!f->p)
			*f = (struct http_str){v, vl};
		return 0;
	}
	if (nl == 10 && !strncasecmp(name, "connection", 10)) {
		struct http_str s = {v, vl};
		ct->close |= http_list_has(s, "close");
		ct->keepalive |= http_list_has(s, "keep-alive");
	} else if (nl == 14 && !strncasecmp(name, "content-length", 14)) {
		return content_length(v, vl, &r->has_body);
	} else if (nl == 17 && !strncasecmp(name, "transfer-encoding", 17)) {
		/* RFC 9112 §6.1: we read no bodies, so only chunked can be skipped
		 * (by closing); anything else is not implemented */
		r->has_body = true;
		struct http_str s = {v, vl};
		if (!http_list_has(s, "chunked"))
			return -501;
	}
	return 0;
}

/* field-line = field-name ":" OWS field-value OWS (RFC 9112 §5) */
static int parse_field(struct http_request *r, const char *p, size_t n, struct conn_tokens *ct)
{
	size_t i = 0;
	while (i < n && tchar[(unsigned char)p[i]])
		i++;
	/* no name, obs-fold (leading SP/HT), or space before ':' (§5.1): 400 */
	if (i == 0 || i >= n || p[i] != ':')
		return -400;
	const char *v = p + i + 1;
	size_t vl = n - i - 1;
	for (size_t k = 0; k < vl; k++) {
		unsigned char c = (unsigned char)v[k];
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return -400;
	}
	trim_ows(&v, &vl);
	return store_field(r, p, i, v, vl, ct);
}

static int parse_fields(const char *p, size_t n, const struct http_limits *lim,
			struct http_request *r)
{
	struct conn_tokens ct = {0};
	unsigned count = 0;
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t ll = nl ? (size_t)(nl - p) : n;
		size_t adv = nl ? ll + 1 : n;
		if (ll > 0 && p[ll - 1] == '\r')
			ll--;
		if (ll == 0)
			break; /* the empty line */
		if (++count > lim->max_headers)
			return -431;
		int rc = parse_field(r, p, ll, &ct);
		if (rc < 0)
			return rc;
		p += adv;
		n -= adv;
	}
	if (r->version == 11 && !ct.host_seen)
		return -400; /* RFC 9112 §3.2 */
	r->keepalive = r->version == 11 ? !ct.close : (ct.keepalive && !ct.close);
	return 0;
}

int http_request_parse(const char *buf, size_t len, const struct http_limits *lim,
		       struct http_request *out)
{
	memset(out, 0, sizeof(*out));
	out->version = 10;
	size_t skip = 0;
	/* RFC 9112 §2.2: ignore empty lines before the request line */
	while (skip < len && (buf[skip] == '\r' || buf[skip] == '\n'))
		skip++;
	if (skip > lim->max_head)
		return -400;
	const char *p = buf + skip;
	size_t n = len - skip;
	/* The method is a token (RFC 9112 §3): a byte that cannot start one
	 * ends it now, not when a line end comes. A TLS ClientHello sent to
	 * the plain port (0x16 0x03 ...) then gets its 400 at once instead of
	 * waiting for the header timeout. */
	for (size_t i = 0; i < n && p[i] != ' '; i++)
		if (!tchar[(unsigned char)p[i]])
			return -400;
	const char *nl =
		memchr(p, '\n', n > lim->max_request_line + 2 ? lim->max_request_line + 2 : n);
	if (!nl)
		return n > lim->max_request_line + 1 ? -414 : 0;
	size_t ll = (size_t)(nl - p);
	if (ll > 0 && p[ll - 1] == '\r')
		ll--;
	if (ll > lim->max_request_line)
		return -414;
	size_t resume = ll;
	size_t end = head_end(p, n, &resume);
	if (!end)
		return n >= lim->max_head ? -431 : 0;
	if (end > lim->max_head)
		return -431;
	int rc = parse_request_line(p, ll, out);
	if (rc < 0)
		return rc;
	size_t fl = (size_t)(nl - p) + 1;
	rc = parse_fields(p + fl, end - fl, lim, out);
	if (rc < 0)
		return rc;
	out->head_len = skip + end;
	return (int)out->head_len;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int http_percent_decode(const char *in, size_t len, char *out, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%') {
			if (i + 2 >= len)
				return -1;
			int h = hexval(in[i + 1]), l = hexval(in[i + 2]);
			if (h < 0 || l < 0)
				return -1;
			c = (char)(h * 16 + l);
			if (c == 0)
				return -1;
			i += 2;
		}
		if (o + 1 >= cap)
			return -2;
		out[o++] = c;
	}
	if (cap == 0)
		return -2;
	out[o] = 0;
	return (int)o;
}

bool http_list_has(struct http_str v, const char *token)
{
	size_t tl = strlen(token);
	const char *p = v.p, *end = v.p ? v.p + v.len : NULL;
	while (p && p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		const char *s = p;
		while (p < end && *p != ',' && *p != ';')
			p++;
		const char *e = p;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if ((size_t)(e - s) == tl && !strncasecmp(s, token, tl))
			return true;
		while (p < end && *p != ',')
			p++;
	}
	return false;
}

/* q=0 (with optional zeros after the point) refuses the coding. */
static bool q_zero(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	if (end - p < 3 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
		return false;
	p += 2;
	if (*p++ != '0')
		return false;
	if (p < end && *p == '.')
		for (p++; p < end && *p != ' '; p++)
			if (*p != '0')
				return false;
	return true;
}

/* RFC 9110 §12.5.3: an explicit "gzip" entry decides; else "*" does. */
bool http_accepts_gzip(struct http_str v)
{
	const char *p = v.p, *end = v.p ? v.p + v.len : NULL;
	int star = -1;
	while (p && p < end) {
		while (p < end && (*p == ' ' || *p == '\t' || *p == ','))
			p++;
		const char *s = p;
		while (p < end && *p != ',' && *p != ';' && *p != ' ' && *p != '\t')
			p++;
		size_t n = (size_t)(p - s);
		const char *param_end = p;
		while (param_end < end && *param_end != ',')
			param_end++;
		const char *semi = memchr(p, ';', (size_t)(param_end - p));
		bool ok = !(semi && q_zero(semi + 1, param_end));
		if (n == 4 && !strncasecmp(s, "gzip", 4))
			return ok;
		if (n == 1 && *s == '*')
			star = ok;
		p = param_end;
	}
	return star == 1;
}
