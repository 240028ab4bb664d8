/* SPDX-License-Identifier: MIT */
/* libFuzzer target: lease journal lines of both families (parse, apply to
 * a store, format back; DHCPv6 lines go to the v6 store). The journal is ours, but a disk, an
 * editor or a crash can put anything in it, and replay must never fail on content. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "journal.h"
#include "leases.h"
#include "leases6.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_leases *s;
	if (!s) {
		struct dhcp_range_def r = {0xc6120100u, 0xc61201ffu};
		struct dhcp6_range_def r6 = {
			{0xfd, 0, 1, 0x98, 0, 0x18, 0, 1},
			{0xfd, 0, 1, 0x98, 0, 0x18, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0xff}};
		s = dhcp_leases_new();
		dhcp_leases_set_ranges(s, &r, 1, NULL, 0);
		dhcp6_leases_set_ranges(dhcp_leases_v6(s), &r6, 1, NULL, 0);
	}
	struct dhcp6_leases *s6 = dhcp_leases_v6(s);
	char line[1100];
	if (size >= sizeof(line))
		return 0;
	memcpy(line, data, size);
	line[size] = '\0';
	struct dhcp_jrec rec;
	const char *why = NULL;
	if (dhcp_journal_parse(line, &rec, &why) < 0)
		return 0;
	dhcp_journal_apply(s, &rec, 1764061200);
	if (rec.family == 6) {
		struct dhcp6_lease *l = dhcp6_lease_by_addr(s6, rec.addr6);
		char out[1024];
		if (l && !dhcp_journal_format6(out, sizeof(out), rec.ts, rec.ev, l))
			abort();
		uint8_t a[16]; /* whatever the lines did, allocation stays in its range */
		if (dhcp6_leases_alloc(s6, 0, 1, 1764061200, a) == 0 &&
		    dhcp6_leases_range_of(s6, a))
			abort();
	} else {
		struct dhcp_lease *l = dhcp_lease_by_addr(s, rec.addr);
		char out[512];
		if (l && !dhcp_journal_format(out, sizeof(out), rec.ts, rec.ev, l))
			abort();
	}
	if (dhcp_leases_count(s) > 200)
		dhcp_leases_expire(s, 4000000000LL, NULL, NULL);
	if (dhcp6_leases_count(s6) > 200)
		dhcp6_leases_expire(s6, 4000000000LL, NULL, NULL);
	return 0;
}
