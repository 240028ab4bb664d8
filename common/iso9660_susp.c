/* SPDX-License-Identifier: MIT */
/* The System Use area of a directory record: SUSP (IEEE P1281 1.12) entries
 * SP, CE, ST, ER and the Rock Ridge (RRIP, IEEE P1282 1.12) entries the
 * index needs: NM, PX, TF, SL, CL, RE, ZF. */
#include "iso9660_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct iso_ce {
	bool set;
	uint32_t block, offset, len;
};

static void iso_rr_reset(struct iso_rr *rr)
{
	rr->sp = rr->er_rrip = rr->rrip = false;
	rr->has_name = rr->name_cont = rr->name_dot = false;
	rr->has_px = rr->has_tf = rr->has_sl = rr->sl_cont = rr->sl_comp_cont = false;
	rr->cl = rr->re = rr->zf = false;
	rr->name_len = rr->link_len = 0;
	rr->name[0] = rr->link[0] = '\0';
}

static const char *iso_sig(const uint8_t *e, char out[8])
{
	for (int i = 0; i < 2; i++)
		out[i] = e[i] >= 0x20 && e[i] < 0x7f ? (char)e[i] : '?';
	out[2] = '\0';
	return out;
}

static int iso_short(struct iso_build *b, const uint8_t *e, const char *where)
{
	char sig[8];
	return iso_fail(b, EINVAL, "%s: Rock Ridge %s entry of %u bytes is too short", where,
			iso_sig(e, sig), e[2]);
}

/* RRIP 4.1.4 NM: the name, possibly in several entries (CONTINUE, bit 0);
 * CURRENT and PARENT (bits 1, 2) name "." and "..". */
static int iso_nm(struct iso_build *b, const uint8_t *e, const char *where)
{
	struct iso_rr *rr = &b->rr;
	if (e[2] < 5)
		return iso_short(b, e, where);
	if (rr->has_name && !rr->name_cont)
		return 0; /* a second name: the first one stands */
	rr->has_name = true;
	rr->name_cont = e[4] & 1;
	if (e[4] & 6) {
		rr->name_dot = true;
		return 0;
	}
	size_t n = e[2] - 5u;
	if (rr->name_len + n > ISO_NAME_MAX)
		return iso_fail(b, ENAMETOOLONG, "%s: Rock Ridge name longer than %u bytes", where,
				ISO_NAME_MAX);
	memcpy(rr->name + rr->name_len, e + 5, n);
	rr->name_len += n;
	rr->name[rr->name_len] = '\0';
	return 0;
}

static int iso_link_put(struct iso_build *b, const char *s, size_t n, const char *where)
{
	struct iso_rr *rr = &b->rr;
	if (rr->link_len + n > ISO_LINK_MAX)
		return iso_fail(b, ENAMETOOLONG, "%s: Rock Ridge symlink longer than %u bytes",
				where, ISO_LINK_MAX);
	memcpy(rr->link + rr->link_len, s, n);
	rr->link_len += n;
	rr->link[rr->link_len] = '\0';
	return 0;
}

/* RRIP 4.1.3 SL: component records {flags, len, bytes}; flags CONTINUE
 * (the component goes on in the next record), CURRENT, PARENT, ROOT
 * (VOLROOT and HOST, long deprecated, count as ROOT). The entry's own
 * CONTINUE flag says another SL entry follows. */
static int iso_sl(struct iso_build *b, const uint8_t *e, const char *where)
{
	struct iso_rr *rr = &b->rr;
	if (e[2] < 5)
		return iso_short(b, e, where);
	if (rr->has_sl && !rr->sl_cont)
		return 0;
	rr->has_sl = true;
	rr->sl_cont = e[4] & 1;
	for (size_t pos = 5; pos + 2 <= e[2];) {
		uint8_t cf = e[pos], cl = e[pos + 1];
		if (pos + 2 + cl > e[2])
			return iso_fail(b, EINVAL, "%s: Rock Ridge SL component overruns its entry",
					where);
		int r = 0;
		if (cf & 0x38) {
			if (rr->link_len == 0)
				r = iso_link_put(b, "/", 1, where);
		} else {
			if (!rr->sl_comp_cont && rr->link_len > 0 &&
			    rr->link[rr->link_len - 1] != '/')
				r = iso_link_put(b, "/", 1, where);
			if (r == 0 && (cf & 2))
				r = iso_link_put(b, ".", 1, where);
			else if (r == 0 && (cf & 4))
				r = iso_link_put(b, "..", 2, where);
			else if (r == 0)
				r = iso_link_put(b, (const char *)e + pos + 2, cl, where);
		}
		if (r < 0)
			return r;
		rr->sl_comp_cont = cf & 1;
		pos += 2u + cl;
	}
	return 0;
}

/* RRIP 4.1.6 TF: the stamps present in flag order (creation, modify,
 * access, attributes, backup, expiration, effective), 7 bytes each or 17
 * with LONG_FORM (bit 7). Only MODIFY is kept. */
static int iso_tf(struct iso_build *b, const uint8_t *e, const char *where)
{
	if (e[2] < 5)
		return iso_short(b, e, where);
	size_t size = (e[4] & 0x80) ? 17 : 7, pos = 5;
	for (unsigned bit = 0; bit < 7; bit++) {
		if (!(e[4] & (1u << bit)))
			continue;
		if (pos + size > e[2])
			return iso_fail(b, EINVAL,
					"%s: Rock Ridge TF entry shorter than its flags say",
					where);
		if (bit == 1) {
			b->rr.mtime = size == 17 ? iso_time17(e + pos) : iso_time7(e + pos);
			b->rr.has_tf = true;
		}
		pos += size;
	}
	return 0;
}

static bool iso_er_is_rrip(const uint8_t *e)
{
	static const char *const ids[] = {"RRIP_1991A", "IEEE_P1282", "IEEE_1282"};
	size_t idlen = e[4];
	if (e[2] < 8 || 8 + idlen > e[2])
		return false;
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (idlen == strlen(ids[i]) && memcmp(e + 8, ids[i], idlen) == 0)
			return true;
	return false;
}

#define SIG(a, b) ((unsigned)(a) << 8 | (unsigned)(b))

/* One entry; returns 1 for ST (the area ends here). */
static int iso_entry(struct iso_build *b, const uint8_t *e, struct iso_ce *ce, const char *where)
{
	struct iso_rr *rr = &b->rr;
	switch (SIG(e[0], e[1])) {
	case SIG('S', 'P'):
		if (e[2] >= 7 && e[4] == 0xbe && e[5] == 0xef)
			rr->sp = true, rr->skp = e[6];
		return 0;
	case SIG('E', 'R'): rr->er_rrip |= iso_er_is_rrip(e); return 0;
	case SIG('S', 'T'): return 1;
	case SIG('C', 'E'):
		if (e[2] < 28)
			return iso_short(b, e, where);
		*ce = (struct iso_ce){true, iso_le32(e + 4), iso_le32(e + 12), iso_le32(e + 20)};
		return 0;
	case SIG('R', 'R'): rr->rrip = true; return 0;
	case SIG('P', 'X'):
		if (e[2] < 36)
			return iso_short(b, e, where);
		rr->rrip = rr->has_px = true;
		rr->mode = iso_le32(e + 4);
		return 0;
	case SIG('N', 'M'): rr->rrip = true; return iso_nm(b, e, where);
	case SIG('S', 'L'): rr->rrip = true; return iso_sl(b, e, where);
	case SIG('T', 'F'): rr->rrip = true; return iso_tf(b, e, where);
	case SIG('C', 'L'):
		if (e[2] < 12)
			return iso_short(b, e, where);
		rr->cl = true;
		rr->cl_lba = iso_le32(e + 4);
		return 0;
	case SIG('R', 'E'): rr->re = true; return 0;
	/* zisofs (libisofs doc/zisofs_format.txt) and zisofs2: the data is
	 * compressed, the record's size is the compressed one. */
	case SIG('Z', 'F'):
	case SIG('Z', '2'): rr->zf = true; return 0;
	default: return 0; /* PN, PL, SF, AA and others: nothing the index needs */
	}
}

/* The entries of one area; *ce gets the last CE seen. */
static int iso_area(struct iso_build *b, const uint8_t *p, size_t len, struct iso_ce *ce,
		    const char *where)
{
	size_t i = 0;
	while (i + 4 <= len) {
		const uint8_t *e = p + i;
		if (e[0] == 0 && e[1] == 0)
			break; /* padding */
		if (e[2] < 4 || e[2] > len - i) {
			char sig[8];
			return iso_fail(b, EINVAL,
					"%s: System Use entry %s (%u bytes) overruns its area "
					"(%zu bytes left)",
					where, iso_sig(e, sig), e[2], len - i);
		}
		int r = iso_entry(b, e, ce, where);
		if (r != 0)
			return r < 0 ? r : 0;
		i += e[2];
	}
	return 0;
}

/* SUSP 5.1 CE: the rest of the entries in a Continuation Area elsewhere in
 * the image, which may itself end with a CE. The chain is bounded (a loop
 * would never end) and every area must lie inside the image. */
static int iso_ce_read(struct iso_build *b, const struct iso_ce *ce, const char *where)
{
	uint64_t at = (uint64_t)ce->block * ISO_SECTOR + ce->offset;
	if (ce->offset >= ISO_SECTOR || ce->len == 0 || ce->len > ISO_CE_LEN ||
	    at + ce->len > b->image_size)
		return iso_fail(b, EINVAL,
				"%s: SUSP continuation area (block %u, offset %u, %u bytes) lies "
				"outside the image",
				where, ce->block, ce->offset, ce->len);
	if (!b->ce_buf && !(b->ce_buf = malloc(ISO_CE_LEN)))
		return iso_fail(b, ENOMEM, "out of memory");
	int r = b->read(b->ctx, b->ce_buf, ce->len, at);
	if (r < 0)
		return iso_fail(b, r, "%s: reading a SUSP continuation area failed", where);
	return 0;
}

int iso_susp_parse(struct iso_build *b, const uint8_t *su, size_t len, const char *where)
{
	struct iso_ce ce = {false, 0, 0, 0};
	iso_rr_reset(&b->rr);
	int r = iso_area(b, su, len, &ce, where);
	for (unsigned hops = 0; r == 0 && ce.set; hops++) {
		if (hops == ISO_CE_MAX)
			return iso_fail(b, ELOOP,
					"%s: more than %u SUSP continuation areas (a CE loop?)",
					where, ISO_CE_MAX);
		struct iso_ce at = ce;
		ce.set = false;
		r = iso_ce_read(b, &at, where);
		if (r == 0)
			r = iso_area(b, b->ce_buf, at.len, &ce, where);
	}
	return r;
}
