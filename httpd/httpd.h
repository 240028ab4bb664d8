/* SPDX-License-Identifier: MIT */
/* The server object: configuration, listeners, connections, caches.
 * One per process, passed explicitly: no mutable globals. */
#ifndef HTTP_HTTPD_H
#define HTTP_HTTPD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <uv.h>

#include "accesslog.h"
#include "config.h"
#include "cond.h"
#include "fcache.h"

struct conn;

struct listener {
	uv_poll_t poll;
	int fd;
	bool polling; /* uv_poll started (see listeners_update) */
	bool tls;     /* --tls-listen, or an activated socket named https/tls */
	struct httpd *srv;
};

#define HTTPD_SCRATCH (64 * 1024)

struct httpd {
	uv_loop_t *loop;
	struct httpd_config *cfg; /* current configuration */
	struct httpd_runtime rt;
	struct listener *lis;
	size_t nlis;
	bool accepting; /* listeners are being polled */
	/* Connections live in their own epoll set, watched by libuv through
	 * one uv_poll_t on that epoll fd: libuv's uv_poll_init costs an ioctl
	 * and an epoll_ctl add/del probe per connection, and uv_close another
	 * epoll_ctl; here a connection costs one epoll_ctl, edge-triggered,
	 * for its whole life (measured: matters for 'Connection: close'). */
	int epfd;
	uv_poll_t ep_poll;
	uv_timer_t sweep; /* timeouts, log flush, accept resume */
	uv_timer_t emfile_timer;
	struct conn *conns; /* doubly linked list of all connections */
	size_t nconns;
	struct fcache fc;
	struct access_log alog;
	time_t date_sec;
	char date[HTTP_DATE_LEN + 1]; /* cached Date: value, once per second */
	char rbuf[HTTPD_SCRATCH];     /* shared read buffer */
	char *wbuf;                   /* shared write buffer (HTTPD_SCRATCH) */
	size_t wlen;
	bool stopping;
	bool maxconn_paused;
	uint64_t accept_warned_ms; /* last "pausing accept" warning (one per 10 s) */
	char boundary[40];         /* multipart/byteranges, random per process */
	uint64_t requests;
	size_t handshakes;     /* TLS connections still in their handshake */
	uint64_t hs_warned_ms; /* last "too many handshakes" warning (one per 10 s) */
	bool hs_paused;        /* TLS listeners stopped at --tls-max-handshakes */
	uint64_t hs_pauses;    /* times the cap stopped the TLS listeners */
};

/* Update the cached Date string if the second changed. */
void httpd_date_update(struct httpd *s);
/* Loop time in ms. */
uint64_t httpd_now_ms(const struct httpd *s);

/* A connection closed: resume accepting below --maxconn. */
void httpd_conn_closed(struct httpd *s);

/* Bind the listeners (or take systemd's sockets). 0 or -errno, err filled. */
int httpd_listen(struct httpd *s, struct pxe_err *err);
int httpd_server_start(struct httpd *s);
void httpd_server_stop(struct httpd *s);
/* A TLS handshake ended (done or failed): resume the TLS listeners below
 * --tls-max-handshakes. */
void httpd_handshake_over(struct httpd *s);

/* Stop or resume polling the listeners (--maxconn, EMFILE, stopping). */
void httpd_accept_pause(struct httpd *s, bool pause);

#endif
