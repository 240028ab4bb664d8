/* The busy-poll window (tftpd/spin.c): grows to cover gaps that a spin
 * could have caught, halves after gaps it could not, fixed stays fixed. */
#include <check.h>

#include "spin.h"
#include "unit.h"

#define US 1000u

START_TEST(test_fixed_never_moves)
{
	struct tftp_spin s;
	tftp_spin_fixed(&s, 50 * US);
	tftp_spin_woke(&s, 10 * US, true);
	tftp_spin_woke(&s, 5000 * US, true);
	tftp_spin_woke(&s, 5000 * US, false);
	ck_assert_uint_eq(s.window_ns, 50 * US);
	tftp_spin_fixed(&s, 0);
	tftp_spin_woke(&s, 10 * US, true);
	ck_assert_uint_eq(s.window_ns, 0);
}
END_TEST

START_TEST(test_auto_starts_off_and_grows_to_cover)
{
	struct tftp_spin s;
	tftp_spin_adaptive(&s, TFTP_SPIN_AUTO_MAX_NS);
	ck_assert_uint_eq(s.window_ns, 0);
	tftp_spin_woke(&s, 7 * US, true); /* a fast client: start at 10 us */
	ck_assert_uint_eq(s.window_ns, TFTP_SPIN_GROW_START_NS);
	/* spun 10 us in vain, slept 25 more: doubles until 35 us is covered */
	tftp_spin_woke(&s, 35 * US, true);
	ck_assert_uint_eq(s.window_ns, 40 * US);
	/* a gap the window already covers (it was not spun) changes nothing */
	tftp_spin_woke(&s, 30 * US, true);
	ck_assert_uint_eq(s.window_ns, 40 * US);
	/* never beyond the cap */
	tftp_spin_woke(&s, 190 * US, true);
	ck_assert_uint_eq(s.window_ns, 200 * US);
	ck_assert_uint_eq(s.window_ns, TFTP_SPIN_AUTO_MAX_NS);
}
END_TEST

START_TEST(test_auto_halves_after_long_gaps)
{
	struct tftp_spin s;
	tftp_spin_adaptive(&s, 200 * US);
	tftp_spin_woke(&s, 150 * US, true);
	ck_assert_uint_eq(s.window_ns, 160 * US);
	/* the client slowed to 300 us: no spin within the cap catches it */
	tftp_spin_woke(&s, 300 * US, true);
	ck_assert_uint_eq(s.window_ns, 80 * US);
	tftp_spin_woke(&s, 300 * US, true);
	tftp_spin_woke(&s, 300 * US, true);
	ck_assert_uint_eq(s.window_ns, 20 * US);
	tftp_spin_woke(&s, 300 * US, true);
	ck_assert_uint_eq(s.window_ns, 10 * US);
	tftp_spin_woke(&s, 300 * US, true); /* below the start: off */
	ck_assert_uint_eq(s.window_ns, 0);
	tftp_spin_woke(&s, 300 * US, true);
	ck_assert_uint_eq(s.window_ns, 0);
}
END_TEST

START_TEST(test_auto_timer_wakeups)
{
	struct tftp_spin s;
	tftp_spin_adaptive(&s, 200 * US);
	tftp_spin_woke(&s, 60 * US, true);
	ck_assert_uint_eq(s.window_ns, 80 * US);
	/* a timer soon after the last packet: no evidence either way */
	tftp_spin_woke(&s, 100 * US, false);
	ck_assert_uint_eq(s.window_ns, 80 * US);
	/* a retransmit timer a second later: the spin was wasted */
	tftp_spin_woke(&s, 1000000 * US, false);
	ck_assert_uint_eq(s.window_ns, 40 * US);
}
END_TEST

START_TEST(test_auto_with_zero_cap_is_off)
{
	struct tftp_spin s;
	tftp_spin_adaptive(&s, 0);
	tftp_spin_woke(&s, 0, true);
	ck_assert_uint_eq(s.window_ns, 0);
}
END_TEST

/* A steady client: the window settles where the spin catches each packet
 * (gap after a caught packet is never reported), so 20 round trips of
 * 45 us leave the window at 80 us and nothing above it. */
START_TEST(test_auto_settles)
{
	struct tftp_spin s;
	tftp_spin_adaptive(&s, 200 * US);
	uint64_t w = 0;
	for (int i = 0; i < 20; i++) {
		if (s.window_ns < 45 * US) /* the spin ran out: slept until the ACK */
			tftp_spin_woke(&s, 45 * US, true);
		w = s.window_ns;
	}
	ck_assert_uint_eq(w, 80 * US);
}
END_TEST

UNIT_SUITE(tftp_spin)
{
	Suite *s = suite_create("tftp_spin");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_fixed_never_moves);
	tcase_add_test(tc, test_auto_starts_off_and_grows_to_cover);
	tcase_add_test(tc, test_auto_halves_after_long_gaps);
	tcase_add_test(tc, test_auto_timer_wakeups);
	tcase_add_test(tc, test_auto_with_zero_cap_is_off);
	tcase_add_test(tc, test_auto_settles);
	suite_add_tcase(s, tc);
	return s;
}
