/* SPDX-License-Identifier: MIT */
/* What a DHCP client tells us about how it boots: architecture, PXE or HTTP
 * firmware, iPXE, Raspberry Pi. Pure: raw option values in, facts out.
 *
 * Sources: RFC 4578 (options 93, 94, 97), RFC 3004 (77), RFC 2132 (60, 43),
 * EDK2 PxeBcDhcp4.c / HttpBootDhcp4.c (vendor class templates), iPXE
 * (user class "iPXE", option 175), raspberrypi/documentation boot-net.adoc
 * and the Pi 4 bootloader's DHCP_OPTION97. */
#ifndef DHCP_PXE_CLIENT_H
#define DHCP_PXE_CLIENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One option's value as the core found it: data == NULL means absent;
 * present with len 0 is possible (and malformed for most codes). */
struct dhcp_pxe_bytes {
	const uint8_t *data;
	size_t len;
};

/* Input: the request's raw option values and header facts. */
struct dhcp_pxe_raw {
	uint8_t family;        /* 6 for a DHCPv6 request; 0 or 4: DHCPv4 */
	uint8_t msg_type;      /* option 53; 0 for BOOTP */
	uint8_t htype;         /* header htype (1 = Ethernet) */
	const uint8_t *chaddr; /* header chaddr, hlen bytes */
	size_t hlen;
	struct dhcp_pxe_bytes vendor_class; /* 60 */
	struct dhcp_pxe_bytes user_class;   /* 77 */
	struct dhcp_pxe_bytes arch;         /* 93 */
	struct dhcp_pxe_bytes ndi;          /* 94 */
	struct dhcp_pxe_bytes uuid;         /* 97 */
	struct dhcp_pxe_bytes vendor_opts;  /* 43 */
	struct dhcp_pxe_bytes ipxe_encap;   /* 175 */
	bool known;                         /* the core found a [host] entry for the client */
};

#define DHCP_PXE_MAX_ARCHS 8
#define DHCP_PXE_MAX_VC    255 /* an option value can hold no more */
#define DHCP_PXE_MAX_UC    255

enum dhcp_pxe_rpi {
	DHCP_PXE_RPI_NONE = 0,
	DHCP_PXE_RPI_OUI, /* a Raspberry Pi MAC prefix, model unknown */
	DHCP_PXE_RPI_3,   /* Pi 2B v1.2 / 3B / 3B+ ROM: b8:27:eb and the ROM's vendor class */
	DHCP_PXE_RPI_3B,  /* ...with the 3B's constant GUID (needs the padded string) */
	DHCP_PXE_RPI_4,   /* option 97 fourcc "RPi4" */
	DHCP_PXE_RPI_5,   /* option 97 fourcc "RPi5" */
};

/* Bits in dhcp_pxe_client.malformed: which options were present but bad. */
#define DHCP_PXE_BAD_ARCH  0x01 /* 93 empty or of odd length */
#define DHCP_PXE_BAD_NDI   0x02 /* 94 not 3 bytes */
#define DHCP_PXE_BAD_UUID  0x04 /* 97 not 17 bytes with type 0 */
#define DHCP_PXE_BAD_UC    0x08 /* 77 empty */
#define DHCP_PXE_BAD_OPT43 0x10 /* 43 with a truncated or wrong-sized sub-option */
#define DHCP_PXE_BAD_VC    0x20 /* 60 empty or holding NUL */

struct dhcp_pxe_client {
	uint8_t family; /* 4 or 6: the address family the request came in */
	uint8_t msg_type;
	uint8_t mac[16];
	uint8_t mac_len; /* 6 for Ethernet */

	/* Architecture: option 93 as a list of 16-bit codes, in order. */
	uint16_t archs[DHCP_PXE_MAX_ARCHS];
	uint8_t n_archs;
	bool arch_known;       /* from 93, else from "…Client:Arch:NNNNN" in 60 */
	uint16_t arch;         /* primary: the first code of 93 */
	const char *arch_name; /* dhcp_pxe_arch_name(arch) or "unknown"; static */

	/* Option 60, NUL-terminated copy (bytes after a NUL are dropped). */
	char vendor_class[DHCP_PXE_MAX_VC + 1];
	bool has_vendor_class;
	bool pxe_client;  /* 60 starts with "PXEClient" (EDK2, PXE spec) */
	bool http_client; /* 60 starts with "HTTPClient" (EDK2 HTTP Boot) */

	/* Option 77 raw (RFC 3004 items or iPXE's bare "iPXE"). */
	uint8_t user_class[DHCP_PXE_MAX_UC];
	uint8_t user_class_len;
	bool has_user_class;

	bool is_ipxe;        /* user class "iPXE" or option 175 present */
	bool has_ipxe_encap; /* option 175 present */
	/* The codes of the options inside 175 (iPXE's feature indicators,
	 * include/ipxe/dhcp.h: 19 HTTP, 24 DNS, 36 EFI ...), one bit each. */
	uint8_t ipxe_features[256 / 8];
	bool known;   /* raw.known: a [host] entry exists for the client */
	bool is_uefi; /* primary arch is a UEFI code */
	bool is_http; /* HTTPClient, or an HTTP arch code */

	bool has_ndi; /* option 94: type 1 = UNDI, then major, minor */
	uint8_t ndi[3];
	bool has_uuid; /* option 97: type 0 + 16 bytes */
	uint8_t uuid[16];

	enum dhcp_pxe_rpi rpi;

	bool has_boot_item; /* option 43.71: a boot-server request (port 4011) */
	uint16_t boot_item_type;
	uint16_t boot_item_layer;

	unsigned malformed; /* DHCP_PXE_BAD_* */
};

/* Fill out from in. Never fails: malformed options set bits in
 * out->malformed and are otherwise ignored (or used as far as they go). */
void dhcp_pxe_client_classify(const struct dhcp_pxe_raw *in, struct dhcp_pxe_client *out);

/* Whether the client sent arch code (exactly), anywhere in option 93. */
bool dhcp_pxe_client_has_arch(const struct dhcp_pxe_client *c, uint16_t code);
/* Whether option 77 holds text: one RFC 3004 item equal to it, or the
 * whole value equal to it (iPXE sends the bare string). Case-sensitive. */
bool dhcp_pxe_client_user_class_is(const struct dhcp_pxe_client *c, const char *text);
/* Whether option 175 carries an encapsulated option with this code. */
bool dhcp_pxe_client_has_ipxe_feature(const struct dhcp_pxe_client *c, uint8_t code);
/* Whether c is network-boot firmware that a proxyDHCP answers: option 60
 * starting with "PXEClient" or "HTTPClient" (EDK2, iPXE, PXE ROMs, the
 * Raspberry Pi ROM and EEPROM all send one). */
bool dhcp_pxe_client_is_netboot(const struct dhcp_pxe_client *c);
/* Option 60 for our reply: "HTTPClient" to an HTTP Boot client (EDK2
 * compares the first 9 bytes, HttpBootDhcp4.c), "PXEClient" to a PXE
 * client (a proxy offer must carry it, PxeBcDhcp4.c), else NULL. */
const char *dhcp_pxe_reply_vendor_class(const struct dhcp_pxe_client *c);
/* Whether chaddr starts with one of the Raspberry Pi OUIs. */
bool dhcp_pxe_mac_is_rpi(const uint8_t *mac, size_t len);

/* Whether c is a Raspberry Pi boot ROM/EEPROM (Pi detected, arch 0 or 41
 * or none, not iPXE): such clients get the Pi option 43 form. A Pi
 * running UEFI firmware (arch 11) is an ordinary UEFI client. */
bool dhcp_pxe_client_is_rpi_rom(const struct dhcp_pxe_client *c);

/* EDK2 ignores HTTP Boot offers larger than this (HttpBootDhcp4.h
 * HTTP_BOOT_DHCP4_PACKET_MAX_SIZE): the reply builder's cap for them. */
#define DHCP_PXE_HTTP_MAX_OFFER 1472

/* Short names for log lines (`class=`, `rpi=`); static strings. */
const char *dhcp_pxe_client_class(const struct dhcp_pxe_client *c);
const char *dhcp_pxe_rpi_name(enum dhcp_pxe_rpi r);

#endif
