/* SPDX-License-Identifier: MIT */
/* The line builder (log.h): fields appended to a fixed buffer, each one
 * whole or not at all, in logfmt or JSON, values escaped by
 * log_escape.c; the line is cut at a field boundary when it is full.
 * Knows nothing of the process-wide logger: log.c starts a line with its
 * level threshold, format and daemon name, and emits it when finished. */
#include "log_int.h"

#include "hex.h"
#include "sock.h"

#include <arpa/inet.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* Room kept free for ` truncated=1` / `,"truncated":1`, the closing '}',
 * the newline and the NUL, so that a full line can always be finished. */
#define LOG_RESERVE    24
#define LOG_FIELDS_MAX (PXE_LOG_LINE_MAX - LOG_RESERVE)

/* Keys are ours, but a key with a space or '=' would still corrupt the
 * line: anything outside [A-Za-z0-9_.-] becomes '_'. */
static bool put_key(struct pxe_log_line *l, const char *key)
{
	size_t klen = key ? strnlen(key, 64) : 0;
	size_t need = klen + (l->json ? 4 : 2) + (klen == 0);
	char *p = l->buf + l->len;

	if (l->len + need >= LOG_FIELDS_MAX)
		return false;
	if (l->len > 1 || (!l->json && l->len > 0))
		*p++ = l->json ? ',' : ' ';
	if (l->json)
		*p++ = '"';
	for (size_t i = 0; i < klen; i++) {
		unsigned char c = (unsigned char)key[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
		*p++ = ok ? (char)c : '_';
	}
	if (klen == 0)
		*p++ = '_';
	if (l->json)
		*p++ = '"';
	*p++ = l->json ? ':' : '=';
	l->len = (size_t)(p - l->buf);
	return true;
}

static bool put_value(struct pxe_log_line *l, const char *val, size_t len, bool escape)
{
	size_t cap = LOG_FIELDS_MAX - l->len;
	size_t n;

	if (escape && l->json)
		n = pxe_log_escape_json(l->buf + l->len, cap, val, len);
	else if (escape)
		n = pxe_log_escape_logfmt(l->buf + l->len, cap, val, len);
	else if ((n = len) < cap)
		memcpy(l->buf + l->len, val, len);
	if (n >= cap)
		return false;
	l->len += n;
	return true;
}

/* One whole field or nothing: a field that does not fit ends the line
 * (truncated=1), so the cut is always at a field boundary. */
static void put_field(struct pxe_log_line *l, const char *key, const char *val, size_t len,
		      bool escape)
{
	size_t start = l->len;

	if (!l->active || l->truncated)
		return;
	if (!put_key(l, key) || !put_value(l, val, len, escape)) {
		l->len = start;
		l->truncated = true;
	}
}

/* RFC 3339 UTC with milliseconds: 2026-11-25T09:04:12.123Z */
static size_t format_ts(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	size_t n = strftime(buf, cap, "%Y-%m-%dT%H:%M:%S", &tm);
	int k = snprintf(buf + n, cap - n, ".%03ldZ", ts.tv_nsec / 1000000);
	return k > 0 ? n + (size_t)k : n;
}

void pxe_log_line_start(struct pxe_log_line *l, int level, int max_level, bool json,
			const char *daemon, const char *event)
{
	char ts[40];

	if (level < PXE_LOG_ERR)
		level = PXE_LOG_ERR;
	if (level > PXE_LOG_DEBUG)
		level = PXE_LOG_DEBUG;
	l->level = level;
	l->json = json;
	l->truncated = false;
	l->len = 0;
	l->head = 0;
	l->buf[0] = '\0';
	l->active = level <= max_level;
	if (!l->active)
		return;
	if (l->json)
		l->buf[l->len++] = '{';
	size_t tslen = format_ts(ts, sizeof(ts));
	put_field(l, "ts", ts, tslen, l->json);
	l->head = l->len + 1; /* past the separator after ts */
	pxe_log_str(l, "level", pxe_log_level_name(level));
	pxe_log_str(l, "daemon", daemon);
	pxe_log_str(l, "event", event);
}

void pxe_log_str(struct pxe_log_line *l, const char *key, const char *val)
{
	if (!val)
		val = "";
	put_field(l, key, val, strlen(val), true);
}

void pxe_log_strn(struct pxe_log_line *l, const char *key, const char *val, size_t len)
{
	if (!val)
		len = 0;
	put_field(l, key, val ? val : "", len, true);
}

/* A number or a JSON literal: never quoted in either format. */
static void put_raw(struct pxe_log_line *l, const char *key, const char *s, int n)
{
	if (n > 0)
		put_field(l, key, s, (size_t)n, false);
}

void pxe_log_int(struct pxe_log_line *l, const char *key, long long v)
{
	char s[32];
	put_raw(l, key, s, snprintf(s, sizeof(s), "%lld", v));
}

void pxe_log_uint(struct pxe_log_line *l, const char *key, unsigned long long v)
{
	char s[32];
	put_raw(l, key, s, snprintf(s, sizeof(s), "%llu", v));
}

void pxe_log_double(struct pxe_log_line *l, const char *key, double v, int decimals)
{
	char s[64];

	if (decimals < 0)
		decimals = 0;
	if (decimals > 9)
		decimals = 9;
	if (!isfinite(v)) {
		/* JSON has no NaN or infinity (RFC 8259 §6) */
		const char *t = l->json ? "null" : isnan(v) ? "nan" : v > 0 ? "inf" : "-inf";
		put_raw(l, key, t, (int)strlen(t));
		return;
	}
	/* %f of a huge double can be long; s is big enough for 1e40 */
	if (v >= 1e40 || v <= -1e40) {
		put_raw(l, key, s, snprintf(s, sizeof(s), "%.*e", decimals, v));
		return;
	}
	put_raw(l, key, s, snprintf(s, sizeof(s), "%.*f", decimals, v));
}

void pxe_log_bool(struct pxe_log_line *l, const char *key, bool v)
{
	put_raw(l, key, v ? "true" : "false", v ? 4 : 5);
}

/* "[fe80::1%eth0]": the scope as interface name when it still exists,
 * else as a number (RFC 4007 §11.2). */
static int format_ip6(char *buf, size_t cap, const struct sockaddr_in6 *s6, bool brackets)
{
	char a[INET6_ADDRSTRLEN], scope[IF_NAMESIZE + 12] = "";
	char ifname[IF_NAMESIZE];

	inet_ntop(AF_INET6, &s6->sin6_addr, a, sizeof(a));
	if (s6->sin6_scope_id != 0) {
		if (if_indextoname(s6->sin6_scope_id, ifname))
			snprintf(scope, sizeof(scope), "%%%s", ifname);
		else
			snprintf(scope, sizeof(scope), "%%%u", (unsigned)s6->sin6_scope_id);
	}
	return snprintf(buf, cap, brackets ? "[%s%s]" : "%s%s", a, scope);
}

/* Address text and port; port 0 when the family has none. */
static int format_addr(char *buf, size_t cap, const struct sockaddr *sa, bool with_port,
		       unsigned *port)
{
	struct sockaddr_in v4;

	*port = 0;
	if (!sa)
		return snprintf(buf, cap, "-");
	/* dual-stack socket: show the IPv4 address that the DHCP and TFTP
	 * lines of the same client use */
	sa = pxe_addr_unmap(sa, &v4);
	if (sa->sa_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)sa;
		*port = ntohs(s4->sin_port);
		return inet_ntop(AF_INET, &s4->sin_addr, buf, (socklen_t)cap) ? (int)strlen(buf)
									      : -1;
	}
	if (sa->sa_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)sa;
		*port = ntohs(s6->sin6_port);
		return format_ip6(buf, cap, s6, with_port && *port != 0);
	}
	return snprintf(buf, cap, "af%d", sa->sa_family);
}

static void put_sockaddr(struct pxe_log_line *l, const char *key, const struct sockaddr *sa,
			 bool with_port)
{
	char s[INET6_ADDRSTRLEN + IF_NAMESIZE + 16];
	unsigned port;

	if (!l->active || l->truncated)
		return;
	int n = format_addr(s, sizeof(s), sa, with_port, &port);
	if (n < 0 || (size_t)n >= sizeof(s))
		n = snprintf(s, sizeof(s), "?");
	else if (with_port && port != 0)
		n += snprintf(s + n, sizeof(s) - (size_t)n, ":%u", port);
	put_field(l, key, s, strlen(s), true);
}

void pxe_log_addr(struct pxe_log_line *l, const char *key, const struct sockaddr *sa)
{
	put_sockaddr(l, key, sa, true);
}

void pxe_log_ip(struct pxe_log_line *l, const char *key, const struct sockaddr *sa)
{
	put_sockaddr(l, key, sa, false);
}

void pxe_log_mac(struct pxe_log_line *l, const char *key, const uint8_t *mac, size_t len)
{
	/* chaddr is at most 16 bytes (RFC 2131 §2); more is a caller bug */
	char s[3 * 32];

	if (!mac || len > 32)
		len = 0;
	size_t n = pxe_hex_encode(s, sizeof(s), mac, len, ':');
	put_field(l, key, s, n, true);
}

void pxe_log_line_finish(struct pxe_log_line *l)
{
	static const char mark_logfmt[] = " truncated=1";
	static const char mark_json[] = ",\"truncated\":1";

	/* LOG_RESERVE keeps room for all of this */
	if (l->truncated) {
		const char *m = l->json ? mark_json : mark_logfmt;
		size_t mlen = l->json ? sizeof(mark_json) - 1 : sizeof(mark_logfmt) - 1;
		memcpy(l->buf + l->len, m, mlen);
		l->len += mlen;
	}
	if (l->json)
		l->buf[l->len++] = '}';
	l->buf[l->len++] = '\n';
	l->buf[l->len] = '\0';
	l->active = false; /* a second end writes nothing */
}
