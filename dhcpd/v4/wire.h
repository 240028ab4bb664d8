/* SPDX-License-Identifier: MIT */
/* BOOTP/DHCPv4 messages on the wire (RFC 951, RFC 2131 §2, RFC 2132,
 * RFC 3396). Pure: byte buffers in, structs out. */
#ifndef DHCP_WIRE_H
#define DHCP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_HDR_LEN   236 /* fixed BOOTP header, before the cookie */
#define DHCP_COOKIE    0x63825363u
#define DHCP_MIN_MSG   548  /* 576-byte IP datagram minus IP and UDP headers */
#define DHCP_BOOTP_MIN 300  /* RFC 951 size; some clients drop shorter replies */
#define DHCP_MAX_MSG   4096 /* largest message we read or build */
#define DHCP_IPUDP_HDR 28

#define DHCP_BOOTREQUEST    1
#define DHCP_BOOTREPLY      2
#define DHCP_FLAG_BROADCAST 0x8000

enum dhcp_msg_type {
	DHCPDISCOVER = 1,
	DHCPOFFER = 2,
	DHCPREQUEST = 3,
	DHCPDECLINE = 4,
	DHCPACK = 5,
	DHCPNAK = 6,
	DHCPRELEASE = 7,
	DHCPINFORM = 8,
	/* Not a DHCP type: how the core and the log name its reply to a
	 * BOOTP request, which carries no option 53 (RFC 1534 §2). */
	DHCPBOOTREPLY = 9,
};

/* Option codes the core uses by number. */
enum {
	DHO_PAD = 0,
	DHO_SUBNET_MASK = 1,
	DHO_ROUTER = 3,
	DHO_DNS = 6,
	DHO_HOSTNAME = 12,
	DHO_DOMAIN_NAME = 15,
	DHO_BROADCAST = 28,
	DHO_VENDOR_ENCAP = 43,
	DHO_REQUESTED_ADDR = 50,
	DHO_LEASE_TIME = 51,
	DHO_OVERLOAD = 52,
	DHO_MSG_TYPE = 53,
	DHO_SERVER_ID = 54,
	DHO_PARAM_LIST = 55,
	DHO_MESSAGE = 56,
	DHO_MAX_SIZE = 57,
	DHO_T1 = 58,
	DHO_T2 = 59,
	DHO_VENDOR_CLASS = 60,
	DHO_CLIENT_ID = 61,
	DHO_TFTP_SERVER = 66,
	DHO_BOOTFILE = 67,
	DHO_USER_CLASS = 77,
	DHO_RELAY_AGENT = 82,
	DHO_CLIENT_ARCH = 93,
	DHO_CLIENT_NDI = 94,
	DHO_UUID = 97,
	DHO_END = 255,
};

#define DHCP_RAI_LINK_SELECTION 5 /* RFC 3527 sub-option of option 82 */

/* A parsed message. Addresses are in network byte order (as in_addr_t).
 * Options are stored concatenated per code (RFC 3396: several instances of
 * one code form one value), from the options field, then file, then sname
 * when option 52 says so (RFC 2131 §4.1 order). */
struct dhcp_msg {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16];
	char sname[65]; /* NUL-terminated copies (empty when overloaded) */
	char file[129];
	bool has_cookie;  /* false: plain BOOTP */
	bool missing_end; /* tolerated: many ROMs omit END */
	uint8_t overload; /* option 52 value (1 file, 2 sname, 3 both) */
	bool overload_seen;
	uint16_t opt_off[256];
	uint16_t opt_len[256];
	uint8_t opt_present[256 / 8];
	uint16_t optbuf_len;
	uint8_t optbuf[DHCP_MAX_MSG];
};

/* Parse len bytes. 0, or -EINVAL for a message too short to be BOOTP, a
 * bad op/hlen, or an option running past its area. */
int dhcp_parse(const uint8_t *buf, size_t len, struct dhcp_msg *out);

/* Option value or NULL; *len set when found. */
const uint8_t *dhcp_opt_get(const struct dhcp_msg *m, uint8_t code, size_t *len);
bool dhcp_opt_has(const struct dhcp_msg *m, uint8_t code);
/* Option 53, or 0 when absent/invalid (BOOTP). */
int dhcp_msg_type(const struct dhcp_msg *m);
/* Address options (50, 54): false unless exactly 4 bytes. */
bool dhcp_opt_addr(const struct dhcp_msg *m, uint8_t code, uint32_t *out_be);
/* 32-bit number options (51 lease time): host order, false unless 4 bytes. */
bool dhcp_opt_u32(const struct dhcp_msg *m, uint8_t code, uint32_t *out);
/* Largest reply the client accepts, as DHCP bytes (option 57 counts the
 * IP and UDP headers too, RFC 2132 §9.10); at least DHCP_MIN_MSG, at most cap. */
size_t dhcp_max_reply(const struct dhcp_msg *m, size_t cap);
/* Sub-option of option 82 (RFC 3046), NULL when absent. */
const uint8_t *dhcp_rai_sub(const struct dhcp_msg *m, uint8_t sub, size_t *len);
const char *dhcp_msg_type_name(int type);

/* Reply builder. The header is copied from the request; options are added
 * in order; dhcp_build_finish adds END and pads to DHCP_BOOTP_MIN.
 * With overload allowed (RFC 2132 §9.3, RFC 2131 §4.1), an option that does
 * not fit into the options field before cap goes into the `file` field,
 * then `sname`, whichever of them the caller allowed, and
 * dhcp_build_finish writes option 52 and the fields' END bytes; the
 * message never grows past cap for it. */
struct dhcp_builder {
	uint8_t *buf;
	size_t cap; /* the client's limit, see dhcp_max_reply */
	size_t len;
	bool overflow;       /* an option did not fit and was left out */
	uint8_t ovl_allowed; /* 1: file may take options, 2: sname, 3: both */
	uint8_t ovl_used;    /* the fields that took options: option 52's value */
	size_t ovl_len[2];   /* bytes of options in file, in sname */
};

void dhcp_build_start(struct dhcp_builder *b, uint8_t *buf, size_t cap, const struct dhcp_msg *req,
		      uint8_t type);
/* Set header fields (network byte order). */
void dhcp_build_set_addr(struct dhcp_builder *b, size_t field_off, uint32_t be);
void dhcp_build_set_flags(struct dhcp_builder *b, uint16_t flags);
void dhcp_build_set_str(struct dhcp_builder *b, size_t field_off, size_t field_len, const char *s);
/* Append one option; values over 255 bytes are split into several
 * instances (RFC 3396). -ENOSPC (and nothing written) when it does not
 * fit before the END byte. */
int dhcp_build_opt(struct dhcp_builder *b, uint8_t code, const void *val, size_t len);
int dhcp_build_opt_u32(struct dhcp_builder *b, uint8_t code, uint32_t v);
int dhcp_build_opt_addr(struct dhcp_builder *b, uint8_t code, uint32_t be);
size_t dhcp_build_finish(struct dhcp_builder *b);
/* Allow options into the file and/or sname fields (they must hold no
 * boot file or server name: set them with dhcp_build_set_str first). */
void dhcp_build_allow_overload(struct dhcp_builder *b, bool file, bool sname);
/* RFC 951 reply to a client that sent no RFC 1048 cookie: no options, a
 * zero 64-byte vend area, DHCP_BOOTP_MIN bytes in all. */
size_t dhcp_build_finish_plain(struct dhcp_builder *b);

/* Header field offsets for dhcp_build_set_*. */
#define DHCP_OFF_FLAGS  10
#define DHCP_OFF_CIADDR 12
#define DHCP_OFF_YIADDR 16
#define DHCP_OFF_SIADDR 20
#define DHCP_OFF_GIADDR 24
#define DHCP_OFF_CHADDR 28
#define DHCP_OFF_SNAME  44
#define DHCP_OFF_FILE   108

/* Build a request (tests and fuzz seeds): header fields from m, options
 * from m's option store in code order. Returns the length or 0. */
size_t dhcp_build_request(uint8_t *buf, size_t cap, const struct dhcp_msg *m);
/* Store an option into a message being assembled (tests). */
int dhcp_msg_set_opt(struct dhcp_msg *m, uint8_t code, const void *val, size_t len);

#endif
