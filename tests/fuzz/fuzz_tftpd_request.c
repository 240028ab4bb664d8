/* SPDX-License-Identifier: MIT */
/* libFuzzer: TFTP request and packet parsing, option negotiation and the
 * OACK built from it (tftpd/wire.c, tftpd/options.c). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* An exact-size copy so that ASan sees any read past the end. */
	uint8_t *buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	struct tftp_pkt p;
	if (tftp_parse_pkt(buf, size, &p) == 0 && p.op == TFTP_ERROR && p.errmsg_len > size)
		abort();
	struct tftp_req r;
	if (tftp_parse_req(buf, size, &r) == 0) {
		if (r.filename + r.filename_len >= (const char *)buf + size || r.filename_len == 0)
			abort();
		struct tftp_limits lim = {
			.blksize_max = size > 0 ? 8 + buf[0] * 256u : 1468,
			.windowsize_max = size > 1 ? 1 + buf[1] : 64,
			.rollover = size & 1,
			.refuse = size > 2 ? buf[2] & 0x1f : 0,
		};
		struct tftp_neg n;
		tftp_negotiate(&r, &lim, size * 1000003ull, &n);
		if (n.blksize < 8 || n.blksize > 65464 ||
		    n.blksize > (lim.blksize_max > 512 ? lim.blksize_max : 512))
			abort();
		if (n.windowsize < 1 || n.windowsize > lim.windowsize_max)
			if (n.windowsize != 1)
				abort();
		uint8_t oack[512];
		size_t len = tftp_build_oack(oack, sizeof(oack), n.oack, n.noack);
		if (n.noack && len == 0)
			abort();
	}
	free(buf);
	return 0;
}
