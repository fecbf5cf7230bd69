#!/bin/sh
# test_layers.sh - the terminal's SQL stays in app/store: nothing under
# app/sync, app/ui, app/cli or app/till includes <sqlite3.h>, calls sqlite3_*
# or takes the raw handle (store/store_raw.h, store_db).  One pass per
# directory; a failure names the first offending file:line.
#
# Closing line: "test_layers: N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
SUITE=test_layers
pass=0
fail=0
for dir in app/sync app/ui app/cli app/till; do
    hit=$(grep -rnE 'sqlite3|store_raw\.h|store_db\(' "$dir" --include='*.c' --include='*.h' | head -1)
    if [ -z "$hit" ]; then
        pass=$((pass + 1))
    else
        echo "  FAIL $dir reaches SQLite outside app/store: $hit (add a store function instead)"
        fail=$((fail + 1))
    fi
done
echo "$SUITE: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
