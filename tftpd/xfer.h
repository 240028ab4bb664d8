/* SPDX-License-Identifier: MIT */
/* The transfer state machines, as pure code driven by events (a packet, a
 * timer expiry) and a clock value passed in (microseconds). The I/O layer
 * (conn.c) turns each returned action into system calls and arms one
 * timer at x->deadline; tests drive it with a fake clock.
 *
 * Block numbers are kept as 64-bit "absolute" numbers (the OACK is block
 * 0, the first DATA block 1) and mapped to the 16-bit wire numbers only at
 * the edge, so rollover (RFC 1350 leaves it open; tftp-hpa wraps to 0 or,
 * with its "rollover" option, to 1) also works inside a window that
 * crosses the wrap (RFC 7440). */
#ifndef TFTP_XFER_H
#define TFTP_XFER_H

#include <stdbool.h>
#include <stdint.h>

struct tftp_timing {
	uint64_t timeout_us;  /* longest wait before a retransmit (RFC 2349) */
	uint64_t rto_init_us; /* first wait, before any round trip was measured */
	uint64_t rto_min_us;  /* floor of the measured retransmit timeout */
	unsigned retries;     /* retransmits at timeout_us before giving up */
};

enum tftp_xstate { TFTP_XS_OACK, TFTP_XS_DATA, TFTP_XS_DALLY, TFTP_XS_DONE, TFTP_XS_FAILED };

enum tftp_act_kind {
	TFTP_ACT_NONE, /* nothing to send; keep the timer */
	TFTP_ACT_SEND, /* sender: the OACK and/or DATA blocks [first, first+count) */
	TFTP_ACT_ACK,  /* receiver: send ACK (or the OACK when block is 0 and oack) */
	TFTP_ACT_DONE, /* finished, close */
	TFTP_ACT_FAIL, /* gave up after the retries */
};

struct tftp_act {
	enum tftp_act_kind kind;
	bool oack;       /* SEND/ACK: (re)send the OACK */
	bool retransmit; /* the packets were sent before */
	uint64_t first;  /* SEND: first block; ACK: the block acknowledged */
	uint32_t count;  /* SEND: number of DATA blocks */
	bool write;      /* receiver: store the DATA payload of block `first` */
	bool complete;   /* receiver: that was the final block (short) */
};

/* ---------------------------------------------------------- sender (RRQ) */

struct tftp_tx {
	uint64_t size; /* bytes to send */
	uint32_t blksize, windowsize;
	int rollover; /* block number after 65535: 0 or 1 */
	bool oack;    /* an OACK goes first, answered by ACK 0 */
	struct tftp_timing t;

	enum tftp_xstate state;
	uint64_t last;     /* the final block (short or empty) */
	uint64_t base;     /* first block not yet acknowledged */
	uint64_t next;     /* next block to send; base..next-1 are in flight */
	uint64_t deadline; /* when the timer fires (us) */
	uint64_t sent_at;  /* when the window in flight was sent */
	bool resent;       /* window in flight holds resent blocks (Karn) */
	uint64_t srtt, rttvar, rto;
	unsigned tries;       /* timeouts at the full timeout, without progress */
	uint64_t retransmits; /* blocks (and OACKs) sent again */
	uint64_t timeouts;
};

void tftp_tx_init(struct tftp_tx *x, uint64_t size, uint32_t blksize, uint32_t windowsize,
		  int rollover, bool oack, const struct tftp_timing *t);
struct tftp_act tftp_tx_start(struct tftp_tx *x, uint64_t now);
struct tftp_act tftp_tx_ack(struct tftp_tx *x, uint16_t block, uint64_t now);
struct tftp_act tftp_tx_timeout(struct tftp_tx *x, uint64_t now);

/* Byte offset and length of DATA block abs (>= 1). */
uint64_t tftp_tx_offset(const struct tftp_tx *x, uint64_t abs);
uint32_t tftp_tx_len(const struct tftp_tx *x, uint64_t abs);

/* 16-bit block number on the wire of absolute block abs. */
uint16_t tftp_wire_block(uint64_t abs, int rollover);

/* ------------------------------------------------------- receiver (WRQ) */

struct tftp_rx {
	uint32_t blksize, windowsize;
	int rollover;
	bool oack;
	struct tftp_timing t;

	enum tftp_xstate state;
	uint64_t have;    /* last block received in order (0: none) */
	uint32_t win_cnt; /* blocks since our last ACK */
	bool gap_acked;   /* ACKed once for the current gap (RFC 7440 §4) */
	uint64_t deadline;
	unsigned tries;
	uint64_t retransmits;
	uint64_t timeouts;
};

void tftp_rx_init(struct tftp_rx *x, uint32_t blksize, uint32_t windowsize, int rollover, bool oack,
		  const struct tftp_timing *t);
/* ACK 0, or the OACK. */
struct tftp_act tftp_rx_start(struct tftp_rx *x, uint64_t now);
/* A DATA packet with len payload bytes. The action may both write and
 * ACK. */
struct tftp_act tftp_rx_data(struct tftp_rx *x, uint16_t block, uint32_t len, uint64_t now);
struct tftp_act tftp_rx_timeout(struct tftp_rx *x, uint64_t now);

#endif
