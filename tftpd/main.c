/* pxe-tftpd: placeholder entry point until the daemon's own issue lands.
 * Configuration handling is real (common/opts.c); serving is not yet. */
#include <stddef.h>
#include <stdio.h>

#include "config_common.h"
#include "opts.h"

struct tftpd_config {
	struct pxe_addrlist listen;
	char *root;
	struct pxe_common_config common;
};

static const struct pxe_opt tftpd_opts[] = {
	{ .name = "listen", .short_name = 'l', .type = PXE_OPT_ADDRLIST,
	  .offset = offsetof(struct tftpd_config, listen), .def = "0.0.0.0:69",
	  .default_port = 69, .arg = "ADDR[:PORT]", .help = "address to listen on" },
	{ .name = "root", .type = PXE_OPT_STRING, .flags = PXE_OPTF_POSITIONAL,
	  .offset = offsetof(struct tftpd_config, root), .arg = "DIR",
	  .help = "directory to serve" },
	PXE_OPTS_DAEMON(struct tftpd_config, common),
	PXE_OPTS_LOG(struct tftpd_config, common),
};

static const struct pxe_opt_spec tftpd_spec = {
	.prog = "pxe-tftpd",
	.section = "tftpd",
	.usage = "[options] [ROOT]",
	.summary = "TFTP server for network boot (RFC 1350, 2347, 2348, 2349, 7440).",
	.opts = tftpd_opts,
	.nopts = sizeof(tftpd_opts) / sizeof(tftpd_opts[0]),
	.cfg_size = sizeof(struct tftpd_config),
};

int main(int argc, char **argv)
{
	struct pxe_config conf;
	int rc = pxe_config_main(&tftpd_spec, argc, argv, &conf);
	if (rc >= 0)
		return rc;
	fprintf(stderr, "pxe-tftpd: serving is not implemented yet\n");
	pxe_config_free(&conf);
	return 1;
}
