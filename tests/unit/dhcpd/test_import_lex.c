/* SPDX-License-Identifier: MIT */
/* dhcpd/import/dnsmasq_lex.c: one dnsmasq line -> name and fields. */
#include <string.h>

#include "import/dnsmasq_lex.h"
#include "unit.h"

static int lex(const char *text, struct dnsm_line *l, char *err)
{
	return dnsm_lex(text, strlen(text), "a.conf", 7, l, err, 256);
}

START_TEST(test_fields)
{
	struct dnsm_line l;
	char err[256];
	ck_assert_int_eq(lex("dhcp-boot=tag:efi,ipxe.efi,,198.18.0.1", &l, err), 1);
	ck_assert_str_eq(l.name, "dhcp-boot");
	ck_assert_int_eq(l.nfields, 4);
	ck_assert_str_eq(l.fields[0], "tag:efi");
	ck_assert_str_eq(l.fields[2], "");
	ck_assert_str_eq(l.fields[3], "198.18.0.1");
	ck_assert_str_eq(l.at.file, "a.conf");
	ck_assert_int_eq(l.at.line, 7);
	ck_assert_int_eq(lex("  enable-tftp  ", &l, err), 1);
	ck_assert_str_eq(l.name, "enable-tftp");
	ck_assert(!l.has_value);
	ck_assert_int_eq(lex("--dhcp-range=198.18.0.10,198.18.0.20", &l, err), 1);
	ck_assert_str_eq(l.name, "dhcp-range");
	ck_assert_int_eq(l.nfields, 2);
	ck_assert_int_eq(lex("dhcp-option = 3 , 198.18.0.1", &l, err), 1);
	ck_assert_str_eq(l.name, "dhcp-option");
	ck_assert_str_eq(l.fields[0], "3");
	ck_assert_str_eq(l.fields[1], "198.18.0.1");
}
END_TEST

START_TEST(test_quotes_comments)
{
	struct dnsm_line l;
	char err[256];
	ck_assert_int_eq(lex("pxe-service=x86PC,\"Boot, from #net\",pxelinux", &l, err), 1);
	ck_assert_int_eq(l.nfields, 3);
	ck_assert_str_eq(l.fields[1], "Boot, from #net");
	ck_assert_int_eq(lex("dhcp-match=set:ipxe,175 # iPXE sends 175", &l, err), 1);
	ck_assert_int_eq(l.nfields, 2);
	ck_assert_str_eq(l.fields[1], "175");
	/* '#' not after blank space is data: the legacy negation */
	ck_assert_int_eq(lex("dhcp-boot=tag:#ipxe,undionly.kpxe", &l, err), 1);
	ck_assert_str_eq(l.fields[0], "tag:#ipxe");
	ck_assert_int_eq(lex("pxe-prompt=\"say \\\"hi\\\"\",5", &l, err), 1);
	ck_assert_str_eq(l.fields[0], "say \"hi\"");
	ck_assert_int_eq(lex("# only a comment", &l, err), 0);
	ck_assert_int_eq(lex("   ", &l, err), 0);
	ck_assert_int_eq(lex("", &l, err), 0);
}
END_TEST

START_TEST(test_errors)
{
	struct dnsm_line l;
	char err[256];
	ck_assert_int_eq(lex("pxe-prompt=\"unterminated,5", &l, err), -1);
	ck_assert_str_eq(err, "a.conf:7: unterminated quote");
	ck_assert_int_eq(lex("=value", &l, err), -1);
	ck_assert_str_eq(err, "a.conf:7: expected an option name");
	ck_assert_int_eq(
		lex("a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,1,2,3,4,5,6,7,8", &l, err),
		-1);
	ck_assert_str_eq(err, "a.conf:7: expected an option name");
	ck_assert_int_eq(
		lex("x=a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u,v,w,x,y,z,1,2,3,4,5,6,7,8", &l,
		    err),
		-1);
	ck_assert_str_eq(err, "a.conf:7: too many comma-separated fields");
	char big[DNSM_LINE_MAX + 10];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	ck_assert_int_eq(lex(big, &l, err), -1);
	ck_assert_str_eq(err, "a.conf:7: line too long");
}
END_TEST

UNIT_SUITE(import_lex)
{
	Suite *s = suite_create("import_lex");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fields);
	tcase_add_test(tc, test_quotes_comments);
	tcase_add_test(tc, test_errors);
	suite_add_tcase(s, tc);
	return s;
}
