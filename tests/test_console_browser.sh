#!/bin/sh
# test_console_browser.sh - the district console in a real browser: Debian's
# headless Chromium driven by puppeteer-core (tests/console_browser.cjs)
# signs in through the form, adds a canteen, reports a card lost, uploads a
# GBK roster file and applies it, changes the password and signs out, checks
# that no page scrolls sideways at 390 px, and that another site's form is
# refused; the centre's database is then checked for each change.
# puppeteer-core is installed once under $BUILD/puppeteer (npm), never into
# the source tree.  CONSOLE_SHOTS=DIR keeps the screenshots.
SUITE=test_console_browser
. tests/lib.sh
ZHUCAN_NOW=2026-12-03T09:00:00+08:00
export ZHUCAN_NOW
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[ -x "$C" ] || { bad "$C is missing"; finish; }
[ -x "$CHROMIUM" ] || { bad "no $CHROMIUM (Debian package chromium)"; finish; }
command -v node >/dev/null || { bad "node is missing (Debian package nodejs)"; finish; }
PUP="$PWD/$BUILD/puppeteer"
if [ ! -d "$PUP/node_modules/puppeteer-core" ]; then
    mkdir -p "$PUP"
    (cd "$PUP" && timeout 300 npm install --no-audit --no-fund --loglevel=error puppeteer-core@22) >"$T/npm.out" 2>&1 ||
        { bad "npm install puppeteer-core failed: $(tail -3 "$T/npm.out")"; finish; }
fi

DB="$T/c.db"
expect_exit 0 "init" "$C" init --db "$DB"
expect_exit 0 "canteen" "$C" canteen add --db "$DB" --id C-0001 --name "越秀北京街长者饭堂" \
    --city 440100 --district 440104 --town 440104001
cat >"$T/roster.csv" <<'CSV'
elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards
E0000001,陈桂芳,,1938-03-15,,440100,440104,440104001,440100,440104,440104001,dibao,00000EA001
CSV
expect_exit 0 "roster" "$C" roster import --db "$DB" "$T/roster.csv"
printf '%s\r\n%s\r\n' \
    "elder_id,name,id_number,birth_date,phone,reg_city,reg_district,reg_town,res_city,res_district,res_town,categories,cards" \
    "E0000009,梁国华,,1949-01-09,,440100,440104,440104001,440100,440104,440104001,low_income,00000EA009" |
    iconv -f UTF-8 -t GBK >"$T/gbk.csv"
PW="Boss-Password-2026"; NEWPW="Changed-In-Browser-1"
echo "$PW" | expect_exit 0 "admin" "$C" admin add --db "$DB" --user boss
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$DB" --listen 127.0.0.1:0
[ -n "$URL" ] && ok || { bad "serve did not start: $(cat "$T/serve.err")"; finish; }

SHOTS=${CONSOLE_SHOTS:-$T}
NODE_PATH="$PUP/node_modules" CHROMIUM="$CHROMIUM" timeout 240 node tests/console_browser.cjs "$URL" boss "$PW" \
    "$NEWPW" "$T/gbk.csv" "$SHOTS" >"$T/browser.out" 2>"$T/browser.err"
rc=$?
while IFS= read -r line; do
    case $line in
        ok\ *) ok ;;
        FAIL\ *) bad "chromium: ${line#FAIL }" ;;
    esac
done <"$T/browser.out"
[ "$rc" -eq 0 ] && ok || bad "the browser run ended with $rc: $(tail -c 400 "$T/browser.err")"
n=$(grep -c '^ok ' "$T/browser.out")
[ "$n" -ge 15 ] && ok || bad "only $n browser checks ran"

same "the canteen from the browser" "$(q "$DB" "SELECT name FROM canteen WHERE id = 'C-0100'")" "浏览器添加的饭堂"
same "the card reported lost" "$(q "$DB" "SELECT status FROM card WHERE uid = '00000EA001'")" lost
same "the GBK roster applied" "$(q "$DB" "SELECT name FROM elder WHERE id = 'E0000009'")" "梁国华"
same "no account from another site" "$(q "$DB" "SELECT count(*) FROM admin WHERE name = 'evil'")" 0
same "the audit trail" "$(q "$DB" "SELECT group_concat(actor || ':' || action, ' ') FROM (SELECT * FROM audit WHERE actor = 'boss' ORDER BY id)")" \
    "boss:canteen.add boss:card.lost boss:roster.import boss:admin.password"
expect_exit 0 "the new password works" "$C" admin link --db "$DB" --user boss
size=$(stat -c %s "$SHOTS/console-phone.png" 2>/dev/null || echo 0)
[ "$size" -gt 10000 ] && ok || bad "phone screenshot: $size bytes"
finish
