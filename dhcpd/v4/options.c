/* SPDX-License-Identifier: MIT */
/* The DHCP option table and typed values. Names follow RFC 2132 and the
 * names ISC dhcpd and dnsmasq users know; codes after RFC 2132 cite their
 * RFC. */
#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>

#include "hex.h"
#include "opts.h"
#include "options.h"

static const struct dhcp_opt_def opt_table[] = {
	{1, "subnet-mask", DOT_ADDR},
	{2, "time-offset", DOT_S32},
	{3, "router", DOT_ADDRS},
	{4, "time-server", DOT_ADDRS},
	{6, "dns", DOT_ADDRS},
	{7, "log-server", DOT_ADDRS},
	{9, "lpr-server", DOT_ADDRS},
	{12, "hostname", DOT_STRING},
	{13, "boot-file-size", DOT_U16},
	{15, "domain-name", DOT_STRING},
	{16, "swap-server", DOT_ADDR},
	{17, "root-path", DOT_STRING},
	{18, "extensions-path", DOT_STRING},
	{19, "ip-forwarding", DOT_BOOL},
	{23, "default-ttl", DOT_U8},
	{26, "mtu", DOT_U16},
	{28, "broadcast", DOT_ADDR},
	{35, "arp-cache-timeout", DOT_SECS},
	{37, "tcp-ttl", DOT_U8},
	{40, "nis-domain", DOT_STRING},
	{41, "nis-server", DOT_ADDRS},
	{42, "ntp-server", DOT_ADDRS},
	{43, "vendor-encap", DOT_HEX},
	{44, "netbios-ns", DOT_ADDRS},
	{45, "netbios-dd", DOT_ADDRS},
	{46, "netbios-node-type", DOT_U8},
	{47, "netbios-scope", DOT_STRING},
	{51, "lease-time", DOT_SECS},
	{54, "server-id", DOT_ADDR},
	{56, "message", DOT_STRING},
	{58, "renewal-time", DOT_SECS},
	{59, "rebinding-time", DOT_SECS},
	{60, "vendor-class", DOT_STRING},
	{66, "tftp-server", DOT_STRING},
	{67, "bootfile", DOT_STRING},
	{69, "smtp-server", DOT_ADDRS},
	{72, "www-server", DOT_ADDRS},
	{100, "tz-posix", DOT_STRING},               /* RFC 4833 */
	{101, "tz-database", DOT_STRING},            /* RFC 4833 */
	{114, "captive-portal", DOT_STRING},         /* RFC 8910 */
	{119, "domain-search", DOT_DOMAINS},         /* RFC 3397 */
	{121, "classless-static-route", DOT_ROUTES}, /* RFC 3442 */
	{150, "tftp-server-address", DOT_ADDRS},     /* RFC 5859 */
	{209, "pxelinux-config", DOT_STRING},        /* RFC 5071 */
	{210, "pxelinux-path-prefix", DOT_STRING},
	{211, "pxelinux-reboot-time", DOT_SECS},
	{252, "wpad", DOT_STRING},
};

#define N_OPTS (sizeof(opt_table) / sizeof(opt_table[0]))

/* Extra names people type (dnsmasq / ISC spellings). */
static const struct {
	const char *alias;
	uint8_t code;
} opt_aliases[] = {
	{"netmask", 1},
	{"routers", 3},
	{"gateway", 3},
	{"dns-server", 6},
	{"domain-name-servers", 6},
	{"domain-name-server", 6},
	{"host-name", 12},
	{"ntp-servers", 42},
	{"vendor-encapsulated-options", 43},
	{"tftp-server-name", 66},
	{"bootfile-name", 67},
	{"domain-search-list", 119},
};

const struct dhcp_opt_def *dhcp_optdef_table(size_t *n)
{
	*n = N_OPTS;
	return opt_table;
}

const struct dhcp_opt_def *dhcp_optdef_by_code(uint8_t code)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (opt_table[i].code == code)
			return &opt_table[i];
	return NULL;
}

const struct dhcp_opt_def *dhcp_optdef_by_name(const char *name)
{
	for (size_t i = 0; i < N_OPTS; i++)
		if (!strcasecmp(opt_table[i].name, name))
			return &opt_table[i];
	for (size_t i = 0; i < sizeof(opt_aliases) / sizeof(opt_aliases[0]); i++)
		if (!strcasecmp(opt_aliases[i].alias, name))
			return dhcp_optdef_by_code(opt_aliases[i].code);
	return NULL;
}

const char *dhcp_opt_type_name(enum dhcp_opt_type t)
{
	static const char *const names[] = {
		"hex", "address", "address list", "string", "u8",          "u16",
		"u32", "s32",     "seconds",      "bool",   "domain list", "routes",
	};
	return names[t];
}

static int enc_hex(const char *s, uint8_t *out, size_t cap, size_t *len, struct pxe_err *err)
{
	int n = pxe_hex_decode(s, strlen(s), ": -", 0, out, cap);
	if (n == -ENOSPC)
		return pxe_err_set(err, ENOSPC, "value longer than %zu bytes", cap);
	if (n < 0)
		return pxe_err_set(err, EINVAL, "expected hex bytes like 01:02:ab");
	*len = (size_t)n;
	return 0;
}

/* Split on ',' and blanks; calls one(item) for each non-empty item. */
static int each_item(const char *s,
		     int (*one)(const char *item, uint8_t *out, size_t cap, size_t *len,
				struct pxe_err *err),
		     uint8_t *out, size_t cap, size_t *len, struct pxe_err *err)
{
	char item[256];
	size_t n = 0;
	while (*s) {
		size_t k = strcspn(s, ", \t");
		if (k >= sizeof(item))
			return pxe_err_set(err, EINVAL, "list item too long");
		if (k) {
			memcpy(item, s, k);
			item[k] = '\0';
			size_t l = 0;
			int r = one(item, out + n, cap - n, &l, err);
			if (r < 0)
				return r;
			n += l;
		}
		s += k;
		s += strspn(s, ", \t");
	}
	if (!n)
		return pxe_err_set(err, EINVAL, "empty list");
	*len = n;
	return 0;
}

static int enc_addr(const char *s, uint8_t *out, size_t cap, size_t *len, struct pxe_err *err)
{
	struct in_addr a;
	if (inet_pton(AF_INET, s, &a) != 1)
		return pxe_err_set(err, EINVAL, "expected an IPv4 address, got '%s'", s);
	if (cap < 4)
		return pxe_err_set(err, ENOSPC, "too many addresses");
	memcpy(out, &a, 4);
	*len = 4;
	return 0;
}

/* RFC 1035 §3.1 labels, no compression (allowed by RFC 3397 §2). */
static int enc_domain(const char *s, uint8_t *out, size_t cap, size_t *len, struct pxe_err *err)
{
	size_t n = 0;
	while (*s) {
		size_t k = strcspn(s, ".");
		if (k == 0 || k > 63)
			return pxe_err_set(err, EINVAL, "bad DNS name label in '%s'", s);
		if (n + k + 2 > cap)
			return pxe_err_set(err, ENOSPC, "domain list too long");
		out[n++] = (uint8_t)k;
		memcpy(out + n, s, k);
		n += k;
		s += k;
		if (*s == '.')
			s++;
	}
	if (n + 1 > cap)
		return pxe_err_set(err, ENOSPC, "domain list too long");
	out[n++] = 0;
	*len = n;
	return 0;
}

/* RFC 3442: one route "NET/PREFIX=ROUTER" or "NET/PREFIX ROUTER" pairs;
 * each_item splits on blanks, so pairs arrive as two items: keep state in
 * the output itself by encoding "NET/PREFIX" and the router separately. */
static int enc_route_dest(const char *s, uint8_t *out, size_t cap, size_t *len, struct pxe_err *err)
{
	char net[32];
	const char *slash = strchr(s, '/');
	if (!slash) /* the router part of a pair */
		return enc_addr(s, out, cap, len, err);
	size_t k = (size_t)(slash - s);
	long long prefix;
	if (k >= sizeof(net) || pxe_parse_int(slash + 1, 0, 32, &prefix, err) < 0)
		return pxe_err_set(err, EINVAL, "expected NET/PREFIX ROUTER, got '%s'", s);
	memcpy(net, s, k);
	net[k] = '\0';
	struct in_addr a;
	if (inet_pton(AF_INET, net, &a) != 1)
		return pxe_err_set(err, EINVAL, "expected NET/PREFIX ROUTER, got '%s'", s);
	size_t sig = ((size_t)prefix + 7) / 8;
	if (cap < 1 + sig)
		return pxe_err_set(err, ENOSPC, "too many routes");
	out[0] = (uint8_t)prefix;
	memcpy(out + 1, &a, sig);
	*len = 1 + sig;
	return 0;
}

static int enc_number(enum dhcp_opt_type t, const char *s, uint8_t *out, size_t cap, size_t *len,
		      struct pxe_err *err)
{
	long long v = 0;
	int r;
	size_t n = t == DOT_U8 || t == DOT_BOOL ? 1 : t == DOT_U16 ? 2 : 4;
	if (cap < n)
		return pxe_err_set(err, ENOSPC, "no room");
	if (t == DOT_BOOL) {
		bool b = false;
		r = pxe_parse_bool(s, &b, err);
		v = b;
	} else if (t == DOT_SECS) {
		r = pxe_parse_duration_ms(s, &v, err);
		v /= 1000;
		if (r == 0 && (v < 0 || v > 0xffffffffLL))
			r = pxe_err_set(err, EINVAL, "duration out of range");
	} else {
		long long lo = t == DOT_S32 ? -2147483648LL : 0;
		long long hi = t == DOT_U8    ? 255
			       : t == DOT_U16 ? 65535
			       : t == DOT_S32 ? 2147483647LL
					      : 0xffffffffLL;
		r = pxe_parse_int(s, lo, hi, &v, err);
	}
	if (r < 0)
		return r;
	uint32_t u = (uint32_t)v;
	for (size_t i = 0; i < n; i++)
		out[i] = (uint8_t)(u >> (8 * (n - 1 - i)));
	*len = n;
	return 0;
}

int dhcp_opt_encode(enum dhcp_opt_type t, const char *text, uint8_t *out, size_t cap, size_t *len,
		    struct pxe_err *err)
{
	size_t n;
	switch (t) {
	case DOT_HEX: return enc_hex(text, out, cap, len, err);
	case DOT_ADDR: return enc_addr(text, out, cap, len, err);
	case DOT_ADDRS: return each_item(text, enc_addr, out, cap, len, err);
	case DOT_DOMAINS: return each_item(text, enc_domain, out, cap, len, err);
	case DOT_ROUTES: return each_item(text, enc_route_dest, out, cap, len, err);
	case DOT_STRING:
		n = strlen(text);
		if (n >= 2 && text[0] == '"' && text[n - 1] == '"') {
			text++;
			n -= 2;
		}
		if (n > cap)
			return pxe_err_set(err, ENOSPC, "string longer than %zu bytes", cap);
		memcpy(out, text, n);
		*len = n;
		return 0;
	default: return enc_number(t, text, out, cap, len, err);
	}
}

static int parse_code(const char *name, const struct dhcp_opt_def **def, uint8_t *code,
		      struct pxe_err *err)
{
	*def = NULL;
	if (isdigit((unsigned char)name[0])) {
		long long c;
		if (pxe_parse_int(name, 1, 254, &c, err) < 0)
			return pxe_err_set(err, EINVAL, "option code must be 1..254, got '%s'",
					   name);
		*code = (uint8_t)c;
		*def = dhcp_optdef_by_code(*code);
		return 0;
	}
	*def = dhcp_optdef_by_name(name);
	if (!*def)
		return pxe_err_set(err, EINVAL, "unknown option name '%s' (use its number)", name);
	*code = (*def)->code;
	return 0;
}

int dhcp_optval_parse(const char *spec, struct dhcp_optval *out, struct pxe_err *err)
{
	char name[64];
	size_t k = strcspn(spec, ":");
	if (!spec[k] || k == 0 || k >= sizeof(name))
		return pxe_err_set(err, EINVAL, "expected NAME:VALUE or CODE:VALUE, got '%s'",
				   spec);
	memcpy(name, spec, k);
	name[k] = '\0';
	const char *val = spec + k + 1;
	while (*val == ' ' || *val == '\t')
		val++;
	const struct dhcp_opt_def *def;
	uint8_t code = 0;
	int r = parse_code(name, &def, &code, err);
	if (r < 0)
		return r;
	enum dhcp_opt_type t = def ? def->type : (val[0] == '"' ? DOT_STRING : DOT_HEX);
	uint8_t buf[1024];
	size_t len = 0;
	struct pxe_err e;
	r = dhcp_opt_encode(t, val, buf, sizeof(buf), &len, &e);
	if (r < 0)
		return pxe_err_set(err, -r, "option %s (%u, %s): %s", def ? def->name : name, code,
				   dhcp_opt_type_name(t), e.msg);
	out->code = code;
	out->len = (uint16_t)len;
	out->data = malloc(len ? len : 1);
	if (!out->data)
		return pxe_err_set(err, ENOMEM, "out of memory");
	memcpy(out->data, buf, len);
	return 0;
}

void dhcp_optval_free(struct dhcp_optval *v)
{
	free(v->data);
	v->data = NULL;
}

int dhcp_optlist_add(struct dhcp_optlist *l, const struct dhcp_optval *v)
{
	struct dhcp_optval *nv = realloc(l->v, (l->n + 1) * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	l->v = nv;
	l->v[l->n++] = *v;
	return 0;
}

void dhcp_optlist_free(struct dhcp_optlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		dhcp_optval_free(&l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static int optlines_parse(void *field, const char *value, struct pxe_err *err)
{
	struct dhcp_optlines *l = field;
	struct dhcp_optval o;
	int r = dhcp_optval_parse(value, &o, err);
	if (r < 0)
		return r;
	if (dhcp_optlist_add(&l->opts, &o) < 0) {
		dhcp_optval_free(&o);
		return pxe_err_set(err, ENOMEM, "out of memory");
	}
	if (pxe_strlist_add(&l->text, value) < 0)
		return pxe_err_set(err, ENOMEM, "out of memory");
	return 0;
}

static void optlines_print(FILE *out, const void *field)
{
	const struct dhcp_optlines *l = field;
	for (size_t i = 0; i < l->text.n; i++)
		fprintf(out, "%s%s", i ? "\n" : "", l->text.v[i]);
}

static bool optlines_is_set(const void *field)
{
	return ((const struct dhcp_optlines *)field)->opts.n > 0;
}

static void optlines_free(void *field)
{
	struct dhcp_optlines *l = field;
	pxe_strlist_free(&l->text);
	dhcp_optlist_free(&l->opts);
}

const struct pxe_opt_hook dhcp_optlines_hook = {optlines_parse, optlines_print, optlines_is_set,
						optlines_free};

void dhcp_optset_init(struct dhcp_optset *s)
{
	memset(s->present, 0, sizeof(s->present));
}

void dhcp_optset_put(struct dhcp_optset *s, uint8_t code, const void *val, size_t len)
{
	s->val[code] = val;
	s->len[code] = (uint16_t)len;
	s->present[code / 8] |= 1u << (code % 8);
}

void dhcp_optset_put_list(struct dhcp_optset *s, const struct dhcp_optlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		dhcp_optset_put(s, l->v[i].code, l->v[i].data, l->v[i].len);
}

void dhcp_optset_del(struct dhcp_optset *s, uint8_t code)
{
	s->present[code / 8] &= (uint8_t) ~(1u << (code % 8));
}

bool dhcp_optset_has(const struct dhcp_optset *s, uint8_t code)
{
	return s->present[code / 8] & (1u << (code % 8));
}

int dhcp_optset_emit(const struct dhcp_optset *s, struct dhcp_builder *b,
		     const struct dhcp_msg *req, const uint8_t *always, size_t n_always)
{
	uint8_t done[256 / 8] = {0};
	int dropped = 0;
	size_t nprl = 0;
	const uint8_t *prl = dhcp_opt_get(req, DHO_PARAM_LIST, &nprl);
	/* Three passes: always-sent, requested in order, then the rest. */
	for (int pass = 0; pass < 3; pass++) {
		size_t n = pass == 0 ? n_always : pass == 1 ? nprl : 256;
		for (size_t i = 0; i < n; i++) {
			uint8_t c = pass == 0 ? always[i] : pass == 1 ? prl[i] : (uint8_t)i;
			if (c == DHO_PAD || c == DHO_END || !dhcp_optset_has(s, c) ||
			    (done[c / 8] & (1u << (c % 8))))
				continue;
			done[c / 8] |= 1u << (c % 8);
			if (dhcp_build_opt(b, c, s->val[c], s->len[c]) < 0)
				dropped++;
		}
	}
	return dropped;
}
