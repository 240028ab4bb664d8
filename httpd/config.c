/* SPDX-License-Identifier: MIT */
/* The option table of pxe-httpd. Every darkhttpd option is here with
 * darkhttpd's meaning and syntax (`--port 8080`, `--forward HOST URL`,
 * `--uid`, `--no-listing` ...), plus pxesuite's own. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "preflight.h"
#include "config_common.h"
#include "tls.h"

#ifndef PXE_VERSION
#define PXE_VERSION "0"
#endif

#define OFF(m) offsetof(struct httpd_config, m)

static int check_root(const void *cfg, const char *value, struct pxe_err *err);

static const char *const alog_choices[] = {"clf", "logfmt", "json", NULL};
/* in the order of enum tls_protocols (tls.h) */
static const char *const tls_protocol_choices[] = {"1.2,1.3", "1.2", "1.3", NULL};

/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt httpd_opts[] = {
	{ .name = "root", .type = PXE_OPT_STRING, .flags = PXE_OPTF_POSITIONAL | PXE_OPTF_REQUIRED,
	  .offset = OFF(root), .arg = "PATH",
	  .help = "directory or ISO 9660 image to serve (with --single-file: the one file "
	          "to serve)",
	  .check = check_root },
	{ .name = "fallback-root", .type = PXE_OPT_STRLIST, .offset = OFF(fallback_root),
	  .arg = "DIR|IMAGE",
	  .help = "also serve this directory or image where ROOT has no such file (repeatable, "
	          "tried in order)",
	  .check = pxe_optcheck_root },
	{ .name = "port", .type = PXE_OPT_INT, .offset = OFF(port), .def = "-1", .min = -1,
	  .max = 65535, .arg = "PORT",
	  .help = "port for --addr; -1: 8080, or 80 when started as root (as darkhttpd); 0: any" },
	{ .name = "addr", .type = PXE_OPT_STRING, .offset = OFF(addr), .arg = "ADDR",
	  .help = "address to listen on with --port (default: all)" },
	{ .name = "ipv6", .type = PXE_OPT_BOOL, .offset = OFF(ipv6), .def = "no",
	  .help = "listen on IPv6 (dual-stack [::] without --addr)" },
	{ .name = "listen", .type = PXE_OPT_ADDRLIST, .offset = OFF(listen), .default_port = 8080,
	  .arg = "ADDR[:PORT]",
	  .help = "listen here (replaces --addr/--port; port defaults to 8080)" },
	{ .name = "daemon", .type = PXE_OPT_BOOL, .flags = PXE_OPTF_CLI_ONLY, .offset = OFF(daemon),
	  .def = "no", .help = "fork into the background (default: foreground)" },
	{ .name = "pidfile", .type = PXE_OPT_STRING, .offset = OFF(pidfile), .arg = "FILE",
	  .help = "write the process id to FILE after binding" },
	{ .name = "chroot", .type = PXE_OPT_BOOL, .offset = OFF(chroot), .def = "no",
	  .help = "chroot into ROOT after binding (as darkhttpd)" },
	{ .name = "user", .type = PXE_OPT_STRING, .flags = PXE_OPTF_LAZY_DEFAULT, .offset = OFF(user),
	  .def = PXE_DEFAULT_USER, .arg = "USER", .aliases = "uid", .help = PXE_HELP_USER,
	  .check = pxe_optcheck_user },
	{ .name = "group", .type = PXE_OPT_STRING, .flags = PXE_OPTF_LAZY_DEFAULT,
	  .offset = OFF(group), .def = PXE_DEFAULT_GROUP, .arg = "GROUP", .aliases = "gid",
	  .help = PXE_HELP_GROUP, .check = pxe_optcheck_group },
	{ .name = "maxconn", .type = PXE_OPT_INT, .offset = OFF(maxconn), .def = "0", .min = 0,
	  .max = 10000000, .arg = "N",
	  .help = "at most N concurrent connections; more wait in the backlog (0: no cap)" },
	{ .name = "log", .type = PXE_OPT_STRING, .offset = OFF(access_log), .arg = "FILE",
	  .help = "access log file (default: stdout; reopened on SIGUSR1)" },
	{ .name = "syslog", .type = PXE_OPT_BOOL, .offset = OFF(syslog), .def = "no",
	  .help = "send the access log to syslog instead" },
	{ .name = "access-log-format", .type = PXE_OPT_ENUM, .offset = OFF(access_log_format),
	  .def = "clf", .choices = alog_choices,
	  .help = "access log lines: CLF combined (darkhttpd), logfmt or JSON" },
	{ .name = "error-log", .type = PXE_OPT_STRING, .offset = OFF(error_log), .arg = "FILE",
	  .help = "event log file (default: stderr; reopened on SIGUSR1)" },
	{ .name = "log-format", .type = PXE_OPT_ENUM, .offset = OFF(log_format), .def = "logfmt",
	  .choices = pxe_log_format_choices, .help = "event log format" },
	{ .name = "log-level", .type = PXE_OPT_ENUM, .offset = OFF(log_level), .def = "info",
	  .choices = pxe_log_level_names, .help = "least important event logged" },
	{ .name = "index", .type = PXE_OPT_STRING, .offset = OFF(index), .def = "index.html",
	  .arg = "FILE", .help = "file served for a directory" },
	{ .name = "listing", .type = PXE_OPT_BOOL, .offset = OFF(listing), .def = "no",
	  .help = "list directories without an index file (default: off)" },
	{ .name = "mimetypes", .type = PXE_OPT_STRING, .offset = OFF(mimetypes), .arg = "FILE",
	  .help = "extra MIME types, \"type ext ext...\" lines", .check = pxe_optcheck_file },
	{ .name = "default-mimetype", .type = PXE_OPT_STRING, .offset = OFF(default_mimetype),
	  .def = "application/octet-stream", .arg = "TYPE",
	  .help = "Content-Type for unknown extensions" },
	{ .name = "keepalive", .type = PXE_OPT_BOOL, .offset = OFF(keepalive), .def = "yes",
	  .help = "keep connections open between requests (--no-keepalive: close)" },
	{ .name = "single-file", .type = PXE_OPT_BOOL, .offset = OFF(single_file), .def = "no",
	  .help = "ROOT is a file, served for every URL" },
	{ .name = "image-file", .type = PXE_OPT_BOOL, .offset = OFF(image_file), .def = "yes",
	  .help = "when ROOT is an image, also serve the image file itself at /NAME "
	          "(--no-image-file: do not)" },
	{ .name = "hide-dotfiles", .type = PXE_OPT_BOOL, .offset = OFF(hide_dotfiles), .def = "no",
	  .help = "404 for names starting with '.', and hide them in listings" },
	{ .name = "forward", .type = PXE_OPT_STRLIST, .offset = OFF(forward), .nargs = 2,
	  .arg = "HOST URL", .help = "redirect (301) requests for Host HOST to URL" },
	{ .name = "forward-all", .type = PXE_OPT_STRING, .offset = OFF(forward_all), .arg = "URL",
	  .help = "redirect (301) every other request to URL" },
	{ .name = "forward-https", .type = PXE_OPT_BOOL, .offset = OFF(forward_https), .def = "no",
	  .help = "redirect to https:// when X-Forwarded-Proto says http" },
	{ .name = "server-id", .type = PXE_OPT_BOOL, .offset = OFF(server_id), .def = "yes",
	  .help = "send a Server header (--no-server-id: none)" },
	{ .name = "timeout", .type = PXE_OPT_DURATION, .offset = OFF(timeout_ms), .def = "30s",
	  .min = 0, .max = 86400000, .arg = "SECS",
	  .help = "close idle keep-alive and stalled connections after SECS (0: never)" },
	{ .name = "header-timeout", .type = PXE_OPT_DURATION, .offset = OFF(header_timeout_ms),
	  .def = "10s", .min = 0, .max = 3600000, .arg = "SECS",
	  .help = "408 when a request head takes longer than SECS (0: never)" },
	{ .name = "auth", .type = PXE_OPT_STRING, .offset = OFF(auth), .arg = "USER:PASS",
	  .help = "require HTTP basic authentication (visible in ps: prefer --auth-file)" },
	{ .name = "auth-file", .type = PXE_OPT_STRING, .offset = OFF(auth_file), .arg = "FILE",
	  .help = "like --auth, USER:PASS read from the first line of FILE",
	  .check = pxe_optcheck_file },
	{ .name = "trusted-ip", .type = PXE_OPT_STRLIST, .offset = OFF(trusted_ip), .arg = "IP",
	  .help = "log X-Forwarded-For as the client for requests from IP" },
	{ .name = "header", .type = PXE_OPT_STRLIST, .offset = OFF(header), .arg = "'NAME: VALUE'",
	  .help = "add a header to every response" },
	{ .name = "gzip-static", .type = PXE_OPT_BOOL, .offset = OFF(gzip_static), .def = "no",
	  .help = "serve FILE.gz with Content-Encoding: gzip to clients accepting gzip" },
	{ .name = "accf", .type = PXE_OPT_BOOL, .flags = PXE_OPTF_HIDDEN | PXE_OPTF_CLI_ONLY,
	  .offset = OFF(accf), .def = "no",
	  .help = "darkhttpd's FreeBSD accept filter: here --defer-accept" },
	{ .name = "defer-accept", .type = PXE_OPT_BOOL, .offset = OFF(defer_accept), .def = "yes",
	  .help = "take a connection only once its first request bytes are there "
	          "(TCP_DEFER_ACCEPT)" },
	{ .name = "max-request-line", .type = PXE_OPT_SIZE, .offset = OFF(max_request_line),
	  .def = "8K", .min = 64, .max = 1048576, .arg = "BYTES",
	  .help = "longer request lines get 414" },
	{ .name = "max-header-size", .type = PXE_OPT_SIZE, .offset = OFF(max_head), .def = "16K",
	  .min = 256, .max = 4194304, .arg = "BYTES", .help = "larger request heads get 431" },
	{ .name = "max-headers", .type = PXE_OPT_INT, .offset = OFF(max_headers), .def = "100",
	  .min = 1, .max = 10000, .arg = "N", .help = "more header lines get 431" },
	{ .name = "backlog", .type = PXE_OPT_INT, .offset = OFF(backlog), .def = "0", .min = 0,
	  .max = 1000000, .arg = "N", .help = "listen backlog (0: SOMAXCONN)" },
	{ .name = "tls-listen", .type = PXE_OPT_ADDRLIST, .offset = OFF(tls_listen),
	  .default_port = 443, .arg = "ADDR[:PORT]",
	  .help = "serve HTTPS here (repeatable, [IPv6]:PORT; port defaults to 443); needs "
	          "--tls-cert and --tls-key" },
	{ .name = "tls-cert", .type = PXE_OPT_STRING, .offset = OFF(tls_cert), .arg = "FILE",
	  .help = "HTTPS certificate chain, PEM, server certificate first (re-read on SIGHUP)",
	  .check = pxe_optcheck_file },
	{ .name = "tls-key", .type = PXE_OPT_STRING, .offset = OFF(tls_key), .arg = "FILE",
	  .help = "private key of --tls-cert, PEM (re-read on SIGHUP)",
	  .check = pxe_optcheck_file },
	{ .name = "tls-handshake-timeout", .type = PXE_OPT_DURATION,
	  .offset = OFF(tls_handshake_timeout_ms), .def = "10s", .min = 0, .max = 3600000,
	  .arg = "SECS", .help = "close a TLS connection whose handshake takes longer (0: never)" },
	{ .name = "tls-max-handshakes", .type = PXE_OPT_INT, .offset = OFF(tls_max_handshakes),
	  .def = "256", .min = 1, .max = 1000000, .arg = "N",
	  .help = "at most N TLS handshakes at once; more TLS connections wait in the backlog" },
	{ .name = "tls-protocols", .type = PXE_OPT_ENUM, .offset = OFF(tls_protocols),
	  .def = "1.2,1.3", .choices = tls_protocol_choices,
	  .help = "TLS versions offered: 1.2,1.3, 1.2 only (EDK2 firmware speaks 1.2) or 1.3 only" },
};
/* clang-format on */

/* ROOT is a served tree (a directory or an image), or with --single-file
 * the one file served (an image too is then just a file). */
static int check_root(const void *cfg, const char *value, struct pxe_err *err)
{
	const struct httpd_config *c = cfg;
	if (c->single_file)
		return pxe_check_readable_file(value, err);
	return pxe_check_served_root(value, err);
}

/* Each message starts with its key: the engine says where it was set. */
static int validate(void *p, struct pxe_err *err)
{
	struct httpd_config *c = p;
	for (size_t i = 0; i < c->header.n; i++) {
		const char *h = c->header.v[i];
		const char *colon = strchr(h, ':');
		if (!colon || colon == h || strpbrk(h, "\r\n"))
			return pxe_err_set(err, EINVAL, "header: expected 'Name: value', got '%s'",
					   h);
	}
	for (size_t i = 0; i < c->forward.n; i++)
		if (!strchr(c->forward.v[i], ' '))
			return pxe_err_set(err, EINVAL, "forward: expected HOST URL, got '%s'",
					   c->forward.v[i]);
	if (c->auth && !strchr(c->auth, ':'))
		return pxe_err_set(err, EINVAL, "auth: expected USER:PASS"); /* no secret shown */
	if (c->single_file && c->fallback_root.n)
		return pxe_err_set(
			err, EINVAL,
			"fallback-root: layers are for a served tree, not --single-file");
	if (c->fallback_root.n >= PXE_ROOT_MAX_LAYERS)
		return pxe_err_set(err, EINVAL, "fallback-root: at most %d, got %zu",
				   PXE_ROOT_MAX_LAYERS - 1, c->fallback_root.n);
	if (c->auth && c->auth_file)
		return pxe_err_set(err, EINVAL,
				   "auth-file: set either auth or auth-file, not both");
	if (c->index && (strchr(c->index, '/') || !c->index[0]))
		return pxe_err_set(err, EINVAL, "index: expected a file name without '/', got '%s'",
				   c->index);
	if (c->tls_listen.n && (!c->tls_cert || !c->tls_key))
		return pxe_err_set(err, EINVAL, "tls-listen: needs tls-cert and tls-key");
	if (!c->tls_cert != !c->tls_key)
		return pxe_err_set(err, EINVAL, "%s: needs %s too",
				   c->tls_cert ? "tls-cert" : "tls-key",
				   c->tls_cert ? "tls-key" : "tls-cert");
	if (c->tls_cert && c->tls_key) {
		/* the pair is usable (read, matching): a bad one is a
		 * configuration error at --check-config, start and SIGHUP */
		struct ssl_ctx_st *ctx =
			tls_ctx_new(c->tls_cert, c->tls_key, c->tls_protocols, err);
		if (!ctx)
			return -EINVAL;
		tls_ctx_free(ctx);
	}
	if (c->max_request_line >= c->max_head)
		return pxe_err_set(err, EINVAL,
				   "max-request-line: expected less than max-header-size (%llu), "
				   "got %llu",
				   c->max_head, c->max_request_line);
	return 0;
}

const struct pxe_opt_spec httpd_spec = {
	.prog = "pxe-httpd",
	.section = "httpd",
	.usage = "ROOT [options]",
	.summary = "Static HTTP/1.1 file server for network boot; takes darkhttpd's options.",
	.opts = httpd_opts,
	.nopts = sizeof(httpd_opts) / sizeof(httpd_opts[0]),
	.cfg_size = sizeof(struct httpd_config),
	.validate = validate,
	.check_start = pxe_privileges_check,
	.epilog = "pxe-httpd --tls-efi-ca PEM > FILE writes PEM's certificates as the EFI "
		  "signature list\nthat UEFI HTTPS Boot trusts (OVMF: -fw_cfg "
		  "name=etc/edk2/https/cacerts,file=FILE).\n"
		  "Signals: SIGHUP reloads (and re-reads --tls-cert/--tls-key), SIGUSR1 reopens "
		  "the logs, SIGTERM stops.\n"
		  "See pxe-httpd(8), section \"Replacing darkhttpd\".",
};

size_t httpd_base64(const unsigned char *in, size_t len, char *out)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		out[o++] = tab[v >> 18 & 63];
		out[o++] = tab[v >> 12 & 63];
		out[o++] = i + 1 < len ? tab[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? tab[v & 63] : '=';
	}
	out[o] = 0;
	return o;
}

static int read_auth_file(const char *path, char **out, struct pxe_err *err)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return pxe_err_set(err, errno, "--auth-file %s: %s", path, strerror(errno));
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	fclose(f);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	if (n <= 0 || !strchr(line, ':')) {
		free(line);
		return pxe_err_set(err, EINVAL, "--auth-file %s: expected USER:PASS on line 1",
				   path);
	}
	*out = line;
	return 0;
}

static int set_auth(struct httpd_runtime *rt, const struct httpd_config *cfg, struct pxe_err *err)
{
	char *cred = NULL;
	if (cfg->auth_file) {
		int r = read_auth_file(cfg->auth_file, &cred, err);
		if (r < 0)
			return r;
	} else if (cfg->auth) {
		cred = strdup(cfg->auth);
	} else {
		return 0;
	}
	if (!cred)
		return -ENOMEM;
	size_t n = strlen(cred);
	rt->auth_b64 = malloc(4 * ((n + 2) / 3) + 1);
	if (rt->auth_b64)
		httpd_base64((const unsigned char *)cred, n, rt->auth_b64);
	explicit_bzero(cred, n);
	free(cred);
	return rt->auth_b64 ? 0 : -ENOMEM;
}

static int set_headers(struct httpd_runtime *rt, const struct httpd_config *cfg)
{
	size_t len = 0;
	for (size_t i = 0; i < cfg->header.n; i++)
		len += strlen(cfg->header.v[i]) + 2;
	rt->extra_headers = malloc(len + 1);
	if (!rt->extra_headers)
		return -ENOMEM;
	char *p = rt->extra_headers;
	for (size_t i = 0; i < cfg->header.n; i++)
		p += sprintf(p, "%s\r\n", cfg->header.v[i]);
	*p = 0;
	rt->extra_len = len;
	return 0;
}

/* --single-file: the file's directory is the root, the file a name in it. */
static int open_single(struct httpd_runtime *rt, const char *path, struct pxe_root *old,
		       bool *changed, struct pxe_err *err)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	rt->single_name = strdup(slash ? slash + 1 : path);
	if (!dir || !rt->single_name) {
		free(dir);
		return pxe_err_set(err, ENOMEM, "out of memory");
	}
	int r = pxe_root_reload(old, dir, NULL, 0, &rt->root, changed, err);
	free(dir);
	if (r < 0)
		return r;
	struct pxe_file f = PXE_FILE_INIT;
	r = pxe_root_kind(rt->root) == PXE_ROOT_DIR
		    ? pxe_root_open_file(rt->root, rt->single_name, O_RDONLY | O_NONBLOCK, &f)
		    : -ENOTDIR;
	bool reg = r == 0 && S_ISREG(f.st.st_mode);
	pxe_file_close(&f);
	if (!reg)
		return pxe_err_set(err, ENOENT, "--single-file %s: not a regular file", path);
	return 0;
}

/* The root is a directory or an image, told apart by content (root.h);
 * on reload the one in force is kept when the path still names it. */
static int open_root(struct httpd_runtime *rt, const struct httpd_config *cfg, struct pxe_root *old,
		     bool *changed, struct pxe_err *err)
{
	*changed = true;
	if (cfg->single_file)
		return open_single(rt, cfg->root, old, changed, err);
	return pxe_root_reload(old, cfg->root, (const char *const *)cfg->fallback_root.v,
			       cfg->fallback_root.n, &rt->root, changed, err);
}

int httpd_runtime_init(struct httpd_runtime *rt, const struct httpd_config *cfg,
		       struct pxe_root *old, bool *root_changed, struct pxe_err *err)
{
	memset(rt, 0, sizeof(*rt));
	bool changed;
	int r = open_root(rt, cfg, old, &changed, err);
	if (root_changed)
		*root_changed = changed;
	if (r < 0)
		return r;
	if (cfg->mimetypes && (r = http_mime_load(&rt->user_mime, cfg->mimetypes)) < 0)
		return pxe_err_set(err, -r, "--mimetypes %s: %s", cfg->mimetypes, strerror(-r));
	http_mime_load(&rt->sys_mime, "/etc/mime.types"); /* optional */
	if ((r = set_auth(rt, cfg, err)) < 0)
		return r;
	if ((r = set_headers(rt, cfg)) < 0)
		return pxe_err_set(err, -r, "out of memory");
	if (cfg->server_id && !(rt->server = strdup("pxe-httpd/" PXE_VERSION)))
		return pxe_err_set(err, ENOMEM, "out of memory");
	rt->limits = (struct http_limits){
		.max_request_line = (size_t)cfg->max_request_line,
		.max_head = (size_t)cfg->max_head,
		.max_headers = (unsigned)cfg->max_headers,
	};
	rt->conn = (struct conn_policy){
		.idle_ms = (uint64_t)cfg->timeout_ms,
		.header_ms = (uint64_t)cfg->header_timeout_ms,
		.keepalive = cfg->keepalive,
		.handshake_ms = (uint64_t)cfg->tls_handshake_timeout_ms,
	};
	if (cfg->tls_cert &&
	    !(rt->tls = tls_ctx_new(cfg->tls_cert, cfg->tls_key, cfg->tls_protocols, err)))
		return -EINVAL;
	return 0;
}

void httpd_runtime_free(struct httpd_runtime *rt)
{
	pxe_root_unref(rt->root);
	free(rt->single_name);
	http_mime_free(&rt->user_mime);
	http_mime_free(&rt->sys_mime);
	free(rt->extra_headers);
	if (rt->auth_b64)
		explicit_bzero(rt->auth_b64, strlen(rt->auth_b64));
	free(rt->auth_b64);
	free(rt->server);
	tls_ctx_free(rt->tls); /* connections in flight hold their own reference */
	memset(rt, 0, sizeof(*rt));
}
