/* SPDX-License-Identifier: MIT */
/* One client connection as a pure state machine: state + event + now ->
 * action. No sockets, no clock, no logging, no allocation in here; the I/O
 * shell (conn.c) carries each action out with one system call or one piece
 * of request handling, and feeds what came of it back as the next event,
 * until the machine says WAIT (for the socket), NONE or CLOSE. Unit tests
 * drive it with a fake clock (tests/unit/httpd/test_conn_fsm.c).
 *
 * HANDSHAKE ──done──▶ IDLE     (TLS only; timeout, failure: CLOSED)
 *   IDLE ──bytes──▶ READ_HEAD ──whole head──▶ (handle) ──▶ SEND ──done──▶ IDLE
 *     │                 │ header timeout: 408                  │  close:
 *     │ idle timeout    ▼                                      ▼
 *     └──────────▶ CLOSED ◀──── LINGER ◀── shutdown(SHUT_WR) ──┘
 *
 * HANDSHAKE: a TLS connection before its first request: the transport's
 *   handshake is driven until done, whichever way the socket must turn
 *   (want-read, want-write); the handshake timeout is not reset by bytes.
 * IDLE: waiting for the first byte of a request (keep-alive timeout).
 * READ_HEAD: part of a head received (header timeout, not reset by bytes:
 *   a client sending a byte a second is cut off).
 * SEND: response bytes queued: memory (head, small body), then a file
 *   segment sent with sendfile(2) in steps, then (multipart) the next part.
 *   The stall timeout restarts whenever bytes go out.
 * LINGER: after an error reply the client may still be sending; reading
 *   and discarding until EOF or 2 s keeps its RST from destroying our
 *   reply (RFC 9112 §9.6).
 * CLOSED: final; the shell frees the connection.
 *
 * A state is one row of the table in conn_fsm.c: the deadline its entry
 * arms, what its deadline passing does, and its step function. */
#ifndef HTTP_CONN_FSM_H
#define HTTP_CONN_FSM_H

#include <stdbool.h>
#include <stdint.h>

#include "range.h"

enum conn_state {
	CONN_IDLE,
	CONN_READ_HEAD,
	CONN_SEND,
	CONN_LINGER,
	CONN_CLOSED,
	CONN_HANDSHAKE,
	CONN_NSTATES
};

/* The configuration the machine needs (from --timeout, --header-timeout,
 * --no-keepalive), passed to every step so that a reload applies to the
 * next transition. */
struct conn_policy {
	uint64_t idle_ms;      /* keep-alive idle and send stall; 0: none */
	uint64_t header_ms;    /* a head must be complete within; 0: none */
	bool keepalive;        /* --no-keepalive: false */
	uint64_t handshake_ms; /* --tls-handshake-timeout; 0: none */
};

/* What came of the last action, or what happened on the socket. */
enum conn_ev_kind {
	CONN_EV_IO,      /* epoll: readable (input, EOF or hang-up), peer half-closed */
	CONN_EV_INPUT,   /* READ: bytes arrived; head: the parse of the input held */
	CONN_EV_HEAD,    /* PARSE: head: the parse of the input held */
	CONN_EV_AGAIN,   /* READ, DRAIN: nothing more to read now; HANDSHAKE: wants the socket */
	CONN_EV_EOF,     /* READ, DRAIN: the peer closed (or reset) */
	CONN_EV_REPLY,   /* HANDLE, REJECT: the reply is decided, not yet written */
	CONN_EV_QUEUED,  /* QUEUE: the reply's head and memory body are queued */
	CONN_EV_SENT,    /* SEND: all queued bytes out; SENDFILE: bytes of the file out */
	CONN_EV_BLOCKED, /* SEND, SENDFILE: the socket is full */
	CONN_EV_DONE,    /* QUEUE_PART, FINISH, SHUTDOWN, SEND_408, HANDSHAKE: carried out */
	CONN_EV_ERROR,   /* a socket error, a file that shrank, no memory */
	CONN_EV_TIMER,   /* the sweep timer: now may be past the deadline */
};

enum conn_head {
	CONN_HEAD_PARTIAL,  /* more bytes are needed */
	CONN_HEAD_COMPLETE, /* a whole head is at the start of the input */
	CONN_HEAD_ERROR,    /* unparsable: answer status, then close */
};

struct conn_ev {
	enum conn_ev_kind kind;
	enum conn_head head; /* INPUT, HEAD */
	int status;          /* INPUT, HEAD with HEAD_ERROR: the HTTP status to answer */
	int nparts;          /* QUEUED: > 1: multipart parts follow, or */
	uint64_t off, len;   /* QUEUED: a file segment follows (len 0: none) */
	const struct http_byte_range *parts;
	uint64_t bytes; /* SENT after SENDFILE: how many went out */
	/* IO */
	bool readable; /* EPOLLIN, EPOLLRDHUP or EPOLLHUP */
	bool hup;      /* EPOLLRDHUP: the peer sends no more */
	/* INPUT */
	bool filled; /* the read filled the buffer: more may wait */
	/* REPLY */
	bool req_keepalive; /* the request allows it (RFC 9112 §9.3) */
	bool close;         /* the reply ends the connection */
	bool linger;        /* ... and input may be left unread */
	bool stopping;      /* the server is shutting down */
	/* QUEUED */
	bool more_input; /* unparsed input is left after this request */
	bool full;       /* the write buffer is filling up: send first */
	bool failed;     /* queueing failed (memory): close after what is queued */
	/* BLOCKED */
	bool progress; /* some bytes went out before the socket filled */
};

enum conn_act_kind {
	CONN_ACT_NONE,       /* nothing to do now */
	CONN_ACT_WAIT,       /* wait for the socket (epoll) */
	CONN_ACT_READ,       /* read(2), then parse the input held: INPUT, AGAIN, EOF */
	CONN_ACT_PARSE,      /* parse the input held: HEAD */
	CONN_ACT_HANDLE,     /* decide the reply to the parsed head: REPLY */
	CONN_ACT_REJECT,     /* an error reply with status, drop the input: REPLY */
	CONN_ACT_QUEUE,      /* write the reply's head (keepalive), queue its body: QUEUED */
	CONN_ACT_SEND,       /* send the queued bytes: SENT, BLOCKED */
	CONN_ACT_SENDFILE,   /* sendfile(2) len bytes of the file at off: SENT, BLOCKED */
	CONN_ACT_QUEUE_PART, /* queue part `part`'s head, or the closing boundary: DONE */
	CONN_ACT_FINISH,     /* a file body is out: release the file, log it: DONE */
	CONN_ACT_SHUTDOWN,   /* shutdown(SHUT_WR), to linger: DONE */
	CONN_ACT_SEND_408,   /* send a 408, then shutdown(SHUT_WR), to linger: DONE */
	CONN_ACT_DRAIN,      /* read and discard: AGAIN, EOF */
	CONN_ACT_CLOSE,      /* close the socket and free the connection */
	CONN_ACT_HANDSHAKE,  /* drive the transport's handshake: DONE, AGAIN, EOF, ERROR */
	CONN_NACTS
};

struct conn_act {
	enum conn_act_kind kind;
	int status;     /* REJECT */
	bool keepalive; /* QUEUE: the head says keep-alive, not close */
	bool more;      /* SEND: body bytes follow (cork them with the head) */
	bool fin;       /* SEND: the connection closes right after */
	int part;       /* QUEUE_PART: the part's index */
	bool tail;      /* QUEUE_PART: the closing boundary instead */
	uint64_t off;   /* SENDFILE */
	uint64_t len;
};

struct conn_fsm {
	enum conn_state state;
	uint64_t deadline;  /* ms, 0: none; the sweep timer feeds TIMER */
	bool readable;      /* input may be waiting in the socket (edge-triggered) */
	bool peer_eof;      /* the peer half-closed */
	bool held;          /* the shell holds input not yet answered */
	bool queued;        /* bytes are in the output queue */
	bool file;          /* the response has a file body (FINISH when out) */
	bool rejected;      /* an unparsable head: its error reply ends it all */
	bool close_after;   /* close once the queued output is sent */
	bool linger;        /* ... with shutdown(SHUT_WR) and LINGER first */
	uint64_t off, left; /* file segment still to send */
	const struct http_byte_range *parts;
	int nparts, part; /* multipart: part to queue next (nparts: the tail) */
};

/* A new connection in IDLE; the request often came with the handshake, so
 * the first action is READ. */
struct conn_act conn_fsm_start(struct conn_fsm *m, const struct conn_policy *p, uint64_t now);
/* A new TLS connection in HANDSHAKE; the ClientHello usually came with
 * the accept, so the first action is HANDSHAKE. */
struct conn_act conn_fsm_start_tls(struct conn_fsm *m, const struct conn_policy *p, uint64_t now);
struct conn_act conn_fsm_step(struct conn_fsm *m, const struct conn_policy *p,
			      const struct conn_ev *ev, uint64_t now);
/* "idle", "read-head"...: for logs and test messages. */
const char *conn_state_name(enum conn_state st);

/* sendfile(2) in 128 KiB steps, as lighttpd does (256 KiB): one call
 * for a whole 1 GiB body fills the socket buffer before any of it goes
 * out and then waits for it to drain; short steps keep data flowing while
 * the receiver reads. Measured over loopback on 2 vCPUs, one curl stream
 * of 1 GiB: ~1.4 GB/s with 1 GiB steps, ~2.0 GB/s with 128 KiB (64 KiB:
 * ~1.2 GB/s, the system calls start to cost). */
#define CONN_SENDFILE_STEP (128u << 10)
/* How long LINGER waits for the client's EOF. */
#define CONN_LINGER_MS 2000

#endif
