/* SPDX-License-Identifier: MIT */
/* How long the event loop polls for the next packet before it sleeps
 * (busy-poll). Pure policy, no I/O and no clock of its own: the loop
 * reports each wake-up and each polling pass with the time, and asks
 * whether to poll again, yield the CPU first, or sleep. */
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
	uint64_t idle_since; /* the last packet of the current spin */
	uint64_t spun_ns;    /* spun in vain before the current sleep */
};

/* What the loop does after a polling pass. */
enum tftp_spin_next {
	TFTP_SPIN_AGAIN, /* a packet came: poll again at once */
	TFTP_SPIN_YIELD, /* nothing yet: let a waiting process run, then poll */
	TFTP_SPIN_SLEEP, /* the window ran out, or there is nothing to wait for */
};

/* Fixed window of window_ns (0: off), or adaptive up to max_ns. s starts
 * zeroed; a new policy (a reload) keeps the clock of a spin in progress. */
void tftp_spin_fixed(struct tftp_spin *s, uint64_t window_ns);
void tftp_spin_adaptive(struct tftp_spin *s, uint64_t max_ns);
/* busy-poll = auto for a process that may run on cpus CPUs: adaptive up
 * to TFTP_SPIN_AUTO_MAX_NS, or off with one CPU, where a spin only keeps
 * a local client from the CPU it needs to answer. False when off. */
bool tftp_spin_auto(struct tftp_spin *s, int cpus);

/* The loop was woken, by a packet (packet) or by a timer, gap_ns after
 * the last packet: the time it spun in vain plus the time it slept. */
void tftp_spin_woke(struct tftp_spin *s, uint64_t gap_ns, bool packet);

/* The loop's side. After each sleep: slept_ns in the kernel, woken by a
 * packet or not, transfers: whether any transfer runs. */
void tftp_spin_slept(struct tftp_spin *s, uint64_t slept_ns, bool packet, bool transfers);
/* After a wake-up by a packet at now_ns: whether to spin at all. Never
 * without a transfer (transfers false), nor with a window of 0. */
bool tftp_spin_start(struct tftp_spin *s, uint64_t now_ns, bool transfers);
/* After a polling pass that ended at now_ns and handled a packet or not. */
enum tftp_spin_next tftp_spin_polled(struct tftp_spin *s, uint64_t now_ns, bool packet,
				     bool transfers);

#endif
