/* SPDX-License-Identifier: MIT */
/* Shared between optval.c (typed values) and opts.c (the table driver). */
#ifndef PXE_OPTS_INTERNAL_H
#define PXE_OPTS_INTERNAL_H

#include <stdio.h>

#include "opts.h"

/* Parse s and store it into cfg's field for o (lists append). */
int pxe_opt_store(const struct pxe_opt *o, void *cfg, const char *s, struct pxe_err *err);
/* Empty a list or string field (the command line replaces a file's list). */
void pxe_opt_clear(const struct pxe_opt *o, void *cfg);
/* Find an option by long name or alias (len bytes of name). */
const struct pxe_opt *pxe_opt_find(const struct pxe_opt *opts, size_t nopts, const char *name,
				   size_t len);
/* True when the field holds a value (not NULL, not an empty list). */
bool pxe_opt_is_set(const struct pxe_opt *o, const void *cfg);
/* The option's value as "name = value<TAB>; source" lines (one per value
 * of a list); commented out when comment is set or the option is on the
 * command line only, so the output is a valid file. */
void pxe_opt_print_lines(FILE *out, const struct pxe_opt *o, const void *cfg,
			 const struct pxe_src *src, bool comment);

/* Read the config file c->config_file into c (opts_ini.c): the first error
 * into err, each later one as a line "FILE:LINE: ..." into more (NULL:
 * dropped). 0 or -errno. */
int pxe_opts_load_file(const struct pxe_opt_spec *spec, struct pxe_config *c, struct pxe_err *err,
		       FILE *more);
/* A list the file sets replaces its default instead of adding to it:
 * empty those lists before the file is read. */
void pxe_opts_file_replaces_lists(const struct pxe_opt_spec *spec, struct pxe_config *c);

/* The name meant by an unknown key or option (opts_hint.c): the valid name
 * nearest to key (a typo: edits up to a third of its length, 1 or 2) or
 * a known synonym of one ("ip" for "address"). */
struct pxe_hint {
	const char *key;
	size_t len;
	const char *best; /* NULL: nothing close */
	size_t best_len;
	size_t dist, max;
};
void pxe_hint_init(struct pxe_hint *h, const char *key, size_t len);
/* Consider the valid name name[0..n). */
void pxe_hint_try(struct pxe_hint *h, const char *name, size_t n);
/* Consider each name and alias of opts, but those with a flag in skip. */
void pxe_hint_table(struct pxe_hint *h, const struct pxe_opt *opts, size_t n, unsigned skip);
/* Edits (insert, delete, replace, swap neighbours; case-insensitive) from
 * a to b; SIZE_MAX for names over 64 bytes. */
size_t pxe_hint_distance(const char *a, size_t la, const char *b, size_t lb);
/* -EINVAL with err "[section] key: unknown key; valid keys: a, b, c; did you
 * mean 'x'?" (the keys of opts but those with a flag in skip; section is
 * the header as written: "[host pc1]"), or for a key of the command line
 * only, that. */
int pxe_opt_unknown_key(const struct pxe_opt *opts, size_t n, unsigned skip, const char *section,
			const char *key, struct pxe_err *err);

#endif
