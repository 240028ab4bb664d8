/* SPDX-License-Identifier: MIT */
/* Runs every registered suite of one component and prints check's summary. */
#include "unit.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_SUITES 256
static unit_suite_fn suites[MAX_SUITES];
static int n_suites;

void unit_register(unit_suite_fn fn)
{
	if (n_suites < MAX_SUITES)
		suites[n_suites++] = fn;
}

char *unit_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = NULL;
	if (asprintf(&p, "%s/pxeunit.XXXXXX", base && *base ? base : "/tmp") < 0)
		return NULL;
	if (!mkdtemp(p)) {
		free(p);
		return NULL;
	}
	return p;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path) < 0)
		fprintf(stderr, "could not remove %s: %s\n", path, strerror(errno));
	return 0;
}

/* Depth first, without following symlinks (tests make links that point out
 * of the directory on purpose). */
void unit_tmpdir_remove(char *dir)
{
	if (!dir)
		return;
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(dir);
}

int unit_write_file(const char *dir, const char *rel, const char *content)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (char *s = path + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
		*s = 0;
		mkdir(path, 0755);
		*s = '/';
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -errno;
	size_t len = strlen(content);
	ssize_t w = write(fd, content, len);
	close(fd);
	return w == (ssize_t)len ? 0 : -EIO;
}

int main(int argc, char **argv)
{
	(void)argc;
	/* A runner linked without its test files would otherwise pass. */
	if (n_suites == 0) {
		printf("%s: no test suites registered\n", argv[0]);
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(suites[0]());
	for (int i = 1; i < n_suites; i++)
		srunner_add_suite(sr, suites[i]());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
