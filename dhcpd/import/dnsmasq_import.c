/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd --import-dnsmasq: see dnsmasq_import.h. */
#include <string.h>

#include "dnsmasq_import.h"
#include "dnsmasq_build.h"
#include "dnsmasq_read.h"
#include "dnsmasq_write.h"

static void print_diag(void *ctx, const struct dnsm_where *at, enum dnsm_level lv, const char *msg)
{
	static const char *const kind[] = {"note: ", "warning: ", "", ""};
	fprintf((FILE *)ctx, "%s:%d: %s%s\n", at->file, at->line, kind[lv], msg);
}

/* The FILE of "--import-dnsmasq FILE" or "--import-dnsmasq=FILE" at argv[*i]. */
static const char *import_arg(int argc, char **argv, int *i)
{
	const char *a = argv[*i];
	size_t n = strlen(DNSM_IMPORT_OPT);
	if (strncmp(a, DNSM_IMPORT_OPT, n))
		return NULL;
	if (a[n] == '=')
		return a + n + 1;
	if (a[n] || *i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

bool dnsm_import_wanted(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strncmp(argv[i], DNSM_IMPORT_OPT, strlen(DNSM_IMPORT_OPT)))
			return true;
	return false;
}

int dnsm_import_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct dnsm_conf c;
	dnsm_conf_init(&c, print_diag, err);
	int status = 0, files = 0;
	for (int i = 1; i < argc && !status; i++) {
		const char *f = import_arg(argc, argv, &i);
		if (!f) {
			fprintf(err,
				"pxe-dhcpd: %s: with --import-dnsmasq FILE only more "
				"--import-dnsmasq FILE options may follow\n",
				argv[i]);
			status = 64;
		} else if (dnsm_read_path(&c, f) < 0) {
			status = 1;
		}
		files++;
	}
	struct dnsm_model *m = NULL;
	if (!status && files && !(m = dnsm_model_build(&c)))
		status = 1;
	if (m && dnsm_write(m, out) < 0)
		status = 1;
	if (!status && c.dropped_boot) {
		fprintf(err,
			"pxe-dhcpd: some lines that decide how clients boot were not "
			"converted (above): exit status %d\n",
			DNSM_EX_BOOT_DROPPED);
		status = DNSM_EX_BOOT_DROPPED;
	}
	dnsm_model_free(m);
	dnsm_conf_free(&c);
	return status;
}
