/* SPDX-License-Identifier: MIT */
#include "config_common.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preflight.h"

const char *const pxe_log_format_choices[] = {"logfmt", "json", NULL};

int pxe_common_log_level(const struct pxe_common_config *c)
{
	/* the choices are pxe_log_level_names, in PXE_LOG_ERR..PXE_LOG_DEBUG order */
	return PXE_LOG_ERR + c->log_level;
}

void pxe_common_log_config(const struct pxe_common_config *c, struct pxe_log_config *out)
{
	out->format = (enum pxe_log_format)c->log_format;
	out->level = pxe_common_log_level(c);
	out->file = c->log_file;
	out->syslog = c->syslog;
	out->no_stderr = c->log_file != NULL || c->syslog;
}

int pxe_optcheck_file(const void *cfg, const char *value, struct pxe_err *err)
{
	(void)cfg;
	return pxe_check_readable_file(value, err);
}

int pxe_optcheck_dir(const void *cfg, const char *value, struct pxe_err *err)
{
	(void)cfg;
	return pxe_check_dir(value, err);
}

int pxe_optcheck_root(const void *cfg, const char *value, struct pxe_err *err)
{
	(void)cfg;
	return pxe_check_served_root(value, err);
}

int pxe_optcheck_user(const void *cfg, const char *value, struct pxe_err *err)
{
	(void)cfg;
	return pxe_check_user(value, err);
}

int pxe_optcheck_group(const void *cfg, const char *value, struct pxe_err *err)
{
	(void)cfg;
	return pxe_check_group(value, err);
}

/* The build's default user and group, when they apply: both must exist. */
static int defaults_exist(const char *user, const char *group, struct pxe_err *err)
{
	if (user && !getpwnam(user))
		return pxe_err_set(
			err, ENOENT,
			"started as root without --user, and the default user '%s' does "
			"not exist: create it (systemd-sysusers pxesuite.conf, installed "
			"in sysusers.d) or pass --user root to stay root",
			user);
	if (group && !getgrnam(group))
		return pxe_err_set(
			err, ENOENT,
			"started as root without --user, and the default group '%s' does "
			"not exist: create it (systemd-sysusers pxesuite.conf, installed "
			"in sysusers.d), pass --group, or pass --user root to stay root",
			group);
	return 0;
}

static enum pxe_src_kind source_of(const struct pxe_config *c, const char *name)
{
	for (size_t i = 0; i < c->spec->nopts; i++)
		if (!strcmp(c->spec->opts[i].name, name))
			return c->src[i].kind;
	return PXE_SRC_UNSET;
}

static void forget(char **v)
{
	free(*v);
	*v = NULL;
}

/* root, 0, or a name or number that is uid 0 */
static bool is_root_user(const char *user)
{
	struct passwd *pw = getpwnam(user);
	if (pw)
		return pw->pw_uid == 0;
	return !strcmp(user, "0");
}

int pxe_privileges_plan(const struct pxe_config *c, const char *user_opt, const char *group_opt,
			char **user, char **group, struct pxe_err *err)
{
	bool user_default = source_of(c, user_opt) == PXE_SRC_DEFAULT;
	bool group_default = source_of(c, group_opt) == PXE_SRC_DEFAULT;
	if (geteuid() != 0) {
		/* started as a user: only what was asked, as before */
		if (user_default)
			forget(user);
		if (group_default)
			forget(group);
		return 0;
	}
	if (!user_default) {
		if (group_default) /* --user alone: that user's primary group */
			forget(group);
		if (*user && is_root_user(*user))
			pxe_log_msg(PXE_LOG_WARN, "privileges",
				    "staying root after binding (user %s asked for): every "
				    "privilege is kept; without it the daemon would run as %s",
				    *user, PXE_DEFAULT_USER);
		return 0;
	}
	/* Root and nobody asked: the build's default user, never a silent
	 * stay-as-root when it is missing. */
	return defaults_exist(*user, *group, err);
}

/* The option named name, or NULL. */
static const struct pxe_opt *opt_named(const struct pxe_config *c, const char *name, size_t *idx)
{
	for (size_t i = 0; i < c->spec->nopts; i++)
		if (!strcmp(c->spec->opts[i].name, name)) {
			*idx = i;
			return &c->spec->opts[i];
		}
	return NULL;
}

int pxe_privileges_check(const struct pxe_config *c, struct pxe_err *err)
{
	size_t iu = 0, ig = 0;
	const struct pxe_opt *u = opt_named(c, "user", &iu), *g = opt_named(c, "group", &ig);
	if (geteuid() != 0 || !u || c->src[iu].kind != PXE_SRC_DEFAULT)
		return 0;
	const char *user = *(char *const *)((const char *)c->cfg + u->offset);
	const char *group = g && c->src[ig].kind == PXE_SRC_DEFAULT
				    ? *(char *const *)((const char *)c->cfg + g->offset)
				    : NULL;
	return defaults_exist(user, group, err);
}
