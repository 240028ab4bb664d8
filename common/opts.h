/* SPDX-License-Identifier: MIT */
/* Option tables: one declarative table per daemon drives
 *   - the command line (--name=value, --name value, -x value, --flag,
 *     --no-flag, positional arguments),
 *   - the INI file (inih; [section] name = value; repeatable keys for lists),
 *   - --help, --print-config (each effective value and where it came from),
 *   - --check-config.
 * Values are stored into the daemon's config struct at the table's offsets.
 * Order of precedence: default < config file < command line. A list option
 * given on the command line replaces the file's list.
 *
 * Errors name the file, line and key (or the option), say what was
 * expected, and the daemon exits 78 (EX_CONFIG). Unknown keys and options
 * are errors that list the valid keys or suggest the one meant. */
#ifndef PXE_OPTS_H
#define PXE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "sock.h"

#define PXE_EX_CONFIG 78

enum pxe_opt_type {
	PXE_OPT_STRING,   /* char *            ("" allowed, NULL when unset) */
	PXE_OPT_BOOL,     /* bool              yes/no/true/false/on/off/1/0 */
	PXE_OPT_INT,      /* long long         min..max */
	PXE_OPT_SIZE,     /* unsigned long long  512, 4K, 64M, 1G (1024-based) */
	PXE_OPT_DURATION, /* long long ms      500ms, 30s, 5m, 1h, 2d; bare = s */
	PXE_OPT_ADDR,     /* struct pxe_sockaddr; ADDR[:PORT], [V6]:PORT */
	PXE_OPT_ENUM,     /* int: index into choices */
	PXE_OPT_STRLIST,  /* struct pxe_strlist; repeatable */
	PXE_OPT_ADDRLIST, /* struct pxe_addrlist; repeatable */
	PXE_OPT_HOOK,     /* the table's own type: o->hook parses, prints, frees */
};

#define PXE_OPTF_CLI_ONLY   0x01 /* not an INI key */
#define PXE_OPTF_POSITIONAL 0x02 /* may also be given as a bare argument */
#define PXE_OPTF_HIDDEN     0x04 /* not in --help (aliases kept for compat) */
#define PXE_OPTF_REQUIRED   0x08 /* error when unset after all sources */
#define PXE_OPTF_SPLIT      0x10 /* lists: "a,b c" in one value adds several */
/* The default is a fallback the daemon decides about at start (--user's
 * build-time user applies only when started as root): its check does not
 * run on the default, only on a value the file or command line gave. */
#define PXE_OPTF_LAZY_DEFAULT 0x20

struct pxe_strlist {
	size_t n;
	char **v;
};

struct pxe_addrlist {
	size_t n;
	struct pxe_sockaddr *v;
};

/* A value type of a table's own (PXE_OPT_HOOK), for keys that need a
 * parser of their own: dhcpd's match terms, menu items, DHCP options.
 * field is the member at the option's offset. */
struct pxe_opt_hook {
	/* Store value into field (a repeatable key adds to what is there).
	 * 0, or -errno with err saying what was expected (no key, no place). */
	int (*parse)(void *field, const char *value, struct pxe_err *err);
	/* Write the value back as text, one line per value of a repeatable
	 * key (separated by '\n'), so that parsing each line again gives the
	 * same field. Nothing when the field holds no value. */
	void (*print)(FILE *out, const void *field);
	/* Whether the field holds a value; NULL: always. */
	bool (*is_set)(const void *field);
	/* Free what parse allocated and leave the field empty; NULL: none. */
	void (*free)(void *field);
};

struct pxe_opt {
	const char *name; /* long option and INI key, e.g. "blksize-max" */
	char short_name;  /* 0 when none */
	enum pxe_opt_type type;
	unsigned flags;
	size_t offset;                   /* offsetof(cfg struct, field) */
	const char *def;                 /* default, as text (parsed like any value); NULL: unset */
	long long min, max;              /* INT, SIZE, DURATION(ms) bounds; both 0: none */
	const char *const *choices;      /* ENUM: NULL-terminated */
	const char *arg;                 /* metavar for --help, e.g. "BYTES" */
	const char *help;                /* one line */
	const char *aliases;             /* extra long names, '|'-separated ("uid|user") */
	int nargs;                       /* CLI arguments consumed (default 1; 2 joins with ' ') */
	int default_port;                /* ADDR/ADDRLIST */
	const struct pxe_opt_hook *hook; /* HOOK */
	/* What start will need of the value (preflight.h): --check-config and
	 * pxe_config_main's start run it on each value of a STRING or STRLIST
	 * option that is set. cfg is the whole config (a root may be a file
	 * when another option says so). 0, or -errno with err saying what is
	 * wrong, without key or place. NULL: nothing to check. */
	int (*check)(const void *cfg, const char *value, struct pxe_err *err);
};

/* Where a value came from. PXE_SRC_DERIVED: set by validation from
 * another setting, which file names ("[dhcpd] range"). */
enum pxe_src_kind { PXE_SRC_DEFAULT, PXE_SRC_FILE, PXE_SRC_CLI, PXE_SRC_UNSET, PXE_SRC_DERIVED };
struct pxe_src {
	enum pxe_src_kind kind;
	const char *file; /* points into spec-owned storage, valid while cfg is */
	int line;
};

struct pxe_opt_spec;
struct pxe_config;

/* Handler for INI sections other than the daemon's own (dhcpd's [subnet X],
 * [host Y], [boot Z]). section is the full header text. Return 0 or -errno
 * with err filled (the caller prefixes FILE:LINE). */
typedef int (*pxe_section_fn)(void *cfg, const char *section, const char *key, const char *value,
			      const char *file, int line, struct pxe_err *err);

struct pxe_opt_spec {
	const char *prog;    /* "pxe-tftpd" */
	const char *section; /* "tftpd": the INI section of the table */
	const char *usage;   /* "[options] [ROOT]" */
	const char *summary; /* one line for --help */
	const struct pxe_opt *opts;
	size_t nopts;
	size_t cfg_size;
	pxe_section_fn other_section; /* NULL: other sections are errors */
	/* Validate the whole config after all sources; -errno with err filled.
	 * A message "key: ..." about an option of the table is reported where
	 * the option was set ("FILE:LINE: key: ...", "--key: ..."). */
	int (*validate)(void *cfg, struct pxe_err *err);
	/* Free what other_section allocated. */
	void (*free_extra)(void *cfg);
	/* Print what other_section parsed, as INI, for --print-config. */
	void (*print_extra)(FILE *out, const void *cfg);
	/* --check-config only: warnings about the host a start would log too
	 * (interfaces, their addresses), printed to stderr; NULL: none. */
	void (*check_host)(const void *cfg);
	/* What a start needs beyond each option's own check, from where the
	 * values came (config_common.h: pxe_privileges_check), for
	 * --check-config and a start alike; -errno with err filled fails them
	 * with status 78. NULL: nothing. */
	int (*check_start)(const struct pxe_config *c, struct pxe_err *err);
	const char *epilog; /* extra text at the end of --help */
};

/* What the command line asked for besides options. */
enum pxe_action {
	PXE_ACT_RUN,
	PXE_ACT_HELP,
	PXE_ACT_VERSION,
	PXE_ACT_PRINT_CONFIG,
	PXE_ACT_CHECK_CONFIG,
};

/* Loaded configuration: the daemon's struct (cfg, cfg_size bytes, owned),
 * the source of each option, and what to do. */
struct pxe_config {
	const struct pxe_opt_spec *spec;
	void *cfg;
	struct pxe_src *src; /* nopts entries */
	char *config_file;   /* -c FILE, NULL when none */
	enum pxe_action action;
	char **extra_args; /* non-option arguments not taken by a POSITIONAL */
	size_t n_extra;
	char *strings; /* internal: interned file names */
};

/* Parse argv (options and -c FILE). Built-in options on every daemon:
 * -c/--config FILE, -h/--help, -V/--version, --print-config, --check-config.
 * On success returns 0 and *out is filled (free with pxe_config_free).
 * On error returns -errno with err filled with "FILE:LINE: key: ..." or
 * "--option: ...": the first error (pxe_config_main reports them all).
 * An unknown key or option names the valid ones, or the one meant. */
int pxe_config_load(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out,
		    struct pxe_err *err);
void pxe_config_free(struct pxe_config *c);

void pxe_config_help(const struct pxe_opt_spec *spec, FILE *out);
/* The effective configuration as an INI file with "; source" comments. */
void pxe_config_print(const struct pxe_config *c, FILE *out);

/* Run the check of every option that has one (pxe_opt.check) on a loaded
 * config, and write each failure as one line "PROG: WHERE: message" to
 * out (WHERE from pxe_config_where). Returns the number of failures. */
int pxe_config_check(const struct pxe_config *c, FILE *out);
/* The same checks, each failure handed to fail (WHERE, message) instead. */
typedef void (*pxe_check_fail_fn)(void *ctx, const char *where, const char *msg);
int pxe_config_check_each(const struct pxe_config *c, pxe_check_fail_fn fail, void *ctx);
/* Where option o's value came from, as the start of an error message:
 * "FILE:LINE: key" from the config file, "--key" from the command line,
 * "key (default)" for the default. */
#define PXE_OPT_WHERE_MAX 1024 /* a buffer for it */
void pxe_config_where(const struct pxe_config *c, const struct pxe_opt *o, char *buf, size_t cap);

/* Handles HELP / VERSION / PRINT_CONFIG / CHECK_CONFIG and errors the way
 * every daemon does: returns -1 when the caller should go on and run,
 * otherwise the exit status. Use from main(). Every error of the config
 * file is reported, not only the first; then the checks of
 * pxe_config_check run, for --check-config and before a start alike, so
 * that a start fails with the sentence --check-config gives. */
int pxe_config_main(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out);

/* Value parsers, shared with dhcpd's own sections. 0 or -EINVAL with err
 * saying what was expected (no location prefix). */
int pxe_parse_bool(const char *s, bool *out, struct pxe_err *err);
int pxe_parse_int(const char *s, long long min, long long max, long long *out, struct pxe_err *err);
int pxe_parse_size(const char *s, unsigned long long *out, struct pxe_err *err);
int pxe_parse_duration_ms(const char *s, long long *out, struct pxe_err *err);

/* Apply one key of a table to a struct: finds key (or alias, as written:
 * keys are case-sensitive) in opts, parses value, stores. -ENOENT, err
 * untouched, when the table has no such key; -EINVAL when the value is
 * bad (err filled). */
int pxe_opt_apply(const struct pxe_opt *opts, size_t nopts, void *cfg, const char *key,
		  const char *value, struct pxe_err *err);
/* Set the defaults of a table into a zeroed struct. */
int pxe_opt_defaults(const struct pxe_opt *opts, size_t nopts, void *cfg, struct pxe_err *err);
/* Free the strings and lists a table owns in cfg. */
void pxe_opt_free(const struct pxe_opt *opts, size_t nopts, void *cfg);
/* Write "name = value" for one option, as --print-config does. */
void pxe_opt_print_value(FILE *out, const struct pxe_opt *o, const void *cfg);

/* Section tables: a daemon's sections other than its own (dhcpd's [subnet
 * CIDR], [host NAME], [boot NAME]) are each one table applied to one
 * struct per section, with the source of each key kept beside it (src,
 * one entry per option) for --print-config. */
struct pxe_opt_table {
	const struct pxe_opt *opts;
	size_t n;
};
#define PXE_OPT_TABLE(opts)                                                                        \
	{                                                                                          \
		(opts), sizeof(opts) / sizeof((opts)[0])                                           \
	}

/* The defaults into a zeroed obj, and *src (n entries: default or unset;
 * free with pxe_opt_section_free). 0 or -errno. */
int pxe_opt_section_init(const struct pxe_opt_table *t, void *obj, struct pxe_src **src,
			 struct pxe_err *err);
/* One `key = value` line of [section] (the header as written) at `at`
 * (file and line): the key looked up as written, the value parsed and
 * stored, its source noted. -EINVAL with err "[section] K: unknown key;
 * valid keys: a, b, c" (and "; did you mean 'x'?" when one is close),
 * from the table, or "K: what was expected" for a bad value; the caller
 * adds FILE:LINE. */
int pxe_opt_section_apply(const struct pxe_opt_table *t, void *obj, struct pxe_src *src,
			  const char *section, const char *key, const char *value,
			  const struct pxe_src *at, struct pxe_err *err);
/* Each key that has a value (a source other than unset), in table order,
 * as "key = value ; FILE:LINE" (or "; default", "; from ..."); a
 * repeatable key one line per value, in the order given. */
void pxe_opt_section_print(FILE *out, const struct pxe_opt_table *t, const void *obj,
			   const struct pxe_src *src);
void pxe_opt_section_free(const struct pxe_opt_table *t, void *obj, struct pxe_src *src);
/* The index of key in t (to set a source by hand), or -1. */
int pxe_opt_section_index(const struct pxe_opt_table *t, const char *key);

int pxe_strlist_add(struct pxe_strlist *l, const char *s);
void pxe_strlist_free(struct pxe_strlist *l);

#endif
