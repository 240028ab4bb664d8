/* The option-table driver: command line, INI file (through inih), --help,
 * --print-config and --check-config, all from one table per daemon. */
#include "opts_internal.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
		return pxe_err_set(err, EINVAL, "unknown option '--%.*s' (see %s --help)", (int)len,
				   arg, spec->prog);
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

/* ------------------------------------------------------------------ INI */

struct ini_ctx {
	const struct pxe_opt_spec *spec;
	struct pxe_config *c;
	const char *file;
	int line;   /* maintained by the reader: inih calls it once per line */
	int failed; /* line of the first error, 0 when none */
	struct pxe_err *err;
};

struct ini_stream {
	FILE *f;
	struct ini_ctx *ctx;
};

static char *read_line(char *str, int num, void *stream)
{
	struct ini_stream *s = stream;
	char *r = fgets(str, num, s->f);
	if (r)
		s->ctx->line++;
	return r;
}

static bool own_section(const struct pxe_opt_spec *spec, const char *section)
{
	return section[0] == 0 || !strcasecmp(section, spec->section);
}

static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct ini_ctx *x = user;
	if (x->failed)
		return 1; /* report the first error only */
	struct pxe_err e;
	const char *bad_key = NULL; /* prefix the message with the key */
	int r;
	if (!own_section(x->spec, section)) {
		if (!x->spec->other_section) {
			r = pxe_err_set(&e, EINVAL, "unknown section [%s] (expected [%s])", section,
					x->spec->section);
		} else {
			r = x->spec->other_section(x->c->cfg, section, name, value, x->file,
						   x->line, &e);
		}
	} else {
		const struct pxe_opt *o =
			pxe_opt_find(x->spec->opts, x->spec->nopts, name, strlen(name));
		if (!o || (o->flags & PXE_OPTF_CLI_ONLY)) {
			r = pxe_err_set(&e, EINVAL, "unknown key '%s' in [%s]%s", name,
					section[0] ? section : x->spec->section,
					o ? " (a command-line option only)" : "");
		} else {
			r = pxe_opt_store(o, x->c->cfg, value, &e);
			if (r < 0) {
				bad_key = name;
			} else {
				struct pxe_src *src = &x->c->src[o - x->spec->opts];
				src->kind = PXE_SRC_FILE;
				src->file = x->c->config_file;
				src->line = x->line;
			}
		}
	}
	if (r < 0) {
		x->failed = x->line;
		if (bad_key)
			pxe_err_set(x->err, r, "%s:%d: %s: %s", x->file, x->line, bad_key, e.msg);
		else
			pxe_err_set(x->err, r, "%s:%d: %s", x->file, x->line, e.msg);
	}
	return 1;
}

static int load_file(const struct pxe_opt_spec *spec, struct pxe_config *c, struct pxe_err *err)
{
	FILE *f = fopen(c->config_file, "re");
	if (!f)
		return pxe_err_set(err, errno, "%s: cannot open: %s", c->config_file,
				   strerror(errno));
	struct ini_ctx x = {.spec = spec, .c = c, .file = c->config_file, .err = err};
	struct ini_stream s = {.f = f, .ctx = &x};
	int r = ini_parse_stream(read_line, &s, on_key, &x);
	fclose(f);
	if (x.failed)
		return -EINVAL;
	if (r > 0)
		return pxe_err_set(
			err, EINVAL,
			"%s:%d: syntax error: expected 'key = value', '[section]' or a comment",
			c->config_file, r);
	if (r < 0)
		return pxe_err_set(err, EIO, "%s: cannot read", c->config_file);
	return 0;
}

/* Pre-scan the file for list keys so that a list the file sets replaces
 * its default instead of appending to it. */
static int file_sets_key(const char *file, const char *section, const struct pxe_opt *o)
{
	FILE *f = fopen(file, "re");
	if (!f)
		return 0;
	char line[4096];
	bool in_own = true;
	int found = 0;
	while (!found && fgets(line, sizeof(line), f)) {
		char *p = line;
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '[') {
			char *end = strchr(p, ']');
			in_own = end && (size_t)(end - p - 1) == strlen(section) &&
				 !strncasecmp(p + 1, section, strlen(section));
			continue;
		}
		if (!in_own)
			continue;
		size_t n = strcspn(p, "=: \t");
		found = pxe_opt_find(o, 1, p, n) != NULL;
	}
	fclose(f);
	return found;
}

static void file_replaces_default_lists(const struct pxe_opt_spec *spec, struct pxe_config *c)
{
	for (size_t i = 0; i < spec->nopts; i++) {
		const struct pxe_opt *o = &spec->opts[i];
		if ((o->type == PXE_OPT_STRLIST || o->type == PXE_OPT_ADDRLIST) && o->def &&
		    file_sets_key(c->config_file, spec->section, o))
			pxe_opt_clear(o, c->cfg);
	}
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
		struct pxe_err e;
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
				err, EINVAL, "%s is required (--%s%s)", o->name, o->name,
				(o->flags & PXE_OPTF_CLI_ONLY) ? "" : ", or in the config file");
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

int pxe_config_load(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out,
		    struct pxe_err *err)
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
			file_replaces_default_lists(spec, out);
			r = load_file(spec, out, err);
		}
	}
	if (r == 0)
		r = apply_cli(spec, out, &p, err);
	cli_parse_free(&p);
	if (r == 0)
		r = check_required(spec, out, err);
	if (r == 0 && spec->validate)
		r = spec->validate(out->cfg, err);
	if (r < 0) {
		pxe_config_free(out);
		return r;
	}
	return 0;
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
	      "      --check-config              check the configuration and exit (78 on error)\n"
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

int pxe_config_main(const struct pxe_opt_spec *spec, int argc, char **argv, struct pxe_config *out)
{
	struct pxe_err err = {{0}};
	if (pxe_config_load(spec, argc, argv, out, &err) < 0) {
		fprintf(stderr, "%s: %s\n", spec->prog, err.msg);
		return PXE_EX_CONFIG;
	}
	switch (out->action) {
	case PXE_ACT_HELP: pxe_config_help(spec, stdout); break;
	case PXE_ACT_VERSION: printf("%s %s\n", spec->prog, PXE_VERSION); break;
	case PXE_ACT_PRINT_CONFIG: pxe_config_print(out, stdout); break;
	case PXE_ACT_CHECK_CONFIG:
		fprintf(stderr, "%s: configuration OK%s%s\n", spec->prog,
			out->config_file ? ": " : "", out->config_file ? out->config_file : "");
		break;
	case PXE_ACT_RUN: return -1;
	}
	pxe_config_free(out);
	return 0;
}
