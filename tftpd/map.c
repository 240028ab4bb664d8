/* SPDX-License-Identifier: MIT */
/* File name rewrite rules: parse and apply (see map.h). */
#include "map.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Next whitespace-separated field of a line; a backslash escapes a space
 * inside REGEX or REPLACEMENT ("\ "), kept verbatim for the regex. */
static char *field(char **p)
{
	char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s || *s == '#')
		return NULL;
	char *e = s;
	while (*e && *e != ' ' && *e != '\t') {
		if (*e == '\\' && e[1])
			e++;
		e++;
	}
	if (*e)
		*e++ = 0;
	*p = e;
	return s;
}

static int parse_flags(const char *f, bool *icase, bool *deny, bool *rewrite)
{
	for (; *f; f++) {
		switch (*f) {
		case 'r': *rewrite = true; break;
		case 'i': *icase = true; break;
		case 'a': *deny = true; break;
		case 'e': break;
		default: return -EINVAL;
		}
	}
	return (*rewrite == *deny) ? -EINVAL : 0;
}

static int add_rule(struct tftp_map *m, char *line, int lineno, const char *name,
		    struct pxe_err *err)
{
	char *p = line, *flags = field(&p);
	if (!flags)
		return 0;
	char *rx = field(&p), *repl = field(&p);
	bool icase = false, deny = false, rewrite = false;
	if (parse_flags(flags, &icase, &deny, &rewrite) < 0)
		return pxe_err_set(err, EINVAL,
				   "%s:%d: expected flags r, ri, a or ai (and e), got '%s'", name,
				   lineno, flags);
	if (!rx || (rewrite && !repl))
		return pxe_err_set(err, EINVAL, "%s:%d: expected FLAGS REGEX%s", name, lineno,
				   rewrite ? " REPLACEMENT" : "");
	struct tftp_map_rule *v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	m->v = v;
	struct tftp_map_rule *r = &v[m->n];
	int rc = regcomp(&r->re, rx, REG_EXTENDED | (icase ? REG_ICASE : 0));
	if (rc != 0) {
		char msg[128];
		regerror(rc, &r->re, msg, sizeof(msg));
		return pxe_err_set(err, EINVAL, "%s:%d: bad regular expression '%s': %s", name,
				   lineno, rx, msg);
	}
	r->repl = repl ? strdup(repl) : NULL;
	if (repl && !r->repl) {
		regfree(&r->re);
		return -ENOMEM;
	}
	r->deny = deny;
	r->line = lineno;
	m->n++;
	return 0;
}

int tftp_map_parse(struct tftp_map *m, const char *text, const char *name, struct pxe_err *err)
{
	memset(m, 0, sizeof(*m));
	char *copy = strdup(text);
	if (!copy)
		return -ENOMEM;
	int lineno = 0, r = 0;
	for (char *save = NULL, *line = copy; line && r == 0; line = save) {
		save = strchr(line, '\n');
		if (save)
			*save++ = 0;
		lineno++;
		r = add_rule(m, line, lineno, name, err);
	}
	free(copy);
	if (r < 0)
		tftp_map_free(m);
	return r;
}

int tftp_map_load(struct tftp_map *m, const char *path, struct pxe_err *err)
{
	memset(m, 0, sizeof(*m));
	FILE *f = fopen(path, "re");
	if (!f)
		return pxe_err_set(err, errno, "%s: %s", path, strerror(errno));
	char *text = NULL;
	size_t cap = 0;
	ssize_t n = getdelim(&text, &cap, '\0', f);
	fclose(f);
	int r = tftp_map_parse(m, n >= 0 ? text : "", path, err);
	free(text);
	return r;
}

void tftp_map_free(struct tftp_map *m)
{
	for (size_t i = 0; i < m->n; i++) {
		regfree(&m->v[i].re);
		free(m->v[i].repl);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

static int put(char *out, size_t cap, size_t *o, const char *s, size_t n)
{
	if (*o + n >= cap)
		return -ENAMETOOLONG;
	memcpy(out + *o, s, n);
	*o += n;
	return 0;
}

/* Expand the replacement for one match. */
static int expand(const struct tftp_map_rule *r, const char *in, const regmatch_t *pm,
		  const char *ip, char *out, size_t cap, size_t *o)
{
	for (const char *s = r->repl; *s; s++) {
		int rc;
		if (*s != '\\' || !s[1]) {
			rc = put(out, cap, o, s, 1);
		} else if (isdigit((unsigned char)s[1])) {
			const regmatch_t *g = &pm[s[1] - '0'];
			rc = g->rm_so < 0 ? 0
					  : put(out, cap, o, in + g->rm_so,
						(size_t)(g->rm_eo - g->rm_so));
			s++;
		} else if (s[1] == 'i') {
			rc = ip ? put(out, cap, o, ip, strlen(ip)) : 0;
			s++;
		} else {
			rc = put(out, cap, o, s + 1, 1);
			s++;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

int tftp_map_apply(const struct tftp_map *m, const char *in, const char *client_ip, char *out,
		   size_t cap)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct tftp_map_rule *r = &m->v[i];
		regmatch_t pm[10];
		if (regexec(&r->re, in, 10, pm, 0) != 0)
			continue;
		if (r->deny)
			return TFTP_MAP_DENIED;
		size_t o = 0;
		int rc = put(out, cap, &o, in, (size_t)pm[0].rm_so);
		if (rc == 0)
			rc = expand(r, in, pm, client_ip, out, cap, &o);
		if (rc == 0)
			rc = put(out, cap, &o, in + pm[0].rm_eo, strlen(in + pm[0].rm_eo));
		if (rc < 0)
			return rc;
		out[o] = 0;
		return TFTP_MAP_REWRITTEN;
	}
	return TFTP_MAP_NONE;
}
