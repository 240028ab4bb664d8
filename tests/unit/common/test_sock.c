/* SPDX-License-Identifier: MIT */
/* common/sock.c: address parsing and formatting, pxe_sock_bind.
 * Sockets are bound on loopback only (plus unassigned 198.18.0.0/15 and
 * 2001:db8:: addresses with FREEBIND, which send nothing). */
#include "unit.h"

#include "sock.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/un.h>
#include <unistd.h>

/* ------------------------------------------------------------ parsing */

struct parse_case {
	const char *in;
	int rc;
	const char *out; /* pxe_addr_format(with_port) of the result */
};

static const struct parse_case parse_ok[] = {
	{"1.2.3.4", 0, "1.2.3.4:69"},
	{"1.2.3.4:70", 0, "1.2.3.4:70"},
	{"1.2.3.4:0", 0, "1.2.3.4:0"},
	{"1.2.3.4:65535", 0, "1.2.3.4:65535"},
	{"198.18.0.5:00069", 0, "198.18.0.5:69"},
	{"255.255.255.255:67", 0, "255.255.255.255:67"},
	{"0.0.0.0:67", 0, "0.0.0.0:67"},
	{":6969", 0, "0.0.0.0:6969"},
	{"*:6969", 0, "0.0.0.0:6969"},
	{"*", 0, "0.0.0.0:69"},
	{"6969", 0, "0.0.0.0:6969"},
	{"0", 0, "0.0.0.0:0"},
	{"65535", 0, "0.0.0.0:65535"},
	{"[::1]", 0, "[::1]:69"},
	{"[::1]:6969", 0, "[::1]:6969"},
	{"[::]:69", 0, "[::]:69"},
	{"[2001:db8::5]:4011", 0, "[2001:db8::5]:4011"},
	{"[::ffff:1.2.3.4]:69", 0, "[::ffff:1.2.3.4]:69"},
	{"::1", 0, "[::1]:69"},
	{"::", 0, "[::]:69"},
	{"2001:db8::1", 0, "[2001:db8::1]:69"},
	{"fe80::1%lo", 0, "[fe80::1%lo]:69"},
	{"[fe80::1%lo]:69", 0, "[fe80::1%lo]:69"},
	{"[fe80::1%4000000000]:69", 0, "[fe80::1%4000000000]:69"},
};

static const char *const parse_bad[] = {
	"1.2.3.4:70000",
	"1.2.3.4:65536",
	"1.2.3.4:",
	"1.2.3.4:69x",
	"1.2.3.4:-1",
	"1.2.3.4:+69",
	"1.2.3.4:0x45",
	"1.2.3.4:069 ",
	"1.2.3.4:000069",
	"1.2.3.4::69",
	"[::1",
	"::1]:5",
	"[::1]:",
	"[::1]x",
	"[::1]x69",
	"[::1]:69:",
	"[::1]]:69",
	"[[::1]]:69",
	"[]:69",
	"[1.2.3.4]:69",
	"[::1%]:69",
	"[fe80::1%nosuchif0]:69",
	"[fe80::1%0]:69",
	"[fe80::1%lo%lo]:69",
	"1.2.3.4%lo",
	":::69",
	"host:69",
	"localhost",
	"host",
	"",
	" ",
	" 1.2.3.4",
	"1.2.3.4 ",
	"1.2.3",
	"1.2.3.4.5",
	"256.1.1.1",
	"127.1",
	"0x7f000001",
	"99999",
	"123456",
	":",
	"*:",
	"**:69",
	"*1:69",
	"[*]:69",
	"1.2.3.4:6\n9",
	"1.2.3.4\t",
};

START_TEST(test_parse_valid)
{
	for (size_t i = 0; i < sizeof(parse_ok) / sizeof(parse_ok[0]); i++) {
		const struct parse_case *c = &parse_ok[i];
		struct pxe_sockaddr a;
		char buf[128];
		int rc = pxe_addr_parse(c->in, 69, &a);
		ck_assert_msg(rc == 0, "parse \"%s\": %d", c->in, rc);
		pxe_addr_format(&a.u.sa, true, buf, sizeof(buf));
		ck_assert_msg(strcmp(buf, c->out) == 0, "\"%s\" -> \"%s\", want \"%s\"", c->in, buf,
			      c->out);
		socklen_t want = a.u.sa.sa_family == AF_INET ? sizeof(struct sockaddr_in)
							     : sizeof(struct sockaddr_in6);
		ck_assert_int_eq(a.len, want);
	}
}
END_TEST

START_TEST(test_parse_invalid)
{
	for (size_t i = 0; i < sizeof(parse_bad) / sizeof(parse_bad[0]); i++) {
		struct pxe_sockaddr a;
		int rc = pxe_addr_parse(parse_bad[i], 69, &a);
		ck_assert_msg(rc == -EINVAL, "\"%s\" accepted (rc %d)", parse_bad[i], rc);
	}
}
END_TEST

START_TEST(test_parse_overlong)
{
	char buf[600];
	struct pxe_sockaddr a;
	memset(buf, '1', sizeof(buf) - 1);
	buf[sizeof(buf) - 1] = '\0';
	ck_assert_int_eq(pxe_addr_parse(buf, 69, &a), -EINVAL);
	/* a valid address with a long run of leading zeros in the port */
	snprintf(buf, sizeof(buf), "1.2.3.4:%0200d", 69);
	ck_assert_int_eq(pxe_addr_parse(buf, 69, &a), -EINVAL);
	snprintf(buf, sizeof(buf), "[fe80::1%%%0100d]:69", 1);
	ck_assert_int_eq(pxe_addr_parse(buf, 69, &a), -EINVAL);
	ck_assert_int_eq(pxe_addr_parse(NULL, 69, &a), -EINVAL);
	ck_assert_int_eq(pxe_addr_parse("1.2.3.4", 69, NULL), -EINVAL);
}
END_TEST

START_TEST(test_parse_fields)
{
	struct pxe_sockaddr a;
	ck_assert_int_eq(pxe_addr_parse("198.18.0.5:4011", 69, &a), 0);
	ck_assert_int_eq(a.u.in4.sin_family, AF_INET);
	ck_assert_uint_eq(ntohl(a.u.in4.sin_addr.s_addr), 0xc6120005u);
	ck_assert_int_eq(ntohs(a.u.in4.sin_port), 4011);

	ck_assert_int_eq(pxe_addr_parse(":67", 69, &a), 0);
	ck_assert_uint_eq(a.u.in4.sin_addr.s_addr, htonl(INADDR_ANY));

	ck_assert_int_eq(pxe_addr_parse("[::]:69", 0, &a), 0);
	ck_assert_int_eq(a.u.in6.sin6_family, AF_INET6);
	ck_assert(IN6_IS_ADDR_UNSPECIFIED(&a.u.in6.sin6_addr));
	ck_assert_int_eq(a.u.in6.sin6_scope_id, 0);

	unsigned lo = if_nametoindex("lo");
	ck_assert_uint_ne(lo, 0);
	ck_assert_int_eq(pxe_addr_parse("[fe80::1%lo]:69", 0, &a), 0);
	ck_assert_uint_eq(a.u.in6.sin6_scope_id, lo);
	ck_assert_int_eq(pxe_addr_parse("[fe80::1%7]:69", 0, &a), 0);
	ck_assert_uint_eq(a.u.in6.sin6_scope_id, 7);
}
END_TEST

START_TEST(test_parse_default_port)
{
	struct pxe_sockaddr a;
	ck_assert_int_eq(pxe_addr_parse("1.2.3.4", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_port(&a.u.sa), 0);
	/* a negative default means "a port is required" */
	ck_assert_int_eq(pxe_addr_parse("1.2.3.4", -1, &a), -EINVAL);
	ck_assert_int_eq(pxe_addr_parse("[::1]", -1, &a), -EINVAL);
	ck_assert_int_eq(pxe_addr_parse("::1", -1, &a), -EINVAL);
	ck_assert_int_eq(pxe_addr_parse("1.2.3.4:80", -1, &a), 0);
	ck_assert_int_eq(pxe_addr_parse("[::1]:80", -1, &a), 0);
	ck_assert_int_eq(pxe_addr_parse("80", -1, &a), 0);
	ck_assert_int_eq(pxe_addr_parse("1.2.3.4", 65536, &a), -EINVAL);
}
END_TEST

/* ---------------------------------------------------------- formatting */

START_TEST(test_format_round_trip)
{
	for (size_t i = 0; i < sizeof(parse_ok) / sizeof(parse_ok[0]); i++) {
		struct pxe_sockaddr a, b, c;
		char with[128], without[128];
		ck_assert_int_eq(pxe_addr_parse(parse_ok[i].in, 69, &a), 0);
		int n = pxe_addr_format(&a.u.sa, true, with, sizeof(with));
		ck_assert_int_eq(n, (int)strlen(with));
		ck_assert_int_eq(pxe_addr_parse(with, 1, &b), 0);
		ck_assert_msg(pxe_addr_equal(&a.u.sa, &b.u.sa), "round trip of %s", with);
		/* without the port the address parses back with the default */
		pxe_addr_format(&a.u.sa, false, without, sizeof(without));
		ck_assert_ptr_null(a.u.sa.sa_family == AF_INET6 ? strchr(without, '[') : NULL);
		ck_assert_int_eq(pxe_addr_parse(without, pxe_addr_port(&a.u.sa), &c), 0);
		ck_assert_msg(pxe_addr_equal(&a.u.sa, &c.u.sa), "round trip of %s", without);
	}
}
END_TEST

START_TEST(test_format_cases)
{
	struct pxe_sockaddr a;
	char buf[64];
	ck_assert_int_eq(pxe_addr_parse("198.18.0.5:69", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_format(&a.u.sa, false, buf, sizeof(buf)), 10);
	ck_assert_str_eq(buf, "198.18.0.5");
	/* snprintf semantics: truncated, NUL-terminated, full length returned */
	ck_assert_int_eq(pxe_addr_format(&a.u.sa, true, buf, 5), 13);
	ck_assert_str_eq(buf, "198.");
	ck_assert_int_eq(pxe_addr_format(&a.u.sa, true, NULL, 0), 13);

	ck_assert_int_eq(pxe_addr_parse("[::1]:69", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_format(&a.u.sa, true, buf, sizeof(buf)), 8);
	ck_assert_str_eq(buf, "[::1]:69");
	pxe_addr_format(&a.u.sa, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "::1");

	struct sockaddr_un sun = {.sun_family = AF_UNIX, .sun_path = "/run/x"};
	strcpy(buf, "junk");
	ck_assert_int_eq(pxe_addr_format((struct sockaddr *)&sun, true, buf, sizeof(buf)),
			 -EAFNOSUPPORT);
	ck_assert_str_eq(buf, "");
	ck_assert_int_eq(pxe_addr_format(NULL, true, buf, sizeof(buf)), -EINVAL);
	ck_assert_int_eq(pxe_addr_port((struct sockaddr *)&sun), -EAFNOSUPPORT);
}
END_TEST

/* A client on a dual-stack socket: IPv4 in logs (pxe_addr_format_peer),
 * while pxe_addr_format keeps the family so that it parses back. */
START_TEST(test_format_peer_unmaps)
{
	struct pxe_sockaddr a;
	struct sockaddr_in v4;
	char buf[64];
	ck_assert_int_eq(pxe_addr_parse("[::ffff:198.18.0.100]:2071", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_format_peer(&a.u.sa, true, buf, sizeof(buf)), 17);
	ck_assert_str_eq(buf, "198.18.0.100:2071");
	pxe_addr_format_peer(&a.u.sa, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "198.18.0.100");
	pxe_addr_format(&a.u.sa, true, buf, sizeof(buf));
	ck_assert_str_eq(buf, "[::ffff:198.18.0.100]:2071");
	const struct sockaddr *u = pxe_addr_unmap(&a.u.sa, &v4);
	ck_assert_ptr_eq(u, (struct sockaddr *)&v4);
	ck_assert_int_eq(v4.sin_family, AF_INET);
	ck_assert_int_eq(pxe_addr_port(u), 2071);
	/* other addresses pass through unchanged */
	static const char *const same[] = {"[::1]:69", "[fe80::1%lo]:69", "198.18.0.5:69",
					   "[::198.18.0.5]:69", "[64:ff9b::c612:5]:69"};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char want[64];
		ck_assert_int_eq(pxe_addr_parse(same[i], 0, &a), 0);
		ck_assert_ptr_eq(pxe_addr_unmap(&a.u.sa, &v4), &a.u.sa);
		pxe_addr_format(&a.u.sa, true, want, sizeof(want));
		pxe_addr_format_peer(&a.u.sa, true, buf, sizeof(buf));
		ck_assert_str_eq(buf, want);
	}
	ck_assert_ptr_null(pxe_addr_unmap(NULL, &v4));
}
END_TEST

START_TEST(test_port_and_equal)
{
	struct pxe_sockaddr a, b;
	ck_assert_int_eq(pxe_addr_parse("198.18.0.5:69", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_parse("198.18.0.5:70", 0, &b), 0);
	ck_assert(!pxe_addr_equal(&a.u.sa, &b.u.sa));
	pxe_addr_set_port(&b, 69);
	ck_assert_int_eq(pxe_addr_port(&b.u.sa), 69);
	ck_assert(pxe_addr_equal(&a.u.sa, &b.u.sa));
	ck_assert_int_eq(pxe_addr_parse("198.18.0.6:69", 0, &b), 0);
	ck_assert(!pxe_addr_equal(&a.u.sa, &b.u.sa));
	/* v4 and its v4-mapped v6 form are different families */
	ck_assert_int_eq(pxe_addr_parse("[::ffff:198.18.0.5]:69", 0, &b), 0);
	ck_assert(!pxe_addr_equal(&a.u.sa, &b.u.sa));
	ck_assert(!pxe_addr_equal(&a.u.sa, NULL));

	ck_assert_int_eq(pxe_addr_parse("[fe80::1%lo]:69", 0, &a), 0);
	ck_assert_int_eq(pxe_addr_parse("[fe80::1]:69", 0, &b), 0);
	ck_assert(!pxe_addr_equal(&a.u.sa, &b.u.sa)); /* scope differs */
	ck_assert_int_eq(pxe_addr_parse("[fe80::1%lo]:69", 0, &b), 0);
	ck_assert(pxe_addr_equal(&a.u.sa, &b.u.sa));
	pxe_addr_set_port(&b, 65535);
	ck_assert_int_eq(pxe_addr_port(&b.u.sa), 65535);
	ck_assert(!pxe_addr_equal(&a.u.sa, &b.u.sa));
}
END_TEST

/* ------------------------------------------------------------ binding */

static int sockopt(int fd, int level, int name)
{
	int v = -1;
	socklen_t len = sizeof(v);
	ck_assert_int_eq(getsockopt(fd, level, name, &v, &len), 0);
	return v;
}

static int bind_str(const char *s, int type, unsigned flags)
{
	struct pxe_sockaddr a;
	ck_assert_msg(pxe_addr_parse(s, 0, &a) == 0, "parse %s", s);
	return pxe_sock_bind(&a, type, flags, 16);
}

static int local_port(int fd, struct sockaddr_storage *ss)
{
	socklen_t len = sizeof(*ss);
	ck_assert_int_eq(getsockname(fd, (struct sockaddr *)ss, &len), 0);
	return pxe_addr_port((struct sockaddr *)ss);
}

/* The lowest free fd, to show that failed calls leak nothing. */
static int next_fd(void)
{
	int fd = dup(0);
	ck_assert_int_ge(fd, 0);
	close(fd);
	return fd;
}

/* Some build hosts run with IPv6 disabled: v6 checks are skipped there. */
static bool have_ipv6(void)
{
	int fd = bind_str("[::1]:0", SOCK_DGRAM, 0);
	if (fd < 0) {
		fprintf(stderr, "test_sock: no IPv6 loopback (%s), IPv6 checks skipped\n",
			strerror(-fd));
		return false;
	}
	close(fd);
	return true;
}

START_TEST(test_bind_v4_udp)
{
	struct sockaddr_storage ss;
	char buf[64];
	int fd = bind_str("127.0.0.1:0", SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(local_port(fd, &ss), 0);
	pxe_addr_format((struct sockaddr *)&ss, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "127.0.0.1");
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_DGRAM);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEADDR), 0);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IP, IP_PKTINFO), 0);
	close(fd);

	fd = bind_str("127.0.0.1:0", SOCK_DGRAM,
		      PXE_SOCK_PKTINFO | PXE_SOCK_BROADCAST | PXE_SOCK_FREEBIND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEADDR), 0);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEPORT), 0);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_BROADCAST), 1);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IP, IP_PKTINFO), 1);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IP, IP_FREEBIND), 1);
	close(fd);
}
END_TEST

START_TEST(test_bind_v4_tcp)
{
	struct sockaddr_storage ss;
	int fd = bind_str("127.0.0.1:0", SOCK_STREAM | SOCK_CLOEXEC, PXE_SOCK_REUSEADDR);
	ck_assert_int_ge(fd, 0);
	int port = local_port(fd, &ss);
	ck_assert_int_gt(port, 0);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_TYPE), SOCK_STREAM);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_REUSEADDR), 1);

	/* SO_REUSEADDR on both listeners still keeps out a second one */
	struct pxe_sockaddr a2;
	ck_assert_int_eq(pxe_addr_parse("127.0.0.1", port, &a2), 0);
	ck_assert_int_eq(pxe_sock_bind(&a2, SOCK_STREAM, PXE_SOCK_REUSEADDR, 0), -EADDRINUSE);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);

	/* a loopback client gets through the backlog */
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(connect(c, (struct sockaddr *)&ss, sizeof(struct sockaddr_in)), 0);
	int a = -1;
	for (int i = 0; i < 200 && a < 0; i++) {
		a = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
		if (a < 0)
			usleep(5000);
	}
	ck_assert_int_ge(a, 0);
	close(a);
	close(c);
	close(fd);
}
END_TEST

START_TEST(test_bind_errors)
{
	struct sockaddr_storage ss;
	struct pxe_sockaddr a;
	int before = next_fd();

	int fd = bind_str("127.0.0.1:0", SOCK_DGRAM, 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(pxe_addr_parse("127.0.0.1", local_port(fd, &ss), &a), 0);
	int mark = next_fd();
	ck_assert_int_eq(pxe_sock_bind(&a, SOCK_DGRAM, 0, 0), -EADDRINUSE);
	ck_assert_int_eq(pxe_sock_bind(&a, SOCK_DGRAM, PXE_SOCK_PKTINFO | PXE_SOCK_BROADCAST, 0),
			 -EADDRINUSE);
	/* SO_REUSEADDR would let a second UDP server share the port: refused */
	ck_assert_int_eq(pxe_sock_bind(&a, SOCK_DGRAM, PXE_SOCK_REUSEADDR, 0), -EINVAL);
	ck_assert_int_eq(next_fd(), mark);
	close(fd);
	ck_assert_int_eq(bind_str("127.0.0.1:0", SOCK_DGRAM, PXE_SOCK_REUSEADDR), -EINVAL);

	/* an address no interface has: only with FREEBIND (RFC 2544 range) */
	ck_assert_int_eq(bind_str("198.18.0.77:0", SOCK_DGRAM, 0), -EADDRNOTAVAIL);
	fd = bind_str("198.18.0.77:0", SOCK_DGRAM, PXE_SOCK_FREEBIND);
	ck_assert_int_ge(fd, 0);
	close(fd);

	ck_assert_int_eq(pxe_sock_bind(NULL, SOCK_DGRAM, 0, 0), -EINVAL);
	memset(&a, 0, sizeof(a));
	ck_assert_int_eq(pxe_sock_bind(&a, SOCK_DGRAM, 0, 0), -EAFNOSUPPORT);
	ck_assert_int_eq(next_fd(), before);
}
END_TEST

START_TEST(test_bind_v6)
{
	struct sockaddr_storage ss;
	char buf[64];
	if (!have_ipv6())
		return;
	int fd = bind_str("[::1]:0", SOCK_DGRAM, PXE_SOCK_PKTINFO);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_gt(local_port(fd, &ss), 0);
	ck_assert_int_eq(ss.ss_family, AF_INET6);
	pxe_addr_format((struct sockaddr *)&ss, false, buf, sizeof(buf));
	ck_assert_str_eq(buf, "::1");
	ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO), 1);
	ck_assert(fcntl(fd, F_GETFL) & O_NONBLOCK);
	ck_assert(fcntl(fd, F_GETFD) & FD_CLOEXEC);
	close(fd);

	fd = bind_str("[::1]:0", SOCK_STREAM, PXE_SOCK_REUSEADDR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	ck_assert_int_eq(sockopt(fd, SOL_SOCKET, SO_ACCEPTCONN), 1);
	close(fd);

	ck_assert_int_eq(bind_str("[2001:db8::77]:0", SOCK_DGRAM, 0), -EADDRNOTAVAIL);
	fd = bind_str("[2001:db8::77]:0", SOCK_DGRAM, PXE_SOCK_FREEBIND);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(sockopt(fd, IPPROTO_IPV6, IPV6_FREEBIND), 1);
	close(fd);
}
END_TEST

/* The tftpd-hpa lesson: [::]:P with IPV6_V6ONLY=1 leaves 0.0.0.0:P free
 * for a separate IPv4 socket, whatever net.ipv6.bindv6only says; a
 * dual-stack socket takes both and sees IPv4 peers as ::ffff:a.b.c.d. */
START_TEST(test_bind_v6only_and_dualstack)
{
	struct sockaddr_storage ss;
	struct pxe_sockaddr v4;
	if (!have_ipv6())
		return;
	int v6 = bind_str("[::]:0", SOCK_DGRAM, 0);
	ck_assert_int_ge(v6, 0);
	ck_assert_int_eq(sockopt(v6, IPPROTO_IPV6, IPV6_V6ONLY), 1);
	ck_assert_int_eq(pxe_addr_parse("0.0.0.0", local_port(v6, &ss), &v4), 0);
	int fd4 = pxe_sock_bind(&v4, SOCK_DGRAM, 0, 0);
	ck_assert_int_ge(fd4, 0);
	close(fd4);
	close(v6);

	int ds = bind_str("[::]:0", SOCK_DGRAM, PXE_SOCK_DUALSTACK | PXE_SOCK_PKTINFO);
	ck_assert_int_ge(ds, 0);
	ck_assert_int_eq(sockopt(ds, IPPROTO_IPV6, IPV6_V6ONLY), 0);
	int port = local_port(ds, &ss);
	ck_assert_int_eq(pxe_addr_parse("0.0.0.0", port, &v4), 0);
	ck_assert_int_eq(pxe_sock_bind(&v4, SOCK_DGRAM, 0, 0), -EADDRINUSE);

	/* one datagram over IPv4 loopback reaches the dual-stack socket */
	struct pxe_sockaddr dst;
	ck_assert_int_eq(pxe_addr_parse("127.0.0.1", port, &dst), 0);
	int c = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(c, 0);
	ck_assert_int_eq(sendto(c, "x", 1, 0, &dst.u.sa, dst.len), 1);
	char b[8], from[64];
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	ssize_t n = -1;
	for (int i = 0; i < 200 && n < 0; i++) {
		n = recvfrom(ds, b, sizeof(b), 0, (struct sockaddr *)&peer, &plen);
		if (n < 0)
			usleep(5000);
	}
	ck_assert_int_eq(n, 1);
	pxe_addr_format((struct sockaddr *)&peer, false, from, sizeof(from));
	ck_assert_str_eq(from, "::ffff:127.0.0.1");
	close(c);
	close(ds);
}
END_TEST

UNIT_SUITE(sock)
{
	Suite *s = suite_create("sock");
	TCase *tc = tcase_create("addr");
	tcase_add_test(tc, test_parse_valid);
	tcase_add_test(tc, test_parse_invalid);
	tcase_add_test(tc, test_parse_overlong);
	tcase_add_test(tc, test_parse_fields);
	tcase_add_test(tc, test_parse_default_port);
	tcase_add_test(tc, test_format_round_trip);
	tcase_add_test(tc, test_format_cases);
	tcase_add_test(tc, test_format_peer_unmaps);
	tcase_add_test(tc, test_port_and_equal);
	suite_add_tcase(s, tc);
	tc = tcase_create("bind");
	tcase_add_test(tc, test_bind_v4_udp);
	tcase_add_test(tc, test_bind_v4_tcp);
	tcase_add_test(tc, test_bind_errors);
	tcase_add_test(tc, test_bind_v6);
	tcase_add_test(tc, test_bind_v6only_and_dualstack);
	suite_add_tcase(s, tc);
	return s;
}
