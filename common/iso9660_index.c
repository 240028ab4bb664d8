/* SPDX-License-Identifier: MIT */
/* The index of an ISO 9660 image: entries in one array (each directory's
 * children consecutive), their paths in one arena, an open-addressing hash
 * from the normalised path; and the public calls of iso9660.h. */
#include "iso9660_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ISO_LINK_HOPS 8 /* symlinks followed in one lookup */

int iso_fail(struct iso_build *b, int code, const char *fmt, ...)
{
	if (b->err) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(b->err->msg, sizeof(b->err->msg), fmt, ap);
		va_end(ap);
	}
	return code > 0 ? -code : code;
}

static char iso_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* FNV-1a; with fold, over ASCII-lowercased bytes (plain ISO 9660 view). */
uint32_t iso_hash(const char *s, size_t len, bool fold)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h ^= (uint8_t)(fold ? iso_lower(s[i]) : s[i]);
		h *= 16777619u;
	}
	return h;
}

static bool iso_key_eq(const struct pxe_iso *iso, const char *path, const char *key, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		char a = path[i], c = key[i];
		if (a == '\0' || (a != c && (!iso->fold || iso_lower(a) != iso_lower(c))))
			return false;
	}
	return path[len] == '\0';
}

static int iso_find_h(const struct pxe_iso *iso, const char *key, size_t len, uint32_t h)
{
	if (!iso->table)
		return -1;
	for (uint32_t i = h;; i++) {
		uint32_t v = iso->table[i & iso->table_mask];
		if (v == 0)
			return -1;
		const struct iso_node *n = &iso->nodes[v - 1];
		if (n->hash == h && iso_key_eq(iso, iso->arena + n->path, key, len))
			return (int)(v - 1);
	}
}

int iso_find(const struct pxe_iso *iso, const char *key, size_t len)
{
	return iso_find_h(iso, key, len, iso_hash(key, len, iso->fold));
}

static void iso_table_put(struct pxe_iso *iso, uint32_t node)
{
	uint32_t i = iso->nodes[node].hash;
	while (iso->table[i & iso->table_mask])
		i++;
	iso->table[i & iso->table_mask] = node + 1;
}

/* Kept at most half full, so a probe ends soon. */
static int iso_table_grow(struct pxe_iso *iso)
{
	if (iso->table && 2 * (iso->n_nodes + 1) <= iso->table_mask + 1)
		return 0;
	uint32_t cap = iso->table ? 2 * (iso->table_mask + 1) : 256;
	uint32_t *t = calloc(cap, sizeof(*t));
	if (!t)
		return -ENOMEM;
	free(iso->table);
	iso->table = t;
	iso->table_mask = cap - 1;
	for (uint32_t i = 0; i < iso->n_nodes; i++)
		iso_table_put(iso, i);
	return 0;
}

static int iso_grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	uint32_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, (size_t)n * size);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = n;
	return 0;
}

int iso_arena_put(struct pxe_iso *iso, const char *s, size_t len, uint32_t *off)
{
	if (iso->arena_len + len + 1 > iso->arena_cap) {
		size_t cap = iso->arena_cap ? iso->arena_cap : 4096;
		while (cap < iso->arena_len + len + 1)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -ENOMEM;
		char *a = realloc(iso->arena, cap);
		if (!a)
			return -ENOMEM;
		iso->arena = a;
		iso->arena_cap = cap;
	}
	memcpy(iso->arena + iso->arena_len, s, len);
	iso->arena[iso->arena_len + len] = '\0';
	*off = (uint32_t)iso->arena_len;
	iso->arena_len += len + 1;
	return 0;
}

int iso_ext_add(struct pxe_iso *iso, uint64_t off, uint64_t len)
{
	if (iso_grow((void **)&iso->ext, &iso->cap_ext, iso->n_ext + 1, sizeof(*iso->ext)) < 0)
		return -ENOMEM;
	iso->ext[iso->n_ext++] = (struct pxe_iso_extent){off, len};
	return 0;
}

/* A new entry named name under parent (ISO_NONE: the root). Returns 0, or
 * 1 when the path is taken already (plain ISO 9660 file versions, names
 * equal but for case): the first record, the highest version (9.3), wins. */
int iso_node_add(struct iso_build *b, uint32_t parent, const char *name, size_t len, uint32_t *out)
{
	struct pxe_iso *iso = b->iso;
	char path[PXE_PATH_MAX];
	size_t plen = 0;
	uint32_t depth = 0;
	if (parent != ISO_NONE) {
		const struct iso_node *p = &iso->nodes[parent];
		const char *pp = iso->arena + p->path;
		size_t ppl = strlen(pp);
		depth = p->depth + 1;
		if (depth > ISO_DEPTH_MAX || ppl + 1 + len >= PXE_PATH_MAX)
			return iso_fail(
				b, ENAMETOOLONG,
				"/%s/%s: deeper than %u directories or longer than %u bytes", pp,
				name, ISO_DEPTH_MAX, PXE_PATH_MAX - 1);
		memcpy(path, pp, ppl);
		plen = ppl;
		if (plen)
			path[plen++] = '/';
	}
	memcpy(path + plen, name, len);
	plen += len;
	uint32_t h = iso_hash(path, plen, iso->fold);
	if (iso_find_h(iso, path, plen, h) >= 0)
		return 1;
	if (iso_grow((void **)&iso->nodes, &iso->cap_nodes, iso->n_nodes + 1, sizeof(*iso->nodes)) <
		    0 ||
	    iso_table_grow(iso) < 0)
		return iso_fail(b, ENOMEM, "out of memory");
	struct iso_node n = {.link = ISO_NONE, .parent = parent, .hash = h, .depth = depth};
	if (iso_arena_put(iso, path, plen, &n.path) < 0)
		return iso_fail(b, ENOMEM, "out of memory");
	n.name = n.path + (uint32_t)(plen - len);
	*out = iso->n_nodes;
	iso->nodes[iso->n_nodes++] = n;
	iso_table_put(iso, *out);
	return 0;
}

static void iso_summarise(struct pxe_iso *iso)
{
	struct pxe_iso_info *in = &iso->info;
	static const char *const names[] = {"iso9660", "joliet", "rockridge"};
	in->view_name = names[in->view];
	for (uint32_t i = 0; i < iso->n_nodes; i++) {
		const struct iso_node *n = &iso->nodes[i];
		if (n->flags & PXE_ISO_DIR)
			in->dirs++;
		else if (n->flags & PXE_ISO_SYMLINK)
			in->symlinks++;
		else if ((n->mode & 0170000) == 0100000)
			in->files++;
		if (n->flags & PXE_ISO_UNSERVABLE)
			in->unservable++;
	}
	in->entries = iso->n_nodes;
	/* the build grew the arrays by doubling: give the slack back */
	if (iso->n_nodes && iso->n_nodes < iso->cap_nodes) {
		void *p = realloc(iso->nodes, iso->n_nodes * sizeof(*iso->nodes));
		if (p)
			iso->nodes = p, iso->cap_nodes = iso->n_nodes;
	}
	if (iso->arena_len && iso->arena_len < iso->arena_cap) {
		char *p = realloc(iso->arena, iso->arena_len);
		if (p)
			iso->arena = p, iso->arena_cap = iso->arena_len;
	}
	in->memory = sizeof(*iso) + iso->cap_nodes * sizeof(*iso->nodes) + iso->arena_cap +
		     iso->cap_ext * sizeof(*iso->ext) + (iso->table_mask + 1) * sizeof(uint32_t);
}

static int iso_build_index(struct iso_build *b)
{
	struct iso_vd vd;
	int r = iso_read_descriptors(b, &vd);
	if (r < 0)
		return r;
	r = iso_detect_rr(b, vd.pvd_root);
	if (r < 0)
		return r;
	b->view = r ? PXE_ISO_VIEW_ROCKRIDGE : vd.joliet ? PXE_ISO_VIEW_JOLIET : PXE_ISO_VIEW_PLAIN;
	b->iso->info.view = b->view;
	b->iso->fold = b->view == PXE_ISO_VIEW_PLAIN;
	b->iso->info.volume_size = (uint64_t)vd.volume_blocks * ISO_SECTOR;
	const char *label = b->view == PXE_ISO_VIEW_JOLIET && vd.joliet_label[0] ? vd.joliet_label
										 : vd.pvd_label;
	snprintf(b->iso->info.label, sizeof(b->iso->info.label), "%s", label);
	return iso_walk(b, b->view == PXE_ISO_VIEW_JOLIET ? vd.joliet_root : vd.pvd_root);
}

int pxe_iso_open(struct pxe_iso **out, pxe_iso_read_fn read, void *ctx, uint64_t image_size,
		 struct pxe_err *err)
{
	struct iso_build b = {.read = read, .ctx = ctx, .image_size = image_size, .err = err};
	*out = NULL;
	b.pending = ISO_NONE;
	if (!(b.iso = calloc(1, sizeof(*b.iso))))
		return pxe_err_set(err, ENOMEM, "out of memory");
	int r = iso_build_index(&b);
	free(b.dirbuf);
	free(b.ce_buf);
	free(b.seen);
	if (r < 0) {
		pxe_iso_free(b.iso);
		return r;
	}
	iso_summarise(b.iso);
	*out = b.iso;
	return 0;
}

void pxe_iso_free(struct pxe_iso *iso)
{
	if (!iso)
		return;
	free(iso->nodes);
	free(iso->arena);
	free(iso->ext);
	free(iso->table);
	free(iso);
}

const struct pxe_iso_info *pxe_iso_info(const struct pxe_iso *iso)
{
	return &iso->info;
}

static void iso_entry_of(const struct pxe_iso *iso, uint32_t i, struct pxe_iso_entry *e)
{
	const struct iso_node *n = &iso->nodes[i];
	*e = (struct pxe_iso_entry){
		.path = iso->arena + n->path,
		.name = iso->arena + n->name,
		.link = n->link == ISO_NONE ? NULL : iso->arena + n->link,
		.off = n->off,
		.size = n->size,
		.mtime = n->mtime,
		.mode = n->mode,
		.flags = n->flags,
		.ext = n->n_ext ? &iso->ext[n->ext] : NULL,
		.n_ext = n->n_ext,
		.index = i,
	};
}

int pxe_iso_get(const struct pxe_iso *iso, uint32_t index, struct pxe_iso_entry *out)
{
	if (index >= iso->n_nodes)
		return -ENOENT;
	iso_entry_of(iso, index, out);
	return 0;
}

/* Component by component, with symlinks spliced in front of what is left
 * and the result cleaned again (lexically: what is resolved so far holds
 * real directories only, so ".." there is exact). An absolute target
 * starts from the image root; a ".." above it is -EACCES, as in
 * pxe_path_clean(). */
static int iso_resolve(const struct pxe_iso *iso, const char *clean, unsigned flags)
{
	char rest[PXE_PATH_MAX], done[PXE_PATH_MAX], tmp[2 * PXE_PATH_MAX + 2];
	size_t dlen = 0;
	int idx = 0, hops = 0;
	snprintf(rest, sizeof(rest), "%s", clean);
	const char *p = rest;
	while (*p) {
		size_t clen = strcspn(p, "/");
		bool last = p[clen] == '\0';
		if (dlen + 1 + clen >= sizeof(done))
			return -ENAMETOOLONG;
		size_t nlen = dlen + (dlen > 0) + clen;
		memcpy(done + dlen + (dlen > 0), p, clen);
		if (dlen)
			done[dlen] = '/';
		idx = iso_find(iso, done, nlen);
		if (idx < 0)
			return -ENOENT;
		const struct iso_node *n = &iso->nodes[idx];
		if ((n->flags & PXE_ISO_SYMLINK) && (!last || !(flags & PXE_ISO_NOFOLLOW))) {
			if (++hops > ISO_LINK_HOPS)
				return -ELOOP;
			const char *t = iso->arena + n->link;
			int k = snprintf(tmp, sizeof(tmp), "%.*s/%s/%s",
					 t[0] == '/' ? 0 : (int)dlen, done, t,
					 last ? "" : p + clen + 1);
			if (k < 0 || (size_t)k >= sizeof(tmp))
				return -ENAMETOOLONG;
			int r = pxe_path_clean(tmp, (size_t)k, 0, rest, sizeof(rest));
			if (r < 0)
				return r;
			p = rest, dlen = 0, idx = 0;
			continue;
		}
		if (!last && !(n->flags & PXE_ISO_DIR))
			return -ENOTDIR;
		dlen = nlen;
		p += clen + !last;
	}
	return idx;
}

int pxe_iso_lookup(const struct pxe_iso *iso, const char *path, size_t len, unsigned flags,
		   struct pxe_iso_entry *out)
{
	char clean[PXE_PATH_MAX];
	int n = pxe_path_clean(path, len, 0, clean, sizeof(clean));
	if (n < 0)
		return n;
	/* The common case in O(1): every indexed path has only real
	 * directories above it, so a hit that is no symlink is the answer. */
	int idx = iso_find(iso, clean, (size_t)n);
	if (idx < 0 || ((iso->nodes[idx].flags & PXE_ISO_SYMLINK) && !(flags & PXE_ISO_NOFOLLOW)))
		idx = iso_resolve(iso, clean, flags);
	if (idx < 0)
		return idx;
	iso_entry_of(iso, (uint32_t)idx, out);
	return 0;
}

int pxe_iso_dir_each(const struct pxe_iso *iso, const struct pxe_iso_entry *dir, pxe_iso_each_fn fn,
		     void *arg)
{
	if (dir->index >= iso->n_nodes || !(iso->nodes[dir->index].flags & PXE_ISO_DIR))
		return -ENOTDIR;
	const struct iso_node *n = &iso->nodes[dir->index];
	for (uint32_t i = 0; i < n->n_child; i++) {
		struct pxe_iso_entry e;
		iso_entry_of(iso, n->child_first + i, &e);
		int r = fn(arg, &e);
		if (r)
			return r;
	}
	return 0;
}

const char *pxe_iso_unservable_reason(uint32_t flags)
{
	if (flags & PXE_ISO_ZISOFS)
		return "zisofs-compressed (Rock Ridge ZF): the image holds compressed bytes";
	if (flags & PXE_ISO_INTERLEAVED)
		return "interleaved (file unit size and gap set): not supported";
	return NULL;
}

int pxe_iso_pread(void *ctx, void *buf, size_t len, uint64_t off)
{
	int fd = *(const int *)ctx;
	size_t done = 0;
	while (done < len) {
		ssize_t r = pread(fd, (char *)buf + done, len - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -errno;
		if (r == 0)
			return -EIO;
		done += (size_t)r;
	}
	return 0;
}
