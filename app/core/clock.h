/* clock.h - the one wall clock of both binaries.
 *
 * Everything that asks "what time is it" (a sale's created_utc, the audit
 * row, the admin page's default month, lock-out windows, backup names) calls
 * zc_now().  Tests pin it with the environment variable ZHUCAN_NOW, which is
 * for tests and demos only: either epoch seconds ("1795000000") or a moment
 * with an explicit offset ("2026-12-03T09:00:00+08:00", 'T' or space).
 * A pinned clock starts at that moment when the process first asks and then
 * runs at real speed, so timeouts and back-offs still work.  Processes a
 * test starts one after another therefore agree to within the seconds
 * between their starts; a test that needs the same second everywhere pins
 * each process.  Monotonic clocks (CLOCK_MONOTONIC) are left alone. */
#ifndef ZC_CLOCK_H
#define ZC_CLOCK_H

#include <stdint.h>

#include "err.h"

/* Epoch seconds now: the real time, or the pinned one. Thread-safe. */
int64_t zc_now(void);

/* Parses the value of ZHUCAN_NOW (see above) into epoch seconds. */
int zc_clock_parse(const char *s, int64_t *epoch, zc_err *err) ZC_MUST;

/* Reads ZHUCAN_NOW once, before any thread starts.  A malformed value is
 * an error naming it (the binaries refuse to start rather than run on the
 * real clock by mistake).  Without the variable the clock is the real one. */
int zc_clock_init(zc_err *err) ZC_MUST;

#endif
