/*
 * wx_resp: strict incremental RESP2 reader. See wx_resp.h.
 */
#include "wx_resp.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ":-9223372036854775808" is the longest number line: type byte + 20. */
#define WX_RESP_NUM_LINE 21

void wx_resp_init(wx_resp_reader_t *r, size_t max_bytes)
{
    r->max_bytes = max_bytes ? max_bytes : WX_RESP_DEFAULT_MAX_BYTES;
    r->err[0] = '\0';
    wx_resp_reset(r);
}

void wx_resp_reset(wx_resp_reader_t *r)
{
    r->used = 0;
    r->scanned = 0;
    r->depth = 0;
}

const char *wx_resp_type_name(wx_resp_type_t t)
{
    switch (t) {
    case WX_RESP_STATUS:    return "a status reply";
    case WX_RESP_ERROR:     return "an error reply";
    case WX_RESP_INTEGER:   return "an integer";
    case WX_RESP_BULK:      return "a bulk string";
    case WX_RESP_NIL:       return "nil";
    case WX_RESP_ARRAY:     return "an array";
    case WX_RESP_NIL_ARRAY: return "a nil array";
    }
    return "an unknown reply";
}

static wx_resp_rc_t wx_resp_fail(wx_resp_reader_t *r, wx_resp_rc_t rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof(r->err), fmt, ap);
    va_end(ap);
    wx_resp_reset(r);
    return rc;
}

/* Plain decimal with an optional '-', fitting a long long. */
static int wx_resp_ll(const char *s, size_t n, long long *out)
{
    unsigned long long v = 0, lim = (unsigned long long) LLONG_MAX;
    size_t i = 0;
    int neg = 0;

    if (n > 0 && s[0] == '-') {
        neg = 1;
        i = 1;
        lim += 1;
    }
    if (i == n || n - i > 19) return -1;
    for (; i < n; i++) {
        unsigned d = (unsigned) ((unsigned char) s[i] - '0');
        if (d > 9) return -1;
        if (v > (lim - d) / 10) return -1;
        v = v * 10 + d;
    }
    if (neg) {
        *out = v == (unsigned long long) LLONG_MAX + 1 ? LLONG_MIN : -(long long) v;
    } else {
        *out = (long long) v;
    }
    return 0;
}

static wx_resp_rc_t wx_resp_bad_type(wx_resp_reader_t *r, unsigned char t)
{
    if (strchr("_,#!=(%~|>", t) && t != '\0') {
        return wx_resp_fail(r, WX_RESP_EPROTO,
            "RESP3 reply type '%c' on a RESP2 connection", t);
    }
    if (t >= 0x20 && t < 0x7f) {
        return wx_resp_fail(r, WX_RESP_EPROTO,
            "'%c' where a reply type (+ - : $ *) was expected", t);
    }
    return wx_resp_fail(r, WX_RESP_EPROTO,
        "byte 0x%02x where a reply type (+ - : $ *) was expected", t);
}

wx_resp_rc_t wx_resp_feed(wx_resp_reader_t *r, const char *buf, size_t len, size_t *pos,
                          size_t *want, wx_resp_visit_fn fn, void *ud)
{
    size_t p = *pos, dummy;

    if (!want) want = &dummy;
    for (;;) {
        const char *s = buf + p, *cr;
        size_t avail = len - p, eol, hdr, take, from, room;
        unsigned char t;
        long long v = 0;
        wx_resp_elem_t e;

        if (avail == 0) {
            *want = 1;
            *pos = p;
            return WX_RESP_MORE;
        }
        t = (unsigned char) s[0];
        if (t != '+' && t != '-' && t != ':' && t != '$' && t != '*') {
            return wx_resp_bad_type(r, t);
        }

        /* the line: scan only what the last call did not */
        room = r->max_bytes - r->used;
        from = r->scanned > 1 ? r->scanned : 1;
        cr = avail > from ? memchr(s + from, '\r', avail - from) : NULL;
        if (!cr) {
            if (t != '+' && t != '-' && avail > WX_RESP_NUM_LINE + 1) {
                return wx_resp_fail(r, WX_RESP_EPROTO,
                    "a '%c' header longer than a 64-bit number", t);
            }
            /* it needs its CRLF still: refuse as soon as it cannot fit */
            if (room < 2 || avail > room - 2) {
                return wx_resp_fail(r, WX_RESP_ETOOBIG,
                    "a reply line runs past the limit of %zu bytes for one reply "
                    "(max_reply_bytes) without ending", r->max_bytes);
            }
            r->scanned = avail;
            *want = avail + 1;      /* one more byte may end or overflow the line */
            *pos = p;
            return WX_RESP_MORE;
        }
        eol = (size_t) (cr - s);
        if (t != '+' && t != '-' && eol > WX_RESP_NUM_LINE) {
            return wx_resp_fail(r, WX_RESP_EPROTO, "a '%c' header longer than a 64-bit number", t);
        }
        if (room < 2 || eol > room - 2) {
            return wx_resp_fail(r, WX_RESP_ETOOBIG,
                "a reply line takes the reply past the limit of %zu bytes for one reply "
                "(max_reply_bytes)", r->max_bytes);
        }
        if (eol + 1 >= avail) {
            r->scanned = eol;       /* the CR is found again at once */
            *want = eol + 2;
            *pos = p;
            return WX_RESP_MORE;
        }
        if (s[eol + 1] != '\n') {
            return wx_resp_fail(r, WX_RESP_EPROTO, "CR not followed by LF in a '%c' line", t);
        }
        hdr = eol + 2;
        r->scanned = 0;

        e.depth = r->depth;
        e.index = r->depth ? r->count[r->depth - 1] - r->left[r->depth - 1] : 0;
        e.str = NULL;
        e.len = 0;
        e.integer = 0;
        take = hdr;

        if (t != '+' && t != '-' && wx_resp_ll(s + 1, eol - 1, &v) != 0) {
            return wx_resp_fail(r, WX_RESP_EPROTO,
                "'%c' line \"%.*s\" is not a 64-bit decimal number", t, (int) eol - 1, s + 1);
        }
        switch (t) {
        case '+':
        case '-':
            if (memchr(s + 1, '\n', eol - 1)) {
                return wx_resp_fail(r, WX_RESP_EPROTO, "LF inside a '%c' line", t);
            }
            e.type = t == '+' ? WX_RESP_STATUS : WX_RESP_ERROR;
            e.str = s + 1;
            e.len = eol - 1;
            break;
        case ':':
            e.type = WX_RESP_INTEGER;
            e.integer = v;
            break;
        case '$':
            if (v == -1) {
                e.type = WX_RESP_NIL;
                break;
            }
            if (v < 0) {
                return wx_resp_fail(r, WX_RESP_EPROTO, "bulk string length %lld", v);
            }
            if (hdr + 2 > room || (unsigned long long) v > room - hdr - 2) {
                return wx_resp_fail(r, WX_RESP_ETOOBIG,
                    "reply header announces a bulk string of %lld bytes; the limit for one "
                    "reply is %zu bytes (max_reply_bytes)", v, r->max_bytes);
            }
            if (avail < hdr + (size_t) v + 2) {
                *want = hdr + (size_t) v + 2;
                *pos = p;
                return WX_RESP_MORE;
            }
            if (s[hdr + v] != '\r' || s[hdr + v + 1] != '\n') {
                return wx_resp_fail(r, WX_RESP_EPROTO,
                    "bulk string of %lld bytes not followed by CRLF", v);
            }
            e.type = WX_RESP_BULK;
            e.str = s + hdr;
            e.len = (size_t) v;
            take = hdr + (size_t) v + 2;
            break;
        default: /* '*' */
            if (v == -1) {
                e.type = WX_RESP_NIL_ARRAY;
                break;
            }
            if (v < 0) {
                return wx_resp_fail(r, WX_RESP_EPROTO, "array length %lld", v);
            }
            if (hdr > room || (unsigned long long) v > (room - hdr) / 3) {
                return wx_resp_fail(r, WX_RESP_ETOOBIG,
                    "reply header announces an array of %lld elements, more than fit in "
                    "the limit of %zu bytes for one reply (max_reply_bytes)", v, r->max_bytes);
            }
            if (v > 0 && r->depth == WX_RESP_MAX_DEPTH) {
                return wx_resp_fail(r, WX_RESP_EPROTO,
                    "arrays nested deeper than %d levels", WX_RESP_MAX_DEPTH);
            }
            e.type = WX_RESP_ARRAY;
            e.integer = v;
            break;
        }
        if (take > room) {
            return wx_resp_fail(r, WX_RESP_ETOOBIG,
                "a reply line takes the reply past the limit of %zu bytes for one reply "
                "(max_reply_bytes)", r->max_bytes);
        }

        p += take;
        r->used += take;
        if (fn && fn(ud, &e) != 0) {
            *pos = p;
            wx_resp_reset(r);
            return WX_RESP_ESTOP;
        }
        if (e.type == WX_RESP_ARRAY && v > 0) {
            r->left[r->depth] = r->count[r->depth] = (size_t) v;
            r->depth++;
            continue;
        }
        /* an element is complete: close every array it completes */
        for (;;) {
            if (r->depth == 0) {
                wx_resp_reset(r);
                *pos = p;
                return WX_RESP_DONE;
            }
            if (--r->left[r->depth - 1] > 0) break;
            r->depth--;
        }
    }
}
