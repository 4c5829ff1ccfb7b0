/*
 * wx_envelope: the envelope of an encrypted WeChat push, read strictly in
 * one linear pass, without libxml2.
 *
 * The callback URL is public and the envelope is not authenticated: only
 * the Encrypt value is signed, so nothing may cost more than a linear scan
 * before the signature is checked. The envelope is tiny and fixed:
 *
 *   <xml><ToUserName><![CDATA[gh_...]]></ToUserName>      account messages
 *        <Encrypt><![CDATA[base64...]]></Encrypt></xml>
 *   <xml><AppId><![CDATA[wx...]]></AppId>                 system pushes of
 *        <Encrypt><![CDATA[base64...]]></Encrypt></xml>   the Open Platform
 *
 * so it is read as exactly that, and everything else is refused with its
 * own status:
 *   - the root is <xml>; its children are ToUserName, AppId, Encrypt and
 *     AgentID (WeCom's envelope, the same scheme), each at most once, in
 *     any order, separated by blanks; Encrypt is required and not empty,
 *     and ToUserName or AppId (not empty) too;
 *   - a value is one CDATA section or plain text, never both, with no
 *     element inside it; its bytes are printable ASCII, space, tab and LF
 *     (every value WeChat sends is base64 or an id); no entity or
 *     character reference at all (none is needed, so none is decoded, and
 *     values are handed back as pointers into the input);
 *   - no attributes (the first one is refused, so 200k of them cost no
 *     more than one), no comments, processing instructions, DOCTYPE or
 *     other markup; only an optional leading XML declaration, whose
 *     version must be 1.0 and whose encoding, if given, UTF-8 (or UTF8, any case); an optional
 *     UTF-8 byte order mark; nothing but blanks after </xml>;
 *   - at most WX_ENVELOPE_MAX_BYTES.
 * The scanner never goes back: every step consumes at least one byte, so
 * its cost is at most proportional to the input (out->steps counts it).
 * Plain C, no allocation, no global state, thread-safe.
 */
#ifndef WX_ENVELOPE_H
#define WX_ENVELOPE_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Far above any push WeChat sends (a few KiB), far below what would make
 * a scan noticeable (1 MiB is scanned in about a millisecond). */
#define WX_ENVELOPE_MAX_BYTES ((size_t)1 << 20)

typedef enum {
    WX_ENVELOPE_OK = 0,
    WX_ENVELOPE_ERR_EMPTY,            /* no bytes, or only blanks */
    WX_ENVELOPE_ERR_TOO_LARGE,        /* more than WX_ENVELOPE_MAX_BYTES */
    WX_ENVELOPE_ERR_ENCODING,         /* UTF-16/32 byte order or NUL bytes, or a
                                         declared encoding other than UTF-8 */
    WX_ENVELOPE_ERR_DECLARATION,      /* a malformed <?xml ...?> declaration */
    WX_ENVELOPE_ERR_MARKUP,           /* a comment, processing instruction,
                                         DOCTYPE or other <! or <? markup */
    WX_ENVELOPE_ERR_ROOT,             /* the document element is not <xml> */
    WX_ENVELOPE_ERR_ATTRIBUTE,        /* an attribute on any element */
    WX_ENVELOPE_ERR_UNKNOWN_ELEMENT,  /* a child of <xml> that is not a field */
    WX_ENVELOPE_ERR_DUPLICATE,        /* a field given twice */
    WX_ENVELOPE_ERR_NESTED,           /* an element inside a field */
    WX_ENVELOPE_ERR_ENTITY,           /* '&' in a value: no references accepted */
    WX_ENVELOPE_ERR_VALUE,            /* a byte not allowed in a value, or a value
                                         mixing CDATA and text (blanks included) */
    WX_ENVELOPE_ERR_TEXT,             /* text outside the fields */
    WX_ENVELOPE_ERR_TAG,              /* a malformed tag, or an end tag that does
                                         not close the open element */
    WX_ENVELOPE_ERR_TRUNCATED,        /* the input ends inside the document */
    WX_ENVELOPE_ERR_TRAILING,         /* anything but blanks after </xml> */
    WX_ENVELOPE_ERR_NO_ENCRYPT,       /* no Encrypt, or an empty one */
    WX_ENVELOPE_ERR_NO_RECIPIENT      /* neither ToUserName nor AppId (non-empty) */
} wx_envelope_status_t;

/* A value: a span of the input (never a copy), NULL when the field is
 * absent; an empty element gives a non-NULL pointer and length 0. */
typedef struct {
    const char *ptr;
    size_t len;
} wx_envelope_value_t;

typedef struct {
    wx_envelope_value_t encrypt;
    wx_envelope_value_t to_user_name;
    wx_envelope_value_t app_id;
    wx_envelope_value_t agent_id;     /* WeCom only */
    size_t error_offset;              /* on error: where the scan stopped */
    size_t steps;                     /* scanner steps taken; each consumed at
                                         least one byte, so steps <= len (tests
                                         use it to show linear cost) */
} wx_envelope_t;

/*
 * Scan buf[0..len). On WX_ENVELOPE_OK out holds the values (pointing into
 * buf, which must outlive them); on error the values are all NULL and
 * out->error_offset says where. out must not be NULL; buf may be NULL when
 * len is 0.
 */
wx_envelope_status_t wx_envelope_scan(const char *buf, size_t len, wx_envelope_t *out);

/* A short English sentence for a status ("the envelope has an attribute"),
 * never NULL. */
const char *wx_envelope_strerror(wx_envelope_status_t st);

#ifdef __cplusplus
}
#endif

#endif /* WX_ENVELOPE_H */
