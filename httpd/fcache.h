/* SPDX-License-Identifier: MIT */
/* Open-file cache: fd, stat, validators and, for small files, the bytes.
 *
 * A 4 KiB request would otherwise cost openat2 + fstat + read + close on
 * top of the socket calls. Entries are re-checked against the file system
 * (path resolved again beneath the root, then dev/ino/size/mtime compared)
 * when older than ttl_ms (1 s: lighttpd's stat cache and nginx's
 * open_file_cache_valid make the same trade), so a replaced or modified
 * file is seen within a second. Entries are reference counted: a response
 * still sending from a replaced file keeps its fd.
 *
 * Files come from a served root (root.h), a directory or an ISO 9660
 * image: an entry holds the struct pxe_file (descriptor, base offset,
 * stat), so data is read at f.base + off. An image file's descriptor is
 * the image's own (a dup), which keeps a replaced image readable until the
 * last response from it is out. Image stats do not change, so entries of
 * an image root stay valid until a reload swaps the root (fc_flush). */
#ifndef HTTP_FCACHE_H
#define HTTP_FCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "cond.h"
#include "root.h"

struct fc_entry {
	struct fc_entry *hnext;         /* hash chain */
	struct fc_entry *lprev, *lnext; /* LRU list, most recent at the tail */
	unsigned refs;                  /* the table's own reference counts as 1 */
	bool in_table;
	uint32_t hash;
	char *key;
	struct pxe_file f; /* f.st: what the validators were made from */
	uint64_t checked_ms;
	char etag[HTTP_ETAG_MAX];
	size_t etag_len;
	char last_modified[HTTP_DATE_LEN + 1];
	char *data;       /* whole content when small, else NULL */
	const char *mime; /* filled by the caller, kept across hits */
};

struct fcache {
	struct fc_entry **buckets;
	size_t nbuckets;
	struct fc_entry *lru_head, *lru_tail;
	size_t count, max_entries;
	size_t data_bytes, max_data_bytes;
	size_t max_file_data; /* files up to this size are kept in memory */
	uint64_t ttl_ms;
	uint64_t hits, misses;
	/* The sentence of the last fc_open() that gave -ENOTSUP (a file the
	 * image holds but cannot serve byte for byte), for the log. */
	const char *refusal;
};

int fc_init(struct fcache *c, size_t max_entries, uint64_t ttl_ms);
void fc_destroy(struct fcache *c);
/* Drop every entry (reload); in-flight users keep theirs until released. */
void fc_flush(struct fcache *c);

/* Open rel (a pxe_path_clean result) in root, through the cache. Regular
 * files and directories are returned (directories are not cached; an
 * image's have no descriptor). 0 and *out (a reference: fc_release it) or
 * -errno from pxe_root_open_file(); -ENOTSUP sets c->refusal. */
int fc_open(struct fcache *c, const struct pxe_root *root, const char *rel, uint64_t now_ms,
	    struct fc_entry **out);
/* The image file of an image root itself, cached under the name rel (its
 * URL path): a descriptor of its own on the whole image, so Range, ETag
 * and sendfile work as for any file. -EISDIR for a directory root. */
int fc_open_image(struct fcache *c, const struct pxe_root *root, const char *rel, uint64_t now_ms,
		  struct fc_entry **out);
void fc_release(struct fcache *c, struct fc_entry *e);

#endif
