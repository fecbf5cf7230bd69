#!/bin/sh
# bench.sh - runs every benchmark binary from the repo root.
BUILD=${BUILD:-build}
for b in "$BUILD"/tests/bench_*; do
    case "$b" in *.d) continue ;; esac
    [ -x "$b" ] || continue
    echo "== $b"
    "$b" || exit 1
done
