/* SPDX-License-Identifier: MIT */
/* Structured logging: one line per event.
 *
 *   ts=2026-11-25T09:04:12.123Z level=info daemon=pxe-tftpd event=transfer
 *   client=198.18.0.5:2071 file="boot/x 1.efi" bytes=1024 ...
 *
 * logfmt by default, JSON objects with --log-format=json. Every value that
 * may come from a client goes through the escaping here, so no client can
 * break a line, forge a field or inject a terminal escape.
 *
 * Destinations: stderr (default; with "<N>" syslog priority prefixes when
 * JOURNAL_STREAM names our stderr), a file (--log FILE, reopened by
 * pxe_log_reopen on SIGUSR1), syslog(3) with LOG_DAEMON (--syslog).
 * The logger is the one process-wide object in pxesuite: any function may
 * log without being handed a logger.
 *
 * Inside: log.c (the logger's state, configuration, dispatch),
 * log_line.c (the line builder), log_escape.c (escaping of values),
 * log_sink.c (the destinations), log_int.h (between them). */
#ifndef PXE_LOG_H
#define PXE_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

enum pxe_log_level {
	PXE_LOG_ERR = 3,
	PXE_LOG_WARN = 4,
	PXE_LOG_NOTICE = 5,
	PXE_LOG_INFO = 6,
	PXE_LOG_DEBUG = 7,
};

enum pxe_log_format {
	PXE_LOG_LOGFMT = 0,
	PXE_LOG_JSON = 1,
};

struct pxe_log_config {
	enum pxe_log_format format;
	int level;        /* lines above this level are dropped */
	const char *file; /* NULL: no file */
	bool syslog;      /* also/instead to syslog */
	bool no_stderr;   /* true when file or syslog replaces stderr */
};

#define PXE_LOG_LINE_MAX 4096

/* One line under construction. Build with pxe_log_begin, add fields, emit
 * with pxe_log_end. A line that would exceed PXE_LOG_LINE_MAX is cut at a
 * field boundary and gets truncated=1 (the field that did not fit and all
 * later ones are dropped). After pxe_log_end, buf holds the emitted line
 * (with its newline, NUL-terminated) and the line is inactive. */
struct pxe_log_line {
	char buf[PXE_LOG_LINE_MAX];
	size_t len;
	size_t head; /* offset just past the ts field and its separator:
		      * syslog sends buf+head ("{" first for JSON) */
	int level;
	bool json;
	bool truncated;
	bool active; /* false when the level is filtered out */
};

/* Configure the process-wide logger. daemon is e.g. "pxe-tftpd".
 * Returns 0 or -errno (file cannot be opened). May be called again (reload):
 * the file is kept open when its path did not change; on error nothing
 * changes. Before the first call, lines go to stderr at level info as
 * daemon "pxe". cfg NULL means those defaults. */
int pxe_log_open(const char *daemon, const struct pxe_log_config *cfg);
/* Reopen the log file (logrotate, SIGUSR1). 0 or -errno (the old file then
 * stays in use). 0 when there is no file. */
int pxe_log_reopen(void);
void pxe_log_close(void);
/* The level names, PXE_LOG_ERR first, NULL-terminated: the one list, also
 * the log-level option's choices (config_common.h). */
extern const char *const pxe_log_level_names[];
/* Parse a level name into PXE_LOG_ERR..PXE_LOG_DEBUG; -EINVAL on others.
 * (Formats are parsed by the option table's pxe_log_format_choices,
 * config_common.h.) Unknown levels are named "unknown". */
int pxe_log_level_parse(const char *s);
const char *pxe_log_level_name(int level);
bool pxe_log_enabled(int level);

void pxe_log_begin(struct pxe_log_line *l, int level, const char *event);
/* Add key=value. Keys are ours (trusted identifiers). Values are escaped. */
void pxe_log_str(struct pxe_log_line *l, const char *key, const char *val);
/* Untrusted bytes with explicit length; embedded NUL and control bytes are
 * escaped (\x00), never cut the line. */
void pxe_log_strn(struct pxe_log_line *l, const char *key, const char *val, size_t len);
void pxe_log_int(struct pxe_log_line *l, const char *key, long long v);
void pxe_log_uint(struct pxe_log_line *l, const char *key, unsigned long long v);
void pxe_log_double(struct pxe_log_line *l, const char *key, double v, int decimals);
void pxe_log_bool(struct pxe_log_line *l, const char *key, bool v);
/* "198.18.0.5:2071" or "[fe80::1%eth0]:69" (scope as interface name, or
 * its number when the interface is gone); port omitted (and no brackets)
 * when 0. IPv4-mapped IPv6 is shown as IPv4. NULL gives "-". */
void pxe_log_addr(struct pxe_log_line *l, const char *key, const struct sockaddr *sa);
/* Address without port. */
void pxe_log_ip(struct pxe_log_line *l, const char *key, const struct sockaddr *sa);
/* "52:54:00:12:34:56" */
void pxe_log_mac(struct pxe_log_line *l, const char *key, const uint8_t *mac, size_t len);
void pxe_log_end(struct pxe_log_line *l);

/* Shorthand: event plus msg="<printf text>". */
void pxe_log_msg(int level, const char *event, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* An error that stops the start (or a command-line error): the plain
 * "prog: message" line a user at a terminal expects, on stderr, with
 * journald's "<3>" prefix when stderr is the journal's stream (sd-daemon(3)),
 * like every other line of the daemon there. When the logger has a file or
 * syslog, the same message also goes there as a level=err event=start line.
 * prog NULL: the daemon name given to pxe_log_open. Usable before
 * pxe_log_open. */
void pxe_log_startup_err(const char *prog, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Pure escaping helpers (exposed for tests and for httpd's CLF log).
 * Write val as a logfmt value (quoted when needed) / JSON string (with its
 * quotes, ASCII only) at the start of buf. Return the number of bytes that
 * the full output needs, excluding the NUL (like snprintf); the output is
 * NUL-terminated when cap > 0. When the return value is >= cap the output
 * was cut after the last whole escape sequence that fit (no closing quote):
 * do not use it as a value. */
size_t pxe_log_escape_logfmt(char *buf, size_t cap, const char *val, size_t len);
size_t pxe_log_escape_json(char *buf, size_t cap, const char *val, size_t len);

#endif
