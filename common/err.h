/* SPDX-License-Identifier: MIT */
/* Error reports from common/: functions return a negative errno and, where
 * the caller needs a sentence for a human, fill a struct pxe_err.
 * Nothing in common/ exits or prints on its own. */
#ifndef PXE_ERR_H
#define PXE_ERR_H

#include <stddef.h>

struct pxe_err {
	char msg[1024];
};

/* printf into err->msg (truncating); returns -code so that callers can
 * write `return pxe_err_set(err, EINVAL, "...")`. err may be NULL. */
int pxe_err_set(struct pxe_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
