/* How long the event loop polls for the next packet before it sleeps
 * (busy-poll). Pure policy, no I/O: the loop reports each wake-up after a
 * sleep, and spins window_ns after its next packet. */
#ifndef PXE_TFTPD_SPIN_H
#define PXE_TFTPD_SPIN_H

#include <stdbool.h>
#include <stdint.h>

/* Adaptive windows start here and never fall below it once grown. */
#define TFTP_SPIN_GROW_START_NS 10000u
/* The largest adaptive window (busy-poll = auto), as the guest haltpoll
 * governor's default guest_halt_poll_ns. */
#define TFTP_SPIN_AUTO_MAX_NS 200000u

struct tftp_spin {
	uint64_t window_ns; /* spin this long after the last packet; 0: sleep at once */
	uint64_t max_ns;    /* adaptive: the window's upper bound */
	bool adaptive;
};

/* Fixed window of window_ns (0: off), or adaptive up to max_ns. */
void tftp_spin_fixed(struct tftp_spin *s, uint64_t window_ns);
void tftp_spin_adaptive(struct tftp_spin *s, uint64_t max_ns);

/* The loop was woken, by a packet (packet) or by a timer, gap_ns after
 * the last packet: the time it spun in vain plus the time it slept. */
void tftp_spin_woke(struct tftp_spin *s, uint64_t gap_ns, bool packet);

#endif
