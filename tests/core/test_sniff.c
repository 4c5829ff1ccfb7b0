/* Unit tests of wx_sniff: what each writer's bytes are recognised as. */
#include <stdlib.h>

#include "wx_sniff.h"
#include "wx_test.h"

#define S(lit) (const unsigned char *) (lit), sizeof(lit) - 1

static void check_php(void)
{
    const char *valid[] = {
        "N;", "b:0;", "b:1;", "i:0;", "i:-42;", "i:+7;", "d:0.1;", "d:-1.5E+25;", "d:1e10;", "d:.5;",
        "d:NAN;", "d:INF;", "d:-INF;", "s:0:\"\";", "s:3:\"a\"b\";", "S:2:\"\\41b\";",
        "a:0:{}", "a:2:{i:0;s:1:\"x\";s:1:\"k\";a:1:{i:0;N;}}",
        "O:8:\"stdClass\":1:{s:1:\"a\";i:1;}", "C:3:\"Foo\":3:{abc}", "E:7:\"Foo:Bar\";",
        "a:2:{i:0;O:8:\"stdClass\":0:{}i:1;r:2;}", "a:1:{i:0;R:1;}",
    };
    const char *invalid[] = {
        "", "N", "b:2;", "i:;", "i:1", "d:;", "d:abc;", "s:3:\"ab\";", "s:1:\"ab\";", "s:-1:\"\";",
        "a:1:{}", "a:1:{i:0;N;", "a:1:{N;N;}", "O:8:\"stdClass\":1:{s:1:\"a\";}", "x:1;", "R:1;",
        "s:3:\"abc\";junk", "i:1;i:2;", "a:99999999999:{}", "S:1:\"\\4\";", "C:3:\"Foo\":9:{abc}",
    };
    size_t i;
    for (i = 0; i < sizeof(valid) / sizeof(*valid); i++) {
        WX_CHECK(wx_sniff_is_php((const unsigned char *) valid[i], strlen(valid[i]), 0), "php valid: %s", valid[i]);
    }
    for (i = 0; i < sizeof(invalid) / sizeof(*invalid); i++) {
        WX_CHECK(!wx_sniff_is_php((const unsigned char *) invalid[i], strlen(invalid[i]), 0), "php invalid: %s", invalid[i]);
    }
    /* depth bound: 5 nested arrays pass with max 5, fail with max 4 */
    WX_CHECK(wx_sniff_is_php(S("a:1:{i:0;a:1:{i:0;a:1:{i:0;a:1:{i:0;a:1:{i:0;N;}}}}}"), 5), "php depth 5 within 5");
    WX_CHECK(!wx_sniff_is_php(S("a:1:{i:0;a:1:{i:0;a:1:{i:0;a:1:{i:0;a:1:{i:0;N;}}}}}"), 4), "php depth 5 over 4");
    /* binary payload inside s: is counted, not scanned */
    WX_CHECK(wx_sniff_is_php(S("s:4:\"\0\";\"\";"), 0), "php string with NUL and quotes");
}

static void check_formats(void)
{
    /* igbinary of "foo" as phpredis writes it (format version 2) */
    static const unsigned char igb[] = { 0, 0, 0, 2, 0x11, 3, 'f', 'o', 'o' };
    static const unsigned char mp_str[] = { 0xa3, 'f', 'o', 'o' };
    static const unsigned char mp_map[] = { 0x81, 0xa1, 'a', 0x01 };
    static const unsigned char mp_int[] = { 0x05 };
    static const unsigned char mp_bad[] = { 0xa5, 'f' };
    static const unsigned char bin[] = { 0xff, 0xfe, 0x00, 0x01 };

    WX_CHECK(wx_sniff_format(S("")) == WX_FORMAT_EMPTY, "empty");
    WX_CHECK(wx_sniff_format(S("s:3:\"foo\";")) == WX_FORMAT_PHP, "php serialize");
    WX_CHECK(wx_sniff_format(igb, sizeof(igb)) == WX_FORMAT_IGBINARY, "igbinary");
    WX_CHECK(wx_sniff_format(mp_str, sizeof(mp_str)) == WX_FORMAT_MSGPACK, "msgpack str");
    WX_CHECK(wx_sniff_format(mp_map, sizeof(mp_map)) == WX_FORMAT_MSGPACK, "msgpack map");
    WX_CHECK(wx_sniff_format(mp_int, sizeof(mp_int)) == WX_FORMAT_MSGPACK, "msgpack fixint (a control byte, not text)");
    WX_CHECK(wx_sniff_format(mp_bad, sizeof(mp_bad)) == WX_FORMAT_RAW, "truncated msgpack is raw bytes");
    WX_CHECK(wx_sniff_format(bin, sizeof(bin)) == WX_FORMAT_RAW, "binary is raw");
    WX_CHECK(wx_sniff_format(S("\"foo\"")) == WX_FORMAT_JSON, "json string");
    WX_CHECK(wx_sniff_format(S(" {\"a\": [1, 2.5e3, true, null, \"\\u00e9\"]} ")) == WX_FORMAT_JSON, "json object");
    WX_CHECK(wx_sniff_format(S("[]")) == WX_FORMAT_JSON, "json empty array");
    WX_CHECK(wx_sniff_format(S("{\"a\":}")) == WX_FORMAT_RAW, "broken json is raw");
    WX_CHECK(wx_sniff_format(S("42")) == WX_FORMAT_RAW, "bare number is raw (phpredis NONE int)");
    WX_CHECK(wx_sniff_format(S("true")) == WX_FORMAT_RAW, "bare true is raw");
    WX_CHECK(wx_sniff_format(S("ticket@@@abc")) == WX_FORMAT_RAW, "ticket text is raw");
    WX_CHECK(wx_sniff_format(S("票据")) == WX_FORMAT_RAW, "UTF-8 text is raw");
    WX_CHECK(wx_sniff_format(S("a")) == WX_FORMAT_RAW, "one letter is text, not msgpack fixint");
    WX_CHECK(wx_sniff_is_text(S("tab\tnl\n")), "text allows tab and newline");
    WX_CHECK(!wx_sniff_is_text(S("\xc0\xaf")), "overlong UTF-8 is not text");
    WX_CHECK(!wx_sniff_is_text(S("\xed\xa0\x80")), "surrogate is not text");
    WX_CHECK(!wx_sniff_is_json(S("[1,]")), "json trailing comma refused");
    WX_CHECK(!wx_sniff_is_json(S("01")), "json leading zero refused");
    WX_CHECK(!wx_sniff_is_msgpack(S("\xc1")), "msgpack 0xc1 never used");
    WX_CHECK(strcmp(wx_sniff_format_name(WX_FORMAT_IGBINARY), "igbinary") == 0, "format names");
}

static void check_deep_json(void)
{
    char buf[2100];
    size_t i;
    for (i = 0; i < 1000; i++) buf[i] = '[';
    for (i = 0; i < 1000; i++) buf[1000 + i] = ']';
    WX_CHECK(!wx_sniff_is_json((unsigned char *) buf, 2000), "json nesting 1000 refused (bound 512)");
    WX_CHECK(wx_sniff_is_json((unsigned char *) buf + 600, 800), "json nesting 400 accepted");
}

/* symfony/cache >= 7.2 marshals with serialize(); phpredis SERIALIZER_PHP
 * serializes that string again: s:37:"s:29:"ticket@@@...";"; (issue 9). */
static void check_php_in_php(void)
{
    static const char *yes[] = {
        "s:37:\"s:29:\"ticket@@@abcdefghijklmnopqrst\";\";",   /* the case */
        "s:2:\"N;\";", "s:4:\"b:0;\";", "s:4:\"i:5;\";", "s:7:\"d:0.25;\";",
        "s:6:\"a:0:{}\";",
        "s:28:\"a:1:{s:1:\"k\";a:1:{i:0;R:2;}}\";",
        "s:29:\"O:8:\"stdClass\":1:{s:1:\"a\";N;}\";",
        "s:7:\"s:0:\"\";\";",
        "s:18:\"s:10:\"s:3:\"abc\";\";\";",                 /* three levels: still php+php */
    };
    static const char *no[] = {
        "s:5:\"hello\";", "s:3:\"s:1\";", "s:4:\"s:1:\";", "s:9:\"s:3:\"ab\";\";", "s:6:\"i:5;xx\";",
        "s:4:\"N;N;\";", "s:4:\"R:1;\";", "s:2:\"i:\";", "s:0:\"\";", "s:4:\"i:5 \";",
        "s:19:\"ticket@@@s:3:\"abc\";\";",                     /* a document inside, not the whole */
        "a:1:{i:0;s:4:\"i:5;\";}",                               /* an array holding such a string */
        "S:4:\"i:5;\";",                                          /* escaped strings: not ours, never php+php */
        "s:4:\"i:5;\";x", "s:4:\"i:5;\"", "s:5:\"i:5;\";",
    };
    const unsigned char *in = NULL;
    size_t i, len = 0;

    for (i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
        const unsigned char *s = (const unsigned char *) yes[i];
        size_t n = strlen(yes[i]);
        WX_CHECK(wx_sniff_is_php(s, n, 0) && wx_sniff_is_php_in_php(s, n) && wx_sniff_format(s, n) == WX_FORMAT_PHP_IN_PHP,
                 "php+php: %s", yes[i]);
    }
    for (i = 0; i < sizeof(no) / sizeof(*no); i++) {
        const unsigned char *s = (const unsigned char *) no[i];
        size_t n = strlen(no[i]);
        WX_CHECK(!wx_sniff_is_php_in_php(s, n) && wx_sniff_format(s, n) != WX_FORMAT_PHP_IN_PHP, "not php+php: %s", no[i]);
    }
    WX_CHECK(wx_sniff_php_string(S("s:37:\"s:29:\"ticket@@@abcdefghijklmnopqrst\";\";"), &in, &len) && len == 37
             && memcmp(in, "s:29:\"ticket@@@abcdefghijklmnopqrst\";", 37) == 0, "php_string: the content's span");
    WX_CHECK(wx_sniff_php_string(S("s:0:\"\";"), &in, &len) && len == 0, "php_string: the empty string");
    WX_CHECK(!wx_sniff_php_string(S("s:3:\"ab\";"), NULL, NULL) && !wx_sniff_php_string(S("s:1:\"a\""), NULL, NULL)
             && !wx_sniff_php_string(S("s:1:\"a\";;"), NULL, NULL) && !wx_sniff_php_string(S("i:5;"), NULL, NULL)
             && !wx_sniff_php_string(S("s:99999999999999999999:\"\";"), NULL, NULL),
             "php_string: wrong length, missing or extra bytes, not a string, absurd length");
    WX_CHECK(strcmp(wx_sniff_format_name(WX_FORMAT_PHP_IN_PHP), "php+php") == 0, "format name php+php");
    WX_CHECK(wx_sniff_format(S("s:9:\"ticket@@@\";")) == WX_FORMAT_PHP, "an ordinary ticket string stays php");
}

/* n nested arrays, the minimal way: a:1:{i:0;...a:0:{}...} */
static char *nested(size_t n, size_t *len)
{
    char *b = malloc(n * 10 + 16);
    size_t o = 0, i;
    for (i = 1; i < n; i++) {
        memcpy(b + o, "a:1:{i:0;", 9);
        o += 9;
    }
    memcpy(b + o, "a:0:{}", 6);
    o += 6;
    for (i = 1; i < n; i++) {
        b[o++] = '}';
    }
    *len = o;
    return b;
}

static void check_php_depth(void)
{
    size_t len, depth = 0;
    char *b;

    WX_CHECK(WX_SNIFF_MAX_DEPTH == 4096, "WX_SNIFF_MAX_DEPTH is 4096, PHP's unserialize_max_depth default");
    b = nested(WX_SNIFF_MAX_DEPTH, &len);
    WX_CHECK(wx_sniff_is_php((unsigned char *) b, len, 0)
             && wx_sniff_php_check((unsigned char *) b, len, 0, &depth) == WX_SNIFF_PHP_VALID && depth == 4096,
             "4096 nested arrays: valid (depth %zu)", depth);
    free(b);
    b = nested(WX_SNIFF_MAX_DEPTH + 1, &len);
    WX_CHECK(!wx_sniff_is_php((unsigned char *) b, len, 0)
             && wx_sniff_php_check((unsigned char *) b, len, 0, &depth) == WX_SNIFF_PHP_TOO_DEEP && depth == 4097,
             "4097: not within the limit, but valid and too deep (not 'not PHP')");
    WX_CHECK(len == WX_SNIFF_PHP_MIN_LEN(WX_SNIFF_MAX_DEPTH),
             "the shortest 4097-deep document has WX_SNIFF_PHP_MIN_LEN(4096) = %zu bytes", len);
    WX_CHECK(wx_sniff_format((unsigned char *) b, len) == WX_FORMAT_RAW,
             "  (wx_sniff_format alone still calls it raw: ask wx_sniff_php_check)");
    b[len - 1] = ']';
    WX_CHECK(wx_sniff_php_check((unsigned char *) b, len, 0, NULL) == WX_SNIFF_PHP_INVALID,
             "4097 deep but broken at the very end: invalid");
    free(b);
    b = nested(200000, &len);
    WX_CHECK(wx_sniff_php_check((unsigned char *) b, len, 0, &depth) == WX_SNIFF_PHP_TOO_DEEP && depth == 200000
             && wx_sniff_php_check((unsigned char *) b, len, 300000, NULL) == WX_SNIFF_PHP_VALID,
             "200000 levels (2 MB): read to the end on its own stack, no recursion (depth %zu)", depth);
    free(b);
    WX_CHECK(wx_sniff_php_check(S("a:2:{i:0;a:1:{i:0;N;}i:1;a:1:{i:0;a:1:{i:0;N;}}}"), 2, &depth) == WX_SNIFF_PHP_TOO_DEEP
             && depth == 3, "depth is the deepest branch (3)");
    WX_CHECK(wx_sniff_php_check(S("s:5:\"hello\";"), 0, &depth) == WX_SNIFF_PHP_VALID && depth == 0,
             "a scalar nests nothing");
    WX_CHECK(wx_sniff_php_check(S("ticket@@@abc"), 0, NULL) == WX_SNIFF_PHP_INVALID
             && wx_sniff_php_check(S(""), 0, NULL) == WX_SNIFF_PHP_INVALID, "not PHP: invalid");
}

int main(void)
{
    check_php();
    check_formats();
    check_deep_json();
    check_php_in_php();
    check_php_depth();
    return wx_test_done();
}
