/* [boot NAME] sections: `match =` terms, the section's boot keys, and the
 * choice of section, file and option 43 for one client. Pure.
 *
 * Match terms (DESIGN.md), several per line separated by blanks and/or on
 * repeated `match =` lines; all must hold; the first section in file order
 * whose terms all hold wins; a section without terms matches every client:
 *   arch:NAME|NUMBER    option 93 (any element) or "…Client:Arch:NNNNN" in
 *                       60; a NAME matches every code of that name (x64-uefi:
 *                       7 and 9), a NUMBER exactly that code
 *   vendor-class:PREFIX option 60 starts with PREFIX (case-sensitive)
 *   user-class:TEXT     option 77 holds TEXT (an RFC 3004 item, or the bare
 *                       value as iPXE sends it)
 *   mac:PREFIX          chaddr starts with 1-6 hex bytes (52:54:00, 52-54-00)
 *   ipxe                user class "iPXE" or option 175 present
 *   rpi, rpi:3|4|5      a Raspberry Pi (option 97 fourcc or MAC OUI)
 *   http                a UEFI HTTP Boot client (60 "HTTPClient" or HTTP arch)
 *   uefi                a UEFI architecture
 *   pxe                 option 60 starts with "PXEClient"
 * Any term may start with '!' to negate it. A value may be double-quoted to
 * hold blanks: vendor-class:"My Class". */
#ifndef DHCP_PXE_MATCH_H
#define DHCP_PXE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "client.h"
#include "opt43.h"

enum dhcp_pxe_term_kind {
	DHCP_PXE_TERM_ARCH,
	DHCP_PXE_TERM_VENDOR_CLASS,
	DHCP_PXE_TERM_USER_CLASS,
	DHCP_PXE_TERM_MAC,
	DHCP_PXE_TERM_IPXE,
	DHCP_PXE_TERM_RPI,
	DHCP_PXE_TERM_HTTP,
	DHCP_PXE_TERM_UEFI,
	DHCP_PXE_TERM_PXE,
};

#define DHCP_PXE_TERM_TEXT 255

struct dhcp_pxe_term {
	enum dhcp_pxe_term_kind kind;
	bool negate;
	bool arch_by_name; /* arch: by name (7 ~ 9) or exact number */
	uint16_t arch;
	uint8_t mac[6]; /* mac: prefix */
	uint8_t mac_len;
	uint8_t rpi_model;                 /* rpi:N, 0 = any */
	char text[DHCP_PXE_TERM_TEXT + 1]; /* vendor-class / user-class value */
};

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
	void *user; /* the integrator's own per-section data (options …) */
};

/* ---- terms */
/* Parse one term of len bytes (no quotes). 0 or -EINVAL with err. */
int dhcp_pxe_term_parse(const char *text, size_t len, struct dhcp_pxe_term *out,
			struct pxe_err *err);
bool dhcp_pxe_term_eval(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c);
/* The term as it would be written in the config; length or -ENOSPC. */
int dhcp_pxe_term_format(const struct dhcp_pxe_term *t, char *buf, size_t cap);

/* ---- sections */
/* Empty section; -EINVAL when the name is empty or longer than 63. */
int dhcp_pxe_boot_init(struct dhcp_pxe_boot *b, const char *name, struct pxe_err *err);
/* One INI key of a [boot NAME] section: match, file, next-server,
 * server-name, menu-item, menu-prompt, rpi-pad, option43. 0; -EINVAL with
 * err for a bad value; -ENOENT (err untouched) for a key that is not ours,
 * so the caller can handle `option` and report unknown keys itself. */
int dhcp_pxe_boot_set(struct dhcp_pxe_boot *b, const char *key, const char *value,
		      struct pxe_err *err);
/* Append the terms of one `match =` line. */
int dhcp_pxe_boot_add_match(struct dhcp_pxe_boot *b, const char *line, struct pxe_err *err);
/* Whole-section check after the last key: menu size ≤ 255 bytes, ${}
 * names, and an absolute URL as file in a section that matches only UEFI
 * HTTP Boot clients (http, an HTTP arch, vendor-class:HTTPClient…). */
int dhcp_pxe_boot_check(const struct dhcp_pxe_boot *b, struct pxe_err *err);

bool dhcp_pxe_boot_matches(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c);
/* The first section whose terms all hold, or NULL. */
const struct dhcp_pxe_boot *dhcp_pxe_select(const struct dhcp_pxe_boot *sections, size_t n,
					    const struct dhcp_pxe_client *c);

/* ---- reply contents for a chosen section */
/* EDK2 ignores HTTP Boot offers larger than this (HttpBootDhcp4.h
 * HTTP_BOOT_DHCP4_PACKET_MAX_SIZE): the reply builder's cap for them. */
#define DHCP_PXE_HTTP_MAX_OFFER 1472

/* Whether c is a Raspberry Pi boot ROM/EEPROM (Pi detected, arch 0 or 41
 * or none, not iPXE): such clients get the Pi option 43 form. A Pi
 * running UEFI firmware (arch 11) is an ordinary UEFI client. */
bool dhcp_pxe_client_is_rpi_rom(const struct dhcp_pxe_client *c);
/* The boot file template for c (before ${} expansion), or NULL for none:
 * the 43.71 item's file in a boot-server request; the only item's file for
 * a UEFI client when the menu has one item (dnsmasq's workaround for
 * broken UEFI menu code); else the section's `file`. */
const char *dhcp_pxe_boot_file(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c);
/* Option 43 value for a reply to c into out (cap ≥ 255 is always enough):
 * length, 0 for "send no option 43", or a negative errno.
 * server_be is our address, used for 43.8. */
int dhcp_pxe_boot_opt43(const struct dhcp_pxe_boot *b, const struct dhcp_pxe_client *c,
			uint32_t server_be, uint8_t *out, size_t cap);

#endif
