/* SPDX-License-Identifier: MIT */
/* TFTP packets (RFC 1350, RFC 2347 OACK): parse and build over byte
 * buffers. Pure: no sockets, clocks or logging. */
#ifndef TFTP_WIRE_H
#define TFTP_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tftp_op {
	TFTP_RRQ = 1,
	TFTP_WRQ = 2,
	TFTP_DATA = 3,
	TFTP_ACK = 4,
	TFTP_ERROR = 5,
	TFTP_OACK = 6,
};

enum tftp_errcode {
	TFTP_EUNDEF = 0, /* not defined, see message */
	TFTP_ENOTFOUND = 1,
	TFTP_EACCESS = 2,
	TFTP_ENOSPACE = 3,
	TFTP_EBADOP = 4,
	TFTP_EBADID = 5, /* unknown transfer ID */
	TFTP_EEXISTS = 6,
	TFTP_ENOUSER = 7,
	TFTP_EOPTNEG = 8, /* RFC 2347: option negotiation refused */
};

enum tftp_mode { TFTP_MODE_OCTET, TFTP_MODE_NETASCII };

#define TFTP_BLKSIZE_DEFAULT 512
#define TFTP_BLKSIZE_MIN     8     /* RFC 2348 */
#define TFTP_BLKSIZE_MAX     65464 /* RFC 2348 */
#define TFTP_WINDOW_MAX      65535 /* RFC 7440 */
#define TFTP_HDR             4     /* opcode + block (DATA/ACK/ERROR) */
#define TFTP_MAX_OPTS        16    /* more options than this are ignored */

/* One option as the client sent it (pointers into the packet). */
struct tftp_opt {
	const char *name, *value;
	size_t name_len, value_len;
};

/* An RRQ or WRQ. filename points into the packet (NUL-terminated there). */
struct tftp_req {
	enum tftp_op op;
	const char *filename;
	size_t filename_len;
	enum tftp_mode mode;
	struct tftp_opt opts[TFTP_MAX_OPTS];
	size_t nopts;
};

/* Any packet. */
struct tftp_pkt {
	enum tftp_op op;
	uint16_t block;      /* DATA, ACK */
	const uint8_t *data; /* DATA payload */
	size_t data_len;
	uint16_t errcode;   /* ERROR */
	const char *errmsg; /* ERROR text, may lack its NUL: use errmsg_len */
	size_t errmsg_len;
};

/* Parse an RRQ/WRQ. Returns 0, or -EINVAL for a malformed request (no
 * NUL after the file name or the mode, empty file name), -ENOTSUP for a
 * mode other than octet/netascii ("mail" is obsolete, RFC 1350) or an
 * opcode that is not a request. Lenient as RFC 2347 allows: options
 * without a value terminator, and anything after the last whole option
 * (Apple OpenFirmware trailing garbage), are ignored; so is the 512-octet
 * limit. */
int tftp_parse_req(const uint8_t *buf, size_t len, struct tftp_req *out);

/* Parse DATA/ACK/ERROR/OACK (and requests, with only op set). 0 or
 * -EINVAL when too short or an unknown opcode. */
int tftp_parse_pkt(const uint8_t *buf, size_t len, struct tftp_pkt *out);

/* Find an option by name, case-insensitive (RFC 2347). NULL if absent. */
const struct tftp_opt *tftp_req_opt(const struct tftp_req *r, const char *name);

/* Builders: return the packet length, or 0 when cap is too small. */
size_t tftp_build_ack(uint8_t *buf, size_t cap, uint16_t block);
size_t tftp_build_data_hdr(uint8_t *buf, size_t cap, uint16_t block);
/* Message is cut to fit; NULL means the standard text of the code. */
size_t tftp_build_error(uint8_t *buf, size_t cap, uint16_t code, const char *msg);
const char *tftp_error_text(uint16_t code);

/* OACK: n name/value pairs, in the order given. */
struct tftp_oack_item {
	const char *name;
	char value[24];
};
size_t tftp_build_oack(uint8_t *buf, size_t cap, const struct tftp_oack_item *items, size_t n);

static inline void tftp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t tftp_get16(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

#endif
