/* SPDX-License-Identifier: MIT */
/* netascii (RFC 764 via RFC 1350): LF -> CR LF, CR -> CR NUL on the way
 * out; the reverse on the way in. Streaming, so a CR at the end of one
 * buffer pairs with the next. Pure. */
#ifndef TFTP_NETASCII_H
#define TFTP_NETASCII_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* out must hold 2 * n bytes. Returns the bytes written. */
size_t tftp_netascii_encode(const uint8_t *in, size_t n, uint8_t *out);

/* Decoder state: a CR seen at the end of the previous buffer. */
struct tftp_netascii_dec {
	bool cr;
};
/* out must hold n + 1 bytes. CR LF -> LF, CR NUL -> CR; a CR followed by
 * anything else is kept as it is (lenient). Returns the bytes written. */
size_t tftp_netascii_decode(struct tftp_netascii_dec *d, const uint8_t *in, size_t n, uint8_t *out);
/* End of input: a trailing lone CR. Returns 0 or 1 byte written to out. */
size_t tftp_netascii_decode_end(struct tftp_netascii_dec *d, uint8_t *out);

#endif
