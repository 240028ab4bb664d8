/* SPDX-License-Identifier: MIT */
/* Options every daemon shares (docs/ARCHITECTURE.md, "What every daemon
 * does"): daemon life and logging. A daemon's config struct embeds struct pxe_common_config and its
 * option table includes PXE_OPTS_DAEMON and PXE_OPTS_LOG. */
#ifndef PXE_CONFIG_COMMON_H
#define PXE_CONFIG_COMMON_H

#include <stdbool.h>
#include <stddef.h>

#include "log.h"
#include "opts.h"

struct pxe_common_config {
	bool daemon;
	char *pidfile;
	char *chroot;
	char *user;
	char *group;
	int log_format; /* enum pxe_log_format */
	int log_level;  /* index into pxe_log_level_names (log.h) */
	char *log_file;
	bool syslog;
};

extern const char *const pxe_log_format_choices[];

/* Level number (PXE_LOG_*) of the log-level option's value. */
int pxe_common_log_level(const struct pxe_common_config *c);
/* Fill a pxe_log_config from the common options. */
void pxe_common_log_config(const struct pxe_common_config *c, struct pxe_log_config *out);

/* Checks of option values for pxe_opt.check (preflight.h), the value taken as
 * a path, a user or a group; cfg unused. */
int pxe_optcheck_file(const void *cfg, const char *value, struct pxe_err *err);
int pxe_optcheck_dir(const void *cfg, const char *value, struct pxe_err *err);
int pxe_optcheck_root(const void *cfg, const char *value, struct pxe_err *err);
int pxe_optcheck_user(const void *cfg, const char *value, struct pxe_err *err);
int pxe_optcheck_group(const void *cfg, const char *value, struct pxe_err *err);

/* The user and group a daemon started as root drops to when neither the
 * file nor the command line names one (make DEFAULT_USER=... DEFAULT_GROUP=...),
 * as dnsmasq drops to nobody. */
#ifndef PXE_DEFAULT_USER
#define PXE_DEFAULT_USER "pxesuite"
#endif
#ifndef PXE_DEFAULT_GROUP
#define PXE_DEFAULT_GROUP PXE_DEFAULT_USER
#endif

/* Who pxe_privileges_drop (daemon.h) should become, from the options named
 * user_opt and group_opt of c (their values *user, *group) and where they came
 * from. Not root: a default is dropped (nothing changes for a daemon started
 * as a user). Root: a default user applies with the default group (the user
 * must exist, or -ENOENT with err saying to create it or pass --user root:
 * exit 78); a user that is given takes its own primary group unless a group
 * is given too; root asking to stay root (--user root, or uid 0) is logged
 * as a warning, so call it with the log open. 0 or -errno. */
int pxe_privileges_plan(const struct pxe_config *c, const char *user_opt, const char *group_opt,
			char **user, char **group, struct pxe_err *err);

/* pxe_opt_spec.check_start of every daemon (options "user" and "group"):
 * started as root without --user, the default user (and the default group
 * when no group is given) must exist; the sentence pxe_privileges_plan
 * gives, from --check-config too. 0 or -ENOENT with err filled. */
int pxe_privileges_check(const struct pxe_config *c, struct pxe_err *err);

/* One option per paragraph: the house layout of option tables. */
#define PXE_HELP_USER                                                                              \
	"drop privileges to USER after binding; started as root the default applies, and "         \
	"root stays root (started as a user: no change)"
#define PXE_HELP_GROUP                                                                             \
	"drop privileges to GROUP (the default with the default user, else USER's primary group)"
/* clang-format off */
#define PXE_OPTS_DAEMON(T, M)                                                                      \
	{ .name = "daemon", .type = PXE_OPT_BOOL, .flags = PXE_OPTF_CLI_ONLY,                      \
	  .offset = offsetof(T, M.daemon), .def = "no",                                            \
	  .help = "fork into the background (the default is to stay in the foreground)" },         \
	{ .name = "pidfile", .type = PXE_OPT_STRING, .offset = offsetof(T, M.pidfile),             \
	  .arg = "FILE", .help = "write the process id to FILE after binding" },                   \
	{ .name = "chroot", .type = PXE_OPT_STRING, .offset = offsetof(T, M.chroot),               \
	  .arg = "DIR", .help = "chroot into DIR after binding",                                   \
	  .check = pxe_optcheck_dir },                                                             \
	{ .name = "user", .short_name = 'u', .type = PXE_OPT_STRING,                               \
	  .flags = PXE_OPTF_LAZY_DEFAULT, .offset = offsetof(T, M.user), .arg = "USER",            \
	  .def = PXE_DEFAULT_USER, .help = PXE_HELP_USER, .check = pxe_optcheck_user },            \
	{ .name = "group", .short_name = 'g', .type = PXE_OPT_STRING,                              \
	  .flags = PXE_OPTF_LAZY_DEFAULT, .offset = offsetof(T, M.group), .arg = "GROUP",          \
	  .def = PXE_DEFAULT_GROUP, .help = PXE_HELP_GROUP, .check = pxe_optcheck_group }

#define PXE_OPTS_LOG(T, M)                                                                         \
	{ .name = "log-format", .type = PXE_OPT_ENUM, .offset = offsetof(T, M.log_format),         \
	  .def = "logfmt", .choices = pxe_log_format_choices, .help = "format of log lines" },     \
	{ .name = "log-level", .type = PXE_OPT_ENUM, .offset = offsetof(T, M.log_level),           \
	  .def = "info", .choices = pxe_log_level_names,                                           \
	  .help = "least important level logged" },                                                \
	{ .name = "log", .type = PXE_OPT_STRING, .offset = offsetof(T, M.log_file),                \
	  .arg = "FILE", .help = "log to FILE instead of stderr (reopened on SIGUSR1)" },          \
	{ .name = "syslog", .type = PXE_OPT_BOOL, .offset = offsetof(T, M.syslog), .def = "no",    \
	  .help = "log to syslog (LOG_DAEMON) instead of stderr" }
/* clang-format on */

#endif
