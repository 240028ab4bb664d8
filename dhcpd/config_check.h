/* Validation of the whole configuration once every source is read, and
 * what it derives for the server: ranges, reserved addresses, encoded
 * option lists. */
#ifndef DHCP_CONFIG_CHECK_H
#define DHCP_CONFIG_CHECK_H

#include "config.h"

/* 0, or -errno with err saying what is wrong and where (FILE:LINE of the
 * section). */
int dhcp_config_validate(void *cfg, struct pxe_err *err);
/* Free what validation derived. */
void dhcp_config_check_free(struct dhcpd_config *c);

#endif
