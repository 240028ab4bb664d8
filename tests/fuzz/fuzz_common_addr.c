/* SPDX-License-Identifier: MIT */
/* libFuzzer: pxe_addr_parse must accept or refuse any bytes without
 * crashing, and what it accepts must format and parse back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char in[256];
	if (size >= sizeof(in))
		return 0;
	memcpy(in, data, size);
	in[size] = 0;
	struct pxe_sockaddr a, b;
	if (pxe_addr_parse(in, 69, &a) < 0)
		return 0;
	char out[128];
	int n = pxe_addr_format(&a.u.sa, true, out, sizeof(out));
	if (n <= 0 || (size_t)n >= sizeof(out))
		abort();
	if (pxe_addr_parse(out, 69, &b) < 0 || !pxe_addr_equal(&a.u.sa, &b.u.sa))
		abort();
	return 0;
}
