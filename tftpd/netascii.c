/* SPDX-License-Identifier: MIT */
/* netascii conversion (RFC 1350 "netascii", RFC 764 NVT ASCII). */
#include "netascii.h"

size_t tftp_netascii_encode(const uint8_t *in, size_t n, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		if (in[i] == '\n') {
			out[o++] = '\r';
			out[o++] = '\n';
		} else if (in[i] == '\r') {
			out[o++] = '\r';
			out[o++] = '\0';
		} else {
			out[o++] = in[i];
		}
	}
	return o;
}

size_t tftp_netascii_decode(struct tftp_netascii_dec *d, const uint8_t *in, size_t n, uint8_t *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = in[i];
		if (d->cr) {
			d->cr = false;
			if (c == '\n') {
				out[o++] = '\n';
				continue;
			}
			out[o++] = '\r';
			if (c == '\0')
				continue;
		}
		if (c == '\r')
			d->cr = true;
		else
			out[o++] = c;
	}
	return o;
}

size_t tftp_netascii_decode_end(struct tftp_netascii_dec *d, uint8_t *out)
{
	if (!d->cr)
		return 0;
	d->cr = false;
	out[0] = '\r';
	return 1;
}
