/* SPDX-License-Identifier: MIT */
/* The lease file: an append-only text journal, one human-readable line per
 * change, e.g.
 *
 *   2026-11-25T09:20:00Z add mac=02:54:42:00:00:01 ip=198.18.1.0 until=2026-11-25T10:20:00Z
 * cid=0102544200000001 host=node1
 *
 * A BOOTP lease, which never ends (RFC 1534 §2), has until=never.
 *
 * A DHCPv6 IA_NA address (leases6.h) has its own events, so that a
 * pxe-dhcpd that knows only DHCPv4 skips these lines as unknown events:
 *
 *   2026-12-02T18:00:00Z add6 duid=000100012f... iaid=1 ip=fd00:198:18:1::100
 * until=2026-12-02T19:00:00Z mac=52:54:00:12:34:56 host=node1
 *
 * (addresses in RFC 5952 form, mac=- when neither option 79 nor the DUID
 * gave one).
 *
 * Events: add, renew, release, expire, decline; add6, renew6, release6,
 * expire6, decline6. Lines are buffered during
 * one loop iteration and written with one write + fdatasync (the caller
 * sends its ACKs after that). Compaction writes the live records to
 * FILE.tmp, fsyncs it, renames it over FILE and fsyncs the directory.
 * Replay skips a truncated or corrupt line with a report, never fails on
 * content. */
#ifndef DHCP_JOURNAL_H
#define DHCP_JOURNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "leases.h"
#include "leases6.h"

enum dhcp_jevent { JEV_ADD, JEV_RENEW, JEV_RELEASE, JEV_EXPIRE, JEV_DECLINE };

struct dhcp_jrec {
	int64_t ts;
	enum dhcp_jevent ev;
	uint8_t family; /* 4, or 6 for an add6 ... decline6 line */
	uint8_t hw[16]; /* family 6: the MAC (hlen 6) or none (hlen 0) */
	uint8_t hlen;
	uint32_t addr;     /* family 4, host order */
	uint8_t addr6[16]; /* family 6 */
	uint8_t duid[DHCP6_LEASE_DUID_MAX];
	uint8_t duid_len;
	uint32_t iaid;
	int64_t until;
	uint8_t key[DHCP_KEY_MAX];
	uint8_t key_len;
	char hostname[64];
};

struct dhcp_journal {
	int fd;
	int lock_fd; /* journal_lock.h; -1 when not locked (set it so) */
	char *path;
	char *buf;
	size_t len, cap;
	size_t lines; /* lines in the file, to decide on compaction */
};

const char *dhcp_jevent_name(enum dhcp_jevent ev);
/* Pure: format one line (with '\n'); returns its length (<= cap - 1) or 0. */
size_t dhcp_journal_format(char *buf, size_t cap, int64_t ts, enum dhcp_jevent ev,
			   const struct dhcp_lease *l);
/* Pure: the same for a DHCPv6 lease (an add6 ... decline6 line). */
size_t dhcp_journal_format6(char *buf, size_t cap, int64_t ts, enum dhcp_jevent ev,
			    const struct dhcp6_lease *l);
/* Pure: parse one line of either family (without '\n'). 0 or -EINVAL
 * with *why set. */
int dhcp_journal_parse(const char *line, struct dhcp_jrec *out, const char **why);
/* Pure: apply one record to the store, a family 6 one to dhcp_leases_v6(s)
 * (now decides what is still live). */
void dhcp_journal_apply(struct dhcp_leases *s, const struct dhcp_jrec *r, int64_t now);

/* Replay FILE into s. A missing file is empty. Skipped lines are reported
 * through warn (line number, reason). Returns the number of lines read or
 * -errno when the file cannot be read. */
long dhcp_journal_replay(const char *path, struct dhcp_leases *s, int64_t now,
			 void (*warn)(void *ctx, long line, const char *why), void *ctx);

/* Open for appending (after replay and compaction). */
int dhcp_journal_open(struct dhcp_journal *j, const char *path, struct pxe_err *err);
/* Close the file and release its lock. */
void dhcp_journal_close(struct dhcp_journal *j);
/* Buffer one line. -ENOMEM when the buffer cannot grow. */
int dhcp_journal_add(struct dhcp_journal *j, int64_t ts, enum dhcp_jevent ev,
		     const struct dhcp_lease *l);
int dhcp_journal_add6(struct dhcp_journal *j, int64_t ts, enum dhcp_jevent ev,
		      const struct dhcp6_lease *l);
bool dhcp_journal_pending(const struct dhcp_journal *j);
/* Write the buffered lines and fdatasync. 0 or -errno. */
int dhcp_journal_flush(struct dhcp_journal *j);
/* For a flush on another thread: detach the buffered lines (the journal
 * starts a new buffer), then dhcp_journal_write_sync(fd, buf, len) there,
 * then free(buf). */
char *dhcp_journal_take(struct dhcp_journal *j, size_t *len);
int dhcp_journal_write_sync(int fd, const char *buf, size_t len);
/* Rewrite the file from the store (see above) and reopen it. */
int dhcp_journal_compact(struct dhcp_journal *j, const struct dhcp_leases *s, int64_t now,
			 struct pxe_err *err);
/* Write the compacted form of s, both families, to path (used by
 * compaction and tests). */
int dhcp_journal_write_snapshot(const char *path, const struct dhcp_leases *s, int64_t now,
				size_t *lines, struct pxe_err *err);
/* Move the journal to another file (reload with a new leasefile):
 * lock_fd is the new file's lock (journal_lock.h), taken by the caller
 * before anything changes. Writes the compacted form of s there, opens
 * it, then releases the old lock. The buffered lines stay buffered (for
 * the new file). *old_fd gets the old file's descriptor, for the caller
 * to close once no write is in flight on it. On error nothing changes
 * (lock_fd is the caller's to close). */
int dhcp_journal_switch(struct dhcp_journal *j, const char *path, int lock_fd,
			const struct dhcp_leases *s, int64_t now, int *old_fd, struct pxe_err *err);
/* True when the file has grown well past the live records (pass the
 * records of both families: dhcp_leases_count_all). */
/* Whether the file at j->path is no longer the one j writes to: deleted,
 * or replaced by a rename (another inode). */
bool dhcp_journal_file_gone(const struct dhcp_journal *j);
bool dhcp_journal_wants_compaction(const struct dhcp_journal *j, size_t records);

#endif
