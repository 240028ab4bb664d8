/* SPDX-License-Identifier: MIT */
/* Section tables (dhcpd's [subnet], [host], [boot]): keys, sources, order. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "opts_fixture.h"

/* Section tables: keys as written (case-sensitive), sources per key,
 * repeatable keys in their order, the unknown-key message from the table. */
START_TEST(section_tables)
{
	ot_spec.other_section = ot_part_section;
	ot_spec.free_extra = ot_part_free;
	ot_spec.print_extra = ot_part_print;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_eq(ot_load(&c, &e,
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
	char *out = ot_print(&c);
	char want[512];
	snprintf(want, sizeof(want),
		 "[part p]\n%-40s ; %s/t.conf:4\n%-40s ; %s/t.conf:4\n%-40s ; %s/t.conf:3\n"
		 "%-40s ; %s/t.conf:6\n%-40s ; %s/t.conf:6\n",
		 "pair = a=1", ot_tmp, "pair = b=2", ot_tmp, "flag = yes", ot_tmp, "item = x",
		 ot_tmp, "item = y z", ot_tmp);
	ck_assert_msg(strstr(out, want), "%s\nlacks\n%s", out, want);
	ck_assert_ptr_null(strstr(out, "delay")); /* unset: not shown */
	free(out);
	ot_pairs_freed = 0;
	pxe_config_free(&c);
	ck_assert_int_eq(ot_pairs_freed, 1);

	/* a default is shown as one, a derived value with what it came from */
	ck_assert_int_eq(ot_load(&c, &e, "[part p]\nitem = x\n", NULL), 0);
	int i = pxe_opt_section_index(&ot_part_table, "label");
	ck_assert_int_eq(i, 4);
	ck_assert_int_eq(pxe_opt_section_index(&ot_part_table, "Label"), -1);
	CFG(c)->part.label = strdup("L");
	CFG(c)->part_src[i] = (struct pxe_src){PXE_SRC_DERIVED, "[test] root", 0};
	out = ot_print(&c);
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
	ot_spec.other_section = ot_part_section;
	ot_spec.free_extra = ot_part_free;
	struct pxe_config c;
	struct pxe_err e;
	ck_assert_int_lt(ot_load(&c, &e, "[part p]\n\nFlag = yes\n", NULL), 0);
	ck_assert_msg(strstr(e.msg,
			     "t.conf:3: [part p] Flag: unknown key; valid keys: pair, delay, "
			     "flag, item, label; did you mean 'flag'?"),
		      "%s", e.msg);
	ck_assert_int_lt(ot_load(&c, &e, "[part p]\ndelay = 1h\n", NULL), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:2: delay: expected a duration 0ms..10000ms, got 1h"),
		      "%s", e.msg);
	ck_assert_int_lt(ot_load(&c, &e, "[part p]\npair = x\n", NULL), 0);
	ck_assert_msg(strstr(e.msg, "t.conf:2: pair: expected K=V, got 'x'"), "%s", e.msg);

	/* a refused value leaves the key's source as it was */
	struct part p = {0};
	struct pxe_src *src;
	ck_assert_int_eq(pxe_opt_section_init(&ot_part_table, &p, &src, &e), 0);
	struct pxe_src at = {PXE_SRC_FILE, "f", 7};
	ck_assert_int_lt(
		pxe_opt_section_apply(&ot_part_table, &p, src, "part q", "delay", "x", &at, &e), 0);
	ck_assert_int_eq(src[1].kind, PXE_SRC_UNSET);
	ck_assert_int_eq(
		pxe_opt_section_apply(&ot_part_table, &p, src, "part q", "delay", "5s", &at, &e),
		0);
	ck_assert_int_eq(src[1].line, 7);
	ck_assert_int_eq(p.delay_ms, 5000);
	pxe_opt_section_free(&ot_part_table, &p, src);

	/* pxe_opt_apply: an unknown key is -ENOENT and leaves err alone */
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(pxe_opt_apply(ot_part_opts, 5, &p, "nope", "1", &e), -ENOENT);
	ck_assert_str_eq(e.msg, "");
	ck_assert_int_eq(pxe_opt_apply(ot_part_opts, 5, &p, "flag", "on", &e), 0);
	ck_assert(p.flag);
}
END_TEST

UNIT_SUITE(opts_sections)
{
	Suite *s = suite_create("opts_sections");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, ot_setup, ot_teardown);
	tcase_add_test(tc, section_tables);
	tcase_add_test(tc, section_errors);
	suite_add_tcase(s, tc);
	return s;
}
