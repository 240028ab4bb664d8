/* SPDX-License-Identifier: MIT */
/* Loading pxe-dhcpd's configuration: the option table of the command
 * line and the [dhcpd] section, and the spec that reads the other
 * sections and validates the result (pxe_config_load, pxe_config_main). */
#ifndef DHCP_CONFIG_SPEC_H
#define DHCP_CONFIG_SPEC_H

#include "config.h"
#include "opts.h"

extern const struct pxe_opt_spec dhcp_config_spec;

#endif
