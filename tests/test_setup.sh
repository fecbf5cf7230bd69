#!/bin/sh
# test_setup.sh - a real canteen's set-up on a terminal made by a plain
# `zhucan init` (no demo).  Staff with `zhucan operator`: the first admin, cashiers and a supervisor with
# PINs piped on stdin and typed at a terminal (a pty from script(1), echo
# off), the rules' refusals with nothing half done, list, disable/enable,
# unlock after five wrong PINs, a new PIN.  No PIN is
# ever an argument, printed, or in the audit log.  Settings: `config unset`
# of an optional key (a terminal leaves its centre), refused for the ones
# the terminal needs.  The canteen (`zhucan canteen set`) and its menu
# (`zhucan menu`: add, a GBK CSV from Excel, bad rows refused with nothing
# imported, a price from a moment on, sold out for the day), then the first
# subsidised sale on this terminal that never saw the demo.
SUITE=test_setup
. tests/lib.sh
# run NAME WANT_EXIT STDIN CMD... : output in $T/out, $T/err
run() {
    name=$1; want=$2; input=$3; shift 3
    printf '%b' "$input" | "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want: $(head -c 300 "$T/err")"; fi
}
has_err() { expect_err "$@"; }

[ -x "$Z" ] || { bad "$Z is missing"; finish; }
command -v sqlite3 >/dev/null || { bad "sqlite3 is missing (make deps)"; finish; }
command -v script >/dev/null || { bad "script(1) is missing (bsdutils)"; finish; }
DB="$T/t.db"
run "init" 0 "" "$Z" init --db "$DB"
same "a plain init has nobody" "$(q "$DB" "SELECT count(*) FROM operator")" 0

# --- the first admin, typed at a terminal: prompts, no echo ---
(sleep 0.3; printf '582913\n'; sleep 0.3; printf '582913\n') |
    script -qec "'$Z' operator add --db '$DB' --id a1 --name '王芳' --role admin" /dev/null >"$T/tty" 2>&1
grep -q "new PIN for a1" "$T/tty" && ok || bad "tty: no prompt: $(cat "$T/tty")"
grep -q "added a1" "$T/tty" && ok || bad "tty: not added: $(cat "$T/tty")"
grep -q "582913" "$T/tty" && bad "tty: the PIN was echoed" || ok

# --- piped PINs, and what the rules refuse ---
run "cashier" 0 '7301\n7301\n' "$Z" operator add --db "$DB" --id c1 --name 李强 --role cashier
run "admin with 4 digits" 1 '5829\n5829\n' "$Z" operator add --db "$DB" --id a2 --name 陈 --role admin
has_err "admin with 4 digits" "at least 6 digits"
run "a run" 1 '234567\n234567\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
has_err "a run" "too easy to guess"
run "two different" 1 '640275\n640276\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
has_err "two different" "the two PINs differ"
run "shared PIN" 1 '7301\n7301\n' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "shared PIN" "another operator already uses this PIN"
run "no PIN at all" 1 '' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "no PIN at all" "no PIN was given"
run "a 40-digit line" 1 '1234567890123456789012345678901234567890\n' "$Z" operator add --db "$DB" \
    --id c2 --name 周 --role cashier
has_err "a 40-digit line" "longer than"
run "same id" 1 '9163\n9163\n' "$Z" operator add --db "$DB" --id c1 --name 别人 --role cashier
has_err "same id" "already exists"
run "bad role" 2 '' "$Z" operator add --db "$DB" --id c3 --name 吴 --role boss
run "supervisor" 0 '640275\n640275\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
same "three people, nothing half added" "$(q "$DB" "SELECT group_concat(id || ':' || role, ' ') FROM (SELECT * FROM operator ORDER BY id)")" \
    "a1:admin c1:cashier s1:supervisor"
run "stricter cashiers" 0 '' "$Z" config set --db "$DB" pin_min_cashier 6
run "4 digits now too short" 1 '9163\n9163\n' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "4 digits now too short" "at least 6 digits"
run "pin_min_cashier 9" 1 '' "$Z" config set --db "$DB" pin_min_cashier 9

# --- list, disable, enable ---
run "list" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 *cashier *active *李强$" "$T/out" && ok || bad "list: $(cat "$T/out")"
run "disable c1" 0 '' "$Z" operator disable --db "$DB" --id c1
run "list after" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 *cashier *off" "$T/out" && ok || bad "list off: $(cat "$T/out")"
run "the only admin stays" 1 '' "$Z" operator disable --db "$DB" --id a1
has_err "the only admin stays" "only active admin"
run "enable c1" 0 '' "$Z" operator enable --db "$DB" --id c1
run "unknown id" 1 '' "$Z" operator unlock --db "$DB" --id nobody
has_err "unknown id" "no operator nobody"

# --- a lock-out, lifted; a new PIN ---
q "$DB" "UPDATE operator SET failed = 5, locked_until = strftime('%s','now') + 300 WHERE id = 'c1'"
run "list shows the lock" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 .*locked until" "$T/out" && ok || bad "list locked: $(cat "$T/out")"
run "unlock" 0 '' "$Z" operator unlock --db "$DB" --id c1
same "unlocked" "$(q "$DB" "SELECT failed || '|' || locked_until FROM operator WHERE id = 'c1'")" "0|0"
old=$(q "$DB" "SELECT pin_hash FROM operator WHERE id = 'c1'")
run "set-pin" 0 '468213\n468213\n' "$Z" operator set-pin --db "$DB" --id c1
new=$(q "$DB" "SELECT pin_hash FROM operator WHERE id = 'c1'")
[ "$old" != "$new" ] && ok || bad "set-pin did not change the hash"
case "$new" in 'zk1:'*) ok ;; *) bad "hash is not sealed with the key file (docs/security.md): $new" ;; esac

# --- the audit log: every change, no PIN ---
same "audited" "$(q "$DB" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit WHERE action LIKE 'operator%' ORDER BY id)")" \
    "operator_add operator_add operator_add operator_disable operator_enable operator_unlock operator_pin"
n=$(q "$DB" "SELECT count(*) FROM audit WHERE detail LIKE '%582913%' OR detail LIKE '%7301%' OR detail LIKE '%640275%' OR detail LIKE '%468213%'")
same "no PIN in the audit log" "$n" 0
run "verify" 0 '' "$Z" verify --db "$DB"

# --- settings: leave the centre, keep the identity ---
run "server_url" 0 '' "$Z" config set --db "$DB" server_url https://127.0.0.1:9
run "unset server_url" 0 '' "$Z" config unset --db "$DB" server_url
run "server_url is gone" 1 '' "$Z" config get --db "$DB" server_url
run "unset twice" 1 '' "$Z" config unset --db "$DB" server_url
has_err "unset twice" "is not set"
run "terminal_id" 0 '' "$Z" config set --db "$DB" terminal_id T-0009
run "terminal_id stays" 1 '' "$Z" config unset --db "$DB" terminal_id
has_err "terminal_id stays" "the terminal needs it"
same "terminal_id kept" "$(q "$DB" "SELECT value FROM meta WHERE key = 'terminal_id'")" T-0009
run "an unknown key" 1 '' "$Z" config unset --db "$DB" no_such_key
has_err "an unknown key" "not a setting"
same "unset audited" "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'config_unset' AND subject = 'server_url'")" 1
# --- the canteen and its menu ---
run "sell before the canteen" 1 '' "$Z" sell --db "$DB" --items L1 --operator c1 --at "2026-11-23 11:30"
run "canteen set" 0 '' "$Z" canteen set --db "$DB" --id C-0001 --name 东城和平里长者食堂 \
    --city 110000 --district 110101 --town 110101001
run "canteen: a bad region code" 1 '' "$Z" canteen set --db "$DB" --id C-0001 --name x --town 1101
has_err "canteen: a bad region code" "region codes are 6 digits"
run "canteen show" 0 '' "$Z" canteen show --db "$DB"
grep -q "^district 110101$" "$T/out" && ok || bad "canteen show: $(cat "$T/out")"
run "menu add" 0 '' "$Z" menu add --db "$DB" --code A1 --name 红烧肉套餐 --category set_meal \
    --price 13 --periods lunch,dinner --eligible
run "menu add twice" 1 '' "$Z" menu add --db "$DB" --code A1 --name 别的 --category dish --price 9
has_err "menu add twice" "already on the menu"
run "an absurd price" 1 '' "$Z" menu add --db "$DB" --code B9 --name 贵 --category dish --price 900
has_err "an absurd price" "0 to 500 yuan"
printf 'code,name,category,price,unit,periods,eligible,active\nL1,番茄炒蛋套餐,set_meal,12.50,份,lunch;dinner,1,1\nL2,米饭,staple,1,碗,,0,\nS1,紫菜蛋花汤,soup,2,碗,,0,1\n' >"$T/menu.csv"
iconv -f UTF-8 -t GBK "$T/menu.csv" >"$T/menu-gbk.csv" || bad "iconv could not make a GBK file"
cmp -s "$T/menu.csv" "$T/menu-gbk.csv" && bad "the GBK file is the same bytes as UTF-8" || ok
run "menu import, GBK from Excel" 0 '' "$Z" menu import --db "$DB" "$T/menu-gbk.csv"
same "the GBK names arrive as UTF-8" "$(q "$DB" "SELECT name || '|' || unit || '|' || periods FROM menu_item WHERE code = 'L1'")" \
    "番茄炒蛋套餐|份|lunch,dinner"
name200=$(printf '很%.0s' $(seq 1 200))
printf 'code,name,category,price\nX1,好菜,dish,abc\nX2,汤,soupy,3\nX3,%s,dish,3\nX4,鱼,dish,-2\nX5,鸡,dish,5\nX5,鸭,dish,6\nX6,面,staple,2\n' "$name200" >"$T/bad.csv"
run "a bad menu CSV" 1 '' "$Z" menu import --db "$DB" "$T/bad.csv"
has_err "bad price by line" "line 2: price"
has_err "bad category by line" 'line 3: dish X2: category "soupy"'
has_err "a 200-character name by line" "line 4: name: 200 characters"
has_err "a negative price by line" "line 5: price"
has_err "a duplicate code by line" "line 7: code: X5 is already on line 6"
has_err "nothing half imported" "nothing was imported"
same "no X dish stored" "$(q "$DB" "SELECT count(*) FROM menu_item WHERE code LIKE 'X%'")" 0

# --- the first subsidised sale on a terminal that never saw the demo ---
cat >"$T/roster.csv" <<'CSV'
elder_id,name,id_number,birth_date,reg_city,cards
R001,测试甲,110105194503120022,1945-03-12,110000,AB00000001
CSV
run "roster" 0 '' "$Z" import-roster --db "$DB" "$T/roster.csv"
run "terminal id" 0 '' "$Z" config set --db "$DB" terminal_id T-0009
run "a subsidised lunch" 0 '' "$Z" sell --db "$DB" --card AB00000001 --items L1,S1 --operator c1 \
    --pay cash --tendered 20 --at "2026-11-23 11:30"
SALE=$(head -1 "$T/out")
same "the sale: gross, subsidy, pay" "$(q "$DB" "SELECT gross_fen || '|' || subsidy_fen || '|' || pay_fen || '|' || canteen_id FROM sale WHERE id = '$SALE'")" \
    "1450|500|950|C-0001"
same "lines as sold" "$(q "$DB" "SELECT group_concat(code || ':' || name || ':' || unit_fen, ' ') FROM sale_line WHERE sale_id = '$SALE'")" \
    "L1:番茄炒蛋套餐:1250 S1:紫菜蛋花汤:200"
# a new price takes over; the sale keeps the old one
run "menu price" 0 '' "$Z" menu price --db "$DB" --code L1 --price 13.50
run "a price for the past" 1 '' "$Z" menu price --db "$DB" --code L1 --price 11 --from "2020-01-01 00:00"
has_err "a price for the past" "in the past"
run "a price for 2099" 0 '' "$Z" menu price --db "$DB" --code L1 --price 99 --from "2099-01-01 00:00"
run "menu list" 0 '' "$Z" menu list --db "$DB"
grep -q "^L1 .* 13.50 " "$T/out" && ok || bad "the price in force now: $(cat "$T/out")"
same "the sale keeps its price" "$(q "$DB" "SELECT unit_fen FROM sale_line WHERE sale_id = '$SALE' AND code = 'L1'")" 1250
run "a sale at the new price" 0 '' "$Z" sell --db "$DB" --items L1 --operator c1 --at "2026-11-23 11:40"
same "new price" "$(q "$DB" "SELECT unit_fen FROM sale_line WHERE sale_id = '$(head -1 "$T/out")'")" 1350
# sold out for today, back again
run "sold out" 0 '' "$Z" menu sold-out --db "$DB" --code S1
run "a sold-out dish is refused" 1 '' "$Z" sell --db "$DB" --items S1 --operator c1 --at "2026-11-23 11:45"
has_err "a sold-out dish is refused" "sold out today"
same "sold out is for today only" "$(q "$DB" "SELECT sold_out_on = date('now', '+8 hours') FROM menu_item WHERE code = 'S1'")" 1
run "back" 0 '' "$Z" menu back --db "$DB" --code S1
run "on sale again" 0 '' "$Z" sell --db "$DB" --items S1 --operator c1 --at "2026-11-23 11:46"
same "menu changes audited" "$(q "$DB" "SELECT count(*) FROM audit WHERE action IN ('menu_add', 'menu_import', 'menu_price', 'menu_sold_out', 'menu_back', 'canteen_set')")" 7
run "verify at the end" 0 "" "$Z" verify --db "$DB"
finish
