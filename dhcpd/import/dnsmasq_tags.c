/* SPDX-License-Identifier: MIT */
/* The tag sources of a dnsmasq configuration turned into match terms:
 * dhcp-match, dhcp-vendorclass, dhcp-userclass, dhcp-mac, dhcp-host set:
 * and, after all of them as dnsmasq evaluates it, tag-if. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmasq_tags.h"

/* The tag a source line sets: "set:X", "net:X" or, in the oldest form, a
 * bare first field. Returns the index of the first field after it. */
static int set_tag(const struct dnsm_line *l, char *tag, size_t cap)
{
	size_t p;
	if (l->nfields < 1)
		return -1;
	const char *f = l->fields[0];
	if ((p = dnsm_tag_prefix(f, "set")) || (p = dnsm_tag_prefix(f, "net")))
		f += p;
	snprintf(tag, cap, "%s", f);
	return *tag ? 1 : -1;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* "PXEClient:Arch:NNNNN": five decimal digits (RFC 4578 §2.1 as dnsmasq
 * and the firmware write it); hex A/B for ARM never matches. */
static int vendor_arch(const char *v)
{
	static const char pfx[] = "PXEClient:Arch:";
	if (strncmp(v, pfx, sizeof(pfx) - 1))
		return -1;
	const char *d = v + sizeof(pfx) - 1;
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)d[i]))
			return -2;
	return (d[5] == 0 || d[5] == ':') ? atoi(d) : -2;
}

/* dhcp-match=set:T,OPTION[,VALUE]: the term, or "" with *why. */
static void match_term(const char *opt, const char *val, char *term, size_t cap, const char **why)
{
	*term = 0;
	if (!strcmp(opt, "option:client-arch") || !strcmp(opt, "93")) {
		if (val && all_digits(val))
			snprintf(term, cap, "arch:%d", atoi(val));
		else
			*why = "client-arch without a decimal value";
	} else if (!strcmp(opt, "option:vendor-class") || !strcmp(opt, "60")) {
		int a = val ? vendor_arch(val) : -1;
		if (a >= 0)
			snprintf(term, cap, "arch:%d", a);
		else if (a == -2)
			*why = "PXEClient:Arch: needs five decimal digits: this never matches";
		else if (val && *val)
			snprintf(term, cap, "vendor-class:\"%s\"", val);
		else
			*why = "vendor class presence";
	} else if (!strcmp(opt, "175")) {
		if (!val)
			snprintf(term, cap, "ipxe");
		else if (all_digits(val))
			snprintf(term, cap, "ipxe-feature:%d", atoi(val));
		else
			*why = "option 175 with a non-numeric value";
	} else if (!strcmp(opt, "option:user-class") || !strcmp(opt, "77")) {
		if (val && *val)
			snprintf(term, cap, "user-class:\"%s\"", val);
		else
			*why = "user class presence";
	} else {
		*why = "no match term tests this option";
	}
}

/* dhcp-mac=set:T,b8:27:eb:*:*:*: wildcards only at the end -> mac:PREFIX. */
static void mac_term(const char *v, char *term, size_t cap, const char **why)
{
	char pre[32] = "";
	int bytes = 0;
	bool wild = false;
	for (const char *p = v; *p;) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n == 1 && *p == '*') {
			wild = true;
		} else if (wild || n != 2 || !isxdigit((unsigned char)p[0]) ||
			   !isxdigit((unsigned char)p[1]) || bytes == 6) {
			*why = "a MAC pattern with wildcards not only at the end";
			return;
		} else {
			snprintf(pre + strlen(pre), sizeof(pre) - strlen(pre), "%s%.2s",
				 bytes ? ":" : "", p);
			bytes++;
		}
		p += n + (e ? 1 : 0);
		if (!e)
			break;
	}
	if (!bytes) {
		*why = "a MAC pattern of wildcards only";
		return;
	}
	snprintf(term, cap, "mac:%s", pre);
}

static int source(struct dnsm_model *m, const struct dnsm_line *l)
{
	char tag[64], term[DNSM_TERM_MAX];
	const char *why = NULL;
	int i = set_tag(l, tag, sizeof(tag));
	if (i < 0 || i >= l->nfields) {
		dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT,
			    "not converted: %s needs a tag and a value", l->name);
		return 0;
	}
	const char *v = l->fields[i];
	if (!strcmp(l->name, "dhcp-match"))
		match_term(v, i + 1 < l->nfields ? l->fields[i + 1] : NULL, term, sizeof(term),
			   &why);
	else if (!strncmp(v, "enterprise:", 11))
		why = "an enterprise number (DHCPv6)";
	else if (!strcmp(l->name, "dhcp-vendorclass"))
		snprintf(term, sizeof(term), "vendor-class:\"%s\"", v);
	else if (!strcmp(l->name, "dhcp-userclass"))
		snprintf(term, sizeof(term), "user-class:\"%s\"", v);
	else
		mac_term(v, term, sizeof(term), &why);
	if (why) {
		dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT, "not converted: %s (tag %s)", why,
			    tag);
		return 0;
	}
	if (!strcmp(l->name, "dhcp-vendorclass") && strncmp(v, "PXEClient", 9) &&
	    strncmp(v, "HTTPClient", 10))
		dnsm_report(m->conf, &l->at, DNSM_WARN,
			    "dnsmasq matches vendor class %s anywhere in option 60, "
			    "pxesuite at its start",
			    v);
	struct dnsm_conj c = {.n = 1};
	snprintf(c.term[0], DNSM_TERM_MAX, "%s", term);
	return dnsm_tag_add(m, l, tag, &c);
}

static int tag_if(struct dnsm_model *m, const struct dnsm_line *l)
{
	struct dnsm_conds cd = {0};
	char set[DNSM_CONDS][64];
	int nset = 0;
	for (int i = 0; i < l->nfields; i++) {
		const char *f = l->fields[i];
		size_t p;
		if ((p = dnsm_tag_prefix(f, "set")) && nset < DNSM_CONDS) {
			snprintf(set[nset++], 64, "%s", f + p);
		} else if (((p = dnsm_tag_prefix(f, "tag")) || (p = dnsm_tag_prefix(f, "net"))) &&
			   cd.n < DNSM_CONDS) {
			const char *t = f + p;
			if (strchr(t, '*')) {
				dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT,
					    "not converted: wildcard tag %s", t);
				return 0;
			}
			snprintf(cd.tag[cd.n++], 64, "%s%s", *t == '#' ? "!" : "", t + (*t == '#'));
		} else {
			dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT,
				    "not converted: tag-if field %s", f);
			return 0;
		}
	}
	struct dnsm_dnf *d = malloc(sizeof(*d));
	if (!d)
		return -1;
	if (dnsm_conds_dnf(m, &cd, d) < 0)
		dnsm_report(m->conf, &l->at, DNSM_DROP_BOOT,
			    "not converted: tag-if expands to too many branches");
	for (int s = 0; s < nset; s++)
		for (int b = 0; b < d->n; b++)
			dnsm_tag_add(m, l, set[s], &d->c[b]);
	free(d);
	return 0;
}

int dnsm_tags_build(struct dnsm_model *m)
{
	static const char *const sources[] = {"dhcp-match", "dhcp-vendorclass", "dhcp-userclass",
					      "dhcp-mac"};
	struct dnsm_conf *c = m->conf;
	for (size_t i = 0; i < c->n; i++)
		for (size_t s = 0; s < sizeof(sources) / sizeof(sources[0]); s++)
			if (!strcmp(c->lines[i]->name, sources[s]) && source(m, c->lines[i]) < 0)
				return -1;
	/* dnsmasq evaluates tag-if after every other source, in file order */
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->lines[i]->name, "tag-if") && tag_if(m, c->lines[i]) < 0)
			return -1;
	return 0;
}
