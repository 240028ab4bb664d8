/* SPDX-License-Identifier: MIT */
/* Escaping of log values (common/log_escape.c): tables for both
 * formats, bounded output, and hostile values that try to break a line
 * or forge a field, checked by parsing the output back (the strict
 * logfmt reader, python3's json module). */
#include "test_log_fixture.h"
#include "unit.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ escaping */

struct esc_case {
	const char *in;
	size_t len;
	const char *logfmt;
	const char *json;
};

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

	logtest_open_file(false, PXE_LOG_INFO);
	log_hostile();
	size_t len;
	char *f = logtest_slurp(logtest_path, &len);
	char *line = f;
	for (size_t i = 0; i < N_HOSTILE; i++) {
		char *nl = memchr(line, '\n', len - (size_t)(line - f));
		ck_assert_msg(nl != NULL, "line %zu missing", i);
		size_t ll = (size_t)(nl - line) + 1;
		int n = logtest_parse(line, ll);
		ck_assert_msg(n > 0, "case %zu: parse error %d: %.*s", i, n, (int)ll, line);
		bool nul = memchr(hostile[i].s, 0, hostile[i].len) != NULL;
		logtest_assert_keys(n, nul ? keys_nul : keys);
		ck_assert_str_eq(logtest_kvs[1].val, "warn");
		ck_assert_uint_eq(logtest_kvs[4].vlen, hostile[i].len);
		ck_assert_msg(memcmp(logtest_kvs[4].val, hostile[i].s, hostile[i].len) == 0,
			      "case %zu", i);
		line = nl + 1;
	}
	ck_assert_uint_eq((size_t)(line - f), len); /* no extra lines */
	free(f);
}
END_TEST

START_TEST(test_hostile_json)
{
	logtest_open_file(true, PXE_LOG_INFO);
	log_hostile();
	char *out = logtest_json_check(logtest_path);
	if (!out)
		return;
	char *p = out;
	for (size_t i = 0; i < N_HOSTILE; i++) {
		const char *w = hostile[i].json_utf8 ? hostile[i].json_utf8 : hostile[i].s;
		size_t wl = hostile[i].json_utf8 ? strlen(w) : hostile[i].len;
		char want[512] = "OK ";
		logtest_hex(want + 3, w, wl);
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

	logtest_open_file(false, PXE_LOG_INFO);
	log_hostile_msg();
	size_t len;
	char *f = logtest_slurp(logtest_path, &len);
	logtest_assert_keys(logtest_parse(f, len), keys);
	ck_assert_str_eq(logtest_kvs[4].val, "file x\nts=1 level=err event=forged not found");
	ck_assert_ptr_nonnull(
		strstr(f, " msg=\"file x\\nts=1 level=err event=forged not found\"\n"));
	free(f);
}
END_TEST

UNIT_SUITE(log_escape)
{
	Suite *s = suite_create("log_escape");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, logtest_setup, logtest_teardown);
	tcase_add_test(tc, test_escape_tables);
	tcase_add_test(tc, test_escape_cap);
	tcase_add_test(tc, test_hostile_logfmt);
	tcase_add_test(tc, test_hostile_json);
	tcase_add_test(tc, test_msg_escaped);
	suite_add_tcase(s, tc);
	return s;
}
