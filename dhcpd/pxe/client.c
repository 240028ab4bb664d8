/* SPDX-License-Identifier: MIT */
/* Client classification for boot decisions (see client.h). */
#include "client.h"

#include <string.h>

#include "arch.h"
#include "opt43.h"

/* IEEE MA-L assignments to the Raspberry Pi Foundation / Trading Ltd
 * (IEEE oui.txt, as quoted in raspberrypi.stackexchange q/28365):
 * b8:27:eb (Pi 1-3), dc:a6:32 and e4:5f:01 (Pi 4, 400, CM4), 28:cd:c1
 * (Pico W, newer boards), d8:3a:dd and 2c:cf:67 (Pi 5 era). Sorted. */
static const uint8_t rpi_ouis[][3] = {
	{0x28, 0xcd, 0xc1}, {0x2c, 0xcf, 0x67}, {0xb8, 0x27, 0xeb},
	{0xd8, 0x3a, 0xdd}, {0xdc, 0xa6, 0x32}, {0xe4, 0x5f, 0x01},
};

/* What the Pi 2B v1.2 / 3B / 3B+ ROM and the Pi 4 EEPROM send as option 60
 * (boot-net.adoc). Intel's BIOS PXE ROMs send the very same string (PXE
 * 2.1, UNDI 2.1), so it identifies a Pi only together with a Pi MAC. */
static const char rpi_vendor_class[] = "PXEClient:Arch:00000:UNDI:002001";

bool dhcp_pxe_mac_is_rpi(const uint8_t *mac, size_t len)
{
	if (!mac || len < 3)
		return false;
	for (size_t i = 0; i < sizeof(rpi_ouis) / sizeof(rpi_ouis[0]); i++)
		if (memcmp(mac, rpi_ouis[i], 3) == 0)
			return true;
	return false;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ------------------------------------------------------------- options */

static void take_archs(const struct dhcp_pxe_bytes *o, struct dhcp_pxe_client *c)
{
	size_t n;

	if (!o->data)
		return;
	/* RFC 4578 §2.1: a list of 16-bit codes. Use the complete pairs of
	 * an odd-length value, but flag it. */
	if (o->len == 0 || o->len % 2)
		c->malformed |= DHCP_PXE_BAD_ARCH;
	n = o->len / 2;
	if (n > DHCP_PXE_MAX_ARCHS)
		n = DHCP_PXE_MAX_ARCHS;
	for (size_t i = 0; i < n; i++)
		c->archs[i] = (uint16_t)(o->data[2 * i] << 8 | o->data[2 * i + 1]);
	c->n_archs = (uint8_t)n;
}

/* "PXEClient:Arch:00007:UNDI:003016" or "HTTPClient:Arch:00016:...":
 * the decimal arch after ":Arch:" (EDK2's template, PXE spec §2.4.1). */
static bool arch_from_vendor_class(const char *vc, uint16_t *code)
{
	const char *p = strstr(vc, ":Arch:");
	unsigned long v = 0;
	int digits = 0;

	if (!p || !(starts_with(vc, "PXEClient") || starts_with(vc, "HTTPClient")))
		return false;
	for (p += 6; *p >= '0' && *p <= '9' && digits < 5; p++, digits++)
		v = v * 10 + (unsigned long)(*p - '0');
	if (digits == 0 || v > 0xffff || (*p != '\0' && *p != ':'))
		return false;
	*code = (uint16_t)v;
	return true;
}

static void take_vendor_class(const struct dhcp_pxe_bytes *o, struct dhcp_pxe_client *c)
{
	size_t n;

	if (!o->data)
		return;
	c->has_vendor_class = true;
	n = o->len > DHCP_PXE_MAX_VC ? DHCP_PXE_MAX_VC : o->len;
	memcpy(c->vendor_class, o->data, n);
	c->vendor_class[n] = '\0';
	if (n == 0 || strlen(c->vendor_class) != n)
		c->malformed |= DHCP_PXE_BAD_VC;
	c->pxe_client = starts_with(c->vendor_class, "PXEClient");
	c->http_client = starts_with(c->vendor_class, "HTTPClient");
}

static void take_user_class(const struct dhcp_pxe_bytes *o, struct dhcp_pxe_client *c)
{
	size_t n;

	if (!o->data)
		return;
	c->has_user_class = true;
	if (o->len == 0)
		c->malformed |= DHCP_PXE_BAD_UC;
	n = o->len > DHCP_PXE_MAX_UC ? DHCP_PXE_MAX_UC : o->len;
	memcpy(c->user_class, o->data, n);
	c->user_class_len = (uint8_t)n;
}

static void take_ndi_uuid(const struct dhcp_pxe_raw *in, struct dhcp_pxe_client *c)
{
	if (in->ndi.data) {
		/* RFC 4578 §2.2: type (1 = UNDI), major, minor. */
		if (in->ndi.len == 3) {
			c->has_ndi = true;
			memcpy(c->ndi, in->ndi.data, 3);
		} else {
			c->malformed |= DHCP_PXE_BAD_NDI;
		}
	}
	if (in->uuid.data) {
		/* RFC 4578 §2.3: type 0, then the 16-byte GUID. */
		if (in->uuid.len == 17 && in->uuid.data[0] == 0) {
			c->has_uuid = true;
			memcpy(c->uuid, in->uuid.data + 1, 16);
		} else {
			c->malformed |= DHCP_PXE_BAD_UUID;
		}
	}
}

static void take_opt43(const struct dhcp_pxe_bytes *o, struct dhcp_pxe_client *c)
{
	struct dhcp_pxe_opt43_info info;

	if (!o->data)
		return;
	if (dhcp_pxe_opt43_parse(o->data, o->len, &info) < 0 || info.malformed)
		c->malformed |= DHCP_PXE_BAD_OPT43;
	if (info.has_boot_item) {
		c->has_boot_item = true;
		c->boot_item_type = info.item_type;
		c->boot_item_layer = info.item_layer;
	}
}

/* ------------------------------------------------------------ derived */

static void derive_arch(struct dhcp_pxe_client *c)
{
	uint16_t code;

	if (c->n_archs > 0) {
		c->arch = c->archs[0];
		c->arch_known = true;
	} else if (arch_from_vendor_class(c->vendor_class, &code)) {
		c->arch = code;
		c->arch_known = true;
	}
	c->arch_name = c->arch_known ? dhcp_pxe_arch_name(c->arch) : "unknown";
	c->is_uefi = c->arch_known && dhcp_pxe_arch_is_uefi(c->arch);
	c->is_http = c->http_client || (c->arch_known && dhcp_pxe_arch_is_http(c->arch));
}

static bool uuid_all(const uint8_t *u, uint8_t v)
{
	for (int i = 0; i < 16; i++)
		if (u[i] != v)
			return false;
	return true;
}

/* Pi 4/5 EEPROM (bootloader DHCP_OPTION97, default on): the GUID is the
 * fourcc 0x34695052 stored little-endian ("RPi4"; Pi 5 0x35695052,
 * "RPi5"), the board revision, 4 MAC bytes and the serial. The Pi 3B ROM
 * sends a constant GUID (boot-net.adoc "DHCP UUID constant"; its capture
 * shows 16 bytes of 0x44), fixed in the 3B+. */
static enum dhcp_pxe_rpi derive_rpi(const struct dhcp_pxe_client *c)
{
	if (c->has_uuid && memcmp(c->uuid, "RPi4", 4) == 0)
		return DHCP_PXE_RPI_4;
	if (c->has_uuid && memcmp(c->uuid, "RPi5", 4) == 0)
		return DHCP_PXE_RPI_5;
	if (!dhcp_pxe_mac_is_rpi(c->mac, c->mac_len))
		return DHCP_PXE_RPI_NONE;
	if (memcmp(c->mac, "\xb8\x27\xeb", 3) == 0 &&
	    strcmp(c->vendor_class, rpi_vendor_class) == 0)
		return c->has_uuid && uuid_all(c->uuid, 0x44) ? DHCP_PXE_RPI_3B : DHCP_PXE_RPI_3;
	return DHCP_PXE_RPI_OUI;
}

/* Option 175 is an encapsulated space (iPXE dhcp.h DHCP_EB_ENCAP): code,
 * length, value, ... Record each code; a truncated item ends the walk. */
static void take_ipxe_features(const struct dhcp_pxe_bytes *v, struct dhcp_pxe_client *out)
{
	size_t i = 0;

	out->has_ipxe_encap = v->data != NULL;
	while (v->data && i < v->len) {
		uint8_t code = v->data[i];
		if (code == 0) { /* pad */
			i++;
			continue;
		}
		if (code == 255 || i + 1 >= v->len || i + 2 + v->data[i + 1] > v->len)
			break;
		out->ipxe_features[code / 8] |= (uint8_t)(1u << (code % 8));
		i += 2u + v->data[i + 1];
	}
}

void dhcp_pxe_client_classify(const struct dhcp_pxe_raw *in, struct dhcp_pxe_client *out)
{
	memset(out, 0, sizeof(*out));
	out->family = in->family == 6 ? 6 : 4;
	out->msg_type = in->msg_type;
	if (in->chaddr) {
		size_t n = in->hlen > sizeof(out->mac) ? sizeof(out->mac) : in->hlen;
		memcpy(out->mac, in->chaddr, n);
		out->mac_len = (uint8_t)n;
	}
	take_archs(&in->arch, out);
	take_vendor_class(&in->vendor_class, out);
	take_user_class(&in->user_class, out);
	take_ndi_uuid(in, out);
	take_opt43(&in->vendor_opts, out);
	take_ipxe_features(&in->ipxe_encap, out);
	out->known = in->known;
	/* iPXE sends user class "iPXE" and its own option 175 (dhcp.h
	 * DHCP_EB_ENCAP); either is enough (dnsmasq's recipes use both). */
	out->is_ipxe = out->has_ipxe_encap || dhcp_pxe_client_user_class_is(out, "iPXE");
	derive_arch(out);
	out->rpi = derive_rpi(out);
}

/* ------------------------------------------------------------- queries */

bool dhcp_pxe_client_has_ipxe_feature(const struct dhcp_pxe_client *c, uint8_t code)
{
	return c->ipxe_features[code / 8] & (1u << (code % 8));
}

bool dhcp_pxe_client_has_arch(const struct dhcp_pxe_client *c, uint16_t code)
{
	for (size_t i = 0; i < c->n_archs; i++)
		if (c->archs[i] == code)
			return true;
	return c->n_archs == 0 && c->arch_known && c->arch == code;
}

bool dhcp_pxe_client_user_class_is(const struct dhcp_pxe_client *c, const char *text)
{
	size_t tlen = strlen(text);
	size_t i = 0;
	const uint8_t *u = c->user_class;
	size_t n = c->user_class_len;

	if (!c->has_user_class)
		return false;
	if (n == tlen && memcmp(u, text, n) == 0)
		return true; /* iPXE's bare string */
	/* RFC 3004 §4: a sequence of {len, data} items, len >= 1. */
	while (i < n && u[i] != 0 && i + 1 + (size_t)u[i] <= n) {
		if (u[i] == tlen && memcmp(u + i + 1, text, tlen) == 0)
			return true;
		i += 1 + (size_t)u[i];
	}
	return false;
}

bool dhcp_pxe_client_is_netboot(const struct dhcp_pxe_client *c)
{
	return c->pxe_client || c->http_client;
}

const char *dhcp_pxe_reply_vendor_class(const struct dhcp_pxe_client *c)
{
	if (c->http_client)
		return "HTTPClient";
	return c->pxe_client ? "PXEClient" : NULL;
}

const char *dhcp_pxe_rpi_name(enum dhcp_pxe_rpi r)
{
	switch (r) {
	case DHCP_PXE_RPI_OUI: return "rpi";
	case DHCP_PXE_RPI_3: return "rpi3";
	case DHCP_PXE_RPI_3B: return "rpi3b";
	case DHCP_PXE_RPI_4: return "rpi4";
	case DHCP_PXE_RPI_5: return "rpi5";
	case DHCP_PXE_RPI_NONE: break;
	}
	return "none";
}

const char *dhcp_pxe_client_class(const struct dhcp_pxe_client *c)
{
	if (c->is_ipxe)
		return "ipxe";
	if (c->rpi != DHCP_PXE_RPI_NONE)
		return dhcp_pxe_rpi_name(c->rpi);
	if (c->http_client)
		return "http";
	if (c->pxe_client)
		return "pxe";
	return "dhcp";
}

bool dhcp_pxe_client_is_rpi_rom(const struct dhcp_pxe_client *c)
{
	return c->rpi != DHCP_PXE_RPI_NONE && !c->is_ipxe &&
	       (!c->arch_known || c->arch == DHCP_PXE_ARCH_BIOS ||
		c->arch == DHCP_PXE_ARCH_RPIBOOT);
}
