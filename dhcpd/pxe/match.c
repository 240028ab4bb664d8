/* SPDX-License-Identifier: MIT */
/* `match =` terms of [boot NAME] sections (see match.h for the language). */
#include "match.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "arch.h"

const char dhcp_pxe_term_expected[] =
	"expected arch:NAME|NUMBER, vendor-class:PREFIX, user-class:TEXT, mac:PREFIX, "
	"ipxe, ipxe-feature:N, rpi[:3|4|5], http, uefi, pxe, ipv4, ipv6 or known (each may "
	"start with '!')";

/* ---------------------------------------------------------------- parse */

static bool word_is(const char *s, size_t n, const char *w)
{
	return strlen(w) == n && memcmp(s, w, n) == 0;
}

/* "52:54:00" or "52-54-00-12": 1 to 6 two-digit hex bytes. */
static int parse_mac_prefix(const char *s, size_t n, struct dhcp_pxe_term *t)
{
	int r = pxe_hex_decode(s, n, ":-", PXE_HEX_STRICT, t->mac, sizeof(t->mac));
	t->mac_len = r > 0 ? (uint8_t)r : 0;
	return r > 0 ? 0 : -EINVAL;
}

static int parse_arch(const char *v, size_t n, struct dhcp_pxe_term *t, struct pxe_err *err)
{
	char word[32];

	if (n == 0 || n >= sizeof(word))
		goto bad;
	memcpy(word, v, n);
	word[n] = '\0';
	if (dhcp_pxe_arch_parse(word, &t->arch, &t->arch_by_name) == 0)
		return 0;
bad:
	return pxe_err_set(err, EINVAL,
			   "unknown architecture '%.*s' in arch:: expected a name such as bios, "
			   "x64-uefi, ia32-uefi, arm64-uefi, x64-uefi-http, arm64-uefi-http, "
			   "riscv64-uefi, loongarch64-uefi, rpiboot, or a number 0-65535",
			   (int)(n > 40 ? 40 : n), v);
}

static int parse_text(const char *key, const char *v, size_t n, struct dhcp_pxe_term *t,
		      struct pxe_err *err)
{
	if (n == 0)
		return pxe_err_set(err, EINVAL, "%s: needs a value, e.g. %s:%s", key, key,
				   strcmp(key, "vendor-class") == 0 ? "PXEClient" : "iPXE");
	if (n > DHCP_PXE_TERM_TEXT || memchr(v, '\0', n))
		return pxe_err_set(err, EINVAL, "%s: value too long (at most %d bytes)", key,
				   DHCP_PXE_TERM_TEXT);
	memcpy(t->text, v, n);
	t->text[n] = '\0';
	return 0;
}

static int parse_rpi(const char *v, size_t n, bool has_value, struct dhcp_pxe_term *t,
		     struct pxe_err *err)
{
	t->kind = DHCP_PXE_TERM_RPI;
	if (!has_value)
		return 0;
	if (n == 1 && v[0] >= '3' && v[0] <= '5') {
		t->rpi_model = (uint8_t)(v[0] - '0');
		return 0;
	}
	return pxe_err_set(err, EINVAL, "rpi:%.*s: expected rpi, rpi:3, rpi:4 or rpi:5",
			   (int)(n > 20 ? 20 : n), v);
}

/* ipxe-feature:N, N a decimal option code 1-254 (0 is pad, 255 end). */
static int parse_feature(const char *v, size_t n, struct dhcp_pxe_term *t, struct pxe_err *err)
{
	unsigned code = 0;
	size_t i;

	for (i = 0; i < n && i < 4 && v[i] >= '0' && v[i] <= '9'; i++)
		code = code * 10 + (unsigned)(v[i] - '0');
	if (n == 0 || i != n || code < 1 || code > 254)
		return pxe_err_set(err, EINVAL,
				   "ipxe-feature:%.*s: expected an option code 1-254, e.g. "
				   "ipxe-feature:19 (HTTP)",
				   (int)(n > 20 ? 20 : n), v);
	t->feature = (uint8_t)code;
	return 0;
}

/* Terms without a value: ipxe, http, uefi, pxe, ipv4, ipv6, known. */
static bool parse_flag(const char *k, size_t kn, struct dhcp_pxe_term *t)
{
	static const struct {
		const char *name;
		enum dhcp_pxe_term_kind kind;
	} flags[] = {
		{"ipxe", DHCP_PXE_TERM_IPXE},   {"http", DHCP_PXE_TERM_HTTP},
		{"uefi", DHCP_PXE_TERM_UEFI},   {"pxe", DHCP_PXE_TERM_PXE},
		{"ipv4", DHCP_PXE_TERM_IPV4},   {"ipv6", DHCP_PXE_TERM_IPV6},
		{"known", DHCP_PXE_TERM_KNOWN},
	};
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		if (word_is(k, kn, flags[i].name)) {
			t->kind = flags[i].kind;
			return true;
		}
	}
	return false;
}

static int parse_keyed(const char *k, size_t kn, const char *v, size_t vn, struct dhcp_pxe_term *t,
		       struct pxe_err *err)
{
	if (word_is(k, kn, "arch")) {
		t->kind = DHCP_PXE_TERM_ARCH;
		return parse_arch(v, vn, t, err);
	}
	if (word_is(k, kn, "vendor-class")) {
		t->kind = DHCP_PXE_TERM_VENDOR_CLASS;
		return parse_text("vendor-class", v, vn, t, err);
	}
	if (word_is(k, kn, "user-class")) {
		t->kind = DHCP_PXE_TERM_USER_CLASS;
		return parse_text("user-class", v, vn, t, err);
	}
	if (word_is(k, kn, "ipxe-feature")) {
		t->kind = DHCP_PXE_TERM_IPXE_FEATURE;
		return parse_feature(v, vn, t, err);
	}
	if (word_is(k, kn, "mac")) {
		t->kind = DHCP_PXE_TERM_MAC;
		if (parse_mac_prefix(v, vn, t) == 0)
			return 0;
		return pxe_err_set(err, EINVAL,
				   "mac:%.*s: expected 1 to 6 hex bytes such as mac:52:54:00",
				   (int)(vn > 40 ? 40 : vn), v);
	}
	return -ENOENT;
}

int dhcp_pxe_term_parse(const char *text, size_t len, struct dhcp_pxe_term *out,
			struct pxe_err *err)
{
	const char *colon;
	size_t kn;
	int r;

	memset(out, 0, sizeof(*out));
	if (len > 0 && text[0] == '!') {
		out->negate = true;
		text++;
		len--;
	}
	colon = memchr(text, ':', len);
	kn = colon ? (size_t)(colon - text) : len;
	if (!colon && parse_flag(text, kn, out))
		return 0;
	if (word_is(text, kn, "rpi"))
		return parse_rpi(colon ? colon + 1 : text, colon ? len - kn - 1 : 0, colon != NULL,
				 out, err);
	if (colon) {
		r = parse_keyed(text, kn, colon + 1, len - kn - 1, out, err);
		if (r != -ENOENT)
			return r;
	}
	return pxe_err_set(err, EINVAL, "%s, got '%s%.*s'", dhcp_pxe_term_expected,
			   out->negate ? "!" : "", (int)(len > 60 ? 60 : len), text);
}

/* ---------------------------------------------------------------- eval */

static bool eval_arch(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c)
{
	if (!t->arch_by_name)
		return dhcp_pxe_client_has_arch(c, t->arch);
	if (c->n_archs == 0)
		return c->arch_known && dhcp_pxe_arch_same(c->arch, t->arch);
	for (size_t i = 0; i < c->n_archs; i++)
		if (dhcp_pxe_arch_same(c->archs[i], t->arch))
			return true;
	return false;
}

static bool eval_rpi(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c)
{
	switch (t->rpi_model) {
	case 0: return c->rpi != DHCP_PXE_RPI_NONE;
	case 3: return c->rpi == DHCP_PXE_RPI_3 || c->rpi == DHCP_PXE_RPI_3B;
	case 4: return c->rpi == DHCP_PXE_RPI_4;
	case 5: return c->rpi == DHCP_PXE_RPI_5;
	}
	return false;
}

static bool eval_positive(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c)
{
	switch (t->kind) {
	case DHCP_PXE_TERM_ARCH: return eval_arch(t, c);
	case DHCP_PXE_TERM_VENDOR_CLASS:
		return c->has_vendor_class &&
		       strncmp(c->vendor_class, t->text, strlen(t->text)) == 0;
	case DHCP_PXE_TERM_USER_CLASS: return dhcp_pxe_client_user_class_is(c, t->text);
	case DHCP_PXE_TERM_MAC:
		return c->mac_len >= t->mac_len && memcmp(c->mac, t->mac, t->mac_len) == 0;
	case DHCP_PXE_TERM_IPXE: return c->is_ipxe;
	case DHCP_PXE_TERM_RPI: return eval_rpi(t, c);
	case DHCP_PXE_TERM_HTTP: return c->is_http;
	case DHCP_PXE_TERM_UEFI: return c->is_uefi;
	case DHCP_PXE_TERM_PXE: return c->pxe_client;
	case DHCP_PXE_TERM_IPV4: return c->family != 6;
	case DHCP_PXE_TERM_IPV6: return c->family == 6;
	case DHCP_PXE_TERM_IPXE_FEATURE: return dhcp_pxe_client_has_ipxe_feature(c, t->feature);
	case DHCP_PXE_TERM_KNOWN: return c->known;
	}
	return false;
}

bool dhcp_pxe_term_eval(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c)
{
	return eval_positive(t, c) != t->negate;
}

/* --------------------------------------------------------------- format */

static const char *kind_word(enum dhcp_pxe_term_kind k)
{
	switch (k) {
	case DHCP_PXE_TERM_ARCH: return "arch";
	case DHCP_PXE_TERM_VENDOR_CLASS: return "vendor-class";
	case DHCP_PXE_TERM_USER_CLASS: return "user-class";
	case DHCP_PXE_TERM_MAC: return "mac";
	case DHCP_PXE_TERM_IPXE: return "ipxe";
	case DHCP_PXE_TERM_RPI: return "rpi";
	case DHCP_PXE_TERM_HTTP: return "http";
	case DHCP_PXE_TERM_UEFI: return "uefi";
	case DHCP_PXE_TERM_PXE: return "pxe";
	case DHCP_PXE_TERM_IPV4: return "ipv4";
	case DHCP_PXE_TERM_IPV6: return "ipv6";
	case DHCP_PXE_TERM_IPXE_FEATURE: return "ipxe-feature";
	case DHCP_PXE_TERM_KNOWN: return "known";
	}
	return "?";
}

int dhcp_pxe_term_format(const struct dhcp_pxe_term *t, char *buf, size_t cap)
{
	const char *neg = t->negate ? "!" : "";
	const char *k = kind_word(t->kind);
	const char *q;
	int n;

	switch (t->kind) {
	case DHCP_PXE_TERM_ARCH:
		if (t->arch_by_name)
			n = snprintf(buf, cap, "%s%s:%s", neg, k, dhcp_pxe_arch_name(t->arch));
		else
			n = snprintf(buf, cap, "%s%s:%u", neg, k, t->arch);
		break;
	case DHCP_PXE_TERM_VENDOR_CLASS:
	case DHCP_PXE_TERM_USER_CLASS:
		q = strpbrk(t->text, " \t") ? "\"" : "";
		n = snprintf(buf, cap, "%s%s:%s%s%s", neg, k, q, t->text, q);
		break;
	case DHCP_PXE_TERM_MAC:
		n = snprintf(buf, cap, "%s%s:", neg, k);
		if (n >= 0 && (size_t)n < cap)
			n += (int)pxe_hex_encode(buf + n, cap - (size_t)n, t->mac, t->mac_len, ':');
		break;
	case DHCP_PXE_TERM_IPXE_FEATURE:
		n = snprintf(buf, cap, "%s%s:%u", neg, k, t->feature);
		break;
	case DHCP_PXE_TERM_RPI:
		if (t->rpi_model) {
			n = snprintf(buf, cap, "%s%s:%u", neg, k, t->rpi_model);
			break;
		}
		/* fall through */
	default: n = snprintf(buf, cap, "%s%s", neg, k); break;
	}
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

/* ---------------------------------------------------------------- tokens */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

int dhcp_pxe_token(const char **p, char *tok, size_t cap)
{
	const char *s = *p;
	size_t n = 0;
	bool quoted = false, had_quote = false;

	while (is_blank(*s))
		s++;
	for (; *s && (quoted || !is_blank(*s)); s++) {
		if (*s == '"') {
			quoted = !quoted;
			had_quote = true;
			continue;
		}
		if (n + 1 >= cap)
			return -EINVAL;
		tok[n++] = *s;
	}
	*p = s;
	tok[n] = '\0';
	return quoted || (had_quote && n == 0) ? -EINVAL : (int)n;
}
