/* SPDX-License-Identifier: MIT */
/* `match =` terms of [boot NAME] sections: parsing, evaluation against a
 * classified client, and formatting back. Pure.
 *
 * Terms, several per line separated by blanks and/or on repeated `match =`
 * lines; all must hold; the first section in file order whose terms all
 * hold wins; a section without terms matches every client:
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
 *   ipv4, ipv6          the request came over DHCPv4 or DHCPv6 (one section can
 *                       then give each family its own file or URL)
 *   ipxe-feature:N      option 175 carries iPXE's encapsulated option N (a
 *                       feature indicator: 19 HTTP, 36 EFI...), 1-254
 *   known               the client has a [host] entry (dnsmasq's tag:known)
 * Any term may start with '!' to negate it. A value may be double-quoted to
 * hold blanks: vendor-class:"My Class". */
#ifndef DHCP_PXE_MATCH_H
#define DHCP_PXE_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "client.h"

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
	DHCP_PXE_TERM_IPV4,
	DHCP_PXE_TERM_IPV6,
	DHCP_PXE_TERM_IPXE_FEATURE,
	DHCP_PXE_TERM_KNOWN,
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
	uint8_t feature;                   /* ipxe-feature:N */
	char text[DHCP_PXE_TERM_TEXT + 1]; /* vendor-class / user-class value */
};

/* ---- terms */
/* Parse one term of len bytes (no quotes). 0 or -EINVAL with err. */
int dhcp_pxe_term_parse(const char *text, size_t len, struct dhcp_pxe_term *out,
			struct pxe_err *err);
bool dhcp_pxe_term_eval(const struct dhcp_pxe_term *t, const struct dhcp_pxe_client *c);
/* The term as it would be written in the config; length or -ENOSPC. */
int dhcp_pxe_term_format(const struct dhcp_pxe_term *t, char *buf, size_t cap);

/* What a term may be, for messages: "expected arch:NAME|NUMBER, ...". */
extern const char dhcp_pxe_term_expected[];

/* The next blank-separated token of *p into tok (double quotes removed,
 * so a token may hold blanks: vendor-class:"My Class"). Returns its
 * length, 0 at the end, or -EINVAL for an unterminated quote, an empty
 * quoted token or one longer than cap - 1. */
int dhcp_pxe_token(const char **p, char *tok, size_t cap);

#endif
