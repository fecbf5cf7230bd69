#!/bin/sh
# test_fuzz.sh - the libFuzzer targets (tests/fuzz/fuzz_*.c): builds them
# with clang into build/fuzz (ASan + UBSan), replays every seed in
# tests/fuzz/<target>/ and every past crash in tests/fuzz/regress/<target>/,
# then fuzzes each target (with tests/fuzz/<target>.dict) for FUZZ_SECONDS (15 by default; `make fuzz` sets
# 60).  The sanitizer suite (BUILD other than build) replays only: the
# fuzzers are sanitizer builds already, the timed pass runs once.
# Prints executions per target and closes with the count of targets clean.
# Without clang or its fuzzer runtime this FAILS: a missing fuzzer must not
# look like a clean one.  A crash input is kept in build/fuzz/crashes/.
SUITE=test_fuzz
. tests/lib.sh
F=build/fuzz
if [ "$BUILD" = build ]; then SECONDS_EACH=${FUZZ_SECONDS:-15}; else SECONDS_EACH=${FUZZ_SECONDS:-0}; fi

if ! command -v clang >/dev/null 2>&1; then
    bad "clang is not installed: run make deps (clang, libclang-rt-14-dev)"
    finish
fi
rt=$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a 2>/dev/null)
if [ ! -f "$rt" ] && ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    bad "clang's libFuzzer runtime is missing: install libclang-rt-14-dev (make deps)"
    finish
fi
if [ -z "$FUZZ_BUILT" ] && ! make -s fuzz-build >"$T/build.log" 2>&1; then
    tail -20 "$T/build.log" >&2
    bad "building the fuzzers (make fuzz-build)"
    finish
fi

mkdir -p "$F/crashes"
for src in tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c)
    t=${name#fuzz_}
    bin="$F/$name"
    if [ ! -x "$bin" ]; then
        echo "  FAIL $t: $bin was not built" >&2
        fail=$((fail + 1))
        continue
    fi
    dirs="tests/fuzz/$t"
    [ -d "tests/fuzz/regress/$t" ] && dirs="$dirs tests/fuzz/regress/$t"
    # every seed and past crash, one by one
    files=$(find $dirs -type f | sort)
    nfiles=$(printf '%s\n' "$files" | grep -c .)
    if [ "$nfiles" -eq 0 ]; then
        echo "  FAIL $t: no seed inputs in tests/fuzz/$t" >&2
        fail=$((fail + 1))
        continue
    fi
    # shellcheck disable=SC2086
    if ! "$bin" -timeout=10 $files >"$T/$t.replay" 2>&1; then
        grep -E 'ERROR|runtime error|Running:|SUMMARY' "$T/$t.replay" | head -8 >&2
        echo "  FAIL $t: a corpus or regression input crashes" >&2
        fail=$((fail + 1))
        continue
    fi
    if [ "$SECONDS_EACH" -le 0 ]; then
        echo "fuzz $t: replayed $nfiles inputs clean (no timed run in this suite)"
        pass=$((pass + 1))
        continue
    fi
    mkdir -p "$T/corpus/$t"
    dict=""
    [ -f "tests/fuzz/$t.dict" ] && dict="-dict=tests/fuzz/$t.dict"
    # shellcheck disable=SC2086
    "$bin" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 $dict \
        -artifact_prefix="$F/crashes/$t-" "$T/corpus/$t" $dirs >"$T/$t.log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$T/$t.log" | tail -1)
    if grep -q 'Test unit written' "$T/$t.log"; then
        grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$T/$t.log" | head -8 >&2
        echo "  FAIL $t: the fuzzer found a crash (exit $rc); fix it, then add the input under" \
             "tests/fuzz/regress/$t/ and a unit test" >&2
        fail=$((fail + 1))
        continue
    fi
    if [ "$rc" -ne 0 ] || [ -z "$runs" ]; then
        tail -5 "$T/$t.log" >&2
        echo "  FAIL $t: the fuzzer did not run (exit $rc)" >&2
        fail=$((fail + 1))
        continue
    fi
    echo "fuzz $t: $runs executions in ${SECONDS_EACH}s, 0 crashes ($nfiles seed and regression inputs replayed)"
    pass=$((pass + 1))
done
finish
