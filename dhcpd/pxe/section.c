/* SPDX-License-Identifier: MIT */
/* [boot NAME] sections: the PXE keys, the section check, first-match
 * selection, and the boot file and option 43 a section gives a client
 * (see section.h). */
#include "section.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "subst.h"

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

int dhcp_pxe_boot_add_match(struct dhcp_pxe_boot *b, const char *line, struct pxe_err *err)
{
	char tok[DHCP_PXE_TERM_TEXT + 32];
	const char *p = line;
	size_t before = b->n_terms;
	int n, r;

	while ((n = dhcp_pxe_token(&p, tok, sizeof(tok))) > 0) {
		if (b->n_terms == DHCP_PXE_MAX_TERMS) {
			b->n_terms = before;
			return pxe_err_set(err, E2BIG, "more than %d match terms",
					   DHCP_PXE_MAX_TERMS);
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
		return pxe_err_set(err, EINVAL,
				   "unterminated quote, empty \"\" or term too long in '%.60s'",
				   line);
	}
	if (b->n_terms == before)
		return pxe_err_set(err, EINVAL, "no term given; %s", dhcp_pxe_term_expected);
	return 0;
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
		return pxe_err_set(err, EINVAL,
				   "UEFI HTTP Boot clients need an absolute URL as file, "
				   "e.g. http://${server}/ipxe.efi, got '%.60s'",
				   b->file);
	return 0;
}

bool dhcp_pxe_boot_gives_file(const struct dhcp_pxe_boot *b)
{
	return b->file[0] || b->menu.n > 0;
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

/* -------------------------------------------------------- reply contents */

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
	if (dhcp_pxe_client_is_rpi_rom(c) && !(b && b->rpi == DHCP_PXE_RPI_MODE_NO))
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

static bool is_url(const char *file)
{
	return strncmp(file, "http://", 7) == 0 || strncmp(file, "https://", 8) == 0;
}

const char *dhcp_pxe_boot_opt60(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c,
				const char *file)
{
	if (b && b->opt60 == DHCP_PXE_OPT60_NEVER)
		return NULL;
	const char *vc = dhcp_pxe_reply_vendor_class(c);
	/* An HTTP Boot client given a TFTP path (or nothing) cannot use the
	 * offer as a boot offer: a plain one, as dnsmasq sends. EDK2 still
	 * takes the address from it (HttpBootDhcp4.c: HttpOfferTypeDhcpOnly). */
	if (vc && c->http_client && !(file && is_url(file)))
		return NULL;
	return vc;
}

void dhcp_pxe_boot_number_items(struct dhcp_pxe_boot *b, uint16_t *next)
{
	for (size_t i = 0; i < b->menu.n; i++)
		if (b->menu.items[i].type != DHCP_PXE_ITEM_LOCAL && *next < 0xffff)
			b->menu.items[i].type = (*next)++;
}
