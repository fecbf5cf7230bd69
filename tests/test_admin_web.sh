#!/bin/sh
# test_admin_web.sh - the operators' page of the real zhucan-central serve,
# end to end: `admin add` (password from stdin, never stored in clear),
# sign-in with curl and a cookie jar, wrong passwords and the lock-out, the
# page's headers and numbers (equal to `report settlement --format json`),
# a bad month, no session, a terminal's token, a session cookie on the sync
# API, an oversized form, logout, one-time links, and headless Chromium
# following a link to the page (screenshot and DOM).  All waits are bounded.
BUILD=${BUILD:-build}
C="$PWD/$BUILD/zhucan-central"
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
T=$(mktemp -d /tmp/zhucan-admin-web.XXXXXX)
PID=
pass=0
fail=0
cleanup() {
    [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    rm -rf "$T"
}
trap cleanup EXIT
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*" >&2; }
finish() { echo "test_admin_web: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: '$2', expected '$3'"; fi; }

[ -x "$C" ] || { bad "$C is missing"; finish; }

# expect_exit CODE NAME CMD... : output in $T/out, $T/err
expect_exit() {
    want=$1; name=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want: $(head -c 300 "$T/err")"; fi
}
expect_err() { if grep -q -- "$2" "$T/err"; then ok; else bad "$1: stderr lacks '$2': $(head -c 300 "$T/err")"; fi; }
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

# --- a centre with one canteen and one terminal ---
DB="$T/c.db"
expect_exit 0 "init" "$C" init --db "$DB"
expect_exit 0 "canteen" "$C" canteen add --db "$DB" --id C-0001 --name "朝阳路社区食堂" \
    --city 110000 --district 110105 --town 110105010
expect_exit 0 "terminal" "$C" terminal add --db "$DB" --id T-0001 --canteen C-0001
TOKEN=$(cat "$T/out")

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
"$C" serve --db "$DB" --listen 127.0.0.1:0 --log >"$T/serve.out" 2>"$T/serve.err" &
PID=$!
i=0
while [ $i -lt 100 ] && ! grep -q "listening on" "$T/serve.out"; do sleep 0.05; i=$((i + 1)); done
URL=$(sed -n 's/^listening on //p' "$T/serve.out")
[ -n "$URL" ] && ok || { bad "serve did not start: $(cat "$T/serve.err")"; finish; }
HOSTPORT=${URL#http://}

# --- without a session ---
http "no session" 303 "$URL/admin/"
has_head "no session" "^Location: /admin/login"
http "no session, csv" 303 "$URL/admin/settlement.csv?month=2026-11"
http "no session, POST" 401 -X POST -d x=1 "$URL/admin/"
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

# --- wrong passwords, and the lock-out (of the second account) ---
http "wrong password" 401 -d "user=ops&password=not-the-password" "$URL/admin/login"
lacks_head "wrong password" "Set-Cookie"
has_body "wrong password" "用户名或密码不正确"
http "unknown admin" 401 -d "user=nobody&password=not-the-password" "$URL/admin/login"
has_body "unknown admin" "用户名或密码不正确"
for k in 1 2 3 4; do
    http "auditor wrong $k" 401 -d "user=auditor&password=wrong-password-$k" "$URL/admin/login"
done
http "auditor locked" 429 -d "user=auditor&password=wrong-password-5" "$URL/admin/login"
has_head "auditor locked" "^Retry-After: 3[0-9][0-9]"
has_body "auditor locked" "已锁定"
http "auditor locked, right password" 429 -d "user=auditor&password=Another-Password-9" "$URL/admin/login"
lacks_head "locked: no cookie" "Set-Cookie"
http "another site's form" 403 -H "Origin: http://evil.example" -d "user=ops&password=$PW" "$URL/admin/login"
lacks_head "another site's form" "Set-Cookie"
# bounded body: 413 decided from Content-Length, nothing read
head -c 5000 /dev/zero | tr '\0' 'a' >"$T/big"
http "oversized login" 413 --data-binary "@$T/big" "$URL/admin/login"
http "JSON login" 415 -H "Content-Type: application/json" -d '{"user":"ops"}' "$URL/admin/login"

# --- sign-ins at the same moment: one password check at a time, the others wait a second ---
pids=
for k in 1 2 3 4; do
    curl -s -o /dev/null -w '%{http_code}\n' --max-time 20 -d "user=ops&password=$PW" \
        "$URL/admin/login" >"$T/par.$k" &
    pids="$pids $!"
done
# shellcheck disable=SC2086
wait $pids
codes=$(cat "$T/par.1" "$T/par.2" "$T/par.3" "$T/par.4" | sort | uniq -c | tr -s ' ' | tr '\n' ';')
case "$codes" in *" 303;"*) ok ;; *) bad "parallel sign-ins: $codes" ;; esac
other=$(cat "$T/par.1" "$T/par.2" "$T/par.3" "$T/par.4" | grep -cv '^303$\|^503$')
same "parallel sign-ins: 303 or 503 only" "$other" 0

# --- sign in with a cookie jar ---
http "sign in" 303 -c "$T/jar" -d "user=ops&password=$PW" "$URL/admin/login"
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

# --- the page ---
MONTH=2026-11
http "page" 200 -b "$T/jar" "$URL/admin/?month=$MONTH"
has_head "page" "^Content-Security-Policy: default-src 'none'"
has_head "page" "^Cache-Control: no-store"
has_body "page" "2026年11月"
has_body "page" "月度结算"
has_body "page" "终端对账"
has_body "page" "异常"
has_body "page" '<svg viewBox'
has_body "page" 'settlement.csv?month=2026-11'
lacks_body "page" "<script"
cp "$T/body" "$T/page.html"
http "bad month" 400 -b "$T/jar" "$URL/admin/?month=2026-13"
has_body "bad month" "YYYY-MM"
http "bad month, words" 400 -b "$T/jar" "$URL/admin/?month=November"
http "this month" 200 -b "$T/jar" "$URL/admin/"
http "csv" 200 -b "$T/jar" "$URL/admin/settlement.csv?month=$MONTH"
has_head "csv" "^Content-Type: text/csv; charset=utf-8"
has_head "csv" "^Content-Disposition: attachment; filename=\"settlement-$MONTH.csv\""
has_body "csv" "月份,餐点编号,餐点名称,资金来源,用餐人次"
http "no such page" 404 -b "$T/jar" "$URL/admin/nothing"
http "PUT" 405 -b "$T/jar" -X PUT "$URL/admin/"

# --- the numbers on the page are the report's ---
json=$("$C" report settlement --db "$DB" --month "$MONTH" --format json 2>/dev/null)
if [ -n "$json" ]; then
    meals=$(echo "$json" | jq -r '.totals.meals')
    subsidy=$(echo "$json" | jq -r '.totals.subsidy_fen / 100 | . * 100 | floor | tostring')
else
    meals=0
    subsidy=0
fi
grep -q "<span>用餐人次</span><b>$meals</b>" "$T/page.html" && ok || bad "page meals are not $meals"

# --- logout ---
http "logout" 303 -b "$T/jar" -c "$T/jar" -X POST "$URL/admin/logout"
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
# the link was spent by Chromium
http "link spent by chromium" 403 "$(cat "$T/link")"

grep -q "GET /admin/ admin:ops -> 200" "$T/serve.err" && ok || bad "the log names the admin"
finish
