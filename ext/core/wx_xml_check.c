/*
 * wx_xml_check: the linear pre-scan that refuses, before libxml2 sees a
 * document, what libxml2 must never be given. See wx_xml.h.
 */
#include "wx_xml.h"
#include "wx_xml_find.h"
#include "wx_text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ pre-scan
 *
 * What libxml2 must never be given, found in one pass before it sees the
 * document: encodings other than UTF-8 (transcoding is where libxml2
 * raises errors without a context, and a declared encoding changes how
 * every later byte reads), and start tags with more attributes than a
 * bound (libxml2 2.9 compares each attribute with every earlier one of the
 * same element: quadratic) or overlong names.
 *
 * The scan follows XML's lexical structure only as far as attributes need
 * it: text up to '<', comments to "-->", CDATA to "]]>", PIs to "?>", end
 * tags like text, and start tags as Name (S Name S? '=' S? quoted)* S? '/'? '>'.
 * Wherever the document stops fitting that (a DOCTYPE, an unterminated
 * comment, an attribute without '=', ...) libxml2 stops with an error at
 * the same point or earlier (it gives up at the first fatal error), so the
 * scan stops there too and leaves the document, and the message, to
 * libxml2: no tag libxml2 reads is left uncounted. */

typedef struct {
    const unsigned char *p, *end, *start;
    unsigned max_attributes;
    size_t max_name;
} wx_xml_scan_t;

static int wx_xml_blank(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Bytes that end a name in a tag: blanks and the tag's punctuation, all
 * below 64, so one shift of a mask tells. */
#define WX_XML_NAME_END_MASK \
    ((UINT64_C(1) << '\t') | (UINT64_C(1) << '\n') | (UINT64_C(1) << '\r') | (UINT64_C(1) << ' ') \
     | (UINT64_C(1) << '"') | (UINT64_C(1) << '\'') | (UINT64_C(1) << '/') | (UINT64_C(1) << '<') \
     | (UINT64_C(1) << '=') | (UINT64_C(1) << '>'))

static int wx_xml_name_end(unsigned char c)
{
    return c < 64 && ((WX_XML_NAME_END_MASK >> c) & 1) != 0;
}

static void wx_xml_skip_blanks(wx_xml_scan_t *s)
{
    while (s->p < s->end && wx_xml_blank(*s->p)) {
        s->p++;
    }
}

static size_t wx_xml_scan_name(wx_xml_scan_t *s)
{
    const unsigned char *b = s->p;
    while (s->p < s->end && !wx_xml_name_end(*s->p)) {
        s->p++;
    }
    return (size_t)(s->p - b);
}

/* An element name for an error message: at most 64 bytes, and only if it
 * is plain ASCII (messages end up in exceptions and logs). */
static const char *wx_xml_msg_name(const unsigned char *name, size_t n, char out[72])
{
    size_t i;
    if (n > 64) {
        n = 64;
    }
    for (i = 0; i < n; i++) {
        unsigned char c = name[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
              || c == '_' || c == '-' || c == '.' || c == ':')) {
            return "an element";
        }
    }
    out[0] = '<';
    memcpy(out + 1, name, n);
    out[n + 1] = '>';
    out[n + 2] = '\0';
    return out;
}

/* The XML declaration, s->p just after "<?xml" and a blank: every
 * pseudo-attribute named encoding must say UTF-8 (libxml2 handles "UTF-8"
 * and "UTF8" natively, in any case). Unlike the rest of the scan this one
 * refuses what it cannot read: libxml2 reads on past some errors in the
 * declaration (a missing blank before encoding=) and would still switch
 * encodings. */
static wx_crypt_status_t wx_xml_scan_decl(wx_xml_scan_t *s, wx_error_t *err)
{
    for (;;) {
        const unsigned char *name, *v;
        size_t nlen, vlen;
        unsigned char q;

        wx_xml_skip_blanks(s);
        if ((size_t)(s->end - s->p) >= 2 && s->p[0] == '?' && s->p[1] == '>') {
            s->p += 2;
            return WX_CRYPT_OK;
        }
        name = s->p;
        nlen = wx_xml_scan_name(s);
        wx_xml_skip_blanks(s);
        if (nlen == 0 || s->p >= s->end || *s->p != '=') {
            break;
        }
        s->p++;
        wx_xml_skip_blanks(s);
        if (s->p >= s->end || (*s->p != '"' && *s->p != '\'')) {
            break;
        }
        q = *s->p++;
        v = s->p;
        s->p = memchr(s->p, q, (size_t)(s->end - s->p));
        if (s->p == NULL) {
            s->p = s->end;
            break;
        }
        vlen = (size_t)(s->p - v);
        s->p++;
        if (nlen == 8 && memcmp(name, "encoding", 8) == 0
                && !wx_text_caseless_eq(v, vlen, "UTF-8") && !wx_text_caseless_eq(v, vlen, "UTF8")) {
            char mn[72];
            const char *shown = wx_xml_msg_name(v, vlen, mn);
            if (shown == mn) {      /* <name> -> "name" */
                mn[0] = '"';
                mn[strlen(mn) - 1] = '"';
            }
            return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                                "XML declaring encoding %s is refused: only UTF-8 is accepted",
                                shown == mn ? mn : "other than UTF-8");
        }
        if (s->p < s->end && !wx_xml_blank(*s->p) && *s->p != '?') {
            break;                  /* pseudo-attributes run together */
        }
    }
    return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "malformed XML declaration at byte %zu",
                        (size_t)(s->p - s->start));
}

/* One start tag, s->p just after '<'. Returns 1 to go on, 0 to stop the
 * scan (libxml2 will refuse the tag), -1 when refused (err set). */
static int wx_xml_scan_start_tag(wx_xml_scan_t *s, wx_error_t *err)
{
    const unsigned char *name = s->p;
    size_t nlen = wx_xml_scan_name(s);
    unsigned nattr = 0;
    char mn[72];

    if (nlen == 0) {
        return 0;
    }
    if (nlen > s->max_name) {
        wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "XML element name of more than %zu bytes is refused (at byte %zu)",
                     s->max_name, (size_t)(name - s->start));
        return -1;
    }
    for (;;) {
        const unsigned char *an;
        size_t alen;
        int blank = s->p < s->end && wx_xml_blank(*s->p);
        unsigned char q;

        wx_xml_skip_blanks(s);
        if (s->p >= s->end) {
            return 0;
        }
        if (*s->p == '>') {
            s->p++;
            return 1;
        }
        if (*s->p == '/') {
            if (s->end - s->p >= 2 && s->p[1] == '>') {
                s->p += 2;
                return 1;
            }
            return 0;
        }
        if (!blank) {
            return 0;
        }
        an = s->p;
        alen = wx_xml_scan_name(s);
        if (alen == 0) {
            return 0;
        }
        if (alen > s->max_name) {
            wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                         "XML attribute name of more than %zu bytes is refused (in %s, at byte %zu)",
                         s->max_name, wx_xml_msg_name(name, nlen, mn), (size_t)(an - s->start));
            return -1;
        }
        if (++nattr > s->max_attributes) {
            wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                         "XML element %s with more than %u attributes is refused (at byte %zu)",
                         wx_xml_msg_name(name, nlen, mn), s->max_attributes, (size_t)(an - s->start));
            return -1;
        }
        wx_xml_skip_blanks(s);
        if (s->p >= s->end || *s->p != '=') {
            return 0;
        }
        s->p++;
        wx_xml_skip_blanks(s);
        if (s->p >= s->end || (*s->p != '"' && *s->p != '\'')) {
            return 0;
        }
        q = *s->p++;
        s->p = memchr(s->p, q, (size_t)(s->end - s->p));
        if (s->p == NULL) {
            s->p = s->end;
            return 0;
        }
        s->p++;
    }
}

static wx_crypt_status_t wx_xml_scan(wx_xml_scan_t *s, wx_error_t *err)
{
    const unsigned char *e;
    size_t n;

    /* encoding: libxml2 guesses it from the first four bytes */
    if (s->end - s->p >= 2 && ((s->p[0] == 0xFE && s->p[1] == 0xFF) || (s->p[0] == 0xFF && s->p[1] == 0xFE))) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                            "XML with a UTF-16 byte order mark is refused: only UTF-8 is accepted");
    }
    for (n = 0; n < 4 && s->p + n < s->end; n++) {
        if (s->p[n] == 0) {
            return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                                "XML in UTF-16 or UTF-32 (a NUL byte among the first four) is refused: "
                                "only UTF-8 is accepted");
        }
    }
    if (s->end - s->p >= 4 && memcmp(s->p, "\x4C\x6F\xA7\x94", 4) == 0) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "XML in EBCDIC is refused: only UTF-8 is accepted");
    }
    if (s->end - s->p >= 3 && memcmp(s->p, "\xEF\xBB\xBF", 3) == 0) {
        s->p += 3;
    }
    if (s->end - s->p >= 6 && memcmp(s->p, "<?xml", 5) == 0 && wx_xml_blank(s->p[5])) {
        wx_crypt_status_t st;
        s->p += 6;
        if ((st = wx_xml_scan_decl(s, err)) != WX_CRYPT_OK) {
            return st;
        }
    }

    while (s->p < s->end) {
        const char *from, *end = (const char *)s->end;
        int r;
        /* markup often follows markup at once ("</a><b>"): no call then */
        if (*s->p != '<' && (s->p = memchr(s->p, '<', (size_t)(s->end - s->p))) == NULL) {
            break;
        }
        from = (const char *)s->p + 1;
        if (s->end - s->p < 2) {
            break;
        }
        switch (s->p[1]) {
        case '!':
            if (s->end - s->p >= 4 && memcmp(s->p, "<!--", 4) == 0) {
                e = (const unsigned char *)wx_xml_find(from + 3, end, "-->", 3);
                n = 3;
            } else if (s->end - s->p >= 9 && memcmp(s->p, "<![CDATA[", 9) == 0) {
                e = (const unsigned char *)wx_xml_find(from + 8, end, "]]>", 3);
                n = 3;
            } else {
                e = NULL;           /* DOCTYPE or malformed: libxml2 stops there */
                n = 0;
            }
            break;
        case '?':
            e = (const unsigned char *)wx_xml_find(from + 1, end, "?>", 2);
            n = 2;
            break;
        case '/':
            /* an end tag has no attributes, and nothing in it can hide a
             * '<' from libxml2: go on looking for the next one */
            s->p += 2;
            continue;
        default:
            s->p++;
            r = wx_xml_scan_start_tag(s, err);
            if (r < 0) {
                return WX_CRYPT_ERR_PARSE_XML;
            }
            if (r == 0) {
                s->p = s->end;      /* where libxml2 gives up, so do we */
            }
            continue;
        }
        if (e == NULL) {
            s->p = s->end;
            break;
        }
        s->p = e + n;
    }
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_xml_check(const char *buf, size_t len, const wx_xml_limits_t *limits,
                               size_t *steps, wx_error_t *err)
{
    wx_xml_scan_t s;
    size_t max_bytes = WX_XML_DEFAULT_MAX_BYTES;
    wx_crypt_status_t st;

    s.max_attributes = WX_XML_DEFAULT_MAX_ATTRIBUTES;
    s.max_name = WX_XML_DEFAULT_MAX_NAME;
    if (limits != NULL) {
        if (limits->max_bytes > 0) {
            max_bytes = limits->max_bytes;
        }
        if (limits->max_attributes > 0) {
            s.max_attributes = limits->max_attributes;
        }
        if (limits->max_name > 0) {
            s.max_name = limits->max_name;
        }
    }
    if (steps != NULL) {
        *steps = 0;
    }
    if (len > max_bytes) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                            "XML of %zu bytes refused: the limit is %zu bytes", len, max_bytes);
    }
    if (len == 0 || buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "XML is empty");
    }
    s.start = s.p = (const unsigned char *)buf;
    s.end = s.start + len;
    st = wx_xml_scan(&s, err);
    if (steps != NULL) {
        *steps = (size_t)((s.p != NULL ? s.p : s.end) - s.start);
    }
    if (st == WX_CRYPT_OK && err != NULL) {
        err->code = WX_CRYPT_OK;
        err->msg[0] = '\0';
    }
    return st;
}
