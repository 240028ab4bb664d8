/* SPDX-License-Identifier: MIT */
/* The reference evaluator: see dnsmasq_eval.h. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmasq_eval.h"

#define MAX_TAGS 64

struct tagset {
	int n;
	char tag[MAX_TAGS][64];
};

static bool has(const struct tagset *t, const char *name)
{
	for (int i = 0; i < t->n; i++)
		if (!strcmp(t->tag[i], name))
			return true;
	return false;
}

static void set(struct tagset *t, const char *name)
{
	if (!has(t, name) && t->n < MAX_TAGS)
		snprintf(t->tag[t->n++], sizeof(t->tag[0]), "%s", name);
}

/* "tag:x" / "net:x" / "set:x": the name after the prefix, else NULL. */
static const char *after(const char *f, const char *prefix)
{
	size_t n = dnsm_tag_prefix(f, prefix);
	return n ? f + n : NULL;
}

/* src/rfc2131.c match_netid: every condition holds; '!' and '#' negate. */
static bool conds_hold(const struct dnsm_line *l, int *next, const struct tagset *t)
{
	bool ok = true;
	int i = 0;
	for (; i < l->nfields; i++) {
		const char *c = after(l->fields[i], "tag");
		if (!c)
			c = after(l->fields[i], "net");
		if (!c)
			break;
		bool neg = *c == '!' || *c == '#';
		if (has(t, c + neg) == neg)
			ok = false;
	}
	*next = i;
	return ok;
}

static bool mac_match(const char *pat, const uint8_t *mac)
{
	for (int i = 0; i < 6; i++) {
		if (pat[0] == '*') {
			pat++;
		} else {
			char *end;
			long b = strtol(pat, &end, 16);
			if (end == pat || b != mac[i])
				return false;
			pat = end;
		}
		if (i < 5 && *pat++ != ':')
			return false;
	}
	return *pat == 0;
}

/* dhcp-match=set:T,OPT[,VALUE]: the value is a prefix of the option. */
static bool opt_match(const char *opt, const char *val, const struct dnsm_persona *p)
{
	if (!strcmp(opt, "option:client-arch") || !strcmp(opt, "93"))
		return p->arch >= 0 && (!val || atoi(val) == p->arch);
	if (!strcmp(opt, "option:vendor-class") || !strcmp(opt, "60"))
		return p->vendor_class && (!val || !strncmp(p->vendor_class, val, strlen(val)));
	if (!strcmp(opt, "option:user-class") || !strcmp(opt, "77"))
		return p->user_class && (!val || !strncmp(p->user_class, val, strlen(val)));
	if (!strcmp(opt, "175")) {
		if (!val)
			return p->has_175;
		for (int i = 0; i < p->nfeatures; i++)
			if (p->features[i] == atoi(val))
				return p->has_175;
	}
	return false;
}

static const char *set_name(const struct dnsm_line *l)
{
	const char *s = l->nfields ? after(l->fields[0], "set") : NULL;
	if (!s && l->nfields)
		s = after(l->fields[0], "net");
	return s ? s : (l->nfields ? l->fields[0] : "");
}

static void source(const struct dnsm_line *l, const struct dnsm_persona *p, struct tagset *t)
{
	const char *v = l->nfields > 1 ? l->fields[1] : NULL;
	bool hit = false;
	if (!v)
		return;
	if (!strcmp(l->name, "dhcp-match"))
		hit = opt_match(v, l->nfields > 2 ? l->fields[2] : NULL, p);
	else if (!strcmp(l->name, "dhcp-vendorclass")) /* a substring, anywhere */
		hit = p->vendor_class && strstr(p->vendor_class, v);
	else if (!strcmp(l->name, "dhcp-userclass"))
		hit = p->user_class && strstr(p->user_class, v);
	else if (!strcmp(l->name, "dhcp-mac"))
		hit = mac_match(v, p->mac);
	if (hit)
		set(t, set_name(l));
}

static void host(const struct dnsm_line *l, const struct dnsm_persona *p, struct tagset *t)
{
	bool me = false;
	for (int i = 0; i < l->nfields; i++)
		me |= strchr(l->fields[i], ':') && !after(l->fields[i], "set") &&
		      !after(l->fields[i], "net") && mac_match(l->fields[i], p->mac);
	if (!me)
		return;
	set(t, "known");
	for (int i = 0; i < l->nfields; i++) {
		const char *s = after(l->fields[i], "set");
		if (!s)
			s = after(l->fields[i], "net");
		if (s)
			set(t, s);
	}
}

static void tags(const struct dnsm_conf *c, const struct dnsm_persona *p, struct tagset *t)
{
	for (size_t i = 0; i < c->n; i++) {
		const struct dnsm_line *l = c->lines[i];
		if (!strcmp(l->name, "dhcp-host"))
			host(l, p, t);
		else if (!strcmp(l->name, "dhcp-range") && l->nfields && after(l->fields[0], "set"))
			set(t, after(l->fields[0], "set"));
		else
			source(l, p, t);
	}
	for (size_t i = 0; i < c->n; i++) { /* tag-if last, in order */
		const struct dnsm_line *l = c->lines[i];
		if (strcmp(l->name, "tag-if"))
			continue;
		bool ok = true;
		for (int f = 0; f < l->nfields; f++) {
			const char *cnd = after(l->fields[f], "tag");
			if (cnd && (has(t, cnd + (*cnd == '!' || *cnd == '#')) ==
				    (*cnd == '!' || *cnd == '#')))
				ok = false;
		}
		for (int f = 0; f < l->nfields && ok; f++)
			if (after(l->fields[f], "set"))
				set(t, after(l->fields[f], "set"));
	}
}

void dnsm_eval(const struct dnsm_conf *c, const struct dnsm_persona *p, struct dnsm_decision *d)
{
	struct tagset t = {0};
	memset(d, 0, sizeof(*d));
	tags(c, p, &t);
	/* find_boot: the list is in reverse file order; first pass tagged
	 * lines, second pass any line (only untagged ones can be left) */
	for (int pass = 0; pass < 2 && !d->boot; pass++)
		for (size_t i = c->n; i-- > 0 && !d->boot;) {
			const struct dnsm_line *l = c->lines[i];
			int next;
			if (strcmp(l->name, "dhcp-boot") || !conds_hold(l, &next, &t))
				continue;
			if ((pass == 0) != (next > 0) || next >= l->nfields)
				continue;
			d->boot = l;
			snprintf(d->file, sizeof(d->file), "%s", l->fields[next]);
			if (next + 2 < l->nfields)
				snprintf(d->server, sizeof(d->server), "%s", l->fields[next + 2]);
		}
}
