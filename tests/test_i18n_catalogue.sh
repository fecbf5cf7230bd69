#!/bin/sh
# test_i18n_catalogue.sh - every TR(k, "中文") string in app/ui/*.c has an
# English translation in assets/i18n/en.po.
#
# One pass per distinct string found; one failure (named with its first
# file:line) per string that is missing, untranslated (msgstr "") or fuzzy.
# Strings are compared in their escaped source form (\" \n \\ as written),
# which is how both C and .po spell them.  Write each TR() text as a single
# literal: TR(k, "a" "b") would be read as "a".
#
# Closing line: "test_i18n_catalogue: N passed, N failed".
cd "$(dirname "$0")/.." || exit 1
SUITE=test_i18n_catalogue
. tests/lib.sh
PO=${PO:-assets/i18n/en.po}

if [ ! -r "$PO" ]; then
    bad "cannot read $PO"
    finish
fi

# msgids that have a real translation, one per line, escaped as written.
awk '
function val(s) { sub(/^[^"]*"/, "", s); sub(/"[ \t\r]*$/, "", s); return s }
function flush() {
    if (have_id && have_str && str != "" && id != "" && !fuzzy) print id
    have_id = 0; have_str = 0; id = ""; str = ""; cur = ""; fuzzy = 0
}
/^[ \t]*#~/ { next }
/^[ \t]*#,/ { if (have_str) flush(); if ($0 ~ /fuzzy/) nextfuzzy = 1; next }
/^[ \t]*#/ { if (have_str) flush(); next }
/^[ \t]*msgid[ \t]/ { flush(); have_id = 1; fuzzy = nextfuzzy; nextfuzzy = 0; id = val($0); cur = "id"; next }
/^[ \t]*msgstr[ \t]/ { have_str = 1; str = val($0); cur = "str"; next }
/^[ \t]*"/ { if (cur == "id") id = id val($0); else if (cur == "str") str = str val($0); next }
END { flush() }
' "$PO" | sort -u >"$T/have"

# TR strings: "string<TAB>file" for every TR(..., "...") in app/ui/*.c.
# Lines are joined first so a call split over two lines is still found.
for f in app/ui/*.c; do
    [ -f "$f" ] || continue
    tr '\n' ' ' <"$f" | awk -v file="$f" '
    {
        s = $0
        while (match(s, /(^|[^A-Za-z0-9_])TR[ \t]*\([^,()";]*,[ \t]*"([^"\\]|\\.)*"/)) {
            m = substr(s, RSTART, RLENGTH)
            s = substr(s, RSTART + RLENGTH)
            sub(/^[^"]*"/, "", m)
            sub(/"$/, "", m)
            if (m != "") print m "\t" file
        }
    }'
done >"$T/found"

# first occurrence of each distinct string
awk -F '\t' '!seen[$1]++' "$T/found" >"$T/want"

tab=$(printf '\t')
while IFS="$tab" read -r s f; do
    if grep -qxF -- "$s" "$T/have"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        line=$(grep -nF -- "\"$s\"" "$f" | head -1 | cut -d: -f1)
        echo "  FAIL missing from $PO: msgid \"$s\" ($f${line:+:$line})"
    fi
done <"$T/want"

finish
