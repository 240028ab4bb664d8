/* SPDX-License-Identifier: MIT */
/* Inside the logger: what log.c (the process-wide state), log_line.c
 * (the line builder) and log_sink.c (the destinations) give each other. */
#ifndef PXE_LOG_INT_H
#define PXE_LOG_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"

/* log_line.c. Start l at level (clamped to PXE_LOG_ERR..PXE_LOG_DEBUG)
 * with ts, level, daemon and event; inactive when level is above
 * max_level. */
void pxe_log_line_start(struct pxe_log_line *l, int level, int max_level, bool json,
			const char *daemon, const char *event);
/* Close an active line: truncated=1 when it was cut, the JSON '}', the
 * newline. It is then inactive and ready to emit. */
void pxe_log_line_finish(struct pxe_log_line *l);

/* log_sink.c. Whether fd 2 is the stream JOURNAL_STREAM names. */
bool pxe_log_journal_is_stderr(void);
/* One line with one write(2), finished when short, dropped on error. */
void pxe_log_write_line(int fd, const char *buf, size_t len);
/* A finished line to stderr; journal: with its "<N>" prefix. */
void pxe_log_sink_stderr(const struct pxe_log_line *l, bool journal);
void pxe_log_sink_syslog(const struct pxe_log_line *l);
/* Open path for appending lines: the fd or -errno. */
int pxe_log_file_open(const char *path);

#endif
