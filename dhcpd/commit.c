/* SPDX-License-Identifier: MIT */
/* The lease journal's group commit (see commit.h): lines are buffered
 * during a loop iteration, written and fdatasynced once on the thread
 * pool, and only then are the ACKs of that batch sent. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commit.h"
#include "heldlog.h"
#include "log.h"
#include "script.h"
#include "send.h"

void dhcp_commit_event(struct dhcpd *d, enum dhcp_jevent ev, const struct dhcp_lease *l)
{
	if (dhcp_journal_add(&d->journal, dhcp_now(), ev, l) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "cannot buffer a lease line");
	dhcp_script_event(d->script, ev, l);
}

void dhcp_commit_queue(struct dhcpd *d, struct dhcp_pending *p)
{
	if (d->n_pend == d->cap_pend) {
		size_t nc = d->cap_pend ? d->cap_pend * 2 : 256;
		struct dhcp_pending **np = realloc(d->pend, nc * sizeof(*np));
		if (!np) {
			dhcp_heldlog_end(p->log, "out of memory");
			free(p);
			return;
		}
		d->pend = np;
		d->cap_pend = nc;
	}
	d->pend[d->n_pend++] = p;
}

/* How often a journal that keeps failing is reported: a full disk under
 * a boot storm fails every batch, and the log is likely on that disk. */
#define JFAIL_REPORT_MS 10000

/* The replies of a batch whose lines are not on disk are not sent (the
 * clients retry): one error line per JFAIL_REPORT_MS with the count (each
 * request's own line says reply=none dropped=ack, deliver), and a notice
 * when writes succeed again. The interval holds across a success in
 * between: a disk just full takes a small batch, then refuses the next
 * (the fragment cut off frees a little room), and each flip would
 * otherwise log again. */
static void report_failure(struct dhcpd *d, size_t n, int result, const char *path)
{
	uint64_t now = uv_now(d->loop);
	d->jfail_acks += n;
	if (!d->jfail_logged_ms || now - d->jfail_logged_ms >= JFAIL_REPORT_MS) {
		pxe_log_msg(PXE_LOG_ERR, "journal",
			    "%s: %s; %zu replies that bind leases not sent%s", path,
			    strerror(-result), d->jfail_acks,
			    d->jfail_logged_ms ? " since the last report" : "");
		d->jfail_logged_ms = now ? now : 1; /* 0: never */
		d->jfail_acks = 0;
		d->jfail_reported = true;
	}
	d->jfail = true;
}

static void deliver(struct dhcpd *d, struct dhcp_pending **pend, size_t n, int result,
		    const char *path)
{
	if (result < 0) {
		report_failure(d, n, result, path);
	} else if (d->jfail) {
		/* a failure inside the interval, after a notice, is told by the
		 * next error line (its count carries over) */
		if (d->jfail_reported) {
			pxe_log_msg(PXE_LOG_NOTICE, "journal",
				    "%s: written again; %zu more replies were not sent before",
				    path, d->jfail_acks);
			d->jfail_acks = 0;
			d->jfail_reported = false;
		}
		d->jfail = false;
	}
	for (size_t i = 0; i < n; i++) {
		/* the request's line, now that it is known whether its reply goes */
		dhcp_heldlog_end(pend[i]->log, result == 0 ? NULL : "journal write failed");
		pend[i]->log = NULL;
		if (result == 0)
			dhcp_send_queue(d, pend[i]);
		else
			free(pend[i]);
	}
	dhcp_send_flush(d); /* the ACKs at once, in one sendmmsg */
}

static void maybe_compact(struct dhcpd *d)
{
	if (d->syncing ||
	    !dhcp_journal_wants_compaction(&d->journal, dhcp_leases_count_all(d->leases)))
		return;
	struct pxe_err err;
	if (dhcp_journal_compact(&d->journal, d->leases, dhcp_now(), &err) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "compaction failed: %s", err.msg);
}

void dhcp_commit_check_file(struct dhcpd *d)
{
	/* Not while a batch is being written or lines wait for one: the
	 * snapshot flushes them, and their ACKs would wait for a next batch. */
	if (d->syncing || dhcp_journal_pending(&d->journal) || !dhcp_journal_file_gone(&d->journal))
		return;
	pxe_log_msg(PXE_LOG_WARN, "journal",
		    "%s was deleted or replaced while in use; writing it anew from the %zu leases "
		    "in memory",
		    d->journal.path, dhcp_leases_count_all(d->leases));
	struct pxe_err err;
	if (dhcp_journal_compact(&d->journal, d->leases, dhcp_now(), &err) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "cannot write it anew: %s", err.msg);
}

void dhcp_commit_follow_clock(struct dhcpd *d)
{
	/* Lines in flight carry the old time: wait for them (a tick). */
	if (d->syncing || dhcp_journal_pending(&d->journal))
		return;
	int64_t delta = dhcp_clock_drift();
	if (!delta)
		return;
	pxe_log_msg(PXE_LOG_WARN, "clock",
		    "the wall clock moved by %+lld s; %zu lease end times move with it, each "
		    "keeping the time it had left",
		    (long long)delta, dhcp_leases_count_all(d->leases));
	dhcp_leases_shift(d->leases, delta);
	dhcp_clock_rebase(delta);
	struct pxe_err err;
	if (d->cfg->leases_on && dhcp_journal_compact(&d->journal, d->leases, dhcp_now(), &err) < 0)
		pxe_log_msg(PXE_LOG_ERR, "journal", "cannot write it in the new time: %s", err.msg);
}

/* Synchronous flush (stopping): the rest of the lines, then their ACKs. */
void dhcp_commit_finish(struct dhcpd *d)
{
	int r = dhcp_journal_flush(&d->journal);
	deliver(d, d->pend, d->n_pend, r, d->journal.path);
	d->n_pend = 0;
}

static void sync_work(uv_work_t *w)
{
	struct dhcp_sync *s = w->data;
	s->result = dhcp_journal_write_sync(s->fd, s->buf, s->len);
}

static void sync_done(uv_work_t *w, int status)
{
	struct dhcp_sync *s = w->data;
	struct dhcpd *d = s->d;
	if (status < 0 && s->result == 0)
		s->result = status;
	deliver(d, s->pend, s->n, s->result, d->journal.path);
	/* a reload moved the journal to another file meanwhile (reload.c):
	 * the old file's descriptor was left open for this write */
	if (s->fd != d->journal.fd)
		close(s->fd);
	free(s->buf);
	free(s->pend);
	s->buf = NULL;
	s->pend = NULL;
	d->syncing = false;
	if (d->stopping)
		dhcp_commit_finish(d);
	else
		maybe_compact(d);
}

/* Group commit: the lines buffered so far go to a worker thread for one
 * write + fdatasync while the loop keeps reading requests (so a slow disk
 * never overflows the socket buffer); the ACKs of those lines are sent
 * when it is done. One sync at a time; the next batch gathers meanwhile. */
static void start_sync(struct dhcpd *d)
{
	struct dhcp_sync *s = &d->sync;
	if (d->syncing || !dhcp_journal_pending(&d->journal))
		return;
	s->d = d;
	s->buf = dhcp_journal_take(&d->journal, &s->len);
	s->pend = d->pend;
	s->n = d->n_pend;
	s->fd = d->journal.fd;
	s->result = 0;
	s->req.data = s;
	d->pend = NULL;
	d->n_pend = d->cap_pend = 0;
	d->syncing = true;
	int r = uv_queue_work(d->loop, &s->req, sync_work, sync_done);
	if (r < 0) { /* no thread pool: do it here */
		sync_work(&s->req);
		sync_done(&s->req, 0);
	}
}

void dhcp_commit_on_check(uv_check_t *h)
{
	struct dhcpd *d = h->data;
	dhcp_send_flush(d); /* the replies of this iteration's requests */
	if (d->syncing)
		return;
	start_sync(d);
	maybe_compact(d);
}
