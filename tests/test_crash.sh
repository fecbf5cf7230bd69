#!/bin/sh
# test_crash.sh - crash consistency: storms of sales killed with SIGKILL at
# random moments, and the central service killed while it ingests.
#
#  1. `zhucan sell --repeat` storms (one process committing sale after sale,
#     printing each id after its COMMIT) killed after a random 0-30 ms, so
#     kills land in start-up, inside transactions and between them.  Now and
#     then the terminal's own `zhucan sync` is killed mid-push too.
#  2. the kiosk's scripted lunch rush killed at random moments; the script
#     dumps each done sale's id.
#  3. zhucan-central killed with SIGKILL while a terminal pushes, restarted,
#     and the push retried.
# After every kill: PRAGMA integrity_check is ok, the hash chain verifies
# (`zhucan verify`), sequence numbers run 1..n with no gap, every id that
# was printed is present exactly once, and every sale has its outbox row.
# After every sync the centre's count and fen equal the terminal's, each
# sale once, and the centre's database passes its integrity check.
#
# Default: KILLS=300 sell kills, KIOSK_KILLS=30, CENTRE_KILLS=20 (about a
# minute on two cores).  Long mode: KILLS=5000 KIOSK_KILLS=500
# CENTRE_KILLS=300 sh tests/test_crash.sh.  CRASH_SEED repeats a run.
SUITE=test_crash
LIB_KILL=9
. tests/lib.sh
KILLS=${KILLS:-300}
KIOSK_KILLS=${KIOSK_KILLS:-30}
CENTRE_KILLS=${CENTRE_KILLS:-20}
SYNC_EVERY=${SYNC_EVERY:-50}
SEED=${CRASH_SEED:-$(date +%s)}
SEED0=$SEED
finish() {
    echo "crash figures: seed $SEED0; $survived kills survived with zero loss ($sell_kills sell storms," \
        "$sync_kills terminal syncs, $kiosk_kills kiosk runs, $centre_kills centre kills); $nsales sales"
    lib_finish
}
survived=0 sell_kills=0 sync_kills=0 kiosk_kills=0 centre_kills=0 nsales=0

# rnd N: a pseudo-random number 0..N-1 in $R (an LCG: dash has no $RANDOM)
rnd() {
    SEED=$(((SEED * 1103515245 + 12345) % 2147483648))
    R=$(((SEED / 65536) % $1))
}
# msleep MS: sleeps MS milliseconds (0..999)
msleep() { sleep "0.$(printf '%03d' "$1")"; }

for b in "$Z" "$C"; do
    [ -x "$b" ] || { bad "$b is not built"; finish; }
done

# check_db NAME DB IDS: the invariants after a kill.  IDS holds the ids
# printed since the last check; they are appended to $T/all.ids.
check_db() {
    name=$1 db=$2 ids=$3
    if ! "$Z" verify --db "$db" >"$T/verify.out" 2>&1; then
        bad "$name: verify: $(head -c 300 "$T/verify.out")"
        return 1
    fi
    # only whole ids: a line is written in one write() after the commit
    grep -E '^[0-9a-f-]{36}$' "$ids" >"$T/round.ids"
    printed=$(wc -l <"$T/round.ids")
    got=$(sqlite3 -cmd ".timeout 5000" "$db" <<EOF
CREATE TEMP TABLE p (id TEXT);
.import $T/round.ids p
SELECT (SELECT count(*) FROM p JOIN sale s ON s.id = p.id) || '|' ||
       (SELECT count(DISTINCT id) FROM p) || '|' ||
       (SELECT count(*) || ',' || ifnull(min(seq), 1) || ',' || ifnull(max(seq), 0) FROM sale) || '|' ||
       (SELECT count(*) FROM sale s WHERE NOT EXISTS
           (SELECT 1 FROM outbox o WHERE o.sale_id = s.id AND o.kind = 'sale'));
EOF
)
    n=$(q "$db" "SELECT count(*) FROM sale")
    want="$printed|$printed|$n,1,$n|0"
    [ "$n" -eq 0 ] && want="$printed|$printed|0,1,0|0"
    if [ "$got" != "$want" ]; then
        bad "$name: printed present|distinct|count,min,max seq|no outbox = '$got', expected '$want'"
        return 1
    fi
    cat "$T/round.ids" >>"$T/all.ids"
    ok
    survived=$((survived + 1))
    return 0
}

# every id printed so far is still there, exactly once
check_all_ids() {
    got=$(sqlite3 -cmd ".timeout 5000" "$1" <<EOF
CREATE TEMP TABLE p (id TEXT);
.import $T/all.ids p
SELECT count(*) || '|' || (SELECT count(*) FROM p JOIN sale s ON s.id = p.id) FROM p;
EOF
)
    n=$(wc -l <"$T/all.ids")
    same "$2: all $n printed ids present once" "$got" "$n|$n"
}

# --- the centre (plain HTTP on 127.0.0.1: TLS is test_sync_e2e's subject) ---
CDB="$T/centre.db"
"$C" init --db "$CDB" >/dev/null 2>&1 &&
    "$C" canteen add --db "$CDB" --id C-0001 --name 朝阳路社区食堂 --city 110000 --district 110105 \
        --town 110105010 >/dev/null 2>&1 &&
    "$C" terminal add --db "$CDB" --id T-0001 --canteen C-0001 >"$T/token" 2>&1 &&
    "$C" policy publish --db "$CDB" db/policies/beijing.json >/dev/null 2>&1 && ok || bad "centre setup"
TOKEN=$(tail -n 1 "$T/token")
PORT=0
serve() {
    serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$CDB" --listen "127.0.0.1:$PORT"
    [ -n "$PORT" ] || { bad "the centre did not start: $(head -c 300 "$T/serve.err")"; finish; }
}
serve

# --- the terminal: the demo canteen, registered with the centre ---
A="$T/a.db"
"$Z" init --db "$A" --demo --elders 200 --seed 7 >/dev/null 2>&1 || bad "init"
q "$A" "INSERT OR REPLACE INTO meta VALUES ('server_url', 'http://127.0.0.1:$PORT'),
        ('terminal_id', 'T-0001'), ('sync_token', '$TOKEN')"
"$Z" sync --db "$A" --once >/dev/null 2>"$T/sync.err" && ok || bad "first sync: $(cat "$T/sync.err")"
: >"$T/all.ids"

sums() { q "$1" "SELECT count(*) || '|' || total(gross_fen) || '|' || total(subsidy_fen) || '|' || total(pay_fen) FROM sale $2"; }
# centre_agrees NAME: a full sync, then the centre equals the terminal
centre_agrees() {
    if ! "$Z" sync --db "$A" --once >/dev/null 2>"$T/sync.err"; then
        bad "$1: sync: $(head -c 300 "$T/sync.err")"
        return
    fi
    same "$1: centre = terminal" "$(sums "$CDB" "WHERE terminal_id = 'T-0001'")" "$(sums "$A")"
    same "$1: centre has each sale once, no gap" \
        "$(q "$CDB" "SELECT (count(*) - count(DISTINCT id)) || '|' || (ifnull(max(seq), 0) - count(*)) FROM sale")" "0|0"
    same "$1: nothing unsent" "$(q "$A" "SELECT count(*) FROM outbox WHERE sent_utc IS NULL")" "0"
}

# --- 1. sell storms killed at random ---
carts="S1 A1,S1 D1,S2x2 T1"
k=0
while [ $k -lt "$KILLS" ]; do
    k=$((k + 1))
    rnd 4
    set -- $carts
    shift $R
    cart=$1
    rnd 3
    case $R in
    0) who="--card 00000000A1" ;;
    1) who="--pay mobile --ref WX$k" ;;
    *) who="" ;;
    esac
    rnd 31
    "$Z" sell --db "$A" --items "$cart" $who --operator c1 --repeat 100000 --at "2026-11-23 11:30" \
        >"$T/out.ids" 2>"$T/sell.err" &
    P=$!
    msleep "$R"
    kill -9 "$P" 2>/dev/null
    wait "$P" 2>/dev/null
    sell_kills=$((sell_kills + 1))
    check_db "sell kill $k (after ${R} ms)" "$A" "$T/out.ids" || break
    if [ $((k % SYNC_EVERY)) -eq 0 ]; then
        # the terminal's own push killed half-way, then a whole one
        "$Z" sync --db "$A" --once >/dev/null 2>&1 &
        P=$!
        rnd 40
        msleep "$R"
        kill -9 "$P" 2>/dev/null
        wait "$P" 2>/dev/null
        sync_kills=$((sync_kills + 1))
        : >"$T/none.ids"
        check_db "sync kill $k" "$A" "$T/none.ids"
        centre_agrees "after $k sell kills"
    fi
done
check_all_ids "$A" "after the sell storms"
centre_agrees "after the sell storms"

# --- 2. the kiosk's scripted lunch rush killed at random ---
CARDS=$(q "$A" "SELECT c.uid FROM card c JOIN elder e ON e.id = c.elder_id WHERE c.status = 'active'
    AND e.status = 'active' AND c.valid_to IS NULL AND c.uid NOT LIKE '00000000%' ORDER BY c.uid LIMIT 20")
# rush DAY FILE: a login, 20 card sales on DAY (a day of its own, so the
# daily limits never refuse) and 40 at the public price
rush() {
    {
        echo "now $1 11:00"
        echo "tap op:c1"
        echo "type 1111"
        echo "key enter"
        [ "$3" = open ] && { echo "type 300"; echo "tap confirm"; }
        echo "expect-screen sell"
        for c in $CARDS; do
            echo "tap item:A1"
            echo "card $c"
            echo "tap pay_cash"
            echo "tap tender:exact"
            echo "expect-screen done"
            echo "dump"
            echo "tap next"
        done
        i=0
        while [ $i -lt 40 ]; do
            i=$((i + 1))
            echo "tap item:A$((2 + i % 2))"
            echo "tap pay_cash"
            echo "tap tender:exact"
            echo "expect-screen done"
            echo "dump"
            echo "tap next"
        done
    } >"$2"
}
rush 2026-12-01 "$T/open.script" open
if "$Z" kiosk --db "$A" --headless --script "$T/open.script" >"$T/kiosk.out" 2>"$T/kiosk.err"; then ok; else
    bad "kiosk rush (not killed): $(tail -3 "$T/kiosk.err")"; fi
sed -n 's/.*"last_sale":"\([0-9a-f-]*\)".*/\1/p' "$T/kiosk.out" >"$T/kiosk.ids"
same "kiosk rush: 60 sales dumped" "$(wc -l <"$T/kiosk.ids")" "60"
check_db "kiosk rush" "$A" "$T/kiosk.ids"
start=$(date +%s%N)
k=0
while [ $k -lt "$KIOSK_KILLS" ]; do
    k=$((k + 1))
    day=$(date -d "2026-12-02 +$k day" +%F)
    rush "$day" "$T/k.script" keep
    "$Z" kiosk --db "$A" --headless --script "$T/k.script" >"$T/kiosk.out" 2>/dev/null &
    P=$!
    rnd 160
    R=$((R + 40)) # start-up takes about 50 ms, the 60 sales about 100 ms more
    msleep "$R"
    kill -9 "$P" 2>/dev/null
    wait "$P" 2>/dev/null
    kiosk_kills=$((kiosk_kills + 1))
    sed -n 's/.*"last_sale":"\([0-9a-f-]*\)".*/\1/p' "$T/kiosk.out" >"$T/kiosk.ids"
    [ -n "$CRASH_DEBUG" ] && echo "kiosk kill $k after $R ms: $(wc -l <"$T/kiosk.ids") dumped" >&2
    check_db "kiosk kill $k (after ${R} ms)" "$A" "$T/kiosk.ids" || break
done
check_all_ids "$A" "after the kiosk kills"
centre_agrees "after the kiosk kills"

# --- 3. the centre killed while it ingests ---
k=0
while [ $k -lt "$CENTRE_KILLS" ]; do
    k=$((k + 1))
    rnd 800
    "$Z" sell --db "$A" --items S1 --operator c1 --repeat $((600 + R)) --at "2026-11-24 12:00" \
        >"$T/c.ids" 2>"$T/sell.err" || bad "centre round $k: sell: $(cat "$T/sell.err")"
    "$Z" sync --db "$A" --once >/dev/null 2>&1 &
    S=$!
    rnd 100
    msleep "$R"
    kill -9 "$PID" 2>/dev/null
    wait "$PID" 2>/dev/null
    PID=""
    wait "$S"
    src=$?
    [ -n "$CRASH_DEBUG" ] && echo "centre kill $k after $R ms: the push exited $src" >&2
    centre_kills=$((centre_kills + 1))
    same "centre kill $k: centre db intact" "$(q "$CDB" "PRAGMA integrity_check")" "ok"
    serve
    check_db "centre kill $k" "$A" "$T/c.ids" || break
    centre_agrees "centre kill $k (after ${R} ms)"
done
check_all_ids "$A" "at the end"
nsales=$(q "$A" "SELECT count(*) FROM sale")
elapsed=$((($(date +%s%N) - start) / 1000000))
[ -n "$CRASH_DEBUG" ] && echo "kiosk+centre phases: $elapsed ms" >&2
finish
