/* SPDX-License-Identifier: MIT */
/* DHCPv6 request options mapped onto the PXE layer's raw form (see
 * options.h). RFC 8415 §21.15 and §21.16 (class options), RFC 5970
 * (61, 62), RFC 6355 (DUID-UUID), RFC 3004 (the DHCPv4 user class form). */
#include <string.h>

#include "options.h"

static struct dhcp_pxe_bytes borrow(const struct dhcp6_bytes *v)
{
	return (struct dhcp_pxe_bytes){.data = v->data, .len = v->len};
}

/* Option 15's {u16 length, data} items as RFC 3004 {u8 length, data}. */
static void user_class(const struct dhcp6_msg *m, struct dhcp_pxe_raw *raw,
		       struct dhcp6_pxe_scratch *s)
{
	size_t off = 0, n = 0;
	struct dhcp6_bytes it;

	if (!m->user_class.data)
		return;
	while (dhcp6_item_next(m->user_class.data, m->user_class.len, &off, &it) > 0) {
		if (it.len == 0 || it.len > 255 || n + 1 + it.len > sizeof(s->user_class))
			continue;
		s->user_class[n++] = (uint8_t)it.len;
		memcpy(s->user_class + n, it.data, it.len);
		n += it.len;
	}
	raw->user_class.data = s->user_class;
	raw->user_class.len = n;
}

static void vendor_class(const struct dhcp6_msg *m, struct dhcp_pxe_raw *raw)
{
	size_t off = 0;
	struct dhcp6_bytes it;

	if (!m->has_vendor_class)
		return;
	/* EDK2 sends one item, "PXEClient:Arch:00007:UNDI:003000"
	 * (PxeBcDhcp6.c); an option with no item reads as an empty 60. */
	if (dhcp6_item_next(m->vendor_class.data, m->vendor_class.len, &off, &it) > 0)
		raw->vendor_class = borrow(&it);
	else
		raw->vendor_class = (struct dhcp_pxe_bytes){.data = m->vendor_class.data, .len = 0};
}

void dhcp6_pxe_raw(const struct dhcp6_msg *m, struct dhcp_pxe_raw *raw, struct dhcp6_pxe_scratch *s)
{
	memset(raw, 0, sizeof(*raw));
	raw->family = 6;
	raw->msg_type = m->type;
	if (dhcp6_client_mac(m, s->mac)) {
		raw->htype = DHCP6_HWTYPE_ETHERNET;
		raw->chaddr = s->mac;
		raw->hlen = 6;
	}
	vendor_class(m, raw);
	user_class(m, raw, s);
	if (m->arch.data)
		raw->arch = borrow(&m->arch);
	if (m->nii.data)
		raw->ndi = borrow(&m->nii);
	if (dhcp6_duid_type(m->client_id.data, m->client_id.len) == DHCP6_DUID_UUID &&
	    m->client_id.len == 18) {
		s->uuid[0] = 0; /* RFC 4578 §2.3: type 0, then the GUID */
		memcpy(s->uuid + 1, m->client_id.data + 2, 16);
		raw->uuid.data = s->uuid;
		raw->uuid.len = 17;
	}
}
