/* SPDX-License-Identifier: MIT */
/* Request handling: method, redirects (--forward*), authentication, path
 * resolution beneath the root, index and directory rules, conditionals,
 * ranges. The decision only: bytes go out in conn.c. */
#include "handler.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cond.h"
#include "httpd.h"
#include "listing.h"
#include "log.h"
#include "mime.h"
#include "response.h"
#include "safepath.h"

void http_error_reply(struct reply *rp, int status, bool head)
{
	rp->status = status;
	rp->content_type = "text/html";
	rp->mem_len = http_error_body(rp->errbody, sizeof(rp->errbody), status);
	rp->mem = rp->errbody;
	rp->body_len = rp->mem_len;
	rp->no_body = head;
	if (status == 400 || status == 408 || status == 414 || status == 431 || status == 501 ||
	    status == 505) {
		rp->close = true; /* framing may be lost: start afresh (RFC 9112 §9.6) */
		rp->linger = true;
	}
}

void reply_free(struct httpd *s, struct reply *rp)
{
	if (rp->fe)
		fc_release(&s->fc, rp->fe);
	rp->fe = NULL;
	free(rp->owned);
	rp->owned = NULL;
	free(rp->location);
	rp->location = NULL;
}

size_t http_multipart_part_head(char *buf, size_t cap, const char *boundary, const char *ctype,
				const struct http_byte_range *r, uint64_t size, bool first)
{
	int n = snprintf(
		buf, cap,
		"%s--%s\r\nContent-Type: %s\r\nContent-Range: bytes %llu-%llu/%llu\r\n\r\n",
		first ? "" : "\r\n", boundary, ctype, (unsigned long long)r->first,
		(unsigned long long)r->last, (unsigned long long)size);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

size_t http_multipart_tail(char *buf, size_t cap, const char *boundary)
{
	int n = snprintf(buf, cap, "\r\n--%s--\r\n", boundary);
	return n < 0 || (size_t)n >= cap ? 0 : (size_t)n;
}

uint64_t http_multipart_length(const char *boundary, const char *ctype,
			       const struct http_byte_range *r, int n, uint64_t size)
{
	char tmp[512];
	uint64_t total = http_multipart_tail(tmp, sizeof(tmp), boundary);
	for (int i = 0; i < n; i++)
		total += http_multipart_part_head(tmp, sizeof(tmp), boundary, ctype, &r[i], size,
						  i == 0) +
			 (r[i].last - r[i].first + 1);
	return total;
}

static void redirect(struct reply *rp, const char *a, size_t al, const char *b, size_t bl,
		     const char *c, size_t cl)
{
	rp->status = 301;
	rp->location = malloc(al + bl + cl + 1);
	if (rp->location) {
		memcpy(rp->location, a, al);
		memcpy(rp->location + al, b, bl);
		memcpy(rp->location + al + bl, c, cl);
		rp->location[al + bl + cl] = 0;
	}
	rp->content_type = "text/html";
	rp->mem_len = http_error_body(rp->errbody, sizeof(rp->errbody), 301);
	rp->mem = rp->errbody;
	rp->body_len = rp->mem_len;
}

static bool host_is(struct http_str host, const char *want, size_t wl)
{
	if (!host.p)
		return false;
	if (host.len == wl && !strncasecmp(host.p, want, wl))
		return true;
	const char *colon = memchr(host.p, ':', host.len); /* Host with a port */
	return colon && (size_t)(colon - host.p) == wl && !strncasecmp(host.p, want, wl);
}

/* darkhttpd's --forward-https, --forward, --forward-all. 1 when redirected. */
static int forwards(struct httpd *s, const struct http_request *req, struct reply *rp)
{
	const struct httpd_config *cfg = s->cfg;
	struct http_str t = req->target;
	if (cfg->forward_https && req->x_forwarded_proto.p && req->host.p &&
	    req->x_forwarded_proto.len == 4 && !strncasecmp(req->x_forwarded_proto.p, "http", 4)) {
		redirect(rp, "https://", 8, req->host.p, req->host.len, t.p, t.len);
		return 1;
	}
	for (size_t i = 0; i < cfg->forward.n; i++) {
		const char *v = cfg->forward.v[i], *sp = strchr(v, ' ');
		if (host_is(req->host, v, (size_t)(sp - v))) {
			redirect(rp, sp + 1, strlen(sp + 1), t.p, t.len, "", 0);
			return 1;
		}
	}
	if (cfg->forward_all) {
		redirect(rp, cfg->forward_all, strlen(cfg->forward_all), t.p, t.len, "", 0);
		return 1;
	}
	return 0;
}

static bool auth_ok(const struct httpd *s, const struct http_request *req)
{
	const char *want = s->rt.auth_b64;
	struct http_str a = req->authorization;
	if (!want)
		return true;
	if (!a.p || a.len < 6 || strncasecmp(a.p, "Basic ", 6))
		return false;
	const char *p = a.p + 6;
	size_t n = a.len - 6, wl = strlen(want);
	while (n && *p == ' ') {
		p++;
		n--;
	}
	unsigned diff = n != wl;
	for (size_t i = 0; i < n && i < wl; i++) /* no early exit on the secret */
		diff |= (unsigned)(p[i] ^ want[i]);
	return diff == 0;
}

static bool has_dot_component(const char *rel)
{
	for (const char *p = rel; *p;) {
		if (*p == '.')
			return true;
		const char *sl = strchr(p, '/');
		if (!sl)
			break;
		p = sl + 1;
	}
	return false;
}

static void set_file_log(struct reply *rp, const char *rel)
{
	size_t n = strlen(rel);
	if (n > sizeof(rp->file) - 2)
		n = sizeof(rp->file) - 2; /* the log shows a cut path */
	rp->file[0] = '/';
	memcpy(rp->file + 1, rel, n);
	rp->file[n + 1] = 0;
}

/* Range and If-Range on a file reply already set up as 200. */
static void apply_range(struct httpd *s, const struct http_request *req, struct reply *rp,
			const struct http_validators *v, uint64_t size)
{
	if (!req->range.p || !http_if_range_ok(req->if_range, v))
		return;
	int n;
	enum http_range_result r =
		http_range_parse(req->range.p, req->range.len, size, rp->ranges, &n);
	if (r == HTTP_RANGE_IGNORE)
		return;
	if (r == HTTP_RANGE_UNSATISFIABLE) {
		fc_release(&s->fc, rp->fe);
		rp->fe = NULL;
		http_error_reply(rp, 416, rp->no_body);
		snprintf(rp->content_range, sizeof(rp->content_range), "bytes */%llu",
			 (unsigned long long)size);
		return;
	}
	rp->status = 206;
	if (n == 1) {
		rp->off = rp->ranges[0].first;
		rp->len = rp->ranges[0].last - rp->ranges[0].first + 1;
		rp->body_len = rp->len;
		snprintf(rp->content_range, sizeof(rp->content_range), "bytes %llu-%llu/%llu",
			 (unsigned long long)rp->ranges[0].first,
			 (unsigned long long)rp->ranges[0].last, (unsigned long long)size);
		return;
	}
	rp->nranges = n;
	rp->body_len = http_multipart_length(s->boundary, rp->content_type, rp->ranges, n, size);
}

/* A regular file: validators, conditionals, ranges. */
static void serve_file(struct httpd *s, const struct http_request *req, struct reply *rp,
		       struct fc_entry *fe, const char *type_name, bool gz)
{
	if (!fe->mime)
		fe->mime = http_mime_lookup(&s->rt.user_mime, &s->rt.sys_mime, type_name,
					    s->cfg->default_mimetype);
	rp->fe = fe;
	rp->status = 200;
	rp->validators = true;
	rp->accept_ranges = true;
	rp->content_type = gz ? http_mime_lookup(&s->rt.user_mime, &s->rt.sys_mime, type_name,
						 s->cfg->default_mimetype)
			      : fe->mime;
	rp->content_encoding = gz ? "gzip" : NULL;
	rp->vary = s->cfg->gzip_static;
	uint64_t size = (uint64_t)fe->f.st.st_size;
	rp->off = 0;
	rp->len = size;
	rp->body_len = size;
	struct http_validators v = {fe->etag, fe->etag_len, fe->f.st.st_mtim.tv_sec};
	enum http_cond_result c = http_cond_eval(req, &v);
	if (c != HTTP_COND_OK) {
		rp->status = (int)c;
		rp->no_body = true;
		rp->body_len = 0;
		if (c == HTTP_COND_FAILED) {
			rp->validators = false;
			fc_release(&s->fc, fe);
			rp->fe = NULL;
			http_error_reply(rp, 412, req->method == HTTP_HEAD);
		}
		return;
	}
	apply_range(s, req, rp, &v, size);
}

static int open_index_or_dir(struct httpd *s, const struct http_request *req, struct reply *rp,
			     const char *rel);

/* Try FILE.gz for a client that accepts gzip (--gzip-static). */
static bool try_gzip(struct httpd *s, const struct http_request *req, struct reply *rp,
		     const char *rel, uint64_t now)
{
	char gz[PXE_PATH_MAX + 4];
	struct fc_entry *fe;
	if (!s->cfg->gzip_static || !http_accepts_gzip(req->accept_encoding) ||
	    snprintf(gz, sizeof(gz), "%s.gz", rel) >= (int)sizeof(gz))
		return false;
	if (fc_open(&s->fc, s->rt.root, gz, now, &fe) < 0)
		return false;
	if (!S_ISREG(fe->f.st.st_mode)) {
		fc_release(&s->fc, fe);
		return false;
	}
	serve_file(s, req, rp, fe, rel, true);
	return true;
}

/* A 403 tells the client nothing of why (RFC 9110 §15.5.4 lets it);
 * the error log says which file and why, for the admin: strerror's text
 * (a permission, a loop of symlinks), "not a regular file" (a FIFO, a
 * device). The access log keeps its format. */
static void log_forbidden(const char *rel, const char *why)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_WARN, "forbidden");
	if (!l.active)
		return;
	char file[PXE_PATH_MAX + 1];
	snprintf(file, sizeof(file), "/%s", rel);
	pxe_log_str(&l, "file", file);
	pxe_log_int(&l, "status", 403);
	pxe_log_str(&l, "reason", why);
	pxe_log_end(&l);
}

/* ENOTSUP: a file the image holds but cannot give byte for byte (zisofs,
 * interleaved). 403, not 501: the request is fine and the method is
 * supported (501 says the server lacks a method, RFC 9110 §15.6.2), but
 * this resource will never be served, so the client should not retry;
 * and it is what a FIFO in a directory root gets already. */
static void resolve_error(struct httpd *s, struct reply *rp, const char *rel, int err, bool head)
{
	int status = err == -ENOENT || err == -ENOTDIR || err == -ENAMETOOLONG ? 404 : 403;
	/* EXDEV: a path out of the root, as openat2's RESOLVE_BENEATH says */
	if (err == -ENOTSUP)
		log_forbidden(rel,
			      s->fc.refusal ? s->fc.refusal : "cannot be served from the image");
	else if (status == 403)
		log_forbidden(rel, err == -EXDEV ? "outside the served root" : strerror(-err));
	http_error_reply(rp, status, head);
}

/* The image file itself at /<its name> (--image-file): it wins over a
 * file of the same name at the image's root. */
static bool is_image_self(const struct httpd *s, const char *rel)
{
	const char *name = s->cfg->image_file ? pxe_root_image_name(s->rt.root) : NULL;
	return name && !strcmp(rel, name);
}

/* Serve rel, a cleaned path; slash: the request ended with '/'. */
static void serve_path(struct httpd *s, const struct http_request *req, struct reply *rp,
		       const char *rel, bool slash)
{
	bool head = req->method == HTTP_HEAD;
	uint64_t now = httpd_now_ms(s);
	if (slash || !rel[0]) {
		open_index_or_dir(s, req, rp, rel);
		return;
	}
	struct fc_entry *fe;
	if (is_image_self(s, rel)) {
		int r = fc_open_image(&s->fc, s->rt.root, rel, now, &fe);
		if (r < 0)
			resolve_error(s, rp, rel, r, head);
		else
			serve_file(s, req, rp, fe, rel, false);
		return;
	}
	if (try_gzip(s, req, rp, rel, now))
		return;
	int r = fc_open(&s->fc, s->rt.root, rel, now, &fe);
	if (r < 0) {
		resolve_error(s, rp, rel, r, head);
		return;
	}
	if (S_ISDIR(fe->f.st.st_mode)) {
		fc_release(&s->fc, fe);
		/* RFC 9110 §15.4.2; the query string is kept */
		const char *q = req->path.p + req->path.len;
		size_t ql = (size_t)(req->target.p + req->target.len - q);
		redirect(rp, req->path.p, req->path.len, "/", 1, q, ql);
		return;
	}
	if (!S_ISREG(fe->f.st.st_mode)) {
		fc_release(&s->fc, fe);
		log_forbidden(rel, "not a regular file");
		http_error_reply(rp, 403, head);
		return;
	}
	serve_file(s, req, rp, fe, rel, false);
}

static int open_index_or_dir(struct httpd *s, const struct http_request *req, struct reply *rp,
			     const char *rel)
{
	bool head = req->method == HTTP_HEAD;
	char idx[PXE_PATH_MAX + 256];
	snprintf(idx, sizeof(idx), "%s%s%s", rel, rel[0] ? "/" : "", s->cfg->index);
	uint64_t now = httpd_now_ms(s);
	struct fc_entry *fe;
	if (try_gzip(s, req, rp, idx, now))
		return 0;
	int r = fc_open(&s->fc, s->rt.root, idx, now, &fe);
	if (r == 0 && S_ISREG(fe->f.st.st_mode)) {
		set_file_log(rp, idx);
		serve_file(s, req, rp, fe, idx, false);
		return 0;
	}
	if (r == 0)
		fc_release(&s->fc, fe);
	if (r == -ENOTSUP) { /* an index.html the image cannot serve */
		resolve_error(s, rp, idx, r, head);
		return 0;
	}
	r = fc_open(&s->fc, s->rt.root, rel, now, &fe);
	if (r < 0) {
		resolve_error(s, rp, rel, r, head);
		return r;
	}
	if (!S_ISDIR(fe->f.st.st_mode)) { /* "file/" */
		fc_release(&s->fc, fe);
		http_error_reply(rp, 404, head);
		return 0;
	}
	if (!s->cfg->listing) {
		fc_release(&s->fc, fe);
		http_error_reply(rp, 403, head);
		return 0;
	}
	fc_release(&s->fc, fe);
	size_t len;
	struct http_listing_extra self = {0};
	if (!rel[0] && s->cfg->image_file && pxe_root_image_name(s->rt.root)) {
		self.name = pxe_root_image_name(s->rt.root);
		self.st = pxe_root_image_stat(s->rt.root);
	}
	char *html = http_listing(s->rt.root, rel, req->path.p, req->path.len,
				  s->cfg->hide_dotfiles, &self, &len);
	if (!html) {
		http_error_reply(rp, 500, head);
		return 0;
	}
	rp->status = 200;
	rp->content_type = "text/html; charset=utf-8";
	rp->owned = html;
	rp->mem = html;
	rp->mem_len = len;
	rp->body_len = len;
	rp->no_body = head;
	return 0;
}

static void handle_path(struct httpd *s, const struct http_request *req, struct reply *rp)
{
	bool head = req->method == HTTP_HEAD;
	char dec[PXE_PATH_MAX + 1], rel[PXE_PATH_MAX];
	int n = http_percent_decode(req->path.p, req->path.len, dec, sizeof(dec));
	if (n < 0) {
		http_error_reply(rp, n == -2 ? 414 : 400, head);
		return;
	}
	if (s->rt.single_name) {
		serve_path(s, req, rp, s->rt.single_name, false);
		set_file_log(rp, s->rt.single_name);
		return;
	}
	bool slash = n > 0 && dec[n - 1] == '/';
	int r = pxe_path_clean(dec, (size_t)n, 0, rel, sizeof(rel));
	if (r < 0) {
		/* '..' above the root, NUL: refused outright (as nginx: 400) */
		http_error_reply(rp, r == -ENAMETOOLONG ? 414 : 400, head);
		return;
	}
	if (s->cfg->hide_dotfiles && has_dot_component(rel)) {
		http_error_reply(rp, 404, head);
		return;
	}
	set_file_log(rp, rel);
	serve_path(s, req, rp, rel, slash);
}

void http_handle(struct httpd *s, const struct http_request *req, struct reply *rp)
{
	bool head = req->method == HTTP_HEAD;
	if (req->method == HTTP_OTHER) {
		http_error_reply(rp, 405, false);
		rp->allow = "GET, HEAD";
		rp->close = req->has_body; /* we do not read request bodies */
		rp->linger = req->has_body;
		return;
	}
	if (req->has_body) {
		rp->close = true;
		rp->linger = true;
	}
	if (forwards(s, req, rp)) {
		rp->no_body = head;
		return;
	}
	if (!auth_ok(s, req)) {
		http_error_reply(rp, 401, head);
		rp->www_authenticate = "Basic realm=\"pxe-httpd\"";
		return;
	}
	handle_path(s, req, rp);
	if (head)
		rp->no_body = true;
}
