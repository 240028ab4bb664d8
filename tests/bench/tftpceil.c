/* SPDX-License-Identifier: MIT */
/* tftpceil: a measuring stick, not part of pxesuite. The least a TFTP
 * server can do for tftpload's lock-step storm: RRQ with blksize/tsize,
 * OACK, then DATA per ACK from the page cache; no timers, no logging, no
 * retransmits, windowsize 1 only. Two shells:
 *   epoll: epoll_wait, recv, pread, send per block (one syscall each)
 *   uring: io_uring, each block a linked READ->SEND plus a RECV, all
 *          transfers' operations submitted together, one io_uring_enter
 *          per loop turn.
 * usage: tftpceil epoll|uring ADDR PORT ROOT (make ceilings; see README) */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

struct xf {
	int fd, file;
	uint64_t size, block, last;
	uint32_t blk;
	uint8_t rbuf[600];
	uint8_t buf[4 + 65464];
};

static int rootfd, lfd, mode_uring;
static struct io_uring ring;
static struct sockaddr_in laddr;

static struct io_uring_sqe *sqe(void)
{
	struct io_uring_sqe *s = io_uring_get_sqe(&ring);
	if (!s) {
		io_uring_submit(&ring);
		s = io_uring_get_sqe(&ring);
	}
	return s;
}

static uint32_t data_len(struct xf *x, uint64_t b)
{
	uint64_t off = (b - 1) * x->blk;
	if (off >= x->size)
		return 0;
	uint64_t n = x->size - off;
	return n > x->blk ? x->blk : (uint32_t)n;
}

static void put_block(struct xf *x)
{
	uint32_t n = data_len(x, x->block);
	x->buf[0] = 0, x->buf[1] = 3, x->buf[2] = (uint8_t)(x->block >> 8),
	x->buf[3] = (uint8_t)x->block;
	if (!mode_uring) {
		if (n && pread(x->file, x->buf + 4, n, (off_t)((x->block - 1) * x->blk)) < 0)
			return;
		(void)send(x->fd, x->buf, 4 + n, 0);
		return;
	}
	if (n) {
		struct io_uring_sqe *r = sqe();
		io_uring_prep_read(r, x->file, x->buf + 4, n, (x->block - 1) * x->blk);
		r->flags |= IOSQE_IO_LINK | IOSQE_CQE_SKIP_SUCCESS;
		io_uring_sqe_set_data(r, (void *)((uintptr_t)x | 1));
	}
	struct io_uring_sqe *s = sqe();
	io_uring_prep_send(s, x->fd, x->buf, 4 + n, 0);
	s->flags |= IOSQE_CQE_SKIP_SUCCESS;
	io_uring_sqe_set_data(s, (void *)((uintptr_t)x | 2));
}

static void arm_recv(struct xf *x)
{
	struct io_uring_sqe *s = sqe();
	io_uring_prep_recv(s, x->fd, x->rbuf, sizeof(x->rbuf), 0);
	io_uring_sqe_set_data(s, x);
}

static void finish(struct xf *x)
{
	close(x->fd);
	close(x->file);
	free(x);
}

/* An ACK for x; false when the transfer ended. */
static int on_ack(struct xf *x, ssize_t n)
{
	if (n < 4 || x->rbuf[1] != 4)
		return 1;
	uint16_t b = (uint16_t)(x->rbuf[2] << 8 | x->rbuf[3]);
	if (b != (uint16_t)x->block)
		return 1;
	if (x->block == x->last) {
		finish(x);
		return 0;
	}
	x->block++;
	put_block(x);
	return 1;
}

static void on_rrq(const uint8_t *p, size_t n, struct sockaddr_in *from, int ep)
{
	if (n < 4 || p[1] != 1)
		return;
	const char *name = (const char *)p + 2, *end = (const char *)p + n;
	const char *mode = name + strnlen(name, (size_t)(end - name)) + 1;
	const char *o = mode + strnlen(mode, (size_t)(end - mode)) + 1;
	struct xf *x = calloc(1, sizeof(*x));
	x->blk = 512;
	x->file = openat(rootfd, name, O_RDONLY);
	struct stat st;
	if (x->file < 0 || fstat(x->file, &st) < 0) {
		free(x); /* the client times out: a stick, not a server */
		return;
	}
	x->size = (uint64_t)st.st_size;
	int tsize = 0;
	while (o < end) {
		const char *v = o + strlen(o) + 1;
		if (v >= end)
			break;
		if (!strcasecmp(o, "blksize"))
			x->blk = (uint32_t)atoi(v);
		else if (!strcasecmp(o, "tsize"))
			tsize = 1;
		o = v + strlen(v) + 1;
	}
	x->last = x->size / x->blk + 1;
	x->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
	struct sockaddr_in a = laddr;
	a.sin_port = 0;
	if (bind(x->fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    connect(x->fd, (struct sockaddr *)from, sizeof(*from)) < 0) {
		close(x->fd);
		close(x->file);
		free(x);
		return;
	}
	int k = sprintf((char *)x->buf, "%c%cblksize%c%u%c", 0, 6, 0, x->blk, 0);
	if (tsize)
		k += sprintf((char *)x->buf + k, "tsize%c%llu%c", 0, (unsigned long long)x->size,
			     0);
	x->block = 0;
	if (mode_uring) {
		struct io_uring_sqe *s = sqe();
		io_uring_prep_send(s, x->fd, x->buf, (size_t)k, 0);
		s->flags |= IOSQE_CQE_SKIP_SUCCESS;
		io_uring_sqe_set_data(s, (void *)((uintptr_t)x | 2));
		arm_recv(x);
	} else {
		(void)send(x->fd, x->buf, (size_t)k, 0);
		struct epoll_event e = {.events = EPOLLIN, .data.ptr = x};
		epoll_ctl(ep, EPOLL_CTL_ADD, x->fd, &e);
	}
}

static uint8_t lbuf[600];
static struct sockaddr_in lfrom;
static struct iovec liov = {lbuf, sizeof(lbuf)};
static struct msghdr lmsg = {
	.msg_name = &lfrom, .msg_namelen = sizeof(lfrom), .msg_iov = &liov, .msg_iovlen = 1};

static void arm_listen(void)
{
	lmsg.msg_namelen = sizeof(lfrom);
	struct io_uring_sqe *s = sqe();
	io_uring_prep_recvmsg(s, lfd, &lmsg, 0);
	io_uring_sqe_set_data(s, (void *)(uintptr_t)3);
}

static void run_uring(void)
{
	struct io_uring_params p = {0};
	p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
	if (io_uring_queue_init_params(8192, &ring, &p) < 0) {
		fprintf(stderr, "io_uring: %s\n", strerror(errno));
		exit(1);
	}
	arm_listen();
	for (;;) {
		io_uring_submit_and_wait(&ring, 1);
		struct io_uring_cqe *c;
		unsigned head, seen = 0;
		io_uring_for_each_cqe(&ring, head, c)
		{
			seen++;
			uintptr_t u = (uintptr_t)io_uring_cqe_get_data(c);
			if (u == 3) {
				if (c->res > 0)
					on_rrq(lbuf, (size_t)c->res, &lfrom, -1);
				arm_listen();
			} else if ((u & 3) == 0) {
				struct xf *x = (struct xf *)u;
				if (on_ack(x, c->res))
					arm_recv(x);
			}
			/* failed READ/SEND: no retransmit in a ceiling */
		}
		io_uring_cq_advance(&ring, seen);
	}
}

static void run_epoll(void)
{
	int ep = epoll_create1(0);
	struct epoll_event e = {.events = EPOLLIN, .data.ptr = NULL};
	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &e);
	struct epoll_event ev[256];
	for (;;) {
		int n = epoll_wait(ep, ev, 256, -1);
		for (int i = 0; i < n; i++) {
			struct xf *x = ev[i].data.ptr;
			if (!x) {
				socklen_t fl = sizeof(lfrom);
				ssize_t k = recvfrom(lfd, lbuf, sizeof(lbuf), 0,
						     (struct sockaddr *)&lfrom, &fl);
				if (k > 0)
					on_rrq(lbuf, (size_t)k, &lfrom, ep);
				continue;
			}
			ssize_t k = recv(x->fd, x->rbuf, sizeof(x->rbuf), 0);
			on_ack(x, k);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc != 5)
		return 2;
	mode_uring = !strcmp(argv[1], "uring");
	laddr.sin_family = AF_INET;
	inet_pton(AF_INET, argv[2], &laddr.sin_addr);
	laddr.sin_port = htons((uint16_t)atoi(argv[3]));
	rootfd = open(argv[4], O_RDONLY | O_DIRECTORY);
	lfd = socket(AF_INET, SOCK_DGRAM, 0);
	if (bind(lfd, (struct sockaddr *)&laddr, sizeof(laddr)) < 0) {
		perror("bind");
		return 1;
	}
	if (mode_uring)
		run_uring();
	else
		run_epoll();
}
