#!/bin/sh
# test_central.sh - the zhucan-central command line and the real `serve`
# process: exit codes (0 ok, 1 refused, 2 usage), --help everywhere, the
# admin commands' refusals, serve on an ephemeral port with plain HTTP and
# with HTTPS (a CA made here with openssl; curl trusts it, and refuses a
# certificate from another CA), SIGTERM stopping it cleanly, SIGKILL and a
# restart losing nothing.  All waits are bounded.
SUITE=test_central_sh
LIB_KILL=9
. tests/lib.sh
Z="$C" # in this suite Z is the centre
DB="$T/c.db"

# serve_start [ARGS...] : starts serve on port 0, sets PID and URL
serve_start() {
    serve_bg "$T/serve.out" "$T/serve.err" "$Z" serve --db "$DB" --listen 127.0.0.1:0 "$@"
    if [ -n "$URL" ]; then ok; else bad "serve did not start: $(cat "$T/serve.err")"; fi
}
# serve_stop SIGNAL : sends it and waits at most 5 s; exit status in $STOPPED
serve_stop() {
    kill "-$1" "$PID" 2>/dev/null
    i=0
    while [ $i -lt 50 ] && kill -0 "$PID" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    if kill -0 "$PID" 2>/dev/null; then bad "serve still running 5 s after SIG$1"; kill -9 "$PID"; fi
    wait "$PID" 2>/dev/null
    STOPPED=$?
    PID=
}
# http NAME WANT_CODE CURL_ARGS... : checks the HTTP status; body in $T/body
http() {
    name=$1; want=$2; shift 2
    code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 10 "$@")
    if [ "$code" = "$want" ]; then ok; else bad "$name: HTTP $code, expected $want: $(head -c 200 "$T/body")"; fi
}

# --- usage and help ---
expect_exit 0 "help" "$Z" --help
expect_exit 2 "no command" "$Z"
expect_exit 2 "unknown command" "$Z" frobnicate
for c in init "canteen add" "terminal add" "roster import" "policy publish" "card set" qr-key \
         qr-issue report serve; do
    # shellcheck disable=SC2086
    expect_exit 0 "$c --help" "$Z" $c --help
done
expect_exit 2 "init without --db" "$Z" init
expect_exit 2 "unknown option" "$Z" init --db "$DB" --bogus
expect_exit 2 "canteen without add" "$Z" canteen --db "$DB"
expect_exit 2 "serve without --listen" "$Z" serve --db "$DB"

# --- init ---
expect_exit 1 "serve before init" "$Z" serve --db "$DB" --listen 127.0.0.1:0
expect_err "serve before init" "zhucan-central init"
expect_exit 0 "init" "$Z" init --db "$DB"
expect_exit 1 "init again" "$Z" init --db "$DB"
expect_err "init again" "already exists"
mode=$(stat -c %a "$DB")
[ "$mode" = 600 ] && ok || bad "database mode is $mode, expected 600"
echo "this is not a database, it is a text file long enough to look like one" >"$T/notdb"
expect_exit 1 "not a database" "$Z" report --db "$T/notdb"
expect_err "not a database" "not a Zhucan central database"

# --- canteens and terminals ---
expect_exit 0 "canteen add" "$Z" canteen add --db "$DB" --id C-0001 --name "双井老年餐桌" \
    --city 110000 --district 110105 --town 110105010
expect_exit 1 "canteen twice" "$Z" canteen add --db "$DB" --id C-0001 --name x
expect_err "canteen twice" "already exists"
expect_exit 1 "canteen bad id" "$Z" canteen add --db "$DB" --id "C 1" --name x
expect_exit 1 "canteen bad region" "$Z" canteen add --db "$DB" --id C-2 --name x --city Beijing
expect_exit 1 "terminal of unknown canteen" "$Z" terminal add --db "$DB" --id T-0001 --canteen C-9
expect_err "terminal of unknown canteen" "canteen add"
expect_exit 1 "terminal bad card format" "$Z" terminal add --db "$DB" --id T-0001 --canteen C-0001 \
    --card-format octal
expect_exit 0 "terminal add" "$Z" terminal add --db "$DB" --id T-0001 --canteen C-0001
TOKEN=$(cat "$T/out")
echo "$TOKEN" | grep -Eq '^[0-9a-f]{64}$' && ok || bad "token is not 64 hex digits: $TOKEN"
expect_err "token shown once" "shown only now"
n=$(sqlite3 "$DB" "SELECT count(*) FROM terminal WHERE token_hash = '$(printf %s "$TOKEN" | sha256sum | cut -c1-64)'")
[ "$n" = 1 ] && ok || bad "the token's SHA-256 is not what is stored"
n=$(sqlite3 "$DB" ".dump" | grep -c "$TOKEN")
[ "$n" = 0 ] && ok || bad "the token is stored in clear"
expect_exit 1 "terminal twice" "$Z" terminal add --db "$DB" --id T-0001 --canteen C-0001

# --- policies ---
P=db/policies/beijing.json
expect_exit 0 "publish" "$Z" policy publish --db "$DB" "$P"
expect_exit 0 "publish again" "$Z" policy publish --db "$DB" "$P"
expect_out "publish again" "already published"
sed 's/"min_bill_fen": 500/"min_bill_fen": 600/' "$P" >"$T/changed.json"
expect_exit 1 "same version, other text" "$Z" policy publish --db "$DB" "$T/changed.json"
expect_err "same version, other text" "new \"version\""
sed 's/"percent"/"percnt"/; s/"fen": 500}/"fen": -5}/' "$P" >"$T/broken.json"
expect_exit 1 "broken policy" "$Z" policy publish --db "$DB" "$T/broken.json"
expect_err "broken policy" "rules\[0\]"
expect_exit 1 "missing policy file" "$Z" policy publish --db "$DB" "$T/nope.json"

# --- roster ---
cat >"$T/bad.csv" <<'CSV'
elder_id,name,birth_date,reg_city,reg_district,cards
E0000001,张桂英,1940-03-15,110000,110105,00000000A1
E0000002,李建国,1961-13-20,110000,110105,00000000A2
E0000003,王秀兰,1964-04-10,110000,110105,00000000A1
CSV
expect_exit 1 "bad roster" "$Z" roster import --db "$DB" "$T/bad.csv"
expect_err "bad roster line 3" "line 3: birth_date"
expect_err "bad roster line 4" "line 4: cards: card 00000000A1 is also on line 2"
n=$(sqlite3 "$DB" "SELECT count(*) FROM elder")
[ "$n" = 0 ] && ok || bad "a bad roster stored $n elders"
head -2 "$T/bad.csv" >"$T/good.csv"
expect_exit 0 "good roster" "$Z" roster import --db "$DB" "$T/good.csv"
expect_out "good roster" "imported 1 elders"
expect_exit 0 "same roster again" "$Z" roster import --db "$DB" "$T/good.csv"
expect_out "same roster again" "(0 new or changed)"
expect_exit 1 "card set unknown" "$Z" card set --db "$DB" --uid 00000000FF --status blocked
expect_exit 1 "card set bad status" "$Z" card set --db "$DB" --uid 00000000A1 --status stolen
expect_exit 0 "card set" "$Z" card set --db "$DB" --uid 00000000a1 --status lost

# --- QR ---
expect_exit 1 "qr-issue without key" "$Z" qr-issue --db "$DB" --elder E0000001 --expires 2030-01-01
expect_exit 0 "qr-key" "$Z" qr-key --db "$DB"
PK=$(cat "$T/out")
echo "$PK" | grep -Eq '^[0-9a-f]{64}$' && ok || bad "qr-key printed '$PK'"
expect_exit 0 "qr-key again" "$Z" qr-key --db "$DB"
[ "$(cat "$T/out")" = "$PK" ] && ok || bad "qr-key made a new key the second time"
expect_exit 0 "qr-issue" "$Z" qr-issue --db "$DB" --elder E0000001 --expires 2030-01-01
expect_out "qr-issue" "^ZCQ1\."
expect_exit 1 "qr-issue unknown elder" "$Z" qr-issue --db "$DB" --elder E404 --expires 2030-01-01

# --- serve over HTTP ---
expect_exit 1 "serve bad listen" "$Z" serve --db "$DB" --listen nowhere
expect_exit 1 "serve cert without key" "$Z" serve --db "$DB" --listen 127.0.0.1:0 --tls-cert x
serve_start --log
H1="X-Zhucan-Terminal: T-0001"
http "health" 200 "$URL/api/v1/health"
grep -q '"ok":true' "$T/body" && ok || bad "health body: $(cat "$T/body")"
http "time" 200 -H "$H1" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/time"
http "wrong token" 401 -H "$H1" -H "Authorization: Bearer x$TOKEN" "$URL/api/v1/time"
http "no token" 401 "$URL/api/v1/roster"
http "empty batch" 200 -H "$H1" -H "Authorization: Bearer $TOKEN" --data '{"sales":[]}' "$URL/api/v1/sales"
grep -q '"results":\[\]' "$T/body" && ok || bad "empty batch body: $(cat "$T/body")"
http "bad batch" 400 -H "$H1" -H "Authorization: Bearer $TOKEN" --data '{"sales":[{}]}' "$URL/api/v1/sales"
grep -q 'sales\[0\].id: is missing' "$T/body" && ok || bad "bad batch body: $(cat "$T/body")"
head -c 4194305 /dev/zero | tr '\0' ' ' >"$T/big"
http "too big" 413 -H "$H1" -H "Authorization: Bearer $TOKEN" --data-binary @"$T/big" "$URL/api/v1/sales"
# without Content-Length the server cannot answer mid-body: it closes the connection
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -H "$H1" -H "Authorization: Bearer $TOKEN" \
    -H "Transfer-Encoding: chunked" -H "Expect:" --data-binary @"$T/big" "$URL/api/v1/sales")
case "$code" in 000 | 413) ok ;; *) bad "chunked too big: HTTP $code" ;; esac
http "still serving" 200 "$URL/api/v1/health"
http "roster" 200 -H "$H1" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/roster?after=0"
grep -q '"status":"lost"' "$T/body" && ok || bad "roster lacks the lost card: $(head -c 300 "$T/body")"
grep -q 'POST /api/v1/sales T-0001 -> 400' "$T/serve.err" && ok || bad "--log line missing"
serve_stop TERM
[ "$STOPPED" = 0 ] && ok || bad "serve exited $STOPPED after SIGTERM"
grep -q "SIGTERM received" "$T/serve.err" && ok || bad "no stop message: $(cat "$T/serve.err")"

# SIGTERM while a slow upload is under way: that request still gets its reply
serve_start
{ printf '{"sales":[]}'; head -c 150000 /dev/zero | tr '\0' ' '; } >"$T/slow.json"
curl -s -o "$T/slow.body" -w '%{http_code}' --max-time 20 --limit-rate 50K -H "$H1" \
    -H "Authorization: Bearer $TOKEN" -H "Expect:" --data-binary @"$T/slow.json" \
    "$URL/api/v1/sales" >"$T/slow.code" &
CURL=$!
sleep 1
serve_stop TERM
wait "$CURL"
[ "$(cat "$T/slow.code")" = 200 ] && ok || bad "in-flight request during stop: HTTP $(cat "$T/slow.code")"
[ "$STOPPED" = 0 ] && ok || bad "serve exited $STOPPED after a graceful stop"

# SIGKILL then restart: the database is fine and serves again
serve_start
serve_stop KILL
serve_start
http "after kill" 200 -H "$H1" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/config"
grep -q '"qr_pubkey":"'"$PK"'"' "$T/body" && ok || bad "config after restart: $(cat "$T/body")"
serve_stop INT
[ "$STOPPED" = 0 ] && ok || bad "serve exited $STOPPED after SIGINT"
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] && ok || bad "integrity check failed"

# --- serve over HTTPS with a private CA ---
(
    cd "$T" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
        -out ca.pem -days 2 -subj "/CN=Zhucan test CA" &&
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout other.key \
        -out other.pem -days 2 -subj "/CN=Someone else" &&
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' >ext.cnf &&
    openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout srv.key \
        -out srv.csr -subj "/CN=127.0.0.1" &&
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 \
        -extfile ext.cnf
) >/dev/null 2>&1 && ok || bad "openssl could not make the test certificates"
serve_start --tls-cert "$T/srv.pem" --tls-key "$T/srv.key"
case "$URL" in https://*) ok ;; *) bad "TLS serve announced $URL" ;; esac
http "https trusted" 200 --cacert "$T/ca.pem" -H "$H1" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/time"
curl -s -o /dev/null --max-time 10 --cacert "$T/other.pem" "$URL/api/v1/health"
rc=$?
[ "$rc" = 60 ] && ok || bad "untrusted CA: curl exit $rc, expected 60 (peer certificate cannot be verified)"
curl -s -o /dev/null --max-time 10 "$URL/api/v1/health"
rc=$?
[ "$rc" = 60 ] && ok || bad "system CAs: curl exit $rc, expected 60"
http "plain http to the TLS port" 000 "http://${URL#https://}/api/v1/health"
serve_stop TERM
[ "$STOPPED" = 0 ] && ok || bad "TLS serve exited $STOPPED after SIGTERM"

# --- report ---
expect_exit 0 "report" "$Z" report --db "$DB"
n=$(jq -r '.totals.sales' "$T/out" 2>/dev/null)
[ "$n" = 0 ] && ok || bad "report totals.sales = '$n'"
n=$(jq -r '.terminals[0].id' "$T/out" 2>/dev/null)
[ "$n" = T-0001 ] && ok || bad "report terminals[0].id = '$n'"

finish
