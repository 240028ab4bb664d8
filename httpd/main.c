/* pxe-httpd: placeholder entry point until the daemon's own issue lands.
 * Configuration handling is real (common/opts.c); serving is not yet. */
#include <stddef.h>
#include <stdio.h>

#include "config_common.h"
#include "opts.h"

struct httpd_config {
	struct pxe_addrlist listen;
	char *root;
	struct pxe_common_config common;
};

static const struct pxe_opt httpd_opts[] = {
	{ .name = "listen", .short_name = 'l', .type = PXE_OPT_ADDRLIST,
	  .offset = offsetof(struct httpd_config, listen), .def = "0.0.0.0:8080",
	  .default_port = 8080, .arg = "ADDR[:PORT]", .help = "address to listen on" },
	{ .name = "root", .type = PXE_OPT_STRING, .flags = PXE_OPTF_POSITIONAL,
	  .offset = offsetof(struct httpd_config, root), .arg = "DIR",
	  .help = "directory to serve" },
	PXE_OPTS_DAEMON(struct httpd_config, common),
	PXE_OPTS_LOG(struct httpd_config, common),
};

static const struct pxe_opt_spec httpd_spec = {
	.prog = "pxe-httpd",
	.section = "httpd",
	.usage = "ROOT [options]",
	.summary = "Static HTTP/1.1 file server for network boot, darkhttpd-compatible.",
	.opts = httpd_opts,
	.nopts = sizeof(httpd_opts) / sizeof(httpd_opts[0]),
	.cfg_size = sizeof(struct httpd_config),
};

int main(int argc, char **argv)
{
	struct pxe_config conf;
	int rc = pxe_config_main(&httpd_spec, argc, argv, &conf);
	if (rc >= 0)
		return rc;
	fprintf(stderr, "pxe-httpd: serving is not implemented yet\n");
	pxe_config_free(&conf);
	return 1;
}
