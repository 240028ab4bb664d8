/* SPDX-License-Identifier: MIT */
/* The TLS context and transport (tls.h). */
#include "tls.h"

#include "efi_ca.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/ssl.h>

/* TLS 1.2 suites, best first (server preference). ECDHE for today's
 * clients; then what Debian 12's OVMF HttpBootDxe offers, which has no
 * ECDHE at all (TLS 1.2 only, no SNI): DHE-RSA with AES-GCM/CBC (009f 009e
 * 006b 0067 0039 0033) and static RSA (009d 009c 003d 003c 0035 002f).
 * TLS 1.3 suites are OpenSSL's defaults. */
static const char tls12_ciphers[] =
	"ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
	"ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
	"ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
	"DHE-RSA-AES256-GCM-SHA384:DHE-RSA-AES128-GCM-SHA256:"
	"DHE-RSA-AES256-SHA256:DHE-RSA-AES128-SHA256:DHE-RSA-AES256-SHA:DHE-RSA-AES128-SHA:"
	"AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-SHA256:AES128-SHA256:AES256-SHA:AES128-SHA";

/* TLS 1.3 suites, in the server's order: AES-128-GCM first, the suite
 * every TLS 1.3 peer implements (RFC 8446 §9.1) and the cheaper of the two
 * AES-GCM suites (10 rounds against 14, and SHA-256, which the CPU's SHA
 * extensions speed up, for the key schedule; OpenSSL's default order puts
 * AES-256-GCM first); ChaCha20 first for a client that lists it first
 * (SSL_OP_PRIORITIZE_CHACHA: one without AES instructions). */
static const char tls13_suites[] =
	"TLS_AES_128_GCM_SHA256:TLS_CHACHA20_POLY1305_SHA256:TLS_AES_256_GCM_SHA384";

static const char *ssl_reason(void)
{
	unsigned long e = ERR_peek_last_error();
	const char *r = e ? ERR_reason_error_string(e) : NULL;
	return r ? r : "unknown error";
}

static int ctx_fail(SSL_CTX *ctx, struct pxe_err *err, const char *opt, const char *file,
		    const char *what)
{
	pxe_err_set(err, EINVAL, "%s %s: %s (OpenSSL: %s)", opt, file, what, ssl_reason());
	ERR_clear_error();
	SSL_CTX_free(ctx);
	return -EINVAL;
}

SSL_CTX *tls_ctx_new(const char *cert, const char *key, int protocols, struct pxe_err *err)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		pxe_err_set(err, ENOMEM, "tls: %s", ssl_reason());
		return NULL;
	}
	/* TLS 1.2 at least; 1.2 only when asked: a resumed 1.3 session still
	 * runs an ECDHE exchange (RFC 8446 §4.2.9, psk_dhe_ke, all OpenSSL
	 * clients offer), a resumed 1.2 one none, so per new connection 1.2
	 * costs less than half the CPU (measured: 200 against 450 us) */
	SSL_CTX_set_min_proto_version(ctx,
				      protocols == TLS_PROTO_13 ? TLS1_3_VERSION : TLS1_2_VERSION);
	SSL_CTX_set_max_proto_version(ctx, protocols == TLS_PROTO_12 ? TLS1_2_VERSION : 0);
	/* no renegotiation (a CPU sink, and no client of ours needs it);
	 * the server's order of suites; kTLS where the kernel has it */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE |
					 SSL_OP_PRIORITIZE_CHACHA | SSL_OP_ENABLE_KTLS);
	/* a write may take part of the bytes, and the retry after WANT_WRITE
	 * comes from the connection's queue, not the shared buffer */
	SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER |
				      SSL_MODE_RELEASE_BUFFERS);
	/* DHE for OVMF: RFC 7919 ffdhe2048 (auto picks by key size) */
	SSL_CTX_set_dh_auto(ctx, 1);
	if (!SSL_CTX_set_cipher_list(ctx, tls12_ciphers) ||
	    !SSL_CTX_set_ciphersuites(ctx, tls13_suites)) {
		ctx_fail(ctx, err, "tls", "ciphers", "no cipher suite available");
		return NULL;
	}
	/* resumption by session tickets (OpenSSL's default, stated), and no
	 * server-side session cache (as nginx's default "ssl_session_cache
	 * none"): without the cache's upkeep (its sweep every 255
	 * connections, the stored TLS 1.2 sessions) a resumed TLS 1.3
	 * handshake cost 4-6% less CPU
	 * (shared harness, TLS=1, new connection per request, two runs of
	 * 3 and 5); a TLS 1.2 client that resumes only by session id
	 * then does a full handshake instead */
	SSL_CTX_clear_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_SERVER |
						    SSL_SESS_CACHE_NO_INTERNAL_STORE |
						    SSL_SESS_CACHE_NO_AUTO_CLEAR);
	static const unsigned char sid_ctx[] = "pxe-httpd";
	SSL_CTX_set_session_id_context(ctx, sid_ctx, sizeof(sid_ctx) - 1);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert) != 1) {
		ctx_fail(ctx, err, "tls-cert", cert, "not a PEM certificate chain");
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) != 1) {
		ctx_fail(ctx, err, "tls-key", key,
			 "not a PEM private key, or not the key of tls-cert");
		return NULL;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		ctx_fail(ctx, err, "tls-key", key, "not the key of tls-cert");
		return NULL;
	}
	return ctx;
}

void tls_ctx_free(SSL_CTX *ctx)
{
	SSL_CTX_free(ctx);
}

/* ---------------------------------------------------------------- transport */

/* An SSL call's result: bytes, or -EAGAIN (want read/write), -EPIPE (the
 * peer's close_notify: end of stream for reads), -EPROTO (why filled). */
static ssize_t ssl_result(struct conn_io *io, int r, bool reading)
{
	if (r > 0)
		return r;
	int e = SSL_get_error(io->tls, r);
	switch (e) {
	case SSL_ERROR_WANT_READ: return -EAGAIN;
	case SSL_ERROR_WANT_WRITE:
		if (reading)
			io->read_want_write = true;
		return -EAGAIN;
	case SSL_ERROR_ZERO_RETURN: return 0;
	case SSL_ERROR_SYSCALL:
		io->up = false;
		/* EOF without close_notify, or a socket error */
		snprintf(io->why, sizeof(io->why), "%s",
			 errno && r < 0 ? strerror(errno) : "connection closed");
		ERR_clear_error();
		return reading ? 0 : -EPIPE;
	default:
		io->up = false; /* after a fatal error no close_notify (SSL_shutdown(3)) */
		snprintf(io->why, sizeof(io->why), "%s", ssl_reason());
		ERR_clear_error();
		return -EPROTO;
	}
}

static int tls_handshake(struct conn_io *io)
{
	ERR_clear_error();
	errno = 0;
	int r = SSL_accept(io->tls);
	if (r == 1) {
		io->up = true;
		io->ktls_send = BIO_get_ktls_send(SSL_get_wbio(io->tls)) > 0;
		return 0;
	}
	ssize_t n = ssl_result(io, r, false);
	if (n == -EAGAIN)
		return -EAGAIN;
	if (n == 0 || n == -EPIPE) {
		if (!io->why[0] || !strcmp(io->why, "connection closed"))
			snprintf(io->why, sizeof(io->why), "closed during the handshake");
		return -ECONNRESET;
	}
	return -EPROTO;
}

static ssize_t tls_read(struct conn_io *io, void *buf, size_t n, bool *more)
{
	ERR_clear_error();
	errno = 0;
	io->read_want_write = false;
	int r = SSL_read(io->tls, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	ssize_t res = ssl_result(io, r, true);
	/* SSL_read returns one record at most: a short read does not mean
	 * the socket is drained, as it does for read(2), and under
	 * edge-triggered epoll the rest would wait for the client's next
	 * bytes. Read on until the transport says -EAGAIN. */
	*more = res > 0;
	return res;
}

static ssize_t tls_write(struct conn_io *io, const void *buf, size_t n, bool more)
{
	(void)more;
	ERR_clear_error();
	errno = 0;
	int r = SSL_write(io->tls, buf, n > INT32_MAX ? INT32_MAX : (int)n);
	return ssl_result(io, r, false);
}

/* One close_notify, not waiting for the peer's (RFC 8446 §6.1: the
 * sender may close its side without waiting). */
static void tls_close_notify(struct conn_io *io)
{
	if (io->tls && io->up && !(SSL_get_shutdown(io->tls) & SSL_SENT_SHUTDOWN))
		SSL_shutdown(io->tls);
	ERR_clear_error();
}

static void tls_free(struct conn_io *io)
{
	SSL_free(io->tls);
	io->tls = NULL;
}

const struct conn_io_ops conn_io_tls = {
	.handshake = tls_handshake,
	.read = tls_read,
	.write = tls_write,
	.close_notify = tls_close_notify,
	.free = tls_free,
};

void tls_io_describe(const struct conn_io *io, const char **version, const char **cipher,
		     const char **sni, bool *resumed)
{
	const char *name = SSL_get_servername(io->tls, TLSEXT_NAMETYPE_host_name);
	*version = SSL_get_version(io->tls);
	*cipher = SSL_get_cipher_name(io->tls);
	*sni = name ? name : "";
	*resumed = SSL_session_reused(io->tls) == 1;
}

int tls_io_init(struct conn_io *io, SSL_CTX *ctx, int fd)
{
	SSL *ssl = SSL_new(ctx);
	if (!ssl || SSL_set_fd(ssl, fd) != 1) {
		SSL_free(ssl);
		ERR_clear_error();
		return -ENOMEM;
	}
	*io = (struct conn_io){.ops = &conn_io_tls, .fd = fd, .tls = ssl};
	return 0;
}

int tls_ktls_possible(const char **why)
{
	/* Ask the kernel, not /proc/sys/net/ipv4/tcp_available_ulp: that
	 * sysctl exists only in the initial network namespace (not in a
	 * container's or the benchmark's) and ProcSubset=pid hides it. The
	 * ULP is looked up (and its module autoloaded, as OpenSSL's own
	 * setsockopt on a connection would) before tls_init() refuses a
	 * socket that is not connected (net/ipv4/tcp_ulp.c,
	 * net/tls/tls_main.c): ENOENT says no module, ENOTCONN that the
	 * kernel has it. */
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		*why = "no TCP socket to ask the kernel with";
		return -1;
	}
	int r = setsockopt(fd, IPPROTO_TCP, TCP_ULP, "tls", 3) == 0 ? 0 : errno;
	close(fd);
	if (r == 0 || r == ENOTCONN)
		return 1;
	if (r == ENOENT) {
		*why = "the kernel has no tls module";
		return 0;
	}
	*why = strerror(r);
	return -1;
}

/* The SignatureOwner of the lists we write: pxesuite's own GUID
 * 4d85d73c-ae28-4d39-950c-4d66980deecc (EDK2 does not check the owner). */
static const uint8_t pxesuite_owner[16] = {0x3c, 0xd7, 0x85, 0x4d, 0x28, 0xae, 0x39, 0x4d,
					   0x95, 0x0c, 0x4d, 0x66, 0x98, 0x0d, 0xee, 0xcc};

int tls_efi_ca_write(const char *pem, FILE *out, struct pxe_err *err)
{
	FILE *f = fopen(pem, "re");
	if (!f)
		return pxe_err_set(err, errno, "--tls-efi-ca %s: %s", pem, strerror(errno));
	int n = 0, r = 0;
	X509 *x;
	while ((x = PEM_read_X509(f, NULL, NULL, NULL))) {
		unsigned char *der = NULL;
		int len = i2d_X509(x, &der);
		X509_free(x);
		size_t cap = len > 0 ? (size_t)len + EFI_SIGLIST_HDR + EFI_SIGDATA_HDR : 0;
		unsigned char *buf = cap ? OPENSSL_malloc(cap) : NULL;
		size_t total =
			buf ? efi_siglist_x509(der, (size_t)len, pxesuite_owner, buf, cap) : 0;
		if (!total || fwrite(buf, 1, total, out) != total)
			r = pxe_err_set(err, EIO, "--tls-efi-ca %s: cannot write the list", pem);
		OPENSSL_free(buf);
		OPENSSL_free(der);
		if (r < 0)
			break;
		n++;
	}
	ERR_clear_error();
	fclose(f);
	if (r == 0 && n == 0)
		r = pxe_err_set(err, EINVAL, "--tls-efi-ca %s: no PEM certificate in it", pem);
	if (r == 0 && fflush(out) != 0)
		r = pxe_err_set(err, errno, "--tls-efi-ca: %s", strerror(errno));
	return r;
}
