/* SPDX-License-Identifier: MIT */
/* dnsmasq lines -> the normalised model: see dnsmasq_model.h. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dnsmasq_model.h"

#define REPORT(m, l, lv, ...) dnsm_report((m)->conf, &(l)->at, lv, __VA_ARGS__)

/* Today's CSA names (src/option.c, after RFC 4578 erratum 4624). Older
 * dnsmasq had BC_EFI = 7 and x86-64_EFI = 9. */
static const char *const csa_names[] = {
	"x86PC",    "PC98",       "IA64_EFI",   "Alpha",  "Arc_x86",   "Intel_Lean_Client",
	"IA32_EFI", "x86-64_EFI", "Xscale_EFI", "BC_EFI", "ARM32_EFI", "ARM64_EFI"};

int dnsm_csa_number(const char *name)
{
	for (size_t i = 0; i < sizeof(csa_names) / sizeof(csa_names[0]); i++)
		if (!strcasecmp(name, csa_names[i]))
			return (int)i;
	char *end;
	long v = strtol(name, &end, 0);
	return *name && !*end && v >= 0 && v <= 65535 ? (int)v : -1;
}

static bool is_ipv4(const char *s)
{
	struct in_addr a;
	return inet_pton(AF_INET, s, &a) == 1;
}

/* Leading tag:/net: conditions ('#' = '!'); the index after them. */
static int conds(const struct dnsm_line *l, int from, struct dnsm_conds *cd)
{
	int i = from;
	cd->n = 0;
	for (; i < l->nfields; i++) {
		size_t p = dnsm_tag_prefix(l->fields[i], "tag");
		if (!p)
			p = dnsm_tag_prefix(l->fields[i], "net");
		if (!p)
			break;
		const char *t = l->fields[i] + p;
		if (cd->n < DNSM_CONDS)
			snprintf(cd->tag[cd->n++], 64, "%s%s", *t == '#' ? "!" : "",
				 t + (*t == '#'));
	}
	return i;
}

/* dnsmasq's lease times: N, Nm, Nh, Nd, Nw, infinite. */
static bool lease_time(const char *s, char *out, size_t cap)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || v < 0)
		return false;
	if (!strcmp(end, "w"))
		snprintf(out, cap, "%ldd", v * 7);
	else if (!*end || ((*end == 'm' || *end == 'h' || *end == 'd' || *end == 's') && !end[1]))
		snprintf(out, cap, "%ld%s", v, *end ? end : "s");
	else
		return false;
	return true;
}

static void cidr_of(const char *start, const char *mask, char *out, size_t cap)
{
	struct in_addr a, m;
	inet_pton(AF_INET, start, &a);
	inet_pton(AF_INET, mask, &m);
	uint32_t bits = ntohl(m.s_addr);
	int len = 0;
	while (len < 32 && (bits & (0x80000000u >> len)))
		len++;
	a.s_addr &= m.s_addr;
	char net[INET_ADDRSTRLEN];
	inet_ntop(AF_INET, &a, net, sizeof(net));
	snprintf(out, cap, "%s/%d", net, len);
}

static void range(struct dnsm_model *m, const struct dnsm_line *l)
{
	int i = 0;
	for (; i < l->nfields &&
	       (dnsm_tag_prefix(l->fields[i], "set") || dnsm_tag_prefix(l->fields[i], "tag") ||
		dnsm_tag_prefix(l->fields[i], "net"));
	     i++) {
		size_t p = dnsm_tag_prefix(l->fields[i], "set");
		if (!p)
			p = dnsm_tag_prefix(l->fields[i], "net");
		if (p && m->nranges < DNSM_MAX_ITEMS)
			snprintf(m->ranges[m->nranges].tag, sizeof(m->ranges[0].tag), "%s",
				 l->fields[i] + p);
	}
	if (i >= l->nfields || !is_ipv4(l->fields[i])) {
		REPORT(m, l, DNSM_DROP,
		       "not converted: not an IPv4 range (DHCPv6 waits for the "
		       "IPv6 import)");
		return;
	}
	if (m->nranges == DNSM_MAX_ITEMS)
		return;
	struct dnsm_range *r = &m->ranges[m->nranges++];
	char tag[64];
	snprintf(tag, sizeof(tag), "%s", r->tag);
	memset(r, 0, sizeof(*r));
	snprintf(r->tag, sizeof(r->tag), "%s", tag);
	r->src = l;
	snprintf(r->start, sizeof(r->start), "%s", l->fields[i++]);
	const char *mask = "255.255.255.0";
	bool have_mask = false;
	for (; i < l->nfields; i++) {
		const char *f = l->fields[i];
		if (!strcmp(f, "proxy"))
			r->kind = DNSM_RANGE_PROXY;
		else if (!strcmp(f, "static"))
			r->kind = DNSM_RANGE_STATIC;
		else if (is_ipv4(f) && !r->end[0] && r->kind == DNSM_RANGE_NORMAL)
			snprintf(r->end, sizeof(r->end), "%s", f);
		else if (is_ipv4(f) && !have_mask)
			mask = f, have_mask = true;
		else if (!strcmp(f, "infinite"))
			REPORT(m, l, DNSM_DROP, "not converted: an infinite lease time");
		else if (!lease_time(f, r->lease, sizeof(r->lease)))
			REPORT(m, l, DNSM_DROP, "not converted: range field %s", f);
	}
	if (!have_mask)
		REPORT(m, l, DNSM_WARN,
		       "no netmask: dnsmasq takes the interface's; assumed 255.255.255.0");
	cidr_of(r->start, mask, r->cidr, sizeof(r->cidr));
}

static void mac_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

static bool is_mac(const char *s)
{
	unsigned b[6];
	char tail;
	return sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5],
		      &tail) == 6;
}

static void host(struct dnsm_model *m, const struct dnsm_line *l)
{
	if (m->nhosts == DNSM_MAX_ITEMS)
		return;
	struct dnsm_host *h = &m->hosts[m->nhosts];
	memset(h, 0, sizeof(*h));
	h->src = l;
	char tag[64] = "";
	for (int i = 0; i < l->nfields; i++) {
		const char *f = l->fields[i];
		size_t p;
		if ((p = dnsm_tag_prefix(f, "set")) || (p = dnsm_tag_prefix(f, "net")))
			snprintf(tag, sizeof(tag), "%s", f + p);
		else if (is_mac(f) && !h->mac[0])
			snprintf(h->mac, sizeof(h->mac), "%s", f);
		else if (is_ipv4(f))
			snprintf(h->ip, sizeof(h->ip), "%s", f);
		else if (!strcmp(f, "ignore"))
			h->ignore = true;
		else if (lease_time(f, h->lease, sizeof(h->lease)) || !strcmp(f, "infinite"))
			continue;
		else if (strchr(f, ':') || strchr(f, '*') || f[0] == '[')
			return (void)REPORT(m, l, DNSM_DROP_BOOT,
					    "not converted: dhcp-host field %s (client ids, "
					    "wildcard MACs and IPv6 are not imported)",
					    f);
		else
			snprintf(h->name, sizeof(h->name), "%s", f);
	}
	if (!h->mac[0])
		return (void)REPORT(m, l, DNSM_DROP_BOOT,
				    "not converted: a dhcp-host without a MAC address");
	mac_lower(h->mac);
	m->nhosts++;
	struct dnsm_conj c = {.n = 1};
	snprintf(c.term[0], DNSM_TERM_MAX, "mac:%s", h->mac);
	dnsm_tag_add(m, l, "known", &c); /* dnsmasq tags every configured host */
	if (tag[0])
		dnsm_tag_add(m, l, tag, &c);
}

/* The basename rule of today's dnsmasq (src/option.c, fixed 2017): a
 * name without a dot gets ".0" (the layer), a dotted name is used as is. */
static void pxe_basename(const char *b, char *out, size_t cap)
{
	snprintf(out, cap, "%s%s", b, strchr(b, '.') ? "" : ".0");
}

static void boot(struct dnsm_model *m, const struct dnsm_line *l, bool pxe)
{
	if (m->nboots == DNSM_MAX_ITEMS)
		return (void)REPORT(m, l, DNSM_DROP_BOOT, "not converted: too many boot lines");
	struct dnsm_boot *b = &m->boots[m->nboots];
	memset(b, 0, sizeof(*b));
	b->src = l;
	b->pxe_service = pxe;
	int i = conds(l, 0, &b->conds);
	int n = l->nfields - i;
	char *const *f = l->fields + i;
	if (n < (pxe ? 2 : 1) || !f[0][0])
		return (void)REPORT(m, l, DNSM_DROP_BOOT, "not converted: %s without a %s", l->name,
				    pxe ? "CSA and menu text" : "file");
	const char *server = NULL;
	if (!pxe) {
		snprintf(b->file, sizeof(b->file), "%s", f[0]);
		if (n > 1)
			snprintf(b->sname, sizeof(b->sname), "%s", f[1]);
		server = n > 2 ? f[2] : NULL;
	} else {
		if ((b->csa = dnsm_csa_number(f[0])) < 0)
			return (void)REPORT(m, l, DNSM_DROP_BOOT, "not converted: unknown CSA %s",
					    f[0]);
		if (!strcasecmp(f[0], "BC_EFI") || !strcasecmp(f[0], "x86-64_EFI"))
			REPORT(m, l, DNSM_WARN,
			       "%s is arch %d in today's dnsmasq; before the RFC 4578 erratum "
			       "BC_EFI was 7 and x86-64_EFI 9",
			       f[0], b->csa);
		snprintf(b->menu, sizeof(b->menu), "%s", f[1]);
		if (n > 2 && isdigit((unsigned char)f[2][0]) &&
		    strspn(f[2], "0123456789") == strlen(f[2])) {
			if (atoi(f[2]) != 0) /* a boot server type: discovery */
				return (void)REPORT(
					m, l, DNSM_DROP_BOOT,
					"not converted: boot server discovery (type %s)", f[2]);
		} else if (n > 2) {
			pxe_basename(f[2], b->file, sizeof(b->file));
		}
		server = n > 3 ? f[3] : NULL;
	}
	if (server && *server) {
		if (!is_ipv4(server))
			return (void)REPORT(m, l, DNSM_DROP_BOOT,
					    "not converted: the boot server %s is a name", server);
		snprintf(b->server, sizeof(b->server), "%s", server);
	}
	m->nboots++;
}

/* dnsmasq's option names (src/dhcp-common.c opttab) that imported
 * configurations use. */
static const struct {
	const char *name;
	int code;
} opt_names[] = {
	{"netmask", 1},
	{"router", 3},
	{"dns-server", 6},
	{"hostname", 12},
	{"domain-name", 15},
	{"root-path", 17},
	{"mtu", 26},
	{"broadcast", 28},
	{"ntp-server", 42},
	{"vendor-encap", 43},
	{"vendor-class", 60},
	{"tftp-server", 66},
	{"bootfile-name", 67},
	{"user-class", 77},
	{"client-arch", 93},
	{"domain-search", 119},
	{"classless-static-route", 121},
};

static int opt_code(const char *spec)
{
	if (!strncmp(spec, "option:", 7)) {
		for (size_t i = 0; i < sizeof(opt_names) / sizeof(opt_names[0]); i++)
			if (!strcmp(spec + 7, opt_names[i].name))
				return opt_names[i].code;
		return -1;
	}
	char *end;
	long v = strtol(spec, &end, 10);
	return *spec && !*end && v > 0 && v < 255 ? (int)v : -1;
}

static void option(struct dnsm_model *m, const struct dnsm_line *l, bool force)
{
	struct dnsm_opt o = {.src = l, .force = force};
	int i = conds(l, 0, &o.conds);
	if (i < l->nfields &&
	    (!strncmp(l->fields[i], "encap:", 6) || !strncmp(l->fields[i], "vendor:", 7) ||
	     !strncmp(l->fields[i], "vi-encap:", 9))) {
		bool boot = !strncmp(l->fields[i], "vendor:", 7);
		return (void)REPORT(m, l, boot ? DNSM_DROP_BOOT : DNSM_DROP,
				    "not converted: %s options%s", l->fields[i],
				    boot ? " (PXE option 43 content)" : " (iPXE settings)");
	}
	if (i < l->nfields && !strncmp(l->fields[i], "option6:", 8))
		return (void)REPORT(m, l, DNSM_DROP,
				    "not converted: DHCPv6 options wait for the IPv6 import");
	if (i >= l->nfields || (o.code = opt_code(l->fields[i])) < 0)
		return (void)REPORT(m, l, DNSM_DROP, "not converted: unknown option %s",
				    i < l->nfields ? l->fields[i] : "(none)");
	size_t off = 0;
	for (int j = i + 1; j < l->nfields; j++)
		off += (size_t)snprintf(o.value + off,
					off < sizeof(o.value) ? sizeof(o.value) - off : 0, "%s%s",
					j > i + 1 ? "," : "", l->fields[j]);
	o.empty = i + 1 >= l->nfields || (i + 2 == l->nfields && !l->fields[i + 1][0]);
	if (o.code == 66)
		REPORT(m, l, DNSM_WARN,
		       "option 66 (tftp-server) is a name in the options, not "
		       "next-server (siaddr): clients that use siaddr ignore it");
	if (force && o.code == 60 && !strcmp(o.value, "HTTPClient"))
		return (void)REPORT(m, l, DNSM_NOTE,
				    "option 60 HTTPClient: pxe-dhcpd sends it to "
				    "HTTP Boot clients itself");
	if (m->nopts < DNSM_MAX_ITEMS)
		m->opts[m->nopts++] = o;
}

static void setting(struct dnsm_model *m, const struct dnsm_line *l, bool tftp, const char *key,
		    const char *value)
{
	struct dnsm_setting *s = tftp ? &m->tftpd[m->ntftpd] : &m->dhcpd[m->ndhcpd];
	if ((tftp ? m->ntftpd : m->ndhcpd) == DNSM_MAX_ITEMS)
		return;
	s->src = l;
	snprintf(s->key, sizeof(s->key), "%s", key);
	snprintf(s->value, sizeof(s->value), "%s", value);
	if (tftp)
		m->ntftpd++;
	else
		m->ndhcpd++;
}

static const char *field(const struct dnsm_line *l, int i)
{
	return i < l->nfields ? l->fields[i] : "";
}

static void tftp_line(struct dnsm_model *m, const struct dnsm_line *l)
{
	const char *n = l->name + 5; /* after "tftp-" */
	if (!strcmp(n, "root")) {
		setting(m, l, true, "root", field(l, 0));
		if (l->nfields > 1)
			REPORT(m, l, DNSM_DROP, "not converted: a tftp-root for one interface");
	} else if (!strcmp(n, "unique-root")) {
		if (l->nfields && !strcmp(field(l, 0), "mac"))
			REPORT(m, l, DNSM_DROP, "not converted: tftp-unique-root=mac");
		else
			setting(m, l, true, "unique-root", "ip");
	} else if (!strcmp(n, "no-blocksize")) {
		setting(m, l, true, "refuse", "blksize");
	} else if (!strcmp(n, "port-range")) {
		char v[64];
		snprintf(v, sizeof(v), "%s:%s", field(l, 0), field(l, 1));
		setting(m, l, true, "port-range", v);
	} else if (!strcmp(n, "lowercase")) {
		setting(m, l, true, "lowercase", "yes");
	} else if (!strcmp(n, "single-port")) {
		setting(m, l, true, "single-port", "yes");
	} else if (!strcmp(n, "max")) {
		setting(m, l, true, "max-transfers", field(l, 0));
	} else if (!strcmp(n, "secure")) {
		REPORT(m, l, DNSM_NOTE,
		       "tftp-secure (only files the dnsmasq user owns): "
		       "pxe-tftpd serves what its user may read under root");
	} else {
		REPORT(m, l, DNSM_DROP, "not converted: %s", l->name);
	}
}

static void ignore_line(struct dnsm_model *m, const struct dnsm_line *l)
{
	if (l->nfields == 1 &&
	    (!strcmp(field(l, 0), "tag:!known") || !strcmp(field(l, 0), "net:#known") ||
	     !strcmp(field(l, 0), "tag:#known")))
		setting(m, l, false, "known-only", "yes");
	else
		REPORT(m, l, DNSM_DROP_BOOT, "not converted: dhcp-ignore other than tag:!known");
}

static void prompt(struct dnsm_model *m, const struct dnsm_line *l)
{
	m->prompt_src = l;
	snprintf(m->prompt, sizeof(m->prompt), "%s %s", l->nfields > 1 ? field(l, 1) : "0",
		 field(l, 0));
}

/* Lines with nothing to carry: why they are safe to leave. */
static const struct {
	const char *name, *why;
} notes[] = {
	{"port", NULL}, /* handled: 0 means no DNS */
	{"log-dhcp", "diagnostics only"},
	{"log-queries", "diagnostics only"},
	{"log-facility", "pxe-dhcpd logs with --log/--syslog"},
	{"dhcp-no-override", "pxe-dhcpd never overloads sname/file"},
	{"bind-interfaces", "pxe-dhcpd binds as it needs"},
	{"bind-dynamic", "pxe-dhcpd binds as it needs"},
	{"except-interface", "pxe-dhcpd serves only interfaces with a [subnet]"},
	{"leasefile-ro", "pxe-dhcpd keeps its own lease journal"},
	{"dhcp-lease-max", "no limit in pxe-dhcpd"},
	{"user", "use pxe-dhcpd --user"},
	{"group", "use pxe-dhcpd --group"},
	{"pid-file", "use pxe-dhcpd --pidfile"},
	{"keep-in-foreground", "pxe-dhcpd stays in the foreground unless --daemon"},
	{"no-daemon", "pxe-dhcpd stays in the foreground unless --daemon"},
	{"no-resolv", "DNS only"},
	{"no-hosts", "DNS only"},
	{"domain-needed", "DNS only"},
	{"bogus-priv", "DNS only"},
	{"no-poll", "DNS only"},
	{"expand-hosts", "DNS only"},
	{"strict-order", "DNS only"},
	{"addn-hosts", "DNS only"},
	{"resolv-file", "DNS only"},
	{"cache-size", "DNS only"},
	{"stop-dns-rebind", "DNS only"},
	{"rebind-localhost-ok", "DNS only"},
	{"localise-queries", "DNS only"},
	{"local-service", "DNS only"},
	{"all-servers", "DNS only"},
	{"no-negcache", "DNS only"},
	{"dhcp-script", "pxe-dhcpd has its own script interface (--script)"},
};

static void misc(struct dnsm_model *m, const struct dnsm_line *l)
{
	const char *n = l->name;
	if (!strcmp(n, "port")) {
		if (strcmp(field(l, 0), "0"))
			REPORT(m, l, DNSM_DROP, "not converted: dnsmasq's DNS service");
		return;
	}
	for (size_t i = 0; i < sizeof(notes) / sizeof(notes[0]); i++)
		if (!strcmp(n, notes[i].name))
			return (void)REPORT(m, l, DNSM_NOTE, "%s: %s", n, notes[i].why);
	if (!strcmp(n, "interface"))
		for (int i = 0; i < l->nfields; i++)
			setting(m, l, false, "interface", field(l, i));
	else if (!strcmp(n, "dhcp-authoritative"))
		setting(m, l, false, "authoritative", "yes");
	else if (!strcmp(n, "dhcp-leasefile") || !strcmp(n, "dhcp-lease-file"))
		setting(m, l, false, "leasefile", field(l, 0));
	else if (!strcmp(n, "enable-tftp"))
		m->enable_tftp = true;
	else if (!strncmp(n, "tftp-", 5))
		tftp_line(m, l);
	else if (!strcmp(n, "dhcp-ignore"))
		ignore_line(m, l);
	else if (!strcmp(n, "pxe-prompt"))
		prompt(m, l);
	else if (!strcmp(n, "listen-address"))
		REPORT(m, l, DNSM_NOTE, "listen-address %s: pxe-dhcpd picks interfaces by [subnet]",
		       field(l, 0));
	else if (!strcmp(n, "address") || !strcmp(n, "server") || !strcmp(n, "domain") ||
		 !strcmp(n, "local") || !strcmp(n, "cname") || !strcmp(n, "host-record"))
		REPORT(m, l, DNSM_DROP, "not converted: dnsmasq's DNS service (%s)", n);
	else if (!strcmp(n, "dhcp-reply-delay") || !strcmp(n, "dhcp-broadcast") ||
		 !strcmp(n, "dhcp-pxe-vendor") || !strcmp(n, "dhcp-relay") ||
		 !strcmp(n, "dhcp-option-pxe") || !strcmp(n, "dhcp-proxy"))
		REPORT(m, l, DNSM_DROP_BOOT, "not converted: %s", n);
	else if (!strcmp(n, "enable-ra") || !strncmp(n, "ra-", 3))
		REPORT(m, l, DNSM_DROP, "not converted: DHCPv6/RA waits for the IPv6 import");
	else
		REPORT(m, l, DNSM_DROP, "not converted: %s is not known to the importer", n);
}

/* A tag a dhcp-range sets (LTSP's set:proxy) holds for every client when
 * every range sets it; pxesuite has no per-subnet match term otherwise. */
static void range_tags(struct dnsm_model *m)
{
	for (int i = 0; i < m->nranges; i++) {
		const struct dnsm_range *r = &m->ranges[i];
		bool all = r->tag[0] != 0, first = true;
		for (int j = 0; j < m->nranges; j++) {
			all &= !strcmp(m->ranges[j].tag, r->tag);
			first &= j >= i || strcmp(m->ranges[j].tag, r->tag);
		}
		if (!r->tag[0] || !first)
			continue;
		struct dnsm_conj always = {.n = 0};
		if (all)
			dnsm_tag_add(m, r->src, r->tag, &always);
		else
			REPORT(m, r->src, DNSM_DROP_BOOT,
			       "not converted: tag %s set by some ranges only: pxesuite has no "
			       "subnet match term",
			       r->tag);
	}
}

static void one(struct dnsm_model *m, const struct dnsm_line *l)
{
	const char *n = l->name;
	if (!strcmp(n, "dhcp-range"))
		return; /* read before the tags */
	else if (!strcmp(n, "dhcp-boot"))
		boot(m, l, false);
	else if (!strcmp(n, "pxe-service"))
		boot(m, l, true);
	else if (!strcmp(n, "dhcp-option"))
		option(m, l, false);
	else if (!strcmp(n, "dhcp-option-force"))
		option(m, l, true);
	else if (strcmp(n, "dhcp-host") && strcmp(n, "dhcp-match") &&
		 strcmp(n, "dhcp-vendorclass") && strcmp(n, "dhcp-userclass") &&
		 strcmp(n, "dhcp-mac") && strcmp(n, "tag-if"))
		misc(m, l);
}

struct dnsm_model *dnsm_model_new(struct dnsm_conf *c)
{
	struct dnsm_model *m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->conf = c;
	for (size_t i = 0; i < c->n; i++) /* they set tags: before the tag sources */
		if (!strcmp(c->lines[i]->name, "dhcp-host"))
			host(m, c->lines[i]);
		else if (!strcmp(c->lines[i]->name, "dhcp-range"))
			range(m, c->lines[i]);
	range_tags(m);
	return m;
}

void dnsm_model_lines(struct dnsm_model *m)
{
	for (size_t i = 0; i < m->conf->n; i++)
		one(m, m->conf->lines[i]);
}

void dnsm_model_free(struct dnsm_model *m)
{
	free(m);
}
