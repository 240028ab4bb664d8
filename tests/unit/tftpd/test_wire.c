/* SPDX-License-Identifier: MIT */
/* tftpd/wire.c and tftpd/options.c: packets and negotiation, table-driven. */
#include <errno.h>
#include <string.h>

#include "unit.h"
#include "options.h"
#include "wire.h"

/* Build a request from NUL-separated text: P("\0\1" "file\0octet\0") */
#define PKT(s) ((const uint8_t *)(s)), (sizeof(s) - 1)

static const struct {
	const char *name;
	const char *buf;
	size_t len;
	int rc;
	int op;
	const char *file;
	int mode;
	size_t nopts;
} req_cases[] = {
	{"rrq octet", "\0\1a.bin\0octet\0", 15, 0, TFTP_RRQ, "a.bin", TFTP_MODE_OCTET, 0},
	{"wrq netascii", "\0\2x\0NetASCII\0", 13, 0, TFTP_WRQ, "x", TFTP_MODE_NETASCII, 0},
	{"mode case", "\0\1x\0OCTET\0", 10, 0, TFTP_RRQ, "x", TFTP_MODE_OCTET, 0},
	{"mail refused", "\0\1x\0mail\0", 9, -ENOTSUP, TFTP_RRQ, NULL, 0, 0},
	{"no mode", "\0\1x\0", 4, -EINVAL, TFTP_RRQ, NULL, 0, 0},
	{"mode unterminated", "\0\1x\0octet", 9, -EINVAL, TFTP_RRQ, NULL, 0, 0},
	{"empty name", "\0\1\0octet\0", 9, -EINVAL, TFTP_RRQ, NULL, 0, 0},
	{"no name terminator", "\0\1abc", 5, -EINVAL, TFTP_RRQ, NULL, 0, 0},
	{"too short", "\0", 1, -EINVAL, 0, NULL, 0, 0},
	{"not a request", "\0\4\0\1", 4, -ENOTSUP, 0, NULL, 0, 0},
	{"two options", "\0\1f\0octet\0blksize\0001468\0tsize\0000\0", 31, 0, TFTP_RRQ, "f",
	 TFTP_MODE_OCTET, 2},
	/* Apple OpenFirmware: trailing garbage after the last option */
	{"trailing garbage", "\0\1f\0octet\0tsize\0000\0junk", 22, 0, TFTP_RRQ, "f",
	 TFTP_MODE_OCTET, 1},
	{"option without value", "\0\1f\0octet\0blksize\0", 18, 0, TFTP_RRQ, "f", TFTP_MODE_OCTET,
	 0},
};

START_TEST(test_parse_req)
{
	for (size_t i = 0; i < sizeof(req_cases) / sizeof(req_cases[0]); i++) {
		struct tftp_req r;
		int rc = tftp_parse_req((const uint8_t *)req_cases[i].buf, req_cases[i].len, &r);
		ck_assert_msg(rc == req_cases[i].rc, "%s: rc %d", req_cases[i].name, rc);
		if (rc)
			continue;
		ck_assert_int_eq(r.op, req_cases[i].op);
		ck_assert_str_eq(r.filename, req_cases[i].file);
		ck_assert_int_eq(r.mode, req_cases[i].mode);
		ck_assert_msg(r.nopts == req_cases[i].nopts, "%s: nopts %zu", req_cases[i].name,
			      r.nopts);
	}
}
END_TEST

START_TEST(test_opt_case_insensitive)
{
	struct tftp_req r;
	ck_assert_int_eq(tftp_parse_req(PKT("\0\1f\0octet\0BlkSize\0001024\0"), &r), 0);
	const struct tftp_opt *o = tftp_req_opt(&r, "blksize");
	ck_assert_ptr_nonnull(o);
	ck_assert_int_eq(o->value_len, 4);
	ck_assert_ptr_null(tftp_req_opt(&r, "tsize"));
}
END_TEST

START_TEST(test_parse_pkt)
{
	struct tftp_pkt p;
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\4\xff\xff"), &p), 0);
	ck_assert_int_eq(p.op, TFTP_ACK);
	ck_assert_int_eq(p.block, 65535);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\3\0\1abc"), &p), 0);
	ck_assert_int_eq(p.op, TFTP_DATA);
	ck_assert_int_eq(p.data_len, 3);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\5\0\10no\0"), &p), 0);
	ck_assert_int_eq(p.errcode, 8);
	ck_assert_int_eq(p.errmsg_len, 2);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\5\0\10unterminated"), &p), 0);
	ck_assert_int_eq(p.errmsg_len, 12);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\4\0"), &p), -EINVAL);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0\11\0\0"), &p), -EINVAL);
	ck_assert_int_eq(tftp_parse_pkt(PKT("\0"), &p), -EINVAL);
}
END_TEST

START_TEST(test_build)
{
	uint8_t b[64];
	ck_assert_int_eq(tftp_build_ack(b, sizeof(b), 258), 4);
	ck_assert_mem_eq(b, "\0\4\1\2", 4);
	ck_assert_int_eq(tftp_build_ack(b, 3, 1), 0);
	size_t n = tftp_build_error(b, sizeof(b), TFTP_ENOTFOUND, NULL);
	ck_assert_int_eq(n, 4 + strlen("File not found") + 1);
	ck_assert_mem_eq(b, "\0\5\0\1File not found\0", n);
	n = tftp_build_error(b, 8, TFTP_EUNDEF, "a long message");
	ck_assert_int_eq(n, 8);
	ck_assert_int_eq(b[7], 0);
	struct tftp_oack_item it[2] = {{"blksize", "1468"}, {"tsize", "42"}};
	n = tftp_build_oack(b, sizeof(b), it, 2);
	ck_assert_mem_eq(b, "\0\6blksize\0001468\0tsize\00042\0", n);
	ck_assert_int_eq(tftp_build_oack(b, 10, it, 2), 0);
}
END_TEST

/* ------------------------------------------------------------ options */

static const struct tftp_limits lim = {.blksize_max = 1468, .windowsize_max = 64};

static void neg(const char *buf, size_t len, const struct tftp_limits *l, uint64_t size,
		struct tftp_neg *n)
{
	struct tftp_req r;
	ck_assert_int_eq(tftp_parse_req((const uint8_t *)buf, len, &r), 0);
	tftp_negotiate(&r, l, size, n);
}

static const char *oack_val(const struct tftp_neg *n, const char *name)
{
	for (size_t i = 0; i < n->noack; i++)
		if (!strcmp(n->oack[i].name, name))
			return n->oack[i].value;
	return NULL;
}

static const struct {
	const char *name, *buf;
	size_t len;
	uint32_t blksize, windowsize, timeout;
	const char *oack_blk, *oack_win, *oack_tsize, *oack_timeout;
} neg_cases[] = {
#define R(opts) "\0\1f\0octet\0" opts, sizeof("\0\1f\0octet\0" opts) - 1
	{"none", R(""), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"blksize 1024", R("blksize\0001024\0"), 1024, 1, 0, "1024", NULL, NULL, NULL},
	{"blksize clamp", R("blksize\00065464\0"), 1468, 1, 0, "1468", NULL, NULL, NULL},
	{"blksize 8", R("blksize\0008\0"), 8, 1, 0, "8", NULL, NULL, NULL},
	{"blksize 7 ignored", R("blksize\0007\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"blksize huge", R("blksize\0009999999999\0"), 1468, 1, 0, "1468", NULL, NULL, NULL},
	{"blksize junk", R("blksize\00012a\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"blksize empty", R("blksize\0\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"timeout 1", R("timeout\0001\0"), 512, 1, 1, NULL, NULL, NULL, "1"},
	{"timeout 255", R("timeout\000255\0"), 512, 1, 255, NULL, NULL, NULL, "255"},
	{"timeout 0", R("timeout\0000\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"timeout 256", R("timeout\000256\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"tsize", R("tsize\0000\0"), 512, 1, 0, NULL, NULL, "5000000000", NULL},
	{"window 16", R("windowsize\00016\0"), 512, 16, 0, NULL, "16", NULL, NULL},
	{"window 1", R("windowsize\0001\0"), 512, 1, 0, NULL, "1", NULL, NULL},
	{"window 0", R("windowsize\0000\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"window clamp", R("windowsize\00065535\0"), 512, 64, 0, NULL, "64", NULL, NULL},
	{"window 70000", R("windowsize\00070000\0"), 512, 64, 0, NULL, "64", NULL, NULL},
	{"unknown ignored", R("multicast\0\0foo\0bar\0"), 512, 1, 0, NULL, NULL, NULL, NULL},
	{"mixed case", R("TSIZE\0000\0BLKSIZE\0001400\0"), 1400, 1, 0, "1400", NULL, "5000000000",
	 NULL},
#undef R
};

START_TEST(test_negotiate)
{
	for (size_t i = 0; i < sizeof(neg_cases) / sizeof(neg_cases[0]); i++) {
		struct tftp_neg n;
		neg(neg_cases[i].buf, neg_cases[i].len, &lim, 5000000000ull, &n);
		const char *nm = neg_cases[i].name;
		ck_assert_msg(n.blksize == neg_cases[i].blksize, "%s: blksize %u", nm, n.blksize);
		ck_assert_msg(n.windowsize == neg_cases[i].windowsize, "%s: window", nm);
		ck_assert_msg(n.timeout_s == neg_cases[i].timeout, "%s: timeout", nm);
#define V(key, want)                                                                               \
	do {                                                                                       \
		const char *g = oack_val(&n, key);                                                 \
		ck_assert_msg((g == NULL) == ((want) == NULL) && (!g || !strcmp(g, want)),         \
			      "%s: oack %s = %s", nm, key, g ? g : "(none)");                      \
	} while (0)
		V("blksize", neg_cases[i].oack_blk);
		V("windowsize", neg_cases[i].oack_win);
		V("tsize", neg_cases[i].oack_tsize);
		V("timeout", neg_cases[i].oack_timeout);
#undef V
	}
}
END_TEST

START_TEST(test_negotiate_netascii_and_refuse)
{
	struct tftp_neg n;
	static const char na[] = "\0\1f\0netascii\0tsize\0000\0windowsize\0008\0blksize\0001024\0";
	neg(na, sizeof(na) - 1, &lim, 100, &n);
	ck_assert_ptr_null(oack_val(&n, "tsize"));
	ck_assert_ptr_null(oack_val(&n, "windowsize"));
	ck_assert_str_eq(oack_val(&n, "blksize"), "1024");
	ck_assert_int_eq(n.ask_tsize, 0);
	ck_assert_int_eq(n.ask_windowsize, 8);

	struct tftp_limits r = lim;
	r.refuse = TFTP_OPT_TSIZE | TFTP_OPT_BLKSIZE;
	static const char oc[] = "\0\1f\0octet\0tsize\0000\0blksize\0001024\0";
	neg(oc, sizeof(oc) - 1, &r, 100, &n);
	ck_assert_int_eq(n.noack, 0);
	ck_assert_int_eq(n.blksize, 512);
	ck_assert_int_eq(n.ask_blksize, 1024); /* still logged */

	static const char wrq[] = "\0\2f\0octet\0tsize\000777\0rollover\0001\0";
	neg(wrq, sizeof(wrq) - 1, &lim, 0, &n);
	ck_assert_str_eq(oack_val(&n, "tsize"), "777");
	ck_assert_int_eq(n.wrq_tsize, 777);
	ck_assert_int_eq(n.rollover, 1);
	ck_assert_int_eq(tftp_optbit_parse("windowsize"), TFTP_OPT_WINDOWSIZE);
	ck_assert_int_eq(tftp_optbit_parse("nope"), 0);
}
END_TEST

UNIT_SUITE(tftp_wire)
{
	Suite *s = suite_create("tftp_wire");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_parse_req);
	tcase_add_test(tc, test_opt_case_insensitive);
	tcase_add_test(tc, test_parse_pkt);
	tcase_add_test(tc, test_build);
	tcase_add_test(tc, test_negotiate);
	tcase_add_test(tc, test_negotiate_netascii_and_refuse);
	suite_add_tcase(s, tc);
	return s;
}
