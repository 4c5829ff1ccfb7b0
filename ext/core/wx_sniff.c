/*
 * wx_sniff: value format recognition. See wx_sniff.h.
 *
 * Each validator is a small reader over [p, end) with an explicit depth
 * bound, so hostile input costs O(n) time and bounded stack; the PHP one
 * keeps its own stack (no recursion), so it can also read past its depth
 * bound and tell a deep document from a broken one.
 */
#include "wx_sniff.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define WX_SNIFF_JSON_DEPTH 512

const char *wx_sniff_format_name(wx_format_t f)
{
    switch (f) {
    case WX_FORMAT_EMPTY:    return "empty";
    case WX_FORMAT_PHP:      return "php";
    case WX_FORMAT_IGBINARY: return "igbinary";
    case WX_FORMAT_JSON:     return "json";
    case WX_FORMAT_MSGPACK:  return "msgpack";
    case WX_FORMAT_RAW:      return "raw";
    case WX_FORMAT_PHP_IN_PHP: return "php+php";
    }
    return "unknown";
}

/* ------------------------------------------------------- PHP serialize */

typedef struct {
    const unsigned char *p, *end;
} wx_sniff_php_t;

static int wx_php_lit(wx_sniff_php_t *r, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0) return 0;
    r->p += n;
    return 1;
}

/* unsigned decimal, at least one digit; value capped to detect absurd
 * lengths early */
static int wx_php_uint(wx_sniff_php_t *r, uint64_t *out)
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

static int wx_php_sint(wx_sniff_php_t *r)
{
    uint64_t v;
    if (r->p < r->end && (*r->p == '-' || *r->p == '+')) r->p++;
    return wx_php_uint(r, &v);
}

static int wx_php_digits(wx_sniff_php_t *r)
{
    const unsigned char *start = r->p;
    while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    return r->p > start;
}

static int wx_php_double(wx_sniff_php_t *r)
{
    int intd, fracd = 0;
    if (wx_php_lit(r, "NAN") || wx_php_lit(r, "INF") || wx_php_lit(r, "-INF")) return 1;
    if (r->p < r->end && (*r->p == '-' || *r->p == '+')) r->p++;
    intd = wx_php_digits(r);
    if (r->p < r->end && *r->p == '.') {
        r->p++;
        fracd = wx_php_digits(r);
    }
    if (!intd && !fracd) return 0;
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        r->p++;
        if (!wx_php_sint(r)) return 0;
    }
    return 1;
}

/* len:"<len bytes>" */
static int wx_php_quoted(wx_sniff_php_t *r)
{
    uint64_t len;
    if (!wx_php_uint(r, &len) || !wx_php_lit(r, ":\"")) return 0;
    if ((uint64_t)(r->end - r->p) < len) return 0;
    r->p += len;
    return wx_php_lit(r, "\"");
}

/* S:len:"..." with \xx escapes, each counting as one byte */
static int wx_php_escaped(wx_sniff_php_t *r)
{
    uint64_t len, i;
    if (!wx_php_uint(r, &len) || !wx_php_lit(r, ":\"")) return 0;
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
    return wx_php_lit(r, "\"");
}

/* n:{ -- the header of an array's or object's members: the count, checked
 * against what is left (every member takes at least 4 bytes, "i:0;N;"). */
static int wx_php_open(wx_sniff_php_t *r, uint64_t *count)
{
    if (!wx_php_uint(r, count) || !wx_php_lit(r, ":{")) return 0;
    return *count <= (uint64_t)(r->end - r->p) / 4 + 1;
}

/* One value, or the opening of a container: 0 invalid, 1 a complete
 * scalar, 2 a container opened (its member count in *count). */
static int wx_php_value(wx_sniff_php_t *r, int nested, uint64_t *count)
{
    unsigned char t;
    uint64_t n;

    if (r->end - r->p < 2) return 0;
    t = r->p[0];
    if (t == 'N') return wx_php_lit(r, "N;");
    if (r->p[1] != ':') return 0;
    r->p += 2;
    switch (t) {
    case 'b':
        if (r->p < r->end && (*r->p == '0' || *r->p == '1')) r->p++; else return 0;
        return wx_php_lit(r, ";");
    case 'i':
        return wx_php_sint(r) && wx_php_lit(r, ";");
    case 'd':
        return wx_php_double(r) && wx_php_lit(r, ";");
    case 's':
        return wx_php_quoted(r) && wx_php_lit(r, ";");
    case 'S':
        return wx_php_escaped(r) && wx_php_lit(r, ";");
    case 'a':
        return wx_php_open(r, count) ? 2 : 0;
    case 'O':
        return wx_php_quoted(r) && wx_php_lit(r, ":") && wx_php_open(r, count) ? 2 : 0;
    case 'C':
        if (!wx_php_quoted(r) || !wx_php_lit(r, ":") || !wx_php_uint(r, &n) || !wx_php_lit(r, ":{")) return 0;
        if ((uint64_t)(r->end - r->p) < n) return 0;
        r->p += n;
        return wx_php_lit(r, "}");
    case 'E':
        return wx_php_quoted(r) && wx_php_lit(r, ";");
    case 'R':
    case 'r':
        /* back-references only make sense inside a container */
        return nested && wx_php_uint(r, &n) && wx_php_lit(r, ";");
    default:
        return 0;
    }
}

/* A member's key: i:, s: or S:. */
static int wx_php_key(wx_sniff_php_t *r)
{
    if (r->end - r->p < 2 || r->p[1] != ':') return 0;
    switch (r->p[0]) {
    case 'i': r->p += 2; return wx_php_sint(r) && wx_php_lit(r, ";");
    case 's': r->p += 2; return wx_php_quoted(r) && wx_php_lit(r, ";");
    case 'S': r->p += 2; return wx_php_escaped(r) && wx_php_lit(r, ";");
    default:  return 0;
    }
}

/* The validator, without recursion: a stack of the members still to read
 * in each open container, on the C stack up to 64 levels and on the heap
 * beyond (at most one entry per 4 input bytes). With stop_deep it gives
 * up as soon as nesting passes max_depth (is_php's question); without, it
 * reads on to tell "valid but deeper than max_depth" from "not PHP". */
static wx_sniff_php_status_t wx_php_check(const unsigned char *s, size_t n, unsigned max_depth,
                                          int stop_deep, size_t *depth_out)
{
    uint64_t local[64], *stack = local, count = 0;
    size_t cap = 64, depth = 0, deepest = 0;
    wx_sniff_php_status_t st = WX_SNIFF_PHP_INVALID;
    wx_sniff_php_t r;
    int v;

    r.p = s;
    r.end = s + n;
    if (max_depth == 0) max_depth = WX_SNIFF_MAX_DEPTH;

    v = wx_php_value(&r, 0, &count);
    for (;;) {
        if (v == 0) goto out;
        if (v == 2) {
            if (depth == cap) {
                uint64_t *bigger = malloc(cap * 2 * sizeof(*bigger));
                if (bigger == NULL) goto out;          /* treated as not PHP */
                memcpy(bigger, stack, depth * sizeof(*stack));
                if (stack != local) free(stack);
                stack = bigger;
                cap *= 2;
            }
            stack[depth++] = count;
            if (depth > deepest) {
                deepest = depth;
                if (deepest > max_depth && stop_deep) {
                    st = WX_SNIFF_PHP_TOO_DEEP;
                    goto out;
                }
            }
        }
        /* close every container whose members are all read */
        while (depth > 0 && stack[depth - 1] == 0) {
            if (!wx_php_lit(&r, "}")) goto out;
            depth--;
        }
        if (depth == 0) break;
        stack[depth - 1]--;
        if (!wx_php_key(&r)) goto out;
        v = wx_php_value(&r, 1, &count);
    }
    if (r.p == r.end) {
        st = deepest > max_depth ? WX_SNIFF_PHP_TOO_DEEP : WX_SNIFF_PHP_VALID;
    }
out:
    if (stack != local) free(stack);
    if (depth_out != NULL) *depth_out = deepest;
    return st;
}

wx_sniff_php_status_t wx_sniff_php_check(const unsigned char *s, size_t n, unsigned max_depth, size_t *depth)
{
    return wx_php_check(s, n, max_depth, 0, depth);
}

int wx_sniff_is_php(const unsigned char *s, size_t n, unsigned max_depth)
{
    return wx_php_check(s, n, max_depth, 1, NULL) == WX_SNIFF_PHP_VALID;
}

int wx_sniff_php_string(const unsigned char *s, size_t n, const unsigned char **inner, size_t *inner_len)
{
    wx_sniff_php_t r;
    uint64_t len;

    if (n < 7 || s[0] != 's' || s[1] != ':') return 0;   /* the shortest: s:0:""; */
    r.p = s + 2;
    r.end = s + n;
    if (!wx_php_uint(&r, &len) || !wx_php_lit(&r, ":\"")) return 0;
    /* exactly the rest: the content, then "; */
    if ((uint64_t)(r.end - r.p) < 2 || (uint64_t)(r.end - r.p) - 2 != len
            || r.p[len] != '"' || r.p[len + 1] != ';') return 0;
    if (inner != NULL) *inner = r.p;
    if (inner_len != NULL) *inner_len = (size_t)len;
    return 1;
}

int wx_sniff_is_php_in_php(const unsigned char *s, size_t n)
{
    const unsigned char *in;
    size_t len;

    return wx_sniff_php_string(s, n, &in, &len) && wx_sniff_php_check(in, len, 0, NULL) != WX_SNIFF_PHP_INVALID;
}

/* ---------------------------------------------------------------- JSON */

typedef struct {
    const unsigned char *p, *end;
    unsigned depth;
} wx_sniff_json_t;

static void wx_json_ws(wx_sniff_json_t *r)
{
    while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r')) r->p++;
}

static int wx_json_string(wx_sniff_json_t *r)
{
    r->p++; /* opening quote */
    while (r->p < r->end) {
        unsigned char ch = *r->p++;
        if (ch == '"') return 1;
        if (ch < 0x20) return 0;
        if (ch == '\\') {
            if (r->p >= r->end) return 0;
            ch = *r->p++;
            if (ch == 'u') {
                int k;
                for (k = 0; k < 4; k++) {
                    if (r->p >= r->end) return 0;
                    ch = *r->p++;
                    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F'))) return 0;
                }
            } else if (!strchr("\"\\/bfnrt", ch) || ch == '\0') {
                return 0;
            }
        }
    }
    return 0;
}

static int wx_json_number(wx_sniff_json_t *r)
{
    if (r->p < r->end && *r->p == '-') r->p++;
    if (r->p >= r->end) return 0;
    if (*r->p == '0') {
        r->p++;
    } else if (*r->p >= '1' && *r->p <= '9') {
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
    } else {
        return 0;
    }
    if (r->p < r->end && *r->p == '.') {
        const unsigned char *d = ++r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
        if (r->p == d) return 0;
    }
    if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
        const unsigned char *d;
        r->p++;
        if (r->p < r->end && (*r->p == '+' || *r->p == '-')) r->p++;
        d = r->p;
        while (r->p < r->end && *r->p >= '0' && *r->p <= '9') r->p++;
        if (r->p == d) return 0;
    }
    return 1;
}

static int wx_json_lit(wx_sniff_json_t *r, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(r->end - r->p) < n || memcmp(r->p, lit, n) != 0) return 0;
    r->p += n;
    return 1;
}

static int wx_json_value(wx_sniff_json_t *r)
{
    wx_json_ws(r);
    if (r->p >= r->end) return 0;
    switch (*r->p) {
    case '"':
        return wx_json_string(r);
    case '{':
    case '[': {
        unsigned char close = *r->p == '{' ? '}' : ']';
        int object = *r->p == '{';
        if (++r->depth > WX_SNIFF_JSON_DEPTH) return 0;
        r->p++;
        wx_json_ws(r);
        if (r->p < r->end && *r->p == close) {
            r->p++;
            r->depth--;
            return 1;
        }
        for (;;) {
            if (object) {
                wx_json_ws(r);
                if (r->p >= r->end || *r->p != '"' || !wx_json_string(r)) return 0;
                wx_json_ws(r);
                if (r->p >= r->end || *r->p != ':') return 0;
                r->p++;
            }
            if (!wx_json_value(r)) return 0;
            wx_json_ws(r);
            if (r->p >= r->end) return 0;
            if (*r->p == ',') { r->p++; continue; }
            if (*r->p == close) { r->p++; r->depth--; return 1; }
            return 0;
        }
    }
    case 't': return wx_json_lit(r, "true");
    case 'f': return wx_json_lit(r, "false");
    case 'n': return wx_json_lit(r, "null");
    default:  return wx_json_number(r);
    }
}

int wx_sniff_is_json(const unsigned char *s, size_t n)
{
    wx_sniff_json_t r;
    r.p = s;
    r.end = s + n;
    r.depth = 0;
    if (!wx_json_value(&r)) return 0;
    wx_json_ws(&r);
    return r.p == r.end;
}

/* ------------------------------------------------------------- msgpack */

typedef struct {
    const unsigned char *p, *end;
    unsigned depth;
} wx_sniff_mp_t;

static int wx_mp_skip(wx_sniff_mp_t *r, uint64_t n)
{
    if ((uint64_t)(r->end - r->p) < n) return 0;
    r->p += n;
    return 1;
}

static int wx_mp_be(wx_sniff_mp_t *r, int bytes, uint64_t *out)
{
    uint64_t v = 0;
    int i;
    if (r->end - r->p < bytes) return 0;
    for (i = 0; i < bytes; i++) v = (v << 8) | r->p[i];
    r->p += bytes;
    *out = v;
    return 1;
}

static int wx_mp_value(wx_sniff_mp_t *r);

static int wx_mp_items(wx_sniff_mp_t *r, uint64_t n)
{
    uint64_t i;
    if (n > (uint64_t)(r->end - r->p)) return 0; /* each item is >= 1 byte */
    if (++r->depth > WX_SNIFF_MAX_DEPTH) return 0;
    for (i = 0; i < n; i++) {
        if (!wx_mp_value(r)) return 0;
    }
    r->depth--;
    return 1;
}

static int wx_mp_value(wx_sniff_mp_t *r)
{
    unsigned char t;
    uint64_t n;

    if (r->p >= r->end) return 0;
    t = *r->p++;
    if (t <= 0x7f || t >= 0xe0) return 1;                 /* fixint */
    if (t >= 0x80 && t <= 0x8f) return wx_mp_items(r, (uint64_t)(t & 0x0f) * 2);
    if (t >= 0x90 && t <= 0x9f) return wx_mp_items(r, t & 0x0f);
    if (t >= 0xa0 && t <= 0xbf) return wx_mp_skip(r, t & 0x1f);
    switch (t) {
    case 0xc0: case 0xc2: case 0xc3: return 1;           /* nil, false, true */
    case 0xc4: case 0xd9: return wx_mp_be(r, 1, &n) && wx_mp_skip(r, n);
    case 0xc5: case 0xda: return wx_mp_be(r, 2, &n) && wx_mp_skip(r, n);
    case 0xc6: case 0xdb: return wx_mp_be(r, 4, &n) && wx_mp_skip(r, n);
    case 0xc7: return wx_mp_be(r, 1, &n) && wx_mp_skip(r, n + 1);
    case 0xc8: return wx_mp_be(r, 2, &n) && wx_mp_skip(r, n + 1);
    case 0xc9: return wx_mp_be(r, 4, &n) && wx_mp_skip(r, n + 1);
    case 0xca: return wx_mp_skip(r, 4);
    case 0xcb: return wx_mp_skip(r, 8);
    case 0xcc: case 0xd0: return wx_mp_skip(r, 1);
    case 0xcd: case 0xd1: return wx_mp_skip(r, 2);
    case 0xce: case 0xd2: return wx_mp_skip(r, 4);
    case 0xcf: case 0xd3: return wx_mp_skip(r, 8);
    case 0xd4: return wx_mp_skip(r, 2);
    case 0xd5: return wx_mp_skip(r, 3);
    case 0xd6: return wx_mp_skip(r, 5);
    case 0xd7: return wx_mp_skip(r, 9);
    case 0xd8: return wx_mp_skip(r, 17);
    case 0xdc: return wx_mp_be(r, 2, &n) && wx_mp_items(r, n);
    case 0xdd: return wx_mp_be(r, 4, &n) && wx_mp_items(r, n);
    case 0xde: return wx_mp_be(r, 2, &n) && wx_mp_items(r, n * 2);
    case 0xdf: return wx_mp_be(r, 4, &n) && wx_mp_items(r, n * 2);
    default:   return 0;                                  /* 0xc1 is never used */
    }
}

int wx_sniff_is_msgpack(const unsigned char *s, size_t n)
{
    wx_sniff_mp_t r;
    r.p = s;
    r.end = s + n;
    r.depth = 0;
    return wx_mp_value(&r) && r.p == r.end;
}

/* ---------------------------------------------------------------- text */

int wx_sniff_is_text(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t need, k;
        uint32_t cp;
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') return 0;
            if (c == 0x7f) return 0;
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
        else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
        else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
        else return 0;
        if (n - i <= need) return 0;
        for (k = 1; k <= need; k++) {
            if ((s[i + k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (s[i + k] & 0x3f);
        }
        /* overlongs, surrogates, > U+10FFFF */
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += need + 1;
    }
    return 1;
}

/* ------------------------------------------------------------- classify */

int wx_sniff_is_igbinary(const unsigned char *s, size_t n)
{
    return n >= 5 && s[0] == 0 && s[1] == 0 && s[2] == 0 && (s[3] == 1 || s[3] == 2);
}

wx_format_t wx_sniff_format(const unsigned char *s, size_t n)
{
    size_t i = 0;

    if (n == 0) return WX_FORMAT_EMPTY;
    if (wx_sniff_is_php(s, n, 0)) {
        return wx_sniff_is_php_in_php(s, n) ? WX_FORMAT_PHP_IN_PHP : WX_FORMAT_PHP;
    }
    if (wx_sniff_is_igbinary(s, n)) {
        return WX_FORMAT_IGBINARY;
    }
    /* JSON only when it is a container or a string: a bare 42 or true is
     * as likely a raw value (phpredis without a serializer writes ints as
     * digits), so it stays raw. */
    while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) i++;
    if (i < n && (s[i] == '{' || s[i] == '[' || s[i] == '"') && wx_sniff_is_json(s, n)) {
        return WX_FORMAT_JSON;
    }
    if (wx_sniff_is_text(s, n)) return WX_FORMAT_RAW;
    if (wx_sniff_is_msgpack(s, n)) return WX_FORMAT_MSGPACK;
    return WX_FORMAT_RAW;
}
