/* SPDX-License-Identifier: MIT */
/* Directory listing: names sorted, escaped for HTML and for URLs. */
#include "listing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LISTING_MAX_ENTRIES 20000

size_t http_html_escape(char *out, size_t cap, const char *s)
{
	size_t o = 0;
	for (; *s; s++) {
		const char *r = NULL;
		switch (*s) {
		case '&': r = "&amp;"; break;
		case '<': r = "&lt;"; break;
		case '>': r = "&gt;"; break;
		case '"': r = "&quot;"; break;
		case '\'': r = "&#39;"; break;
		}
		size_t n = r ? strlen(r) : 1;
		if (o + n >= cap)
			break;
		if (r)
			memcpy(out + o, r, n);
		else
			out[o] = *s;
		o += n;
	}
	if (cap)
		out[o] = 0;
	return o;
}

size_t http_url_escape(char *out, size_t cap, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t o = 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			     (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
		if (o + (plain ? 1 : 3) >= cap)
			break;
		if (plain) {
			out[o++] = (char)c;
		} else {
			out[o++] = '%';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		}
	}
	if (cap)
		out[o] = 0;
	return o;
}

struct dent {
	char *name;
	bool dir;
	long long size;
};

static int cmp_dent(const void *a, const void *b)
{
	return strcmp(((const struct dent *)a)->name, ((const struct dent *)b)->name);
}

struct dent_list {
	struct dent *v;
	size_t n, cap;
	bool hide;
	const char *skip; /* a name given by the caller instead (the image file) */
};

static int dent_add(struct dent_list *l, const char *name, const struct stat *st)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct dent *nv = realloc(l->v, cap * sizeof(*nv));
		if (!nv)
			return -1;
		l->v = nv;
		l->cap = cap;
	}
	if (!(l->v[l->n].name = strdup(name)))
		return -1;
	l->v[l->n].dir = S_ISDIR(st->st_mode);
	l->v[l->n].size = (long long)st->st_size;
	l->n++;
	return 0;
}

/* pxe_root_dir_each gives no "." and ".."; 1 stops it (a full list). */
static int take_entry(void *arg, const char *name, const struct stat *st)
{
	struct dent_list *l = arg;
	if ((l->hide && name[0] == '.') || (l->skip && !strcmp(name, l->skip)))
		return 0;
	if (l->n >= LISTING_MAX_ENTRIES || dent_add(l, name, st) < 0)
		return 1;
	return 0;
}

static size_t read_entries(const struct pxe_root *root, const char *rel, bool hide,
			   const struct http_listing_extra *extra, struct dent **out)
{
	struct dent_list l = {.hide = hide};
	if (extra && extra->name && extra->st && !(hide && extra->name[0] == '.')) {
		l.skip = extra->name;
		dent_add(&l, extra->name, extra->st);
	}
	pxe_root_dir_each(root, rel, take_entry, &l);
	if (l.n)
		qsort(l.v, l.n, sizeof(*l.v), cmp_dent);
	*out = l.v;
	return l.n;
}

char *http_listing(const struct pxe_root *root, const char *rel, const char *url, size_t url_len,
		   bool hide_dotfiles, const struct http_listing_extra *extra, size_t *len)
{
	struct dent *v;
	size_t n = read_entries(root, rel, hide_dotfiles, extra, &v);
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	if (!f)
		goto out;
	char title[4096 * 6], u[1024], h[1536], raw[4096];
	snprintf(raw, sizeof(raw), "%.*s", (int)url_len, url);
	http_html_escape(title, sizeof(title), raw);
	fprintf(f,
		"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>%s</title></head>\n"
		"<body><h1>%s</h1>\n<pre>\n<a href=\"../\">../</a>\n",
		title, title);
	for (size_t i = 0; i < n; i++) {
		http_url_escape(u, sizeof(u), v[i].name);
		http_html_escape(h, sizeof(h), v[i].name);
		if (v[i].dir)
			fprintf(f, "<a href=\"%s/\">%s/</a>\n", u, h);
		else
			fprintf(f, "<a href=\"%s\">%s</a>%*s %lld\n", u, h,
				(int)(strlen(v[i].name) < 50 ? 50 - strlen(v[i].name) : 1), "",
				v[i].size);
	}
	fprintf(f, "</pre>\n</body></html>\n");
	if (fclose(f) != 0) {
		free(buf);
		buf = NULL;
	}
out:
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	*len = buf ? blen : 0;
	return buf;
}
