/* SPDX-License-Identifier: MIT */
/* The PXE keys of [boot NAME] sections: one value type per key, parsing
 * into a struct dhcp_pxe_boot and printing it back (see keys.h). Messages
 * say what was expected; the option engine puts the key and the place in
 * front of them. */
#include "keys.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "subst.h"

/* --------------------------------------------------------------- values */

static int set_text(char *dst, size_t cap, const char *what, const char *value, struct pxe_err *err)
{
	size_t n = strlen(value);

	if (n >= cap)
		return pxe_err_set(err, EINVAL, "%s%sat most %zu characters, got %zu",
				   what ? what : "", what ? ": " : "", cap - 1, n);
	memcpy(dst, value, n + 1);
	return 0;
}

static int set_file(char *dst, const char *what, const char *value, struct pxe_err *err)
{
	int r = set_text(dst, DHCP_PXE_FILE_MAX + 1, what, value, err);
	return r < 0 ? r : dhcp_pxe_subst_check(value, err);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* menu-item = FILE|local TEXT... */
static int add_menu_item(struct dhcp_pxe_menu *m, const char *value, struct pxe_err *err)
{
	struct dhcp_pxe_menu_item *it;
	char file[DHCP_PXE_FILE_MAX + 1];
	const char *p = value;
	size_t next = DHCP_PXE_ITEM_FIRST;
	int n, r;

	if (m->n == DHCP_PXE_MENU_MAX_ITEMS)
		return pxe_err_set(err, E2BIG, "at most %d items", DHCP_PXE_MENU_MAX_ITEMS);
	n = dhcp_pxe_token(&p, file, sizeof(file));
	while (is_blank(*p))
		p++;
	if (n <= 0 || !*p)
		return pxe_err_set(err, EINVAL,
				   "expected FILE TEXT or local TEXT, e.g. "
				   "menu-item = pxelinux.0 Install Linux");
	it = &m->items[m->n];
	memset(it, 0, sizeof(*it));
	r = set_text(it->text, sizeof(it->text), "text", p, err);
	if (r < 0)
		return r;
	if (strcmp(file, "local") == 0) {
		it->type = DHCP_PXE_ITEM_LOCAL;
	} else {
		r = set_file(it->file, "file", file, err);
		if (r < 0)
			return r;
		for (size_t i = 0; i < m->n; i++)
			if (m->items[i].type != DHCP_PXE_ITEM_LOCAL)
				next++;
		it->type = (uint16_t)next;
	}
	m->n++;
	r = dhcp_pxe_menu_check(m, err);
	if (r < 0)
		m->n--;
	return r;
}

/* menu-prompt = SECONDS TEXT (0 boots the first item, 255 waits). */
static int set_prompt(struct dhcp_pxe_menu *m, const char *value, struct pxe_err *err)
{
	struct dhcp_pxe_menu old = *m;
	unsigned t;
	int used = 0, r;

	if (sscanf(value, "%3u%n", &t, &used) != 1 || t > 255 ||
	    (value[used] && !is_blank(value[used])))
		return pxe_err_set(err, EINVAL,
				   "expected SECONDS (0-255) then the text, e.g. "
				   "menu-prompt = 10 Press F8 for the boot menu");
	value += used;
	while (is_blank(*value))
		value++;
	r = set_text(m->prompt, sizeof(m->prompt), NULL, value, err);
	if (r == 0) {
		m->has_prompt = true;
		m->timeout = (uint8_t)t;
		r = dhcp_pxe_menu_check(m, err);
	}
	/* A refused prompt leaves the previous one (or the default) in
	 * force, so the menu stays within its 255 bytes. */
	if (r < 0)
		*m = old;
	return r;
}

/* One of the words (NULL-terminated list), as written (values of the PXE
 * keys are case-sensitive, like the words of match terms). */
static int set_word(int *dst, const char *value, const char *const *words, struct pxe_err *err)
{
	char list[64] = "";
	for (int i = 0; words[i]; i++) {
		if (strcmp(value, words[i]) == 0) {
			*dst = i;
			return 0;
		}
		size_t n = strlen(list);
		const char *sep = i == 0 ? "" : words[i + 1] ? ", " : " or ";
		snprintf(list + n, sizeof(list) - n, "%s%s", sep, words[i]);
	}
	return pxe_err_set(err, EINVAL, "expected %s, got '%.40s'", list, value);
}

static const char *const pad_words[] = {"auto", "yes", "no", NULL};
static const char *const opt43_words[] = {"auto", "never", "no-uefi", NULL};
static const char *const rpi_words[] = {"auto", "no", NULL};
static const char *const opt60_words[] = {"auto", "never", NULL};

/* ---------------------------------------------------------- value types */

static int match_parse(void *f, const char *v, struct pxe_err *err)
{
	return dhcp_pxe_boot_add_match(f, v, err);
}

/* All terms on one line: lines of `match =` add up to one list. */
static void match_print(FILE *out, const void *f)
{
	const struct dhcp_pxe_boot *b = f;
	char buf[DHCP_PXE_TERM_TEXT + 64];
	for (size_t i = 0; i < b->n_terms; i++)
		if (dhcp_pxe_term_format(&b->terms[i], buf, sizeof(buf)) >= 0)
			fprintf(out, "%s%s", i ? " " : "", buf);
}

static bool match_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->n_terms > 0;
}

static int file_parse(void *f, const char *v, struct pxe_err *err)
{
	return set_file(((struct dhcp_pxe_boot *)f)->file, NULL, v, err);
}

static void file_print(FILE *out, const void *f)
{
	fputs(((const struct dhcp_pxe_boot *)f)->file, out);
}

static bool file_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->file[0] != '\0';
}

static int next_server_parse(void *f, const char *v, struct pxe_err *err)
{
	struct dhcp_pxe_boot *b = f;
	struct in_addr a;

	b->has_next_server = inet_pton(AF_INET, v, &a) == 1;
	if (!b->has_next_server)
		return pxe_err_set(err, EINVAL,
				   "expected an IPv4 address such as 198.18.0.5, got '%.40s'", v);
	b->next_server_be = a.s_addr;
	return 0;
}

static void next_server_print(FILE *out, const void *f)
{
	const struct dhcp_pxe_boot *b = f;
	char ip[INET_ADDRSTRLEN];
	fputs(inet_ntop(AF_INET, &b->next_server_be, ip, sizeof(ip)), out);
}

static bool next_server_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->has_next_server;
}

static int server_name_parse(void *f, const char *v, struct pxe_err *err)
{
	struct dhcp_pxe_boot *b = f;
	return set_text(b->server_name, sizeof(b->server_name), NULL, v, err);
}

static void server_name_print(FILE *out, const void *f)
{
	fputs(((const struct dhcp_pxe_boot *)f)->server_name, out);
}

static bool server_name_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->server_name[0] != '\0';
}

static int menu_item_parse(void *f, const char *v, struct pxe_err *err)
{
	return add_menu_item(&((struct dhcp_pxe_boot *)f)->menu, v, err);
}

/* One line per item, in order: the order gives the item types. */
static void menu_item_print(FILE *out, const void *f)
{
	const struct dhcp_pxe_menu *m = &((const struct dhcp_pxe_boot *)f)->menu;
	for (size_t i = 0; i < m->n; i++) {
		const struct dhcp_pxe_menu_item *it = &m->items[i];
		const char *file = it->type == DHCP_PXE_ITEM_LOCAL ? "local" : it->file;
		const char *q = strpbrk(file, " \t") ? "\"" : "";
		fprintf(out, "%s%s%s%s %s", i ? "\n" : "", q, file, q, it->text);
	}
}

static bool menu_item_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->menu.n > 0;
}

static int menu_prompt_parse(void *f, const char *v, struct pxe_err *err)
{
	return set_prompt(&((struct dhcp_pxe_boot *)f)->menu, v, err);
}

static void menu_prompt_print(FILE *out, const void *f)
{
	const struct dhcp_pxe_menu *m = &((const struct dhcp_pxe_boot *)f)->menu;
	fprintf(out, "%u%s%s", m->timeout, m->prompt[0] ? " " : "", m->prompt);
}

static bool menu_prompt_is_set(const void *f)
{
	return ((const struct dhcp_pxe_boot *)f)->menu.has_prompt;
}

static int rpi_pad_parse(void *f, const char *v, struct pxe_err *err)
{
	int w = 0, r = set_word(&w, v, pad_words, err);
	if (r == 0)
		((struct dhcp_pxe_boot *)f)->rpi_pad = (enum dhcp_pxe_rpi_pad)w;
	return r;
}

static void rpi_pad_print(FILE *out, const void *f)
{
	fputs(pad_words[((const struct dhcp_pxe_boot *)f)->rpi_pad], out);
}

static int opt43_parse(void *f, const char *v, struct pxe_err *err)
{
	int w = 0, r = set_word(&w, v, opt43_words, err);
	if (r == 0)
		((struct dhcp_pxe_boot *)f)->opt43 = (enum dhcp_pxe_opt43_mode)w;
	return r;
}

static void opt43_print(FILE *out, const void *f)
{
	fputs(opt43_words[((const struct dhcp_pxe_boot *)f)->opt43], out);
}

static int rpi_parse(void *f, const char *v, struct pxe_err *err)
{
	int w = 0, r = set_word(&w, v, rpi_words, err);
	if (r == 0)
		((struct dhcp_pxe_boot *)f)->rpi = (enum dhcp_pxe_rpi_mode)w;
	return r;
}

static void rpi_print(FILE *out, const void *f)
{
	fputs(rpi_words[((const struct dhcp_pxe_boot *)f)->rpi], out);
}

static int opt60_parse(void *f, const char *v, struct pxe_err *err)
{
	int w = 0, r = set_word(&w, v, opt60_words, err);
	if (r == 0)
		((struct dhcp_pxe_boot *)f)->opt60 = (enum dhcp_pxe_opt60_mode)w;
	return r;
}

static void opt60_print(FILE *out, const void *f)
{
	fputs(opt60_words[((const struct dhcp_pxe_boot *)f)->opt60], out);
}

const struct pxe_opt_hook dhcp_pxe_hook_match = {match_parse, match_print, match_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_file = {file_parse, file_print, file_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_next_server = {next_server_parse, next_server_print,
						       next_server_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_server_name = {server_name_parse, server_name_print,
						       server_name_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_menu_item = {menu_item_parse, menu_item_print,
						     menu_item_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_menu_prompt = {menu_prompt_parse, menu_prompt_print,
						       menu_prompt_is_set, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_rpi_pad = {rpi_pad_parse, rpi_pad_print, NULL, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_opt43 = {opt43_parse, opt43_print, NULL, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_rpi = {rpi_parse, rpi_print, NULL, NULL};
const struct pxe_opt_hook dhcp_pxe_hook_opt60 = {opt60_parse, opt60_print, NULL, NULL};

/* ----------------------------------------------------------------- keys */

/* The PXE keys alone, for a struct dhcp_pxe_boot that stands by itself. */
struct pxe_only {
	struct dhcp_pxe_boot b;
};

static const struct pxe_opt pxe_keys[] = {DHCP_PXE_BOOT_OPTS(struct pxe_only, b)};

int dhcp_pxe_boot_set(struct dhcp_pxe_boot *b, const char *key, const char *value,
		      struct pxe_err *err)
{
	return pxe_opt_apply(pxe_keys, sizeof(pxe_keys) / sizeof(pxe_keys[0]), b, key, value, err);
}
