#!/bin/sh
# test_recover.sh - a terminal restored from a backup takes back from the
# real centre the sales it made after the backup (GET /api/v1/own-sales),
# and refuses to sell until it has: otherwise its next sale would take a
# seq the centre already holds for another sale (a same_seq conflict, and
# a sale lost to the claim).  Also: a sale altered at the centre is refused
# whole-page with nothing written, another terminal's token reads only its
# own sales, and `restore --no-centre` sells at once.
SUITE=test_recover
. tests/lib.sh
[ -x "$C" ] && [ -x "$Z" ] || { bad "$Z or $C is not built"; finish; }

# --- the centre, two terminals, served over loopback HTTP ---
CDB="$T/centre.db"
expect_exit 0 "central init" "$C" init --db "$CDB"
expect_exit 0 "canteen" "$C" canteen add --db "$CDB" --id C-0001 --name 朝阳路社区食堂 \
    --city 110000 --district 110105 --town 110105010
expect_exit 0 "terminal T-0001" "$C" terminal add --db "$CDB" --id T-0001 --canteen C-0001
TOKEN_A=$(tail -n 1 "$T/out")
expect_exit 0 "terminal T-0002" "$C" terminal add --db "$CDB" --id T-0002 --canteen C-0001
TOKEN_B=$(tail -n 1 "$T/out")
expect_exit 0 "policy publish" "$C" policy publish --db "$CDB" db/policies/beijing.json
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$CDB" --listen 127.0.0.1:0
[ -n "$URL" ] && ok || { bad "the centre did not start: $(head -c 300 "$T/serve.err")"; finish; }

A="$T/a.db"
expect_exit 0 "init A" "$Z" init --db "$A" --demo --elders 0
expect_exit 0 "server_url" "$Z" config set --db "$A" server_url "$URL"
expect_exit 0 "terminal_id" "$Z" config set --db "$A" terminal_id T-0001
q "$A" "INSERT OR REPLACE INTO meta VALUES ('sync_token', '$TOKEN_A')"
expect_exit 0 "first sync" "$Z" sync --db "$A" --once

n=0
sell() { "$Z" sell --db "$A" --operator c1 --pay cash --items "$1" --at "2026-11-23 11:30" >"$T/out" 2>"$T/err"; }
sell_n() {
    k=0
    while [ $k -lt "$1" ]; do
        k=$((k + 1))
        if sell "D1,S1"; then ok; else bad "sale: $(head -c 300 "$T/err")"; fi
    done
}
sums() { q "$1" "SELECT count(*) || '|' || total(gross_fen) || '|' || total(pay_fen) || '|' || max(seq) FROM sale $2"; }
centre() { sums "$CDB" "WHERE terminal_id = 'T-0001'"; }

# --- sell 10, sync, back up; sell 5 more and sync them too ---
sell_n 10
expect_exit 0 "sync 10" "$Z" sync --db "$A" --once
expect_exit 0 "backup" "$Z" backup --db "$A" --to "$T/bk.db"
sell_n 5
expect_exit 0 "sync 15" "$Z" sync --db "$A" --once
same "the centre holds 15" "$(q "$CDB" "SELECT count(*) FROM sale WHERE terminal_id = 'T-0001'")" 15
FULL=$(centre)
# voided at the centre after the backup: the void comes back too
SALE14=$(q "$A" "SELECT id FROM sale WHERE seq = 14")
expect_exit 0 "void 14" "$Z" void --db "$A" --sale "$SALE14" --operator s1 --reason "打错了"
expect_exit 0 "sync the void" "$Z" sync --db "$A" --once

# --- another terminal's token reads only its own sales ---
curl -s -H "Authorization: Bearer $TOKEN_B" -H "X-Zhucan-Terminal: T-0002" \
    "$URL/api/v1/own-sales?after=0" >"$T/b.json"
same "T-0002 sees none of T-0001's sales" "$(cat "$T/b.json")" '{"sales":[],"voids":[],"next":"0","more":false}'
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN_B" -H "X-Zhucan-Terminal: T-0001" \
    "$URL/api/v1/own-sales?after=0" >"$T/code"
same "T-0002's token for T-0001 is refused" "$(cat "$T/code")" 401
curl -s -H "Authorization: Bearer $TOKEN_A" -H "X-Zhucan-Terminal: T-0001" \
    "$URL/api/v1/own-sales?after=10&limit=2" >"$T/a.json"
has "paged: two sales, next 12" '"next":"12","more":true' "$T/a.json"
curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $TOKEN_A" -H "X-Zhucan-Terminal: T-0001" \
    "$URL/api/v1/own-sales?limit=501" >"$T/code"
same "limit over 500 is refused" "$(cat "$T/code")" 400

# --- the database is damaged (truncated); restore the backup ---
rm -f "$A-wal" "$A-shm"
truncate -s 8192 "$A"
expect_exit 1 "damaged: sale refused" "$Z" sell --db "$A" --operator c1 --pay cash --items D1 --at "2026-11-23 11:30"
expect_exit 0 "restore" "$Z" restore --db "$A" --from "$T/bk.db"
same "restored: 10 sales" "$(q "$A" "SELECT count(*) FROM sale")" 10
same "restore pending" "$(q "$A" "SELECT value FROM meta WHERE key = 'restored_pending'")" 1
expect_exit 1 "restored: a sale is refused" "$Z" sell --db "$A" --operator c1 --pay cash --items D1 --at "2026-11-23 11:30"
has "restored: says why" "restored from a backup: sync with the centre first to recover later sales" "$T/err"
same "nothing sold" "$(q "$A" "SELECT count(*) FROM sale")" 10

# --- a sale altered at the centre: the whole page is refused, nothing taken ---
# (the centre's trigger forbids it: dropped here to stand for a copy altered on the way)
q "$CDB" "DROP TRIGGER sale_no_change; UPDATE sale SET pay_ref = 'x' WHERE terminal_id = 'T-0001' AND seq = 13"
expect_exit 1 "tampered: sync fails" "$Z" sync --db "$A" --once
has "tampered: says which" "sale 13 from the centre does not match its hash" "$T/err"
same "tampered: nothing taken" "$(q "$A" "SELECT count(*) FROM sale")" 10
same "tampered: still pending" "$(q "$A" "SELECT value FROM meta WHERE key = 'restored_pending'")" 1
q "$CDB" "UPDATE sale SET pay_ref = '' WHERE terminal_id = 'T-0001' AND seq = 13"

# --- the catch-up: seqs 11..15 come back verbatim ---
expect_exit 0 "catch-up sync" "$Z" sync --db "$A" --once
has "catch-up: says so" "took back 5 sales" "$T/out"
same "caught up: 15 sales" "$(sums "$A")" "$FULL"
same "caught up: same hashes" "$(q "$A" "SELECT group_concat(hash) FROM (SELECT hash FROM sale ORDER BY seq)")" \
    "$(q "$CDB" "SELECT group_concat(hash) FROM (SELECT hash FROM sale WHERE terminal_id = 'T-0001' ORDER BY seq)")"
same "the void came back" "$(q "$A" "SELECT status FROM sale WHERE seq = 14")" voided
same "nothing to send" "$(q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")" 0
same "no longer pending" "$(q "$A" "SELECT value FROM meta WHERE key = 'restored_pending'")" 0
expect_exit 0 "verify" "$Z" verify --db "$A"

# --- selling goes on at seq 16 and reaches the centre with no conflict ---
sell_n 1
same "next seq" "$(q "$A" "SELECT max(seq) FROM sale")" 16
expect_exit 0 "sync 16" "$Z" sync --db "$A" --once
has "16 stored" "1 stored" "$T/out"
same "centre: 16, no gap" "$(q "$CDB" "SELECT count(*) || '/' || max(seq) FROM sale WHERE terminal_id = 'T-0001'")" 16/16
same "centre: no conflict" "$(q "$CDB" "SELECT count(*) FROM conflict")" 0
same "centre = terminal" "$(centre)" "$(sums "$A")"

# --- --no-centre: sells at once ---
expect_exit 0 "restore --no-centre" "$Z" restore --db "$A" --from "$T/bk.db" --no-centre
expect_exit 0 "no-centre: sells" "$Z" sell --db "$A" --operator c1 --pay cash --items D1 --at "2026-11-23 11:30"
finish
