/* SPDX-License-Identifier: MIT */
/* IPv6 router advertisements (RFC 4861 §4.2, §6.2), pure: the RA a link
 * gets, the check of a received Router Solicitation (§6.1.1), and when the
 * next RA is due (§6.2.4, §6.2.6) on a clock and with random values that
 * the caller passes in. No sockets, clocks, logging or globals: the shell
 * is dhcpd/ra.c.
 *
 * Why a DHCP server sends RAs at all: a netboot network often has no IPv6
 * router, and iPXE (and firmware doing SLAAC) waits for an RA with the M or
 * O flag before it starts DHCPv6. This host is not a router, so the router
 * lifetime is 0 unless configured: clients learn the prefix and the flags
 * but get no default route through us. */
#ifndef DHCP6_RA_H
#define DHCP6_RA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DHCP_RA_MAX_PREFIXES 8
/* Header (16) + source link-layer address (8) + MTU (8) + the prefixes
 * (32 each): the largest RA we build. */
#define DHCP_RA_MAX_LEN (16 + 8 + 8 + 32 * DHCP_RA_MAX_PREFIXES)

/* RFC 4861 §10 constants, in milliseconds. */
#define DHCP_RA_MAX_INITIAL_INTERVAL_MS 16000 /* MAX_INITIAL_RTR_ADVERT_INTERVAL */
#define DHCP_RA_MAX_INITIAL_ADVERTS     3     /* MAX_INITIAL_RTR_ADVERTISEMENTS */
#define DHCP_RA_MIN_DELAY_BETWEEN_MS    3000  /* MIN_DELAY_BETWEEN_RAS */
#define DHCP_RA_MAX_DELAY_MS            500   /* MAX_RA_DELAY_TIME */
/* §6.2.1 bounds and defaults of the configurable variables. */
#define DHCP_RA_MIN_MAX_INTERVAL_MS     4000
#define DHCP_RA_MAX_MAX_INTERVAL_MS     1800000
#define DHCP_RA_DEFAULT_MAX_INTERVAL_MS 600000
#define DHCP_RA_MAX_ROUTER_LIFETIME     9000
#define DHCP_RA_DEFAULT_VALID           2592000 /* AdvValidLifetime: 30 days */
#define DHCP_RA_DEFAULT_PREFERRED       604800  /* AdvPreferredLifetime: 7 days */
/* Not an RFC value: when an RA cannot be sent (the link-local address is
 * still tentative, the link is down), try again this much later. */
#define DHCP_RA_RETRY_MS 1000

/* One Prefix Information option (§4.6.2). The on-link flag (L) is always
 * set: the prefix is on this link, that is why it is advertised. */
struct dhcp_ra_prefix {
	uint8_t prefix[16];
	uint8_t len;
	bool autonomous;           /* A flag: hosts form addresses by SLAAC (RFC 4862) */
	uint32_t valid, preferred; /* seconds; 0xffffffff is infinity */
};

/* What is advertised on one link, and how often. ifindex and ifname are the
 * shell's; the pure code reads the rest. */
struct dhcp_ra_link {
	int ifindex;
	char ifname[16];
	uint8_t mac[6];
	bool has_mac;
	uint32_t mtu;             /* 0: no MTU option */
	bool managed, other;      /* M and O flags (§4.2) */
	uint16_t router_lifetime; /* seconds; 0: not a default router */
	uint32_t max_interval_ms; /* MaxRtrAdvInterval; 0: the default */
	size_t n_prefixes;
	struct dhcp_ra_prefix prefixes[DHCP_RA_MAX_PREFIXES];
};

/* Build the RA for l into buf (cap bytes): the ICMPv6 message, from its type
 * byte on. final: the last RA before we stop advertising, router lifetime 0
 * (§6.2.5). Returns its length, or 0 when cap is too small or l has more
 * than DHCP_RA_MAX_PREFIXES prefixes. */
size_t dhcp_ra_build(uint8_t *buf, size_t cap, const struct dhcp_ra_link *l, bool final);

/* Whether l's values are within RFC 4861 §6.2.1 (and RFC 4862 §5.5.3 for
 * autonomous prefixes). NULL when they are, else what is wrong, for the
 * config check to report. */
const char *dhcp_ra_link_problem(const struct dhcp_ra_link *l);

/* Whether an interface with the n addresses addrs (prefix lengths plens,
 * unused here but kept for the caller's convenience) has one inside
 * prefix/len: a prefix is advertised only where it is on the link. */
bool dhcp_ra_prefix_on_link(const uint8_t prefix[16], uint8_t len, const uint8_t (*addrs)[16],
			    const uint8_t *plens, size_t n);

/* §6.1.1: the checks a received Router Solicitation must pass. */
enum dhcp_ra_rs_verdict {
	DHCP_RA_RS_OK = 0,
	DHCP_RA_RS_HOP_LIMIT,   /* IP hop limit is not 255: it crossed a router */
	DHCP_RA_RS_TYPE,        /* not ICMPv6 type 133 */
	DHCP_RA_RS_CODE,        /* ICMP code is not 0 */
	DHCP_RA_RS_SHORT,       /* fewer than 8 octets */
	DHCP_RA_RS_BAD_OPTION,  /* an option of length 0 or past the end */
	DHCP_RA_RS_UNSPEC_SLLA, /* unspecified source with a link-layer address */
};

/* What a valid RS told us (for the log line). */
struct dhcp_ra_rs {
	bool has_slla;
	uint8_t slla[6];
};

/* Check the ICMPv6 message buf (len bytes from the type byte on), received
 * with IP hop limit hop_limit from src. out may be NULL. */
enum dhcp_ra_rs_verdict dhcp_ra_rs_check(const uint8_t *buf, size_t len, int hop_limit,
					 const uint8_t src[16], struct dhcp_ra_rs *out);
const char *dhcp_ra_rs_verdict_name(enum dhcp_ra_rs_verdict v);

/* When the next RA on one link is due. Times in milliseconds on the
 * caller's clock; each call that draws a random interval takes a random
 * value rnd (any uint32_t; tests pass fixed ones). */
struct dhcp_ra_sched {
	uint32_t min_ms, max_ms; /* MinRtrAdvInterval, MaxRtrAdvInterval */
	unsigned sent;           /* RAs sent since start or the last change */
	bool has_last;
	bool rs_pending; /* the next RA answers a solicitation */
	uint64_t last;   /* when the last multicast RA went out */
	uint64_t next;   /* when the next one is due */
};

/* An interface becomes an advertising interface: the first RA is due now. */
void dhcp_ra_sched_start(struct dhcp_ra_sched *s, uint32_t max_interval_ms, uint64_t now);
/* An RA went out at now: the next periodic one is due a random interval
 * later, at most 16 s for the first ones (§6.2.4). */
void dhcp_ra_sched_sent(struct dhcp_ra_sched *s, uint64_t now, uint32_t rnd);
/* Sending failed at now: try again DHCP_RA_RETRY_MS later (never before
 * the rate limit allows). */
void dhcp_ra_sched_failed(struct dhcp_ra_sched *s, uint64_t now);
/* A valid RS arrived at now: answer after a random 0-500 ms, no sooner
 * than 3 s after the last RA, never later than already due (§6.2.6). */
void dhcp_ra_sched_rs(struct dhcp_ra_sched *s, uint64_t now, uint32_t rnd);
/* The configuration was reloaded (SIGHUP). changed: what is advertised
 * changed, so the initial adverts are sent again (§6.2.4 allows it);
 * otherwise only the interval, if it changed, shortens a later deadline. */
void dhcp_ra_sched_update(struct dhcp_ra_sched *s, uint32_t max_interval_ms, bool changed,
			  uint64_t now, uint32_t rnd);

#endif
