/* SPDX-License-Identifier: MIT */
/* Directory listing: names sorted, escaped for HTML and for URLs. */
#include "listing.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static size_t read_entries(int dirfd, bool hide, struct dent **out)
{
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	if (!d) {
		if (fd >= 0)
			close(fd);
		*out = NULL;
		return 0;
	}
	struct dent *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < LISTING_MAX_ENTRIES) {
		if (de->d_name[0] == '.' &&
		    (hide || !de->d_name[1] || (de->d_name[1] == '.' && !de->d_name[2])))
			continue;
		struct stat st;
		if (fstatat(dirfd, de->d_name, &st, 0) < 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			struct dent *nv = realloc(v, cap * sizeof(*v));
			if (!nv)
				break;
			v = nv;
		}
		v[n].name = strdup(de->d_name);
		if (!v[n].name)
			break;
		v[n].dir = S_ISDIR(st.st_mode);
		v[n].size = (long long)st.st_size;
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_dent);
	*out = v;
	return n;
}

char *http_listing(int dirfd, const char *url, size_t url_len, bool hide_dotfiles, size_t *len)
{
	struct dent *v;
	size_t n = read_entries(dirfd, hide_dotfiles, &v);
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
