#!/bin/sh
# bench.sh - `make bench`: every benchmark, with a 1-million-elder roster
# (ELDERS=N for a quicker run).  Prints one line per figure.
BUILD=${BUILD:-build}
ELDERS=${ELDERS:-1000000}
export ELDERS
for b in "$BUILD"/tests/bench_*; do
    case "$b" in *.d) continue ;; esac
    [ -x "$b" ] || continue
    echo "== $b"
    "$b" || exit 1
done

# the kiosk: card burst -> elder panel on screen, cold start, idle CPU, memory
echo "== kiosk (software renderer, 1920x1080, $ELDERS elders)"
T=$(mktemp -d /tmp/zhucan-kbench.XXXXXX)
trap 'rm -rf "$T"' EXIT
t0=$(date +%s.%N)
"$BUILD/zhucan" init --db "$T/k.db" --demo --elders "$ELDERS" --seed 1 2>/dev/null || exit 1
t1=$(date +%s.%N)
echo "demo fill: $ELDERS elders in $(echo "$t1 - $t0" | bc) s"
printf 'now 2026-11-23 11:00\ntap op:c1\ntype 1111\nkey enter\ntype 100\ntap confirm\ntap item:A1\n' >"$T/login"
xvfb-run -a -s "-screen 0 1920x1080x24" "$BUILD/zhucan" kiosk --db "$T/k.db" --windowed 1920x1080 --software \
    --script "$T/login" --bench --bench-idle 10 2>&1 | grep '^bench:'
