/* SPDX-License-Identifier: MIT */
/* HTTPS: the server's TLS context (certificate, key, protocol and cipher
 * policy) and the TLS transport of a connection (io.h), on OpenSSL 3.
 * Only pxe-httpd links libssl. */
#ifndef HTTP_TLS_H
#define HTTP_TLS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "io.h"
#include "err.h"

struct ssl_ctx_st;

/* --tls-protocols: the TLS versions a context offers. */
enum tls_protocols { TLS_PROTO_12_13, TLS_PROTO_12, TLS_PROTO_13 };

/* Build a context from a PEM chain and a PEM key (read now: before the
 * privileges are dropped, and again on SIGHUP) offering the versions of
 * protocols (enum tls_protocols). NULL with err filled; the message starts
 * with the option at fault ("tls-key ..."). */
struct ssl_ctx_st *tls_ctx_new(const char *cert, const char *key, int protocols,
			       struct pxe_err *err);
/* Connections hold their own reference: one in flight keeps the context
 * a reload replaced. */
void tls_ctx_free(struct ssl_ctx_st *ctx);

/* The TLS transport over fd; 0 or -ENOMEM. */
int tls_io_init(struct conn_io *io, struct ssl_ctx_st *ctx, int fd);
extern const struct conn_io_ops conn_io_tls;

/* What the handshake agreed on, for the debug log: protocol, cipher
 * suite, the SNI name ("" without), whether a session was resumed. */
void tls_io_describe(const struct conn_io *io, const char **version, const char **cipher,
		     const char **sni, bool *resumed);

/* `pxe-httpd --tls-efi-ca PEM`: each certificate of the PEM file as one
 * EFI_SIGNATURE_LIST (efi_ca.h) to out. 0 or -errno with err filled. */
int tls_efi_ca_write(const char *pem, FILE *out, struct pxe_err *err);

/* Whether this kernel can do TLS itself (the "tls" TCP upper layer
 * protocol is loaded or loadable), asked with a throwaway socket: for the
 * start log. 1 yes, 0 no, -1 cannot tell (the probe failed otherwise);
 * why: a reason when not 1. */
int tls_ktls_possible(const char **why);

#endif
