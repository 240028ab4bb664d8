/* SPDX-License-Identifier: MIT */
/* The file system side of the dnsmasq reader: whole files, and the names a
 * conf-dir or dhcp-hostsdir contributes, filtered and sorted as dnsmasq
 * does (src/option.c: conf-dir takes ",.ext" exclusions and "*.ext"
 * inclusions; hidden files, "~" backups and "#...#" files are skipped). */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_FS_H
#define PXE_DHCPD_IMPORT_DNSMASQ_FS_H

#include <stddef.h>

/* The contents of path ("-": stdin), NUL-terminated; -errno. */
int dnsm_fs_slurp(const char *path, char **out, size_t *len);

/* Sorted full paths of the regular files in dir that pass the filters
 * (each "*.conf" an inclusion, anything else an excluded suffix); count or
 * -errno. Free with dnsm_fs_names_free. */
int dnsm_fs_dir(const char *dir, char *const *filters, int nfilters, char ***out);
void dnsm_fs_names_free(char **names, int n);

#endif
