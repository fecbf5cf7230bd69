#!/bin/sh
# test_kiosk_ui.sh - the kiosk driven by scripts, as a cashier would use it:
# a lunch rush of 50 elders with every kind of refusal, run headless (draw
# lists only) and again under a real X server (Xvfb) with screenshots at
# 1920x1080 and 1280x800.  Checks the screens and the database afterwards.
SUITE=test_kiosk_ui
. tests/lib.sh

# rush DB SCRIPT: writes the lunch-rush script for the demo database DB
rush() {
    db=$1; out=$2
    cards=$(sqlite3 "$db" "SELECT c.uid FROM card c JOIN elder e ON e.id = c.elder_id
        WHERE c.status = 'active' AND e.status = 'active' AND (c.valid_to IS NULL OR c.valid_to >= '2026-11-23')
        AND (c.valid_from IS NULL OR c.valid_from <= '2026-11-23') AND c.uid NOT LIKE '00000000%'
        ORDER BY c.uid LIMIT 40")
    {
        echo "now 2026-11-23 10:55"
        echo "expect-screen login"
        echo "tap op:c1"
        echo "type 1111"
        echo "key enter"
        echo "expect-screen shift_open"
        echo "type 300"
        echo "tap confirm"
        echo "expect-screen sell"
        n=0
        for c in $cards; do
            n=$((n + 1))
            echo "tap item:A$(( (n % 3) + 1 ))"
            echo "card $c"
            echo "expect-not 按原价继续"
            if [ $((n % 5)) -eq 0 ]; then
                echo "tap pay_mobile"; echo "card WX2026112300$n"
            else
                echo "tap pay_cash"; echo "tap tender:exact"
            fi
            echo "expect-screen done"
            echo "tap next"
        done
        # the refusals: each shows a clear message and lets the cashier go on at full price
        for r in "00000000A4 此卡已挂失" "00000000A5 此卡已停用" "00000000A6 此卡已过期" \
                 "00000000A7 补贴资格已暂停" "00000FFFFF 此卡未登记" "12345XYZ00 无法识别"; do
            set -- $r
            echo "tap item:A1"
            echo "card $1"
            echo "expect $2"
            echo "tap refusal:continue"
            echo "expect 请付 15.00 元"
            echo "tap pay_cash"; echo "tap tender:exact"; echo "expect-screen done"; echo "tap next"
        done
        # the daily limit: the first elder again
        echo "tap item:A1"; echo "card 00000000A1"; echo "expect 请付 10.00 元"
        echo "tap pay_cash"; echo "tap tender:20"; echo "expect 找零 10.00 元"; echo "tap confirm"; echo "tap next"
        echo "tap item:A1"; echo "card 00000000A1"; echo "expect 按原价继续"
        echo "tap refusal:continue"; echo "expect 请付 15.00 元"
        echo "tap pay_cash"; echo "tap tender:exact"; echo "tap next"
        # outside the meal windows
        echo "now 2026-11-23 14:30"
        echo "tap item:A1"; echo "card 00000000A2"; echo "expect 按原价继续"; echo "tap refusal:cancel"
        echo "tap clear"
        echo "tap shift_close"
        echo "tap op:s1"; echo "type 8888"; echo "key enter"
        echo "expect-screen shift_close"
    } >"$out"
    echo "$n"
}

# --- headless: the whole rush, then the database agrees ---
"$Z" init --db "$T/h.db" --demo --elders 400 --seed 11 2>/dev/null || bad "init"
n=$(rush "$T/h.db" "$T/rush.script")
[ "$n" -ge 30 ] && ok || bad "only $n usable cards in the demo roster"
if "$Z" kiosk --db "$T/h.db" --script "$T/rush.script" --headless >"$T/out" 2>"$T/err"; then ok; else
    bad "headless lunch rush: $(tail -5 "$T/err")"; fi
want=$((n + 6 + 2))
got=$(sqlite3 "$T/h.db" "SELECT count(*) FROM sale")
[ "$got" = "$want" ] && ok || bad "sales stored $got, expected $want"
got=$(sqlite3 "$T/h.db" "SELECT count(*) FROM sale WHERE pay_method = 'mobile' AND pay_ref LIKE 'WX%'")
[ "$got" = $((n / 5)) ] && ok || bad "mobile sales $got, expected $((n / 5))"
got=$(sqlite3 "$T/h.db" "SELECT count(*) FROM sale WHERE elder_id = 'E0000001' AND subsidy_fen > 0")
[ "$got" = 1 ] && ok || bad "E0000001 subsidised $got times in one day"
got=$(sqlite3 "$T/h.db" "SELECT sum(gross_fen) = sum(subsidy_fen) + sum(pay_fen) FROM sale")
[ "$got" = 1 ] && ok || bad "gross != subsidy + pay"
"$Z" verify --db "$T/h.db" >/dev/null 2>&1 && ok || bad "chain does not verify after the rush"
got=$(sqlite3 "$T/h.db" "SELECT count(*) FROM audit WHERE action = 'shift_open'")
[ "$got" = 1 ] && ok || bad "shift open not audited"

# --- make run's demo hands the centre its cards with their end dates, so the
# sync does not clear them and the expired demo card 00000000A6 stays refused ---
sql=$(awk '/sqlite3 -csv -header/ {on = 1; sub(/.*-header "\$DB" "/, ""); print; next}
           on && /" >"\$csv"/ {sub(/" >"\$csv".*/, ""); print; exit} on {print}' db/demo.sh)
sqlite3 -csv -header "$T/h.db" "$sql" >"$T/roster.csv" 2>"$T/err"
grep -q '00000000A6:active:2025-12-31' "$T/roster.csv" && ok || bad "demo roster hands the centre card A6 without its valid_to: $(grep E0000006 "$T/roster.csv") $(cat "$T/err")"

# --- a real X server: the same rush, with screenshots at two sizes ---
if command -v xvfb-run >/dev/null 2>&1; then
    for size in 1920x1080 1280x800; do
        "$Z" init --db "$T/x$size.db" --demo --elders 400 --seed 11 2>/dev/null
        rush "$T/x$size.db" "$T/x.script" >/dev/null
        sed -i "1i size $size" "$T/x.script"
        sed -i "s|^expect-screen shift_close$|expect-screen shift_close\nshot $T/close-$size.bmp|" "$T/x.script"
        sed -i "0,/^expect 请付 15.00 元$/s||expect 请付 15.00 元\nshot $T/sell-$size.bmp|" "$T/x.script"
        if xvfb-run -a -s "-screen 0 ${size}x24" "$Z" kiosk --db "$T/x$size.db" --windowed "$size" --software \
            --script "$T/x.script" >"$T/out" 2>"$T/err"; then ok; else
            bad "X11 lunch rush at $size: $(tail -5 "$T/err")"; fi
        for shot in sell close; do
            f="$T/$shot-$size.bmp"
            if [ -s "$f" ]; then
                # BMP header: width and height at offsets 18 and 22 (little-endian)
                w=$(od -An -tu4 -j18 -N4 "$f" | tr -d ' ')
                h=$(od -An -td4 -j22 -N4 "$f" | tr -d ' -')
                [ "$w" = "${size%x*}" ] && [ "$h" = "${size#*x}" ] && ok || bad "$shot screenshot is ${w}x$h, not $size"
            else
                bad "no $shot screenshot at $size"
            fi
        done
    done
    # full screen on a bare X server (no window manager to honour the
    # full-screen request): the window covers the screen and is not black
    printf 'now 2026-11-23 11:30\nexpect-screen login\nexpect 王芳\nshot %s\n' "$T/full.bmp" >"$T/full.script"
    xvfb-run -a -s "-screen 0 1280x800x24" sh -c "\"$Z\" kiosk --db \"$T/h.db\" --software --full-screen \
        --script \"$T/full.script\" >\"$T/out\" 2>\"$T/err\"; echo \$? >\"$T/rc\"
        \"$Z\" kiosk --db \"$T/h.db\" --software 2>/dev/null & p=\$!; sleep 3
        xwininfo -root -tree >\"$T/tree\" 2>&1; kill \$p; wait \$p"
    [ "$(cat "$T/rc")" = 0 ] && ok || bad "full-screen script: $(tail -3 "$T/err")"
    w=$(od -An -tu4 -j18 -N4 "$T/full.bmp" 2>/dev/null | tr -d ' ')
    h=$(od -An -td4 -j22 -N4 "$T/full.bmp" 2>/dev/null | tr -d ' -')
    [ "$w" = 1280 ] && [ "$h" = 800 ] && ok || bad "full-screen frame is ${w}x$h, not the screen's 1280x800"
    colours=$(od -An -tx1 -j54 -N200000 "$T/full.bmp" 2>/dev/null | tr -s ' ' '\n' | sort -u | wc -l)
    [ "$colours" -gt 4 ] && ok || bad "full-screen frame is blank ($colours byte values)"
    if command -v xwininfo >/dev/null 2>&1; then
        grep -q 'Zhucan.*1280x800+0+0' "$T/tree" && ok || bad "full-screen window on a bare X server: $(grep -i zhucan "$T/tree")"
    fi
    # no display: one clear line, not an SDL dump
    DISPLAY= "$Z" kiosk --db "$T/h.db" >"$T/out" 2>"$T/err"
    [ $? -eq 1 ] && [ "$(wc -l <"$T/err")" -le 2 ] && grep -q "DISPLAY" "$T/err" && ok || bad "no-display message: $(cat "$T/err")"
else
    bad "xvfb-run missing (make deps installs xvfb)"
fi

# --- the elder's screen: a second window, forced with --customer-window ---
# (Xvfb's extra screens are separate X screens; SDL counts them but cannot
# open a window there, so the test forces the window onto the one display)
customer_script() {
    cat <<EOF
now 2026-11-23 11:30
tap op:c1
type 1111
key enter
type 300
tap confirm
expect-customer 请刷卡
tap item:A1
card 00000000A1
expect-customer 请付 10.00 元
expect-customer 区级 5.00
customer-shot $1/cust-elder.bmp
tap pay_cash
tap tender:20
tap confirm
expect-customer ✓ 已付款
expect-customer 找零 10.00 元
customer-shot $1/cust-done.bmp
tap next
tap item:A1
card 00000000A4
expect-customer × 此卡已挂失
customer-shot $1/cust-refusal.bmp
EOF
}
"$Z" init --db "$T/c.db" --demo --elders 50 --seed 11 2>/dev/null
customer_script "$T" >"$T/cust.script"
if "$Z" kiosk --db "$T/c.db" --script "$T/cust.script" --headless --customer-window >"$T/out" 2>"$T/err"; then ok; else
    bad "customer display headless: $(tail -3 "$T/err")"; fi
if command -v xvfb-run >/dev/null 2>&1; then
    "$Z" init --db "$T/cx.db" --demo --elders 50 --seed 11 2>/dev/null
    if xvfb-run -a -s "-screen 0 1920x1080x24" "$Z" kiosk --db "$T/cx.db" --windowed 1920x1080 --software \
        --customer-window --customer-size 1280x800 --script "$T/cust.script" >"$T/out" 2>"$T/err"; then ok; else
        bad "customer display under X11: $(tail -3 "$T/err")"; fi
    for shot in elder done refusal; do
        f="$T/cust-$shot.bmp"
        w=$(od -An -tu4 -j18 -N4 "$f" 2>/dev/null | tr -d ' ')
        h=$(od -An -td4 -j22 -N4 "$f" 2>/dev/null | tr -d ' -')
        [ "$w" = 1280 ] && [ "$h" = 800 ] && ok || bad "customer $shot screenshot is ${w}x$h, not 1280x800"
    done
    # two X screens and no option: the till looks for a second display by
    # itself, finds it cannot use it, says so in one line and sells on
    xvfb-run -a -s "-screen 0 1280x800x24 -screen 1 1024x600x24" sh -c \
        "\"$Z\" kiosk --db \"$T/cx.db\" --windowed 1280x800 --software 2>\"$T/err2\" & p=\$!; sleep 2; kill \$p; wait \$p"
    grep -q "no customer display" "$T/err2" && ok || bad "two X screens: $(cat "$T/err2")"
fi

finish
