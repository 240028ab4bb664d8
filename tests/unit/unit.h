/* SPDX-License-Identifier: MIT */
/* Unit tests with check. Each tests/unit/COMPONENT/test_*.c file declares
 * its suites with UNIT_SUITE(name) { ... return s; }; they register
 * themselves, and tests/unit/run-COMPONENT runs them all. */
#ifndef PXE_UNIT_H
#define PXE_UNIT_H

#include <check.h>

typedef Suite *(*unit_suite_fn)(void);
void unit_register(unit_suite_fn fn);

#define UNIT_SUITE(name)                                                                           \
	static Suite *name##_suite(void);                                                          \
	__attribute__((constructor)) static void name##_register(void)                             \
	{                                                                                          \
		unit_register(name##_suite);                                                       \
	}                                                                                          \
	static Suite *name##_suite(void)

/* A scratch directory for one test, removed by unit_tmpdir_remove. */
char *unit_tmpdir(void);
void unit_tmpdir_remove(char *dir);
/* Write a file (mkdir -p of its directory). Returns 0 or -errno. */
int unit_write_file(const char *dir, const char *rel, const char *content);

#endif
