/* check.h - a tiny test harness: named test functions, CHECK macros that
 * record a failure and carry on, a name filter, and a closing line a CI
 * can read:  "test_card: 41 passed, 0 failed".
 *
 *   static void t_parse(void) { CHECK_INT(f(1), 2); }
 *   static const check_case cases[] = { {"parse", t_parse}, {0} };
 *   int main(int argc, char **argv) { return check_main("test_card", cases, argc, argv); }
 *
 * argv[1], if given, runs only the tests whose name contains it. */
#ifndef ZC_CHECK_H
#define ZC_CHECK_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

typedef struct check_case {
    const char *name;
    void (*fn)(void);
} check_case;

static int check_failed_now; /* failures in the running test */
static const char *check_current = "";

#define CHECK(cond) check_true_((cond), #cond, __FILE__, __LINE__)
#define CHECK_INT(a, b) check_int_((int64_t)(a), (int64_t)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_STR(a, b) check_str_((a), (b), #a, #b, __FILE__, __LINE__)
/* For ZC_MUST functions: the expression must return 0. */
#define CHECK_OK(expr) CHECK_INT((expr), 0)

static inline void check_true_(int ok, const char *what, const char *file, int line)
{
    if (!ok) {
        check_failed_now++;
        fprintf(stderr, "  FAIL %s (%s:%d): %s\n", check_current, file, line, what);
    }
}

static inline void check_int_(int64_t a, int64_t b, const char *ea, const char *eb,
                              const char *file, int line)
{
    if (a != b) {
        check_failed_now++;
        fprintf(stderr, "  FAIL %s (%s:%d): %s == %" PRId64 ", expected %s == %" PRId64 "\n",
                check_current, file, line, ea, a, eb, b);
    }
}

static inline void check_str_(const char *a, const char *b, const char *ea, const char *eb,
                              const char *file, int line)
{
    if (!a || !b || strcmp(a, b) != 0) {
        check_failed_now++;
        fprintf(stderr, "  FAIL %s (%s:%d): %s == \"%s\", expected %s == \"%s\"\n", check_current,
                file, line, ea, a ? a : "(null)", eb, b ? b : "(null)");
    }
}

static inline int check_main(const char *suite, const check_case *cases, int argc, char **argv)
{
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    for (const check_case *c = cases; c->name; c++) {
        if (filter && !strstr(c->name, filter))
            continue;
        check_current = c->name;
        check_failed_now = 0;
        c->fn();
        if (check_failed_now) {
            failed++;
            fprintf(stderr, "FAIL %s.%s\n", suite, c->name);
        } else {
            passed++;
        }
    }
    printf("%s: %d passed, %d failed\n", suite, passed, failed);
    return failed ? 1 : 0;
}

#endif
