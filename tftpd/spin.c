/* SPDX-License-Identifier: MIT */
/* Adaptive busy polling, after the guest haltpoll cpuidle governor
 * (Linux drivers/cpuidle/governors/haltpoll.c): on a virtual machine a
 * sleeping thread is woken through the hypervisor, which costs more than
 * the rest of a lock-step round trip on a fast link. Spinning pays only
 * when the next packet comes soon, so the window follows the sleeps that
 * followed it:
 *  - a packet that came (spin plus sleep) within the largest window would
 *    have been caught by a longer spin: the window grows (doubles, from
 *    10 us) to cover that gap;
 *  - a gap longer than the largest window (a slow client, a real
 *    network's round trip, the end of a transfer) could not have been
 *    caught: the spin was wasted, the window halves, and below 10 us it
 *    is off.
 * A client that answers in 300 us never makes it grow, and the loop then
 * sleeps at once as without busy-poll. */
#include "spin.h"

/* A new policy (start, reload) leaves a spin in progress its clock. */
void tftp_spin_fixed(struct tftp_spin *s, uint64_t window_ns)
{
	s->window_ns = window_ns;
	s->max_ns = window_ns;
	s->adaptive = false;
}

void tftp_spin_adaptive(struct tftp_spin *s, uint64_t max_ns)
{
	s->window_ns = 0;
	s->max_ns = max_ns;
	s->adaptive = max_ns > 0;
}

void tftp_spin_woke(struct tftp_spin *s, uint64_t gap, bool packet)
{
	if (!s->adaptive)
		return;
	if (gap > s->max_ns) {
		s->window_ns /= 2;
		if (s->window_ns < TFTP_SPIN_GROW_START_NS)
			s->window_ns = 0;
	} else if (packet && s->window_ns < gap) {
		uint64_t w = s->window_ns ? s->window_ns * 2 : TFTP_SPIN_GROW_START_NS;
		while (w < gap)
			w *= 2;
		s->window_ns = w > s->max_ns ? s->max_ns : w;
	}
}

bool tftp_spin_auto(struct tftp_spin *s, int cpus)
{
	if (cpus < 2) {
		tftp_spin_fixed(s, 0);
		return false;
	}
	tftp_spin_adaptive(s, TFTP_SPIN_AUTO_MAX_NS);
	return true;
}

/* A packet, or a timer while transfers run, tells how long the gap after
 * the last packet was; a timer with no transfer (a signal, a reload)
 * says nothing about clients. */
void tftp_spin_slept(struct tftp_spin *s, uint64_t slept_ns, bool packet, bool transfers)
{
	if (transfers || packet)
		tftp_spin_woke(s, s->spun_ns + slept_ns, packet);
	s->spun_ns = 0;
}

bool tftp_spin_start(struct tftp_spin *s, uint64_t now_ns, bool transfers)
{
	s->idle_since = now_ns;
	return transfers && s->window_ns > 0;
}

enum tftp_spin_next tftp_spin_polled(struct tftp_spin *s, uint64_t now_ns, bool packet,
				     bool transfers)
{
	bool on = transfers && s->window_ns > 0;
	if (packet) {
		s->idle_since = now_ns;
		return on ? TFTP_SPIN_AGAIN : TFTP_SPIN_SLEEP;
	}
	if (now_ns - s->idle_since > s->window_ns) {
		s->spun_ns = now_ns - s->idle_since;
		return TFTP_SPIN_SLEEP;
	}
	/* Spin politely: a process that wants this CPU (a VM, a build) gets
	 * it, else the loop polls again at once. */
	return on ? TFTP_SPIN_YIELD : TFTP_SPIN_SLEEP;
}
