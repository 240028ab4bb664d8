/* pxe-dhcpd: placeholder entry point until the daemon's own issue lands.
 * Configuration handling is real (common/opts.c); serving is not yet. */
#include <stddef.h>
#include <stdio.h>

#include "config_common.h"
#include "opts.h"

struct dhcpd_config {
	struct pxe_addrlist listen;
	char *root;
	struct pxe_common_config common;
};

static const struct pxe_opt dhcpd_opts[] = {
	{ .name = "listen", .short_name = 'l', .type = PXE_OPT_ADDRLIST,
	  .offset = offsetof(struct dhcpd_config, listen), .def = "0.0.0.0:67",
	  .default_port = 67, .arg = "ADDR[:PORT]", .help = "address to listen on" },
	{ .name = "root", .type = PXE_OPT_STRING, .flags = PXE_OPTF_POSITIONAL,
	  .offset = offsetof(struct dhcpd_config, root), .arg = "DIR",
	  .help = "directory to serve" },
	PXE_OPTS_DAEMON(struct dhcpd_config, common),
	PXE_OPTS_LOG(struct dhcpd_config, common),
};

static const struct pxe_opt_spec dhcpd_spec = {
	.prog = "pxe-dhcpd",
	.section = "dhcpd",
	.usage = "-c FILE [options]",
	.summary = "DHCP server, proxyDHCP and PXE boot service.",
	.opts = dhcpd_opts,
	.nopts = sizeof(dhcpd_opts) / sizeof(dhcpd_opts[0]),
	.cfg_size = sizeof(struct dhcpd_config),
};

int main(int argc, char **argv)
{
	struct pxe_config conf;
	int rc = pxe_config_main(&dhcpd_spec, argc, argv, &conf);
	if (rc >= 0)
		return rc;
	fprintf(stderr, "pxe-dhcpd: serving is not implemented yet\n");
	pxe_config_free(&conf);
	return 1;
}
