/* SPDX-License-Identifier: MIT */
/* DHCPv6 options as the PXE layer sees them: a parsed DHCPv6 request
 * mapped onto the DHCPv4-shaped struct dhcp_pxe_raw, so that
 * dhcpd/pxe/client.c classifies EDK2, iPXE and the Pi the same way for
 * both families. Pure. */
#ifndef DHCP6_OPTIONS_H
#define DHCP6_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pxe/client.h"
#include "wire.h"

/* Storage for the values that need converting: dhcp_pxe_raw borrows
 * from it, so it lives as long as the raw struct. */
struct dhcp6_pxe_scratch {
	uint8_t user_class[DHCP_PXE_MAX_UC]; /* RFC 3004 form of option 15 */
	uint8_t uuid[17];                    /* option 97 form of a DUID-UUID */
	uint8_t mac[6];
};

/* Fill raw from m:
 *   vendor_class (60) <- the first item of option 16 (any enterprise
 *                        number: raw has no field for it, m keeps it);
 *   user_class (77)   <- option 15's items re-encoded with 1-byte lengths
 *                        (RFC 3004 §4, what client.c walks); items longer
 *                        than 255 bytes, which 77 cannot carry, are left
 *                        out; an empty option 15 stays present and empty;
 *   arch (93)         <- option 61 (the same list of 16-bit codes,
 *                        RFC 5970 §3.3 and RFC 4578 §2.1);
 *   ndi (94)          <- option 62 (the same type/major/minor, §3.4);
 *   uuid (97)         <- a DUID-UUID (RFC 6355) client id, as type 0 + 16;
 *   htype/chaddr      <- dhcp6_client_mac (option 79, else the DUID);
 *   msg_type          <- the DHCPv6 type as is: its numbers are not
 *                        DHCPv4's (client.c only copies it);
 *   vendor_opts (43), ipxe_encap (175): none in DHCPv6, left absent. */
void dhcp6_pxe_raw(const struct dhcp6_msg *m, struct dhcp_pxe_raw *raw,
		   struct dhcp6_pxe_scratch *s);

#endif
