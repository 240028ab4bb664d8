/* SPDX-License-Identifier: MIT */
/* Validation of the whole configuration once every source is read, and
 * what it derives for the server: ranges, reserved addresses, encoded
 * option lists. */
#ifndef DHCP_CONFIG_CHECK_H
#define DHCP_CONFIG_CHECK_H

#include "config.h"

/* 0, or -errno with err saying what is wrong and where (FILE:LINE of the
 * section). */
int dhcp_config_validate(void *cfg, struct pxe_err *err);
/* What is legal in a validated c but probably not meant, each as one
 * "FILE:LINE: [section] key: ..." to warn (a router outside its subnet, a
 * [boot] without a boot file). Pure; the number of warnings. Validation
 * logs them. */
size_t dhcp_config_warnings(const struct dhcpd_config *c, dhcp_warn_fn warn, void *ctx);

/* Whether start can write the lease journal at path: the file, when it
 * exists, is writable; else its directory is, or is missing with a
 * writable parent (start makes it, one level deep). 0, or -errno with bad
 * the path that fails (-ENOENT: the directory, which cannot be made). */
int dhcp_leasefile_check(const char *path, char *bad, size_t cap);
/* The check of the leasefile option (value: its path), run by
 * --check-config and before start, not on reload (the daemon may then run
 * chrooted, as another user): dhcp_leasefile_check in full mode, except
 * for --leases. 0, or -errno with err "PATH: errno text"; the option
 * engine puts "FILE:LINE: leasefile: " before it. */
int dhcp_config_check_leasefile(const void *cfg, const char *value, struct pxe_err *err);

/* Free what validation derived. */
void dhcp_config_check_free(struct dhcpd_config *c);

#endif
