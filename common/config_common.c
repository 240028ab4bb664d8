#include "config_common.h"

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
