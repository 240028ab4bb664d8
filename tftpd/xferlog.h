/* SPDX-License-Identifier: MIT */
/* The one log line of a finished transfer (event=transfer): who, which
 * file, how much, how fast, the negotiated and the asked options, and how
 * it ended; info for ok and declined, notice for the rest. */
#ifndef TFTP_XFERLOG_H
#define TFTP_XFERLOG_H

#include "server_int.h"

void tftp_xferlog(const struct tftp_conn *c, enum tftp_status st, const char *why);

#endif
