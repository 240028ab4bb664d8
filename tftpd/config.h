/* SPDX-License-Identifier: MIT */
/* pxe-tftpd's configuration: the option table (command line, INI section
 * [tftpd], --help, --print-config) and the struct it fills. */
#ifndef TFTP_CONFIG_H
#define TFTP_CONFIG_H

#include <stdbool.h>

#include "config_common.h"
#include "opts.h"

enum tftpd_unique_root { TFTPD_UNIQUE_NONE, TFTPD_UNIQUE_IP };

struct tftpd_config {
	struct pxe_addrlist listen;
	char *root;
	struct pxe_strlist fallback_root; /* layers under root (common/root.h) */
	long long blksize_max;            /* 0: interface MTU - 32 (v4) / 52 (v6) */
	long long windowsize_max;
	long long timeout_ms;
	long long retries;
	long long rollover;
	long long max_transfers;
	char *port_range; /* "A:B" */
	bool single_port;
	bool allow_write;
	bool create;
	char *umask; /* octal */
	char *map;
	bool lowercase;
	int unique_root;           /* enum tftpd_unique_root */
	struct pxe_strlist refuse; /* option names never accepted */
	bool gso;                  /* windows with UDP_SEGMENT, else sendmmsg only */
	char *busy_poll;           /* "auto", "off" or microseconds */
	struct pxe_common_config common;
	/* Derived by validation. */
	long long busy_poll_us; /* fixed spin after the last packet; 0: off or auto */
	bool busy_poll_auto;    /* adapt the spin to the gaps seen (tftpd/spin.c) */
	unsigned port_lo, port_hi;
	unsigned umask_val;
	unsigned refuse_bits;
};

extern const struct pxe_opt_spec tftpd_spec;

#endif
