/* SPDX-License-Identifier: MIT */
/* The lease clock (see clock.h). */
#include "clock.h"

#include <stdbool.h>
#include <time.h>

static bool based;
static int64_t base_wall, base_boot;

static int64_t boot_seconds(void)
{
	struct timespec ts;
	if (clock_gettime(CLOCK_BOOTTIME, &ts) < 0)
		clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec;
}

int64_t dhcp_now(void)
{
	if (!based) {
		base_wall = (int64_t)time(NULL);
		base_boot = boot_seconds();
		based = true;
	}
	return base_wall + (boot_seconds() - base_boot);
}

int64_t dhcp_clock_drift(void)
{
	int64_t d = (int64_t)time(NULL) - dhcp_now();
	return d > DHCP_CLOCK_SLACK || d < -DHCP_CLOCK_SLACK ? d : 0;
}

void dhcp_clock_rebase(int64_t delta)
{
	dhcp_now();
	base_wall += delta;
}
