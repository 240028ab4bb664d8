/* SPDX-License-Identifier: MIT */
/* A transfer's DATA blocks onto the wire: a window of equal-sized
 * datagrams in one system call (RFC 7440 windows; UDP GSO, else
 * sendmmsg), the file data read with one pread or preadv per batch, and
 * a read-ahead for lock-step transfers with small blocks. */
#ifndef TFTP_WINDOW_H
#define TFTP_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

struct tftp_conn;

/* Set up how c's windows go out, once its options are negotiated: UDP
 * GSO when gso (an own socket and the gso option), the read-ahead buffer
 * for lock-step with small blocks. */
void tftp_window_init(struct tftp_conn *c, bool gso);
/* The send buffer c's own socket wants: two whole windows. */
int tftp_window_sndbuf(const struct tftp_conn *c);
/* Send DATA blocks [first, first + count) of c's file. Returns how many
 * went out (fewer when the socket buffer is full) or -errno (a read
 * error, the file shrank, a send error). */
int tftp_window_send(struct tftp_conn *c, uint64_t first, uint32_t count);

#endif
