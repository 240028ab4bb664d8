/* SPDX-License-Identifier: MIT */
/* The option-table driver: command line, INI file (through inih), --help,
 * --print-config and --check-config, all from one table per daemon. */
#include "opts_internal.h"

#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#ifndef PXE_VERSION
#define PXE_VERSION "0"
#endif

/* One option assignment taken from the command line, applied after the file. */
struct cli_assign {
	const struct pxe_opt *opt;
	char *value; /* owned */
};

struct cli_parse {
	struct cli_assign *v;
	size_t n;
	const char *config_file;
	enum pxe_action action;
	bool help;
};

static void cli_parse_free(struct cli_parse *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].value);
	free(p->v);
}

static int cli_push(struct cli_parse *p, const struct pxe_opt *o, char *value)
{
	if (!value)
		return -ENOMEM;
	struct cli_assign *v = realloc(p->v, (p->n + 1) * sizeof(*v));
	if (!v) {
		free(value);
		return -ENOMEM;
	}
	v[p->n].opt = o;
	v[p->n].value = value;
	p->v = v;
	p->n++;
	return 0;
}

/* Join argv[i..i+n-1] with spaces (options with nargs 2: --forward HOST URL). */
static char *join_args(char **argv, int n)
{
	size_t len = 1;
	for (int k = 0; k < n; k++)
		len += strlen(argv[k]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = 0;
	for (int k = 0; k < n; k++) {
		if (k)
			strcat(s, " ");
		strcat(s, argv[k]);
	}
	return s;
}

/* Built-in options of every daemon. Returns 1 when arg was one of them. */
static int builtin_long(struct cli_parse *p, const char *name, size_t len)
{
	static const struct {
		const char *name;
		enum pxe_action action;
	} builtins[] = {
		{"help", PXE_ACT_HELP},
		{"version", PXE_ACT_VERSION},
		{"print-config", PXE_ACT_PRINT_CONFIG},
		{"check-config", PXE_ACT_CHECK_CONFIG},
	};
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strlen(builtins[i].name) == len && !strncmp(name, builtins[i].name, len)) {
			if (builtins[i].action == PXE_ACT_HELP)
				p->help = true;
			else
				p->action = builtins[i].action;
			return 1;
		}
	}
	return 0;
}

/* What --help shows for an option's value: its arg, or for an enum its
 * choices ("logfmt|json"), so the names are written once, in the table. */
static const char *metavar(const struct pxe_opt *o, char *buf, size_t cap)
{
	if (o->arg)
		return o->arg;
	if (o->type != PXE_OPT_ENUM || !o->choices)
		return "VALUE";
	size_t n = 0;
	buf[0] = 0;
	for (const char *const *c = o->choices; *c && n < cap; c++)
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", c == o->choices ? "" : "|", *c);
	return buf;
}

/* "unknown option '--listn'; did you mean '--listen'? (see PROG --help)":
 * the suggestion among the table's names and aliases, the built-in
 * options, and the --no- forms of the bools. */
static int unknown_long(const struct pxe_opt_spec *spec, const char *arg, size_t len,
			struct pxe_err *err)
{
	static const char *const builtins[] = {"help", "version", "print-config", "check-config",
					       "config"};
	struct pxe_hint h;
	pxe_hint_init(&h, arg, len);
	pxe_hint_table(&h, spec->opts, spec->nopts, PXE_OPTF_HIDDEN);
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		pxe_hint_try(&h, builtins[i], strlen(builtins[i]));
	const char *no = "no-";
	if (len > 3 && !strncmp(arg, no, 3) && !h.best) {
		/* "--no-keeplive": the bool behind it */
		pxe_hint_init(&h, arg + 3, len - 3);
		for (size_t i = 0; i < spec->nopts; i++)
			if (spec->opts[i].type == PXE_OPT_BOOL &&
			    !(spec->opts[i].flags & PXE_OPTF_HIDDEN))
				pxe_hint_try(&h, spec->opts[i].name, strlen(spec->opts[i].name));
	} else {
		no = "";
	}
	if (!h.best)
		return pxe_err_set(err, EINVAL, "unknown option '--%.*s' (see %s --help)", (int)len,
				   arg, spec->prog);
	return pxe_err_set(err, EINVAL,
			   "unknown option '--%.*s'; did you mean '--%s%.*s'? (see %s --help)",
			   (int)len, arg, no, (int)h.best_len, h.best, spec->prog);
}

/* Take the value of option o at argv[*i] ("--name=value" gave eq). */
static int take_value(const struct pxe_opt_spec *spec, struct cli_parse *p, const struct pxe_opt *o,
		      const char *shown, const char *eq, int argc, char **argv, int *i,
		      struct pxe_err *err)
{
	if (o->type == PXE_OPT_BOOL)
		return cli_push(p, o, strdup(eq ? eq : "yes"));
	if (eq)
		return cli_push(p, o, strdup(eq));
	int nargs = o->nargs > 0 ? o->nargs : 1;
	char mv[128];
	if (*i + nargs >= argc)
		return pxe_err_set(err, EINVAL, "%s: expects %s%s (see %s --help)", shown,
				   nargs > 1 ? "arguments " : "a value ",
				   metavar(o, mv, sizeof(mv)), spec->prog);
	int r = cli_push(p, o, join_args(argv + *i + 1, nargs));
	*i += nargs;
	return r;
}

static int parse_long(const struct pxe_opt_spec *spec, struct cli_parse *p, int argc, char **argv,
		      int *i, struct pxe_err *err)
{
	const char *arg = argv[*i] + 2;
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
	if (builtin_long(p, arg, len)) {
		if (eq)
			return pxe_err_set(err, EINVAL, "--%.*s: takes no value", (int)len, arg);
		return 0;
	}
	if (len == 6 && !strncmp(arg, "config", 6)) {
		if (!eq && *i + 1 >= argc)
			return pxe_err_set(err, EINVAL, "--config: expects a FILE");
		p->config_file = eq ? eq + 1 : argv[++*i];
		return 0;
	}
	const struct pxe_opt *o = pxe_opt_find(spec->opts, spec->nopts, arg, len);
	if (!o && len > 3 && !strncmp(arg, "no-", 3)) {
		/* --no-flag for bools */
		o = pxe_opt_find(spec->opts, spec->nopts, arg + 3, len - 3);
		if (o && o->type == PXE_OPT_BOOL && !eq)
			return cli_push(p, o, strdup("no"));
		o = NULL;
	}
	if (!o)
		return unknown_long(spec, arg, len, err);
	char shown[96];
	snprintf(shown, sizeof(shown), "--%.*s", (int)len, arg);
	return take_value(spec, p, o, shown, eq ? eq + 1 : NULL, argc, argv, i, err);
}

static int parse_short(const struct pxe_opt_spec *spec, struct cli_parse *p, int argc, char **argv,
		       int *i, struct pxe_err *err)
{
	char c = argv[*i][1];
	const char *attached = argv[*i][2] ? argv[*i] + 2 : NULL;
	if (c == 'h' || c == 'V') {
		if (attached)
			return pxe_err_set(err, EINVAL, "-%c: takes no value", c);
		if (c == 'h')
			p->help = true;
		else
			p->action = PXE_ACT_VERSION;
		return 0;
	}
	if (c == 'c') {
		if (!attached && *i + 1 >= argc)
			return pxe_err_set(err, EINVAL, "-c: expects a FILE");
		p->config_file = attached ? attached : argv[++*i];
		return 0;
	}
	for (size_t k = 0; k < spec->nopts; k++) {
		const struct pxe_opt *o = &spec->opts[k];
		if (o->short_name != c || c == 0)
			continue;
		char shown[4] = {'-', c, 0};
		if (o->type == PXE_OPT_BOOL && attached)
			return pxe_err_set(err, EINVAL, "-%c: takes no value", c);
		return take_value(spec, p, o, shown, attached, argc, argv, i, err);
	}
	return pxe_err_set(err, EINVAL, "unknown option '-%c' (see %s --help)", c, spec->prog);
}

static const struct pxe_opt *next_positional(const struct pxe_opt_spec *spec, size_t *from)
{
	for (; *from < spec->nopts; (*from)++)
		if (spec->opts[*from].flags & PXE_OPTF_POSITIONAL)
			return &spec->opts[(*from)++];
	return NULL;
}

static int parse_cli(const struct pxe_opt_spec *spec, int argc, char **argv, struct cli_parse *p,
		     struct pxe_err *err)
{
	size_t positional = 0;
	bool only_args = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		int r = 0;
		if (!only_args && !strcmp(a, "--")) {
			only_args = true;
		} else if (!only_args && a[0] == '-' && a[1] == '-') {
			r = parse_long(spec, p, argc, argv, &i, err);
		} else if (!only_args && a[0] == '-' && a[1]) {
			r = parse_short(spec, p, argc, argv, &i, err);
		} else {
			const struct pxe_opt *o = next_positional(spec, &positional);
			if (!o)
				r = pxe_err_set(err, EINVAL,
						"unexpected argument '%s' (see %s --help)", a,
						spec->prog);
			else
				r = cli_push(p, o, strdup(a));
		}
		if (r < 0)
			return r;
	}
	return 0;
}

/* ------------------------------------------------------------------ load */

static int apply_cli(const struct pxe_opt_spec *spec, struct pxe_config *c, struct cli_parse *p,
		     struct pxe_err *err)
{
	bool *cleared = calloc(spec->nopts ? spec->nopts : 1, sizeof(bool));
	if (!cleared)
		return -ENOMEM;
	int r = 0;
	for (size_t k = 0; k < p->n && r == 0; k++) {
		const struct pxe_opt *o = p->v[k].opt;
		size_t idx = (size_t)(o - spec->opts);
		if (!cleared[idx]) {
			/* the command line replaces a list from the file or the default */
			if (o->type == PXE_OPT_STRLIST || o->type == PXE_OPT_ADDRLIST)
				pxe_opt_clear(o, c->cfg);
			cleared[idx] = true;
		}
		struct pxe_err e = {{0}};
		r = pxe_opt_store(o, c->cfg, p->v[k].value, &e);
		if (r < 0)
			pxe_err_set(err, r, "--%s: %s", o->name, e.msg);
		c->src[idx].kind = PXE_SRC_CLI;
		c->src[idx].file = NULL;
		c->src[idx].line = 0;
	}
	free(cleared);
	return r;
}

static int check_required(const struct pxe_opt_spec *spec, struct pxe_config *c,
			  struct pxe_err *err)
{
	for (size_t i = 0; i < spec->nopts; i++) {
		const struct pxe_opt *o = &spec->opts[i];
		if ((o->flags & PXE_OPTF_REQUIRED) && !pxe_opt_is_set(o, c->cfg))
			return pxe_err_set(
				err, EINVAL, "%s: required (--%s%s%s%s)", o->name, o->name,
				(o->flags & PXE_OPTF_CLI_ONLY) ? "" : ", or in [",
				(o->flags & PXE_OPTF_CLI_ONLY) ? "" : spec->section,
				(o->flags & PXE_OPTF_CLI_ONLY) ? "" : "] of the config file");
	}
	return 0;
}

/* --help works whatever else is on the line, even a bad option before it. */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return true;
	return false;
}

static int init_config(const struct pxe_opt_spec *spec, struct pxe_config *out, struct pxe_err *err)
{
	memset(out, 0, sizeof(*out));
	out->spec = spec;
	out->cfg = calloc(1, spec->cfg_size ? spec->cfg_size : 1);
	out->src = calloc(spec->nopts ? spec->nopts : 1, sizeof(*out->src));
	if (!out->cfg || !out->src)
		return pxe_err_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < spec->nopts; i++)
		out->src[i].kind = spec->opts[i].def ? PXE_SRC_DEFAULT : PXE_SRC_UNSET;
	int r = pxe_opt_defaults(spec->opts, spec->nopts, out->cfg, err);
	if (r < 0)
		return r;
	return 0;
}

/* A validation message "key: ..." (or "--key: ...") about an option of
 * the table is put where that option was set: "FILE:LINE: key: ...". */
static void place_error(const struct pxe_config *c, struct pxe_err *err)
{
	const char *m = err->msg + (strncmp(err->msg, "--", 2) ? 0 : 2);
	size_t len = strcspn(m, ": ");
	if (m[len] != ':' || m[len + 1] != ' ')
		return;
	const struct pxe_opt *o = pxe_opt_find(c->spec->opts, c->spec->nopts, m, len);
	if (!o)
		return;
	char where[PXE_OPT_WHERE_MAX];
	pxe_config_where(c, o, where, sizeof(where));
	struct pxe_err placed;
	pxe_err_set(&placed, 0, "%s%s", where, m + len);
	*err = placed;
}

/* pxe_config_load; each error of the file after the first goes to more. */
static int config_load(const struct pxe_opt_spec *spec, int argc, char **argv,
		       struct pxe_config *out, struct pxe_err *err, FILE *more)
{
	struct cli_parse p = {.action = PXE_ACT_RUN};
	int r = init_config(spec, out, err);
	if (r == 0)
		r = parse_cli(spec, argc, argv, &p, err);
	if (wants_help(argc, argv))
		p.help = true;
	if (p.help) {
		/* --help works whatever else is on the line */
		out->action = PXE_ACT_HELP;
		cli_parse_free(&p);
		return 0;
	}
	if (r == 0 && p.action == PXE_ACT_VERSION) {
		out->action = PXE_ACT_VERSION;
		cli_parse_free(&p);
		return 0;
	}
	out->action = p.action;
	if (r == 0 && p.config_file) {
		out->config_file = strdup(p.config_file);
		if (!out->config_file)
			r = pxe_err_set(err, ENOMEM, "out of memory");
		if (r == 0) {
			pxe_opts_file_replaces_lists(spec, out);
			r = pxe_opts_load_file(spec, out, err, more);
		}
	}
	if (r == 0)
		r = apply_cli(spec, out, &p, err);
	cli_parse_free(&p);
	if (r == 0)
		r = check_required(spec, out, err);
	if (r == 0 && spec->validate && (r = spec->validate(out->cfg, err)) < 0)
		place_error(out, err);
	if (r < 0) {
		pxe_config_free(out);
		return r;
	}
	return 0;
}

int pxe_config_load(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out,
		    struct pxe_err *err)
{
	return config_load(spec, argc, argv, out, err, NULL);
}

void pxe_config_free(struct pxe_config *c)
{
	if (!c || !c->spec)
		return;
	if (c->cfg) {
		if (c->spec->free_extra)
			c->spec->free_extra(c->cfg);
		pxe_opt_free(c->spec->opts, c->spec->nopts, c->cfg);
	}
	free(c->cfg);
	free(c->src);
	free(c->config_file);
	for (size_t i = 0; i < c->n_extra; i++)
		free(c->extra_args[i]);
	free(c->extra_args);
	memset(c, 0, sizeof(*c));
}

/* ------------------------------------------------------------------ output */

static void help_line(FILE *out, const struct pxe_opt *o)
{
	char left[160], mv[128];
	char sh[8] = "    ";
	if (o->short_name)
		snprintf(sh, sizeof(sh), "-%c, ", o->short_name);
	bool negatable = o->type == PXE_OPT_BOOL && o->def && !strcmp(o->def, "yes");
	int n = snprintf(left, sizeof(left), "  %s--%s%s%s%s", sh, negatable ? "[no-]" : "",
			 o->name, o->type == PXE_OPT_BOOL ? "" : " ",
			 o->type == PXE_OPT_BOOL ? "" : metavar(o, mv, sizeof(mv)));
	fprintf(out, "%-34s", left);
	if (n >= 34)
		fprintf(out, "\n%34s", "");
	fputs(o->help ? o->help : "", out);
	if (o->type == PXE_OPT_STRLIST || o->type == PXE_OPT_ADDRLIST)
		fputs(" (repeatable)", out);
	if (o->def && o->type != PXE_OPT_BOOL && o->def[0])
		fprintf(out, " [default: %s]", o->def);
	if (o->aliases)
		fprintf(out, " (also --%s)", o->aliases);
	fputc('\n', out);
}

void pxe_config_help(const struct pxe_opt_spec *spec, FILE *out)
{
	fprintf(out, "Usage: %s %s\n%s\n\nOptions:\n", spec->prog, spec->usage, spec->summary);
	for (size_t i = 0; i < spec->nopts; i++)
		if (!(spec->opts[i].flags & PXE_OPTF_HIDDEN))
			help_line(out, &spec->opts[i]);
	fputs("  -c, --config FILE               read options from the INI file FILE\n"
	      "      --print-config              print the effective configuration and exit\n"
	      "      --check-config              check the configuration and what a start needs\n"
	      "                                  (served root, files, user, group), and exit\n"
	      "                                  (78 on error)\n"
	      "  -h, --help                      show this help and exit\n"
	      "  -V, --version                   show the version and exit\n",
	      out);
	if (spec->epilog)
		fprintf(out, "\n%s\n", spec->epilog);
	fprintf(out,
		"\nEvery option can also be set in the [%s] section of the config file as\n"
		"'name = value'; the command line overrides the file. See %s(8).\n",
		spec->section, spec->prog);
}

void pxe_config_print(const struct pxe_config *c, FILE *out)
{
	const struct pxe_opt_spec *spec = c->spec;
	fprintf(out, "# %s %s: effective configuration\n", spec->prog, PXE_VERSION);
	if (c->config_file)
		fprintf(out, "# read from %s\n", c->config_file);
	fprintf(out, "[%s]\n", spec->section);
	for (size_t i = 0; i < spec->nopts; i++)
		pxe_opt_print_lines(out, &spec->opts[i], c->cfg, &c->src[i], false);
	if (spec->print_extra)
		spec->print_extra(out, c->cfg);
}

/* Each line of text as "PROG: line" on stderr, with the journal's <3>
 * prefix when stderr is the journal (pxe_log_startup_err): configuration
 * errors come before the log is set up, and must not lose their priority. */
static void print_lines(const char *prog, const char *text)
{
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		pxe_log_startup_err(prog, "%.*s", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* A failed start check, the same way as a configuration error. */
static void check_failed(void *prog, const char *where, const char *msg)
{
	pxe_log_startup_err(prog, "%s: %s", where, msg);
}

static int check_and_print(const struct pxe_config *c)
{
	int n = pxe_config_check_each(c, check_failed, (void *)c->spec->prog);
	struct pxe_err e = {{0}};
	if (c->spec->check_start && c->spec->check_start(c, &e) < 0) {
		pxe_log_startup_err(c->spec->prog, "%s", e.msg);
		n++;
	}
	return n;
}

/* Load, reporting every error of the config file, not only the first. */
static int main_load(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out)
{
	struct pxe_err err = {{0}};
	char *more = NULL;
	size_t more_len = 0;
	FILE *m = open_memstream(&more, &more_len);
	int r = config_load(spec, argc, argv, out, &err, m);
	if (m)
		fclose(m);
	if (r < 0) {
		print_lines(spec->prog, err.msg);
		print_lines(spec->prog, more);
	}
	free(more);
	return r;
}

int pxe_config_main(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out)
{
	if (main_load(spec, argc, argv, out) < 0)
		return PXE_EX_CONFIG;
	/* What start needs, checked before it is needed: the same sentence
	 * from --check-config and from a start that would fail. */
	if ((out->action == PXE_ACT_CHECK_CONFIG || out->action == PXE_ACT_RUN) &&
	    check_and_print(out) > 0) {
		pxe_config_free(out);
		return PXE_EX_CONFIG;
	}
	switch (out->action) {
	case PXE_ACT_HELP: pxe_config_help(spec, stdout); break;
	case PXE_ACT_VERSION: printf("%s %s\n", spec->prog, PXE_VERSION); break;
	case PXE_ACT_PRINT_CONFIG: pxe_config_print(out, stdout); break;
	case PXE_ACT_CHECK_CONFIG:
		if (spec->check_host)
			spec->check_host(out->cfg);
		fprintf(stderr, "%s: configuration OK%s%s\n", spec->prog,
			out->config_file ? ": " : "", out->config_file ? out->config_file : "");
		break;
	case PXE_ACT_RUN: return -1;
	}
	pxe_config_free(out);
	return 0;
}
