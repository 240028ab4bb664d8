/* SPDX-License-Identifier: MIT */
/* The PXE boot service in DHCPv4 replies: dhcpd/v4/pxe_reply.c (full
 * mode), v4/proxy.c (proxyDHCP and port 4011), v4/handle.c (the mode
 * dispatch and the broadcast quirk), pxe/service.c (the decision), with
 * [boot] sections from the config. No sockets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config_spec.h"
#include "v4/decide.h"
#include "v4/handle.h"
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

static const char *const sections =
	"[boot ipxe]\nmatch = ipxe\nfile = http://${server}/boot.ipxe\n"
	"[boot quirky]\nmatch = arch:x64-uefi mac:02:54:00:00:00:77\nfile = q.efi\n"
	"option43 = no-uefi\necho-uuid = no\nbroadcast = yes\nreply-delay = 250ms\n"
	"option = 209:\"pxelinux.cfg/default\"\n"
	"[boot hname]\nmatch = http mac:02:54:00:00:00:66\nfile = http://boot.example/x.efi\n"
	"[boot uefi]\nmatch = arch:x64-uefi\nfile = ipxe.efi\nnext-server = 198.18.0.5\n"
	"server-name = tftp.test\n"
	"[boot http]\nmatch = http\nfile = http://${server}/${arch}.efi\n"
	"[boot bios]\nmatch = arch:bios\nfile = undionly.kpxe\n";

static void setup_mode(const char *head)
{
	char text[2048];
	snprintf(text, sizeof(text), "%s%s", head, sections);
	dir = unit_tmpdir();
	dhcp_fixture_load(dir, text, &conf);
	dhcp_fixture_ctx(&ctx, &conf);
}

static void setup_full(void)
{
	setup_mode("[dhcpd]\nmode = full\n[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.19\n"
		   "dns = 198.18.0.1\n");
}

static void setup_proxy(void)
{
	setup_mode("[dhcpd]\nmode = proxy\n");
}

static void teardown(void)
{
	dhcp_fixture_free(&ctx, &conf, dir);
}

static void mkreq(int type, uint8_t last, uint16_t arch, const char *vc)
{
	dhcp_fixture_req(&req, type, last, 0x4242u + last);
	uint8_t a[2] = {(uint8_t)(arch >> 8), (uint8_t)arch};
	if (!vc) /* a plain DHCP client */
		return;
	dhcp_msg_set_opt(&req, DHO_CLIENT_ARCH, a, 2);
	dhcp_msg_set_opt(&req, DHO_VENDOR_CLASS, vc, strlen(vc));
	const uint8_t uuid[17] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	dhcp_msg_set_opt(&req, DHO_UUID, uuid, sizeof(uuid));
}

static void parse_out(void)
{
	dhcp_fixture_parse_out(&out, &rep);
}

static int full(void)
{
	return dhcp_fixture_run(&ctx, &req, &rx, 1000, &out, &rep);
}

static int proxy(bool on_4011)
{
	int r = dhcp_proxy_decide(conf.cfg, &req, &rx, on_4011, &out);
	parse_out();
	return r;
}

static bool opt_is(uint8_t code, const char *s)
{
	return dhcp_fixture_opt_is(&rep, code, s);
}

#define PXE_BIOS "PXEClient:Arch:00000:UNDI:002001"
#define PXE_X64  "PXEClient:Arch:00007:UNDI:003000"
#define HTTP_X64 "HTTPClient:Arch:00016:UNDI:003001"

START_TEST(test_config_errors)
{
	struct pxe_err e;
	const char *bad[] = {
		"[boot a]\nmatch = arch:nosuch\n",
		"[boot a]\nbogus = 1\n",
		"[boot a]\nfile = ${nope}\n",
		"[boot a]\nreply-delay = 1h\n",
		"[boot a]\nbroadcast = maybe\n",
		"[boot a]\noption = nosuchopt:1\n",
		"[boot a]\nmatch = http\nfile = x.efi\n", /* HTTP-only needs a URL */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char text[512], path[512], *argv[] = {"pxe-dhcpd", "-c", path, NULL};
		snprintf(text, sizeof(text), "[dhcpd]\nmode = proxy\n%s", bad[i]);
		ck_assert_int_eq(unit_write_file(dir, "bad.conf", text), 0);
		snprintf(path, sizeof(path), "%s/bad.conf", dir);
		struct pxe_config c;
		ck_assert_msg(pxe_config_load(&dhcp_config_spec, 3, argv, &c, &e) < 0, "%s",
			      bad[i]);
		ck_assert_msg(strstr(e.msg, "bad.conf:"), "no location: %s", e.msg);
	}
	const struct dhcpd_config *c = conf.cfg;
	ck_assert_uint_eq(c->n_boots, 6);
	ck_assert_int_eq(c->boots[1].delay_ms, 250);
	ck_assert(c->boots[1].broadcast && !c->boots[1].echo_uuid);
	ck_assert_uint_eq(c->boots[1].option.opts.n, 1);
}
END_TEST

START_TEST(test_full_bios)
{
	mkreq(DHCPDISCOVER, 1, 0, PXE_BIOS);
	const uint8_t prl[] = {1, 3, 43, 60, 67};
	dhcp_msg_set_opt(&req, DHO_PARAM_LIST, prl, sizeof(prl));
	ck_assert_int_eq(full(), DHCPDISCOVER);
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert_str_eq(rep.file, "undionly.kpxe");
	ck_assert(opt_is(DHO_BOOTFILE, "undionly.kpxe"));
	ck_assert_uint_eq(ntohl(rep.siaddr), SRV);
	ck_assert(opt_is(DHO_VENDOR_CLASS, "PXEClient"));
	ck_assert(opt_is(DHO_VENDOR_ENCAP, "\x06\x01\x08\xff"));
	size_t n;
	ck_assert(dhcp_opt_get(&rep, DHO_UUID, &n) && n == 17);
	ck_assert(out.boot.made);
	ck_assert_str_eq(out.boot.boot->pxe.name, "bios");
	/* option 67 only when asked for; file always */
	mkreq(DHCPDISCOVER, 2, 0, PXE_BIOS);
	full();
	ck_assert_str_eq(rep.file, "undionly.kpxe");
	ck_assert(!dhcp_opt_has(&rep, DHO_BOOTFILE));
}
END_TEST

START_TEST(test_full_uefi_next_server_and_unknown)
{
	mkreq(DHCPDISCOVER, 3, 9, PXE_X64);
	full();
	ck_assert_str_eq(rep.file, "ipxe.efi");
	ck_assert_uint_eq(ntohl(rep.siaddr), 0xc6120005u);
	ck_assert_str_eq(rep.sname, "tftp.test");
	/* an unknown arch: an address, no file, a decision to log */
	mkreq(DHCPDISCOVER, 4, 31, "PXEClient:Arch:00031:UNDI:003000");
	full();
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert_str_eq(rep.file, "");
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_ENCAP));
	ck_assert(out.boot.made && !out.boot.boot);
	/* a plain DHCP client: nothing of PXE, nothing to log */
	mkreq(DHCPDISCOVER, 5, 0, NULL);
	full();
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert(!out.boot.made);
	ck_assert_str_eq(rep.file, "");
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_CLASS));
}
END_TEST

START_TEST(test_full_http_and_ipxe)
{
	mkreq(DHCPDISCOVER, 6, 16, HTTP_X64);
	full();
	ck_assert_str_eq(rep.file, "http://198.18.0.1/x64-uefi-http.efi");
	ck_assert(opt_is(DHO_VENDOR_CLASS, "HTTPClient"));
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_ENCAP));
	ck_assert_uint_le(out.len, DHCP_PXE_HTTP_MAX_OFFER);
	/* a URL with a host name: the subnet's DNS server goes along */
	mkreq(DHCPDISCOVER, 0x66, 16, HTTP_X64);
	full();
	ck_assert_str_eq(rep.file, "http://boot.example/x.efi");
	ck_assert(dhcp_opt_has(&rep, DHO_DNS));
	ck_assert(!out.boot.warn);
	mkreq(DHCPDISCOVER, 7, 0, PXE_BIOS);
	dhcp_msg_set_opt(&req, DHO_USER_CLASS, "iPXE", 4);
	full();
	ck_assert_str_eq(rep.file, "http://198.18.0.1/boot.ipxe");
}
END_TEST

START_TEST(test_full_quirks)
{
	mkreq(DHCPDISCOVER, 0x77, 7, PXE_X64);
	full();
	ck_assert_str_eq(rep.file, "q.efi");
	ck_assert(!dhcp_opt_has(&rep, DHO_VENDOR_ENCAP)); /* option43 = no-uefi */
	ck_assert(!dhcp_opt_has(&rep, DHO_UUID));         /* echo-uuid = no */
	ck_assert(opt_is(DHO_VENDOR_CLASS, "PXEClient")); /* BINL offer */
	ck_assert(opt_is(209, "pxelinux.cfg/default"));
	ck_assert(out.boot.broadcast);
	ck_assert_int_eq(out.boot.delay_ms, 250);
}
END_TEST

START_TEST(test_proxy_offer)
{
	mkreq(DHCPDISCOVER, 1, 0, PXE_BIOS);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert_uint_eq(rep.yiaddr, 0);
	ck_assert_str_eq(rep.file, "undionly.kpxe");
	uint32_t a;
	ck_assert(dhcp_opt_addr(&rep, DHO_SERVER_ID, &a) && ntohl(a) == SRV);
	ck_assert(!dhcp_opt_has(&rep, DHO_LEASE_TIME));
	ck_assert(opt_is(DHO_VENDOR_CLASS, "PXEClient"));
	ck_assert_int_eq(out.dest, DEST_BROADCAST);
	/* not a network-boot client: silence */
	mkreq(DHCPDISCOVER, 2, 0, NULL);
	ck_assert_int_eq(proxy(false), 0);
	ck_assert(!out.boot.made);
	/* a REQUEST for another server: silence, never a NAK */
	mkreq(DHCPREQUEST, 1, 0, PXE_BIOS);
	uint32_t other = htonl(0xc6120003u);
	dhcp_msg_set_opt(&req, DHO_SERVER_ID, &other, 4);
	ck_assert_int_eq(proxy(false), 0);
	ck_assert_int_eq(out.type, 0);
	/* a URL with a host name and no dns to send: logged */
	mkreq(DHCPDISCOVER, 0x66, 16, HTTP_X64);
	ck_assert_int_eq(proxy(false), DHCPOFFER);
	ck_assert(opt_is(DHO_VENDOR_CLASS, "HTTPClient"));
	ck_assert(!dhcp_opt_has(&rep, DHO_DNS));
	ck_assert(out.boot.warn);
	/* unknown arch: nothing to offer */
	mkreq(DHCPDISCOVER, 4, 31, "PXEClient:Arch:00031:UNDI:003000");
	ck_assert_int_eq(proxy(false), 0);
	ck_assert(out.boot.made);
}
END_TEST

START_TEST(test_4011)
{
	mkreq(DHCPREQUEST, 3, 7, PXE_X64);
	req.ciaddr = htonl(0xc6120040u);
	const uint8_t item[] = {71, 4, 0x80, 0, 0, 0, 255};
	dhcp_msg_set_opt(&req, DHO_VENDOR_ENCAP, item, sizeof(item));
	ck_assert_int_eq(proxy(true), DHCPACK);
	ck_assert_str_eq(rep.file, "ipxe.efi");
	size_t n;
	const uint8_t *o43 = dhcp_opt_get(&rep, DHO_VENDOR_ENCAP, &n);
	ck_assert(o43 && n >= 6 && !memcmp(o43, item, 6));
	ck_assert_uint_eq(ntohl(rep.ciaddr), 0xc6120040u);
	/* BIS credentials (layer bit 0x8000) are not served */
	const uint8_t bis[] = {71, 4, 0x80, 0, 0x80, 0, 255};
	dhcp_msg_set_opt(&req, DHO_VENDOR_ENCAP, bis, sizeof(bis));
	ck_assert_int_eq(proxy(true), 0);
	/* a DISCOVER on 4011 is not answered */
	mkreq(DHCPDISCOVER, 3, 7, PXE_X64);
	ck_assert_int_eq(proxy(true), 0);
}
END_TEST

/* dhcp_handle: the mode decides who answers; a 4011 reply goes back to
 * the request's source; broadcast = yes turns a unicast reply into a
 * broadcast, but leaves a relay's reply alone. */
START_TEST(test_handle_full)
{
	mkreq(DHCPDISCOVER, 0x77, 7, PXE_X64);
	ck_assert_int_eq(dhcp_decide(&ctx, &req, &rx, 1000, &out), DHCPDISCOVER);
	ck_assert_int_eq(out.dest, DEST_YIADDR); /* the decision alone: unicast */
	mkreq(DHCPDISCOVER, 0x77, 7, PXE_X64);
	ck_assert_int_eq(dhcp_handle(&ctx, &req, &rx, 1000, &out), DHCPDISCOVER);
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert(out.boot.made && out.boot.broadcast);
	ck_assert_int_eq(out.dest, DEST_BROADCAST);
	mkreq(DHCPDISCOVER, 0x77, 7, PXE_X64);
	req.giaddr = htonl(0xc6120001u);
	dhcp_handle(&ctx, &req, &rx, 1000, &out);
	ck_assert_int_eq(out.dest, DEST_RELAY);
	/* without the quirk: unicast as RFC 2131 §4.1 says */
	mkreq(DHCPDISCOVER, 1, 0, PXE_BIOS);
	dhcp_handle(&ctx, &req, &rx, 1000, &out);
	ck_assert_int_eq(out.type, DHCPOFFER);
	ck_assert(out.boot.made && !out.boot.broadcast);
	ck_assert_int_eq(out.dest, DEST_YIADDR);
	/* port 4011 in full mode: the boot server, back to the source */
	mkreq(DHCPREQUEST, 3, 7, PXE_X64);
	req.ciaddr = htonl(0xc6120040u);
	const struct dhcp_rx rx4011 = {.local_addr = SRV,
				       .ifindex = 2,
				       .on_4011 = true,
				       .src_addr = htonl(0xc6120040u),
				       .src_port = 4011};
	ck_assert_int_eq(dhcp_handle(&ctx, &req, &rx4011, 1000, &out), DHCPACK);
	ck_assert_int_eq(out.dest, DEST_SOURCE);
	ck_assert_uint_eq(out.dst_addr, htonl(0xc6120040u));
	ck_assert_uint_eq(out.dst_port, 4011);
	ck_assert(!out.journal && !out.yiaddr);
}
END_TEST

START_TEST(test_handle_proxy)
{
	mkreq(DHCPDISCOVER, 1, 0, PXE_BIOS);
	ck_assert_int_eq(dhcp_handle(&ctx, &req, &rx, 1000, &out), DHCPOFFER);
	parse_out();
	ck_assert_uint_eq(rep.yiaddr, 0);
	ck_assert_str_eq(rep.file, "undionly.kpxe");
	ck_assert_int_eq(out.dest, DEST_BROADCAST);
	ck_assert_str_eq(out.boot.boot->pxe.name, "bios");
	/* no DHCP core in proxy mode: a plain client gets nothing */
	mkreq(DHCPDISCOVER, 2, 0, NULL);
	ck_assert_int_eq(dhcp_handle(&ctx, &req, &rx, 1000, &out), 0);
	ck_assert_int_eq(out.type, 0);
}
END_TEST

UNIT_SUITE(dhcp_v4_pxe)
{
	Suite *s = suite_create("dhcp_v4_pxe");
	TCase *tc = tcase_create("full");
	tcase_add_checked_fixture(tc, setup_full, teardown);
	tcase_add_test(tc, test_config_errors);
	tcase_add_test(tc, test_full_bios);
	tcase_add_test(tc, test_full_uefi_next_server_and_unknown);
	tcase_add_test(tc, test_full_http_and_ipxe);
	tcase_add_test(tc, test_full_quirks);
	tcase_add_test(tc, test_handle_full);
	suite_add_tcase(s, tc);
	TCase *tp = tcase_create("proxy");
	tcase_add_checked_fixture(tp, setup_proxy, teardown);
	tcase_add_test(tp, test_proxy_offer);
	tcase_add_test(tp, test_4011);
	tcase_add_test(tp, test_handle_proxy);
	suite_add_tcase(s, tp);
	return s;
}
