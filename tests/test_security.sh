#!/bin/sh
# test_security.sh - abuse of the real processes: the terminal's sync client
# against a real zhucan-central over TLS with bad certificates (expired,
# another host's, an unknown CA: refused, nothing marked sent); the centre's
# API with missing, wrong and another terminal's tokens, a replayed batch,
# an oversized body, deep nesting and SQL-looking text in every field and
# parameter (tables intact, nothing matched wrongly); `zhucan verify`
# naming an edited audit row; database files created with mode 0600.
# Prints the abuse cases tried per interface.  All waits are bounded.
SUITE=test_security_sh
. tests/lib.sh
# this suite's stderr checks ignore case
expect_err() { if grep -qi -- "$2" "$T/err"; then ok; else bad "$1: stderr lacks '$2': $(head -c 300 "$T/err")"; fi; }
# abuse NAME: counts one abuse case for interface NAME
abuse() { echo "$1" >>"$T/abuse"; }

for b in "$Z" "$C"; do
    if [ ! -x "$b" ]; then bad "$b is not built"; finish; fi
done
umask 022

# --- certificates: a CA, a good one, an expired one, another host's, another CA's ---
(
    cd "$T" || exit 1
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=zhucan-sec-ca &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout evil.key -out evil.pem -days 2 -subj /CN=evil-ca &&
    printf 'subjectAltName=IP:127.0.0.1\n' >ip.cnf &&
    printf 'subjectAltName=DNS:centre.elsewhere.example\n' >host.cnf &&
    for n in good expired wronghost untrusted; do
        openssl req -newkey rsa:2048 -nodes -keyout $n.key -out $n.csr -subj /CN=127.0.0.1 || exit 1
    done &&
    openssl x509 -req -in good.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out good.pem -days 2 -extfile ip.cnf &&
    openssl x509 -req -in wronghost.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out wronghost.pem -days 2 \
        -extfile host.cnf &&
    openssl x509 -req -in untrusted.csr -CA evil.pem -CAkey evil.key -CAcreateserial -out untrusted.pem \
        -days 2 -extfile ip.cnf &&
    # openssl ca is the one that can date a certificate in the past
    : >index.txt && echo 1000 >serial &&
    printf '[ca]\ndefault_ca=t\n[t]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n' >ca.cnf &&
    openssl ca -batch -config ca.cnf -cert ca.pem -keyfile ca.key -in expired.csr -out expired.pem -notext \
        -startdate 20200101000000Z -enddate 20200201000000Z -extfile ip.cnf
) >"$T/openssl.log" 2>&1 && ok || bad "openssl could not make the test certificates: $(tail -3 "$T/openssl.log")"

# --- the centre (mode 0600 from init) and two terminals registered ---
CDB="$T/centre.db"
expect_exit 0 "central init" "$C" init --db "$CDB"
same "centre db mode" "$(stat -c %a "$CDB")" 600
expect_exit 0 "canteen" "$C" canteen add --db "$CDB" --id C-0001 --name 食堂 --city 110000 --district 110105 --town 110105010
expect_exit 0 "terminal T-0001" "$C" terminal add --db "$CDB" --id T-0001 --canteen C-0001
TOKEN_A=$(tail -n 1 "$T/out")
expect_exit 0 "terminal T-0002" "$C" terminal add --db "$CDB" --id T-0002 --canteen C-0001
TOKEN_B=$(tail -n 1 "$T/out")
printf 'elder_id,name,birth_date,reg_city,reg_district,cards\nE9000001,孙秀英,1940-03-15,110000,110105,00000E9001\n' >"$T/roster.csv"
expect_exit 0 "roster" "$C" roster import --db "$CDB" "$T/roster.csv"
expect_exit 0 "policy" "$C" policy publish --db "$CDB" db/policies/beijing.json
chmod 644 "$CDB"
expect_exit 0 "a command on a 0644 centre database" "$C" canteen add --db "$CDB" --id C-0002 --name 二食堂
same "centre db mode after opening" "$(stat -c %a "$CDB")" 600

# serve CERT: the centre over HTTPS with CERT (or plain HTTP with "plain"); sets PID, PORT
serve() {
    if [ "$1" = plain ]; then tls=""; else tls="--tls-cert $T/$1.pem --tls-key $T/$1.key"; fi
    : >"$T/serve.out" # truncated before the start: a restart must not read the last line
    # shellcheck disable=SC2086
    serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$CDB" --listen 127.0.0.1:0 $tls
    [ -n "$PORT" ] && ok || bad "the centre did not start with $1: $(head -c 300 "$T/serve.err")"
}
stop() { [ -n "$PID" ] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; PID=""; }

# --- terminal A: mode 0600 for the db, its WAL and index; one sale to send ---
A="$T/a.db"
expect_exit 0 "init A" "$Z" init --db "$A" --demo --elders 0
expect_exit 0 "terminal_id" "$Z" config set --db "$A" terminal_id T-0001
q "$A" "INSERT OR REPLACE INTO meta VALUES ('sync_token', '$TOKEN_A'), ('ca_file', '$T/ca.pem')"
expect_exit 0 "sell" "$Z" sell --db "$A" --operator c1 --pay cash --items A2
same "terminal db mode" "$(stat -c %a "$A")" 600
for f in "$A-wal" "$A-shm"; do
    if [ -e "$f" ]; then same "mode of $(basename "$f")" "$(stat -c %a "$f")" 600; fi
done
unsent() { q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL"; }
same "one sale unsent" "$(unsent)" 1

# --- TLS: each bad certificate is refused by name, nothing is marked sent ---
for c in expired:"has expired" wronghost:"another host name" untrusted:"not trusted"; do
    cert=${c%%:*}
    why=${c#*:}
    serve "$cert"
    expect_exit 0 "server_url" "$Z" config set --db "$A" server_url "https://127.0.0.1:$PORT"
    expect_exit 1 "sync with the $cert certificate" "$Z" sync --db "$A" --once
    expect_err "$cert: a certificate problem" "certificate"
    expect_err "$cert: which problem" "$why"
    same "$cert: nothing marked sent" "$(unsent)" 1
    same "$cert: nothing reached the centre" "$(q "$CDB" "SELECT count(*) FROM sale")" 0
    abuse "TLS certificate"
    stop
done
# the good certificate, for the record: it goes through
serve good
expect_exit 0 "server_url" "$Z" config set --db "$A" server_url "https://127.0.0.1:$PORT"
expect_exit 0 "sync with the good certificate" "$Z" sync --db "$A" --once
same "sent" "$(unsent)" 0
same "stored once" "$(q "$CDB" "SELECT count(*) FROM sale")" 1

# --- tokens through the terminal: wrong and another terminal's ---
expect_exit 0 "an elder's sale" "$Z" sell --db "$A" --operator c1 --pay cash --card 00000E9001 --items A1 \
    --at "2026-11-23 11:30"
for tok in wrong-token "$TOKEN_B" ""; do
    q "$A" "UPDATE meta SET value = '$tok' WHERE key = 'sync_token'"
    expect_exit 1 "sync with token '$tok'" "$Z" sync --db "$A" --once
    same "token '$tok': nothing marked sent" "$(unsent)" 1
    abuse "sync token (terminal)"
done
q "$A" "UPDATE meta SET value = '$TOKEN_A' WHERE key = 'sync_token'"
# --- a replayed batch: everything sent again is a duplicate, nothing counts twice ---
expect_exit 0 "sync" "$Z" sync --db "$A" --once
sums() { q "$1" "SELECT count(*) || '|' || total(gross_fen) || '|' || total(pay_fen) FROM sale"; }
before=$(sums "$CDB")
q "$A" "UPDATE outbox SET sent_utc = NULL"
expect_exit 0 "replay" "$Z" sync --db "$A" --once
same "replay: nothing double-counted" "$(sums "$CDB")" "$before"
same "replay: acknowledged" "$(unsent)" 0
same "centre = terminal" "$(sums "$CDB")" "$(sums "$A")"
abuse "replayed batch"
stop

# --- the API over plain HTTP on loopback: tokens, sizes, nesting, injection ---
serve plain
URL="http://127.0.0.1:$PORT/api/v1"
SCHEMA=$(q "$CDB" "SELECT count(*) FROM sqlite_master")
HOLD=$(sums "$CDB")
# http NAME WANT [CURL ARGS...]: one request, its status must be WANT
http() {
    name=$1; want=$2; shift 2
    code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 "$@")
    if [ "$code" = "$want" ]; then ok; else bad "$name: HTTP $code, expected $want: $(head -c 200 "$T/body")"; fi
}
HA="X-Zhucan-Terminal: T-0001"
http "no headers" 401 "$URL/time"
http "no token" 401 -H "$HA" "$URL/time"
http "wrong token" 401 -H "$HA" -H "Authorization: Bearer wrong" "$URL/time"
http "another terminal's token" 401 -H "$HA" -H "Authorization: Bearer $TOKEN_B" "$URL/time"
http "token without Bearer" 401 -H "$HA" -H "Authorization: $TOKEN_A" "$URL/time"
http "unknown terminal" 401 -H "X-Zhucan-Terminal: T-9999" -H "Authorization: Bearer $TOKEN_A" "$URL/time"
http "terminal id injection" 401 -H "X-Zhucan-Terminal: T-0001' OR '1'='1" -H "Authorization: Bearer $TOKEN_A" "$URL/time"
http "token injection" 401 -H "$HA" -H "Authorization: Bearer ' OR 1=1 --" "$URL/time"
http "token wildcard" 401 -H "$HA" -H "Authorization: Bearer %" "$URL/time"
http "no token on a push" 401 -H "$HA" --data '{"sales":[]}' "$URL/sales"
for i in 1 2 3 4 5 6 7 8 9 10; do abuse "API authentication"; done
http "right token" 200 -H "$HA" -H "Authorization: Bearer $TOKEN_A" "$URL/time"
AUTH="Authorization: Bearer $TOKEN_A"

head -c 5000000 /dev/zero | tr '\0' ' ' >"$T/big"
http "5 MB body" 413 -H "$HA" -H "$AUTH" --data-binary @"$T/big" "$URL/sales"
deep='{"sales":[],"voids":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}'
http "deep nesting" 400 -H "$HA" -H "$AUTH" --data "$deep" "$URL/sales"
grep -q "nested deeper" "$T/body" && ok || bad "deep nesting: $(head -c 200 "$T/body")"
http "deep nesting in a closing" 400 -H "$HA" -H "$AUTH" --data "$deep" "$URL/closing"
http "not JSON" 400 -H "$HA" -H "$AUTH" --data "'; DROP TABLE sale; --" "$URL/sales"
for i in 1 2 3 4; do abuse "API body size and shape"; done

# sales whose fields carry SQL: refused by shape (400) or by hash (rejected), never run
# sale FIELD VALUE-JSON: the documented example sale (the fuzz seed) with one field replaced
tail -c +2 tests/fuzz/central_req/push >"$T/push.json"
sale() { jq -c --arg f "$1" --argjson v "$2" '.sales[0][$f] = $v' "$T/push.json"; }
for f in id terminal canteen operator elder card policy policy_version pay_ref local_time period; do
    for v in "\"'; DROP TABLE sale; --\"" '"\" OR 1=1 --"' '"%"' '"_"' '"a\u0000b"'; do
        body=$(sale "$f" "$v")
        code=$(curl -s -o "$T/body" -w '%{http_code}' --max-time 20 -H "$HA" -H "$AUTH" --data "$body" "$URL/sales")
        case "$code" in
        400) ok ;;
        200) if grep -q '"status":"rejected"' "$T/body"; then ok; else bad "sale.$f=$v: $(head -c 200 "$T/body")"; fi ;;
        *) bad "sale.$f=$v: HTTP $code" ;;
        esac
        abuse "API sale fields"
    done
done
for v in "\"'; DROP TABLE sale; --\"" '"%"' '"2025-11-23'"'"' --"'; do
    http "closing date $v" 400 -H "$HA" -H "$AUTH" \
        --data "{\"date\":$v,\"count\":0,\"gross\":0,\"subsidy\":0,\"pay\":0,\"by_source\":[],\"last_seq\":0,\"chain_head\":\"$(printf '0%.0s' $(seq 64))\"}" \
        "$URL/closing"
    abuse "API closing fields"
done
# query parameters: a hostile elder matches nobody; the real one still matches
http "usage of the real elder" 200 -H "$HA" -H "$AUTH" "$URL/usage?elder=E9000001&date=2026-11-23"
same "the real elder's use" "$(jq '.uses | length' "$T/body")" 1
for e in "%27%20OR%201%3D1%20--" "%25" "E9%25" "_________" "E900000_" "%22%20OR%20%221%22%3D%221"; do
    http "usage elder=$e" 200 -H "$HA" -H "$AUTH" "$URL/usage?elder=$e&date=2026-11-23"
    same "usage elder=$e matches nobody" "$(jq -c .uses "$T/body")" "[]"
    abuse "API query parameters"
done
for p in "roster?after=0%20OR%201%3D1" "roster?after=0&limit=1%3BDROP%20TABLE%20sale" "policies?after=%27" \
         "roster?after=-1" "roster?after=99999999999999999999999" "usage?elder=E9000001&date=2026-11-23%27%20--"; do
    http "$p" 400 -H "$HA" -H "$AUTH" "$URL/$p"
    abuse "API query parameters"
done
same "centre schema intact" "$(q "$CDB" "SELECT count(*) FROM sqlite_master")" "$SCHEMA"
same "centre sales as they were" "$(sums "$CDB")" "$HOLD"
same "centre elders intact" "$(q "$CDB" "SELECT count(*) FROM elder")" 1
# the centre's WAL and index, made by SQLite while it serves, have the db's mode
for f in "$CDB-wal" "$CDB-shm"; do
    if [ -e "$f" ]; then same "mode of $(basename "$f")" "$(stat -c %a "$f")" 600; else bad "$f missing while serving"; fi
done
stop

# --- secrets on the terminal: never in argv, never printed, sealed with the key file ---
expect_exit 2 "sync_token as an argument" "$Z" config set --db "$A" sync_token "$TOKEN_A"
expect_err "the token argument is refused" "never an argument"
printf '%s\n' "$TOKEN_A" | "$Z" config set --db "$A" sync_token >"$T/out" 2>"$T/err" && ok || bad "token on stdin: $(cat "$T/err")"
printf '%s\n' "$TOKEN_A" >"$T/token.txt"
expect_exit 0 "token from a file" "$Z" config set --db "$A" sync_token --from-file "$T/token.txt"
expect_exit 1 "config get sync_token" "$Z" config get --db "$A" sync_token
hasnt "config get does not print the token" "$TOKEN_A" "$T/out"
hasnt "... nor on stderr" "$TOKEN_A" "$T/err"
case "$(q "$A" "SELECT value FROM meta WHERE key = 'sync_token'")" in
zk1:*) ok ;;
*) bad "sync_token is not sealed in the database" ;;
esac
same "no PIN hash in clear" "$(q "$A" "SELECT count(*) FROM operator WHERE pin_hash LIKE '\$argon2%'")" 0
same "key file mode" "$(stat -c %a "$T/zhucan.key")" 600
abuse "terminal secrets"
# a copy of the database (or a backup) without the key: no token, no PIN
mkdir -p "$T/thief"
expect_exit 0 "backup" "$Z" backup --db "$A" --to "$T/thief/a.db"
expect_exit 1 "the copy's token does not read" "$Z" sync --db "$T/thief/a.db" --once
if grep -q -- "$TOKEN_A" "$T/thief/a.db"; then bad "the backup holds the token in clear"; else ok; fi
abuse "terminal secrets"
# the owner's way back without the key (docs/security.md): a new key, PINs and token set again
expect_exit 1 "key reset while the key is fine" "$Z" key reset --db "$A"
expect_exit 0 "key reset on the copy" "$Z" key reset --db "$T/thief/a.db"
same "the new key's mode" "$(stat -c %a "$T/thief/zhucan.key")" 600
same "the token is gone" "$(q "$T/thief/a.db" "SELECT count(*) FROM meta WHERE key = 'sync_token'")" 0
same "the reset is audited" "$(q "$T/thief/a.db" "SELECT count(*) FROM audit WHERE action = 'key_reset'")" 1
# modes: a database and key made 0644 are 0600 after the next command; so is restore's aside copy
chmod 644 "$A" "$T/zhucan.key"
expect_exit 0 "a sale on a 0644 database" "$Z" sell --db "$A" --operator c1 --pay cash --items A2
same "db mode after sell" "$(stat -c %a "$A")" 600
same "key mode after sell" "$(stat -c %a "$T/zhucan.key")" 600
cp "$A" "$T/r.db" && chmod 644 "$T/r.db"
expect_exit 0 "backup for restore" "$Z" backup --db "$T/r.db" --to "$T/r.bak"
same "backup mode" "$(stat -c %a "$T/r.bak")" 600
expect_exit 0 "restore" "$Z" restore --db "$T/r.db" --from "$T/r.bak" --no-centre
for f in "$T"/r.db.damaged-*; do
    case "$f" in *-wal|*-shm) ;; *) same "mode of $(basename "$f")" "$(stat -c %a "$f")" 600 ;; esac
done
abuse "file modes"

# --- the centre's own guards: plain HTTP off the loopback, a key others may read ---
expect_exit 1 "plain HTTP on 0.0.0.0" "$C" serve --db "$CDB" --listen 0.0.0.0:0
expect_err "plain HTTP names the way out" "insecure-http"
abuse "centre listen"
# with --insecure-http the check passes and the bind is what fails (a TEST-NET address: nothing
# is exposed)
expect_exit 1 "--insecure-http passes the check" "$C" serve --db "$CDB" --listen 192.0.2.1:0 --insecure-http
expect_err "--insecure-http: then the bind" "cannot listen"
chmod 644 "$T/good.key"
expect_exit 1 "a TLS key of mode 0644" "$C" serve --db "$CDB" --listen 127.0.0.1:0 \
    --tls-cert "$T/good.pem" --tls-key "$T/good.key"
expect_err "the key's mode is named" "chmod 600"
chmod 600 "$T/good.key"
abuse "centre listen"

# --- control characters: in arguments, in CSV files ---
nl='
'
for v in "c1${nl}hidden" "$(printf 'c1\033[2J')" "$(printf 'c1\tx')"; do
    expect_exit 2 "an argument with a control character" "$Z" sell --db "$A" --operator "$v" --pay cash --items A2
    expect_err "the argument is refused" "control character"
    expect_exit 2 "a centre argument with a control character" "$C" canteen add --db "$CDB" --id C-0009 \
        --name "$v" --city 110000 --district 110105 --town 110105010
    abuse "control characters (CLI)"
done
same "no canteen C-0009" "$(q "$CDB" "SELECT count(*) FROM canteen WHERE id = 'C-0009'")" 0
printf 'elder_id,name,birth_date,reg_city,reg_district,cards\nE9000002,"孙\n秀英",1940-03-15,110000,110105,00000E9002\nE9000003,孙\033秀英,1940-03-15,110000,110105,00000E9003\n' >"$T/ctl.csv"
expect_exit 1 "a roster with control characters" "$C" roster import --db "$CDB" "$T/ctl.csv"
expect_err "the roster line is named" "control character"
same "no elder with a control character" "$(q "$CDB" "SELECT count(*) FROM elder WHERE id IN ('E9000002', 'E9000003')")" 0
abuse "control characters (CSV)"

# --- zhucan verify names an edited audit row ---
expect_exit 0 "verify" "$Z" verify --db "$A"
q "$A" "DROP TRIGGER audit_no_change; UPDATE audit SET detail = 'edited' WHERE id = 3"
expect_exit 1 "verify after an audit edit" "$Z" verify --db "$A"
expect_err "verify names the row" "audit log is broken at row 3"
abuse "audit log edit"

total=$(wc -l <"$T/abuse")
sort "$T/abuse" | uniq -c | while read -r n name; do printf 'abuse cases: %-28s %s\n' "$name" "$n"; done
printf 'abuse cases: %-28s %s\n' total "$total"
finish
