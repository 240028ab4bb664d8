/* SPDX-License-Identifier: MIT */
/* libFuzzer: a whole DHCPv6 request (or relayed request) through the
 * DHCPv6 decisions as it comes off the wire: dhcp6_parse, then
 * dhcp6_decide in full mode and in boot-only mode, on the receiving link
 * and as if it came on port 4011, against a config with reservations,
 * a tiny range that runs out, Rapid Commit on one link and not the other,
 * and [boot] sections of every kind. The first input byte picks the mode
 * and the link; the clock moves on with every input so leases expire.
 * Invariants (abort on violation):
 *   - every reply parses back, fits DHCP6_MAX_MSG, and has as many relay
 *     layers as the request;
 *   - a reply in boot-only mode carries no IA_NA and writes no journal;
 *   - no two live leases hold one address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "config.h"
#include "config6.h"
#include "config_spec.h"
#include "leases6.h"
#include "v6/decide.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char full_text[] =
	"[dhcpd]\nlease-time = 2m\noffer-time = 5s\ndecline-time = 1m\n"
	"[subnet6 fd00:198:18:1::/64]\nrange = fd00:198:18:1::100-fd00:198:18:1::103\n"
	"dns = fd00:198:18:1::53\n"
	"[subnet6 fd00:198:18:2::/64]\nrange = fd00:198:18:2::10-fd00:198:18:2::10\n"
	"rapid-commit = no\npreference = 3\n"
	"[host h]\nmac = 52:54:00:00:00:99\naddress6 = fd00:198:18:1::42\nhostname = h\n"
	"[host d]\nduid = 00:03:00:01:02:00:00:00:00:07\naddress6 = fd00:198:18:2::77\n"
	"[boot http]\nmatch = ipv6 http\nfile = http://${server}/${arch}/x.efi\n"
	"bootfile-param = a\nbootfile-param = bb\n"
	"[boot name]\nmatch = ipv6 ipxe\nfile = https://boot.example/${mac-hex}.ipxe\n"
	"[boot uefi]\nmatch = uefi\nfile = ipxe.efi\n";
static const char boot_text[] = "[dhcpd]\nmode = proxy\ndhcpv6 = boot-only\n"
				"[boot uefi]\nmatch = uefi\nfile = ${arch}/ipxe.efi\n"
				"[boot any]\nfile = http://${server}/boot.ipxe\n";

struct world {
	struct pxe_config conf;
	struct dhcp6_leases *store;
	struct dhcp6_ctx ctx;
};

static struct world full, boot;
static struct dhcp6_msg req, rep;
static struct dhcp6_out out;
static const uint8_t duid[] = {0, 3, 0, 1, 2, 0, 0, 0, 0, 1};
static int64_t now = 1800000000;

static void load(struct world *w, const char *text, size_t len)
{
	char path[] = "/tmp/fuzz-dhcpd-decide6-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len)
		abort();
	close(fd);
	char *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	struct pxe_err e;
	if (pxe_config_load(&dhcp_config_spec, 3, argv, &w->conf, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		abort();
	}
	unlink(path);
	const struct dhcpd_config *c = w->conf.cfg;
	w->store = dhcp6_leases_new();
	if (!w->store ||
	    dhcp6_leases_set_ranges(w->store, c->ranges6, c->n_ranges6,
				    (const uint8_t(*)[16])c->reserved6, c->n_reserved6))
		abort();
	w->ctx = (struct dhcp6_ctx){
		.cfg = c, .leases = w->store, .duid = duid, .duid_len = sizeof(duid)};
}

static void init(void)
{
	load(&full, full_text, sizeof(full_text) - 1);
	load(&boot, boot_text, sizeof(boot_text) - 1);
}

static void check_unique(const struct dhcp6_leases *s)
{
	size_t n = dhcp6_leases_count(s);
	for (size_t i = 0; i < n; i++) {
		const struct dhcp6_lease *a = dhcp6_leases_at(s, i);
		if (!dhcp6_lease_active(a, now) || a->state == LEASE_DECLINED)
			continue;
		if (dhcp6_lease_by_addr(s, a->addr) != a)
			abort();
	}
}

static void check_reply(const struct world *w, int type)
{
	if (!type)
		return;
	if (out.len > DHCP6_MAX_MSG || dhcp6_parse(out.buf, out.len, &rep) < 0)
		abort();
	if (rep.n_relays != req.n_relays || rep.type != type)
		abort();
	if (w == &boot && (rep.n_ia_na || out.n_ev))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	if (!ready) {
		init();
		ready = true;
	}
	if (size < 1)
		return 0;
	uint8_t sel = data[0];
	data++, size--;
	now += sel & 0x0f; /* time moves: offers and leases expire */
	if (dhcp6_parse(data, size, &req) < 0)
		return 0;
	struct world *w = sel & 0x80 ? &boot : &full;
	const struct dhcpd_config *c = w->ctx.cfg;
	struct dhcp6_rx rx = {.ifindex = 2,
			      .multicast = !(sel & 0x40),
			      .on_4011 = sel & 0x20,
			      .has_server = !(sel & 0x10)};
	inet_pton(AF_INET6, sel & 0x08 ? "fd00:198:18:2::1" : "fd00:198:18:1::1", rx.server);
	rx.link = dhcp_config_subnet6_for(c, rx.server);
	int type = dhcp6_decide(&w->ctx, &req, &rx, now, &out);
	check_reply(w, type);
	check_unique(w->store);
	return 0;
}
