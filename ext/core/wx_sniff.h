/*
 * wx_sniff: recognise what format a stored value is in.
 *
 * wxredis writes PHP's serialize() format only. Anything else found under a
 * key was written by someone else (phpredis with another serializer,
 * Symfony's marshaller with igbinary or serialize(), another language), and
 * must be named, not guessed at. Plain C: pure byte inspection, no Zend.
 */
#ifndef WX_SNIFF_H
#define WX_SNIFF_H

#include <stddef.h>

typedef enum {
    WX_FORMAT_EMPTY = 0,  /* zero bytes (phpredis NONE writes false/null so) */
    WX_FORMAT_PHP,        /* a complete PHP serialize() document */
    WX_FORMAT_IGBINARY,   /* igbinary header 00 00 00 01|02 */
    WX_FORMAT_JSON,       /* JSON object, array or string */
    WX_FORMAT_MSGPACK,    /* one complete msgpack object (not text) */
    WX_FORMAT_RAW,        /* anything else: plain text or bytes */
    WX_FORMAT_PHP_IN_PHP  /* a PHP string s:N:"..."; whose content is itself one
                             complete serialize() document: symfony/cache >= 7.2
                             marshals with serialize(), then phpredis
                             SERIALIZER_PHP serializes that string again */
} wx_format_t;

/* The nesting limit of the PHP validator: PHP's own unserialize_max_depth
 * default, so what passes here is what unserialize() reads by default.
 * The root container is level 1; scalars nest nothing. */
#define WX_SNIFF_MAX_DEPTH 4096u

/* A document nesting deeper than d levels takes at least this many bytes
 * ("a:1:{i:0;" + "}" per level, "a:0:{}" innermost): a writer holding a
 * shorter one can skip wx_sniff_php_check. */
#define WX_SNIFF_PHP_MIN_LEN(d) ((size_t)(d) * 10u + 6u)

/* Classify a value. Never reads past s[n-1]. */
wx_format_t wx_sniff_format(const unsigned char *s, size_t n);

/* "php", "igbinary", "json", "msgpack", "raw", "empty", "php+php". */
const char *wx_sniff_format_name(wx_format_t f);

/* 1 when s[0..n) is exactly one syntactically valid PHP serialize()
 * document, nesting at most max_depth levels (0 = WX_SNIFF_MAX_DEPTH);
 * 0 otherwise. */
int wx_sniff_is_php(const unsigned char *s, size_t n, unsigned max_depth);

typedef enum {
    WX_SNIFF_PHP_VALID = 0,   /* one complete document within max_depth */
    WX_SNIFF_PHP_TOO_DEEP,    /* one complete, valid document, nesting deeper */
    WX_SNIFF_PHP_INVALID      /* not (exactly one) serialize() document */
} wx_sniff_php_status_t;

/* Like wx_sniff_is_php, but reads the whole document whatever its depth
 * (its own stack, no recursion; linear time), so that "valid but deeper
 * than max_depth" (which unserialize() would refuse) is told apart from
 * "not PHP". *depth (may be NULL) gets the deepest nesting seen. */
wx_sniff_php_status_t wx_sniff_php_check(const unsigned char *s, size_t n, unsigned max_depth,
                                         size_t *depth);

/* 1 when s[0..n) is exactly one PHP string s:N:"...";, the content's span
 * in *inner / *inner_len (either may be NULL). S: strings are not. */
int wx_sniff_php_string(const unsigned char *s, size_t n, const unsigned char **inner,
                        size_t *inner_len);

/* 1 when s[0..n) is a PHP string whose content is itself one complete
 * serialize() document (at any depth): WX_FORMAT_PHP_IN_PHP. A string
 * that merely starts with "s:" or "i:" is not. Linear, and most strings
 * are rejected by their first byte. */
int wx_sniff_is_php_in_php(const unsigned char *s, size_t n);

/* 1 when s[0..n) is exactly one valid JSON text (RFC 8259). */
int wx_sniff_is_json(const unsigned char *s, size_t n);

/* 1 when s[0..n) is exactly one well-formed msgpack object. */
int wx_sniff_is_msgpack(const unsigned char *s, size_t n);

/* 1 when s starts with igbinary's header (00 00 00 01|02) and has a body. */
int wx_sniff_is_igbinary(const unsigned char *s, size_t n);

/* 1 when s[0..n) is valid UTF-8 without control bytes other than
 * tab, CR and LF. */
int wx_sniff_is_text(const unsigned char *s, size_t n);

#endif
