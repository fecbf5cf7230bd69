#!/bin/sh
# test_ship.sh - what an installer and a district's IT person rely on:
# --version on both binaries (git describe at build time), the upgrade path
# (an older database is migrated forward, a newer one refused untouched, on
# the terminal and the centre), the centre's online backup (taken while
# `serve` runs, checked) and its checked restore, and the systemd units'
# keys (systemd-analyze verify where it can run).
SUITE=test_ship
. tests/lib.sh

# --- --version ---
# what the Makefile wrote at build time; in a checkout it is the git describe
# of the commit built (the tree may have become dirty since)
ver=$(sed -n 's/^const char zc_version\[\] = "\(.*\)";$/\1/p' "$BUILD/gen/version.c")
[ -n "$ver" ] && ok || bad "no version in $BUILD/gen/version.c"
if head=$(git describe --always 2>/dev/null); then
    case "$ver" in "$head" | "$head-dirty") ok ;; *) bad "built as '$ver', the checkout is '$head'" ;; esac
else
    same "outside git: the VERSION file" "$ver" "$(cat VERSION)"
fi
expect_exit 0 "zhucan --version" "$Z" --version
same "zhucan --version" "$(cat "$T/out")" "zhucan $ver"
expect_exit 0 "zhucan-central --version" "$C" --version
same "zhucan-central --version" "$(cat "$T/out")" "zhucan-central $ver"
"$C" --help >"$T/out"; expect_out "centre help mentions --version" "--version"
"$Z" --help >"$T/out"; expect_out "till help mentions --version" "--version"

# --- upgrade: the terminal ---
# schema_of DIR N: applies DIR/001..N as the real migrations would
schema_of() {
    db=$1; dir=$2; n=$3
    for f in "$dir"/[0-9][0-9][0-9]_*.sql; do
        v=$(basename "$f" | cut -c1-3 | sed 's/^0*//')
        [ "$v" -le "$n" ] && sqlite3 "$db" <"$f"
    done
    sqlite3 "$db" "PRAGMA user_version = $n"
}
newest=$(ls db/[0-9][0-9][0-9]_*.sql | wc -l)
schema_of "$T/old.db" db $((newest - 1))
expect_exit 0 "terminal: an older database opens" "$Z" config set --db "$T/old.db" tz Asia/Shanghai
same "terminal: migrated forward" "$(q "$T/old.db" 'PRAGMA user_version')" "$newest"

must "$Z" init --db "$T/t.db"
cp "$T/t.db" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 99"
before=$(sha256sum <"$T/newer.db")
expect_exit 1 "terminal: a newer database is refused" "$Z" config get --db "$T/newer.db" tz
expect_err "terminal: says the schema is newer" "schema version 99"
expect_err "terminal: says what to do" "newer Zhucan"
same "terminal: the newer database is untouched" "$(sha256sum <"$T/newer.db")" "$before"

# --- upgrade: the centre ---
cnewest=$(ls db/central/[0-9][0-9][0-9]_*.sql | wc -l)
schema_of "$T/cold.db" db/central $((cnewest - 1))
expect_exit 0 "centre: an older database opens" "$C" canteen add --db "$T/cold.db" --id K1 --name "一食堂"
same "centre: migrated forward" "$(q "$T/cold.db" 'PRAGMA user_version')" "$cnewest"

DB="$T/c.db"
must "$C" init --db "$DB"
must "$C" canteen add --db "$DB" --id K1 --name "一食堂"
cp "$DB" "$T/cnewer.db"
sqlite3 "$T/cnewer.db" "PRAGMA user_version = 99"
before=$(sha256sum <"$T/cnewer.db")
expect_exit 1 "centre: a newer database is refused" "$C" canteen add --db "$T/cnewer.db" --id K2 --name x
expect_err "centre: says the schema is newer" "schema version 99"
expect_err "centre: says what to do" "newer zhucan-central"
same "centre: the newer database is untouched" "$(sha256sum <"$T/cnewer.db")" "$before"

# --- centre backup, online ---
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0
if [ -n "$URL" ]; then ok; else bad "serve did not start: $(cat "$T/serve.err")"; fi
must "$C" canteen add --db "$DB" --id K2 --name "二食堂"
expect_exit 0 "backup while serving" "$C" backup --db "$DB" --to "$T/b1.db"
expect_out "backup says where" "backed up .* to $T/b1.db (0 sales)"
same "backup: mode 0600" "$(stat -c %a "$T/b1.db")" 600
same "backup: integrity" "$(q "$T/b1.db" 'PRAGMA integrity_check')" ok
same "backup: not WAL (one file)" "$(q "$T/b1.db" 'PRAGMA journal_mode')" delete
same "backup: holds the canteens" "$(q "$T/b1.db" 'SELECT group_concat(id) FROM canteen ORDER BY id')" "K1,K2"
[ -e "$T/b1.db.tmp" ] && bad "backup left its .tmp" || ok
expect_exit 0 "serve still answers" curl -sf --max-time 5 "$URL/api/v1/health"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=

# refusals
expect_exit 2 "backup needs --to" "$C" backup --db "$DB"
expect_exit 1 "backup of a missing database" "$C" backup --db "$T/nope.db" --to "$T/x.db"
expect_err "names the missing file" "nope.db"
expect_exit 1 "backup to a missing folder" "$C" backup --db "$DB" --to "$T/no/such/dir/x.db"
echo "not a database at all, just text" >"$T/junk.db"
cp "$T/junk.db" "$T/keep.db"
expect_exit 1 "a failed backup leaves the old file" "$C" backup --db "$T/junk.db" --to "$T/keep.db"
same "the old backup is unchanged" "$(cat "$T/keep.db")" "not a database at all, just text"

# --- centre restore ---
must "$C" canteen add --db "$DB" --id K3 --name "三食堂"
before=$(sha256sum <"$DB")
expect_exit 1 "restore refuses junk" "$C" restore --db "$DB" --from "$T/junk.db"
expect_err "says the backup does not check" "does not check"
same "a refused restore changes nothing" "$(sha256sum <"$DB")" "$before"
expect_exit 1 "restore refuses a newer backup" "$C" restore --db "$DB" --from "$T/cnewer.db"
expect_err "names the schema" "schema version 99"
must "$Z" init --db "$T/term.db"
expect_exit 1 "restore refuses a terminal database" "$C" restore --db "$DB" --from "$T/term.db"
expect_err "says it is not a centre's" "not a zhucan-central database"
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0
before=$(sha256sum <"$DB")
expect_exit 1 "restore refused while the service runs" "$C" restore --db "$DB" --from "$T/b1.db"
expect_err "says to stop the service" "is open in another process"
same "a refused restore changes nothing (running)" "$(sha256sum <"$DB")" "$before"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=
# damage: the live file is overwritten with garbage in its middle
dd if=/dev/urandom of="$DB" bs=1024 seek=8 count=16 conv=notrunc 2>/dev/null
expect_exit 0 "restore over a damaged database" "$C" restore --db "$DB" --from "$T/b1.db"
expect_out "says where the old file went" "the old file is kept as $DB.replaced-"
aside=$(ls "$DB".replaced-* 2>/dev/null | grep -v -- '-wal$\|-shm$' | head -1)
[ -n "$aside" ] && ok || bad "the damaged file was not kept aside"
same "restored: canteens of the backup" "$(q "$DB" 'SELECT group_concat(id) FROM canteen ORDER BY id')" "K1,K2"
expect_exit 0 "restored: the centre opens it" "$C" canteen add --db "$DB" --id K4 --name "四食堂"
expect_exit 0 "restore into a fresh path" "$C" restore --db "$T/fresh.db" --from "$T/b1.db"
expect_out "no old file to keep" "restored $T/fresh.db from"

# --- behind a proxy: X-Forwarded-* only from --trusted-proxy ---
echo "Proxy-Test-Password-1" | "$C" admin add --db "$DB" --user ops >/dev/null 2>"$T/err" || bad "admin add: $(cat "$T/err")"
# login HEADERS_FILE CURL_ARGS... : signs in as a browser does (the form's
# token cookie and field, this site's Origin); the response headers in the file
login() {
    f=$1; shift
    rm -f "$T/jar"
    tok=$(curl -s -c "$T/jar" -b "$T/jar" --max-time 10 "$URL/admin/login" |
        sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -D "$f" --max-time 10 -b "$T/jar" -H "Origin: $URL" \
        -d "csrf=$tok&user=ops&password=Proxy-Test-Password-1" "$@" "$URL/admin/login"
}
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0 --log \
    --trusted-proxy 10.9.9.9
if [ -n "$URL" ]; then ok; else bad "serve did not start: $(cat "$T/serve.err")"; fi
login "$T/h.untrusted" -H "X-Forwarded-Proto: https" -H "X-Forwarded-For: 203.0.113.7"
has "signed in (untrusted peer)" "Set-Cookie:" "$T/h.untrusted"
hasnt "no Secure from an untrusted peer's X-Forwarded-Proto" "Secure" "$T/h.untrusted"
hasnt "the log ignores an untrusted X-Forwarded-For" "from 203.0.113.7" "$T/serve.err"
has "the log names the peer" "admin:ops -> 303 .* from 127.0.0.1" "$T/serve.err"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0 --log \
    --trusted-proxy 10.9.9.9,127.0.0.1
login "$T/h.https" -H "X-Forwarded-Proto: https" -H "X-Forwarded-For: 198.51.100.1, 203.0.113.7"
has "Secure when the trusted proxy says https" "Secure" "$T/h.https"
has "the log names the client the proxy saw" "admin:ops -> 303 .* from 203.0.113.7" "$T/serve.err"
login "$T/h.http" -H "X-Forwarded-Proto: http"
has "signed in over the proxy's http" "Set-Cookie:" "$T/h.http"
hasnt "no Secure when the trusted proxy says http" "Secure" "$T/h.http"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=
expect_exit 1 "a bad --trusted-proxy is refused" "$C" serve --db "$DB" --listen 127.0.0.1:0 \
    --trusted-proxy nginx.example
expect_err "names it" "nginx.example"

# --- IPv6 ---
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen "[::1]:0" --log
case "$URL" in "http://[::1]:"[0-9]*) ok ;; *) bad "serve on [::1]: '$URL' $(cat "$T/serve.err")" ;; esac
expect_exit 0 "answers on [::1]" curl -gsf --max-time 5 "$URL/api/v1/health"
has "the log names the IPv6 peer" "GET /api/v1/health - -> 200 .* from ::1" "$T/serve.err"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=
for bad in "[::1:8470" "::1:8470" "[::1]" "[fe80::zz]:8470" "[]:8470"; do
    expect_exit 1 "--listen $bad refused" "$C" serve --db "$DB" --listen "$bad"
    expect_err "--listen $bad: says the form" "listen"
done

# --- SIGHUP: a renewed certificate without dropping a connection ---
(
    cd "$T" || exit 1
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key \
        -out ca.pem -days 2 -subj "/CN=Zhucan test CA" &&
    printf 'subjectAltName=IP:127.0.0.1\n' >ext.cnf &&
    for n in first second; do
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout $n.key \
            -out $n.csr -subj "/CN=$n" &&
        openssl x509 -req -in $n.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out $n.pem -days 2 \
            -extfile ext.cnf || exit 1
    done
    cp first.pem cur.pem && cp first.key cur.key && chmod 600 cur.key
) >/dev/null 2>&1 && ok || bad "openssl could not make the test certificates"
"$C" terminal add --db "$DB" --id T-0001 --canteen K1 >"$T/token" 2>"$T/err" || bad "terminal add: $(cat "$T/err")"
# cn_seen NAME WANT : the CN of the certificate a new connection gets
cn_seen() {
    curl -sv -o /dev/null --max-time 10 --cacert "$T/ca.pem" "$URL/api/v1/health" 2>"$T/curl.v"
    got=$(sed -n 's/.*subject: CN=\([a-z]*\).*/\1/p' "$T/curl.v" | head -1)
    same "$1" "$got" "$2"
}
# wait_log TEXT : waits at most 45 s for serve's stderr to say TEXT
wait_log() {
    i=0
    while [ $i -lt 450 ] && ! grep -q -- "$1" "$T/serve.err"; do sleep 0.1; i=$((i + 1)); done
    has "serve says '$1'" "$1" "$T/serve.err"
}
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0 \
    --tls-cert "$T/cur.pem" --tls-key "$T/cur.key"
case "$URL" in https://*) ok ;; *) bad "TLS serve: '$URL' $(cat "$T/serve.err")" ;; esac
cn_seen "before SIGHUP" first
# a terminal's slow upload (100 KB at 25 KB/s) under way across the reload
head -c 100000 /dev/zero | tr '\0' x >"$T/slow.body"
curl -s -o "$T/slow.out" -w '%{http_code}' --max-time 30 --limit-rate 25k --cacert "$T/ca.pem" \
    -H "X-Zhucan-Terminal: T-0001" -H "Authorization: Bearer $(cat "$T/token")" \
    -H "Content-Type: application/json" --data-binary "@$T/slow.body" "$URL/api/v1/sales" \
    >"$T/slow.code" 2>/dev/null &
SLOW=$!
sleep 1
cp "$T/second.pem" "$T/cur.pem" && cp "$T/second.key" "$T/cur.key"
kill -HUP "$PID"
sleep 0.3
cn_seen "a new connection during the reload" second
wait "$SLOW"
same "the upload under way got its answer" "$(cat "$T/slow.code")" 400
wait_log "certificate reloaded"
cn_seen "after SIGHUP" second
# a key that does not belong to the certificate: the old pair stays
cp "$T/first.key" "$T/cur.key"
kill -HUP "$PID"
wait_log "were refused"
cn_seen "a refused reload keeps the old certificate" second
echo "not a certificate" >"$T/cur.pem"
kill -HUP "$PID"
wait_log "is not a PEM file"
cn_seen "an unreadable certificate keeps the old one" second
kill -TERM "$PID"; wait "$PID"; st=$?; PID=
same "stops cleanly after reloads" "$st" 0
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0
kill -HUP "$PID"
wait_log "no certificate to reload"
expect_exit 0 "plain HTTP serve keeps serving after SIGHUP" curl -sf --max-time 5 "$URL/api/v1/health"
kill -TERM "$PID"; wait "$PID" 2>/dev/null; PID=

# --- systemd units ---
for u in dist/systemd/zhucan-central.service dist/systemd/zhucan-kiosk.service; do
    [ -f "$u" ] && ok || bad "$u missing"
done
U=dist/systemd/zhucan-central.service
for k in DynamicUser=yes StateDirectory=zhucan-central ProtectSystem=strict NoNewPrivileges=yes \
    CapabilityBoundingSet= PrivateTmp=yes ProtectHome=yes RestrictAddressFamilies= \
    SystemCallFilter=@system-service MemoryDenyWriteExecute=yes KillSignal=SIGTERM \
    'ExecReload=/bin/kill -HUP'; do
    grep -q "^$k" "$U" && ok || bad "$U lacks $k"
done
grep -q "ExecStart=/usr/bin/zhucan-central serve " "$U" && ok || bad "$U: ExecStart"
grep -q "ExecStart=/usr/bin/zhucan kiosk " dist/systemd/zhucan-kiosk.service && ok ||
    bad "kiosk unit: ExecStart"
if systemd-analyze --help >/dev/null 2>&1; then
    # verify needs the binaries at their installed paths: a copy of the
    # units pointing at this build
    mkdir -p "$T/units"
    for u in dist/systemd/*.service dist/systemd/*.timer; do
        [ -f "$u" ] || continue
        sed -e "s#/usr/bin/zhucan-central#$C#g" -e "s#/usr/bin/zhucan #$Z #g" "$u" >"$T/units/$(basename "$u")"
    done
    SYSTEMD_LOG_LEVEL=warning systemd-analyze verify "$T"/units/*.service >"$T/verify" 2>&1
    if [ -s "$T/verify" ]; then bad "systemd-analyze verify: $(head -c 600 "$T/verify")"; else ok; fi
    # the exposure score (0 best, 10 worst) without a running systemd
    if systemd-analyze security --offline=yes "$T/units/zhucan-central.service" >"$T/sec" 2>&1; then
        score=$(sed -n 's/.*Overall exposure level for zhucan-central.service: \([0-9.]*\).*/\1/p' "$T/sec")
        echo "  systemd-analyze security zhucan-central.service: $score" >&2
        if [ -n "$score" ] && [ "$(echo "$score <= 2.0" | bc)" = 1 ]; then ok; else
            bad "exposure '$score' above 2.0: $(grep '✗' "$T/sec" | head -c 600)"; fi
    fi
fi

finish
