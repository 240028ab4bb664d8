/* SPDX-License-Identifier: MIT */
/* The dnsmasq reader: see dnsmasq_read.h. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmasq_fs.h"
#include "dnsmasq_read.h"

void dnsm_conf_init(struct dnsm_conf *c, dnsm_diag_fn *diag, void *ctx)
{
	memset(c, 0, sizeof(*c));
	c->diag = diag;
	c->diag_ctx = ctx;
}

void dnsm_conf_free(struct dnsm_conf *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	for (int i = 0; i < c->depth; i++)
		free(c->stack[i]);
	c->lines = NULL;
	c->n = c->cap = 0;
}

void dnsm_report(struct dnsm_conf *c, const struct dnsm_where *at, enum dnsm_level lv,
		 const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (lv == DNSM_DROP_BOOT)
		c->dropped_boot = true;
	if (c->diag)
		c->diag(c->diag_ctx, at, lv, msg);
}

/* Keep l (taken over: fields point into it). */
static int push(struct dnsm_conf *c, struct dnsm_line *l)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct dnsm_line **m = realloc(c->lines, cap * sizeof(*m));
		if (!m)
			return -ENOMEM;
		c->lines = m;
		c->cap = cap;
	}
	c->lines[c->n++] = l;
	return 0;
}

/* What kind of lines a file holds: whole options, or the values of one
 * option (a hosts file's lines are dhcp-host values). */
enum file_kind { KIND_CONF, KIND_HOSTS, KIND_OPTS, KIND_ETHERS };

static int read_kind(struct dnsm_conf *c, const struct dnsm_where *from, const char *path,
		     enum file_kind kind);

/* /etc/ethers: "MAC NAME-OR-ADDRESS" (ethers(5)); dnsmasq makes each a
 * dhcp-host (src/dhcp-common.c dhcp_read_ethers). */
static int ethers_line(const char *t, size_t len, char *out, size_t cap)
{
	char mac[64], id[256];
	char line[DNSM_LINE_MAX];
	snprintf(line, sizeof(line), "%.*s", (int)len, t);
	char *hash = strchr(line, '#');
	if (hash)
		*hash = 0;
	if (sscanf(line, "%63s %255s", mac, id) != 2)
		return 0;
	snprintf(out, cap, "dhcp-host=%s,%s", mac, id);
	return 1;
}

/* One physical line of a file of the given kind. */
static int one_line(struct dnsm_conf *c, const char *file, int lineno, const char *t, size_t len,
		    enum file_kind kind);

static int read_text_kind(struct dnsm_conf *c, const char *name, const char *text, size_t len,
			  int kind)
{
	int lineno = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
		int r = one_line(c, name, ++lineno, text + i, n, (enum file_kind)kind);
		if (r < 0)
			return r;
		i += n + 1;
	}
	return 0;
}

int dnsm_read_text(struct dnsm_conf *c, const char *name, const char *text, size_t len)
{
	return read_text_kind(c, name, text, len, KIND_CONF);
}

static int include_dir(struct dnsm_conf *c, const struct dnsm_line *l, enum file_kind kind)
{
	char **names;
	int n = dnsm_fs_dir(l->fields[0], l->fields + 1, l->nfields - 1, &names);
	if (n < 0) {
		dnsm_report(c, &l->at, DNSM_DROP_BOOT,
			    "not converted: cannot read directory %s: %s", l->fields[0],
			    strerror(-n));
		return 0;
	}
	int r = 0;
	for (int i = 0; i < n && r >= 0; i++)
		r = read_kind(c, &l->at, names[i], kind);
	dnsm_fs_names_free(names, n);
	return r;
}

/* The options that name other files: 1 when l was one of them. */
static int follow(struct dnsm_conf *c, const struct dnsm_line *l, int *r)
{
	static const struct {
		const char *name;
		enum file_kind kind;
		bool dir;
	} inc[] = {
		{"conf-file", KIND_CONF, false},       {"conf-dir", KIND_CONF, true},
		{"dhcp-hostsfile", KIND_HOSTS, false}, {"dhcp-hostsdir", KIND_HOSTS, true},
		{"dhcp-optsfile", KIND_OPTS, false},   {"dhcp-optsdir", KIND_OPTS, true},
		{"read-ethers", KIND_ETHERS, false},
	};
	for (size_t i = 0; i < sizeof(inc) / sizeof(inc[0]); i++) {
		if (strcmp(l->name, inc[i].name))
			continue;
		const char *path = l->nfields && l->fields[0][0] ? l->fields[0] : NULL;
		if (inc[i].kind == KIND_ETHERS)
			path = c->ethers_path ? c->ethers_path : "/etc/ethers";
		if (!path) { /* bare conf-file: dnsmasq's default file */
			dnsm_report(c, &l->at, DNSM_NOTE, "%s without a file: ignored", l->name);
			return 1;
		}
		if (c->no_fs) {
			dnsm_report(c, &l->at, DNSM_DROP_BOOT, "not converted: %s not followed",
				    l->name);
			return 1;
		}
		if (inc[i].dir && inc[i].kind == KIND_CONF) {
			*r = include_dir(c, l, inc[i].kind);
		} else if (inc[i].dir) {
			struct dnsm_line d = *l; /* hostsdir/optsdir take no filters */
			d.nfields = 1;
			*r = include_dir(c, &d, inc[i].kind);
		} else {
			*r = read_kind(c, &l->at, path, inc[i].kind);
		}
		return 1;
	}
	return 0;
}

static int one_line(struct dnsm_conf *c, const char *file, int lineno, const char *t, size_t len,
		    enum file_kind kind)
{
	static const char *const prefix[] = {"", "dhcp-host=", "dhcp-option=", ""};
	char text[DNSM_LINE_MAX + 32], err[DNSM_LINE_MAX + 64];
	if (kind == KIND_ETHERS) {
		if (!ethers_line(t, len, text, sizeof(text)))
			return 0;
	} else {
		size_t b = strspn(t, " \t\r");
		if (kind != KIND_CONF && (b >= len || t[b] == '#' || t[b] == '\n'))
			return 0; /* a blank or comment line of a hosts/opts file */
		snprintf(text, sizeof(text), "%s%.*s", prefix[kind], (int)len, t);
	}
	struct dnsm_line *l = malloc(sizeof(*l));
	if (!l)
		return -ENOMEM;
	int r = dnsm_lex(text, strlen(text), file, lineno, l, err, sizeof(err));
	if (r < 0) {
		struct dnsm_where at = {.line = lineno};
		snprintf(at.file, sizeof(at.file), "%s", file);
		/* dnsmasq itself would refuse to start on this line */
		const char *what = strchr(err + strlen(file) + 1, ':');
		dnsm_report(c, &at, DNSM_DROP_BOOT, "not converted:%s", what ? what + 1 : err);
		r = 0;
	} else if (r > 0 && !follow(c, l, &r)) {
		if ((r = push(c, l)) == 0)
			return 0; /* kept */
	}
	free(l);
	return r < 0 ? r : 0;
}

static int read_kind(struct dnsm_conf *c, const struct dnsm_where *from, const char *path,
		     enum file_kind kind)
{
	char *real = strcmp(path, "-") ? realpath(path, NULL) : strdup("-");
	int r = real ? 0 : -errno;
	for (int i = 0; real && i < c->depth; i++)
		if (strcmp(real, "-") && !strcmp(c->stack[i], real))
			r = -ELOOP;
	if (!r && c->depth == DNSM_INCLUDE_DEPTH)
		r = -ELOOP;
	char *text = NULL;
	size_t len = 0;
	if (!r)
		r = dnsm_fs_slurp(path, &text, &len);
	if (r < 0) {
		struct dnsm_where top = {.line = 0};
		snprintf(top.file, sizeof(top.file), "%s", path);
		dnsm_report(c, from ? from : &top, DNSM_DROP_BOOT, "not converted: %s: %s", path,
			    r == -ELOOP ? "included from itself (an include loop)" : strerror(-r));
		free(real);
		return from ? 0 : r;
	}
	c->stack[c->depth++] = real;
	r = read_text_kind(c, path, text, len, kind);
	free(c->stack[--c->depth]);
	free(text);
	return r;
}

int dnsm_read_path(struct dnsm_conf *c, const char *path)
{
	return read_kind(c, NULL, path, KIND_CONF);
}
