/* SPDX-License-Identifier: MIT */
/* dhcpd/ifaces6.c's pure look-up: which [subnet6] a link is on and which
 * of our addresses there ${server} names. A SLAAC address in the boot
 * prefix (the host saw another router's RA) must not win over the static
 * one the TFTP and HTTP servers are bound to. */
#include <arpa/inet.h>

#include "config.h"
#include "ifaces6.h"
#include "fixture.h"
#include "unit.h"

static char *dir;
static struct pxe_config conf;

static void setup(void)
{
	dir = unit_tmpdir();
	dhcp_fixture_load(dir,
			  "[subnet6 fd00:198:18:1::/64]\n"
			  "range = fd00:198:18:1::100-fd00:198:18:1::1ff\n",
			  &conf);
}

static void teardown(void)
{
	pxe_config_free(&conf);
	unit_tmpdir_remove(dir);
}

static struct dhcp6_ifaddr addr(int ifindex, const char *a, bool permanent)
{
	struct dhcp6_ifaddr e = {.ifindex = ifindex, .plen = 64, .permanent = permanent};
	ck_assert_int_eq(inet_pton(AF_INET6, a, e.addr), 1);
	return e;
}

/* look (ADDRS) on link 2: the subnet found and the address chosen */
static const struct dhcp_subnet6 *look(struct dhcp6_ifaddr *a, size_t n, char *ip)
{
	struct dhcp6_iflist l = {.a = a, .n = n};
	uint8_t server[16];
	bool has = false;
	const struct dhcp_subnet6 *s = dhcp6_link_subnet(conf.cfg, &l, 2, server, &has);
	ip[0] = '\0';
	if (has)
		inet_ntop(AF_INET6, server, ip, INET6_ADDRSTRLEN);
	return s;
}

START_TEST(test_permanent_before_slaac)
{
	char ip[INET6_ADDRSTRLEN];
	struct dhcp6_ifaddr a[] = {addr(2, "fd00:198:18:1:481e:80ff:fe10:d728", false),
				   addr(2, "fd00:198:18:1::1", true)};
	ck_assert_ptr_nonnull(look(a, 2, ip));
	ck_assert_str_eq(ip, "fd00:198:18:1::1");
	/* the order getifaddrs gives does not matter */
	struct dhcp6_ifaddr b[] = {a[1], a[0]};
	ck_assert_ptr_nonnull(look(b, 2, ip));
	ck_assert_str_eq(ip, "fd00:198:18:1::1");
}
END_TEST

START_TEST(test_in_prefix_first)
{
	char ip[INET6_ADDRSTRLEN];
	/* a permanent address outside every [subnet6] loses to a SLAAC one
	 * inside: the prefix says which link the clients are on */
	struct dhcp6_ifaddr a[] = {addr(2, "2001:db8::1", true),
				   addr(2, "fd00:198:18:1:5054:ff:fe00:1", false),
				   addr(3, "fd00:198:18:1::7", true)};
	ck_assert_ptr_nonnull(look(a, 3, ip));
	ck_assert_str_eq(ip, "fd00:198:18:1:5054:ff:fe00:1");
	/* no address in a prefix: no subnet, the permanent one for ${server} */
	struct dhcp6_ifaddr b[] = {addr(2, "2001:db8::99", false), addr(2, "2001:db8::1", true)};
	ck_assert_ptr_null(look(b, 2, ip));
	ck_assert_str_eq(ip, "2001:db8::1");
	/* two equal: the first, as getifaddrs lists them */
	struct dhcp6_ifaddr c[] = {addr(2, "fd00:198:18:1::1", true),
				   addr(2, "fd00:198:18:1::2", true)};
	ck_assert_ptr_nonnull(look(c, 2, ip));
	ck_assert_str_eq(ip, "fd00:198:18:1::1");
	/* nothing on link 2 */
	ck_assert_ptr_null(look(c, 0, ip));
	ck_assert_str_eq(ip, "");
}
END_TEST

UNIT_SUITE(dhcp6_ifaces)
{
	Suite *s = suite_create("dhcp6_ifaces");
	TCase *tc = tcase_create("core");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_permanent_before_slaac);
	tcase_add_test(tc, test_in_prefix_first);
	suite_add_tcase(s, tc);
	return s;
}
