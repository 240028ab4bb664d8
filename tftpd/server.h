/* SPDX-License-Identifier: MIT */
/* pxe-tftpd's event-loop side: listening sockets, one struct per
 * transfer with its own UDP socket (or the listen socket in single-port
 * mode), timers, and the system calls that carry out what the pure state
 * machines (xfer.c) decide. */
#ifndef TFTP_SERVER_H
#define TFTP_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config.h"
#include "map.h"
#include "root.h"
#include "sock.h"

/* Everything a loaded configuration needs at run time. Swapped whole on
 * SIGHUP; transfers in progress keep what they opened. */
struct tftpd_runtime {
	const struct tftpd_config *cfg;
	struct pxe_root *root; /* a directory or an image (common/root.h); a reference */
	struct tftp_map map;
};

struct tftpd;

/* Create the server on loop with its first runtime (not owned). */
struct tftpd *tftpd_new(uv_loop_t *loop, const struct tftpd_runtime *rt);
/* Replace the runtime (SIGHUP); returns the old one for the caller to
 * free. Transfers already running are not touched. */
const struct tftpd_runtime *tftpd_set_runtime(struct tftpd *s, const struct tftpd_runtime *rt);
/* Serve requests arriving on fd (a bound UDP socket, non-blocking; taken
 * over). Sets IP_PKTINFO / IPV6_RECVPKTINFO on it. 0 or -errno. */
int tftpd_listen_fd(struct tftpd *s, int fd);
/* Number of transfers in progress. */
size_t tftpd_active(const struct tftpd *s);

/* Run the loop until everything is closed (tftpd_stop), busy polling as
 * busy-poll says. */
void tftpd_run(struct tftpd *s);
/* Close listeners and end every transfer (logged as aborted). The loop
 * then runs out; free with tftpd_free after uv_run returns. */
void tftpd_stop(struct tftpd *s);
void tftpd_free(struct tftpd *s);

#endif
