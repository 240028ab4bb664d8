/* SPDX-License-Identifier: MIT */
/* Tag conditions as OR-of-AND match terms: dnsmasq sets a tag when any of
 * its sources matches (several tag-if lines setting one tag are an OR,
 * each line's tag: list an AND), and a dhcp-boot line needs all its
 * conditions (src/rfc2131.c match_netid). pxesuite's [boot] match is one
 * AND, so each OR branch becomes a section of its own. */
#include <stdio.h>
#include <string.h>

#include "dnsmasq_model.h"
#include "dnsmasq_read.h"

static bool conj_has(const struct dnsm_conj *c, const char *t)
{
	for (int i = 0; i < c->n; i++)
		if (!strcmp(c->term[i], t))
			return true;
	return false;
}

static void negate(char *out, size_t cap, const char *t)
{
	snprintf(out, cap, "%s%s", t[0] == '!' ? "" : "!", t[0] == '!' ? t + 1 : t);
}

/* a AND b into out; false when it can never hold (x and !x) or is too long. */
static bool conj_and(const struct dnsm_conj *a, const struct dnsm_conj *b, struct dnsm_conj *out,
		     bool *overflow)
{
	*out = *a;
	for (int i = 0; i < b->n; i++) {
		char neg[DNSM_TERM_MAX];
		negate(neg, sizeof(neg), b->term[i]);
		if (conj_has(out, neg))
			return false;
		if (conj_has(out, b->term[i]))
			continue;
		if (out->n == DNSM_CONJ_TERMS) {
			*overflow = true;
			return false;
		}
		snprintf(out->term[out->n++], DNSM_TERM_MAX, "%s", b->term[i]);
	}
	return true;
}

static bool subset(const struct dnsm_conj *a, const struct dnsm_conj *b)
{
	for (int i = 0; i < a->n; i++)
		if (!conj_has(b, a->term[i]))
			return false;
	return true;
}

/* Absorption: x OR (x AND y) = x; fewer branches, fewer sections. */
static void absorb(struct dnsm_dnf *d)
{
	for (int i = 0; i < d->n; i++)
		for (int j = 0; j < d->n; j++) {
			if (i == j || !subset(&d->c[j], &d->c[i]))
				continue;
			if (d->c[i].n == d->c[j].n && i < j)
				continue; /* equal: keep the first */
			d->c[i] = d->c[--d->n];
			i = -1;
			break;
		}
}

void dnsm_dnf_and(struct dnsm_dnf *a, const struct dnsm_dnf *b, bool *overflow)
{
	struct dnsm_dnf r;
	struct dnsm_dnf *res = &r;
	res->n = 0;
	for (int i = 0; i < a->n; i++)
		for (int j = 0; j < b->n; j++) {
			if (res->n == DNSM_BRANCHES) {
				*overflow = true;
				continue;
			}
			if (conj_and(&a->c[i], &b->c[j], &res->c[res->n], overflow))
				res->n++;
		}
	absorb(res);
	*a = *res;
}

/* NOT (OR_i AND_j t_ij) = AND_i (OR_j !t_ij). */
static void dnf_not(const struct dnsm_dnf *a, struct dnsm_dnf *out, bool *overflow)
{
	struct dnsm_dnf one;
	out->n = 1;
	out->c[0].n = 0; /* true */
	for (int i = 0; i < a->n; i++) {
		one.n = a->c[i].n;
		for (int j = 0; j < a->c[i].n; j++) {
			one.c[j].n = 1;
			negate(one.c[j].term[0], DNSM_TERM_MAX, a->c[i].term[j]);
		}
		dnsm_dnf_and(out, &one, overflow);
	}
}

static const struct dnsm_tag *find_tag(const struct dnsm_model *m, const char *name)
{
	for (int i = 0; i < m->ntags; i++)
		if (!strcmp(m->tags[i].name, name))
			return &m->tags[i];
	return NULL;
}

int dnsm_conds_dnf(const struct dnsm_model *m, const struct dnsm_conds *cd, struct dnsm_dnf *out)
{
	struct dnsm_dnf t;
	bool overflow = false;
	out->n = 1;
	out->c[0].n = 0;
	for (int i = 0; i < cd->n; i++) {
		bool neg = cd->tag[i][0] == '!';
		const struct dnsm_tag *tag = find_tag(m, cd->tag[i] + neg);
		t.n = 0; /* a tag nothing sets never holds */
		if (tag)
			t = tag->when;
		if (neg) {
			struct dnsm_dnf n;
			dnf_not(&t, &n, &overflow);
			dnsm_dnf_and(out, &n, &overflow);
		} else {
			dnsm_dnf_and(out, &t, &overflow);
		}
	}
	return overflow ? -1 : 0;
}

static struct dnsm_tag *tag_get(struct dnsm_model *m, const char *name)
{
	for (int i = 0; i < m->ntags; i++)
		if (!strcmp(m->tags[i].name, name))
			return &m->tags[i];
	if (m->ntags == DNSM_MAX_ITEMS)
		return NULL;
	struct dnsm_tag *t = &m->tags[m->ntags++];
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->when.n = 0;
	return t;
}

/* Add one way of setting a tag: an OR branch. */
int dnsm_tag_add(struct dnsm_model *m, const struct dnsm_line *l, const char *name,
		 const struct dnsm_conj *c)
{
	struct dnsm_tag *t = tag_get(m, name);
	if (!t || t->when.n == DNSM_BRANCHES) {
		dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT,
			    "not converted: too many ways to set tag %s", name);
		return -1;
	}
	t->when.c[t->when.n++] = *c;
	return 0;
}
