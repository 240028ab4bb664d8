/* SPDX-License-Identifier: MIT */
/* The busy-poll window (tftpd/spin.c): grows to cover gaps that a spin
 * could have caught, halves after gaps it could not, fixed stays fixed;
 * and the event loop's side of it on a fake clock: never a spin without a
 * transfer, few sleeps for a fast client, none spun for a slow one, off
 * with one CPU, the CPU yielded on every empty pass. */
#include <check.h>

#include "spin.h"
#include "unit.h"

#define US 1000u
#define MS 1000000u

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

/* ------------------------------------------------------ the loop's side */

/* tftpd_run (server.c) on a fake clock, against a lock-step client that
 * sends its next packet rtt_ns after the server answered the last one: a
 * polling pass takes PASS_NS, handling a packet takes no time, a sleep
 * lasts until the next packet. It counts what tftpd_daemon.sh reads from
 * /proc on a real machine: sleeps (voluntary context switches) and the
 * time spent polling instead of sleeping. */
#define PASS_NS 1000u

struct loop_sim {
	uint64_t now; /* the fake clock, ns */
	unsigned sleeps, yields;
	uint64_t polled_ns;
};

/* A lock-step client: packets in all, the gap before each one from rtt
 * in turn. */
struct client {
	const uint64_t *rtt;
	unsigned nrtt;
	unsigned packets, seen;
	uint64_t next; /* when its next packet comes */
};

/* The server handled the client's packet at now and answered. */
static void client_answered(struct client *c, uint64_t now)
{
	c->seen++;
	c->next = now + c->rtt[c->seen % c->nrtt];
}

/* After a packet at m->now: spin as the policy says, serving what comes. */
static void sim_spin(struct tftp_spin *s, struct loop_sim *m, struct client *c, bool transfers)
{
	bool more = tftp_spin_start(s, m->now, transfers);
	while (more && c->seen < c->packets) {
		m->now += PASS_NS;
		m->polled_ns += PASS_NS;
		bool packet = m->now >= c->next;
		if (packet)
			client_answered(c, m->now);
		enum tftp_spin_next n = tftp_spin_polled(s, m->now, packet, transfers);
		ck_assert(n != TFTP_SPIN_AGAIN || packet); /* AGAIN only after a packet */
		m->yields += n == TFTP_SPIN_YIELD;
		more = n != TFTP_SPIN_SLEEP;
	}
}

static void sim_client(struct tftp_spin *s, struct loop_sim *m, struct client *c, bool transfers)
{
	c->next = m->now + c->rtt[0];
	while (c->seen < c->packets) {
		m->sleeps++;
		tftp_spin_slept(s, c->next - m->now, true, transfers);
		m->now = c->next;
		client_answered(c, m->now);
		sim_spin(s, m, c, transfers);
	}
}

static struct loop_sim run_steady(struct tftp_spin *s, uint64_t rtt_ns, unsigned packets)
{
	struct loop_sim m = {.now = 1000 * MS};
	struct client c = {.rtt = &rtt_ns, .nrtt = 1, .packets = packets};
	sim_client(s, &m, &c, true);
	return m;
}

/* curl on loopback answers within some 30 us: auto stays awake for it,
 * sleeping a few times for 2044 blocks where off sleeps for every one
 * (tftpd_daemon.sh measures 3 against some 2000). */
START_TEST(test_loop_fast_client_few_sleeps)
{
	struct tftp_spin s = {0};
	tftp_spin_adaptive(&s, TFTP_SPIN_AUTO_MAX_NS);
	struct loop_sim a = run_steady(&s, 30 * US, 2044);
	ck_assert_uint_le(a.sleeps, 2);
	ck_assert_uint_eq(s.window_ns, 40 * US);
	struct tftp_spin off = {0};
	tftp_spin_fixed(&off, 0);
	struct loop_sim o = run_steady(&off, 30 * US, 2044);
	ck_assert_uint_eq(o.sleeps, 2044);
	ck_assert_uint_eq(o.polled_ns, 0);
	ck_assert_uint_lt(a.sleeps * 2, o.sleeps);
}
END_TEST

/* A client 3 ms per ACK (a real network, a slow ROM): no spin could catch
 * it, so none is tried: one sleep per block and no time polled. */
START_TEST(test_loop_slow_client_not_spun_for)
{
	struct tftp_spin s = {0};
	tftp_spin_adaptive(&s, TFTP_SPIN_AUTO_MAX_NS);
	struct loop_sim m = run_steady(&s, 3 * MS, 300);
	ck_assert_uint_eq(m.sleeps, 300);
	ck_assert_uint_eq(m.polled_ns, 0);
	ck_assert_uint_eq(s.window_ns, 0);
}
END_TEST

/* A client that was fast and slows to 3 ms per ACK: the window halves on
 * every wasted spin and is off after a few, having wasted less than two
 * of the largest windows in all. */
START_TEST(test_loop_slowing_client_stops)
{
	struct tftp_spin s = {0};
	tftp_spin_adaptive(&s, TFTP_SPIN_AUTO_MAX_NS);
	run_steady(&s, 190 * US, 100); /* grown to the cap */
	ck_assert_uint_eq(s.window_ns, TFTP_SPIN_AUTO_MAX_NS);
	struct loop_sim m = run_steady(&s, 3 * MS, 300);
	ck_assert_uint_eq(s.window_ns, 0);
	ck_assert_uint_lt(m.polled_ns, 2 * TFTP_SPIN_AUTO_MAX_NS);
	ck_assert_uint_ge(m.sleeps, 300);
}
END_TEST

/* A fast client that stalls now and then (preempted on a busy machine):
 * each stall halves the window, and the next short gap grows it back in
 * one step, so a stall costs the server two sleeps, not a slow
 * transfer. */
START_TEST(test_loop_stalls_cost_two_sleeps)
{
	struct tftp_spin s = {0};
	tftp_spin_adaptive(&s, TFTP_SPIN_AUTO_MAX_NS);
	uint64_t rtt[100];
	for (int i = 0; i < 100; i++)
		rtt[i] = i % 2 ? 150 * US : 30 * US;
	rtt[50] = 1 * MS; /* a stall every 100 packets */
	struct loop_sim m = {.now = 1000 * MS};
	struct client c = {.rtt = rtt, .nrtt = 100, .packets = 2000};
	sim_client(&s, &m, &c, true);
	ck_assert_uint_le(m.sleeps, 2 + 2 * 20);
	ck_assert_uint_eq(s.window_ns, 160 * US);
}
END_TEST

/* Nothing to wait for, nothing spun: with no transfer (a refused request,
 * the last transfer just ended) not even a fixed window of 100 ms spins,
 * and a timer then says nothing about clients. */
START_TEST(test_loop_never_spins_without_transfer)
{
	struct tftp_spin s = {0};
	tftp_spin_fixed(&s, 100 * MS);
	ck_assert(!tftp_spin_start(&s, 5 * MS, false));
	ck_assert(tftp_spin_start(&s, 5 * MS, true));
	/* the transfer ended in the last pass: stop, packet or not */
	ck_assert_int_eq(tftp_spin_polled(&s, 6 * MS, false, false), TFTP_SPIN_SLEEP);
	ck_assert_int_eq(tftp_spin_polled(&s, 6 * MS, true, false), TFTP_SPIN_SLEEP);
	struct loop_sim m = {.now = 1000 * MS};
	uint64_t rtt = 30 * US;
	struct client c = {.rtt = &rtt, .nrtt = 1, .packets = 100};
	sim_client(&s, &m, &c, false);
	ck_assert_uint_eq(m.sleeps, 100);
	ck_assert_uint_eq(m.polled_ns, 0);

	struct tftp_spin a = {0};
	tftp_spin_adaptive(&a, TFTP_SPIN_AUTO_MAX_NS);
	run_steady(&a, 30 * US, 10);
	ck_assert_uint_eq(a.window_ns, 40 * US);
	ck_assert(!tftp_spin_start(&a, 0, false));
	tftp_spin_slept(&a, 10000 * MS, false, false); /* SIGHUP, no transfer */
	ck_assert_uint_eq(a.window_ns, 40 * US);
	tftp_spin_slept(&a, 10000 * MS, false, true); /* a retransmit timer */
	ck_assert_uint_eq(a.window_ns, 20 * US);
}
END_TEST

/* busy-poll 100000 (100 ms) and a client that asks and falls silent:
 * the server spins 100 ms after the request, yielding the CPU on every
 * empty pass, then sleeps. */
START_TEST(test_loop_fixed_window_spins_then_sleeps)
{
	struct tftp_spin s = {0};
	tftp_spin_fixed(&s, 100 * MS);
	struct loop_sim m = {.now = 1000 * MS};
	uint64_t silence = 600 * MS;
	struct client c = {.rtt = &silence, .nrtt = 1, .packets = 2, .seen = 1};
	c.next = m.now + silence;
	sim_spin(&s, &m, &c, true);
	ck_assert_uint_eq(c.seen, 1); /* nothing came while it spun */
	ck_assert_uint_ge(m.polled_ns, 100 * MS);
	ck_assert_uint_le(m.polled_ns, 100 * MS + PASS_NS);
	ck_assert_uint_eq(m.yields, m.polled_ns / PASS_NS - 1); /* all but the last pass */
	ck_assert_uint_eq(s.spun_ns, m.polled_ns);
	/* the sleep that follows reports spin plus sleep as one gap */
	tftp_spin_slept(&s, 500 * MS, true, true);
	ck_assert_uint_eq(s.spun_ns, 0);
	ck_assert_uint_eq(s.window_ns, 100 * MS);
}
END_TEST

/* busy-poll = auto where the process may use one CPU: off (a spin would
 * keep a local client from the CPU it needs), a sleep for every packet. */
START_TEST(test_loop_auto_off_with_one_cpu)
{
	struct tftp_spin s = {0};
	ck_assert(!tftp_spin_auto(&s, 1));
	ck_assert(!s.adaptive);
	struct loop_sim m = run_steady(&s, 30 * US, 2044);
	ck_assert_uint_eq(m.sleeps, 2044);
	ck_assert_uint_eq(m.polled_ns, 0);
	ck_assert(tftp_spin_auto(&s, 2));
	ck_assert(s.adaptive);
	ck_assert_uint_eq(s.max_ns, TFTP_SPIN_AUTO_MAX_NS);
	m = run_steady(&s, 30 * US, 2044);
	ck_assert_uint_le(m.sleeps, 2);
}
END_TEST

/* A reload during a spin changes the policy, not the spin's clock. */
START_TEST(test_reload_keeps_the_spin_clock)
{
	struct tftp_spin s = {0};
	tftp_spin_fixed(&s, 100 * US);
	ck_assert(tftp_spin_start(&s, 5 * MS, true));
	tftp_spin_fixed(&s, 50 * US);
	ck_assert_uint_eq(s.idle_since, 5 * MS);
	ck_assert_int_eq(tftp_spin_polled(&s, 5 * MS + 40 * US, false, true), TFTP_SPIN_YIELD);
	ck_assert_int_eq(tftp_spin_polled(&s, 5 * MS + 60 * US, false, true), TFTP_SPIN_SLEEP);
	ck_assert_uint_eq(s.spun_ns, 60 * US);
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
	TCase *lp = tcase_create("loop");
	tcase_add_test(lp, test_loop_fast_client_few_sleeps);
	tcase_add_test(lp, test_loop_slow_client_not_spun_for);
	tcase_add_test(lp, test_loop_slowing_client_stops);
	tcase_add_test(lp, test_loop_stalls_cost_two_sleeps);
	tcase_add_test(lp, test_loop_never_spins_without_transfer);
	tcase_add_test(lp, test_loop_fixed_window_spins_then_sleeps);
	tcase_add_test(lp, test_loop_auto_off_with_one_cpu);
	tcase_add_test(lp, test_reload_keeps_the_spin_clock);
	suite_add_tcase(s, lp);
	return s;
}
