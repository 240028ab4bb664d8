/* SPDX-License-Identifier: MIT */
/* ${...} expansion in boot file names and URLs (see subst.h). */
#include "subst.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "hex.h"
#include "arch.h"

enum subst_var {
	V_SERVER,
	V_MAC,
	V_MAC_HYPHEN,
	V_MAC_HEX,
	V_ARCH,
	V_ARCH_CODE,
	V_NONE,
};

static const char *const var_names[] = {
	[V_SERVER] = "server",   [V_MAC] = "mac",   [V_MAC_HYPHEN] = "mac-hyphen",
	[V_MAC_HEX] = "mac-hex", [V_ARCH] = "arch", [V_ARCH_CODE] = "arch-code",
};

static enum subst_var var_lookup(const char *name, size_t n)
{
	for (int i = 0; i < V_NONE; i++)
		if (strlen(var_names[i]) == n && memcmp(var_names[i], name, n) == 0)
			return (enum subst_var)i;
	return V_NONE;
}

/* At p (pointing at "${"), the variable and the length of "${name}". */
static enum subst_var var_at(const char *p, size_t *used)
{
	const char *end = strchr(p + 2, '}');

	if (!end)
		return V_NONE;
	*used = (size_t)(end - p) + 1;
	return var_lookup(p + 2, (size_t)(end - p) - 2);
}

int dhcp_pxe_subst_check(const char *tmpl, struct pxe_err *err)
{
	for (const char *p = tmpl; (p = strstr(p, "${")) != NULL;) {
		size_t used = 0;
		if (var_at(p, &used) == V_NONE) {
			const char *end = strchr(p, '}');
			int n = end ? (int)(end - p) + 1 : (int)strlen(p);
			return pxe_err_set(err, EINVAL,
					   "unknown variable '%.*s': expected ${server}, ${mac}, "
					   "${mac-hyphen}, ${mac-hex}, ${arch} or ${arch-code}",
					   n > 40 ? 40 : n, p);
		}
		p += used;
	}
	return 0;
}

bool dhcp_pxe_subst_has_vars(const char *tmpl)
{
	return strstr(tmpl, "${") != NULL;
}

static int format_mac(char *buf, size_t cap, const struct dhcp_pxe_subst_vars *v, char sep)
{
	if (!v->mac || v->mac_len == 0 || v->mac_len > 16)
		return -EINVAL;
	return pxe_hex_encode(buf, cap, v->mac, v->mac_len, sep) < cap ? 0 : -ENOSPC;
}

/* The value of one variable into buf (cap >= 64). */
static int var_value(enum subst_var var, const struct dhcp_pxe_subst_vars *v, char *buf, size_t cap)
{
	const uint8_t *a = (const uint8_t *)&v->server_be;

	switch (var) {
	case V_SERVER:
		if (v->server6) {
			char ip[INET6_ADDRSTRLEN];
			inet_ntop(AF_INET6, v->server6, ip, sizeof(ip));
			snprintf(buf, cap, "[%s]", ip);
			return 0;
		}
		if (!v->server_be)
			return -EINVAL;
		snprintf(buf, cap, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
		return 0;
	case V_MAC: return format_mac(buf, cap, v, ':');
	case V_MAC_HYPHEN: return format_mac(buf, cap, v, '-');
	case V_MAC_HEX: return format_mac(buf, cap, v, 0);
	case V_ARCH:
		if (!v->arch_known)
			return -EINVAL;
		snprintf(buf, cap, "%s", dhcp_pxe_arch_name(v->arch));
		return 0;
	case V_ARCH_CODE:
		if (!v->arch_known)
			return -EINVAL;
		snprintf(buf, cap, "%u", v->arch);
		return 0;
	case V_NONE: break;
	}
	return -EINVAL;
}

static int put(char *out, size_t cap, size_t *len, const char *s, size_t n)
{
	if (n >= cap - *len)
		return -ENOSPC;
	memcpy(out + *len, s, n);
	*len += n;
	return 0;
}

int dhcp_pxe_subst(char *out, size_t cap, const char *tmpl, const struct dhcp_pxe_subst_vars *v)
{
	size_t len = 0;
	int r = 0;
	const char *p = tmpl;

	if (!out || cap == 0)
		return -ENOSPC;
	while (r == 0 && *p) {
		const char *d = strstr(p, "${");
		size_t lit = d ? (size_t)(d - p) : strlen(p);
		char val[64];
		size_t used = 0;

		r = put(out, cap, &len, p, lit);
		if (r || !d)
			break;
		r = var_value(var_at(d, &used), v, val, sizeof(val));
		if (r == 0)
			r = put(out, cap, &len, val, strlen(val));
		p = d + used;
	}
	if (r < 0) {
		out[0] = '\0';
		return r;
	}
	out[len] = '\0';
	return (int)len;
}

/* ------------------------------------------------------------------ URLs */

static size_t url_scheme_len(const char *s)
{
	if (strncasecmp(s, "http://", 7) == 0)
		return 7;
	if (strncasecmp(s, "https://", 8) == 0)
		return 8;
	return 0;
}

bool dhcp_pxe_file_is_url(const char *file)
{
	size_t n = url_scheme_len(file);
	return n > 0 && file[n] != '\0' && file[n] != '/';
}

bool dhcp_pxe_url_host_is_name(const char *url)
{
	const char *h, *end;
	struct in_addr a;
	char host[256];
	size_t n;

	if (!dhcp_pxe_file_is_url(url))
		return false;
	h = url + url_scheme_len(url);
	if (h[0] == '[' || strncmp(h, "${server}", 9) == 0)
		return false;
	end = h + strcspn(h, ":/?#");
	n = (size_t)(end - h);
	if (n == 0 || n >= sizeof(host))
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	return inet_pton(AF_INET, host, &a) != 1;
}
