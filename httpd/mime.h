/* SPDX-License-Identifier: MIT */
/* Content-Type by file name extension. */
#ifndef HTTP_MIME_H
#define HTTP_MIME_H

#include <stddef.h>

struct http_mime_entry {
	char *ext; /* lowercase, without the dot */
	char *type;
};

/* A table loaded from mime.types-style files ("type ext ext ..."; '#'
 * comments), sorted by extension for bsearch. */
struct http_mime_table {
	struct http_mime_entry *v;
	size_t n;
};

/* Add the entries of a mime.types file; an extension already present
 * keeps its first type. 0 or -errno. */
int http_mime_load(struct http_mime_table *t, const char *path);
/* Same, from a string (tests, fuzzing). */
int http_mime_load_text(struct http_mime_table *t, const char *text, size_t len);
/* Sort after loading (idempotent). */
void http_mime_finish(struct http_mime_table *t);
void http_mime_free(struct http_mime_table *t);

/* Lookup order: user (--mimetypes), built-in table, system
 * (/etc/mime.types), then dflt. Either table may be NULL. The extension is
 * what follows the last '.' of the last path component, case-insensitive. */
const char *http_mime_lookup(const struct http_mime_table *user,
			     const struct http_mime_table *system, const char *name,
			     const char *dflt);
/* The built-in table alone (NULL when absent). */
const char *http_mime_builtin(const char *ext);

#endif
