/* Logging: escaping tables for both formats, hostile values that try to
 * break a line or forge a field (checked by parsing the output back),
 * truncation, level filtering, file destination and reopen, the
 * JOURNAL_STREAM "<N>" prefix, and JSON validity (python3's json module). */
#include "unit.h"

#include "log.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

/* ------------------------------------------------------------ helpers */

static char *tmp; /* per-test scratch directory */
static char logpath[4096];

static void setup(void)
{
	tmp = unit_tmpdir();
	ck_assert_ptr_nonnull(tmp);
	snprintf(logpath, sizeof(logpath), "%s/pxe.log", tmp);
}

static void teardown(void)
{
	pxe_log_close();
	unsetenv("JOURNAL_STREAM");
	unit_tmpdir_remove(tmp);
	tmp = NULL;
}

static char *slurp(const char *path, size_t *lenp)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "open %s: %s", path, strerror(errno));
	char *buf = NULL;
	size_t len = 0, cap = 0;
	for (;;) {
		if (len + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			ck_assert_ptr_nonnull(buf);
		}
		size_t r = fread(buf + len, 1, 4096, f);
		len += r;
		if (r == 0)
			break;
	}
	fclose(f);
	buf[len] = '\0';
	if (lenp)
		*lenp = len;
	return buf;
}

/* Log to logpath only (no stderr noise in test output). */
static void open_file_logger(bool json, int level)
{
	struct pxe_log_config cfg = {
		.format = json ? PXE_LOG_JSON : PXE_LOG_LOGFMT,
		.level = level,
		.file = logpath,
		.no_stderr = true,
	};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
}

/* Redirect fd 2 to a file while fn runs; returns what was written. */
static char *capture_stderr(void (*fn)(void))
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/stderr", tmp);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	int saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	return slurp(path, NULL);
}

/* A strict logfmt reader: what a log consumer would see. */
struct kv {
	char key[64];
	char val[PXE_LOG_LINE_MAX];
	size_t vlen;
};
#define MAX_KV 64
static struct kv kvs[MAX_KV];

static bool key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '.' || c == '-';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int lf_quoted(const char *s, size_t len, size_t *ip, struct kv *kv)
{
	size_t i = *ip + 1;
	for (;; i++) {
		if (i >= len)
			return -7;
		char c = s[i];
		if (c == '"')
			break;
		if (c == '\\') {
			if (++i >= len)
				return -8;
			switch (s[i]) {
			case '"': c = '"'; break;
			case '\\': c = '\\'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'x':
				if (i + 2 >= len || hexval(s[i + 1]) < 0 || hexval(s[i + 2]) < 0)
					return -8;
				c = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
				i += 2;
				break;
			default: return -8;
			}
		}
		kv->val[kv->vlen++] = c;
	}
	kv->val[kv->vlen] = '\0';
	i++;
	if (i < len && s[i] != ' ')
		return -9;
	*ip = i;
	return 0;
}

static int lf_value(const char *s, size_t len, size_t *ip, struct kv *kv)
{
	size_t i = *ip;
	kv->vlen = 0;
	if (i < len && s[i] == '"')
		return lf_quoted(s, len, ip, kv);
	for (; i < len && s[i] != ' '; i++) {
		if (s[i] == '=' || s[i] == '"' || s[i] == '\\')
			return -10;
		kv->val[kv->vlen++] = s[i];
	}
	if (kv->vlen == 0)
		return -11;
	kv->val[kv->vlen] = '\0';
	*ip = i;
	return 0;
}

/* Parse one line (with its '\n') into kvs; number of pairs or < 0. */
static int lf_parse(const char *s, size_t len)
{
	if (len == 0 || s[len - 1] != '\n')
		return -1;
	len--;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
			return -2;
	size_t i = 0;
	int n = 0;
	while (i < len) {
		if (n > 0 && s[i++] != ' ')
			return -3;
		if (n >= MAX_KV)
			return -4;
		size_t k = 0;
		while (i < len && key_char(s[i]) && k < sizeof(kvs[n].key) - 1)
			kvs[n].key[k++] = s[i++];
		kvs[n].key[k] = '\0';
		if (k == 0 || i >= len || s[i] != '=')
			return -6;
		i++;
		int r = lf_value(s, len, &i, &kvs[n]);
		if (r < 0)
			return r;
		n++;
	}
	return n;
}

static void assert_keys(int n, const char *const *keys)
{
	int i = 0;
	for (; keys[i]; i++) {
		ck_assert_int_gt(n, i);
		ck_assert_str_eq(kvs[i].key, keys[i]);
	}
	ck_assert_int_eq(n, i);
}

static void assert_ts(const char *ts, size_t len)
{
	static const char pat[] = "dddd-dd-ddTdd:dd:dd.dddZ";
	ck_assert_uint_eq(len, sizeof(pat) - 1);
	for (size_t i = 0; i < len; i++) {
		if (pat[i] == 'd')
			ck_assert_msg(ts[i] >= '0' && ts[i] <= '9', "ts %.*s", (int)len, ts);
		else
			ck_assert_int_eq(ts[i], pat[i]);
	}
}

static bool have_python(void)
{
	return system("command -v python3 >/dev/null 2>&1") == 0;
}

/* Validate every line of path with python3's json module: ASCII, one
 * object per line, no duplicate (forged) keys, ts/level/daemon/event
 * first. Returns python's output: per line "OK <hex of utf-8 of v> T|-"
 * (T: truncated=1). NULL when python3 is missing. */
static char *json_check(const char *path)
{
	static const char script[] =
		"import json, sys\n"
		"def pairs(p):\n"
		"    keys = [k for k, _ in p]\n"
		"    assert len(keys) == len(set(keys)), keys\n"
		"    return dict(p)\n"
		"for raw in sys.stdin.buffer:\n"
		"    assert raw.endswith(b\"\\n\") and raw.count(b\"\\n\") == 1\n"
		"    raw.decode(\"ascii\")\n"
		"    o = json.loads(raw, object_pairs_hook=pairs)\n"
		"    assert isinstance(o, dict)\n"
		"    assert list(o)[:4] == [\"ts\", \"level\", \"daemon\", \"event\"], list(o)\n"
		"    v = o.get(\"v\")\n"
		"    h = v.encode(\"utf-8\", \"surrogatepass\").hex() if isinstance(v, str) else "
		"\"-\"\n"
		"    print(\"OK\", h, \"T\" if o.get(\"truncated\") == 1 else \"-\")\n";
	char cmd[8400], out_path[4096];

	if (!have_python()) {
		fprintf(stderr, "test_log: python3 missing, JSON not validated\n");
		return NULL;
	}
	ck_assert_int_eq(unit_write_file(tmp, "check.py", script), 0);
	snprintf(out_path, sizeof(out_path), "%s/check.out", tmp);
	snprintf(cmd, sizeof(cmd), "python3 '%s/check.py' < '%s' > '%s'", tmp, path, out_path);
	int st = system(cmd);
	ck_assert_msg(st == 0, "python3 rejected the JSON lines in %s", path);
	return slurp(out_path, NULL);
}

static void hex(char *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", (unsigned char)s[i]);
	out[2 * len] = '\0';
}

/* ------------------------------------------------------------ escaping */

struct esc_case {
	const char *in;
	size_t len;
	const char *logfmt;
	const char *json;
};
#define S(x) x, sizeof(x) - 1

static const struct esc_case esc_cases[] = {
	{S("abc"), "abc", "\"abc\""},
	{S(""), "\"\"", "\"\""},
	{S("/boot/x86_64/pxelinux.0"), "/boot/x86_64/pxelinux.0", "\"/boot/x86_64/pxelinux.0\""},
	{S("[fe80::1%eth0]:69"), "[fe80::1%eth0]:69", "\"[fe80::1%eth0]:69\""},
	{S("a b"), "\"a b\"", "\"a b\""},
	{S("a=b c=d"), "\"a=b c=d\"", "\"a=b c=d\""},
	{S("="), "\"=\"", "\"=\""},
	{S("say \"hi\""), "\"say \\\"hi\\\"\"", "\"say \\\"hi\\\"\""},
	{S("c:\\x"), "\"c:\\\\x\"", "\"c:\\\\x\""},
	{S("l1\nl2"), "\"l1\\nl2\"", "\"l1\\nl2\""},
	{S("\r\t"), "\"\\r\\t\"", "\"\\r\\t\""},
	{S("\b\f"), "\"\\x08\\x0c\"", "\"\\u0008\\u000c\""},
	{S("\x1b[31mred"), "\"\\x1b[31mred\"", "\"\\u001b[31mred\""},
	{S("a\0b"), "\"a\\x00b\"", "\"a\\u0000b\""},
	{S("\x7f"), "\"\\x7f\"", "\"\\u007f\""},
	{S("\xff"), "\"\\xff\"", "\"\\u00ff\""},
	{S("\xc3\xa9t\xc3\xa9"), "\"\\xc3\\xa9t\\xc3\\xa9\"", "\"\\u00e9t\\u00e9\""},
	{S("\xf0\x9f\x98\x80"), "\"\\xf0\\x9f\\x98\\x80\"", "\"\\ud83d\\ude00\""},
	{S("\xe2\x80\xa8"), "\"\\xe2\\x80\\xa8\"", "\"\\u2028\""},
	{S("\xf4\x8f\xbf\xbf"), "\"\\xf4\\x8f\\xbf\\xbf\"", "\"\\udbff\\udfff\""},
	/* invalid UTF-8: overlong, surrogate, cut sequence, above U+10FFFF */
	{S("\xc0\xaf"), "\"\\xc0\\xaf\"", "\"\\u00c0\\u00af\""},
	{S("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"", "\"\\u00ed\\u00a0\\u0080\""},
	{S("\xe2\x82"), "\"\\xe2\\x82\"", "\"\\u00e2\\u0082\""},
	{S("\xf4\x90\x80\x80"), "\"\\xf4\\x90\\x80\\x80\"", "\"\\u00f4\\u0090\\u0080\\u0080\""},
	{S("\xe0\x80\x80"), "\"\\xe0\\x80\\x80\"", "\"\\u00e0\\u0080\\u0080\""},
};

START_TEST(test_escape_tables)
{
	char buf[256];
	for (size_t i = 0; i < sizeof(esc_cases) / sizeof(esc_cases[0]); i++) {
		const struct esc_case *c = &esc_cases[i];
		size_t n = pxe_log_escape_logfmt(buf, sizeof(buf), c->in, c->len);
		ck_assert_msg(strcmp(buf, c->logfmt) == 0, "case %zu logfmt: got %s want %s", i,
			      buf, c->logfmt);
		ck_assert_uint_eq(n, strlen(c->logfmt));
		n = pxe_log_escape_json(buf, sizeof(buf), c->in, c->len);
		ck_assert_msg(strcmp(buf, c->json) == 0, "case %zu json: got %s want %s", i, buf,
			      c->json);
		ck_assert_uint_eq(n, strlen(c->json));
	}
}
END_TEST

START_TEST(test_escape_cap)
{
	char buf[16];

	/* cap 0: nothing written, size reported */
	ck_assert_uint_eq(pxe_log_escape_logfmt(NULL, 0, "a b", 3), 5);
	ck_assert_uint_eq(pxe_log_escape_json(NULL, 0, "a\n", 2), 5);
	/* cap 1: just the NUL */
	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(pxe_log_escape_logfmt(buf, 1, "a b", 3), 5);
	ck_assert_str_eq(buf, "");
	/* cut: whole units only, always NUL-terminated */
	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(pxe_log_escape_logfmt(buf, 4, "a b", 3), 5);
	ck_assert_str_eq(buf, "\"a ");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(pxe_log_escape_json(buf, 3, "\nx", 2), 5);
	ck_assert_str_eq(buf, "\"");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(pxe_log_escape_logfmt(buf, 6, "\xff\xff", 2), 10);
	ck_assert_str_eq(buf, "\"\\xff");
	memset(buf, 'Z', sizeof(buf));
	ck_assert_uint_eq(pxe_log_escape_json(buf, 8, "\xff", 1), 8);
	ck_assert_str_eq(buf, "\"\\u00ff");
	/* exactly enough */
	ck_assert_uint_eq(pxe_log_escape_json(buf, 9, "\xff", 1), 8);
	ck_assert_str_eq(buf, "\"\\u00ff\"");
	ck_assert_uint_eq(pxe_log_escape_logfmt(buf, 4, "abc", 3), 3);
	ck_assert_str_eq(buf, "abc");
	ck_assert_uint_eq(pxe_log_escape_logfmt(buf, 3, "abc", 3), 3);
	ck_assert_str_eq(buf, "");
}
END_TEST

/* ------------------------------------------------------------ lines */

START_TEST(test_line_logfmt)
{
	struct pxe_log_line l;
	static const char *const keys[] = {"ts",    "level",     "daemon", "event", "file",
					   "bytes", "big",       "neg",    "ms",    "ok",
					   "no",    "bad_key_x", NULL};

	open_file_logger(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_NOTICE, "transfer");
	ck_assert(l.active);
	pxe_log_str(&l, "file", "boot/x 1.efi");
	pxe_log_int(&l, "bytes", 1024);
	pxe_log_uint(&l, "big", 18446744073709551615ULL);
	pxe_log_int(&l, "neg", -5);
	pxe_log_double(&l, "ms", 12.3456, 2);
	pxe_log_bool(&l, "ok", true);
	pxe_log_bool(&l, "no", false);
	pxe_log_str(&l, "bad key=x", "v");
	pxe_log_end(&l);
	ck_assert(!l.active);

	size_t len;
	char *f = slurp(logpath, &len);
	ck_assert_uint_eq(len, l.len);
	ck_assert_str_eq(f, l.buf);
	ck_assert_int_eq(strncmp(f, "ts=", 3), 0);
	assert_ts(f + 3, 24);
	ck_assert_str_eq(f + 3 + 24, " level=notice daemon=pxe-test event=transfer "
				     "file=\"boot/x 1.efi\" bytes=1024 big=18446744073709551615 "
				     "neg=-5 ms=12.35 ok=true no=false bad_key_x=v\n");
	ck_assert_int_eq(strncmp(l.buf + l.head, "level=notice ", 13), 0);
	assert_keys(lf_parse(f, len), keys);
	free(f);
}
END_TEST

START_TEST(test_line_json)
{
	struct pxe_log_line l;

	open_file_logger(true, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_ERR, "transfer");
	pxe_log_str(&l, "file", "boot/x 1.efi");
	pxe_log_int(&l, "bytes", 1024);
	pxe_log_double(&l, "ms", 0.5, 3);
	pxe_log_double(&l, "nan", NAN, 3);
	pxe_log_bool(&l, "ok", true);
	pxe_log_str(&l, "v", "caf\xc3\xa9 \"q\"");
	pxe_log_end(&l);

	char *f = slurp(logpath, NULL);
	ck_assert_int_eq(strncmp(f, "{\"ts\":\"", 7), 0);
	assert_ts(f + 7, 24);
	ck_assert_str_eq(f + 7 + 24, "\",\"level\":\"err\",\"daemon\":\"pxe-test\","
				     "\"event\":\"transfer\",\"file\":\"boot/x 1.efi\","
				     "\"bytes\":1024,\"ms\":0.500,\"nan\":null,\"ok\":true,"
				     "\"v\":\"caf\\u00e9 \\\"q\\\"\"}\n");
	ck_assert_int_eq(strncmp(l.buf + l.head, "\"level\":", 8), 0);
	free(f);
	char *out = json_check(logpath);
	if (out) {
		static const char v[] = "caf\xc3\xa9 \"q\"";
		char want[128] = "OK ";
		hex(want + 3, v, sizeof(v) - 1);
		strcat(want, " -\n");
		ck_assert_str_eq(out, want);
		free(out);
	}
}
END_TEST

START_TEST(test_double_and_keys)
{
	struct pxe_log_line l;

	open_file_logger(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "e");
	pxe_log_double(&l, "a", 2.5, -1);
	pxe_log_double(&l, "b", INFINITY, 2);
	pxe_log_double(&l, "c", -INFINITY, 2);
	pxe_log_double(&l, "d", NAN, 2);
	pxe_log_double(&l, "e", 1e300, 2);
	pxe_log_str(&l, "", "x");
	pxe_log_str(&l, "n", NULL);
	pxe_log_strn(&l, "m", NULL, 5);
	pxe_log_end(&l);
	char *p = strstr(l.buf, " a=");
	ck_assert_ptr_nonnull(p);
	ck_assert_str_eq(p, " a=2 b=inf c=-inf d=nan e=1.00e+300 _=x n=\"\" m=\"\"\n");
}
END_TEST

/* ------------------------------------------------------------ hostile values */

struct hostile {
	const char *s;
	size_t len;
	const char *json_utf8; /* what a JSON reader decodes; NULL: s itself */
};

static const struct hostile hostile[] = {
	{S("a\nb"), NULL},
	{S("a=b c=d"), NULL},
	{S("x\" level=err y=\"z"), NULL},
	{S("ts=2020-01-01T00:00:00.000Z level=err daemon=evil"), NULL},
	{S("back\\slash\\"), NULL},
	{S("\\\""), NULL},
	{S("\x1b[31mred\x1b[0m\x1b]0;title\x07"), NULL},
	{S("\r\n\r\n"), NULL},
	{S("line\n<3>ts=x level=err"), NULL},
	{S(""), NULL},
	{S(" "), NULL},
	{S("\""), NULL},
	{S("}{\"x\":1,\"level\":\"err\""), NULL},
	{S("\xe2\x80\xa8\xe2\x80\xa9"), NULL},
	{S("a\0b=c\nd"), NULL},
	{S("\0"), NULL},
	{S("\xff\xfe"), "\xc3\xbf\xc3\xbe"},
	{S("\xed\xa0\x80"), "\xc3\xad\xc2\xa0\xc2\x80"},
	{S("\xc0\xaf..\xc0\xaf"), "\xc3\x80\xc2\xaf..\xc3\x80\xc2\xaf"},
};
#define N_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

static void log_hostile(void)
{
	for (size_t i = 0; i < N_HOSTILE; i++) {
		struct pxe_log_line l;
		pxe_log_begin(&l, PXE_LOG_WARN, "hostile");
		pxe_log_strn(&l, "v", hostile[i].s, hostile[i].len);
		if (memchr(hostile[i].s, 0, hostile[i].len) == NULL)
			pxe_log_str(&l, "v2", hostile[i].s);
		pxe_log_str(&l, "z", "end");
		pxe_log_end(&l);
	}
}

START_TEST(test_hostile_logfmt)
{
	static const char *const keys[] = {"ts", "level", "daemon", "event", "v", "v2", "z", NULL};
	static const char *const keys_nul[] = {"ts", "level", "daemon", "event", "v", "z", NULL};

	open_file_logger(false, PXE_LOG_INFO);
	log_hostile();
	size_t len;
	char *f = slurp(logpath, &len);
	char *line = f;
	for (size_t i = 0; i < N_HOSTILE; i++) {
		char *nl = memchr(line, '\n', len - (size_t)(line - f));
		ck_assert_msg(nl != NULL, "line %zu missing", i);
		size_t ll = (size_t)(nl - line) + 1;
		int n = lf_parse(line, ll);
		ck_assert_msg(n > 0, "case %zu: parse error %d: %.*s", i, n, (int)ll, line);
		bool nul = memchr(hostile[i].s, 0, hostile[i].len) != NULL;
		assert_keys(n, nul ? keys_nul : keys);
		ck_assert_str_eq(kvs[1].val, "warn");
		ck_assert_uint_eq(kvs[4].vlen, hostile[i].len);
		ck_assert_msg(memcmp(kvs[4].val, hostile[i].s, hostile[i].len) == 0, "case %zu", i);
		line = nl + 1;
	}
	ck_assert_uint_eq((size_t)(line - f), len); /* no extra lines */
	free(f);
}
END_TEST

START_TEST(test_hostile_json)
{
	open_file_logger(true, PXE_LOG_INFO);
	log_hostile();
	char *out = json_check(logpath);
	if (!out)
		return;
	char *p = out;
	for (size_t i = 0; i < N_HOSTILE; i++) {
		const char *w = hostile[i].json_utf8 ? hostile[i].json_utf8 : hostile[i].s;
		size_t wl = hostile[i].json_utf8 ? strlen(w) : hostile[i].len;
		char want[512] = "OK ";
		hex(want + 3, w, wl);
		strcat(want, " -\n");
		ck_assert_msg(strncmp(p, want, strlen(want)) == 0, "case %zu: got %.*s want %s", i,
			      (int)strcspn(p, "\n"), p, want);
		p += strlen(want);
	}
	ck_assert_str_eq(p, "");
	free(out);
}
END_TEST

static void log_hostile_msg(void)
{
	pxe_log_msg(PXE_LOG_ERR, "evil", "file %s not found", "x\nts=1 level=err event=forged");
}

START_TEST(test_msg_escaped)
{
	static const char *const keys[] = {"ts", "level", "daemon", "event", "msg", NULL};

	open_file_logger(false, PXE_LOG_INFO);
	log_hostile_msg();
	size_t len;
	char *f = slurp(logpath, &len);
	assert_keys(lf_parse(f, len), keys);
	ck_assert_str_eq(kvs[4].val, "file x\nts=1 level=err event=forged not found");
	ck_assert_ptr_nonnull(
		strstr(f, " msg=\"file x\\nts=1 level=err event=forged not found\"\n"));
	free(f);
}
END_TEST

/* ------------------------------------------------------------ truncation */

static void check_truncated_line(const struct pxe_log_line *l, bool json, size_t field_len)
{
	static const char mark[] = ",\"truncated\":1}\n";

	ck_assert(l->truncated);
	ck_assert_uint_lt(l->len, PXE_LOG_LINE_MAX);
	ck_assert_uint_eq(strlen(l->buf), l->len);
	if (json) {
		ck_assert_str_eq(l->buf + l->len - (sizeof(mark) - 1), mark);
		return;
	}
	int n = lf_parse(l->buf, l->len);
	ck_assert_msg(n > 0, "parse error %d", n);
	ck_assert_str_eq(kvs[n - 1].key, "truncated");
	ck_assert_str_eq(kvs[n - 1].val, "1");
	for (int i = 4; field_len && i < n - 1; i++)
		ck_assert_uint_eq(kvs[i].vlen, field_len); /* only whole fields */
}

static void truncation(bool json)
{
	char big[1000], huge[6000];
	struct pxe_log_line l;

	memset(big, 'x', sizeof(big));
	for (size_t i = 0; i < sizeof(huge); i++)
		huge[i] = (char)(i % 3 == 0 ? '\n' : i % 3 == 1 ? '\xff' : '"');
	open_file_logger(json, PXE_LOG_INFO);

	/* many big fields: the first that does not fit ends the line */
	pxe_log_begin(&l, PXE_LOG_INFO, "many");
	for (int i = 0; i < 10; i++) {
		char key[16];
		snprintf(key, sizeof(key), "v%d", i);
		pxe_log_strn(&l, key, big, sizeof(big));
	}
	pxe_log_int(&l, "after", 1);
	pxe_log_end(&l);
	check_truncated_line(&l, json, sizeof(big));
	ck_assert_ptr_null(strstr(l.buf, "after"));

	/* one value bigger than a line, escaping makes it grow further */
	pxe_log_begin(&l, PXE_LOG_INFO, "huge");
	pxe_log_int(&l, "before", 7);
	pxe_log_strn(&l, "v", huge, sizeof(huge));
	pxe_log_str(&l, "after", "x");
	pxe_log_end(&l);
	check_truncated_line(&l, json, 0);
	ck_assert_ptr_null(strstr(l.buf, "after"));
	ck_assert_ptr_nonnull(strstr(l.buf, json ? "\"before\":7," : " before=7 "));

	/* every size around the limit gives a well-formed line */
	for (size_t n = 3950; n <= 4100; n++) {
		char *v = malloc(n);
		ck_assert_ptr_nonnull(v);
		memset(v, 'a', n);
		pxe_log_begin(&l, PXE_LOG_INFO, "edge");
		pxe_log_strn(&l, "v", v, n);
		pxe_log_end(&l);
		free(v);
		ck_assert_uint_lt(l.len, PXE_LOG_LINE_MAX);
		if (!json)
			ck_assert_int_gt(lf_parse(l.buf, l.len), 0);
	}
}

START_TEST(test_truncation_logfmt)
{
	truncation(false);
}
END_TEST

START_TEST(test_truncation_json)
{
	truncation(true);
	char *out = json_check(logpath);
	if (!out)
		return;
	/* lines 1 and 2 are truncated */
	ck_assert_int_eq(strncmp(out, "OK ", 3), 0);
	char *nl = strchr(out, '\n');
	ck_assert_ptr_nonnull(nl);
	ck_assert_int_eq(nl[-1], 'T');
	free(out);
}
END_TEST

/* ------------------------------------------------------------ levels */

START_TEST(test_level_names)
{
	static const struct {
		const char *name;
		int level;
	} t[] = {{"err", PXE_LOG_ERR},
		 {"warn", PXE_LOG_WARN},
		 {"notice", PXE_LOG_NOTICE},
		 {"info", PXE_LOG_INFO},
		 {"debug", PXE_LOG_DEBUG}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(pxe_log_level_parse(t[i].name), t[i].level);
		ck_assert_str_eq(pxe_log_level_name(t[i].level), t[i].name);
	}
	ck_assert_int_eq(pxe_log_level_parse("warning"), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse("INFO"), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse(""), -EINVAL);
	ck_assert_int_eq(pxe_log_level_parse(NULL), -EINVAL);
	ck_assert_str_eq(pxe_log_level_name(0), "unknown");
	ck_assert_str_eq(pxe_log_level_name(8), "unknown");
}
END_TEST

START_TEST(test_level_filter)
{
	struct pxe_log_line l;

	open_file_logger(false, PXE_LOG_WARN);
	ck_assert(pxe_log_enabled(PXE_LOG_ERR));
	ck_assert(pxe_log_enabled(PXE_LOG_WARN));
	ck_assert(!pxe_log_enabled(PXE_LOG_NOTICE));
	ck_assert(!pxe_log_enabled(PXE_LOG_DEBUG));

	pxe_log_begin(&l, PXE_LOG_INFO, "dropped");
	ck_assert(!l.active);
	pxe_log_str(&l, "a", "b");
	pxe_log_int(&l, "n", 1);
	pxe_log_addr(&l, "c", NULL);
	pxe_log_mac(&l, "m", (const uint8_t *)"\1\2", 2);
	ck_assert_uint_eq(l.len, 0);
	pxe_log_end(&l);
	pxe_log_msg(PXE_LOG_DEBUG, "dropped", "x %d", 1);
	pxe_log_msg(PXE_LOG_WARN, "kept", "w");
	pxe_log_msg(PXE_LOG_ERR, "kept2", "e");

	char *f = slurp(logpath, NULL);
	ck_assert_ptr_null(strstr(f, "dropped"));
	ck_assert_ptr_nonnull(strstr(f, " level=warn daemon=pxe-test event=kept msg=w\n"));
	ck_assert_ptr_nonnull(strstr(f, " level=err daemon=pxe-test event=kept2 msg=e\n"));
	free(f);

	/* reload to debug */
	open_file_logger(false, PXE_LOG_DEBUG);
	ck_assert(pxe_log_enabled(PXE_LOG_DEBUG));
}
END_TEST

/* ------------------------------------------------------------ file */

static int count_lines(const char *path)
{
	char *f = slurp(path, NULL);
	int n = 0;
	for (char *p = f; (p = strchr(p, '\n')); p++)
		n++;
	free(f);
	return n;
}

START_TEST(test_file_reopen)
{
	char rotated[4200];
	struct stat st;

	snprintf(rotated, sizeof(rotated), "%s.1", logpath);
	open_file_logger(false, PXE_LOG_INFO);
	ck_assert_int_eq(stat(logpath, &st), 0);
	ck_assert_int_eq(st.st_mode & 0137, 0); /* 0640 at most (umask) */
	pxe_log_msg(PXE_LOG_INFO, "one", "first");
	ck_assert_int_eq(rename(logpath, rotated), 0);
	pxe_log_msg(PXE_LOG_INFO, "two", "still old file");
	ck_assert_int_eq(pxe_log_reopen(), 0);
	pxe_log_msg(PXE_LOG_INFO, "three", "new file");

	char *old = slurp(rotated, NULL);
	char *cur = slurp(logpath, NULL);
	ck_assert_ptr_nonnull(strstr(old, "event=one"));
	ck_assert_ptr_nonnull(strstr(old, "event=two"));
	ck_assert_ptr_null(strstr(old, "event=three"));
	ck_assert_ptr_nonnull(strstr(cur, "event=three"));
	ck_assert_int_eq(count_lines(logpath), 1);
	free(old);
	free(cur);
}
END_TEST

/* Is the file at path open as one of our fds? */
static bool fd_open_on(const char *path)
{
	struct stat want, st;
	ck_assert_int_eq(stat(path, &want), 0);
	for (int fd = 0; fd < 1024; fd++)
		if (fstat(fd, &st) == 0 && st.st_dev == want.st_dev && st.st_ino == want.st_ino)
			return true;
	return false;
}

START_TEST(test_file_reload)
{
	char other[4200], bad[4200];
	struct pxe_log_config cfg = {.level = PXE_LOG_INFO, .file = other, .no_stderr = true};

	snprintf(other, sizeof(other), "%s/other.log", tmp);
	snprintf(bad, sizeof(bad), "%s/no/such/dir.log", tmp);
	open_file_logger(false, PXE_LOG_INFO);
	pxe_log_msg(PXE_LOG_INFO, "a", "to first");
	ck_assert(fd_open_on(logpath));
	/* same path again: the file stays open */
	open_file_logger(false, PXE_LOG_INFO);
	ck_assert(fd_open_on(logpath));
	/* a new path: the old file is closed */
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	ck_assert(!fd_open_on(logpath));
	ck_assert(fd_open_on(other));
	pxe_log_msg(PXE_LOG_INFO, "b", "to other");
	/* a path that cannot be opened: error, old setup stays */
	cfg.file = bad;
	cfg.format = PXE_LOG_JSON;
	ck_assert_int_eq(pxe_log_open("pxe-new", &cfg), -ENOENT);
	pxe_log_msg(PXE_LOG_INFO, "c", "still other");
	ck_assert_int_eq(count_lines(logpath), 1);
	ck_assert_int_eq(count_lines(other), 2);
	char *f = slurp(other, NULL);
	ck_assert_ptr_nonnull(strstr(f, " daemon=pxe-test event=c "));
	free(f);
	/* without a file, reopen has nothing to do */
	pxe_log_close();
	ck_assert(!fd_open_on(other));
	ck_assert_int_eq(pxe_log_reopen(), 0);
}
END_TEST

/* Several processes appending to one file: every line stays whole because
 * each is one write(2) on an O_APPEND descriptor. */
START_TEST(test_file_concurrent_append)
{
	enum { PROCS = 4, LINES = 200 };
	char v[3000];

	memset(v, 'q', sizeof(v));
	open_file_logger(false, PXE_LOG_INFO);
	for (int p = 0; p < PROCS; p++) {
		pid_t pid = fork();
		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			for (int i = 0; i < LINES; i++) {
				struct pxe_log_line l;
				pxe_log_begin(&l, PXE_LOG_INFO, "burst");
				pxe_log_int(&l, "proc", p);
				pxe_log_strn(&l, "v", v, sizeof(v));
				pxe_log_end(&l);
			}
			_exit(0);
		}
	}
	for (int p = 0; p < PROCS; p++) {
		int st;
		ck_assert_int_gt(wait(&st), 0);
		ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	size_t len;
	char *f = slurp(logpath, &len);
	int lines = 0;
	for (char *line = f; line < f + len; lines++) {
		char *nl = memchr(line, '\n', len - (size_t)(line - f));
		ck_assert_ptr_nonnull(nl);
		ck_assert_int_eq(lf_parse(line, (size_t)(nl - line) + 1), 6);
		ck_assert_uint_eq(kvs[5].vlen, sizeof(v));
		line = nl + 1;
	}
	ck_assert_int_eq(lines, PROCS * LINES);
	free(f);
}
END_TEST

/* ------------------------------------------------------------ stderr */

static void log_early(void)
{
	pxe_log_msg(PXE_LOG_INFO, "early", "boom %d", 42);
	pxe_log_msg(PXE_LOG_DEBUG, "early_debug", "hidden");
}

START_TEST(test_stderr_before_open)
{
	char *s = capture_stderr(log_early);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	ck_assert_str_eq(s + 3 + 24, " level=info daemon=pxe event=early msg=\"boom 42\"\n");
	free(s);
}
END_TEST

static void log_warn_and_json(void)
{
	struct pxe_log_config cfg = {.level = PXE_LOG_INFO};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_WARN, "w", "x");
	pxe_log_msg(PXE_LOG_DEBUG, "d", "hidden");
	cfg.format = PXE_LOG_JSON;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_ERR, "e", "y");
}

static void set_journal_stream(const char *path)
{
	struct stat st;
	char v[64];
	ck_assert_int_eq(stat(path, &st), 0);
	snprintf(v, sizeof(v), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino);
	setenv("JOURNAL_STREAM", v, 1);
}

START_TEST(test_journal_prefix)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/stderr", tmp);
	ck_assert_int_eq(unit_write_file(tmp, "stderr", ""), 0);
	/* capture_stderr truncates the same file, so dev:ino match */
	set_journal_stream(path);
	char *s = capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "<4>ts=", 6), 0);
	char *second = strchr(s, '\n');
	ck_assert_ptr_nonnull(second);
	ck_assert_int_eq(strncmp(second + 1, "<3>{\"ts\":", 9), 0);
	ck_assert_ptr_null(strstr(s, "hidden"));
	ck_assert_str_eq(strchr(second + 1, '\n'), "\n"); /* two lines */
	free(s);
}
END_TEST

START_TEST(test_journal_other_stream)
{
	/* JOURNAL_STREAM names a stream that is not our stderr (a child of a
	 * service whose stderr was redirected): no prefixes */
	setenv("JOURNAL_STREAM", "1:1", 1);
	char *s = capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	ck_assert_ptr_nonnull(strstr(s, "\n{\"ts\":"));
	free(s);
	setenv("JOURNAL_STREAM", "garbage", 1);
	s = capture_stderr(log_warn_and_json);
	ck_assert_int_eq(strncmp(s, "ts=", 3), 0);
	free(s);
}
END_TEST

static void log_file_no_stderr(void)
{
	struct pxe_log_config cfg = {.level = PXE_LOG_INFO, .file = logpath, .no_stderr = true};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "only_file", "x");
	/* file and stderr */
	cfg.no_stderr = false;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "both", "x");
	/* no_stderr with nothing else: stderr is kept, lines are not lost */
	cfg.file = NULL;
	cfg.no_stderr = true;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "fallback", "x");
	/* syslog replaces stderr */
	cfg.syslog = true;
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
	pxe_log_msg(PXE_LOG_INFO, "pxe_unit_test_syslog", "x");
}

START_TEST(test_destinations)
{
	char *s = capture_stderr(log_file_no_stderr);
	char *f = slurp(logpath, NULL);
	ck_assert_ptr_null(strstr(s, "only_file"));
	ck_assert_ptr_nonnull(strstr(f, "event=only_file"));
	ck_assert_ptr_nonnull(strstr(s, "event=both"));
	ck_assert_ptr_nonnull(strstr(f, "event=both"));
	ck_assert_ptr_nonnull(strstr(s, "event=fallback"));
	ck_assert_ptr_null(strstr(f, "event=fallback"));
	ck_assert_ptr_null(strstr(s, "syslog"));
	ck_assert_ptr_null(strstr(f, "syslog"));
	free(s);
	free(f);
}
END_TEST

/* ------------------------------------------------------------ addresses */

static const char *field_after(const struct pxe_log_line *l, const char *key)
{
	static char v[256];
	char pat[64];
	snprintf(pat, sizeof(pat), " %s=", key);
	const char *p = strstr(l->buf, pat);
	ck_assert_msg(p != NULL, "no %s in %s", key, l->buf);
	p += strlen(pat);
	size_t n = strcspn(p, " \n");
	snprintf(v, sizeof(v), "%.*s", (int)n, p);
	return v;
}

static struct sockaddr_in6 sin6(const char *ip, unsigned port, unsigned scope)
{
	struct sockaddr_in6 s = {.sin6_family = AF_INET6,
				 .sin6_port = htons((uint16_t)port),
				 .sin6_scope_id = scope};
	ck_assert_int_eq(inet_pton(AF_INET6, ip, &s.sin6_addr), 1);
	return s;
}

START_TEST(test_addresses)
{
	struct pxe_log_line l;
	struct sockaddr_in s4 = {.sin_family = AF_INET, .sin_port = htons(2071)};
	struct sockaddr_in6 s6 = sin6("::1", 69, 0), ll = sin6("fe80::1", 69, 1);
	struct sockaddr_in6 gone = sin6("fe80::1", 69, 999999), noport = sin6("2001:db8::1", 0, 0);
	struct sockaddr_in6 mapped = sin6("::ffff:198.18.0.5", 67, 0);
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	static const uint8_t mac[] = {0x52, 0x54, 0x00, 0xAB, 0xcd, 0xEF};
	char ifname[IF_NAMESIZE], want[64];

	inet_pton(AF_INET, "198.18.0.5", &s4.sin_addr);
	open_file_logger(false, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "addr");
	pxe_log_addr(&l, "a4", (struct sockaddr *)&s4);
	pxe_log_ip(&l, "i4", (struct sockaddr *)&s4);
	pxe_log_addr(&l, "a6", (struct sockaddr *)&s6);
	pxe_log_ip(&l, "i6", (struct sockaddr *)&s6);
	pxe_log_addr(&l, "ll", (struct sockaddr *)&ll);
	pxe_log_addr(&l, "gone", (struct sockaddr *)&gone);
	pxe_log_addr(&l, "np", (struct sockaddr *)&noport);
	pxe_log_addr(&l, "mapped", (struct sockaddr *)&mapped);
	pxe_log_addr(&l, "null", NULL);
	pxe_log_addr(&l, "un", (struct sockaddr *)&un);
	pxe_log_mac(&l, "mac", mac, sizeof(mac));
	pxe_log_mac(&l, "nomac", mac, 0);
	pxe_log_end(&l);

	ck_assert_str_eq(field_after(&l, "a4"), "198.18.0.5:2071");
	ck_assert_str_eq(field_after(&l, "i4"), "198.18.0.5");
	ck_assert_str_eq(field_after(&l, "a6"), "[::1]:69");
	ck_assert_str_eq(field_after(&l, "i6"), "::1");
	if (if_indextoname(1, ifname))
		snprintf(want, sizeof(want), "[fe80::1%%%s]:69", ifname);
	else
		snprintf(want, sizeof(want), "[fe80::1%%1]:69");
	ck_assert_str_eq(field_after(&l, "ll"), want);
	if (!if_indextoname(999999, ifname))
		ck_assert_str_eq(field_after(&l, "gone"), "[fe80::1%999999]:69");
	ck_assert_str_eq(field_after(&l, "np"), "2001:db8::1");
	ck_assert_str_eq(field_after(&l, "mapped"), "198.18.0.5:67");
	ck_assert_str_eq(field_after(&l, "null"), "-");
	ck_assert_str_eq(field_after(&l, "un"), "af1");
	ck_assert_str_eq(field_after(&l, "mac"), "52:54:00:ab:cd:ef");
	ck_assert_str_eq(field_after(&l, "nomac"), "\"\"");
}
END_TEST

START_TEST(test_addresses_json)
{
	struct pxe_log_line l;
	struct sockaddr_in6 s6 = sin6("2001:db8::5", 4011, 0);

	open_file_logger(true, PXE_LOG_INFO);
	pxe_log_begin(&l, PXE_LOG_INFO, "addr");
	pxe_log_addr(&l, "client", (struct sockaddr *)&s6);
	pxe_log_mac(&l, "mac", (const uint8_t *)"\x01\x02\x03\x04\x05\x06", 6);
	pxe_log_end(&l);
	ck_assert_ptr_nonnull(strstr(
		l.buf, ",\"client\":\"[2001:db8::5]:4011\",\"mac\":\"01:02:03:04:05:06\"}\n"));
}
END_TEST

UNIT_SUITE(log)
{
	Suite *s = suite_create("log");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_escape_tables);
	tcase_add_test(tc, test_escape_cap);
	tcase_add_test(tc, test_line_logfmt);
	tcase_add_test(tc, test_line_json);
	tcase_add_test(tc, test_double_and_keys);
	tcase_add_test(tc, test_hostile_logfmt);
	tcase_add_test(tc, test_hostile_json);
	tcase_add_test(tc, test_msg_escaped);
	tcase_add_test(tc, test_truncation_logfmt);
	tcase_add_test(tc, test_truncation_json);
	tcase_add_test(tc, test_level_names);
	tcase_add_test(tc, test_level_filter);
	tcase_add_test(tc, test_file_reopen);
	tcase_add_test(tc, test_file_reload);
	tcase_add_test(tc, test_file_concurrent_append);
	tcase_add_test(tc, test_stderr_before_open);
	tcase_add_test(tc, test_journal_prefix);
	tcase_add_test(tc, test_journal_other_stream);
	tcase_add_test(tc, test_destinations);
	tcase_add_test(tc, test_addresses);
	tcase_add_test(tc, test_addresses_json);
	suite_add_tcase(s, tc);
	return s;
}
