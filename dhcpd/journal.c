/* SPDX-License-Identifier: MIT */
/* Lease journal: format, parse, replay, append with batched fdatasync,
 * compaction by temp file + fsync + rename + directory fsync. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>

#include "hex.h"
#include "journal.h"

static const char *const ev_names[] = {"add", "renew", "release", "expire", "decline"};
/* DHCPv6 lines get events of their own: a DHCPv4-only reader skips them
 * as unknown instead of misreading them. */
static const char *const ev6_names[] = {"add6", "renew6", "release6", "expire6", "decline6"};

const char *dhcp_jevent_name(enum dhcp_jevent ev)
{
	return ev_names[ev];
}

static size_t fmt_time(char *buf, size_t cap, int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	if (!gmtime_r(&tt, &tm))
		return 0;
	return strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char z = 0;
	int n = 0;
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z, &n) != 7 ||
	    z != 'Z' || s[n])
		return -EINVAL;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

/* Hostnames come from clients: keep [A-Za-z0-9._-], percent-encode the
 * rest so a line can never be split or forged. */
static void esc_host(char *out, size_t cap, const char *h)
{
	size_t k = 0;
	for (; *h && k + 4 < cap; h++) {
		unsigned char c = (unsigned char)*h;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '.' || c == '_' || c == '-')
			out[k++] = (char)c;
		else
			k += (size_t)snprintf(out + k, cap - k, "%%%02X", c);
	}
	out[k] = '\0';
}

static void unesc_host(char *out, size_t cap, const char *s)
{
	size_t k = 0;
	for (; *s && k + 1 < cap; s++) {
		uint8_t v;
		if (*s == '%' && s[1] && pxe_hex_decode(s + 1, 2, NULL, 0, &v, 1) == 1) {
			out[k++] = (char)v;
			s += 2;
		} else {
			out[k++] = *s;
		}
	}
	out[k] = '\0';
}

static size_t fmt_until(char *buf, size_t cap, int64_t t)
{
	if (t == DHCP_LEASE_INFINITE) /* RFC 1534 §2; RFC 8415 §7.7 */
		return (size_t)snprintf(buf, cap, "never");
	return fmt_time(buf, cap, t);
}

size_t dhcp_journal_format(char *buf, size_t cap, int64_t ts, enum dhcp_jevent ev,
			   const struct dhcp_lease *l)
{
	char t1[32], t2[32], mac[16 * 3], key[DHCP_KEY_MAX * 2 + 1], ip[INET_ADDRSTRLEN], host[200];
	uint32_t be = htonl(l->addr);
	fmt_time(t1, sizeof(t1), ts);
	if (!fmt_until(t2, sizeof(t2), l->expires))
		return 0;
	pxe_hex_encode(mac, sizeof(mac), l->hw, l->hlen, ':');
	pxe_hex_encode(key, sizeof(key), l->key, l->key_len, 0);
	inet_ntop(AF_INET, &be, ip, sizeof(ip));
	esc_host(host, sizeof(host), l->hostname);
	int n = snprintf(buf, cap, "%s %s mac=%s ip=%s until=%s cid=%s%s%s\n", t1, ev_names[ev],
			 l->hlen ? mac : "-", ip, t2, l->key_len ? key : "-",
			 host[0] ? " host=" : "", host);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

size_t dhcp_journal_format6(char *buf, size_t cap, int64_t ts, enum dhcp_jevent ev,
			    const struct dhcp6_lease *l)
{
	char t1[32], t2[32], mac[6 * 3], duid[DHCP6_LEASE_DUID_MAX * 2 + 1], ip[INET6_ADDRSTRLEN],
		host[200];
	if (!fmt_time(t1, sizeof(t1), ts) || !fmt_until(t2, sizeof(t2), l->expires))
		return 0;
	pxe_hex_encode(mac, sizeof(mac), l->mac, 6, ':');
	pxe_hex_encode(duid, sizeof(duid), l->duid, l->duid_len, 0);
	inet_ntop(AF_INET6, l->addr, ip, sizeof(ip)); /* RFC 5952 form */
	esc_host(host, sizeof(host), l->hostname);
	int n = snprintf(buf, cap, "%s %s duid=%s iaid=%lu ip=%s until=%s mac=%s%s%s\n", t1,
			 ev6_names[ev], l->duid_len ? duid : "-", (unsigned long)l->iaid, ip, t2,
			 l->has_mac ? mac : "-", host[0] ? " host=" : "", host);
	return n > 0 && (size_t)n < cap ? (size_t)n : 0;
}

/* mac=02:54:00:00:00:07, cid=0102540000000007, or "-" for none. */
static int unhex(const char *s, uint8_t *out, size_t cap, uint8_t *len)
{
	int n = strcmp(s, "-") ? pxe_hex_decode(s, strlen(s), ":", 0, out, cap) : 0;
	if (n < 0)
		return -EINVAL;
	*len = (uint8_t)n;
	return 0;
}

/* iaid=: decimal, 0 to 2^32 - 1, digits only. */
static int parse_iaid(const char *v, uint32_t *out)
{
	uint64_t n = 0;
	if (!*v || strlen(v) > 10)
		return -EINVAL;
	for (; *v; v++) {
		if (*v < '0' || *v > '9')
			return -EINVAL;
		n = n * 10 + (uint64_t)(*v - '0');
	}
	if (n > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)n;
	return 0;
}

static int parse_ip(struct dhcp_jrec *r, const char *v)
{
	struct in_addr a;
	if (r->family == 6)
		return inet_pton(AF_INET6, v, r->addr6) == 1 ? 0 : -EINVAL;
	if (inet_pton(AF_INET, v, &a) != 1)
		return -EINVAL;
	r->addr = ntohl(a.s_addr);
	return 0;
}

static int parse_field(struct dhcp_jrec *r, const char *k, const char *v, unsigned *seen)
{
	if (!strcmp(k, "mac")) {
		*seen |= 1;
		int e = unhex(v, r->hw, sizeof(r->hw), &r->hlen);
		return e < 0 || (r->family == 6 && r->hlen && r->hlen != 6) ? -EINVAL : 0;
	}
	if (!strcmp(k, "ip")) {
		*seen |= 2;
		return parse_ip(r, v);
	}
	if (r->family == 6 && !strcmp(k, "duid")) {
		*seen |= 8;
		return unhex(v, r->duid, sizeof(r->duid), &r->duid_len);
	}
	if (r->family == 6 && !strcmp(k, "iaid")) {
		*seen |= 16;
		return parse_iaid(v, &r->iaid);
	}
	if (!strcmp(k, "until")) {
		*seen |= 4;
		if (!strcmp(v, "never")) {
			r->until = DHCP_LEASE_INFINITE;
			return 0;
		}
		return parse_time(v, &r->until);
	}
	if (!strcmp(k, "cid"))
		return unhex(v, r->key, sizeof(r->key), &r->key_len);
	if (!strcmp(k, "host")) {
		unesc_host(r->hostname, sizeof(r->hostname), v);
		return 0;
	}
	return 0; /* unknown keys: written by a newer version; ignore */
}

int dhcp_journal_parse(const char *line, struct dhcp_jrec *r, const char **why)
{
	char copy[1024];
	memset(r, 0, sizeof(*r));
	if (strlen(line) >= sizeof(copy)) {
		*why = "line too long";
		return -EINVAL;
	}
	strcpy(copy, line);
	char *save = NULL, *tok = strtok_r(copy, " ", &save);
	if (!tok || parse_time(tok, &r->ts) < 0) {
		*why = "bad time stamp";
		return -EINVAL;
	}
	tok = strtok_r(NULL, " ", &save);
	int ev = -1;
	r->family = 4;
	for (int i = 0; tok && i <= JEV_DECLINE; i++) {
		if (!strcmp(tok, ev_names[i]))
			ev = i;
		else if (!strcmp(tok, ev6_names[i]))
			ev = i, r->family = 6;
	}
	if (ev < 0) {
		*why = "unknown event";
		return -EINVAL;
	}
	r->ev = (enum dhcp_jevent)ev;
	unsigned seen = 0;
	while ((tok = strtok_r(NULL, " ", &save))) {
		char *eq = strchr(tok, '=');
		if (!eq) {
			*why = "field without '='";
			return -EINVAL;
		}
		*eq = '\0';
		if (parse_field(r, tok, eq + 1, &seen) < 0) {
			*why = "bad field value";
			return -EINVAL;
		}
	}
	if ((seen & 6) != 6) {
		*why = "missing ip= or until=";
		return -EINVAL;
	}
	if (r->family == 6 && (seen & 24) != 24) {
		*why = "missing duid= or iaid=";
		return -EINVAL;
	}
	return 0;
}

static void copy_client6(struct dhcp6_lease *l, const struct dhcp_jrec *r)
{
	l->has_mac = r->hlen == 6;
	memcpy(l->mac, r->hw, 6);
}

/* A DHCPv6 line, the same rules as a DHCPv4 one (below). */
static void apply6(struct dhcp6_leases *s, const struct dhcp_jrec *r, int64_t now)
{
	struct dhcp6_lease *l;
	if (r->ev == JEV_DECLINE) { /* RFC 8415 §18.3.8: a quarantine, no client */
		if (r->until <= now)
			return;
		l = dhcp6_lease_by_addr(s, r->addr6);
		if (l)
			dhcp6_leases_remove(s, l);
		l = dhcp6_leases_take(s, NULL, 0, 0, r->addr6, LEASE_DECLINED, r->until);
		if (l) { /* who declined it, for --leases and the next compaction */
			memcpy(l->duid, r->duid, r->duid_len);
			l->duid_len = r->duid_len;
			l->iaid = r->iaid;
			copy_client6(l, r);
		}
		return;
	}
	if (!r->duid_len)
		return;
	bool live = (r->ev == JEV_ADD || r->ev == JEV_RENEW) && r->until > now;
	l = dhcp6_lease_by_client(s, r->duid, r->duid_len, r->iaid);
	if (!live) {
		struct dhcp6_lease *o = dhcp6_lease_by_addr(s, r->addr6);
		if (l && memcmp(l->addr, r->addr6, 16))
			return;
		if (o && o != l && dhcp6_lease_active(o, now))
			return;
	}
	l = dhcp6_leases_take(s, r->duid, r->duid_len, r->iaid, r->addr6,
			      live                   ? LEASE_BOUND
			      : r->ev == JEV_RELEASE ? LEASE_RELEASED
						     : LEASE_EXPIRED,
			      r->until);
	if (!l)
		return;
	copy_client6(l, r);
	snprintf(l->hostname, sizeof(l->hostname), "%s", r->hostname);
}

void dhcp_journal_apply(struct dhcp_leases *s, const struct dhcp_jrec *r, int64_t now)
{
	struct dhcp_lease *l;
	if (r->family == 6) {
		apply6(dhcp_leases_v6(s), r, now);
		return;
	}
	if (r->ev == JEV_DECLINE) {
		if (r->until <= now)
			return;
		l = dhcp_lease_by_addr(s, r->addr);
		if (l)
			dhcp_leases_remove(s, l);
		l = dhcp_leases_take(s, NULL, 0, r->addr, LEASE_DECLINED, r->until);
		if (l) { /* who declined it, for --leases and the next compaction */
			l->hlen = r->hlen;
			memcpy(l->hw, r->hw, sizeof(l->hw));
		}
		return;
	}
	if (!r->key_len)
		return;
	bool live = (r->ev == JEV_ADD || r->ev == JEV_RENEW) && r->until > now;
	l = dhcp_lease_by_client(s, r->key, r->key_len);
	if (!live) {
		/* Keep the client's last address for affinity, unless someone
		 * else holds it now. */
		struct dhcp_lease *o = dhcp_lease_by_addr(s, r->addr);
		if (l && l->addr != r->addr)
			return;
		if (o && o != l && dhcp_lease_active(o, now))
			return;
	}
	l = dhcp_leases_take(s, r->key, r->key_len, r->addr,
			     live                   ? LEASE_BOUND
			     : r->ev == JEV_RELEASE ? LEASE_RELEASED
						    : LEASE_EXPIRED,
			     r->until);
	if (!l)
		return;
	l->hlen = r->hlen;
	memcpy(l->hw, r->hw, sizeof(l->hw));
	snprintf(l->hostname, sizeof(l->hostname), "%s", r->hostname);
}

/* Read the whole file; NUL-terminated. */
static int slurp(const char *path, char **out, size_t *len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? (*out = NULL, *len = 0, 0) : -errno;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		int e = -errno;
		close(fd);
		return e;
	}
	char *b = malloc((size_t)st.st_size + 1);
	size_t n = 0;
	while (b && n < (size_t)st.st_size) {
		ssize_t r = read(fd, b + n, (size_t)st.st_size - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	if (!b)
		return -ENOMEM;
	b[n] = '\0';
	*out = b;
	*len = n;
	return 0;
}

long dhcp_journal_replay(const char *path, struct dhcp_leases *s, int64_t now,
			 void (*warn)(void *ctx, long line, const char *why), void *ctx)
{
	char *b;
	size_t n;
	int r = slurp(path, &b, &n);
	if (r < 0)
		return r;
	long lineno = 0;
	for (size_t i = 0; i < n;) {
		char *nl = memchr(b + i, '\n', n - i);
		lineno++;
		if (!nl) { /* a crash in the middle of a write: never fatal */
			if (warn)
				warn(ctx, lineno, "truncated last line skipped");
			break;
		}
		*nl = '\0';
		struct dhcp_jrec rec;
		const char *why = NULL;
		if (memchr(b + i, '\0', (size_t)(nl - (b + i))))
			why = "NUL byte in line";
		else if (b[i] == '#' || b[i] == '\0')
			why = "";
		else if (dhcp_journal_parse(b + i, &rec, &why) < 0 && !why)
			why = "bad line";
		if (!why)
			dhcp_journal_apply(s, &rec, now);
		else if (*why && warn)
			warn(ctx, lineno, why);
		i = (size_t)(nl - b) + 1;
	}
	free(b);
	return lineno;
}

int dhcp_journal_open(struct dhcp_journal *j, const char *path, struct pxe_err *err)
{
	j->fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (j->fd < 0)
		return pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (!j->path || strcmp(j->path, path)) {
		free(j->path);
		j->path = strdup(path);
	}
	return j->path ? 0 : pxe_err_set(err, ENOMEM, "out of memory");
}

void dhcp_journal_close(struct dhcp_journal *j)
{
	if (j->fd >= 0)
		close(j->fd);
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	j->fd = j->lock_fd = -1;
	free(j->path);
	free(j->buf);
	j->path = j->buf = NULL;
	j->len = j->cap = 0;
}

/* Room for one line of either family (a v6 one with a 130-byte DUID and
 * an escaped host name stays under 700 bytes). */
#define LINE_MAX_LEN 1024

static int reserve(struct dhcp_journal *j)
{
	if (j->cap - j->len >= LINE_MAX_LEN)
		return 0;
	size_t nc = j->cap ? j->cap * 2 : 65536;
	char *nb = realloc(j->buf, nc);
	if (!nb)
		return -ENOMEM;
	j->buf = nb;
	j->cap = nc;
	return 0;
}

static int added(struct dhcp_journal *j, size_t n)
{
	if (!n)
		return -EINVAL;
	j->len += n;
	j->lines++;
	return 0;
}

int dhcp_journal_add(struct dhcp_journal *j, int64_t ts, enum dhcp_jevent ev,
		     const struct dhcp_lease *l)
{
	if (reserve(j) < 0)
		return -ENOMEM;
	return added(j, dhcp_journal_format(j->buf + j->len, j->cap - j->len, ts, ev, l));
}

int dhcp_journal_add6(struct dhcp_journal *j, int64_t ts, enum dhcp_jevent ev,
		      const struct dhcp6_lease *l)
{
	if (reserve(j) < 0)
		return -ENOMEM;
	return added(j, dhcp_journal_format6(j->buf + j->len, j->cap - j->len, ts, ev, l));
}

bool dhcp_journal_pending(const struct dhcp_journal *j)
{
	return j->len > 0;
}

static int write_all(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = write(fd, b, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

char *dhcp_journal_take(struct dhcp_journal *j, size_t *len)
{
	char *b = j->buf;
	*len = j->len;
	j->buf = NULL;
	j->len = j->cap = 0;
	return b;
}

/* Append and fdatasync. A write cut short (ENOSPC, EIO) is cut off the
 * file again: the next batch must start on a line of its own, or its
 * first line would be glued to the fragment and lost on replay. When
 * that cut fails too (a dying disk fails ftruncate as well), the fragment
 * stays, and the next batch starts with a newline of its own, found by
 * reading the last byte back (the descriptor is O_RDWR for this). The
 * journal has one writer at a time (commit.c), so the end is ours. */
int dhcp_journal_write_sync(int fd, const char *buf, size_t len)
{
	struct stat st;
	bool known_end = fstat(fd, &st) == 0;
	char last = '\n';
	if (known_end && st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) != 1)
		last = '\n'; /* unreadable: taken as a clean end */
	int r = last == '\n' ? 0 : write_all(fd, "\n", 1);
	if (r == 0)
		r = write_all(fd, buf, len);
	if (r < 0 && known_end && ftruncate(fd, st.st_size) < 0) {
		/* still failing: the fragment stays; keep the first error */
	}
	if (r == 0 && fdatasync(fd) < 0)
		r = -errno;
	return r;
}

int dhcp_journal_flush(struct dhcp_journal *j)
{
	if (!j->len)
		return 0;
	int r = dhcp_journal_write_sync(j->fd, j->buf, j->len);
	j->len = 0;
	return r;
}

/* The line that stands for a record in a snapshot; -1: none. has_client:
 * a record without one (a quarantine's leftover) is not worth a line. */
static int snapshot_event(uint8_t state, int64_t expires, bool has_client, int64_t now,
			  enum dhcp_jevent *ev)
{
	switch (state) {
	case LEASE_BOUND: *ev = expires > now ? JEV_ADD : JEV_EXPIRE; return 0;
	case LEASE_DECLINED: *ev = JEV_DECLINE; return expires > now ? 0 : -1;
	case LEASE_RELEASED: *ev = JEV_RELEASE; return 0;
	case LEASE_EXPIRED: *ev = JEV_EXPIRE; return has_client ? 0 : -1;
	default: /* offers (and v6 ADVERTISEd addresses) are not on disk */ return -1;
	}
}

static int fsync_dir(const char *path)
{
	char *d = strdup(path);
	if (!d)
		return -ENOMEM;
	int fd = open(dirname(d), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(d);
	if (fd < 0)
		return -errno;
	int r = fsync(fd) < 0 ? -errno : 0;
	close(fd);
	return r;
}

static size_t snapshot_v4(FILE *f, const struct dhcp_leases *s, int64_t now)
{
	char line[LINE_MAX_LEN];
	size_t n = 0;
	for (size_t i = 0; i < dhcp_leases_count(s); i++) {
		const struct dhcp_lease *l = dhcp_leases_at(s, i);
		enum dhcp_jevent ev;
		if (snapshot_event(l->state, l->expires, l->key_len > 0, now, &ev) < 0)
			continue;
		size_t k = dhcp_journal_format(line, sizeof(line), now, ev, l);
		if (k && fwrite(line, 1, k, f) == k)
			n++;
	}
	return n;
}

static size_t snapshot_v6(FILE *f, const struct dhcp6_leases *s, int64_t now)
{
	char line[LINE_MAX_LEN];
	size_t n = 0;
	for (size_t i = 0; i < dhcp6_leases_count(s); i++) {
		const struct dhcp6_lease *l = dhcp6_leases_at(s, i);
		enum dhcp_jevent ev;
		if (snapshot_event(l->state, l->expires, l->duid_len > 0, now, &ev) < 0 ||
		    (ev != JEV_ADD && ev != JEV_DECLINE && l->expires < now - DHCP6_LEASE_KEEP))
			continue; /* lapsed past what dhcp6_leases_expire keeps */
		size_t k = dhcp_journal_format6(line, sizeof(line), now, ev, l);
		if (k && fwrite(line, 1, k, f) == k)
			n++;
	}
	return n;
}

int dhcp_journal_write_snapshot(const char *path, const struct dhcp_leases *s, int64_t now,
				size_t *lines, struct pxe_err *err)
{
	char tmp[4096];
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return pxe_err_set(err, ENAMETOOLONG, "%s: name too long", path);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return pxe_err_set(err, errno, "%s: %s", tmp, strerror(errno));
	size_t n = snapshot_v4(f, s, now) + snapshot_v6(f, dhcp_leases_v6(s), now);
	int r = 0;
	if (fflush(f) != 0 || fsync(fileno(f)) < 0)
		r = -errno;
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r) {
		unlink(tmp);
		return pxe_err_set(err, -r, "%s: %s", tmp, strerror(-r));
	}
	fsync_dir(path);
	if (lines)
		*lines = n;
	return 0;
}

int dhcp_journal_compact(struct dhcp_journal *j, const struct dhcp_leases *s, int64_t now,
			 struct pxe_err *err)
{
	size_t lines;
	int r = dhcp_journal_flush(j);
	if (r < 0)
		return pxe_err_set(err, -r, "%s: %s", j->path, strerror(-r));
	r = dhcp_journal_write_snapshot(j->path, s, now, &lines, err);
	if (r < 0)
		return r;
	int fd = open(j->path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return pxe_err_set(err, errno, "%s: %s", j->path, strerror(errno));
	close(j->fd);
	j->fd = fd;
	j->lines = lines;
	return 0;
}

int dhcp_journal_switch(struct dhcp_journal *j, const char *path, int lock_fd,
			const struct dhcp_leases *s, int64_t now, int *old_fd, struct pxe_err *err)
{
	size_t lines;
	char *copy = strdup(path);
	if (!copy)
		return pxe_err_set(err, ENOMEM, "out of memory");
	int r = dhcp_journal_write_snapshot(path, s, now, &lines, err);
	int fd = r < 0 ? -1 : open(path, O_RDWR | O_APPEND | O_CLOEXEC);
	if (r == 0 && fd < 0)
		r = pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	if (r < 0) {
		free(copy);
		return r;
	}
	*old_fd = j->fd;
	if (j->lock_fd >= 0)
		close(j->lock_fd);
	free(j->path);
	j->fd = fd;
	j->lock_fd = lock_fd;
	j->path = copy;
	j->lines = lines;
	return 0;
}

bool dhcp_journal_file_gone(const struct dhcp_journal *j)
{
	struct stat ours, there;
	if (j->fd < 0 || fstat(j->fd, &ours) < 0)
		return false;
	if (stat(j->path, &there) < 0)
		return errno == ENOENT;
	return ours.st_dev != there.st_dev || ours.st_ino != there.st_ino;
}

bool dhcp_journal_wants_compaction(const struct dhcp_journal *j, size_t records)
{
	return j->lines > 2 * records + 10000;
}
