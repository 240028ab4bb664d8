/* See fixture.h. */
#include "fixture.h"

#include <stdio.h>
#include <string.h>

#include "unit.h"

void dhcp_fixture_load(const char *dir, const char *text, struct pxe_config *conf)
{
	char path[512], *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	ck_assert_int_eq(unit_write_file(dir, "d.conf", text), 0);
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	struct pxe_err e;
	ck_assert_msg(pxe_config_load(&dhcp_config_spec, 3, argv, conf, &e) == 0, "%s", e.msg);
}

void dhcp_fixture_ctx(struct dhcp_ctx *ctx, const struct pxe_config *conf)
{
	const struct dhcpd_config *c = conf->cfg;
	memset(ctx, 0, sizeof(*ctx));
	ctx->cfg = c;
	ctx->leases = dhcp_leases_new();
	ck_assert_ptr_nonnull(ctx->leases);
	ck_assert_int_eq(dhcp_leases_set_ranges(ctx->leases, c->ranges, c->n_ranges, c->reserved,
						c->n_reserved),
			 0);
}

void dhcp_fixture_free(struct dhcp_ctx *ctx, struct pxe_config *conf, char *dir)
{
	dhcp_leases_free(ctx->leases);
	ctx->leases = NULL;
	pxe_config_free(conf);
	unit_tmpdir_remove(dir);
}
