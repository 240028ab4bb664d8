/* SPDX-License-Identifier: MIT */
/* dhcpd/journal_lock.c and dhcp_journal_switch: one holder per lease file
 * (a second open file description conflicts like a second process), the
 * lock surviving compaction's rename, the lease directory created one
 * level deep, and a switch to another file that keeps every lease. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "journal.h"
#include "journal_lock.h"
#include "leases.h"
#include "unit.h"

#define BASE 0xc6120100u /* 198.18.1.0 */

static char *dir;
static char path[4200];

static void setup(void)
{
	dir = unit_tmpdir();
	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof(path), "%s/dhcpd.leases", dir);
}

static void teardown(void)
{
	unit_tmpdir_remove(dir);
	dir = NULL;
}

START_TEST(test_lock_twice)
{
	struct pxe_err err;
	int a = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(a, 0);
	ck_assert(fcntl(a, F_GETFD) & FD_CLOEXEC);
	/* beside the journal, for its owner only */
	char lp[4300];
	struct stat lst;
	snprintf(lp, sizeof(lp), "%s.lock", path);
	ck_assert_int_eq(stat(lp, &lst), 0);
	ck_assert_int_eq(lst.st_mode & 0077, 0);
	/* a second open(2) is a second description: it conflicts */
	ck_assert_int_eq(dhcp_journal_lock(path, &err), -EWOULDBLOCK);
	char want[64];
	snprintf(want, sizeof(want), "(pid %ld)", (long)getpid());
	ck_assert_int_eq(strncmp(err.msg, path, strlen(path)), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, ": locked by "));
	ck_assert_ptr_nonnull(strstr(err.msg, want));
	/* the journal itself is not touched by a failed lock */
	struct stat st;
	ck_assert_int_eq(stat(path, &st), -1);
	close(a);
	int b = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(b, 0);
	close(b);
}
END_TEST

START_TEST(test_lock_survives_compaction)
{
	struct pxe_err err;
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
	struct dhcp_journal j = {.fd = -1, .lock_fd = -1};
	j.lock_fd = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(j.lock_fd, 0);
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, s, 1700000000, NULL, &err), 0);
	ck_assert_int_eq(dhcp_journal_open(&j, path, &err), 0);
	ck_assert_int_eq(dhcp_journal_compact(&j, s, 1700000000, &err), 0);
	ck_assert_int_eq(dhcp_journal_lock(path, &err), -EWOULDBLOCK);
	dhcp_journal_close(&j); /* releases the lock too */
	ck_assert_int_eq(j.lock_fd, -1);
	int b = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(b, 0);
	close(b);
	dhcp_leases_free(s);
}
END_TEST

START_TEST(test_mkdir_one_level)
{
	struct pxe_err err;
	char d[4300], p[4400];
	snprintf(d, sizeof(d), "%s/state", dir);
	snprintf(p, sizeof(p), "%s/dhcpd.leases", d);
	ck_assert_int_eq(dhcp_journal_mkdir(p, &err), 1);
	struct stat st;
	ck_assert_int_eq(stat(d, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	mode_t um = umask(0);
	umask(um);
	ck_assert_int_eq(st.st_mode & 0777, 0750 & ~um);
	ck_assert_int_eq(dhcp_journal_mkdir(p, &err), 0);
	/* two missing levels: an error naming the directory, nothing made */
	snprintf(p, sizeof(p), "%s/a/b/dhcpd.leases", dir);
	ck_assert_int_eq(dhcp_journal_mkdir(p, &err), -ENOENT);
	snprintf(d, sizeof(d), "%s/a/b: ", dir);
	ck_assert_int_eq(strncmp(err.msg, d, strlen(d)), 0);
	ck_assert_ptr_nonnull(strstr(err.msg, "No such file or directory"));
	snprintf(d, sizeof(d), "%s/a", dir);
	ck_assert_int_eq(stat(d, &st), -1);
}
END_TEST

START_TEST(test_abspath)
{
	char *p = strdup("/var/lib/pxe-dhcpd/dhcpd.leases");
	ck_assert_int_eq(dhcp_journal_abspath(&p), 0);
	ck_assert_str_eq(p, "/var/lib/pxe-dhcpd/dhcpd.leases");
	free(p);
	char cwd[4096], want[4200];
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(want, sizeof(want), "%s/x.leases", cwd);
	p = strdup("x.leases");
	ck_assert_int_eq(dhcp_journal_abspath(&p), 0);
	ck_assert_str_eq(p, want);
	free(p);
}
END_TEST

static size_t count_in(const char *file, const char *needle)
{
	FILE *f = fopen(file, "r");
	char line[1024];
	size_t n = 0;
	ck_assert_ptr_nonnull(f);
	while (fgets(line, sizeof(line), f))
		n += strstr(line, needle) != NULL;
	fclose(f);
	return n;
}

START_TEST(test_switch)
{
	struct pxe_err err;
	struct dhcp_leases *s = dhcp_leases_new();
	struct dhcp_range_def r = {BASE, BASE + 9};
	dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
	for (unsigned i = 0; i < 5; i++) {
		uint8_t key[7] = {1, 2, 0x54, 0, 0, 0, (uint8_t)i};
		ck_assert_ptr_nonnull(
			dhcp_leases_take(s, key, sizeof(key), BASE + i, LEASE_BOUND, 2000000000));
	}
	struct dhcp_journal j = {.fd = -1, .lock_fd = -1};
	j.lock_fd = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(j.lock_fd, 0);
	ck_assert_int_eq(dhcp_journal_write_snapshot(path, s, 1700000000, NULL, &err), 0);
	ck_assert_int_eq(dhcp_journal_open(&j, path, &err), 0);

	char np[4300];
	snprintf(np, sizeof(np), "%s/other.leases", dir);
	/* a switch whose write fails leaves everything as it was */
	int nl = dhcp_journal_lock(np, &err);
	ck_assert_int_ge(nl, 0);
	char bad[4400];
	snprintf(bad, sizeof(bad), "%s/missing/x.leases", dir);
	int old_fd = -1, fd0 = j.fd;
	ck_assert_int_lt(dhcp_journal_switch(&j, bad, nl, s, 1700000001, &old_fd, &err), 0);
	ck_assert_int_eq(j.fd, fd0);
	ck_assert_str_eq(j.path, path);
	ck_assert_int_eq(dhcp_journal_lock(path, &err), -EWOULDBLOCK);

	ck_assert_int_eq(dhcp_journal_switch(&j, np, nl, s, 1700000001, &old_fd, &err), 0);
	ck_assert_int_eq(old_fd, fd0);
	close(old_fd);
	ck_assert_str_eq(j.path, np);
	ck_assert_uint_eq(count_in(np, " add "), 5);
	/* the old file is free, the new one held */
	int b = dhcp_journal_lock(path, &err);
	ck_assert_int_ge(b, 0);
	close(b);
	ck_assert_int_eq(dhcp_journal_lock(np, &err), -EWOULDBLOCK);
	/* later lines go to the new file */
	ck_assert_int_eq(dhcp_journal_add(&j, 1700000002, JEV_RENEW, dhcp_lease_by_addr(s, BASE)),
			 0);
	ck_assert_int_eq(dhcp_journal_flush(&j), 0);
	ck_assert_uint_eq(count_in(np, " renew "), 1);
	ck_assert_uint_eq(count_in(path, " renew "), 0);
	dhcp_journal_close(&j);
	dhcp_leases_free(s);
}
END_TEST

UNIT_SUITE(journal_lock)
{
	Suite *s = suite_create("journal_lock");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_lock_twice);
	tcase_add_test(tc, test_lock_survives_compaction);
	tcase_add_test(tc, test_mkdir_one_level);
	tcase_add_test(tc, test_abspath);
	tcase_add_test(tc, test_switch);
	suite_add_tcase(s, tc);
	return s;
}
