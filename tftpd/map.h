/* SPDX-License-Identifier: MIT */
/* File name rewrite rules (--map FILE), for clients that ask odd names.
 * One rule per line, tftp-hpa's map-file form restricted to what a
 * first-match-wins list needs:
 *
 *   FLAGS REGEX [REPLACEMENT]     # comment
 *
 * FLAGS: r (rewrite), i (case-insensitive match), a (refuse: ERROR 2),
 * e (accepted for tftp-hpa compatibility: every match ends the list).
 * REGEX is POSIX extended; REPLACEMENT may use \0 (the whole match),
 * \1..\9 (groups), \i (the client's IP address) and \\ (a backslash).
 * Only the matched part is replaced. The first rule that matches wins. */
#ifndef TFTP_MAP_H
#define TFTP_MAP_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "err.h"

struct tftp_map_rule {
	regex_t re;
	char *repl; /* NULL for 'a' */
	bool deny;
	int line;
};

struct tftp_map {
	struct tftp_map_rule *v;
	size_t n;
};

/* Parse rules from text (NUL-terminated). name is used in messages
 * ("FILE:LINE: ..."). 0 or -errno with err filled; on error *m is empty. */
int tftp_map_parse(struct tftp_map *m, const char *text, const char *name, struct pxe_err *err);
int tftp_map_load(struct tftp_map *m, const char *path, struct pxe_err *err);
void tftp_map_free(struct tftp_map *m);

enum tftp_map_result { TFTP_MAP_NONE, TFTP_MAP_REWRITTEN, TFTP_MAP_DENIED };
/* Apply the rules to in (NUL-terminated). client_ip may be NULL. On
 * TFTP_MAP_REWRITTEN out holds the new name; -ENAMETOOLONG when it does
 * not fit. */
int tftp_map_apply(const struct tftp_map *m, const char *in, const char *client_ip, char *out,
		   size_t cap);

#endif
