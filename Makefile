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

ALL_CFLAGS  = $(STD) $(WARN) $(OPT) $(SAN) $(PKG_CFLAGS) $(CFLAGS) -MMD -MP
ALL_LDFLAGS = $(SAN) $(LDFLAGS)

# Debian packages the build, the tests and the kiosk need.
DEB_PKGS = build-essential pkg-config libsqlite3-dev sqlite3 libcjson-dev libsodium-dev \
           libsdl2-dev libsdl2-ttf-dev libcurl4-openssl-dev libmicrohttpd-dev \
           fonts-noto-cjk xvfb xdotool espeak-ng sox tzdata ca-certificates openssl curl jq bc \
           clang libclang-rt-14-dev valgrind chromium faketime

CORE_SRC  = $(sort $(wildcard app/core/*.c))
STORE_SRC = $(sort $(wildcard app/store/*.c))
TILL_SRC  = $(sort $(wildcard app/till/*.c))
UI_SRC    = $(sort $(wildcard app/ui/*.c))
SYNC_SRC  = $(sort $(wildcard app/sync/*.c))
CENTRAL_SRC = $(filter-out app/central/main.c,$(sort $(wildcard app/central/*.c)))
CLI_SRC   = $(sort $(wildcard app/cli/*.c))
EMBED_IN  = $(sort $(wildcard db/[0-9]*.sql)) $(sort $(wildcard db/central/[0-9]*.sql)) $(sort $(wildcard db/policies/*.json))
EMBED_C   = $(BUILD)/gen/embed_data.c

obj = $(patsubst %.c,$(BUILD)/obj/%.o,$(1))
CORE_OBJ  = $(call obj,$(CORE_SRC)) $(BUILD)/obj/embed_data.o
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
CENTRE_TESTS = $(addprefix $(BUILD)/tests/,test_admin_html test_admin_session test_creport \
               bench_creport)
BOTH_TESTS   = $(addprefix $(BUILD)/tests/,test_central test_central_data test_central_e2e test_policy_sync \
               test_central_ingest test_sync_closing)
TERM_TESTS   = $(filter-out $(CENTRE_TESTS) $(BOTH_TESTS),$(TEST_BIN) $(BENCH_BIN))

.PHONY: all deps test test-asan test-dates check bench clean install run fonts sounds fuzz fuzz-build fuzzers
all: $(BUILD)/zhucan $(if $(wildcard app/central/main.c),$(BUILD)/zhucan-central)

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(EMBED_C): db/embed.sh $(EMBED_IN)
	@mkdir -p $(dir $@)
	sh db/embed.sh $@ $(EMBED_IN)

$(BUILD)/obj/embed_data.o: $(EMBED_C)
	$(CC) $(ALL_CFLAGS) -Iapp/core -c $< -o $@

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

# Installs whatever is missing; prints the exact command when not root.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null \
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

clean:
	rm -rf build

-include $(shell find $(BUILD)/obj $(BUILD)/tests -name '*.d' 2>/dev/null) $(wildcard $(BUILD)/fuzz_*.d)
