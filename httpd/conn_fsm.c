/* SPDX-License-Identifier: MIT */
/* The connection state machine (see conn_fsm.h): one row per state, one
 * step function per row, and the transitions they share. */
#include "conn_fsm.h"

#include <stddef.h>

/* Which deadline entering a state arms. */
enum conn_clock {
	CONN_CLOCK_NONE,
	CONN_CLOCK_IDLE,
	CONN_CLOCK_HEADER,
	CONN_CLOCK_LINGER,
	CONN_CLOCK_HANDSHAKE
};

typedef struct conn_act (*conn_step_fn)(struct conn_fsm *m, const struct conn_policy *p,
					const struct conn_ev *ev, uint64_t now);

struct conn_row {
	const char *name;
	enum conn_clock clock;
	/* Events, and TIMER only once the deadline has passed. ERROR never
	 * gets here: it closes in every state. */
	conn_step_fn step;
};

static struct conn_act idle_step(struct conn_fsm *m, const struct conn_policy *p,
				 const struct conn_ev *ev, uint64_t now);
static struct conn_act read_head_step(struct conn_fsm *m, const struct conn_policy *p,
				      const struct conn_ev *ev, uint64_t now);
static struct conn_act send_step(struct conn_fsm *m, const struct conn_policy *p,
				 const struct conn_ev *ev, uint64_t now);
static struct conn_act linger_step(struct conn_fsm *m, const struct conn_policy *p,
				   const struct conn_ev *ev, uint64_t now);
static struct conn_act closed_step(struct conn_fsm *m, const struct conn_policy *p,
				   const struct conn_ev *ev, uint64_t now);
static struct conn_act handshake_step(struct conn_fsm *m, const struct conn_policy *p,
				      const struct conn_ev *ev, uint64_t now);

static const struct conn_row rows[CONN_NSTATES] = {
	[CONN_IDLE] = {"idle", CONN_CLOCK_IDLE, idle_step},
	[CONN_READ_HEAD] = {"read-head", CONN_CLOCK_HEADER, read_head_step},
	[CONN_SEND] = {"send", CONN_CLOCK_IDLE, send_step},
	[CONN_LINGER] = {"linger", CONN_CLOCK_LINGER, linger_step},
	[CONN_CLOSED] = {"closed", CONN_CLOCK_NONE, closed_step},
	[CONN_HANDSHAKE] = {"handshake", CONN_CLOCK_HANDSHAKE, handshake_step},
};

const char *conn_state_name(enum conn_state st)
{
	return st < CONN_NSTATES ? rows[st].name : "?";
}

static struct conn_act act(enum conn_act_kind kind)
{
	return (struct conn_act){.kind = kind};
}

static uint64_t clock_deadline(enum conn_clock k, const struct conn_policy *p, uint64_t now)
{
	switch (k) {
	case CONN_CLOCK_IDLE: return p->idle_ms ? now + p->idle_ms : 0;
	case CONN_CLOCK_HEADER: return p->header_ms ? now + p->header_ms : 0;
	case CONN_CLOCK_LINGER: return now + CONN_LINGER_MS;
	case CONN_CLOCK_HANDSHAKE: return p->handshake_ms ? now + p->handshake_ms : 0;
	case CONN_CLOCK_NONE: break;
	}
	return 0;
}

/* Enter st (or enter it again: its deadline starts over). */
static void enter(struct conn_fsm *m, enum conn_state st, const struct conn_policy *p, uint64_t now)
{
	m->state = st;
	m->deadline = clock_deadline(rows[st].clock, p, now);
}

static struct conn_act close_now(struct conn_fsm *m)
{
	m->state = CONN_CLOSED;
	m->deadline = 0;
	return act(CONN_ACT_CLOSE);
}

/* ---------------------------------------------------------------- input */

/* Nothing held to answer: read if the socket may have more; a peer that
 * half-closed between requests has nothing more to ask. */
static struct conn_act input_next(struct conn_fsm *m)
{
	if (m->readable)
		return act(CONN_ACT_READ);
	if (m->peer_eof && m->state == CONN_IDLE)
		return close_now(m);
	return act(CONN_ACT_WAIT);
}

/* File bytes or multipart pieces are still to come after what is queued
 * (the queued bytes are corked with MSG_MORE only then: a closing
 * boundary sent with it would wait for the cork timer, 200 ms). */
static bool body_pending(const struct conn_fsm *m)
{
	return m->left || (m->parts && m->part <= m->nparts);
}

static struct conn_act output_next(struct conn_fsm *m, const struct conn_policy *p, uint64_t now);
static struct conn_act response_done(struct conn_fsm *m, const struct conn_policy *p, uint64_t now);

/* The parse of the input held. Pipelined heads are answered in order; a
 * partial one behind queued replies waits until they are sent. */
static struct conn_act on_head(struct conn_fsm *m, const struct conn_policy *p,
			       const struct conn_ev *ev, uint64_t now)
{
	if (ev->kind == CONN_EV_INPUT)
		m->readable = ev->filled;
	if (ev->head == CONN_HEAD_COMPLETE)
		return act(CONN_ACT_HANDLE);
	if (ev->head == CONN_HEAD_ERROR) {
		/* framing is lost: answer, then close (RFC 9112 §9.6) */
		m->rejected = true;
		m->held = false;
		return (struct conn_act){.kind = CONN_ACT_REJECT, .status = ev->status};
	}
	m->held = true;
	if (m->queued) {
		enter(m, CONN_SEND, p, now);
		return output_next(m, p, now);
	}
	/* the header deadline starts with the first byte and is not
	 * extended by later ones (slowloris) */
	if (m->state != CONN_READ_HEAD)
		enter(m, CONN_READ_HEAD, p, now);
	return input_next(m);
}

/* Keep-alive or close (RFC 9112 §9.3, §9.6; --no-keepalive). */
static struct conn_act on_reply(struct conn_fsm *m, const struct conn_policy *p,
				const struct conn_ev *ev)
{
	bool ka = !m->rejected && !ev->close && p->keepalive && ev->req_keepalive && !ev->stopping;
	if (!ka) {
		m->close_after = true;
		m->linger = ev->linger || m->rejected;
	}
	return (struct conn_act){.kind = CONN_ACT_QUEUE, .keepalive = ka};
}

/* A reply is queued. Small replies to pipelined requests are batched into
 * one write; a file body, a filling buffer or a close sends first. */
static struct conn_act on_queued(struct conn_fsm *m, const struct conn_policy *p,
				 const struct conn_ev *ev, uint64_t now)
{
	m->queued = true;
	m->held = ev->more_input;
	if (ev->failed)
		m->close_after = true;
	if (ev->nparts > 1) {
		m->parts = ev->parts;
		m->nparts = ev->nparts;
		m->part = 0;
		m->file = true;
	} else if (ev->len) {
		m->off = ev->off;
		m->left = ev->len;
		m->file = true;
	}
	if (m->held && !m->close_after && !ev->full && !body_pending(m))
		return act(CONN_ACT_PARSE);
	enter(m, CONN_SEND, p, now);
	return output_next(m, p, now);
}

/* IDLE and READ_HEAD: the request side. */
static struct conn_act reading_step(struct conn_fsm *m, const struct conn_policy *p,
				    const struct conn_ev *ev, uint64_t now)
{
	switch (ev->kind) {
	case CONN_EV_IO: return input_next(m);
	case CONN_EV_INPUT:
	case CONN_EV_HEAD: return on_head(m, p, ev, now);
	case CONN_EV_AGAIN: m->readable = false; return input_next(m);
	case CONN_EV_EOF: return close_now(m);
	case CONN_EV_REPLY: return on_reply(m, p, ev);
	case CONN_EV_QUEUED: return on_queued(m, p, ev, now);
	default: return act(CONN_ACT_NONE);
	}
}

static struct conn_act idle_step(struct conn_fsm *m, const struct conn_policy *p,
				 const struct conn_ev *ev, uint64_t now)
{
	if (ev->kind == CONN_EV_TIMER) /* keep-alive idle timeout: silently */
		return close_now(m);
	return reading_step(m, p, ev, now);
}

static struct conn_act read_head_step(struct conn_fsm *m, const struct conn_policy *p,
				      const struct conn_ev *ev, uint64_t now)
{
	if (ev->kind == CONN_EV_TIMER) {
		/* RFC 9110 §15.5.9; linger so that the 408 is read, not reset */
		m->close_after = true;
		m->linger = true;
		m->held = false;
		enter(m, CONN_LINGER, p, now);
		return act(CONN_ACT_SEND_408);
	}
	return reading_step(m, p, ev, now);
}

/* ---------------------------------------------------------------- output */

/* Queued memory first, then the file segment in steps, then the next
 * multipart piece; FINISH when a file body is all out. */
static struct conn_act output_next(struct conn_fsm *m, const struct conn_policy *p, uint64_t now)
{
	if (m->queued)
		return (struct conn_act){.kind = CONN_ACT_SEND,
					 .more = body_pending(m),
					 .fin = m->close_after && !m->linger};
	if (m->left)
		return (struct conn_act){.kind = CONN_ACT_SENDFILE,
					 .off = m->off,
					 .len = m->left < CONN_SENDFILE_STEP ? m->left
									     : CONN_SENDFILE_STEP};
	if (m->parts && m->part <= m->nparts) {
		int i = m->part++;
		if (i < m->nparts) {
			m->off = m->parts[i].first;
			m->left = m->parts[i].last - m->parts[i].first + 1;
		}
		m->queued = true;
		return (struct conn_act){
			.kind = CONN_ACT_QUEUE_PART, .part = i, .tail = i == m->nparts};
	}
	if (m->file)
		return act(CONN_ACT_FINISH);
	return response_done(m, p, now);
}

static bool output_pending(const struct conn_fsm *m)
{
	return m->queued || body_pending(m);
}

/* The response is out (and FINISH done): close, linger, or the next
 * request, which may already be held. */
static struct conn_act response_done(struct conn_fsm *m, const struct conn_policy *p, uint64_t now)
{
	m->parts = NULL;
	m->nparts = m->part = 0;
	m->file = false;
	if (m->close_after) {
		if (!m->linger)
			return close_now(m);
		enter(m, CONN_LINGER, p, now);
		return act(CONN_ACT_SHUTDOWN);
	}
	if (m->held) {
		enter(m, CONN_READ_HEAD, p, now);
		return act(CONN_ACT_PARSE);
	}
	enter(m, CONN_IDLE, p, now);
	return input_next(m);
}

static struct conn_act send_step(struct conn_fsm *m, const struct conn_policy *p,
				 const struct conn_ev *ev, uint64_t now)
{
	switch (ev->kind) {
	case CONN_EV_IO: return output_next(m, p, now);
	case CONN_EV_SENT:
		if (m->queued) {
			m->queued = false;
		} else {
			uint64_t n = ev->bytes < m->left ? ev->bytes : m->left;
			m->off += n;
			m->left -= n;
		}
		enter(m, CONN_SEND, p, now); /* progress: the stall timeout starts over */
		return output_next(m, p, now);
	case CONN_EV_BLOCKED:
		if (ev->progress)
			enter(m, CONN_SEND, p, now);
		return act(CONN_ACT_WAIT);
	case CONN_EV_DONE:
		if (output_pending(m))
			return output_next(m, p, now);
		return response_done(m, p, now);
	case CONN_EV_TIMER: return close_now(m); /* the client stopped reading */
	default: return act(CONN_ACT_NONE);
	}
}

/* ---------------------------------------------------------------- linger */

static struct conn_act linger_step(struct conn_fsm *m, const struct conn_policy *p,
				   const struct conn_ev *ev, uint64_t now)
{
	(void)p;
	(void)now;
	switch (ev->kind) {
	case CONN_EV_DONE: /* after SHUTDOWN or SEND_408 */
	case CONN_EV_IO: return act(CONN_ACT_DRAIN);
	case CONN_EV_AGAIN: return act(CONN_ACT_WAIT);
	case CONN_EV_EOF:
	case CONN_EV_TIMER: return close_now(m);
	default: return act(CONN_ACT_NONE);
	}
}

/* (conn_fsm_step does not get here: the row keeps the table total) */
static struct conn_act closed_step(struct conn_fsm *m, const struct conn_policy *p,
				   const struct conn_ev *ev, uint64_t now)
{
	(void)m;
	(void)p;
	(void)ev;
	(void)now;
	return act(CONN_ACT_NONE);
}

/* ---------------------------------------------------------------- handshake */

/* The transport says which way it waits (want-read or want-write); the
 * shell watches both directions, so any socket event drives it again. A
 * failed handshake, a peer gone, the deadline: close (the shell logs). */
static struct conn_act handshake_step(struct conn_fsm *m, const struct conn_policy *p,
				      const struct conn_ev *ev, uint64_t now)
{
	switch (ev->kind) {
	case CONN_EV_IO: return act(CONN_ACT_HANDSHAKE);
	case CONN_EV_AGAIN: return act(CONN_ACT_WAIT);
	case CONN_EV_DONE:
		/* the request may have come with the last handshake flight */
		m->readable = true;
		enter(m, CONN_IDLE, p, now);
		return act(CONN_ACT_READ);
	case CONN_EV_EOF:
	case CONN_EV_TIMER: return close_now(m);
	default: return act(CONN_ACT_NONE);
	}
}

/* ---------------------------------------------------------------- entry */

struct conn_act conn_fsm_start_tls(struct conn_fsm *m, const struct conn_policy *p, uint64_t now)
{
	*m = (struct conn_fsm){.readable = true};
	enter(m, CONN_HANDSHAKE, p, now);
	return act(CONN_ACT_HANDSHAKE);
}

struct conn_act conn_fsm_start(struct conn_fsm *m, const struct conn_policy *p, uint64_t now)
{
	*m = (struct conn_fsm){.readable = true};
	enter(m, CONN_IDLE, p, now);
	return act(CONN_ACT_READ);
}

struct conn_act conn_fsm_step(struct conn_fsm *m, const struct conn_policy *p,
			      const struct conn_ev *ev, uint64_t now)
{
	if (m->state == CONN_CLOSED) /* final: nothing closes twice */
		return act(CONN_ACT_NONE);
	switch (ev->kind) {
	case CONN_EV_ERROR: return close_now(m);
	case CONN_EV_TIMER:
		if (!m->deadline || now < m->deadline)
			return act(CONN_ACT_NONE);
		break;
	case CONN_EV_IO:
		m->readable |= ev->readable;
		m->peer_eof |= ev->hup;
		break;
	default: break;
	}
	return rows[m->state].step(m, p, ev, now);
}
