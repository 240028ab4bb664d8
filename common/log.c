/* Structured logging (log.h). Three parts: pure escaping of values, the
 * line builder, and the process-wide destinations (stderr, file, syslog).
 *
 * The escaping is the security boundary: client bytes (file names, host
 * names, user agents) become one value that cannot contain a line break,
 * an unescaped quote or a terminal escape, so a client can neither end a
 * line nor forge a field. */
#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ escaping */

/* Bounded output: whole units (a byte or one escape sequence) are written
 * while they fit with room for the NUL; after the first unit that does not
 * fit nothing more is written, so the output is a clean prefix. n counts
 * what the complete output needs, like snprintf. */
struct out {
	char *buf;
	size_t cap;
	size_t n; /* bytes needed */
	size_t w; /* bytes written */
};

static void out_put(struct out *o, const char *s, size_t k)
{
	if (o->w == o->n && o->w + k < o->cap) {
		memcpy(o->buf + o->w, s, k);
		o->w += k;
	}
	o->n += k;
}

static void out_byte(struct out *o, char c)
{
	out_put(o, &c, 1);
}

static size_t out_finish(struct out *o)
{
	if (o->cap > 0)
		o->buf[o->w] = '\0';
	return o->n;
}

static const char hexdig[] = "0123456789abcdef";

/* Printable ASCII that needs no quoting in logfmt. '=' and '"' would let a
 * reader see a new field or a quoted value, '\\' an escape. */
static bool logfmt_bare(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != '=' && c != '"' && c != '\\';
}

static void logfmt_escape_byte(struct out *o, unsigned char c)
{
	char e[4] = {'\\', 0, 0, 0};

	switch (c) {
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	default:
		if (c >= 0x20 && c < 0x7f) {
			out_byte(o, (char)c);
			return;
		}
		/* other controls (ESC, NUL...) and all bytes >= 0x7f */
		e[1] = 'x';
		e[2] = hexdig[c >> 4];
		e[3] = hexdig[c & 15];
		out_put(o, e, 4);
		return;
	}
	out_put(o, e, 2);
}

size_t pxe_log_escape_logfmt(char *buf, size_t cap, const char *val, size_t len)
{
	struct out o = {buf, cap, 0, 0};
	const unsigned char *p = (const unsigned char *)val;
	bool bare = len > 0;

	for (size_t i = 0; i < len && bare; i++)
		bare = logfmt_bare(p[i]);
	if (bare) {
		out_put(&o, val, len);
		return out_finish(&o);
	}
	out_byte(&o, '"');
	for (size_t i = 0; i < len; i++)
		logfmt_escape_byte(&o, p[i]);
	out_byte(&o, '"');
	return out_finish(&o);
}

/* Decode one strict UTF-8 sequence (RFC 3629 §4: no overlong forms, no
 * surrogates, nothing above U+10FFFF). Returns its length, or 0 when p does
 * not start a valid sequence. */
static size_t utf8_decode(const unsigned char *p, size_t len, uint32_t *cp)
{
	size_t n;
	uint32_t min, c;

	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		n = 2, min = 0x80, c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		n = 3, min = 0x800, c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		n = 4, min = 0x10000, c = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static void json_u(struct out *o, uint32_t u)
{
	char e[6] = {'\\',
		     'u',
		     hexdig[(u >> 12) & 15],
		     hexdig[(u >> 8) & 15],
		     hexdig[(u >> 4) & 15],
		     hexdig[u & 15]};
	out_put(o, e, 6);
}

/* One code point as ASCII JSON (RFC 8259 §7): beyond the BMP as a UTF-16
 * surrogate pair. */
static void json_codepoint(struct out *o, uint32_t c)
{
	if (c >= 0x10000) {
		c -= 0x10000;
		json_u(o, 0xd800 | (c >> 10));
		json_u(o, 0xdc00 | (c & 0x3ff));
	} else {
		json_u(o, c);
	}
}

static void json_escape_ascii(struct out *o, unsigned char c)
{
	char e[2] = {'\\', 0};

	switch (c) {
	case '"': e[1] = '"'; break;
	case '\\': e[1] = '\\'; break;
	case '\n': e[1] = 'n'; break;
	case '\r': e[1] = 'r'; break;
	case '\t': e[1] = 't'; break;
	default:
		if (c >= 0x20 && c < 0x7f)
			out_byte(o, (char)c);
		else
			json_u(o, c); /* other controls and DEL */
		return;
	}
	out_put(o, e, 2);
}

size_t pxe_log_escape_json(char *buf, size_t cap, const char *val, size_t len)
{
	struct out o = {buf, cap, 0, 0};
	const unsigned char *p = (const unsigned char *)val;

	out_byte(&o, '"');
	for (size_t i = 0; i < len;) {
		uint32_t cp;
		size_t n = p[i] < 0x80 ? 0 : utf8_decode(p + i, len - i, &cp);

		if (p[i] < 0x80) {
			json_escape_ascii(&o, p[i]);
			i++;
		} else if (n > 0) {
			json_codepoint(&o, cp);
			i += n;
		} else {
			/* not UTF-8: keep the byte visible as U+00XX so the
			 * output stays valid JSON */
			json_u(&o, p[i]);
			i++;
		}
	}
	out_byte(&o, '"');
	return out_finish(&o);
}

/* ------------------------------------------------------------ logger state */

/* The one process-wide object (STYLE.md §7). Before pxe_log_open it logs
 * at info to stderr as "pxe", so early errors are not lost. */
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

/* ------------------------------------------------------------ line builder */

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

void pxe_log_begin(struct pxe_log_line *l, int level, const char *event)
{
	char ts[40];

	if (level < PXE_LOG_ERR)
		level = PXE_LOG_ERR;
	if (level > PXE_LOG_DEBUG)
		level = PXE_LOG_DEBUG;
	l->level = level;
	l->json = g.json;
	l->truncated = false;
	l->len = 0;
	l->head = 0;
	l->buf[0] = '\0';
	l->active = pxe_log_enabled(level);
	if (!l->active)
		return;
	if (l->json)
		l->buf[l->len++] = '{';
	size_t tslen = format_ts(ts, sizeof(ts));
	put_field(l, "ts", ts, tslen, l->json);
	l->head = l->len + 1; /* past the separator after ts */
	pxe_log_str(l, "level", pxe_log_level_name(level));
	pxe_log_str(l, "daemon", g.daemon);
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

	if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
		/* dual-stack socket: show the IPv4 address that the DHCP and
		 * TFTP lines of the same client use */
		inet_ntop(AF_INET, &s6->sin6_addr.s6_addr[12], a, sizeof(a));
		return snprintf(buf, cap, "%s", a);
	}
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
	*port = 0;
	if (!sa)
		return snprintf(buf, cap, "-");
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
	size_t n = 0;

	if (!mac || len > 32)
		len = 0;
	for (size_t i = 0; i < len; i++) {
		if (i > 0)
			s[n++] = ':';
		s[n++] = hexdig[mac[i] >> 4];
		s[n++] = hexdig[mac[i] & 15];
	}
	put_field(l, key, s, n, true);
}

/* ------------------------------------------------------------ destinations */

/* systemd sets JOURNAL_STREAM=dev:ino of the stream it gave us as stderr;
 * only when fd 2 is still that stream does journald read "<N>" prefixes
 * (sd-daemon(3); systemd.exec(5) "$JOURNAL_STREAM"). */
static bool journal_stream_is_stderr(void)
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
static void write_line(int fd, const char *buf, size_t len)
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

static void emit_stderr(const struct pxe_log_line *l)
{
	char buf[PXE_LOG_LINE_MAX + 4];

	if (!g.journal_checked) {
		g.journal = journal_stream_is_stderr();
		g.journal_checked = true;
	}
	if (!g.journal) {
		write_line(STDERR_FILENO, l->buf, l->len);
		return;
	}
	buf[0] = '<';
	buf[1] = (char)('0' + l->level);
	buf[2] = '>';
	memcpy(buf + 3, l->buf, l->len);
	write_line(STDERR_FILENO, buf, l->len + 3);
}

/* syslog and journald stamp their own time: send the line from level=
 * on, without the newline. */
static void emit_syslog(const struct pxe_log_line *l)
{
	size_t len = l->len - 1;

	if (l->head == 0 || l->head > len)
		return;
	syslog(l->level, "%s%.*s", l->json ? "{" : "", (int)(len - l->head), l->buf + l->head);
}

void pxe_log_end(struct pxe_log_line *l)
{
	static const char mark_logfmt[] = " truncated=1";
	static const char mark_json[] = ",\"truncated\":1";

	if (!l->active)
		return;
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
	if (g.to_stderr)
		emit_stderr(l);
	if (g.fd >= 0)
		write_line(g.fd, l->buf, l->len);
	if (g.syslog_open)
		emit_syslog(l);
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

static int open_log_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY, 0640);
	return fd < 0 ? -errno : fd;
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
		fd = open_log_file(path);
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
	int fd = open_log_file(g.path);
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
