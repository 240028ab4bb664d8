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

void tftp_spin_fixed(struct tftp_spin *s, uint64_t window_ns)
{
	*s = (struct tftp_spin){.window_ns = window_ns, .max_ns = window_ns, .adaptive = false};
}

void tftp_spin_adaptive(struct tftp_spin *s, uint64_t max_ns)
{
	*s = (struct tftp_spin){.window_ns = 0, .max_ns = max_ns, .adaptive = max_ns > 0};
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
