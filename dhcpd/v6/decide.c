/* SPDX-License-Identifier: MIT */
/* The DHCPv6 server's decisions (see decide.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "config6.h"
#include "decide.h"
#include "options.h"
#include "pxe/subst.h"

/* The request with what the decision found out about it. */
struct req6 {
	const struct dhcp6_ctx *ctx;
	const struct dhcp6_msg *m;
	const struct dhcp6_rx *rx;
	int64_t now;
	const struct dhcp_subnet6 *subnet; /* the client's link (RFC 8415 §13.1) */
	const struct dhcp_host *host;
	bool has_mac;
	uint8_t mac[6];
};

static int ignore(struct dhcp6_out *out, const char *why)
{
	out->type = 0;
	out->why = why;
	return 0;
}

/* ---- boot options (RFC 5970) */

static bool is_scheme(const char *s, const char *scheme)
{
	return strncasecmp(s, scheme, strlen(scheme)) == 0;
}

int dhcp6_boot_url(const char *file, const uint8_t *server, char *out, size_t cap)
{
	int n;
	if (is_scheme(file, "tftp://") || is_scheme(file, "http://") ||
	    is_scheme(file, "https://")) {
		n = snprintf(out, cap, "%s", file);
	} else {
		char ip[INET6_ADDRSTRLEN];
		if (!server)
			return -EINVAL;
		inet_ntop(AF_INET6, server, ip, sizeof(ip));
		while (*file == '/')
			file++;
		n = snprintf(out, cap, "tftp://[%s]/%s", ip, file);
	}
	return n < 0 || (size_t)n >= cap ? -ENOSPC : n;
}

/* Whether the client wants boot options: it says it is network-boot
 * firmware (61, 16 PXEClient/HTTPClient, user class iPXE) or asks for
 * option 59 (iPXE's ORO). */
static bool wants_boot(const struct dhcp6_msg *m, const struct dhcp_pxe_decision *d)
{
	return dhcp6_oro_has(m, D6O_BOOTFILE_URL) || dhcp_pxe_client_is_netboot(&d->client) ||
	       d->client.arch_known || d->client.is_ipxe;
}

static void decide_boot(const struct req6 *q, struct dhcp6_out *out)
{
	const struct dhcpd_config *c = q->ctx->cfg;
	struct dhcp_pxe_raw raw = {0};
	struct dhcp6_pxe_scratch s;
	dhcp6_pxe_raw(q->m, &raw, &s);
	raw.known = q->host != NULL;
	struct dhcp_pxe_server srv = {.v6 = q->rx->has_server ? q->rx->server : NULL};
	dhcp_pxe_decide(c->boots, c->n_boots, &raw, &srv, &out->boot);
	out->url[0] = '\0';
	if (!out->boot.file[0] || !wants_boot(q->m, &out->boot))
		return;
	if (dhcp6_boot_url(out->boot.file, srv.v6, out->url, sizeof(out->url)) < 0) {
		out->url[0] = '\0';
		out->boot.why = srv.v6 ? "boot file URL too long"
				       : "no global address on the link for a tftp:// URL";
	}
}

/* Option 16 for the reply. HTTP Boot needs enterprise 343 and
 * "HTTPClient" at data offset 6 (HttpBootDhcp6.c), in every mode. EDK2's
 * PxeBc takes an offer with "PXEClient" there as a BINL (proxy) offer
 * (PxeBcDhcp6.c, PxeBcParseDhcp6Packet) and then sends its REQUEST to
 * port 4011 even if the offer carries an address: so "PXEClient" goes
 * only into boot-only mode's offers, where that is what we want. */
static int put_vendor_class(struct dhcp6_builder *b, const struct req6 *q,
			    const struct dhcp_pxe_decision *d, const char *url)
{
	/* the section's option60 key, and HTTPClient only with an http(s) URL */
	const char *vc = dhcp_pxe_boot_opt60(&d->boot->pxe, &d->client, url);
	if (!vc)
		return 0;
	if (!d->client.http_client && q->ctx->cfg->mode6 != DHCP6_MODE_BOOT_ONLY && !q->rx->on_4011)
		return 0;
	return dhcp6_build_items(b, D6O_VENDOR_CLASS, true, DHCP6_ENTERPRISE_INTEL, &vc, 1);
}

/* DNS servers (option 23, RFC 3646) when asked for, or when the boot URL
 * names a host the client must resolve. */
static int put_dns(struct dhcp6_builder *b, const struct req6 *q, const struct dhcp6_out *out)
{
	const struct dhcp_subnet6 *s = q->subnet;
	if (!s || !s->n_dns)
		return 0;
	if (!dhcp6_oro_has(q->m, D6O_DNS_SERVERS) && !dhcp_pxe_url_host_is_name(out->url))
		return 0;
	return dhcp6_build_addrs(b, D6O_DNS_SERVERS, (const uint8_t(*)[16])s->dns_addrs, s->n_dns);
}

/* The options every reply to a client carries: client and server
 * identifiers (RFC 8415 §18.3.1: echo the client's), then configuration
 * and boot options. */
static int put_common(struct dhcp6_builder *b, const struct req6 *q, struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	if (m->client_id.data &&
	    dhcp6_build_opt(b, D6O_CLIENTID, m->client_id.data, m->client_id.len) < 0)
		return -ENOSPC;
	if (dhcp6_build_opt(b, D6O_SERVERID, q->ctx->duid, q->ctx->duid_len) < 0 ||
	    put_dns(b, q, out) < 0)
		return -ENOSPC;
	if (!out->url[0])
		return 0;
	if (dhcp6_build_opt(b, D6O_BOOTFILE_URL, out->url, strlen(out->url)) < 0 ||
	    put_vendor_class(b, q, &out->boot, out->url) < 0)
		return -ENOSPC;
	const struct pxe_strlist *bp = &out->boot.boot->bootfile_param;
	if (bp->n && dhcp6_build_items(b, D6O_BOOTFILE_PARAM, false, 0, (const char *const *)bp->v,
				       bp->n) < 0)
		return -ENOSPC;
	return 0;
}

/* ---- addresses */

static uint32_t lifetime_of(const struct req6 *q, bool preferred)
{
	const struct dhcp_subnet6 *s = q->subnet;
	if (q->host && q->host->lease_time_ms)
		return (uint32_t)(q->host->lease_time_ms / 1000);
	return preferred ? s->preferred_secs : s->valid_secs;
}

static bool in_subnet_ranges(const struct req6 *q, const uint8_t a[16])
{
	int r = dhcp6_leases_range_of(q->ctx->leases, a);
	return r >= 0 && (size_t)r >= q->subnet->first_range &&
	       (size_t)r < q->subnet->first_range + q->subnet->n_ranges;
}

/* The address for one IA_NA (RFC 8415 §18.3.1 and §18.3.2): the host's
 * reservation on this link; else the client's own record for this IAID;
 * else the address it hints at, if free; else a new one. -ENOSPC: none. */
static int pick_address(const struct req6 *q, const struct dhcp6_ia_na *ia, uint8_t out[16])
{
	struct dhcp6_leases *s = q->ctx->leases;
	const struct dhcp6_msg *m = q->m;
	const uint8_t *duid = m->client_id.data;
	size_t dl = m->client_id.len;
	if (q->host && q->host->v6.has_addr &&
	    dhcp6_in_prefix(q->host->v6.addr, q->subnet->prefix, q->subnet->plen)) {
		if (!dhcp6_leases_addr_available(s, q->host->v6.addr, duid, dl, ia->iaid, q->now,
						 true))
			return -ENOSPC;
		memcpy(out, q->host->v6.addr, 16);
		return 0;
	}
	const struct dhcp6_lease *l = dhcp6_lease_by_client(s, duid, dl, ia->iaid);
	if (l && in_subnet_ranges(q, l->addr) &&
	    dhcp6_leases_addr_available(s, l->addr, duid, dl, ia->iaid, q->now, false)) {
		memcpy(out, l->addr, 16);
		return 0;
	}
	for (size_t i = 0; i < ia->n_addrs; i++)
		if (in_subnet_ranges(q, ia->addrs[i].addr) &&
		    dhcp6_leases_addr_available(s, ia->addrs[i].addr, duid, dl, ia->iaid, q->now,
						false)) {
			memcpy(out, ia->addrs[i].addr, 16);
			return 0;
		}
	if (!q->subnet->n_ranges)
		return -ENOSPC;
	return dhcp6_leases_alloc(s, q->subnet->first_range, q->subnet->n_ranges, q->now, out);
}

static void note_addr(struct dhcp6_out *out, const uint8_t a[16])
{
	if (!out->has_addr) {
		out->has_addr = true;
		memcpy(out->addr, a, 16);
	}
}

static void note_event(struct dhcp6_out *out, enum dhcp_jevent ev, const struct dhcp6_lease *l)
{
	if (out->n_ev >= DHCP6_MAX_IA)
		return;
	out->ev[out->n_ev].ev = ev;
	out->ev[out->n_ev].lease = *l;
	out->n_ev++;
	out->sync = true;
}

static void set_lease_facts(const struct req6 *q, struct dhcp6_lease *l)
{
	l->has_mac = q->has_mac;
	if (q->has_mac)
		memcpy(l->mac, q->mac, 6);
	if (q->host && q->host->hostname)
		snprintf(l->hostname, sizeof(l->hostname), "%s", q->host->hostname);
}

/* An IA_NA in the reply with one address and its lifetimes; T1 and T2 at
 * 0.5 and 0.8 of the preferred lifetime (RFC 8415 §21.4). */
static int put_ia(struct dhcp6_builder *b, const struct req6 *q, uint32_t iaid, const uint8_t a[16])
{
	struct dhcp6_iaaddr ad = {.preferred = lifetime_of(q, true),
				  .valid = lifetime_of(q, false)};
	memcpy(ad.addr, a, 16);
	if (ad.preferred > ad.valid)
		ad.preferred = ad.valid;
	return dhcp6_build_ia_na(b, iaid, ad.preferred / 2, ad.preferred / 5 * 4, &ad, 1, 0, NULL);
}

/* Give every IA_NA of the request an address: held (OFFERED) for an
 * ADVERTISE, bound for a REPLY. Returns how many got one. */
static int assign(struct dhcp6_builder *b, const struct req6 *q, bool bind, struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	struct dhcp6_leases *s = q->ctx->leases;
	const struct dhcpd_config *c = q->ctx->cfg;
	int given = 0;
	for (size_t i = 0; i < m->n_ia_na; i++) {
		const struct dhcp6_ia_na *ia = &m->ia_na[i];
		uint8_t a[16];
		if (!q->subnet || pick_address(q, ia, a) < 0) {
			if (dhcp6_build_ia_na(b, ia->iaid, 0, 0, NULL, 0, DHCP6_ST_NO_ADDRS_AVAIL,
					      "no addresses available") < 0)
				return -ENOSPC;
			continue;
		}
		struct dhcp6_lease *l =
			dhcp6_lease_by_client(s, m->client_id.data, m->client_id.len, ia->iaid);
		bool was_bound = l && l->state == LEASE_BOUND && !memcmp(l->addr, a, 16) &&
				 dhcp6_lease_active(l, q->now);
		int64_t until =
			bind ? q->now + lifetime_of(q, false) : q->now + c->offer_time_ms / 1000;
		if (!bind && was_bound) /* keep a bound lease bound while it is re-offered */
			until = l->expires;
		l = dhcp6_leases_take(s, m->client_id.data, m->client_id.len, ia->iaid, a,
				      bind || was_bound ? LEASE_BOUND : LEASE_OFFERED, until);
		if (!l)
			return -ENOMEM;
		set_lease_facts(q, l);
		if (bind)
			note_event(out, was_bound ? JEV_RENEW : JEV_ADD, l);
		note_addr(out, a);
		if (put_ia(b, q, ia->iaid, a) < 0)
			return -ENOSPC;
		given++;
	}
	return given;
}

/* RENEW and REBIND (RFC 8415 §18.3.4, §18.3.5): extend the bindings the
 * client has; an address that is not ours for it gets lifetimes 0; an IA
 * we know nothing of gets NoBinding (RENEW) or, when its addresses are
 * free and on this link, is bound again (a server that lost its state). */
static int extend(struct dhcp6_builder *b, const struct req6 *q, bool rebind, struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	struct dhcp6_leases *s = q->ctx->leases;
	for (size_t i = 0; i < m->n_ia_na; i++) {
		const struct dhcp6_ia_na *ia = &m->ia_na[i];
		struct dhcp6_lease *l =
			dhcp6_lease_by_client(s, m->client_id.data, m->client_id.len, ia->iaid);
		bool ours = q->subnet && l && dhcp6_lease_active(l, q->now) &&
			    l->state == LEASE_BOUND &&
			    dhcp6_in_prefix(l->addr, q->subnet->prefix, q->subnet->plen);
		if (!ours && q->subnet) {
			/* re-create it from an address the client holds, if free */
			for (size_t k = 0; k < ia->n_addrs && !ours; k++)
				if (in_subnet_ranges(q, ia->addrs[k].addr) &&
				    dhcp6_leases_addr_available(s, ia->addrs[k].addr,
								m->client_id.data, m->client_id.len,
								ia->iaid, q->now, false)) {
					l = dhcp6_leases_take(
						s, m->client_id.data, m->client_id.len, ia->iaid,
						ia->addrs[k].addr, LEASE_OFFERED, q->now);
					ours = l != NULL;
				}
		}
		if (!ours) {
			if (!rebind && dhcp6_build_ia_na(b, ia->iaid, 0, 0, NULL, 0,
							 DHCP6_ST_NO_BINDING, "no binding") < 0)
				return -ENOSPC;
			if (rebind) { /* §18.3.5: not on this link -> lifetimes 0 */
				struct dhcp6_iaaddr z[DHCP6_MAX_IAADDR];
				memcpy(z, ia->addrs, sizeof(z));
				for (size_t k = 0; k < ia->n_addrs; k++)
					z[k].preferred = z[k].valid = 0;
				if (dhcp6_build_ia_na(b, ia->iaid, 0, 0, z, ia->n_addrs, 0, NULL) <
				    0)
					return -ENOSPC;
			}
			continue;
		}
		bool was_bound = l->state == LEASE_BOUND;
		dhcp6_lease_set_state(s, l, LEASE_BOUND, q->now + lifetime_of(q, false));
		set_lease_facts(q, l);
		note_event(out, was_bound ? JEV_RENEW : JEV_ADD, l);
		note_addr(out, l->addr);
		if (put_ia(b, q, ia->iaid, l->addr) < 0)
			return -ENOSPC;
	}
	return 0;
}

/* RELEASE and DECLINE (§18.3.7, §18.3.8): for each address of each IA
 * that is the client's, release or quarantine it. */
static int give_back(struct dhcp6_builder *b, const struct req6 *q, bool decline,
		     struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	struct dhcp6_leases *s = q->ctx->leases;
	const struct dhcpd_config *c = q->ctx->cfg;
	for (size_t i = 0; i < m->n_ia_na; i++) {
		const struct dhcp6_ia_na *ia = &m->ia_na[i];
		struct dhcp6_lease *l =
			dhcp6_lease_by_client(s, m->client_id.data, m->client_id.len, ia->iaid);
		bool found = false;
		for (size_t k = 0; l && k < ia->n_addrs; k++)
			if (!memcmp(ia->addrs[k].addr, l->addr, 16))
				found = true;
		if (!found) {
			if (dhcp6_build_ia_na(b, ia->iaid, 0, 0, NULL, 0, DHCP6_ST_NO_BINDING,
					      "no binding") < 0)
				return -ENOSPC;
			continue;
		}
		note_addr(out, l->addr);
		if (decline) {
			/* the record loses its client: copy it for the journal first */
			note_event(out, JEV_DECLINE, l);
			dhcp6_lease_decline(s, l, q->now + c->decline_time_ms / 1000);
			out->ev[out->n_ev - 1].lease.expires = q->now + c->decline_time_ms / 1000;
		} else {
			dhcp6_lease_set_state(s, l, LEASE_RELEASED, q->now);
			note_event(out, JEV_RELEASE, l);
		}
	}
	return 0;
}

/* ---- messages */

static bool server_id_is_ours(const struct req6 *q)
{
	const struct dhcp6_bytes *id = &q->m->server_id;
	return id->data && id->len == q->ctx->duid_len && !memcmp(id->data, q->ctx->duid, id->len);
}

/* RFC 8415 §16: which identifiers each message must or must not carry. */
static const char *invalid(const struct req6 *q)
{
	const struct dhcp6_msg *m = q->m;
	bool cid = m->client_id.data && m->client_id.len >= 2;
	switch (m->type) {
	case DHCP6_SOLICIT:
	case DHCP6_CONFIRM:
	case DHCP6_REBIND:
		if (!cid)
			return "no client identifier";
		if (m->server_id.data)
			return "a server identifier where none belongs (RFC 8415 §16)";
		return NULL;
	case DHCP6_REQUEST:
	case DHCP6_RENEW:
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		if (!cid)
			return "no client identifier";
		if (!server_id_is_ours(q))
			return "for another server";
		return NULL;
	case DHCP6_INFORMATION_REQUEST:
		if (m->server_id.data && !server_id_is_ours(q))
			return "for another server";
		if (m->n_ia_na)
			return "an IA in an INFORMATION-REQUEST (RFC 8415 §16.12)";
		return NULL;
	default: return "not a client message";
	}
}

/* The client's link (RFC 8415 §13.1): a relayed request is on the link of
 * the first relay's link-address; a direct one on the receiving link. */
static const struct dhcp_subnet6 *client_link(const struct dhcp6_ctx *ctx,
					      const struct dhcp6_msg *m, const struct dhcp6_rx *rx)
{
	if (!m->n_relays)
		return rx->link;
	static const uint8_t unspecified[16];
	const uint8_t *link = m->relays[m->n_relays - 1].link;
	if (!memcmp(link, unspecified, 16))
		return NULL;
	return dhcp_config_subnet6_for(ctx->cfg, link);
}

static int finish(struct dhcp6_builder *b, const struct req6 *q, struct dhcp6_out *out, int type)
{
	int n = dhcp6_build_finish(b);
	if (n < 0)
		return ignore(out, "reply too large");
	uint8_t tmp[DHCP6_MAX_MSG];
	memcpy(tmp, out->buf, (size_t)n);
	n = dhcp6_wrap_relay_reply(q->m, tmp, (size_t)n, out->buf, sizeof(out->buf));
	if (n < 0)
		return ignore(out, "reply too large for the relay layers");
	out->len = (size_t)n;
	out->type = type;
	return type;
}

static int start(struct dhcp6_builder *b, const struct req6 *q, struct dhcp6_out *out, int type)
{
	return dhcp6_build_start(b, out->buf, sizeof(out->buf), (uint8_t)type, q->m->xid);
}

/* Boot-only mode (the IPv6 proxyDHCP): boot options and no addresses.
 * EDK2 solicits for them (tianocore/edk2#9832); an offer without IA_NA
 * but with option 16 "PXEClient" is its proxy offer, after which it sends
 * the REQUEST again to our address on port 4011 (PxeBcRequestBootService)
 * and boots from the REPLY's option 59. */
static int boot_only(struct dhcp6_builder *b, const struct req6 *q, struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	int type;
	switch (m->type) {
	case DHCP6_SOLICIT:
		if (!dhcp_pxe_client_is_netboot(&out->boot.client) && !out->boot.client.arch_known)
			return ignore(out, "boot-only: not network-boot firmware");
		type = m->rapid_commit ? DHCP6_REPLY : DHCP6_ADVERTISE;
		break;
	case DHCP6_REQUEST:
		if (!q->rx->on_4011)
			return ignore(out, "boot-only: addresses come from another server");
		type = DHCP6_REPLY;
		break;
	case DHCP6_INFORMATION_REQUEST: type = DHCP6_REPLY; break;
	default: return ignore(out, "boot-only: addresses come from another server");
	}
	if (!out->url[0])
		return ignore(out, out->boot.why ? out->boot.why : "no boot file");
	if (start(b, q, out, type) < 0 || put_common(b, q, out) < 0)
		return ignore(out, "reply too large");
	return finish(b, q, out, type);
}

static int full(struct dhcp6_builder *b, const struct req6 *q, struct dhcp6_out *out)
{
	const struct dhcp6_msg *m = q->m;
	int r = 0, type = DHCP6_REPLY;
	if (m->type == DHCP6_SOLICIT && !(m->rapid_commit && q->subnet && q->subnet->rapid_commit))
		type = DHCP6_ADVERTISE;
	if (m->type == DHCP6_CONFIRM) {
		/* §18.3.3: Success when every address is on the link, NotOnLink
		 * when one is not, silence when there is nothing to check */
		size_t n = 0;
		bool on = true;
		for (size_t i = 0; i < m->n_ia_na; i++)
			for (size_t k = 0; k < m->ia_na[i].n_addrs; k++, n++)
				on = on && dhcp6_in_prefix(m->ia_na[i].addrs[k].addr,
							   q->subnet->prefix, q->subnet->plen);
		if (!n)
			return ignore(out, "confirm: nothing to check");
		out->status = on ? DHCP6_ST_SUCCESS : DHCP6_ST_NOT_ON_LINK;
		if (start(b, q, out, type) < 0 || put_common(b, q, out) < 0 ||
		    dhcp6_build_status(b, out->status,
				       on ? "all addresses on link" : "not on link") < 0)
			return ignore(out, "reply too large");
		return finish(b, q, out, type);
	}
	if (start(b, q, out, type) < 0 || put_common(b, q, out) < 0)
		return ignore(out, "reply too large");
	switch (m->type) {
	case DHCP6_SOLICIT:
	case DHCP6_REQUEST: {
		int given = assign(b, q, type == DHCP6_REPLY, out);
		if (given < 0)
			return ignore(out, given == -ENOMEM ? "out of memory" : "reply too large");
		if (type == DHCP6_ADVERTISE && q->subnet &&
		    dhcp6_build_u8(b, D6O_PREFERENCE, (uint8_t)q->subnet->preference) < 0)
			return ignore(out, "reply too large");
		if (m->type == DHCP6_SOLICIT && type == DHCP6_REPLY)
			r = dhcp6_build_opt(b, D6O_RAPID_COMMIT, NULL, 0);
		if (m->n_ia_na && !given)
			out->why =
				q->subnet ? "no addresses available" : "no [subnet6] for the link";
		break;
	}
	case DHCP6_RENEW:
	case DHCP6_REBIND: r = extend(b, q, m->type == DHCP6_REBIND, out); break;
	case DHCP6_RELEASE:
	case DHCP6_DECLINE:
		r = give_back(b, q, m->type == DHCP6_DECLINE, out);
		out->status = DHCP6_ST_SUCCESS;
		if (r == 0)
			r = dhcp6_build_status(b, DHCP6_ST_SUCCESS, NULL);
		break;
	case DHCP6_INFORMATION_REQUEST:
		/* §18.3.6; the refresh time is the client's default (§21.23) */
		break;
	}
	if (r < 0)
		return ignore(out, "reply too large");
	return finish(b, q, out, type);
}

int dhcp6_decide(const struct dhcp6_ctx *ctx, const struct dhcp6_msg *req,
		 const struct dhcp6_rx *rx, int64_t now, struct dhcp6_out *out)
{
	out->type = 0;
	out->why = NULL;
	out->sync = false;
	out->n_ev = 0;
	out->status = 0;
	out->has_addr = false;
	out->len = 0;
	out->url[0] = '\0';
	out->boot.made = false;
	struct req6 q = {.ctx = ctx, .m = req, .rx = rx, .now = now};
	q.has_mac = dhcp6_client_mac(req, q.mac);
	out->has_mac = q.has_mac;
	memcpy(out->mac, q.mac, 6);
	const char *bad = invalid(&q);
	if (bad)
		return ignore(out, bad);
	/* A client must multicast unless it was told a unicast address
	 * (§18.4, option 12), which we never send: reject the others with
	 * UseMulticast would need the same checks; silence is what
	 * RFC 8415 §16 leaves to the server, and the client retries. */
	if (!rx->multicast && !req->n_relays && !rx->on_4011)
		return ignore(out, "unicast without a Server Unicast option");
	q.subnet = client_link(ctx, req, rx);
	q.host = dhcp_config_host6_for(ctx->cfg, req->client_id.data, req->client_id.len,
				       q.has_mac ? q.mac : NULL);
	out->host = q.host;
	const char *refused = dhcp_config_host_refusal(ctx->cfg, q.host);
	if (refused)
		return ignore(out, refused);
	decide_boot(&q, out);
	struct dhcp6_builder b;
	if (ctx->cfg->mode6 == DHCP6_MODE_BOOT_ONLY || rx->on_4011)
		return boot_only(&b, &q, out);
	if (ctx->cfg->mode6 != DHCP6_MODE_FULL)
		return ignore(out, "DHCPv6 is off");
	/* A link we serve no prefix on is another server's (DHCPv4 answers
	 * only where an interface has an address in a [subnet] too). */
	if (!q.subnet)
		return ignore(out, "no [subnet6] for the client's link");
	return full(&b, &q, out);
}
