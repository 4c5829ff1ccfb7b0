/*
 * wx_text: the small byte-string helpers every parser of the core needs
 * (DSNs, envelopes, XML declarations, Redis replies), kept in one place.
 */
#ifndef WX_TEXT_H
#define WX_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* Whether v[0..n) equals the upper-case ASCII literal lit, ignoring the
 * case of v. */
static inline int wx_text_caseless_eq(const unsigned char *v, size_t n, const char *lit)
{
    size_t i;
    if (strlen(lit) != n) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = v[i];
        if (c >= 'a' && c <= 'z') {
            c = (unsigned char)(c - 'a' + 'A');
        }
        if (c != (unsigned char)lit[i]) {
            return 0;
        }
    }
    return 1;
}

/* 1 to 10 decimal digits, at most max, into *out: 0, else -1. */
static inline int wx_text_parse_uint(const char *s, size_t n, long max, long *out)
{
    long v = 0;
    size_t i;
    if (n == 0 || n > 10) return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v > max) return -1;
    *out = v;
    return 0;
}

/* Format a message into err (when given) and return code: the core's
 * parsers report a failure as a status plus a sentence. */
static inline int wx_text_fail(char *err, size_t errlen, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
static inline int wx_text_fail(char *err, size_t errlen, int code, const char *fmt, ...)
{
    va_list ap;
    if (err && errlen) {
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return code;
}

#endif
