#!/bin/sh
# test_creport_month.sh - a month of real traffic, then the month reports.
#
# October 2026, days 1-20: three canteens, five terminals (build/zhucan
# init --demo, each its own SQLite file), the real zhucan-central on
# 127.0.0.1, sales through `zhucan sell --at`, voids (and next-day voids, our
# refunds) through `zhucan void`, each terminal pushing with `zhucan sync
# --once` at the end of its day - except during its offline days, which it
# catches up after.  Ordinary traffic keeps every rule (one subsidised meal
# per elder per day, sales in the meal windows, few voids); then these are
# injected:
#   1. a lost closing: one closing deleted at the centre;
#   2. a double use: elder E1 subsidised at canteen A and, the same day, at
#      canteen B whose terminal was offline;
#   3. a tampered sale: a terminal's sale rewritten with sqlite3 (its trigger
#      dropped) before it was pushed: the centre refuses it (hash mismatch);
#   4. the same card at two canteens 20 minutes apart (no subsidy involved);
#   5. a subsidised lunch at 15:10 forced with --period lunch;
#   6. one cashier voiding 6 sales.
# Then: the settlement equals, per canteen and funding source and to the
# fen, what the terminals' own files say (independent SQL with sqlite3); the
# CSV parses back to the same; every injected problem is in reconcile or
# anomalies, and nothing else is.  Every process runs on a clock pinned to
# 5 November 2026 (ZHUCAN_NOW): October's sales must not age past the
# centre's 400-day date_past check whatever today is (make test-dates).
SUITE=test_creport_month
. tests/lib.sh
ZHUCAN_NOW=2026-11-05T09:00:00+08:00
export ZHUCAN_NOW

[ -x "$C" ] && [ -x "$Z" ] || { bad "build/zhucan-central or build/zhucan missing"; finish; }
command -v jq >/dev/null || { bad "jq is missing (make deps)"; finish; }

# --- the centre: canteens A, B, C; terminals A1 A2 B1 B2 C1; 15 elders ---
CDB="$T/centre.db"
must "$C" init --db "$CDB"
for c in A B C; do
    must "$C" canteen add --db "$CDB" --id "C-$c" --name "社区食堂$c" --city 110000 --district 110105 \
        --town "11010501$(printf '%s' "$c" | tr ABC 012)"
done
for t in A1 A2 B1 B2 C1; do
    must "$C" terminal add --db "$CDB" --id "T-$t" --canteen "C-$(echo "$t" | cut -c1)"
    tail -n 1 "$T/out" >"$T/token.$t"
done
{
    echo "elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards"
    i=1
    while [ $i -le 15 ]; do
        printf 'E%d,老人%d号,,1940-0%d-1%d,,110000,110105,110105010,110000,110105,110105010,,00000EA0%02d\n' \
            $i $i $((i % 9 + 1)) $((i % 10)) $i
        i=$((i + 1))
    done
} >"$T/roster.csv"
must "$C" roster import --db "$CDB" "$T/roster.csv"
must "$C" policy publish --db "$CDB" db/policies/beijing.json

serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$CDB" --listen 127.0.0.1:0
[ -n "$URL" ] && ok || { bad "the centre did not start: $(head -c 300 "$T/serve.err")"; finish; }

for t in A1 A2 B1 B2 C1; do
    db="$T/$t.db"
    must "$Z" init --db "$db" --demo --elders 0
    q "$db" "INSERT OR REPLACE INTO meta VALUES ('server_url', '$URL'), ('terminal_id', 'T-$t'), ('sync_token', '$(cat "$T/token.$t")')"
    must "$Z" sync --db "$db" --once
done
same "roster reached the terminals" "$(q "$T/C1.db" "SELECT count(*) FROM card WHERE uid LIKE '00000EA0%'")" 15

# --- the plan: "terminal|day|HH:MM|operator|sell args", sold in time order ---
# Canteen K's elders are E(5k+1)..E(5k+5); on day d its elder slots j = 0..3
# (0..1 at canteen C, one terminal) take elder index (2d + j) mod 5, so no
# elder eats twice a day and index (2d + 4) mod 5 is free.
card() { printf '00000EA0%02d' "$1"; }
plan="$T/plan"
: >"$plan"
d=1
while [ $d -le 20 ]; do
    for t in A1 A2 B1 B2 C1; do
        k=$(echo "$t" | cut -c1 | tr ABC 012)
        case $t in A1 | B1 | C1) slot=0 ;; *) slot=2 ;; esac
        e1=$((5 * k + (2 * d + slot) % 5 + 1))
        e2=$((5 * k + (2 * d + slot + 1) % 5 + 1))
        m=$(((d * 7 + k * 3) % 45 + 15)) # minutes 15..59, varies by day and canteen
        echo "$t|$d|11:$m|c1|--card $(card $e1) --items A1" >>"$plan"
        echo "$t|$d|12:$((m - 5))|c2|--items D1,S1,T1" >>"$plan"
        echo "$t|$d|17:$m|c1|--items A3,K2" >>"$plan"
        echo "$t|$d|18:0$((d % 10))|c2|--card $(card $e2) --items A2,S1" >>"$plan"
    done
    d=$((d + 1))
done
# 2. double use: E1 (free on day 8 at A) at A1, then at B2 (offline days 5-9)
echo "A1|8|11:05|c1|--card $(card 1) --items A2" >>"$plan"
echo "B2|8|12:50|c1|--card $(card 1) --items A1" >>"$plan"
# 4. E7 (free on day 11 at B) buys a drink at B1 and another at C1 20 minutes later
echo "B1|11|11:02|c1|--card $(card 7) --items K2" >>"$plan"
echo "C1|11|11:22|c1|--card $(card 7) --items K1" >>"$plan"
# 5. E1 (free on day 13 at A) at 15:10 with the lunch forced
echo "A2|13|15:10|c1|--card $(card 1) --items A1 --period lunch" >>"$plan"

offline() { # terminal day -> 0 when it does not sync at the end of that day
    case "$1:$2" in B2:5 | B2:6 | B2:7 | B2:8 | B2:9 | C1:12 | C1:13 | C1:14) return 0 ;; esac
    return 1
}
void() { # terminal day index(0-based, in time order): voids that sale with s1
    id=$(sed -n "$(($3 + 1))p" "$T/ids.$1.$2")
    "$Z" void --db "$T/$1.db" --sale "$id" --operator s1 --reason "$4" >/dev/null 2>>"$T/void.err" ||
        bad "void $1 day $2 #$3: $(tail -n 1 "$T/void.err")"
}

sellerr=0
d=1
while [ $d -le 20 ]; do
    day=$(printf '2026-10-%02d' $d)
    for t in A1 A2 B1 B2 C1; do
        : >"$T/ids.$t.$d"
        grep "^$t|$d|" "$plan" | sort -t'|' -k3,3 | while IFS='|' read -r _ _ hm op args; do
            # shellcheck disable=SC2086 # args are words by design
            "$Z" sell --db "$T/$t.db" --operator "$op" --pay cash --at "$day $hm" $args \
                >>"$T/ids.$t.$d" 2>>"$T/sell.err" || echo "$t $day $hm $args" >>"$T/sell.failed"
        done
    done
    # voids of the day: a few ordinary ones, a refund of yesterday's lunch at B2 (day 11),
    # and 6. cashier c2 of C1 voiding on six days (index 1 and 3 are c2's)
    case $d in
    3) void A1 3 0 "wrong dish"; void C1 3 1 "customer left" ;;
    4) void B1 4 0 "wrong card" ;;
    5) void C1 5 3 "customer left" ;;
    6) void A2 6 1 "double charge" ;;
    7) void C1 7 1 "customer left"; void C1 7 3 "customer left" ;;
    9) void C1 9 1 "customer left" ;;
    11) void B2 10 1 "refund: cold food" ;;
    15) void C1 15 3 "customer left" ;;
    16) void C1 2 0 "late refund" ;;
    esac
    # 3. tamper: B1's lunch of day 15 gets 8 yuan of subsidy before it is pushed
    if [ $d -eq 15 ]; then
        TAMPERED=$(sed -n 1p "$T/ids.B1.15")
        q "$T/B1.db" "DROP TRIGGER sale_no_rewrite; UPDATE sale SET subsidy_fen = 800, pay_fen = gross_fen - 800 WHERE id = '$TAMPERED'; UPDATE sale_subsidy SET fen = 800 WHERE sale_id = '$TAMPERED'; UPDATE sale_rule SET fen = 800 WHERE sale_id = '$TAMPERED'"
        TSEQ=$(q "$T/B1.db" "SELECT seq FROM sale WHERE id = '$TAMPERED'")
    fi
    for t in A1 A2 B1 B2 C1; do
        offline $t $d && continue
        "$Z" sync --db "$T/$t.db" --once >"$T/sync.out" 2>"$T/sync.err" || sellerr=$((sellerr + 1))
    done
    d=$((d + 1))
done
same "every sale was made" "$(cat "$T/sell.failed" 2>/dev/null)" ""
same "every sync round ran" "$sellerr" 0
for t in A1 A2 B1 B2 C1; do # everything is pushed (the tampered sale is held back as refused)
    same "$t: nothing left to send" "$(q "$T/$t.db" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL AND coalesce(last_error, '') NOT LIKE '%rejected%'")" 0
done
same "the tampered sale was refused" "$(q "$CDB" "SELECT count(*) FROM sale WHERE id = '$TAMPERED'")" 0
same "C1 made 81 sales" "$(q "$T/C1.db" "SELECT count(*) FROM sale")" 81

# 1. a lost closing: A2's closing of 2026-10-07 never arrived
q "$CDB" "DELETE FROM closing WHERE terminal_id = 'T-A2' AND date = '2026-10-07'"

# --- settlement against the terminals' own files ---
ATT=""
for t in A1 A2 B1 B2 C1; do ATT="$ATT ATTACH '$T/$t.db' AS $t;"; done
ALL="SELECT * FROM A1.sale UNION ALL SELECT * FROM A2.sale UNION ALL SELECT * FROM B1.sale UNION ALL SELECT * FROM B2.sale UNION ALL SELECT * FROM C1.sale"
ALLP="SELECT * FROM A1.sale_subsidy UNION ALL SELECT * FROM A2.sale_subsidy UNION ALL SELECT * FROM B1.sale_subsidy UNION ALL SELECT * FROM B2.sale_subsidy UNION ALL SELECT * FROM C1.sale_subsidy"
WHERE="s.status = 'done' AND s.local_date LIKE '2026-10-%' AND s.id <> '$TAMPERED'"
tq() { sqlite3 ":memory:" "$ATT $1"; }
must "$C" report settlement --db "$CDB" --month 2026-10 --format json
cp "$T/out" "$T/settle.json"
got=$(jq -r '.canteens[] | "\(.id)|\(.meals)|\(.gross_fen)|\(.subsidy_fen)|\(.pay_fen)"' "$T/settle.json")
want=$(tq "SELECT canteen_id || '|' || count(*) || '|' || sum(gross_fen) || '|' || sum(subsidy_fen) || '|' || sum(pay_fen) FROM ($ALL) s WHERE $WHERE GROUP BY canteen_id ORDER BY canteen_id")
same "settlement per canteen = the terminals' files" "$got" "$want"
got=$(jq -r '.canteens[] | .id as $c | .sources[] | "\($c)|\(.source)|\(.meals)|\(.subsidy_fen)"' "$T/settle.json")
want=$(tq "SELECT s.canteen_id || '|' || p.source || '|' || count(DISTINCT s.id) || '|' || sum(p.fen) FROM ($ALL) s JOIN ($ALLP) p ON p.sale_id = s.id WHERE $WHERE GROUP BY s.canteen_id, p.source ORDER BY s.canteen_id, p.source")
same "settlement per canteen and source = the terminals' files" "$got" "$want"
[ -n "$want" ] && ok || bad "no subsidy at all: the traffic did not exercise the claim"
same "totals" "$(jq -r '.totals | "\(.meals)|\(.subsidy_fen)|\(.voids)"' "$T/settle.json")" \
    "$(tq "SELECT sum(status = 'done' AND id <> '$TAMPERED') || '|' || sum(CASE WHEN status = 'done' AND id <> '$TAMPERED' THEN subsidy_fen END) || '|' || sum(status = 'voided') FROM ($ALL) s")"
same "31 days" "$(jq '.days | length' "$T/settle.json")" 31
same "days add up" "$(jq '[.days[].subsidy_fen] | add' "$T/settle.json")" "$(jq '.totals.subsidy_fen' "$T/settle.json")"

# the CSV, parsed back: BOM, header, fen and yuan agree, rows = the JSON's
must "$C" report settlement --db "$CDB" --month 2026-10 --format csv
cp "$T/out" "$T/settle.csv"
same "BOM" "$(head -c 3 "$T/settle.csv" | od -An -tx1 | tr -d ' \n')" "efbbbf"
same "CRLF" "$(head -n 1 "$T/settle.csv" | od -An -c | tr -d ' \n' | tail -c 4)" '\r\n'
tr -d '\r' <"$T/settle.csv" | sed '1s/^\xef\xbb\xbf//' >"$T/settle.txt"
same "CSV header" "$(head -n 1 "$T/settle.txt")" "month,canteen,canteen_name,source,meals,subsidy_fen,subsidy_yuan"
got=$(awk -F, 'NR > 1 { print $2 "|" $4 "|" $5 "|" $6 }' "$T/settle.txt")
want=$(jq -r '.canteens[] | .id as $c | .sources[] | "\($c)|\(.source)|\(.meals)|\(.subsidy_fen)"' "$T/settle.json")
same "CSV rows = JSON" "$got" "$want"
same "CSV yuan = fen / 100" "$(awk -F, 'NR > 1 && sprintf("%.2f", $6 / 100) != $7' "$T/settle.txt")" ""
must "$C" report settlement --db "$CDB" --month 2026-10 --format csv --ledger
tr -d '\r' <"$T/out" | sed '1s/^\xef\xbb\xbf//' >"$T/ledger.txt"
same "ledger sums to the claim" "$(awk -F, 'NR > 1 { s += $9 } END { print s + 0 }' "$T/ledger.txt")" \
    "$(jq '.totals.subsidy_fen' "$T/settle.json")"
same "ledger names are masked" "$(awk -F, 'NR > 1 && $6 !~ /\*/' "$T/ledger.txt" | head -n 1)" ""
same "ledger E1 rows = E1's subsidised sales" "$(awk -F, '$5 == "E1"' "$T/ledger.txt" | wc -l | tr -d ' ')" \
    "$(tq "SELECT count(*) FROM ($ALL) s JOIN ($ALLP) p ON p.sale_id = s.id WHERE $WHERE AND s.elder_id = 'E1'")"
must "$C" report settlement --db "$CDB" --month 2026-10 --format json --ledger
same "JSON ledger = CSV ledger" "$(jq -r '.ledger[] | "\(.sale_id),\(.elder),\(.fen)"' "$T/out")" \
    "$(awk -F, 'NR > 1 { print $1 "," $6 "," $9 }' "$T/ledger.txt")"
must "$C" report settlement --db "$CDB" --month 2026-10 --ledger
same "text ledger rows" "$(grep -c ' bj-daily ' "$T/out")" "$(($(wc -l <"$T/ledger.txt") - 1))"
must "$C" report settlement --db "$CDB" --month 2026-10 --canteen C-B --format json
same "one canteen" "$(jq -r '[.canteen, (.canteens | length), .canteens[0].subsidy_fen] | join(",")' "$T/out")" \
    "C-B,1,$(jq '.canteens[] | select(.id == "C-B") | .subsidy_fen' "$T/settle.json")"
must "$C" report settlement --db "$CDB" --month 2026-10
grep -q '^TOTAL' "$T/out" && ok || bad "text settlement lacks TOTAL: $(head -c 300 "$T/out")"

# --- reconcile: exactly the lost closing and the tampered sale ---
must "$C" reconcile --db "$CDB" --month 2026-10 --format json
cp "$T/out" "$T/rec.json"
same "problem terminals" "$(jq -r '[.terminals[] | select(.status == "problems") | .id] | join(",")' "$T/rec.json")" "T-A2,T-B1"
same "problems" "$(jq .problems "$T/rec.json")" 2
same "A2: the lost closing" "$(jq -c '.terminals[] | select(.id == "T-A2") | [.missing_closings, .missing_seqs, .mismatched_days, .conflicts, .chain_breaks]' "$T/rec.json")" \
    '[["2026-10-07"],[],[],[],[]]'
same "B1: the tampered sale is missing" "$(jq -c '.terminals[] | select(.id == "T-B1") | .missing_seqs' "$T/rec.json")" "[$TSEQ]"
same "B1: the refusal and its reason" "$(jq -r '.terminals[] | select(.id == "T-B1") | .refused[] | "\(.seq)|\(.sale_id)|\(.reason)"' "$T/rec.json")" \
    "$TSEQ|$TAMPERED|hash mismatch: the sale's content does not give its hash"
same "B1: no chain break or conflict" "$(jq -c '.terminals[] | select(.id == "T-B1") | [.conflicts, .chain_breaks]' "$T/rec.json")" '[[],[]]'
b1days=$(jq -c '.terminals[] | select(.id == "T-B1") | [.missing_closings[], (.mismatched_days[] | .date)]' "$T/rec.json")
same "B1: day 15 does not add up (the only day)" "$b1days" '["2026-10-15"]'
same "held = terminals' sales" "$(jq -r '.terminals[] | "\(.id)|\(.held_sales)"' "$T/rec.json" | tr '\n' ' ')" \
    "$(for t in A1 A2 B1 B2 C1; do printf 'T-%s|%s ' $t "$(q "$T/$t.db" "SELECT count(*) FROM sale WHERE status = 'done' AND id <> '$TAMPERED'")"; done)"
must "$C" reconcile --db "$CDB" --month 2026-10 --format csv
tr -d '\r' <"$T/out" | sed '1s/^\xef\xbb\xbf//' >"$T/rec.txt"
same "reconcile CSV: one row per problem or terminal" "$(awk -F, 'NR > 1 { print $2 "," $4 }' "$T/rec.txt" | sort -u | tr '\n' ' ')" \
    "T-A1,ok T-A2,problems T-B1,problems T-B2,ok T-C1,ok "

# --- anomalies: exactly the injected ones ---
must "$C" anomalies --db "$CDB" --month 2026-10 --format json
cp "$T/out" "$T/anom.json"
same "counts" "$(jq -c .counts "$T/anom.json")" \
    '{"over_limit":1,"requote_differs":0,"card_two_canteens":1,"outside_window":1,"void_rate":1,"flag":0}'
same "double use: E1 at B2 on the 8th" "$(jq -r '.anomalies[] | select(.kind == "over_limit") | "\(.elder_id)|\(.terminal)|\(.date)"' "$T/anom.json")" "E1|T-B2|2026-10-08"
same "card at two canteens: E7 at C1" "$(jq -r '.anomalies[] | select(.kind == "card_two_canteens") | "\(.elder_id)|\(.terminal)|\(.time)"' "$T/anom.json")" "E7|T-C1|2026-10-11 11:22"
same "outside the window: E1 at A2 15:10" "$(jq -r '.anomalies[] | select(.kind == "outside_window") | "\(.elder_id)|\(.terminal)|\(.time)|\(.subsidy_fen)"' "$T/anom.json")" "E1|T-A2|2026-10-13 15:10|500"
same "void rate: c2 at C-C" "$(jq -r '.anomalies[] | select(.kind == "void_rate") | "\(.canteen)|\(.operator)"' "$T/anom.json")" "C-C|c2"
jq -r '.anomalies[].why' "$T/anom.json" | grep -c . | grep -qx 4 && ok || bad "every row says why"
jq -r '.anomalies[] | select(.kind == "card_two_canteens") | .why' "$T/anom.json" | grep -q "20 minutes later" && ok ||
    bad "card why: $(jq -r '.anomalies[].why' "$T/anom.json")"
must "$C" anomalies --db "$CDB" --month 2026-10 --format csv
tr -d '\r' <"$T/out" | sed '1s/^\xef\xbb\xbf//' >"$T/anom.txt"
same "anomalies CSV kinds" "$(awk -F, 'NR > 1 { print $1 }' "$T/anom.txt" | sort | tr '\n' ' ')" \
    "card_two_canteens outside_window over_limit void_rate "

# --- the old report still works; bad input is refused with a reason ---
must "$C" report --db "$CDB" --terminal T-A1
same "report --terminal" "$(jq -r '.terminals[0].id' "$T/out")" "T-A1"
"$C" reconcile --db "$CDB" --month 2026-13 >/dev/null 2>"$T/err"
same "bad month exit" "$?" 1
grep -q "YYYY-MM" "$T/err" && ok || bad "bad month message: $(cat "$T/err")"
"$C" report settlement --db "$CDB" --month 2026-10 --format xml >/dev/null 2>&1
same "bad format exit" "$?" 2
"$C" report settlement --db "$CDB" --month 2026-10 --canteen C-X >/dev/null 2>"$T/err"
same "unknown canteen exit" "$?" 1
must "$C" anomalies --db "$CDB" --month 2026-09 --format json
same "an empty month" "$(jq -c '[.anomalies, ([.counts[]] | add)]' "$T/out")" '[[],0]'
finish
