/* SPDX-License-Identifier: MIT */
/* isols: the ISO 9660 reader of common/ (iso9660.h) from the command line,
 * for tests/integration/iso_reader.sh.
 *   isols IMAGE            the index: a summary line, then one line per
 *                          entry: path, offset, size, mtime, mode (octal),
 *                          flags, and the symlink target or the extents
 *   isols -c IMAGE PATH    the bytes of a file (symlinks followed)
 *   isols -l IMAGE PATH    look PATH up and print its line (-n: no follow)
 *   isols -t IMAGE [N]     open the image N times, print the mean ms */
#include "iso9660.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void flags_str(uint32_t f, char *out)
{
	static const struct {
		uint32_t bit;
		char c;
	} t[] = {{PXE_ISO_DIR, 'd'},       {PXE_ISO_SYMLINK, 'l'}, {PXE_ISO_MULTI, 'm'},
		 {PXE_ISO_NONCONTIG, 'n'}, {PXE_ISO_ZISOFS, 'z'},  {PXE_ISO_INTERLEAVED, 'i'}};
	size_t n = 0;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (f & t[i].bit)
			out[n++] = t[i].c;
	if (n == 0)
		out[n++] = '-';
	out[n] = '\0';
}

static void print_entry(const struct pxe_iso_entry *e)
{
	char fl[16];
	flags_str(e->flags, fl);
	printf("/%s\t%llu\t%llu\t%lld\t%o\t%s\t", e->path, (unsigned long long)e->off,
	       (unsigned long long)e->size, (long long)e->mtime, e->mode, fl);
	if (e->link)
		printf("-> %s", e->link);
	for (uint32_t i = 0; i < e->n_ext; i++)
		printf("%s%llu+%llu", i ? "," : "", (unsigned long long)e->ext[i].off,
		       (unsigned long long)e->ext[i].len);
	printf("\n");
}

static int open_image(const char *path, int *fd, struct pxe_iso **iso)
{
	struct stat st;
	struct pxe_err err = {{0}};
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0 || fstat(*fd, &st) < 0) {
		fprintf(stderr, "isols: %s: %s\n", path, strerror(errno));
		return -1;
	}
	int r = pxe_iso_open(iso, pxe_iso_pread, fd, (uint64_t)st.st_size, &err);
	if (r < 0) {
		fprintf(stderr, "isols: %s: %s (%s)\n", path, err.msg, strerror(-r));
		return -1;
	}
	return 0;
}

static int cat_file(int fd, const struct pxe_iso_entry *e)
{
	static char buf[1 << 16];
	if (e->flags & (PXE_ISO_DIR | PXE_ISO_UNSERVABLE)) {
		const char *why = pxe_iso_unservable_reason(e->flags);
		fprintf(stderr, "isols: /%s: %s\n", e->path, why ? why : "a directory");
		return 1;
	}
	for (uint32_t i = 0; i < e->n_ext; i++) {
		for (uint64_t done = 0; done < e->ext[i].len;) {
			size_t n = e->ext[i].len - done < sizeof(buf) ? e->ext[i].len - done
								      : sizeof(buf);
			int fdc = fd;
			if (pxe_iso_pread(&fdc, buf, n, e->ext[i].off + done) < 0 ||
			    fwrite(buf, 1, n, stdout) != n) {
				fprintf(stderr, "isols: /%s: read or write failed\n", e->path);
				return 1;
			}
			done += n;
		}
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int time_open(const char *path, int n)
{
	int fd;
	struct pxe_iso *iso;
	double t0 = now_ms();
	for (int i = 0; i < n; i++) {
		if (open_image(path, &fd, &iso) < 0)
			return 1;
		if (i + 1 < n)
			pxe_iso_free(iso), close(fd);
	}
	const struct pxe_iso_info *in = pxe_iso_info(iso);
	printf("entries=%u files=%u index_ms=%.2f memory=%zu\n", in->entries, in->files,
	       (now_ms() - t0) / n, in->memory);
	pxe_iso_free(iso);
	close(fd);
	return 0;
}

static int list(struct pxe_iso *iso)
{
	const struct pxe_iso_info *in = pxe_iso_info(iso);
	printf("# view=%s label=%s files=%u dirs=%u symlinks=%u unservable=%u entries=%u "
	       "memory=%zu\n",
	       in->view_name, in->label, in->files, in->dirs, in->symlinks, in->unservable,
	       in->entries, in->memory);
	struct pxe_iso_entry e;
	for (uint32_t i = 0; pxe_iso_get(iso, i, &e) == 0; i++)
		print_entry(&e);
	return 0;
}

int main(int argc, char **argv)
{
	int opt, mode = 0;
	unsigned flags = 0;
	while ((opt = getopt(argc, argv, "clnt")) != -1) {
		if (opt == 'n')
			flags |= PXE_ISO_NOFOLLOW;
		else if (opt == '?')
			return 2;
		else
			mode = opt;
	}
	if (optind >= argc || ((mode == 'c' || mode == 'l') && optind + 2 != argc)) {
		fprintf(stderr, "usage: isols [-c|-l [-n]|-t] IMAGE [PATH|N]\n");
		return 2;
	}
	if (mode == 't')
		return time_open(argv[optind], optind + 1 < argc ? atoi(argv[optind + 1]) : 10);
	int fd, r = 0;
	struct pxe_iso *iso;
	if (open_image(argv[optind], &fd, &iso) < 0)
		return 1;
	if (mode == 0) {
		r = list(iso);
	} else {
		struct pxe_iso_entry e;
		const char *p = argv[optind + 1];
		int e2 = pxe_iso_lookup(iso, p, strlen(p), flags, &e);
		if (e2 < 0) {
			fprintf(stderr, "isols: %s: %s\n", p, strerror(-e2));
			r = 1;
		} else if (mode == 'l') {
			print_entry(&e);
		} else {
			r = cat_file(fd, &e);
		}
	}
	pxe_iso_free(iso);
	close(fd);
	return r;
}
