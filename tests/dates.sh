#!/bin/sh
# dates.sh - `make test-dates`: the suites again with the whole machine's
# clock moved to other moments (libfaketime, Debian package faketime), so a
# test that leans on today's date fails here rather than on 1 December.
#
# The moments are Asia/Shanghai wall times: a year's last half minute, the
# new year's first, the first of a month after a short February, a leap day
# and a summer day years ahead.  Each pass moves the clock by one offset,
# taken when the pass starts, so every process of the pass (the terminal,
# the centre, curl, openssl, sqlite3, Chromium) sees the same moment and
# the clock runs on at real speed; monotonic clocks are left alone.  Only
# Chromium runs on the real clock: it hangs under libfaketime, so $CHROMIUM
# is a wrapper that starts it without the preload (it is only the client of
# the centre's page; the dates that matter are the centre's).
#
# Passes run JOBS at a time (default 2), each writing $BUILD/dates/N.log.
# SUITES (a space-separated list of name parts, default: the suites that
# read the clock, listed below) chooses what runs; MOMENTS overrides the
# moments ("YYYY-MM-DD HH:MM:SS" lines).  Ends with one closing line.
BUILD=${BUILD:-build}
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600} # a hang (see test_crash.sh below) fails in 10 minutes
export BUILD SUITE_TIMEOUT
LIB=${FAKETIME_LIB:-/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1}
JOBS=${JOBS:-2}
DEFAULT_MOMENTS="2026-12-31 23:59:30
2027-01-01 00:00:30
2027-03-01 08:00:00
2028-02-29 12:00:00
2031-06-15 11:45:00"
MOMENTS=${MOMENTS:-$DEFAULT_MOMENTS}
# Suites whose code or script asks the clock (a sale's created_utc, "today",
# a month, a lock-out, a token's or certificate's life, a backup's name).
# Pure unit suites of core (money, card, policy, subsidy with given dates)
# never do and are left out; so are the fuzzers and valgrind, which test
# memory, not dates, and test_crash.sh: it SIGKILLs hundreds of processes,
# and libfaketime keeps a semaphore in shared memory that a process killed
# while holding it leaves locked, so every later process of the pass hangs
# (seen here in both midnight passes).  Its dates are given with --at.
DEFAULT_SUITES="test_admin_ test_central test_cli test_clock test_crash_faults test_creport
test_kiosk test_recover test_report test_roster test_sale test_security test_store test_sync
test_receipt test_crash_kiosk test_setup test_staff test_console.sh test_console_unit test_keyfile
test_policy_sync test_calendar"
SUITES=${SUITES:-$DEFAULT_SUITES}

if [ ! -r "$LIB" ]; then
    echo "dates: $LIB is missing (make deps installs faketime)"
    echo "dates: 0 passed, 1 failed"
    exit 1
fi
mkdir -p "$BUILD/dates"
rm -f "$BUILD/dates/"*.log "$BUILD/dates/"*.rc
CHROMIUM_REAL=${CHROMIUM:-/usr/bin/chromium}
CHROMIUM=$PWD/$BUILD/dates/chromium
printf '#!/bin/sh\nexec env -u LD_PRELOAD -u FAKETIME %s "$@"\n' "$CHROMIUM_REAL" >"$CHROMIUM"
chmod +x "$CHROMIUM"
export CHROMIUM

# pass N MOMENT: the suites with the clock at MOMENT (Asia/Shanghai)
pass() {
    n=$1; moment=$2
    target=$(TZ=Asia/Shanghai date -d "$moment" +%s) || { echo 1 >"$BUILD/dates/$n.rc"; return; }
    off=$((target - $(date +%s)))
    {
        echo "== pass $n: $moment Asia/Shanghai (clock moved by $off s)"
        LD_PRELOAD=$LIB FAKETIME="+$off" FAKETIME_DONT_FAKE_MONOTONIC=1 FAKETIME_NO_CACHE=1 \
            FILTER_ANY="$SUITES" sh tests/run.sh
        echo $? >"$BUILD/dates/$n.rc"
    } >"$BUILD/dates/$n.log" 2>&1
}

n=0
running=0
echo "$MOMENTS" | {
    while IFS= read -r m; do
        [ -n "$m" ] || continue
        n=$((n + 1))
        pass "$n" "$m" &
        running=$((running + 1))
        if [ "$running" -ge "$JOBS" ]; then
            wait
            running=0
        fi
    done
    wait
}

total_pass=0
total_fail=0
bad=""
for log in "$BUILD"/dates/*.log; do
    head -1 "$log"
    grep -E 'FAIL|no closing line' "$log" | head -40
    line=$(grep -E '^all: [0-9]+ passed, [0-9]+ failed' "$log" | tail -1)
    echo "   $line"
    [ -n "$line" ] || { total_fail=$((total_fail + 1)); bad="$bad $log"; continue; }
    p=$(echo "$line" | sed -E 's/^all: ([0-9]+) passed.*/\1/')
    f=$(echo "$line" | sed -E 's/^all: [0-9]+ passed, ([0-9]+) failed.*/\1/')
    total_pass=$((total_pass + p))
    total_fail=$((total_fail + f))
    [ "$f" -eq 0 ] || bad="$bad $log"
done
# libfaketime's shared memory and semaphores, one pair a pass
rm -f /dev/shm/faketime_shm_* /dev/shm/sem.faketime_sem_* 2>/dev/null
echo "dates: $total_pass passed, $total_fail failed${bad:+ (see$bad)}"
[ "$total_fail" -eq 0 ]
