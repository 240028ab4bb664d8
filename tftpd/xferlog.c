/* SPDX-License-Identifier: MIT */
/* The log line of a finished transfer (xferlog.h). */
#include "xferlog.h"

#include "log.h"
#include "server_int.h"

static const char *const status_names[] = {
	[TFTP_ST_OK] = "ok",
	[TFTP_ST_TIMEOUT] = "timeout",
	[TFTP_ST_DECLINED] = "declined",
	[TFTP_ST_ABORTED] = "aborted",
	[TFTP_ST_ERROR] = "error",
};

/* An option the client asked for (RFC 2347), as it asked: -1 when not. */
static void log_asked(struct pxe_log_line *l, const char *key, long long v)
{
	if (v >= 0)
		pxe_log_int(l, key, v);
}

void tftp_xferlog(const struct tftp_conn *c, enum tftp_status st, const char *why)
{
	bool quiet = st == TFTP_ST_OK || st == TFTP_ST_DECLINED;
	struct pxe_log_line l;
	pxe_log_begin(&l, quiet ? PXE_LOG_INFO : PXE_LOG_NOTICE, "transfer");
	if (!l.active)
		return;
	uint64_t us = tftp_now_us() - c->start_us;
	pxe_log_addr(&l, "client", &c->peer.u.sa);
	pxe_log_str(&l, "op", c->write ? "write" : "read");
	pxe_log_str(&l, "file", c->file ? c->file : "");
	pxe_log_str(&l, "mode", c->mode == TFTP_MODE_NETASCII ? "netascii" : "octet");
	pxe_log_uint(&l, "bytes", c->bytes);
	pxe_log_uint(&l, "blksize", c->write ? c->rx.blksize : c->tx.blksize);
	pxe_log_uint(&l, "windowsize", c->write ? c->rx.windowsize : c->tx.windowsize);
	pxe_log_double(&l, "ms", (double)us / 1000.0, 1);
	pxe_log_double(&l, "mbps", us ? (double)c->bytes / (double)us : 0.0, 2);
	pxe_log_uint(&l, "retransmits", c->write ? c->rx.retransmits : c->tx.retransmits);
	pxe_log_uint(&l, "timeouts", c->write ? c->rx.timeouts : c->tx.timeouts);
	pxe_log_str(&l, "status", status_names[st]);
	if (why)
		pxe_log_str(&l, "reason", why);
	log_asked(&l, "ask_blksize", c->neg.ask_blksize);
	log_asked(&l, "ask_windowsize", c->neg.ask_windowsize);
	log_asked(&l, "ask_tsize", c->neg.ask_tsize);
	log_asked(&l, "ask_timeout", c->neg.ask_timeout);
	pxe_log_end(&l);
}
