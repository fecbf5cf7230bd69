#!/bin/sh
# test_admin_web.sh - the operators' page of the real zhucan-central serve,
# end to end, with a month of real traffic: three terminals (build/zhucan
# init --demo) at two Guangzhou canteens sell with `zhucan sell --at` through
# November 2026 and push with `zhucan sync --once`; one is offline for a day
# while an elder eats at both canteens (a double use), one closing is lost.
# Then: `admin add` (password from stdin, never stored in clear), sign-in
# with curl and a cookie jar (the form's token, Origin), wrong passwords
# and the account's backoff, the page's
# headers, its numbers equal to `zhucan-central report settlement|reconcile|
# anomalies --format json`, the CSV equal to `report settlement --format
# csv`, a bad month, no session, a terminal's token, a session cookie on the
# sync API, an oversized form, logout, one-time links, headless Chromium
# following a link to the page (screenshots at 1366 and 1920 wide, and the
# DOM), and a canteen named with markup shown as text.  All waits are
# bounded.  ADMIN_SHOTS=DIR keeps the screenshots (docs/screenshots/admin.png
# is the 1366 one).  Every process runs on a clock pinned to 3 December 2026
# (ZHUCAN_NOW): the page opens on November's claim without ?month=, whatever
# today is; two more centres pinned to the 15th check the claim day.
SUITE=test_admin_web
. tests/lib.sh
ZHUCAN_NOW=2026-12-03T09:00:00+08:00
export ZHUCAN_NOW
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}

[ -x "$C" ] || { bad "$C is missing"; finish; }

# http NAME WANT_CODE CURL_ARGS... : status checked; body in $T/body, headers in $T/head
http() {
    name=$1; want=$2; shift 2
    code=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' --max-time 20 "$@")
    if [ "$code" = "$want" ]; then ok; else bad "$name: HTTP $code, expected $want: $(head -c 200 "$T/body")"; fi
}
has_head() { if grep -qi -- "$2" "$T/head"; then ok; else bad "$1: headers lack '$2': $(tr -d '\r' <"$T/head" | head -20)"; fi; }
lacks_head() { if grep -qi -- "$2" "$T/head"; then bad "$1: headers have '$2'"; else ok; fi; }
has_body() { if grep -q -- "$2" "$T/body"; then ok; else bad "$1: body lacks '$2': $(head -c 300 "$T/body")"; fi; }
lacks_body() { if grep -q -- "$2" "$T/body"; then bad "$1: body has '$2'"; else ok; fi; }

# --- a centre: two canteens, three terminals, five elders, the Guangzhou policy ---
DB="$T/c.db"
[ -x "$Z" ] || { bad "$Z is missing"; finish; }
command -v jq >/dev/null || { bad "jq is missing (make deps)"; finish; }
expect_exit 0 "init" "$C" init --db "$DB"
expect_exit 0 "canteen C-0001" "$C" canteen add --db "$DB" --id C-0001 --name "越秀北京街长者饭堂" \
    --city 440100 --district 440104 --town 440104001
expect_exit 0 "canteen C-0002" "$C" canteen add --db "$DB" --id C-0002 --name "天河石牌长者饭堂" \
    --city 440100 --district 440106 --town 440106001
for t in 1 2 3; do
    expect_exit 0 "terminal T-000$t" "$C" terminal add --db "$DB" --id "T-000$t" \
        --canteen "C-000$(((t + 1) / 2))"
    cp "$T/out" "$T/token.$t"
done
TOKEN=$(cat "$T/token.1")
cat >"$T/roster.csv" <<'CSV'
elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards
E0000001,陈桂芳,,1938-03-15,,440100,440104,440104001,440100,440104,440104001,dibao,00000EA001
E0000002,黄志强,,1942-07-02,,440100,440104,440104001,440100,440104,440104001,,00000EA002
E0000003,李秀英,,1955-11-20,,440100,440104,440104001,440100,440104,440104001,,00000EA003
E0000004,梁国华,,1949-01-09,,440100,440106,440106001,440100,440106,440106001,low_income,00000EA004
E0000005,何美玲,,1946-05-30,,440100,440106,440106001,440100,440106,440106001,,00000EA005
CSV
expect_exit 0 "roster" "$C" roster import --db "$DB" "$T/roster.csv"
expect_exit 0 "policy" "$C" policy publish --db "$DB" db/policies/guangzhou.json

# --- admin add: the password comes from stdin ---
expect_exit 0 "admin --help" "$C" admin --help
expect_exit 2 "admin without a verb" "$C" admin --db "$DB"
expect_exit 2 "admin add without --user" "$C" admin add --db "$DB"
echo "short-pw" | expect_exit 1 "password of 8 characters" "$C" admin add --db "$DB" --user ops
expect_err "password of 8 characters" "10 to 128"
expect_exit 1 "no password at all" "$C" admin add --db "$DB" --user ops </dev/null
expect_err "no password at all" "stdin"
echo "a-long-enough-password" | expect_exit 1 "bad admin name" "$C" admin add --db "$DB" --user "o p"
PW="Lotus-Pond-2026"
echo "$PW" | expect_exit 0 "admin add" "$C" admin add --db "$DB" --user ops
echo "$PW" | expect_exit 1 "admin add twice" "$C" admin add --db "$DB" --user ops
expect_err "admin add twice" "already exists"
echo "Another-Password-9" | expect_exit 0 "second admin" "$C" admin add --db "$DB" --user auditor
n=$(sqlite3 "$DB" ".dump" | grep -c -- "$PW")
same "the password is not stored in clear" "$n" 0
same "argon2id hash stored" "$(sqlite3 "$DB" "SELECT substr(pw_hash, 1, 10) FROM admin WHERE name = 'ops'")" '$argon2id$'

# --- serve ---
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0 --log
[ -n "$URL" ] && ok || { bad "serve did not start: $(cat "$T/serve.err")"; finish; }

# --- November's traffic: weekdays, lunch and dinner, card and cash ---
for t in 1 2 3; do
    expect_exit 0 "terminal $t init" "$Z" init --db "$T/t$t.db" --demo --elders 0
    q "$T/t$t.db" "INSERT OR REPLACE INTO meta VALUES ('server_url', '$URL'), ('terminal_id', 'T-000$t'), ('sync_token', '$(cat "$T/token.$t")')"
    expect_exit 0 "terminal $t first sync" "$Z" sync --db "$T/t$t.db" --once
done
sell() { # terminal operator "YYYY-MM-DD HH:MM" sell-args...
    t=$1; op=$2; at=$3; shift 3
    "$Z" sell --db "$T/t$t.db" --operator "$op" --pay cash --at "$at" "$@" >>"$T/ids.$t" 2>>"$T/sell.err" ||
        echo "terminal $t $at $*" >>"$T/sell.failed"
}
for d in 02 03 04 05 06 09 10 11 12 13 16 17 18 19 20; do
    day=2026-11-$d
    sell 1 c1 "$day 11:20" --card 00000EA001 --items A1
    sell 1 c1 "$day 11:35" --card 00000EA002 --items A2
    sell 2 c2 "$day 11:40" --items D1,S1
    sell 2 c2 "$day 17:10" --card 00000EA003 --items A1
    sell 3 c1 "$day 11:25" --card 00000EA004 --items A1
    sell 3 c1 "$day 12:10" --card 00000EA005 --items A2,S1
    case $d in 0[2-6]) sell 3 c2 "$day 17:30" --card 00000EA002 --items A1 ;; esac
    # terminal 3 is offline on the 11th, when E0000002 also lunches there
    [ "$d" = 11 ] && sell 3 c2 "$day 12:40" --card 00000EA002 --items A1
    for t in 1 2 3; do
        [ "$t:$d" = 3:11 ] || "$Z" sync --db "$T/t$t.db" --once >/dev/null 2>>"$T/sync.err" ||
            echo "sync $t $day" >>"$T/sync.failed"
    done
done
"$Z" void --db "$T/t2.db" --sale "$(sed -n 5p "$T/ids.2")" --operator s1 --reason "wrong dish" \
    >/dev/null 2>>"$T/sell.err" || echo "void" >>"$T/sell.failed"
"$Z" sync --db "$T/t2.db" --once >/dev/null 2>>"$T/sync.err" || echo "sync void" >>"$T/sync.failed"
[ ! -s "$T/sell.failed" ] && ok || bad "sales refused: $(head -5 "$T/sell.failed") $(tail -3 "$T/sell.err")"
[ ! -s "$T/sync.failed" ] && ok || bad "syncs failed: $(head -5 "$T/sync.failed") $(tail -3 "$T/sync.err")"
same "every sale reached the centre" "$(q "$DB" "SELECT count(*) FROM sale")" \
    "$(cat "$T/ids.1" "$T/ids.2" "$T/ids.3" | wc -l)"
# a lost closing: terminal 2's of the 10th never arrived
q "$DB" "DELETE FROM closing WHERE terminal_id = 'T-0002' AND date = '2026-11-10'"
MONTH=2026-11
for r in "report settlement" reconcile anomalies; do
    # shellcheck disable=SC2086
    "$C" $r --db "$DB" --month $MONTH --format json >"$T/$(echo $r | sed 's/report //').json" 2>"$T/err" ||
        bad "$r: $(cat "$T/err")"
done
meals=$(jq -r '.totals.meals' "$T/settlement.json")
same "meals: every sale but the voided one" "$meals" $(($(cat "$T/ids.1" "$T/ids.2" "$T/ids.3" | wc -l) - 1))
same "one terminal with problems" "$(jq -r '.problems' "$T/reconcile.json")" 1
nanom=$(jq -r '.anomalies | length' "$T/anomalies.json")
[ "$nanom" -ge 1 ] && ok || bad "no anomalies: the double use is missing"

# --- without a session ---
http "no session" 303 "$URL/admin/"
has_head "no session" "^Location: /admin/login"
http "no session, csv" 303 "$URL/admin/settlement.csv?month=2026-11"
http "no session, POST" 401 -H "Origin: $URL" -X POST -d x=1 "$URL/admin/"
http "no session, POST without Origin" 403 -X POST -d x=1 "$URL/admin/"
http "login form" 200 "$URL/admin/login"
has_head "login form" "^Content-Type: text/html; charset=utf-8"
has_head "login form" "^Cache-Control: no-store"
has_head "login form" "^X-Content-Type-Options: nosniff"
has_head "login form" "^Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; img-src data:"
has_head "login form" "^X-Frame-Options: DENY"
has_body "login form" 'name="password"'
has_body "login form" 'lang="zh-CN"'
# a terminal's token opens nothing here
http "terminal token" 303 -H "X-Zhucan-Terminal: T-0001" -H "Authorization: Bearer $TOKEN" "$URL/admin/"
http "terminal token, sync API still works" 200 -H "X-Zhucan-Terminal: T-0001" \
    -H "Authorization: Bearer $TOKEN" "$URL/api/v1/config"

# --- the sign-in form's token: a cookie and the same value in the form ---
# login_jar JAR : opens the form with JAR, prints the form's csrf token
login_jar() {
    curl -s -c "$1" -b "$1" --max-time 20 "$URL/admin/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1
}
LT=$(login_jar "$T/lj")
same "the form carries a 64-hex token" "${#LT}" 64
grep -q "zhucan_login" "$T/lj" && ok || bad "no login cookie in the jar"
L="-b $T/lj -H Origin:$URL"

# --- wrong passwords, and the backoff (of the second account) ---
# shellcheck disable=SC2086
http "wrong password" 401 $L -d "csrf=$LT&user=ops&password=not-the-password" "$URL/admin/login"
lacks_head "wrong password" "Set-Cookie: zhucan_admin"
has_body "wrong password" "用户名或密码不正确"
# shellcheck disable=SC2086
http "unknown admin" 401 $L -d "csrf=$LT&user=nobody&password=not-the-password" "$URL/admin/login"
has_body "unknown admin" "用户名或密码不正确"
# five wrong passwords for the auditor, each from its own address (127.0.0.2..6)
for k in 1 2 3 4; do
    # shellcheck disable=SC2086
    http "auditor wrong $k" 401 $L --interface 127.0.0.$((k + 1)) \
        -d "csrf=$LT&user=auditor&password=wrong-password-$k" "$URL/admin/login"
done
# shellcheck disable=SC2086
http "auditor waits" 429 $L --interface 127.0.0.6 -d "csrf=$LT&user=auditor&password=wrong-password-5" \
    "$URL/admin/login"
has_head "auditor waits" "^Retry-After: 30"
has_body "auditor waits" "已暂停到"
# shellcheck disable=SC2086
http "auditor waits, right password, new browser" 429 $L --interface 127.0.0.7 \
    -d "csrf=$LT&user=auditor&password=Another-Password-9" "$URL/admin/login"
lacks_head "waiting: no cookie" "Set-Cookie: zhucan_admin"
# forms from elsewhere, or without the token or Origin
http "another site's form" 403 -b "$T/lj" -H "Origin: http://evil.example" -d "csrf=$LT&user=ops&password=$PW" "$URL/admin/login"
lacks_head "another site's form" "Set-Cookie: zhucan_admin"
http "no Origin" 403 -b "$T/lj" -d "csrf=$LT&user=ops&password=$PW" "$URL/admin/login"
lacks_head "no Origin" "Set-Cookie: zhucan_admin"
# shellcheck disable=SC2086
http "no form token" 403 $L -d "user=ops&password=$PW" "$URL/admin/login"
has_body "no form token" "已过期"
lacks_head "no form token" "Set-Cookie: zhucan_admin"
http "token without its cookie" 403 -H "Origin: $URL" -d "csrf=$LT&user=ops&password=$PW" "$URL/admin/login"
lacks_head "token without its cookie" "Set-Cookie: zhucan_admin"
# bounded body: 413 decided from Content-Length, nothing read
head -c 5000 /dev/zero | tr '\0' 'a' >"$T/big"
# shellcheck disable=SC2086
http "oversized login" 413 $L --data-binary "@$T/big" "$URL/admin/login"
# shellcheck disable=SC2086
http "JSON login" 415 $L -H "Content-Type: application/json" -d '{"user":"ops"}' "$URL/admin/login"

# --- sign-ins at the same moment: one password check at a time, the others wait their turn ---
pids=
for k in 1 2 3 4; do
    # shellcheck disable=SC2086
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 $L -d "csrf=$LT&user=ops&password=$PW" \
        "$URL/admin/login" >"$T/par.$k" &
    pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
codes=$(cat "$T/par.1" "$T/par.2" "$T/par.3" "$T/par.4" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
same "parallel sign-ins: all four get in" "$codes" " 4 303;"

# --- sign in with a cookie jar ---
cp "$T/lj" "$T/jar"
http "sign in" 303 -b "$T/jar" -c "$T/jar" -H "Origin: $URL" -d "csrf=$LT&user=ops&password=$PW" "$URL/admin/login"
has_head "sign in" "^Location: /admin/"
has_head "sign in" "^Set-Cookie: zhucan_admin=[0-9a-f]\{64\}; Path=/admin; HttpOnly; SameSite=Strict; Max-Age=28800"
lacks_head "plain HTTP: not Secure" "Secure"
COOKIE=$(awk '$6 == "zhucan_admin" {print $7}' "$T/jar")
same "cookie in the jar" "${#COOKIE}" 64
n=$(sqlite3 "$DB" ".dump" | grep -c -- "$COOKIE")
same "the session token is not stored in clear" "$n" 0
# the session opens nothing on the sync API
http "session cookie on the sync API" 401 -b "$T/jar" --cookie "zhucan_admin=$COOKIE" "$URL/api/v1/config"
http "session as a bearer token" 401 -H "X-Zhucan-Terminal: T-0001" -H "Authorization: Bearer $COOKIE" \
    "$URL/api/v1/config"

# --- the page: its numbers are the reports' ---
yuan() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); }
http "page" 200 -b "$T/jar" "$URL/admin/?month=$MONTH"
has_head "page" "^Content-Security-Policy: default-src 'none'"
has_head "page" "^Cache-Control: no-store"
has_body "page" "2026年11月"
has_body "page" '<svg viewBox'
has_body "page" 'settlement.csv?month=2026-11'
lacks_body "page" "<script"
cp "$T/body" "$T/page.html"
S="$T/settlement.json"
has_body "meals" "<span>用餐人次</span><b>$meals</b>"
for k in gross_fen:餐费合计 subsidy_fen:补贴合计 pay_fen:老人自付; do
    has_body "${k%%:*}" "<span>${k#*:}（元）</span><b>$(yuan "$(jq -r ".totals.${k%%:*}" "$S")")</b>"
done
has_body "voids" "<span>作废笔数</span><b>$(jq -r '.totals.voids' "$S")</b>"
same "one void" "$(jq -r '.totals.voids' "$S")" 1
for c in C-0001 C-0002; do
    f() { jq -r --arg c "$c" ".canteens[] | select(.id == \$c) | .$1" "$S"; }
    has_body "$c row" "<td class=\"n\">$(f meals)</td><td class=\"n\">$(yuan "$(f gross_fen)")</td><td class=\"n\">$(yuan "$(f subsidy_fen)")</td><td class=\"n\">$(yuan "$(f pay_fen)")</td><td class=\"n\">$(f voids)</td>"
done
# a column per funding source: city, district, town in the totals' order
srcs=$(jq -r '[.totals.sources[].source] | join(",")' "$S")
same "three funding sources" "$srcs" "city,district,town"
has_body "source columns" '<th class="n">市级补贴</th><th class="n">区级补贴</th><th class="n">街道/乡镇补贴</th>'
for i in 0 1 2; do
    has_body "total of source $i" "<td class=\"n\">$(yuan "$(jq -r ".totals.sources[$i].subsidy_fen" "$S")")<br><small>$(jq -r ".totals.sources[$i].meals" "$S") 人次</small></td>"
done
# the chart: a bar per day in each chart, and the 2nd's numbers
same "30 days" "$(jq -r '.days | length' "$S")" 30
same "60 bars" "$(grep -o '<rect ' "$T/page.html" | wc -l)" 60
has_body "2nd of November" "<title>11月2日 周一：$(jq -r '.days[1].meals' "$S") 人次</title>"
has_body "2nd, subsidy" "<title>11月2日 周一：补贴 $(yuan "$(jq -r '.days[1].subsidy_fen' "$S")") 元</title>"
# reconcile: the lost closing, terminal 2 first
R="$T/reconcile.json"
has_body "problems" "1 台终端有问题"
same "T-0002's missing closing" "$(jq -c '.terminals[] | select(.id == "T-0002") | .missing_closings' "$R")" '["2026-11-10"]'
has_body "the missing closing" "<dt>未上报日结</dt><dd>2026-11-10</dd>"
p2=$(grep -bo '>T-0002<' "$T/page.html" | head -1 | cut -d: -f1)
p1=$(grep -bo '>T-0001<' "$T/page.html" | head -1 | cut -d: -f1)
[ -n "$p1" ] && [ -n "$p2" ] && [ "$p2" -lt "$p1" ] && ok || bad "T-0002 (problems) is not listed first"
for t in T-0001 T-0003; do
    same "$t ok" "$(jq -r --arg t $t '.terminals[] | select(.id == $t) | .status' "$R")" ok
done
has_body "T-0001's held sales" ">T-0001</td><td class=\"id\">C-0001</td><td><span class=\"badge ok\">一致</span></td><td class=\"n\">$(jq -r '.terminals[] | select(.id == "T-0001") | .closings' "$R")</td><td class=\"n\">$(jq -r '.terminals[] | select(.id == "T-0001") | .held_sales' "$R") 笔</td>"
# anomalies: the double use, with its why
A="$T/anomalies.json"
has_body "anomaly count" "<small>共 $nanom 条；"
# every row explains itself in Chinese on the page (the English why stays in the JSON)
same "every anomaly has a Chinese why" "$(jq -r '[.anomalies[] | select((.why_zh // "") == "")] | length' "$A")" 0
jq -r '.anomalies[] | .why_zh' "$A" | head -3 | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g' | while IFS= read -r why; do
    grep -qF -- "$why" "$T/page.html" || echo "$why" >>"$T/why.missing"
done
[ ! -s "$T/why.missing" ] && ok || bad "anomaly why_zh not on the page: $(head -2 "$T/why.missing")"
has_body "the double use in Chinese" "跨饭堂超出上限"
has_body "the missing closing in Chinese" "2026-11-10 有销售，但终端没有上报这一天的日结。"
has_body "the English sentences folded" "<summary>英文原文（供技术人员）</summary>"
same "the double use is an anomaly" "$(jq -r '[.anomalies[] | select(.date == "2026-11-11" and .elder_id == "E0000002")] | length > 0' "$A")" true

http "bad month" 400 -b "$T/jar" "$URL/admin/?month=2026-13"
has_body "bad month" "YYYY-MM"
http "bad month, words" 400 -b "$T/jar" "$URL/admin/?month=November"
http "this month" 200 -b "$T/jar" "$URL/admin/"
http "csv" 200 -b "$T/jar" "$URL/admin/settlement.csv?month=$MONTH"
has_head "csv" "^Content-Type: text/csv; charset=utf-8"
has_head "csv" "^Content-Disposition: attachment; filename=\"settlement-$MONTH.csv\""
"$C" report settlement --db "$DB" --month $MONTH --format csv >"$T/cli.csv" 2>"$T/err"
cmp -s "$T/body" "$T/cli.csv" && ok || bad "the page's CSV is not the command's: $(diff "$T/body" "$T/cli.csv" | head -5)"
http "no such page" 404 -b "$T/jar" "$URL/admin/nothing"
http "PUT" 405 -b "$T/jar" -X PUT "$URL/admin/"

# --- logout ---
FT=$(sed -n 's/.*action="\/admin\/logout"><input type="hidden" name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/page.html" | head -1)
same "the page's form token" "${#FT}" 64
http "logout without the form token" 403 -b "$T/jar" -H "Origin: $URL" -X POST "$URL/admin/logout"
http "logout without Origin" 403 -b "$T/jar" -d "csrf=$FT" "$URL/admin/logout"
http "logout" 303 -b "$T/jar" -c "$T/jar" -H "Origin: $URL" -d "csrf=$FT" "$URL/admin/logout"
has_head "logout" "^Location: /admin/login"
has_head "logout" "Max-Age=0"
http "old cookie after logout" 303 --cookie "zhucan_admin=$COOKIE" "$URL/admin/"

# --- one-time links ---
expect_exit 2 "link, bad minutes" "$C" admin link --db "$DB" --user ops --minutes 0
expect_exit 1 "link, unknown admin" "$C" admin link --db "$DB" --user nobody
expect_exit 0 "link" "$C" admin link --db "$DB" --user ops --base "$URL/"
LINK=$(cat "$T/out")
case "$LINK" in "$URL/admin/link?t="*) ok ;; *) bad "link is '$LINK'" ;; esac
http "link" 303 -c "$T/jar2" "$LINK"
has_head "link" "^Location: /admin/"
has_head "link" "^Set-Cookie: zhucan_admin="
http "link twice" 403 "$LINK"
lacks_head "link twice" "Set-Cookie"
http "page via the link's session" 200 -b "$T/jar2" "$URL/admin/?month=$MONTH"

# --- headless Chromium: a link, the redirect with its cookie, the page ---
if [ ! -x "$CHROMIUM" ]; then
    bad "no $CHROMIUM (Debian package chromium)"
    finish
fi
# chrome_run NAME ARGS... : a fresh profile each time; output in $T/chrome.out
chrome_run() {
    name=$1; shift
    rm -rf "$T/profile"
    timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --lang=zh-CN \
        --no-first-run --user-data-dir="$T/profile" "$@" >"$T/chrome.out" 2>"$T/chrome.err"
    rc=$?
    if [ "$rc" -eq 0 ]; then ok; else bad "$name: chromium exit $rc: $(tail -c 300 "$T/chrome.err")"; fi
}
for w in 1366 1920; do
    "$C" admin link --db "$DB" --user ops --base "$URL" >"$T/link" 2>/dev/null
    chrome_run "screenshot $w" --window-size=$w,900 --screenshot="$T/admin-$w.png" "$(cat "$T/link")"
    size=$(stat -c %s "$T/admin-$w.png" 2>/dev/null || echo 0)
    [ "$size" -gt 20000 ] && ok || bad "screenshot $w: $size bytes"
    magic=$(head -c 8 "$T/admin-$w.png" | od -An -tx1 | tr -d ' \n')
    same "screenshot $w is a PNG" "$magic" "89504e470d0a1a0a"
    [ -n "$ADMIN_SHOTS" ] && cp "$T/admin-$w.png" "$ADMIN_SHOTS/"
done
"$C" admin link --db "$DB" --user ops --base "$URL" >"$T/link" 2>/dev/null
chrome_run "dump-dom" --dump-dom "$(cat "$T/link")"
cp "$T/chrome.out" "$T/body"
has_body "chromium signed in and followed the redirect" "退出登录"
has_body "chromium shows the month" "月度结算"
has_body "chromium shows the meals" "<span>用餐人次</span><b>$meals</b>"
lacks_body "chromium is not on the login form" 'name="password"'
has_body "chromium shows the subsidy" "<span>补贴合计（元）</span><b>$(yuan "$(jq -r '.totals.subsidy_fen' "$S")")</b>"
# the link was spent by Chromium
http "link spent by chromium" 403 "$(cat "$T/link")"


# --- a canteen named with markup is text, for curl and for Chromium ---
EVIL='<script>alert(1)</script><img src=x onerror=alert(2)>食堂'
EVIL_TEXT='&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;食堂'
expect_exit 0 "canteen with markup" "$C" canteen add --db "$DB" --id C-0003 --name "$EVIL"
http "page with markup" 200 -b "$T/jar2" "$URL/admin/?month=$MONTH"
has_body "markup escaped" "$EVIL_TEXT"
lacks_body "no script element" "<script"
lacks_body "no img element" "<img"
"$C" admin link --db "$DB" --user ops --base "$URL" >"$T/link" 2>/dev/null
chrome_run "dump-dom with markup" --dump-dom "$(cat "$T/link")"
cp "$T/chrome.out" "$T/body"
has_body "chromium: markup is text" "$EVIL_TEXT"
lacks_body "chromium: no script element" "<script"
lacks_body "chromium: no img element" "<img"

# --- the month the page opens on: last month's claim before the claim day ---
# main centre: 3 December, claim day 10 (the default) -> November, as above
http "default month on the 3rd" 200 -b "$T/jar2" "$URL/admin/"
has_body "on 3 December the page opens on November" "<h1>助餐 · 2026年11月 运营月报</h1>"
# at_day NOW CLAIM_ARGS... : a second centre on the same database, pinned
at_day() {
    now=$1; shift
    rm -f "$T/serve2.out"
    ZHUCAN_NOW=$now "$C" serve --db "$DB" --listen 127.0.0.1:0 "$@" >"$T/serve2.out" 2>"$T/serve2.err" &
    PID2=$!
    i=0
    while [ $i -lt 100 ] && ! grep -q "listening on" "$T/serve2.out"; do sleep 0.05; i=$((i + 1)); done
    URL2=$(sed -n 's/^listening on //p' "$T/serve2.out")
    ZHUCAN_NOW=$now "$C" admin link --db "$DB" --user ops --base "$URL2" >"$T/link2" 2>/dev/null
    http "link at $now $*" 303 -c "$T/jar3" "$(cat "$T/link2")"
    http "default month at $now $*" 200 -b "$T/jar3" "$URL2/admin/"
    kill "$PID2" 2>/dev/null; wait "$PID2" 2>/dev/null
}
at_day 2026-12-15T10:00:00+08:00
has_body "on 15 December the page opens on December" "<h1>助餐 · 2026年12月 运营月报</h1>"
at_day 2026-12-15T10:00:00+08:00 --claim-day 20
has_body "claim day 20: on the 15th still November" "<h1>助餐 · 2026年11月 运营月报</h1>"
at_day 2027-01-02T10:00:00+08:00
has_body "on 2 January the page opens on last December" "<h1>助餐 · 2026年12月 运营月报</h1>"
expect_exit 2 "claim day 29 refused" "$C" serve --db "$DB" --listen 127.0.0.1:0 --claim-day 29
expect_err "claim day 29 refused, says why" "claim-day must be a day 1 to 28"
expect_exit 1 "a malformed ZHUCAN_NOW is refused" env ZHUCAN_NOW=yesterday "$C" report --db "$DB"
expect_err "a malformed ZHUCAN_NOW is named" 'ZHUCAN_NOW="yesterday" is not a moment'

grep -q "GET /admin/ admin:ops -> 200" "$T/serve.err" && ok || bad "the log names the admin"
n=$(grep -c -e "$PW" -e "t=[0-9a-f]" -e "$COOKIE" -e "$LT" "$T/serve.err")
same "the log holds no password, link or session token" "$n" 0
finish
