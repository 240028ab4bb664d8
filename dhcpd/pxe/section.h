/* SPDX-License-Identifier: MIT */
/* [boot NAME] sections, the part the PXE layer owns: the match terms, the
 * boot file and server, the PXE menu and the option 43 form (their keys
 * are in keys.h); and what a section gives one client: whether it
 * matches, which boot file, which option 43. Pure. */
#ifndef DHCP_PXE_SECTION_H
#define DHCP_PXE_SECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "client.h"
#include "match.h"
#include "opt43.h"

#define DHCP_PXE_MAX_TERMS 16
#define DHCP_PXE_NAME_MAX  63

enum dhcp_pxe_rpi_pad {
	DHCP_PXE_RPI_PAD_AUTO, /* pad only for the Pi 3B's constant GUID */
	DHCP_PXE_RPI_PAD_YES,
	DHCP_PXE_RPI_PAD_NO,
};

enum dhcp_pxe_opt43_mode {
	DHCP_PXE_OPT43_AUTO,    /* menu, no-menu or Raspberry Pi form, as fits */
	DHCP_PXE_OPT43_NEVER,   /* no option 43 at all */
	DHCP_PXE_OPT43_NO_UEFI, /* none for UEFI clients (pixiecore's choice: they
				 * then send a BINL request to port 4011) */
};

enum dhcp_pxe_rpi_mode {
	DHCP_PXE_RPI_MODE_AUTO, /* a Pi boot ROM gets the "Raspberry Pi Boot" 43 */
	DHCP_PXE_RPI_MODE_NO,   /* a Pi is an ordinary PXE client (dnsmasq without Pi
				 * lines) */
};

enum dhcp_pxe_opt60_mode {
	DHCP_PXE_OPT60_AUTO,  /* PXEClient to PXE firmware, HTTPClient with a URL */
	DHCP_PXE_OPT60_NEVER, /* a plain offer: file and siaddr, no option 60 */
};

struct dhcp_pxe_boot {
	char name[DHCP_PXE_NAME_MAX + 1];
	size_t n_terms;
	struct dhcp_pxe_term terms[DHCP_PXE_MAX_TERMS];
	char file[DHCP_PXE_FILE_MAX + 1]; /* template, "" = none */
	char server_name[64];             /* sname, "" = none */
	bool has_next_server;
	uint32_t next_server_be; /* siaddr, network byte order */
	struct dhcp_pxe_menu menu;
	enum dhcp_pxe_rpi_pad rpi_pad;
	enum dhcp_pxe_opt43_mode opt43;
	enum dhcp_pxe_rpi_mode rpi;
	enum dhcp_pxe_opt60_mode opt60;
};

/* ---- sections */
/* Empty section; -EINVAL when the name is empty or longer than 63. */
int dhcp_pxe_boot_init(struct dhcp_pxe_boot *b, const char *name, struct pxe_err *err);
/* Append the terms of one `match =` line; a refused line adds none. */
int dhcp_pxe_boot_add_match(struct dhcp_pxe_boot *b, const char *line, struct pxe_err *err);
/* Whole-section check after the last key: menu size ≤ 255 bytes, ${}
 * names, and an absolute URL as file in a section that matches only UEFI
 * HTTP Boot clients (http, an HTTP arch, vendor-class:HTTPClient…). */
int dhcp_pxe_boot_check(const struct dhcp_pxe_boot *b, struct pxe_err *err);

/* Whether the section has something to boot for the clients it matches: a
 * file, or a menu to choose one from (dhcp_pxe_serves asks the same of a
 * decision). A section without either still ends the search for them:
 * the sections after it are not tried. */
bool dhcp_pxe_boot_gives_file(const struct dhcp_pxe_boot *b);

bool dhcp_pxe_boot_matches(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c);
/* The first section whose terms all hold, or NULL. */
const struct dhcp_pxe_boot *dhcp_pxe_select(const struct dhcp_pxe_boot *sections, size_t n,
					    const struct dhcp_pxe_client *c);

/* ---- what a chosen section gives a client */
/* The boot file template for c (before ${} expansion), or NULL for none:
 * the 43.71 item's file in a boot-server request; the only item's file for
 * a UEFI client when the menu has one item (dnsmasq's workaround for
 * broken UEFI menu code); else the section's `file`. */
const char *dhcp_pxe_boot_file(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c);
/* Option 60 for a reply to c whose boot file is file (expanded, "" for
 * none), or NULL for none: as dhcp_pxe_reply_vendor_class, except that
 * "HTTPClient" goes only with an http:// or https:// file (EDK2's HTTP Boot
 * takes nothing else, and dnsmasq sends such a client a plain offer), and
 * option60 = never sends none. */
const char *dhcp_pxe_boot_opt60(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c,
				const char *file);
/* Menu item types across all sections in file order, from 0x8000, as
 * dnsmasq numbers its pxe-service lines across the whole file: call once
 * per section, in order, with the same *next (start it at
 * DHCP_PXE_ITEM_FIRST). */
void dhcp_pxe_boot_number_items(struct dhcp_pxe_boot *b, uint16_t *next);
/* Option 43 value for a reply to c into out (cap ≥ 255 is always enough):
 * length, 0 for "send no option 43", or a negative errno.
 * server_be is our address, used for 43.8. */
int dhcp_pxe_boot_opt43(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c,
			uint32_t server_be, uint8_t *out, size_t cap);

#endif
