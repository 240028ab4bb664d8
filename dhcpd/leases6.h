/* placeholder until the v6 lease store lands (branch v6-leases) */
#ifndef DHCP_LEASES6_H
#define DHCP_LEASES6_H
#include <stdint.h>
struct dhcp6_range_def {
	uint8_t start[16], end[16];
};
#endif
