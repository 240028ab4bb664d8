/* SPDX-License-Identifier: MIT */
/* One dnsmasq configuration line -> its option name and comma fields, as
 * dnsmasq's read_file() in src/option.c splits it: a '#' starts a comment
 * at the start of a line or after blank space, double quotes protect commas
 * and '#', a leading "--" (the command-line form) is accepted. */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_LEX_H
#define PXE_DHCPD_IMPORT_DNSMASQ_LEX_H

#include <stdbool.h>
#include <stddef.h>

#define DNSM_LINE_MAX   1024 /* dnsmasq's own limit is MAXDNAME*2 + 2 */
#define DNSM_FIELDS_MAX 32
#define DNSM_FILE_MAX   256

/* Where a line came from, for every message: FILE:LINE. */
struct dnsm_where {
	char file[DNSM_FILE_MAX];
	int line;
};

struct dnsm_line {
	struct dnsm_where at;
	char name[64];                 /* "dhcp-boot" */
	bool has_value;                /* "name=..." rather than a bare "name" */
	int nfields;                   /* comma-separated fields of the value */
	char *fields[DNSM_FIELDS_MAX]; /* point into buf */
	char buf[DNSM_LINE_MAX];
	char text[DNSM_LINE_MAX]; /* the line as written, trimmed, for comments */
};

/* 1: *out holds an option; 0: blank or comment; -1: error, err holds
 * "FILE:LINE: what". */
int dnsm_lex(const char *text, size_t len, const char *file, int line, struct dnsm_line *out,
	     char *err, size_t errcap);

/* A field with a tag prefix ("tag:x", "set:x", "net:x"): the prefix
 * length including the colon, or 0. */
size_t dnsm_tag_prefix(const char *field, const char *prefix);

#endif
