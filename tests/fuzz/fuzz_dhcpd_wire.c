/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the DHCP packet parser and the protocol decisions on
 * whatever it accepts (a fixed config, a fresh lease store each run would
 * be slow: one store is reused, as the daemon does). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "v4/decide.h"
#include "v4/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct dhcp_ctx ctx;
static struct dhcpd_config cfg;

static void init(void)
{
	static struct dhcp_subnet sub;
	static struct dhcp_range_def r = {0xc6120100u, 0xc61201ffu};
	sub.net = 0xc6120000u;
	sub.mask = 0xffff0000u;
	sub.n_ranges = 1;
	sub.lease_secs = 3600;
	cfg.subnets = &sub;
	cfg.n_subnets = 1;
	cfg.ranges = &r;
	cfg.n_ranges = 1;
	cfg.lease_time_ms = 3600000;
	cfg.offer_time_ms = 30000;
	cfg.decline_time_ms = 60000;
	cfg.authoritative = true;
	ctx.cfg = &cfg;
	ctx.leases = dhcp_leases_new();
	dhcp_leases_set_ranges(ctx.leases, &r, 1, NULL, 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp_msg m, back;
	static struct dhcp_out out;
	static int64_t now = 1000;
	static const struct dhcp_rx rx = {.local_addr = 0xc6120001u, .ifindex = 2};
	if (!ctx.leases)
		init();
	if (dhcp_parse(data, size, &m) < 0)
		return 0;
	dhcp_decide(&ctx, &m, &rx, now++, &out);
	if (out.type) {
		/* every reply parses back and respects the client's size */
		if (dhcp_parse(out.buf, out.len, &back) < 0 ||
		    out.len > dhcp_max_reply(&m, DHCP_MAX_MSG))
			abort();
	}
	if (now % 4096 == 0)
		dhcp_leases_expire(ctx.leases, now + 100000, NULL, NULL);
	return 0;
}
