/* SPDX-License-Identifier: MIT */
/* httpd/conn_fsm.c: the connection state machine, driven with a fake clock
 * and no sockets. Every state, every timeout, keep-alive and close,
 * pipelining, the output order of file segments and multipart parts. */
#include <string.h>

#include "conn_fsm.h"
#include "unit.h"

/* --timeout 5, --header-timeout 2, keep-alive on */
static const struct conn_policy P = {.idle_ms = 5000, .header_ms = 2000, .keepalive = true};

static const char *const act_names[] = {
	[CONN_ACT_NONE] = "NONE",         [CONN_ACT_WAIT] = "WAIT",
	[CONN_ACT_READ] = "READ",         [CONN_ACT_PARSE] = "PARSE",
	[CONN_ACT_HANDLE] = "HANDLE",     [CONN_ACT_REJECT] = "REJECT",
	[CONN_ACT_QUEUE] = "QUEUE",       [CONN_ACT_SEND] = "SEND",
	[CONN_ACT_SENDFILE] = "SENDFILE", [CONN_ACT_QUEUE_PART] = "QUEUE_PART",
	[CONN_ACT_FINISH] = "FINISH",     [CONN_ACT_SHUTDOWN] = "SHUTDOWN",
	[CONN_ACT_SEND_408] = "SEND_408", [CONN_ACT_DRAIN] = "DRAIN",
	[CONN_ACT_CLOSE] = "CLOSE",       [CONN_ACT_HANDSHAKE] = "HANDSHAKE",
};
_Static_assert(sizeof(act_names) / sizeof(act_names[0]) == CONN_NACTS, "an action without a name");

#define EV(...) (&(const struct conn_ev){__VA_ARGS__})

#define ACT(a, k)                                                                                  \
	do {                                                                                       \
		enum conn_act_kind k_ = (a).kind;                                                  \
		ck_assert_msg(k_ == (k), "line %d: action %s, want %s", __LINE__, act_names[k_],   \
			      act_names[k]);                                                       \
	} while (0)
#define STATE(m, st)                                                                               \
	ck_assert_msg((m)->state == (st), "line %d: state %s, want %s", __LINE__,                  \
		      conn_state_name((m)->state), conn_state_name(st))

static struct conn_act step(struct conn_fsm *m, const struct conn_ev *ev, uint64_t now)
{
	return conn_fsm_step(m, &P, ev, now);
}

/* A new connection at now whose first read brought a head (complete or
 * partial, nothing more waiting in the socket). */
static struct conn_act first_read(struct conn_fsm *m, enum conn_head h, uint64_t now)
{
	ACT(conn_fsm_start(m, &P, now), CONN_ACT_READ);
	return step(m, EV(.kind = CONN_EV_INPUT, .head = h), now);
}

/* HANDLE -> REPLY (keep-alive as the request asks) -> QUEUE. */
static struct conn_act reply(struct conn_fsm *m, bool req_keepalive, uint64_t now)
{
	return step(m, EV(.kind = CONN_EV_REPLY, .req_keepalive = req_keepalive), now);
}

/* From SEND of a memory-only reply to the end of the response (no FINISH:
 * no file to release, the log line is written). */
static struct conn_act send_all(struct conn_fsm *m, uint64_t now)
{
	return step(m, EV(.kind = CONN_EV_SENT), now);
}

/* ---------------------------------------------------------------- IDLE */

START_TEST(test_start_reads_then_waits)
{
	struct conn_fsm m;
	ACT(conn_fsm_start(&m, &P, 1000), CONN_ACT_READ);
	STATE(&m, CONN_IDLE);
	ck_assert_uint_eq(m.deadline, 6000);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 1000), CONN_ACT_WAIT);
	STATE(&m, CONN_IDLE);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 1500), CONN_ACT_READ);
	ck_assert_uint_eq(m.deadline, 6000); /* an event is not a request */
}
END_TEST

START_TEST(test_idle_timeout_closes)
{
	struct conn_fsm m;
	conn_fsm_start(&m, &P, 1000);
	step(&m, EV(.kind = CONN_EV_AGAIN), 1000);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 5999), CONN_ACT_NONE);
	STATE(&m, CONN_IDLE);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 6000), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
}
END_TEST

START_TEST(test_idle_no_timeout)
{
	const struct conn_policy never = {.idle_ms = 0, .header_ms = 0, .keepalive = true};
	struct conn_fsm m;
	conn_fsm_start(&m, &never, 0);
	ck_assert_uint_eq(m.deadline, 0);
	conn_fsm_step(&m, &never, EV(.kind = CONN_EV_AGAIN), 0);
	ACT(conn_fsm_step(&m, &never, EV(.kind = CONN_EV_TIMER), 86400000), CONN_ACT_NONE);
	STATE(&m, CONN_IDLE);
	/* --header-timeout 0: a partial head waits as long as it takes */
	conn_fsm_step(&m, &never, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_PARTIAL), 10);
	STATE(&m, CONN_READ_HEAD);
	ck_assert_uint_eq(m.deadline, 0);
	ACT(conn_fsm_step(&m, &never, EV(.kind = CONN_EV_TIMER), 86400000), CONN_ACT_NONE);
}
END_TEST

START_TEST(test_idle_eof_closes)
{
	struct conn_fsm m;
	conn_fsm_start(&m, &P, 0);
	ACT(step(&m, EV(.kind = CONN_EV_EOF), 0), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
	/* a peer that half-closed between requests: closed once drained */
	conn_fsm_start(&m, &P, 0);
	step(&m, EV(.kind = CONN_EV_AGAIN), 0);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true, .hup = true), 10), CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 10), CONN_ACT_CLOSE);
}
END_TEST

/* ---------------------------------------------------------------- READ_HEAD */

START_TEST(test_header_timeout_408)
{
	struct conn_fsm m;
	ACT(first_read(&m, CONN_HEAD_PARTIAL, 0), CONN_ACT_WAIT);
	STATE(&m, CONN_READ_HEAD);
	ck_assert_uint_eq(m.deadline, 2000);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 1999), CONN_ACT_NONE);
	STATE(&m, CONN_READ_HEAD);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 2000), CONN_ACT_SEND_408);
	STATE(&m, CONN_LINGER);
	ck_assert_uint_eq(m.deadline, 2000 + CONN_LINGER_MS);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 2000), CONN_ACT_DRAIN);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 2000), CONN_ACT_WAIT);
	ACT(step(&m, EV(.kind = CONN_EV_EOF), 2100), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
}
END_TEST

START_TEST(test_slowloris_not_extended)
{
	struct conn_fsm m;
	ck_assert_int_eq(conn_fsm_start(&m, &P, 100).kind, CONN_ACT_READ);
	step(&m, EV(.kind = CONN_EV_AGAIN), 100);
	/* one byte every half second: each read a partial head */
	for (uint64_t t = 600; t < 2600; t += 500) {
		ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), t), CONN_ACT_READ);
		ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_PARTIAL), t),
		    CONN_ACT_WAIT);
		STATE(&m, CONN_READ_HEAD);
		ck_assert_uint_eq(m.deadline, 600 + 2000); /* from the first byte */
		ACT(step(&m, EV(.kind = CONN_EV_TIMER), t), CONN_ACT_NONE);
	}
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 2600), CONN_ACT_SEND_408);
	STATE(&m, CONN_LINGER);
}
END_TEST

START_TEST(test_read_head_eof_and_hup)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_PARTIAL, 0);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 10), CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_EOF), 10), CONN_ACT_CLOSE);
	/* half-closed with half a head: the header timeout ends it */
	first_read(&m, CONN_HEAD_PARTIAL, 0);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true, .hup = true), 10), CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 10), CONN_ACT_WAIT);
	STATE(&m, CONN_READ_HEAD);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 2000), CONN_ACT_SEND_408);
}
END_TEST

START_TEST(test_more_input_waiting)
{
	struct conn_fsm m;
	/* the read filled the buffer: read again before waiting */
	conn_fsm_start(&m, &P, 0);
	ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_PARTIAL, .filled = true), 0),
	    CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE, .filled = true), 0),
	    CONN_ACT_HANDLE);
	ACT(reply(&m, true, 0), CONN_ACT_QUEUE);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED), 0), CONN_ACT_SEND);
	ACT(send_all(&m, 0), CONN_ACT_READ);
	STATE(&m, CONN_IDLE);
}
END_TEST

/* ---------------------------------------------------------------- SEND */

START_TEST(test_keepalive_back_to_idle)
{
	struct conn_fsm m;
	ACT(first_read(&m, CONN_HEAD_COMPLETE, 0), CONN_ACT_HANDLE);
	STATE(&m, CONN_IDLE);
	struct conn_act a = reply(&m, true, 0);
	ACT(a, CONN_ACT_QUEUE);
	ck_assert(a.keepalive);
	a = step(&m, EV(.kind = CONN_EV_QUEUED), 10);
	ACT(a, CONN_ACT_SEND);
	ck_assert(!a.more && !a.fin);
	STATE(&m, CONN_SEND);
	ck_assert_uint_eq(m.deadline, 5010);
	ACT(step(&m, EV(.kind = CONN_EV_SENT), 20), CONN_ACT_WAIT);
	STATE(&m, CONN_IDLE);
	ck_assert_uint_eq(m.deadline, 5020);
	/* the next request on the same connection */
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 30), CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 30), CONN_ACT_HANDLE);
}
END_TEST

/* HTTP/1.0 without keep-alive and Connection: close (the request says
 * no), --no-keepalive, a reply that closes, a server stopping. */
START_TEST(test_close_after_send)
{
	const struct conn_policy nokeep = {.idle_ms = 5000, .header_ms = 2000, .keepalive = false};
	const struct {
		const struct conn_policy *p;
		struct conn_ev reply;
	} cases[] = {
		{&P, {.kind = CONN_EV_REPLY, .req_keepalive = false}},
		{&nokeep, {.kind = CONN_EV_REPLY, .req_keepalive = true}},
		{&P, {.kind = CONN_EV_REPLY, .req_keepalive = true, .close = true}},
		{&P, {.kind = CONN_EV_REPLY, .req_keepalive = true, .stopping = true}},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct conn_policy *p = cases[i].p;
		struct conn_fsm m;
		conn_fsm_start(&m, p, 0);
		ACT(conn_fsm_step(&m, p, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 0),
		    CONN_ACT_HANDLE);
		struct conn_act a = conn_fsm_step(&m, p, &cases[i].reply, 0);
		ACT(a, CONN_ACT_QUEUE);
		ck_assert_msg(!a.keepalive, "case %zu", i);
		/* pipelined input behind it is never answered */
		a = conn_fsm_step(&m, p, EV(.kind = CONN_EV_QUEUED, .more_input = true), 0);
		ACT(a, CONN_ACT_SEND);
		ck_assert_msg(a.fin, "case %zu: the FIN rides with the reply", i);
		ACT(conn_fsm_step(&m, p, EV(.kind = CONN_EV_SENT), 0), CONN_ACT_CLOSE);
		STATE(&m, CONN_CLOSED);
	}
}
END_TEST

START_TEST(test_send_would_block)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	struct conn_act a = step(&m, EV(.kind = CONN_EV_QUEUED, .len = 1000000), 0);
	ACT(a, CONN_ACT_SEND);
	ck_assert(a.more); /* the file follows the head */
	/* full before anything went out: wait, the stall clock runs on */
	ACT(step(&m, EV(.kind = CONN_EV_BLOCKED), 100), CONN_ACT_WAIT);
	STATE(&m, CONN_SEND);
	ck_assert_uint_eq(m.deadline, 5000);
	ACT(step(&m, EV(.kind = CONN_EV_IO), 200), CONN_ACT_SEND); /* writable */
	/* part of it out, then full: the stall clock starts over */
	ACT(step(&m, EV(.kind = CONN_EV_BLOCKED, .progress = true), 300), CONN_ACT_WAIT);
	ck_assert_uint_eq(m.deadline, 5300);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 400), CONN_ACT_SEND);
	ACT(step(&m, EV(.kind = CONN_EV_SENT), 400), CONN_ACT_SENDFILE);
	ck_assert_uint_eq(m.deadline, 5400);
	ACT(step(&m, EV(.kind = CONN_EV_BLOCKED), 500), CONN_ACT_WAIT);
	a = step(&m, EV(.kind = CONN_EV_IO), 600);
	ACT(a, CONN_ACT_SENDFILE);
	ck_assert_uint_eq(a.off, 0);
	/* the client stopped reading: closed after --timeout */
	ACT(step(&m, EV(.kind = CONN_EV_BLOCKED), 600), CONN_ACT_WAIT);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 5399), CONN_ACT_NONE);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 5400), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
}
END_TEST

START_TEST(test_sendfile_steps_in_order)
{
	struct conn_fsm m;
	const uint64_t off = 1000, len = 3 * CONN_SENDFILE_STEP + 77;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .off = off, .len = len), 0), CONN_ACT_SEND);
	struct conn_act a = step(&m, EV(.kind = CONN_EV_SENT), 0);
	uint64_t at = off, calls = 0;
	while (a.kind == CONN_ACT_SENDFILE) {
		ck_assert_uint_eq(a.off, at);
		ck_assert_uint_le(a.len, CONN_SENDFILE_STEP);
		ck_assert_uint_eq(a.len, off + len - at < CONN_SENDFILE_STEP ? off + len - at
									     : CONN_SENDFILE_STEP);
		/* the second step comes short, as sendfile(2) may */
		uint64_t n = calls == 1 ? a.len / 2 : a.len;
		at += n;
		calls++;
		a = step(&m, EV(.kind = CONN_EV_SENT, .bytes = n), calls);
		ck_assert_uint_eq(m.deadline, calls + 5000);
	}
	ACT(a, CONN_ACT_FINISH);
	ck_assert_uint_eq(at, off + len);
	ck_assert_uint_eq(calls, 4);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 9), CONN_ACT_WAIT);
	STATE(&m, CONN_IDLE);
}
END_TEST

START_TEST(test_multipart_parts_in_order)
{
	static const struct http_byte_range r[] = {{0, 9}, {100, 199}, {5000, 5999}};
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	struct conn_act a = step(&m, EV(.kind = CONN_EV_QUEUED, .parts = r, .nparts = 3), 0);
	ACT(a, CONN_ACT_SEND); /* the head */
	ck_assert(a.more);
	a = step(&m, EV(.kind = CONN_EV_SENT), 0);
	for (int i = 0; i < 3; i++) {
		ACT(a, CONN_ACT_QUEUE_PART);
		ck_assert_int_eq(a.part, i);
		ck_assert(!a.tail);
		a = step(&m, EV(.kind = CONN_EV_DONE), 0);
		ACT(a, CONN_ACT_SEND); /* the part's head */
		ck_assert(a.more);
		a = step(&m, EV(.kind = CONN_EV_SENT), 0);
		ACT(a, CONN_ACT_SENDFILE);
		ck_assert_uint_eq(a.off, r[i].first);
		ck_assert_uint_eq(a.len, r[i].last - r[i].first + 1);
		a = step(&m, EV(.kind = CONN_EV_SENT, .bytes = a.len), 0);
	}
	ACT(a, CONN_ACT_QUEUE_PART);
	ck_assert(a.tail);
	ck_assert_int_eq(a.part, 3);
	a = step(&m, EV(.kind = CONN_EV_DONE), 0);
	ACT(a, CONN_ACT_SEND);
	ck_assert(!a.more); /* the closing boundary is not corked */
	ACT(step(&m, EV(.kind = CONN_EV_SENT), 0), CONN_ACT_FINISH);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 0), CONN_ACT_WAIT);
	STATE(&m, CONN_IDLE);
	ck_assert_ptr_null(m.parts);
}
END_TEST

/* ---------------------------------------------------------------- pipelining */

START_TEST(test_pipelined_in_order)
{
	struct conn_fsm m;
	ACT(first_read(&m, CONN_HEAD_COMPLETE, 0), CONN_ACT_HANDLE);
	ACT(reply(&m, true, 0), CONN_ACT_QUEUE);
	/* small replies are batched: the next head is parsed before sending */
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .more_input = true), 0), CONN_ACT_PARSE);
	STATE(&m, CONN_IDLE);
	ACT(step(&m, EV(.kind = CONN_EV_HEAD, .head = CONN_HEAD_COMPLETE), 0), CONN_ACT_HANDLE);
	ACT(reply(&m, true, 0), CONN_ACT_QUEUE);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .more_input = true), 0), CONN_ACT_PARSE);
	/* the third is partial: what is queued goes out first */
	ACT(step(&m, EV(.kind = CONN_EV_HEAD, .head = CONN_HEAD_PARTIAL), 0), CONN_ACT_SEND);
	STATE(&m, CONN_SEND);
	/* then the held part is parsed again, its header clock from now */
	ACT(step(&m, EV(.kind = CONN_EV_SENT), 100), CONN_ACT_PARSE);
	STATE(&m, CONN_READ_HEAD);
	ck_assert_uint_eq(m.deadline, 2100);
	ACT(step(&m, EV(.kind = CONN_EV_HEAD, .head = CONN_HEAD_PARTIAL), 100), CONN_ACT_WAIT);
	ck_assert_uint_eq(m.deadline, 2100);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 200), CONN_ACT_READ);
	ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 200), CONN_ACT_HANDLE);
}
END_TEST

/* A file body, or a filling buffer: the next request is answered only
 * once the response before it is out. */
START_TEST(test_pipelined_waits_for_send)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .len = 100000, .more_input = true), 0),
	    CONN_ACT_SEND);
	ACT(step(&m, EV(.kind = CONN_EV_SENT), 0), CONN_ACT_SENDFILE);
	ACT(step(&m, EV(.kind = CONN_EV_SENT, .bytes = 100000), 0), CONN_ACT_FINISH);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 0), CONN_ACT_PARSE);
	STATE(&m, CONN_READ_HEAD);
	ACT(step(&m, EV(.kind = CONN_EV_HEAD, .head = CONN_HEAD_COMPLETE), 0), CONN_ACT_HANDLE);
	reply(&m, true, 0);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .more_input = true, .full = true), 0),
	    CONN_ACT_SEND);
	ACT(send_all(&m, 0), CONN_ACT_PARSE);
}
END_TEST

/* ---------------------------------------------------------------- errors, LINGER */

START_TEST(test_bad_request_lingers)
{
	struct conn_fsm m;
	conn_fsm_start(&m, &P, 0);
	struct conn_act a =
		step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_ERROR, .status = 400), 0);
	ACT(a, CONN_ACT_REJECT);
	ck_assert_int_eq(a.status, 400);
	/* whatever the reply says, an unparsable head ends the connection */
	a = reply(&m, true, 0);
	ACT(a, CONN_ACT_QUEUE);
	ck_assert(!a.keepalive);
	a = step(&m, EV(.kind = CONN_EV_QUEUED), 0);
	ACT(a, CONN_ACT_SEND);
	ck_assert(!a.fin); /* lingering: the FIN comes with shutdown() */
	ACT(send_all(&m, 1000), CONN_ACT_SHUTDOWN);
	STATE(&m, CONN_LINGER);
	ck_assert_uint_eq(m.deadline, 1000 + CONN_LINGER_MS);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 1000), CONN_ACT_DRAIN);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 1000), CONN_ACT_WAIT);
	ACT(step(&m, EV(.kind = CONN_EV_IO, .readable = true), 1500), CONN_ACT_DRAIN);
	ACT(step(&m, EV(.kind = CONN_EV_AGAIN), 1500), CONN_ACT_WAIT);
	/* LINGER ends after 2 s even if the client keeps sending */
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 2999), CONN_ACT_NONE);
	STATE(&m, CONN_LINGER);
	ACT(step(&m, EV(.kind = CONN_EV_TIMER), 3000), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
}
END_TEST

/* A bad head behind answered ones: they go out, then the error, then
 * LINGER; and LINGER ends on EOF. */
START_TEST(test_bad_request_in_batch)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .more_input = true), 0), CONN_ACT_PARSE);
	ACT(step(&m, EV(.kind = CONN_EV_HEAD, .head = CONN_HEAD_ERROR, .status = 431), 0),
	    CONN_ACT_REJECT);
	ACT(step(&m, EV(.kind = CONN_EV_REPLY, .close = true, .linger = true), 0), CONN_ACT_QUEUE);
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED), 0), CONN_ACT_SEND);
	ACT(send_all(&m, 0), CONN_ACT_SHUTDOWN);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 0), CONN_ACT_DRAIN);
	ACT(step(&m, EV(.kind = CONN_EV_EOF), 10), CONN_ACT_CLOSE);
	STATE(&m, CONN_CLOSED);
}
END_TEST

/* A request with a body we do not read (405 with a body): close and
 * linger; a reply that closes without unread input: no linger. */
START_TEST(test_reply_close_linger)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	step(&m, EV(.kind = CONN_EV_REPLY, .req_keepalive = true, .close = true, .linger = true),
	     0);
	step(&m, EV(.kind = CONN_EV_QUEUED), 0);
	ACT(send_all(&m, 0), CONN_ACT_SHUTDOWN);
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	step(&m, EV(.kind = CONN_EV_REPLY, .req_keepalive = true, .close = true), 0);
	step(&m, EV(.kind = CONN_EV_QUEUED), 0);
	ACT(send_all(&m, 0), CONN_ACT_CLOSE);
}
END_TEST

START_TEST(test_queue_failed_closes)
{
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	ck_assert(reply(&m, true, 0).keepalive);
	/* out of memory: what is queued goes out, then close */
	ACT(step(&m, EV(.kind = CONN_EV_QUEUED, .failed = true, .more_input = true), 0),
	    CONN_ACT_SEND);
	ACT(send_all(&m, 0), CONN_ACT_CLOSE);
}
END_TEST

/* EV_ERROR (a socket error, a file that shrank) closes in every state
 * (a new state needs a line here to reach it, or this fails). */
START_TEST(test_error_closes_everywhere)
{
	for (int st = 0; st < CONN_NSTATES; st++) {
		if (st == CONN_CLOSED)
			continue;
		struct conn_fsm m;
		if (st == CONN_HANDSHAKE)
			conn_fsm_start_tls(&m, &P, 0);
		else
			conn_fsm_start(&m, &P, 0);
		if (st == CONN_READ_HEAD)
			step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_PARTIAL), 0);
		if (st == CONN_SEND || st == CONN_LINGER) {
			step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 0);
			step(&m, EV(.kind = CONN_EV_REPLY, .linger = true), 0);
			step(&m, EV(.kind = CONN_EV_QUEUED), 0);
		}
		if (st == CONN_LINGER)
			send_all(&m, 0);
		STATE(&m, (enum conn_state)st);
		ACT(step(&m, EV(.kind = CONN_EV_ERROR), 0), CONN_ACT_CLOSE);
		STATE(&m, CONN_CLOSED);
	}
}
END_TEST

START_TEST(test_closed_is_final)
{
	struct conn_fsm m;
	conn_fsm_start(&m, &P, 0);
	step(&m, EV(.kind = CONN_EV_EOF), 0);
	STATE(&m, CONN_CLOSED);
	for (int k = CONN_EV_IO; k <= CONN_EV_TIMER; k++) {
		struct conn_ev ev = {.kind = (enum conn_ev_kind)k, .readable = true};
		ACT(step(&m, &ev, 99999999), CONN_ACT_NONE);
		STATE(&m, CONN_CLOSED);
	}
}
END_TEST

/* Events that do not belong to a state change nothing. */
START_TEST(test_stray_events_ignored)
{
	struct conn_fsm m;
	conn_fsm_start(&m, &P, 0);
	step(&m, EV(.kind = CONN_EV_AGAIN), 0);
	ACT(step(&m, EV(.kind = CONN_EV_SENT, .bytes = 5), 0), CONN_ACT_NONE);
	ACT(step(&m, EV(.kind = CONN_EV_DONE), 0), CONN_ACT_NONE);
	STATE(&m, CONN_IDLE);
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	step(&m, EV(.kind = CONN_EV_QUEUED, .len = 10), 0);
	ACT(step(&m, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 0), CONN_ACT_NONE);
	ACT(step(&m, EV(.kind = CONN_EV_EOF), 0), CONN_ACT_NONE);
	STATE(&m, CONN_SEND);
}
END_TEST

/* A reload applies at the next transition. */
START_TEST(test_policy_per_step)
{
	const struct conn_policy p2 = {.idle_ms = 1000, .header_ms = 300, .keepalive = false};
	struct conn_fsm m;
	first_read(&m, CONN_HEAD_COMPLETE, 0);
	reply(&m, true, 0);
	step(&m, EV(.kind = CONN_EV_QUEUED), 0);
	ck_assert_uint_eq(m.deadline, 5000);
	ACT(conn_fsm_step(&m, &p2, EV(.kind = CONN_EV_SENT), 10), CONN_ACT_WAIT);
	STATE(&m, CONN_IDLE);
	ck_assert_uint_eq(m.deadline, 1010);
	ACT(conn_fsm_step(&m, &p2, EV(.kind = CONN_EV_IO, .readable = true), 20), CONN_ACT_READ);
	conn_fsm_step(&m, &p2, EV(.kind = CONN_EV_INPUT, .head = CONN_HEAD_COMPLETE), 20);
	ck_assert(!conn_fsm_step(&m, &p2, EV(.kind = CONN_EV_REPLY, .req_keepalive = true), 20)
			   .keepalive);
}
END_TEST

START_TEST(test_state_names)
{
	for (int i = 0; i < CONN_NSTATES; i++) {
		const char *n = conn_state_name((enum conn_state)i);
		ck_assert_str_ne(n, "?");
		for (int j = 0; j < i; j++)
			ck_assert_str_ne(n, conn_state_name((enum conn_state)j));
	}
	ck_assert_str_eq(conn_state_name(CONN_NSTATES), "?");
}
END_TEST

UNIT_SUITE(http_conn_fsm)
{
	Suite *s = suite_create("http_conn_fsm");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_start_reads_then_waits);
	tcase_add_test(tc, test_idle_timeout_closes);
	tcase_add_test(tc, test_idle_no_timeout);
	tcase_add_test(tc, test_idle_eof_closes);
	tcase_add_test(tc, test_header_timeout_408);
	tcase_add_test(tc, test_slowloris_not_extended);
	tcase_add_test(tc, test_read_head_eof_and_hup);
	tcase_add_test(tc, test_more_input_waiting);
	tcase_add_test(tc, test_keepalive_back_to_idle);
	tcase_add_test(tc, test_close_after_send);
	tcase_add_test(tc, test_send_would_block);
	tcase_add_test(tc, test_sendfile_steps_in_order);
	tcase_add_test(tc, test_multipart_parts_in_order);
	tcase_add_test(tc, test_pipelined_in_order);
	tcase_add_test(tc, test_pipelined_waits_for_send);
	tcase_add_test(tc, test_bad_request_lingers);
	tcase_add_test(tc, test_bad_request_in_batch);
	tcase_add_test(tc, test_reply_close_linger);
	tcase_add_test(tc, test_queue_failed_closes);
	tcase_add_test(tc, test_error_closes_everywhere);
	tcase_add_test(tc, test_closed_is_final);
	tcase_add_test(tc, test_stray_events_ignored);
	tcase_add_test(tc, test_policy_per_step);
	tcase_add_test(tc, test_state_names);
	suite_add_tcase(s, tc);
	return s;
}
