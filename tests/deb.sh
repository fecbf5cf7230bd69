#!/bin/sh
# deb.sh - the Debian packages `make deb` built in DEB_DIR: lintian clean,
# each depends only on the libraries it links, and unpacked into a
# throwaway root the installed binaries run (--version, a centre database
# made, served and backed up; the till's command line) and find their
# files.  Run by `make test-deb` (not `make test`: it needs the packages).
SUITE=test_deb
. tests/lib.sh
DEB_DIR=${DEB_DIR:-build/deb}
ver=${ZC_VERSION:-$(git describe --always --dirty 2>/dev/null || cat VERSION)}
till=$(ls "$DEB_DIR"/zhucan_*.deb 2>/dev/null | head -1)
centre=$(ls "$DEB_DIR"/zhucan-central_*.deb 2>/dev/null | head -1)
[ -f "$till" ] && ok || bad "no zhucan .deb in $DEB_DIR (make deb)"
[ -f "$centre" ] && ok || bad "no zhucan-central .deb in $DEB_DIR (make deb)"

# --- lintian: nothing at all, info tags included (overrides explain theirs) ---
lintian -I --pedantic "$till" "$centre" 2>/dev/null >"$T/lintian"
if [ -s "$T/lintian" ]; then bad "lintian: $(head -c 800 "$T/lintian")"; else ok; fi

# --- dependencies: each only what it links ---
dpkg-deb -f "$till" Depends >"$T/dep.till"
dpkg-deb -f "$centre" Depends >"$T/dep.centre"
for p in libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 libsqlite3-0 libsodium23 fonts-noto-cjk; do
    has "zhucan depends on $p" "$p" "$T/dep.till"
done
hasnt "zhucan does not depend on libmicrohttpd" libmicrohttpd "$T/dep.till"
for p in libmicrohttpd12 libsqlite3-0 libsodium23 libcjson1 tzdata; do
    has "zhucan-central depends on $p" "$p" "$T/dep.centre"
done
for p in libsdl2 libcurl fonts-noto; do hasnt "zhucan-central does not depend on $p" "$p" "$T/dep.centre"; done

# --- contents ---
R="$T/root"
dpkg-deb -x "$till" "$R" && dpkg-deb -x "$centre" "$R" && ok || bad "dpkg-deb -x failed"
for f in usr/bin/zhucan usr/bin/zhucan-central usr/share/zhucan/i18n/en.po \
    lib/systemd/system/zhucan-central.service lib/systemd/system/zhucan-kiosk.service \
    etc/default/zhucan etc/default/zhucan-central usr/share/man/man1/zhucan.1.gz \
    usr/share/doc/zhucan/deploy.md usr/share/doc/zhucan-central/copyright; do
    [ -e "$R/$f" ] && ok || bad "$f not in the packages"
done
n=$(find "$R/usr/share/zhucan/sounds" -name '*.wav' | wc -l)
[ "$n" -gt 20 ] && ok || bad "only $n sounds packaged"
dpkg-deb -e "$till" "$T/ctl.till"; dpkg-deb -e "$centre" "$T/ctl.centre"
has "the centre's defaults are a conffile" /etc/default/zhucan-central "$T/ctl.centre/conffiles"
for s in "$T"/ctl.*/postinst "$T"/ctl.*/prerm "$T"/ctl.*/postrm; do
    [ -f "$s" ] || continue
    sh -n "$s" && ok || bad "$s does not parse"
    hasnt "$(basename "$s") starts no service" "deb-systemd-invoke.*start" "$s"
done
# the binaries link what the packages name, and nothing unresolved
for b in zhucan zhucan-central; do
    ldd "$R/usr/bin/$b" >"$T/ldd" 2>&1
    hasnt "$b: every library resolves" "not found" "$T/ldd"
done
ldd "$R/usr/bin/zhucan-central" >"$T/ldd"
hasnt "zhucan-central links no SDL" libSDL2 "$T/ldd"
hasnt "zhucan-central links no libcurl" libcurl "$T/ldd"

# --- the installed binaries run ---
expect_exit 0 "installed zhucan --version" "$R/usr/bin/zhucan" --version
same "installed zhucan --version" "$(cat "$T/out")" "zhucan $ver"
expect_exit 0 "installed zhucan-central --version" "$R/usr/bin/zhucan-central" --version
same "installed zhucan-central --version" "$(cat "$T/out")" "zhucan-central $ver"
C="$R/usr/bin/zhucan-central"
expect_exit 0 "installed centre: init" "$C" init --db "$T/c.db"
serve_bg "$T/serve.out" "$T/serve.err" "$C" serve --db "$T/c.db" --listen 127.0.0.1:0
if [ -n "$URL" ]; then ok; else bad "installed serve did not start: $(cat "$T/serve.err")"; fi
expect_exit 0 "installed centre answers" curl -sf --max-time 5 "$URL/api/v1/health"
expect_exit 0 "installed centre: online backup" "$C" backup --db "$T/c.db" --to "$T/b.db"
expect_exit 0 "installed zhucan: init" "$R/usr/bin/zhucan" init --db "$T/t.db"
expect_exit 0 "installed zhucan: verify" "$R/usr/bin/zhucan" verify --db "$T/t.db"
ls -l "$till" "$centre" | awk '{print "  " $5 " bytes  " $9}' >&2

finish
