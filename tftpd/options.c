/* SPDX-License-Identifier: MIT */
/* Option negotiation: which of the client's options we accept, with what
 * value, and the OACK that says so. */
#include "options.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	unsigned bit;
} optbits[] = {
	{"blksize", TFTP_OPT_BLKSIZE},   {"tsize", TFTP_OPT_TSIZE},
	{"timeout", TFTP_OPT_TIMEOUT},   {"windowsize", TFTP_OPT_WINDOWSIZE},
	{"rollover", TFTP_OPT_ROLLOVER},
};

unsigned tftp_optbit_parse(const char *name)
{
	for (size_t i = 0; i < sizeof(optbits) / sizeof(optbits[0]); i++)
		if (!strcmp(name, optbits[i].name))
			return optbits[i].bit;
	return 0;
}

int tftp_optval(const struct tftp_opt *o, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	if (o->value_len == 0 || o->value_len > 20)
		return -EINVAL;
	for (size_t i = 0; i < o->value_len; i++) {
		char c = o->value[i];
		if (c < '0' || c > '9')
			return -EINVAL;
		if (v > (UINT64_MAX - 9) / 10)
			return -EINVAL;
		v = v * 10 + (uint64_t)(c - '0');
	}
	/* Values above max are clamped by the caller where the RFC allows a
	 * smaller answer; report them as max. */
	*out = v > max ? max : v;
	return 0;
}

static void oack_add(struct tftp_neg *n, const char *name, uint64_t v)
{
	struct tftp_oack_item *it = &n->oack[n->noack++];
	it->name = name;
	snprintf(it->value, sizeof(it->value), "%" PRIu64, v);
}

/* Look up a known option the administrator did not refuse. */
static const struct tftp_opt *want(const struct tftp_req *r, const struct tftp_limits *lim,
				   const char *name, unsigned bit, uint64_t max, uint64_t *v,
				   long long *asked)
{
	const struct tftp_opt *o = tftp_req_opt(r, name);
	if (!o || tftp_optval(o, max, v) < 0)
		return NULL;
	*asked = (long long)*v;
	return (lim->refuse & bit) ? NULL : o;
}

/* RFC 2348: 8..65464; answer the smaller of the request and our limit,
 * never more than asked. */
static void neg_blksize(const struct tftp_req *r, const struct tftp_limits *lim, struct tftp_neg *n)
{
	uint64_t v;
	if (!want(r, lim, "blksize", TFTP_OPT_BLKSIZE, TFTP_BLKSIZE_MAX, &v, &n->ask_blksize))
		return;
	if (v < TFTP_BLKSIZE_MIN)
		return;
	if (v > lim->blksize_max)
		v = lim->blksize_max;
	n->blksize = (uint32_t)v;
	oack_add(n, "blksize", v);
}

/* RFC 2349: 1..255 seconds, echoed unchanged. */
static void neg_timeout(const struct tftp_req *r, const struct tftp_limits *lim, struct tftp_neg *n)
{
	uint64_t v;
	const struct tftp_opt *o =
		want(r, lim, "timeout", TFTP_OPT_TIMEOUT, 256, &v, &n->ask_timeout);
	if (!o || v < 1 || v > 255)
		return;
	n->timeout_s = (uint32_t)v;
	oack_add(n, "timeout", v);
}

/* RFC 2349: an RRQ asks with 0 and gets the size; a WRQ announces the
 * size, which we echo. Not for netascii: the size on the wire is not
 * known before conversion (dnsmasq and tftp-hpa agree). */
static void neg_tsize(const struct tftp_req *r, const struct tftp_limits *lim, uint64_t size,
		      struct tftp_neg *n)
{
	uint64_t v;
	if (!want(r, lim, "tsize", TFTP_OPT_TSIZE, UINT64_MAX, &v, &n->ask_tsize))
		return;
	if (r->mode == TFTP_MODE_NETASCII)
		return;
	n->tsize = true;
	if (r->op == TFTP_WRQ)
		n->wrq_tsize = v;
	oack_add(n, "tsize", r->op == TFTP_WRQ ? v : size);
}

/* RFC 7440: 1..65535, we may answer less. Not for netascii (the offset of
 * a block is not known, so a window cannot be restarted from the middle
 * cheaply; dnsmasq refuses it too). */
static void neg_window(const struct tftp_req *r, const struct tftp_limits *lim, struct tftp_neg *n)
{
	uint64_t v;
	if (!want(r, lim, "windowsize", TFTP_OPT_WINDOWSIZE, TFTP_WINDOW_MAX, &v,
		  &n->ask_windowsize))
		return;
	if (v < 1 || r->mode == TFTP_MODE_NETASCII)
		return;
	if (v > lim->windowsize_max)
		v = lim->windowsize_max;
	n->windowsize = (uint32_t)v;
	oack_add(n, "windowsize", v);
}

/* tftp-hpa's "rollover": the block number after 65535 is 0 or 1. */
static void neg_rollover(const struct tftp_req *r, const struct tftp_limits *lim,
			 struct tftp_neg *n)
{
	uint64_t v;
	long long asked;
	if (!want(r, lim, "rollover", TFTP_OPT_ROLLOVER, 2, &v, &asked) || v > 1)
		return;
	n->rollover = (int)v;
	oack_add(n, "rollover", v);
}

void tftp_negotiate(const struct tftp_req *r, const struct tftp_limits *lim, uint64_t file_size,
		    struct tftp_neg *n)
{
	memset(n, 0, sizeof(*n));
	n->blksize = TFTP_BLKSIZE_DEFAULT;
	n->windowsize = 1;
	n->rollover = lim->rollover;
	n->ask_blksize = n->ask_windowsize = n->ask_timeout = n->ask_tsize = -1;
	neg_blksize(r, lim, n);
	neg_timeout(r, lim, n);
	neg_tsize(r, lim, file_size, n);
	neg_window(r, lim, n);
	neg_rollover(r, lim, n);
}
