/* Shared by the dhcpd unit tests that drive proto.c and boot.c: a
 * configuration from text, and a dhcp_ctx serving it. */
#ifndef DHCPD_UNIT_FIXTURE_H
#define DHCPD_UNIT_FIXTURE_H

#include "config.h"
#include "proto.h"

/* Write text as DIR/d.conf and load it as pxe-dhcpd's configuration
 * (asserts that it loads). */
void dhcp_fixture_load(const char *dir, const char *text, struct pxe_config *conf);

/* ctx for conf: new leases holding its ranges and reservations, no boot
 * hook. Free with dhcp_fixture_free. */
void dhcp_fixture_ctx(struct dhcp_ctx *ctx, const struct pxe_config *conf);

void dhcp_fixture_free(struct dhcp_ctx *ctx, struct pxe_config *conf, char *dir);

#endif
