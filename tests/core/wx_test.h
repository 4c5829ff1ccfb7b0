/* Minimal TAP helpers for the pure-C core tests (no Zend, no framework).
 * Each test binary prints "ok N - name" / "not ok N - name" lines and a
 * plan line, and exits non-zero when anything failed; scripts/test counts
 * the lines. */
#ifndef WX_TEST_H
#define WX_TEST_H

#include <stdio.h>
#include <string.h>

static int wx_test_n = 0;
static int wx_test_failed = 0;

#define WX_CHECK(cond, ...) do {                                         \
        int wx_ok_ = (cond) ? 1 : 0;                                     \
        wx_test_n++;                                                     \
        if (!wx_ok_) wx_test_failed++;                                   \
        printf("%sok %d - ", wx_ok_ ? "" : "not ", wx_test_n);          \
        printf(__VA_ARGS__);                                             \
        printf("\n");                                                    \
        if (!wx_ok_) printf("#   failed at %s:%d: %s\n",                 \
                            __FILE__, __LINE__, #cond);                  \
    } while (0)

#define WX_CHECK_MEM(a, b, len, ...) \
    WX_CHECK((a) != NULL && (b) != NULL && memcmp((a), (b), (len)) == 0, __VA_ARGS__)

static inline int wx_test_done(void)
{
    printf("1..%d\n", wx_test_n);
    return wx_test_failed ? 1 : 0;
}

#endif
