/* Shared by the dhcpd unit tests: a configuration from text and a
 * dhcp_ctx serving it (for v4/decide.c, v4/proxy.c), and a catalogue of
 * network-boot firmware (for pxe/). */
#ifndef DHCPD_UNIT_FIXTURE_H
#define DHCPD_UNIT_FIXTURE_H

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
