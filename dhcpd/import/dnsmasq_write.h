/* SPDX-License-Identifier: MIT */
/* The imported model as a commented pxesuite.conf: [dhcpd], [subnet],
 * [host] and [boot] sections in dnsmasq's real precedence, every key under
 * a "# FILE:LINE: original line" comment, and pxe-tftpd's part as a
 * commented [tftpd] block (pxe-dhcpd's file takes no [tftpd] section). */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_WRITE_H
#define PXE_DHCPD_IMPORT_DNSMASQ_WRITE_H

#include <stdio.h>

#include "dnsmasq_model.h"

/* Exit status of --import-dnsmasq when a line that affects a boot decision
 * could not be carried over (documented in pxe-dhcpd(8)). */
#define DNSM_EX_BOOT_DROPPED 3

/* Write m to out; traps and dropped pieces go to m->conf's report sink.
 * 0, or -1 on ENOMEM. */
int dnsm_write(const struct dnsm_model *m, FILE *out);

#endif
