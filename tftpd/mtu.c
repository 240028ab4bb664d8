/* SPDX-License-Identifier: MIT */
/* The interface MTU that bounds blksize (mtu.h). */
#include "mtu.h"

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "wire.h"

/* SIOCGIFMTU of ifindex: the MTU, 0 when the interface would not say
 * (an answer too, cached), or -1 when it could not be asked (the
 * interface is gone, no socket). */
static int ask_mtu(int ifindex)
{
	struct ifreq ifr;
	memset(&ifr, 0, sizeof(ifr));
	if (!if_indextoname((unsigned)ifindex, ifr.ifr_name))
		return -1;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	int mtu = ioctl(fd, SIOCGIFMTU, &ifr) == 0 ? ifr.ifr_mtu : 0;
	close(fd);
	return mtu;
}

int tftp_mtu_get(struct tftp_mtu_cache *c, int ifindex, uint64_t now_us)
{
	struct tftp_mtu_entry *slot = &c->e[0];
	for (int i = 0; i < TFTP_MTU_CACHE; i++) {
		struct tftp_mtu_entry *e = &c->e[i];
		if (e->ifindex == ifindex && now_us - e->at_us < TFTP_MTU_TTL_US)
			return e->mtu;
		if (e->at_us < slot->at_us)
			slot = e;
	}
	int mtu = ask_mtu(ifindex);
	if (mtu < 0)
		return 0;
	*slot = (struct tftp_mtu_entry){.ifindex = ifindex, .mtu = mtu, .at_us = now_us};
	return mtu;
}

uint32_t tftp_mtu_blksize(struct tftp_mtu_cache *c, long long blksize_max, int family,
			  bool v4mapped, int ifindex, uint64_t now_us)
{
	if (blksize_max > 0)
		return (uint32_t)blksize_max;
	/* dnsmasq's rule: IPv4 20 + UDP 8 + TFTP 4 = 32; IPv6 40 + 8 + 4 = 52.
	 * Unfragmented replies: some PXE ROMs cannot reassemble. */
	int hdr = (family == AF_INET || v4mapped) ? 32 : 52;
	int mtu = ifindex > 0 ? tftp_mtu_get(c, ifindex, now_us) : 0;
	if (mtu <= 0)
		mtu = 1500;
	long long v = mtu - hdr;
	if (v > TFTP_BLKSIZE_MAX)
		v = TFTP_BLKSIZE_MAX;
	if (v < 512)
		v = 512;
	return (uint32_t)v;
}
