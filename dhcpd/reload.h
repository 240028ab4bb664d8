/* SPDX-License-Identifier: MIT */
/* SIGHUP: the configuration is read again the same way as at the start,
 * into a fresh struct; only when it loads and its ranges apply does it
 * replace the old one (whose leases stay), else the old stays in force.
 * Logging, the script, ping-check and the interfaces follow the new one;
 * a new leasefile is locked (journal_lock.h) and gets the leases before
 * the switch, and when it cannot be locked the old configuration stays;
 * mode (and leasefile under --chroot) take effect at the next start. */
#ifndef DHCP_RELOAD_H
#define DHCP_RELOAD_H

/* pxe_signals.on_reload (ctx: the dhcpd). */
void dhcp_reload(void *ctx);

#endif
