/* SPDX-License-Identifier: MIT */
/* PXE option 43 builders and parser (see opt43.h for the layouts).
 *
 * The 255-byte ceiling: RFC 3396 would allow a longer option split in
 * several instances, but PXE ROMs read one instance only, so a menu that
 * does not fit is a configuration error (dnsmasq: "PXE menu too large"). */
#include "opt43.h"

#include <errno.h>
#include <string.h>

/* A bounded writer: every put checks the room; the first failure sticks. */
struct o43 {
	uint8_t *out;
	size_t cap;
	size_t len;
	int err;
};

static void o43_bytes(struct o43 *w, const void *p, size_t n)
{
	if (w->err)
		return;
	if (w->len + n > DHCP_PXE_OPT43_MAX) {
		w->err = -EMSGSIZE;
		return;
	}
	if (w->len + n > w->cap) {
		w->err = -ENOSPC;
		return;
	}
	memcpy(w->out + w->len, p, n);
	w->len += n;
}

static void o43_u8(struct o43 *w, uint8_t v)
{
	o43_bytes(w, &v, 1);
}

static void o43_u16(struct o43 *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	o43_bytes(w, b, 2);
}

static int o43_finish(struct o43 *w)
{
	o43_u8(w, DHCP_PXE_SUB_END);
	return w->err ? w->err : (int)w->len;
}

/* ---------------------------------------------------------------- sizes */

static size_t menu_servers(const struct dhcp_pxe_menu *m)
{
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].type != DHCP_PXE_ITEM_LOCAL)
			k++;
	return k;
}

static const char *menu_prompt(const struct dhcp_pxe_menu *m, uint8_t *timeout)
{
	/* dnsmasq's default when no pxe-prompt is set, visible in the
	 * Raspberry Pi bytes: timeout 0 ("boot the first item at once"),
	 * text "PXE". */
	*timeout = m->has_prompt ? m->timeout : 0;
	return m->has_prompt ? m->prompt : "PXE";
}

size_t dhcp_pxe_menu_size(const struct dhcp_pxe_menu *m)
{
	uint8_t timeout;
	size_t k = menu_servers(m);
	size_t n = 3;                              /* 43.6 */
	n += k ? 2 + 7 * k : 0;                    /* 43.8: {type, 1, addr} each */
	n += 3 + strlen(menu_prompt(m, &timeout)); /* 43.10 */
	n += 2;                                    /* 43.9 header */
	for (size_t i = 0; i < m->n; i++)
		n += 3 + strlen(m->items[i].text);
	return n + 1; /* end */
}

int dhcp_pxe_menu_check(const struct dhcp_pxe_menu *m, struct pxe_err *err)
{
	size_t need;

	if (m->n == 0)
		return 0;
	need = dhcp_pxe_menu_size(m);
	if (need <= DHCP_PXE_OPT43_MAX)
		return 0;
	return pxe_err_set(err, EMSGSIZE,
			   "PXE menu needs %zu bytes of option 43, at most %d fit "
			   "(%zu items): shorten the item texts or the prompt, or drop items",
			   need, DHCP_PXE_OPT43_MAX, m->n);
}

const struct dhcp_pxe_menu_item *dhcp_pxe_menu_find(const struct dhcp_pxe_menu *m, uint16_t type)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->items[i].type == type)
			return &m->items[i];
	return NULL;
}

/* -------------------------------------------------------------- builders */

static void put_servers(struct o43 *w, const struct dhcp_pxe_menu *m, uint32_t server_be)
{
	size_t k = menu_servers(m);

	if (!k || !server_be)
		return;
	o43_u8(w, DHCP_PXE_SUB_BOOT_SERVERS);
	o43_u8(w, (uint8_t)(k * 7 > 255 ? 255 : k * 7));
	for (size_t i = 0; i < m->n; i++) {
		if (m->items[i].type == DHCP_PXE_ITEM_LOCAL)
			continue;
		o43_u16(w, m->items[i].type);
		o43_u8(w, 1);
		o43_bytes(w, &server_be, 4); /* already network order */
	}
}

static void put_prompt(struct o43 *w, const struct dhcp_pxe_menu *m)
{
	uint8_t timeout;
	const char *p = menu_prompt(m, &timeout);
	size_t n = strlen(p);

	o43_u8(w, DHCP_PXE_SUB_MENU_PROMPT);
	o43_u8(w, (uint8_t)(n + 1 > 255 ? 255 : n + 1));
	o43_u8(w, timeout);
	o43_bytes(w, p, n);
}

static void put_items(struct o43 *w, const struct dhcp_pxe_menu *m)
{
	size_t total = 0;

	for (size_t i = 0; i < m->n; i++)
		total += 3 + strlen(m->items[i].text);
	o43_u8(w, DHCP_PXE_SUB_BOOT_MENU);
	o43_u8(w, (uint8_t)(total > 255 ? 255 : total));
	for (size_t i = 0; i < m->n; i++) {
		size_t n = strlen(m->items[i].text);
		o43_u16(w, m->items[i].type);
		o43_u8(w, (uint8_t)(n > 255 ? 255 : n));
		o43_bytes(w, m->items[i].text, n);
	}
}

int dhcp_pxe_opt43_build_menu(uint8_t *out, size_t cap, const struct dhcp_pxe_menu *m,
			      uint32_t server_be)
{
	struct o43 w = {out, cap, 0, 0};

	if (m->n == 0)
		return dhcp_pxe_opt43_build_nomenu(out, cap);
	if (m->n > DHCP_PXE_MENU_MAX_ITEMS)
		return -EINVAL;
	/* A sub-option length byte cannot pass 255; the clamps above only
	 * keep the casts honest, the total check below is what refuses. */
	if (dhcp_pxe_menu_size(m) > DHCP_PXE_OPT43_MAX)
		return -EMSGSIZE;
	/* 3 = no broadcast or multicast discovery: the client unicasts its
	 * boot-server request to the 43.8 address (dnsmasq does the same).
	 * Without an address to list, leave broadcast discovery on, or a
	 * client choosing a non-local item would have nowhere to ask. */
	o43_u8(&w, DHCP_PXE_SUB_DISCOVERY_CONTROL);
	o43_u8(&w, 1);
	if (!server_be && menu_servers(m))
		o43_u8(&w, DHCP_PXE_DC_NO_MULTICAST);
	else
		o43_u8(&w, DHCP_PXE_DC_NO_BROADCAST | DHCP_PXE_DC_NO_MULTICAST);
	put_servers(&w, m, server_be);
	put_prompt(&w, m);
	put_items(&w, m);
	return o43_finish(&w);
}

int dhcp_pxe_opt43_build_nomenu(uint8_t *out, size_t cap)
{
	struct o43 w = {out, cap, 0, 0};

	o43_u8(&w, DHCP_PXE_SUB_DISCOVERY_CONTROL);
	o43_u8(&w, 1);
	o43_u8(&w, DHCP_PXE_DC_BOOT_FILE);
	return o43_finish(&w);
}

int dhcp_pxe_opt43_build_rpi(uint8_t *out, size_t cap, bool pad3b)
{
	/* Built through the menu code on purpose: one local-boot item and
	 * no prompt is exactly what the Pi documentation shows, so the two
	 * paths cannot drift apart. */
	static const char text[] = "Raspberry Pi Boot";
	struct dhcp_pxe_menu m;

	memset(&m, 0, sizeof(m));
	m.n = 1;
	m.items[0].type = DHCP_PXE_ITEM_LOCAL;
	memcpy(m.items[0].text, text, sizeof(text));
	if (pad3b)
		memcpy(m.items[0].text + sizeof(text) - 1, "   ", 4);
	return dhcp_pxe_opt43_build_menu(out, cap, &m, 0);
}

int dhcp_pxe_opt43_build_item(uint8_t *out, size_t cap, uint16_t type, uint16_t layer)
{
	struct o43 w = {out, cap, 0, 0};

	o43_u8(&w, DHCP_PXE_SUB_BOOT_ITEM);
	o43_u8(&w, 4);
	o43_u16(&w, type);
	o43_u16(&w, layer);
	return o43_finish(&w);
}

/* ---------------------------------------------------------------- parser */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void parse_menu(const uint8_t *v, size_t n, struct dhcp_pxe_opt43_info *out)
{
	size_t i = 0;

	while (i + 3 <= n && i + 3 + v[i + 2] <= n) {
		out->n_menu_items++;
		i += 3 + v[i + 2];
	}
	if (i != n)
		out->malformed = true;
}

static void parse_servers(const uint8_t *v, size_t n, struct dhcp_pxe_opt43_info *out)
{
	size_t i = 0;

	while (i + 3 <= n && i + 3 + 4 * (size_t)v[i + 2] <= n) {
		out->n_servers += v[i + 2];
		i += 3 + 4 * (size_t)v[i + 2];
	}
	if (i != n)
		out->malformed = true;
}

static void parse_sub(uint8_t code, const uint8_t *v, size_t n, struct dhcp_pxe_opt43_info *out)
{
	switch (code) {
	case DHCP_PXE_SUB_BOOT_ITEM:
		if (n != 4) {
			out->malformed = true;
			return;
		}
		out->has_boot_item = true;
		out->item_type = get16(v);
		out->item_layer = get16(v + 2);
		return;
	case DHCP_PXE_SUB_DISCOVERY_CONTROL:
		if (n != 1) {
			out->malformed = true;
			return;
		}
		out->has_discovery_control = true;
		out->discovery_control = v[0];
		return;
	case DHCP_PXE_SUB_BOOT_MENU: parse_menu(v, n, out); return;
	case DHCP_PXE_SUB_BOOT_SERVERS: parse_servers(v, n, out); return;
	case DHCP_PXE_SUB_MENU_PROMPT:
		if (n < 1) {
			out->malformed = true;
			return;
		}
		out->has_prompt = true;
		out->timeout = v[0];
		return;
	default: return; /* 1-5 (MTFTP), 7 and vendor ones: not ours to judge */
	}
}

int dhcp_pxe_opt43_parse(const uint8_t *p, size_t len, struct dhcp_pxe_opt43_info *out)
{
	size_t i = 0;

	memset(out, 0, sizeof(*out));
	while (i < len) {
		uint8_t code = p[i];
		if (code == 0) { /* pad */
			i++;
			continue;
		}
		if (code == DHCP_PXE_SUB_END) {
			out->end_seen = true;
			return 0;
		}
		if (i + 2 > len || i + 2 + (size_t)p[i + 1] > len) {
			out->malformed = true;
			return -EINVAL;
		}
		parse_sub(code, p + i + 2, p[i + 1], out);
		i += 2 + (size_t)p[i + 1];
	}
	return 0; /* a missing end is tolerated, as in the DHCP options field */
}
