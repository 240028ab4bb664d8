#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The verdict of tests/soak/run on its samples.

  analyze.py CSV WARMUP_S RSS_BOUND_KB SLOPE_BOUND_KB

CSV (from tests/soak/run): t,phase,<d>_rss_kb,<d>_fds,<d>_cpu_s for each
daemon d; phase is "quiet" before the load starts, "load", and "after" once
it has stopped and the clients have gone.

Per daemon, with base = the first load sample at or after WARMUP_S:
  - RSS: every later sample at most base + RSS_BOUND_KB;
  - RSS over the second half of the load: the least-squares slope times
    that half's length at most SLOPE_BOUND_KB (a steady leak shows here
    even when it stays under the first bound);
  - descriptors: the "after" sample equals the "quiet" one (every
    connection, transfer and reopened log closed), and no load sample
    exceeds the quiet count by more than 64;
  - alive: no empty sample (the process was gone).
Prints PASS/FAIL lines (tests/lib.sh style) and a figures table; exits 1
on any FAIL.
"""
import csv
import sys

DAEMONS = ("dhcpd", "tftpd", "httpd")


def slope(xs, ys):
    n = len(xs)
    if n < 3:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0


def main():
    path, warmup, rss_bound, slope_bound = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    rows = list(csv.DictReader(open(path)))
    fails = 0

    def verdict(ok, what):
        nonlocal fails
        print("%s soak: %s" % ("PASS" if ok else "FAIL", what))
        fails += 0 if ok else 1

    table = ["%-6s %9s %9s %9s %9s | %5s %5s %5s %5s | %8s %6s" % (
        "daemon", "rss0_kB", "rss_wu", "rss_end", "rss_max", "fd0", "fd_wu", "fdmax", "fdend",
        "cpu_s", "cpu%")]
    for d in DAEMONS:
        r, f, c = d + "_rss_kb", d + "_fds", d + "_cpu_s"
        dead = [row["t"] for row in rows if row[r] == ""]
        verdict(not dead, "%s alive in every sample%s" % (d, " (gone at t=%s)" % dead[0] if dead else ""))
        if dead:
            continue
        quiet = [row for row in rows if row["phase"] == "quiet"]
        load = [row for row in rows if row["phase"] == "load"]
        after = [row for row in rows if row["phase"] == "after"]
        if not (quiet and load and after):
            verdict(False, "%s: samples in every phase" % d)
            continue
        t0 = float(load[0]["t"])
        t_end = float(load[-1]["t"])
        wu = [row for row in load if float(row["t"]) - t0 >= warmup] or load[-1:]
        base = int(wu[0][r])
        rss_max = max(int(row[r]) for row in wu)
        verdict(rss_max - base <= rss_bound, "%s RSS after warm-up at most +%d kB (%d -> max %d, +%d kB)" % (
            d, rss_bound, base, rss_max, rss_max - base))
        mid = t0 + (t_end - t0) / 2
        half = [row for row in load if float(row["t"]) >= mid]
        s = slope([float(row["t"]) for row in half], [int(row[r]) for row in half])
        grow = s * (t_end - mid)
        verdict(grow <= slope_bound, "%s RSS trend over the second half at most +%d kB (%+.0f kB, %d samples)" % (
            d, slope_bound, grow, len(half)))
        fd_quiet, fd_after = int(quiet[-1][f]), int(after[-1][f])
        fd_max = max(int(row[f]) for row in load)
        verdict(fd_after == fd_quiet, "%s descriptors back to the quiet count after the load (%d -> %d)" % (
            d, fd_quiet, fd_after))
        verdict(fd_max <= fd_quiet + 64, "%s descriptors under load at most quiet + 64 (max %d)" % (d, fd_max))
        cpu = float(after[-1][c]) - float(quiet[-1][c])
        span = float(after[-1]["t"]) - float(quiet[-1]["t"])
        table.append("%-6s %9s %9d %9s %9d | %5d %5s %5d %5d | %8.1f %5.1f%%" % (
            d, quiet[-1][r], base, after[-1][r], max(int(row[r]) for row in load), fd_quiet, wu[0][f], fd_max,
            fd_after, cpu, 100 * cpu / span if span else 0))
    print("\n".join(table))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
