/* SPDX-License-Identifier: MIT */
/* The keys that let a [boot] section answer as a dnsmasq configuration
 * does (issue 17's "differences already known"): rpi = no, option60 =
 * never, HTTPClient only with a URL, menu item types counted across the
 * whole file, siaddr 0.0.0.0 in a proxy menu offer, the known term and
 * [dhcpd] known-only, ipxe-feature:N. Through v4/decide.c and v4/proxy.c
 * with configs from text; no sockets. */
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>

#include "v4/proxy.h"
#include "fixture.h"
#include "unit.h"

#define SRV 0xc6120001u /* 198.18.0.1 */

static char *dir;
static struct pxe_config conf;
static struct dhcp_ctx ctx;
static struct dhcp_msg req, rep;
static struct dhcp_out out;
static const struct dhcp_rx rx = {.local_addr = SRV, .ifindex = 2};

#define FULL  "[dhcpd]\nmode = full\n[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.19\n"
#define PROXY "[dhcpd]\nmode = proxy\n"

#define PXE_BIOS "PXEClient:Arch:00000:UNDI:002001"
#define PXE_X64  "PXEClient:Arch:00007:UNDI:003000"
#define HTTP_X64 "HTTPClient:Arch:00016:UNDI:003001"

static void load(const char *text)
{
	dir = unit_tmpdir();
	dhcp_fixture_load(dir, text, &conf);
	dhcp_fixture_ctx(&ctx, &conf);
}

static void teardown(void)
{
	if (dir)
		dhcp_fixture_free(&ctx, &conf, dir);
	dir = NULL;
}

static void mkreq(int type, unsigned mac, uint16_t arch, const char *vc)
{
	dhcp_fixture_req(&req, type, mac, 0x77u + mac);
	uint8_t a[2] = {(uint8_t)(arch >> 8), (uint8_t)arch};
	dhcp_msg_set_opt(&req, DHO_CLIENT_ARCH, a, 2);
	dhcp_msg_set_opt(&req, DHO_VENDOR_CLASS, vc, strlen(vc));
}

/* The reply's type, 0 for none. */
static int full(void)
{
	dhcp_fixture_run(&ctx, &req, &rx, 1000, &out, &rep);
	return out.type;
}

static int proxy(bool on_4011)
{
	int r = dhcp_proxy_decide(conf.cfg, &req, &rx, on_4011, &out);
	dhcp_fixture_parse_out(&out, &rep);
	return r;
}

/* A Raspberry Pi 3 ROM: b8:27:eb, PXEClient arch 0. */
static void pi_request(void)
{
	mkreq(DHCPDISCOVER, 0, 0, PXE_BIOS);
	const uint8_t pi[6] = {0xb8, 0x27, 0xeb, 0x12, 0x34, 0x56};
	memcpy(req.chaddr, pi, 6);
}

static bool opt43_has_rpi(void)
{
	size_t n;
	const uint8_t *o = dhcp_opt_get(&rep, DHO_VENDOR_ENCAP, &n);
	return o && n > 17 && memmem(o, n, "Raspberry Pi Boot", 17) != NULL;
}

START_TEST(test_rpi_no)
{
	load(FULL "[boot any]\nfile = bootcode.bin\n");
	pi_request();
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert(opt43_has_rpi());
	teardown();

	load(FULL "[boot any]\nfile = bootcode.bin\nrpi = no\n");
	pi_request();
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert(!opt43_has_rpi());
	/* an ordinary PXE client now: the no-menu 43 and 60 PXEClient */
	ck_assert(dhcp_opt_has(&rep, DHO_VENDOR_ENCAP));
	ck_assert(dhcp_fixture_opt_is(&rep, DHO_VENDOR_CLASS, "PXEClient"));
	ck_assert_str_eq(rep.file, "bootcode.bin");
}
END_TEST

START_TEST(test_option60_never)
{
	load(FULL "[boot any]\nfile = undionly.kpxe\noption60 = never\noption43 = never\n");
	mkreq(DHCPDISCOVER, 1, 0, PXE_BIOS);
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_CLASS));
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_ENCAP));
	ck_assert_str_eq(rep.file, "undionly.kpxe");
	ck_assert_uint_eq(ntohl(rep.siaddr), SRV);
}
END_TEST

/* An HTTP Boot client that a section gives a TFTP path gets a plain offer
 * (dnsmasq's answer); with a URL it gets 60 HTTPClient as before. */
START_TEST(test_httpclient_only_with_url)
{
	load(FULL "[boot tftp]\nmatch = uefi\nfile = ipxe.efi\n"
		  "[boot http]\nmatch = http\nfile = http://${server}/ipxe.efi\n");
	mkreq(DHCPDISCOVER, 2, 16, HTTP_X64);
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_CLASS));
	ck_assert_str_eq(rep.file, "ipxe.efi");
	teardown();

	load(FULL "[boot http]\nmatch = http\nfile = https://${server}/ipxe.efi\n"
		  "[boot tftp]\nmatch = uefi\nfile = ipxe.efi\n");
	mkreq(DHCPDISCOVER, 2, 16, HTTP_X64);
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert(dhcp_fixture_opt_is(&rep, DHO_VENDOR_CLASS, "HTTPClient"));
	ck_assert_str_eq(rep.file, "https://198.18.0.1/ipxe.efi");
}
END_TEST

/* Item types count across sections: the second section's first item is
 * 0x8001, and a 4011 request for 0x8001 gets its file. */
START_TEST(test_menu_numbering)
{
	load(PROXY
	     "[boot bios]\nmatch = arch:bios\nmenu-item = pxelinux.0 Linux\n"
	     "menu-item = local Disk\n"
	     "[boot efi]\nmatch = uefi\nmenu-item = ipxe.efi iPXE\nmenu-item = grub.efi GRUB\n");
	const struct dhcpd_config *c = conf.cfg;
	ck_assert_uint_eq(c->boots[0].pxe.menu.items[0].type, 0x8000);
	ck_assert_uint_eq(c->boots[0].pxe.menu.items[1].type, 0); /* local */
	ck_assert_uint_eq(c->boots[1].pxe.menu.items[0].type, 0x8001);
	ck_assert_uint_eq(c->boots[1].pxe.menu.items[1].type, 0x8002);

	mkreq(DHCPREQUEST, 3, 7, PXE_X64);
	req.ciaddr = htonl(0xc6120040u);
	const uint8_t item[] = {71, 4, 0x80, 0x02, 0, 0, 255};
	dhcp_msg_set_opt(&req, DHO_VENDOR_ENCAP, item, sizeof(item));
	ck_assert_int_eq(proxy(true), DHCPACK);
	ck_assert_str_eq(rep.file, "grub.efi");
}
END_TEST

/* A proxy offer with a menu: siaddr 0.0.0.0 (the boot server is in 43.8);
 * with a file, or with next-server, siaddr stays. */
START_TEST(test_proxy_menu_siaddr)
{
	load(PROXY "[boot menu]\nmatch = arch:bios\nmenu-item = pxelinux.0 Linux\n"
		   "menu-item = memtest.0 Memtest\n"
		   "[boot far]\nmatch = uefi\nmenu-item = a.efi A\nmenu-item = b.efi B\n"
		   "next-server = 198.18.0.9\n");
	mkreq(DHCPDISCOVER, 4, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert_uint_eq(rep.siaddr, 0);
	ck_assert(dhcp_opt_has(&rep, DHO_VENDOR_ENCAP));
	/* a UEFI client with a two-item menu and next-server */
	mkreq(DHCPDISCOVER, 5, 7, PXE_X64);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert_uint_eq(ntohl(rep.siaddr), 0xc6120009u);
	/* the 4011 answer names the file and keeps siaddr */
	mkreq(DHCPREQUEST, 4, 0, PXE_BIOS);
	req.ciaddr = htonl(0xc6120041u);
	const uint8_t item[] = {71, 4, 0x80, 0x01, 0, 0, 255};
	dhcp_msg_set_opt(&req, DHO_VENDOR_ENCAP, item, sizeof(item));
	ck_assert_int_eq(proxy(true), DHCPACK);
	ck_assert_str_eq(rep.file, "memtest.0");
	ck_assert_uint_eq(ntohl(rep.siaddr), SRV);
}
END_TEST

#define HOST "[host pc]\nmac = 02:54:00:00:00:07\n"

START_TEST(test_known_term)
{
	load(FULL HOST "[boot known]\nmatch = known\nfile = known.0\n[boot rest]\nfile = rest.0\n");
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert_str_eq(rep.file, "known.0");
	mkreq(DHCPDISCOVER, 8, 0, PXE_BIOS);
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert_str_eq(rep.file, "rest.0");
	teardown();

	load(PROXY HOST
	     "[boot known]\nmatch = !known\nfile = unknown.0\n[boot rest]\nfile = rest.0\n");
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert_str_eq(rep.file, "rest.0");
	mkreq(DHCPDISCOVER, 8, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert_str_eq(rep.file, "unknown.0");
}
END_TEST

START_TEST(test_known_only)
{
	load("[dhcpd]\nmode = full\nknown-only = yes\n[subnet 198.18.0.0/24]\n"
	     "range = 198.18.0.10-198.18.0.19\n" HOST "[boot any]\nfile = a.0\n");
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	ck_assert_int_eq(full(), DHCPOFFER);
	mkreq(DHCPDISCOVER, 8, 0, PXE_BIOS);
	ck_assert_int_eq(full(), 0);
	ck_assert_str_eq(out.why, "unknown client (known-only)");
	teardown();

	load("[dhcpd]\nmode = proxy\nknown-only = yes\n" HOST "[boot any]\nfile = a.0\n");
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	mkreq(DHCPDISCOVER, 8, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), 0);
	ck_assert_str_eq(out.why, "unknown client (known-only)");
	/* [host] ignore = yes holds in proxy mode too */
	teardown();
	load(PROXY HOST "ignore = yes\n[boot any]\nfile = a.0\n");
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), 0);
	ck_assert_str_eq(out.why, "host is ignored");
}
END_TEST

/* iPXE with the HTTP feature gets the script, iPXE without it a newer
 * iPXE over TFTP: dnsmasq's dhcp-match=set:ipxe-http,175,19 recipe. */
START_TEST(test_ipxe_feature)
{
	load(FULL "[boot ipxe-http]\nmatch = ipxe-feature:19\nfile = http://${server}/boot.ipxe\n"
		  "[boot chain]\nfile = undionly.kpxe\n");
	mkreq(DHCPDISCOVER, 9, 0, PXE_BIOS);
	dhcp_msg_set_opt(&req, DHO_USER_CLASS, "iPXE", 4);
	const uint8_t http[] = {0x13, 0x01, 0x01, 0x11, 0x01, 0x01};
	dhcp_msg_set_opt(&req, 175, http, sizeof(http));
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert_str_eq(rep.file, "http://198.18.0.1/boot.ipxe");
	const uint8_t nohttp[] = {0x11, 0x01, 0x01};
	dhcp_msg_set_opt(&req, 175, nohttp, sizeof(nohttp));
	ck_assert_int_eq(full(), DHCPOFFER);
	ck_assert_str_eq(rep.file, "undionly.kpxe");
}
END_TEST

UNIT_SUITE(dhcp_v4_parity)
{
	Suite *s = suite_create("dhcp_v4_parity");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, test_rpi_no);
	tcase_add_test(tc, test_option60_never);
	tcase_add_test(tc, test_httpclient_only_with_url);
	tcase_add_test(tc, test_menu_numbering);
	tcase_add_test(tc, test_proxy_menu_siaddr);
	tcase_add_test(tc, test_known_term);
	tcase_add_test(tc, test_known_only);
	tcase_add_test(tc, test_ipxe_feature);
	suite_add_tcase(s, tc);
	return s;
}
