/* SPDX-License-Identifier: MIT */
/* Hex text of byte strings, one codec for the whole suite: lease lines
 * (mac=, cid=), script environments, MAC match prefixes, ${mac} in boot
 * file names, and DHCP option values written as hex ("01:02:ab"). */
#ifndef PXE_HEX_H
#define PXE_HEX_H

#include <stddef.h>
#include <stdint.h>

/* pxe_hex_decode: exactly one separator between every two bytes and none
 * at either end, as a MAC address is written (52:54:00). */
#define PXE_HEX_STRICT 0x1u

/* The n bytes of b as lower-case hex, sep between two bytes (0: none),
 * into out (cap bytes, NUL-terminated, cut short when it does not fit).
 * Returns the length of the whole text without the NUL, as snprintf does:
 * it all fits when that is less than cap. */
size_t pxe_hex_encode(char *out, size_t cap, const uint8_t *b, size_t n, char sep);

/* Bytes from len characters of s: pairs of hex digits (either case), and
 * between them any of the characters of seps (NULL: none). Without
 * PXE_HEX_STRICT separators may stand anywhere and repeat ("01:02",
 * "0102", "01 - 02:"). Returns how many bytes were written to out, or
 * -EINVAL (not a hex digit, a lone digit, a misplaced separator) or
 * -ENOSPC (more than cap bytes). */
int pxe_hex_decode(const char *s, size_t len, const char *seps, unsigned flags, uint8_t *out,
		   size_t cap);

#endif
