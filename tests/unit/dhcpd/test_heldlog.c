/* SPDX-License-Identifier: MIT */
/* dhcpd/heldlog.c: a request line held for the journal ends as the reply
 * went (reply=ack ip=... lease=add) or as it did not (reply=none
 * dropped=ack ... why=, no lease event), in logfmt and in JSON; nothing is
 * held when the level filters the line out. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "heldlog.h"
#include "log.h"
#include "unit.h"

static char path[64];

static void open_log(enum pxe_log_format fmt, int level)
{
	snprintf(path, sizeof(path), "/tmp/pxe-heldlog-%d.log", (int)getpid());
	unlink(path);
	struct pxe_log_config cfg = {
		.format = fmt, .level = level, .file = path, .no_stderr = true};
	ck_assert_int_eq(pxe_log_open("pxe-dhcpd", &cfg), 0);
}

/* The file's only line, without its newline (static buffer). */
static const char *only_line(void)
{
	static char buf[8192];
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	char *nl = strchr(buf, '\n');
	ck_assert_msg(nl && nl[1] == 0, "one line expected: %s", buf);
	*nl = 0;
	return buf;
}

static struct dhcp_heldlog *held_request(void)
{
	struct pxe_log_line l;
	pxe_log_begin(&l, PXE_LOG_INFO, "dhcp");
	pxe_log_str(&l, "type", "request");
	pxe_log_str(&l, "mac", "02:54:45:00:00:01");
	pxe_log_str(&l, "relay", "198.18.16.1");
	struct dhcp_logtail t = {.reply = "ack", .ip = "198.18.16.10", .lease = "add"};
	snprintf(t.hostname, sizeof(t.hostname), "pc1");
	return dhcp_heldlog_make(&l, &t);
}

static void done(void)
{
	pxe_log_close();
	unlink(path);
}

START_TEST(test_sent)
{
	open_log(PXE_LOG_LOGFMT, PXE_LOG_INFO);
	struct dhcp_heldlog *h = held_request();
	ck_assert_ptr_nonnull(h);
	dhcp_heldlog_end(h, NULL);
	const char *s = only_line();
	ck_assert_msg(strstr(s, " event=dhcp type=request mac=02:54:45:00:00:01 relay=198.18.16.1 "
				"reply=ack ip=198.18.16.10 lease=add hostname=pc1") != NULL,
		      "%s", s);
	ck_assert_ptr_null(strstr(s, "why="));
	done();
}
END_TEST

START_TEST(test_dropped)
{
	open_log(PXE_LOG_LOGFMT, PXE_LOG_INFO);
	dhcp_heldlog_end(held_request(), "journal write failed");
	const char *s = only_line();
	ck_assert_msg(strstr(s, " relay=198.18.16.1 reply=none dropped=ack ip=198.18.16.10 "
				"hostname=pc1 why=\"journal write failed\"") != NULL,
		      "%s", s);
	ck_assert_ptr_null(strstr(s, "reply=ack"));
	ck_assert_ptr_null(strstr(s, "lease="));
	done();
}
END_TEST

START_TEST(test_json)
{
	open_log(PXE_LOG_JSON, PXE_LOG_INFO);
	dhcp_heldlog_end(held_request(), "journal write failed");
	const char *s = only_line();
	ck_assert_msg(
		strstr(s, "\"relay\":\"198.18.16.1\",\"reply\":\"none\",\"dropped\":\"ack\"") &&
			s[strlen(s) - 1] == '}',
		"%s", s);
	done();
}
END_TEST

START_TEST(test_filtered)
{
	open_log(PXE_LOG_LOGFMT, PXE_LOG_NOTICE);
	ck_assert_ptr_null(held_request()); /* info is filtered: nothing held */
	dhcp_heldlog_end(NULL, NULL);       /* and ending nothing is a no-op */
	FILE *f = fopen(path, "r");
	ck_assert(!f || fgetc(f) == EOF);
	if (f)
		fclose(f);
	done();
}
END_TEST

UNIT_SUITE(dhcp_heldlog)
{
	Suite *s = suite_create("dhcp_heldlog");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_sent);
	tcase_add_test(tc, test_dropped);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_filtered);
	suite_add_tcase(s, tc);
	return s;
}
