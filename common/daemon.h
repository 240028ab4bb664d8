/* Daemon life: --daemon, --pidfile, --chroot, --user/--group, signals. */
#ifndef PXE_DAEMON_H
#define PXE_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <uv.h>

#include "err.h"

/* --daemon: fork, setsid, fork again, stdio to /dev/null. The original
 * parent waits until the child calls pxe_daemon_ready() and exits with the
 * status given there, so `pxe-tftpd --daemon` fails visibly when the child
 * cannot bind. Returns 0 in the daemon child, -errno on fork failure (the
 * parent never returns). */
int pxe_daemon_start(void);
/* In the daemon child: report readiness (status 0) or failure (status != 0)
 * to the waiting parent. No-op when not daemonised. */
void pxe_daemon_ready(int status);

/* Write our pid to path (O_TRUNC, 0644). Never chowns. 0 or -errno. */
int pxe_pidfile_write(const char *path, struct pxe_err *err);

/* After binding: chroot(dir) when dir is set, then drop to user/group
 * (initgroups, setgid, setuid; checked, and refuse to go on as root when a
 * drop was asked and failed). keep_caps: capabilities to keep across the
 * setuid (CAP_NET_RAW for dhcpd ...), n_keep may be 0.
 * When not root and a user was asked that is not us: an error. When not
 * root and the user is us: nothing to do. 0 or -errno with err filled. */
int pxe_privileges_drop(const char *chroot_dir, const char *user, const char *group,
			const int *keep_caps, size_t n_keep, struct pxe_err *err);

/* Signals on the uv loop. SIGPIPE is ignored process-wide. */
struct pxe_signals {
	uv_signal_t hup, usr1, term, intr;
	void (*on_reload)(void *ctx);   /* SIGHUP */
	void (*on_reopen)(void *ctx);   /* SIGUSR1 */
	void (*on_stop)(void *ctx);     /* SIGTERM, SIGINT */
	void *ctx;
};
int pxe_signals_start(struct pxe_signals *s, uv_loop_t *loop);
void pxe_signals_close(struct pxe_signals *s);

#endif
