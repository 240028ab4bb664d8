/* SPDX-License-Identifier: MIT */
/* The process-wide logger (log.h): its configuration (level, format,
 * daemon name, destinations), reload and reopen, and the dispatch of each
 * finished line to the destinations in use. The line builder is
 * log_line.c, the escaping log_escape.c, the destinations log_sink.c. */
#include "log_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

/* The one process-wide object: every part of a daemon logs without
 * being handed a logger. Before pxe_log_open it logs at info to stderr
 * as "pxe", so early errors are not lost. */
static struct {
	char daemon[64];
	int level;
	bool json;
	bool to_stderr;
	bool journal;         /* stderr is journald's stream: "<N>" prefixes */
	bool journal_checked; /* journal is valid */
	bool syslog_open;
	int fd; /* --log FILE, or -1 */
	char *path;
} g = {
	.daemon = "pxe",
	.level = PXE_LOG_INFO,
	.to_stderr = true,
	.fd = -1,
};

const char *const pxe_log_level_names[] = {"err", "warn", "notice", "info", "debug", NULL};

int pxe_log_level_parse(const char *s)
{
	for (int i = PXE_LOG_ERR; s && i <= PXE_LOG_DEBUG; i++)
		if (strcmp(s, pxe_log_level_names[i - PXE_LOG_ERR]) == 0)
			return i;
	return -EINVAL;
}

const char *pxe_log_level_name(int level)
{
	if (level < PXE_LOG_ERR || level > PXE_LOG_DEBUG)
		return "unknown";
	return pxe_log_level_names[level - PXE_LOG_ERR];
}

bool pxe_log_enabled(int level)
{
	return level <= g.level;
}

void pxe_log_begin(struct pxe_log_line *l, int level, const char *event)
{
	pxe_log_line_start(l, level, g.level, g.json, g.daemon, event);
}

void pxe_log_end(struct pxe_log_line *l)
{
	if (!l->active)
		return;
	pxe_log_line_finish(l);
	if (g.to_stderr) {
		if (!g.journal_checked) {
			g.journal = pxe_log_journal_is_stderr();
			g.journal_checked = true;
		}
		pxe_log_sink_stderr(l, g.journal);
	}
	if (g.fd >= 0)
		pxe_log_write_line(g.fd, l->buf, l->len);
	if (g.syslog_open)
		pxe_log_sink_syslog(l);
}

void pxe_log_msg(int level, const char *event, const char *fmt, ...)
{
	struct pxe_log_line l;
	char msg[PXE_LOG_LINE_MAX];
	va_list ap;

	if (!pxe_log_enabled(level < PXE_LOG_ERR ? PXE_LOG_ERR : level))
		return;
	pxe_log_begin(&l, level, event);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pxe_log_str(&l, "msg", msg);
	pxe_log_end(&l);
}

void pxe_log_startup_err(const char *prog, const char *fmt, ...)
{
	char msg[PXE_LOG_LINE_MAX - 128], out[PXE_LOG_LINE_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* the journal check is made here, not cached: this may run before
	 * pxe_log_open and after the daemon moved stderr */
	int n = snprintf(out, sizeof(out), "%s%s: %s\n", pxe_log_journal_is_stderr() ? "<3>" : "",
			 prog && *prog ? prog : g.daemon, msg);
	if (n > 0)
		pxe_log_write_line(STDERR_FILENO, out,
				   (size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1);
	if (g.fd < 0 && !g.syslog_open)
		return;
	struct pxe_log_line l;
	pxe_log_line_start(&l, PXE_LOG_ERR, PXE_LOG_ERR, g.json, g.daemon, "start");
	pxe_log_str(&l, "msg", msg);
	pxe_log_line_finish(&l);
	if (g.fd >= 0)
		pxe_log_write_line(g.fd, l.buf, l.len);
	if (g.syslog_open)
		pxe_log_sink_syslog(&l);
}

/* The file part of pxe_log_open: keep the open file when the path did not
 * change (a reload must not lose lines), else open the new one first so
 * that a failure leaves the old setup in place. */
static int set_file(const char *path)
{
	if (path && g.path && strcmp(path, g.path) == 0 && g.fd >= 0)
		return 0;
	int fd = -1;
	char *copy = NULL;
	if (path) {
		copy = strdup(path);
		if (!copy)
			return -ENOMEM;
		fd = pxe_log_file_open(path);
		if (fd < 0) {
			free(copy);
			return fd;
		}
	}
	if (g.fd >= 0)
		close(g.fd);
	free(g.path);
	g.fd = fd;
	g.path = copy;
	return 0;
}

int pxe_log_open(const char *daemon, const struct pxe_log_config *cfg)
{
	static const struct pxe_log_config defaults = {.level = PXE_LOG_INFO};

	if (!cfg)
		cfg = &defaults;
	int r = set_file(cfg->file);
	if (r < 0)
		return r;
	snprintf(g.daemon, sizeof(g.daemon), "%s", daemon && *daemon ? daemon : "pxe");
	g.level = cfg->level;
	g.json = cfg->format == PXE_LOG_JSON;
	/* no_stderr only when something else gets the lines */
	g.to_stderr = !cfg->no_stderr || (g.fd < 0 && !cfg->syslog);
	g.journal_checked = false;
	/* openlog once: after a chroot, a second openlog could not reach
	 * /dev/log again, and LOG_NDELAY connected it before the chroot. The
	 * ident is g.daemon, which lives as long as the process. */
	if (cfg->syslog && !g.syslog_open)
		openlog(g.daemon, LOG_PID | LOG_NDELAY, LOG_DAEMON);
	else if (!cfg->syslog && g.syslog_open)
		closelog();
	g.syslog_open = cfg->syslog;
	return 0;
}

int pxe_log_reopen(void)
{
	g.journal_checked = false;
	if (!g.path)
		return 0;
	int fd = pxe_log_file_open(g.path);
	if (fd < 0)
		return fd; /* keep writing to the old file */
	if (g.fd >= 0)
		close(g.fd);
	g.fd = fd;
	return 0;
}

void pxe_log_close(void)
{
	if (g.fd >= 0)
		close(g.fd);
	if (g.syslog_open)
		closelog();
	free(g.path);
	g.path = NULL;
	g.fd = -1;
	g.syslog_open = false;
	snprintf(g.daemon, sizeof(g.daemon), "pxe");
	g.level = PXE_LOG_INFO;
	g.json = false;
	g.to_stderr = true;
	g.journal_checked = false;
}
