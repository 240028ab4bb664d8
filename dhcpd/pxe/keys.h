/* SPDX-License-Identifier: MIT */
/* The PXE keys of a [boot NAME] section (match, file, next-server,
 * server-name, menu-item, menu-prompt, rpi-pad, option43, option60, rpi) as entries of an
 * option table: the config's [boot] table holds them beside its own keys
 * (option, reply-delay, broadcast, echo-uuid). Each value type parses into,
 * prints back from and tells about a struct dhcp_pxe_boot. */
#ifndef DHCP_PXE_KEYS_H
#define DHCP_PXE_KEYS_H

#include <stddef.h>

#include "err.h"
#include "opts.h"
#include "section.h"

/* The value types of the PXE keys; each parses into, prints and tells
 * about the whole struct dhcp_pxe_boot at the option's offset. */
extern const struct pxe_opt_hook dhcp_pxe_hook_match, dhcp_pxe_hook_file, dhcp_pxe_hook_next_server,
	dhcp_pxe_hook_server_name, dhcp_pxe_hook_menu_item, dhcp_pxe_hook_menu_prompt,
	dhcp_pxe_hook_rpi_pad, dhcp_pxe_hook_opt43, dhcp_pxe_hook_rpi, dhcp_pxe_hook_opt60;

/* The PXE keys of a [boot NAME] section as option-table entries, for a
 * struct T that holds its struct dhcp_pxe_boot as member M. */
/* clang-format off */
#define DHCP_PXE_BOOT_OPTS(T, M)                                                                   \
	{ .name = "match", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .arg = "TERM...",       \
	  .help = "match terms, all of which must hold (repeatable)",                              \
	  .hook = &dhcp_pxe_hook_match },                                                          \
	{ .name = "file", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .arg = "PATH|URL",       \
	  .help = "boot file, with ${} variables", .hook = &dhcp_pxe_hook_file },                  \
	{ .name = "next-server", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .arg = "ADDR",    \
	  .help = "siaddr: the TFTP server when it is not us",                                     \
	  .hook = &dhcp_pxe_hook_next_server },                                                    \
	{ .name = "server-name", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .arg = "NAME",    \
	  .help = "sname", .hook = &dhcp_pxe_hook_server_name },                                   \
	{ .name = "menu-item", .type = PXE_OPT_HOOK, .offset = offsetof(T, M),                     \
	  .arg = "FILE|local TEXT", .help = "PXE boot menu entry (repeatable, in order)",          \
	  .hook = &dhcp_pxe_hook_menu_item },                                                      \
	{ .name = "menu-prompt", .type = PXE_OPT_HOOK, .offset = offsetof(T, M),                   \
	  .arg = "SECONDS TEXT", .help = "PXE menu prompt and timeout",                            \
	  .hook = &dhcp_pxe_hook_menu_prompt },                                                    \
	{ .name = "rpi-pad", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .def = "auto",        \
	  .arg = "auto|yes|no", .help = "the Raspberry Pi 3B's padded option 43",                  \
	  .hook = &dhcp_pxe_hook_rpi_pad },                                                        \
	{ .name = "option43", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .def = "auto",       \
	  .arg = "auto|never|no-uefi", .help = "which option 43, if any",                          \
	  .hook = &dhcp_pxe_hook_opt43 },                                                          \
	{ .name = "option60", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .def = "auto",       \
	  .arg = "auto|never", .help = "option 60 PXEClient/HTTPClient in replies, or none",        \
	  .hook = &dhcp_pxe_hook_opt60 },                                                          \
	{ .name = "rpi", .type = PXE_OPT_HOOK, .offset = offsetof(T, M), .def = "auto",            \
	  .arg = "auto|no", .help = "the Raspberry Pi boot ROM's option 43, or none",              \
	  .hook = &dhcp_pxe_hook_rpi }
/* clang-format on */

/* One PXE key (DHCP_PXE_BOOT_OPTS) of a section. 0; -EINVAL (or -E2BIG,
 * -EMSGSIZE) with err for a bad value; -ENOENT, err untouched, for a key
 * that is not PXE's. */
int dhcp_pxe_boot_set(struct dhcp_pxe_boot *b, const char *key, const char *value,
		      struct pxe_err *err);

#endif
