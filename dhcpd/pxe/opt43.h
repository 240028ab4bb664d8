/* SPDX-License-Identifier: MIT */
/* PXE vendor-encapsulated options: DHCP option 43 when option 60 is
 * "PXEClient" (Intel PXE spec 2.1 §2.4.4; iPXE src/include/ipxe/dhcp.h;
 * EDK2 PxeBcDhcp4.h). Pure: builds and parses byte buffers.
 *
 * Every builder returns the number of bytes written to out (the option 43
 * value, without the 43/length header) or a negative errno: -ENOSPC when
 * cap is too small, -EMSGSIZE when the value would pass 255 bytes, the
 * most one option 43 can carry. */
#ifndef DHCP_PXE_OPT43_H
#define DHCP_PXE_OPT43_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define DHCP_PXE_OPT43_MAX 255 /* one DHCP option's value */

enum {
	DHCP_PXE_SUB_DISCOVERY_CONTROL = 6,
	DHCP_PXE_SUB_BOOT_SERVERS = 8,
	DHCP_PXE_SUB_BOOT_MENU = 9,
	DHCP_PXE_SUB_MENU_PROMPT = 10,
	DHCP_PXE_SUB_BOOT_ITEM = 71,
	DHCP_PXE_SUB_END = 255,
};

/* 43.6 bits. */
#define DHCP_PXE_DC_NO_BROADCAST 0x1
#define DHCP_PXE_DC_NO_MULTICAST 0x2
#define DHCP_PXE_DC_ONLY_LISTED  0x4
#define DHCP_PXE_DC_BOOT_FILE    0x8 /* boot `file` at once, no menu or discovery */

#define DHCP_PXE_LAYER_BIS  0x8000 /* 43.71 layer bit: BIS credentials wanted */
#define DHCP_PXE_ITEM_LOCAL 0      /* menu item type 0: boot from local disk */
#define DHCP_PXE_ITEM_FIRST 0x8000 /* first vendor-specific item type we assign */

#define DHCP_PXE_MENU_MAX_ITEMS 16
#define DHCP_PXE_TEXT_MAX       250 /* longest item text or prompt */
#define DHCP_PXE_FILE_MAX       255 /* longest boot file or URL template */

struct dhcp_pxe_menu_item {
	uint16_t type;                    /* DHCP_PXE_ITEM_LOCAL or 0x8000 + n */
	char text[DHCP_PXE_TEXT_MAX + 1]; /* what the ROM shows */
	char file[DHCP_PXE_FILE_MAX + 1]; /* boot file for this item; "" for local */
};

struct dhcp_pxe_menu {
	size_t n;
	struct dhcp_pxe_menu_item items[DHCP_PXE_MENU_MAX_ITEMS];
	bool has_prompt; /* without one, 43.10 is {0, "PXE"}: first item at once */
	uint8_t timeout; /* 43.10: 0 boot first item, 255 wait, else seconds */
	char prompt[DHCP_PXE_TEXT_MAX + 1];
};

/* Bytes the menu's option 43 takes in the largest form we send (with a
 * 43.8 boot-server entry for each non-local item). */
size_t dhcp_pxe_menu_size(const struct dhcp_pxe_menu *m);
/* 0, or -EMSGSIZE with err saying how many bytes the menu needs and how to
 * shrink it; for the config loader (which prefixes FILE:LINE). */
int dhcp_pxe_menu_check(const struct dhcp_pxe_menu *m, struct pxe_err *err);
/* The menu item of that type, or NULL. */
const struct dhcp_pxe_menu_item *dhcp_pxe_menu_find(const struct dhcp_pxe_menu *m, uint16_t type);

/* 43.6 = 3, 43.8 (our address server_be, network byte order, for every
 * non-local item), 43.10, 43.9, 255: the layout dnsmasq's pxe-service and
 * pxe-prompt produce. With server_be 0, 43.8 is left out and 43.6 is 2
 * (broadcast discovery) if any item is non-local. A menu with no items
 * gives the no-menu form below. */
int dhcp_pxe_opt43_build_menu(uint8_t *out, size_t cap, const struct dhcp_pxe_menu *m,
			      uint32_t server_be);
/* No menu: 43.6 = 8 (boot the file in the reply at once), 255. */
int dhcp_pxe_opt43_build_nomenu(uint8_t *out, size_t cap);
/* Raspberry Pi (raspberrypi/documentation boot-net.adoc, byte for byte):
 * 06 01 03 0a 04 00 'P' 'X' 'E' 09 14 00 00 11 "Raspberry Pi Boot" ff.
 * pad3b appends the three spaces the Pi 3B ROM needs (its length bug):
 * 09 17 00 00 14 "Raspberry Pi Boot   ". */
int dhcp_pxe_opt43_build_rpi(uint8_t *out, size_t cap, bool pad3b);
/* Boot-server ACK on port 4011: 43.71 {type, layer} echoed, 255. */
int dhcp_pxe_opt43_build_item(uint8_t *out, size_t cap, uint16_t type, uint16_t layer);

/* What a client's (or our own) option 43 holds. */
struct dhcp_pxe_opt43_info {
	bool has_boot_item; /* 43.71 with exactly 4 bytes */
	uint16_t item_type;
	uint16_t item_layer;
	bool has_discovery_control;
	uint8_t discovery_control;
	size_t n_menu_items; /* complete 43.9 entries */
	size_t n_servers;    /* 43.8 addresses, all entries */
	bool has_prompt;
	uint8_t timeout;
	bool end_seen;
	bool malformed; /* a sub-option with the wrong size, or a truncated TLV */
};

/* Parse len bytes of option 43 (never reads past p + len). 0, or -EINVAL
 * when a sub-option runs past the end; what came before is kept in out. */
int dhcp_pxe_opt43_parse(const uint8_t *p, size_t len, struct dhcp_pxe_opt43_info *out);

#endif
