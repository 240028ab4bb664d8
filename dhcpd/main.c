/* SPDX-License-Identifier: MIT */
/* pxe-dhcpd: options, --leases, daemon life, privileges, then the loop. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <arpa/inet.h>
#include <linux/capability.h>

#include "config.h"
#include "config_spec.h"
#include "daemon.h"
#include "hex.h"
#include "import/dnsmasq_import.h"
#include "journal_lock.h"
#include "log.h"
#include "server.h"

/* --leases: an expiry time as the journal writes it. */
static void leases_expiry(char *buf, size_t cap, int64_t expires)
{
	time_t t = (time_t)expires;
	struct tm tm;
	if (expires == DHCP_LEASE_INFINITE || !gmtime_r(&t, &tm))
		snprintf(buf, cap, "never"); /* BOOTP, RFC 1534 §2 */
	else
		strftime(buf, cap, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --leases, after the DHCPv4 table: the DHCPv6 addresses (IA_NA), when
 * there are any, with the client's IAID and DUID (RFC 8415 §11, §21.4). */
static void print_leases6(const struct dhcp6_leases *s, int64_t now)
{
	bool head = false;
	for (size_t i = 0; i < dhcp6_leases_count(s); i++) {
		const struct dhcp6_lease *l = dhcp6_leases_at(s, i);
		if (!dhcp6_lease_active(l, now))
			continue;
		if (!head)
			printf("\n%-39s  %-17s  %-20s  %-8s  %-16s  %-10s  %s\n", "ADDRESS", "MAC",
			       "EXPIRES", "STATE", "HOSTNAME", "IAID", "DUID");
		head = true;
		char ip[INET6_ADDRSTRLEN], mac[32] = "-", exp[32],
					   duid[DHCP6_LEASE_DUID_MAX * 2 + 1] = "-";
		inet_ntop(AF_INET6, l->addr, ip, sizeof(ip));
		if (l->has_mac)
			pxe_hex_encode(mac, sizeof(mac), l->mac, 6, ':');
		if (l->duid_len)
			pxe_hex_encode(duid, sizeof(duid), l->duid, l->duid_len, 0);
		leases_expiry(exp, sizeof(exp), l->expires);
		printf("%-39s  %-17s  %-20s  %-8s  %-16s  %-10lu  %s\n", ip, mac, exp,
		       dhcp_lease_state_name(l->state), l->hostname[0] ? l->hostname : "-",
		       (unsigned long)l->iaid, duid);
	}
}

/* `pxe-dhcpd --leases -c FILE`: the leases the journal holds now. */
static int print_leases(const struct dhcpd_config *c)
{
	struct dhcp_leases *s = dhcp_leases_new();
	int64_t now = (int64_t)time(NULL);
	if (!s)
		return 1;
	long n = dhcp_journal_replay(c->leasefile, s, now, NULL, NULL);
	if (n < 0) {
		pxe_log_startup_err(NULL, "%s: %s", c->leasefile, strerror((int)-n));
		dhcp_leases_free(s);
		return 1;
	}
	printf("%-15s  %-17s  %-20s  %-8s  %s\n", "ADDRESS", "MAC", "EXPIRES", "STATE", "HOSTNAME");
	for (size_t i = 0; i < dhcp_leases_count(s); i++) {
		const struct dhcp_lease *l = dhcp_leases_at(s, i);
		if (!dhcp_lease_active(l, now))
			continue;
		char ip[INET_ADDRSTRLEN], mac[64] = "-", exp[32];
		uint32_t be = htonl(l->addr);
		inet_ntop(AF_INET, &be, ip, sizeof(ip));
		if (l->hlen)
			pxe_hex_encode(mac, sizeof(mac), l->hw, l->hlen, ':');
		leases_expiry(exp, sizeof(exp), l->expires);
		printf("%-15s  %-17s  %-20s  %-8s  %s\n", ip, mac, exp,
		       dhcp_lease_state_name(l->state), l->hostname[0] ? l->hostname : "-");
	}
	print_leases6(dhcp_leases_v6(s), now);
	dhcp_leases_free(s);
	return 0;
}

/* With --chroot the lease file must lie inside the new root: compaction
 * writes FILE.tmp beside it and renames it over, after the change of root.
 * Sets *inner to its name as seen from inside (NULL without chroot). */
static int leasefile_in_chroot(const struct dhcpd_config *c, char **inner)
{
	*inner = NULL;
	if (!c->common.chroot || !*c->common.chroot)
		return 0;
	char *root = realpath(c->common.chroot, NULL);
	char *file = realpath(c->leasefile, NULL);
	int r = 0;
	if (!root || !file) {
		pxe_log_msg(PXE_LOG_ERR, "start", "%s: %s", root ? c->leasefile : c->common.chroot,
			    strerror(errno));
		r = -1;
	} else {
		size_t n = strcmp(root, "/") ? strlen(root) : 0;
		if (strncmp(file, root, n) || file[n] != '/') {
			pxe_log_msg(PXE_LOG_ERR, "start",
				    "leasefile %s is outside chroot %s: lease compaction could "
				    "not reach it; put it under the chroot",
				    file, root);
			r = -1;
		} else if (!(*inner = strdup(file + n))) {
			r = -1;
		}
	}
	free(root);
	free(file);
	return r;
}

/* Root made the lease and lock files (journal.c, journal_lock.c) before
 * dropping to the user that writes them from now on: give them to it, so
 * that compaction, the next start as that user and pxe-dhcpd.service
 * (User=pxesuite) can open them. Unlike a pid file's chown (packaging.md
 * §5), this is fchown on the descriptor root opened, and only when that is
 * the regular file at path itself, one link, owned by root: never what a
 * symlink or hard link the user planted in its own directory points to. */
static void give_to_user(int fd, const char *path, uid_t uid, gid_t gid)
{
	struct stat sf, sp;
	if (fd < 0 || fstat(fd, &sf) < 0 || lstat(path, &sp) < 0)
		return;
	if (!S_ISREG(sf.st_mode) || !S_ISREG(sp.st_mode) || sf.st_dev != sp.st_dev ||
	    sf.st_ino != sp.st_ino || sf.st_nlink != 1 || sf.st_uid != 0)
		return;
	if (fchown(fd, uid, gid) < 0)
		pxe_log_msg(PXE_LOG_WARN, "leases", "%s: cannot give it to uid %u: %s", path,
			    (unsigned)uid, strerror(errno));
}

static int give_leases(struct dhcpd *d, const struct dhcpd_config *c)
{
	struct pxe_err err;
	uid_t uid;
	gid_t gid;
	int r = pxe_privileges_target(c->common.user, c->common.group, &uid, &gid, &err);
	if (r < 0) {
		pxe_log_msg(PXE_LOG_ERR, "start", "%s", err.msg);
		return -1;
	}
	if (r == 0)
		return 0;
	char lock[4096];
	give_to_user(d->journal.fd, c->leasefile, uid, gid);
	if (snprintf(lock, sizeof(lock), "%s.lock", c->leasefile) < (int)sizeof(lock))
		give_to_user(d->journal.lock_fd, lock, uid, gid);
	return 0;
}

static int drop_privileges(struct dhcpd *d, const struct dhcpd_config *c)
{
	/* CAP_NET_RAW: the AF_PACKET socket of replies to clients without an
	 * address (send.c, RFC 2131 4.1), ping-check's raw ICMP socket and
	 * the RA socket, all opened after the start too (a reload that turns
	 * them on). Not CAP_NET_BIND_SERVICE: no reload binds 67, 547 or 4011
	 * (a mode change is logged as taking effect at restart, reload.c). */
	static const int keep[] = {CAP_NET_RAW};
	struct pxe_err err;
	char *inner;
	if (leasefile_in_chroot(c, &inner) < 0)
		return -1;
	if (c->common.pidfile && pxe_pidfile_write(c->common.pidfile, &err) < 0) {
		pxe_log_msg(PXE_LOG_ERR, "start", "%s", err.msg);
		free(inner);
		return -1;
	}
	if (give_leases(d, c) < 0) {
		free(inner);
		return -1;
	}
	if (pxe_privileges_drop(c->common.chroot, c->common.user, c->common.group, keep, 1, &err) <
	    0) {
		pxe_log_msg(PXE_LOG_ERR, "start", "%s", err.msg);
		free(inner);
		return -1;
	}
	if (inner) { /* the journal's file, as named from inside the chroot */
		free(d->journal.path);
		d->journal.path = inner;
	}
	return 0;
}

static int run(struct pxe_config *conf, int argc, char **argv)
{
	struct dhcpd_config *c = conf->cfg;
	/* --daemon runs in "/": make the lease file path absolute first */
	int r = dhcp_journal_abspath(&c->leasefile);
	if (r < 0) {
		pxe_log_startup_err(NULL, "%s: %s", c->leasefile, strerror(-r));
		return 1;
	}
	if (c->common.daemon && (r = pxe_daemon_start()) < 0) {
		pxe_log_startup_err(NULL, "--daemon: %s", strerror(-r));
		return 1;
	}
	uv_loop_t *loop = uv_default_loop();
	struct dhcpd *d = calloc(1, sizeof(*d));
	if (!d || dhcp_server_init(d, loop, conf, argc, argv) < 0 || drop_privileges(d, c) < 0) {
		pxe_daemon_ready(1);
		if (d)
			dhcp_server_free(d);
		free(d);
		return 1;
	}
	pxe_daemon_ready(0);
	dhcp_server_run(d);
	pxe_log_msg(PXE_LOG_NOTICE, "stop", "%llu requests, %llu replies",
		    (unsigned long long)d->stats_rx, (unsigned long long)d->stats_tx);
	dhcp_server_free(d);
	free(d);
	uv_loop_close(loop);
	return 0;
}

int main(int argc, char **argv)
{
	struct pxe_config conf;
	/* --import-dnsmasq converts and exits, before any configuration of
	 * ours is read (its table entry is there for --help). */
	if (dnsm_import_wanted(argc, argv))
		return dnsm_import_main(argc, argv, stdout, stderr);
	int rc = pxe_config_main(&dhcp_config_spec, argc, argv, &conf);
	if (rc >= 0)
		return rc;
	struct dhcpd_config *c = conf.cfg;
	struct pxe_log_config lc;
	pxe_common_log_config(&c->common, &lc);
	if ((rc = pxe_log_open("pxe-dhcpd", &lc)) < 0) {
		pxe_log_startup_err("pxe-dhcpd", "cannot open log %s: %s", lc.file ? lc.file : "-",
				    strerror(-rc));
		pxe_config_free(&conf);
		return PXE_EX_CONFIG;
	}
	if (c->print_leases) {
		rc = print_leases(c);
		pxe_config_free(&conf);
		return rc;
	}
	struct pxe_err err;
	if (pxe_privileges_plan(&conf, "user", "group", &c->common.user, &c->common.group, &err) <
	    0) {
		pxe_log_startup_err(NULL, "%s", err.msg);
		pxe_config_free(&conf);
		return PXE_EX_CONFIG;
	}
	return run(&conf, argc, argv);
}
