#!/bin/sh
# test_console.sh - the district console (issue 13), first part: roles,
# accounts, passwords, the audit trail, form tokens and Origin, and sign-in
# throttling, against the real zhucan-central serve with curl.
#
#   - `admin add --role/--canteen` and its refusals;
#   - each role tries what it may not do and is refused (403), and what it
#     may do works; every form with bad input; every POST without the form
#     token, without Origin and from another Origin;
#   - the audit trail: who, when, what, before/after, no password, append-only;
#   - THE MEASUREMENT: three clients (127.0.0.2..4) post wrong passwords for
#     the real user's account in a bounded loop while the real user
#     (127.0.0.1, a browser that signed in before) signs in ten times; the
#     figures are printed (real sign-ins that got in, attackers' answers).
# Every process runs on a clock pinned to 3 December 2026 (ZHUCAN_NOW).
SUITE=test_console
. tests/lib.sh
ZHUCAN_NOW=2026-12-03T09:00:00+08:00
export ZHUCAN_NOW
[ -x "$C" ] || { bad "$C is missing"; finish; }

# http NAME WANT_CODE CURL_ARGS... : status checked; body in $T/body, headers in $T/head
http() {
    name=$1; want=$2; shift 2
    code=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' --max-time 20 "$@")
    if [ "$code" = "$want" ]; then ok; else bad "$name: HTTP $code, expected $want: $(head -c 300 "$T/body")"; fi
}
has_body() { if grep -q -- "$2" "$T/body"; then ok; else bad "$1: body lacks '$2': $(head -c 300 "$T/body")"; fi; }
lacks_body() { if grep -q -- "$2" "$T/body"; then bad "$1: body has '$2'"; else ok; fi; }

DB="$T/c.db"
expect_exit 0 "init" "$C" init --db "$DB"
expect_exit 0 "canteen C-0001" "$C" canteen add --db "$DB" --id C-0001 --name "越秀北京街长者饭堂" \
    --city 440100 --district 440104 --town 440104001
expect_exit 0 "canteen C-0002" "$C" canteen add --db "$DB" --id C-0002 --name "天河石牌长者饭堂" \
    --city 440100 --district 440106 --town 440106001

cat >"$T/roster.csv" <<'CSV'
elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards
E0000001,陈桂芳,,1938-03-15,13800000001,440100,440104,440104001,440100,440104,440104001,dibao,00000EA001
E0000002,黄志强,,1942-07-02,,440100,440104,440104001,440100,440104,440104001,,00000EA002
E0000003,陈志明,,1955-11-20,,440100,440106,440106001,440100,440106,440106001,,00000EA003
CSV
expect_exit 0 "roster" "$C" roster import --db "$DB" "$T/roster.csv"
expect_exit 0 "policy" "$C" policy publish --db "$DB" db/policies/guangzhou.json
expect_exit 0 "terminal T-0001" "$C" terminal add --db "$DB" --id T-0001 --canteen C-0001
TTOKEN=$(cat "$T/out")

# --- admin add --role --canteen ---
PWB="Boss-Password-2026"; PWM="Manager-Pass-2026"; PWA="Auditor-Pass-2026"
echo "$PWB" | expect_exit 0 "district admin" "$C" admin add --db "$DB" --user boss
expect_out "district is the default role" "(district)"
echo "$PWM" | expect_exit 0 "manager" "$C" admin add --db "$DB" --user mgr --role manager --canteen C-0001
echo "$PWA" | expect_exit 0 "auditor" "$C" admin add --db "$DB" --user aud --role auditor
echo "$PWB" | expect_exit 0 "a second district admin" "$C" admin add --db "$DB" --user boss2 --role district
echo "$PWA" | expect_exit 2 "unknown role" "$C" admin add --db "$DB" --user x1 --role king
expect_err "unknown role" "district, manager or auditor"
echo "$PWA" | expect_exit 1 "manager without canteen" "$C" admin add --db "$DB" --user x2 --role manager
expect_err "manager without canteen" "needs 1 to 16 canteens"
echo "$PWA" | expect_exit 1 "manager of an unknown canteen" "$C" admin add --db "$DB" --user x3 \
    --role manager --canteen C-0001,C-9999
expect_err "manager of an unknown canteen" "no canteen C-9999"
echo "$PWA" | expect_exit 1 "auditor with a canteen" "$C" admin add --db "$DB" --user x4 --role auditor \
    --canteen C-0001
echo "$PWA" | expect_exit 2 "link with a role" "$C" admin link --db "$DB" --user boss --role auditor
same "refused accounts left nothing" "$(q "$DB" "SELECT count(*) FROM admin WHERE name LIKE 'x%'")" 0
same "roles stored" "$(q "$DB" "SELECT group_concat(name || ':' || role, ' ') FROM (SELECT * FROM admin ORDER BY name)")" \
    "aud:auditor boss:district boss2:district mgr:manager"
same "the manager's canteen" "$(q "$DB" "SELECT canteen_id FROM admin_canteen WHERE admin = 'mgr'")" C-0001
same "the command line is audited" "$(q "$DB" "SELECT count(*) FROM audit WHERE actor = 'cli' AND action = 'admin.add'")" 4
same "roster import audited" "$(q "$DB" "SELECT after FROM audit WHERE actor = 'cli' AND action = 'roster.import'")" "rows=3 changed=3"

serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0 --log
[ -n "$URL" ] && ok || { bad "serve did not start: $(cat "$T/serve.err")"; finish; }

# signin NAME PASSWORD JAR [CURL_ARGS...] : the form's token, then the POST; prints the status
signin() {
    s_name=$1; s_pw=$2; s_jar=$3; shift 3
    s_tok=$(curl -s -c "$s_jar" -b "$s_jar" --max-time 20 "$@" "$URL/admin/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -w '%{http_code}' -c "$s_jar" -b "$s_jar" --max-time 20 -H "Origin: $URL" \
        "$@" --data-urlencode "csrf=$s_tok" --data-urlencode "user=$s_name" \
        --data-urlencode "password=$s_pw" "$URL/admin/login"
}
# token JAR : the session's form token, read from the password page
token() {
    curl -s -b "$1" --max-time 20 "$URL/admin/password" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1
}
same "boss signs in" "$(signin boss "$PWB" "$T/boss")" 303
same "mgr signs in" "$(signin mgr "$PWM" "$T/mgr")" 303
same "aud signs in" "$(signin aud "$PWA" "$T/aud")" 303
TB=$(token "$T/boss"); TM=$(token "$T/mgr"); TA=$(token "$T/aud")
same "form tokens" "${#TB}:${#TM}:${#TA}" "64:64:64"
[ "$TB" != "$TM" ] && ok || bad "two sessions share a form token"
O="Origin: $URL"

# --- the manager: their canteen only ---
http "manager: month page" 200 -b "$T/mgr" "$URL/admin/?month=2026-11"
has_body "manager: own canteen" "越秀北京街长者饭堂"
lacks_body "manager: not the other canteen" "天河石牌长者饭堂"
has_body "manager: the role is named" "饭堂负责人"
http "manager: another canteen" 403 -b "$T/mgr" "$URL/admin/?month=2026-11&canteen=C-0002"
http "manager: another canteen's CSV" 403 -b "$T/mgr" "$URL/admin/settlement.csv?month=2026-11&canteen=C-0002"
http "manager: own CSV" 200 -b "$T/mgr" "$URL/admin/settlement.csv?month=2026-11"
http "manager: accounts" 403 -b "$T/mgr" "$URL/admin/accounts"
http "manager: audit" 403 -b "$T/mgr" "$URL/admin/audit"
http "manager: add an account" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&name=evil&role=district&password=$PWM&password2=$PWM" \
    "$URL/admin/accounts"
http "manager: reset a password" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&name=boss&password=Taken-Over-1234" \
    "$URL/admin/accounts/reset"
same "manager changed nothing" "$(q "$DB" "SELECT count(*) FROM admin WHERE name = 'evil'")" 0
# the district admin sees both
http "district: one canteen" 200 -b "$T/boss" "$URL/admin/?month=2026-11&canteen=C-0002"
lacks_body "district: one canteen only" "越秀北京街长者饭堂"
http "district: an unknown canteen" 404 -b "$T/boss" "$URL/admin/?month=2026-11&canteen=C-0404"
http "district: month page" 200 -b "$T/boss" "$URL/admin/?month=2026-11"
has_body "district: first canteen" "越秀北京街长者饭堂"
has_body "district: second canteen" "天河石牌长者饭堂"

# --- the auditor: reads everything, changes nothing ---
http "auditor: accounts" 200 -b "$T/aud" "$URL/admin/accounts"
has_body "auditor: sees the accounts" ">mgr<"
lacks_body "auditor: no add form" 'action="/admin/accounts"'
lacks_body "auditor: no reset form" 'action="/admin/accounts/reset"'
http "auditor: audit" 200 -b "$T/aud" "$URL/admin/audit"
http "auditor: add an account" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&name=evil&role=district&password=$PWA&password2=$PWA" \
    "$URL/admin/accounts"
has_body "auditor: says why" "审计员只能查看"
http "auditor: reset a password" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&name=boss&password=Taken-Over-1234" \
    "$URL/admin/accounts/reset"
same "auditor changed nothing" "$(q "$DB" "SELECT count(*) FROM admin WHERE name = 'evil'")" 0

# --- the district admin adds accounts: every bad input ---
add() { # NAME WANT CODE FIELDS...
    a_name=$1; a_want=$2; shift 2
    http "add: $a_name" "$a_want" -b "$T/boss" -H "$O" "$@" "$URL/admin/accounts"
}
add "no form token" 403 -d "name=m2&role=manager&canteens=C-0002&password=$PWM&password2=$PWM"
add "another session's token" 403 -d "csrf=$TM&name=m2&role=manager&canteens=C-0002&password=$PWM&password2=$PWM"
http "add: no Origin" 403 -b "$T/boss" -d "csrf=$TB&name=m2&role=manager&canteens=C-0002&password=$PWM&password2=$PWM" \
    "$URL/admin/accounts"
http "add: foreign Origin" 403 -b "$T/boss" -H "Origin: http://evil.example" \
    -d "csrf=$TB&name=m2&role=manager&canteens=C-0002&password=$PWM&password2=$PWM" "$URL/admin/accounts"
add "bad name" 400 -d "csrf=$TB&name=a+b&role=auditor&password=$PWM&password2=$PWM"
has_body "bad name: says what" "用户名只能用"
add "unknown role" 400 -d "csrf=$TB&name=m2&role=king&password=$PWM&password2=$PWM"
add "passwords differ" 400 -d "csrf=$TB&name=m2&role=auditor&password=$PWM&password2=${PWM}x"
has_body "passwords differ: says so" "两次输入的密码不一样"
has_body "passwords differ: the name is put back" 'value="m2"'
add "short password" 400 -d "csrf=$TB&name=m2&role=auditor&password=short&password2=short"
add "manager without canteens" 400 -d "csrf=$TB&name=m2&role=manager&canteens=&password=$PWM&password2=$PWM"
add "manager of an unknown canteen" 400 -d "csrf=$TB&name=m2&role=manager&canteens=C-0002,C-9999&password=$PWM&password2=$PWM"
has_body "unknown canteen: says so" "不存在"
add "auditor with canteens" 400 -d "csrf=$TB&name=m2&role=auditor&canteens=C-0001&password=$PWM&password2=$PWM"
add "a name too long" 400 -d "csrf=$TB&name=$(printf 'a%.0s' $(seq 60))&role=auditor&password=$PWM&password2=$PWM"
add "missing fields" 400 -d "csrf=$TB&name=m2"
add "markup in the name" 400 --data-urlencode "csrf=$TB" --data-urlencode "name=<b>x" -d "role=auditor&password=$PWM&password2=$PWM"
lacks_body "markup is escaped" "<b>x"
same "nothing added by bad forms" "$(q "$DB" "SELECT count(*) FROM admin")" 4
add "a manager of C-0002" 200 --data-urlencode "csrf=$TB" -d "name=m2&role=manager&password=$PWM&password2=$PWM" \
    --data-urlencode "canteens=C-0002，C-0001"
has_body "added: the note" "已添加账户 m2"
same "m2's canteens" "$(q "$DB" "SELECT group_concat(canteen_id) FROM (SELECT canteen_id FROM admin_canteen WHERE admin = 'm2' ORDER BY 1)")" \
    "C-0001,C-0002"
add "the same name again" 409 -d "csrf=$TB&name=m2&role=auditor&password=$PWM&password2=$PWM"
http "GET reset" 405 -b "$T/boss" "$URL/admin/accounts/reset"

# --- password reset and change ---
http "reset: own account" 400 -b "$T/boss" -H "$O" -d "csrf=$TB&name=boss&password=New-Boss-Pass-1" "$URL/admin/accounts/reset"
http "reset: unknown account" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&name=ghost&password=New-Ghost-Pass-1" "$URL/admin/accounts/reset"
http "reset: short" 400 -b "$T/boss" -H "$O" -d "csrf=$TB&name=mgr&password=short" "$URL/admin/accounts/reset"
PWM2="Manager-Reset-2026"
http "reset: mgr" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&name=mgr&password=$PWM2" "$URL/admin/accounts/reset"
has_body "reset: the note" "已重置 mgr 的密码"
http "reset ends mgr's session" 303 -b "$T/mgr" "$URL/admin/"
same "mgr: old password refused" "$(signin mgr "$PWM" "$T/mgr")" 401
same "mgr: new password" "$(signin mgr "$PWM2" "$T/mgr")" 303
PWA2="Auditor-Changed-2026"
http "change: wrong current" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&current=not-it-at-all&password=$PWA2&password2=$PWA2" \
    "$URL/admin/password"
has_body "change: says so" "当前密码不正确"
http "change: differ" 400 -b "$T/aud" -H "$O" -d "csrf=$TA&current=$PWA&password=$PWA2&password2=${PWA2}x" "$URL/admin/password"
http "change: short" 400 -b "$T/aud" -H "$O" -d "csrf=$TA&current=$PWA&password=short&password2=short" "$URL/admin/password"
http "change: no token" 403 -b "$T/aud" -H "$O" -d "current=$PWA&password=$PWA2&password2=$PWA2" "$URL/admin/password"
http "change: the auditor's own" 200 -b "$T/aud" -H "$O" -d "csrf=$TA&current=$PWA&password=$PWA2&password2=$PWA2" \
    "$URL/admin/password"
has_body "change: the note" "密码已修改"
http "change: this session stays" 200 -b "$T/aud" "$URL/admin/accounts"
same "aud: new password" "$(signin aud "$PWA2" "$T/aud2")" 303

# --- the roster: find elders, 挂失 and 补卡, and a terminal that syncs once ---
[ -x "$Z" ] || { bad "$Z is missing"; finish; }
TDB="$T/t1.db"
expect_exit 0 "terminal init" "$Z" init --db "$TDB" --demo --elders 0
q "$TDB" "INSERT OR REPLACE INTO meta VALUES ('server_url', '$URL'), ('terminal_id', 'T-0001'), ('sync_token', '$TTOKEN')"
expect_exit 0 "terminal first sync" "$Z" sync --db "$TDB" --once
same "the terminal holds the card" "$(q "$TDB" "SELECT status FROM card WHERE uid = '00000EA001'")" active
http "elders: empty search" 200 -b "$T/boss" "$URL/admin/elders"
has_body "elders: the search form" 'action="/admin/elders"'
http "elders: by name" 200 -b "$T/boss" -G --data-urlencode "q=陈" "$URL/admin/elders"
has_body "by name: two 陈" "<small>2 位"
has_body "by name: 陈桂芳" "陈桂芳"
has_body "by name: 陈志明" "陈志明"
lacks_body "by name: not 黄志强" "黄志强"
http "elders: by card, lower case" 200 -b "$T/boss" "$URL/admin/elders?q=00000ea002"
has_body "by card: 黄志强" "黄志强"
has_body "by card: one" "<small>1 位"
http "elders: nobody" 200 -b "$T/boss" -G --data-urlencode "q=王" "$URL/admin/elders"
has_body "nobody: says so" "没有找到"
http "elders: a search too long" 400 -b "$T/boss" -G --data-urlencode "q=$(printf '陈%.0s' $(seq 20))" "$URL/admin/elders"
http "elders: markup" 200 -b "$T/boss" -G --data-urlencode "q=<b>x" "$URL/admin/elders"
lacks_body "elders: markup escaped" "<b>x"
http "manager: elders" 403 -b "$T/mgr" "$URL/admin/elders?q=x"
http "manager: 挂失" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&uid=00000EA001&status=lost" "$URL/admin/cards/status"
http "auditor: elders" 200 -b "$T/aud" -G --data-urlencode "q=陈" "$URL/admin/elders"
lacks_body "auditor: no card forms" 'action="/admin/cards/status"'
http "auditor: 挂失" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&uid=00000EA001&status=lost" "$URL/admin/cards/status"
http "挂失: no form token" 403 -b "$T/boss" -H "$O" -d "uid=00000EA001&status=lost" "$URL/admin/cards/status"
http "挂失: foreign Origin" 403 -b "$T/boss" -H "Origin: http://evil.example" -d "csrf=$TB&uid=00000EA001&status=lost" "$URL/admin/cards/status"
http "挂失: a bad card number" 400 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000EA0&status=lost" "$URL/admin/cards/status"
http "挂失: a bad status" 400 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000EA001&status=stolen" "$URL/admin/cards/status"
http "挂失: unknown card" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000EA999&status=lost" "$URL/admin/cards/status"
http "GET 挂失" 405 -b "$T/boss" "$URL/admin/cards/status"
same "still active at the centre" "$(q "$DB" "SELECT status FROM card WHERE uid = '00000EA001'")" active
http "挂失" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000ea001&status=lost&q=%E9%99%88" "$URL/admin/cards/status"
has_body "挂失: the note" "卡 00000EA001 已挂失"
has_body "挂失: the search again" "陈志明"
same "lost at the centre" "$(q "$DB" "SELECT status FROM card WHERE uid = '00000EA001'")" lost
# the measurement: one sync round later the terminal refuses the card
t0=$(date +%s.%N)
expect_exit 0 "one sync round" "$Z" sync --db "$TDB" --once
t1=$(date +%s.%N)
same "the terminal has it lost after one round" "$(q "$TDB" "SELECT status FROM card WHERE uid = '00000EA001'")" lost
expect_exit 1 "the terminal refuses the lost card" "$Z" quote --db "$TDB" --card 00000EA001 --items A1 \
    --at "2026-12-03 11:30"
expect_err "the terminal says it is lost" "reported lost\|此卡已挂失"
echo "  measurement: 挂失 on the page -> the terminal refuses the card after 1 sync round ($(echo "$t1 - $t0" | bc) s)"
http "补卡: a bad new number" 400 -b "$T/boss" -H "$O" -d "csrf=$TB&old=00000EA001&new=xyz" "$URL/admin/cards/replace"
http "补卡: a card someone holds" 409 -b "$T/boss" -H "$O" -d "csrf=$TB&old=00000EA001&new=00000EA002" "$URL/admin/cards/replace"
http "补卡: unknown old card" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&old=00000EA998&new=00000EA0F1" "$URL/admin/cards/replace"
http "补卡" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&old=00000EA001&new=00000ea0f1" "$URL/admin/cards/replace"
has_body "补卡: the note" "新卡 00000EA0F1 可以使用"
same "the new card at the centre" "$(q "$DB" "SELECT elder_id || ':' || status FROM card WHERE uid = '00000EA0F1'")" "E0000001:active"
expect_exit 0 "one more sync round" "$Z" sync --db "$TDB" --once
same "the terminal has the new card" "$(q "$TDB" "SELECT elder_id || ':' || status FROM card WHERE uid = '00000EA0F1'")" "E0000001:active"
same "the old one stays lost" "$(q "$TDB" "SELECT status FROM card WHERE uid = '00000EA001'")" lost
expect_exit 0 "the new card quotes a subsidy" "$Z" quote --db "$TDB" --card 00000EA0F1 --items A1 \
    --at "2026-12-03 11:30"
sub=$(jq -r '.subsidy_fen' "$T/out")
[ "${sub:-0}" -gt 0 ] && ok || bad "no subsidy with the new card: $(head -c 300 "$T/out")"
http "解除挂失 of a replaced card" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000EA002&status=lost" "$URL/admin/cards/status"
http "解除挂失" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&uid=00000EA002&status=active" "$URL/admin/cards/status"
has_body "解除挂失: the note" "已恢复正常"

# --- the roster upload: UTF-8 or GBK, a preview listing bad rows, all or nothing ---
HEAD_CSV="elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards"
printf '%s\r\n%s\r\n%s\r\n' "$HEAD_CSV" \
    "E0000004,李秀英,,1950-02-02,,440100,440104,440104001,440100,440104,440104001,,00000EA004" \
    "E0000002,黄志强,,1942-07-02,13900000002,440100,440104,440104001,440100,440104,440104001,,00000EA002" >"$T/up.csv"
printf '\357\273\277' | cat - "$T/up.csv" >"$T/up-bom.csv"
iconv -f UTF-8 -t GBK "$T/up.csv" | sed 's/E0000004/E0000005/; s/00000EA004/00000EA005/' >"$T/up-gbk.csv"
printf '%s\n%s\n%s\n%s\n' "$HEAD_CSV" \
    "E0000006,王五,,1950-13-02,,440100,440104,440104001,440100,440104,440104001,,00000EA006" \
    "E0000007,,,1950-01-02,,440100,440104,440104001,440100,440104,440104001,,00000EA007" \
    "E0000008,赵六,,1950-01-02,,440100,440104,440104001,440100,440104,440104001,,00000EA001" >"$T/up-bad.csv"
printf '\377\376\375abc\n' >"$T/up-binary.csv"
printf 'elder_id\000,name\n' >"$T/up-nul.csv"
# upload NAME WANT JAR TOKEN FILE [CURL_ARGS]
upload() {
    u_name=$1; u_want=$2; u_jar=$3; u_tok=$4; u_file=$5; shift 5
    http "upload: $u_name" "$u_want" -b "$u_jar" -H "$O" -F "csrf=$u_tok" -F "file=@$u_file;filename=名单.csv" "$@" \
        "$URL/admin/roster"
}
http "roster form" 200 -b "$T/boss" "$URL/admin/roster"
has_body "roster form: multipart" 'enctype="multipart/form-data"'
http "manager: roster form" 403 -b "$T/mgr" "$URL/admin/roster"
upload "manager" 403 "$T/mgr" "$TM" "$T/up.csv"
upload "auditor" 403 "$T/aud" "$TA" "$T/up.csv"
http "upload: no form token" 403 -b "$T/boss" -H "$O" -F "file=@$T/up.csv" "$URL/admin/roster"
http "upload: no Origin" 403 -b "$T/boss" -F "csrf=$TB" -F "file=@$T/up.csv" "$URL/admin/roster"
http "upload: no file" 400 -b "$T/boss" -H "$O" -F "csrf=$TB" "$URL/admin/roster"
upload "neither UTF-8 nor GBK" 400 "$T/boss" "$TB" "$T/up-binary.csv"
has_body "neither: says so" "既不是 UTF-8 也不是 GBK"
upload "a NUL byte" 400 "$T/boss" "$TB" "$T/up-nul.csv"
head -c $((8 * 1024 * 1024 + 10)) /dev/zero | tr '\0' 'a' >"$T/up-big.csv"
upload "over 8 MB" 413 "$T/boss" "$TB" "$T/up-big.csv"
upload "bad rows" 400 "$T/boss" "$TB" "$T/up-bad.csv"
has_body "bad rows: line 2" "line 2: birth_date"
has_body "bad rows: line 3" "line 3: name"
has_body "bad rows: line 4, a card someone else holds" "line 4: cards"
lacks_body "bad rows: nothing to apply" 'action="/admin/roster/apply"'
same "bad rows: nothing imported" "$(q "$DB" "SELECT count(*) FROM elder WHERE id IN ('E0000006', 'E0000007', 'E0000008')")" 0
upload "UTF-8 with a BOM" 200 "$T/boss" "$TB" "$T/up-bom.csv"
has_body "preview: the encoding" "<dd>UTF-8</dd>"
has_body "preview: rows" "<dt>数据行</dt><dd>2</dd>"
has_body "preview: changes" "<dt>将变化的老人</dt><dd>2</dd>"
UPID=$(sed -n 's/.*name="id" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -1)
same "preview: an upload id" "${#UPID}" 32
same "preview: nothing imported yet" "$(q "$DB" "SELECT count(*) FROM elder WHERE id = 'E0000004'")" 0
http "apply: an auditor" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&id=$UPID" "$URL/admin/roster/apply"
same "boss2 signs in" "$(signin boss2 "$PWB" "$T/boss2")" 303
TB2=$(token "$T/boss2")
http "apply: another district admin's upload" 404 -b "$T/boss2" -H "$O" -d "csrf=$TB2&id=$UPID" "$URL/admin/roster/apply"
http "apply: not a district admin" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&id=$UPID" "$URL/admin/roster/apply"
http "apply: no form token" 403 -b "$T/boss" -H "$O" -d "id=$UPID" "$URL/admin/roster/apply"
http "apply: unknown id" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&id=0123456789abcdef0123456789abcdef" "$URL/admin/roster/apply"
http "apply" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&id=$UPID" "$URL/admin/roster/apply"
has_body "apply: the note" "已导入 2 行，其中 2 位老人有变化"
same "applied: the new elder" "$(q "$DB" "SELECT name FROM elder WHERE id = 'E0000004'")" 李秀英
same "applied: the phone" "$(q "$DB" "SELECT phone FROM elder WHERE id = 'E0000002'")" 13900000002
http "apply twice" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&id=$UPID" "$URL/admin/roster/apply"
upload "GBK" 200 "$T/boss" "$TB" "$T/up-gbk.csv"
has_body "GBK: detected" "<dd>GBK</dd>"
has_body "GBK: only the new elder changes" "<dt>将变化的老人</dt><dd>1</dd>"
UPID=$(sed -n 's/.*name="id" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -1)
http "apply GBK" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&id=$UPID" "$URL/admin/roster/apply"
same "GBK: the name in UTF-8" "$(q "$DB" "SELECT name FROM elder WHERE id = 'E0000005'")" 李秀英
expect_exit 0 "the terminal pulls the upload" "$Z" sync --db "$TDB" --once
same "the terminal has the new elders" "$(q "$TDB" "SELECT count(*) FROM elder WHERE id IN ('E0000004', 'E0000005')")" 2

# --- the audit trail ---
http "audit page" 200 -b "$T/boss" "$URL/admin/audit"
cp "$T/body" "$T/audit.html"
has_body "audit: the reset" "重置密码"
has_body "audit: the change" "修改自己的密码"
has_body "audit: the add by boss" "role=manager canteens=C-0002,C-0001"
has_body "audit: the command line" ">cli<"
same "audit rows" "$(q "$DB" "SELECT group_concat(actor || ':' || action || ':' || target, ' ') FROM (SELECT * FROM audit ORDER BY id)")" \
    "cli:roster.import:roster import cli:admin.add:boss cli:admin.add:mgr cli:admin.add:aud cli:admin.add:boss2 boss:admin.add:m2 boss:admin.reset:mgr aud:admin.password:aud boss:card.lost:00000EA001 boss:card.replace:E0000001 boss:card.lost:00000EA002 boss:card.status:00000EA002 boss:roster.import:名单.csv (UTF-8, sha256 $(tail -c +4 "$T/up-bom.csv" | sha256sum | cut -c1-8)) boss:roster.import:名单.csv (GBK, sha256 $(iconv -f GBK -t UTF-8 "$T/up-gbk.csv" | sha256sum | cut -c1-8))"
same "补卡 before/after" "$(q "$DB" "SELECT before || ' -> ' || after FROM audit WHERE action = 'card.replace'")" \
    "card 00000EA001 status=lost elder=E0000001 -> card 00000EA001 status=lost; card 00000EA0F1 status=active"
grep -q "<td>补卡</td>" "$T/audit.html" && ok || bad "audit: 补卡 not shown"
n=$(sqlite3 "$DB" "SELECT * FROM audit" | grep -c -e "$PWM" -e "$PWM2" -e "$PWA2" -e "$PWB")
same "no password in the audit trail" "$n" 0
sqlite3 "$DB" "UPDATE audit SET actor = 'x'" 2>"$T/err" && bad "audit rows can be changed" || ok
sqlite3 "$DB" "DELETE FROM audit" 2>"$T/err" && bad "audit rows can be deleted" || ok
http "audit: bad before" 400 -b "$T/boss" "$URL/admin/audit?before=x"
http "audit: before" 200 -b "$T/boss" "$URL/admin/audit?before=3"
has_body "audit: before=3 has row 2" ">boss<"
lacks_body "audit: before=3 has not row 3" ">mgr<"

# --- canteens and terminals: add, revoke, the health table ---
"$Z" sell --db "$TDB" --operator c1 --pay cash --at "2026-12-03 11:30" --items D1 >/dev/null 2>"$T/err" ||
    bad "a sale at T-0001: $(cat "$T/err")"
expect_exit 0 "T-0001 pushes its sale" "$Z" sync --db "$TDB" --once
http "manager: canteens" 200 -b "$T/mgr" "$URL/admin/canteens"
has_body "manager: own terminal" ">T-0001<"
lacks_body "manager: not the other canteen" "天河石牌长者饭堂"
lacks_body "manager: no forms" 'action="/admin/terminals"'
http "manager: add a canteen" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&id=C-0009&name=x&city=&district=&town=" "$URL/admin/canteens"
http "manager: revoke" 403 -b "$T/mgr" -H "$O" -d "csrf=$TM&id=T-0001" "$URL/admin/terminals/revoke"
http "auditor: canteens" 200 -b "$T/aud" "$URL/admin/canteens"
has_body "auditor: every canteen" "天河石牌长者饭堂"
lacks_body "auditor: no revoke form" 'action="/admin/terminals/revoke"'
http "auditor: add a terminal" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&id=T-0009&canteen=C-0001&card_format=hex10" "$URL/admin/terminals"
http "auditor: revoke" 403 -b "$T/aud" -H "$O" -d "csrf=$TA&id=T-0001" "$URL/admin/terminals/revoke"
http "canteens" 200 -b "$T/boss" "$URL/admin/canteens"
# T-0001: synced, one sale, seq 1, nothing missing, no chain break, conflict or refusal
has_body "health: T-0001's numbers" '<td class="n">1</td><td class="n">1</td><td class="n">0</td><td class="n">0</td><td class="n">0</td><td class="n">0</td>'
has_body "health: T-0001 is fine" '<span class="badge ok">正常</span>'
has_body "health: last closing column" "最近日结"
canteen() { c_name=$1; c_want=$2; shift 2; http "add canteen: $c_name" "$c_want" -b "$T/boss" -H "$O" "$@" "$URL/admin/canteens"; }
canteen "no token" 403 -d "id=C-0003&name=x&city=&district=&town="
TBC="csrf=$TB&"
http "add canteen: no Origin" 403 -b "$T/boss" -d "csrf=$TB&id=C-0003&name=x&city=&district=&town=" "$URL/admin/canteens"
canteen "bad id" 400 -d "${TBC}id=C%200003&name=x&city=&district=&town="
canteen "no name" 400 -d "${TBC}id=C-0003&name=&city=&district=&town="
canteen "a line break in the name" 400 -d "${TBC}id=C-0003&name=a%0Ab&city=&district=&town="
canteen "a NUL in the name" 400 -d "${TBC}id=C-0003&name=a%00b&city=&district=&town="
canteen "a tab in the id" 400 -d "${TBC}id=C-00%0903&name=x&city=&district=&town="
canteen "region with letters" 400 -d "${TBC}id=C-0003&name=x&city=44a&district=&town="
canteen "region of 13 digits" 400 -d "${TBC}id=C-0003&name=x&city=4401000000000&district=&town="
canteen "the same id" 409 -d "${TBC}id=C-0001&name=x&city=&district=&town="
http "add canteen" 200 -b "$T/boss" -H "$O" --data-urlencode "csrf=$TB" -d "id=C-0003&city=440100&district=440104&town=440104002" \
    --data-urlencode "name=越秀光塔<b>长者饭堂" "$URL/admin/canteens"
has_body "canteen added: escaped" "越秀光塔&lt;b&gt;长者饭堂"
same "canteen stored" "$(q "$DB" "SELECT name || '|' || town FROM canteen WHERE id = 'C-0003'")" "越秀光塔<b>长者饭堂|440104002"
terminal() { http "add terminal: $1" "$2" -b "$T/boss" -H "$O" -d "csrf=$TB&$3" "$URL/admin/terminals"; }
terminal "bad format" 400 "id=T-0003&canteen=C-0003&card_format=morse"
terminal "unknown canteen" 400 "id=T-0003&canteen=C-0404&card_format=hex10"
terminal "the same id" 409 "id=T-0001&canteen=C-0003&card_format=hex10"
terminal "bad id" 400 "id=&canteen=C-0003&card_format=hex10"
terminal "T-0003" 200 "id=T-0003&canteen=C-0003&card_format=dec10"
NEWTOK=$(sed -n 's/.*<p class="uuid"><b>\([0-9a-f]*\)<\/b>.*/\1/p' "$T/body" | head -1)
same "the new token is shown once" "${#NEWTOK}" 64
same "only its hash is kept" "$(sqlite3 "$DB" .dump | grep -c "$NEWTOK")" 0
same "stored" "$(q "$DB" "SELECT canteen_id || '|' || card_format FROM terminal WHERE id = 'T-0003'")" "C-0003|dec10"
http "the new terminal's token works" 200 -H "X-Zhucan-Terminal: T-0003" -H "Authorization: Bearer $NEWTOK" "$URL/api/v1/config"
http "the page shows the token no more" 200 -b "$T/boss" "$URL/admin/canteens"
lacks_body "token gone" "$NEWTOK"
http "revoke: unknown" 404 -b "$T/boss" -H "$O" -d "csrf=$TB&id=T-0404" "$URL/admin/terminals/revoke"
http "revoke: no token" 403 -b "$T/boss" -H "$O" -d "id=T-0003" "$URL/admin/terminals/revoke"
http "revoke T-0003" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&id=T-0003" "$URL/admin/terminals/revoke"
has_body "revoked: the note" "已吊销终端 T-0003"
has_body "revoked: the badge" "已吊销"
http "the revoked token is refused" 401 -H "X-Zhucan-Terminal: T-0003" -H "Authorization: Bearer $NEWTOK" "$URL/api/v1/config"
http "revoke T-0003 again" 200 -b "$T/boss" -H "$O" -d "csrf=$TB&id=T-0003" "$URL/admin/terminals/revoke"
same "sites audited" "$(q "$DB" "SELECT group_concat(action || ':' || target, ' ') FROM (SELECT * FROM audit WHERE action LIKE 'canteen.%' OR action LIKE 'terminal.%' ORDER BY id)")" \
    "canteen.add:C-0003 terminal.add:T-0003 terminal.revoke:T-0003"

# --- THE MEASUREMENT: three guessing clients against the real user ---
# The real user's browser signed in before (it holds its device cookie).
same "real user, first sign-in" "$(signin boss "$PWB" "$T/real")" 303
N_ATT=${N_ATT:-40}
attack() { # ADDRESS : N_ATT wrong passwords for boss, codes into $T/att.ADDRESS
    a_jar="$T/att.$1.jar"
    a_tok=$(curl -s -c "$a_jar" --interface "$1" --max-time 10 "$URL/admin/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    a_i=0
    while [ $a_i -lt "$N_ATT" ]; do
        curl -s -o /dev/null -w '%{http_code}\n' -b "$a_jar" --interface "$1" --max-time 10 \
            -H "Origin: $URL" -d "csrf=$a_tok&user=boss&password=guess-number-$a_i" \
            "$URL/admin/login" >>"$T/att.$1"
        a_i=$((a_i + 1))
    done
}
apids=
for a in 127.0.0.2 127.0.0.3 127.0.0.4; do
    attack $a &
    apids="$apids $!"
done
sleep 1
real_ok=0; real_codes=""
t0=$(date +%s.%N)
for k in 1 2 3 4 5 6 7 8 9 10; do
    c=$(signin boss "$PWB" "$T/real")
    real_codes="$real_codes $c"
    [ "$c" = 303 ] && real_ok=$((real_ok + 1))
    sleep 0.2
done
t1=$(date +%s.%N)
# a browser that never signed in as boss, during the same attack
fresh=$(signin boss "$PWB" "$T/fresh" --interface 127.0.0.5)
# shellcheck disable=SC2086
wait $apids
att=$(cat "$T/att.127.0.0.2" "$T/att.127.0.0.3" "$T/att.127.0.0.4" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
echo "  measurement: 3 clients x $N_ATT wrong passwords; real user (trusted browser) got in $real_ok of 10 (codes:$real_codes) in $(echo "$t1 - $t0" | bc) s; attackers' answers:$att a new browser for the same account: $fresh"
same "the real user gets in every time" "$real_ok" 10
n401=$(cat "$T/att.127.0.0.2" "$T/att.127.0.0.3" "$T/att.127.0.0.4" | grep -c '^401$')
# each address: 5 free tries, then one per doubling wait (1, 2, 4 ... s) while the loop lasts
[ "$n401" -le 45 ] && ok || bad "attackers had $n401 passwords checked (expected at most 45)"
n503=$(cat "$T/att.127.0.0.2" "$T/att.127.0.0.3" "$T/att.127.0.0.4" | grep -c '^503$')
same "no 503 for anyone" "$n503" 0
# the real user's right passwords clear the account's backoff, so a new
# browser may get in or wait; it never gets 503
case $fresh in 303 | 429) ok ;; *) bad "a new browser during the attack: $fresh" ;; esac

# --- the account's backoff holds new browsers, not a browser that signed in before ---
same "m2 signs in once" "$(signin m2 "$PWM" "$T/m2")" 303
for k in 1 2 3 4 5; do
    echo "$(signin m2 "wrong-password-$k" "$T/w$k" --interface 127.0.0.$((10 + k)))" >>"$T/m2.wrong"
done
same "five wrong passwords from five addresses" "$(tr '\n' ' ' <"$T/m2.wrong")" "401 401 401 401 429 "
same "m2 in a new browser waits" "$(signin m2 "$PWM" "$T/m2new" --interface 127.0.0.20)" 429
same "m2 in its own browser gets in" "$(signin m2 "$PWM" "$T/m2")" 303

grep -q "POST /admin/accounts admin:boss -> 200" "$T/serve.err" && ok || bad "the log names the admin"
n=$(grep -c -e "$PWB" -e "$PWM" -e "$PWA" -e "$TB" "$T/serve.err")
same "the log holds no password or token" "$n" 0
finish
