/* SPDX-License-Identifier: MIT */
/* pxe-httpd configuration: the option table (darkhttpd's options plus
 * pxesuite's) and the runtime values derived from it. */
#ifndef HTTP_CONFIG_H
#define HTTP_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "conn_fsm.h"
#include "mime.h"
#include "opts.h"
#include "request.h"
#include "root.h"

struct ssl_ctx_st;

enum access_log_format { ALOG_CLF, ALOG_LOGFMT, ALOG_JSON };

struct httpd_config {
	char *root;
	struct pxe_strlist fallback_root; /* layers under root (common/root.h) */
	long long port;                   /* -1: darkhttpd's default (8080, or 80 as root) */
	char *addr;
	bool ipv6;
	struct pxe_addrlist listen;
	bool daemon;
	char *pidfile;
	bool chroot; /* darkhttpd: chroot into ROOT */
	char *user, *group;
	long long maxconn; /* 0: no cap beyond RLIMIT_NOFILE */
	char *access_log;  /* darkhttpd --log; NULL: stdout */
	bool syslog;       /* access log to syslog */
	int access_log_format;
	char *error_log; /* event log file; NULL: stderr */
	int log_format, log_level;
	char *index;
	bool listing;
	char *mimetypes;
	char *default_mimetype;
	bool keepalive;
	bool single_file;
	bool image_file; /* an image root: serve the image itself at /<basename> */
	bool hide_dotfiles;
	struct pxe_strlist forward; /* "HOST URL" */
	char *forward_all;
	bool forward_https;
	bool server_id;
	long long timeout_ms; /* keep-alive idle and send stall; 0: none */
	long long header_timeout_ms;
	char *auth;
	char *auth_file;
	struct pxe_strlist trusted_ip;
	struct pxe_strlist header;
	bool gzip_static;
	bool accf; /* darkhttpd's --accf: same as defer_accept */
	bool defer_accept;
	unsigned long long max_request_line, max_head;
	long long max_headers;
	long long backlog;
	struct pxe_addrlist tls_listen; /* HTTPS listeners */
	char *tls_cert, *tls_key;
	long long tls_handshake_timeout_ms;
	long long tls_max_handshakes;
	int tls_protocols; /* enum tls_protocols */
};

extern const struct pxe_opt_spec httpd_spec;

/* Values computed once per configuration (and again on SIGHUP). */
struct httpd_runtime {
	/* What is served: a directory or an ISO 9660 image (root.h); with
	 * --single-file the file's directory. A reference of its own: open
	 * files of the cache hold their own descriptors, not the root. */
	struct pxe_root *root;
	char *single_name; /* --single-file: the file's name in root */
	struct http_mime_table user_mime, sys_mime;
	char *extra_headers; /* --header lines joined, each with CRLF */
	size_t extra_len;
	char *auth_b64; /* "Basic" credentials, base64, NULL: no auth */
	char *server;   /* "pxe-httpd/VERSION" or NULL */
	struct http_limits limits;
	struct conn_policy conn; /* timeouts and keep-alive of connections */
	struct ssl_ctx_st *tls;  /* --tls-cert/--tls-key read, NULL: no HTTPS */
};

/* Build a runtime from a validated config; 0 or -errno with err filled.
 * old: the root in force (SIGHUP), or NULL at start; it is kept (one more
 * reference) when the path still names the same directory or image, and
 * *root_changed (may be NULL) says whether a new root was opened. */
int httpd_runtime_init(struct httpd_runtime *rt, const struct httpd_config *cfg,
		       struct pxe_root *old, bool *root_changed, struct pxe_err *err);
void httpd_runtime_free(struct httpd_runtime *rt);

/* Base64 (RFC 4648 §4) of in into out (NUL-terminated); out needs
 * 4 * ((len + 2) / 3) + 1 bytes. Returns the length. */
size_t httpd_base64(const unsigned char *in, size_t len, char *out);

#endif
