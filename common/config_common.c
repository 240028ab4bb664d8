/* SPDX-License-Identifier: MIT */
#include "config_common.h"

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
