/* SPDX-License-Identifier: MIT */
/* Where a finished line goes (log.h): stderr, with journald's "<N>"
 * priority prefix when stderr is the journal's stream; a file, opened for
 * appending; syslog(3). Each takes the finished line; log.c decides which
 * of them are in use. */
#include "log_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

/* systemd sets JOURNAL_STREAM=dev:ino of the stream it gave us as stderr;
 * only when fd 2 is still that stream does journald read "<N>" prefixes
 * (sd-daemon(3); systemd.exec(5) "$JOURNAL_STREAM"). */
bool pxe_log_journal_is_stderr(void)
{
	const char *v = getenv("JOURNAL_STREAM");
	struct stat st;
	char *end;

	if (!v || !*v || fstat(STDERR_FILENO, &st) < 0)
		return false;
	errno = 0;
	unsigned long long dev = strtoull(v, &end, 10);
	if (errno || end == v || *end != ':')
		return false;
	const char *ino_s = end + 1;
	unsigned long long ino = strtoull(ino_s, &end, 10);
	if (errno || end == ino_s || *end != '\0')
		return false;
	return dev == (unsigned long long)st.st_dev && ino == (unsigned long long)st.st_ino;
}

/* One write(2) per line: with O_APPEND lines from several processes do not
 * interleave. A short write (pipe, full disk) is finished, EINTR retried,
 * anything else drops the line: logging never stops the daemon. */
void pxe_log_write_line(int fd, const char *buf, size_t len)
{
	for (int tries = 0; len > 0 && tries < 8; tries++) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		buf += w;
		len -= (size_t)w;
	}
}

void pxe_log_sink_stderr(const struct pxe_log_line *l, bool journal)
{
	char buf[PXE_LOG_LINE_MAX + 4];

	if (!journal) {
		pxe_log_write_line(STDERR_FILENO, l->buf, l->len);
		return;
	}
	buf[0] = '<';
	buf[1] = (char)('0' + l->level);
	buf[2] = '>';
	memcpy(buf + 3, l->buf, l->len);
	pxe_log_write_line(STDERR_FILENO, buf, l->len + 3);
}

/* syslog and journald stamp their own time: send the line from level=
 * on, without the newline. */
void pxe_log_sink_syslog(const struct pxe_log_line *l)
{
	size_t len = l->len - 1;

	if (l->head == 0 || l->head > len)
		return;
	syslog(l->level, "%s%.*s", l->json ? "{" : "", (int)(len - l->head), l->buf + l->head);
}

int pxe_log_file_open(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
	return fd < 0 ? -errno : fd;
}
