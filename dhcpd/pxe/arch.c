/* SPDX-License-Identifier: MIT */
/* The IANA processor-architecture table (option 93), with the names that
 * `match = arch:NAME` accepts.
 *
 * Authority: the IANA "Processor Architecture Types" registry, which
 * overrides RFC 4578 §2.1 (erratum 4624 swaps 7 and 9 back: 7 is x64 UEFI,
 * 9 is EFI Byte Code). Codes 0-36 cross-checked with insomniacslk/dhcp
 * iana/archtype.go, 37-41 with the OpenWrt LuCI form and tinkerbell smee.
 *
 * Code 9 is deliberately named "x64-uefi" too: iPXE's dhcp.h and other
 * firmware built from RFC 4578's original text send 9 on x64 UEFI machines,
 * and no EBC-only firmware is known to netboot. So `arch:x64-uefi` matches
 * 7 and 9, while `arch:7` or `arch:9` match exactly that number. */
#include "arch.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define U DHCP_PXE_ARCH_UEFI
#define H DHCP_PXE_ARCH_HTTP
#define D DHCP_PXE_ARCH_DEPRECATED

/* Sorted by code; dhcp_pxe_arch_by_code() bsearches it. */
static const struct dhcp_pxe_arch arch_table[] = {
	{0, "bios", "x86 BIOS (Intel x86PC)", 0},
	{1, "pc98", "NEC/PC98", D},
	{2, "itanium-uefi", "EFI Itanium", U},
	{3, "alpha", "DEC Alpha", D},
	{4, "arc-x86", "Arc x86", D},
	{5, "lean-client", "Intel Lean Client", D},
	{6, "ia32-uefi", "x86 UEFI", U},
	{7, "x64-uefi", "x64 UEFI", U},
	{8, "xscale-uefi", "EFI Xscale", U | D},
	{9, "x64-uefi", "EBC (sent by x64 UEFI firmware using RFC 4578 numbering)", U},
	{10, "arm32-uefi", "ARM 32-bit UEFI", U},
	{11, "arm64-uefi", "ARM 64-bit UEFI", U},
	{12, "ppc-openfirmware", "PowerPC Open Firmware", 0},
	{13, "ppc-epapr", "PowerPC ePAPR", 0},
	{14, "power-opal", "POWER OPAL v3", 0},
	{15, "x86-uefi-http", "x86 UEFI boot from HTTP", U | H},
	{16, "x64-uefi-http", "x64 UEFI boot from HTTP", U | H},
	{17, "ebc-uefi-http", "EBC boot from HTTP", U | H},
	{18, "arm32-uefi-http", "ARM 32-bit UEFI boot from HTTP", U | H},
	{19, "arm64-uefi-http", "ARM 64-bit UEFI boot from HTTP", U | H},
	{20, "bios-http", "x86 BIOS boot from HTTP", H},
	{21, "arm32-uboot", "ARM 32-bit U-Boot", 0},
	{22, "arm64-uboot", "ARM 64-bit U-Boot", 0},
	{23, "arm32-uboot-http", "ARM 32-bit U-Boot boot from HTTP", H},
	{24, "arm64-uboot-http", "ARM 64-bit U-Boot boot from HTTP", H},
	{25, "riscv32-uefi", "RISC-V 32-bit UEFI", U},
	{26, "riscv32-uefi-http", "RISC-V 32-bit UEFI boot from HTTP", U | H},
	{27, "riscv64-uefi", "RISC-V 64-bit UEFI", U},
	{28, "riscv64-uefi-http", "RISC-V 64-bit UEFI boot from HTTP", U | H},
	{29, "riscv128-uefi", "RISC-V 128-bit UEFI", U},
	{30, "riscv128-uefi-http", "RISC-V 128-bit UEFI boot from HTTP", U | H},
	{31, "s390-basic", "s390 Basic", 0},
	{32, "s390-extended", "s390 Extended", 0},
	{33, "mips32-uefi", "MIPS 32-bit UEFI", U},
	{34, "mips64-uefi", "MIPS 64-bit UEFI", U},
	{35, "sunway32-uefi", "Sunway 32-bit UEFI", U},
	{36, "sunway64-uefi", "Sunway 64-bit UEFI", U},
	{37, "loongarch32-uefi", "LoongArch 32-bit UEFI", U},
	{38, "loongarch32-uefi-http", "LoongArch 32-bit UEFI boot from HTTP", U | H},
	{39, "loongarch64-uefi", "LoongArch 64-bit UEFI", U},
	{40, "loongarch64-uefi-http", "LoongArch 64-bit UEFI boot from HTTP", U | H},
	{41, "rpiboot", "ARM rpiboot", 0},
};

#undef U
#undef H
#undef D

struct arch_name {
	const char *name;
	uint16_t code;
};

/* Sorted by name (strcmp); every distinct name of arch_table once, with the
 * code a name lookup gives. A unit test checks order and coverage. */
static const struct arch_name arch_names[] = {
	{"alpha", 3},
	{"arc-x86", 4},
	{"arm32-uboot", 21},
	{"arm32-uboot-http", 23},
	{"arm32-uefi", 10},
	{"arm32-uefi-http", 18},
	{"arm64-uboot", 22},
	{"arm64-uboot-http", 24},
	{"arm64-uefi", 11},
	{"arm64-uefi-http", 19},
	{"bios", 0},
	{"bios-http", 20},
	{"ebc-uefi-http", 17},
	{"ia32-uefi", 6},
	{"itanium-uefi", 2},
	{"lean-client", 5},
	{"loongarch32-uefi", 37},
	{"loongarch32-uefi-http", 38},
	{"loongarch64-uefi", 39},
	{"loongarch64-uefi-http", 40},
	{"mips32-uefi", 33},
	{"mips64-uefi", 34},
	{"pc98", 1},
	{"power-opal", 14},
	{"ppc-epapr", 13},
	{"ppc-openfirmware", 12},
	{"riscv128-uefi", 29},
	{"riscv128-uefi-http", 30},
	{"riscv32-uefi", 25},
	{"riscv32-uefi-http", 26},
	{"riscv64-uefi", 27},
	{"riscv64-uefi-http", 28},
	{"rpiboot", 41},
	{"s390-basic", 31},
	{"s390-extended", 32},
	{"sunway32-uefi", 35},
	{"sunway64-uefi", 36},
	{"x64-uefi", 7},
	{"x64-uefi-http", 16},
	{"x86-uefi-http", 15},
	{"xscale-uefi", 8},
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static int arch_code_cmp(const void *key, const void *elem)
{
	uint16_t k = *(const uint16_t *)key;
	const struct dhcp_pxe_arch *e = elem;
	return (int)k - (int)e->code;
}

const struct dhcp_pxe_arch *dhcp_pxe_arch_by_code(uint16_t code)
{
	return bsearch(&code, arch_table, ARRAY_LEN(arch_table), sizeof(arch_table[0]),
		       arch_code_cmp);
}

static int arch_name_cmp(const void *key, const void *elem)
{
	const struct arch_name *e = elem;
	/* All table names are lower case, so strcasecmp order is strcmp order. */
	return strcasecmp((const char *)key, e->name);
}

const struct dhcp_pxe_arch *dhcp_pxe_arch_by_name(const char *name)
{
	const struct arch_name *n;

	if (!name)
		return NULL;
	n = bsearch(name, arch_names, ARRAY_LEN(arch_names), sizeof(arch_names[0]), arch_name_cmp);
	return n ? dhcp_pxe_arch_by_code(n->code) : NULL;
}

const char *dhcp_pxe_arch_name(uint16_t code)
{
	const struct dhcp_pxe_arch *a = dhcp_pxe_arch_by_code(code);
	return a ? a->name : "unknown";
}

static int arch_parse_number(const char *text, uint16_t *code)
{
	char *end;
	unsigned long v;

	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(text, &end, 0);
	if (errno || *end || v > 0xffff)
		return -EINVAL;
	*code = (uint16_t)v;
	return 0;
}

int dhcp_pxe_arch_parse(const char *text, uint16_t *code, bool *by_name)
{
	const struct dhcp_pxe_arch *a;

	if (!text || !*text)
		return -EINVAL;
	if (arch_parse_number(text, code) == 0) {
		*by_name = false;
		return 0;
	}
	a = dhcp_pxe_arch_by_name(text);
	if (!a)
		return -EINVAL;
	*code = a->code;
	*by_name = true;
	return 0;
}

bool dhcp_pxe_arch_same(uint16_t a, uint16_t b)
{
	const struct dhcp_pxe_arch *ea, *eb;

	if (a == b)
		return true;
	ea = dhcp_pxe_arch_by_code(a);
	eb = dhcp_pxe_arch_by_code(b);
	return ea && eb && strcmp(ea->name, eb->name) == 0;
}

bool dhcp_pxe_arch_is_uefi(uint16_t code)
{
	const struct dhcp_pxe_arch *a = dhcp_pxe_arch_by_code(code);
	return a && (a->flags & DHCP_PXE_ARCH_UEFI);
}

bool dhcp_pxe_arch_is_http(uint16_t code)
{
	const struct dhcp_pxe_arch *a = dhcp_pxe_arch_by_code(code);
	return a && (a->flags & DHCP_PXE_ARCH_HTTP);
}

const struct dhcp_pxe_arch *dhcp_pxe_arch_table(size_t *n)
{
	*n = ARRAY_LEN(arch_table);
	return arch_table;
}

const char *dhcp_pxe_arch_name_at(size_t i, uint16_t *code)
{
	if (i >= ARRAY_LEN(arch_names))
		return NULL;
	*code = arch_names[i].code;
	return arch_names[i].name;
}
