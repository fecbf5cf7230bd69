#!/bin/sh
# test_valgrind.sh - the kiosk's scripted lunch rush (as in test_kiosk_ui.sh,
# headless) under valgrind's memcheck: no invalid read or write, no use of
# uninitialised memory, no definite leak.  The whole rush (40 elders, every
# refusal, a void with a supervisor's PIN, the shift close) takes a few
# seconds headless, so CI runs all of it.  Without valgrind this FAILS
# rather than skip.
SUITE=test_valgrind
. tests/lib.sh

if ! command -v valgrind >/dev/null 2>&1; then
    bad "valgrind is not installed: run make deps"
    finish
fi
case "$BUILD" in
*asan*) # ASan and valgrind cannot share a process: memcheck takes the plain build's binary
    Z="$PWD/build/zhucan"
    if [ ! -x "$Z" ]; then
        echo "(no plain build/zhucan next to the ASan build: memcheck runs in make test)"
        finish
    fi ;;
esac
ELDERS=40

"$Z" init --db "$T/v.db" --demo --elders 400 --seed 11 >/dev/null 2>&1 && ok || bad "init"
cards=$(sqlite3 "$T/v.db" "SELECT c.uid FROM card c JOIN elder e ON e.id = c.elder_id
    WHERE c.status = 'active' AND e.status = 'active' AND (c.valid_to IS NULL OR c.valid_to >= '2026-11-23')
    AND (c.valid_from IS NULL OR c.valid_from <= '2026-11-23') AND c.uid NOT LIKE '00000000%'
    ORDER BY c.uid LIMIT $ELDERS")
n=0
{
    printf 'now 2026-11-23 10:55\ntap op:c1\ntype 1111\nkey enter\nexpect-screen shift_open\n'
    printf 'type 300\ntap confirm\nexpect-screen sell\n'
    for c in $cards; do
        n=$((n + 1))
        echo "tap item:A$(( (n % 3) + 1 ))"
        echo "card $c"
        if [ $((n % 5)) -eq 0 ]; then
            echo "tap pay_mobile"; echo "card WX2026112300$n"
        else
            echo "tap pay_cash"; echo "tap tender:exact"
        fi
        echo "expect-screen done"
        echo "tap next"
    done
    for r in "00000000A4 此卡已挂失" "00000000A5 此卡已停用" "00000000A6 此卡已过期" \
             "00000000A7 补贴资格已暂停" "00000FFFFF 此卡未登记" "12345XYZ00 无法识别"; do
        set -- $r
        echo "tap item:A1"; echo "card $1"; echo "expect $2"; echo "tap refusal:continue"
        echo "tap pay_cash"; echo "tap tender:exact"; echo "expect-screen done"; echo "tap next"
    done
    # a void approved by the supervisor, then the shift's Z report
    printf 'tap recent\ntap sale:0\ntap void\ntap op:s1\ntype 8888\nkey enter\n'
    printf 'expect-screen void_reason\ntap reason:0\ntap void:confirm\nexpect-screen recent\ntap back\n'
    printf 'tap shift_close\ntap op:s1\ntype 8888\nkey enter\ntype 300\ntap confirm\nexpect-screen zreport\n'
} >"$T/rush.script"
[ "$n" -eq "$ELDERS" ] && ok || bad "only $n usable cards in the demo roster"

valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    -q "$Z" kiosk --db "$T/v.db" --script "$T/rush.script" --headless >"$T/out" 2>"$T/err"
rc=$?
case $rc in
0) ok ;;
99) bad "valgrind found errors: $(grep -m8 '==' "$T/err")" ;;
*) bad "the rush failed (exit $rc): $(tail -5 "$T/err")" ;;
esac
got=$(sqlite3 "$T/v.db" "SELECT count(*) FROM sale")
[ "$got" -eq $((ELDERS + 6)) ] && ok || bad "$got sales, expected $((ELDERS + 6))"
[ "$(sqlite3 "$T/v.db" "SELECT count(*) FROM sale WHERE status = 'voided'")" = 1 ] && ok || bad "the void"
"$Z" verify --db "$T/v.db" >/dev/null 2>&1 && ok || bad "verify after the rush"
echo "valgrind: lunch rush of $ELDERS elders + 6 refusals + a void + shift close, memcheck clean"
finish
