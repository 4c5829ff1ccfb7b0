/* libFuzzer: format recognition of arbitrary stored bytes (every value
 * read from Redis goes through it before PHP sees it).
 *
 * The PHP validator keeps its own stack since issue 9 (so it can read past
 * its depth limit); ref_is_php below is the recursive reader it replaced,
 * kept here as the oracle: both must agree on every input at every depth
 * limit, and wx_sniff_php_check's TOO_DEEP must mean "the reference accepts
 * it with a limit as deep as the input allows". */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wx_sniff.h"

/* ---------------------------------------------- reference (recursive) */

typedef struct {
    const unsigned char *p, *end;
    unsigned depth, max_depth;
} ref_t;

static int ref_lit(ref_t *r, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0) return 0;
    r->p += n;
    return 1;
}

static int ref_uint(ref_t *r, uint64_t *out)
{
    uint64_t v = 0;
    const unsigned char *start = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') {
        if (v > (UINT64_MAX - 9) / 10) return 0;
        v = v * 10 + (uint64_t)(*r->p - '0');
        r->p++;
    }
    if (r->p == start) return 0;
    *out = v;
    return 1;
}

static int ref_sint(ref_t *r)
{
    uint64_t v;
    if (r->p < r->end && (*r->p == '-' || *r->p == '+')) r->p++;
    return ref_uint(r, &v);
}

static int ref_digits(ref_t *r)
{
    const unsigned char *start = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    return r->p > start;
}

static int ref_double(ref_t *r)
{
    int intd, fracd = 0;
    if (ref_lit(r, "NAN") || ref_lit(r, "INF") || ref_lit(r, "-INF")) return 1;
    if (r->p < r->end && (*r->p == '-' || *r->p == '+')) r->p++;
    intd = ref_digits(r);
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        fracd = ref_digits(r);
    }
    if (!intd && !fracd) return 0;
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (!ref_sint(r)) return 0;
    }
    return 1;
}

static int ref_quoted(ref_t *r)
{
    uint64_t len;
    if (!ref_uint(r, &len) || !ref_lit(r, ":\"")) return 0;
    if ((uint64_t)(r->end - r->p) < len) return 0;
    r->p += len;
    return ref_lit(r, "\"");
}

static int ref_escaped(ref_t *r)
{
    uint64_t len, i;
    if (!ref_uint(r, &len) || !ref_lit(r, ":\"")) return 0;
    for (i = 0; i < len; i++) {
        if (r->p >= r->end) return 0;
        if (*r->p == '\\') {
            int k;
            r->p++;
            for (k = 0; k < 2; k++) {
                unsigned char ch;
                if (r->p >= r->end) return 0;
                ch = *r->p++;
                if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) return 0;
            }
        } else {
            r->p++;
        }
    }
    return ref_lit(r, "\"");
}

static int ref_value(ref_t *r, int nested);

static int ref_members(ref_t *r)
{
    uint64_t count, i;
    if (!ref_uint(r, &count) || !ref_lit(r, ":{")) return 0;
    if (count > (uint64_t)(r->end - r->p) / 4 + 1) return 0;
    if (++r->depth > r->max_depth) return 0;
    for (i = 0; i < count; i++) {
        if (r->p + 2 > r->end) return 0;
        if (r->p[0] == 'i' && r->p[1] == ':') {
            r->p += 2;
            if (!ref_sint(r) || !ref_lit(r, ";")) return 0;
        } else if (r->p[0] == 's' && r->p[1] == ':') {
            r->p += 2;
            if (!ref_quoted(r) || !ref_lit(r, ";")) return 0;
        } else if (r->p[0] == 'S' && r->p[1] == ':') {
            r->p += 2;
            if (!ref_escaped(r) || !ref_lit(r, ";")) return 0;
        } else {
            return 0;
        }
        if (!ref_value(r, 1)) return 0;
    }
    r->depth--;
    return ref_lit(r, "}");
}

static int ref_value(ref_t *r, int nested)
{
    unsigned char t;
    uint64_t n;

    if (r->end - r->p < 2) return 0;
    t = r->p[0];
    if (t == 'N') return ref_lit(r, "N;");
    if (r->p[1] != ':') return 0;
    r->p += 2;
    switch (t) {
    case 'b':
        if (r->p < r->end && (*r->p == '0' || *r->p == '1')) r->p++; else return 0;
        return ref_lit(r, ";");
    case 'i': return ref_sint(r) && ref_lit(r, ";");
    case 'd': return ref_double(r) && ref_lit(r, ";");
    case 's': return ref_quoted(r) && ref_lit(r, ";");
    case 'S': return ref_escaped(r) && ref_lit(r, ";");
    case 'a': return ref_members(r);
    case 'O': return ref_quoted(r) && ref_lit(r, ":") && ref_members(r);
    case 'C':
        if (!ref_quoted(r) || !ref_lit(r, ":") || !ref_uint(r, &n) || !ref_lit(r, ":{")) return 0;
        if ((uint64_t)(r->end - r->p) < n) return 0;
        r->p += n;
        return ref_lit(r, "}");
    case 'E': return ref_quoted(r) && ref_lit(r, ";");
    case 'R':
    case 'r': return nested && ref_uint(r, &n) && ref_lit(r, ";");
    default:  return 0;
    }
}

static int ref_is_php(const unsigned char *s, size_t n, unsigned max_depth)
{
    ref_t r;
    r.p = s;
    r.end = s + n;
    r.depth = 0;
    r.max_depth = max_depth;
    return ref_value(&r, 0) && r.p == r.end;
}

/* ------------------------------------------------------------- harness */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_format_t f = wx_sniff_format(data, size);
    size_t depth = 0;
    /* a limit deeper than any input this size can nest: every container
     * takes at least 4 bytes ("a:0:{}" is 6) */
    unsigned unlimited = (unsigned)(size / 4 + 2);
    wx_sniff_php_status_t st;
    const unsigned char *in;
    size_t in_len;

    /* the classification must agree with the individual validators */
    if (f == WX_FORMAT_PHP && (!wx_sniff_is_php(data, size, 0) || wx_sniff_is_php_in_php(data, size))) __builtin_trap();
    if (f == WX_FORMAT_PHP_IN_PHP && (!wx_sniff_is_php(data, size, 0) || !wx_sniff_is_php_in_php(data, size))) __builtin_trap();
    if (f == WX_FORMAT_JSON && !wx_sniff_is_json(data, size)) __builtin_trap();
    if (f == WX_FORMAT_MSGPACK && (!wx_sniff_is_msgpack(data, size) || wx_sniff_is_text(data, size))) __builtin_trap();

    /* the stack-based validator is the recursive one, at every limit */
    if (wx_sniff_is_php(data, size, 8) != ref_is_php(data, size, 8)) __builtin_trap();
    if (wx_sniff_is_php(data, size, 0) != ref_is_php(data, size, WX_SNIFF_MAX_DEPTH)) __builtin_trap();
    st = wx_sniff_php_check(data, size, 8, &depth);
    if ((st == WX_SNIFF_PHP_VALID) != ref_is_php(data, size, 8)) __builtin_trap();
    if ((st != WX_SNIFF_PHP_INVALID) != ref_is_php(data, size, unlimited)) __builtin_trap();
    if (st == WX_SNIFF_PHP_TOO_DEEP && (depth <= 8 || !ref_is_php(data, size, (unsigned)depth)
                                        || ref_is_php(data, size, (unsigned)depth - 1))) __builtin_trap();
    if (st == WX_SNIFF_PHP_VALID && depth > 8) __builtin_trap();

    /* php+php: a whole s:N:"..."; around one complete document */
    if (wx_sniff_php_string(data, size, &in, &in_len)) {
        if (in < data || in + in_len + 2 != data + size || !ref_is_php(data, size, 1)) __builtin_trap();
        if (wx_sniff_is_php_in_php(data, size) != ref_is_php(in, in_len, (unsigned)(in_len / 4 + 2))) __builtin_trap();
    } else if (wx_sniff_is_php_in_php(data, size)) {
        __builtin_trap();
    }
    return 0;
}
