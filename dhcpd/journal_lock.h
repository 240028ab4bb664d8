/* SPDX-License-Identifier: MIT */
/* One pxe-dhcpd per lease file. Two servers on one journal both answer
 * the same DISCOVER from their own view of the leases, and the second
 * one's start-up compaction renames a new file over the journal, so the
 * first one's renewals go on to a deleted file and are lost at its next
 * start. The journal is therefore locked for the life of the process:
 * flock(2) LOCK_EX|LOCK_NB on FILE.lock beside it.
 *
 * Why a lock file and not the journal itself: compaction (journal.h)
 * replaces FILE by rename(2), and a flock belongs to the inode that was
 * opened, so a lock on the journal would stay on the renamed-away inode
 * while the new FILE is unlocked, until it is re-locked: a gap in which a
 * second server could take it. FILE.lock is never renamed or removed, so
 * its lock holds across every compaction, and Linux names its holder in
 * /proc/locks. The lock's descriptor is close-on-exec (lease scripts do
 * not inherit it) and survives --chroot and the privilege drop. */
#ifndef DHCP_JOURNAL_LOCK_H
#define DHCP_JOURNAL_LOCK_H

#include "err.h"

/* Create the lease file's directory when it is missing: one level, mode
 * 0750, like mkdir(1) without -p. The parent (/var/lib) belongs to the
 * system: creating a missing chain of directories would turn a typo in
 * the leasefile path into a new tree instead of an error. 1 when created,
 * 0 when it was there, or -errno with err naming the directory. */
int dhcp_journal_mkdir(const char *leasefile, struct pxe_err *err);

/* The lease file's lock (in its directory, which must exist: see
 * dhcp_journal_mkdir). Returns the
 * lock's fd, to keep open while the file is in use, or -errno with err
 * set; -EWOULDBLOCK: "FILE: locked by another pxe-dhcpd (pid N)", with
 * the pid when /proc/locks shows it. */
int dhcp_journal_lock(const char *leasefile, struct pxe_err *err);

/* Make a relative leasefile absolute from the current directory (the
 * daemon later runs in "/" with --daemon, and after --chroot). 0 or
 * -errno; *path is replaced (it was malloc'ed). */
int dhcp_journal_abspath(char **path);

#endif
