/* SPDX-License-Identifier: MIT */
/* Transfer state machines (RFC 1350, RFC 7440 windows, RFC 1123 4.2.3.1
 * Sorcerer's Apprentice avoidance). See xfer.h. */
#include "xfer.h"

#include <string.h>

/* Clock granularity term of the retransmit timeout (RFC 6298 "G"). */
#define RTO_GRANULARITY_US 1000

uint16_t tftp_wire_block(uint64_t abs, int rollover)
{
	if (abs == 0)
		return 0;
	if (rollover == 1)
		return (uint16_t)((abs - 1) % 65535 + 1);
	return (uint16_t)(abs & 0xffff);
}

/* The absolute block in [lo, hi] whose wire number is blk. With a window
 * of at most 65535 blocks the answer is unique, except that hi may share
 * lo's wire number (window of 65535 with rollover 1, or 65536 values):
 * then the newer block wins. false when blk is none of them: an old
 * packet, or a block we never sent. */
static bool wire_to_abs(uint16_t blk, int rollover, uint64_t lo, uint64_t hi, uint64_t *out)
{
	uint64_t abs;
	if (rollover == 1) {
		if (blk == 0) {
			*out = 0;
			return lo == 0;
		}
		uint64_t l1 = lo ? lo : 1;
		uint64_t d = ((uint64_t)(blk - 1) + 65535 - (l1 - 1) % 65535) % 65535;
		abs = l1 + d;
		if (abs == lo && lo + 65535 <= hi)
			abs = lo + 65535;
	} else {
		uint64_t d = (uint16_t)(blk - (uint16_t)lo);
		abs = lo + d;
	}
	if (abs < lo || abs > hi)
		return false;
	*out = abs;
	return true;
}

static uint64_t clamp_rto(const struct tftp_timing *t, uint64_t v)
{
	if (v < t->rto_min_us)
		v = t->rto_min_us;
	if (v > t->timeout_us)
		v = t->timeout_us;
	return v;
}

/* RFC 6298 §2: smoothed round trip and its variation. */
static void rtt_sample(struct tftp_tx *x, uint64_t r)
{
	if (x->srtt == 0) {
		x->srtt = r ? r : 1;
		x->rttvar = r / 2;
	} else {
		uint64_t diff = x->srtt > r ? x->srtt - r : r - x->srtt;
		x->rttvar = (3 * x->rttvar + diff) / 4;
		x->srtt = (7 * x->srtt + r) / 8;
		if (x->srtt == 0)
			x->srtt = 1;
	}
	uint64_t var = 4 * x->rttvar;
	x->rto = clamp_rto(&x->t, x->srtt + (var > RTO_GRANULARITY_US ? var : RTO_GRANULARITY_US));
}

/* ------------------------------------------------------------ sender */

void tftp_tx_init(struct tftp_tx *x, uint64_t size, uint32_t blksize, uint32_t windowsize,
		  int rollover, bool oack, const struct tftp_timing *t)
{
	memset(x, 0, sizeof(*x));
	x->size = size;
	x->blksize = blksize ? blksize : 512;
	x->windowsize = windowsize ? windowsize : 1;
	x->rollover = rollover;
	x->oack = oack;
	x->t = *t;
	/* The first DATA block shorter than blksize ends the transfer, so a
	 * size that is a multiple of blksize needs a final empty block. */
	x->last = size / x->blksize + 1;
	x->base = 1;
	x->next = 1;
	x->rto = clamp_rto(t, t->rto_init_us);
}

uint64_t tftp_tx_offset(const struct tftp_tx *x, uint64_t abs)
{
	return (abs - 1) * x->blksize;
}

uint32_t tftp_tx_len(const struct tftp_tx *x, uint64_t abs)
{
	uint64_t off = tftp_tx_offset(x, abs);
	if (off >= x->size)
		return 0;
	uint64_t n = x->size - off;
	return n > x->blksize ? x->blksize : (uint32_t)n;
}

/* Send a window from x->next. */
static struct tftp_act send_window(struct tftp_tx *x, uint64_t now, bool retransmit)
{
	struct tftp_act a = {.kind = TFTP_ACT_SEND, .retransmit = retransmit};
	uint64_t left = x->last - x->next + 1;
	a.first = x->next;
	a.count = (uint32_t)(left < x->windowsize ? left : x->windowsize);
	x->next += a.count;
	x->sent_at = now;
	x->resent = retransmit;
	x->deadline = now + x->rto;
	return a;
}

struct tftp_act tftp_tx_start(struct tftp_tx *x, uint64_t now)
{
	if (x->oack) {
		x->state = TFTP_XS_OACK;
		x->sent_at = now;
		x->deadline = now + x->rto;
		return (struct tftp_act){.kind = TFTP_ACT_SEND, .oack = true};
	}
	x->state = TFTP_XS_DATA;
	return send_window(x, now, false);
}

static struct tftp_act tx_oack_ack(struct tftp_tx *x, uint16_t block, uint64_t now)
{
	/* RFC 2347: the client answers the OACK of an RRQ with ACK 0. */
	if (block != 0)
		return (struct tftp_act){.kind = TFTP_ACT_NONE};
	if (!x->resent)
		rtt_sample(x, now - x->sent_at);
	x->tries = 0;
	x->state = TFTP_XS_DATA;
	return send_window(x, now, false);
}

struct tftp_act tftp_tx_ack(struct tftp_tx *x, uint16_t block, uint64_t now)
{
	struct tftp_act none = {.kind = TFTP_ACT_NONE};
	if (x->state == TFTP_XS_OACK)
		return tx_oack_ack(x, block, now);
	if (x->state != TFTP_XS_DATA)
		return none;
	uint64_t abs, hi = x->next - 1;
	if (!wire_to_abs(block, x->rollover, x->base - 1, hi, &abs))
		return none;
	/* RFC 1123 4.2.3.1: a duplicate ACK (of what was already
	 * acknowledged) never causes a retransmission; only the timer does. */
	if (abs == x->base - 1)
		return none;
	if (!x->resent)
		rtt_sample(x, now - x->sent_at);
	else if (x->srtt)
		x->rto = clamp_rto(&x->t, x->srtt + 4 * x->rttvar + RTO_GRANULARITY_US);
	x->tries = 0;
	x->base = abs + 1;
	if (abs == x->last) {
		x->state = TFTP_XS_DONE;
		return (struct tftp_act){.kind = TFTP_ACT_DONE};
	}
	if (abs == hi)
		return send_window(x, now, false);
	/* RFC 7440 §4: an ACK of a block before the window's last one says
	 * the client saw a gap after it: restart from the next block. */
	uint64_t again = hi - abs;
	x->next = abs + 1;
	struct tftp_act a = send_window(x, now, true);
	x->retransmits += again < a.count ? again : a.count;
	return a;
}

struct tftp_act tftp_tx_timeout(struct tftp_tx *x, uint64_t now)
{
	if (x->state != TFTP_XS_OACK && x->state != TFTP_XS_DATA)
		return (struct tftp_act){.kind = TFTP_ACT_NONE};
	x->timeouts++;
	if (x->rto >= x->t.timeout_us && ++x->tries > x->t.retries) {
		x->state = TFTP_XS_FAILED;
		return (struct tftp_act){.kind = TFTP_ACT_FAIL};
	}
	/* Back off (RFC 6298 §5.5), up to the negotiated timeout. */
	x->rto = x->rto * 2 > x->t.timeout_us ? x->t.timeout_us : x->rto * 2;
	if (x->state == TFTP_XS_OACK) {
		x->resent = true;
		x->retransmits++;
		x->deadline = now + x->rto;
		return (struct tftp_act){.kind = TFTP_ACT_SEND, .oack = true, .retransmit = true};
	}
	uint64_t inflight = x->next - x->base;
	x->next = x->base;
	struct tftp_act a = send_window(x, now, true);
	x->retransmits += inflight < a.count ? inflight : a.count;
	return a;
}

/* ---------------------------------------------------------- receiver */

void tftp_rx_init(struct tftp_rx *x, uint32_t blksize, uint32_t windowsize, int rollover, bool oack,
		  const struct tftp_timing *t)
{
	memset(x, 0, sizeof(*x));
	x->blksize = blksize ? blksize : 512;
	x->windowsize = windowsize ? windowsize : 1;
	x->rollover = rollover;
	x->oack = oack;
	x->t = *t;
}

static struct tftp_act rx_ack(struct tftp_rx *x, uint64_t now, bool retransmit)
{
	x->win_cnt = 0;
	x->deadline = now + x->t.timeout_us;
	return (struct tftp_act){.kind = TFTP_ACT_ACK,
				 .first = x->have,
				 .oack = x->have == 0 && x->oack,
				 .retransmit = retransmit};
}

struct tftp_act tftp_rx_start(struct tftp_rx *x, uint64_t now)
{
	x->state = TFTP_XS_DATA;
	return rx_ack(x, now, false);
}

struct tftp_act tftp_rx_data(struct tftp_rx *x, uint16_t block, uint32_t len, uint64_t now)
{
	struct tftp_act none = {.kind = TFTP_ACT_NONE};
	if (x->state == TFTP_XS_DALLY) {
		/* RFC 1350 §6: our final ACK was lost; say it again. */
		if (block == tftp_wire_block(x->have, x->rollover))
			return rx_ack(x, now, true);
		return none;
	}
	if (x->state != TFTP_XS_DATA || len > x->blksize)
		return none;
	if (block != tftp_wire_block(x->have + 1, x->rollover)) {
		/* A gap or an old block: ACK the last block in order, once per
		 * gap (RFC 7440 §4), so that the sender restarts from there. */
		if (x->gap_acked)
			return none;
		x->gap_acked = true;
		return rx_ack(x, now, true);
	}
	x->have++;
	x->gap_acked = false;
	x->tries = 0;
	x->win_cnt++;
	struct tftp_act a = {.kind = TFTP_ACT_NONE, .write = true, .first = x->have};
	if (len < x->blksize) {
		a = rx_ack(x, now, false);
		a.write = a.complete = true;
		x->state = TFTP_XS_DALLY;
	} else if (x->win_cnt >= x->windowsize) {
		a = rx_ack(x, now, false);
		a.write = true;
	} else {
		x->deadline = now + x->t.timeout_us;
	}
	return a;
}

struct tftp_act tftp_rx_timeout(struct tftp_rx *x, uint64_t now)
{
	if (x->state == TFTP_XS_DALLY) {
		x->state = TFTP_XS_DONE;
		return (struct tftp_act){.kind = TFTP_ACT_DONE};
	}
	if (x->state != TFTP_XS_DATA)
		return (struct tftp_act){.kind = TFTP_ACT_NONE};
	x->timeouts++;
	if (++x->tries > x->t.retries) {
		x->state = TFTP_XS_FAILED;
		return (struct tftp_act){.kind = TFTP_ACT_FAIL};
	}
	x->retransmits++;
	return rx_ack(x, now, true);
}
