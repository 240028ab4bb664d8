/* SPDX-License-Identifier: MIT */
/* Access log writer (see accesslog.h). */
#include "accesslog.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "config.h"
#include "log.h"

#define ALOG_CAP (64 * 1024)

int access_log_open(struct access_log *l, const char *path, bool to_syslog, int format)
{
	memset(l, 0, sizeof(*l));
	l->fd = -1;
	l->format = format;
	l->clf_sec = -1;
	if (to_syslog) {
		l->to_syslog = true;
		openlog("pxe-httpd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
		return 0;
	}
	if (path && !strcmp(path, "/dev/null"))
		return 0;
	if (!path) {
		l->fd = STDOUT_FILENO;
	} else {
		l->path = strdup(path);
		if (!l->path)
			return -ENOMEM;
		l->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
		if (l->fd < 0) {
			int e = errno;
			free(l->path);
			l->path = NULL;
			return -e;
		}
		l->own_fd = true;
	}
	l->cap = ALOG_CAP;
	l->buf = malloc(l->cap);
	return l->buf ? 0 : -ENOMEM;
}

bool access_log_enabled(const struct access_log *l)
{
	return l->to_syslog || l->fd >= 0;
}

void access_log_flush(struct access_log *l)
{
	size_t off = 0;
	while (l->fd >= 0 && off < l->len) {
		ssize_t n = write(l->fd, l->buf + off, l->len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* a full disk or closed pipe loses log lines, never requests */
		off += (size_t)n;
	}
	l->len = 0;
}

int access_log_reopen(struct access_log *l)
{
	if (!l->own_fd)
		return 0;
	access_log_flush(l);
	int fd = open(l->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	close(l->fd);
	l->fd = fd;
	return 0;
}

void access_log_close(struct access_log *l)
{
	access_log_flush(l);
	if (l->own_fd && l->fd >= 0)
		close(l->fd);
	if (l->to_syslog)
		closelog();
	free(l->buf);
	free(l->path);
	memset(l, 0, sizeof(*l));
	l->fd = -1;
}

/* Apache-style escaping inside a quoted CLF field: '"', '\' and bytes
 * outside printable ASCII become \xHH, so no client can break a line. */
static size_t esc_clf(char *o, size_t cap, const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c >= 0x7f || c == '"' || c == '\\') {
			if (k + 4 >= cap)
				break;
			k += (size_t)snprintf(o + k, cap - k, "\\x%02x", c);
		} else {
			if (k + 1 >= cap)
				break;
			o[k++] = (char)c;
		}
	}
	return k;
}

struct lbuf {
	char *p;
	size_t len, cap;
};

static void lb_put(struct lbuf *b, const char *s, size_t n)
{
	if (b->len + n >= b->cap)
		n = b->cap - b->len - 1;
	memcpy(b->p + b->len, s, n);
	b->len += n;
}

static void lb_printf(struct lbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void lb_printf(struct lbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len += (size_t)n < b->cap - b->len ? (size_t)n : b->cap - b->len - 1;
}

static void lb_clf(struct lbuf *b, const char *s, size_t n)
{
	if (!s) {
		s = "-";
		n = 1;
	}
	b->len += esc_clf(b->p + b->len, b->cap - b->len, s, n);
}

/* key=value (logfmt) or "key":value (JSON) with an escaped string value. */
static void lb_kv(struct lbuf *b, int format, const char *key, const char *s, size_t n)
{
	if (!s) {
		s = "";
		n = 0;
	}
	if (format == ALOG_JSON)
		lb_printf(b, ",\"%s\":", key);
	else
		lb_printf(b, " %s=", key);
	size_t room = b->cap - b->len;
	size_t need = format == ALOG_JSON ? pxe_log_escape_json(b->p + b->len, room, s, n)
					  : pxe_log_escape_logfmt(b->p + b->len, room, s, n);
	if (need < room)
		b->len += need;
	else
		lb_put(b, format == ALOG_JSON ? "\"\"" : "\"\"", 2);
}

static void format_clf(struct lbuf *b, const struct access_entry *e, const char *clf_time)
{
	lb_printf(b, "%s - - %s \"", e->client, clf_time);
	lb_clf(b, e->method, e->method_len);
	lb_put(b, " ", 1);
	lb_clf(b, e->target, e->target_len);
	lb_printf(b, " HTTP/1.%d\" %d %llu \"", e->version == 10 ? 0 : 1, e->status,
		  (unsigned long long)e->bytes);
	lb_clf(b, e->referer, e->referer_len);
	lb_put(b, "\" \"", 3);
	lb_clf(b, e->ua, e->ua_len);
	lb_put(b, "\"\n", 2);
}

static void format_kv(struct lbuf *b, int format, const struct access_entry *e,
		      const char *iso_time)
{
	const char *proto = e->version == 10 ? "HTTP/1.0" : "HTTP/1.1";
	if (format == ALOG_JSON)
		lb_printf(b,
			  "{\"ts\":\"%s\",\"level\":\"info\",\"daemon\":\"pxe-httpd\","
			  "\"event\":\"request\"",
			  iso_time);
	else
		lb_printf(b, "ts=%s level=info daemon=pxe-httpd event=request", iso_time);
	lb_kv(b, format, "client", e->client, strlen(e->client));
	lb_kv(b, format, "method", e->method, e->method_len);
	lb_kv(b, format, "target", e->target, e->target_len);
	lb_kv(b, format, "proto", proto, 8);
	if (format == ALOG_JSON)
		lb_printf(b, ",\"status\":%d,\"bytes\":%llu,\"ms\":%llu", e->status,
			  (unsigned long long)e->bytes, (unsigned long long)e->ms);
	else
		lb_printf(b, " status=%d bytes=%llu ms=%llu", e->status,
			  (unsigned long long)e->bytes, (unsigned long long)e->ms);
	if (e->file)
		lb_kv(b, format, "file", e->file, strlen(e->file));
	lb_kv(b, format, "referer", e->referer, e->referer_len);
	lb_kv(b, format, "ua", e->ua, e->ua_len);
	lb_put(b, format == ALOG_JSON ? "}\n" : "\n", format == ALOG_JSON ? 2 : 1);
}

size_t access_log_format(char *buf, size_t cap, int format, const struct access_entry *e,
			 const char *clf_time, const char *iso_time)
{
	struct lbuf b = {buf, 0, cap};
	if (cap < 2)
		return 0;
	if (format == ALOG_CLF)
		format_clf(&b, e, clf_time);
	else
		format_kv(&b, format, e, iso_time);
	if (b.len && buf[b.len - 1] != '\n')
		buf[b.len - 1] = '\n'; /* cut line: still one line */
	buf[b.len] = 0;
	return b.len;
}

static void update_times(struct access_log *l, time_t now, char *iso, size_t isocap)
{
	struct tm tm;
	if (l->clf_sec != now) {
		localtime_r(&now, &tm);
		strftime(l->clf_time, sizeof(l->clf_time), "[%d/%b/%Y:%H:%M:%S %z]", &tm);
		l->clf_sec = now;
	}
	if (l->format != ALOG_CLF) {
		gmtime_r(&now, &tm);
		strftime(iso, isocap, "%Y-%m-%dT%H:%M:%SZ", &tm);
	}
}

void access_log_write(struct access_log *l, const struct access_entry *e, time_t now)
{
	if (!access_log_enabled(l))
		return;
	char iso[32] = "";
	update_times(l, now, iso, sizeof(iso));
	char line[4096];
	size_t n = access_log_format(line, sizeof(line), l->format, e, l->clf_time, iso);
	if (l->to_syslog) {
		syslog(LOG_INFO, "%.*s", (int)(n ? n - 1 : 0), line);
		return;
	}
	if (l->len + n > l->cap)
		access_log_flush(l);
	memcpy(l->buf + l->len, line, n);
	l->len += n;
}
