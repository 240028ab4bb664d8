/* SPDX-License-Identifier: MIT */
/* libFuzzer: the transfer state machines (tftpd/xfer.c) under arbitrary
 * ACK/DATA/timeout sequences: invariants must hold, nothing may be sent
 * outside the file, and a duplicate ACK never causes a send. */
#include <stdint.h>
#include <stdlib.h>

#include "xfer.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_send(const struct tftp_tx *x, const struct tftp_act *a)
{
	if (a->kind != TFTP_ACT_SEND || a->oack)
		return;
	if (a->count > x->windowsize || a->first < 1 || a->first + a->count - 1 > x->last)
		abort();
	if (x->base > x->next || x->next > x->last + 1)
		abort();
}

static void fuzz_tx(const uint8_t *d, size_t n)
{
	struct tftp_timing t = {
		.timeout_us = 1000000, .rto_init_us = 250000, .rto_min_us = 50000, .retries = 3};
	struct tftp_tx x;
	uint32_t blksize = 8 + d[0] % 64, window = 1 + d[1] % 32;
	uint64_t size = (uint64_t)d[2] * 131 + (uint64_t)d[3] * 40000;
	tftp_tx_init(&x, size, blksize, window, d[4] & 1, d[4] & 2, &t);
	uint64_t now = 0;
	struct tftp_act a = tftp_tx_start(&x, now);
	check_send(&x, &a);
	for (size_t i = 5; i + 2 < n; i += 3) {
		now += d[i] * 1000u;
		uint16_t blk = (uint16_t)(d[i + 1] << 8 | d[i + 2]);
		if (d[i] == 0xff) {
			a = tftp_tx_timeout(&x, x.deadline);
		} else {
			uint64_t before_base = x.base;
			a = tftp_tx_ack(&x, blk, now);
			/* RFC 1123 4.2.3.1: no progress, no send */
			if (a.kind == TFTP_ACT_SEND && x.base == before_base &&
			    x.state == TFTP_XS_DATA && !a.oack && before_base > 1)
				abort();
		}
		check_send(&x, &a);
		if (x.state == TFTP_XS_DONE || x.state == TFTP_XS_FAILED)
			break;
	}
}

static void fuzz_rx(const uint8_t *d, size_t n)
{
	struct tftp_timing t = {
		.timeout_us = 1000000, .rto_init_us = 250000, .rto_min_us = 50000, .retries = 3};
	struct tftp_rx x;
	tftp_rx_init(&x, 8 + d[0] % 64, 1 + d[1] % 16, d[2] & 1, d[2] & 2, &t);
	tftp_rx_start(&x, 0);
	uint64_t have = 0;
	for (size_t i = 3; i + 2 < n; i += 3) {
		struct tftp_act a;
		if (d[i] == 0xff)
			a = tftp_rx_timeout(&x, x.deadline);
		else
			a = tftp_rx_data(&x, (uint16_t)(d[i + 1] << 8 | d[i + 2]), d[i] % 80, 0);
		if (a.write && a.first != ++have)
			abort();
		if (x.state == TFTP_XS_DONE || x.state == TFTP_XS_FAILED)
			break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 6)
		return 0;
	if (data[5] & 0x80)
		fuzz_rx(data + 1, size - 1);
	else
		fuzz_tx(data, size);
	return 0;
}
