/* SPDX-License-Identifier: MIT */
/* A dnsmasq configuration with everything it includes, as one list of
 * lexed lines in dnsmasq's reading order: conf-file and conf-dir are
 * followed where they stand, dhcp-hostsfile / dhcp-hostsdir lines become
 * dhcp-host lines, dhcp-optsfile lines dhcp-option lines, read-ethers the
 * /etc/ethers entries (src/option.c one_file(), src/dhcp.c). */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_READ_H
#define PXE_DHCPD_IMPORT_DNSMASQ_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "dnsmasq_lex.h"

#define DNSM_INCLUDE_DEPTH 16

/* How a message weighs: a note, a warning (a trap in the input), a line
 * dropped without effect on boot decisions, one dropped with effect. */
enum dnsm_level { DNSM_NOTE, DNSM_WARN, DNSM_DROP, DNSM_DROP_BOOT };

typedef void dnsm_diag_fn(void *ctx, const struct dnsm_where *at, enum dnsm_level lv,
			  const char *msg);

struct dnsm_conf {
	struct dnsm_line **lines; /* each allocated once: the model points at them */
	size_t n, cap;
	dnsm_diag_fn *diag;
	void *diag_ctx;
	bool no_fs;              /* fuzzing: report includes, never open them */
	const char *ethers_path; /* read-ethers; NULL: /etc/ethers */
	int depth;
	char *stack[DNSM_INCLUDE_DEPTH]; /* real paths of the files being read */
	bool dropped_boot;               /* some DNSM_DROP_BOOT was reported */
};

void dnsm_conf_init(struct dnsm_conf *c, dnsm_diag_fn *diag, void *ctx);
void dnsm_conf_free(struct dnsm_conf *c);
void dnsm_report(struct dnsm_conf *c, const struct dnsm_where *at, enum dnsm_level lv,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Read a file ("-": standard input) and what it includes; 0 or -errno
 * (already reported). */
int dnsm_read_path(struct dnsm_conf *c, const char *path);
/* Read text as the contents of a file called name (tests, fuzzing). */
int dnsm_read_text(struct dnsm_conf *c, const char *name, const char *text, size_t len);

#endif
