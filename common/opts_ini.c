/* SPDX-License-Identifier: MIT */
/* The INI file of the option-table driver (through inih): the daemon's
 * own section through its table, other sections through the spec's
 * handler, every error with FILE:LINE. */
#include "opts_internal.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct ini_ctx {
	const struct pxe_opt_spec *spec;
	struct pxe_config *c;
	const char *file;
	int line;            /* maintained by the reader: inih calls it once per line */
	int failed;          /* line of the first error, 0 when none */
	struct pxe_err *err; /* the first error */
	FILE *more;          /* each later error, one line each; NULL: ignore them */
	/* The last error in another section (dhcpd's [subnet X]): a bad
	 * header fails each of its keys with the same sentence, said once. */
	char other_section[128];
	char other_msg[sizeof(((struct pxe_err *)0)->msg)];
};

struct ini_stream {
	FILE *f;
	struct ini_ctx *ctx;
};

static char *read_line(char *str, int num, void *stream)
{
	struct ini_stream *s = stream;
	char *r = fgets(str, num, s->f);
	if (r)
		s->ctx->line++;
	return r;
}

static bool own_section(const struct pxe_opt_spec *spec, const char *section)
{
	return section[0] == 0 || !strcasecmp(section, spec->section);
}

/* One key of the daemon's own section. */
static int own_key(struct ini_ctx *x, const char *section, const char *name, const char *value,
		   struct pxe_err *e)
{
	const struct pxe_opt_spec *spec = x->spec;
	const struct pxe_opt *o = pxe_opt_find(spec->opts, spec->nopts, name, strlen(name));
	if (!o || (o->flags & PXE_OPTF_CLI_ONLY))
		return pxe_opt_unknown_key(spec->opts, spec->nopts,
					   PXE_OPTF_CLI_ONLY | PXE_OPTF_HIDDEN,
					   section[0] ? section : spec->section, name, e);
	struct pxe_err ve = {{0}};
	int r = pxe_opt_store(o, x->c->cfg, value, &ve);
	if (r < 0)
		return pxe_err_set(e, r, "%s: %s", name, ve.msg);
	struct pxe_src *src = &x->c->src[o - spec->opts];
	src->kind = PXE_SRC_FILE;
	src->file = x->c->config_file;
	src->line = x->line;
	return 0;
}

static void key_failed(struct ini_ctx *x, int r, const struct pxe_err *e)
{
	if (!x->failed) {
		x->failed = x->line;
		pxe_err_set(x->err, r, "%s:%d: %s", x->file, x->line, e->msg);
	} else if (x->more) {
		fprintf(x->more, "%s:%d: %s\n", x->file, x->line, e->msg);
	}
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *x = user;
	struct pxe_err e = {{0}};
	int r;
	if (own_section(x->spec, section)) {
		r = own_key(x, section, name, value, &e);
	} else if (!x->spec->other_section) {
		r = pxe_err_set(&e, EINVAL, "[%s] %s: unknown section (expected [%s])", section,
				name, x->spec->section);
	} else {
		r = x->spec->other_section(x->c->cfg, section, name, value, x->file, x->line, &e);
		if (r < 0 && !strcmp(x->other_section, section) && !strcmp(x->other_msg, e.msg))
			return 1;
		if (r < 0) {
			snprintf(x->other_section, sizeof(x->other_section), "%s", section);
			snprintf(x->other_msg, sizeof(x->other_msg), "%s", e.msg);
		}
	}
	if (r < 0)
		key_failed(x, r, &e);
	return 1;
}

int pxe_opts_load_file(const struct pxe_opt_spec *spec, struct pxe_config *c, struct pxe_err *err,
		       FILE *more)
{
	FILE *f = fopen(c->config_file, "re");
	if (!f)
		return pxe_err_set(err, errno, "%s: cannot open: %s", c->config_file,
				   strerror(errno));
	struct ini_ctx x = {.spec = spec, .c = c, .file = c->config_file, .err = err, .more = more};
	struct ini_stream s = {.f = f, .ctx = &x};
	int r = ini_parse_stream(read_line, &s, on_key, &x);
	fclose(f);
	if (r > 0) {
		struct pxe_err e;
		x.line = r;
		pxe_err_set(&e, EINVAL,
			    "syntax error: expected 'key = value', '[section]' or a comment");
		key_failed(&x, EINVAL, &e);
	}
	if (x.failed)
		return -EINVAL;
	if (r < 0)
		return pxe_err_set(err, EIO, "%s: cannot read", c->config_file);
	return 0;
}

/* Pre-scan the file for list keys so that a list the file sets replaces
 * its default instead of appending to it. */
static int file_sets_key(const char *file, const char *section, const struct pxe_opt *o)
{
	FILE *f = fopen(file, "re");
	if (!f)
		return 0;
	char line[4096];
	bool in_own = true;
	int found = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			char *end = strchr(p, ']');
			in_own = end && (size_t)(end - p - 1) == strlen(section) &&
				 !strncasecmp(p + 1, section, strlen(section));
			continue;
		}
		if (!in_own)
			continue;
		size_t n = strcspn(p, "=: \t");
		found = pxe_opt_find(o, 1, p, n) != NULL;
	}
	fclose(f);
	return found;
}

void pxe_opts_file_replaces_lists(const struct pxe_opt_spec *spec, struct pxe_config *c)
{
	for (size_t i = 0; i < spec->nopts; i++) {
		const struct pxe_opt *o = &spec->opts[i];
		if ((o->type == PXE_OPT_STRLIST || o->type == PXE_OPT_ADDRLIST) && o->def &&
		    file_sets_key(c->config_file, spec->section, o))
			pxe_opt_clear(o, c->cfg);
	}
}
