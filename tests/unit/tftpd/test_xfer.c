/* SPDX-License-Identifier: MIT */
/* tftpd/xfer.c: the transfer state machines, driven with a fake clock. */
#include <string.h>

#include "unit.h"
#include "netascii.h"
#include "xfer.h"

static const struct tftp_timing T = {
	.timeout_us = 1000000,
	.rto_init_us = 250000,
	.rto_min_us = 50000,
	.retries = 3,
};

#define SEND(act, f, c)                                                                            \
	do {                                                                                       \
		struct tftp_act a_ = (act);                                                        \
		ck_assert_int_eq(a_.kind, TFTP_ACT_SEND);                                          \
		ck_assert_msg(a_.first == (f) && a_.count == (c), "send %llu+%u, want %llu+%u",    \
			      (unsigned long long)a_.first, a_.count, (unsigned long long)(f),     \
			      (unsigned)(c));                                                      \
	} while (0)

START_TEST(test_lockstep_no_oack)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 1024, 512, 1, 0, false, &T);
	ck_assert_int_eq(x.last, 3); /* 512 + 512 + final empty block */
	struct tftp_act a = tftp_tx_start(&x, 0);
	SEND(a, 1, 1);
	ck_assert_int_eq(tftp_tx_len(&x, 1), 512);
	ck_assert_int_eq(tftp_tx_len(&x, 3), 0);
	a = tftp_tx_ack(&x, 1, 100);
	SEND(a, 2, 1);
	a = tftp_tx_ack(&x, 2, 200);
	SEND(a, 3, 1);
	a = tftp_tx_ack(&x, 3, 300);
	ck_assert_int_eq(a.kind, TFTP_ACT_DONE);
	ck_assert_int_eq(x.retransmits, 0);
}
END_TEST

START_TEST(test_empty_file_and_oack)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 0, 1468, 4, 0, true, &T);
	struct tftp_act a = tftp_tx_start(&x, 0);
	ck_assert_int_eq(a.kind, TFTP_ACT_SEND);
	ck_assert(a.oack);
	ck_assert_int_eq(a.count, 0);
	/* an ACK other than 0 while the OACK is pending changes nothing */
	ck_assert_int_eq(tftp_tx_ack(&x, 1, 10).kind, TFTP_ACT_NONE);
	a = tftp_tx_ack(&x, 0, 20);
	SEND(a, 1, 1);
	ck_assert_int_eq(tftp_tx_len(&x, 1), 0);
	ck_assert_int_eq(tftp_tx_ack(&x, 1, 30).kind, TFTP_ACT_DONE);
}
END_TEST

/* RFC 1123 4.2.3.1: duplicate ACKs never cause a resend. */
START_TEST(test_sorcerers_apprentice)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 10 * 512, 512, 1, 0, false, &T);
	tftp_tx_start(&x, 0);
	SEND(tftp_tx_ack(&x, 1, 10), 2, 1);
	/* the client's retransmitted ACK 1 arrives: silence */
	ck_assert_int_eq(tftp_tx_ack(&x, 1, 20).kind, TFTP_ACT_NONE);
	ck_assert_int_eq(tftp_tx_ack(&x, 1, 30).kind, TFTP_ACT_NONE);
	/* an ACK from the far past or the future: silence */
	ck_assert_int_eq(tftp_tx_ack(&x, 0, 40).kind, TFTP_ACT_NONE);
	ck_assert_int_eq(tftp_tx_ack(&x, 9, 40).kind, TFTP_ACT_NONE);
	SEND(tftp_tx_ack(&x, 2, 50), 3, 1);
	ck_assert_int_eq(x.retransmits, 0);
}
END_TEST

START_TEST(test_window_slide_and_gap)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 100 * 512 + 1, 512, 8, 0, true, &T);
	tftp_tx_start(&x, 0);
	SEND(tftp_tx_ack(&x, 0, 10), 1, 8);
	SEND(tftp_tx_ack(&x, 8, 20), 9, 8);
	/* gap: the client got 9..11 only; restart from 12 */
	struct tftp_act a = tftp_tx_ack(&x, 11, 30);
	SEND(a, 12, 8);
	ck_assert(a.retransmit);
	ck_assert_int_eq(x.retransmits, 5);
	/* the stale ACK 11 again, and old ACK 8: nothing */
	ck_assert_int_eq(tftp_tx_ack(&x, 11, 31).kind, TFTP_ACT_NONE);
	ck_assert_int_eq(tftp_tx_ack(&x, 8, 32).kind, TFTP_ACT_NONE);
	SEND(tftp_tx_ack(&x, 19, 40), 20, 8);
	/* last window is partial: 101 blocks (100 full + 1 byte) */
	for (uint64_t b = 27; b < 100; b += 8)
		tftp_tx_ack(&x, (uint16_t)b, 50);
	ck_assert_int_eq(x.next - 1, 101);
	ck_assert_int_eq(tftp_tx_len(&x, 101), 1);
	ck_assert_int_eq(tftp_tx_ack(&x, 101, 60).kind, TFTP_ACT_DONE);
}
END_TEST

START_TEST(test_timeout_backoff_and_give_up)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 10 * 512, 512, 4, 0, false, &T);
	struct tftp_act a = tftp_tx_start(&x, 0);
	SEND(a, 1, 4);
	ck_assert_int_eq(x.deadline, 250000);
	/* timeouts resend the window from the first unacknowledged block,
	 * doubling the wait up to the timeout */
	uint64_t now = x.deadline;
	a = tftp_tx_timeout(&x, now);
	SEND(a, 1, 4);
	ck_assert(a.retransmit);
	ck_assert_int_eq(x.deadline - now, 500000);
	now = x.deadline;
	SEND(tftp_tx_timeout(&x, now), 1, 4);
	ck_assert_int_eq(x.deadline - now, 1000000);
	int sends = 0;
	for (int i = 0; i < 10; i++) {
		now = x.deadline;
		a = tftp_tx_timeout(&x, now);
		if (a.kind == TFTP_ACT_FAIL)
			break;
		sends++;
		ck_assert_int_eq(x.deadline - now, 1000000);
	}
	ck_assert_int_eq(a.kind, TFTP_ACT_FAIL);
	ck_assert_int_eq(sends, (int)T.retries);
	ck_assert_int_eq(x.state, TFTP_XS_FAILED);
	ck_assert_int_eq(tftp_tx_ack(&x, 4, now).kind, TFTP_ACT_NONE);
}
END_TEST

START_TEST(test_rtt_adapts)
{
	struct tftp_tx x;
	tftp_tx_init(&x, 1000 * 512, 512, 1, 0, false, &T);
	tftp_tx_start(&x, 0);
	uint64_t now = 0;
	for (int b = 1; b <= 20; b++) {
		now += 2000; /* 2 ms round trips */
		tftp_tx_ack(&x, (uint16_t)b, now);
	}
	ck_assert_uint_eq(x.rto, T.rto_min_us); /* floor */
	/* progress after a timeout resets the tries */
	now = x.deadline;
	tftp_tx_timeout(&x, now);
	ck_assert_int_eq(x.timeouts, 1);
	SEND(tftp_tx_ack(&x, 21, now + 10), 22, 1);
	ck_assert_int_eq(x.tries, 0);
}
END_TEST

/* Rollover to 0 inside a window: blocks 65533..65540 are sent as
 * 65533, 65534, 65535, 0, 1, 2, 3, 4. */
START_TEST(test_rollover_in_window)
{
	struct tftp_tx x;
	uint64_t blocks = 70000;
	tftp_tx_init(&x, blocks * 8, 8, 8, 0, true, &T);
	tftp_tx_start(&x, 0);
	tftp_tx_ack(&x, 0, 1);
	uint64_t ab = 8;
	while (ab + 8 < 65533) {
		tftp_tx_ack(&x, tftp_wire_block(ab, 0), 2);
		ab += 8;
	}
	ck_assert_int_eq(x.next, ab + 1);
	/* position the window to start at 65533 */
	ck_assert_int_eq(ab, 65528);
	struct tftp_act a = tftp_tx_ack(&x, tftp_wire_block(65528, 0), 3);
	SEND(a, 65529, 8); /* 65529..65536 */
	ck_assert_int_eq(tftp_wire_block(65535, 0), 65535);
	ck_assert_int_eq(tftp_wire_block(65536, 0), 0);
	ck_assert_int_eq(tftp_wire_block(65537, 0), 1);
	/* a gap ACK for 65535 (wire 65535) restarts at 65536 (wire 0) */
	a = tftp_tx_ack(&x, 65535, 4);
	SEND(a, 65536, 8);
	/* ACK wire 3 = block 65539 */
	a = tftp_tx_ack(&x, 3, 5);
	SEND(a, 65540, 8);
	ck_assert_int_eq(x.base, 65540);
	/* the duplicate wire 3 is old now */
	ck_assert_int_eq(tftp_tx_ack(&x, 3, 6).kind, TFTP_ACT_NONE);
}
END_TEST

START_TEST(test_rollover_to_one)
{
	ck_assert_int_eq(tftp_wire_block(65535, 1), 65535);
	ck_assert_int_eq(tftp_wire_block(65536, 1), 1);
	ck_assert_int_eq(tftp_wire_block(131070, 1), 65535);
	ck_assert_int_eq(tftp_wire_block(131071, 1), 1);
	struct tftp_tx x;
	tftp_tx_init(&x, 70000ull * 8, 8, 4, 1, false, &T);
	tftp_tx_start(&x, 0);
	for (uint64_t b = 4; b < 65532; b += 4)
		tftp_tx_ack(&x, tftp_wire_block(b, 1), 1);
	ck_assert_int_eq(x.next, 65533);           /* in flight: 65529..65532 */
	SEND(tftp_tx_ack(&x, 65532, 2), 65533, 4); /* 65533, 65534, 65535, 1 */
	struct tftp_act a = tftp_tx_ack(&x, 1, 3);
	SEND(a, 65537, 4);
	/* wire 0 is never a block with rollover 1 */
	ck_assert_int_eq(tftp_tx_ack(&x, 0, 4).kind, TFTP_ACT_NONE);
}
END_TEST

/* ------------------------------------------------------------ receiver */

START_TEST(test_rx_lockstep)
{
	struct tftp_rx x;
	tftp_rx_init(&x, 512, 1, 0, false, &T);
	struct tftp_act a = tftp_rx_start(&x, 0);
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert_int_eq(a.first, 0);
	ck_assert(!a.oack);
	a = tftp_rx_data(&x, 1, 512, 10);
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert(a.write);
	ck_assert_int_eq(a.first, 1);
	/* duplicate of block 1: ACK it again once, no write */
	a = tftp_rx_data(&x, 1, 512, 20);
	ck_assert(!a.write);
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert_int_eq(tftp_rx_data(&x, 1, 512, 21).kind, TFTP_ACT_NONE);
	a = tftp_rx_data(&x, 2, 100, 30);
	ck_assert(a.write && a.complete);
	ck_assert_int_eq(a.first, 2);
	/* dally: a repeated final block gets its ACK again */
	a = tftp_rx_data(&x, 2, 100, 40);
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert(!a.write);
	ck_assert_int_eq(tftp_rx_timeout(&x, x.deadline).kind, TFTP_ACT_DONE);
}
END_TEST

START_TEST(test_rx_window_gap_timeout)
{
	struct tftp_rx x;
	tftp_rx_init(&x, 8, 4, 0, true, &T);
	struct tftp_act a = tftp_rx_start(&x, 0);
	ck_assert(a.oack);
	ck_assert_int_eq(tftp_rx_data(&x, 1, 8, 1).kind, TFTP_ACT_NONE);
	ck_assert_int_eq(tftp_rx_data(&x, 2, 8, 2).kind, TFTP_ACT_NONE);
	/* 3 lost: 4 is a gap, ACK 2 once */
	a = tftp_rx_data(&x, 4, 8, 3);
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert_int_eq(a.first, 2);
	ck_assert(!a.write);
	ck_assert_int_eq(tftp_rx_data(&x, 5, 8, 4).kind, TFTP_ACT_NONE);
	for (uint16_t b = 3; b <= 5; b++)
		ck_assert(tftp_rx_data(&x, b, 8, 5).write);
	a = tftp_rx_data(&x, 6, 8, 6); /* 4th since the gap ACK */
	ck_assert_int_eq(a.kind, TFTP_ACT_ACK);
	ck_assert_int_eq(a.first, 6);
	/* nothing more arrives: re-ACK on each timeout, then give up */
	int acks = 0;
	for (;;) {
		a = tftp_rx_timeout(&x, x.deadline);
		if (a.kind != TFTP_ACT_ACK)
			break;
		acks++;
	}
	ck_assert_int_eq(a.kind, TFTP_ACT_FAIL);
	ck_assert_int_eq(acks, (int)T.retries);
}
END_TEST

START_TEST(test_netascii)
{
	uint8_t out[64];
	size_t n = tftp_netascii_encode((const uint8_t *)"a\nb\rc", 5, out);
	ck_assert_int_eq(n, 7);
	ck_assert_mem_eq(out, "a\r\nb\r\0c", 7);
	struct tftp_netascii_dec d = {0};
	/* CR at the end of one block pairs with the next */
	n = tftp_netascii_decode(&d, (const uint8_t *)"x\r", 2, out);
	ck_assert_int_eq(n, 1);
	n += tftp_netascii_decode(&d, (const uint8_t *)"\ny\r\0z\rq", 7, out + n);
	ck_assert_int_eq(n, 7);
	ck_assert_mem_eq(out, "x\ny\rz\rq", 7);
	n = tftp_netascii_decode(&d, (const uint8_t *)"\r", 1, out);
	ck_assert_int_eq(n, 0);
	ck_assert_int_eq(tftp_netascii_decode_end(&d, out), 1);
	ck_assert_int_eq(out[0], '\r');
}
END_TEST

UNIT_SUITE(tftp_xfer)
{
	Suite *s = suite_create("tftp_xfer");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_lockstep_no_oack);
	tcase_add_test(tc, test_empty_file_and_oack);
	tcase_add_test(tc, test_sorcerers_apprentice);
	tcase_add_test(tc, test_window_slide_and_gap);
	tcase_add_test(tc, test_timeout_backoff_and_give_up);
	tcase_add_test(tc, test_rtt_adapts);
	tcase_add_test(tc, test_rollover_in_window);
	tcase_add_test(tc, test_rollover_to_one);
	tcase_add_test(tc, test_rx_lockstep);
	tcase_add_test(tc, test_rx_window_gap_timeout);
	tcase_add_test(tc, test_netascii);
	suite_add_tcase(s, tc);
	return s;
}
