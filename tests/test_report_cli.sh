#!/bin/sh
# test_report_cli.sh - `zhucan report` end to end on a demo database: the CSV
# read back (BOM, header, fen and yuan agree, Chinese intact), the JSON
# checked with jq against sqlite3 on the same file, refusals and usage.
SUITE=test_report_cli
. tests/lib.sh
DB="$T/t.db"
sql() { sqlite3 "$DB" "$1"; }

# a day and a half of sales: lunch and dinner, cash and mobile, a void, a walk-in
"$Z" init --db "$DB" --demo --elders 50 --seed 3 >/dev/null 2>&1 || bad "init"
sell() { "$Z" sell --db "$DB" --operator c1 "$@" 2>/dev/null; }
for c in 00000000A1 00000000A2 00000000A3; do sell --card $c --items A1,S1 --at "2026-11-02 11:30" >/dev/null; done
sell --items A2 --at "2026-11-02 11:40" >/dev/null
sell --card 00000000A1 --items A2 --pay mobile --ref WX1 --at "2026-11-02 17:30" >/dev/null
V=$(sell --card 00000000A2 --items A1 --at "2026-11-02 17:35")
sell --card 00000000A1 --items A1 --at "2026-11-03 11:30" >/dev/null
"$Z" void --db "$DB" --sale "$V" --operator s1 --reason "点错菜品" >/dev/null 2>&1 || bad "void"
check "sales made" "$(sql "SELECT count(*) FROM sale")" 7

# --- daily, JSON against SQL ---
expect_exit 0 "daily json" "$Z" report daily --db "$DB" --date 2026-11-02 --format json
D="date = '2026-11-02'"
j() { jq -r "$1" "$T/out"; }
check "meals" "$(j .total.meals)" "$(sql "SELECT count(*) FROM sale WHERE local_$D AND status='done'")"
check "voids" "$(j .total.voids)" 1
check "gross" "$(j .total.gross_fen)" "$(sql "SELECT sum(gross_fen) FROM sale WHERE local_$D AND status='done'")"
check "subsidy" "$(j .total.subsidy_fen)" "$(sql "SELECT sum(subsidy_fen) FROM sale WHERE local_$D AND status='done'")"
check "mobile" "$(j .total.mobile_fen)" "$(sql "SELECT sum(pay_fen) FROM sale WHERE local_$D AND status='done' AND pay_method='mobile'")"
check "periods" "$(j '[.by_period[].key] | join(",")')" "lunch,dinner"
check "period name" "$(j '.by_period[0].name')" "午餐"
check "dinner void" "$(j '.by_period[1].voids')" 1
check "source" "$(j '.by_source[0].key + " " + .by_source[0].name')" "district 区级"
check "source sum" "$(j '[.by_source[].subsidy_fen] | add')" "$(j .total.subsidy_fen)"
check "rule" "$(j '.by_rule[0].key')" "$(sql "SELECT DISTINCT rule_id FROM sale_subsidy")"
check "last seq" "$(j .last_seq)" 6

# --- daily and monthly CSV read back ---
expect_exit 0 "daily csv" "$Z" report daily --db "$DB" --date 2026-11-02 --format csv
check "BOM" "$(head -c 3 "$T/out" | od -An -tx1 | tr -d ' ')" "efbbbf"
check "CRLF" "$(grep -c "$(printf '\r')\$" "$T/out")" "$(wc -l <"$T/out")"
tr -d '\r' <"$T/out" | tail -c +4 >"$T/csv"
check "header" "$(head -1 "$T/csv")" "分组,项目,名称,餐数,作废,合计(分),合计(元),补贴(分),补贴(元),现金(分),现金(元),移动支付(分),移动支付(元)"
check "lunch row" "$(grep -c '^餐次,lunch,午餐,' "$T/csv")" 1
# every amount: the yuan column is the fen column / 100, two decimals, a dot
badmoney=$(awk -F, 'NR > 1 { for (i = 6; i <= 13; i += 2) if (sprintf("%d.%02d", int($i / 100), $i % 100) != $(i + 1)) print NR ": " $i " vs " $(i + 1) }' "$T/csv")
check "fen and yuan agree" "$badmoney" ""
check "csv total = json" "$(awk -F, '$1 == "合计" { print $6 }' "$T/csv")" "$(sql "SELECT sum(gross_fen) FROM sale WHERE local_$D AND status='done'")"
expect_exit 0 "monthly csv" "$Z" report monthly --db "$DB" --month 2026-11 --format csv
tr -d '\r' <"$T/out" | tail -c +4 >"$T/csv"
check "month days" "$(grep -c '^日期,' "$T/csv")" 30
check "month meals" "$(awk -F, '$1 == "日期" { s += $4 } END { print s }' "$T/csv")" "$(sql "SELECT count(*) FROM sale WHERE status='done'")"
expect_exit 0 "range json" "$Z" report daily --db "$DB" --from 2026-11-02 --to 2026-11-03 --format json
check "range days" "$(j '.by_day | length')" 2
check "range day 2" "$(j '.by_day[1].meals')" 1

# --- the ledger ---
expect_exit 0 "ledger csv" "$Z" report ledger --db "$DB" --date 2026-11-02 --format csv
tr -d '\r' <"$T/out" | tail -c +4 >"$T/csv"
check "ledger lines" "$(($(wc -l <"$T/csv") - 1))" "$(sql "SELECT count(*) FROM sale_subsidy p JOIN sale s ON s.id = p.sale_id WHERE s.local_$D AND s.status='done'")"
check "ledger masked" "$(grep -c ',E0000001,张\*英,' "$T/csv")" "$(sql "SELECT count(*) FROM sale_subsidy p JOIN sale s ON s.id = p.sale_id WHERE s.local_$D AND s.status='done' AND s.elder_id='E0000001'")"
check "ledger no full name" "$(grep -c '张桂英' "$T/csv")" 0
check "ledger fen/yuan" "$(awk -F, 'NR > 1 && sprintf("%d.%02d", int($9 / 100), $9 % 100) != $10' "$T/csv")" ""
expect_exit 0 "ledger json" "$Z" report ledger --db "$DB" --month 2026-11 --format json
check "ledger total" "$(j .total_fen)" "$(sql "SELECT sum(subsidy_fen) FROM sale WHERE status='done'")"
check "ledger count" "$(j '.lines | length')" "$(j .count)"

# --- unsent, with a sale the centre refused ---
sql "UPDATE outbox SET sent_utc = 1 WHERE id <= 3; UPDATE outbox SET held = 'rejected', last_error = 'hash mismatch at seq 4' WHERE id = 4"
expect_exit 0 "unsent json" "$Z" report unsent --db "$DB" --format json
check "unsent count" "$(j .count)" "$(sql "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")"
check "unsent held" "$(j .held)" 1
check "unsent reason" "$(j '.rows[] | select(.state == "rejected") | .reason')" "hash mismatch at seq 4"
check "unsent void listed" "$(j '[.rows[] | select(.kind == "void")] | length')" 1
expect_exit 0 "unsent text" "$Z" report unsent --db "$DB"
grep -q "被中心拒收: hash mismatch" "$T/out" && ok || bad "unsent text lacks the reason"

# --- shift ---
expect_exit 1 "no shift" "$Z" report shift --db "$DB"
grep -q "no shift" "$T/err" && ok || bad "no shift: $(cat "$T/err")"

# --- usage ---
expect_exit 0 "help" "$Z" report --help
expect_exit 2 "no kind" "$Z" report --db "$DB"
expect_exit 2 "bad kind" "$Z" report weekly --db "$DB"
expect_exit 2 "bad format" "$Z" report daily --db "$DB" --format xml
expect_exit 2 "bad date" "$Z" report daily --db "$DB" --date 2026-13-01
expect_exit 2 "from without to" "$Z" report daily --db "$DB" --from 2026-11-01
expect_exit 1 "reversed" "$Z" report daily --db "$DB" --from 2026-11-03 --to 2026-11-01
grep -q "before" "$T/err" && ok || bad "reversed: $(cat "$T/err")"

finish
