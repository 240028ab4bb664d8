/* SPDX-License-Identifier: MIT */
/* libFuzzer target: lease journal lines (parse, apply to a store, format
 * back). The journal is ours, but a disk, an editor or a crash can put
 * anything in it, and replay must never fail on content. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "leases.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_leases *s;
	if (!s) {
		struct dhcp_range_def r = {0xc6120100u, 0xc61201ffu};
		s = dhcp_leases_new();
		dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
	}
	char line[1100];
	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	struct dhcp_jrec rec;
	const char *why = NULL;
	if (dhcp_journal_parse(line, &rec, &why) == 0) {
		dhcp_journal_apply(s, &rec, 1764061200);
		struct dhcp_lease *l = dhcp_lease_by_addr(s, rec.addr);
		char out[512];
		if (l && !dhcp_journal_format(out, sizeof(out), rec.ts, rec.ev, l))
			abort();
	}
	if (dhcp_leases_count(s) > 200)
		dhcp_leases_expire(s, 4000000000LL, NULL, NULL);
	return 0;
}
