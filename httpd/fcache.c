/* SPDX-License-Identifier: MIT */
/* Open-file cache (see fcache.h). A chained hash table plus an LRU list;
 * no clocks of its own: the caller passes the loop's time. */
#include "fcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safepath.h"

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

int fc_init(struct fcache *c, size_t max_entries, uint64_t ttl_ms)
{
	memset(c, 0, sizeof(*c));
	c->nbuckets = 1024;
	c->buckets = calloc(c->nbuckets, sizeof(*c->buckets));
	if (!c->buckets)
		return -ENOMEM;
	c->max_entries = max_entries;
	c->ttl_ms = ttl_ms;
	c->max_file_data = 32 * 1024;
	c->max_data_bytes = 4 * 1024 * 1024;
	return 0;
}

static void entry_free(struct fcache *c, struct fc_entry *e)
{
	if (e->data)
		c->data_bytes -= (size_t)e->st.st_size;
	free(e->data);
	if (e->fd >= 0)
		close(e->fd);
	free(e->key);
	free(e);
}

void fc_release(struct fcache *c, struct fc_entry *e)
{
	if (e && --e->refs == 0)
		entry_free(c, e);
}

static void unlink_entry(struct fcache *c, struct fc_entry *e)
{
	struct fc_entry **pp = &c->buckets[e->hash % c->nbuckets];
	while (*pp && *pp != e)
		pp = &(*pp)->hnext;
	if (*pp)
		*pp = e->hnext;
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		c->lru_head = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	else
		c->lru_tail = e->lprev;
	e->in_table = false;
	c->count--;
	fc_release(c, e);
}

static void lru_touch(struct fcache *c, struct fc_entry *e)
{
	if (c->lru_tail == e)
		return;
	if (e->lprev)
		e->lprev->lnext = e->lnext;
	else
		c->lru_head = e->lnext;
	if (e->lnext)
		e->lnext->lprev = e->lprev;
	e->lprev = c->lru_tail;
	e->lnext = NULL;
	if (c->lru_tail)
		c->lru_tail->lnext = e;
	else
		c->lru_head = e;
	c->lru_tail = e;
}

void fc_flush(struct fcache *c)
{
	while (c->lru_head)
		unlink_entry(c, c->lru_head);
}

void fc_destroy(struct fcache *c)
{
	fc_flush(c);
	free(c->buckets);
	c->buckets = NULL;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Read a small file whole; on any trouble leave data NULL (sendfile path). */
static void load_data(struct fcache *c, struct fc_entry *e)
{
	size_t size = (size_t)e->st.st_size;
	if (size == 0 || size > c->max_file_data || c->data_bytes + size > c->max_data_bytes)
		return;
	char *d = malloc(size);
	if (!d)
		return;
	size_t got = 0;
	while (got < size) {
		ssize_t n = pread(e->fd, d + got, size - got, (off_t)got);
		if (n <= 0) {
			free(d);
			return;
		}
		got += (size_t)n;
	}
	e->data = d;
	c->data_bytes += size;
}

static struct fc_entry *entry_new(const char *rel, int fd, const struct stat *st)
{
	struct fc_entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(rel))) {
		free(e);
		return NULL;
	}
	e->fd = fd;
	e->st = *st;
	e->etag_len = http_etag_make(e->etag, sizeof(e->etag), (uint64_t)st->st_ino,
				     (uint64_t)st->st_size, (int64_t)st->st_mtim.tv_sec,
				     st->st_mtim.tv_nsec);
	http_date_format(st->st_mtim.tv_sec, e->last_modified);
	return e;
}

static struct fc_entry *lookup(struct fcache *c, const char *rel, uint32_t h)
{
	for (struct fc_entry *e = c->buckets[h % c->nbuckets]; e; e = e->hnext)
		if (e->hash == h && !strcmp(e->key, rel))
			return e;
	return NULL;
}

static void insert(struct fcache *c, struct fc_entry *e, uint32_t h)
{
	while (c->count >= c->max_entries && c->lru_head)
		unlink_entry(c, c->lru_head);
	e->hash = h;
	e->hnext = c->buckets[h % c->nbuckets];
	c->buckets[h % c->nbuckets] = e;
	e->in_table = true;
	e->refs = 1;
	e->lprev = c->lru_tail;
	if (c->lru_tail)
		c->lru_tail->lnext = e;
	else
		c->lru_head = e;
	c->lru_tail = e;
	c->count++;
}

int fc_open(struct fcache *c, int rootfd, const char *rel, uint64_t now_ms, struct fc_entry **out)
{
	uint32_t h = hash_str(rel);
	struct fc_entry *old = lookup(c, rel, h);
	if (old && now_ms - old->checked_ms < c->ttl_ms) {
		c->hits++;
		lru_touch(c, old);
		old->refs++;
		*out = old;
		return 0;
	}
	c->misses++;
	struct stat st;
	/* O_NONBLOCK: a FIFO in the tree must not block the loop */
	int fd = pxe_path_open(rootfd, rel, O_RDONLY | O_NONBLOCK, 0, &st);
	if (fd < 0) {
		if (old)
			unlink_entry(c, old);
		return fd;
	}
	if (old && same_file(&old->st, &st)) {
		close(fd);
		old->checked_ms = now_ms;
		lru_touch(c, old);
		old->refs++;
		*out = old;
		return 0;
	}
	if (old)
		unlink_entry(c, old);
	struct fc_entry *e = entry_new(rel, fd, &st);
	if (!e) {
		close(fd);
		return -ENOMEM;
	}
	e->checked_ms = now_ms;
	if (!S_ISREG(st.st_mode)) { /* directories and others: not cached */
		e->refs = 1;
		*out = e;
		return 0;
	}
	load_data(c, e);
	insert(c, e, h);
	e->refs++;
	*out = e;
	return 0;
}
