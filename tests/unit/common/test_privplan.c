/* SPDX-License-Identifier: MIT */
/* Who a daemon becomes after binding (pxe_privileges_plan): the build's
 * default user only when started as root without --user, a default that is
 * never checked unless it applies (PXE_OPTF_LAZY_DEFAULT), the default
 * group only with the default user, and a missing default user as an error
 * that says what to do. */
#include "unit.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config_common.h"

struct pcfg {
	struct pxe_common_config common;
};

/* clang-format off */
static const struct pxe_opt plan_opts[] = {
	{ .name = "user", .type = PXE_OPT_STRING, .flags = PXE_OPTF_LAZY_DEFAULT,
	  .offset = offsetof(struct pcfg, common.user), .def = "no-such-user-pxe", .help = "u",
	  .check = pxe_optcheck_user },
	{ .name = "group", .type = PXE_OPT_STRING, .flags = PXE_OPTF_LAZY_DEFAULT,
	  .offset = offsetof(struct pcfg, common.group), .def = "no-such-group-pxe", .help = "g",
	  .check = pxe_optcheck_group },
};
/* clang-format on */

static const struct pxe_opt_spec plan_spec = {
	.prog = "pxe-test",
	.section = "test",
	.opts = plan_opts,
	.nopts = sizeof(plan_opts) / sizeof(plan_opts[0]),
	.cfg_size = sizeof(struct pcfg),
};

/* Load the NULL-terminated command line after the program name. */
static void load(struct pxe_config *c, const char *a1, const char *a2)
{
	char *argv[] = {"pxe-test", (char *)a1, (char *)a2, NULL};
	int argc = a1 ? (a2 ? 3 : 2) : 1;
	struct pxe_err e = {{0}};
	ck_assert_msg(pxe_config_load(&plan_spec, argc, argv, c, &e) == 0, "%s", e.msg);
}

static int n_check_failures(const struct pxe_config *c)
{
	FILE *null = fopen("/dev/null", "w");
	ck_assert_ptr_nonnull(null);
	int n = pxe_config_check(c, null);
	fclose(null);
	return n;
}

START_TEST(lazy_default_is_not_checked)
{
	struct pxe_config c;
	load(&c, NULL, NULL);
	ck_assert_int_eq(n_check_failures(&c), 0);
	pxe_config_free(&c);
	load(&c, "--user", "no-such-user-pxe");
	ck_assert_int_eq(n_check_failures(&c), 1); /* given: checked */
	pxe_config_free(&c);
}
END_TEST

START_TEST(root_missing_default_user)
{
	if (geteuid() != 0)
		return;
	struct pxe_config c;
	struct pxe_err e = {{0}};
	load(&c, NULL, NULL);
	struct pcfg *p = c.cfg;
	ck_assert_int_eq(
		pxe_privileges_plan(&c, "user", "group", &p->common.user, &p->common.group, &e),
		-ENOENT);
	ck_assert_msg(strstr(e.msg, "default user 'no-such-user-pxe' does not exist: create it") &&
			      strstr(e.msg, "or pass --user root"),
		      "%s", e.msg);
	pxe_config_free(&c);
}
END_TEST

START_TEST(root_given_user_takes_its_own_group)
{
	if (geteuid() != 0)
		return;
	struct pxe_config c;
	struct pxe_err e = {{0}};
	load(&c, "--user", "nobody");
	struct pcfg *p = c.cfg;
	ck_assert_int_eq(
		pxe_privileges_plan(&c, "user", "group", &p->common.user, &p->common.group, &e), 0);
	ck_assert_str_eq(p->common.user, "nobody");
	ck_assert_ptr_null(p->common.group); /* the default group is the default user's */
	pxe_config_free(&c);
	load(&c, "--user", "root");
	p = c.cfg;
	ck_assert_int_eq(
		pxe_privileges_plan(&c, "user", "group", &p->common.user, &p->common.group, &e), 0);
	ck_assert_str_eq(p->common.user, "root");
	pxe_config_free(&c);
}
END_TEST

/* Not root: the defaults go, whether or not they exist; a given user stays
 * (pxe_privileges_drop then refuses one that is not us). */
START_TEST(not_root_changes_nothing)
{
	if (geteuid() != 0)
		return; /* the child becomes nobody below */
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setgid(65534) < 0 || setuid(65534) < 0)
			_exit(2);
		struct pxe_config c;
		struct pxe_err e = {{0}};
		load(&c, NULL, NULL);
		struct pcfg *p = c.cfg;
		int r = pxe_privileges_plan(&c, "user", "group", &p->common.user, &p->common.group,
					    &e);
		_exit(r == 0 && !p->common.user && !p->common.group ? 0 : 3);
	}
	int st;
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %d", st);
}
END_TEST

UNIT_SUITE(privplan)
{
	Suite *s = suite_create("privplan");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, lazy_default_is_not_checked);
	tcase_add_test(tc, root_missing_default_user);
	tcase_add_test(tc, root_given_user_takes_its_own_group);
	tcase_add_test(tc, not_root_changes_nothing);
	suite_add_tcase(s, tc);
	return s;
}
