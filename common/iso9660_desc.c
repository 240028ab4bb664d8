/* SPDX-License-Identifier: MIT */
/* The volume descriptor set (ECMA-119 8): the primary descriptor (root
 * directory, block size, volume size, label) and a Joliet supplementary
 * descriptor. */
#include "iso9660_int.h"

#include <errno.h>
#include <string.h>

#define ISO_VD_FIRST 16u /* sectors 0-15 are the System Area (MBR, GPT) */
#define ISO_VD_MAX   64u /* descriptors before a terminator must appear */

enum { ISO_VD_BOOT = 0, ISO_VD_PRIMARY = 1, ISO_VD_SUPPLEMENTARY = 2, ISO_VD_END = 255 };

/* ECMA-167 2/9.1: the Volume Recognition Sequence of UDF. */
static bool iso_is_udf_vrs(const uint8_t *s)
{
	static const char *const ids[] = {"BEA01", "NSR02", "NSR03", "TEA01", "BOOT2"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (memcmp(s + 1, ids[i], 5) == 0)
			return true;
	return false;
}

static int iso_not_iso(struct iso_build *b, uint8_t *s)
{
	/* A UDF-only image (Windows media) has its recognition sequence where
	 * ISO 9660 has its descriptors, and no CD001 at all. */
	for (uint32_t sec = ISO_VD_FIRST; sec < ISO_VD_FIRST + 4; sec++) {
		if ((uint64_t)(sec + 1) * ISO_SECTOR > b->image_size)
			break;
		int r = b->read(b->ctx, s, ISO_SECTOR, (uint64_t)sec * ISO_SECTOR);
		if (r < 0)
			return iso_fail(b, r, "reading sector %u failed", sec);
		if (iso_is_udf_vrs(s))
			return iso_fail(b, ENOTSUP,
					"a UDF-only image (%.5s at sector %u, no ISO 9660 CD001 "
					"descriptor): UDF is not supported",
					(const char *)s + 1, sec);
	}
	return iso_fail(b, EMEDIUMTYPE,
			"not an ISO 9660 image: no CD001 volume descriptor at sector 16 "
			"(byte 32768)");
}

/* ECMA-119 8.4: block size (must be 2048 here, as on every CD and every
 * image xorriso or genisoimage write), volume size, root record. */
static int iso_primary(struct iso_build *b, const uint8_t *s, uint32_t sec, struct iso_vd *vd)
{
	uint16_t bs = iso_le16(s + 128);
	if (bs != ISO_SECTOR)
		return iso_fail(b, ENOTSUP,
				"primary volume descriptor (sector %u): logical block size %u, "
				"only 2048 is supported",
				sec, bs);
	if (s[156] != 34)
		return iso_fail(b, EINVAL,
				"primary volume descriptor (sector %u): root directory record "
				"length %u, expected 34",
				sec, s[156]);
	vd->volume_blocks = iso_le32(s + 80);
	memcpy(vd->pvd_root, s + 156, 34);
	iso_trim_label(s + 40, 32, vd->pvd_label, sizeof(vd->pvd_label));
	return 1;
}

/* Joliet: a supplementary descriptor whose escape sequence names UCS-2
 * level 1, 2 or 3 ("%/@", "%/C", "%/E") and whose flags say the escapes
 * are registered ones (bit 0 clear). */
static void iso_supplementary(const uint8_t *s, struct iso_vd *vd)
{
	if (vd->joliet || (s[7] & 1) || s[88] != '%' || s[89] != '/' ||
	    (s[90] != '@' && s[90] != 'C' && s[90] != 'E') || s[156] != 34)
		return;
	vd->joliet = true;
	memcpy(vd->joliet_root, s + 156, 34);
	char label[100];
	if (iso_ucs2_to_utf8(s + 40, 32, label, sizeof(label)) == SIZE_MAX)
		label[0] = '\0';
	iso_trim_label((const uint8_t *)label, strlen(label), vd->joliet_label,
		       sizeof(vd->joliet_label));
}

/* The set that starts at sector 16 and ends at its first terminator. A
 * hybrid image made with -partition_offset 16 carries a second set at
 * sector 32 for the partition, with addresses relative to it: it is never
 * read. */
int iso_read_descriptors(struct iso_build *b, struct iso_vd *vd)
{
	uint8_t s[ISO_SECTOR];
	bool pvd = false;

	memset(vd, 0, sizeof(*vd));
	if (b->image_size < (uint64_t)(ISO_VD_FIRST + 1) * ISO_SECTOR)
		return iso_fail(b, EMEDIUMTYPE,
				"not an ISO 9660 image: %llu bytes, shorter than its System Area "
				"and first volume descriptor (34816)",
				(unsigned long long)b->image_size);
	for (uint32_t sec = ISO_VD_FIRST; sec < ISO_VD_FIRST + ISO_VD_MAX; sec++) {
		if ((uint64_t)(sec + 1) * ISO_SECTOR > b->image_size)
			return iso_fail(
				b, EINVAL,
				"volume descriptor set: no terminator before the end of the "
				"image (sector %u): truncated?",
				sec);
		int r = b->read(b->ctx, s, ISO_SECTOR, (uint64_t)sec * ISO_SECTOR);
		if (r < 0)
			return iso_fail(b, r, "reading volume descriptor sector %u failed", sec);
		if (memcmp(s + 1, "CD001", 5) != 0) {
			if (sec == ISO_VD_FIRST)
				return iso_not_iso(b, s);
			return iso_fail(b, EINVAL,
					"volume descriptor at sector %u has no CD001 identifier "
					"(the set at sector 16 has no terminator)",
					sec);
		}
		if (s[0] == ISO_VD_END)
			break;
		if (s[0] == ISO_VD_PRIMARY && !pvd) {
			r = iso_primary(b, s, sec, vd);
			if (r < 0)
				return r;
			pvd = true;
		} else if (s[0] == ISO_VD_SUPPLEMENTARY) {
			iso_supplementary(s, vd);
		}
		if (sec + 1 == ISO_VD_FIRST + ISO_VD_MAX)
			return iso_fail(b, EINVAL,
					"volume descriptor set: no terminator in sectors 16-%u",
					sec);
	}
	if (!pvd)
		return iso_fail(b, EINVAL, "no primary volume descriptor in the set at sector 16");
	if ((uint64_t)vd->volume_blocks * ISO_SECTOR > b->image_size)
		return iso_fail(b, EINVAL,
				"the image is truncated: its volume is %llu bytes, the file %llu",
				(unsigned long long)vd->volume_blocks * ISO_SECTOR,
				(unsigned long long)b->image_size);
	return 0;
}
