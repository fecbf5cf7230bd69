#!/bin/sh
# run.sh - runs every test binary and script; prints one closing line.
# BUILD (default build) names the build directory; FILTER runs only the suites
# whose path contains it, FILTER_ANY (space-separated) those containing any
# of its words.  Each suite has SUITE_TIMEOUT seconds (default 1200): a hang
# fails that suite instead of stalling the run.  Each suite's closing line is
# followed by the seconds it took.  A suite fails when its binary was not
# built, when it prints no closing line, exits non-zero, or checks nothing
# ("0 passed, 0 failed": a skip is not a pass).
BUILD=${BUILD:-build}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-1200}
export BUILD
total_pass=0
total_fail=0
failed_suites=""
for src in tests/test_*.c tests/test_*.sh; do
    [ -f "$src" ] || continue
    case "$src" in
    *.c) t="$BUILD/tests/$(basename "$src" .c)" ;;
    *) t=$src ;;
    esac
    if [ -n "$FILTER" ]; then case "$t" in *"$FILTER"*) ;; *) continue ;; esac; fi
    if [ -n "$FILTER_ANY" ]; then
        hit=
        for w in $FILTER_ANY; do case "$t" in *"$w"*) hit=1 ;; esac; done
        [ -n "$hit" ] || continue
    fi
    t0=$(date +%s)
    case "$t" in
    *.sh) out=$(timeout -k 10 "$SUITE_TIMEOUT" sh "$t" 2>&1) ;;
    *) if [ -x "$t" ]; then out=$(timeout -k 10 "$SUITE_TIMEOUT" "$t" 2>&1); else out="$t was not built"; false; fi ;;
    esac
    status=$?
    secs=$(($(date +%s) - t0))
    [ "$status" -eq 124 ] && out="$out
$t: timed out after $SUITE_TIMEOUT s"
    line=$(printf '%s\n' "$out" | grep -E '^[A-Za-z0-9_]+: [0-9]+ passed, [0-9]+ failed$' | tail -1)
    if [ -z "$line" ]; then
        printf '%s\n' "$out" | tail -20
        echo "$t: no closing line (exit $status)"
        total_fail=$((total_fail + 1))
        failed_suites="$failed_suites $t"
        continue
    fi
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed$/\1/')
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
        echo "$t: checked nothing (0 passed, 0 failed counts as a failure)"
        f=1
    fi
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error|Sanitizer' | head -40
        failed_suites="$failed_suites $t"
    fi
    echo "$line ($secs s)"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done
echo "all: $total_pass passed, $total_fail failed${failed_suites:+ (in$failed_suites)}"
[ "$total_fail" -eq 0 ]
