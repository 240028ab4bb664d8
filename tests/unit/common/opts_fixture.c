/* SPDX-License-Identifier: MIT */
/* The option engine's test fixture (opts_fixture.h). */
#include "opts_fixture.h"

#include "unit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const modes[] = {"full", "proxy", "proxy-4011", NULL};

const struct pxe_opt ot_opts[] = {
	{.name = "listen",
	 .short_name = 'l',
	 .type = PXE_OPT_ADDRLIST,
	 .offset = offsetof(struct tcfg, listen),
	 .def = "0.0.0.0:69",
	 .default_port = 69,
	 .arg = "ADDR[:PORT]",
	 .help = "listen here"},
	{.name = "root",
	 .type = PXE_OPT_STRING,
	 .flags = PXE_OPTF_POSITIONAL,
	 .offset = offsetof(struct tcfg, root),
	 .arg = "DIR",
	 .help = "root",
	 .check = pxe_optcheck_root},
	{.name = "blksize-max",
	 .short_name = 'B',
	 .type = PXE_OPT_INT,
	 .offset = offsetof(struct tcfg, blksize),
	 .def = "1468",
	 .min = 8,
	 .max = 65464,
	 .help = "largest block"},
	{.name = "max-size",
	 .type = PXE_OPT_SIZE,
	 .offset = offsetof(struct tcfg, max_size),
	 .def = "4M",
	 .help = "size"},
	{.name = "timeout",
	 .type = PXE_OPT_DURATION,
	 .offset = offsetof(struct tcfg, timeout_ms),
	 .def = "30s",
	 .min = 0,
	 .max = 3600000,
	 .help = "idle"},
	{.name = "keepalive",
	 .type = PXE_OPT_BOOL,
	 .offset = offsetof(struct tcfg, keepalive),
	 .def = "yes",
	 .help = "keep-alive"},
	{.name = "mode",
	 .type = PXE_OPT_ENUM,
	 .offset = offsetof(struct tcfg, mode),
	 .def = "full",
	 .choices = modes,
	 .help = "mode"},
	{.name = "header",
	 .type = PXE_OPT_STRLIST,
	 .offset = offsetof(struct tcfg, header),
	 .help = "extra header"},
	{.name = "forward",
	 .type = PXE_OPT_STRLIST,
	 .offset = offsetof(struct tcfg, forward),
	 .nargs = 2,
	 .arg = "HOST URL",
	 .help = "redirect"},
	{.name = "addr",
	 .type = PXE_OPT_ADDR,
	 .offset = offsetof(struct tcfg, addr),
	 .default_port = 8080,
	 .help = "one address"},
	{.name = "user",
	 .short_name = 'u',
	 .type = PXE_OPT_STRING,
	 .aliases = "uid",
	 .offset = offsetof(struct tcfg, common.user),
	 .help = "user",
	 .check = pxe_optcheck_user},
	PXE_OPTS_LOG(struct tcfg, common),
	{.name = "map",
	 .type = PXE_OPT_STRING,
	 .offset = offsetof(struct tcfg, map),
	 .arg = "FILE",
	 .help = "a file read at start",
	 .check = pxe_optcheck_file},
	{.name = "group",
	 .type = PXE_OPT_STRING,
	 .offset = offsetof(struct tcfg, common.group),
	 .help = "group",
	 .check = pxe_optcheck_group},
	{.name = "daemon",
	 .type = PXE_OPT_BOOL,
	 .flags = PXE_OPTF_CLI_ONLY,
	 .offset = offsetof(struct tcfg, common.daemon),
	 .def = "no",
	 .help = "a command-line option only"},
};

int ot_other_section(void *cfg, const char *section, const char *key, const char *value,
		     const char *file, int line, struct pxe_err *err)
{
	struct tcfg *c = cfg;
	(void)file;
	if (strncmp(section, "subnet ", 7))
		return pxe_err_set(err, EINVAL, "unknown section [%s]", section);
	if (strcmp(key, "range"))
		return pxe_err_set(err, EINVAL, "unknown key '%s' in [%s]", key, section);
	c->other_calls++;
	snprintf(c->last_other, sizeof(c->last_other), "%s|%s|%d", section, value, line);
	return 0;
}

static int pairs_parse(void *field, const char *value, struct pxe_err *err)
{
	struct pairs *p = field;
	const char *eq = strchr(value, '=');
	if (!eq || eq == value || eq - value >= 16 || strlen(eq + 1) >= 16)
		return pxe_err_set(err, EINVAL, "expected K=V, got '%s'", value);
	if (p->n == 4)
		return pxe_err_set(err, E2BIG, "at most 4 pairs");
	snprintf(p->k[p->n], 16, "%.*s", (int)(eq - value), value);
	snprintf(p->v[p->n], 16, "%s", eq + 1);
	p->n++;
	return 0;
}

static void pairs_print(FILE *out, const void *field)
{
	const struct pairs *p = field;
	for (size_t i = 0; i < p->n; i++)
		fprintf(out, "%s%s=%s", i ? "\n" : "", p->k[i], p->v[i]);
}

static bool pairs_is_set(const void *field)
{
	return ((const struct pairs *)field)->n > 0;
}

int ot_pairs_freed;

static void pairs_free(void *field)
{
	((struct pairs *)field)->n = 0;
	ot_pairs_freed++;
}

static const struct pxe_opt_hook pairs_hook = {
	.parse = pairs_parse, .print = pairs_print, .is_set = pairs_is_set, .free = pairs_free};

#define P(f) offsetof(struct part, f)
/* One option per paragraph, the house layout of option tables: */
/* clang-format off */
const struct pxe_opt ot_part_opts[] = {
	{.name = "pair",
	 .type = PXE_OPT_HOOK,
	 .offset = P(pair),
	 .hook = &pairs_hook},
	{.name = "delay",
	 .type = PXE_OPT_DURATION,
	 .offset = P(delay_ms),
	 .max = 10000},
	{.name = "flag",
	 .type = PXE_OPT_BOOL,
	 .offset = P(flag),
	 .def = "no"},
	{.name = "item",
	 .type = PXE_OPT_STRLIST,
	 .offset = P(item)},
	{.name = "label",
	 .type = PXE_OPT_STRING,
	 .offset = P(label)},
};
/* clang-format on */
const struct pxe_opt_table ot_part_table = PXE_OPT_TABLE(ot_part_opts);

/* [part NAME] through the section table, the way dhcpd's sections go. */
int ot_part_section(void *cfg, const char *section, const char *key, const char *value,
		    const char *file, int line, struct pxe_err *err)
{
	struct tcfg *c = cfg;
	if (strncmp(section, "part ", 5))
		return pxe_err_set(err, EINVAL, "unknown section [%s]", section);
	if (!c->part_src && pxe_opt_section_init(&ot_part_table, &c->part, &c->part_src, err) < 0)
		return -ENOMEM;
	struct pxe_src at = {PXE_SRC_FILE, file, line};
	return pxe_opt_section_apply(&ot_part_table, &c->part, c->part_src, section, key, value,
				     &at, err);
}

void ot_part_free(void *cfg)
{
	struct tcfg *c = cfg;
	if (c->part_src)
		pxe_opt_section_free(&ot_part_table, &c->part, c->part_src);
}

void ot_part_print(FILE *out, const void *cfg)
{
	const struct tcfg *c = cfg;
	fputs("\n[part p]\n", out);
	if (c->part_src)
		pxe_opt_section_print(out, &ot_part_table, &c->part, c->part_src);
}

struct pxe_opt_spec ot_spec = {
	.prog = "pxe-test",
	.section = "test",
	.usage = "[options] [ROOT]",
	.summary = "test daemon",
	.opts = ot_opts,
	.nopts = sizeof(ot_opts) / sizeof(ot_opts[0]),
	.cfg_size = sizeof(struct tcfg),
};

char *ot_tmp;

void ot_setup(void)
{
	ot_tmp = unit_tmpdir();
	ot_spec.other_section = NULL;
	ot_spec.free_extra = NULL;
	ot_spec.print_extra = NULL;
}

void ot_teardown(void)
{
	unit_tmpdir_remove(ot_tmp);
	ot_tmp = NULL;
}

/* Load with argv given as a NULL-terminated list; file content optional. */
int ot_load(struct pxe_config *c, struct pxe_err *err, const char *file, ...)
{
	char *argv[32] = {"pxe-test"};
	int argc = 1;
	char path[4200];
	if (file) {
		ck_assert_int_eq(unit_write_file(ot_tmp, "t.conf", file), 0);
		snprintf(path, sizeof(path), "%s/t.conf", ot_tmp);
		argv[argc++] = "-c";
		argv[argc++] = path;
	}
	va_list ap;
	va_start(ap, file);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	memset(err, 0, sizeof(*err));
	return pxe_config_load(&ot_spec, argc, argv, c, err);
}

char *ot_print(const struct pxe_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_print(c, m);
	fclose(m);
	return buf;
}
