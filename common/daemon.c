/* SPDX-License-Identifier: MIT */
/* Daemon life: the --daemon double fork with a readiness channel, the pid
 * file, chroot and the privilege drop (OpenBSD tftpd order: bind, chroot,
 * drop), and signals on the uv loop. Linux only (prctl, capset). */
#include "daemon.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <linux/capability.h>

#include "log.h"

/* ------------------------------------------------------------ --daemon */

/* Process-wide daemon state (like the logger, one per process): the socket
 * to the parent waiting for readiness, and /dev/null kept open for stderr,
 * which a later chroot may no longer contain. -1 when not daemonised. */
static int ready_fd = -1;
static int devnull_fd = -1;

/* Keep our descriptors off 0..2, which are about to be replaced by
 * /dev/null when the caller started us with stdio closed. */
static int fd_above_stdio(int fd)
{
	if (fd > STDERR_FILENO)
		return fd;
	int moved = fcntl(fd, F_DUPFD_CLOEXEC, STDERR_FILENO + 1);
	int e = errno;
	close(fd);
	errno = e;
	return moved;
}

/* The original process: exit with the status the daemon reports, so that
 * `pxe-tftpd --daemon` fails visibly when the daemon cannot bind. */
static void __attribute__((noreturn)) parent_wait_ready(int fd)
{
	unsigned char status;
	ssize_t n;
	do
		n = recv(fd, &status, 1, 0);
	while (n < 0 && errno == EINTR);
	if (n == 1)
		_exit(status);
	dprintf(STDERR_FILENO, "%s: the daemon exited before it was ready\n",
		program_invocation_short_name);
	_exit(1);
}

/* The intermediate child cannot return to the caller (that would run the
 * daemon twice); it reports on the still attached stderr and exits, and the
 * parent then sees the channel close. */
static void __attribute__((noreturn)) child_die(const char *what)
{
	dprintf(STDERR_FILENO, "%s: --daemon: %s: %s\n", program_invocation_short_name, what,
		strerror(errno));
	_exit(1);
}

/* In the grandchild: stdin and stdout to /dev/null now, stderr only at
 * pxe_daemon_ready(0) so that startup errors still reach the user. */
static int daemon_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (fd < 0 || (fd = fd_above_stdio(fd)) < 0)
		return -errno;
	if (dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0) {
		int e = errno;
		close(fd);
		return -e;
	}
	devnull_fd = fd;
	return 0;
}

int pxe_daemon_start(void)
{
	int sv[2];
	/* A socketpair rather than a pipe: send(MSG_NOSIGNAL) cannot raise
	 * SIGPIPE when the parent was killed before readiness. */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	if ((sv[0] = fd_above_stdio(sv[0])) < 0 || (sv[1] = fd_above_stdio(sv[1])) < 0) {
		int e = errno;
		close(sv[0] < 0 ? sv[1] : sv[0]);
		return -e;
	}
	fflush(NULL); /* or buffered output would be written twice */
	pid_t pid = fork();
	if (pid < 0) {
		int e = errno;
		close(sv[0]);
		close(sv[1]);
		return -e;
	}
	if (pid > 0) {
		close(sv[1]);
		parent_wait_ready(sv[0]);
	}
	close(sv[0]);
	if (setsid() < 0)
		child_die("setsid");
	/* Fork again so that the daemon is not a session leader and can never
	 * acquire a controlling terminal. */
	pid = fork();
	if (pid < 0)
		child_die("fork");
	if (pid > 0)
		_exit(0);
	ready_fd = sv[1];
	if (chdir("/") < 0)
		return -errno;
	return daemon_stdio();
}

void pxe_daemon_ready(int status)
{
	if (ready_fd < 0)
		return;
	unsigned char b = status >= 0 && status <= 255 ? (unsigned char)status : 1;
	ssize_t n;
	do
		n = send(ready_fd, &b, 1, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	close(ready_fd);
	ready_fd = -1;
	if (status == 0 && devnull_fd >= 0)
		dup2(devnull_fd, STDERR_FILENO);
	if (devnull_fd >= 0)
		close(devnull_fd);
	devnull_fd = -1;
}

/* ------------------------------------------------------------ pid file */

int pxe_pidfile_write(const char *path, struct pxe_err *err)
{
	char buf[32];
	int len = snprintf(buf, sizeof(buf), "%ld\n", (long)getpid());
	/* Never chown: Debian #889336/#889857 (packaging.md §5). */
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0) {
		int e = errno;
		return pxe_err_set(err, e, "pid file %s: %s", path, strerror(e));
	}
	ssize_t n;
	do
		n = write(fd, buf, (size_t)len);
	while (n < 0 && errno == EINTR);
	int e = n < 0 ? errno : n != len ? EIO : 0;
	if (close(fd) < 0 && !e)
		e = errno;
	if (e)
		return pxe_err_set(err, e, "pid file %s: write: %s", path, strerror(e));
	return 0;
}

/* ------------------------------------------------------------ privileges */

/* Who to become, resolved before chroot: the user and group databases
 * (and the NSS modules that read them) live outside the new root. */
struct drop_target {
	const char *user, *group; /* as asked, for messages; NULL if not */
	uid_t uid;
	gid_t gid;
	gid_t *groups; /* supplementary groups, root only */
	int n_groups;
};

/* "65534" -> 65534; false for names. */
static bool parse_id(const char *s, unsigned long *out)
{
	char *end;
	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (errno || *end || v >= (unsigned long)(uid_t)-1)
		return false;
	*out = v;
	return true;
}

static int lookup_group(struct drop_target *t, struct pxe_err *err)
{
	unsigned long id;
	struct group *gr = getgrnam(t->group);
	if (gr)
		t->gid = gr->gr_gid;
	else if (parse_id(t->group, &id))
		t->gid = (gid_t)id; /* a numeric gid needs no entry */
	else
		return pxe_err_set(err, ENOENT, "group %s not found", t->group);
	return 0;
}

/* Supplementary groups as initgroups(3) would set them, but computed now:
 * initgroups reads /etc/group when called, which is after the chroot. */
static int user_groups(struct drop_target *t, const char *name, struct pxe_err *err)
{
	int n = 32;
	for (int tries = 0; tries < 4; tries++) {
		gid_t *g = realloc(t->groups, (size_t)n * sizeof(*g));
		if (!g)
			return pxe_err_set(err, ENOMEM, "groups of %s: out of memory", t->user);
		t->groups = g;
		int want = n;
		if (getgrouplist(name, t->gid, g, &want) >= 0) {
			t->n_groups = want;
			return 0;
		}
		n = want > n ? want : n * 2; /* glibc reports the size it needs */
	}
	return pxe_err_set(err, E2BIG, "user %s: too many supplementary groups", t->user);
}

static int lookup_user(struct drop_target *t, bool root, struct pxe_err *err)
{
	unsigned long id;
	struct passwd *pw = getpwnam(t->user);
	if (!pw && parse_id(t->user, &id))
		pw = getpwuid((uid_t)id);
	if (!pw) {
		if (!parse_id(t->user, &id))
			return pxe_err_set(err, ENOENT, "user %s not found", t->user);
		if (!t->group)
			return pxe_err_set(err, EINVAL,
					   "user %s has no passwd entry, so no primary group: "
					   "give a group too",
					   t->user);
		t->uid = (uid_t)id;
		return 0;
	}
	t->uid = pw->pw_uid;
	if (!t->group)
		t->gid = pw->pw_gid;
	if (!root)
		return 0;
	/* getgrouplist may reuse getpw*'s static buffer: copy the name. */
	char name[LOGIN_NAME_MAX + 1];
	if (snprintf(name, sizeof(name), "%s", pw->pw_name) >= (int)sizeof(name))
		return pxe_err_set(err, ENAMETOOLONG, "user %s: name too long", t->user);
	return user_groups(t, name, err);
}

static int resolve_target(struct drop_target *t, bool root, struct pxe_err *err)
{
	int r;
	if (t->group && (r = lookup_group(t, err)) < 0)
		return r;
	if (t->user)
		return lookup_user(t, root, err);
	if (t->group && root) {
		/* A group alone: it replaces root's supplementary groups too. */
		t->groups = malloc(sizeof(*t->groups));
		if (!t->groups)
			return pxe_err_set(err, ENOMEM, "out of memory");
		t->groups[0] = t->gid;
		t->n_groups = 1;
	}
	return 0;
}

/* Without root we cannot switch (tftpd-hpa's setgroups failure, Debian
 * #245017): fine when asked to be who we already are, an error otherwise. */
static int check_unprivileged(const struct drop_target *t, struct pxe_err *err)
{
	if (t->user && t->uid != geteuid())
		return pxe_err_set(err, EPERM, "cannot switch to user %s: not running as root",
				   t->user);
	if (t->group && t->gid != getegid())
		return pxe_err_set(err, EPERM, "cannot switch to group %s: not running as root",
				   t->group);
	return 0;
}

static int do_chroot(const char *dir, struct pxe_err *err)
{
	if (chroot(dir) < 0) {
		int e = errno;
		return pxe_err_set(err, e, "chroot %s: %s%s", dir, strerror(e),
				   e == EPERM ? " (needs root or CAP_SYS_CHROOT)" : "");
	}
	if (chdir("/") < 0) {
		int e = errno;
		return pxe_err_set(err, e, "chdir / in chroot %s: %s", dir, strerror(e));
	}
	return 0;
}

static int caps_mask(const int *caps, size_t n, uint64_t *mask, struct pxe_err *err)
{
	*mask = 0;
	for (size_t i = 0; i < n; i++) {
		if (caps[i] < 0 || caps[i] > 63)
			return pxe_err_set(err, EINVAL, "capability %d out of range", caps[i]);
		*mask |= UINT64_C(1) << caps[i];
	}
	return 0;
}

/* Raw capget/capset (no libcap): version 3 uses two 32-bit words. */
static int caps_get(uint64_t *perm, uint64_t *eff)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d));
	if (syscall(SYS_capget, &hdr, d) < 0)
		return -errno;
	*perm = d[0].permitted | (uint64_t)d[1].permitted << 32;
	*eff = d[0].effective | (uint64_t)d[1].effective << 32;
	return 0;
}

static int caps_set(uint64_t keep)
{
	struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	memset(d, 0, sizeof(d)); /* inheritable: none */
	d[0].permitted = d[0].effective = (uint32_t)keep;
	d[1].permitted = d[1].effective = (uint32_t)(keep >> 32);
	return syscall(SYS_capset, &hdr, d) < 0 ? -errno : 0;
}

static int fail_errno(struct pxe_err *err, const char *what, const char *name)
{
	int e = errno;
	return pxe_err_set(err, e, "%s %s: %s; refusing to go on", what, name, strerror(e));
}

/* Check the switch took, all the way: real, effective and saved ids, no
 * way back to root, and exactly the capabilities asked for. */
static int verify_drop(const struct drop_target *t, bool set_uid, uint64_t keep,
		       struct pxe_err *err)
{
	uid_t ru, eu, su;
	gid_t rg, eg, sg;
	if (getresgid(&rg, &eg, &sg) < 0 || rg != t->gid || eg != t->gid || sg != t->gid)
		return pxe_err_set(err, EPERM,
				   "group ids are not %s after setgid; refusing to go on",
				   t->group ? t->group : t->user);
	if (!set_uid)
		return 0;
	if (getresuid(&ru, &eu, &su) < 0 || ru != t->uid || eu != t->uid || su != t->uid)
		return pxe_err_set(err, EPERM,
				   "user ids are not %s after setuid; refusing to go on", t->user);
	if (setuid(0) == 0)
		return pxe_err_set(err, EPERM,
				   "could regain root after switching to %s; "
				   "refusing to go on",
				   t->user);
	uint64_t perm = 0, eff = 0;
	if (caps_get(&perm, &eff) < 0 || perm != keep || eff != keep)
		return pxe_err_set(err, EPERM,
				   "capabilities after switching to %s are not the "
				   "ones asked for; refusing to go on",
				   t->user);
	return 0;
}

static int switch_ids(const struct drop_target *t, uint64_t keep, struct pxe_err *err)
{
	const char *gname = t->group ? t->group : t->user;
	if (setgroups((size_t)t->n_groups, t->groups) < 0)
		return fail_errno(err, "setgroups for", gname);
	if (setgid(t->gid) < 0)
		return fail_errno(err, "setgid", gname);
	bool set_uid = t->user && t->uid != 0;
	if (set_uid) {
		/* KEEPCAPS keeps the permitted set across setuid; the effective
		 * set is cleared and restored to exactly `keep` by capset. */
		if (keep && prctl(PR_SET_KEEPCAPS, 1L, 0L, 0L, 0L) < 0)
			return fail_errno(err, "keeping capabilities for", t->user);
		if (setuid(t->uid) < 0)
			return fail_errno(err, "setuid", t->user);
		if (keep) {
			prctl(PR_SET_KEEPCAPS, 0L, 0L, 0L, 0L);
			int r = caps_set(keep);
			if (r < 0)
				return pxe_err_set(err, r,
						   "capset after switching to %s: %s; "
						   "refusing to go on",
						   t->user, strerror(-r));
		}
	}
	return verify_drop(t, set_uid, keep, err);
}

/* One line saying who we are now and what we kept: the proof of the drop
 * an administrator looks for (capability names as capabilities(7)). */
static void log_drop(const struct drop_target *t, uint64_t keep)
{
	static const struct {
		int cap;
		const char *name;
	} names[] = {{CAP_NET_BIND_SERVICE, "cap_net_bind_service"},
		     {CAP_NET_RAW, "cap_net_raw"},
		     {CAP_SYS_CHROOT, "cap_sys_chroot"}};
	char caps[256] = "";
	size_t len = 0;
	for (int c = 0; c < 64; c++) {
		if (!(keep >> c & 1))
			continue;
		const char *n = NULL;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (names[i].cap == c)
				n = names[i].name;
		int w = n ? snprintf(caps + len, sizeof(caps) - len, "%s%s", len ? "," : "", n)
			  : snprintf(caps + len, sizeof(caps) - len, "%scap_%d", len ? "," : "", c);
		if (w > 0 && (size_t)w < sizeof(caps) - len)
			len += (size_t)w;
	}
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_NOTICE, "privileges");
	pxe_log_str(&l, "user", t->user ? t->user : "root");
	pxe_log_uint(&l, "uid", t->user ? t->uid : 0);
	pxe_log_uint(&l, "gid", t->gid);
	pxe_log_str(&l, "caps", t->user && t->uid != 0 ? (len ? caps : "none") : "all (root)");
	pxe_log_end(&l);
}

int pxe_privileges_drop(const char *chroot_dir, const char *user, const char *group,
			const int *keep_caps, size_t n_keep, struct pxe_err *err)
{
	struct drop_target t = {.user = user, .group = group};
	bool root = geteuid() == 0;
	uint64_t keep;
	int r = caps_mask(keep_caps, n_keep, &keep, err);
	if (r < 0)
		return r;
	if ((r = resolve_target(&t, root, err)) < 0)
		goto out;
	if (!root && (r = check_unprivileged(&t, err)) < 0)
		goto out;
	if (chroot_dir && (r = do_chroot(chroot_dir, err)) < 0)
		goto out;
	if (root && (user || group) && (r = switch_ids(&t, keep, err)) == 0)
		log_drop(&t, keep);
out:
	free(t.groups);
	return r;
}

int pxe_privileges_target(const char *user, const char *group, uid_t *uid, gid_t *gid,
			  struct pxe_err *err)
{
	struct drop_target t = {.user = user, .group = group};
	if (geteuid() != 0 || !user)
		return 0;
	int r = resolve_target(&t, false, err);
	free(t.groups);
	if (r < 0)
		return r;
	*uid = t.uid;
	*gid = t.gid;
	return t.uid != 0;
}

/* ------------------------------------------------------------ signals */

static const int sig_nums[] = {SIGHUP, SIGUSR1, SIGTERM, SIGINT};
#define N_SIGS (sizeof(sig_nums) / sizeof(sig_nums[0]))

static void sig_handles(struct pxe_signals *s, uv_signal_t *h[N_SIGS])
{
	h[0] = &s->hup;
	h[1] = &s->usr1;
	h[2] = &s->term;
	h[3] = &s->intr;
}

static void on_signal(uv_signal_t *h, int signum)
{
	struct pxe_signals *s = h->data;
	void (*cb)(void *) = signum == SIGHUP    ? s->on_reload
			     : signum == SIGUSR1 ? s->on_reopen
						 : s->on_stop;
	/* No callback: the signal is still caught, so SIGHUP's or SIGUSR1's
	 * default action (termination) never kills the daemon. */
	if (cb)
		cb(s->ctx);
}

int pxe_signals_start(struct pxe_signals *s, uv_loop_t *loop)
{
	uv_signal_t *h[N_SIGS];
	sig_handles(s, h);
	for (size_t i = 0; i < N_SIGS; i++)
		memset(h[i], 0, sizeof(*h[i]));
	/* A client closing its connection must cost an EPIPE, not the daemon. */
	signal(SIGPIPE, SIG_IGN);
	for (size_t i = 0; i < N_SIGS; i++) {
		int r = uv_signal_init(loop, h[i]);
		if (r == 0) {
			h[i]->data = s;
			r = uv_signal_start(h[i], on_signal, sig_nums[i]);
		}
		if (r < 0) {
			pxe_signals_close(s);
			return r;
		}
		/* Signal handles alone must not keep the loop running. */
		uv_unref((uv_handle_t *)h[i]);
	}
	return 0;
}

void pxe_signals_close(struct pxe_signals *s)
{
	uv_signal_t *h[N_SIGS];
	sig_handles(s, h);
	for (size_t i = 0; i < N_SIGS; i++) {
		uv_handle_t *hh = (uv_handle_t *)h[i];
		if (hh->loop && !uv_is_closing(hh))
			uv_close(hh, NULL);
	}
}
