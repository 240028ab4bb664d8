/* SPDX-License-Identifier: MIT */
/* DHCP options: one table {code, name, type} (RFC 2132 and later RFCs),
 * typed parsing of config values, encoding, and the layered option set a
 * reply is assembled from. Pure. */
#ifndef DHCP_OPTIONS_H
#define DHCP_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "opts.h"
#include "wire.h"

enum dhcp_opt_type {
	DOT_HEX,    /* "01:02:ab", "0102ab"; also the type of unknown codes */
	DOT_ADDR,   /* one IPv4 address */
	DOT_ADDRS,  /* IPv4 addresses, separated by ',' or spaces */
	DOT_STRING, /* text, optional surrounding double quotes removed */
	DOT_U8,
	DOT_U16,
	DOT_U32,
	DOT_S32,
	DOT_SECS,    /* u32 seconds; accepts durations "1h", "30m" */
	DOT_BOOL,    /* one byte 0/1 */
	DOT_DOMAINS, /* RFC 3397 list of DNS names (option 119) */
	DOT_ROUTES,  /* RFC 3442: "NET/PREFIX ROUTER, ..." (option 121) */
};

struct dhcp_opt_def {
	uint8_t code;
	const char *name;
	enum dhcp_opt_type type;
};

const struct dhcp_opt_def *dhcp_optdef_by_code(uint8_t code);
const struct dhcp_opt_def *dhcp_optdef_by_name(const char *name);
const char *dhcp_opt_type_name(enum dhcp_opt_type t);
/* For the man page and --help-options: the whole table. */
const struct dhcp_opt_def *dhcp_optdef_table(size_t *n);

/* Encode text as type t into out (cap bytes). 0 with *len set, or
 * -EINVAL/-ENOSPC with err saying what was expected. */
int dhcp_opt_encode(enum dhcp_opt_type t, const char *text, uint8_t *out, size_t cap, size_t *len,
		    struct pxe_err *err);

/* A configured option: code and encoded value (owned). */
struct dhcp_optval {
	uint8_t code;
	uint16_t len;
	uint8_t *data;
};

/* Parse a config value "NAME:VALUE" or "CODE:VALUE" (option =
 * 42:198.18.0.1, pxesuite.conf(5)). Unknown codes take hex ("01:02") or, when the
 * value is in double quotes, a string. */
int dhcp_optval_parse(const char *spec, struct dhcp_optval *out, struct pxe_err *err);
void dhcp_optval_free(struct dhcp_optval *v);

struct dhcp_optlist {
	size_t n;
	struct dhcp_optval *v;
};
int dhcp_optlist_add(struct dhcp_optlist *l, const struct dhcp_optval *v);
void dhcp_optlist_free(struct dhcp_optlist *l);

/* `option = NAME:VALUE` lines of a section, encoded as they are read (a
 * bad one is reported at its own line) and kept as written for
 * --print-config; the option engine's value type for them. */
struct dhcp_optlines {
	struct pxe_strlist text;
	struct dhcp_optlist opts;
};
extern const struct pxe_opt_hook dhcp_optlines_hook;

/* The options of one reply, layered: server, subnet, host, [boot]
 * section each call dhcp_optset_put; a later layer overrides an earlier
 * one. Values are borrowed, not copied. */
struct dhcp_optset {
	const uint8_t *val[256];
	uint16_t len[256];
	uint8_t present[256 / 8];
};

void dhcp_optset_init(struct dhcp_optset *s);
void dhcp_optset_put(struct dhcp_optset *s, uint8_t code, const void *val, size_t len);
void dhcp_optset_put_list(struct dhcp_optset *s, const struct dhcp_optlist *l);
void dhcp_optset_del(struct dhcp_optset *s, uint8_t code);
bool dhcp_optset_has(const struct dhcp_optset *s, uint8_t code);

/* Write the set into a reply: the options in always[] first (n_always,
 * e.g. 54, 51, 58, 59, 1), then the ones the client's parameter request
 * list (55) names, in its order (RFC 2131 §4.3.1), then the remaining ones.
 * Options that do not fit are left out; returns how many were left out. */
int dhcp_optset_emit(const struct dhcp_optset *s, struct dhcp_builder *b,
		     const struct dhcp_msg *req, const uint8_t *always, size_t n_always);

#endif
