/* Shared between optval.c (typed values) and opts.c (the table driver). */
#ifndef PXE_OPTS_INTERNAL_H
#define PXE_OPTS_INTERNAL_H

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

#endif
