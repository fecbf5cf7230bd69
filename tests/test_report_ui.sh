#!/bin/sh
# test_report_ui.sh - the kiosk's 报表 screen driven by a script, headless and
# under Xvfb at 1920x1080 and 1280x800: a supervisor opens the reports from
# a cashier's till, looks at the day and the month, and exports them to a
# folder; the CSV files written are read back and set beside `zhucan report`.
SUITE=test_report_ui
. tests/lib.sh

# a demo canteen with lunch and dinner sales on two days of November
mkdb() {
    "$Z" init --db "$1" --demo --elders 50 --seed 4 >/dev/null 2>&1 || bad "init $1"
    for d in 18 20; do
        for c in 00000000A1 00000000A2 00000000A3; do
            "$Z" sell --db "$1" --card $c --items A1 --operator c1 --at "2026-11-$d 11:30" >/dev/null 2>&1
        done
        "$Z" sell --db "$1" --card 00000000A2 --items A2 --operator c1 --pay mobile --ref WX$d \
            --at "2026-11-$d 17:30" >/dev/null 2>&1
    done
    "$Z" config set --db "$1" export_dir "$2" >/dev/null || bad "config export_dir"
}

# script OUT_DIR [SHOT_PREFIX]: the supervisor's walk through the screen
script() {
    cat <<EOF
now 2026-11-20 18:30
tap op:c1
type 1111
key enter
type 100
tap confirm
expect-screen sell
tap reports
expect-screen login
tap op:s1
type 8888
key enter
expect-screen report
expect 2026-11-20
expect 用餐 4 笔
expect 各餐次用餐与补贴
${2:+shot $2-day.bmp}
tap export
expect-screen export
expect $1
tap dir:0
expect 导出成功，已写入 2 个文件
expect zhucan-T-0001-ledger-2026-11-20.csv
tap back
tap view:month
expect 2026-11
expect 用餐 8 笔
expect 每日用餐与补贴
${2:+shot $2-month.bmp}
tap export
tap dir:0
expect 导出成功，已写入 2 个文件
tap back
tap back
expect-screen sell
EOF
}

# csvcheck DIR DB: the exported files against `zhucan report` on the same DB
csvcheck() {
    f="$1/zhucan-T-0001-daily-2026-11-20.csv"
    [ -s "$f" ] && ok || { bad "missing $f"; return; }
    check "BOM" "$(head -c 3 "$f" | od -An -tx1 | tr -d ' ')" "efbbbf"
    "$Z" report daily --db "$2" --date 2026-11-20 --format csv >"$T/cli.csv"
    cmp -s "$f" "$T/cli.csv" && ok || bad "exported daily CSV differs from zhucan report"
    m="$1/zhucan-T-0001-monthly-2026-11.csv"
    check "month meals" "$(tr -d '\r' <"$m" | awk -F, '$1 == "合计" { print $4 }')" 8
    l="$1/zhucan-T-0001-ledger-2026-11.csv"
    check "ledger lines" "$(($(wc -l <"$l") - 1))" \
        "$(sqlite3 "$2" "SELECT count(*) FROM sale_subsidy p JOIN sale s ON s.id = p.sale_id WHERE s.status='done'")"
    grep -q '张\*英' "$l" && ok || bad "ledger lacks the masked name"
    check "no temporary files" "$(ls -A "$1" | grep -c '^\.')" 0
}

# --- headless ---
mkdir -p "$T/h-usb"
mkdb "$T/h.db" "$T/h-usb"
script "$T/h-usb" >"$T/h.script"
if "$Z" kiosk --db "$T/h.db" --script "$T/h.script" --headless >"$T/out" 2>"$T/err"; then ok; else
    bad "headless: $(tail -5 "$T/err")"; fi
csvcheck "$T/h-usb" "$T/h.db"

# --- a real X server at two sizes, with screenshots ---
if command -v xvfb-run >/dev/null 2>&1; then
    for size in 1920x1080 1280x800; do
        mkdir -p "$T/x-usb-$size"
        mkdb "$T/x$size.db" "$T/x-usb-$size"
        script "$T/x-usb-$size" "$T/$size" >"$T/x.script"
        if xvfb-run -a -s "-screen 0 ${size}x24" "$Z" kiosk --db "$T/x$size.db" --windowed "$size" --software \
            --script "$T/x.script" >"$T/out" 2>"$T/err"; then ok; else
            bad "X11 at $size: $(tail -5 "$T/err")"; fi
        for shot in day month; do
            f="$T/$size-$shot.bmp"
            w=$(od -An -tu4 -j18 -N4 "$f" 2>/dev/null | tr -d ' ')
            h=$(od -An -td4 -j22 -N4 "$f" 2>/dev/null | tr -d ' -')
            check "$shot screenshot size" "${w}x$h" "$size"
        done
        csvcheck "$T/x-usb-$size" "$T/x$size.db"
    done
else
    bad "xvfb-run missing (make deps installs xvfb)"
fi

finish
