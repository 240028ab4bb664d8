/* SPDX-License-Identifier: MIT */
/* DHCPv6 messages on the wire (RFC 8415 §7, §8, §9, §21; RFC 5970 boot
 * options; RFC 6939 client link-layer address). Pure: byte buffers in,
 * structs out; no sockets, clocks, logging or globals. */
#ifndef DHCP6_WIRE_H
#define DHCP6_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP6_HDR_LEN       4    /* msg-type, 24-bit transaction-id (RFC 8415 §8) */
#define DHCP6_RELAY_HDR_LEN 34   /* msg-type, hop-count, link, peer (§9) */
#define DHCP6_OPT_HDR_LEN   4    /* option-code, option-len (§21.1) */
#define DHCP6_MAX_MSG       4096 /* largest message we read or build */
/* RFC 8415 §7.6: a relay drops a RELAY-FORW whose hop-count is already
 * HOP_COUNT_LIMIT, so hop counts 0..8 can reach us: at most 9 layers. */
#define DHCP6_HOP_COUNT_LIMIT 8
#define DHCP6_MAX_RELAYS      (DHCP6_HOP_COUNT_LIMIT + 1)
#define DHCP6_MAX_DUID        130 /* type + 128 octets (§11.1) */

/* RFC 8415 §7.3. */
enum dhcp6_msg_type {
	DHCP6_SOLICIT = 1,
	DHCP6_ADVERTISE = 2,
	DHCP6_REQUEST = 3,
	DHCP6_CONFIRM = 4,
	DHCP6_RENEW = 5,
	DHCP6_REBIND = 6,
	DHCP6_REPLY = 7,
	DHCP6_RELEASE = 8,
	DHCP6_DECLINE = 9,
	DHCP6_RECONFIGURE = 10,
	DHCP6_INFORMATION_REQUEST = 11,
	DHCP6_RELAY_FORW = 12,
	DHCP6_RELAY_REPL = 13,
};

/* Option codes used by number (RFC 8415 §21, RFC 3646, RFC 4242,
 * RFC 5970, RFC 6939). */
enum {
	D6O_CLIENTID = 1,
	D6O_SERVERID = 2,
	D6O_IA_NA = 3,
	D6O_IA_TA = 4,
	D6O_IAADDR = 5,
	D6O_ORO = 6,
	D6O_PREFERENCE = 7,
	D6O_ELAPSED_TIME = 8,
	D6O_RELAY_MSG = 9,
	D6O_STATUS_CODE = 13,
	D6O_RAPID_COMMIT = 14,
	D6O_USER_CLASS = 15,
	D6O_VENDOR_CLASS = 16,
	D6O_VENDOR_OPTS = 17,
	D6O_INTERFACE_ID = 18,
	D6O_DNS_SERVERS = 23,
	D6O_DOMAIN_LIST = 24,
	D6O_INFO_REFRESH_TIME = 32,
	D6O_BOOTFILE_URL = 59,
	D6O_BOOTFILE_PARAM = 60,
	D6O_CLIENT_ARCH_TYPE = 61,
	D6O_NII = 62,
	D6O_CLIENT_LINKLAYER_ADDR = 79,
};

/* RFC 8415 §21.13 status codes. */
enum dhcp6_status {
	DHCP6_ST_SUCCESS = 0,
	DHCP6_ST_UNSPEC_FAIL = 1,
	DHCP6_ST_NO_ADDRS_AVAIL = 2,
	DHCP6_ST_NO_BINDING = 3,
	DHCP6_ST_NOT_ON_LINK = 4,
	DHCP6_ST_USE_MULTICAST = 5,
	DHCP6_ST_NO_PREFIX_AVAIL = 6,
};

/* RFC 8415 §11.1 DUID types. */
enum dhcp6_duid_type {
	DHCP6_DUID_LLT = 1,
	DHCP6_DUID_EN = 2,
	DHCP6_DUID_LL = 3,
	DHCP6_DUID_UUID = 4, /* RFC 6355 */
};

#define DHCP6_ENTERPRISE_INTEL 343 /* PXEClient / HTTPClient vendor class (EDK2) */
#define DHCP6_HWTYPE_ETHERNET  1

/* Limits of what the parse keeps; more is counted as truncated, not an
 * error (a huge ORO must not cost more than this). */
#define DHCP6_MAX_IA     4
#define DHCP6_MAX_IAADDR 4
#define DHCP6_MAX_ORO    32

/* A value inside the caller's buffer: the parse borrows, never copies, so
 * a struct dhcp6_msg is valid while the packet buffer lives. data == NULL:
 * absent; present with len 0 is possible. */
struct dhcp6_bytes {
	const uint8_t *data;
	size_t len;
};

struct dhcp6_status_opt {
	bool present;
	uint16_t code;
	struct dhcp6_bytes msg; /* UTF-8, not NUL-terminated */
};

/* RFC 8415 §21.6: an address in an IA, with its lifetimes. */
struct dhcp6_iaaddr {
	uint8_t addr[16];
	uint32_t preferred, valid;
	struct dhcp6_status_opt status;
};

/* RFC 8415 §21.4: IA_NA with its nested IAADDR and status options. */
struct dhcp6_ia_na {
	uint32_t iaid, t1, t2;
	uint8_t n_addrs;
	bool addrs_truncated;
	struct dhcp6_iaaddr addrs[DHCP6_MAX_IAADDR];
	struct dhcp6_status_opt status;
};

/* One RELAY-FORW/REPL layer (RFC 8415 §9.1), kept so a reply can be
 * wrapped back (§9.2), with the options a relay adds for the server. */
struct dhcp6_relay {
	uint8_t type; /* DHCP6_RELAY_FORW or _REPL */
	uint8_t hop_count;
	uint8_t link[16], peer[16];
	struct dhcp6_bytes interface_id; /* option 18, echoed in the reply */
	bool has_lladdr;                 /* option 79 (RFC 6939 §4) */
	uint16_t lladdr_type;            /* IANA hardware type, 1 = Ethernet */
	struct dhcp6_bytes lladdr;
};

/* A parsed message: the client/server message, innermost when relayed. */
struct dhcp6_msg {
	uint8_t type;
	uint32_t xid;
	/* relays[0] is the outermost layer (the one we received), relays
	 * [n_relays - 1] the first-hop relay next to the client. */
	uint8_t n_relays;
	struct dhcp6_relay relays[DHCP6_MAX_RELAYS];
	struct dhcp6_bytes body; /* the innermost message, header included */

	struct dhcp6_bytes client_id, server_id; /* DUIDs (1, 2) */
	uint8_t n_ia_na;
	bool ia_na_truncated;
	struct dhcp6_ia_na ia_na[DHCP6_MAX_IA];
	uint8_t n_oro;
	bool has_oro, oro_truncated;
	uint16_t oro[DHCP6_MAX_ORO];
	bool has_elapsed;
	uint16_t elapsed; /* hundredths of a second (§21.9) */
	bool rapid_commit;
	bool has_preference;
	uint8_t preference;
	struct dhcp6_bytes user_class; /* 15: items of {u16 len, data} (§21.15) */
	bool has_vendor_class;
	uint32_t vendor_enterprise;        /* 16: the instance used (343 preferred) */
	struct dhcp6_bytes vendor_class;   /* its items, after the enterprise number */
	struct dhcp6_bytes arch;           /* 61: list of u16 (RFC 5970 §3.3) */
	struct dhcp6_bytes nii;            /* 62: type, major, minor (§3.4) */
	struct dhcp6_bytes bootfile_url;   /* 59 */
	struct dhcp6_bytes bootfile_param; /* 60: items of {u16 len, data} */
	struct dhcp6_status_opt status;    /* 13 at the top level */
	uint16_t bad_code;                 /* after a parse error: the option that was malformed */
};

/* Parse len bytes: a client/server message, or RELAY-FORW/REPL layers
 * down to the client message they carry. 0; -EINVAL for a short header,
 * a malformed option (m->bad_code says which) or a relay without a relay
 * message; -ELOOP for more than DHCP6_MAX_RELAYS layers. Unknown options
 * are skipped; of a repeated option the first counts. */
int dhcp6_parse(const uint8_t *buf, size_t len, struct dhcp6_msg *m);

/* Walk the options in buf: each call sets *code and *val and returns 1,
 * 0 at the end, -EINVAL when an option runs past the buffer. *off starts
 * at 0. Never reads past len. */
int dhcp6_opt_next(const uint8_t *buf, size_t len, size_t *off, uint16_t *code,
		   struct dhcp6_bytes *val);

/* Items of a list of {u16 length, data} (user class, vendor class after
 * its enterprise number, bootfile-param): like dhcp6_opt_next. */
int dhcp6_item_next(const uint8_t *buf, size_t len, size_t *off, struct dhcp6_bytes *item);

bool dhcp6_oro_has(const struct dhcp6_msg *m, uint16_t code);
const char *dhcp6_msg_type_name(int type);

/* DUID helpers (RFC 8415 §11): its type, 0 when shorter than 2 bytes;
 * the MAC of a DUID-LLT or DUID-LL with hardware type 1 (Ethernet). */
int dhcp6_duid_type(const uint8_t *duid, size_t len);
bool dhcp6_duid_mac(const uint8_t *duid, size_t len, uint8_t mac[6]);
/* The client's MAC: option 79 from the first-hop relay (RFC 6939), else
 * from its DUID. */
bool dhcp6_client_mac(const struct dhcp6_msg *m, uint8_t mac[6]);

/* Reply builder: bounded appends into the caller's buffer. A call that
 * does not fit returns -ENOSPC, writes nothing and sets overflow. */
#define DHCP6_BUILD_DEPTH 3 /* IA_NA > IAADDR > status */
struct dhcp6_builder {
	uint8_t *buf;
	size_t cap, len;
	bool overflow;
	uint8_t depth;
	size_t open[DHCP6_BUILD_DEPTH]; /* offsets of open options' headers */
};

int dhcp6_build_start(struct dhcp6_builder *b, uint8_t *buf, size_t cap, uint8_t type,
		      uint32_t xid);
int dhcp6_build_opt(struct dhcp6_builder *b, uint16_t code, const void *val, size_t len);
/* An option holding options (IA_NA, IAADDR): open writes its header and
 * fixed fields, close sets its length. */
int dhcp6_build_open(struct dhcp6_builder *b, uint16_t code, const void *fixed, size_t len);
void dhcp6_build_close(struct dhcp6_builder *b);
int dhcp6_build_u8(struct dhcp6_builder *b, uint16_t code, uint8_t v);
int dhcp6_build_u16(struct dhcp6_builder *b, uint16_t code, uint16_t v);
/* 32-bit values: T1-like times, 32 information refresh time (RFC 8415
 * §21.23, formerly RFC 4242). */
int dhcp6_build_u32(struct dhcp6_builder *b, uint16_t code, uint32_t v);
/* Status code option (§21.13): code and an optional UTF-8 message, NULL
 * or "" for none. */
int dhcp6_build_status(struct dhcp6_builder *b, uint16_t status, const char *msg);
/* IA_NA with the given addresses (their lifetimes; no status), or with
 * only a status (n == 0, status != 0: e.g. NoAddrsAvail, §18.3.9). */
int dhcp6_build_ia_na(struct dhcp6_builder *b, uint32_t iaid, uint32_t t1, uint32_t t2,
		      const struct dhcp6_iaaddr *addrs, size_t n, uint16_t status, const char *msg);
/* A list of {u16 len, data} items after an optional 4-byte enterprise
 * number: 15, 16 (has_ent), 60. */
int dhcp6_build_items(struct dhcp6_builder *b, uint16_t code, bool has_ent, uint32_t ent,
		      const char *const *items, size_t n);
int dhcp6_build_addrs(struct dhcp6_builder *b, uint16_t code, const uint8_t (*addrs)[16], size_t n);
/* The length, or -ENOSPC when something did not fit (b->overflow). */
int dhcp6_build_finish(struct dhcp6_builder *b);

/* Wrap a reply (reply, len) in RELAY-REPL layers for the request's relay
 * chain (RFC 8415 §9.2, §19.3): each layer's hop-count, link and peer
 * address copied, its interface-id echoed. reply may lie at the start of
 * out (it is moved); out must not overlap the request's packet, whose
 * interface-ids are read from it. Returns the total length, or -ENOSPC (out untouched
 * past the reply). With no relays it returns len after the move. */
int dhcp6_wrap_relay_reply(const struct dhcp6_msg *req, const uint8_t *reply, size_t len,
			   uint8_t *out, size_t cap);

#endif
