/* SPDX-License-Identifier: MIT */
/* Shared by the dhcpd unit tests: a configuration from text and a
 * dhcp_ctx serving it (for v4/decide.c, v4/proxy.c), and a catalogue of
 * network-boot firmware (for pxe/). */
#ifndef DHCPD_UNIT_FIXTURE_H
#define DHCPD_UNIT_FIXTURE_H

#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "v4/decide.h"
#include "pxe/client.h"

/* Write text as DIR/d.conf and load it as pxe-dhcpd's configuration
 * (asserts that it loads). */
void dhcp_fixture_load(const char *dir, const char *text, struct pxe_config *conf);

/* ctx for conf: new leases holding its ranges and reservations. Free
 * with dhcp_fixture_free. */
void dhcp_fixture_ctx(struct dhcp_ctx *ctx, const struct pxe_config *conf);

void dhcp_fixture_free(struct dhcp_ctx *ctx, struct pxe_config *conf, char *dir);

/* A BOOTREQUEST from an Ethernet client 02:54:00:MM:MM:MM (mac, 24 bits),
 * with option 53 = type unless type is 0 (BOOTP), no cookie. */
void dhcp_fixture_req(struct dhcp_msg *m, int type, unsigned mac, uint32_t xid);
/* Option code as 4 bytes in network order, from v in host order. */
void dhcp_fixture_put_u32(struct dhcp_msg *m, uint8_t code, uint32_t v);
/* Option code's 4 bytes in host order; fails the test when it is not 4
 * bytes long or absent. */
uint32_t dhcp_fixture_opt_u32(const struct dhcp_msg *m, uint8_t code);
/* Whether option code holds exactly the bytes of s. */
bool dhcp_fixture_opt_is(const struct dhcp_msg *m, uint8_t code, const char *s);
/* The reply in out, when there is one, parsed back into rep (asserts it
 * parses). */
void dhcp_fixture_parse_out(const struct dhcp_out *out, struct dhcp_msg *rep);
/* dhcp_decide at time now, the reply parsed back into rep. */
int dhcp_fixture_run(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		     const struct dhcp_rx *rx, int64_t now, struct dhcp_out *out,
		     struct dhcp_msg *rep);

/* Firmware as it asks to boot: the option bytes of real clients, from a
 * PC BIOS PXE ROM to a Raspberry Pi 4 EEPROM, classified. */
enum dhcp_fixture_kind {
	K_BIOS,
	K_EDK2_X64,
	K_X64_9,
	K_ARM64,
	K_HTTP16,
	K_IPXE_BIOS,
	K_IPXE_EFI,
	K_PI3B,
	K_PI4,
	K_PI4_UEFI,
	K_PLAIN,
	K_4011,
	K_N
};
void dhcp_fixture_pxe_client(enum dhcp_fixture_kind k, struct dhcp_pxe_client *c);

#endif
