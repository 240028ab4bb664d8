/* SPDX-License-Identifier: MIT */
/* HTML directory listing (--listing). */
#ifndef HTTP_LISTING_H
#define HTTP_LISTING_H

#include <stdbool.h>
#include <stddef.h>

/* Listing of the directory open at dirfd (not consumed), for the URL path
 * url (as requested, %-encoded). Returns a malloc'd body and its length,
 * or NULL. */
char *http_listing(int dirfd, const char *url, size_t url_len, bool hide_dotfiles, size_t *len);

/* HTML-escape s into a growing buffer; pure helpers for tests. */
size_t http_html_escape(char *out, size_t cap, const char *s);
size_t http_url_escape(char *out, size_t cap, const char *s);

#endif
