/* SPDX-License-Identifier: MIT */
/* dhcp_journal_write_sync (dhcpd/journal.c): a batch after a fragment
 * that could not be cut off (no newline at the end of the file) starts on
 * a line of its own; after a clean end nothing is added; an empty file
 * gets the batch alone. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "journal.h"
#include "unit.h"

/* The file made of before, after one write_sync of batch. */
static void check(const char *before, const char *batch, const char *want)
{
	char path[64];
	snprintf(path, sizeof(path), "/tmp/pxe-jsync-%d", (int)getpid());
	int fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, before, strlen(before)), (ssize_t)strlen(before));
	ck_assert_int_eq(dhcp_journal_write_sync(fd, batch, strlen(batch)), 0);
	char got[256] = "";
	ck_assert_int_ge(pread(fd, got, sizeof(got) - 1, 0), 0);
	close(fd);
	unlink(path);
	ck_assert_str_eq(got, want);
}

START_TEST(test_after_fragment)
{
	check("a 1\nb 2 cut sh", "c 3\n", "a 1\nb 2 cut sh\nc 3\n");
}
END_TEST

START_TEST(test_after_clean_end)
{
	check("a 1\n", "c 3\n", "a 1\nc 3\n");
	check("", "c 3\n", "c 3\n");
}
END_TEST

UNIT_SUITE(dhcp_journal_sync)
{
	Suite *s = suite_create("dhcp_journal_sync");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_after_fragment);
	tcase_add_test(tc, test_after_clean_end);
	suite_add_tcase(s, tc);
	return s;
}
