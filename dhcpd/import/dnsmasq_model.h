/* SPDX-License-Identifier: MIT */
/* The dnsmasq configuration, normalised: tags as the match terms that set
 * them (an OR of ANDs), dhcp-boot and pxe-service lines with their tag
 * conditions, options, ranges, hosts and the settings other sections take.
 * Legacy syntax is folded here: net: = tag:, '#' = '!', set-less tag
 * sources, CSA names, ".0" on pxe-service basenames (src/option.c). */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_MODEL_H
#define PXE_DHCPD_IMPORT_DNSMASQ_MODEL_H

#include <stdbool.h>

#include "dnsmasq_read.h"

#define DNSM_TERM_MAX   96
#define DNSM_CONJ_TERMS 8
#define DNSM_BRANCHES   16
#define DNSM_CONDS      8
#define DNSM_MAX_ITEMS  128

/* An AND of pxesuite match terms ("arch:7", "!ipxe"). */
struct dnsm_conj {
	int n;
	char term[DNSM_CONJ_TERMS][DNSM_TERM_MAX];
};

/* An OR of ANDs: n == 0 is false, one empty conj is true. */
struct dnsm_dnf {
	int n;
	struct dnsm_conj c[DNSM_BRANCHES];
};

struct dnsm_tag {
	char name[64];
	struct dnsm_dnf when;
};

/* The tag conditions of a line: "x" or "!x", as written after tag:/net:. */
struct dnsm_conds {
	int n;
	char tag[DNSM_CONDS][64];
};

struct dnsm_boot {
	const struct dnsm_line *src;
	struct dnsm_conds conds;
	bool pxe_service;
	int csa;        /* pxe-service: the client system architecture */
	char menu[128]; /* pxe-service: the menu text */
	char file[256]; /* "" with pxe_service: boot from local disk */
	char sname[64];
	char server[64];
};

struct dnsm_opt {
	const struct dnsm_line *src;
	struct dnsm_conds conds;
	int code;
	char value[512]; /* fields joined by ',' */
	bool force, empty;
};

enum dnsm_range_kind { DNSM_RANGE_NORMAL, DNSM_RANGE_PROXY, DNSM_RANGE_STATIC };

struct dnsm_range {
	const struct dnsm_line *src;
	enum dnsm_range_kind kind;
	char start[16], end[16], cidr[24];
	char lease[24]; /* pxesuite duration, "" for the default */
	char tag[64];   /* the tag it sets (set:T), "" for none */
};

struct dnsm_host {
	const struct dnsm_line *src;
	char mac[32], ip[16], name[64], lease[24];
	bool ignore;
};

/* A key for [dhcpd] or for pxe-tftpd's [tftpd], with its source line. */
struct dnsm_setting {
	const struct dnsm_line *src;
	char key[32];
	char value[256];
};

struct dnsm_model {
	struct dnsm_conf *conf; /* lines and the report sink */
	struct dnsm_tag tags[DNSM_MAX_ITEMS];
	int ntags;
	struct dnsm_boot boots[DNSM_MAX_ITEMS];
	int nboots;
	struct dnsm_opt opts[DNSM_MAX_ITEMS];
	int nopts;
	struct dnsm_range ranges[DNSM_MAX_ITEMS];
	int nranges;
	struct dnsm_host hosts[DNSM_MAX_ITEMS];
	int nhosts;
	struct dnsm_setting dhcpd[DNSM_MAX_ITEMS], tftpd[DNSM_MAX_ITEMS];
	int ndhcpd, ntftpd;
	bool enable_tftp;
	const struct dnsm_line *prompt_src;
	char prompt[160]; /* "SECONDS TEXT" for menu-prompt */
};

/* The model in three steps (dnsmasq_build.c runs them): a fresh model
 * with its hosts and ranges, which set tags (NULL on ENOMEM); then the tag
 * sources (dnsmasq_tags.c); then every other line. */
struct dnsm_model *dnsm_model_new(struct dnsm_conf *c);
void dnsm_model_lines(struct dnsm_model *m);
void dnsm_model_free(struct dnsm_model *m);

/* Add one way of setting a tag: an OR branch (dnsmasq_dnf.c). */
int dnsm_tag_add(struct dnsm_model *m, const struct dnsm_line *l, const char *name,
		 const struct dnsm_conj *c);

/* The DNF of a line's tag conditions, tags substituted; false (n == 0)
 * when a tag no source sets is required. Returns -1 (reported) when the
 * expansion needs more than DNSM_BRANCHES branches. */
int dnsm_conds_dnf(const struct dnsm_model *m, const struct dnsm_conds *cd, struct dnsm_dnf *out);
void dnsm_dnf_and(struct dnsm_dnf *a, const struct dnsm_dnf *b, bool *overflow);

/* The CSA table of today's dnsmasq (src/option.c): its number, or -1. */
int dnsm_csa_number(const char *name);

#endif
