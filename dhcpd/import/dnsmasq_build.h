/* SPDX-License-Identifier: MIT */
/* The dnsmasq model built from a read configuration: see dnsmasq_model.h. */
#ifndef PXE_DHCPD_IMPORT_DNSMASQ_BUILD_H
#define PXE_DHCPD_IMPORT_DNSMASQ_BUILD_H

#include "dnsmasq_model.h"

/* Build the model from c's lines, reporting what does not convert.
 * Heap-allocated (it is large); free with dnsm_model_free; NULL on ENOMEM. */
struct dnsm_model *dnsm_model_build(struct dnsm_conf *c);

#endif
