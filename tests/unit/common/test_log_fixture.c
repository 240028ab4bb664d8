/* SPDX-License-Identifier: MIT */
/* Helpers of the logging tests (test_log*.c): see test_log_fixture.h. */
#include "test_log_fixture.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

char *logtest_dir;
char logtest_path[4096];

void logtest_setup(void)
{
	logtest_dir = unit_tmpdir();
	ck_assert_ptr_nonnull(logtest_dir);
	snprintf(logtest_path, sizeof(logtest_path), "%s/pxe.log", logtest_dir);
}

void logtest_teardown(void)
{
	pxe_log_close();
	unsetenv("JOURNAL_STREAM");
	unit_tmpdir_remove(logtest_dir);
	logtest_dir = NULL;
}

char *logtest_slurp(const char *path, size_t *lenp)
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

void logtest_open_file(bool json, int level)
{
	struct pxe_log_config cfg = {
		.format = json ? PXE_LOG_JSON : PXE_LOG_LOGFMT,
		.level = level,
		.file = logtest_path,
		.no_stderr = true,
	};
	ck_assert_int_eq(pxe_log_open("pxe-test", &cfg), 0);
}

char *logtest_capture_stderr(void (*fn)(void))
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/stderr", logtest_dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	int saved = dup(STDERR_FILENO);
	ck_assert_int_ge(saved, 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	return logtest_slurp(path, NULL);
}

struct logtest_kv logtest_kvs[LOGTEST_MAX_KV];

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

static int lf_quoted(const char *s, size_t len, size_t *ip, struct logtest_kv *kv)
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

static int lf_value(const char *s, size_t len, size_t *ip, struct logtest_kv *kv)
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
int logtest_parse(const char *s, size_t len)
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
		if (n >= LOGTEST_MAX_KV)
			return -4;
		size_t k = 0;
		while (i < len && key_char(s[i]) && k < sizeof(logtest_kvs[n].key) - 1)
			logtest_kvs[n].key[k++] = s[i++];
		logtest_kvs[n].key[k] = '\0';
		if (k == 0 || i >= len || s[i] != '=')
			return -6;
		i++;
		int r = lf_value(s, len, &i, &logtest_kvs[n]);
		if (r < 0)
			return r;
		n++;
	}
	return n;
}

void logtest_assert_keys(int n, const char *const *keys)
{
	int i = 0;
	for (; keys[i]; i++) {
		ck_assert_int_gt(n, i);
		ck_assert_str_eq(logtest_kvs[i].key, keys[i]);
	}
	ck_assert_int_eq(n, i);
}

void logtest_assert_ts(const char *ts, size_t len)
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

char *logtest_json_check(const char *path)
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
	ck_assert_int_eq(unit_write_file(logtest_dir, "check.py", script), 0);
	snprintf(out_path, sizeof(out_path), "%s/check.out", logtest_dir);
	snprintf(cmd, sizeof(cmd), "python3 '%s/check.py' < '%s' > '%s'", logtest_dir, path,
		 out_path);
	int st = system(cmd);
	ck_assert_msg(st == 0, "python3 rejected the JSON lines in %s", path);
	return logtest_slurp(out_path, NULL);
}

void logtest_hex(char *out, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		sprintf(out + 2 * i, "%02x", (unsigned char)s[i]);
	out[2 * len] = '\0';
}
