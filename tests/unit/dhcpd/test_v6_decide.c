/* SPDX-License-Identifier: MIT */
/* dhcpd/v6/decide.c with the config: the RFC 8415 §18.3 decisions and the
 * RFC 5970 boot options for the firmware personas captured from Debian
 * 12's OVMF and iPXE, driven with a fake clock and no sockets. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "config.h"
#include "config6.h"
#include "leases6.h"
#include "v6/decide.h"
#include "v6/wire.h"
#include "fixture.h"
#include "unit.h"

#define NOW 1800000000LL

static char *dir;
static struct pxe_config conf;
static struct dhcp6_leases *store;
static struct dhcp6_ctx ctx;
static struct dhcp6_rx rx;
static struct dhcp6_out out;
static struct dhcp6_msg req, rep;
static uint8_t reqbuf[DHCP6_MAX_MSG];
static size_t reqlen;
static const uint8_t server_duid[] = {0, 3, 0, 1, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01};

static const char *const full_conf =
	"[dhcpd]\nlease-time = 1h\ndecline-time = 10m\n"
	"[subnet6 fd00:198:18:1::/64]\n"
	"range = fd00:198:18:1::100-fd00:198:18:1::1ff\n"
	"dns = fd00:198:18:1::53\n"
	"[subnet6 fd00:198:18:2::/64]\n"
	"range = fd00:198:18:2::10-fd00:198:18:2::10\n"
	"rapid-commit = no\n"
	"[host fixed]\nmac = 52:54:00:00:00:99\naddress6 = fd00:198:18:1::42\n"
	"[boot http6]\nmatch = ipv6 http\nfile = http://${server}/boot/shim.efi\n"
	"[boot ipxe6]\nmatch = ipv6 ipxe\nfile = http://boot.example/menu.ipxe\n"
	"[boot uefi6]\nmatch = ipv6 uefi\nfile = ipxe.efi\n"
	"bootfile-param = console=ttyS0\nbootfile-param = ip=dhcp\n"
	"[boot bios4]\nmatch = ipv4\nfile = undionly.kpxe\n";

static void load(const char *text)
{
	dir = unit_tmpdir();
	dhcp_fixture_load(dir, text, &conf);
	const struct dhcpd_config *c = conf.cfg;
	store = dhcp6_leases_new();
	ck_assert_ptr_nonnull(store);
	ck_assert_int_eq(dhcp6_leases_set_ranges(store, c->ranges6, c->n_ranges6,
						 (const uint8_t(*)[16])c->reserved6,
						 c->n_reserved6),
			 0);
	ctx = (struct dhcp6_ctx){
		.cfg = c, .leases = store, .duid = server_duid, .duid_len = sizeof(server_duid)};
	rx = (struct dhcp6_rx){.ifindex = 2, .multicast = true, .has_server = true};
	inet_pton(AF_INET6, "fd00:198:18:1::1", rx.server);
	rx.link = dhcp_config_subnet6_for(c, rx.server);
	if (c->n_subnets6)
		ck_assert_ptr_nonnull(rx.link);
}

static void setup(void)
{
	load(full_conf);
}

static void teardown(void)
{
	dhcp6_leases_free(store);
	pxe_config_free(&conf);
	unit_tmpdir_remove(dir);
}

/* ---- requests, built like the firmware sends them */

enum persona { P_EDK2_PXE, P_EDK2_HTTP, P_IPXE, P_DHCLIENT };

static struct dhcp6_builder b;

static void begin(int type, uint32_t xid)
{
	ck_assert_int_eq(dhcp6_build_start(&b, reqbuf, sizeof(reqbuf), (uint8_t)type, xid), 0);
}

/* DUID-LLT of MAC 52:54:00:00:00:NN (EDK2 and dhclient send LLT). */
static void client_id(unsigned nn)
{
	uint8_t duid[14] = {0, 1, 0, 1, 0x2f, 0, 0, 1, 0x52, 0x54, 0, 0, 0, (uint8_t)nn};
	ck_assert_int_eq(dhcp6_build_opt(&b, D6O_CLIENTID, duid, sizeof(duid)), 0);
}

static void ia(uint32_t iaid, const char *hint)
{
	struct dhcp6_iaaddr a = {.preferred = 0, .valid = 0};
	if (hint)
		inet_pton(AF_INET6, hint, a.addr);
	ck_assert_int_eq(dhcp6_build_ia_na(&b, iaid, 0, 0, hint ? &a : NULL, hint ? 1 : 0, 0, NULL),
			 0);
}

static void our_server_id(void)
{
	ck_assert_int_eq(dhcp6_build_opt(&b, D6O_SERVERID, server_duid, sizeof(server_duid)), 0);
}

static void persona(enum persona p)
{
	static const uint8_t oro_edk2[] = {0, 59, 0, 60, 0, 23, 0, 16};
	static const uint8_t oro_ipxe[] = {0, 23, 0, 24, 0, 59, 0, 60};
	static const uint8_t nii[] = {1, 3, 0};
	const char *vc = NULL, *uc = NULL;
	uint16_t arch = 0;
	switch (p) {
	case P_EDK2_PXE:
		vc = "PXEClient:Arch:00007:UNDI:003000";
		arch = 7;
		break;
	case P_EDK2_HTTP:
		vc = "HTTPClient:Arch:00016:UNDI:003000";
		arch = 16;
		break;
	case P_IPXE:
		vc = "PXEClient:Arch:00007:UNDI:003010";
		uc = "iPXE";
		arch = 7;
		break;
	case P_DHCLIENT: return;
	}
	ck_assert_int_eq(dhcp6_build_u16(&b, D6O_ELAPSED_TIME, 0), 0);
	if (p == P_IPXE)
		dhcp6_build_opt(&b, D6O_ORO, oro_ipxe, sizeof(oro_ipxe));
	else
		dhcp6_build_opt(&b, D6O_ORO, oro_edk2, sizeof(oro_edk2));
	dhcp6_build_opt(&b, D6O_NII, nii, sizeof(nii));
	dhcp6_build_u16(&b, D6O_CLIENT_ARCH_TYPE, arch);
	dhcp6_build_items(&b, D6O_VENDOR_CLASS, true, DHCP6_ENTERPRISE_INTEL, &vc, 1);
	if (uc)
		dhcp6_build_items(&b, D6O_USER_CLASS, false, 0, &uc, 1);
}

static int run_at(int64_t now)
{
	int n = dhcp6_build_finish(&b);
	ck_assert_int_gt(n, 0);
	reqlen = (size_t)n;
	ck_assert_int_eq(dhcp6_parse(reqbuf, reqlen, &req), 0);
	int t = dhcp6_decide(&ctx, &req, &rx, now, &out);
	if (t)
		ck_assert_int_eq(dhcp6_parse(out.buf, out.len, &rep), 0);
	return t;
}

static int run(void)
{
	return run_at(NOW);
}

/* A whole SOLICIT of persona p from client nn (IAID 1). */
static int solicit(enum persona p, unsigned nn, bool rapid)
{
	begin(DHCP6_SOLICIT, 0x100 + nn);
	client_id(nn);
	ia(1, NULL);
	if (rapid)
		dhcp6_build_opt(&b, D6O_RAPID_COMMIT, NULL, 0);
	persona(p);
	return run();
}

static void ck_addr(const uint8_t a[16], const char *want)
{
	char ip[INET6_ADDRSTRLEN];
	inet_ntop(AF_INET6, a, ip, sizeof(ip));
	ck_assert_str_eq(ip, want);
}

static bool in_range(const uint8_t a[16], const char *lo, const char *hi)
{
	uint8_t l[16], h[16];
	inet_pton(AF_INET6, lo, l);
	inet_pton(AF_INET6, hi, h);
	return memcmp(a, l, 16) >= 0 && memcmp(a, h, 16) <= 0;
}

static void ck_url(const char *want)
{
	ck_assert_ptr_nonnull(rep.bootfile_url.data);
	ck_assert_uint_eq(rep.bootfile_url.len, strlen(want));
	ck_assert(!memcmp(rep.bootfile_url.data, want, strlen(want)));
}

/* ---- full mode */

START_TEST(test_edk2_pxe_four_messages)
{
	ck_assert_int_eq(solicit(P_EDK2_PXE, 1, false), DHCP6_ADVERTISE);
	ck_assert_uint_eq(out.n_ev, 0); /* an offer is not written down */
	ck_assert(!out.sync);
	ck_assert_uint_eq(rep.n_ia_na, 1);
	ck_assert_uint_eq(rep.ia_na[0].n_addrs, 1);
	uint8_t offered[16];
	memcpy(offered, rep.ia_na[0].addrs[0].addr, 16);
	ck_assert(in_range(offered, "fd00:198:18:1::100", "fd00:198:18:1::1ff"));
	ck_assert_uint_eq(rep.ia_na[0].addrs[0].valid, 3600);
	ck_assert_uint_eq(rep.ia_na[0].t1, 1800);
	ck_assert_uint_eq(rep.ia_na[0].t2, 2880);
	/* Preference 255: EDK2 requests at once instead of waiting ~5 s */
	ck_assert(rep.has_preference);
	ck_assert_uint_eq(rep.preference, 255);
	ck_url("tftp://[fd00:198:18:1::1]/ipxe.efi");
	/* option 60: the section's bootfile-param items, in order */
	ck_assert_uint_eq(rep.bootfile_param.len, 2 + 13 + 2 + 7);
	ck_assert(!memcmp(rep.bootfile_param.data,
			  "\0\x0d"
			  "console=ttyS0"
			  "\0\x07"
			  "ip=dhcp",
			  24));
	/* no option 16 "PXEClient" beside an address: EDK2 would take the
	 * offer for a BINL offer and send its REQUEST to port 4011 */
	ck_assert(!rep.has_vendor_class);
	ck_assert_uint_eq(rep.server_id.len, sizeof(server_duid));
	ck_assert_ptr_null(rep.status.present ? rep.status.msg.data : NULL);
	ck_assert_ptr_nonnull(out.boot.boot);
	ck_assert_str_eq(out.boot.boot->pxe.name, "uefi6");

	/* REQUEST: the same address, bound and journalled before the REPLY */
	begin(DHCP6_REQUEST, 0x201);
	client_id(1);
	our_server_id();
	ia(1, NULL);
	persona(P_EDK2_PXE);
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert(out.sync);
	ck_assert_uint_eq(out.n_ev, 1);
	ck_assert_int_eq(out.ev[0].ev, JEV_ADD);
	ck_assert(!memcmp(rep.ia_na[0].addrs[0].addr, offered, 16));
	ck_assert(!memcmp(out.ev[0].lease.addr, offered, 16));
	ck_assert_int_eq(out.ev[0].lease.expires, NOW + 3600);
	ck_assert(!rep.has_preference);
	ck_url("tftp://[fd00:198:18:1::1]/ipxe.efi");
	const struct dhcp6_lease *l = dhcp6_lease_by_addr(store, offered);
	ck_assert_ptr_nonnull(l);
	ck_assert_int_eq(l->state, LEASE_BOUND);
	ck_assert(l->has_mac); /* from the DUID-LLT */
	ck_assert_uint_eq(l->mac[5], 1);

	/* RENEW extends it */
	begin(DHCP6_RENEW, 0x301);
	client_id(1);
	our_server_id();
	ia(1, NULL);
	ck_assert_int_eq(run_at(NOW + 1800), DHCP6_REPLY);
	ck_assert_uint_eq(out.n_ev, 1);
	ck_assert_int_eq(out.ev[0].ev, JEV_RENEW);
	ck_assert_int_eq(out.ev[0].lease.expires, NOW + 1800 + 3600);
	ck_assert(!memcmp(rep.ia_na[0].addrs[0].addr, offered, 16));

	/* RELEASE frees it, with a top-level Success */
	begin(DHCP6_RELEASE, 0x401);
	client_id(1);
	our_server_id();
	{
		struct dhcp6_iaaddr a = {.preferred = 0, .valid = 0};
		memcpy(a.addr, offered, 16);
		dhcp6_build_ia_na(&b, 1, 0, 0, &a, 1, 0, NULL);
	}
	ck_assert_int_eq(run_at(NOW + 1900), DHCP6_REPLY);
	ck_assert(rep.status.present);
	ck_assert_uint_eq(rep.status.code, DHCP6_ST_SUCCESS);
	ck_assert_uint_eq(out.n_ev, 1);
	ck_assert_int_eq(out.ev[0].ev, JEV_RELEASE);
	ck_assert(!dhcp6_lease_active(dhcp6_lease_by_addr(store, offered), NOW + 1900));
}
END_TEST

START_TEST(test_rapid_commit)
{
	ck_assert_int_eq(solicit(P_DHCLIENT, 2, true), DHCP6_REPLY);
	ck_assert(rep.rapid_commit);
	ck_assert(out.sync);
	ck_assert_uint_eq(out.n_ev, 1);
	ck_assert_int_eq(out.ev[0].ev, JEV_ADD);
	ck_assert_uint_eq(rep.ia_na[0].n_addrs, 1);
	/* a plain client gets no boot options */
	ck_assert_ptr_null(rep.bootfile_url.data);
	ck_assert(!rep.has_vendor_class);

	/* rapid-commit = no in the other subnet: four messages */
	inet_pton(AF_INET6, "fd00:198:18:2::1", rx.server);
	rx.link = dhcp_config_subnet6_for(ctx.cfg, rx.server);
	ck_assert_int_eq(solicit(P_DHCLIENT, 3, true), DHCP6_ADVERTISE);
	ck_assert(!rep.rapid_commit);
}
END_TEST

START_TEST(test_http_boot)
{
	ck_assert_int_eq(solicit(P_EDK2_HTTP, 4, false), DHCP6_ADVERTISE);
	ck_url("http://[fd00:198:18:1::1]/boot/shim.efi");
	/* EDK2 HttpBootDhcp6.c: option 16 with HTTPClient at data offset 6 */
	ck_assert(rep.has_vendor_class);
	const uint8_t *vc = out.buf + 4; /* find option 16 in the raw reply */
	size_t off = 0;
	uint16_t code;
	struct dhcp6_bytes v;
	bool seen = false;
	while (dhcp6_opt_next(vc, out.len - 4, &off, &code, &v) == 1)
		if (code == D6O_VENDOR_CLASS) {
			ck_assert_uint_ge(v.len, 16);
			ck_assert(!memcmp(v.data + 6, "HTTPClient", 10));
			seen = true;
		}
	ck_assert(seen);
}
END_TEST

START_TEST(test_ipxe_gets_script_and_dns)
{
	ck_assert_int_eq(solicit(P_IPXE, 5, false), DHCP6_ADVERTISE);
	ck_url("http://boot.example/menu.ipxe");
	ck_assert_str_eq(out.boot.boot->pxe.name, "ipxe6");
	/* the URL names a host and iPXE asked for 23 */
	uint8_t dns[16];
	inet_pton(AF_INET6, "fd00:198:18:1::53", dns);
	size_t off = 0;
	uint16_t code;
	struct dhcp6_bytes v;
	bool seen = false;
	while (dhcp6_opt_next(out.buf + 4, out.len - 4, &off, &code, &v) == 1)
		if (code == D6O_DNS_SERVERS)
			seen = v.len == 16 && !memcmp(v.data, dns, 16);
	ck_assert(seen);
}
END_TEST

START_TEST(test_reservation_by_mac)
{
	/* [host fixed] mac 52:54:00:00:00:99, the MAC inside the DUID-LLT */
	ck_assert_int_eq(solicit(P_EDK2_PXE, 0x99, false), DHCP6_ADVERTISE);
	ck_addr(rep.ia_na[0].addrs[0].addr, "fd00:198:18:1::42");
	ck_assert_ptr_nonnull(out.host);
	/* never handed out dynamically to others */
	for (unsigned i = 0; i < 20; i++) {
		ck_assert_int_eq(solicit(P_DHCLIENT, 0x10 + i, false), DHCP6_ADVERTISE);
		uint8_t fixed[16];
		inet_pton(AF_INET6, "fd00:198:18:1::42", fixed);
		ck_assert(memcmp(rep.ia_na[0].addrs[0].addr, fixed, 16));
	}
}
END_TEST

START_TEST(test_exhausted)
{
	inet_pton(AF_INET6, "fd00:198:18:2::1", rx.server);
	rx.link = dhcp_config_subnet6_for(ctx.cfg, rx.server);
	ck_assert_int_eq(solicit(P_DHCLIENT, 6, false), DHCP6_ADVERTISE);
	ck_addr(rep.ia_na[0].addrs[0].addr, "fd00:198:18:2::10");
	/* the one address is held for client 6 */
	ck_assert_int_eq(solicit(P_DHCLIENT, 7, false), DHCP6_ADVERTISE);
	ck_assert_uint_eq(rep.ia_na[0].n_addrs, 0);
	ck_assert(rep.ia_na[0].status.present);
	ck_assert_uint_eq(rep.ia_na[0].status.code, DHCP6_ST_NO_ADDRS_AVAIL);
	ck_assert_str_eq(out.why, "no addresses available");
}
END_TEST

START_TEST(test_decline_quarantines)
{
	inet_pton(AF_INET6, "fd00:198:18:2::1", rx.server);
	rx.link = dhcp_config_subnet6_for(ctx.cfg, rx.server);
	ck_assert_int_eq(solicit(P_DHCLIENT, 8, true), DHCP6_ADVERTISE); /* no rapid here */
	begin(DHCP6_REQUEST, 9);
	client_id(8);
	our_server_id();
	ia(1, NULL);
	ck_assert_int_eq(run(), DHCP6_REPLY);
	begin(DHCP6_DECLINE, 10);
	client_id(8);
	our_server_id();
	ia(1, "fd00:198:18:2::10");
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert_uint_eq(out.n_ev, 1);
	ck_assert_int_eq(out.ev[0].ev, JEV_DECLINE);
	/* nobody gets it during the quarantine, also not client 8 */
	ck_assert_int_eq(solicit(P_DHCLIENT, 11, false), DHCP6_ADVERTISE);
	ck_assert_uint_eq(rep.ia_na[0].n_addrs, 0);
	/* ... and after it, someone does */
	begin(DHCP6_SOLICIT, 12);
	client_id(12);
	ia(1, NULL);
	ck_assert_int_eq(run_at(NOW + 601), DHCP6_ADVERTISE);
	ck_assert_uint_eq(rep.ia_na[0].n_addrs, 1);
}
END_TEST

START_TEST(test_validation)
{
	/* REQUEST for another server: silence (RFC 8415 §16.4) */
	begin(DHCP6_REQUEST, 1);
	client_id(1);
	dhcp6_build_opt(&b, D6O_SERVERID, "\0\3\0\1\1\2\3\4\5\6", 10);
	ia(1, NULL);
	ck_assert_int_eq(run(), 0);
	ck_assert_str_eq(out.why, "for another server");
	/* SOLICIT with a server id: silence (§16.2) */
	begin(DHCP6_SOLICIT, 2);
	client_id(1);
	our_server_id();
	ck_assert_int_eq(run(), 0);
	/* no client id */
	begin(DHCP6_SOLICIT, 3);
	ia(1, NULL);
	ck_assert_int_eq(run(), 0);
	/* unicast, not relayed: silence */
	rx.multicast = false;
	ck_assert_int_eq(solicit(P_DHCLIENT, 1, false), 0);
	rx.multicast = true;
	/* a server message */
	begin(DHCP6_ADVERTISE, 4);
	client_id(1);
	ck_assert_int_eq(run(), 0);
	/* RENEW of something we never gave: NoBinding */
	begin(DHCP6_RENEW, 5);
	client_id(77);
	our_server_id();
	ia(9, "fd00:198:18:9::1");
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert_uint_eq(rep.ia_na[0].status.code, DHCP6_ST_NO_BINDING);
}
END_TEST

START_TEST(test_confirm)
{
	begin(DHCP6_CONFIRM, 1);
	client_id(1);
	ia(1, "fd00:198:18:1::1234");
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert(rep.status.present);
	ck_assert_uint_eq(rep.status.code, DHCP6_ST_SUCCESS);
	begin(DHCP6_CONFIRM, 2);
	client_id(1);
	ia(1, "fd00:198:18:7::1");
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert_uint_eq(rep.status.code, DHCP6_ST_NOT_ON_LINK);
	begin(DHCP6_CONFIRM, 3);
	client_id(1);
	ck_assert_int_eq(run(), 0); /* nothing to confirm */
}
END_TEST

START_TEST(test_information_request)
{
	static const uint8_t oro[] = {0, 23, 0, 59};
	const char *vc = "PXEClient:Arch:00007:UNDI:003000";
	begin(DHCP6_INFORMATION_REQUEST, 1);
	dhcp6_build_opt(&b, D6O_ORO, oro, sizeof(oro));
	dhcp6_build_u16(&b, D6O_CLIENT_ARCH_TYPE, 7);
	dhcp6_build_items(&b, D6O_VENDOR_CLASS, true, DHCP6_ENTERPRISE_INTEL, &vc, 1);
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_assert_uint_eq(rep.n_ia_na, 0);
	ck_url("tftp://[fd00:198:18:1::1]/ipxe.efi");
	ck_assert_uint_eq(out.n_ev, 0);
}
END_TEST

/* A RELAY-FORW around a SOLICIT: the link from the relay's link-address,
 * the MAC from option 79, the interface-id echoed, the reply wrapped. */
START_TEST(test_relayed)
{
	uint8_t inner[512];
	struct dhcp6_builder ib;
	ck_assert_int_eq(dhcp6_build_start(&ib, inner, sizeof(inner), DHCP6_SOLICIT, 0x77), 0);
	uint8_t duid_en[] = {0, 2, 0, 0, 0x01, 0x57, 1, 2, 3, 4}; /* no MAC in it */
	dhcp6_build_opt(&ib, D6O_CLIENTID, duid_en, sizeof(duid_en));
	dhcp6_build_ia_na(&ib, 5, 0, 0, NULL, 0, 0, NULL);
	int in = dhcp6_build_finish(&ib);
	ck_assert_int_gt(in, 0);
	/* relay header by hand: type, hop, link, peer, then 18, 79, 9 */
	size_t n = 0;
	reqbuf[n++] = DHCP6_RELAY_FORW;
	reqbuf[n++] = 0;
	inet_pton(AF_INET6, "fd00:198:18:2::1", reqbuf + n);
	n += 16;
	inet_pton(AF_INET6, "fe80::5054:ff:fe00:99", reqbuf + n);
	n += 16;
	const uint8_t ifid[] = {0, 18, 0, 4, 'e', 't', 'h', '7'};
	memcpy(reqbuf + n, ifid, sizeof(ifid));
	n += sizeof(ifid);
	const uint8_t lla[] = {0, 79, 0, 8, 0, 1, 0x52, 0x54, 0, 0, 0, 0x99};
	memcpy(reqbuf + n, lla, sizeof(lla));
	n += sizeof(lla);
	reqbuf[n++] = 0, reqbuf[n++] = D6O_RELAY_MSG;
	reqbuf[n++] = (uint8_t)(in >> 8), reqbuf[n++] = (uint8_t)in;
	memcpy(reqbuf + n, inner, (size_t)in);
	n += (size_t)in;
	ck_assert_int_eq(dhcp6_parse(reqbuf, n, &req), 0);
	rx.multicast = false; /* a relay unicasts */
	rx.link = NULL;       /* received on another link than the client's */
	ck_assert_int_eq(dhcp6_decide(&ctx, &req, &rx, NOW, &out), DHCP6_ADVERTISE);
	ck_assert_int_eq(out.buf[0], DHCP6_RELAY_REPL);
	ck_assert_int_eq(dhcp6_parse(out.buf, out.len, &rep), 0);
	ck_assert_uint_eq(rep.n_relays, 1);
	ck_assert_uint_eq(rep.relays[0].interface_id.len, 4);
	ck_assert(!memcmp(rep.relays[0].interface_id.data, "eth7", 4));
	/* [host fixed] by the MAC from option 79; its address is in subnet 1,
	 * the client is on subnet 2: it gets one of subnet 2's range */
	ck_assert_ptr_nonnull(out.host);
	ck_addr(rep.ia_na[0].addrs[0].addr, "fd00:198:18:2::10");
	ck_assert(out.has_mac);
	ck_assert_uint_eq(out.mac[5], 0x99);
}
END_TEST

/* ---- boot-only mode */

START_TEST(test_boot_only)
{
	teardown();
	load("[dhcpd]\nmode = proxy\n"
	     "[boot uefi]\nmatch = uefi\nfile = http://${server}/ipxe.efi\n");
	ck_assert_int_eq(((const struct dhcpd_config *)conf.cfg)->mode6,
			 DHCP6_MODE_OFF); /* auto: no [subnet6] */
	teardown();
	load("[dhcpd]\nmode = proxy\ndhcpv6 = boot-only\n"
	     "[boot uefi]\nmatch = uefi\nfile = http://${server}/ipxe.efi\n");
	rx.link = NULL;
	/* EDK2's SOLICIT: boot options, no IA (its proxy offer) */
	ck_assert_int_eq(solicit(P_EDK2_PXE, 1, false), DHCP6_ADVERTISE);
	ck_assert_uint_eq(rep.n_ia_na, 0);
	ck_url("http://[fd00:198:18:1::1]/ipxe.efi");
	ck_assert(rep.has_vendor_class); /* PXEClient: EDK2's ProxyBinl offer */
	ck_assert_uint_eq(rep.vendor_enterprise, 343);
	ck_assert_uint_ge(rep.vendor_class.len, 11);
	ck_assert(!memcmp(rep.vendor_class.data + 2, "PXEClient", 9));
	ck_assert_uint_eq(out.n_ev, 0);
	/* dhclient's SOLICIT: not ours to answer */
	ck_assert_int_eq(solicit(P_DHCLIENT, 2, false), 0);
	/* the REQUEST EDK2 then sends to port 4011 */
	begin(DHCP6_REQUEST, 3);
	client_id(1);
	our_server_id();
	persona(P_EDK2_PXE);
	ck_assert_int_eq(run(), 0); /* on 547: another server's business */
	rx.on_4011 = true;
	rx.multicast = false;
	begin(DHCP6_REQUEST, 3);
	client_id(1);
	our_server_id();
	persona(P_EDK2_PXE);
	ck_assert_int_eq(run(), DHCP6_REPLY);
	ck_url("http://[fd00:198:18:1::1]/ipxe.efi");
	ck_assert_uint_eq(rep.n_ia_na, 0);
	ck_assert_uint_eq(dhcp6_leases_count(store), 0);
}
END_TEST

START_TEST(test_unserved_link)
{
	/* a link with no [subnet6] prefix: not ours to answer, in full mode */
	rx.link = NULL;
	ck_assert_int_eq(solicit(P_EDK2_PXE, 1, false), 0);
	ck_assert_str_eq(out.why, "no [subnet6] for the client's link");
	/* relayed from a link-address in no prefix: the same */
	rx.link = dhcp_config_subnet6_for(ctx.cfg, rx.server);
	begin(DHCP6_CONFIRM, 1);
	client_id(1);
	ia(1, "fd00:198:18:7::1");
	rx.link = NULL;
	ck_assert_int_eq(run(), 0);
}
END_TEST

START_TEST(test_boot_url)
{
	uint8_t s[16];
	char u[128];
	inet_pton(AF_INET6, "fd00::1", s);
	ck_assert_int_gt(dhcp6_boot_url("ipxe.efi", s, u, sizeof(u)), 0);
	ck_assert_str_eq(u, "tftp://[fd00::1]/ipxe.efi");
	ck_assert_int_gt(dhcp6_boot_url("/boot/x.efi", s, u, sizeof(u)), 0);
	ck_assert_str_eq(u, "tftp://[fd00::1]/boot/x.efi");
	ck_assert_int_gt(dhcp6_boot_url("HTTPS://h/x", NULL, u, sizeof(u)), 0);
	ck_assert_str_eq(u, "HTTPS://h/x");
	ck_assert_int_eq(dhcp6_boot_url("x.efi", NULL, u, sizeof(u)), -EINVAL);
	ck_assert_int_eq(dhcp6_boot_url("x.efi", s, u, 10), -ENOSPC);
}
END_TEST

/* The dnsmasq-parity keys in DHCPv6: the known term (DUID or MAC of a
 * [host]), known-only, option60 = never, HTTPClient only with an http URL. */
START_TEST(test_parity_keys)
{
	teardown();
	load("[dhcpd]\nknown-only = yes\n[subnet6 fd00:198:18:1::/64]\n"
	     "range = fd00:198:18:1::100-fd00:198:18:1::1ff\n"
	     "[host a]\nmac = 52:54:00:00:00:99\n[host b]\nmac = 52:54:00:00:00:97\n"
	     "[boot a]\nmatch = known mac:52:54:00:00:00:99\n"
	     "file = tftp://[fd00:198:18:1::1]/k.efi\n"
	     "[boot plain]\nmatch = known\nfile = http://${server}/p.efi\noption60 = never\n");
	ck_assert_int_eq(solicit(P_EDK2_HTTP, 0x98, false), 0);
	ck_assert_str_eq(out.why, "unknown client (known-only)");
	ck_assert_int_eq(solicit(P_EDK2_HTTP, 0x99, false), DHCP6_ADVERTISE);
	ck_url("tftp://[fd00:198:18:1::1]/k.efi");
	ck_assert(!rep.has_vendor_class); /* a TFTP URL: no HTTPClient */
	ck_assert_int_eq(solicit(P_EDK2_HTTP, 0x97, false), DHCP6_ADVERTISE);
	ck_url("http://[fd00:198:18:1::1]/p.efi");
	ck_assert(!rep.has_vendor_class); /* option60 = never */
}
END_TEST

UNIT_SUITE(dhcp6_decide)
{
	Suite *s = suite_create("dhcp6_decide");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_edk2_pxe_four_messages);
	tcase_add_test(tc, test_rapid_commit);
	tcase_add_test(tc, test_http_boot);
	tcase_add_test(tc, test_ipxe_gets_script_and_dns);
	tcase_add_test(tc, test_reservation_by_mac);
	tcase_add_test(tc, test_exhausted);
	tcase_add_test(tc, test_decline_quarantines);
	tcase_add_test(tc, test_validation);
	tcase_add_test(tc, test_confirm);
	tcase_add_test(tc, test_information_request);
	tcase_add_test(tc, test_relayed);
	tcase_add_test(tc, test_boot_only);
	tcase_add_test(tc, test_unserved_link);
	tcase_add_test(tc, test_boot_url);
	tcase_add_test(tc, test_parity_keys);
	suite_add_tcase(s, tc);
	return s;
}
