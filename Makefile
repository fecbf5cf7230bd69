# Zhucan - one Makefile.  `make run` and `make test` are the two commands a
# newcomer types; both install missing Debian packages first (make deps).

BUILD   ?= build
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

STD   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN  = -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes -Wvla
OPT   ?= -O2 -g
SAN   ?=
# Each binary links the libraries of its own layers only: the till no
# libmicrohttpd, the centre neither SDL nor libcurl.
TERM_PKGS   = sqlite3 libcjson libsodium sdl2 SDL2_ttf libcurl
CENTRE_PKGS = sqlite3 libcjson libsodium libmicrohttpd
PKGS        = $(sort $(TERM_PKGS) $(CENTRE_PKGS))

PKG_CFLAGS  := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
TERM_LIBS   := $(shell pkg-config --libs $(TERM_PKGS) 2>/dev/null) -lpthread -lm
CENTRE_LIBS := $(shell pkg-config --libs $(CENTRE_PKGS) 2>/dev/null) -lpthread -lm
BOTH_LIBS   := $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# Debian packages, by what needs them (make deps-run, deps-build, deps-test,
# deps-deb; make deps = the first three, so run and test work on a fresh
# machine).  Running: the libraries, the font, zones and CA certificates.
DEPS_RUN   = libsqlite3-0 libcjson1 libsodium23 libsdl2-2.0-0 libsdl2-ttf-2.0-0 libcurl4 \
             libmicrohttpd12 fonts-noto-cjk tzdata ca-certificates
# Building: the compiler, the headers, git for --version, the spoken prompts.
DEPS_BUILD = build-essential pkg-config git libsqlite3-dev libcjson-dev libsodium-dev \
             libsdl2-dev libsdl2-ttf-dev libcurl4-openssl-dev libmicrohttpd-dev espeak-ng sox
# Testing: the suites' tools, sanitizers, valgrind, the browser of the
# console tests, systemd-analyze for the units.
DEPS_TEST  = sqlite3 xvfb xdotool openssl curl jq bc clang libclang-rt-14-dev valgrind \
             chromium faketime systemd
# Packaging (make deb, make test-deb).
DEPS_DEB   = debhelper lintian dpkg-dev fakeroot
DEB_PKGS   = $(DEPS_RUN) $(DEPS_BUILD) $(DEPS_TEST)

CORE_SRC  = $(sort $(wildcard app/core/*.c))
STORE_SRC = $(sort $(wildcard app/store/*.c))
TILL_SRC  = $(sort $(wildcard app/till/*.c))
UI_SRC    = $(sort $(wildcard app/ui/*.c))
SYNC_SRC  = $(sort $(wildcard app/sync/*.c))
CENTRAL_SRC = $(filter-out app/central/main.c,$(sort $(wildcard app/central/*.c)))
CLI_SRC   = $(sort $(wildcard app/cli/*.c))
EMBED_IN  = $(sort $(wildcard db/[0-9]*.sql)) $(sort $(wildcard db/central/[0-9]*.sql)) $(sort $(wildcard db/policies/*.json))
EMBED_C   = $(BUILD)/gen/embed_data.c
# The build's version (app/core/version.h): git describe in a checkout, else
# the VERSION file; ZC_VERSION=... overrides both (debian/rules passes it).
ZC_VERSION ?= $(shell git describe --always --dirty 2>/dev/null || cat VERSION)
VERSION_C = $(BUILD)/gen/version.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJ  = $(call obj,$(CORE_SRC)) $(BUILD)/obj/embed_data.o $(BUILD)/obj/version.o
STORE_OBJ = $(call obj,$(STORE_SRC))
TILL_OBJ  = $(call obj,$(TILL_SRC))
UI_OBJ    = $(call obj,$(UI_SRC))
SYNC_OBJ  = $(call obj,$(SYNC_SRC))
CENTRAL_OBJ = $(call obj,$(CENTRAL_SRC))
CLI_OBJ   = $(call obj,$(CLI_SRC))
# Link sets: the till is everything but central, the centre is core and
# central only, so an include the wrong way fails to link.
TERM_OBJ   = $(CORE_OBJ) $(STORE_OBJ) $(TILL_OBJ) $(UI_OBJ) $(SYNC_OBJ)
CENTRE_OBJ = $(CORE_OBJ) $(CENTRAL_OBJ)

TEST_SRC  = $(sort $(wildcard tests/test_*.c))
TEST_BIN  = $(patsubst tests/%.c,$(BUILD)/tests/%,$(TEST_SRC))
BENCH_SRC = $(sort $(wildcard tests/bench_*.c))
BENCH_BIN = $(patsubst tests/%.c,$(BUILD)/tests/%,$(BENCH_SRC))
# Tests link the layers of what they test: the centre's alone link core
# and central, those that run a terminal against a centre link both, the
# rest the till's set.  All get every library (the sync tests serve a fake
# centre with libmicrohttpd).
CENTRE_TESTS = $(addprefix $(BUILD)/tests/,test_admin_html test_admin_session test_console_unit test_creport test_proxy \
               bench_creport)
BOTH_TESTS   = $(addprefix $(BUILD)/tests/,test_central test_central_data test_central_e2e test_central_limits test_central_input test_policy_sync \
               test_central_ingest test_sync_closing)
TERM_TESTS   = $(filter-out $(CENTRE_TESTS) $(BOTH_TESTS),$(TEST_BIN) $(BENCH_BIN))

PHONY_DEPS = deps deps-run deps-build deps-test deps-deb
.PHONY: all $(PHONY_DEPS) deb test-deb test test-asan test-dates check bench clean install run fonts sounds fuzz fuzz-build fuzzers
all: $(BUILD)/zhucan $(if $(wildcard app/central/main.c),$(BUILD)/zhucan-central)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(EMBED_C): db/embed.sh $(EMBED_IN)
	@mkdir -p $(dir $@)
	sh db/embed.sh $@ $(EMBED_IN)

$(BUILD)/obj/embed_data.o: $(EMBED_C)
	$(CC) $(ALL_CFLAGS) -Iapp/core -c $< -o $@

# Rewritten on every make, but touched only when the version changed.
$(VERSION_C): FORCE
	@mkdir -p $(dir $@)
	@printf '/* generated by the Makefile - do not edit */\n#include "version.h"\nconst char zc_version[] = "%s";\n' \
	    '$(ZC_VERSION)' >$@.tmp
	@if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv $@.tmp $@; fi

$(BUILD)/obj/version.o: $(VERSION_C)
	$(CC) $(ALL_CFLAGS) -Iapp/core -c $< -o $@

FORCE:

$(BUILD)/zhucan: $(CLI_OBJ) $(TERM_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(TERM_LIBS)

# The central service: its own main, central and core.
$(BUILD)/zhucan-central: $(BUILD)/obj/app/central/main.o $(CENTRE_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CENTRE_LIBS)

$(TERM_TESTS): $(BUILD)/tests/%: tests/%.c $(TERM_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TERM_OBJ) $(BOTH_LIBS)

$(CENTRE_TESTS): $(BUILD)/tests/%: tests/%.c $(CENTRE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(CENTRE_OBJ) $(BOTH_LIBS)

$(BOTH_TESTS): $(BUILD)/tests/%: tests/%.c $(TERM_OBJ) $(CENTRAL_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(TERM_OBJ) $(CENTRAL_OBJ) $(BOTH_LIBS)

# libFuzzer targets (tests/fuzz/fuzz_*.c), built with clang + ASan + UBSan
# into build/fuzz; each links only the objects its parser needs.
# `make fuzz FUZZ_SECONDS=60` runs each that long on its corpus.
FUZZ_SECONDS ?= 60
FUZZ_SRC = $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BIN = $(patsubst tests/fuzz/%.c,$(BUILD)/%,$(FUZZ_SRC))
FUZZ_SAN = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

$(BUILD)/fuzz_card: $(CORE_OBJ) $(call obj,app/ui/wedge.c app/ui/draw.c)
$(BUILD)/fuzz_policy: $(CORE_OBJ)
$(BUILD)/fuzz_roster: $(CORE_OBJ) $(STORE_OBJ)
$(BUILD)/fuzz_sync_reply: $(CORE_OBJ) $(STORE_OBJ) $(SYNC_OBJ)
$(BUILD)/fuzz_central_req: $(CORE_OBJ) $(CENTRAL_OBJ)
$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(BOTH_LIBS)

fuzzers: $(FUZZ_BIN)

fuzz-build:
	$(MAKE) BUILD=build/fuzz CC=clang OPT="-O1 -g" SAN="$(FUZZ_SAN)" fuzzers

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) FUZZ_BUILT=1 sh tests/test_fuzz.sh

# Installs whatever of $(1) is missing; prints the exact command when not root.
define apt_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
	    | grep -q 'install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null 2>&1 || \
	    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; }; \
	  else \
	    echo "missing Debian packages; run:"; \
	    echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi
endef

deps:
	$(call apt_missing,$(DEB_PKGS))
deps-run:
	$(call apt_missing,$(DEPS_RUN))
deps-build:
	$(call apt_missing,$(DEPS_BUILD))
deps-test:
	$(call apt_missing,$(DEPS_TEST))
deps-deb:
	$(call apt_missing,$(DEPS_DEB))

check: all $(TEST_BIN) fonts sounds
	BUILD=$(BUILD) sh tests/run.sh

# The CJK font comes from Debian's fonts-noto-cjk (not kept in git).
fonts:
	@for f in NotoSansCJK-Regular.ttc NotoSansCJK-Bold.ttc; do \
	  [ -e fonts/$$f ] || ln -sf /usr/share/fonts/opentype/noto/$$f fonts/$$f; done

# Spoken prompts, made with espeak-ng and sox from assets/sounds.txt.
sounds: $(BUILD)/assets/sounds/.stamp
$(BUILD)/assets/sounds/.stamp: assets/make-sounds.sh assets/sounds.txt
	sh assets/make-sounds.sh $(BUILD)/assets/sounds
	@touch $@

# The till on this machine's display and a local central service, with a
# demo canteen (demo.db and demo-central.db are kept between runs).
run: deps
	$(MAKE) all fonts sounds
	BUILD=$(BUILD) sh db/demo.sh

test: deps
	$(MAKE) check

# The whole suite under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp $(MAKE) BUILD=build/asan OPT="-O1 -g" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" check

# The clock-reading suites again at five other moments (tests/dates.sh).
test-dates: deps
	$(MAKE) all $(TEST_BIN) fonts sounds
	BUILD=$(BUILD) sh tests/dates.sh

bench: deps all $(BENCH_BIN)
	BUILD=$(BUILD) sh tests/bench.sh

install: all sounds
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/zhucan/i18n \
	    $(DESTDIR)$(PREFIX)/share/zhucan/sounds
	install -m 0644 assets/i18n/*.po $(DESTDIR)$(PREFIX)/share/zhucan/i18n/
	cp -R $(BUILD)/assets/sounds/. $(DESTDIR)$(PREFIX)/share/zhucan/sounds/
	rm -f $(DESTDIR)$(PREFIX)/share/zhucan/sounds/.stamp
	install -m 0755 $(BUILD)/zhucan $(DESTDIR)$(PREFIX)/bin/zhucan
	[ ! -f $(BUILD)/zhucan-central ] || install -m 0755 $(BUILD)/zhucan-central $(DESTDIR)$(PREFIX)/bin/zhucan-central

# The two Debian packages (debian/), built with debhelper from a copy of the
# tracked and new files in $(BUILD)/deb/zhucan, so nothing lands outside
# $(BUILD).  Version: VERSION + the commit count (ordered for upgrades); the
# binaries' --version says the git describe of this checkout.
DEB_DIR     = $(BUILD)/deb
DEB_VERSION = $(shell cat VERSION)+$(shell git rev-list --count HEAD 2>/dev/null || echo 0)
deb: deps-deb deps-build
	rm -rf $(DEB_DIR) && mkdir -p $(DEB_DIR)/zhucan
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then \
	  git ls-files -z -c -o --exclude-standard | xargs -0 sh -c \
	    'for f; do [ -e "$$f" ] && printf "%s\0" "$$f"; done' sh | \
	    tar --null -T - -cf - | tar -xf - -C $(DEB_DIR)/zhucan; \
	else \
	  tar --exclude=./build --exclude='./*.db*' -cf - . | tar -xf - -C $(DEB_DIR)/zhucan; \
	fi
	sed -i '1s/(.*)/($(DEB_VERSION))/' $(DEB_DIR)/zhucan/debian/changelog
	cd $(DEB_DIR)/zhucan && ZC_VERSION='$(ZC_VERSION)' dpkg-buildpackage -b -us -uc -j2 \
	    >../build.log 2>&1 || { tail -30 ../build.log; exit 1; }
	lintian -I --pedantic $(DEB_DIR)/*.deb | tee $(DEB_DIR)/lintian.txt
	@ls -l $(DEB_DIR)/*.deb

# Builds the packages, unpacks them into a throwaway root and runs the
# installed binaries (tests/deb.sh; kept out of `make test`: the package
# build takes a minute or two).
test-deb: deb
	DEB_DIR=$(DEB_DIR) ZC_VERSION='$(ZC_VERSION)' sh tests/deb.sh

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null) $(wildcard $(BUILD)/fuzz_*.d)
