#!/bin/sh
# make.sh - regenerates the README's screenshots (1920x1080) from a scripted
# session on a fresh demo database, under Xvfb.  Needs xvfb and imagemagick.
set -eu
cd "$(dirname "$0")/../.."
Z=build/zhucan
T=$(mktemp -d /tmp/zhucan-shots.XXXXXX)
trap 'rm -rf "$T"' EXIT
"$Z" init --db "$T/d.db" --demo --elders 300 --seed 5 2>/dev/null
cat >"$T/s" <<SCRIPT
size 1920x1080
now 2026-11-23 11:25
shot $T/01-login.bmp
tap op:c1
type 1111
key enter
type 200
tap confirm
tap item:A1
tap cat:2
tap item:S1
card 00000000A1
expect 请付 11.00 元
shot $T/02-sell-elder.bmp
customer-shot $T/09-customer.bmp
card 00000000A2
shot $T/10-second-card.bmp
tap swap:keep
card 00000000A4
shot $T/03-refusal.bmp
tap refusal:cancel
tap pay_cash
tap tender:20
shot $T/04-pay-cash.bmp
tap confirm
shot $T/05-done.bmp
tap next
tap recent
tap sale:0
tap void
tap op:s1
type 8888
key enter
tap reason:2
shot $T/11-void.bmp
tap void:confirm
shot $T/06-recent.bmp
tap back
tap lookup
tap op:s1
type 8888
key enter
tap kb:Z
tap kb:G
tap search
shot $T/12-lookup.bmp
tap back
tap shift_close
tap op:s1
type 8888
key enter
type 209
tap confirm
shot $T/07-zreport.bmp
tap reports
tap op:s1
type 8888
key enter
expect-screen report
shot $T/08-reports.bmp
SCRIPT
xvfb-run -a -s "-screen 0 1920x1080x24" "$Z" kiosk --db "$T/d.db" --windowed 1920x1080 --software \
    --customer-window --customer-size 1280x800 --script "$T/s"
for f in "$T"/*.bmp; do
    convert "$f" "docs/screenshots/$(basename "$f" .bmp).png"
done
ls docs/screenshots/*.png
