#!/bin/sh
# run.sh - runs every test binary and script; prints one closing line.
# BUILD (default build) names the build directory; FILTER runs only matching suites.
BUILD=${BUILD:-build}
export BUILD
total_pass=0
total_fail=0
failed_suites=""
for t in "$BUILD"/tests/test_* tests/test_*.sh; do
    [ -f "$t" ] || continue
    case "$t" in *.d) continue ;; esac
    if [ -n "$FILTER" ]; then case "$t" in *"$FILTER"*) ;; *) continue ;; esac; fi
    case "$t" in
    *.sh) out=$(sh "$t" 2>&1) ;;
    *) [ -x "$t" ] || continue; out=$("$t" 2>&1) ;;
    esac
    status=$?
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
    if [ "$f" -ne 0 ]; then
        printf '%s\n' "$out" | grep -E 'FAIL|ERROR|error|Sanitizer' | head -40
        failed_suites="$failed_suites $t"
    fi
    echo "$line"
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
done
echo "all: $total_pass passed, $total_fail failed${failed_suites:+ (in$failed_suites)}"
[ "$total_fail" -eq 0 ]
