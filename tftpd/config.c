/* SPDX-License-Identifier: MIT */
/* pxe-tftpd's option table and whole-config validation. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "root.h"

#define C(m) offsetof(struct tftpd_config, m)

static const char *const unique_root_choices[] = {"none", "ip", NULL};

/* One option per paragraph: the house layout of option tables. */
/* clang-format off */
static const struct pxe_opt tftpd_opts[] = {
	{ .name = "listen", .short_name = 'l', .type = PXE_OPT_ADDRLIST, .flags = PXE_OPTF_SPLIT,
	  .offset = C(listen), .def = "0.0.0.0:69 [::]:69", .default_port = 69,
	  .arg = "ADDR[:PORT]",
	  .help = "address to listen on (default: the IPv4 and IPv6 wildcards, port 69)" },
	{ .name = "root", .type = PXE_OPT_STRING, .flags = PXE_OPTF_POSITIONAL, .offset = C(root),
	  .def = "/srv/tftp", .arg = "DIR|IMAGE",
	  .help = "directory or ISO 9660 image file to serve (told apart by content)",
	  .check = pxe_optcheck_root },
	{ .name = "fallback-root", .type = PXE_OPT_STRLIST, .offset = C(fallback_root),
	  .arg = "DIR|IMAGE",
	  .help = "also serve this directory or image where ROOT has no such file (repeatable, "
	          "tried in order)",
	  .check = pxe_optcheck_root },
	{ .name = "blksize-max", .short_name = 'B', .type = PXE_OPT_INT, .offset = C(blksize_max),
	  .def = "0", .min = 0, .max = 65464, .arg = "BYTES",
	  .help = "largest blksize granted (8..65464; 0: MTU of the receiving interface "
	          "minus 32 for IPv4, 52 for IPv6)" },
	{ .name = "windowsize-max", .type = PXE_OPT_INT, .offset = C(windowsize_max), .def = "64",
	  .min = 1, .max = 65535, .arg = "N", .help = "largest windowsize granted (RFC 7440)" },
	{ .name = "timeout", .short_name = 'T', .type = PXE_OPT_DURATION, .offset = C(timeout_ms),
	  .def = "1s", .min = 10, .max = 255000, .arg = "DURATION",
	  .help = "longest wait before a retransmit, unless the client sets one (RFC 2349)" },
	{ .name = "retries", .type = PXE_OPT_INT, .offset = C(retries), .def = "6", .min = 1,
	  .max = 100, .arg = "N", .help = "retransmits at the full timeout before giving up" },
	{ .name = "rollover", .type = PXE_OPT_INT, .offset = C(rollover), .def = "0", .min = 0,
	  .max = 1, .arg = "0|1", .help = "block number after 65535" },
	{ .name = "max-transfers", .type = PXE_OPT_INT, .offset = C(max_transfers), .def = "1000",
	  .min = 1, .max = 1000000, .arg = "N",
	  .help = "concurrent transfers; more get ERROR 0 \"server busy\"" },
	{ .name = "port-range", .short_name = 'R', .type = PXE_OPT_STRING, .offset = C(port_range),
	  .arg = "A:B", .help = "local ports of transfers (default: any ephemeral port)" },
	{ .name = "single-port", .type = PXE_OPT_BOOL, .offset = C(single_port), .def = "no",
	  .help = "serve every transfer from the listen port (NAT, firewalls)" },
	{ .name = "allow-write", .type = PXE_OPT_BOOL, .offset = C(allow_write), .def = "no",
	  .help = "accept write requests (WRQ) for existing files" },
	{ .name = "create", .type = PXE_OPT_BOOL, .offset = C(create), .def = "no",
	  .help = "with allow-write: also create new files" },
	{ .name = "umask", .short_name = 'U', .type = PXE_OPT_STRING, .offset = C(umask),
	  .def = "022", .arg = "OCTAL", .help = "umask for created files" },
	{ .name = "map", .short_name = 'm', .type = PXE_OPT_STRING, .offset = C(map), .arg = "FILE",
	  .help = "file name rewrite rules (re-read on SIGHUP)", .check = pxe_optcheck_file },
	{ .name = "lowercase", .type = PXE_OPT_BOOL, .offset = C(lowercase), .def = "no",
	  .help = "fold requested file names to lower case" },
	{ .name = "unique-root", .type = PXE_OPT_ENUM, .offset = C(unique_root), .def = "none",
	  .choices = unique_root_choices,
	  .help = "ip: serve ROOT/<client address>/ when that directory exists" },
	{ .name = "refuse", .short_name = 'r', .type = PXE_OPT_STRLIST, .flags = PXE_OPTF_SPLIT,
	  .offset = C(refuse), .arg = "OPTION",
	  .help = "never accept this option (blksize, tsize, timeout, windowsize, rollover)" },
	{ .name = "gso", .type = PXE_OPT_BOOL, .offset = C(gso), .def = "yes",
	  .help = "send windows of over 16 blocks or 64 KiB with UDP segmentation offload (no: sendmmsg only)" },
	{ .name = "busy-poll", .type = PXE_OPT_STRING, .offset = C(busy_poll), .def = "auto",
	  .arg = "auto|off|MICROSECONDS",
	  .help = "while transfers run, poll for the next packet before sleeping: auto "
	          "adapts the time (up to 200 us) to how fast packets come back; "
	          "off (0) never" },
	PXE_OPTS_DAEMON(struct tftpd_config, common),
	PXE_OPTS_LOG(struct tftpd_config, common),
};
/* clang-format on */

static int parse_port_range(struct tftpd_config *c, struct pxe_err *err)
{
	c->port_lo = c->port_hi = 0;
	if (!c->port_range || !*c->port_range)
		return 0;
	unsigned a, b;
	char tail;
	if (sscanf(c->port_range, "%u:%u%c", &a, &b, &tail) != 2 || a < 1 || b > 65535 || a > b)
		return pxe_err_set(err, EINVAL,
				   "port-range: expected A:B with 1 <= A <= B <= 65535, got %s",
				   c->port_range);
	c->port_lo = a;
	c->port_hi = b;
	return 0;
}

/* busy-poll = auto | off | 0..100000 (microseconds). */
static int parse_busy_poll(struct tftpd_config *c, struct pxe_err *err)
{
	const char *v = c->busy_poll ? c->busy_poll : "auto";
	c->busy_poll_auto = false;
	c->busy_poll_us = 0;
	if (!strcmp(v, "auto") || !strcmp(v, "off")) {
		c->busy_poll_auto = v[0] == 'a';
		return 0;
	}
	char *end;
	errno = 0;
	long long us = strtoll(v, &end, 10);
	if (errno || end == v || *end || us < 0 || us > 100000)
		return pxe_err_set(
			err, EINVAL,
			"busy-poll: expected auto, off or 0..100000 microseconds, got %s", v);
	c->busy_poll_us = us;
	return 0;
}

static int tftpd_validate(void *cfgp, struct pxe_err *err)
{
	struct tftpd_config *c = cfgp;
	int bp = parse_busy_poll(c, err);
	if (bp < 0)
		return bp;
	if (c->fallback_root.n >= PXE_ROOT_MAX_LAYERS)
		return pxe_err_set(err, EINVAL, "fallback-root: at most %d, got %zu",
				   PXE_ROOT_MAX_LAYERS - 1, c->fallback_root.n);
	if (c->blksize_max != 0 && c->blksize_max < 8)
		return pxe_err_set(err, ERANGE, "blksize-max: expected 0 or 8..65464, got %lld",
				   c->blksize_max);
	int r = parse_port_range(c, err);
	if (r < 0)
		return r;
	char *end;
	unsigned long um = strtoul(c->umask ? c->umask : "022", &end, 8);
	if (*end || um > 0777)
		return pxe_err_set(err, EINVAL, "umask: expected an octal number up to 777, got %s",
				   c->umask);
	c->umask_val = (unsigned)um;
	c->refuse_bits = 0;
	for (size_t i = 0; i < c->refuse.n; i++) {
		unsigned b = tftp_optbit_parse(c->refuse.v[i]);
		if (!b)
			return pxe_err_set(
				err, EINVAL,
				"refuse: expected blksize, tsize, timeout, windowsize or "
				"rollover, got %s",
				c->refuse.v[i]);
		c->refuse_bits |= b;
	}
	if (c->listen.n == 0)
		return pxe_err_set(err, EINVAL, "listen: no address to listen on");
	return 0;
}

const struct pxe_opt_spec tftpd_spec = {
	.prog = "pxe-tftpd",
	.section = "tftpd",
	.usage = "[options] [ROOT]",
	.summary = "TFTP server for network boot (RFC 1350, 2347, 2348, 2349, 7440).",
	.opts = tftpd_opts,
	.nopts = sizeof(tftpd_opts) / sizeof(tftpd_opts[0]),
	.cfg_size = sizeof(struct tftpd_config),
	.validate = tftpd_validate,
	.check_start = pxe_privileges_check,
	.epilog = "Signals: SIGHUP reloads the configuration, SIGUSR1 reopens the log file.",
};
