#!/bin/sh
# test_sync_e2e.sh - terminals and the real central service, end to end, over
# HTTPS with a CA made here by openssl: the centre's roster and policy reach
# the terminal, `zhucan sell` sales reach the centre exactly once through
# refused certificates, a wrong token, a dead server, a server killed while
# a push runs, a lost reply and retries; a blacklisted card stops working; a
# void arrives; an elder eating at two canteens in one meal period is
# flagged.  After each step the centre's sales equal the terminal's, count
# and fen (sqlite3 on both databases).
SUITE=test_sync_e2e
. tests/lib.sh
Z="${ZHUCAN:-$Z}"

if [ ! -x "$C" ] || [ ! -x "$Z" ]; then
    echo "  (build/zhucan-central or build/zhucan missing: nothing to test)" >&2
    finish
fi
if ! "$Z" sync --help >/dev/null 2>&1; then
    bad "'zhucan sync' is not registered in app/cli/main.c yet"
    finish
fi

# --- a test CA and a certificate for 127.0.0.1 ---
(
    cd "$T" &&
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 2 -subj /CN=zhucan-e2e-ca &&
    openssl req -newkey rsa:2048 -nodes -keyout srv.key -out srv.csr -subj /CN=127.0.0.1 &&
    printf 'subjectAltName=IP:127.0.0.1\n' >ext.cnf &&
    openssl x509 -req -in srv.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out srv.pem -days 2 -extfile ext.cnf
) >/dev/null 2>&1 && ok || bad "openssl could not make the test CA"

# --- the centre ---
CDB="$T/centre.db"
expect_exit 0 "central init" "$C" init --db "$CDB"
expect_exit 0 "canteen C-0001" "$C" canteen add --db "$CDB" --id C-0001 --name 朝阳路社区食堂 \
    --city 110000 --district 110105 --town 110105010
expect_exit 0 "canteen C-0002" "$C" canteen add --db "$CDB" --id C-0002 --name 望京社区食堂 \
    --city 110000 --district 110105 --town 110105020
expect_exit 0 "terminal T-0001" "$C" terminal add --db "$CDB" --id T-0001 --canteen C-0001
TOKEN_A=$(tail -n 1 "$T/out")
expect_exit 0 "terminal T-0002" "$C" terminal add --db "$CDB" --id T-0002 --canteen C-0002
TOKEN_B=$(tail -n 1 "$T/out")
cat >"$T/roster.csv" <<'EOF'
elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards
E9000001,孙秀英,110105194003150022,1940-03-15,13900000001,110000,110105,110105010,110000,110105,110105010,,00000E9001
E9000002,钱建国,,1961-05-20,13900000002,110000,110105,110105010,110000,110105,110105010,dibao,00000E9002
E9000003,周大山,,1950-01-01,,110000,110105,110105010,110000,110105,110105010,,00000E9003:lost
EOF
expect_exit 0 "roster import" "$C" roster import --db "$CDB" "$T/roster.csv"
expect_exit 0 "policy publish" "$C" policy publish --db "$CDB" db/policies/beijing.json

PORT=""
# serve [PORT]: starts the centre over HTTPS; sets PID and PORT.
serve() {
    serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$CDB" --listen "127.0.0.1:${1:-0}" \
        --tls-cert "$T/srv.pem" --tls-key "$T/srv.key"
    if [ -n "$PORT" ]; then ok; else bad "the centre did not start: $(head -c 300 "$T/serve.err")"; fi
}
stop() { kill "$1" "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; PID=""; }
serve 0

# --- terminal A: a demo till with no roster of its own, set up for the centre ---
A="$T/a.db"
expect_exit 0 "init A" "$Z" init --db "$A" --demo --elders 0
expect_exit 0 "server_url" "$Z" config set --db "$A" server_url "https://127.0.0.1:$PORT"
expect_exit 0 "terminal_id" "$Z" config set --db "$A" terminal_id T-0001
# sync_token and ca_file are written straight to meta (`config set` may not know them yet)
q "$A" "INSERT OR REPLACE INTO meta VALUES ('sync_token', '$TOKEN_A')"

# centre sums vs terminal sums for one terminal: "count|gross|subsidy|pay"
sums() { q "$1" "SELECT count(*) || '|' || total(gross_fen) || '|' || total(subsidy_fen) || '|' || total(pay_fen) FROM sale $2"; }
check_sums() {
    same "$1: centre = terminal $2" "$(sums "$CDB" "WHERE terminal_id = '$2'")" "$(sums "$3")"
}

# --- TLS: the test CA is not trusted until ca_file names it ---
expect_exit 1 "untrusted certificate" "$Z" sync --db "$A" --once
expect_err "untrusted certificate" "certificate not trusted: set ca_file"
q "$A" "INSERT OR REPLACE INTO meta VALUES ('ca_file', '$T/ca.pem')"
q "$A" "UPDATE meta SET value = 'wrong-token' WHERE key = 'sync_token'"
expect_exit 1 "wrong token" "$Z" sync --db "$A" --once
expect_err "wrong token" "re-register it"
q "$A" "UPDATE meta SET value = '$TOKEN_A' WHERE key = 'sync_token'"

# --- first sync: configuration, roster (with the lost card) and policy arrive ---
expect_exit 0 "first sync" "$Z" sync --db "$A" --once --verbose
expect_out "first sync" "pulled 3 elders"
same "canteen from the centre" "$(q "$A" "SELECT id FROM canteen")" "C-0001"
same "lost card pulled" "$(q "$A" "SELECT status FROM card WHERE uid = '00000E9003'")" "lost"
same "the centre's ID hash, not an ID number" "$(q "$A" "SELECT id_hash || '/' || id_last4 FROM elder WHERE id = 'E9000001'")" \
    "$(q "$CDB" "SELECT id_hash || '/' || id_last4 FROM elder WHERE id = 'E9000001'")"
same "online" "$(q "$A" "SELECT value FROM meta WHERE key = 'online'")" "1"

# --- sales, then sync: each arrives once, every fen adds up ---
LUNCH="2026-11-23 11:30"
sell() { "$Z" sell --db "$1" --operator c1 --pay cash --at "$2" $3 >>"$T/ids" 2>>"$T/sell.err"; }
sell "$A" "$LUNCH" "--card 00000E9001 --items A1"
sell "$A" "$LUNCH" "--elder E9000002 --items A2,S1"
sell "$A" "$LUNCH" "--items D1,S1"
sell "$A" "2026-11-23 12:10" "--card 00000E9002 --items A1"
sell "$A" "2026-11-23 12:20" "--items T1"
expect_exit 0 "push 5" "$Z" sync --db "$A" --once
expect_out "push 5" "pushed 5 sales (5 stored, 0 duplicate)"
check_sums "after the first push" T-0001 "$A"
same "nothing unsent" "$(q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")" "0"
same "no subsidy disputes" "$(q "$CDB" "SELECT count(*) FROM flag WHERE kind = 'subsidy_mismatch' OR kind = 'requote_failed' OR kind = 'elder_unknown' OR kind = 'policy_unknown'")" "0"
same "no conflicts" "$(q "$CDB" "SELECT count(*) FROM conflict")" "0"

# --- the reply is lost after the centre committed: the retry must not duplicate ---
q "$A" "UPDATE outbox SET sent_utc = NULL"
expect_exit 0 "retry after a lost reply" "$Z" sync --db "$A" --once
expect_out "retry after a lost reply" "pushed 5 sales (0 stored, 5 duplicate)"
check_sums "after the lost reply" T-0001 "$A"

# --- the centre is down: sales wait, nothing is marked sent; back up: sent once ---
stop -TERM
sell "$A" "2026-11-23 17:30" "--items D2"
sell "$A" "2026-11-23 17:31" "--items D3"
expect_exit 1 "centre down" "$Z" sync --db "$A" --once
expect_err "centre down" "offline"
same "offline" "$(q "$A" "SELECT value FROM meta WHERE key = 'online'")" "0"
same "2 unsent while down" "$(q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")" "2"
serve "$PORT"
expect_exit 0 "centre back" "$Z" sync --db "$A" --once
expect_out "centre back" "pushed 2 sales (2 stored, 0 duplicate)"
check_sums "after the restart" T-0001 "$A"

# --- the centre is killed while a push runs, restarted, and the push retried ---
i=0
while [ $i -lt 150 ]; do
    sell "$A" "2026-11-24 11:0$((i % 10))" "--items S2"
    i=$((i + 1))
done
# another process holds the centre's write lock, so the push is in flight
# (the centre waiting to store) when the centre is killed
{ echo "BEGIN IMMEDIATE;"; echo "DELETE FROM meta WHERE key = 'e2e';"; sleep 2; echo "COMMIT;"; } |
    sqlite3 "$CDB" &
LOCK=$!
sleep 0.2
"$Z" sync --db "$A" --once >/dev/null 2>"$T/killed.err" &
SYNC=$!
sleep 0.7
stop -KILL
wait "$SYNC"
mid=$?
[ -n "$E2E_DEBUG" ] && cat "$T/killed.err" >&2
wait "$LOCK"
same "the push in flight failed" "$mid" 1
expect_err_file() { if grep -q -- "$2" "$3"; then ok; else bad "$1: lacks '$2': $(head -c 300 "$3")"; fi; }
expect_err_file "killed centre means offline" "offline" "$T/killed.err"
same "none marked sent" "$(q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")" "150"
serve "$PORT"
expect_exit 0 "after the kill" "$Z" sync --db "$A" --once
check_sums "after the kill" T-0001 "$A"
same "each sale once" "$(q "$CDB" "SELECT count(*) - count(DISTINCT id) FROM sale")" "0"
same "no gaps" "$(q "$CDB" "SELECT max(seq) - count(*) FROM sale WHERE terminal_id = 'T-0001'")" "0"

# --- a void arrives ---
VOID_ID=$(sed -n 3p "$T/ids") # the public-price lunch (the subsidised ones matter below)
expect_exit 0 "void" "$Z" void --db "$A" --sale "$VOID_ID" --operator s1 --reason "wrong dish"
expect_exit 0 "sync the void" "$Z" sync --db "$A" --once
expect_out "sync the void" "1 void"
same "void at the centre" "$(q "$CDB" "SELECT count(*) FROM sale_void WHERE sale_id = '$VOID_ID'")" "1"

# --- a card blacklisted at the centre stops working at the next sync ---
expect_exit 0 "blacklist" "$C" card set --db "$CDB" --uid 00000E9002 --status blocked
expect_exit 0 "sync the blacklist" "$Z" sync --db "$A" --once
same "blocked on the terminal" "$(q "$A" "SELECT status FROM card WHERE uid = '00000E9002'")" "blocked"
expect_exit 1 "blocked card refused" "$Z" sell --db "$A" --card 00000E9002 --items A1 --operator c1 \
    --at "2026-11-25 11:30"

# --- two canteens, one offline, the same elder at lunch at both: flagged ---
B="$T/b.db"
expect_exit 0 "init B" "$Z" init --db "$B" --demo --elders 0
q "$B" "INSERT OR REPLACE INTO meta VALUES ('server_url', 'https://127.0.0.1:$PORT'), ('terminal_id', 'T-0002'), ('sync_token', '$TOKEN_B'), ('ca_file', '$T/ca.pem')"
expect_exit 0 "B first sync" "$Z" sync --db "$B" --once
stop -TERM
sell "$B" "2026-11-23 11:45" "--elder E9000001 --items A1"   # A sold E9000001 a subsidised lunch at 11:30
expect_exit 1 "B offline" "$Z" sync --db "$B" --once
serve "$PORT"
expect_exit 0 "B back online" "$Z" sync --db "$B" --once
expect_out "B back online" "pushed 1 sale (1 stored"
check_sums "terminal B" T-0002 "$B"
same "double use flagged" "$(q "$CDB" "SELECT count(*) FROM flag f JOIN sale s ON s.id = f.sale_id WHERE f.kind = 'double_use' AND s.terminal_id = 'T-0002'")" "1"
check_sums "terminal A at the end" T-0001 "$A"
both=$(q "$A" "ATTACH '$B' AS b; SELECT count(*) || '|' || total(gross_fen) || '|' || total(subsidy_fen) || '|' || total(pay_fen) FROM (SELECT gross_fen, subsidy_fen, pay_fen FROM main.sale UNION ALL SELECT gross_fen, subsidy_fen, pay_fen FROM b.sale)")
same "centre total = both terminals" "$(sums "$CDB" "")" "$both"
finish
