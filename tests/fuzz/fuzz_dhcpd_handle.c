/* SPDX-License-Identifier: MIT */
/* libFuzzer: a whole request through the DHCPv4 decisions and the PXE boot
 * service, as it comes off the wire: dhcp_parse, then full mode
 * (dhcp_decide, with the boot decision's contents), the proxyDHCP reply
 * and the port-4011 reply through dhcp_handle, against a config with
 * every kind of [boot] section (menu, Pi, HTTP URL with a host name,
 * iPXE, quirks). Invariants (abort on violation):
 *   - every reply parses back, is at most the client's limit, and at most
 *     1472 bytes for an HTTP Boot client;
 *   - a proxy or 4011 reply never offers an address (yiaddr 0) and never
 *     writes the lease journal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "config_spec.h"
#include "v4/decide.h"
#include "v4/handle.h"
#include "v4/proxy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf_text[] =
	"[dhcpd]\nmode = full\n"
	"[subnet 198.18.0.0/24]\nrange = 198.18.0.10-198.18.0.200\ndns = 198.18.0.1\n"
	"[boot ipxe]\nmatch = ipxe\nfile = http://${server}/${mac-hex}.ipxe\n"
	"[boot pi]\nmatch = rpi\nfile = bootcode.bin\n"
	"[boot httpname]\nmatch = http mac:02\nfile = "
	"http://boot.example/${arch}/${arch-code}.efi\n"
	"[boot http]\nmatch = http\nfile = http://${server}/x.efi\n"
	"[boot q]\nmatch = uefi !arch:arm64-uefi\nfile = ${arch}/ipxe.efi\noption43 = no-uefi\n"
	"echo-uuid = no\nbroadcast = yes\nreply-delay = 10ms\noption = 209:\"a/b\"\n"
	"[boot menu]\nmatch = arch:bios mac:52\nmenu-item = a.0 A\nmenu-item = local Disk\n"
	"menu-prompt = 3 Go\n"
	"[boot bios]\nmatch = arch:bios\nfile = undionly.kpxe\nnext-server = 198.18.0.5\n"
	"server-name = tftp\n";

static struct pxe_config conf;
static struct dhcp_ctx ctx;
static struct dhcp_msg req, rep;
static struct dhcp_out out;

static void init(void)
{
	char path[] = "/tmp/fuzz-dhcpd-handle-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, conf_text, sizeof(conf_text) - 1) != (ssize_t)sizeof(conf_text) - 1)
		abort();
	close(fd);
	char *argv[] = {"pxe-dhcpd", "-c", path, NULL};
	struct pxe_err e;
	if (pxe_config_load(&dhcp_config_spec, 3, argv, &conf, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		abort();
	}
	unlink(path);
	const struct dhcpd_config *c = conf.cfg;
	ctx.cfg = c;
	ctx.leases = dhcp_leases_new();
	if (!ctx.leases ||
	    dhcp_leases_set_ranges(ctx.leases, c->ranges, c->n_ranges, c->reserved, c->n_reserved))
		abort();
}

static void check_reply(bool proxy)
{
	if (!out.type)
		return;
	if (dhcp_parse(out.buf, out.len, &rep) < 0 || out.len > dhcp_max_reply(&req, DHCP_MAX_MSG))
		abort();
	if (out.boot.made && out.boot.client.is_http && out.len > 1472)
		abort();
	if (proxy && (rep.yiaddr || out.journal))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	static int64_t now = 1000;
	if (!ready) {
		init();
		ready = true;
	}
	if (dhcp_parse(data, size, &req) < 0)
		return 0;
	const struct dhcp_rx rx = {
		.local_addr = 0xc6120001u, .ifindex = 2, .src_addr = 0x400012c6u, .src_port = 4011};
	dhcp_decide(&ctx, &req, &rx, now++, &out);
	check_reply(false);
	dhcp_proxy_decide(conf.cfg, &req, &rx, false, &out);
	check_reply(true);
	const struct dhcp_rx rx4011 = {.local_addr = rx.local_addr,
				       .ifindex = 2,
				       .on_4011 = true,
				       .src_addr = rx.src_addr,
				       .src_port = rx.src_port};
	dhcp_handle(&ctx, &req, &rx4011, now++, &out);
	check_reply(true);
	if (out.type && (out.dest != DEST_SOURCE || out.dst_port != 4011))
		abort(); /* a boot-server reply goes back where the request came from */
	return 0;
}
