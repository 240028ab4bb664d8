/* SPDX-License-Identifier: MIT */
/* Messages for a key or an option that is not in a table: name the
 * section, list its valid keys, and suggest the one meant when a valid key
 * is close (a typo) or is the usual name of what another server calls
 * differently (ISC dhcpd's "fixed-address", dnsmasq's "dhcp-boot"). */
#include "opts_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Longest name compared; longer ones are never "close". */
#define HINT_MAX 64

static bool same(char x, char y)
{
	return tolower((unsigned char)x) == tolower((unsigned char)y);
}

/* Optimal string alignment distance (Levenshtein plus swapped neighbours,
 * "lsiten" -> "listen" is 1), case-insensitive: "Broadcast" is a typo of
 * "broadcast". SIZE_MAX when a name is too long to compare. */
size_t pxe_hint_distance(const char *a, size_t la, const char *b, size_t lb)
{
	if (la > HINT_MAX || lb > HINT_MAX)
		return (size_t)-1;
	unsigned char d[HINT_MAX + 1][HINT_MAX + 1]; /* distances <= HINT_MAX */
	for (size_t i = 0; i <= la; i++)
		d[i][0] = (unsigned char)i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = (unsigned char)j;
	for (size_t i = 1; i <= la; i++) {
		for (size_t j = 1; j <= lb; j++) {
			unsigned v = d[i - 1][j - 1] + !same(a[i - 1], b[j - 1]);
			if (d[i - 1][j] + 1u < v)
				v = d[i - 1][j] + 1u;
			if (d[i][j - 1] + 1u < v)
				v = d[i][j - 1] + 1u;
			if (i > 1 && j > 1 && same(a[i - 1], b[j - 2]) &&
			    same(a[i - 2], b[j - 1]) && d[i - 2][j - 2] + 1u < v)
				v = d[i - 2][j - 2] + 1u;
			d[i][j] = (unsigned char)v;
		}
	}
	return d[la][lb];
}

/* Names other servers and habits give to keys of ours: suggested only when
 * the table at hand has the key on the right. */
static const struct {
	const char *said, *meant;
} synonyms[] = {
	{"ip", "address"},
	{"ipaddr", "address"},
	{"ip-address", "address"},
	{"fixed-address", "address"},
	{"address", "addr"},
	{"ip", "addr"},
	{"hwaddr", "mac"},
	{"ether", "mac"},
	{"hardware", "mac"},
	{"hardware-ethernet", "mac"},
	{"mac-address", "mac"},
	{"dhcp-host", "mac"},
	{"name", "hostname"},
	{"host-name", "hostname"},
	{"gateway", "router"},
	{"routers", "router"},
	{"nameserver", "dns"},
	{"dns-server", "dns"},
	{"domain-name-servers", "dns"},
	{"domain", "domain-name"},
	{"filename", "file"},
	{"bootfile", "file"},
	{"boot-file", "file"},
	{"dhcp-boot", "file"},
	{"dir", "root"},
	{"docroot", "root"},
	{"document-root", "root"},
	{"tftp-root", "root"},
	{"secure", "chroot"},
	{"uid", "user"},
	{"gid", "group"},
	{"lease-file", "leasefile"},
	{"dhcp-range", "range"},
	{"verbose", "log-level"},
};

void pxe_hint_init(struct pxe_hint *h, const char *key, size_t len)
{
	h->key = key;
	h->len = len;
	h->best = NULL;
	h->best_len = 0;
	h->dist = (size_t)-1;
	/* Short names are close to everything ("nope" is 2 edits from "mode"):
	 * a third of the name, 1 to 2 edits (rustc guesses so too). */
	h->max = len / 3 < 1 ? 1 : len / 3 > 2 ? 2 : len / 3;
}

void pxe_hint_try(struct pxe_hint *h, const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof(synonyms) / sizeof(synonyms[0]) && h->dist > 0; i++) {
		if (strlen(synonyms[i].said) == h->len &&
		    !strncasecmp(synonyms[i].said, h->key, h->len) &&
		    strlen(synonyms[i].meant) == n && !strncmp(synonyms[i].meant, name, n)) {
			h->best = name;
			h->best_len = n;
			h->dist = 0; /* a known synonym beats any typo */
			return;
		}
	}
	size_t d = pxe_hint_distance(h->key, h->len, name, n);
	if (d <= h->max && d < h->dist) {
		h->best = name;
		h->best_len = n;
		h->dist = d;
	}
}

void pxe_hint_table(struct pxe_hint *h, const struct pxe_opt *opts, size_t n, unsigned skip)
{
	for (size_t i = 0; i < n; i++) {
		if (opts[i].flags & skip)
			continue;
		pxe_hint_try(h, opts[i].name, strlen(opts[i].name));
		/* and each alias of "uid|user" */
		for (const char *a = opts[i].aliases; a && *a;) {
			size_t len = strcspn(a, "|");
			pxe_hint_try(h, a, len);
			a += len + (a[len] == '|');
		}
	}
}

/* "a, b, c" of the table's keys into buf, within cap; ", ..." when cut. */
static void list_keys(char *buf, size_t cap, const struct pxe_opt *opts, size_t n, unsigned skip)
{
	size_t len = 0;
	buf[0] = 0;
	for (size_t i = 0; i < n; i++) {
		if (opts[i].flags & skip)
			continue;
		const char *sep = len ? ", " : "";
		size_t need = strlen(sep) + strlen(opts[i].name);
		if (len + need + sizeof(", ...") > cap) {
			snprintf(buf + len, cap - len, "%s...", sep);
			return;
		}
		len += (size_t)snprintf(buf + len, cap - len, "%s%s", sep, opts[i].name);
	}
}

int pxe_opt_unknown_key(const struct pxe_opt *opts, size_t n, unsigned skip, const char *section,
			const char *key, struct pxe_err *err)
{
	const struct pxe_opt *o = pxe_opt_find(opts, n, key, strlen(key));
	if (o && (o->flags & PXE_OPTF_CLI_ONLY))
		return pxe_err_set(err, EINVAL,
				   "[%s] %s: a command-line option only (--%s), not a key of the "
				   "config file",
				   section, key, o->name);
	struct pxe_hint h;
	pxe_hint_init(&h, key, strlen(key));
	pxe_hint_table(&h, opts, n, skip);
	char mean[HINT_MAX + 32] = "";
	if (h.best)
		snprintf(mean, sizeof(mean), "; did you mean '%.*s'?", (int)h.best_len, h.best);
	/* Room for the caller's "FILE:LINE: " and the rest of the sentence. */
	char keys[sizeof(err->msg)];
	size_t used = 160 + strlen(section) + strlen(key) + strlen(mean);
	list_keys(keys, used < sizeof(keys) - 32 ? sizeof(keys) - used : 32, opts, n, skip);
	return pxe_err_set(err, EINVAL, "[%s] %s: unknown key; valid keys: %s%s", section, key,
			   keys, mean);
}
