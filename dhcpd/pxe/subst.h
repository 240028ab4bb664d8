/* SPDX-License-Identifier: MIT */
/* ${...} variables in boot file names and URLs. Pure and bounded.
 *
 *   ${server}     our address on the interface the request came in on: IPv4
 *                 dotted, or for a DHCPv6 request IPv6 in brackets as a URL
 *                 needs it (RFC 3986 §3.2.2): [fd00::1]
 *   ${mac}        client MAC, lower-case hex with colons: 52:54:00:12:34:56
 *   ${mac-hyphen} the same with hyphens: 52-54-00-12-34-56
 *   ${mac-hex}    the same without separators: 525400123456
 *   ${arch}       the client's canonical architecture name: x64-uefi
 *   ${arch-code}  its option 93 code in decimal: 7
 *
 * A '$' not followed by '{' is copied as is. An unknown name or a '${'
 * without '}' is an error, caught at load time by dhcp_pxe_subst_check. */
#ifndef DHCP_PXE_SUBST_H
#define DHCP_PXE_SUBST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct dhcp_pxe_subst_vars {
	uint32_t server_be;     /* network byte order; 0 = unknown */
	const uint8_t *server6; /* 16 bytes: DHCPv6, ${server} is this, bracketed */
	const uint8_t *mac;     /* NULL or mac_len bytes (at most 16) */
	size_t mac_len;
	bool arch_known;
	uint16_t arch;
};

/* Validate a template (names and braces only). 0 or -EINVAL with err. */
int dhcp_pxe_subst_check(const char *tmpl, struct pxe_err *err);
/* Expand tmpl into out (cap bytes including the NUL). Returns the length,
 * or -ENOSPC when it does not fit (out is then ""), -EINVAL for a bad
 * template or a variable with no value (${server} with server_be 0, ${mac}
 * without a MAC, ${arch} when unknown). */
int dhcp_pxe_subst(char *out, size_t cap, const char *tmpl, const struct dhcp_pxe_subst_vars *v);
/* Whether tmpl uses a variable (the result then differs per client). */
bool dhcp_pxe_subst_has_vars(const char *tmpl);

/* Whether a boot file is an absolute http:// or https:// URL (scheme
 * case-insensitive), as UEFI HTTP Boot requires (EDK2 HttpBootDhcp4.c
 * drops an HTTP offer without a URI). */
bool dhcp_pxe_file_is_url(const char *file);
/* Whether the URL's host is a name rather than an IPv4 literal, [IPv6]
 * literal or ${server}: the reply must then carry a DNS server (option 6),
 * or EDK2 cannot resolve it. False for anything that is not a URL. */
bool dhcp_pxe_url_host_is_name(const char *url);

#endif
