/* `match =` terms and first-match selection of [boot NAME] sections
 * (see match.h for the term language). */
#include "match.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "arch.h"
#include "subst.h"

static const char term_expected[] =
	"expected arch:NAME|NUMBER, vendor-class:PREFIX, user-class:TEXT, mac:PREFIX, "
	"ipxe, rpi[:3|4|5], http, uefi or pxe (each may start with '!')";

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

/* Terms without a value: ipxe, http, uefi, pxe. */
static bool parse_flag(const char *k, size_t kn, struct dhcp_pxe_term *t)
{
	static const struct {
		const char *name;
		enum dhcp_pxe_term_kind kind;
	} flags[] = {
		{"ipxe", DHCP_PXE_TERM_IPXE},
		{"http", DHCP_PXE_TERM_HTTP},
		{"uefi", DHCP_PXE_TERM_UEFI},
		{"pxe", DHCP_PXE_TERM_PXE},
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
	return pxe_err_set(err, EINVAL, "%s, got '%s%.*s'", term_expected, out->negate ? "!" : "",
			   (int)(len > 60 ? 60 : len), text);
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
	}
	return false;
}

bool dhcp_pxe_term_eval(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c)
{
	return eval_positive(t, c) != t->negate;
}

bool dhcp_pxe_boot_matches(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c)
{
	for (size_t i = 0; i < b->n_terms; i++)
		if (!dhcp_pxe_term_eval(&b->terms[i], c))
			return false;
	return true;
}

const struct dhcp_pxe_boot *dhcp_pxe_select(const struct dhcp_pxe_boot *sections, size_t n,
					    const struct dhcp_pxe_client *c)
{
	for (size_t i = 0; i < n; i++)
		if (dhcp_pxe_boot_matches(&sections[i], c))
			return &sections[i];
	return NULL;
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

/* ------------------------------------------------------------- sections */

int dhcp_pxe_boot_init(struct dhcp_pxe_boot *b, const char *name, struct pxe_err *err)
{
	size_t n = name ? strlen(name) : 0;

	memset(b, 0, sizeof(*b));
	if (n == 0 || n > DHCP_PXE_NAME_MAX)
		return pxe_err_set(err, EINVAL,
				   "[boot NAME]: the name must have 1 to %d characters",
				   DHCP_PXE_NAME_MAX);
	memcpy(b->name, name, n + 1);
	return 0;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Next blank-separated token of *p into tok (quotes removed). Returns its
 * length, 0 at the end, or -EINVAL for an unterminated quote, an empty
 * quoted token or an overlong one. */
static int next_token(const char **p, char *tok, size_t cap)
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

int dhcp_pxe_boot_add_match(struct dhcp_pxe_boot *b, const char *line, struct pxe_err *err)
{
	char tok[DHCP_PXE_TERM_TEXT + 32];
	const char *p = line;
	size_t before = b->n_terms;
	int n, r;

	while ((n = next_token(&p, tok, sizeof(tok))) > 0) {
		if (b->n_terms == DHCP_PXE_MAX_TERMS) {
			b->n_terms = before;
			return pxe_err_set(err, E2BIG, "[boot %s]: more than %d match terms",
					   b->name, DHCP_PXE_MAX_TERMS);
		}
		r = dhcp_pxe_term_parse(tok, (size_t)n, &b->terms[b->n_terms], err);
		if (r < 0) {
			b->n_terms = before; /* a refused line adds nothing */
			return r;
		}
		b->n_terms++;
	}
	if (n < 0) {
		b->n_terms = before;
		return pxe_err_set(
			err, EINVAL,
			"match: unterminated quote, empty \"\" or term too long in '%.60s'", line);
	}
	if (b->n_terms == before)
		return pxe_err_set(err, EINVAL, "match: no term given; %s", term_expected);
	return 0;
}

static int set_text(char *dst, size_t cap, const char *key, const char *value, struct pxe_err *err)
{
	size_t n = strlen(value);

	if (n >= cap)
		return pxe_err_set(err, EINVAL, "%s: at most %zu characters, got %zu", key, cap - 1,
				   n);
	memcpy(dst, value, n + 1);
	return 0;
}

static int set_file(char *dst, const char *key, const char *value, struct pxe_err *err)
{
	int r = set_text(dst, DHCP_PXE_FILE_MAX + 1, key, value, err);
	return r < 0 ? r : dhcp_pxe_subst_check(value, err);
}

static int set_ipv4(uint32_t *be, const char *key, const char *value, struct pxe_err *err)
{
	struct in_addr a;

	if (inet_pton(AF_INET, value, &a) != 1)
		return pxe_err_set(err, EINVAL,
				   "%s: expected an IPv4 address such as 198.18.0.5, got '%.40s'",
				   key, value);
	*be = a.s_addr;
	return 0;
}

/* menu-item = FILE|local TEXT... */
static int add_menu_item(struct dhcp_pxe_boot *b, const char *value, struct pxe_err *err)
{
	struct dhcp_pxe_menu *m = &b->menu;
	struct dhcp_pxe_menu_item *it;
	char file[DHCP_PXE_FILE_MAX + 1];
	const char *p = value;
	size_t next = DHCP_PXE_ITEM_FIRST;
	int n, r;

	if (m->n == DHCP_PXE_MENU_MAX_ITEMS)
		return pxe_err_set(err, E2BIG, "menu-item: at most %d items",
				   DHCP_PXE_MENU_MAX_ITEMS);
	n = next_token(&p, file, sizeof(file));
	while (is_blank(*p))
		p++;
	if (n <= 0 || !*p)
		return pxe_err_set(err, EINVAL,
				   "menu-item: expected FILE TEXT or local TEXT, e.g. "
				   "menu-item = pxelinux.0 Install Linux");
	it = &m->items[m->n];
	memset(it, 0, sizeof(*it));
	r = set_text(it->text, sizeof(it->text), "menu-item text", p, err);
	if (r < 0)
		return r;
	if (strcmp(file, "local") == 0) {
		it->type = DHCP_PXE_ITEM_LOCAL;
	} else {
		r = set_file(it->file, "menu-item file", file, err);
		if (r < 0)
			return r;
		for (size_t i = 0; i < m->n; i++)
			if (m->items[i].type != DHCP_PXE_ITEM_LOCAL)
				next++;
		it->type = (uint16_t)next;
	}
	m->n++;
	r = dhcp_pxe_menu_check(m, err);
	if (r < 0)
		m->n--;
	return r;
}

/* menu-prompt = SECONDS TEXT (0 boots the first item, 255 waits). */
static int set_prompt(struct dhcp_pxe_boot *b, const char *value, struct pxe_err *err)
{
	struct dhcp_pxe_menu *m = &b->menu;
	struct dhcp_pxe_menu old = *m;
	unsigned t;
	int used = 0, r;

	if (sscanf(value, "%3u%n", &t, &used) != 1 || t > 255 ||
	    (value[used] && !is_blank(value[used])))
		return pxe_err_set(err, EINVAL,
				   "menu-prompt: expected SECONDS (0-255) then the text, e.g. "
				   "menu-prompt = 10 Press F8 for the boot menu");
	value += used;
	while (is_blank(*value))
		value++;
	r = set_text(m->prompt, sizeof(m->prompt), "menu-prompt", value, err);
	if (r == 0) {
		m->has_prompt = true;
		m->timeout = (uint8_t)t;
		r = dhcp_pxe_menu_check(m, err);
	}
	/* A refused prompt leaves the previous one (or the default) in
	 * force, so the menu stays within its 255 bytes. */
	if (r < 0)
		*m = old;
	return r;
}

static int set_enum(int *dst, const char *key, const char *value, const char *const *words, int n,
		    struct pxe_err *err)
{
	for (int i = 0; i < n; i++) {
		if (strcmp(value, words[i]) == 0) {
			*dst = i;
			return 0;
		}
	}
	return pxe_err_set(err, EINVAL, "%s: expected %s, %s or %s, got '%.40s'", key, words[0],
			   words[1], words[2], value);
}

int dhcp_pxe_boot_set(struct dhcp_pxe_boot *b, const char *key, const char *value,
		      struct pxe_err *err)
{
	static const char *const pads[] = {"auto", "yes", "no"};
	static const char *const o43[] = {"auto", "never", "no-uefi"};
	int v = 0, r;

	if (strcmp(key, "match") == 0)
		return dhcp_pxe_boot_add_match(b, value, err);
	if (strcmp(key, "file") == 0)
		return set_file(b->file, "file", value, err);
	if (strcmp(key, "server-name") == 0)
		return set_text(b->server_name, sizeof(b->server_name), "server-name", value, err);
	if (strcmp(key, "next-server") == 0) {
		r = set_ipv4(&b->next_server_be, "next-server", value, err);
		b->has_next_server = r == 0;
		return r;
	}
	if (strcmp(key, "menu-item") == 0)
		return add_menu_item(b, value, err);
	if (strcmp(key, "menu-prompt") == 0)
		return set_prompt(b, value, err);
	if (strcmp(key, "rpi-pad") == 0) {
		r = set_enum(&v, key, value, pads, 3, err);
		b->rpi_pad = (enum dhcp_pxe_rpi_pad)v;
		return r;
	}
	if (strcmp(key, "option43") == 0) {
		r = set_enum(&v, key, value, o43, 3, err);
		b->opt43 = (enum dhcp_pxe_opt43_mode)v;
		return r;
	}
	return -ENOENT;
}

/* Whether the section only ever matches UEFI HTTP Boot clients. */
static bool boot_is_http_only(const struct dhcp_pxe_boot *b)
{
	for (size_t i = 0; i < b->n_terms; i++) {
		const struct dhcp_pxe_term *t = &b->terms[i];
		if (t->negate)
			continue;
		if (t->kind == DHCP_PXE_TERM_HTTP ||
		    (t->kind == DHCP_PXE_TERM_ARCH && dhcp_pxe_arch_is_http(t->arch)) ||
		    (t->kind == DHCP_PXE_TERM_VENDOR_CLASS &&
		     strncmp(t->text, "HTTPClient", 10) == 0))
			return true;
	}
	return false;
}

int dhcp_pxe_boot_check(const struct dhcp_pxe_boot *b, struct pxe_err *err)
{
	int r = dhcp_pxe_menu_check(&b->menu, err);
	if (r < 0)
		return r;
	r = dhcp_pxe_subst_check(b->file, err);
	if (r < 0)
		return r;
	/* EDK2 drops an HTTP offer whose boot file is not a URI. */
	if (b->file[0] && boot_is_http_only(b) && !dhcp_pxe_file_is_url(b->file))
		return pxe_err_set(
			err, EINVAL,
			"[boot %s]: UEFI HTTP Boot clients need an absolute URL as file, "
			"e.g. http://${server}/ipxe.efi, got '%.60s'",
			b->name, b->file);
	return 0;
}

/* -------------------------------------------------------- reply contents */

bool dhcp_pxe_client_is_rpi_rom(const struct dhcp_pxe_client *c)
{
	return c->rpi != DHCP_PXE_RPI_NONE && !c->is_ipxe &&
	       (!c->arch_known || c->arch == DHCP_PXE_ARCH_BIOS ||
		c->arch == DHCP_PXE_ARCH_RPIBOOT);
}

static bool uefi_single_item(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c)
{
	/* dnsmasq's pxe_uefi_workaround: "many UEFI PXE implementations have
	 * badly broken menu code", so one item is given as file directly. */
	return c->is_uefi && b->menu.n == 1 && b->menu.items[0].type != DHCP_PXE_ITEM_LOCAL;
}

const char *dhcp_pxe_boot_file(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c)
{
	const struct dhcp_pxe_menu_item *it;

	if (!b)
		return NULL;
	if (c->has_boot_item) {
		it = dhcp_pxe_menu_find(&b->menu, c->boot_item_type);
		if (it)
			return it->file[0] ? it->file : NULL;
		/* No menu: a BINL/4011 request for the default item gets the file. */
		return b->file[0] ? b->file : NULL;
	}
	if (uefi_single_item(b, c))
		return b->menu.items[0].file;
	return b->file[0] ? b->file : NULL;
}

static bool rpi_pad(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c)
{
	enum dhcp_pxe_rpi_pad p = b ? b->rpi_pad : DHCP_PXE_RPI_PAD_AUTO;
	return p == DHCP_PXE_RPI_PAD_YES ||
	       (p == DHCP_PXE_RPI_PAD_AUTO && c->rpi == DHCP_PXE_RPI_3B);
}

int dhcp_pxe_boot_opt43(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c,
			uint32_t server_be, uint8_t *out, size_t cap)
{
	enum dhcp_pxe_opt43_mode mode = b ? b->opt43 : DHCP_PXE_OPT43_AUTO;

	/* A port-4011 boot-server request (43.71) is answered with the item
	 * echoed whatever the mode: the client is already in PXE discovery. */
	if (c->has_boot_item)
		return dhcp_pxe_opt43_build_item(out, cap, c->boot_item_type, c->boot_item_layer);
	if (mode == DHCP_PXE_OPT43_NEVER)
		return 0;
	if (dhcp_pxe_client_is_rpi_rom(c))
		return dhcp_pxe_opt43_build_rpi(out, cap, rpi_pad(b, c));
	/* Option 43 is PXE's vendor space only when 60 is PXEClient; an
	 * HTTPClient or plain DHCP client gets none. */
	if (!c->pxe_client)
		return 0;
	if (mode == DHCP_PXE_OPT43_NO_UEFI && c->is_uefi)
		return 0;
	if (b && b->menu.n > 0 && !uefi_single_item(b, c))
		return dhcp_pxe_opt43_build_menu(out, cap, &b->menu, server_be);
	return dhcp_pxe_opt43_build_nomenu(out, cap);
}
