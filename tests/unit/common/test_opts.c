/* Option tables: command line, INI, precedence, typed values, errors. */
#include "unit.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

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
	struct pxe_common_config common;
	int other_calls;
	char last_other[128];
};

static const char *const modes[] = {"full", "proxy", "proxy-4011", NULL};

static const struct pxe_opt topts[] = {
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
	 .help = "root"},
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
	 .help = "user"},
	PXE_OPTS_LOG(struct tcfg, common),
};

static int other_section(void *cfg, const char *section, const char *key, const char *value,
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

static int pairs_freed;

static void pairs_free(void *field)
{
	((struct pairs *)field)->n = 0;
	pairs_freed++;
}

static const struct pxe_opt_hook pairs_hook = {
	.parse = pairs_parse, .print = pairs_print, .is_set = pairs_is_set, .free = pairs_free};

#define P(f) offsetof(struct part, f)
/* One option per paragraph, the house layout of option tables: */
/* clang-format off */
static const struct pxe_opt part_opts[] = {
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
static const struct pxe_opt_table part_table = PXE_OPT_TABLE(part_opts);

/* [part NAME] through the section table, the way dhcpd's sections go. */
static int part_section(void *cfg, const char *section, const char *key, const char *value,
			const char *file, int line, struct pxe_err *err)
{
	struct tcfg *c = cfg;
	if (strncmp(section, "part ", 5))
		return pxe_err_set(err, EINVAL, "unknown section [%s]", section);
	if (!c->part_src && pxe_opt_section_init(&part_table, &c->part, &c->part_src, err) < 0)
		return -ENOMEM;
	struct pxe_src at = {PXE_SRC_FILE, file, line};
	return pxe_opt_section_apply(&part_table, &c->part, c->part_src, section, key, value, &at,
				     err);
}

static void part_free(void *cfg)
{
	struct tcfg *c = cfg;
	if (c->part_src)
		pxe_opt_section_free(&part_table, &c->part, c->part_src);
}

static void part_print(FILE *out, const void *cfg)
{
	const struct tcfg *c = cfg;
	fputs("\n[part p]\n", out);
	if (c->part_src)
		pxe_opt_section_print(out, &part_table, &c->part, c->part_src);
}

static struct pxe_opt_spec spec = {
	.prog = "pxe-test",
	.section = "test",
	.usage = "[options] [ROOT]",
	.summary = "test daemon",
	.opts = topts,
	.nopts = sizeof(topts) / sizeof(topts[0]),
	.cfg_size = sizeof(struct tcfg),
};

static char *tmp;

static void setup(void)
{
	tmp = unit_tmpdir();
	spec.other_section = NULL;
	spec.free_extra = NULL;
	spec.print_extra = NULL;
}

static void teardown(void)
{
	unit_tmpdir_remove(tmp);
	tmp = NULL;
}

/* Load with argv given as a NULL-terminated list; file content optional. */
static int load(struct pxe_config *c, struct pxe_err *err, const char *file, ...)
{
	char *argv[32] = {"pxe-test"};
	int argc = 1;
	char path[4200];
	if (file) {
		ck_assert_int_eq(unit_write_file(tmp, "t.conf", file), 0);
		snprintf(path, sizeof(path), "%s/t.conf", tmp);
		argv[argc++] = "-c";
		argv[argc++] = path;
	}
	va_list ap;
	va_start(ap, file);
	for (char *a; (a = va_arg(ap, char *)) && argc < 31;)
		argv[argc++] = a;
	va_end(ap);
	memset(err, 0, sizeof(*err));
	return pxe_config_load(&spec, argc, argv, c, err);
}

#define CFG(c) ((struct tcfg *)(c).cfg)

START_TEST(defaults)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e, NULL, NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_RUN);
	ck_assert_uint_eq(CFG(c)->listen.n, 1);
	ck_assert_int_eq(pxe_addr_port(&CFG(c)->listen.v[0].u.sa), 69);
	ck_assert_int_eq(CFG(c)->blksize, 1468);
	ck_assert_uint_eq(CFG(c)->max_size, 4 << 20);
	ck_assert_int_eq(CFG(c)->timeout_ms, 30000);
	ck_assert(CFG(c)->keepalive);
	ck_assert_ptr_null(CFG(c)->root);
	ck_assert_int_eq(c.src[0].kind, PXE_SRC_DEFAULT);
	ck_assert_int_eq(c.src[1].kind, PXE_SRC_UNSET);
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_forms)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e, NULL, "--blksize-max=512", "--timeout", "5m", "-B", "1024",
			      "--no-keepalive", "--mode", "PROXY", "/srv/tftp", "--max-size=1G",
			      "-uadmin", NULL),
			 0);
	ck_assert_int_eq(CFG(c)->blksize, 1024); /* last one wins */
	ck_assert_int_eq(CFG(c)->timeout_ms, 300000);
	ck_assert(!CFG(c)->keepalive);
	ck_assert_int_eq(CFG(c)->mode, 1);
	ck_assert_str_eq(CFG(c)->root, "/srv/tftp");
	ck_assert_uint_eq(CFG(c)->max_size, 1ULL << 30);
	ck_assert_str_eq(CFG(c)->common.user, "admin");
	ck_assert_int_eq(c.src[1].kind, PXE_SRC_CLI);
	pxe_config_free(&c);

	ck_assert_int_eq(
		load(&c, &e, NULL, "--keepalive=no", "--uid", "nobody", "--", "-odd", NULL), 0);
	ck_assert(!CFG(c)->keepalive);
	ck_assert_str_eq(CFG(c)->common.user, "nobody");
	ck_assert_str_eq(CFG(c)->root, "-odd");
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_two_args)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e, NULL, "--forward", "example.com", "http://x/", "--forward",
			      "b.org", "http://y/", NULL),
			 0);
	ck_assert_uint_eq(CFG(c)->forward.n, 2);
	ck_assert_str_eq(CFG(c)->forward.v[0], "example.com http://x/");
	ck_assert_str_eq(CFG(c)->forward.v[1], "b.org http://y/");
	pxe_config_free(&c);
	ck_assert_int_lt(load(&c, &e, NULL, "--forward", "only-one", NULL), 0);
	ck_assert_str_eq(e.msg, "--forward: expects arguments HOST URL (see pxe-test --help)");
}
END_TEST

START_TEST(cli_errors)
{
	static const struct {
		const char *args[4];
		const char *msg;
	} cases[] = {
		{{"--bogus"}, "unknown option '--bogus' (see pxe-test --help)"},
		{{"-x"}, "unknown option '-x' (see pxe-test --help)"},
		{{"--blksize-max"}, "--blksize-max: expects a value VALUE (see pxe-test --help)"},
		{{"--blksize-max=7"}, "--blksize-max: expected an integer 8..65464, got 7"},
		{{"--blksize-max=65465"}, "--blksize-max: expected an integer 8..65464, got 65465"},
		{{"--blksize-max=12abc"},
		 "--blksize-max: expected an integer 8..65464, got '12abc'"},
		{{"--blksize-max="}, "--blksize-max: expected an integer 8..65464, got ''"},
		{{"--keepalive=maybe"}, "--keepalive: expected yes or no, got 'maybe'"},
		{{"--no-mode"}, "unknown option '--no-mode' (see pxe-test --help)"},
		{{"--mode", "fast"}, "--mode: expected one of full, proxy, proxy-4011, got 'fast'"},
		{{"--mode"}, "--mode: expects a value full|proxy|proxy-4011 (see pxe-test --help)"},
		{{"--max-size=4Q"},
		 "--max-size: expected a size such as 512, 64K, 4M or 1G, got '4Q'"},
		{{"--max-size=-1"},
		 "--max-size: expected a size such as 512, 64K, 4M or 1G, got '-1'"},
		{{"--max-size=99999999999T"}, "--max-size: size '99999999999T' is too large"},
		{{"--timeout=2w"},
		 "--timeout: expected a duration such as 30 (seconds), 500ms, 30s, 5m, 1h or 2d, "
		 "got '2w'"},
		{{"--timeout=2h"}, "--timeout: expected a duration 0ms..3600000ms, got 2h"},
		{{"--listen", "1.2.3.4:99999"},
		 "--listen: expected ADDRESS[:PORT] (IPv4, or [IPv6]:PORT), got '1.2.3.4:99999'"},
		{{"--listen", "host.example:69"},
		 "--listen: expected ADDRESS[:PORT] (IPv4, or [IPv6]:PORT), got 'host.example:69'"},
		{{"a", "b"}, "unexpected argument 'b' (see pxe-test --help)"},
		{{"--config"}, "--config: expects a FILE"},
		{{"--version=1"}, "--version: takes no value"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pxe_config c;
		struct pxe_err e;
		int r = load(&c, &e, NULL, cases[i].args[0], cases[i].args[1], cases[i].args[2],
			     NULL);
		ck_assert_msg(r < 0, "case %zu accepted", i);
		ck_assert_str_eq(e.msg, cases[i].msg);
	}
}
END_TEST

START_TEST(ini_values_and_sources)
{
	struct pxe_config c;
	struct pxe_err e;
	const char *file = "; comment\n"
			   "# another\n"
			   "blksize-max = 9000\n"
			   "[test]\n"
			   "listen = 127.0.0.1:6969   ; inline comment\n"
			   "listen = [::1]:6969\n"
			   "header = X-A: 1\n"
			   "header = X-B: 2\n"
			   "keepalive = off\n"
			   "root = /srv/a b\n";
	ck_assert_int_eq(load(&c, &e, file, NULL), 0);
	struct tcfg *t = c.cfg;
	ck_assert_int_eq(t->blksize, 9000);
	ck_assert_uint_eq(t->listen.n, 2); /* the file replaced the default list */
	ck_assert_int_eq(t->listen.v[0].u.sa.sa_family, AF_INET);
	ck_assert_int_eq(t->listen.v[1].u.sa.sa_family, AF_INET6);
	ck_assert_int_eq(pxe_addr_port(&t->listen.v[1].u.sa), 6969);
	ck_assert_uint_eq(t->header.n, 2);
	ck_assert_str_eq(t->header.v[1], "X-B: 2");
	ck_assert(!t->keepalive);
	ck_assert_str_eq(t->root, "/srv/a b");
	ck_assert_int_eq(c.src[2].kind, PXE_SRC_FILE);
	ck_assert_int_eq(c.src[2].line, 3);
	ck_assert(strstr(c.src[2].file, "t.conf") != NULL);
	pxe_config_free(&c);
}
END_TEST

START_TEST(cli_overrides_file)
{
	struct pxe_config c;
	struct pxe_err e;
	const char *file = "[test]\nblksize-max = 9000\nlisten = 127.0.0.1\nlisten = 127.0.0.2\n"
			   "mode = proxy\n";
	ck_assert_int_eq(load(&c, &e, file, "--blksize-max", "600", "-l", "127.0.0.9:1", NULL), 0);
	struct tcfg *t = c.cfg;
	ck_assert_int_eq(t->blksize, 600);
	ck_assert_uint_eq(t->listen.n, 1); /* the command line replaces the file's list */
	ck_assert_int_eq(pxe_addr_port(&t->listen.v[0].u.sa), 1);
	ck_assert_int_eq(t->mode, 1);
	ck_assert_int_eq(c.src[2].kind, PXE_SRC_CLI);
	ck_assert_int_eq(c.src[6].kind, PXE_SRC_FILE);
	pxe_config_free(&c);
}
END_TEST

/* Error text must name FILE:LINE and the key, and say what was expected. */
START_TEST(ini_errors)
{
	static const struct {
		const char *file;
		const char *suffix;
	} cases[] = {
		{"[test]\nblksize-max = big\n",
		 "t.conf:2: blksize-max: expected an integer 8..65464, got 'big'"},
		{"\n\n[test]\nnonsense = 1\n", "t.conf:4: unknown key 'nonsense' in [test]"},
		{"[elsewhere]\nx = 1\n", "t.conf:2: unknown section [elsewhere] (expected [test])"},
		{"[test]\nthis line has no equals sign\n",
		 "t.conf:2: syntax error: expected 'key = value', '[section]' or a comment"},
		{"[test\nroot = x\n",
		 "t.conf:1: syntax error: expected 'key = value', '[section]' or a comment"},
		{"[test]\nkeepalive = perhaps\nmode = nope\n",
		 "t.conf:2: keepalive: expected yes or no, got 'perhaps'"},
		{"log-level = loud\n",
		 "t.conf:1: log-level: expected one of err, warn, notice, info, debug, got 'loud'"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct pxe_config c;
		struct pxe_err e;
		ck_assert_int_lt(load(&c, &e, cases[i].file, NULL), 0);
		size_t ml = strlen(e.msg), sl = strlen(cases[i].suffix);
		ck_assert_msg(ml >= sl && !strcmp(e.msg + ml - sl, cases[i].suffix),
			      "case %zu: got '%s'", i, e.msg);
		ck_assert_msg(e.msg[0] == '/', "case %zu: path missing in '%s'", i, e.msg);
	}
}
END_TEST

START_TEST(missing_file)
{
	struct pxe_config c;
	struct pxe_err e;
	char *argv[] = {"pxe-test", "-c", "/nonexistent/x.conf", NULL};
	ck_assert_int_lt(pxe_config_load(&spec, 3, argv, &c, &e), 0);
	ck_assert_str_eq(e.msg, "/nonexistent/x.conf: cannot open: No such file or directory");
}
END_TEST

START_TEST(other_sections)
{
	spec.other_section = other_section;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(
		load(&c, &e, "[test]\nroot=/x\n[subnet 198.18.0.0/24]\nrange = a-b\n", NULL), 0);
	ck_assert_int_eq(CFG(c)->other_calls, 1);
	ck_assert_str_eq(CFG(c)->last_other, "subnet 198.18.0.0/24|a-b|4");
	pxe_config_free(&c);
	ck_assert_int_lt(load(&c, &e, "[subnet 1]\nrange=1\nrouter = 1\n", NULL), 0);
	ck_assert(strstr(e.msg, "t.conf:3: unknown key 'router' in [subnet 1]") != NULL);
}
END_TEST

static char *print_to_string(const struct pxe_config *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_print(c, m);
	fclose(m);
	return buf;
}

/* Section tables: keys as written (case-sensitive), sources per key,
 * repeatable keys in their order, the unknown-key message from the table. */
START_TEST(section_tables)
{
	spec.other_section = part_section;
	spec.free_extra = part_free;
	spec.print_extra = part_print;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e,
			      "[part p]\npair = a=1\nflag = yes\npair = b=2\nitem = x\n"
			      "item = y z\n",
			      NULL),
			 0);
	const struct part *p = &CFG(c)->part;
	ck_assert_uint_eq(p->pair.n, 2);
	ck_assert_str_eq(p->pair.k[1], "b");
	ck_assert(p->flag);
	ck_assert_uint_eq(p->item.n, 2);
	ck_assert_int_eq(CFG(c)->part_src[0].kind, PXE_SRC_FILE);
	ck_assert_int_eq(CFG(c)->part_src[0].line, 4); /* the last line that set it */
	ck_assert_int_eq(CFG(c)->part_src[1].kind, PXE_SRC_UNSET);
	char *out = print_to_string(&c);
	char want[512];
	snprintf(want, sizeof(want),
		 "[part p]\n%-40s ; %s/t.conf:4\n%-40s ; %s/t.conf:4\n%-40s ; %s/t.conf:3\n"
		 "%-40s ; %s/t.conf:6\n%-40s ; %s/t.conf:6\n",
		 "pair = a=1", tmp, "pair = b=2", tmp, "flag = yes", tmp, "item = x", tmp,
		 "item = y z", tmp);
	ck_assert_msg(strstr(out, want), "%s\nlacks\n%s", out, want);
	ck_assert_ptr_null(strstr(out, "delay")); /* unset: not shown */
	free(out);
	pairs_freed = 0;
	pxe_config_free(&c);
	ck_assert_int_eq(pairs_freed, 1);

	/* a default is shown as one, a derived value with what it came from */
	ck_assert_int_eq(load(&c, &e, "[part p]\nitem = x\n", NULL), 0);
	int i = pxe_opt_section_index(&part_table, "label");
	ck_assert_int_eq(i, 4);
	ck_assert_int_eq(pxe_opt_section_index(&part_table, "Label"), -1);
	CFG(c)->part.label = strdup("L");
	CFG(c)->part_src[i] = (struct pxe_src){PXE_SRC_DERIVED, "[test] root", 0};
	out = print_to_string(&c);
	snprintf(want, sizeof(want), "%-40s ; default\n", "flag = no");
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(want, sizeof(want), "%-40s ; from [test] root\n", "label = L");
	ck_assert_msg(strstr(out, want), "%s", out);
	free(out);
	pxe_config_free(&c);
}
END_TEST

START_TEST(section_errors)
{
	spec.other_section = part_section;
	spec.free_extra = part_free;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_lt(load(&c, &e, "[part p]\n\nFlag = yes\n", NULL), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:3: unknown key 'Flag' in [part p] (expected pair, "
				    "delay, flag, item or label)"),
		      "%s", e.msg);
	ck_assert_int_lt(load(&c, &e, "[part p]\ndelay = 1h\n", NULL), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:2: delay: expected a duration 0ms..10000ms, got 1h"),
		      "%s", e.msg);
	ck_assert_int_lt(load(&c, &e, "[part p]\npair = x\n", NULL), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:2: pair: expected K=V, got 'x'"), "%s", e.msg);

	/* a refused value leaves the key's source as it was */
	struct part p = {0};
	struct pxe_src *src;
	ck_assert_int_eq(pxe_opt_section_init(&part_table, &p, &src, &e), 0);
	struct pxe_src at = {PXE_SRC_FILE, "f", 7};
	ck_assert_int_lt(
		pxe_opt_section_apply(&part_table, &p, src, "part q", "delay", "x", &at, &e), 0);
	ck_assert_int_eq(src[1].kind, PXE_SRC_UNSET);
	ck_assert_int_eq(
		pxe_opt_section_apply(&part_table, &p, src, "part q", "delay", "5s", &at, &e), 0);
	ck_assert_int_eq(src[1].line, 7);
	ck_assert_int_eq(p.delay_ms, 5000);
	pxe_opt_section_free(&part_table, &p, src);

	/* pxe_opt_apply: an unknown key is -ENOENT and leaves err alone */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(pxe_opt_apply(part_opts, 5, &p, "nope", "1", &e), -ENOENT);
	ck_assert_str_eq(e.msg, "");
	ck_assert_int_eq(pxe_opt_apply(part_opts, 5, &p, "flag", "on", &e), 0);
	ck_assert(p.flag);
}
END_TEST

START_TEST(actions)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e, NULL, "--bogus", "--help", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_HELP); /* --help wins over everything */
	pxe_config_free(&c);
	ck_assert_int_eq(load(&c, &e, NULL, "-V", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_VERSION);
	pxe_config_free(&c);
	ck_assert_int_eq(load(&c, &e, NULL, "--check-config", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_CHECK_CONFIG);
	pxe_config_free(&c);
	ck_assert_int_eq(load(&c, &e, "mode=proxy\n", "--print-config", NULL), 0);
	ck_assert_int_eq(c.action, PXE_ACT_PRINT_CONFIG);
	pxe_config_free(&c);
	ck_assert_int_lt(load(&c, &e, "mode=bad\n", "--check-config", NULL), 0);
}
END_TEST

/* --print-config output is itself a config file that loads back the same. */
START_TEST(print_round_trip)
{
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(load(&c, &e, "[test]\nheader = X-A: 1\nmode = proxy-4011\n", "--timeout",
			      "90s", "-l", "[::1]:69", "-l", "127.0.0.1:70", "/srv", NULL),
			 0);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_print(&c, m);
	fclose(m);
	ck_assert(strstr(buf, "listen = [::1]:69") != NULL);
	ck_assert(strstr(buf, "timeout = 90s") != NULL);
	ck_assert(strstr(buf, "; command line") != NULL);
	ck_assert(strstr(buf, "t.conf:2") != NULL);
	ck_assert(strstr(buf, "max-size = 4M") != NULL);
	ck_assert(strstr(buf, "; default") != NULL);
	pxe_config_free(&c);

	struct pxe_config c2;
	ck_assert_int_eq(load(&c2, &e, buf, NULL), 0);
	struct tcfg *t = c2.cfg;
	ck_assert_uint_eq(t->listen.n, 2);
	ck_assert_int_eq(t->timeout_ms, 90000);
	ck_assert_int_eq(t->mode, 2);
	ck_assert_str_eq(t->root, "/srv");
	ck_assert_uint_eq(t->header.n, 1);
	pxe_config_free(&c2);
	free(buf);
}
END_TEST

START_TEST(help_lists_every_option)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	pxe_config_help(&spec, m);
	fclose(m);
	for (size_t i = 0; i < spec.nopts; i++) {
		char want[80];
		snprintf(want, sizeof(want), "--%s%s", topts[i].name,
			 topts[i].type == PXE_OPT_BOOL ? "" : " ");
		if (topts[i].type == PXE_OPT_BOOL && topts[i].def && !strcmp(topts[i].def, "yes"))
			snprintf(want, sizeof(want), "--[no-]%s", topts[i].name);
		ck_assert_msg(strstr(buf, want), "--help lacks %s", want);
	}
	ck_assert(strstr(buf, "Usage: pxe-test [options] [ROOT]"));
	ck_assert(strstr(buf, "--print-config"));
	ck_assert(strstr(buf, "-u, --user"));
	ck_assert(strstr(buf, "(also --uid)"));
	/* an enum's metavar is its choices, from the table's one list */
	ck_assert(strstr(buf, "--mode full|proxy|proxy-4011"));
	/* lists say (repeatable) once, in the engine, not in their help text */
	ck_assert_ptr_null(strstr(buf, "(repeatable) (repeatable)"));
	free(buf);
}
END_TEST

START_TEST(value_parsers)
{
	long long v;
	unsigned long long s;
	bool b;
	ck_assert_int_eq(pxe_parse_duration_ms("500ms", &v, NULL), 0);
	ck_assert_int_eq(v, 500);
	ck_assert_int_eq(pxe_parse_duration_ms("2d", &v, NULL), 0);
	ck_assert_int_eq(v, 172800000);
	ck_assert_int_eq(pxe_parse_duration_ms("7", &v, NULL), 0);
	ck_assert_int_eq(v, 7000);
	ck_assert_int_lt(pxe_parse_duration_ms("", &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_duration_ms("1.5s", &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_duration_ms("99999999999999999d", &v, NULL), 0);
	ck_assert_int_eq(pxe_parse_size("64KiB", &s, NULL), 0);
	ck_assert_uint_eq(s, 65536);
	ck_assert_int_eq(pxe_parse_size("512", &s, NULL), 0);
	ck_assert_uint_eq(s, 512);
	ck_assert_int_eq(pxe_parse_size("3g", &s, NULL), 0);
	ck_assert_uint_eq(s, 3ULL << 30);
	ck_assert_int_lt(pxe_parse_size("K", &s, NULL), 0);
	ck_assert_int_lt(pxe_parse_size(" 5", &s, NULL), 0);
	ck_assert_int_eq(pxe_parse_bool("ON", &b, NULL), 0);
	ck_assert(b);
	ck_assert_int_eq(pxe_parse_bool("0", &b, NULL), 0);
	ck_assert(!b);
	ck_assert_int_lt(pxe_parse_bool("2", &b, NULL), 0);
	ck_assert_int_eq(pxe_parse_int("-5", -10, 10, &v, NULL), 0);
	ck_assert_int_lt(pxe_parse_int("99999999999999999999", 0, 0, &v, NULL), 0);
}
END_TEST

/* pxe_config_main's exit statuses: what every daemon's main returns. */
static int run_main(const char *content, const char *arg)
{
	pid_t pid = fork();
	if (pid == 0) {
		if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
			_exit(99);
		char path[4200];
		snprintf(path, sizeof(path), "%s/m.conf", tmp);
		if (unit_write_file(tmp, "m.conf", content) < 0)
			_exit(98);
		char *argv[] = {"pxe-test", "-c", path, (char *)arg, NULL};
		struct pxe_config c;
		int rc = pxe_config_main(&spec, arg ? 4 : 3, argv, &c);
		if (rc < 0) {
			pxe_config_free(&c);
			_exit(50);
		}
		_exit(rc);
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

START_TEST(exit_statuses)
{
	ck_assert_int_eq(run_main("blksize-max = 1\n", "--check-config"), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("blksize-max = 100\n", "--check-config"), 0);
	ck_assert_int_eq(run_main("blksize-max = 100\n", "--print-config"), 0);
	ck_assert_int_eq(run_main("blksize-max = 100\n", NULL), 50); /* caller goes on */
	ck_assert_int_eq(run_main("bad line\n", NULL), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("", "--nope"), PXE_EX_CONFIG);
	ck_assert_int_eq(run_main("", "--help"), 0);
}
END_TEST

UNIT_SUITE(opts)
{
	Suite *s = suite_create("opts");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, defaults);
	tcase_add_test(tc, cli_forms);
	tcase_add_test(tc, cli_two_args);
	tcase_add_test(tc, cli_errors);
	tcase_add_test(tc, ini_values_and_sources);
	tcase_add_test(tc, cli_overrides_file);
	tcase_add_test(tc, ini_errors);
	tcase_add_test(tc, missing_file);
	tcase_add_test(tc, other_sections);
	tcase_add_test(tc, section_tables);
	tcase_add_test(tc, section_errors);
	tcase_add_test(tc, actions);
	tcase_add_test(tc, print_round_trip);
	tcase_add_test(tc, help_lists_every_option);
	tcase_add_test(tc, value_parsers);
	tcase_add_test(tc, exit_statuses);
	suite_add_tcase(s, tc);
	return s;
}
