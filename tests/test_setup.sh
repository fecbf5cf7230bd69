#!/bin/sh
# test_setup.sh - a real canteen's set-up on a terminal made by a plain
# `zhucan init` (no demo).  Staff with `zhucan operator`: the first admin, cashiers and a supervisor with
# PINs piped on stdin and typed at a terminal (a pty from script(1), echo
# off), the rules' refusals with nothing half done, list, disable/enable,
# unlock after five wrong PINs, a new PIN.  No PIN is
# ever an argument, printed, or in the audit log.  Settings: `config unset`
# of an optional key (a terminal leaves its centre), refused for the ones
# the terminal needs.
SUITE=test_setup
. tests/lib.sh
# run NAME WANT_EXIT STDIN CMD... : output in $T/out, $T/err
run() {
    name=$1; want=$2; input=$3; shift 3
    printf '%b' "$input" | "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" -eq "$want" ]; then ok; else bad "$name: exit $got, expected $want: $(head -c 300 "$T/err")"; fi
}
has_err() { expect_err "$@"; }

[ -x "$Z" ] || { bad "$Z is missing"; finish; }
command -v sqlite3 >/dev/null || { bad "sqlite3 is missing (make deps)"; finish; }
command -v script >/dev/null || { bad "script(1) is missing (bsdutils)"; finish; }
DB="$T/t.db"
run "init" 0 "" "$Z" init --db "$DB"
same "a plain init has nobody" "$(q "$DB" "SELECT count(*) FROM operator")" 0

# --- the first admin, typed at a terminal: prompts, no echo ---
(sleep 0.3; printf '582913\n'; sleep 0.3; printf '582913\n') |
    script -qec "'$Z' operator add --db '$DB' --id a1 --name '王芳' --role admin" /dev/null >"$T/tty" 2>&1
grep -q "new PIN for a1" "$T/tty" && ok || bad "tty: no prompt: $(cat "$T/tty")"
grep -q "added a1" "$T/tty" && ok || bad "tty: not added: $(cat "$T/tty")"
grep -q "582913" "$T/tty" && bad "tty: the PIN was echoed" || ok

# --- piped PINs, and what the rules refuse ---
run "cashier" 0 '7301\n7301\n' "$Z" operator add --db "$DB" --id c1 --name 李强 --role cashier
run "admin with 4 digits" 1 '5829\n5829\n' "$Z" operator add --db "$DB" --id a2 --name 陈 --role admin
has_err "admin with 4 digits" "at least 6 digits"
run "a run" 1 '234567\n234567\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
has_err "a run" "too easy to guess"
run "two different" 1 '640275\n640276\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
has_err "two different" "the two PINs differ"
run "shared PIN" 1 '7301\n7301\n' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "shared PIN" "another operator already uses this PIN"
run "no PIN at all" 1 '' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "no PIN at all" "no PIN was given"
run "a 40-digit line" 1 '1234567890123456789012345678901234567890\n' "$Z" operator add --db "$DB" \
    --id c2 --name 周 --role cashier
has_err "a 40-digit line" "longer than"
run "same id" 1 '9163\n9163\n' "$Z" operator add --db "$DB" --id c1 --name 别人 --role cashier
has_err "same id" "already exists"
run "bad role" 2 '' "$Z" operator add --db "$DB" --id c3 --name 吴 --role boss
run "supervisor" 0 '640275\n640275\n' "$Z" operator add --db "$DB" --id s1 --name 赵敏 --role supervisor
same "three people, nothing half added" "$(q "$DB" "SELECT group_concat(id || ':' || role, ' ') FROM (SELECT * FROM operator ORDER BY id)")" \
    "a1:admin c1:cashier s1:supervisor"
run "stricter cashiers" 0 '' "$Z" config set --db "$DB" pin_min_cashier 6
run "4 digits now too short" 1 '9163\n9163\n' "$Z" operator add --db "$DB" --id c2 --name 周 --role cashier
has_err "4 digits now too short" "at least 6 digits"
run "pin_min_cashier 9" 1 '' "$Z" config set --db "$DB" pin_min_cashier 9

# --- list, disable, enable ---
run "list" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 *cashier *active *李强$" "$T/out" && ok || bad "list: $(cat "$T/out")"
run "disable c1" 0 '' "$Z" operator disable --db "$DB" --id c1
run "list after" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 *cashier *off" "$T/out" && ok || bad "list off: $(cat "$T/out")"
run "the only admin stays" 1 '' "$Z" operator disable --db "$DB" --id a1
has_err "the only admin stays" "only active admin"
run "enable c1" 0 '' "$Z" operator enable --db "$DB" --id c1
run "unknown id" 1 '' "$Z" operator unlock --db "$DB" --id nobody
has_err "unknown id" "no operator nobody"

# --- a lock-out, lifted; a new PIN ---
q "$DB" "UPDATE operator SET failed = 5, locked_until = strftime('%s','now') + 300 WHERE id = 'c1'"
run "list shows the lock" 0 '' "$Z" operator list --db "$DB"
grep -q "^c1 .*locked until" "$T/out" && ok || bad "list locked: $(cat "$T/out")"
run "unlock" 0 '' "$Z" operator unlock --db "$DB" --id c1
same "unlocked" "$(q "$DB" "SELECT failed || '|' || locked_until FROM operator WHERE id = 'c1'")" "0|0"
old=$(q "$DB" "SELECT pin_hash FROM operator WHERE id = 'c1'")
run "set-pin" 0 '468213\n468213\n' "$Z" operator set-pin --db "$DB" --id c1
new=$(q "$DB" "SELECT pin_hash FROM operator WHERE id = 'c1'")
[ "$old" != "$new" ] && ok || bad "set-pin did not change the hash"
case "$new" in 'zk1:'*) ok ;; *) bad "hash is not sealed with the key file (docs/security.md): $new" ;; esac

# --- the audit log: every change, no PIN ---
same "audited" "$(q "$DB" "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit WHERE action LIKE 'operator%' ORDER BY id)")" \
    "operator_add operator_add operator_add operator_disable operator_enable operator_unlock operator_pin"
n=$(q "$DB" "SELECT count(*) FROM audit WHERE detail LIKE '%582913%' OR detail LIKE '%7301%' OR detail LIKE '%640275%' OR detail LIKE '%468213%'")
same "no PIN in the audit log" "$n" 0
run "verify" 0 '' "$Z" verify --db "$DB"

# --- settings: leave the centre, keep the identity ---
run "server_url" 0 '' "$Z" config set --db "$DB" server_url https://127.0.0.1:9
run "unset server_url" 0 '' "$Z" config unset --db "$DB" server_url
run "server_url is gone" 1 '' "$Z" config get --db "$DB" server_url
run "unset twice" 1 '' "$Z" config unset --db "$DB" server_url
has_err "unset twice" "is not set"
run "terminal_id" 0 '' "$Z" config set --db "$DB" terminal_id T-0009
run "terminal_id stays" 1 '' "$Z" config unset --db "$DB" terminal_id
has_err "terminal_id stays" "the terminal needs it"
same "terminal_id kept" "$(q "$DB" "SELECT value FROM meta WHERE key = 'terminal_id'")" T-0009
run "an unknown key" 1 '' "$Z" config unset --db "$DB" no_such_key
has_err "an unknown key" "not a setting"
same "unset audited" "$(q "$DB" "SELECT count(*) FROM audit WHERE action = 'config_unset' AND subject = 'server_url'")" 1
run "verify at the end" 0 "" "$Z" verify --db "$DB"
finish
