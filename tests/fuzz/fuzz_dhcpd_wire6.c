/* SPDX-License-Identifier: MIT */
/* libFuzzer target: the DHCPv6 parser and relay unwrapping (dhcpd/v6/wire.c),
 * and for what it accepts, a reply built from the parse, wrapped back in
 * RELAY-REPL layers, and the mapping onto the PXE layer's raw form. The
 * reply and its wrapping must parse back (ASan finds the rest). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pxe/client.h"
#include "v6/options.h"
#include "v6/wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int build_reply(const struct dhcp6_msg *m, uint8_t *buf, size_t cap)
{
	static const uint8_t srv[10] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 1};
	static const uint8_t dns[1][16] = {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}};
	static const char *const vc[] = {"HTTPClient"};
	struct dhcp6_builder b;
	struct dhcp6_iaaddr a = {.addr = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x64}, 3600, 7200};

	if (dhcp6_build_start(&b, buf, cap, DHCP6_ADVERTISE, m->xid) < 0)
		return -1;
	dhcp6_build_opt(&b, D6O_SERVERID, srv, sizeof(srv));
	if (m->client_id.data)
		dhcp6_build_opt(&b, D6O_CLIENTID, m->client_id.data, m->client_id.len);
	for (size_t i = 0; i < m->n_ia_na; i++)
		dhcp6_build_ia_na(&b, m->ia_na[i].iaid, 1800, 2880, &a, i == 0, i ? 2 : 0,
				  i ? "none" : NULL);
	dhcp6_build_u8(&b, D6O_PREFERENCE, 255);
	if (m->bootfile_url.data)
		dhcp6_build_opt(&b, D6O_BOOTFILE_URL, m->bootfile_url.data, m->bootfile_url.len);
	dhcp6_build_items(&b, D6O_VENDOR_CLASS, true, DHCP6_ENTERPRISE_INTEL, vc, 1);
	dhcp6_build_addrs(&b, D6O_DNS_SERVERS, dns, 1);
	if (m->rapid_commit)
		dhcp6_build_opt(&b, D6O_RAPID_COMMIT, NULL, 0);
	return dhcp6_build_finish(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dhcp6_msg m, back;
	static uint8_t out[DHCP6_MAX_MSG];
	struct dhcp_pxe_raw raw;
	struct dhcp6_pxe_scratch s;
	struct dhcp_pxe_client c;
	uint8_t mac[6];

	if (dhcp6_parse(data, size, &m) < 0)
		return 0;
	dhcp6_client_mac(&m, mac);
	dhcp6_pxe_raw(&m, &raw, &s);
	dhcp_pxe_client_classify(&raw, &c);
	/* A small cap taken from the input, so that -ENOSPC paths run too. */
	size_t cap = size ? (size_t)data[size - 1] * 16 : sizeof(out);
	if (cap > sizeof(out))
		cap = sizeof(out);
	int n = build_reply(&m, out, cap);
	if (n < 0)
		return 0;
	if (dhcp6_parse(out, (size_t)n, &back) < 0 || back.xid != m.xid)
		abort();
	int w = dhcp6_wrap_relay_reply(&m, out, (size_t)n, out, sizeof(out));
	if (w < 0)
		return 0;
	if (dhcp6_parse(out, (size_t)w, &back) < 0 || back.n_relays != m.n_relays ||
	    back.type != DHCP6_ADVERTISE)
		abort();
	return 0;
}
