/* SPDX-License-Identifier: MIT */
/* The access log: darkhttpd's CLF-combined lines (with the request's real
 * protocol version), or logfmt / JSON lines. Buffered in memory and written
 * when the buffer fills or once a second, so a log line costs no system
 * call of its own; syslog(3) when --syslog. */
#ifndef HTTP_ACCESSLOG_H
#define HTTP_ACCESSLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>

struct access_log {
	int fd;      /* -1: off */
	bool own_fd; /* opened from a path (reopened on SIGUSR1) */
	bool to_syslog;
	int format; /* enum access_log_format */
	char *path;
	char *buf;
	size_t len, cap;
	time_t clf_sec;
	char clf_time[40]; /* "[25/Nov/2026:09:04:12 +0000]" cached per second */
};

/* One request's facts for the log line. */
struct access_entry {
	const char *client; /* address text */
	const char *method;
	size_t method_len;
	const char *target;
	size_t target_len;
	int version;
	int status;
	uint64_t bytes;
	const char *referer;
	size_t referer_len;
	const char *ua;
	size_t ua_len;
	const char *file; /* resolved path, may be NULL */
	uint64_t ms;      /* time to serve; logfmt/json only */
};

/* path NULL: stdout; "/dev/null" turns the log off. */
int access_log_open(struct access_log *l, const char *path, bool to_syslog, int format);
int access_log_reopen(struct access_log *l);
void access_log_close(struct access_log *l);
bool access_log_enabled(const struct access_log *l);
void access_log_write(struct access_log *l, const struct access_entry *e, time_t now);
void access_log_flush(struct access_log *l);

/* The formatted line, pure (for tests): returns its length (<= cap). */
size_t access_log_format(char *buf, size_t cap, int format, const struct access_entry *e,
			 const char *clf_time, const char *iso_time);

#endif
