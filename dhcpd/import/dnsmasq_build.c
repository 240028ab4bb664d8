/* SPDX-License-Identifier: MIT */
/* The model in dnsmasq's own order: hosts and ranges (they set tags),
 * then the tag sources with tag-if last, then the lines that use tags. */
#include <stdlib.h>

#include "dnsmasq_build.h"
#include "dnsmasq_tags.h"

struct dnsm_model *dnsm_model_build(struct dnsm_conf *c)
{
	struct dnsm_model *m = dnsm_model_new(c);
	if (!m)
		return NULL;
	if (dnsm_tags_build(m) < 0) {
		dnsm_model_free(m);
		return NULL;
	}
	dnsm_model_lines(m);
	return m;
}
