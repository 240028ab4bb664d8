/* SPDX-License-Identifier: MIT */
/* pxe-httpd: options, privileges, signals, systemd; the server is in
 * server.c and conn.c. `pxe-httpd ROOT [darkhttpd options]`. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "config_common.h"
#include "daemon.h"
#include "httpd.h"
#include "log.h"
#include "opts.h"
#include "sock.h"
#include "tls.h"

struct app {
	struct httpd srv;
	struct pxe_config conf;
	struct pxe_signals sig;
	int argc;
	char **argv;
	bool chrooted;
	bool root_is_file; /* --single-file, or an image: chroot to its directory */
	int exit_code;
};

static void event_log_config(const struct httpd_config *c, struct pxe_log_config *l)
{
	memset(l, 0, sizeof(*l));
	l->format = (enum pxe_log_format)c->log_format;
	l->level = PXE_LOG_ERR + c->log_level; /* choices: pxe_log_level_names */
	l->file = c->error_log;
	l->no_stderr = c->error_log != NULL;
}

/* Lift the soft RLIMIT_NOFILE to the hard one: thousands of connections
 * are the point (darkhttpd's select() stops near 1020). */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* An image keeps the name it was given (a link "arch.iso" pointing to
 * this month's image is served as /arch.iso, and is looked at again on
 * SIGHUP); only its directory is made absolute. One that is gone (mv'd
 * away before a SIGHUP) gets the same path, for pxe_root_reload to judge. */
static char *absolute_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return NULL;
	char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
	char *adir = dir ? realpath(dir, NULL) : NULL, *abs = NULL;
	if (adir && asprintf(&abs, "%s/%s", strcmp(adir, "/") ? adir : "", name) < 0)
		abs = NULL;
	free(dir);
	free(adir);
	return abs;
}

/* The daemon runs in "/" after --daemon: make ROOT absolute first. */
static int absolute_root(struct httpd_config *cfg)
{
	struct stat st;
	char *abs = NULL;
	if (!cfg->single_file && (stat(cfg->root, &st) < 0 || !S_ISDIR(st.st_mode)))
		abs = absolute_file(cfg->root);
	if (!abs && !(abs = realpath(cfg->root, NULL)))
		return -errno;
	free(cfg->root);
	cfg->root = abs;
	return 0;
}

/* --daemon runs in "/": a relative file name would then mean another file. */
static void absolutize(char **path)
{
	char cwd[PATH_MAX], *abs;
	if (!*path || (*path)[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		return;
	if (asprintf(&abs, "%s/%s", cwd, *path) < 0)
		return;
	free(*path);
	*path = abs;
}

static void absolute_paths(struct httpd_config *cfg)
{
	absolutize(&cfg->access_log);
	absolutize(&cfg->pidfile);
	absolutize(&cfg->mimetypes);
	absolutize(&cfg->auth_file);
}

/* After chroot(ROOT) the root is "/". A file cannot be chrooted into: for
 * --single-file and an image the chroot is the file's directory, so that
 * a reload still finds an image replaced there by mv. */
static int chroot_dir_of(const struct httpd_config *cfg, bool root_is_file, char *buf, size_t cap)
{
	const char *slash = strrchr(cfg->root, '/');
	if (!root_is_file)
		return snprintf(buf, cap, "%s", cfg->root);
	return snprintf(buf, cap, "%.*s", slash == cfg->root ? 1 : (int)(slash - cfg->root),
			cfg->root);
}

static void rebase_root(struct httpd_config *cfg, bool root_is_file)
{
	char *nr;
	if (root_is_file) {
		const char *slash = strrchr(cfg->root, '/');
		if (asprintf(&nr, "/%s", slash ? slash + 1 : cfg->root) < 0)
			return;
	} else if (!(nr = strdup("/"))) {
		return;
	}
	free(cfg->root);
	cfg->root = nr;
}

static void on_reopen(void *ctx)
{
	struct app *a = ctx;
	int r = access_log_reopen(&a->srv.alog);
	if (r < 0)
		pxe_log_msg(PXE_LOG_ERR, "reopen", "access log: %s", strerror(-r));
	pxe_log_reopen();
	pxe_log_msg(PXE_LOG_INFO, "reopen", "log files reopened");
}

static bool listen_changed(const struct httpd_config *a, const struct httpd_config *b)
{
	if (a->tls_listen.n != b->tls_listen.n)
		return true;
	for (size_t i = 0; i < a->tls_listen.n; i++)
		if (!pxe_addr_equal(&a->tls_listen.v[i].u.sa, &b->tls_listen.v[i].u.sa))
			return true;
	if (a->port != b->port || a->ipv6 != b->ipv6 || a->listen.n != b->listen.n ||
	    (a->addr == NULL) != (b->addr == NULL) || (a->addr && strcmp(a->addr, b->addr)))
		return true;
	for (size_t i = 0; i < a->listen.n; i++)
		if (!pxe_addr_equal(&a->listen.v[i].u.sa, &b->listen.v[i].u.sa))
			return true;
	return false;
}

/* What is served, in one line: the directory, or the image with its name
 * set, file count and label (pxe_root_describe). */
static void log_serving(const struct httpd *s, const char *event)
{
	char desc[512];
	if (s->rt.single_name) {
		pxe_log_msg(PXE_LOG_NOTICE, event, "serving the single file %s", s->cfg->root);
		return;
	}
	pxe_root_describe(s->rt.root, desc, sizeof(desc));
	pxe_log_msg(PXE_LOG_NOTICE, event, "serving %s", desc);
}

/* SIGHUP: parse everything again into a fresh config; on any error the old
 * one stays in force. Listeners, user, chroot need a restart. */
static void on_reload(void *ctx)
{
	struct app *a = ctx;
	struct pxe_config nc;
	struct pxe_err err = {""};
	pxe_sd_notify_reloading();
	int r = pxe_config_load(&httpd_spec, a->argc, a->argv, &nc, &err);
	struct httpd_config *cfg = r == 0 ? nc.cfg : NULL;
	if (cfg)
		absolute_paths(cfg);
	if (r == 0 && a->chrooted)
		rebase_root(cfg, a->root_is_file);
	else if (r == 0)
		r = absolute_root(cfg) < 0
			    ? pxe_err_set(&err, errno, "%s: %s", cfg->root, strerror(errno))
			    : 0;
	struct httpd_runtime rt;
	bool root_changed = false;
	if (r == 0 && (r = httpd_runtime_init(&rt, cfg, a->srv.rt.root, &root_changed, &err)) < 0)
		httpd_runtime_free(&rt);
	if (r < 0) {
		pxe_log_msg(PXE_LOG_ERR, "reload", "keeping the old configuration: %s", err.msg);
		if (cfg)
			pxe_config_free(&nc);
		pxe_sd_notify("READY=1");
		return;
	}
	if (listen_changed(a->srv.cfg, cfg))
		pxe_log_msg(PXE_LOG_WARN, "reload", "listen addresses changed: restart to apply");
	struct access_log nl;
	const struct httpd_config *old = a->srv.cfg;
	bool alog_same =
		old->syslog == cfg->syslog && old->access_log_format == cfg->access_log_format &&
		((!old->access_log && !cfg->access_log) ||
		 (old->access_log && cfg->access_log && !strcmp(old->access_log, cfg->access_log)));
	if (!alog_same &&
	    access_log_open(&nl, cfg->access_log, cfg->syslog, cfg->access_log_format) == 0) {
		access_log_close(&a->srv.alog);
		a->srv.alog = nl;
	}
	struct pxe_log_config lc;
	event_log_config(cfg, &lc);
	pxe_log_open("pxe-httpd", &lc);
	/* Always: entries point into the old runtime's MIME tables, and after a
	 * root change name other files. Responses in flight keep their entry
	 * and, through its descriptor, a replaced image. */
	fc_flush(&a->srv.fc);
	httpd_runtime_free(&a->srv.rt);
	a->srv.rt = rt;
	a->srv.cfg = cfg;
	pxe_config_free(&a->conf);
	a->conf = nc;
	if (root_changed)
		log_serving(&a->srv, "reload");
	pxe_log_msg(PXE_LOG_INFO, "reload", "configuration reloaded");
	pxe_sd_notify("READY=1");
}

static void on_stop(void *ctx)
{
	struct app *a = ctx;
	pxe_sd_notify("STOPPING=1");
	pxe_log_msg(PXE_LOG_INFO, "stop", "stopping; %llu requests served",
		    (unsigned long long)a->srv.requests);
	httpd_server_stop(&a->srv);
	pxe_signals_close(&a->sig);
}

static int fail(struct app *a, int code, const char *what, const char *msg)
{
	pxe_log_startup_err("pxe-httpd", "%s%s", what, msg);
	pxe_daemon_ready(code);
	a->exit_code = code;
	return code;
}

/* Bind, write the pid file, tell systemd, then chroot and drop privileges. */
static int setup(struct app *a)
{
	struct httpd *s = &a->srv;
	struct httpd_config *cfg = s->cfg;
	struct pxe_err err = {""};
	if (httpd_runtime_init(&s->rt, cfg, NULL, NULL, &err) < 0)
		return fail(a, 1, "", err.msg);
	a->root_is_file = cfg->single_file || pxe_root_kind(s->rt.root) == PXE_ROOT_IMAGE;
	int r = access_log_open(&s->alog, cfg->access_log, cfg->syslog, cfg->access_log_format);
	if (r < 0)
		return fail(a, 1, "--log: ", strerror(-r));
	if (fc_init(&s->fc, 1024, 1000) < 0)
		return fail(a, 1, "", "out of memory");
	if (httpd_listen(s, &err) < 0)
		return fail(a, 1, "", err.msg);
	if (cfg->pidfile && pxe_pidfile_write(cfg->pidfile, &err) < 0)
		return fail(a, 1, "", err.msg);
	pxe_sd_notify_keep();
	char dir[PATH_MAX];
	if (cfg->chroot)
		chroot_dir_of(cfg, a->root_is_file, dir, sizeof(dir));
	if (pxe_privileges_drop(cfg->chroot ? dir : NULL, cfg->user, cfg->group, NULL, 0, &err) < 0)
		return fail(a, 1, "", err.msg);
	a->chrooted = cfg->chroot;
	if (httpd_server_start(s) < 0)
		return fail(a, 1, "", "cannot start the event loop");
	a->sig = (struct pxe_signals){
		.on_reload = on_reload, .on_reopen = on_reopen, .on_stop = on_stop, .ctx = a};
	pxe_signals_start(&a->sig, s->loop);
	return 0;
}

static void log_ready(struct app *a)
{
	struct httpd *s = &a->srv;
	for (size_t i = 0; i < s->nlis; i++) {
		struct pxe_sockaddr sa;
		sa.len = sizeof(sa.u);
		getsockname(s->lis[i].fd, &sa.u.sa, &sa.len);
		struct pxe_log_line l;
		pxe_log_begin(&l, PXE_LOG_INFO, "listen");
		pxe_log_addr(&l, "addr", &sa.u.sa);
		pxe_log_str(&l, "proto", s->lis[i].tls ? "https" : "http");
		pxe_log_str(&l, "root", s->cfg->root);
		pxe_log_end(&l);
	}
	log_serving(s, "start");
	if (s->rt.tls) {
		/* kTLS is decided per connection (BIO_get_ktls_send); this says
		 * whether the kernel offers it at all */
		const char *why = NULL;
		int k = tls_ktls_possible(&why);
		if (k > 0)
			pxe_log_msg(PXE_LOG_INFO, "start", "kTLS: possible (sendfile over TLS)");
		else if (k < 0)
			pxe_log_msg(
				PXE_LOG_INFO, "start",
				"kTLS: cannot tell (TCP_ULP probe: %s): each connection tries it",
				why);
		else
			pxe_log_msg(PXE_LOG_INFO, "start",
				    "kTLS: unavailable (%s): TLS bodies go by pread + SSL_write",
				    why);
	}
	pxe_sd_notifyf("READY=1\nSTATUS=serving %s", s->cfg->root);
}

/* `pxe-httpd --tls-efi-ca PEM > cacerts.bin`: a tool mode, not a server
 * option (no ROOT): the CA list for OVMF's fw_cfg etc/edk2/https/cacerts. */
static int efi_ca_mode(int argc, char **argv)
{
	const char *pem = NULL;
	if (argc == 3 && !strcmp(argv[1], "--tls-efi-ca"))
		pem = argv[2];
	else if (argc == 2 && !strncmp(argv[1], "--tls-efi-ca=", 13))
		pem = argv[1] + 13;
	else
		return -1;
	if (isatty(STDOUT_FILENO)) {
		fprintf(stderr,
			"pxe-httpd: --tls-efi-ca writes binary: redirect stdout to a file\n");
		return 64;
	}
	struct pxe_err err = {""};
	if (tls_efi_ca_write(pem, stdout, &err) < 0) {
		fprintf(stderr, "pxe-httpd: %s\n", err.msg);
		return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct app a;
	int rc = efi_ca_mode(argc, argv);
	if (rc >= 0)
		return rc;
	rc = pxe_config_main(&httpd_spec, argc, argv, &a.conf);
	if (rc >= 0)
		return rc;
	a.argc = argc;
	a.argv = argv;
	a.srv.cfg = a.conf.cfg;
	struct pxe_log_config lc;
	event_log_config(a.srv.cfg, &lc);
	if ((rc = pxe_log_open("pxe-httpd", &lc)) < 0) {
		pxe_log_startup_err("pxe-httpd", "--error-log %s: %s", lc.file, strerror(-rc));
		return 1;
	}
	if (absolute_root(a.srv.cfg) < 0) {
		pxe_log_startup_err("pxe-httpd", "%s: %s", a.srv.cfg->root, strerror(errno));
		return 1;
	}
	absolute_paths(a.srv.cfg);
	struct pxe_err err;
	if (pxe_privileges_plan(&a.conf, "user", "group", &a.srv.cfg->user, &a.srv.cfg->group,
				&err) < 0) {
		pxe_log_startup_err("pxe-httpd", "%s", err.msg);
		return PXE_EX_CONFIG;
	}
	raise_nofile();
	if (a.srv.cfg->daemon && (rc = pxe_daemon_start()) < 0) {
		pxe_log_startup_err("pxe-httpd", "--daemon: %s", strerror(-rc));
		return 1;
	}
	a.srv.loop = uv_default_loop();
	if (setup(&a) != 0)
		return a.exit_code;
	log_ready(&a);
	pxe_daemon_ready(0);
	uv_run(a.srv.loop, UV_RUN_DEFAULT);
	access_log_close(&a.srv.alog);
	fc_destroy(&a.srv.fc);
	httpd_runtime_free(&a.srv.rt);
	pxe_config_free(&a.conf);
	pxe_log_close();
	return 0;
}
