/* SPDX-License-Identifier: MIT */
/* See fixture.h. */
#include "fixture.h"

#include <stdio.h>
#include <arpa/inet.h>
#include <string.h>

#include "config_spec.h"
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

void dhcp_fixture_req(struct dhcp_msg *m, int type, unsigned mac, uint32_t xid)
{
	memset(m, 0, sizeof(*m));
	m->op = DHCP_BOOTREQUEST;
	m->htype = 1;
	m->hlen = 6;
	m->xid = xid;
	const uint8_t hw[6] = {2, 0x54, 0, (uint8_t)(mac >> 16), (uint8_t)(mac >> 8), (uint8_t)mac};
	memcpy(m->chaddr, hw, 6);
	uint8_t t = (uint8_t)type;
	if (type)
		dhcp_msg_set_opt(m, DHO_MSG_TYPE, &t, 1);
}

void dhcp_fixture_put_u32(struct dhcp_msg *m, uint8_t code, uint32_t v)
{
	uint32_t be = htonl(v);
	dhcp_msg_set_opt(m, code, &be, 4);
}

uint32_t dhcp_fixture_opt_u32(const struct dhcp_msg *m, uint8_t code)
{
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, code, &n);
	ck_assert_msg(v && n == 4, "option %d missing", code);
	return (uint32_t)v[0] << 24 | (uint32_t)v[1] << 16 | (uint32_t)v[2] << 8 | v[3];
}

bool dhcp_fixture_opt_is(const struct dhcp_msg *m, uint8_t code, const char *s)
{
	size_t n;
	const uint8_t *v = dhcp_opt_get(m, code, &n);
	return v && n == strlen(s) && !memcmp(v, s, n);
}

void dhcp_fixture_parse_out(const struct dhcp_out *out, struct dhcp_msg *rep)
{
	if (out->type)
		ck_assert_int_eq(dhcp_parse(out->buf, out->len, rep), 0);
}

int dhcp_fixture_run(const struct dhcp_ctx *ctx, const struct dhcp_msg *req,
		     const struct dhcp_rx *rx, int64_t now, struct dhcp_out *out,
		     struct dhcp_msg *rep)
{
	int r = dhcp_decide(ctx, req, rx, now, out);
	dhcp_fixture_parse_out(out, rep);
	return r;
}

void dhcp_fixture_pxe_client(enum dhcp_fixture_kind k, struct dhcp_pxe_client *c)
{
	static const uint8_t qemu[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};
	static const uint8_t pi3[6] = {0xb8, 0x27, 0xeb, 0x28, 0xf6, 0x6d};
	static const uint8_t pi4[6] = {0xdc, 0xa6, 0x32, 0x01, 0x36, 0xc2};
	static const char *const vc[K_N] = {"PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00007:UNDI:003016",
					    "PXEClient:Arch:00009:UNDI:003016",
					    "PXEClient:Arch:00011:UNDI:003000",
					    "HTTPClient:Arch:00016:UNDI:003001",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00007:UNDI:003016",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00000:UNDI:002001",
					    "PXEClient:Arch:00011:UNDI:003000",
					    "udhcp 1.36.1",
					    "PXEClient:Arch:00000:UNDI:002001"};
	static const uint16_t arch[K_N] = {0, 7, 9, 11, 16, 0, 7, 0, 0, 11, 0xffff, 0};
	static const uint8_t guid_pi3b[17] = {0,    0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44,
					      0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44, 0x44};
	static const uint8_t guid_pi4[17] = "\x00RPi4\x11\x31\xc0\x00\x32\x01\x36\xc2\x12\x34\x56";
	static const uint8_t item[] = {0x47, 0x04, 0x80, 0x01, 0x00, 0x00, 0xff};
	struct dhcp_pxe_raw in;
	uint8_t a[2] = {(uint8_t)(arch[k] >> 8), (uint8_t)arch[k]};

	memset(&in, 0, sizeof(in));
	in.msg_type = 1;
	in.chaddr = k == K_PI3B ? pi3 : (k == K_PI4 || k == K_PI4_UEFI) ? pi4 : qemu;
	in.hlen = 6;
	in.vendor_class.data = (const uint8_t *)vc[k];
	in.vendor_class.len = strlen(vc[k]);
	if (arch[k] != 0xffff) {
		in.arch.data = a;
		in.arch.len = 2;
	}
	if (k == K_IPXE_BIOS || k == K_IPXE_EFI) {
		in.user_class.data = (const uint8_t *)"iPXE";
		in.user_class.len = 4;
		/* iPXE's feature indicators (include/ipxe/dhcp.h): 19 HTTP and
		 * 17 PXE extensions on BIOS; 19 HTTP and 36 EFI on EFI. */
		in.ipxe_encap.data =
			(const uint8_t *)(k == K_IPXE_EFI ? "\x13\x01\x01\x24\x01\x01"
							  : "\x13\x01\x01\x11\x01\x01");
		in.ipxe_encap.len = 6;
	}
	if (k == K_PI3B) {
		in.uuid.data = guid_pi3b;
		in.uuid.len = 17;
	}
	if (k == K_PI4) {
		in.uuid.data = guid_pi4;
		in.uuid.len = 17;
	}
	if (k == K_4011) {
		in.msg_type = 3;
		in.vendor_opts.data = item;
		in.vendor_opts.len = sizeof(item);
	}
	dhcp_pxe_client_classify(&in, c);
}
