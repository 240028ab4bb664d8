/* SPDX-License-Identifier: MIT */
/* A rate limit per source address for the ERROR packets the listen socket
 * sends (file not found, access violation, malformed request, busy): a
 * client's address is not proven by a UDP request, so a forged flood of
 * RRQs must not turn pxe-tftpd into a reflector aimed at the forged address.
 * A token bucket per address (IPv4, or a whole IPv6 address) in a table of
 * fixed size: memory stays bounded whatever the flood, and addresses that
 * hash to one slot share its bucket. Pure: the caller passes the time. */
#ifndef TFTP_SRCLIMIT_H
#define TFTP_SRCLIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "sock.h"

#define TFTP_SRCLIMIT_SLOTS 4096
#define TFTP_SRCLIMIT_RATE  10 /* errors per second per address, sustained */
#define TFTP_SRCLIMIT_BURST 20 /* ... and at once */

struct tftp_srclimit {
	struct tftp_srcslot {
		uint64_t last_us;      /* the time up to which tokens were added */
		uint32_t tokens_milli; /* tokens x 1000 */
	} slots[TFTP_SRCLIMIT_SLOTS];
	uint64_t suppressed; /* errors not sent, for the log */
};

/* Whether an ERROR to src may go out at now_us; counts the ones refused. */
bool tftp_srclimit_allow(struct tftp_srclimit *l, const struct pxe_sockaddr *src, uint64_t now_us);

#endif
