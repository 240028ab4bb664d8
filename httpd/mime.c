/* SPDX-License-Identifier: MIT */
/* Content-Type table: a built-in sorted array for what netboot and a
 * browser need, plus mime.types files (darkhttpd's --mimetypes format,
 * which is also /etc/mime.types'), all searched with bsearch. */
#include "mime.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Sorted by extension (strcmp order); test_mime checks the order. */
static const struct {
	const char *ext, *type;
} builtin[] = {
	{"7z", "application/x-7z-compressed"},
	{"bin", "application/octet-stream"},
	{"bz2", "application/x-bzip2"},
	{"cfg", "text/plain"},
	{"conf", "text/plain"},
	{"cpio", "application/x-cpio"},
	{"css", "text/css"},
	{"efi", "application/efi"},
	{"gif", "image/gif"},
	{"gz", "application/gzip"},
	{"htm", "text/html"},
	{"html", "text/html"},
	{"ico", "image/vnd.microsoft.icon"},
	{"img", "application/octet-stream"},
	{"ipxe", "text/plain"},
	{"iso", "application/x-iso9660-image"},
	{"jpeg", "image/jpeg"},
	{"jpg", "image/jpeg"},
	{"js", "text/javascript"},
	{"json", "application/json"},
	{"kpxe", "application/octet-stream"},
	{"md", "text/markdown"},
	{"mp4", "video/mp4"},
	{"pdf", "application/pdf"},
	{"png", "image/png"},
	{"pxe", "application/octet-stream"},
	{"sfs", "application/octet-stream"},
	{"sha256", "text/plain"},
	{"sig", "application/pgp-signature"},
	{"squashfs", "application/octet-stream"},
	{"svg", "image/svg+xml"},
	{"tar", "application/x-tar"},
	{"txt", "text/plain"},
	{"wasm", "application/wasm"},
	{"webp", "image/webp"},
	{"xml", "application/xml"},
	{"xz", "application/x-xz"},
	{"zip", "application/zip"},
	{"zst", "application/zstd"},
};

static int cmp_builtin(const void *k, const void *e)
{
	return strcmp(k, *(const char *const *)e);
}

const char *http_mime_builtin(const char *ext)
{
	const char *const *hit = bsearch(ext, builtin, sizeof(builtin) / sizeof(builtin[0]),
					 sizeof(builtin[0]), cmp_builtin);
	return hit ? hit[1] : NULL;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct http_mime_entry *x = a, *y = b;
	return strcmp(x->ext, y->ext);
}

static int cmp_key(const void *k, const void *e)
{
	return strcmp(k, ((const struct http_mime_entry *)e)->ext);
}

static const char *table_find(const struct http_mime_table *t, const char *ext)
{
	if (!t || !t->n)
		return NULL;
	const struct http_mime_entry *e = bsearch(ext, t->v, t->n, sizeof(t->v[0]), cmp_key);
	return e ? e->type : NULL;
}

static int add_entry(struct http_mime_table *t, const char *type, size_t tl, const char *ext,
		     size_t el)
{
	for (size_t i = 0; i < t->n; i++) /* load time only; tables are small */
		if (strlen(t->v[i].ext) == el && !strncasecmp(t->v[i].ext, ext, el))
			return 0;
	struct http_mime_entry *v = realloc(t->v, (t->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->v = v;
	char *e = strndup(ext, el), *ty = strndup(type, tl);
	if (!e || !ty) {
		free(e);
		free(ty);
		return -ENOMEM;
	}
	for (char *c = e; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	t->v[t->n++] = (struct http_mime_entry){e, ty};
	return 0;
}

static int load_line(struct http_mime_table *t, const char *p, const char *end)
{
	const char *hash = memchr(p, '#', (size_t)(end - p));
	if (hash)
		end = hash;
	while (p < end && isspace((unsigned char)*p))
		p++;
	const char *type = p;
	while (p < end && !isspace((unsigned char)*p))
		p++;
	size_t tl = (size_t)(p - type);
	if (!tl || !memchr(type, '/', tl))
		return 0; /* not a type line */
	for (;;) {
		while (p < end && isspace((unsigned char)*p))
			p++;
		const char *ext = p;
		while (p < end && !isspace((unsigned char)*p))
			p++;
		if (p == ext)
			return 0;
		int r = add_entry(t, type, tl, ext, (size_t)(p - ext));
		if (r < 0)
			return r;
	}
}

int http_mime_load_text(struct http_mime_table *t, const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;
		int r = load_line(t, p, le);
		if (r < 0)
			return r;
		p = nl ? nl + 1 : end;
	}
	http_mime_finish(t);
	return 0;
}

int http_mime_load(struct http_mime_table *t, const char *path)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -errno;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int r = 0;
	while (r == 0 && (n = getline(&line, &cap, f)) >= 0)
		r = load_line(t, line, line + n);
	free(line);
	fclose(f);
	http_mime_finish(t);
	return r;
}

void http_mime_finish(struct http_mime_table *t)
{
	if (t->n)
		qsort(t->v, t->n, sizeof(t->v[0]), cmp_entry);
}

void http_mime_free(struct http_mime_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].ext);
		free(t->v[i].type);
	}
	free(t->v);
	t->v = NULL;
	t->n = 0;
}

const char *http_mime_lookup(const struct http_mime_table *user,
			     const struct http_mime_table *system, const char *name,
			     const char *dflt)
{
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	const char *dot = strrchr(base, '.');
	char ext[32];
	size_t n = dot ? strlen(dot + 1) : 0;
	if (!n || n >= sizeof(ext))
		return dflt;
	for (size_t i = 0; i <= n; i++)
		ext[i] = (char)tolower((unsigned char)dot[1 + i]);
	const char *t = table_find(user, ext);
	if (!t)
		t = http_mime_builtin(ext);
	if (!t)
		t = table_find(system, ext);
	return t ? t : dflt;
}
