/* SPDX-License-Identifier: MIT */
/* The pxesuite.conf writer: see dnsmasq_write.h. dnsmasq's precedence
 * (src/rfc2131.c find_boot): dhcp-boot lines are kept in a list built by
 * prepending, the first pass takes the first line with at least one tag
 * condition whose conditions all hold, the second the first untagged one;
 * so the last matching tagged line in the file wins, and the last untagged
 * line is the catch-all. pxesuite tries [boot] sections first to last, so
 * tagged lines are written last-first, then the untagged one. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dnsmasq_write.h"

#define REPORT(m, l, lv, ...) dnsm_report((m)->conf, &(l)->at, lv, __VA_ARGS__)

struct writer {
	const struct dnsm_model *m;
	FILE *out;
	bool proxy;
	bool *opt_used; /* per m->opts: reached some [boot] section */
	bool arch7, arch9;
	const struct dnsm_line *arch7_src;
	int nsections;
};

static void src_comment(struct writer *w, const struct dnsm_line *l)
{
	fprintf(w->out, "# %s:%d: %s\n", l->at.file, l->at.line, l->text);
}

static void key(struct writer *w, const struct dnsm_line *l, const char *k, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void key(struct writer *w, const struct dnsm_line *l, const char *k, const char *fmt, ...)
{
	if (l)
		src_comment(w, l);
	fprintf(w->out, "%s = ", k);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(w->out, fmt, ap);
	va_end(ap);
	fputc('\n', w->out);
}

static void write_dhcpd(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	int proxy = 0, real = 0;
	for (int i = 0; i < m->nranges; i++)
		m->ranges[i].kind == DNSM_RANGE_PROXY ? proxy++ : real++;
	w->proxy = proxy && !real;
	fprintf(w->out, "[dhcpd]\n");
	if (w->proxy)
		key(w, m->ranges[0].src, "mode", "proxy");
	for (int i = 0; i < m->nranges && proxy && real; i++)
		if (m->ranges[i].kind == DNSM_RANGE_PROXY)
			REPORT(m, m->ranges[i].src, DNSM_DROP_BOOT,
			       "not converted: a proxy range beside address ranges (pxe-dhcpd runs "
			       "one mode); and a proxy range on a subnet this server also serves "
			       "answers every client twice");
	for (int i = 0; i < m->ndhcpd; i++)
		key(w, m->dhcpd[i].src, m->dhcpd[i].key, "%s", m->dhcpd[i].value);
	fputc('\n', w->out);
}

static bool opt_tagged(const struct dnsm_opt *o)
{
	return o->conds.n > 0;
}

static void subnet_option(struct writer *w, const struct dnsm_opt *o)
{
	char v[sizeof(o->value)];
	snprintf(v, sizeof(v), "%s", o->value);
	if ((o->code == 3 || o->code == 6) && o->empty) {
		/* dnsmasq's way to send none; pxe-dhcpd sends none unless told */
		src_comment(w, o->src);
		fprintf(w->out, "# (no %s key: pxe-dhcpd sends option %d only when one is set)\n",
			o->code == 3 ? "router" : "dns", o->code);
	} else if (o->code == 3 || o->code == 6) { /* lists are blank-separated here */
		for (char *p = v; *p; p++)
			if (*p == ',')
				*p = ' ';
		key(w, o->src, o->code == 3 ? "router" : "dns", "%s", v);
	} else if (o->code == 15) {
		key(w, o->src, "domain-name", "%s", v);
	} else if (o->empty) {
		REPORT(w->m, o->src, DNSM_DROP, "not converted: an empty option %d", o->code);
	} else {
		key(w, o->src, "option", "%d:%s", o->code, v);
	}
}

static void write_subnets(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	for (int i = 0; i < m->nranges; i++) {
		const struct dnsm_range *r = &m->ranges[i];
		bool first = true;
		for (int j = 0; j < i; j++)
			first &= strcmp(m->ranges[j].cidr, r->cidr) != 0;
		if (!first)
			continue;
		fprintf(w->out, "[subnet %s]\n", r->cidr);
		for (int j = i; j < m->nranges; j++) {
			const struct dnsm_range *s = &m->ranges[j];
			if (strcmp(s->cidr, r->cidr))
				continue;
			if (s->kind == DNSM_RANGE_NORMAL && s->end[0])
				key(w, s->src, "range", "%s-%s", s->start, s->end);
			if (s->lease[0])
				key(w, s->src, "lease-time", "%s", s->lease);
		}
		bool router = false;
		for (int j = 0; j < m->nopts && !w->proxy; j++) {
			if (!opt_tagged(&m->opts[j]) && !m->opts[j].force)
				subnet_option(w, &m->opts[j]);
			router |= m->opts[j].code == 3 && !opt_tagged(&m->opts[j]);
		}
		/* dnsmasq sends its own address on the subnet as the router when
		 * no dhcp-option=3 says otherwise; that address is not in its
		 * configuration, so it can only be named here */
		if (!router && !w->proxy && r->kind != DNSM_RANGE_PROXY) {
			fprintf(w->out,
				"# router = ADDR  ; dnsmasq sent this host's address on %s as\n"
				"#                 the router (option 3); set it if clients need "
				"it\n",
				r->cidr);
			REPORT(m, r->src, DNSM_NOTE,
			       "dnsmasq sends its own address as the router here (no "
			       "dhcp-option=3): the output names the router key to set");
		}
		fputc('\n', w->out);
	}
	for (int j = 0; j < m->nopts && w->proxy; j++)
		if (!opt_tagged(&m->opts[j]) && !m->opts[j].force)
			REPORT(m, m->opts[j].src, DNSM_NOTE,
			       "dnsmasq's proxy replies carry no such options; left out");
}

static void write_hosts(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	for (int i = 0; i < m->nhosts; i++) {
		const struct dnsm_host *h = &m->hosts[i];
		bool unique = h->name[0] != 0;
		for (int j = 0; j < i && unique; j++)
			unique = strcmp(m->hosts[j].name, h->name) != 0;
		if (unique)
			fprintf(w->out, "[host %s]\n", h->name);
		else
			fprintf(w->out, "[host %s-%d]\n", h->name[0] ? h->name : "line",
				h->src->at.line);
		key(w, h->src, "mac", "%s", h->mac);
		if (h->ip[0])
			key(w, NULL, "address", "%s", h->ip);
		if (h->name[0])
			key(w, NULL, "hostname", "%s", h->name);
		if (h->lease[0])
			key(w, NULL, "lease-time", "%s", h->lease);
		if (h->ignore)
			key(w, NULL, "ignore", "yes");
		fputc('\n', w->out);
	}
}

static bool implies(const struct dnsm_conj *b, const struct dnsm_conj *o)
{
	for (int i = 0; i < o->n; i++) {
		bool found = false;
		for (int j = 0; j < b->n && !found; j++)
			found = !strcmp(b->term[j], o->term[i]);
		if (!found)
			return false;
	}
	return true;
}

static void note_arch(struct writer *w, const char *term, const struct dnsm_line *l)
{
	if (!strcmp(term, "arch:7") && !w->arch7) {
		w->arch7 = true;
		w->arch7_src = l;
	}
	w->arch9 |= !strcmp(term, "arch:9");
}

static void section_head(struct writer *w, const struct dnsm_line *l, const char *name, int branch,
			 const struct dnsm_conj *c, int arch)
{
	/* numbered: two files may both have a line 12 */
	fprintf(w->out, "[boot %s-%d]\n", name, ++w->nsections);
	(void)branch;
	src_comment(w, l);
	/* dnsmasq's proxy answers only option 60 PXEClient (src/rfc2131.c:
	 * the proxy path is taken for PXE clients only) */
	if (!c->n && arch < 0 && !w->proxy)
		return;
	fprintf(w->out, "match =");
	if (w->proxy)
		fprintf(w->out, " pxe");
	if (arch >= 0) {
		char t[32];
		snprintf(t, sizeof(t), "arch:%d", arch);
		note_arch(w, t, l);
		fprintf(w->out, " %s", t);
	}
	for (int i = 0; i < c->n; i++) {
		note_arch(w, c->term[i], l);
		fprintf(w->out, " %s", c->term[i]);
	}
	fputc('\n', w->out);
}

/* The options whose tag conditions this section's match implies: dnsmasq
 * sends a tagged option to every client with those tags, pxesuite an
 * option of a [boot] section to that section's clients. */
static int section_opts(struct writer *w, const struct dnsm_conj *c)
{
	const struct dnsm_model *m = w->m;
	struct dnsm_dnf *d = malloc(sizeof(*d));
	if (!d)
		return -1;
	for (int i = 0; i < m->nopts; i++) {
		const struct dnsm_opt *o = &m->opts[i];
		bool hit = !opt_tagged(o) && o->force;
		if (opt_tagged(o) && dnsm_conds_dnf(m, &o->conds, d) == 0)
			for (int b = 0; b < d->n && !hit; b++)
				hit = implies(c, &d->c[b]);
		if (!hit || o->empty)
			continue;
		w->opt_used[i] = true;
		/* dhcp-option-force is plain option here: pxe-dhcpd sends every
		 * configured option whether the client asked for it or not */
		key(w, o->src, "option", "%d:%s", o->code, o->value);
	}
	free(d);
	return 0;
}

static int boot_body(struct writer *w, const struct dnsm_boot *b, const struct dnsm_conj *c)
{
	if (!b->pxe_service)
		key(w, NULL, "file", "%s", b->file);
	if (b->sname[0])
		key(w, NULL, "server-name", "%s", b->sname);
	if (b->server[0])
		key(w, NULL, "next-server", "%s", b->server);
	if (!b->pxe_service && !w->proxy) {
		/* dnsmasq's reply to a dhcp-boot client carries no option 43
		 * and no option 60 unless a pxe-service serves it */
		key(w, NULL, "option43", "never");
		key(w, NULL, "option60", "never");
	}
	key(w, NULL, "rpi", "no"); /* dnsmasq has no Raspberry Pi treatment */
	return section_opts(w, c);
}

/* dhcp-boot: tagged lines last-first, then the last untagged line. */
static int write_dhcp_boot(struct writer *w, bool tagged)
{
	const struct dnsm_model *m = w->m;
	struct dnsm_dnf *d = malloc(sizeof(*d));
	bool catchall = false;
	if (!d)
		return -1;
	for (int i = m->nboots - 1; i >= 0; i--) {
		const struct dnsm_boot *b = &m->boots[i];
		if (b->pxe_service || (b->conds.n > 0) != tagged)
			continue;
		if (!tagged && catchall) {
			REPORT(m, b->src, DNSM_NOTE,
			       "never used by dnsmasq: a later untagged dhcp-boot takes "
			       "precedence");
			continue;
		}
		catchall = !tagged;
		if (dnsm_conds_dnf(m, &b->conds, d) < 0)
			REPORT(m, b->src, DNSM_DROP_BOOT,
			       "not converted: its tags expand to too many sections");
		if (d->n == 0)
			REPORT(m, b->src, DNSM_NOTE,
			       "never matches: a tag it needs is set by no imported line");
		for (int k = 0; k < d->n; k++) {
			section_head(w, b->src, "boot", k, &d->c[k], -1);
			if (boot_body(w, b, &d->c[k]) < 0)
				break;
			fputc('\n', w->out);
		}
	}
	free(d);
	return 0;
}

static bool same_group(const struct dnsm_boot *a, const struct dnsm_boot *b)
{
	if (a->csa != b->csa || a->conds.n != b->conds.n)
		return false;
	for (int i = 0; i < a->conds.n; i++)
		if (strcmp(a->conds.tag[i], b->conds.tag[i]))
			return false;
	return true;
}

/* In proxy mode dnsmasq also runs find_boot for a menu's client and puts
 * that dhcp-boot's server in siaddr (src/rfc2131.c, the proxy path): the
 * tagged lines last-first whose tags the menu's match implies, else the
 * last untagged one. NULL when none applies. */
static const struct dnsm_boot *proxy_boot_for(struct writer *w, const struct dnsm_conj *c)
{
	const struct dnsm_model *m = w->m;
	const struct dnsm_boot *untagged = NULL;
	struct dnsm_dnf *d = malloc(sizeof(*d));
	if (!d)
		return NULL;
	for (int i = m->nboots - 1; i >= 0; i--) {
		const struct dnsm_boot *b = &m->boots[i];
		if (b->pxe_service)
			continue;
		if (b->conds.n == 0) {
			if (!untagged)
				untagged = b;
			continue;
		}
		if (dnsm_conds_dnf(m, &b->conds, d) < 0)
			continue;
		for (int k = 0; k < d->n; k++)
			if (implies(c, &d->c[k])) {
				free(d);
				return b;
			}
	}
	free(d);
	return untagged;
}

/* The pxe-service lines of one CSA and one tag set: one menu. */
static void pxe_menu(struct writer *w, int first, const struct dnsm_conj *c)
{
	const struct dnsm_model *m = w->m;
	const struct dnsm_boot *b0 = &m->boots[first];
	int n = 0;
	for (int i = first; i < m->nboots; i++)
		n += m->boots[i].pxe_service && same_group(b0, &m->boots[i]);
	section_head(w, b0->src, "pxe", 0, c, b0->csa);
	/* src/rfc2131.c pxe_uefi_workaround: a UEFI client with exactly one
	 * service gets its file straight away (arch >= 6: UEFI) */
	if (n == 1 && b0->csa >= 6 && b0->file[0]) {
		key(w, NULL, "file", "%s", b0->file);
	} else {
		int items = 0;
		for (int i = first; i < m->nboots; i++) {
			const struct dnsm_boot *b = &m->boots[i];
			if (!b->pxe_service || !same_group(b0, b))
				continue;
			if (++items > 16) {
				REPORT(m, b->src, DNSM_DROP_BOOT,
				       "not converted: more than 16 menu items for one CSA");
				continue;
			}
			key(w, i == first ? NULL : b->src, "menu-item", "%s %s",
			    b->file[0] ? b->file : "local", b->menu);
		}
		if (m->prompt_src)
			key(w, m->prompt_src, "menu-prompt", "%s", m->prompt);
	}
	const struct dnsm_boot *db = w->proxy && !b0->server[0] ? proxy_boot_for(w, c) : NULL;
	if (b0->server[0])
		key(w, NULL, "next-server", "%s", b0->server);
	else if (db && db->server[0])
		key(w, db->src, "next-server", "%s", db->server);
	key(w, NULL, "rpi", "no");
	section_opts(w, c);
	fputc('\n', w->out);
}

static int write_pxe_services(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	struct dnsm_dnf *d = malloc(sizeof(*d));
	if (!d)
		return -1;
	for (int i = 0; i < m->nboots; i++) {
		const struct dnsm_boot *b = &m->boots[i];
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = m->boots[j].pxe_service && same_group(&m->boots[j], b);
		if (!b->pxe_service || seen)
			continue;
		if (!w->proxy)
			REPORT(m, b->src, DNSM_WARN,
			       "pxe-service on a range that is not a proxy range: dnsmasq answers "
			       "with a PXE menu beside the address, which UEFI firmware often "
			       "fails on (ltsp/ltsp#415); imported as dnsmasq does it");
		if (dnsm_conds_dnf(m, &b->conds, d) < 0)
			REPORT(m, b->src, DNSM_DROP_BOOT,
			       "not converted: its tags expand to too many sections");
		for (int k = 0; k < d->n; k++)
			pxe_menu(w, i, &d->c[k]);
	}
	free(d);
	return 0;
}

static void write_tftpd(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	if (!m->enable_tftp && !m->ntftpd)
		return;
	fprintf(w->out, "# pxe-tftpd: put these lines in its configuration (tftpd.conf);\n"
			"# pxe-dhcpd's file takes no [tftpd] section.\n");
	if (!m->enable_tftp)
		fprintf(w->out, "# (dnsmasq had tftp-* settings without enable-tftp: its TFTP "
				"server was another program)\n");
	fprintf(w->out, "# [tftpd]\n");
	for (int i = 0; i < m->ntftpd; i++)
		fprintf(w->out, "# %s:%d: %s\n# %s = %s\n", m->tftpd[i].src->at.file,
			m->tftpd[i].src->at.line, m->tftpd[i].src->text, m->tftpd[i].key,
			m->tftpd[i].value);
}

static void unused_options(struct writer *w)
{
	const struct dnsm_model *m = w->m;
	for (int i = 0; i < m->nopts; i++) {
		const struct dnsm_opt *o = &m->opts[i];
		if (w->opt_used[i] || (!opt_tagged(o) && !o->force))
			continue;
		bool boot = o->code == 43 || o->code == 60 || o->code == 66 || o->code == 67 ||
			    (o->code >= 208 && o->code <= 211);
		REPORT(m, o->src, boot ? DNSM_DROP_BOOT : DNSM_DROP,
		       "not converted: no [boot] section's match implies this option's tags");
	}
}

int dnsm_write(const struct dnsm_model *m, FILE *out)
{
	struct writer w = {.m = m, .out = out};
	if (!(w.opt_used = calloc((size_t)m->nopts + 1, sizeof(bool))))
		return -1;
	fprintf(out, "# pxesuite.conf imported from dnsmasq by pxe-dhcpd --import-dnsmasq.\n"
		     "# Each key follows the dnsmasq line it came from. Before starting\n"
		     "# pxe-dhcpd, stop dnsmasq's DHCP (remove its dhcp-range lines or stop\n"
		     "# it): two DHCP servers on port 67 answer the same clients.\n\n");
	write_dhcpd(&w);
	write_subnets(&w);
	write_hosts(&w);
	int r = write_pxe_services(&w);
	if (r == 0)
		r = write_dhcp_boot(&w, true);
	if (r == 0)
		r = write_dhcp_boot(&w, false);
	if (r == 0) {
		unused_options(&w);
		write_tftpd(&w);
		if (w.arch7 && !w.arch9)
			REPORT(m, w.arch7_src, DNSM_WARN,
			       "arch 7 is matched but not 9: x64 UEFI firmware built from RFC "
			       "4578's original text sends 9 (linuxserver/docker-netbootxyz#8)");
	}
	free(w.opt_used);
	return r;
}
