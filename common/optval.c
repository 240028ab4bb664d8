/* SPDX-License-Identifier: MIT */
/* Typed option values: parse text into a config struct field, print it back,
 * free it. Used by the option-table driver in opts.c and by section tables
 * (dhcpd's [subnet], [host], [boot]), whose keys keep their own sources. */
#include "opts_internal.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static void *field(void *cfg, const struct pxe_opt *o)
{
	return (char *)cfg + o->offset;
}

static const void *cfield(const void *cfg, const struct pxe_opt *o)
{
	return (const char *)cfg + o->offset;
}

int pxe_parse_bool(const char *s, bool *out, struct pxe_err *err)
{
	static const char *const yes[] = {"yes", "true", "on", "1"};
	static const char *const no[] = {"no", "false", "off", "0"};
	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(s, no[i])) {
			*out = false;
			return 0;
		}
	}
	return pxe_err_set(err, EINVAL, "expected yes or no, got '%s'", s);
}

/* Strict decimal: optional sign, digits, nothing else. */
static int parse_decimal(const char *s, long long *out, const char **end)
{
	const char *p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (!isdigit((unsigned char)*p))
		return -EINVAL;
	errno = 0;
	char *e;
	long long v = strtoll(s, &e, 10);
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	*end = e;
	return 0;
}

int pxe_parse_int(const char *s, long long min, long long max, long long *out, struct pxe_err *err)
{
	long long v;
	const char *end;
	bool bounded = min != 0 || max != 0;
	if (parse_decimal(s, &v, &end) < 0 || *end) {
		if (bounded)
			return pxe_err_set(err, EINVAL, "expected an integer %lld..%lld, got '%s'",
					   min, max, s);
		return pxe_err_set(err, EINVAL, "expected an integer, got '%s'", s);
	}
	if (bounded && (v < min || v > max))
		return pxe_err_set(err, ERANGE, "expected an integer %lld..%lld, got %s", min, max,
				   s);
	*out = v;
	return 0;
}

int pxe_parse_size(const char *s, unsigned long long *out, struct pxe_err *err)
{
	long long v;
	const char *end;
	if (parse_decimal(s, &v, &end) < 0 || v < 0 || *s == '+')
		goto bad;
	unsigned shift = 0;
	switch (toupper((unsigned char)*end)) {
	case 0: break;
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		shift = 20;
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	case 'T':
		shift = 40;
		end++;
		break;
	case 'B': break;
	default: goto bad;
	}
	if (shift && (*end == 'i' || *end == 'I'))
		end++;
	if (*end == 'B' || *end == 'b')
		end++;
	if (*end)
		goto bad;
	if (shift && (unsigned long long)v > (ULLONG_MAX >> shift))
		return pxe_err_set(err, ERANGE, "size '%s' is too large", s);
	*out = (unsigned long long)v << shift;
	return 0;
bad:
	return pxe_err_set(err, EINVAL, "expected a size such as 512, 64K, 4M or 1G, got '%s'", s);
}

int pxe_parse_duration_ms(const char *s, long long *out, struct pxe_err *err)
{
	static const struct {
		const char *unit;
		long long ms;
	} units[] = {{"", 1000},   {"ms", 1},      {"s", 1000},
		     {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
	long long v;
	const char *end;
	if (parse_decimal(s, &v, &end) < 0 || v < 0 || *s == '+')
		goto bad;
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcasecmp(end, units[i].unit))
			continue;
		if (v > LLONG_MAX / units[i].ms)
			return pxe_err_set(err, ERANGE, "duration '%s' is too long", s);
		*out = v * units[i].ms;
		return 0;
	}
bad:
	return pxe_err_set(
		err, EINVAL,
		"expected a duration such as 30 (seconds), 500ms, 30s, 5m, 1h or 2d, got '%s'", s);
}

int pxe_strlist_add(struct pxe_strlist *l, const char *s)
{
	char *copy = strdup(s);
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!copy || !v) {
		free(copy);
		if (v)
			l->v = v;
		return -ENOMEM;
	}
	v[l->n++] = copy;
	l->v = v;
	return 0;
}

void pxe_strlist_free(struct pxe_strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int addrlist_add(struct pxe_addrlist *l, const struct pxe_sockaddr *a)
{
	struct pxe_sockaddr *v = realloc(l->v, (l->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	v[l->n++] = *a;
	l->v = v;
	return 0;
}

static int parse_addr(const struct pxe_opt *o, const char *s, struct pxe_sockaddr *a,
		      struct pxe_err *err)
{
	if (pxe_addr_parse(s, o->default_port, a) < 0)
		return pxe_err_set(err, EINVAL,
				   "expected ADDRESS[:PORT] (IPv4, or [IPv6]:PORT), got '%s'", s);
	return 0;
}

static int parse_enum(const struct pxe_opt *o, const char *s, int *out, struct pxe_err *err)
{
	char expected[256] = "";
	size_t len = 0;
	for (int i = 0; o->choices && o->choices[i]; i++) {
		if (!strcasecmp(s, o->choices[i])) {
			*out = i;
			return 0;
		}
		int w = snprintf(expected + len, sizeof(expected) - len, "%s%s", i ? ", " : "",
				 o->choices[i]);
		if (w > 0 && (size_t)w < sizeof(expected) - len)
			len += (size_t)w;
	}
	return pxe_err_set(err, EINVAL, "expected one of %s, got '%s'", expected, s);
}

/* Split "a, b c" into items for PXE_OPTF_SPLIT lists. */
static int add_split(const struct pxe_opt *o, void *f, const char *s, struct pxe_err *err)
{
	char *copy = strdup(s);
	if (!copy)
		return -ENOMEM;
	int r = 0;
	char *save = NULL;
	for (char *tok = strtok_r(copy, ", \t", &save); tok && r == 0;
	     tok = strtok_r(NULL, ", \t", &save)) {
		if (o->type == PXE_OPT_STRLIST) {
			r = pxe_strlist_add(f, tok);
		} else {
			struct pxe_sockaddr a;
			r = parse_addr(o, tok, &a, err);
			if (r == 0)
				r = addrlist_add(f, &a);
		}
	}
	free(copy);
	return r;
}

/* pxe_opt_store without the out-of-memory sentence. */
static int store(const struct pxe_opt *o, void *cfg, const char *s, struct pxe_err *err)
{
	void *f = field(cfg, o);
	int r = 0;
	switch (o->type) {
	case PXE_OPT_STRING: {
		char *copy = strdup(s);
		if (!copy)
			return -ENOMEM;
		free(*(char **)f);
		*(char **)f = copy;
		return 0;
	}
	case PXE_OPT_BOOL: return pxe_parse_bool(s, f, err);
	case PXE_OPT_INT: return pxe_parse_int(s, o->min, o->max, f, err);
	case PXE_OPT_SIZE: {
		unsigned long long v;
		r = pxe_parse_size(s, &v, err);
		if (r == 0 && (o->min || o->max) &&
		    (v < (unsigned long long)o->min || v > (unsigned long long)o->max))
			return pxe_err_set(err, ERANGE, "expected a size %lld..%lld bytes, got %s",
					   o->min, o->max, s);
		if (r == 0)
			*(unsigned long long *)f = v;
		return r;
	}
	case PXE_OPT_DURATION: {
		long long v;
		r = pxe_parse_duration_ms(s, &v, err);
		if (r == 0 && (o->min || o->max) && (v < o->min || v > o->max))
			return pxe_err_set(err, ERANGE,
					   "expected a duration %lldms..%lldms, got %s", o->min,
					   o->max, s);
		if (r == 0)
			*(long long *)f = v;
		return r;
	}
	case PXE_OPT_ADDR: return parse_addr(o, s, f, err);
	case PXE_OPT_ENUM: return parse_enum(o, s, f, err);
	case PXE_OPT_STRLIST:
		if (o->flags & PXE_OPTF_SPLIT)
			return add_split(o, f, s, err);
		return pxe_strlist_add(f, s);
	case PXE_OPT_ADDRLIST: {
		if (o->flags & PXE_OPTF_SPLIT)
			return add_split(o, f, s, err);
		struct pxe_sockaddr a;
		r = parse_addr(o, s, &a, err);
		return r ? r : addrlist_add(f, &a);
	}
	case PXE_OPT_HOOK: return o->hook->parse(f, s, err);
	}
	return -EINVAL;
}

int pxe_opt_store(const struct pxe_opt *o, void *cfg, const char *s, struct pxe_err *err)
{
	int r = store(o, cfg, s, err);
	if (r == -ENOMEM) /* strdup and realloc say nothing of their own */
		pxe_err_set(err, ENOMEM, "out of memory");
	return r;
}

void pxe_opt_clear(const struct pxe_opt *o, void *cfg)
{
	void *f = field(cfg, o);
	if (o->type == PXE_OPT_STRLIST) {
		pxe_strlist_free(f);
	} else if (o->type == PXE_OPT_ADDRLIST) {
		struct pxe_addrlist *l = f;
		free(l->v);
		l->v = NULL;
		l->n = 0;
	} else if (o->type == PXE_OPT_STRING) {
		free(*(char **)f);
		*(char **)f = NULL;
	} else if (o->type == PXE_OPT_HOOK && o->hook->free) {
		o->hook->free(f);
	}
}

static bool name_matches(const struct pxe_opt *o, const char *name, size_t len)
{
	if (strlen(o->name) == len && !strncmp(o->name, name, len))
		return true;
	for (const char *a = o->aliases; a && *a;) {
		const char *bar = strchr(a, '|');
		size_t alen = bar ? (size_t)(bar - a) : strlen(a);
		if (alen == len && !strncmp(a, name, len))
			return true;
		a = bar ? bar + 1 : a + alen;
	}
	return false;
}

const struct pxe_opt *pxe_opt_find(const struct pxe_opt *opts, size_t nopts, const char *name,
				   size_t len)
{
	for (size_t i = 0; i < nopts; i++)
		if (name_matches(&opts[i], name, len))
			return &opts[i];
	return NULL;
}

int pxe_opt_apply(const struct pxe_opt *opts, size_t nopts, void *cfg, const char *key,
		  const char *value, struct pxe_err *err)
{
	const struct pxe_opt *o = pxe_opt_find(opts, nopts, key, strlen(key));
	if (!o)
		return -ENOENT;
	return pxe_opt_store(o, cfg, value, err);
}

int pxe_opt_defaults(const struct pxe_opt *opts, size_t nopts, void *cfg, struct pxe_err *err)
{
	for (size_t i = 0; i < nopts; i++) {
		if (!opts[i].def)
			continue;
		int r = pxe_opt_store(&opts[i], cfg, opts[i].def, err);
		if (r < 0)
			return r; /* a bad default is a bug in the table */
	}
	return 0;
}

void pxe_opt_free(const struct pxe_opt *opts, size_t nopts, void *cfg)
{
	for (size_t i = 0; i < nopts; i++)
		pxe_opt_clear(&opts[i], cfg);
}

static void print_duration(FILE *out, long long ms)
{
	if (ms == 0)
		fputs("0", out);
	else if (ms % 86400000 == 0)
		fprintf(out, "%lldd", ms / 86400000);
	else if (ms % 3600000 == 0)
		fprintf(out, "%lldh", ms / 3600000);
	else if (ms % 60000 == 0)
		fprintf(out, "%lldm", ms / 60000);
	else if (ms % 1000 == 0)
		fprintf(out, "%llds", ms / 1000);
	else
		fprintf(out, "%lldms", ms);
}

static void print_size(FILE *out, unsigned long long v)
{
	static const char units[] = "KMGT";
	int u = -1;
	while (v && v % 1024 == 0 && u < 3) {
		v /= 1024;
		u++;
	}
	if (u >= 0)
		fprintf(out, "%llu%c", v, units[u]);
	else
		fprintf(out, "%llu", v);
}

static void print_addr(FILE *out, const struct pxe_sockaddr *a)
{
	char buf[128];
	pxe_addr_format(&a->u.sa, true, buf, sizeof(buf));
	fputs(buf, out);
}

/* Print only the value (no name); lists print their first element. */
static void print_scalar(FILE *out, const struct pxe_opt *o, const void *f)
{
	switch (o->type) {
	case PXE_OPT_STRING: fputs(*(char *const *)f ? *(char *const *)f : "", out); break;
	case PXE_OPT_BOOL: fputs(*(const bool *)f ? "yes" : "no", out); break;
	case PXE_OPT_INT: fprintf(out, "%lld", *(const long long *)f); break;
	case PXE_OPT_SIZE: print_size(out, *(const unsigned long long *)f); break;
	case PXE_OPT_DURATION: print_duration(out, *(const long long *)f); break;
	case PXE_OPT_ADDR: print_addr(out, f); break;
	case PXE_OPT_ENUM: {
		int i = *(const int *)f;
		fputs(o->choices && i >= 0 ? o->choices[i] : "?", out);
		break;
	}
	default: break;
	}
}

/* A hook's values, one "name = value" line each. */
static void print_hook(FILE *out, const struct pxe_opt *o, const void *f)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	o->hook->print(m, f);
	fclose(m);
	const char *sep = "";
	for (char *p = buf, *nl; p && *p; p = nl ? nl + 1 : NULL, sep = "\n") {
		nl = strchr(p, '\n');
		fprintf(out, "%s%s = %.*s", sep, o->name, (int)(nl ? nl - p : (ptrdiff_t)strlen(p)),
			p);
	}
	free(buf);
}

void pxe_opt_print_value(FILE *out, const struct pxe_opt *o, const void *cfg)
{
	const void *f = cfield(cfg, o);
	if (o->type == PXE_OPT_STRLIST) {
		const struct pxe_strlist *l = f;
		for (size_t i = 0; i < l->n; i++)
			fprintf(out, "%s%s = %s", i ? "\n" : "", o->name, l->v[i]);
	} else if (o->type == PXE_OPT_ADDRLIST) {
		const struct pxe_addrlist *l = f;
		for (size_t i = 0; i < l->n; i++) {
			fprintf(out, "%s%s = ", i ? "\n" : "", o->name);
			print_addr(out, &l->v[i]);
		}
	} else if (o->type == PXE_OPT_HOOK) {
		print_hook(out, o, f);
	} else {
		fprintf(out, "%s = ", o->name);
		print_scalar(out, o, f);
	}
}

bool pxe_opt_is_set(const struct pxe_opt *o, const void *cfg)
{
	const void *f = cfield(cfg, o);
	switch (o->type) {
	case PXE_OPT_STRING: return *(char *const *)f != NULL;
	case PXE_OPT_STRLIST: return ((const struct pxe_strlist *)f)->n > 0;
	case PXE_OPT_ADDRLIST: return ((const struct pxe_addrlist *)f)->n > 0;
	case PXE_OPT_ADDR: return ((const struct pxe_sockaddr *)f)->len > 0;
	case PXE_OPT_HOOK: return !o->hook->is_set || o->hook->is_set(f);
	default: return true;
	}
}

/* ------------------------------------------------------- --print-config */

static void print_source(FILE *out, const struct pxe_src *s)
{
	switch (s->kind) {
	case PXE_SRC_DEFAULT: fputs("default", out); break;
	case PXE_SRC_FILE: fprintf(out, "%s:%d", s->file, s->line); break;
	case PXE_SRC_CLI: fputs("command line", out); break;
	case PXE_SRC_UNSET: fputs("unset", out); break;
	case PXE_SRC_DERIVED: fprintf(out, "from %s", s->file); break;
	}
}

/* One "name = value<TAB>; source" line. */
static void print_line(FILE *out, const char *text, bool comment, const struct pxe_opt *o,
		       const struct pxe_src *src)
{
	char line[600];
	snprintf(line, sizeof(line), "%s%s", comment ? "; " : "", text);
	fprintf(out, "%-40s ; ", line);
	print_source(out, src);
	if (o->flags & PXE_OPTF_CLI_ONLY)
		fputs(", command line only", out);
	fputc('\n', out);
}

void pxe_opt_print_lines(FILE *out, const struct pxe_opt *o, const void *cfg,
			 const struct pxe_src *src, bool comment)
{
	if (!pxe_opt_is_set(o, cfg)) {
		char text[128];
		snprintf(text, sizeof(text), "%s =", o->name);
		print_line(out, text, true, o, src);
		return;
	}
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return;
	pxe_opt_print_value(m, o, cfg);
	fclose(m);
	comment = comment || (o->flags & PXE_OPTF_CLI_ONLY);
	char *save = NULL;
	for (char *line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		print_line(out, line, comment, o, src);
	free(buf);
}

/* ------------------------------------------------------- section tables */

int pxe_opt_section_init(const struct pxe_opt_table *t, void *obj, struct pxe_src **src,
			 struct pxe_err *err)
{
	*src = calloc(t->n ? t->n : 1, sizeof(**src));
	if (!*src)
		return pxe_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < t->n; i++)
		(*src)[i].kind = t->opts[i].def ? PXE_SRC_DEFAULT : PXE_SRC_UNSET;
	return pxe_opt_defaults(t->opts, t->n, obj, err);
}

int pxe_opt_section_apply(const struct pxe_opt_table *t, void *obj, struct pxe_src *src,
			  const char *section, const char *key, const char *value,
			  const struct pxe_src *at, struct pxe_err *err)
{
	const struct pxe_opt *o = pxe_opt_find(t->opts, t->n, key, strlen(key));
	if (!o)
		return pxe_opt_unknown_key(t->opts, t->n, PXE_OPTF_HIDDEN, section, key, err);
	struct pxe_err e = {{0}};
	int r = pxe_opt_store(o, obj, value, &e);
	if (r < 0)
		return pxe_err_set(err, -r, "%s: %s", key, e.msg);
	src[o - t->opts] = *at;
	return 0;
}

void pxe_opt_section_print(FILE *out, const struct pxe_opt_table *t, const void *obj,
			   const struct pxe_src *src)
{
	for (size_t i = 0; i < t->n; i++)
		if (src[i].kind != PXE_SRC_UNSET && pxe_opt_is_set(&t->opts[i], obj))
			pxe_opt_print_lines(out, &t->opts[i], obj, &src[i], false);
}

void pxe_opt_section_free(const struct pxe_opt_table *t, void *obj, struct pxe_src *src)
{
	pxe_opt_free(t->opts, t->n, obj);
	free(src);
}

int pxe_opt_section_index(const struct pxe_opt_table *t, const char *key)
{
	const struct pxe_opt *o = pxe_opt_find(t->opts, t->n, key, strlen(key));
	return o ? (int)(o - t->opts) : -1;
}
