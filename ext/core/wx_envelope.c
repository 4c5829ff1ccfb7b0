/*
 * wx_envelope: strict one-pass scan of a push envelope. See wx_envelope.h.
 *
 * A hand-written scanner over [p, end): every loop consumes at least one
 * byte per step and the position never moves back, so the cost is linear
 * whatever the input; there is no recursion, no allocation and no lookup
 * table that input could grow. Values are checked 8 bytes at a time where
 * they are plain base64 (the common case), byte by byte otherwise.
 */
#include "wx_envelope.h"
#include "wx_text.h"

#include <stdint.h>
#include <string.h>

typedef struct {
    const unsigned char *start, *p, *end;
    size_t steps;
    wx_envelope_status_t st;
} wx_env_t;

typedef enum {
    WX_ENV_F_TO_USER_NAME = 0,
    WX_ENV_F_APP_ID,
    WX_ENV_F_ENCRYPT,
    WX_ENV_F_AGENT_ID,
    WX_ENV_F_COUNT
} wx_env_field_t;

static const struct {
    const char *name;
    size_t len;
} wx_env_fields[WX_ENV_F_COUNT] = {
    { "ToUserName", 10 },
    { "AppId", 5 },
    { "Encrypt", 7 },
    { "AgentID", 7 },
};

const char *wx_envelope_strerror(wx_envelope_status_t st)
{
    switch (st) {
    case WX_ENVELOPE_OK:                 return "ok";
    case WX_ENVELOPE_ERR_EMPTY:          return "the envelope is empty";
    case WX_ENVELOPE_ERR_TOO_LARGE:      return "the envelope is larger than 1 MiB";
    case WX_ENVELOPE_ERR_ENCODING:       return "the envelope is not UTF-8 (byte order, NUL bytes or declared encoding)";
    case WX_ENVELOPE_ERR_DECLARATION:    return "the envelope has a malformed XML declaration";
    case WX_ENVELOPE_ERR_MARKUP:         return "the envelope has a comment, processing instruction or DOCTYPE";
    case WX_ENVELOPE_ERR_ROOT:           return "the envelope's root element is not <xml>";
    case WX_ENVELOPE_ERR_ATTRIBUTE:      return "the envelope has an attribute";
    case WX_ENVELOPE_ERR_UNKNOWN_ELEMENT:
        return "the envelope has an element other than ToUserName, AppId, Encrypt and AgentID";
    case WX_ENVELOPE_ERR_DUPLICATE:      return "the envelope has a field twice";
    case WX_ENVELOPE_ERR_NESTED:         return "the envelope has an element inside a field";
    case WX_ENVELOPE_ERR_ENTITY:         return "the envelope has an entity or character reference in a value";
    case WX_ENVELOPE_ERR_VALUE:
        return "the envelope has a value with a byte other than printable ASCII, tab and LF, or mixes CDATA and text";
    case WX_ENVELOPE_ERR_TEXT:           return "the envelope has text outside its fields";
    case WX_ENVELOPE_ERR_TAG:            return "the envelope has a malformed or mismatched tag";
    case WX_ENVELOPE_ERR_TRUNCATED:      return "the envelope ends early (truncated?)";
    case WX_ENVELOPE_ERR_TRAILING:       return "the envelope has content after </xml>";
    case WX_ENVELOPE_ERR_NO_ENCRYPT:     return "the envelope has no Encrypt value";
    case WX_ENVELOPE_ERR_NO_RECIPIENT:   return "the envelope has neither ToUserName nor AppId";
    }
    return "unknown envelope error";
}

/* ------------------------------------------------------------- helpers */

static int wx_env_fail(wx_env_t *s, wx_envelope_status_t st)
{
    s->st = st;
    return 0;
}

static int wx_env_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void wx_env_skip_blanks(wx_env_t *s)
{
    while (s->p < s->end && wx_env_blank(*s->p)) {
        s->p++;
        s->steps++;
    }
}

/* s->p starts with lit (n bytes): consume it. */
static int wx_env_lit(wx_env_t *s, const char *lit, size_t n)
{
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, lit, n) != 0) {
        return 0;
    }
    s->p += n;
    s->steps++;
    return 1;
}

/* The input ends within lit: what is left is a proper prefix of it. */
static int wx_env_cut(const wx_env_t *s, const char *lit, size_t n)
{
    size_t left = (size_t)(s->end - s->p);
    return left < n && memcmp(s->p, lit, left) == 0;
}

static int wx_env_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-' || c == '.' || c == ':';
}

/* A value byte: printable ASCII, space, tab, LF. */
static int wx_env_value_byte(unsigned char c)
{
    return (unsigned char)(c - 0x20) < 0x5f || c == '\t' || c == '\n';
}

#define WX_ENV_ONES UINT64_C(0x0101010101010101)
#define WX_ENV_HIGH UINT64_C(0x8080808080808080)

/* Any byte of w equal to c (exact on the "none" answer, which is all the
 * fast path relies on). */
static uint64_t wx_env_has(uint64_t w, unsigned char c)
{
    uint64_t x = w ^ (WX_ENV_ONES * c);
    return (x - WX_ENV_ONES) & ~x & WX_ENV_HIGH;
}

/* 8 bytes of printable ASCII (0x20..0x7e)? */
static int wx_env_printable8(uint64_t w)
{
    /* no byte below 0x20, none at 0x7f or above */
    return ((w - WX_ENV_ONES * 0x20) & ~w & WX_ENV_HIGH) == 0 && (((w + WX_ENV_ONES) | w) & WX_ENV_HIGH) == 0;
}

/* 8 bytes of CDATA content that need no closer look: printable, no ']'
 * (the common case: base64). */
static int wx_env_cdata8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return wx_env_printable8(w) && !wx_env_has(w, ']');
}

/* The same for plain text: printable, no '<', '&' or '>'. */
static int wx_env_text8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return wx_env_printable8(w) && !wx_env_has(w, '<') && !wx_env_has(w, '&') && !wx_env_has(w, '>');
}

/* --------------------------------------------------------------- prolog */

/* '...' or "..." of bytes matching ok(); *v, *n get the content. */
static int wx_env_quoted(wx_env_t *s, const unsigned char **v, size_t *n)
{
    unsigned char q;
    const unsigned char *b;

    if (s->p >= s->end) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    q = *s->p;
    if (q != '"' && q != '\'') {
        return wx_env_fail(s, WX_ENVELOPE_ERR_DECLARATION);
    }
    s->p++;
    b = s->p;
    while (s->p < s->end && *s->p != q) {
        if (!wx_env_name_char(*s->p)) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_DECLARATION);
        }
        s->p++;
        s->steps++;
    }
    if (s->p >= s->end) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    *v = b;
    *n = (size_t)(s->p - b);
    s->p++;
    return 1;
}

/* S? '=' S? quoted */
static int wx_env_pseudo_value(wx_env_t *s, const unsigned char **v, size_t *n)
{
    wx_env_skip_blanks(s);
    if (!wx_env_lit(s, "=", 1)) {
        return wx_env_fail(s, s->p >= s->end ? WX_ENVELOPE_ERR_TRUNCATED : WX_ENVELOPE_ERR_DECLARATION);
    }
    wx_env_skip_blanks(s);
    return wx_env_quoted(s, v, n);
}

/* <?xml version="1.0" (encoding="UTF-8")? (standalone="yes|no")? ?>, in
 * that order as XML wants; s->p is just past "<?xml". */
static int wx_env_declaration(wx_env_t *s)
{
    const unsigned char *v;
    size_t n;
    int blank;

    wx_env_skip_blanks(s);
    if (!wx_env_lit(s, "version", 7)) {
        return wx_env_fail(s, wx_env_cut(s, "version", 7) ? WX_ENVELOPE_ERR_TRUNCATED
                                                          : WX_ENVELOPE_ERR_DECLARATION);
    }
    if (!wx_env_pseudo_value(s, &v, &n)) {
        return 0;
    }
    if (n != 3 || memcmp(v, "1.0", 3) != 0) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_DECLARATION);   /* 1.1 reads control bytes differently */
    }
    blank = s->p < s->end && wx_env_blank(*s->p);
    wx_env_skip_blanks(s);
    if (blank && wx_env_lit(s, "encoding", 8)) {
        if (!wx_env_pseudo_value(s, &v, &n)) {
            return 0;
        }
        if (!wx_text_caseless_eq(v, n, "UTF-8") && !wx_text_caseless_eq(v, n, "UTF8")) {   /* as wx_xml */
            return wx_env_fail(s, WX_ENVELOPE_ERR_ENCODING);
        }
        blank = s->p < s->end && wx_env_blank(*s->p);
        wx_env_skip_blanks(s);
    }
    if (blank && wx_env_lit(s, "standalone", 10)) {
        if (!wx_env_pseudo_value(s, &v, &n)) {
            return 0;
        }
        if (!(n == 3 && memcmp(v, "yes", 3) == 0) && !(n == 2 && memcmp(v, "no", 2) == 0)) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_DECLARATION);
        }
        wx_env_skip_blanks(s);
    }
    if (!wx_env_lit(s, "?>", 2)) {
        if (wx_env_cut(s, "?>", 2) || wx_env_cut(s, "encoding", 8) || wx_env_cut(s, "standalone", 10)) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        /* an encoding after standalone, an unknown pseudo-attribute, ... */
        if (wx_env_lit(s, "encoding", 8)) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_ENCODING);
        }
        return wx_env_fail(s, WX_ENVELOPE_ERR_DECLARATION);
    }
    return 1;
}

/* ----------------------------------------------------------------- tags */

/* After '<' (or '</'): the element name, ASCII name characters only. */
static size_t wx_env_name(wx_env_t *s)
{
    const unsigned char *b = s->p;
    while (s->p < s->end && wx_env_name_char(*s->p)) {
        s->p++;
        s->steps++;
    }
    return (size_t)(s->p - b);
}

/* The rest of a start tag after its name: S? '>' or S? '/>'. Returns 1 for
 * '>', 2 for '/>', 0 on error. Anything else in the tag is an attribute
 * (or garbage): refused at once, so the number of attributes never matters. */
static int wx_env_tag_end(wx_env_t *s)
{
    int blank = s->p < s->end && wx_env_blank(*s->p);

    wx_env_skip_blanks(s);
    if (s->p >= s->end) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (*s->p == '>') {
        s->p++;
        return 1;
    }
    if (*s->p == '/') {
        if (s->end - s->p < 2) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        if (s->p[1] == '>') {
            s->p += 2;
            return 2;
        }
        return wx_env_fail(s, WX_ENVELOPE_ERR_TAG);
    }
    /* a name (or a non-ASCII byte, which could start one) after a blank */
    if (blank && (wx_env_name_char(*s->p) || *s->p >= 0x80)) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_ATTRIBUTE);
    }
    if (!blank && *s->p >= 0x80) {
        /* the name goes on with characters we do not accept in a name */
        return wx_env_fail(s, WX_ENVELOPE_ERR_UNKNOWN_ELEMENT);
    }
    return wx_env_fail(s, WX_ENVELOPE_ERR_TAG);
}

/* s->p at "</": the end tag of name[0..n). */
static int wx_env_end_tag(wx_env_t *s, const char *name, size_t n)
{
    const unsigned char *b;
    size_t got;

    s->p += 2;
    b = s->p;
    got = wx_env_name(s);
    if (got != n || memcmp(b, name, n) != 0) {
        if (s->p >= s->end) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        s->p = b;
        return wx_env_fail(s, WX_ENVELOPE_ERR_TAG);
    }
    wx_env_skip_blanks(s);
    if (s->p >= s->end) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (*s->p != '>') {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TAG);
    }
    s->p++;
    return 1;
}

/* What a '<' inside a value or between fields starts, as a refusal. */
static int wx_env_markup_fail(wx_env_t *s)
{
    if (wx_env_cut(s, "<![CDATA[", 9) || wx_env_cut(s, "<!--", 4)) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (s->end - s->p >= 2 && (s->p[1] == '!' || s->p[1] == '?')) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_MARKUP);
    }
    if (s->end - s->p < 2) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    return wx_env_fail(s, WX_ENVELOPE_ERR_NESTED);
}

/* --------------------------------------------------------------- values */

/* The content of a field, up to and including its end tag. */
static int wx_env_value(wx_env_t *s, wx_env_field_t f, wx_envelope_value_t *out)
{
    const char *name = wx_env_fields[f].name;
    size_t nlen = wx_env_fields[f].len;
    const unsigned char *b;

    if ((size_t)(s->end - s->p) >= 9 && memcmp(s->p, "<![CDATA[", 9) == 0) {
        s->p += 9;
        s->steps++;
        b = s->p;
        for (;;) {
            unsigned char c;
            if ((size_t)(s->end - s->p) >= 8 && wx_env_cdata8(s->p)) {
                s->p += 8;
                s->steps++;
                continue;
            }
            if (s->p >= s->end) {
                return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
            }
            c = *s->p;
            if (c == ']' && s->end - s->p >= 3 && s->p[1] == ']' && s->p[2] == '>') {
                break;
            }
            if (!wx_env_value_byte(c)) {
                return wx_env_fail(s, c == 0 ? WX_ENVELOPE_ERR_ENCODING : WX_ENVELOPE_ERR_VALUE);
            }
            s->p++;
            s->steps++;
        }
        out->ptr = (const char *)b;
        out->len = (size_t)(s->p - b);
        s->p += 3;
        /* the end tag must follow at once: no text, blanks or second section */
        if (s->end - s->p < 2) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        if (s->p[0] != '<') {
            return wx_env_fail(s, WX_ENVELOPE_ERR_VALUE);
        }
        if (s->p[1] != '/') {
            if ((size_t)(s->end - s->p) >= 9 && memcmp(s->p, "<![CDATA[", 9) == 0) {
                return wx_env_fail(s, WX_ENVELOPE_ERR_VALUE);
            }
            return wx_env_markup_fail(s);
        }
        return wx_env_end_tag(s, name, nlen);
    }

    b = s->p;
    for (;;) {
        unsigned char c;
        if ((size_t)(s->end - s->p) >= 8 && wx_env_text8(s->p)) {
            s->p += 8;
            s->steps++;
            continue;
        }
        if (s->p >= s->end) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        c = *s->p;
        if (c == '<') {
            break;
        }
        if (c == '&') {
            return wx_env_fail(s, WX_ENVELOPE_ERR_ENTITY);
        }
        if (c == '>' && s->p - b >= 2 && s->p[-1] == ']' && s->p[-2] == ']') {
            return wx_env_fail(s, WX_ENVELOPE_ERR_VALUE);   /* "]]>" is not text */
        }
        if (!wx_env_value_byte(c)) {
            return wx_env_fail(s, c == 0 ? WX_ENVELOPE_ERR_ENCODING : WX_ENVELOPE_ERR_VALUE);
        }
        s->p++;
        s->steps++;
    }
    out->ptr = (const char *)b;
    out->len = (size_t)(s->p - b);
    if (s->end - s->p < 2) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (s->p[1] != '/') {
        if ((size_t)(s->end - s->p) >= 9 && memcmp(s->p, "<![CDATA[", 9) == 0) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_VALUE);   /* text, then CDATA */
        }
        return wx_env_markup_fail(s);
    }
    return wx_env_end_tag(s, name, nlen);
}

/* ----------------------------------------------------------------- scan */

static int wx_env_document(wx_env_t *s, wx_envelope_value_t v[WX_ENV_F_COUNT])
{
    const unsigned char *b;
    size_t n;
    int end, decl = 0;

    /* byte order: only UTF-8, with or without its BOM */
    if (s->end - s->p >= 2 && ((s->p[0] == 0xFE && s->p[1] == 0xFF) || (s->p[0] == 0xFF && s->p[1] == 0xFE))) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_ENCODING);
    }
    if (s->end - s->p >= 4 && memcmp(s->p, "\x4C\x6F\xA7\x94", 4) == 0) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_ENCODING);    /* "<?xm" in EBCDIC */
    }
    for (n = 0; n < 4 && s->p + n < s->end; n++) {
        if (s->p[n] == 0) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_ENCODING); /* UTF-16/32 without a BOM */
        }
    }
    if (!wx_env_lit(s, "\xEF\xBB\xBF", 3) && wx_env_cut(s, "\xEF\xBB\xBF", 3)) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (wx_env_cut(s, "<?xml ", 6)) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if ((size_t)(s->end - s->p) >= 6 && memcmp(s->p, "<?xml", 5) == 0 && wx_env_blank(s->p[5])) {
        s->p += 5;
        if (!wx_env_declaration(s)) {
            return 0;
        }
        decl = 1;
    }
    wx_env_skip_blanks(s);
    if (s->p >= s->end) {
        return wx_env_fail(s, decl ? WX_ENVELOPE_ERR_TRUNCATED : WX_ENVELOPE_ERR_EMPTY);
    }
    if (*s->p != '<') {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TEXT);
    }
    if (s->end - s->p < 2) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
    }
    if (s->p[1] == '!' || s->p[1] == '?') {
        return wx_env_fail(s, WX_ENVELOPE_ERR_MARKUP);
    }

    /* <xml> */
    s->p++;
    b = s->p;
    n = wx_env_name(s);
    if (n != 3 || memcmp(b, "xml", 3) != 0) {
        if (s->p >= s->end) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        s->p = b;
        return wx_env_fail(s, WX_ENVELOPE_ERR_ROOT);
    }
    end = wx_env_tag_end(s);
    if (end == 0) {
        if (s->st == WX_ENVELOPE_ERR_UNKNOWN_ELEMENT) {
            s->st = WX_ENVELOPE_ERR_ROOT;
        }
        return 0;
    }

    /* the fields */
    while (end == 1) {
        wx_env_field_t f;
        int e;

        wx_env_skip_blanks(s);
        if (s->p >= s->end) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        if (*s->p != '<') {
            return wx_env_fail(s, *s->p == '&' ? WX_ENVELOPE_ERR_ENTITY : WX_ENVELOPE_ERR_TEXT);
        }
        if (s->end - s->p < 2) {
            return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
        }
        if (s->p[1] == '/') {
            if (!wx_env_end_tag(s, "xml", 3)) {
                return 0;
            }
            break;
        }
        if (s->p[1] == '!' || s->p[1] == '?') {
            return wx_env_fail(s, WX_ENVELOPE_ERR_MARKUP);
        }
        s->p++;
        b = s->p;
        n = wx_env_name(s);
        for (f = 0; f < WX_ENV_F_COUNT; f++) {
            if (n == wx_env_fields[f].len && memcmp(b, wx_env_fields[f].name, n) == 0) {
                break;
            }
        }
        if (f == WX_ENV_F_COUNT) {
            if (n > 0 && s->p >= s->end) {
                return wx_env_fail(s, WX_ENVELOPE_ERR_TRUNCATED);
            }
            s->p = b;
            return wx_env_fail(s, n > 0 || (s->p < s->end && *s->p >= 0x80) ? WX_ENVELOPE_ERR_UNKNOWN_ELEMENT
                                                                             : WX_ENVELOPE_ERR_TAG);
        }
        if (v[f].ptr != NULL) {
            s->p = b;
            return wx_env_fail(s, WX_ENVELOPE_ERR_DUPLICATE);
        }
        e = wx_env_tag_end(s);
        if (e == 0) {
            return 0;
        }
        if (e == 2) {
            v[f].ptr = (const char *)s->p;      /* <AppId/>: present, empty */
            v[f].len = 0;
            continue;
        }
        if (!wx_env_value(s, f, &v[f])) {
            return 0;
        }
    }

    wx_env_skip_blanks(s);
    if (s->p < s->end) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_TRAILING);
    }
    if (v[WX_ENV_F_ENCRYPT].ptr == NULL || v[WX_ENV_F_ENCRYPT].len == 0) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_NO_ENCRYPT);
    }
    if ((v[WX_ENV_F_TO_USER_NAME].ptr == NULL || v[WX_ENV_F_TO_USER_NAME].len == 0)
            && (v[WX_ENV_F_APP_ID].ptr == NULL || v[WX_ENV_F_APP_ID].len == 0)) {
        return wx_env_fail(s, WX_ENVELOPE_ERR_NO_RECIPIENT);
    }
    return 1;
}

wx_envelope_status_t wx_envelope_scan(const char *buf, size_t len, wx_envelope_t *out)
{
    wx_env_t s;
    wx_envelope_value_t v[WX_ENV_F_COUNT];

    memset(out, 0, sizeof(*out));
    memset(v, 0, sizeof(v));
    if (len == 0 || buf == NULL) {
        return WX_ENVELOPE_ERR_EMPTY;
    }
    if (len > WX_ENVELOPE_MAX_BYTES) {
        return WX_ENVELOPE_ERR_TOO_LARGE;
    }
    s.start = s.p = (const unsigned char *)buf;
    s.end = s.start + len;
    s.steps = 0;
    s.st = WX_ENVELOPE_OK;

    if (!wx_env_document(&s, v)) {
        out->error_offset = (size_t)(s.p - s.start);
        out->steps = s.steps;
        return s.st;
    }
    out->to_user_name = v[WX_ENV_F_TO_USER_NAME];
    out->app_id = v[WX_ENV_F_APP_ID];
    out->encrypt = v[WX_ENV_F_ENCRYPT];
    out->agent_id = v[WX_ENV_F_AGENT_ID];
    out->steps = s.steps;
    return WX_ENVELOPE_OK;
}
