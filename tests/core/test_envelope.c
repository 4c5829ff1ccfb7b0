/*
 * Unit tests of ext/core/wx_envelope (TAP): real pushes (Tencent's,
 * EasyWeChat's and WeCom's published vectors, the Open Platform's AppId
 * form) scanned, then verified and decrypted with wx_crypt exactly as the
 * callback will; whitespace, declaration and CDATA/plain-text variants;
 * every refusal with its own status; truncation; and linear cost shown by
 * counting scanner steps (never by timing).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wx_crypt.h"
#include "wx_envelope.h"
#include "wx_xml.h"
#include "wx_test.h"

#define S(lit) (lit), (sizeof(lit) - 1)

/* Tencent's Python WXBizMsgCrypt sample (see tests/core/test_crypt.c) */
static const char tc_token[] = "spamtest";
static const char tc_key[] = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
static const char tc_appid[] = "wx2c2769f8efd9abc2";
static const char tc_ts[] = "1409735669";
static const char tc_nonce[] = "1320562132";
static const char tc_sig[] = "5d197aaffba7e9b25a30732f161a50dee96bd5fa";
static const char tc_encrypt[] =
    "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6"
    "F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T33"
    "2jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCg"
    "avjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6Oewp"
    "usjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=";

/* EasyWeChat, tests/Kernel/EncryptorTest.php (w7corp/easywechat) */
static const char ew_token[] = "pamtest";
static const char ew_appid[] = "wxb11529c136998cb6";
static const char ew_sig[] = "4f3ad57b6989f09f4eb392acce4f9e93942ed890";
static const char ew_nonce[] = "260774613";
static const char ew_ts[] = "1458300676";
static const char ew_encrypt[] =
    "rTNFcsut4LfGuAFKEUVVpwcaCOTJzOd9twZdIW910jb3k+iicx2uvhttIZ3Qg9Qgty3BEF2xbOrz6boTfb30dMom"
    "cgrkTqdFPwnhqbk+kIQ7rZiwny9D7NUrTgA5kpX3KsZvrXzUZyP2x9YOlxbgm572lmxKvM7HAQQhIQ/p6HBmoY30"
    "bGXFK0BtIu1pW9TjhOYrLQoU18nWYjWqDA1ynkmOytpv7QRI1P1+0NoxL0q2zO1DgeSvnE8CZGo/o5Ap/WHK5W2R"
    "AsinpzN4/LjPnmB6U01I5XCoJoC0GK/yMZycd2Oh8Nq6+wBkC1U85oy0ktOY4nLvsQMLrourmMGdZHuTbqpeJ8Ao"
    "/5PRYJ+WBvRUwPfGKBL2+2IKZF49vAJqkcGWSHGE76ZN2erXeuNazf/o9o3lIE3q739o4c8t9QGPe31GT2Go/rOz"
    "1BsrASwvauNulCh+++yz+CQzBIuikA==";

/* WeCom, wechatpy tests/test_crypto.py: the envelope carries AgentID */
static const char wp_token[] = "123456";
static const char wp_key[] = "kWxPEV2UEDyxWpmPdKC3F4dgPDmOvfKX1HGnEUDS1aR";
static const char wp_corp[] = "wx49f0ab532d5d035a";
static const char wp_sig[] = "74d92dfeb87ba7c714f89d98870ae5eb62dff26d";
static const char wp_ts[] = "1411525903";
static const char wp_nonce[] = "461056294";
static const char wp_encrypt[] =
    "RgqEoJj5A4EMYlLvWO1F86ioRjZfaex/gePD0gOXTxpsq5Yj4GNglrBb8I2BAJVODGajiFnXBu7mCPatfjsu6IHC"
    "rsTyeDXzF6Bv283dGymzxh6ydJRvZsryDyZbLTE7rhnus50qGPMfp2wASFlzEgMW9z1ef/RD8XzaFYgm7iTdaXpX"
    "aG4+BiYyolBug/gYNx410cvkKR2/nPwBiT+P4hIiOAQqGp/TywZBtDh1yCF2KOd0gpiMZ5jSw3e29mTvmUHzkVQi"
    "MS6td7vXUaWOMZnYZlF3So2SjHnwh4jYFxdgpkHHqIrH/54SNdshoQgWYEvccTKe7FS709/5t6NMxuGhcUGAPOQi"
    "pvWTT4dShyqio7mlsl5noTrb++x6En749zCpQVhDpbV6GDnTbcX2e8K9QaNWHp91eBdCRxthuL0=";

static const char *status_name(wx_envelope_status_t st)
{
    static const char *names[] = {
        "OK", "EMPTY", "TOO_LARGE", "ENCODING", "DECLARATION", "MARKUP", "ROOT", "ATTRIBUTE",
        "UNKNOWN_ELEMENT", "DUPLICATE", "NESTED", "ENTITY", "VALUE", "TEXT", "TAG", "TRUNCATED",
        "TRAILING", "NO_ENCRYPT", "NO_RECIPIENT",
    };
    return (size_t)st < sizeof(names) / sizeof(names[0]) ? names[st] : "?";
}

static int value_is(wx_envelope_value_t v, const char *want)
{
    if (want == NULL) {
        return v.ptr == NULL && v.len == 0;
    }
    return v.ptr != NULL && v.len == strlen(want) && memcmp(v.ptr, want, v.len) == 0;
}

static wx_envelope_status_t scan(const char *buf, size_t len, wx_envelope_t *env)
{
    return wx_envelope_scan(buf, len, env);
}

/* Scan, verify the signature, decrypt: the order the callback will use.
 * Returns the plaintext (malloc'ed) or NULL. */
static char *open_push(const char *token, const char *key, const char *appid, const char *body,
                       const char *sig, const char *ts, const char *nonce, wx_envelope_t *env)
{
    wx_crypt_t *c = NULL;
    wx_error_t err;
    char *out = NULL;
    size_t out_len = 0;
    int used = 0;

    if (wx_envelope_scan(body, strlen(body), env) != WX_ENVELOPE_OK) {
        return NULL;
    }
    if (wx_crypt_new(wx_cstr(token), wx_cstr(key), wx_cstr(appid), WX_STR(NULL, 0), &c, &err) != WX_CRYPT_OK) {
        printf("# wx_crypt_new: %s\n", err.msg);
        return NULL;
    }
    if (wx_crypt_decrypt_verified(c, wx_cstr(sig), wx_cstr(ts), wx_cstr(nonce),
                                  WX_STR(env->encrypt.ptr, env->encrypt.len), &out, &out_len, &used,
                                  &err) != WX_CRYPT_OK) {
        out = NULL;
    }
    wx_crypt_free(c);
    return out;
}

/* -------------------------------------------------------------- valid */

static void test_vectors(void)
{
    char body[4096];
    wx_envelope_t env;
    char *plain;
    wx_xml_node_t *msg = NULL;

    snprintf(body, sizeof(body),
             "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><Encrypt><![CDATA[%s]]></Encrypt></xml>",
             tc_encrypt);
    plain = open_push(tc_token, tc_key, tc_appid, body, tc_sig, tc_ts, tc_nonce, &env);
    WX_CHECK(plain != NULL && value_is(env.to_user_name, "gh_10f6c3c3ac5a") && value_is(env.encrypt, tc_encrypt)
             && value_is(env.app_id, NULL) && value_is(env.agent_id, NULL),
             "Tencent's vector: scanned, verified, decrypted");
    WX_CHECK(plain != NULL && wx_xml_parse(plain, strlen(plain), NULL, &msg, NULL) == WX_CRYPT_OK
             && msg->nchildren == 6, "  only then the inner message is parsed (6 elements)");
    wx_xml_free(msg);
    wx_crypt_buf_free(plain);

    /* the Open Platform's system push: AppId, no ToUserName, newlines and indent */
    snprintf(body, sizeof(body),
             "<xml>\n    <AppId><![CDATA[%s]]></AppId>\n    <Encrypt><![CDATA[%s]]></Encrypt>\n</xml>\n",
             ew_appid, ew_encrypt);
    plain = open_push(ew_token, tc_key, ew_appid, body, ew_sig, ew_ts, ew_nonce, &env);
    WX_CHECK(plain != NULL && value_is(env.app_id, ew_appid) && value_is(env.to_user_name, NULL)
             && strstr(plain, "<Content><![CDATA[hello]]></Content>") != NULL,
             "EasyWeChat's vector as a system push (AppId + Encrypt)");
    wx_crypt_buf_free(plain);

    /* WeCom: ToUserName (the corp id), Encrypt, AgentID, as wechatpy posts it */
    snprintf(body, sizeof(body),
             "<xml><ToUserName><![CDATA[%s]]></ToUserName>\n<Encrypt><![CDATA[%s]]></Encrypt>\n"
             "<AgentID><![CDATA[1]]></AgentID>\n</xml>", wp_corp, wp_encrypt);
    plain = open_push(wp_token, wp_key, wp_corp, body, wp_sig, wp_ts, wp_nonce, &env);
    WX_CHECK(plain != NULL && value_is(env.agent_id, "1") && value_is(env.to_user_name, wp_corp),
             "WeCom's vector (wechatpy) with AgentID");
    wx_crypt_buf_free(plain);

    /* a signature over other bytes: the scan succeeds, verification fails */
    snprintf(body, sizeof(body), "<xml><AppId>%s</AppId><Encrypt>%s</Encrypt></xml>", ew_appid, tc_encrypt);
    plain = open_push(ew_token, tc_key, ew_appid, body, ew_sig, ew_ts, ew_nonce, &env);
    WX_CHECK(plain == NULL && value_is(env.encrypt, tc_encrypt), "a scanned envelope still has to pass the signature");
}

static void test_variants(void)
{
    static const struct {
        const char *doc;
        size_t len;
        const char *to, *app, *enc, *agent;
        const char *what;
    } ok[] = {
        { S("<xml><ToUserName>gh_1</ToUserName><Encrypt>QUJD</Encrypt></xml>"),
          "gh_1", NULL, "QUJD", NULL, "plain text values" },
        { S("<xml><Encrypt><![CDATA[QUJD]]></Encrypt><AppId><![CDATA[wx1]]></AppId></xml>"),
          NULL, "wx1", "QUJD", NULL, "Encrypt first" },
        { S("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<xml><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          NULL, "wx1", "QUJD", NULL, "XML declaration with UTF-8" },
        { S("<?xml version='1.0' encoding='utf-8' standalone='yes' ?><xml><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          NULL, "wx1", "QUJD", NULL, "declaration: single quotes, lower-case utf-8, standalone" },
        { S("<?xml version=\"1.0\"?><xml><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          NULL, "wx1", "QUJD", NULL, "declaration without encoding" },
        { S("<?xml version=\"1.0\" encoding=\"utf8\"?><xml><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          NULL, "wx1", "QUJD", NULL, "utf8 without the dash (libxml2 reads it as UTF-8 too)" },
        { S("\xEF\xBB\xBF<xml><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          NULL, "wx1", "QUJD", NULL, "UTF-8 byte order mark" },
        { S("\r\n\t <xml >\r\n\t<AppId >wx1</AppId >\r\n\t<Encrypt\n>QUJD</Encrypt\t>\r\n</xml >\r\n\r\n"),
          NULL, "wx1", "QUJD", NULL, "blanks everywhere XML allows them, CRLF" },
        { S("<xml><ToUserName>gh_1</ToUserName><AppId>wx1</AppId><Encrypt>QUJD</Encrypt></xml>"),
          "gh_1", "wx1", "QUJD", NULL, "both ToUserName and AppId" },
        { S("<xml><ToUserName/><AppId>wx1</AppId><Encrypt>QUJD</Encrypt><AgentID /></xml>"),
          "", "wx1", "QUJD", "", "empty elements: present, empty" },
        { S("<xml><ToUserName></ToUserName><AppId><![CDATA[wx1]]></AppId><Encrypt>QUJD</Encrypt></xml>"),
          "", "wx1", "QUJD", NULL, "empty ToUserName beside an AppId" },
        { S("<xml><AppId>wx1</AppId><Encrypt> QUJD\tx\n</Encrypt></xml>"),
          NULL, "wx1", " QUJD\tx\n", NULL, "plain text kept as is (blanks inside a value are its own)" },
        { S("<xml><AppId>wx1</AppId><Encrypt><![CDATA[a]b]]c>]]></Encrypt></xml>"),
          NULL, "wx1", "a]b]]c>", NULL, "CDATA ends at the first ]]>" },
        { S("<xml><AppId>a>b</AppId><Encrypt>x]]y</Encrypt></xml>"),
          NULL, "a>b", "x]]y", NULL, "'>' and ']]' alone are text" },
    };
    size_t i;

    for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
        wx_envelope_t env;
        wx_envelope_status_t st = scan(ok[i].doc, ok[i].len, &env);
        WX_CHECK(st == WX_ENVELOPE_OK && value_is(env.to_user_name, ok[i].to) && value_is(env.app_id, ok[i].app)
                 && value_is(env.encrypt, ok[i].enc) && value_is(env.agent_id, ok[i].agent)
                 && env.steps <= ok[i].len,
                 "accepted: %s (%s)", ok[i].what, status_name(st));
    }
}

/* Anything the scanner accepts, libxml2 (through wx_xml) reads the same. */
static void test_agrees_with_libxml2(void)
{
    static const char *docs[] = {
        "<xml><ToUserName>gh_1</ToUserName><Encrypt>QUJD</Encrypt></xml>",
        "\xEF\xBB\xBF<?xml version='1.0' encoding='utf-8'?>\r\n<xml >\r\n<AppId >wx1</AppId >"
        "<Encrypt><![CDATA[a]b]]c>]]></Encrypt>\r\n</xml >\r\n",
        "<xml><AppId>a>b</AppId><Encrypt>x]]y &#x20;</Encrypt></xml>",   /* refused: & */
        "<xml><ToUserName/><AppId>wx1</AppId><Encrypt> QUJD\tx\n</Encrypt><AgentID /></xml>",
    };
    size_t i;
    int same = 1;

    for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
        wx_envelope_t env;
        wx_xml_node_t *root = NULL;
        const wx_xml_node_t *n;
        if (scan(docs[i], strlen(docs[i]), &env) != WX_ENVELOPE_OK) {
            continue;
        }
        if (wx_xml_parse(docs[i], strlen(docs[i]), NULL, &root, NULL) != WX_CRYPT_OK) {
            same = 0;
            continue;
        }
        n = wx_xml_child(root, "Encrypt");
        same &= n != NULL && n->text_len == env.encrypt.len && memcmp(n->text, env.encrypt.ptr, n->text_len) == 0;
        n = wx_xml_child(root, "AppId");
        same &= (n == NULL) == (env.app_id.ptr == NULL)
                && (n == NULL || (n->text_len == env.app_id.len && memcmp(n->text, env.app_id.ptr, n->text_len) == 0));
        wx_xml_free(root);
    }
    WX_CHECK(same, "what the scanner accepts, libxml2 reads with the same values");
}

/* ------------------------------------------------------------- refused */

static void test_refusals(void)
{
    static const struct {
        const char *doc;
        size_t len;
        wx_envelope_status_t want;
        const char *what;
    } bad[] = {
        { S(""), WX_ENVELOPE_ERR_EMPTY, "no bytes" },
        { S(" \r\n\t"), WX_ENVELOPE_ERR_EMPTY, "blanks only" },
        { S("\xFF\xFE<\0x\0m\0l\0>\0"), WX_ENVELOPE_ERR_ENCODING, "UTF-16LE byte order mark" },
        { S("\xFE\xFF\0<\0x\0m\0l\0>"), WX_ENVELOPE_ERR_ENCODING, "UTF-16BE byte order mark" },
        { S("<\0x\0m\0l\0>\0"), WX_ENVELOPE_ERR_ENCODING, "UTF-16LE without a mark" },
        { S("\0\0\0<\0\0\0x"), WX_ENVELOPE_ERR_ENCODING, "UTF-32BE without a mark" },
        { S("\x4C\x6F\xA7\x94\x93\x40"), WX_ENVELOPE_ERR_ENCODING, "EBCDIC" },
        { S("<?xml version=\"1.0\" encoding=\"EBCDIC\"?><xml/>"), WX_ENVELOPE_ERR_ENCODING, "declared EBCDIC" },
        { S("<?xml version=\"1.0\" encoding=\"UTF-16\"?><xml/>"), WX_ENVELOPE_ERR_ENCODING, "declared UTF-16" },
        { S("<?xml version=\"1.0\" encoding=\"Shift_JIS\"?><xml/>"), WX_ENVELOPE_ERR_ENCODING, "declared Shift_JIS" },
        { S("<?xml version=\"1.0\" encoding=\"UTF-16LE\"?><xml/>"), WX_ENVELOPE_ERR_ENCODING, "declared UTF-16LE" },
        { S("<?xml version=\"1.0\" standalone=\"no\" encoding=\"GB2312\"?><xml/>"), WX_ENVELOPE_ERR_ENCODING,
          "an encoding after standalone" },
        { S("<?xml version=\"2.0\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "version 2.0" },
        { S("<?xml version=\"1.1\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "version 1.1" },
        { S("<?xml encoding=\"UTF-8\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "no version" },
        { S("<?xml version=\"1.0\" foo=\"x\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "unknown pseudo-attribute" },
        { S("<?xml version=1.0?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "unquoted version" },
        { S("<?xml version=\"1.0\" standalone=\"maybe\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "standalone=maybe" },
        { S("<?xml version=\"1.0\" encoding=\"UTF 8\"?><xml/>"), WX_ENVELOPE_ERR_DECLARATION, "blank in a value" },
        { S("<!-- c --><xml><AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_MARKUP, "comment first" },
        { S("<!DOCTYPE xml [<!ENTITY e \"x\">]><xml/>"), WX_ENVELOPE_ERR_MARKUP, "DOCTYPE" },
        { S("<?xml version=\"1.0\"?><?pi x?><xml/>"), WX_ENVELOPE_ERR_MARKUP, "processing instruction" },
        { S(" <?xml version=\"1.0\"?><xml/>"), WX_ENVELOPE_ERR_MARKUP, "declaration after a blank" },
        { S("<xml><!-- c --><AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_MARKUP, "comment inside" },
        { S("<xml><AppId>a<!-- c --></AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_MARKUP, "comment in a value" },
        { S("<xml><AppId><?pi?></AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_MARKUP, "PI in a value" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt><!-- c --></xml>"), WX_ENVELOPE_ERR_MARKUP, "comment at the end" },
        { S("<root><AppId>a</AppId><Encrypt>e</Encrypt></root>"), WX_ENVELOPE_ERR_ROOT, "root <root>" },
        { S("<XML><AppId>a</AppId><Encrypt>e</Encrypt></XML>"), WX_ENVELOPE_ERR_ROOT, "root <XML>" },
        { S("<xmlx><AppId>a</AppId></xmlx>"), WX_ENVELOPE_ERR_ROOT, "root <xmlx>" },
        { S("<x:xml><AppId>a</AppId></x:xml>"), WX_ENVELOPE_ERR_ROOT, "prefixed root" },
        { S("<xml\xC3\xA9><AppId>a</AppId></xml\xC3\xA9>"), WX_ENVELOPE_ERR_ROOT, "root name with a non-ASCII letter" },
        { S("<xml a=\"1\"><AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_ATTRIBUTE, "attribute on <xml>" },
        { S("<xml xmlns=\"urn:x\"><AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_ATTRIBUTE, "xmlns" },
        { S("<xml><ToUserName a=''>gh</ToUserName><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_ATTRIBUTE,
          "attribute on a field" },
        { S("<xml><AppId>a</AppId><Encrypt \xC3\xA9=\"\">e</Encrypt></xml>"), WX_ENVELOPE_ERR_ATTRIBUTE,
          "attribute with a non-ASCII name" },
        { S("<xml><AppId>a</AppId><Encrypt/ ></xml>"), WX_ENVELOPE_ERR_TAG, "'/ >'" },
        { S("<xml><AppId>a</AppId><Encrypt=\"x\">e</Encrypt></xml>"), WX_ENVELOPE_ERR_TAG, "'=' after a name" },
        { S("<xml><FromUserName>o</FromUserName><AppId>a</AppId><Encrypt>e</Encrypt></xml>"),
          WX_ENVELOPE_ERR_UNKNOWN_ELEMENT, "FromUserName (compatibility mode)" },
        { S("<xml><AppId>a</AppId><encrypt>e</encrypt></xml>"), WX_ENVELOPE_ERR_UNKNOWN_ELEMENT, "lower-case encrypt" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt><MsgSignature>s</MsgSignature></xml>"),
          WX_ENVELOPE_ERR_UNKNOWN_ELEMENT, "a reply envelope's MsgSignature" },
        { S("<xml><AppId>a</AppId><EncryptX>e</EncryptX></xml>"), WX_ENVELOPE_ERR_UNKNOWN_ELEMENT, "EncryptX" },
        { S("<xml><AppId>a</AppId><Encrypt\xC3\xA9>e</Encrypt\xC3\xA9></xml>"), WX_ENVELOPE_ERR_UNKNOWN_ELEMENT,
          "Encrypt followed by a non-ASCII letter" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt><Encrypt>f</Encrypt></xml>"), WX_ENVELOPE_ERR_DUPLICATE,
          "two Encrypt" },
        { S("<xml><AppId>a</AppId><AppId/><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_DUPLICATE, "two AppId" },
        { S("<xml><AppId>a</AppId><Encrypt><x/></Encrypt></xml>"), WX_ENVELOPE_ERR_NESTED, "element in Encrypt" },
        { S("<xml><AppId>a</AppId><Encrypt>e<b>f</b></Encrypt></xml>"), WX_ENVELOPE_ERR_NESTED, "text then element" },
        { S("<xml><AppId>a</AppId><Encrypt><![CDATA[e]]><b/></Encrypt></xml>"), WX_ENVELOPE_ERR_NESTED,
          "CDATA then element" },
        { S("<xml><AppId>a</AppId><Encrypt><xml><Encrypt>e</Encrypt></xml></Encrypt></xml>"), WX_ENVELOPE_ERR_NESTED,
          "an envelope inside Encrypt" },
        { S("<xml><AppId>a&amp;b</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_ENTITY, "&amp;" },
        { S("<xml><AppId>a</AppId><Encrypt>&#65;</Encrypt></xml>"), WX_ENVELOPE_ERR_ENTITY, "character reference" },
        { S("<xml><AppId>a</AppId><Encrypt>&e;</Encrypt></xml>"), WX_ENVELOPE_ERR_ENTITY, "undeclared entity" },
        { S("<xml>&lt;<AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_ENTITY, "reference between fields" },
        { S("<xml><AppId>a\rb</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "CR in a value" },
        { S("<xml><AppId>a\x01</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "control byte" },
        { S("<xml><AppId>a\x7F</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "DEL byte" },
        { S("<xml><ToUserName>\xE4\xB8\xAD</ToUserName><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE,
          "UTF-8 in a value" },
        { S("<xml><AppId>a</AppId><Encrypt><![CDATA[\xFF]]></Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE,
          "a bad byte in CDATA" },
        { S("<xml><AppId>a</AppId><Encrypt>a\0b</Encrypt></xml>"), WX_ENVELOPE_ERR_ENCODING, "NUL in a value" },
        { S("<xml><AppId>a</AppId><Encrypt>x<![CDATA[e]]></Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "text then CDATA" },
        { S("<xml><AppId>a</AppId><Encrypt><![CDATA[e]]>x</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "CDATA then text" },
        { S("<xml><AppId>a</AppId><Encrypt>\n<![CDATA[e]]>\n</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE,
          "CDATA between newlines" },
        { S("<xml><AppId>a</AppId><Encrypt><![CDATA[e]]><![CDATA[f]]></Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE,
          "two CDATA sections" },
        { S("<xml><AppId>a</AppId><Encrypt>a]]>b</Encrypt></xml>"), WX_ENVELOPE_ERR_VALUE, "]]> in text" },
        { S("success"), WX_ENVELOPE_ERR_TEXT, "plain text body" },
        { S("{\"Encrypt\":\"e\"}"), WX_ENVELOPE_ERR_TEXT, "JSON body" },
        { S("<xml>junk<AppId>a</AppId><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_TEXT, "text between fields" },
        { S("\xEF\xBB\xBF\xEF\xBB\xBF<xml/>"), WX_ENVELOPE_ERR_TEXT, "two byte order marks" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypted></xml>"), WX_ENVELOPE_ERR_TAG, "mismatched end tag" },
        { S("<xml><AppId>a</AppId><Encrypt>e</AppId></xml>"), WX_ENVELOPE_ERR_TAG, "another field's end tag" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt x></xml>"), WX_ENVELOPE_ERR_TAG, "junk in an end tag" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt></xmlx>"), WX_ENVELOPE_ERR_TAG, "</xmlx>" },
        { S("<xml><AppId>a</AppId>< Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_TAG, "'< Encrypt>'" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt></xml><xml/>"), WX_ENVELOPE_ERR_TRAILING, "a second root" },
        { S("<xml><AppId>a</AppId><Encrypt>e</Encrypt></xml>x"), WX_ENVELOPE_ERR_TRAILING, "text after the root" },
        { S("<xml><AppId>a</AppId></xml>"), WX_ENVELOPE_ERR_NO_ENCRYPT, "no Encrypt" },
        { S("<xml><AppId>a</AppId><Encrypt></Encrypt></xml>"), WX_ENVELOPE_ERR_NO_ENCRYPT, "empty Encrypt" },
        { S("<xml><AppId>a</AppId><Encrypt><![CDATA[]]></Encrypt></xml>"), WX_ENVELOPE_ERR_NO_ENCRYPT,
          "empty CDATA Encrypt" },
        { S("<xml/>"), WX_ENVELOPE_ERR_NO_ENCRYPT, "empty root" },
        { S("<xml><Encrypt>e</Encrypt></xml>"), WX_ENVELOPE_ERR_NO_RECIPIENT, "Encrypt alone" },
        { S("<xml><Encrypt>e</Encrypt><AgentID>1</AgentID><AppId/></xml>"), WX_ENVELOPE_ERR_NO_RECIPIENT,
          "empty AppId, AgentID only" },
    };
    size_t i;
    char big_msg[64];

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        wx_envelope_t env;
        wx_envelope_status_t st = scan(bad[i].doc, bad[i].len, &env);
        WX_CHECK(st == bad[i].want && value_is(env.encrypt, NULL) && value_is(env.app_id, NULL)
                 && value_is(env.to_user_name, NULL) && env.error_offset <= bad[i].len,
                 "refused: %s: %s (got %s at byte %zu)", bad[i].what, status_name(bad[i].want),
                 status_name(st), env.error_offset);
    }

    {   /* size: WX_ENVELOPE_MAX_BYTES + 1 of an otherwise valid envelope */
        size_t n = WX_ENVELOPE_MAX_BYTES + 1, o;
        char *big = malloc(n);
        wx_envelope_t env;
        o = (size_t)sprintf(big, "<xml><AppId>a</AppId><Encrypt>");
        memset(big + o, 'A', n - o);
        memcpy(big + n - 16, "</Encrypt></xml>", 16);
        WX_CHECK(scan(big, n, &env) == WX_ENVELOPE_ERR_TOO_LARGE && env.steps == 0,
                 "refused before reading: %zu bytes (limit %zu)", n, (size_t)WX_ENVELOPE_MAX_BYTES);
        WX_CHECK(scan(big, n - 1, &env) == WX_ENVELOPE_ERR_TRUNCATED && env.steps > 0, "  one byte less is scanned (and truncated)");
        memcpy(big + n - 17, "</Encrypt></xml>", 16);
        WX_CHECK(scan(big, n - 1, &env) == WX_ENVELOPE_OK && env.encrypt.len == n - 1 - o - 16,
                 "  and a 1 MiB envelope is accepted");
        free(big);
    }
    {   /* NULL with length 0 */
        wx_envelope_t env;
        WX_CHECK(wx_envelope_scan(NULL, 0, &env) == WX_ENVELOPE_ERR_EMPTY, "NULL, 0: empty");
    }
    snprintf(big_msg, sizeof(big_msg), "%s", wx_envelope_strerror((wx_envelope_status_t)99));
    WX_CHECK(strcmp(big_msg, "unknown envelope error") == 0 && strcmp(wx_envelope_strerror(WX_ENVELOPE_OK), "ok") == 0,
             "strerror never returns NULL");
    {
        int all = 1;
        wx_envelope_status_t st;
        for (st = WX_ENVELOPE_ERR_EMPTY; st <= WX_ENVELOPE_ERR_NO_RECIPIENT; st++) {
            const char *m = wx_envelope_strerror(st);
            all &= m != NULL && strncmp(m, "the envelope", 12) == 0;
        }
        WX_CHECK(all, "every status has its own sentence");
    }
}

/* Every proper prefix of a valid envelope is refused, as truncated. */
static void test_truncation(void)
{
    char body[2048];
    const char *docs[2];
    size_t d;

    snprintf(body, sizeof(body),
             "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
             "<xml>\n<ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName>\n<AppId>wx1</AppId>"
             "<AgentID/><Encrypt><![CDATA[%.60s]]></Encrypt>\n</xml>", tc_encrypt);
    docs[0] = body;
    docs[1] = "<xml ><AppId >wx1</AppId ><Encrypt >QUJD</Encrypt ></xml >";
    for (d = 0; d < 2; d++) {
        size_t len = strlen(docs[d]), n;
        int all = 1;
        wx_envelope_t env;
        for (n = 1; n < len; n++) {
            wx_envelope_status_t st = scan(docs[d], n, &env);
            if (st != WX_ENVELOPE_ERR_TRUNCATED) {
                printf("# prefix of %zu bytes: %s\n", n, wx_envelope_strerror(st));
                all = 0;
            }
        }
        WX_CHECK(all && scan(docs[d], len, &env) == WX_ENVELOPE_OK,
                 "all %zu proper prefixes of envelope %zu are refused as truncated", len - 1, d + 1);
    }
}

/* ------------------------------------------------------------- linear */

/* Cost by counting: each scanner step consumes at least one byte, so
 * steps <= len for every input; and the hostile shapes are refused after a
 * number of steps that does not grow with the input. */
static void test_linear(void)
{
    size_t sizes[2] = { 175000, 1750000 }, k;
    size_t steps_attr[2] = { 0, 0 }, steps_root[2] = { 0, 0 };
    int ok = 1;

    for (k = 0; k < 2; k++) {
        /* the document: 200k (here 20k and 200k) attributes on <ToUserName> */
        size_t i = 0, o;
        char *doc = malloc(sizes[k] + 200);
        wx_envelope_t env;
        wx_envelope_status_t st;

        o = (size_t)sprintf(doc, "<xml><ToUserName");
        while (o < sizes[k]) {
            o += (size_t)sprintf(doc + o, " a%zu=\"\"", i++);
        }
        o += (size_t)sprintf(doc + o, "><![CDATA[gh]]></ToUserName><Encrypt>QUJD</Encrypt></xml>");
        if (o > WX_ENVELOPE_MAX_BYTES) {
            /* the larger one is over the size bound: refused before any step */
            st = scan(doc, o, &env);
            ok &= st == WX_ENVELOPE_ERR_TOO_LARGE && env.steps == 0;
            o = WX_ENVELOPE_MAX_BYTES;
        }
        st = scan(doc, o, &env);
        steps_attr[k] = env.steps;
        ok &= st == WX_ENVELOPE_ERR_ATTRIBUTE && env.error_offset == 17;

        /* the same on the root */
        memcpy(doc, "<xml          ", 14);
        memcpy(doc + 14, "   ", 3);
        st = scan(doc, o, &env);
        steps_root[k] = env.steps;
        ok &= st == WX_ENVELOPE_ERR_ATTRIBUTE;
        free(doc);
    }
    WX_CHECK(ok && steps_attr[0] == steps_attr[1] && steps_attr[0] < 32 && steps_root[0] == steps_root[1],
             "20k and 200k attributes (175 kB, 1.75 MB): refused at the first, after %zu and %zu steps",
             steps_attr[0], steps_attr[1]);

    {   /* long inputs that are read to the end: steps <= len, and grow linearly */
        const size_t n = 1000000;
        char *doc = malloc(n + 64);
        struct { const char *head, *tail; char fill; const char *what; wx_envelope_status_t want; } shapes[] = {
            { "<xml><AppId>a</AppId><Encrypt><![CDATA[", "]]></Encrypt></xml>", ']', "CDATA full of ]", WX_ENVELOPE_OK },
            { "<xml><AppId>a</AppId><Encrypt>", "</Encrypt></xml>", ']', "text full of ]", WX_ENVELOPE_OK },
            { "<xml><AppId>a</AppId><Encrypt>", "</Encrypt></xml>", '>', "text full of >", WX_ENVELOPE_OK },
            { "<xml><AppId>a</AppId><Encrypt>", "</Encrypt></xml>", 'A', "1 MB of base64", WX_ENVELOPE_OK },
            { "<xml>", "<AppId>a</AppId><Encrypt>e</Encrypt></xml>", '\n', "1 MB of blanks", WX_ENVELOPE_OK },
            { "<xml><AppId>a</AppId><Encrypt>e</Encrypt></xml>", "", ' ', "1 MB of trailing blanks", WX_ENVELOPE_OK },
            { "<xml><AppId>a</AppId><Encrypt>", "", ']', "unterminated text of ]", WX_ENVELOPE_ERR_TRUNCATED },
            { "<xml><AppId>a</AppId><Encrypt><![CDATA[", "", ']', "unterminated CDATA of ]", WX_ENVELOPE_ERR_TRUNCATED },
            { "<xml><Encrypt", "", ' ', "a tag of blanks", WX_ENVELOPE_ERR_TRUNCATED },
            { "<?xml version=\"1.0\"", "", ' ', "a declaration of blanks", WX_ENVELOPE_ERR_TRUNCATED },
        };
        size_t i;
        int lin = 1;
        for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
            size_t steps[2], lens[2];
            wx_envelope_status_t st[2];
            int r;
            for (r = 0; r < 2; r++) {
                size_t m = r ? n : n / 10;
                size_t h = strlen(shapes[i].head), t = strlen(shapes[i].tail);
                wx_envelope_t env;
                memcpy(doc, shapes[i].head, h);
                memset(doc + h, shapes[i].fill, m - h - t);
                memcpy(doc + m - t, shapes[i].tail, t);
                st[r] = scan(doc, m, &env);
                steps[r] = env.steps;
                lens[r] = m;
            }
            if (st[0] != shapes[i].want || st[1] != shapes[i].want || steps[0] > lens[0] || steps[1] > lens[1]
                    || steps[1] > 11 * steps[0]) {
                printf("# %s: %s/%s, %zu steps for %zu bytes, %zu for %zu\n", shapes[i].what,
                       wx_envelope_strerror(st[0]), wx_envelope_strerror(st[1]), steps[0], lens[0], steps[1], lens[1]);
                lin = 0;
            }
        }
        WX_CHECK(lin, "10 hostile shapes of 100 kB and 1 MB: steps <= bytes, x10 input = at most x11 steps");
        free(doc);
    }
}

int main(void)
{
    test_vectors();
    test_variants();
    test_agrees_with_libxml2();
    test_refusals();
    test_truncation();
    test_linear();
    return wx_test_done();
}
