#!/bin/sh
# test_crash_faults.sh - faults injected into the real programs, each kind
# counted: a full disk, a damaged or truncated database (with backups and
# restore), a read-only database, a broken font, a missing printer, the
# clock jumping back by hours, and a policy that ended with no successor.
# The kiosk side of a full disk (the screen while paying) is in
# test_crash_kiosk.c.
#
# The full disk is a small tmpfs (real ENOSPC, which SQLite reports as
# SQLITE_FULL).  Where mounting is not allowed (an unprivileged CI
# container) it falls back to a file-size limit (ulimit -f: writes fail with
# EFBIG, an I/O error to SQLite): the sale must still be refused and nothing
# lost, only the words differ.  FAULT_DISK=ulimit forces the fallback;
# FAULT_ROUNDS (default 4) repeats the disk and damage rounds.
SUITE=test_crash_faults
. tests/lib.sh
ROUNDS=${FAULT_ROUNDS:-4}
MNT=""
# before $T goes: the small disk unmounted, immutable files freed
suite_cleanup() {
    [ -n "$MNT" ] && umount "$MNT" 2>/dev/null
    chattr -i "$T"/*.db 2>/dev/null
}
f_disk=0 f_damaged=0 f_truncated=0 f_readonly=0 f_font=0 f_printer=0 f_clock=0 f_policy=0
finish() {
    echo "fault figures: disk full $f_disk ($DISK_MODE), damaged $f_damaged, truncated $f_truncated," \
        "read-only $f_readonly, broken font $f_font, missing printer $f_printer, clock back $f_clock," \
        "expired policy $f_policy"
    lib_finish
}
[ -x "$Z" ] || { bad "$Z is not built"; finish; }

"$Z" init --db "$T/demo.db" --demo --elders 200 --seed 5 >/dev/null 2>&1 || bad "init"
sell() { "$Z" sell --db "$1" --items S1 --operator c1 --at "2026-11-23 11:30" >"$T/out" 2>"$T/err"; }
# ids_present DB FILE: every id in FILE is in DB exactly once
ids_present() {
    n=$(wc -l <"$2")
    got=$(sqlite3 -cmd ".timeout 5000" "$1" <<EOF
CREATE TEMP TABLE p (id TEXT);
.import $2 p
SELECT count(*) FROM p JOIN sale s ON s.id = p.id;
EOF
)
    same "$3: all $n sold ids present once" "$got" "$n"
}

# --- a full disk ---
DISK_MODE=${FAULT_DISK:-tmpfs}
mkdir -p "$T/small"
if [ "$DISK_MODE" = tmpfs ] && mount -t tmpfs -o size=6m zhucan-full "$T/small" 2>/dev/null; then
    MNT="$T/small"
else
    DISK_MODE=ulimit
fi
D="$T/small/d.db"
cp "$T/demo.db" "$D"
: >"$T/disk.ids"
for i in 1 2 3; do sell "$D" && cat "$T/out" >>"$T/disk.ids"; done
r=0
while [ $r -lt "$ROUNDS" ]; do
    r=$((r + 1))
    # fill all but 64 KB (tmpfs); the fallback caps every file at 64 KB (the
    # database is larger, so its WAL soon cannot grow; the small output files can)
    if [ "$DISK_MODE" = tmpfs ]; then
        dd if=/dev/zero of="$T/small/fill" bs=4k count=$(($(df --output=avail -k "$T/small" | tail -1) / 4 - 16)) \
            2>/dev/null
    fi
    n=0 refused=""
    while [ $n -lt 3000 ]; do
        n=$((n + 1))
        if [ "$DISK_MODE" = tmpfs ]; then
            sell "$D"
        else
            (trap "" XFSZ; ulimit -f 128; exec "$Z" sell --db "$D" --items S1 --operator c1 \
                --at "2026-11-23 11:30") >"$T/out" 2>"$T/err"
        fi
        rc=$?
        if [ $rc -ne 0 ]; then refused=$rc; break; fi
        cat "$T/out" >>"$T/disk.ids"
    done
    f_disk=$((f_disk + 1))
    same "disk round $r: refused with exit 1" "$refused" 1
    same "disk round $r: no id printed for it" "$(wc -c <"$T/out")" 0
    # out of space at the commit ("NOT saved") or already at the open
    if grep -q -e "NOT saved" -e "nothing was saved" "$T/err"; then ok; else
        bad "disk round $r: does not say the sale was not saved: $(head -c 300 "$T/err")"; fi
    [ "$DISK_MODE" = tmpfs ] && has "disk round $r: says the disk is full" "disk full" "$T/err"
    hasnt "disk round $r: not called damage" "damaged" "$T/err"
    # a backup on the full disk fails cleanly and leaves no half file
    if [ "$DISK_MODE" = tmpfs ]; then
        expect_exit 1 "disk round $r: backup on a full disk" "$Z" backup --db "$D" --to "$T/small/b.db"
        same "disk round $r: no half backup" "$(ls "$T/small" | grep -c '^b\.db')" 0
    fi
    rm -f "$T/small/fill"
    expect_exit 0 "disk round $r: verify after" "$Z" verify --db "$D"
    ids_present "$D" "$T/disk.ids" "disk round $r"
    # space is back: selling resumes
    if sell "$D"; then ok; cat "$T/out" >>"$T/disk.ids"; else bad "disk round $r: no sale after freeing space: $(cat "$T/err")"; fi
    same "disk round $r: gap-free" "$(q "$D" "SELECT count(*) = max(seq) FROM sale")" 1
done
if [ "$DISK_MODE" = tmpfs ]; then
    # full to the last byte: even opening fails, and says why (not "damaged")
    dd if=/dev/zero of="$T/small/fill" bs=4k 2>/dev/null
    rm -f "$D-shm"
    expect_exit 1 "completely full" "$Z" sell --db "$D" --items S1 --operator c1
    has "completely full: says so" "disk full" "$T/err"
    hasnt "completely full: not called damage" "damaged" "$T/err"
    f_disk=$((f_disk + 1))
    rm -f "$T/small/fill"
    expect_exit 0 "completely full: verify after" "$Z" verify --db "$D"
    ids_present "$D" "$T/disk.ids" "completely full"
fi

# --- a damaged database: refused, backups, restore ---
A="$T/a.db"
cp "$T/demo.db" "$A"
: >"$T/a.ids"
for i in 1 2 3 4 5; do sell "$A" && cat "$T/out" >>"$T/a.ids"; done
expect_exit 0 "backup" "$Z" backup --db "$A"
BK=$(cat "$T/out")
same "backup mode 0600" "$(stat -c %a "$BK")" 600
expect_exit 0 "a backup checks" "$Z" verify --db "$BK"
has "a backup checks" "5 sales" "$T/out"
for i in 1 2; do sell "$A"; done # after the backup: only in the damaged file
cp "$A" "$T/a.pristine"
r=0
while [ $r -lt "$ROUNDS" ]; do
    r=$((r + 1))
    cp "$T/a.pristine" "$A"
    rm -f "$A-wal" "$A-shm"
    # 40 pages of junk somewhere after the header page
    dd if=/dev/urandom of="$A" bs=4096 seek=$((1 + r * 7)) count=40 conv=notrunc 2>/dev/null
    cp "$A" "$T/a.damaged"
    f_damaged=$((f_damaged + 1))
    expect_exit 1 "damaged $r: sell refused" "$Z" sell --db "$A" --items S1 --operator c1
    has "damaged $r: says damaged" "damaged" "$T/err"
    has "damaged $r: gives the restore command" "zhucan restore --db $A --from $BK" "$T/err"
    same "damaged $r: no id printed" "$(wc -c <"$T/out")" 0
    expect_exit 1 "damaged $r: verify refuses" "$Z" verify --db "$A"
    if [ $r -eq 1 ]; then
        # the kiosk: the recovery screen, a supervisor's PIN from the backup
        cat >"$T/rec.script" <<EOF
expect-screen recover
expect 数据库已损坏，本机暂停收银
expect $(basename "$BK")
expect zhucan restore --db
tap op:s1
type 8888
key enter
expect-screen login
expect 已从备份恢复
EOF
        expect_exit 0 "damaged $r: kiosk restores" "$Z" kiosk --db "$A" --headless --script "$T/rec.script"
        has "damaged $r: kiosk says why on stderr" "damaged" "$T/err"
    else
        expect_exit 0 "damaged $r: zhucan restore" "$Z" restore --db "$A" --from "$BK"
        has "damaged $r: restore names the kept file" "kept as" "$T/out"
    fi
    expect_exit 0 "damaged $r: verify after restore" "$Z" verify --db "$A"
    has "damaged $r: the backup's 5 sales" "5 sales" "$T/out"
    aside=$(ls "$A".damaged-* 2>/dev/null | grep -v -- '-wal$\|-shm$' | tail -1)
    if [ -n "$aside" ] && cmp -s "$aside" "$T/a.damaged"; then ok; else bad "damaged $r: damaged file not kept as it was"; fi
    rm -f "$A".damaged-*
    sell "$A" && ok || bad "damaged $r: no sale after restore: $(cat "$T/err")"
    same "damaged $r: selling goes on at seq 6" "$(q "$A" "SELECT max(seq) FROM sale")" 6
done
# a damaged backup is refused and nothing changes
cp "$T/a.damaged" "$T/bad-backup.db"
cp "$A" "$T/a.before"
expect_exit 1 "restore from a damaged backup" "$Z" restore --db "$A" --from "$T/bad-backup.db"
has "restore from a damaged backup: says so" "nothing was changed" "$T/err"
if cmp -s "$A" "$T/a.before"; then ok; else bad "restore from a damaged backup changed the database"; fi
# rotation: the newest N of this database's backups, nothing else touched
BD=$(dirname "$BK")
for d in 20200101 20200102 20200103 20200104; do cp "$BK" "$BD/a.db-${d}T000000Z.db"; done
: >"$BD/notes.txt"
expect_exit 0 "backup --keep 3" "$Z" backup --db "$A" --keep 3
same "rotation keeps 3" "$(ls "$BD" | grep -c '^a\.db-.*Z\.db$')" 3
same "rotation drops the oldest" "$(ls "$BD" | grep -c '2020010[12]')" 0
[ -e "$BD/notes.txt" ] && ok || bad "rotation removed a file that is not a backup"

# --- truncated ---
r=0
while [ $r -lt "$ROUNDS" ]; do
    r=$((r + 1))
    cp "$T/a.pristine" "$T/t.db"
    size=$(stat -c %s "$T/t.db")
    truncate -s $((size * r / (ROUNDS + 1))) "$T/t.db"
    f_truncated=$((f_truncated + 1))
    expect_exit 1 "truncated $r/$((ROUNDS + 1)): sell refused" "$Z" sell --db "$T/t.db" --items S1 --operator c1
    has "truncated $r: says damaged" "damaged" "$T/err"
    printf 'expect-screen recover\nexpect 数据库已损坏\n' >"$T/t.script"
    expect_exit 0 "truncated $r: kiosk refuses" "$Z" kiosk --db "$T/t.db" --headless --script "$T/t.script"
done
: >"$T/t.db"
f_truncated=$((f_truncated + 1))
expect_exit 1 "emptied: sell refused" "$Z" sell --db "$T/t.db" --items S1 --operator c1
has "emptied: says so" "empty" "$T/err"
same "emptied: left empty (not made a new database)" "$(stat -c %s "$T/t.db")" 0

# --- read-only ---
R="$T/r.db"
cp "$T/demo.db" "$R"
sell "$R"
as_reader() { "$@"; }
if [ "$(id -u)" = 0 ]; then
    # root writes anything: run as nobody, who may read but not write
    chmod 755 "$T"
    chmod 644 "$R" "$R-wal" "$R-shm" 2>/dev/null
    as_reader() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
else
    chmod 444 "$R"
fi
before=$(md5sum <"$R")
f_readonly=$((f_readonly + 1))
expect_exit 1 "read-only: sell refused" as_reader "$Z" sell --db "$R" --items S1 --operator c1
has "read-only: says so" "read-only" "$T/err"
same "read-only: no id" "$(wc -c <"$T/out")" 0
f_readonly=$((f_readonly + 1))
expect_exit 1 "read-only: kiosk refuses" as_reader "$Z" kiosk --db "$R" --headless --script /dev/null
has "read-only: kiosk says so" "read-only" "$T/err"
same "read-only: file untouched" "$(md5sum <"$R")" "$before"
chmod 600 "$R"

# --- a missing or broken font (needs a display: Xvfb).  A ZHUCAN_FONT that
# is missing falls through to the system font (test_render checks the
# message when there is none), so the fault injected here is a font file
# that is there but is no font ---
if command -v xvfb-run >/dev/null 2>&1; then
    f_font=$((f_font + 1))
    echo "not a font" >"$T/bad.ttc"
    ZHUCAN_FONT="$T/bad.ttc" expect_exit 1 "broken font" xvfb-run -a "$Z" kiosk --db "$T/demo.db" \
        --windowed 800x600 --software --script /dev/null
    has "broken font: names the file" "$T/bad.ttc" "$T/err"
    has "broken font: names the package" "fonts-noto-cjk" "$T/err"
else
    echo "  (xvfb-run missing: font faults not injected)" >&2
fi

# --- the kiosk's scripted faults: missing printer, clock back, expired policy ---
K="$T/k.db"
cp "$T/demo.db" "$K"
"$Z" config set --db "$K" printer /dev/zhucan-no-such-lp0 >/dev/null 2>&1 ||
    q "$K" "INSERT OR REPLACE INTO meta VALUES ('printer', '/dev/zhucan-no-such-lp0')"
cat >"$T/k.script" <<'EOF'
now 2026-11-23 18:00
tap op:c1
type 1111
key enter
type 300
tap confirm
expect-screen sell
tap item:A2
tap pay_cash
tap tender:exact
expect-screen done
expect /dev/zhucan-no-such-lp0
tap next
expect-not 时钟比上一笔交易早
now 2026-11-23 11:00
wait 1500
tap clear
expect 时钟比上一笔交易早 7 小时
tap item:A2
tap pay_cash
tap tender:exact
expect-screen done
EOF
f_printer=$((f_printer + 1))
f_clock=$((f_clock + 1))
expect_exit 0 "printer missing, clock back: kiosk" "$Z" kiosk --db "$K" --headless --script "$T/k.script"
same "both sales stored, in sequence order" "$(q "$K" "SELECT group_concat(seq || '@' || local_time, ',') FROM (SELECT seq, local_time FROM sale ORDER BY seq)")" \
    "1@2026-11-23 18:00,2@2026-11-23 11:00"
expect_exit 0 "clock back: chain intact" "$Z" verify --db "$K"

P="$T/p.db"
cp "$T/demo.db" "$P"
q "$P" "UPDATE policy SET effective_to = '2026-11-01'"
f_policy=$((f_policy + 1))
expect_exit 1 "expired policy: sell refused" "$Z" sell --db "$P" --card 00000000A1 --items A1 --operator c1 \
    --at "2026-11-23 11:30"
has "expired policy: names it and its end" "ended on 2026-11-01" "$T/err"
has "expired policy: says what to do" "zhucan policy add" "$T/err"
cat >"$T/p.script" <<'EOF'
now 2026-11-23 11:30
tap op:c1
type 1111
key enter
type 300
tap confirm
tap item:A1
expect 没有生效的补贴政策
tap pay_cash
expect-screen sell
EOF
f_policy=$((f_policy + 1))
expect_exit 0 "expired policy: kiosk" "$Z" kiosk --db "$P" --headless --script "$T/p.script"
same "expired policy: nothing sold" "$(q "$P" "SELECT count(*) FROM sale")" 0
# the successor arrives: selling resumes
sed -e 's/"effective_from": "2024-01-01"/"effective_from": "2026-11-02"/' \
    -e 's/"version": "\([^"]*\)"/"version": "\1-next"/' db/policies/beijing.json >"$T/next.json"
expect_exit 0 "successor policy added" "$Z" policy add --db "$P" "$T/next.json"
expect_exit 0 "successor: sells again" "$Z" sell --db "$P" --card 00000000A1 --items A1 --operator c1 \
    --at "2026-11-23 11:30"
finish
