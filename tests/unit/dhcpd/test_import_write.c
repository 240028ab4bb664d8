/* SPDX-License-Identifier: MIT */
/* dhcpd/import: tags, precedence and the written pxesuite.conf, which the
 * config parser (the --check-config path) must accept. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_spec.h"
#include "import/dnsmasq_build.h"
#include "import/dnsmasq_model.h"
#include "import/dnsmasq_read.h"
#include "import/dnsmasq_write.h"
#include "unit.h"

struct run {
	char *out;
	char diag[4096];
	bool dropped_boot;
};

static void collect(void *ctx, const struct dnsm_where *at, enum dnsm_level lv, const char *msg)
{
	struct run *r = ctx;
	size_t n = strlen(r->diag);
	snprintf(r->diag + n, sizeof(r->diag) - n, "%s:%d:%d: %s\n", at->file, at->line, (int)lv,
		 msg);
}

static void import(const char *text, struct run *r)
{
	memset(r, 0, sizeof(*r));
	struct dnsm_conf c;
	dnsm_conf_init(&c, collect, r);
	ck_assert_int_eq(dnsm_read_text(&c, "t.conf", text, strlen(text)), 0);
	struct dnsm_model *m = dnsm_model_build(&c);
	ck_assert_ptr_nonnull(m);
	size_t len;
	FILE *f = open_memstream(&r->out, &len);
	ck_assert_int_eq(dnsm_write(m, f), 0);
	fclose(f);
	r->dropped_boot = c.dropped_boot;
	dnsm_model_free(m);
	dnsm_conf_free(&c);
}

static void check_loads(const char *conf)
{
	char *dir = unit_tmpdir();
	ck_assert_int_eq(unit_write_file(dir, "d.conf", conf), 0);
	char path[512];
	snprintf(path, sizeof(path), "%s/d.conf", dir);
	char *argv[] = {"pxe-dhcpd", "-c", path};
	struct pxe_config c;
	struct pxe_err e;
	int r = pxe_config_load(&dhcp_config_spec, 3, argv, &c, &e);
	ck_assert_msg(r == 0, "%s\n%s", r ? e.msg : "", conf);
	pxe_config_free(&c);
	unit_tmpdir_remove(dir);
}

/* The [boot] sections' "file =" values, in order, joined by blanks. */
static void files(const char *conf, char *out, size_t cap)
{
	*out = 0;
	for (const char *p = conf; (p = strstr(p, "\nfile = "));) {
		p += 8;
		size_t n = strcspn(p, "\n");
		snprintf(out + strlen(out), cap - strlen(out), "%s%.*s", *out ? " " : "", (int)n,
			 p);
	}
}

START_TEST(test_precedence)
{
	/* bifrost/metal3 style: untagged first, tagged later; LTSP: the last
	 * matching tagged line wins */
	struct run r;
	import("dhcp-range=198.18.0.10,198.18.0.20,255.255.255.0\n"
	       "dhcp-boot=undionly.kpxe\n"
	       "dhcp-match=set:efi,option:client-arch,7\n"
	       "dhcp-match=set:efi,option:client-arch,9\n"
	       "dhcp-userclass=set:ipxe,iPXE\n"
	       "dhcp-boot=tag:efi,ipxe.efi\n"
	       "dhcp-boot=tag:ipxe,http://198.18.0.1/boot.ipxe\n"
	       "dhcp-boot=net:#ipxe,first-untagged-loses\n",
	       &r);
	char f[512];
	files(r.out, f, sizeof(f));
	/* line 8 is tagged (a purely negative condition counts); the
	 * untagged line 2 is the catch-all, last */
	ck_assert_str_eq(f, "first-untagged-loses http://198.18.0.1/boot.ipxe ipxe.efi ipxe.efi "
			    "undionly.kpxe");
	ck_assert_msg(strstr(r.out, "match = !user-class:\"iPXE\"\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = arch:7\n") && strstr(r.out, "match = arch:9\n"), "%s",
		      r.out);
	ck_assert(!r.dropped_boot);
	check_loads(r.out);
	free(r.out);
}
END_TEST

START_TEST(test_tag_if)
{
	/* tag-if lines: AND within one, OR across lines setting one tag */
	struct run r;
	import("dhcp-range=198.18.0.10,198.18.0.20,255.255.255.0\n"
	       "dhcp-match=set:ipxe-http,175,19\n"
	       "dhcp-match=set:ipxe-menu,175,39\n"
	       "dhcp-match=set:efi64,option:client-arch,9\n"
	       "dhcp-match=set:bios,option:client-arch,0\n"
	       "tag-if=set:ipxe-ok,tag:ipxe-http,tag:ipxe-menu\n"
	       "tag-if=set:ipxe-ok,tag:bios,tag:ipxe-http\n"
	       "dhcp-boot=tag:ipxe-ok,http://198.18.0.1/menu.ipxe\n"
	       "dhcp-boot=tag:!ipxe-ok,tag:efi64,ipxe.efi\n",
	       &r);
	ck_assert_msg(strstr(r.out, "match = ipxe-feature:19 ipxe-feature:39\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = arch:0 ipxe-feature:19\n"), "%s", r.out);
	/* NOT((a AND b) OR (c AND a)) = (!a OR !b) AND (!c OR !a) = !a OR
	 * (!b AND !c) after absorption; then AND efi64 */
	ck_assert_msg(strstr(r.out, "match = !ipxe-feature:19 arch:9\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = !ipxe-feature:39 !arch:0 arch:9\n"), "%s", r.out);
	char f[512];
	files(r.out, f, sizeof(f));
	ck_assert_str_eq(f, "ipxe.efi ipxe.efi http://198.18.0.1/menu.ipxe "
			    "http://198.18.0.1/menu.ipxe");
	check_loads(r.out);
	free(r.out);
}
END_TEST

START_TEST(test_pxe_service_proxy)
{
	struct run r;
	import("dhcp-range=198.18.0.0,proxy,255.255.255.0\n"
	       "pxe-prompt=\"Press F8\",5\n"
	       "pxe-service=x86PC,\"Boot pxelinux\",pxelinux\n"
	       "pxe-service=x86PC,\"Local disk\"\n"
	       "pxe-service=X86-64_EFI,\"UEFI\",syslinux.efi,198.18.0.2\n"
	       "dhcp-option=3,198.18.0.1\n",
	       &r);
	ck_assert_msg(strstr(r.out, "mode = proxy\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = pxe arch:0\nmenu-item = pxelinux.0 Boot pxelinux\n"),
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, "menu-item = local Local disk\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "menu-prompt = 5 Press F8\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out,
			     "match = pxe arch:7\nfile = syslinux.efi\nnext-server = 198.18.0.2\n"),
		      "%s", r.out);
	ck_assert_msg(!strstr(r.out, "router ="), "%s", r.out); /* not in proxy replies */
	ck_assert_msg(strstr(r.diag, "arch 7 is matched but not 9"), "%s", r.diag);
	ck_assert_msg(strstr(r.diag, "x86-64_EFI is arch 7") ||
			      strstr(r.diag, "X86-64_EFI is arch 7"),
		      "%s", r.diag);
	check_loads(r.out);
	free(r.out);
}
END_TEST

START_TEST(test_hosts_options_traps)
{
	struct run r;
	import("interface=br0\n"
	       "dhcp-authoritative\n"
	       "dhcp-range=198.18.0.10,198.18.0.20,255.255.255.0,1w\n"
	       "dhcp-option=3\n"
	       "dhcp-option=option:dns-server,198.18.0.1,198.18.0.2\n"
	       "dhcp-option=66,198.18.0.1\n"
	       "dhcp-host=52:54:00:AA:BB:CC,set:lab,198.18.0.5,pc1\n"
	       "dhcp-mac=set:pi,b8:27:eb:*:*:*\n"
	       "dhcp-boot=tag:lab,lab.efi\n"
	       "dhcp-boot=tag:pi,bootcode.bin\n"
	       "dhcp-option=tag:lab,17,/srv/lab\n"
	       "dhcp-option=encap:175,190,user\n"
	       "dhcp-mac=set:odd,*:27:eb:00:00:01\n"
	       "address=/x/198.18.0.1\n",
	       &r);
	ck_assert_msg(strstr(r.out, "[subnet 198.18.0.0/24]\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "lease-time = 7d\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "# (no router key: pxe-dhcpd sends option 3 only when one is "
				    "set)\n"),
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, "dns = 198.18.0.1 198.18.0.2\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out,
			     "[host pc1]\n# t.conf:7: dhcp-host=52:54:00:AA:BB:CC,set:lab,"
			     "198.18.0.5,pc1\nmac = 52:54:00:aa:bb:cc\naddress = 198.18.0.5\n"),
		      "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = mac:52:54:00:aa:bb:cc\nfile = lab.efi\n"), "%s",
		      r.out);
	ck_assert_msg(strstr(r.out, "option = 17:/srv/lab\n"), "%s", r.out);
	ck_assert_msg(strstr(r.out, "match = mac:b8:27:eb\nfile = bootcode.bin\n"), "%s", r.out);
	ck_assert_msg(strstr(r.diag, "t.conf:6:1: option 66 (tftp-server) is a name"), "%s",
		      r.diag);
	ck_assert_msg(strstr(r.diag, "t.conf:12:2: not converted: encap:175"), "%s", r.diag);
	ck_assert_msg(strstr(r.diag, "t.conf:13:3: not converted: a MAC pattern"), "%s", r.diag);
	ck_assert_msg(strstr(r.diag, "t.conf:14:2: not converted: dnsmasq's DNS"), "%s", r.diag);
	ck_assert(r.dropped_boot); /* the dhcp-mac line decides a boot */
	check_loads(r.out);
	free(r.out);
}
END_TEST

START_TEST(test_names)
{
	ck_assert_int_eq(dnsm_csa_number("x86PC"), 0);
	ck_assert_int_eq(dnsm_csa_number("bc_efi"), 9);
	ck_assert_int_eq(dnsm_csa_number("X86-64_EFI"), 7);
	ck_assert_int_eq(dnsm_csa_number("ARM64_EFI"), 11);
	ck_assert_int_eq(dnsm_csa_number("19"), 19);
	ck_assert_int_eq(dnsm_csa_number("nonsense"), -1);
	struct run r;
	import("dhcp-vendorclass=BIOS,PXEClient:Arch:00000\n"
	       "dhcp-match=set:arm,60,PXEClient:Arch:0000B\n"
	       "dhcp-match=set:arm64,60,PXEClient:Arch:00011\n"
	       "dhcp-boot=net:BIOS,pxelinux.0\n"
	       "dhcp-boot=tag:arm64,arm.efi\n"
	       "dhcp-boot=tag:arm,never.efi\n",
	       &r);
	ck_assert_msg(
		strstr(r.out, "match = vendor-class:\"PXEClient:Arch:00000\"\nfile = pxelinux.0"),
		"%s", r.out);
	ck_assert_msg(strstr(r.out, "match = arch:11\nfile = arm.efi"), "%s", r.out);
	ck_assert_msg(!strstr(r.out, "never.efi"), "%s", r.out);
	ck_assert_msg(
		strstr(r.diag, "t.conf:2:3: not converted: PXEClient:Arch: needs five decimal"),
		"%s", r.diag);
	free(r.out);
}
END_TEST

UNIT_SUITE(import_write)
{
	Suite *s = suite_create("import_write");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_precedence);
	tcase_add_test(tc, test_tag_if);
	tcase_add_test(tc, test_pxe_service_proxy);
	tcase_add_test(tc, test_hosts_options_traps);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}
