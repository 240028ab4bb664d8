/* SPDX-License-Identifier: MIT */
/* Client system architectures: DHCP option 93 (RFC 4578 §2.1) and DHCPv6
 * option 61 (RFC 5970), numbered by the IANA "Processor Architecture Types"
 * registry, which overrides RFC 4578's swapped 7/9 (erratum 4624).
 * Pure table lookups. */
#ifndef DHCP_PXE_ARCH_H
#define DHCP_PXE_ARCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum {
	DHCP_PXE_ARCH_BIOS = 0,
	DHCP_PXE_ARCH_IA32_UEFI = 6,
	DHCP_PXE_ARCH_X64_UEFI = 7,
	DHCP_PXE_ARCH_EBC = 9, /* sent for x64 by firmware that uses RFC 4578's numbering */
	DHCP_PXE_ARCH_ARM32_UEFI = 10,
	DHCP_PXE_ARCH_ARM64_UEFI = 11,
	DHCP_PXE_ARCH_X86_UEFI_HTTP = 15,
	DHCP_PXE_ARCH_X64_UEFI_HTTP = 16,
	DHCP_PXE_ARCH_ARM32_UEFI_HTTP = 18,
	DHCP_PXE_ARCH_ARM64_UEFI_HTTP = 19,
	DHCP_PXE_ARCH_BIOS_HTTP = 20,
	DHCP_PXE_ARCH_RPIBOOT = 41,
	DHCP_PXE_ARCH_MAX = 41, /* highest code in the table */
};

#define DHCP_PXE_ARCH_UEFI       0x1u /* a UEFI firmware (PXE or HTTP) */
#define DHCP_PXE_ARCH_HTTP       0x2u /* boots from an HTTP URL (UEFI HTTP Boot) */
#define DHCP_PXE_ARCH_DEPRECATED 0x4u /* marked deprecated by IANA */

struct dhcp_pxe_arch {
	uint16_t code;
	const char *name; /* canonical config name, e.g. "x64-uefi" */
	const char *desc; /* the IANA registry's wording */
	unsigned flags;
};

/* The entry for a code, or NULL when IANA has none (yet). Code 9 (EBC)
 * returns an entry named "x64-uefi": see arch.c. */
const struct dhcp_pxe_arch *dhcp_pxe_arch_by_code(uint16_t code);
/* The entry for a canonical name (ASCII case-insensitive), or NULL.
 * "x64-uefi" gives code 7. */
const struct dhcp_pxe_arch *dhcp_pxe_arch_by_name(const char *name);
/* Name for logs: the canonical name, or "unknown". Never NULL. */
const char *dhcp_pxe_arch_name(uint16_t code);
/* Parse a config word: a canonical name or a decimal/0x number 0..65535.
 * 0 with *code and *by_name set, or -EINVAL. */
int dhcp_pxe_arch_parse(const char *text, uint16_t *code, bool *by_name);
/* Whether two codes name the same architecture (7 and 9 do). */
bool dhcp_pxe_arch_same(uint16_t a, uint16_t b);
bool dhcp_pxe_arch_is_uefi(uint16_t code);
bool dhcp_pxe_arch_is_http(uint16_t code);
/* The whole table, sorted by code (for --help lists, man pages, tests). */
const struct dhcp_pxe_arch *dhcp_pxe_arch_table(size_t *n);
/* The i-th entry of the sorted name index (NULL past the end), with the
 * code a lookup of that name gives; for tests and name listings. */
const char *dhcp_pxe_arch_name_at(size_t i, uint16_t *code);

#endif
