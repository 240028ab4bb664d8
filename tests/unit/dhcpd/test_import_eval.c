/* SPDX-License-Identifier: MIT */
/* The imported configuration decides as dnsmasq does: for each published
 * configuration below and each firmware persona, dnsmasq's decision as
 * the reference evaluator computes it from the dnsmasq lines
 * (dhcpd/import/dnsmasq_eval.c) must equal pxe-dhcpd's own decision
 * (dhcp_pxe_decide) on the imported pxesuite.conf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config_spec.h"
#include "import/dnsmasq_build.h"
#include "import/dnsmasq_eval.h"
#include "import/dnsmasq_model.h"
#include "import/dnsmasq_read.h"
#include "import/dnsmasq_write.h"
#include "pxe/service.h"
#include "unit.h"

#define RANGE "dhcp-range=198.18.0.50,198.18.0.150,255.255.255.0\n"

static const char *const configs[] = {
	/* the Arch wiki (wiki.archlinux.org/title/Preboot_Execution_Environment) */
	RANGE "dhcp-match=set:efi-x86_64,option:client-arch,7\n"
	      "dhcp-boot=tag:efi-x86_64,/arch/boot/syslinux/syslinux.efi\n"
	      "dhcp-boot=/arch/boot/syslinux/lpxelinux.0\n"
	      "dhcp-option-force=209,boot/syslinux/archiso.cfg\n",
	/* netboot.xyz docs: option 60 Arch:NNNNN tags, server in field 3 */
	RANGE "dhcp-match=set:bios,60,PXEClient:Arch:00000\n"
	      "dhcp-boot=tag:bios,netboot.xyz.kpxe,,198.18.0.1\n"
	      "dhcp-match=set:efi64,60,PXEClient:Arch:00007\n"
	      "dhcp-boot=tag:efi64,netboot.xyz.efi,,198.18.0.1\n"
	      "dhcp-match=set:efi64-2,60,PXEClient:Arch:00009\n"
	      "dhcp-boot=tag:efi64-2,netboot.xyz.efi,,198.18.0.1\n",
	/* matchbox full mode: arch tags, then the iPXE user class */
	RANGE "dhcp-match=set:bios,option:client-arch,0\n"
	      "dhcp-boot=tag:bios,undionly.kpxe\n"
	      "dhcp-match=set:efibc,option:client-arch,7\n"
	      "dhcp-boot=tag:efibc,ipxe.efi\n"
	      "dhcp-match=set:efi64,option:client-arch,9\n"
	      "dhcp-boot=tag:efi64,ipxe.efi\n"
	      "dhcp-userclass=set:ipxe,iPXE\n"
	      "dhcp-boot=tag:ipxe,http://matchbox.example.com:8080/boot.ipxe\n",
	/* bifrost/metal3 style: untagged first, negated and legacy forms */
	RANGE "dhcp-boot=undionly.kpxe\n"
	      "dhcp-vendorclass=BIOS,PXEClient:Arch:00000\n"
	      "dhcp-match=ipxe,175\n"
	      "dhcp-match=set:uefi,option:client-arch,7\n"
	      "dhcp-match=set:uefi,option:client-arch,9\n"
	      "tag-if=set:uefi-ipxe,tag:uefi,tag:ipxe\n"
	      "dhcp-boot=tag:uefi,tag:!ipxe,snponly.efi\n"
	      "dhcp-boot=net:ipxe,http://198.18.0.1/inspector.ipxe\n"
	      "dhcp-boot=tag:uefi-ipxe,http://198.18.0.1/uefi.ipxe\n"
	      "dhcp-boot=tag:#BIOS,tag:!uefi,last-resort.efi\n"
	      "dhcp-boot=never-used-untagged.0\n",
	/* hosts and MAC classes */
	RANGE "dhcp-host=52:54:00:00:00:01,set:lab,198.18.0.5\n"
	      "dhcp-mac=set:pi,b8:27:eb:*:*:*\n"
	      "dhcp-boot=tag:lab,lab.efi\n"
	      "dhcp-boot=tag:pi,bootcode.bin\n"
	      "dhcp-boot=tag:known,known.0\n",
};

struct persona {
	const char *name;
	struct dnsm_persona p;
};

static const struct persona personas[] = {
	{"bios",
	 {.arch = 0,
	  .vendor_class = "PXEClient:Arch:00000:UNDI:002001",
	  .mac = {2, 0, 0, 0, 0, 1}}},
	{"efi7",
	 {.arch = 7,
	  .vendor_class = "PXEClient:Arch:00007:UNDI:003016",
	  .mac = {2, 0, 0, 0, 0, 2}}},
	{"efi9",
	 {.arch = 9,
	  .vendor_class = "PXEClient:Arch:00009:UNDI:003016",
	  .mac = {2, 0, 0, 0, 0, 3}}},
	{"ipxe-bios",
	 {.arch = 0,
	  .vendor_class = "PXEClient:Arch:00000:UNDI:002001",
	  .user_class = "iPXE",
	  .has_175 = true,
	  .features = {19, 39},
	  .nfeatures = 2,
	  .mac = {2, 0, 0, 0, 0, 4}}},
	{"ipxe-efi",
	 {.arch = 7,
	  .vendor_class = "PXEClient:Arch:00007:UNDI:003016",
	  .user_class = "iPXE",
	  .has_175 = true,
	  .features = {19, 36},
	  .nfeatures = 2,
	  .mac = {2, 0, 0, 0, 0, 5}}},
	{"arm64",
	 {.arch = 11,
	  .vendor_class = "PXEClient:Arch:00011:UNDI:003016",
	  .mac = {2, 0, 0, 0, 0, 6}}},
	{"known",
	 {.arch = 7,
	  .vendor_class = "PXEClient:Arch:00007:UNDI:003016",
	  .mac = {0x52, 0x54, 0, 0, 0, 1}}},
	{"pi-oui",
	 {.arch = 0,
	  .vendor_class = "PXEClient:Arch:00000:UNDI:002001",
	  .mac = {0xb8, 0x27, 0xeb, 1, 2, 3}}},
};

static void quiet(void *ctx, const struct dnsm_where *at, enum dnsm_level lv, const char *msg)
{
	(void)ctx, (void)at, (void)lv, (void)msg;
}

static void raw_of(const struct dnsm_persona *p, struct dhcp_pxe_raw *raw, uint8_t *arch,
		   uint8_t *encap)
{
	memset(raw, 0, sizeof(*raw));
	raw->family = 4;
	raw->msg_type = 1;
	raw->htype = 1;
	raw->chaddr = p->mac;
	raw->hlen = 6;
	raw->vendor_class.data = (const uint8_t *)p->vendor_class;
	raw->vendor_class.len = p->vendor_class ? strlen(p->vendor_class) : 0;
	raw->user_class.data = (const uint8_t *)p->user_class;
	raw->user_class.len = p->user_class ? strlen(p->user_class) : 0;
	arch[0] = (uint8_t)(p->arch >> 8);
	arch[1] = (uint8_t)p->arch;
	raw->arch.data = p->arch >= 0 ? arch : NULL;
	raw->arch.len = p->arch >= 0 ? 2 : 0;
	for (int i = 0; i < p->nfeatures; i++) { /* iPXE: code, length 1, value 1 */
		encap[3 * i] = (uint8_t)p->features[i];
		encap[3 * i + 1] = 1;
		encap[3 * i + 2] = 1;
	}
	raw->ipxe_encap.data = p->has_175 ? encap : NULL; /* NULL: option absent */
	raw->ipxe_encap.len = p->has_175 ? 3 * (size_t)p->nfeatures : 0;
}

START_TEST(test_same_decisions)
{
	const char *text = configs[_i];
	struct dnsm_conf c;
	dnsm_conf_init(&c, quiet, NULL);
	ck_assert_int_eq(dnsm_read_text(&c, "t.conf", text, strlen(text)), 0);
	struct dnsm_model *m = dnsm_model_build(&c);
	ck_assert_ptr_nonnull(m);
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);
	ck_assert_int_eq(dnsm_write(m, f), 0);
	fclose(f);
	char *dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "d.conf", out), 0);
	char path[512];
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	char *argv[] = {"pxe-dhcpd", "-c", path};
	struct pxe_config pc;
	struct pxe_err e;
	ck_assert_msg(pxe_config_load(&dhcp_config_spec, 3, argv, &pc, &e) == 0, "%s\n%s", e.msg,
		      out);
	const struct dhcpd_config *cfg = pc.cfg;
	struct dhcp_pxe_server srv = {.v4_be = htonl(0xc6120001)};
	for (size_t i = 0; i < sizeof(personas) / sizeof(personas[0]); i++) {
		struct dnsm_decision want;
		dnsm_eval(&c, &personas[i].p, &want);
		struct dhcp_pxe_raw raw;
		uint8_t arch[2], encap[3 * DNSM_EVAL_FEATURES];
		raw_of(&personas[i].p, &raw, arch, encap);
		struct dhcp_pxe_decision dec;
		dhcp_pxe_decide(cfg->boots, cfg->n_boots, &raw, &srv, &dec);
		ck_assert_msg(!strcmp(dec.file, want.file),
			      "config %d persona %s: dnsmasq '%s' (t.conf:%d), pxe-dhcpd '%s'\n%s",
			      _i, personas[i].name, want.file, want.boot ? want.boot->at.line : 0,
			      dec.file, out);
	}
	pxe_config_free(&pc);
	unit_tmpdir_remove(dir);
	free(out);
	dnsm_model_free(m);
	dnsm_conf_free(&c);
}
END_TEST

UNIT_SUITE(import_eval)
{
	Suite *s = suite_create("import_eval");
	TCase *tc = tcase_create("core");
	tcase_add_loop_test(tc, test_same_decisions, 0,
			    (int)(sizeof(configs) / sizeof(configs[0])));
	suite_add_tcase(s, tc);
	return s;
}
