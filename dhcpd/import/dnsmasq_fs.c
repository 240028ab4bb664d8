/* SPDX-License-Identifier: MIT */
/* The file system side of the dnsmasq reader: see dnsmasq_fs.h. */
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "dnsmasq_fs.h"

#define SLURP_MAX (16u << 20) /* no real configuration comes near */

int dnsm_fs_slurp(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	if (!f)
		return -errno;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	int r = 0;
	while (buf) {
		if (n + 1 >= cap) {
			char *b = cap < SLURP_MAX ? realloc(buf, cap *= 2) : NULL;
			if (!b) {
				r = cap >= SLURP_MAX ? -EFBIG : -ENOMEM;
				break;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0) {
			r = ferror(f) ? -EIO : 0;
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (!buf || r < 0) {
		free(buf);
		return buf ? r : -ENOMEM;
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && !strcmp(s + a - b, suffix);
}

/* dnsmasq: "*.ext" entries are the only suffixes taken (when any is
 * given); other entries are suffixes left out. */
static bool wanted(const char *name, char *const *filters, int n)
{
	size_t len = strlen(name);
	if (name[0] == '.' || name[len - 1] == '~' || (name[0] == '#' && name[len - 1] == '#'))
		return false;
	bool any_incl = false, incl = false;
	for (int i = 0; i < n; i++) {
		if (filters[i][0] == '*') {
			any_incl = true;
			incl |= ends_with(name, filters[i] + 1);
		} else if (filters[i][0] && ends_with(name, filters[i])) {
			return false;
		}
	}
	return !any_incl || incl;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int dnsm_fs_dir(const char *dir, char *const *filters, int nfilters, char ***out)
{
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	char **names = NULL;
	int n = 0, cap = 0, r = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!wanted(e->d_name, filters, nfilters))
			continue;
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (n == cap) {
			char **m = realloc(names, sizeof(*m) * (size_t)(cap = cap ? cap * 2 : 16));
			if (!m) {
				r = -ENOMEM;
				break;
			}
			names = m;
		}
		if (!(names[n] = strdup(path))) {
			r = -ENOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (r < 0) {
		dnsm_fs_names_free(names, n);
		return r;
	}
	qsort(names, (size_t)n, sizeof(*names), by_name);
	*out = names;
	return n;
}

void dnsm_fs_names_free(char **names, int n)
{
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}
