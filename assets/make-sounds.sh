#!/bin/sh
# make-sounds.sh OUTDIR - renders the till's spoken clips and tones.
#
# Reads assets/sounds.txt ("name<TAB>Mandarin<TAB>English") and writes
#   OUTDIR/zh/NAME.wav   Mandarin, espeak-ng, slow enough for elders
#   OUTDIR/en/NAME.wav   English, same rate idea
#   OUTDIR/tones/{ok,error,key}.wav   short tones made with sox, also copied
#                        to OUTDIR/{zh,en}/tone_{ok,error,key}.wav
# Idempotent: a clip newer than both sounds.txt and this script is kept, so a
# second run only checks timestamps.  Every clip is trimmed of leading and
# trailing silence (the kiosk plays clips back to back: "请付" "八" "元") and
# normalised to the same loudness.
#
# Voice: espeak-ng 1.51's "cmn" voice reads the pinyin of some characters as
# English ("卡" comes out as "ka three"; espeak-ng issue #1370 reworked those
# rules).  The "cmn-latn-pinyin" variant uses the same Mandarin dictionary and
# reads it correctly, so it is preferred when installed.
set -eu

die() { echo "make-sounds: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: make-sounds.sh OUTDIR (e.g. assets/sounds)"
OUT=$1
HERE=$(cd "$(dirname "$0")" && pwd)
LIST=$HERE/sounds.txt
SELF=$HERE/make-sounds.sh

command -v espeak-ng >/dev/null 2>&1 ||
    die "espeak-ng is not installed; run: sudo apt-get install -y espeak-ng"
command -v sox >/dev/null 2>&1 ||
    die "sox is not installed; run: sudo apt-get install -y sox"
[ -r "$LIST" ] || die "cannot read $LIST"

# Words per minute: espeak's default is 175; elders follow 120-130 well.
ZH_RATE=${ZH_RATE:-125}
EN_RATE=${EN_RATE:-135}
RATE=22050

if espeak-ng --voices=zh 2>/dev/null | grep -q 'cmn-latn-pinyin'; then
    ZH_VOICE=cmn-latn-pinyin
elif espeak-ng --voices=zh 2>/dev/null | grep -q ' cmn '; then
    ZH_VOICE=cmn
else
    die "espeak-ng has no Mandarin voice (cmn); install the espeak-ng-data package"
fi
EN_VOICE=en-us

mkdir -p "$OUT/zh" "$OUT/en" "$OUT/tones" || die "cannot create $OUT"
TMP=$(mktemp -d) || die "cannot create a temporary directory"
trap 'rm -rf "$TMP"' EXIT INT TERM

made=0
kept=0

# fresh FILE: true when FILE exists and is newer than the list and this script.
fresh() {
    [ -s "$1" ] && [ "$1" -nt "$LIST" ] && [ "$1" -nt "$SELF" ]
}

# speak VOICE RATE TEXT OUTFILE: synthesise, trim silence, normalise, pad.
# The clip is finished beside OUTFILE and renamed, so an interrupted run
# never leaves a truncated clip that a later run would think is fresh.
speak() {
    espeak-ng -v "$1" -s "$2" -a 160 -w "$TMP/raw.wav" -- "$3" ||
        die "espeak-ng failed on \"$3\""
    sox -q "$TMP/raw.wav" -r $RATE -c 1 -b 16 "$4.part.wav" \
        silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
        norm -3 pad 0.02 0.08 ||
        die "sox failed on \"$3\""
    mv -f "$4.part.wav" "$4"
}

tab=$(printf '\t')
lineno=0
while IFS= read -r line || [ -n "$line" ]; do
    lineno=$((lineno + 1))
    case "$line" in '' | '#'*) continue ;; esac
    name=${line%%"$tab"*}
    rest=${line#*"$tab"}
    zh=${rest%%"$tab"*}
    en=${rest#*"$tab"}
    case "$name" in *[!a-z0-9_]* | '') die "$LIST:$lineno: bad clip name \"$name\" (use a-z 0-9 _)" ;; esac
    if [ "$rest" = "$line" ] || [ "$en" = "$rest" ] || [ -z "$zh" ] || [ -z "$en" ]; then
        die "$LIST:$lineno: expected name<TAB>Mandarin<TAB>English"
    fi
    case "$en" in *"$tab"*) die "$LIST:$lineno: more than three fields" ;; esac
    if fresh "$OUT/zh/$name.wav"; then kept=$((kept + 1)); else
        speak "$ZH_VOICE" "$ZH_RATE" "$zh" "$OUT/zh/$name.wav"; made=$((made + 1))
    fi
    if fresh "$OUT/en/$name.wav"; then kept=$((kept + 1)); else
        speak "$EN_VOICE" "$EN_RATE" "$en" "$OUT/en/$name.wav"; made=$((made + 1))
    fi
done <"$LIST"

# tone NAME MAKER: one tone (skipped when fresh).  Written to OUTDIR/tones/NAME.wav
# and, because the host looks every clip up as OUTDIR/<lang>/<clip>.wav, also
# as OUTDIR/zh/tone_NAME.wav and OUTDIR/en/tone_NAME.wav (the kiosk says
# "tone_ok" / "tone_error" / "tone_key").
tone() {
    n=$1
    if fresh "$OUT/tones/$n.wav" && fresh "$OUT/zh/tone_$n.wav" && fresh "$OUT/en/tone_$n.wav"; then
        kept=$((kept + 1))
        return 0
    fi
    "$2" || die "sox failed making tone $n"
    for dst in "$OUT/tones/$n.wav" "$OUT/zh/tone_$n.wav" "$OUT/en/tone_$n.wav"; do
        cp "$TMP/tone.wav" "$dst.part.wav" && mv -f "$dst.part.wav" "$dst" ||
            die "cannot write $dst"
    done
    made=$((made + 1))
}

# ok: a soft rising two-note chime (E5 then A5), each note decaying.
mk_ok() {
    sox -q -n -r $RATE -c 1 -b 16 "$TMP/a.wav" synth 0.16 sine 659.3 fade q 0.005 0.16 0.12 vol 0.5 &&
    sox -q -n -r $RATE -c 1 -b 16 "$TMP/b.wav" synth 0.32 sine 880 fade q 0.005 0.32 0.26 vol 0.5 &&
    sox -q "$TMP/a.wav" "$TMP/b.wav" "$TMP/tone.wav"
}
# error: two low beeps (a soft square at 300 Hz) with a short gap.
mk_error() {
    sox -q -n -r $RATE -c 1 -b 16 "$TMP/a.wav" synth 0.18 square 300 fade q 0.01 0.18 0.03 vol 0.3 lowpass 1800 &&
    sox -q -n -r $RATE -c 1 -b 16 "$TMP/gap.wav" trim 0 0.09 &&
    sox -q "$TMP/a.wav" "$TMP/gap.wav" "$TMP/a.wav" "$TMP/tone.wav"
}
# key: a 15 ms click.
mk_key() {
    sox -q -n -r $RATE -c 1 -b 16 "$TMP/tone.wav" synth 0.015 sine 1800 fade q 0.001 0.015 0.012 vol 0.4
}
tone ok mk_ok
tone error mk_error
tone key mk_key

echo "make-sounds: $made made, $kept up to date in $OUT (zh voice $ZH_VOICE)"
