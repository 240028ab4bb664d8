/* SPDX-License-Identifier: MIT */
/* libFuzzer: PXE client classification, option 43 parsing and building,
 * match terms and ${} expansion, on arbitrary bytes.
 *
 * Input: byte 0 = flags (which options are present), then for options
 * 60, 77, 93, 94, 97, 43, 175 and chaddr one length byte and that many
 * bytes each (cut short at the end of the input); the rest is used as
 * menu texts, a match line and a template. Every option value is copied
 * into its own malloc'ed buffer of exactly its size, so ASan sees any
 * read past it. Invariants (abort on violation):
 *   - classification stays inside its fixed fields;
 *   - a built option 43 is at most 255 bytes, matches the computed size,
 *     and parses back cleanly with the same number of items;
 *   - a parsed term formats and parses back to the same term;
 *   - an expansion fits its buffer and says its true length. */
#include "pxe/arch.h"
#include "pxe/client.h"
#include "pxe/keys.h"
#include "pxe/match.h"
#include "pxe/opt43.h"
#include "pxe/subst.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct cursor {
	const uint8_t *p;
	size_t n;
};

static uint8_t *take(struct cursor *c, size_t *len)
{
	size_t n;
	uint8_t *b;

	if (c->n == 0) {
		*len = 0;
		return malloc(1);
	}
	n = c->p[0];
	c->p++;
	c->n--;
	if (n > c->n)
		n = c->n;
	b = malloc(n ? n : 1);
	if (b && n)
		memcpy(b, c->p, n);
	c->p += n;
	c->n -= n;
	*len = n;
	return b;
}

/* A NUL-terminated copy of the next length-prefixed chunk. */
static char *take_str(struct cursor *c)
{
	size_t n;
	uint8_t *b = take(c, &n);
	char *s = malloc(n + 1);

	if (s) {
		if (n)
			memcpy(s, b, n);
		s[n] = '\0';
	}
	free(b);
	return s;
}

static void check_client(const struct dhcp_pxe_client *cl)
{
	if (!cl->arch_name || cl->n_archs > DHCP_PXE_MAX_ARCHS)
		abort();
	if (strlen(cl->vendor_class) > DHCP_PXE_MAX_VC || cl->mac_len > 16)
		abort();
	if (cl->is_uefi && !cl->arch_known)
		abort();
	(void)dhcp_pxe_client_class(cl);
}

static void check_opt43_parse(const uint8_t *b, size_t n)
{
	struct dhcp_pxe_opt43_info info;
	int r = dhcp_pxe_opt43_parse(b, n, &info);

	if (r != 0 && r != -EINVAL)
		abort();
	if (r == -EINVAL && !info.malformed)
		abort();
}

/* Feed [boot] keys chosen by the input, then check what was accepted. */
static void check_menu(struct cursor *c, const struct dhcp_pxe_client *cl)
{
	static const char *const keys[] = {"menu-item", "menu-item",   "menu-prompt",
					   "file",      "next-server", "server-name",
					   "rpi-pad",   "option43",    "match"};
	struct dhcp_pxe_boot boot;
	struct dhcp_pxe_opt43_info info;
	uint8_t out[DHCP_PXE_OPT43_MAX];
	size_t items = c->n ? c->p[0] % (DHCP_PXE_MENU_MAX_ITEMS + 4) : 0;
	int r;

	if (dhcp_pxe_boot_init(&boot, "fuzz", NULL) < 0)
		abort();
	for (size_t i = 0; i < items; i++) {
		const char *key = keys[(c->n ? c->p[0] : i) % (sizeof(keys) / sizeof(keys[0]))];
		char *s = take_str(c);
		if (s) {
			r = dhcp_pxe_boot_set(&boot, key, s, NULL);
			if (r != 0 && r != -EINVAL && r != -EMSGSIZE && r != -E2BIG)
				abort();
		}
		free(s);
	}
	if (dhcp_pxe_menu_check(&boot.menu, NULL) < 0)
		abort(); /* every accepted line kept the menu within 255 bytes */
	(void)dhcp_pxe_boot_check(&boot, NULL);
	r = dhcp_pxe_opt43_build_menu(out, sizeof(out), &boot.menu, 0x0100a8c0);
	if (r < 0 || r > DHCP_PXE_OPT43_MAX)
		abort();
	if (boot.menu.n && (size_t)r != dhcp_pxe_menu_size(&boot.menu))
		abort();
	if (dhcp_pxe_opt43_parse(out, (size_t)r, &info) != 0 || info.malformed || !info.end_seen)
		abort();
	if (boot.menu.n && info.n_menu_items != boot.menu.n)
		abort();
	r = dhcp_pxe_boot_opt43(&boot, cl, 0x0100a8c0, out, sizeof(out));
	if (r < 0 || r > DHCP_PXE_OPT43_MAX)
		abort();
	r = dhcp_pxe_boot_opt43(&boot, cl, 0, out, sizeof(out));
	if (r < 0 || r > DHCP_PXE_OPT43_MAX)
		abort();
	(void)dhcp_pxe_boot_file(&boot, cl);
	(void)dhcp_pxe_boot_matches(&boot, cl);
}

static void check_terms(struct cursor *c, const struct dhcp_pxe_client *cl)
{
	struct dhcp_pxe_boot boot;
	char *line = take_str(c);
	char buf[DHCP_PXE_TERM_TEXT + 64];

	if (!line || dhcp_pxe_boot_init(&boot, "fuzz", NULL) < 0) {
		free(line);
		return;
	}
	if (dhcp_pxe_boot_add_match(&boot, line, NULL) == 0) {
		for (size_t i = 0; i < boot.n_terms; i++) {
			struct dhcp_pxe_term t2;
			int n = dhcp_pxe_term_format(&boot.terms[i], buf, sizeof(buf));
			if (n < 0)
				abort();
			/* Quoted values (blanks inside) go back through the line parser. */
			if (!strpbrk(buf, "\"") &&
			    (dhcp_pxe_term_parse(buf, (size_t)n, &t2, NULL) != 0 ||
			     memcmp(&t2, &boot.terms[i], sizeof(t2)) != 0))
				abort();
		}
		(void)dhcp_pxe_select(&boot, 1, cl);
	}
	free(line);
}

static void check_subst(struct cursor *c, const struct dhcp_pxe_client *cl)
{
	char *tmpl = take_str(c);
	size_t cap = c->n ? (size_t)c->p[0] % 200 + 1 : 64;
	char *out = malloc(cap);
	/* ${server} in the DHCPv6 form too, when the flags byte says so */
	static const uint8_t v6[16] = {0xfd, 0, 1, 0x98, 0, 0x18, [15] = 1};
	struct dhcp_pxe_subst_vars v = {.server_be = 0x0100a8c0,
					.server6 = cl->family == 6 ? v6 : NULL,
					.mac = cl->mac,
					.mac_len = cl->mac_len,
					.arch_known = cl->arch_known,
					.arch = cl->arch};
	int r;

	if (tmpl && out) {
		r = dhcp_pxe_subst(out, cap, tmpl, &v);
		if (r >= 0 && ((size_t)r >= cap || strlen(out) != (size_t)r))
			abort();
		if (r < 0 && out[0] != '\0')
			abort();
		if (r >= 0 && dhcp_pxe_subst_check(tmpl, NULL) != 0)
			abort(); /* a template the loader refuses never expands */
		if (dhcp_pxe_url_host_is_name(tmpl) && !dhcp_pxe_file_is_url(tmpl))
			abort();
	}
	free(tmpl);
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cursor c = {data, size};
	struct dhcp_pxe_raw in;
	struct dhcp_pxe_client cl;
	struct dhcp_pxe_bytes *opts[7];
	uint8_t *bufs[8];
	size_t lens[8];
	uint8_t flags;

	if (size == 0)
		return 0;
	flags = data[0];
	c.p++;
	c.n--;
	memset(&in, 0, sizeof(in));
	opts[0] = &in.vendor_class;
	opts[1] = &in.user_class;
	opts[2] = &in.arch;
	opts[3] = &in.ndi;
	opts[4] = &in.uuid;
	opts[5] = &in.vendor_opts;
	opts[6] = &in.ipxe_encap;
	for (int i = 0; i < 8; i++)
		bufs[i] = take(&c, &lens[i]);
	for (int i = 0; i < 7; i++) {
		if (flags & (1u << i)) {
			opts[i]->data = bufs[i];
			opts[i]->len = lens[i];
		}
	}
	if (flags & 0x80) {
		in.chaddr = bufs[7];
		in.hlen = lens[7];
	}
	in.msg_type = flags & 0x0f;
	in.family = flags & 0x10 ? 6 : 4; /* the ipv4/ipv6 terms, ${server} in brackets */
	in.known = flags & 0x20;          /* the known term */
	dhcp_pxe_client_classify(&in, &cl);
	check_client(&cl);
	check_opt43_parse(bufs[5], lens[5]);
	check_menu(&c, &cl);
	check_terms(&c, &cl);
	check_subst(&c, &cl);
	for (int i = 0; i < 8; i++)
		free(bufs[i]);
	return 0;
}
