#!/bin/sh
# test_cli.sh - the command-line contract, end to end, on a real demo database.
# Fixture elders and cards are listed in docs/demo.md.
SUITE=test_cli
. tests/lib.sh
DB="$T/t.db"

# --- usage and help ---
expect_exit 0 "help" "$Z" --help
expect_exit 2 "no command" "$Z"
expect_exit 2 "unknown command" "$Z" frobnicate
for c in init import-roster policy quote sell void verify config qr kiosk sync; do
    expect_exit 0 "$c --help" "$Z" "$c" --help
done
expect_exit 2 "unknown option" "$Z" quote --db "$DB" --items A1 --bogus
expect_exit 2 "missing db" "$Z" quote --items A1

# --- init ---
expect_exit 0 "init demo" "$Z" init --db "$DB" --demo --elders 300 --seed 7
expect_exit 1 "init refuses existing" "$Z" init --db "$DB" --demo
expect_err "init refuses existing" "already exists"
mode=$(stat -c %a "$DB")
[ "$mode" = 600 ] && ok || bad "database mode is $mode, expected 600"
expect_exit 0 "verify empty" "$Z" verify --db "$DB"

# --- quotes under the Beijing policy (docs/demo.md fixtures) ---
LUNCH="2026-11-23 11:30"
expect_exit 0 "quote eligible lunch" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "$LUNCH"
expect_json "eligible gross" .gross_fen 1500
expect_json "eligible subsidy" .subsidy_fen 500
expect_json "eligible pay" .pay_fen 1000
expect_json "eligible period" .meal_period lunch
expect_json "eligible part source" '.parts[0].source' district
expect_json "eligible part fen" '.parts[0].fen' 500
expect_json "masked name" '.elder.name_masked | test("\\*")' true
expect_exit 0 "quote breakfast" "$Z" quote --db "$DB" --card 00000000A1 --items B1 --at "2026-11-23 07:30"
expect_json "breakfast no subsidy" .subsidy_fen 0
expect_json "breakfast reason" '[.refusals[].reason] | index("period_not_covered") != null' true
expect_exit 0 "quote public" "$Z" quote --db "$DB" --items A1,S1x2 --at "$LUNCH"
expect_json "public pays gross" '.pay_fen == .gross_fen' true
expect_exit 0 "quote period override" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "2026-11-23 15:00" --period dinner
expect_json "override period" .meal_period dinner
expect_json "override subsidy" .subsidy_fen 500

# refusals: lost, blocked, expired cards, suspended elder, unknown and malformed cards
expect_exit 1 "lost card" "$Z" quote --db "$DB" --card 00000000A4 --items A1 --at "$LUNCH"
expect_err "lost card" "card_lost"
expect_exit 1 "blocked card" "$Z" quote --db "$DB" --card 00000000A5 --items A1 --at "$LUNCH"
expect_err "blocked card" "card_blocked"
expect_exit 1 "expired card" "$Z" quote --db "$DB" --card 00000000A6 --items A1 --at "$LUNCH"
expect_err "expired card" "card_expired"
expect_exit 1 "suspended elder" "$Z" quote --db "$DB" --card 00000000A7 --items A1 --at "$LUNCH"
expect_err "suspended elder" "elder_suspended"
expect_exit 1 "unknown card" "$Z" quote --db "$DB" --card 00000FFFFF --items A1 --at "$LUNCH"
expect_err "unknown card" "not registered"
expect_exit 1 "malformed card" "$Z" quote --db "$DB" --card 12345 --items A1 --at "$LUNCH"
expect_exit 1 "unknown item" "$Z" quote --db "$DB" --card 00000000A1 --items ZZ9 --at "$LUNCH"
expect_err "unknown item" "ZZ9"
expect_exit 1 "bad quantity" "$Z" quote --db "$DB" --card 00000000A1 --items A1x0 --at "$LUNCH"
expect_exit 2 "bad time" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "2026-13-01 11:00"

# --- sell: counts toward limits; void gives the meal back ---
expect_exit 2 "mobile needs ref" "$Z" sell --db "$DB" --card 00000000A1 --items A1 --operator c1 --pay mobile --at "$LUNCH"
expect_exit 1 "unknown operator" "$Z" sell --db "$DB" --card 00000000A1 --items A1 --operator nobody --at "$LUNCH"
expect_exit 0 "sell" "$Z" sell --db "$DB" --card 00000000A1 --items A1 --operator c1 --pay cash --tendered 20 --at "$LUNCH"
SALE=$(cat "$T/out")
echo "$SALE" | grep -Eq '^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$' && ok || bad "sale id '$SALE' is not a UUID"
n=$(sqlite3 "$DB" "SELECT count(*) FROM sale WHERE id='$SALE' AND subsidy_fen=500 AND pay_fen=1000")
[ "$n" = 1 ] && ok || bad "sale row not stored with its amounts ($n)"
n=$(sqlite3 "$DB" "SELECT count(*) FROM outbox WHERE sale_id='$SALE'")
[ "$n" -ge 1 ] && ok || bad "sale has no outbox row"
expect_exit 0 "quote after sale" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "2026-11-23 17:00"
expect_json "daily limit used" .subsidy_fen 0
expect_json "daily limit reason" '[.refusals[].reason] | index("limit_day") != null' true
expect_exit 0 "quote next day" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "2026-11-24 11:00"
expect_json "next day subsidy" .subsidy_fen 500
expect_exit 1 "cashier cannot void" "$Z" void --db "$DB" --sale "$SALE" --operator c1 --reason "wrong dish"
expect_exit 0 "supervisor voids" "$Z" void --db "$DB" --sale "$SALE" --operator s1 --reason "wrong dish"
expect_exit 0 "quote after void" "$Z" quote --db "$DB" --card 00000000A1 --items A1 --at "2026-11-23 17:00"
expect_json "void gives meal back" .subsidy_fen 500
expect_exit 1 "void twice" "$Z" void --db "$DB" --sale "$SALE" --operator s1 --reason again
expect_exit 0 "sell mobile" "$Z" sell --db "$DB" --card 00000000A2 --items A2,S1 --operator c2 --pay mobile --ref WX123 --at "$LUNCH"
expect_exit 0 "sell public" "$Z" sell --db "$DB" --items D1 --operator c1 --at "$LUNCH"
seqs=$(sqlite3 "$DB" "SELECT group_concat(seq) FROM (SELECT seq FROM sale ORDER BY seq)")
[ "$seqs" = "1,2,3" ] && ok || bad "sequence numbers '$seqs', expected 1,2,3"
expect_exit 0 "verify chain" "$Z" verify --db "$DB"
grep -q "3 sales" "$T/out" && ok || bad "verify did not count 3 sales: $(cat "$T/out")"
# a tamperer with the sqlite3 shell can drop the guard triggers; the chain still tells
sqlite3 "$DB" "DROP TRIGGER sale_no_rewrite; UPDATE sale SET pay_fen = pay_fen + 1, gross_fen = gross_fen + 1 WHERE seq = 2"
expect_exit 1 "verify detects tampering" "$Z" verify --db "$DB"

# --- card formats: the same card typed by a dec10 reader ---
expect_exit 0 "set dec10" "$Z" config set --db "$DB" card_format dec10
expect_exit 0 "quote dec10" "$Z" quote --db "$DB" --card 0000000161 --items A1 --at "2026-11-25 11:00"
expect_json "dec10 finds elder" .elder.id E0000001
expect_exit 1 "bad format value" "$Z" config set --db "$DB" card_format octal
expect_exit 0 "set hex10" "$Z" config set --db "$DB" card_format hex10

# --- QR tokens ---
expect_exit 0 "qr keygen" "$Z" qr keygen --out "$T/centre"
expect_exit 0 "set qr key" "$Z" config set --db "$DB" qr_pubkey "$(cat "$T/centre.pub")"
expect_exit 0 "qr issue" "$Z" qr issue --key "$T/centre.key" --elder E0000001 --expires 2026-12-31
TOKEN=$(cat "$T/out")
expect_exit 0 "quote by qr" "$Z" quote --db "$DB" --card "$TOKEN" --items A1 --at "2026-11-25 11:00"
expect_json "qr finds elder" .elder.id E0000001
expect_exit 1 "expired qr" "$Z" quote --db "$DB" --card "$TOKEN" --items A1 --at "2027-01-01 11:00"
FORGED=$(echo "$TOKEN" | sed 's/.$/A/;t;s/.$/B/')
[ "$FORGED" = "$TOKEN" ] && FORGED="${TOKEN%?}B"
expect_exit 1 "forged qr" "$Z" quote --db "$DB" --card "$FORGED" --items A1 --at "2026-11-25 11:00"

# --- policies ---
for p in db/policies/*.json; do
    expect_exit 0 "policy check $p" "$Z" policy check "$p"
done
printf '{"policy":"x","version":"1","name":"x","effective_from":"2024-01-01","periods":[{"id":"lunch","name":"午餐","from":"10:30","to":"13:30"}],"groups":[{"id":"g","combine":"max"}],"rules":[{"id":"r","group":"nope"}]}' >"$T/bad.json"
expect_exit 1 "broken policy" "$Z" policy check "$T/bad.json"
expect_err "broken policy names field" "rules\[0\]"
printf '{"policy": "x", ' >"$T/trunc.json"
expect_exit 1 "truncated policy" "$Z" policy check "$T/trunc.json"
expect_exit 1 "missing policy file" "$Z" policy check "$T/none.json"
expect_exit 0 "policy list" "$Z" policy list --db "$DB"
grep -q beijing "$T/out" && ok || bad "policy list lacks beijing"

# --- roster import: all or nothing, bad rows by line ---
cat >"$T/bad.csv" <<'CSV'
elder_id,name,id_number,birth_date,reg_city,cards
R001,测试甲,11010519450312002X,1945-03-12,110000,AB00000001
R002,测试乙,110105194503120021,1945-03-12,110000,AB00000002
R003,测试丙,,1945-02-30,110000,AB00000003
CSV
expect_exit 1 "bad roster" "$Z" import-roster --db "$DB" "$T/bad.csv"
expect_err "bad roster line 3" "line 3"
expect_err "bad roster line 4" "line 4"
n=$(sqlite3 "$DB" "SELECT count(*) FROM elder WHERE id LIKE 'R00%'")
[ "$n" = 0 ] && ok || bad "bad roster left $n rows behind"
# build a valid ID number for R010 with its check digit computed here
ID17=11010519450312001
CHK=$(echo "$ID17" | awk '{split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2",w," "); s=0;
    for(i=1;i<=17;i++) s+=substr($0,i,1)*w[i]; print substr("10X98765432", s%11+1, 1)}')
cat >"$T/good.csv" <<CSV
elder_id,name,id_number,birth_date,reg_city,reg_district,categories,cards
R010,"欧阳, 娜",$ID17$CHK,1945-03-12,110000,110105,dibao,AB00000010
CSV
expect_exit 0 "good roster" "$Z" import-roster --db "$DB" "$T/good.csv"
expect_exit 0 "quote by ID number" "$Z" quote --db "$DB" --card "$ID17$CHK" --items A1 --at "$LUNCH"
expect_json "id number finds elder" .elder.id R010
n=$(sqlite3 "$DB" "SELECT count(*) FROM elder WHERE id_last4 IS NOT NULL AND instr(quote(id_hash), '$ID17') = 0 AND id='R010'")
[ "$n" = 1 ] && ok || bad "ID number stored in clear or not hashed"
n=$(sqlite3 "$DB" ".dump" | grep -c "$ID17")
[ "$n" = 0 ] && ok || bad "the clear ID number appears in the database dump"

finish
