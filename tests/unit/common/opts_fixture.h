/* SPDX-License-Identifier: MIT */
/* The option engine's test fixture: a daemon-like table of every value
 * type, options with checks (root, map, user, group), a [subnet] handler, a [part NAME] section
 * table with a hook type, and a loader that writes an INI file and parses argv (test_opts*.c). */
#ifndef PXE_UNIT_OPTS_FIXTURE_H
#define PXE_UNIT_OPTS_FIXTURE_H

#include <stdbool.h>
#include <stdio.h>

#include "config_common.h"
#include "opts.h"

/* A section table's struct ([part NAME] below): a hook type of its own
 * (K=V pairs, repeatable), and the engine's types. */
struct pairs {
	size_t n;
	char k[4][16], v[4][16];
};

struct part {
	struct pairs pair;
	long long delay_ms;
	bool flag;
	struct pxe_strlist item;
	char *label;
};

struct tcfg {
	struct part part; /* [part NAME] */
	struct pxe_src *part_src;
	struct pxe_addrlist listen;
	char *root;
	long long blksize;
	unsigned long long max_size;
	long long timeout_ms;
	bool keepalive;
	int mode;
	struct pxe_strlist header;
	struct pxe_strlist forward;
	struct pxe_sockaddr addr;
	char *needed;
	char *map; /* checked: a readable file */
	struct pxe_common_config common;
	int other_calls;
	char last_other[128];
};

extern const struct pxe_opt ot_opts[]; /* ot_spec.nopts entries */
extern struct pxe_opt_spec ot_spec;    /* other_section etc. set per test */
extern char *ot_tmp;                   /* the test's scratch directory */
extern int ot_pairs_freed;             /* calls of the pair hook's free */
/* [part NAME]: pair (a hook), delay, flag, item, label */
extern const struct pxe_opt ot_part_opts[];
extern const struct pxe_opt_table ot_part_table;

int ot_other_section(void *cfg, const char *section, const char *key, const char *value,
		     const char *file, int line, struct pxe_err *err);
int ot_part_section(void *cfg, const char *section, const char *key, const char *value,
		    const char *file, int line, struct pxe_err *err);
void ot_part_free(void *cfg);
void ot_part_print(FILE *out, const void *cfg);

void ot_setup(void);
void ot_teardown(void);
/* Load with argv given as a NULL-terminated list; file content optional. */
int ot_load(struct pxe_config *c, struct pxe_err *err, const char *file, ...);
/* --print-config of c, malloc'd. */
char *ot_print(const struct pxe_config *c);

#define CFG(c) ((struct tcfg *)(c).cfg)

#endif
