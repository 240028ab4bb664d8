/* SPDX-License-Identifier: MIT */
/* The interface MTU that bounds blksize (tftpd/mtu.c) on a fake clock:
 * an answer is kept for a minute and then asked again, the oldest entry
 * makes room, and the limit follows dnsmasq's header arithmetic. The
 * interface asked for real is lo (ifindex 1 in every network namespace). */
#include <check.h>
#include <stdio.h>
#include <sys/socket.h>

#include "mtu.h"
#include "unit.h"
#include "wire.h"

#define LO     1
#define GONE   0x7ffffff0 /* no such interface */
#define SECOND 1000000ull
#define T0     (1000 * SECOND)

/* lo's MTU as the kernel reports it in sysfs, to compare with SIOCGIFMTU. */
static int lo_mtu(void)
{
	FILE *f = fopen("/sys/class/net/lo/mtu", "r");
	int mtu = 0;
	if (f) {
		if (fscanf(f, "%d", &mtu) != 1)
			mtu = 0;
		fclose(f);
	}
	return mtu;
}

/* The newest entry for ifindex, or NULL. */
static struct tftp_mtu_entry *entry_of(struct tftp_mtu_cache *c, int ifindex)
{
	struct tftp_mtu_entry *found = NULL;
	for (int i = 0; i < TFTP_MTU_CACHE; i++)
		if (c->e[i].ifindex == ifindex && (!found || c->e[i].at_us > found->at_us))
			found = &c->e[i];
	return found;
}

START_TEST(test_asks_the_interface)
{
	struct tftp_mtu_cache c = {0};
	int want = lo_mtu();
	if (want <= 0)
		return; /* no sysfs: nothing to compare with */
	ck_assert_int_eq(tftp_mtu_get(&c, LO, T0), want);
	struct tftp_mtu_entry *e = entry_of(&c, LO);
	ck_assert_ptr_nonnull(e);
	ck_assert_int_eq(e->mtu, want);
	ck_assert_uint_eq(e->at_us, T0);
}
END_TEST

/* The cached answer serves for a minute; at 60 s it is asked again. */
START_TEST(test_cache_expires_after_a_minute)
{
	struct tftp_mtu_cache c = {0};
	int real = tftp_mtu_get(&c, LO, T0);
	ck_assert_int_gt(real, 0);
	struct tftp_mtu_entry *e = entry_of(&c, LO);
	ck_assert_ptr_nonnull(e);
	e->mtu = 1234; /* what the interface said a minute ago */
	ck_assert_int_eq(tftp_mtu_get(&c, LO, T0 + 1), 1234);
	ck_assert_int_eq(tftp_mtu_get(&c, LO, T0 + TFTP_MTU_TTL_US - 1), 1234);
	ck_assert_uint_eq(e->at_us, T0);
	ck_assert_int_eq(tftp_mtu_get(&c, LO, T0 + TFTP_MTU_TTL_US), real);
	e = entry_of(&c, LO);
	ck_assert_int_eq(e->mtu, real);
	ck_assert_uint_eq(e->at_us, T0 + TFTP_MTU_TTL_US);
	/* and the new answer serves for the next minute */
	e->mtu = 4321;
	ck_assert_int_eq(tftp_mtu_get(&c, LO, T0 + 2 * TFTP_MTU_TTL_US - 1), 4321);
	ck_assert_uint_eq(TFTP_MTU_TTL_US, 60 * SECOND);
}
END_TEST

/* A full cache: the entry asked longest ago makes room. */
START_TEST(test_oldest_entry_makes_room)
{
	struct tftp_mtu_cache c = {0};
	for (int i = 0; i < TFTP_MTU_CACHE; i++)
		c.e[i] =
			(struct tftp_mtu_entry){.ifindex = 100 + i,
						.mtu = 1500,
						.at_us = T0 + (uint64_t)((i + 5) % TFTP_MTU_CACHE)};
	int oldest = TFTP_MTU_CACHE - 5; /* (i + 5) % 16 == 0 */
	ck_assert_int_gt(tftp_mtu_get(&c, LO, T0 + SECOND), 0);
	ck_assert_int_eq(c.e[oldest].ifindex, LO);
	ck_assert_uint_eq(c.e[oldest].at_us, T0 + SECOND);
	for (int i = 0; i < TFTP_MTU_CACHE; i++)
		if (i != oldest)
			ck_assert_int_eq(c.e[i].ifindex, 100 + i);
}
END_TEST

/* An interface that is gone: unknown, and nothing is cached for it. */
START_TEST(test_gone_interface_not_cached)
{
	struct tftp_mtu_cache c = {0};
	ck_assert_int_eq(tftp_mtu_get(&c, GONE, T0), 0);
	ck_assert_ptr_null(entry_of(&c, GONE));
	/* the 1500 default: 1500 - 32 for IPv4, 1500 - 52 for IPv6 */
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET, false, GONE, T0), 1468);
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET6, false, GONE, T0), 1448);
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET6, true, GONE, T0), 1468);
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET, false, 0, T0), 1468);
}
END_TEST

/* The limit from a cached MTU: headers off, within 512..65464; a
 * configured blksize-max wins without asking. */
START_TEST(test_blksize_from_mtu)
{
	struct tftp_mtu_cache c = {0};
	c.e[0] = (struct tftp_mtu_entry){.ifindex = GONE, .mtu = 9000, .at_us = T0};
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET, false, GONE, T0), 8968);
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET6, false, GONE, T0), 8948);
	c.e[0].mtu = 540; /* below 512 after the headers: 512 all the same */
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET6, false, GONE, T0), 512);
	c.e[0].mtu = 65536; /* lo: capped at RFC 2348's largest */
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET, false, GONE, T0), TFTP_BLKSIZE_MAX);
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 1024, AF_INET, false, GONE, T0), 1024);
	/* a minute later the entry is stale and the interface is gone */
	ck_assert_uint_eq(tftp_mtu_blksize(&c, 0, AF_INET, false, GONE, T0 + TFTP_MTU_TTL_US),
			  1468);
}
END_TEST

UNIT_SUITE(tftp_mtu)
{
	Suite *s = suite_create("tftp_mtu");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_asks_the_interface);
	tcase_add_test(tc, test_cache_expires_after_a_minute);
	tcase_add_test(tc, test_oldest_entry_makes_room);
	tcase_add_test(tc, test_gone_interface_not_cached);
	tcase_add_test(tc, test_blksize_from_mtu);
	suite_add_tcase(s, tc);
	return s;
}
