/* SPDX-License-Identifier: MIT */
/* Daemon life: --daemon, --pidfile, --chroot, --user/--group, signals. */
#ifndef PXE_DAEMON_H
#define PXE_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <uv.h>

#include "err.h"

/* --daemon: fork, setsid, fork again, chdir("/"), stdin and stdout to
 * /dev/null. The original parent waits until the daemon calls
 * pxe_daemon_ready() and exits with the status given there, so
 * `pxe-tftpd --daemon` fails visibly when the daemon cannot bind; when the
 * daemon dies before reporting, the parent prints a line on stderr and
 * exits 1. stderr stays attached until pxe_daemon_ready(0), so startup
 * errors still reach the user.
 * Call it before creating the uv loop (or uv_loop_fork() after), and after
 * making every path absolute (realpath) or opening root directories: the
 * daemon runs in "/". Returns 0 in the daemon, -errno on failure (in the
 * original process when the fork fails, or in the daemon when /dev/null
 * cannot be opened: report it and exit). The parent never returns. */
int pxe_daemon_start(void);
/* In the daemon: report readiness (status 0, which also sends stderr to
 * /dev/null) or failure (1..255; anything else counts as 1) to the waiting
 * parent. Call it once, after binding and dropping privileges. No-op when
 * not daemonised. */
void pxe_daemon_ready(int status);

/* Write our pid to path (O_TRUNC, 0644). Never chowns. 0 or -errno. */
int pxe_pidfile_write(const char *path, struct pxe_err *err);

/* After binding: chroot(dir) when dir is set, then drop to user/group
 * (supplementary groups as initgroups would set them, setgid, setuid;
 * checked, and refuse to go on as root when a drop was asked and failed).
 * user and group are names or numbers ("65534"); a user without a group
 * gets the user's primary group; NULL means "not asked". All lookups happen
 * before the chroot, since /etc/passwd and /etc/group are outside it.
 * keep_caps: capabilities to keep across the setuid (CAP_NET_RAW for
 * dhcpd ...), n_keep may be 0; after a switch from root the permitted and
 * effective sets are exactly keep_caps (inheritable empty). Without a user
 * switch capabilities are left as they are.
 * When not root and a user was asked that is not us: an error. When not
 * root and the user is us: nothing to do (no setgroups, tftpd-hpa's trap).
 * An unknown name is -ENOENT. 0 or -errno with err filled. */
int pxe_privileges_drop(const char *chroot_dir, const char *user, const char *group,
			const int *keep_caps, size_t n_keep, struct pxe_err *err);

/* The uid and gid pxe_privileges_drop(NULL, user, group, ...) will switch
 * to, for a file the daemon makes before the drop and writes after it.
 * 1 with *uid, *gid set when root switches to another user; 0 when there is
 * no switch (not root, no user, or user root); -errno with err filled. */
int pxe_privileges_target(const char *user, const char *group, uid_t *uid, gid_t *gid,
			  struct pxe_err *err);

/* Signals on the uv loop. SIGPIPE is ignored process-wide. A NULL callback
 * ignores its signal (still caught, so SIGHUP/SIGUSR1 never terminate us).
 * The handles do not keep the loop alive (uv_unref). pxe_signals_close
 * closes them; the caller runs the loop to finish closing. */
struct pxe_signals {
	uv_signal_t hup, usr1, term, intr;
	void (*on_reload)(void *ctx); /* SIGHUP */
	void (*on_reopen)(void *ctx); /* SIGUSR1 */
	void (*on_stop)(void *ctx);   /* SIGTERM, SIGINT */
	void *ctx;
};
int pxe_signals_start(struct pxe_signals *s, uv_loop_t *loop);
void pxe_signals_close(struct pxe_signals *s);

#endif
