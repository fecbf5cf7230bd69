#!/bin/sh
# test_forbidden.sh - the C library calls the house style bans (curl bans them
# too) appear nowhere in app/ or the C tests: strcpy, sprintf (snprintf is
# fine), strcat, gets, atoi, strtok.  Words are matched whole, so fgets,
# snprintf and strtok_r pass; comments and string literals are skipped, so a
# comment saying "the elder gets a meal" does not count.  Each hit fails,
# named by file:line; each clean file passes.  A planted file checks first
# that the scanner finds what it should and skips what it should.
SUITE=test_forbidden
. tests/lib.sh
BANNED='strcpy|sprintf|strcat|gets|atoi|strtok'

# scan FILE...: prints "file:line: word" for every banned call in code
scan() {
    awk -v banned="$BANNED" '
    FNR == 1 { incom = 0 }
    {
        s = $0; out = ""; i = 1; n = length(s); instr = 0
        while (i <= n) {
            c = substr(s, i, 1); d = substr(s, i, 2)
            if (incom) { if (d == "*/") { incom = 0; i += 2; out = out " " } else i++; continue }
            if (instr) {
                if (c == "\\") { i += 2; continue }
                if (c == q) { instr = 0; out = out q }
                i++; continue
            }
            if (d == "/*") { incom = 1; i += 2; continue }
            if (d == "//") break
            if (c == "\"" || c == "\047") { instr = 1; q = c; out = out c; i++; continue }
            out = out c; i++
        }
        rest = out
        re = "(^|[^A-Za-z0-9_])(" banned ")([^A-Za-z0-9_]|$)"
        while (match(rest, re)) {
            w = substr(rest, RSTART, RLENGTH)
            gsub(/[^A-Za-z0-9_]/, "", w)
            print FILENAME ":" FNR ": " w
            rest = substr(rest, RSTART + RLENGTH - 1)
        }
    }' "$@"
}

# --- the scanner itself, on a planted file ---
cat >"$T/planted.c" <<'EOF'
/* strcpy in a comment, and gets
   over two lines: atoi */
int f(char *a, const char *b) {
    strcpy(a, b);                   // line 4
    char *s = "sprintf in a string";
    snprintf(a, 4, "%s", b); fgets(a, 4, 0); strtok_r(a, ",", &s);
    sprintf(a, "x"); n = atoi(b);   /* line 7: two */
    strcat (a, b); gets(a); x = '"'; strtok(a, ",");
}
EOF
scan "$T/planted.c" | sed "s|$T/||" >"$T/got"
printf '%s\n' "planted.c:4: strcpy" "planted.c:7: sprintf" "planted.c:7: atoi" "planted.c:8: strcat" \
    "planted.c:8: gets" "planted.c:8: strtok" >"$T/want"
if cmp -s "$T/got" "$T/want"; then ok; else bad "the scanner found: $(tr '\n' ';' <"$T/got")"; fi

# --- app/ and the C tests ---
files=$(find app -name '*.[ch]' | sort; ls tests/*.c tests/*.h tests/fuzz/*.c 2>/dev/null)
for f in $files; do
    scan "$f" >"$T/hits"
    if [ -s "$T/hits" ]; then
        while read -r hit; do bad "$hit is banned (use snprintf, a bounded copy or strtol)"; done <"$T/hits"
    else
        ok
    fi
done
finish
