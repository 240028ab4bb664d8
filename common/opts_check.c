/* SPDX-License-Identifier: MIT */
/* --check-config's checks of what start will need (preflight.h), run through
 * the option tables: each option's check on each of its values, each
 * failure reported where the value was set. */
#include "opts_internal.h"

#include <stdio.h>
#include <string.h>

void pxe_config_where(const struct pxe_config *c, const struct pxe_opt *o, char *buf, size_t cap)
{
	const struct pxe_src *s = &c->src[o - c->spec->opts];
	switch (s->kind) {
	case PXE_SRC_FILE: snprintf(buf, cap, "%s:%d: %s", s->file, s->line, o->name); break;
	case PXE_SRC_CLI: snprintf(buf, cap, "--%s", o->name); break;
	case PXE_SRC_DERIVED: snprintf(buf, cap, "%s (from %s)", o->name, s->file); break;
	default: snprintf(buf, cap, "%s (default)", o->name); break;
	}
}

/* The values of o to check: a string's one, each of a list's. */
static int check_option(const struct pxe_config *c, const struct pxe_opt *o, pxe_check_fail_fn fail,
			void *ctx)
{
	const void *f = (const char *)c->cfg + o->offset;
	if ((o->flags & PXE_OPTF_LAZY_DEFAULT) && c->src[o - c->spec->opts].kind == PXE_SRC_DEFAULT)
		return 0;
	const char *one[1];
	const char *const *v = one;
	size_t n = 0;
	if (o->type == PXE_OPT_STRING && *(char *const *)f) {
		one[0] = *(char *const *)f;
		n = 1;
	} else if (o->type == PXE_OPT_STRLIST) {
		const struct pxe_strlist *l = f;
		v = (const char *const *)l->v;
		n = l->n;
	}
	int failed = 0;
	for (size_t i = 0; i < n; i++) {
		struct pxe_err e = {{0}};
		if (o->check(c->cfg, v[i], &e) < 0) {
			char where[PXE_OPT_WHERE_MAX];
			pxe_config_where(c, o, where, sizeof(where));
			fail(ctx, where, e.msg);
			failed++;
		}
	}
	return failed;
}

int pxe_config_check_each(const struct pxe_config *c, pxe_check_fail_fn fail, void *ctx)
{
	int failed = 0;
	for (size_t i = 0; i < c->spec->nopts; i++)
		if (c->spec->opts[i].check)
			failed += check_option(c, &c->spec->opts[i], fail, ctx);
	return failed;
}

struct fail_to_file {
	FILE *out;
	const char *prog;
};

static void fail_to_file(void *ctx, const char *where, const char *msg)
{
	const struct fail_to_file *f = ctx;
	fprintf(f->out, "%s: %s: %s\n", f->prog, where, msg);
}

int pxe_config_check(const struct pxe_config *c, FILE *out)
{
	struct fail_to_file f = {out, c->spec->prog};
	return pxe_config_check_each(c, fail_to_file, &f);
}
