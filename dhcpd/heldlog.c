/* SPDX-License-Identifier: MIT */
/* Request log lines held for the journal (see heldlog.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "heldlog.h"

/* The head is kept as its rendered bytes (a few hundred), not as a whole
 * struct pxe_log_line (PXE_LOG_LINE_MAX): a batch can hold thousands. */
struct dhcp_heldlog {
	struct dhcp_logtail tail;
	size_t len, head;
	int level;
	bool json, truncated;
	char buf[];
};

void dhcp_logtail_write(struct pxe_log_line *l, const struct dhcp_logtail *t)
{
	if (t->reply)
		pxe_log_str(l, "reply", t->reply);
	if (t->ip[0])
		pxe_log_str(l, "ip", t->ip);
	if (t->lease)
		pxe_log_str(l, "lease", t->lease);
	if (t->hostname[0])
		pxe_log_str(l, "hostname", t->hostname);
	if (t->status)
		pxe_log_uint(l, "status", t->status);
	if (t->why[0])
		pxe_log_str(l, "why", t->why);
}

struct dhcp_heldlog *dhcp_heldlog_make(const struct pxe_log_line *head,
				       const struct dhcp_logtail *t)
{
	if (!head->active)
		return NULL;
	struct dhcp_heldlog *h = malloc(sizeof(*h) + head->len);
	if (!h)
		return NULL;
	h->tail = *t;
	h->len = head->len;
	h->head = head->head;
	h->level = head->level;
	h->json = head->json;
	h->truncated = head->truncated;
	memcpy(h->buf, head->buf, head->len);
	return h;
}

void dhcp_heldlog_end(struct dhcp_heldlog *h, const char *dropped)
{
	if (!h)
		return;
	struct pxe_log_line l = {.len = h->len,
				 .head = h->head,
				 .level = h->level,
				 .json = h->json,
				 .truncated = h->truncated,
				 .active = true};
	memcpy(l.buf, h->buf, h->len);
	if (dropped) {
		/* the lease event is left out: its line is what failed */
		struct dhcp_logtail t = h->tail;
		pxe_log_str(&l, "reply", "none");
		if (t.reply)
			pxe_log_str(&l, "dropped", t.reply);
		t.reply = NULL;
		t.lease = NULL;
		snprintf(t.why, sizeof(t.why), "%s", dropped);
		dhcp_logtail_write(&l, &t);
	} else {
		dhcp_logtail_write(&l, &h->tail);
	}
	pxe_log_end(&l);
	free(h);
}
