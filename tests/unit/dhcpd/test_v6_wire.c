/* SPDX-License-Identifier: MIT */
/* dhcpd/v6/wire.c and options.c: parsing of each message and option
 * (RFC 8415 §8, §9, §21; RFC 5970; RFC 6939), boundary lengths, relay
 * nesting up to HOP_COUNT_LIMIT, the bounded builder, RELAY-REPL
 * wrapping, and the classification of the EDK2 and iPXE SOLICITs that
 * issue 15 captured. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "pxe/client.h"
#include "v6/options.h"
#include "v6/wire.h"

/* A message being assembled: bytes and a length. */
struct pkt {
	uint8_t b[DHCP6_MAX_MSG];
	size_t n;
};

static void put(struct pkt *p, const void *v, size_t n)
{
	ck_assert_uint_le(p->n + n, sizeof(p->b));
	memcpy(p->b + p->n, v, n);
	p->n += n;
}

static void opt(struct pkt *p, uint16_t code, const void *v, size_t n)
{
	uint8_t h[4] = {(uint8_t)(code >> 8), (uint8_t)code, (uint8_t)(n >> 8), (uint8_t)n};
	put(p, h, 4);
	if (n)
		put(p, v, n);
}

static void hdr(struct pkt *p, uint8_t type, uint32_t xid)
{
	uint8_t h[4] = {type, (uint8_t)(xid >> 16), (uint8_t)(xid >> 8), (uint8_t)xid};
	p->n = 0;
	put(p, h, 4);
}

/* A {u16 length, data} item appended to an option value being built. */
static size_t item(uint8_t *v, size_t at, const char *s)
{
	size_t k = strlen(s);
	v[at] = (uint8_t)(k >> 8);
	v[at + 1] = (uint8_t)k;
	memcpy(v + at + 2, s, k);
	return at + 2 + k;
}

#define MAC_QEMU "\x52\x54\x00\x12\x34\x56"
static const uint8_t duid_llt[14] = {0,    1,    0,    1, 0x2c, 0x8f, 0x11,
				     0x22, 0x52, 0x54, 0, 0x12, 0x34, 0x56};
static const uint8_t duid_uuid[18] = {0,    4,    0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
				      0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x00};

/* EDK2's SOLICIT (issue 15, OVMF): DUID-LLT, elapsed time, IA_NA, ORO
 * 59,60,23,16, NII 1/3.0, arch, vendor class 343 with one item. */
static void edk2_solicit(struct pkt *p, uint16_t arch, const char *vc)
{
	uint8_t v[64];
	hdr(p, DHCP6_SOLICIT, 0xabcdef);
	opt(p, D6O_CLIENTID, duid_llt, sizeof(duid_llt));
	opt(p, D6O_ELAPSED_TIME, "\0\0", 2);
	opt(p, D6O_IA_NA, "\x00\x00\x00\x01\0\0\0\0\0\0\0\0", 12);
	opt(p, D6O_ORO, "\0\x3b\0\x3c\0\x17\0\x10", 8);
	opt(p, D6O_NII, "\x01\x03\x00", 3);
	uint8_t a[2] = {(uint8_t)(arch >> 8), (uint8_t)arch};
	opt(p, D6O_CLIENT_ARCH_TYPE, a, 2);
	memcpy(v, "\0\0\x01\x57", 4);
	opt(p, D6O_VENDOR_CLASS, v, item(v, 4, vc));
}

/* iPXE's SOLICIT (issue 15): user class "iPXE", vendor class
 * PXEClient:…:003010, ORO 23,24,59,60; iPXE's client id is a DUID-UUID. */
static void ipxe_solicit(struct pkt *p)
{
	uint8_t v[64];
	hdr(p, DHCP6_SOLICIT, 0x000102);
	opt(p, D6O_CLIENTID, duid_uuid, sizeof(duid_uuid));
	opt(p, D6O_ELAPSED_TIME, "\0\x05", 2);
	opt(p, D6O_IA_NA, "\x00\x00\x00\x07\0\0\0\0\0\0\0\0", 12);
	opt(p, D6O_ORO, "\0\x17\0\x18\0\x3b\0\x3c", 8);
	opt(p, D6O_CLIENT_ARCH_TYPE, "\0\x07", 2);
	opt(p, D6O_NII, "\x01\x03\x10", 3);
	memcpy(v, "\0\0\x01\x57", 4);
	opt(p, D6O_VENDOR_CLASS, v, item(v, 4, "PXEClient:Arch:00007:UNDI:003010"));
	opt(p, D6O_USER_CLASS, v, item(v, 0, "iPXE"));
}

static struct dhcp6_msg m, back;

START_TEST(test_parse_edk2_solicit)
{
	struct pkt p;
	edk2_solicit(&p, 7, "PXEClient:Arch:00007:UNDI:003000");
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	ck_assert_int_eq(m.type, DHCP6_SOLICIT);
	ck_assert_uint_eq(m.xid, 0xabcdef);
	ck_assert_int_eq(m.n_relays, 0);
	ck_assert_uint_eq(m.client_id.len, 14);
	ck_assert_int_eq(dhcp6_duid_type(m.client_id.data, m.client_id.len), DHCP6_DUID_LLT);
	ck_assert_ptr_null(m.server_id.data);
	ck_assert(m.has_elapsed);
	ck_assert_int_eq(m.n_ia_na, 1);
	ck_assert_uint_eq(m.ia_na[0].iaid, 1);
	ck_assert_int_eq(m.ia_na[0].n_addrs, 0);
	ck_assert_int_eq(m.n_oro, 4);
	ck_assert(dhcp6_oro_has(&m, D6O_BOOTFILE_URL) && dhcp6_oro_has(&m, D6O_VENDOR_CLASS));
	ck_assert(!dhcp6_oro_has(&m, D6O_DOMAIN_LIST));
	ck_assert(!m.rapid_commit);
	ck_assert(m.has_vendor_class);
	ck_assert_uint_eq(m.vendor_enterprise, 343);
	ck_assert_uint_eq(m.nii.len, 3);
	ck_assert_uint_eq(m.arch.len, 2);
	ck_assert_ptr_null(m.user_class.data);
	uint8_t mac[6];
	ck_assert(dhcp6_client_mac(&m, mac));
	ck_assert(!memcmp(mac, MAC_QEMU, 6));
	ck_assert_str_eq(dhcp6_msg_type_name(m.type), "solicit");
}
END_TEST

/* One option's value against its format: each row is a message with that
 * one option and whether the parse accepts it. */
struct opt_case {
	const char *what;
	uint16_t code;
	const char *val;
	size_t len;
	int rc;
};

static const struct opt_case opt_cases[] = {
	{"client id empty", D6O_CLIENTID, "", 0, -EINVAL},
	{"client id 1 byte", D6O_CLIENTID, "\0", 1, -EINVAL},
	{"client id type only", D6O_CLIENTID, "\0\x02", 2, 0},
	{"server id 1 byte", D6O_SERVERID, "\0", 1, -EINVAL},
	{"ia_na 11 bytes", D6O_IA_NA, "\0\0\0\0\0\0\0\0\0\0\0", 11, -EINVAL},
	{"ia_na 12 bytes", D6O_IA_NA, "\0\0\0\0\0\0\0\0\0\0\0\0", 12, 0},
	{"ia_na with short iaaddr", D6O_IA_NA, "\0\0\0\1\0\0\0\0\0\0\0\0\0\5\0\0", 16, -EINVAL},
	{"ia_na with iaaddr past its end", D6O_IA_NA, "\0\0\0\1\0\0\0\0\0\0\0\0\0\5\0\x18", 16,
	 -EINVAL},
	{"ia_na with short status", D6O_IA_NA, "\0\0\0\1\0\0\0\0\0\0\0\0\0\x0d\0\1\0", 17, -EINVAL},
	{"ia_na with unknown sub-option", D6O_IA_NA, "\0\0\0\1\0\0\0\0\0\0\0\0\0\x63\0\0", 16, 0},
	{"oro empty", D6O_ORO, "", 0, 0},
	{"oro odd", D6O_ORO, "\0\x17\0", 3, -EINVAL},
	{"preference empty", D6O_PREFERENCE, "", 0, -EINVAL},
	{"preference 1", D6O_PREFERENCE, "\xff", 1, 0},
	{"elapsed 1 byte", D6O_ELAPSED_TIME, "\0", 1, -EINVAL},
	{"elapsed 2 bytes", D6O_ELAPSED_TIME, "\0\1", 2, 0},
	{"elapsed 3 bytes", D6O_ELAPSED_TIME, "\0\1\2", 3, -EINVAL},
	{"status 1 byte", D6O_STATUS_CODE, "\0", 1, -EINVAL},
	{"status no text", D6O_STATUS_CODE, "\0\2", 2, 0},
	{"rapid commit", D6O_RAPID_COMMIT, "", 0, 0},
	{"rapid commit with a value", D6O_RAPID_COMMIT, "\1", 1, -EINVAL},
	{"user class empty", D6O_USER_CLASS, "", 0, 0},
	{"user class item", D6O_USER_CLASS, "\0\4iPXE", 6, 0},
	{"user class item past end", D6O_USER_CLASS, "\0\5iPXE", 6, -EINVAL},
	{"user class half a length", D6O_USER_CLASS, "\0\4iPXE\0", 7, -EINVAL},
	{"vendor class 3 bytes", D6O_VENDOR_CLASS, "\0\0\1", 3, -EINVAL},
	{"vendor class no items", D6O_VENDOR_CLASS, "\0\0\1\x57", 4, 0},
	{"vendor class item past end", D6O_VENDOR_CLASS, "\0\0\1\x57\0\3ab", 8, -EINVAL},
	{"bootfile url", D6O_BOOTFILE_URL, "tftp://[2001:db8::1]/x", 22, 0},
	{"bootfile param", D6O_BOOTFILE_PARAM, "\0\1a\0\0", 5, 0},
	{"bootfile param bad", D6O_BOOTFILE_PARAM, "\0\2a", 3, -EINVAL},
	{"arch empty", D6O_CLIENT_ARCH_TYPE, "", 0, -EINVAL},
	{"arch odd", D6O_CLIENT_ARCH_TYPE, "\0\7\0", 3, -EINVAL},
	{"arch two", D6O_CLIENT_ARCH_TYPE, "\0\7\0\x10", 4, 0},
	{"nii 2 bytes", D6O_NII, "\1\3", 2, -EINVAL},
	{"nii 3 bytes", D6O_NII, "\1\3\0", 3, 0},
	{"nii 4 bytes", D6O_NII, "\1\3\0\0", 4, -EINVAL},
	{"unknown empty", 999, "", 0, 0},
	{"unknown", 65535, "xyz", 3, 0},
	{"79 outside a relay is ignored", D6O_CLIENT_LINKLAYER_ADDR, "", 0, 0},
};

START_TEST(test_parse_options)
{
	const struct opt_case *c = &opt_cases[_i];
	struct pkt p;
	hdr(&p, DHCP6_REQUEST, 1);
	opt(&p, c->code, c->val, c->len);
	int rc = dhcp6_parse(p.b, p.n, &m);
	ck_assert_msg(rc == c->rc, "%s: rc %d, expected %d", c->what, rc, c->rc);
	if (rc < 0)
		ck_assert_msg(m.bad_code == c->code || c->code == D6O_IA_NA, "%s: bad_code %u",
			      c->what, m.bad_code);
}
END_TEST

START_TEST(test_parse_truncation)
{
	struct pkt p;
	edk2_solicit(&p, 7, "PXEClient:Arch:00007:UNDI:003000");
	/* Every proper prefix that cuts an option fails, every cut at an
	 * option boundary parses; none reads past the length given (ASan). */
	size_t bounds[16], nb = 0, off = 4;
	while (off < p.n) {
		bounds[nb++] = off;
		off += 4 + (size_t)(p.b[off + 2] << 8 | p.b[off + 3]);
	}
	for (size_t len = 0; len < p.n; len++) {
		bool at_bound = false;
		for (size_t i = 0; i < nb; i++)
			at_bound |= bounds[i] == len;
		int rc = dhcp6_parse(p.b, len, &m);
		if (at_bound)
			ck_assert_msg(rc == 0, "len %zu", len);
		else
			ck_assert_msg(rc == -EINVAL, "len %zu: %d", len, rc);
	}
	/* An option whose length runs past the end by one. */
	hdr(&p, DHCP6_SOLICIT, 1);
	opt(&p, D6O_ELAPSED_TIME, "\0\0", 2);
	p.b[7] = 3;
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), -EINVAL);
	p.b[7] = 2;
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	/* Too long for us. */
	ck_assert_int_eq(dhcp6_parse(p.b, DHCP6_MAX_MSG + 1, &m), -EINVAL);
}
END_TEST

START_TEST(test_parse_ia_na_nested)
{
	struct pkt p;
	uint8_t ia[128], *q = ia;
	memcpy(q, "\0\0\0\x2a\0\0\x0e\x10\0\0\x15\x18", 12); /* IAID 42, T1 3600, T2 5400 */
	q += 12;
	/* IAADDR 2001:db8::5, 7200/10800, with a status inside. */
	memcpy(q, "\0\5\0\x1e", 4);
	q += 4;
	memcpy(q, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05", 16);
	q += 16;
	memcpy(q, "\0\0\x1c\x20\0\0\x2a\x30", 8);
	q += 8;
	memcpy(q, "\0\x0d\0\2\0\0", 6);
	q += 6;
	memcpy(q, "\0\x0d\0\4\0\2no", 8); /* the IA's own status */
	q += 8;
	hdr(&p, DHCP6_REPLY, 7);
	opt(&p, D6O_IA_NA, ia, (size_t)(q - ia));
	opt(&p, D6O_IA_NA, ia, 12);
	opt(&p, D6O_STATUS_CODE, "\0\0ok", 4);
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	ck_assert_int_eq(m.n_ia_na, 2);
	const struct dhcp6_ia_na *a = &m.ia_na[0];
	ck_assert_uint_eq(a->iaid, 42);
	ck_assert_uint_eq(a->t1, 3600);
	ck_assert_uint_eq(a->t2, 5400);
	ck_assert_int_eq(a->n_addrs, 1);
	ck_assert_uint_eq(a->addrs[0].preferred, 7200);
	ck_assert_uint_eq(a->addrs[0].valid, 10800);
	ck_assert_int_eq(a->addrs[0].addr[15], 5);
	ck_assert(a->addrs[0].status.present);
	ck_assert(a->status.present);
	ck_assert_int_eq(a->status.code, DHCP6_ST_NO_ADDRS_AVAIL);
	ck_assert_uint_eq(a->status.msg.len, 2);
	ck_assert(m.status.present);
	ck_assert_int_eq(m.status.code, 0);
	/* More IAs, addresses and ORO codes than kept: truncated, not errors. */
	hdr(&p, DHCP6_SOLICIT, 7);
	for (int i = 0; i < DHCP6_MAX_IA + 2; i++)
		opt(&p, D6O_IA_NA, ia, 12);
	uint8_t oro[2 * (DHCP6_MAX_ORO + 5)] = {0};
	opt(&p, D6O_ORO, oro, sizeof(oro));
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	ck_assert_int_eq(m.n_ia_na, DHCP6_MAX_IA);
	ck_assert(m.ia_na_truncated);
	ck_assert_int_eq(m.n_oro, DHCP6_MAX_ORO);
	ck_assert(m.oro_truncated);
}
END_TEST

/* Wrap inner (a whole message) in a RELAY-FORW with hop count hop. */
static void relay_forw(struct pkt *out, const struct pkt *inner, uint8_t hop, uint8_t kind,
		       const char *ifid, bool lladdr)
{
	uint8_t h[34] = {kind, hop, 0x20, 0x01, 0x0d, 0xb8};
	h[17] = hop;  /* link 2001:db8::HOP */
	h[18] = 0xfe; /* peer fe80::… */
	h[19] = 0x80;
	h[33] = (uint8_t)(hop + 1);
	out->n = 0;
	put(out, h, sizeof(h));
	if (ifid)
		opt(out, D6O_INTERFACE_ID, ifid, strlen(ifid));
	if (lladdr)
		opt(out, D6O_CLIENT_LINKLAYER_ADDR, "\0\1\x02\0\0\0\0\x99", 8);
	opt(out, D6O_RELAY_MSG, inner->b, inner->n);
}

START_TEST(test_parse_relay)
{
	static struct pkt c, r1, r2;
	edk2_solicit(&c, 16, "HTTPClient:Arch:00016:UNDI:003000");
	relay_forw(&r1, &c, 0, DHCP6_RELAY_FORW, "eth7", true);
	relay_forw(&r2, &r1, 1, DHCP6_RELAY_FORW, NULL, false);
	ck_assert_int_eq(dhcp6_parse(r2.b, r2.n, &m), 0);
	ck_assert_int_eq(m.type, DHCP6_SOLICIT);
	ck_assert_uint_eq(m.xid, 0xabcdef);
	ck_assert_int_eq(m.n_relays, 2);
	ck_assert_int_eq(m.relays[0].hop_count, 1);
	ck_assert_ptr_null(m.relays[0].interface_id.data);
	ck_assert_int_eq(m.relays[1].hop_count, 0);
	ck_assert_uint_eq(m.relays[1].interface_id.len, 4);
	ck_assert(!memcmp(m.relays[1].interface_id.data, "eth7", 4));
	ck_assert(m.relays[1].has_lladdr);
	ck_assert_uint_eq(m.body.len, c.n);
	ck_assert(!memcmp(m.body.data, c.b, c.n));
	/* Option 79 from the first-hop relay beats the DUID's MAC. */
	uint8_t mac[6];
	ck_assert(dhcp6_client_mac(&m, mac));
	ck_assert(!memcmp(mac, "\x02\0\0\0\0\x99", 6));

	/* A relay without a relay message, a short relay header, a short
	 * option 79, mixed relay kinds, an empty relay message. */
	r1.n = 34;
	ck_assert_int_eq(dhcp6_parse(r1.b, r1.n, &m), -EINVAL);
	ck_assert_int_eq(m.bad_code, D6O_RELAY_MSG);
	ck_assert_int_eq(dhcp6_parse(r1.b, 33, &m), -EINVAL);
	opt(&r1, D6O_CLIENT_LINKLAYER_ADDR, "\0", 1);
	ck_assert_int_eq(dhcp6_parse(r1.b, r1.n, &m), -EINVAL);
	ck_assert_int_eq(m.bad_code, D6O_CLIENT_LINKLAYER_ADDR);
	relay_forw(&r1, &c, 0, DHCP6_RELAY_REPL, NULL, false);
	relay_forw(&r2, &r1, 1, DHCP6_RELAY_FORW, NULL, false);
	ck_assert_int_eq(dhcp6_parse(r2.b, r2.n, &m), -EINVAL);
	c.n = 0;
	relay_forw(&r1, &c, 0, DHCP6_RELAY_FORW, NULL, false);
	ck_assert_int_eq(dhcp6_parse(r1.b, r1.n, &m), -EINVAL);
}
END_TEST

/* Nesting: hop counts 0..8 reach the server (RFC 8415 §7.6, §19.1.1:
 * HOP_COUNT_LIMIT 8), so 9 layers parse and a 10th is a loop. */
START_TEST(test_parse_relay_depth)
{
	static struct pkt a, b;
	struct pkt *cur = &a, *next = &b;
	ipxe_solicit(cur);
	for (int hop = 0; hop < DHCP6_MAX_RELAYS; hop++) {
		relay_forw(next, cur, (uint8_t)hop, DHCP6_RELAY_FORW, "x", false);
		struct pkt *t = cur;
		cur = next;
		next = t;
	}
	ck_assert_int_eq(dhcp6_parse(cur->b, cur->n, &m), 0);
	ck_assert_int_eq(m.n_relays, DHCP6_MAX_RELAYS);
	ck_assert_int_eq(m.relays[0].hop_count, DHCP6_HOP_COUNT_LIMIT);
	relay_forw(next, cur, DHCP6_MAX_RELAYS, DHCP6_RELAY_FORW, NULL, false);
	ck_assert_int_eq(dhcp6_parse(next->b, next->n, &m), -ELOOP);
}
END_TEST

struct duid_case {
	const char *what;
	const char *duid;
	size_t len;
	int type;
	bool has_mac;
};

static const struct duid_case duid_cases[] = {
	{"empty", "", 0, 0, false},
	{"one byte", "\0", 1, 0, false},
	{"LLT ethernet", "\0\1\0\1\1\2\3\4\x52\x54\0\x12\x34\x56", 14, 1, true},
	{"LLT short", "\0\1\0\1\1\2\3\4\x52\x54\0\x12\x34", 13, 1, false},
	{"LLT hw type 6", "\0\1\0\6\1\2\3\4\x52\x54\0\x12\x34\x56", 14, 1, false},
	{"EN", "\0\2\0\0\x01\x57\1\2\3", 9, 2, false},
	{"LL ethernet", "\0\3\0\1\x52\x54\0\x12\x34\x56", 10, 3, true},
	{"LL long", "\0\3\0\1\x52\x54\0\x12\x34\x56\0", 11, 3, false},
	{"UUID", "\0\4\1\2\3\4\5\6\7\x8\x9\xa\xb\xc\xd\xe\xf\x10", 18, 4, false},
};

START_TEST(test_duid)
{
	const struct duid_case *c = &duid_cases[_i];
	uint8_t mac[6];
	const uint8_t *d = (const uint8_t *)c->duid;
	ck_assert_msg(dhcp6_duid_type(d, c->len) == c->type, "%s", c->what);
	ck_assert_msg(dhcp6_duid_mac(d, c->len, mac) == c->has_mac, "%s", c->what);
	if (c->has_mac)
		ck_assert(!memcmp(mac, MAC_QEMU, 6));
}
END_TEST

static const uint8_t srv_duid[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 1};

/* The ADVERTISE an HTTP Boot client needs (issue 15): everything the
 * builder can put in. Returns its length or -ENOSPC. */
static int build_advertise(uint8_t *buf, size_t cap, const struct dhcp6_msg *req)
{
	struct dhcp6_builder b;
	struct dhcp6_iaaddr a = {.preferred = 3600, .valid = 7200};
	static const uint8_t dns[2][16] = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1},
					   {0x20, 0x01, 0x0d, 0xb8, [15] = 2}};
	static const char *const params[] = {"console=ttyS0", "", "ip=dhcp"};
	static const char *const vc[] = {"HTTPClient"};
	memcpy(a.addr, dns[0], 16);
	a.addr[15] = 0x64;
	if (dhcp6_build_start(&b, buf, cap, DHCP6_ADVERTISE, req->xid) < 0)
		return -ENOSPC;
	dhcp6_build_opt(&b, D6O_SERVERID, srv_duid, sizeof(srv_duid));
	dhcp6_build_opt(&b, D6O_CLIENTID, req->client_id.data, req->client_id.len);
	dhcp6_build_ia_na(&b, req->ia_na[0].iaid, 1800, 2880, &a, 1, 0, NULL);
	dhcp6_build_ia_na(&b, 99, 0, 0, NULL, 0, DHCP6_ST_NO_ADDRS_AVAIL, "pool empty");
	dhcp6_build_u8(&b, D6O_PREFERENCE, 255);
	dhcp6_build_opt(&b, D6O_BOOTFILE_URL, "http://[2001:db8::1]/efi", 24);
	dhcp6_build_items(&b, D6O_BOOTFILE_PARAM, false, 0, params, 3);
	dhcp6_build_items(&b, D6O_VENDOR_CLASS, true, DHCP6_ENTERPRISE_INTEL, vc, 1);
	dhcp6_build_addrs(&b, D6O_DNS_SERVERS, dns, 2);
	dhcp6_build_opt(&b, D6O_RAPID_COMMIT, NULL, 0);
	dhcp6_build_status(&b, DHCP6_ST_SUCCESS, "");
	return dhcp6_build_finish(&b);
}

START_TEST(test_build_round_trip)
{
	struct pkt p;
	static uint8_t out[DHCP6_MAX_MSG];
	edk2_solicit(&p, 16, "HTTPClient:Arch:00016:UNDI:003000");
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	int n = build_advertise(out, sizeof(out), &m);
	ck_assert_int_gt(n, 0);
	ck_assert_int_eq(dhcp6_parse(out, (size_t)n, &back), 0);
	ck_assert_int_eq(back.type, DHCP6_ADVERTISE);
	ck_assert_uint_eq(back.xid, 0xabcdef);
	ck_assert_uint_eq(back.server_id.len, sizeof(srv_duid));
	ck_assert_uint_eq(back.client_id.len, m.client_id.len);
	ck_assert(!memcmp(back.client_id.data, m.client_id.data, m.client_id.len));
	ck_assert_int_eq(back.n_ia_na, 2);
	ck_assert_uint_eq(back.ia_na[0].iaid, 1);
	ck_assert_uint_eq(back.ia_na[0].t1, 1800);
	ck_assert_int_eq(back.ia_na[0].n_addrs, 1);
	ck_assert_uint_eq(back.ia_na[0].addrs[0].valid, 7200);
	ck_assert(!back.ia_na[0].status.present);
	ck_assert_int_eq(back.ia_na[1].n_addrs, 0);
	ck_assert_int_eq(back.ia_na[1].status.code, DHCP6_ST_NO_ADDRS_AVAIL);
	ck_assert_uint_eq(back.ia_na[1].status.msg.len, 10);
	ck_assert(back.has_preference && back.preference == 255);
	ck_assert_uint_eq(back.bootfile_url.len, 24);
	ck_assert_uint_eq(back.bootfile_param.len, 2 + 13 + 2 + 2 + 7);
	ck_assert(back.rapid_commit);
	ck_assert(back.status.present && back.status.code == 0);
	/* Option 16 for HTTP Boot: 16 bytes, "HTTPClient" at data offset 6
	 * (enterprise 343, item length 10), as EDK2 checks. */
	ck_assert(back.has_vendor_class);
	const uint8_t *vc = back.vendor_class.data - 4;
	ck_assert_uint_eq(back.vendor_class.len + 4, 16);
	ck_assert(!memcmp(vc, "\0\0\x01\x57\0\x0aHTTPClient", 16));
	ck_assert_int_eq(vc[-3], 16); /* the option's length field */
	/* DNS: two addresses. */
	size_t off = 4;
	uint16_t code;
	struct dhcp6_bytes v;
	bool dns = false;
	while (dhcp6_opt_next(out, (size_t)n, &off, &code, &v) > 0)
		if (code == D6O_DNS_SERVERS)
			dns = v.len == 32 && v.data[31] == 2;
	ck_assert(dns);
}
END_TEST

/* Every buffer shorter than the reply: -ENOSPC and no byte written past
 * it (a guard pattern after cap). */
START_TEST(test_build_enospc)
{
	struct pkt p;
	static uint8_t out[DHCP6_MAX_MSG + 64];
	edk2_solicit(&p, 16, "HTTPClient:Arch:00016:UNDI:003000");
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	int full = build_advertise(out, DHCP6_MAX_MSG, &m);
	ck_assert_int_gt(full, 0);
	for (size_t cap = 0; cap <= (size_t)full; cap++) {
		memset(out, 0xa5, sizeof(out));
		int n = build_advertise(out, cap, &m);
		ck_assert_int_eq(n, cap == (size_t)full ? full : -ENOSPC);
		for (size_t i = cap; i < cap + 64; i++)
			ck_assert_msg(out[i] == 0xa5, "cap %zu: byte %zu written", cap, i);
	}
	/* A status message too long for the buffer and an over-deep nesting
	 * are refused. */
	struct dhcp6_builder b;
	char longmsg[DHCP6_MAX_MSG + 2];
	memset(longmsg, 'x', sizeof(longmsg) - 1);
	longmsg[sizeof(longmsg) - 1] = '\0';
	ck_assert_int_eq(dhcp6_build_start(&b, out, sizeof(out), DHCP6_REPLY, 1), 0);
	ck_assert_int_eq(dhcp6_build_ia_na(&b, 1, 0, 0, NULL, 0, 2, longmsg), -ENOSPC);
	for (int i = 0; i < DHCP6_BUILD_DEPTH; i++)
		ck_assert_int_eq(dhcp6_build_open(&b, 3, NULL, 0), 0);
	ck_assert_int_eq(dhcp6_build_open(&b, 3, NULL, 0), -EINVAL);
	ck_assert_int_eq(dhcp6_build_ia_na(&b, 1, 0, 0, NULL, 0, 2, "x"), -EINVAL);
	ck_assert_int_eq(dhcp6_build_finish(&b), -ENOSPC); /* the refused IA_NA */
	/* A long status message is not cut (§21.13 sets no limit). */
	longmsg[300] = '\0';
	ck_assert_int_eq(dhcp6_build_start(&b, out, DHCP6_MAX_MSG, DHCP6_REPLY, 1), 0);
	ck_assert_int_eq(dhcp6_build_status(&b, DHCP6_ST_UNSPEC_FAIL, longmsg), 0);
	int n = dhcp6_build_finish(&b);
	ck_assert_int_eq(n, 4 + 4 + 2 + 300);
	ck_assert_int_eq(dhcp6_parse(out, (size_t)n, &back), 0);
	ck_assert_uint_eq(back.status.msg.len, 300);
	ck_assert_int_eq(back.status.code, DHCP6_ST_UNSPEC_FAIL);
}
END_TEST

START_TEST(test_wrap_relay_reply)
{
	static struct pkt c, r1, r2;
	static uint8_t reply[DHCP6_MAX_MSG], out[DHCP6_MAX_MSG];
	ipxe_solicit(&c);
	relay_forw(&r1, &c, 0, DHCP6_RELAY_FORW, "port-12", true);
	relay_forw(&r2, &r1, 1, DHCP6_RELAY_FORW, "uplink", false);
	ck_assert_int_eq(dhcp6_parse(r2.b, r2.n, &m), 0);
	int n = build_advertise(reply, sizeof(reply), &m);
	ck_assert_int_gt(n, 0);
	int w = dhcp6_wrap_relay_reply(&m, reply, (size_t)n, out, sizeof(out));
	/* two headers, two relay-msg options, interface-ids of 7 and 6 */
	ck_assert_int_eq(w, n + 2 * (34 + 4) + (4 + 7) + (4 + 6));
	ck_assert_int_eq(out[0], DHCP6_RELAY_REPL);
	ck_assert_int_eq(dhcp6_parse(out, (size_t)w, &back), 0);
	ck_assert_int_eq(back.type, DHCP6_ADVERTISE);
	ck_assert_int_eq(back.n_relays, 2);
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(back.relays[i].type, DHCP6_RELAY_REPL);
		ck_assert_int_eq(back.relays[i].hop_count, m.relays[i].hop_count);
		ck_assert(!memcmp(back.relays[i].link, m.relays[i].link, 16));
		ck_assert(!memcmp(back.relays[i].peer, m.relays[i].peer, 16));
		ck_assert_uint_eq(back.relays[i].interface_id.len, m.relays[i].interface_id.len);
		ck_assert(!memcmp(back.relays[i].interface_id.data, m.relays[i].interface_id.data,
				  m.relays[i].interface_id.len));
		ck_assert(!back.relays[i].has_lladdr); /* 79 is not echoed */
	}
	ck_assert_uint_eq(back.body.len, (size_t)n);
	ck_assert(!memcmp(back.body.data, reply, (size_t)n));
	/* In place: the reply at the start of the output buffer. */
	memcpy(out, reply, (size_t)n);
	ck_assert_int_eq(dhcp6_wrap_relay_reply(&m, out, (size_t)n, out, sizeof(out)), w);
	ck_assert_int_eq(dhcp6_parse(out, (size_t)w, &back), 0);
	ck_assert(!memcmp(back.body.data, reply, (size_t)n));
	/* Too small: refused, nothing written. */
	memset(out, 0xa5, sizeof(out));
	ck_assert_int_eq(dhcp6_wrap_relay_reply(&m, reply, (size_t)n, out, (size_t)w - 1), -ENOSPC);
	ck_assert_int_eq(out[0], 0xa5);
	/* No relays: the reply as it is. */
	ck_assert_int_eq(dhcp6_parse(c.b, c.n, &m), 0);
	ck_assert_int_eq(dhcp6_wrap_relay_reply(&m, reply, (size_t)n, out, sizeof(out)), n);
	ck_assert(!memcmp(out, reply, (size_t)n));
}
END_TEST

/* The mapping onto dhcp_pxe_raw: client.c, unchanged, classifies the
 * firmware the issue captured. */
START_TEST(test_pxe_classify)
{
	struct pkt p;
	struct dhcp_pxe_raw raw;
	struct dhcp6_pxe_scratch s;
	struct dhcp_pxe_client c;

	edk2_solicit(&p, 7, "PXEClient:Arch:00007:UNDI:003000");
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	ck_assert(c.pxe_client && !c.http_client && !c.is_ipxe);
	ck_assert_str_eq(c.vendor_class, "PXEClient:Arch:00007:UNDI:003000");
	ck_assert(c.arch_known && c.arch == 7 && c.is_uefi && !c.is_http);
	ck_assert(c.has_ndi && c.ndi[0] == 1 && c.ndi[1] == 3 && c.ndi[2] == 0);
	ck_assert_int_eq(c.mac_len, 6);
	ck_assert(!memcmp(c.mac, MAC_QEMU, 6));
	ck_assert_uint_eq(c.malformed, 0);
	ck_assert_str_eq(dhcp_pxe_client_class(&c), "pxe");

	edk2_solicit(&p, 16, "HTTPClient:Arch:00016:UNDI:003000");
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	ck_assert(c.http_client && c.is_http && c.arch == 16);
	ck_assert_str_eq(dhcp_pxe_reply_vendor_class(&c), "HTTPClient");
	ck_assert_str_eq(dhcp_pxe_client_class(&c), "http");

	ipxe_solicit(&p);
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	ck_assert(c.is_ipxe && c.pxe_client);
	ck_assert(dhcp_pxe_client_user_class_is(&c, "iPXE"));
	ck_assert_uint_eq(c.user_class_len, 5); /* RFC 3004 form: 4 "iPXE" */
	ck_assert(c.has_uuid && c.uuid[0] == 0x11 && c.uuid[15] == 0x00);
	ck_assert_int_eq(c.mac_len, 0); /* a DUID-UUID carries no MAC */
	ck_assert_str_eq(dhcp_pxe_client_class(&c), "ipxe");
	ck_assert_uint_eq(c.malformed, 0);

	/* A bare SOLICIT: nothing PXE. */
	hdr(&p, DHCP6_SOLICIT, 5);
	opt(&p, D6O_CLIENTID, "\0\2\0\0\0\1x", 7);
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	ck_assert(!c.has_vendor_class && !c.has_user_class && !c.arch_known);
	ck_assert_str_eq(dhcp_pxe_client_class(&c), "dhcp");

	/* Several user class items and an empty vendor class. */
	uint8_t v[32];
	size_t k = item(v, 0, "foo");
	k = item(v, k, "iPXE");
	hdr(&p, DHCP6_SOLICIT, 5);
	opt(&p, D6O_USER_CLASS, v, k);
	opt(&p, D6O_VENDOR_CLASS, "\0\0\x01\x57", 4);
	ck_assert_int_eq(dhcp6_parse(p.b, p.n, &m), 0);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	ck_assert(c.is_ipxe);
	ck_assert(c.has_vendor_class && (c.malformed & DHCP_PXE_BAD_VC));
}
END_TEST

UNIT_SUITE(dhcp6_wire)
{
	Suite *s = suite_create("dhcp6_wire");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_edk2_solicit);
	tcase_add_loop_test(tc, test_parse_options, 0, sizeof(opt_cases) / sizeof(opt_cases[0]));
	tcase_add_test(tc, test_parse_truncation);
	tcase_add_test(tc, test_parse_ia_na_nested);
	tcase_add_test(tc, test_parse_relay);
	tcase_add_test(tc, test_parse_relay_depth);
	tcase_add_loop_test(tc, test_duid, 0, sizeof(duid_cases) / sizeof(duid_cases[0]));
	tcase_add_test(tc, test_build_round_trip);
	tcase_add_test(tc, test_build_enospc);
	tcase_add_test(tc, test_wrap_relay_reply);
	tcase_add_test(tc, test_pxe_classify);
	suite_add_tcase(s, tc);
	return s;
}
