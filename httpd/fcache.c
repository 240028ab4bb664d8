/* SPDX-License-Identifier: MIT */
/* Open-file cache (see fcache.h). A chained hash table plus an LRU list;
 * no clocks of its own: the caller passes the loop's time. */
#include "fcache.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
		c->data_bytes -= (size_t)e->f.st.st_size;
	free(e->data);
	pxe_file_close(&e->f);
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
	size_t size = (size_t)e->f.st.st_size;
	if (size == 0 || size > c->max_file_data || c->data_bytes + size > c->max_data_bytes)
		return;
	char *d = malloc(size);
	if (!d)
		return;
	size_t got = 0;
	while (got < size) {
		ssize_t n = pxe_file_pread(&e->f, d + got, size - got, got);
		if (n <= 0) {
			free(d);
			return;
		}
		got += (size_t)n;
	}
	e->data = d;
	c->data_bytes += size;
}

/* Takes f over (also on failure: closed then). */
static struct fc_entry *entry_new(const char *rel, struct pxe_file *f)
{
	struct fc_entry *e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(rel))) {
		free(e);
		pxe_file_close(f);
		return NULL;
	}
	e->f = *f;
	*f = (struct pxe_file)PXE_FILE_INIT;
	const struct stat *st = &e->f.st;
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

typedef int (*fc_opener)(const struct pxe_root *root, const char *rel, struct pxe_file *f);

/* O_NONBLOCK: a FIFO in a directory tree must not block the loop. */
static int open_in_root(const struct pxe_root *root, const char *rel, struct pxe_file *f)
{
	return pxe_root_open_file(root, rel, O_RDONLY | O_NONBLOCK, f);
}

static int open_image(const struct pxe_root *root, const char *rel, struct pxe_file *f)
{
	(void)rel;
	return pxe_root_open_image(root, f);
}

static int cached(struct fcache *c, const struct pxe_root *root, const char *rel, uint64_t now_ms,
		  fc_opener open_fn, struct fc_entry **out)
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
	struct pxe_file f = PXE_FILE_INIT;
	int r = open_fn(root, rel, &f);
	if (r < 0) {
		if (old)
			unlink_entry(c, old);
		if (r == -ENOTSUP)
			c->refusal = f.refusal;
		pxe_file_close(&f);
		return r;
	}
	if (old && same_file(&old->f.st, &f.st)) {
		pxe_file_close(&f);
		old->checked_ms = now_ms;
		lru_touch(c, old);
		old->refs++;
		*out = old;
		return 0;
	}
	if (old)
		unlink_entry(c, old);
	struct fc_entry *e = entry_new(rel, &f);
	if (!e)
		return -ENOMEM;
	e->checked_ms = now_ms;
	if (!S_ISREG(e->f.st.st_mode)) { /* directories and others: not cached */
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

int fc_open(struct fcache *c, const struct pxe_root *root, const char *rel, uint64_t now_ms,
	    struct fc_entry **out)
{
	return cached(c, root, rel, now_ms, open_in_root, out);
}

int fc_open_image(struct fcache *c, const struct pxe_root *root, const char *rel, uint64_t now_ms,
		  struct fc_entry **out)
{
	return cached(c, root, rel, now_ms, open_image, out);
}
