/* SPDX-License-Identifier: MIT */
/* The [boot NAME] table: the PXE keys of pxe/keys.h, then the section's
 * own. Keys are looked up as written, like every other key. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_boot.h"
#include "pxe/keys.h"

#define B(f) offsetof(struct dhcp_boot, f)
/* One option per paragraph: the house layout of option tables. The quirk
 * switches: reply-delay (firmware that misses fast offers, or a proxy that
 * should lose the race to the site server), broadcast (clients that ignore
 * unicast replies), echo-uuid = no (firmware confused by option 97 in
 * replies). */
/* clang-format off */
static const struct pxe_opt boot_opts[] = {
	DHCP_PXE_BOOT_OPTS(struct dhcp_boot, pxe),
	{ .name = "option", .type = PXE_OPT_HOOK, .offset = B(option), .arg = "NAME:VALUE",
	  .help = "DHCP option for this section's clients (repeatable)",
	  .hook = &dhcp_optlines_hook },
	{ .name = "reply-delay", .type = PXE_OPT_DURATION, .offset = B(delay_ms), .min = 0,
	  .max = 10000, .arg = "DURATION",
	  .help = "send offers and proxy replies this much later" },
	{ .name = "broadcast", .type = PXE_OPT_BOOL, .offset = B(broadcast), .def = "no",
	  .help = "broadcast every reply to these clients" },
	{ .name = "echo-uuid", .type = PXE_OPT_BOOL, .offset = B(echo_uuid), .def = "yes",
	  .help = "echo the client's option 97" },
	{ .name = "bootfile-param", .type = PXE_OPT_STRLIST, .offset = B(bootfile_param),
	  .arg = "TEXT",
	  .help = "DHCPv6 option 60: one parameter for the boot file, e.g. a kernel command "
	          "line word (repeatable, in order; RFC 5970 §3.2)" },
};
/* clang-format on */
static const struct pxe_opt_table boot_table = PXE_OPT_TABLE(boot_opts);

struct dhcp_boot *dhcp_config_boot(struct dhcpd_config *c, const char *name,
				   const struct pxe_src *at, struct pxe_err *err)
{
	for (size_t i = 0; i < c->n_boots; i++)
		if (!strcmp(c->boots[i].pxe.name, name))
			return &c->boots[i];
	struct dhcp_boot *nb = dhcp_config_grow(c->boots, &c->n_boots, sizeof(*nb));
	if (!nb) {
		pxe_err_set(err, ENOMEM, "out of memory");
		return NULL;
	}
	c->boots = nb;
	struct dhcp_boot *b = &nb[c->n_boots - 1];
	if (dhcp_pxe_boot_init(&b->pxe, name, err) < 0) {
		c->n_boots--; /* not a section: nothing of it to keep */
		return NULL;
	}
	b->file = at->file;
	b->line = at->line;
	if (pxe_opt_section_init(&boot_table, b, &b->src, err) < 0)
		return NULL;
	return b;
}

int dhcp_config_boot_key(struct dhcp_boot *b, const char *section, const char *key,
			 const char *value, const struct pxe_src *at, struct pxe_err *err)
{
	return pxe_opt_section_apply(&boot_table, b, b->src, section, key, value, at, err);
}

/* A section with neither file nor menu-item gives its clients no boot
 * file (and so none of its options: v4/pxe_reply.c fills a reply only
 * from a section that serves), and the first matching section ends the
 * search. With match terms that is legal, a way to keep some clients from
 * the sections after it: a warning. Without match terms it matches every
 * client and gives none of them anything, hiding every later section:
 * never useful, an error. */
int dhcp_config_boot_check(const struct dhcp_boot *b, struct pxe_err *err)
{
	struct pxe_err e;
	int r = dhcp_pxe_boot_check(&b->pxe, &e);
	if (r < 0)
		return pxe_err_set(err, -r, "[boot %s]: %s", b->pxe.name, e.msg);
	if (!dhcp_pxe_boot_gives_file(&b->pxe) && !b->pxe.n_terms)
		return pxe_err_set(err, EINVAL,
				   "[boot %s]: no file, no menu-item and no match: it matches "
				   "every client and gives none a boot file",
				   b->pxe.name);
	return 0;
}

const char *dhcp_config_boot_warning(const struct dhcp_boot *b)
{
	if (dhcp_pxe_boot_gives_file(&b->pxe))
		return NULL;
	return "no file and no menu-item: the clients it matches get no boot file, and the "
	       "sections after it are not tried for them";
}

void dhcp_config_boot_print(FILE *out, const struct dhcp_boot *b)
{
	fprintf(out, "\n[boot %s]\n", b->pxe.name);
	pxe_opt_section_print(out, &boot_table, b, b->src);
}

void dhcp_config_boot_free(struct dhcp_boot *b)
{
	pxe_opt_section_free(&boot_table, b, b->src);
	b->src = NULL;
}
