/*
 * wx_sniff: recognise what format a stored value is in.
 *
 * wxredis writes PHP's serialize() format only. Anything else found under a
 * key was written by someone else (phpredis with another serializer,
 * Symfony's marshaller with igbinary, another language), and must be named,
 * not guessed at. Plain C: pure byte inspection, no Zend.
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
    WX_FORMAT_RAW         /* anything else: plain text or bytes */
} wx_format_t;

/* Classify a value. Never reads past s[n-1]. */
wx_format_t wx_sniff_format(const unsigned char *s, size_t n);

/* "php", "igbinary", "json", "msgpack", "raw", "empty". */
const char *wx_sniff_format_name(wx_format_t f);

/* 1 when s[0..n) is exactly one syntactically valid PHP serialize()
 * document, nesting at most max_depth levels (0 = 4096); 0 otherwise. */
int wx_sniff_is_php(const unsigned char *s, size_t n, unsigned max_depth);

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
