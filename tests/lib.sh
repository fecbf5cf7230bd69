# tests/lib.sh - the shell suites' shared scaffolding (sourced, not run).
# shellcheck shell=sh disable=SC2034  # Z, C, PORT ... are for the suites
#
# A suite names itself, then sources this from the top of the tree:
#
#   SUITE=test_cli
#   . tests/lib.sh
#
# and closes with `finish`, which prints the line tests/run.sh reads,
# "test_cli: N passed, M failed", and exits non-zero on any failure.
#
# Given: BUILD (default build), Z and C (the terminal and central binaries in
# it), T (a fresh directory under /tmp, removed on exit unless KEEP is set),
# pass and fail counters, and these helpers:
#   ok / bad MSG                  count a pass / a failure (MSG to stderr)
#   same NAME GOT WANT            equal strings (check: the same)
#   expect_exit CODE NAME CMD...  CMD's exit status; its output in $T/out, $T/err
#   expect_err NAME TEXT          $T/err mentions TEXT (expect_out: $T/out)
#   expect_json NAME FILTER WANT  a jq field of $T/out
#   has NAME TEXT FILE            FILE mentions TEXT (hasnt: it does not)
#   must CMD...                   CMD succeeds (output in $T/out, $T/err)
#   q DB SQL                      sqlite3 on DB, waiting up to 5 s for a lock
#   serve_bg OUT ERR CMD...       a `zhucan-central serve` started in the
#                                 background; sets PID, URL and PORT
# On exit a running $PID is stopped (SIGTERM, or LIB_KILL=9), then the
# suite's own suite_cleanup runs if it defines one, then $T goes.
BUILD=${BUILD:-build}
Z="$PWD/$BUILD/zhucan"
C="$PWD/$BUILD/zhucan-central"
T=$(mktemp -d "/tmp/zhucan-${SUITE:-test}.XXXXXX") || exit 1
[ -n "$KEEP" ] && echo "kept: $T" >&2
PID=""
pass=0
fail=0

lib_cleanup() {
    [ -n "$PID" ] && kill "-${LIB_KILL:-TERM}" "$PID" 2>/dev/null && wait "$PID" 2>/dev/null
    command -v suite_cleanup >/dev/null 2>&1 && suite_cleanup
    [ -n "$KEEP" ] || rm -rf "$T"
}
trap lib_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "  FAIL $*" >&2; }
# the closing line; a suite with figures to print redefines finish and calls lib_finish
lib_finish() { echo "$SUITE: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit $?; }
finish() { lib_finish; }
same() { if [ "$2" = "$3" ]; then ok; else bad "$1: '$2', expected '$3'"; fi; }
check() { same "$@"; }
has() { if grep -q -- "$2" "$3"; then ok; else bad "$1: lacks '$2': $(head -c 400 "$3")"; fi; }
hasnt() { if grep -q -- "$2" "$3"; then bad "$1: says '$2': $(head -c 400 "$3")"; else ok; fi; }
q() { sqlite3 -cmd ".timeout 5000" "$1" "$2"; }
must() { "$@" >"$T/out" 2>"$T/err" || bad "$*: $(head -c 300 "$T/err")"; }

# expect_exit CODE NAME CMD... : runs CMD, checks its exit status; output in $T/out, $T/err
expect_exit() {
    want=$1; name=$2; shift 2
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want: $(head -c 400 "$T/err")"; fi
}
expect_err() { if grep -q -- "$2" "$T/err"; then ok; else bad "$1: stderr lacks '$2': $(head -c 400 "$T/err")"; fi; }
expect_out() { if grep -q -- "$2" "$T/out"; then ok; else bad "$1: stdout lacks '$2': $(head -c 400 "$T/out")"; fi; }
expect_json() {
    got=$(jq -r "$2" "$T/out" 2>/dev/null)
    if [ "$got" = "$3" ]; then ok; else bad "$1: $2 = '$got', expected '$3'"; fi
}

# serve_bg OUT ERR CMD... : starts CMD (a `zhucan-central serve`) in the
# background, stdout in OUT and stderr in ERR, and waits at most 10 s for its
# "listening on http(s)://HOST:PORT" line.  Sets PID, URL and PORT; URL and
# PORT are empty when it did not start (the caller says so).
serve_bg() {
    lib_out=$1; lib_err=$2; shift 2
    : >"$lib_out"
    "$@" >"$lib_out" 2>"$lib_err" &
    PID=$!
    lib_i=0
    lib_line=""
    while [ $lib_i -lt 200 ]; do
        lib_line=$(grep -m1 'listening on' "$lib_out" 2>/dev/null)
        [ -n "$lib_line" ] && break
        sleep 0.05
        lib_i=$((lib_i + 1))
    done
    URL=$(printf '%s\n' "$lib_line" | sed -n 's/^listening on \(http[^ ]*\).*/\1/p')
    PORT=$(printf '%s\n' "$URL" | sed -n -E 's/.*:([0-9]+)$/\1/p')
}
