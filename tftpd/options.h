/* SPDX-License-Identifier: MIT */
/* Option negotiation (RFC 2347 OACK, RFC 2348 blksize, RFC 2349 timeout
 * and tsize, RFC 7440 windowsize, tftp-hpa's rollover). Pure. */
#ifndef TFTP_OPTIONS_H
#define TFTP_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "wire.h"

/* Options an administrator can refuse (--refuse), as bits. */
enum tftp_optbit {
	TFTP_OPT_BLKSIZE = 0x01,
	TFTP_OPT_TSIZE = 0x02,
	TFTP_OPT_TIMEOUT = 0x04,
	TFTP_OPT_WINDOWSIZE = 0x08,
	TFTP_OPT_ROLLOVER = 0x10,
};
/* "blksize" -> TFTP_OPT_BLKSIZE ...; 0 for an unknown name. */
unsigned tftp_optbit_parse(const char *name);

struct tftp_limits {
	uint32_t blksize_max;    /* 8..65464: config or interface MTU */
	uint32_t windowsize_max; /* 1..65535 */
	int rollover;            /* 0 or 1: the server's default wrap value */
	unsigned refuse;         /* TFTP_OPT_* never accepted */
};

struct tftp_neg {
	uint32_t blksize;    /* 512 unless negotiated */
	uint32_t windowsize; /* 1 unless negotiated */
	uint32_t timeout_s;  /* 0: the client did not set one */
	int rollover;
	bool tsize;         /* tsize in the OACK */
	uint64_t wrq_tsize; /* WRQ: the size the client announced */
	/* What the client asked, for the transfer's log line (-1: not asked). */
	long long ask_blksize, ask_windowsize, ask_timeout, ask_tsize;
	struct tftp_oack_item oack[5];
	size_t noack; /* 0: answer without an OACK (RFC 1350) */
};

/* Negotiate r against lim. file_size is the RRQ file's size (for tsize;
 * unused for WRQ). Values that are not decimal numbers, or outside the
 * RFC ranges where clamping makes no sense (blksize < 8, timeout 0 or
 * > 255, windowsize 0), are ignored: the option is left out of the OACK
 * and the RFC 1350 default applies (RFC 2347: the server omits options it
 * does not accept). */
void tftp_negotiate(const struct tftp_req *r, const struct tftp_limits *lim, uint64_t file_size,
		    struct tftp_neg *out);

/* Parse an option value: decimal digits only, at most max. 0 or -EINVAL. */
int tftp_optval(const struct tftp_opt *o, uint64_t max, uint64_t *out);

#endif
