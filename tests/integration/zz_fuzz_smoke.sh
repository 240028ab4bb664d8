#!/bin/bash
# SPDX-License-Identifier: MIT
# Build every libFuzzer target (tests/fuzz/) and run each one briefly, so a
# parser change that crashes on odd input fails `make check`: first every
# committed seed (tests/fuzz/corpus/NAME, from real traffic: corpus-build),
# then FUZZ_SECONDS (5) of mutation from them. Longer runs:
#   make fuzz FUZZ_SECONDS=600
. "$(dirname "$0")/../lib.sh"
need_cmd clang
# clang without its runtime package links no fuzzer: skip, as for a missing tool
printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }\n' |
	clang -fsanitize=fuzzer -x c - -o "$T_TMP/probe" 2>/dev/null ||
	{ skip "fuzz-smoke: needs libclang-rt-dev (libFuzzer)"; t_exit 77; }
if [ -n "${SANITIZE:-}" ] || grep -q fsanitize "$BUILD_DIR/.build-flags" 2>/dev/null; then
	skip "fuzz-smoke: already covered by the first make check pass"
	t_exit 77
fi
secs=${FUZZ_SECONDS:-5}
cd "$TOP" || exit 1
if ! make -s -j2 BUILD="$BUILD" fuzz >"$T_TMP/build.log" 2>&1; then
	fail "fuzz-build: $(tail -5 "$T_TMP/build.log")"
	t_done
fi
# smoke TARGET: its PASS/FAIL lines, into $T_TMP/NAME.result
smoke() {
	local f=$1 name seeds
	name=$(basename "$f")
	seeds=$TOP/tests/fuzz/corpus/${name#fuzz-}
	{
		if [ -d "$seeds" ]; then # every committed seed once: a regression pass
			if "$f" -runs=0 -rss_limit_mb=1024 -artifact_prefix="$T_TMP/$name-" "$seeds" >"$T_TMP/$name.seeds.log" 2>&1; then
				pass "$name: the $(find "$seeds" -type f | wc -l) seeds of tests/fuzz/corpus"
			else
				fail "$name seeds: $(grep -E 'ERROR|SUMMARY|Test unit written' "$T_TMP/$name.seeds.log" | head -3)"
			fi
		fi
		mkdir -p "$T_TMP/corpus-$name"
		if "$f" -max_total_time="$secs" -rss_limit_mb=1024 -artifact_prefix="$T_TMP/$name-" \
			"$T_TMP/corpus-$name" ${seeds:+$([ -d "$seeds" ] && echo "$seeds")} >"$T_TMP/$name.log" 2>&1; then
			pass "$name ($(grep -oE 'Done [0-9]+ runs' "$T_TMP/$name.log"))"
		else
			fail "$name: $(grep -E 'ERROR|SUMMARY|Test unit written' "$T_TMP/$name.log" | head -3)"
		fi
	} >"$T_TMP/$name.result"
}
# Two targets at a time (make check's machine has two cores, and this
# last script runs alone): the 15 targets' 5 s each in about 40 s.
lanes=${FUZZ_LANES:-2}
running=0
for f in "$BUILD_DIR"/fuzz/fuzz-*; do
	[ -x "$f" ] || continue
	if [ "$running" -ge "$lanes" ]; then
		wait -n
		running=$((running - 1))
	fi
	smoke "$f" &
	running=$((running + 1))
done
wait
for f in "$BUILD_DIR"/fuzz/fuzz-*; do
	[ -x "$f" ] || continue
	r=$T_TMP/$(basename "$f").result
	[ -s "$r" ] || { fail "$(basename "$f"): no result"; continue; }
	cat "$r"
	T_FAILS=$((T_FAILS + $(grep -c '^FAIL' "$r")))
done
t_done
