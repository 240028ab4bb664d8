/* SPDX-License-Identifier: MIT */
/* HTML directory listing (--listing). */
#ifndef HTTP_LISTING_H
#define HTTP_LISTING_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "root.h"

/* An entry listed beside the directory's own (the image file in an image
 * root's listing); it hides an entry of the same name. */
struct http_listing_extra {
	const char *name; /* NULL: none */
	const struct stat *st;
};

/* Listing of the directory rel (a cleaned path) of root, for the URL path
 * url (as requested, %-encoded); names sorted. extra may be NULL. Returns
 * a malloc'd body and its length, or NULL. */
char *http_listing(const struct pxe_root *root, const char *rel, const char *url, size_t url_len,
		   bool hide_dotfiles, const struct http_listing_extra *extra, size_t *len);

/* HTML-escape s into a growing buffer; pure helpers for tests. */
size_t http_html_escape(char *out, size_t cap, const char *s);
size_t http_url_escape(char *out, size_t cap, const char *s);

#endif
