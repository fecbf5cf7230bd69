#!/bin/sh
# demo.sh - what `make run` starts: a local central service on 127.0.0.1 and
# the till on this display, sharing one demo canteen.  Creates demo.db (the
# terminal) and demo-central.db (the centre) on first use and keeps them.
# The roster is generated once on the terminal (zhucan init --demo) and
# handed to the centre as CSV, so both know the same elders and cards.
set -eu
B=${BUILD:-build}
DB=${DEMO_DB:-demo.db}
CDB=${DEMO_CENTRAL_DB:-demo-central.db}
PORT=${DEMO_PORT:-8470}

if [ ! -f "$CDB" ]; then
    [ -f "$DB" ] || "$B/zhucan" init --db "$DB" --demo --elders 2000
    "$B/zhucan-central" init --db "$CDB"
    "$B/zhucan-central" canteen add --db "$CDB" --id C-0001 --name "朝阳区双井街道老年餐桌" \
        --city 110000 --district 110105 --town 110105010
    token=$("$B/zhucan-central" terminal add --db "$CDB" --id T-0001 --canteen C-0001)
    "$B/zhucan-central" policy publish --db "$CDB" db/policies/beijing.json
    csv=$(mktemp /tmp/zhucan-roster.XXXXXX)
    sqlite3 -csv -header "$DB" "
        SELECT e.id AS elder_id, e.name, e.birth AS birth_date, IFNULL(e.gender,'') AS gender,
               IFNULL(e.phone,'') AS phone, IFNULL(e.reg_city,'') AS reg_city,
               IFNULL(e.reg_district,'') AS reg_district, IFNULL(e.reg_town,'') AS reg_town,
               IFNULL(e.res_city,'') AS res_city, IFNULL(e.res_district,'') AS res_district,
               IFNULL(e.res_town,'') AS res_town, IFNULL(e.categories,'') AS categories,
               e.disability_grade, e.care_home, e.status,
               IFNULL(e.valid_from,'') AS valid_from, IFNULL(e.valid_to,'') AS valid_to,
               (SELECT group_concat(c.uid || CASE WHEN c.valid_to IS NOT NULL THEN ':' || c.status || ':' || c.valid_to
                                                  WHEN c.status <> 'active' THEN ':' || c.status ELSE '' END, ';')
                  FROM card c WHERE c.elder_id = e.id) AS cards
        FROM elder e ORDER BY e.id" >"$csv"
    "$B/zhucan-central" roster import --db "$CDB" "$csv"
    rm -f "$csv"
    "$B/zhucan" config set --db "$DB" server_url "http://127.0.0.1:$PORT"
    "$B/zhucan" config set --db "$DB" sync_token "$token"
    "$B/zhucan" config set --db "$DB" terminal_id T-0001
    # the operators' page: a demo account (never use this password for real)
    printf 'zhucan-demo-2026\n' | "$B/zhucan-central" admin add --db "$CDB" --user ops
fi
[ -f "$DB" ] || { echo "demo.sh: $DB is missing but $CDB exists; remove $CDB to start over" >&2; exit 1; }

"$B/zhucan-central" serve --db "$CDB" --listen "127.0.0.1:$PORT" &
central=$!
trap 'kill $central 2>/dev/null; wait $central 2>/dev/null' EXIT INT TERM
echo "demo: central service on http://127.0.0.1:$PORT (pid $central); operators c1/1111, s1/8888, a1/9999"
echo "demo: operators' page http://127.0.0.1:$PORT/admin/ (ops / zhucan-demo-2026), or sign in once with:"
"$B/zhucan-central" admin link --db "$CDB" --user ops --base "http://127.0.0.1:$PORT" 2>/dev/null ||
    echo "  $B/zhucan-central admin link --db $CDB --user ops"
"$B/zhucan" kiosk --db "$DB"
