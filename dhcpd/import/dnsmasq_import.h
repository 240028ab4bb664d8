/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd --import-dnsmasq FILE...: read, convert, print; see
 * pxe-dhcpd(8) MOVING FROM DNSMASQ. */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_IMPORT_H
#define PXE_DHCPD_IMPORT_DNSMASQ_IMPORT_H

#include <stdbool.h>
#include <stdio.h>

#define DNSM_IMPORT_OPT "--import-dnsmasq"

/* Whether argv asks for an import. */
bool dnsm_import_wanted(int argc, char **argv);

/* Run it: the configuration on out, messages on err. Returns the exit
 * status: 0 every boot decision carried over, DNSM_EX_BOOT_DROPPED (3)
 * something affecting one dropped, 1 a file could not be read, 64 usage. */
int dnsm_import_main(int argc, char **argv, FILE *out, FILE *err);

#endif
