/* SPDX-License-Identifier: MIT */
/* libFuzzer: the connection state machine (plain, or TLS from its
 * HANDSHAKE state) under arbitrary event sequences
 * (the order a shell would never produce included). Each 8 bytes are one
 * event with a clock advance; the machine must stay in a valid state,
 * stay closed once closed, never send outside the file segments it was
 * given, and queue multipart parts in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn_fsm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct http_byte_range parts[] = {{0, 9}, {100, 199}, {5000, 5999}, {7000, 7000}};

static void check_act(const struct conn_fsm *m, const struct conn_act *a, int *last_part)
{
	if (m->state >= CONN_NSTATES || a->kind >= CONN_NACTS)
		abort();
	if ((m->state == CONN_CLOSED) != (a->kind == CONN_ACT_CLOSE) && a->kind != CONN_ACT_NONE)
		abort();
	if (a->kind == CONN_ACT_SENDFILE && (a->len == 0 || a->len > CONN_SENDFILE_STEP))
		abort();
	if (a->kind == CONN_ACT_QUEUE_PART) {
		if (a->part != *last_part + 1 || a->part > m->nparts ||
		    a->tail != (a->part == m->nparts))
			abort();
		*last_part = a->tail ? -1 : a->part;
	}
}

static struct conn_ev event_of(const uint8_t *b)
{
	struct conn_ev ev = {
		.kind = (enum conn_ev_kind)(b[0] % (CONN_EV_TIMER + 1)),
		.head = (enum conn_head)(b[1] % 3),
		.status = 400,
		.readable = b[2] & 1,
		.hup = b[2] & 2,
		.filled = b[2] & 4,
		.req_keepalive = b[2] & 8,
		.close = b[2] & 16,
		.linger = b[2] & 32,
		.more_input = b[2] & 64,
		.full = b[2] & 128,
		.failed = b[3] & 1,
		.progress = b[3] & 2,
		.stopping = b[3] & 4,
	};
	if (b[3] & 8) {
		ev.parts = parts;
		ev.nparts = 2 + b[4] % 3;
	} else {
		ev.off = b[4];
		ev.len = (uint64_t)b[5] << (b[6] % 20);
	}
	ev.bytes = (uint64_t)b[5] << (b[6] % 18);
	return ev;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct conn_policy p = {
		.idle_ms = 5000, .header_ms = 2000, .keepalive = true, .handshake_ms = 3000};
	struct conn_fsm m;
	uint64_t now = 1;
	int last_part = -1;
	/* an odd length: a TLS connection, its HANDSHAKE state first */
	struct conn_act a =
		size & 1 ? conn_fsm_start_tls(&m, &p, now) : conn_fsm_start(&m, &p, now);
	check_act(&m, &a, &last_part);
	if (size & 1 && (m.state != CONN_HANDSHAKE || a.kind != CONN_ACT_HANDSHAKE))
		abort();
	for (size_t i = 0; i + 8 <= size; i += 8) {
		const uint8_t *b = data + i;
		struct conn_ev ev = event_of(b);
		now += b[7] * 37u;
		bool was_closed = m.state == CONN_CLOSED;
		bool due = m.deadline && now >= m.deadline;
		uint64_t left = m.left;
		a = conn_fsm_step(&m, &p, &ev, now);
		check_act(&m, &a, &last_part);
		if (was_closed && (m.state != CONN_CLOSED || a.kind != CONN_ACT_NONE))
			abort();
		if (m.left > left && ev.kind != CONN_EV_QUEUED && a.kind != CONN_ACT_QUEUE_PART)
			abort(); /* the segment only shrinks as it is sent */
		if (ev.kind == CONN_EV_TIMER && !was_closed && due != (a.kind != CONN_ACT_NONE))
			abort(); /* a deadline that passed acts, one that did not waits */
		if (m.state == CONN_HANDSHAKE && a.kind != CONN_ACT_HANDSHAKE &&
		    a.kind != CONN_ACT_WAIT && a.kind != CONN_ACT_NONE)
			abort(); /* nothing but the handshake before it is done */
		if ((m.state == CONN_LINGER) != (m.deadline != 0 && m.state == CONN_LINGER) ||
		    (m.state == CONN_CLOSED && m.deadline))
			abort(); /* LINGER always ends; CLOSED has no timer */
	}
	return 0;
}
