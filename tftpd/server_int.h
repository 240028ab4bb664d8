/* SPDX-License-Identifier: MIT */
/* Internals shared by server.c (listeners, requests, the loop), conn.c
 * (one transfer's I/O), window.c (its DATA windows), xferlog.c (its log
 * line) and files.c (opening what a request names). */
#ifndef TFTP_SERVER_INT_H
#define TFTP_SERVER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <uv.h>

#include "mtu.h"
#include "netascii.h"
#include "options.h"
#include "server.h"
#include "spin.h"
#include "srclimit.h"
#include "wire.h"
#include "xfer.h"

#define TFTP_HASH_BUCKETS 4096
/* Largest request or ACK/ERROR we read on a transfer socket, and the
 * largest DATA of a WRQ. */
#define TFTP_RXBUF (TFTP_BLKSIZE_MAX + TFTP_HDR + 64)

struct tftp_listener {
	struct tftpd *srv;
	uv_poll_t poll;
	int fd;
	int family;
	struct tftp_listener *next;
};

struct tftpd {
	uv_loop_t *loop;
	const struct tftpd_runtime *rt;
	struct tftp_listener *listeners;
	struct tftp_conn *hash[TFTP_HASH_BUCKETS];
	struct tftp_conn *all; /* every transfer, for tftpd_stop */
	size_t nconns;
	bool stopping;
	unsigned io_events;        /* socket callbacks so far: busy-poll's progress test */
	struct tftp_spin spin;     /* busy-poll window (spin.c) */
	unsigned port_next;        /* port-range: where the next search starts */
	struct tftp_mtu_cache mtu; /* interface MTUs that bound blksize */
	/* Scratch shared by all transfers (one thread): file data of a
	 * batch, the packet being received. */
	uint8_t *buf;
	size_t buf_cap;
	struct tftp_srclimit errlimit; /* ERROR replies of the listen sockets */
	uint64_t errlimit_reported;    /* suppressed count at the last report */
	uint64_t errlimit_report_us;
	uint8_t rxbuf[TFTP_RXBUF];
	uint8_t decbuf[TFTP_RXBUF + 1]; /* netascii WRQ, decoded */
};

enum tftp_status {
	TFTP_ST_OK,
	TFTP_ST_TIMEOUT,
	TFTP_ST_DECLINED, /* the client ended it after the OACK (tsize probe, ERROR 8) */
	TFTP_ST_ABORTED,  /* the client sent an ERROR mid-transfer, or we stopped */
	TFTP_ST_ERROR,    /* our side failed (read/write error) */
};

struct tftp_conn {
	struct tftpd *srv;
	struct tftp_conn *hnext;
	struct tftp_conn *prev, *next; /* srv->all */
	uv_poll_t poll;                /* own socket only */
	uv_timer_t timer;
	int handles; /* open libuv handles, freed at 0 */
	int sock;
	bool own_sock; /* false: single-port, sock is the listener's */
	bool gso;      /* send windows with UDP_SEGMENT */
	int poll_events;
	struct pxe_sockaddr peer;
	struct pxe_sockaddr local; /* the address the request came to */
	int ifindex;
	bool write; /* WRQ */
	enum tftp_mode mode;
	char *file;          /* as requested, for the log */
	struct pxe_file src; /* RRQ: the file in the root (or a netascii memfd) */
	int fd;              /* WRQ: the temp file */
	int dirfd;           /* WRQ: directory of the target */
	uint8_t *ra;         /* read-ahead (lock-step, small blocks) */
	size_t ra_cap, ra_len;
	uint64_t ra_off;
	char *tmpname, *finalname; /* WRQ, relative to dirfd */
	struct tftp_netascii_dec dec;
	struct tftp_neg neg;
	struct tftp_tx tx;
	struct tftp_rx rx;
	uint8_t oack[512];
	size_t oack_len;
	uint64_t start_us;
	size_t req_len;    /* the request that started it, to tell */
	uint32_t req_hash; /* a retransmission from a new request */
	uint64_t armed;    /* deadline the timer is armed for */
	uint64_t bytes;    /* file bytes acknowledged / written */
	/* Blocks a full socket buffer kept us from sending (EAGAIN). */
	uint64_t pend_first;
	uint32_t pend_count;
	bool closing;
};

/* The clock of the I/O side, in microseconds (monotonic): read once per
 * request and handed to what needs it (files.c, mtu.c), and for a
 * finished transfer's duration. The state machines get the loop's time
 * instead (conn.c). */
static inline uint64_t tftp_now_us(void)
{
	return uv_hrtime() / 1000;
}

/* conn.c */
/* A transfer for a request that came at now_us. */
struct tftp_conn *tftp_conn_new(struct tftpd *s, uint64_t now_us);
/* Open the transfer's socket and start it (send OACK / first DATA /
 * ACK 0). -errno when no socket could be had: the caller then frees the
 * conn with tftp_conn_free_unstarted. */
int tftp_conn_start(struct tftp_conn *c, struct tftp_listener *l);
void tftp_conn_packet(struct tftp_conn *c, const uint8_t *buf, size_t len);
void tftp_conn_finish(struct tftp_conn *c, enum tftp_status st, const char *why);
void tftp_conn_free_unstarted(struct tftp_conn *c);

/* server.c */
void tftp_hash_add(struct tftpd *s, struct tftp_conn *c);
void tftp_hash_del(struct tftpd *s, struct tftp_conn *c);
struct tftp_conn *tftp_hash_find(struct tftpd *s, const struct pxe_sockaddr *peer);

/* files.c: 0 or a TFTP error code with *msg set. */
int tftp_open_read(struct tftp_conn *c, const struct tftp_req *r, struct stat *st,
		   const char **msg);
/* now_us: the clock (seeds the temporary name without entropy). */
int tftp_open_write(struct tftp_conn *c, const struct tftp_req *r, uint64_t now_us,
		    const char **msg);
/* WRQ complete: flush, rename into place. 0 or -errno. */
int tftp_write_commit(struct tftp_conn *c);
void tftp_write_discard(struct tftp_conn *c);

#endif
