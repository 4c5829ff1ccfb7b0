/*
 * WxRedis\MessageCrypt: thin Zend glue over ext/core/wx_crypt (the
 * WXBizMsgCrypt scheme) and ext/core/wx_xml (hardened parsing).
 *
 * Everything that can be decided without the engine lives in the core and
 * is tested and fuzzed there; this file only converts arguments, maps
 * wx_error_t to WxRedis\CryptException and builds PHP arrays.
 */
#ifdef HAVE_CONFIG_H
# include "config.h"
#endif

#include <time.h>

#include "php.h"
#include "php/compat.h"   /* first: refuses PHP < 8.2 before the includes below fail */
#include "zend_exceptions.h"
#if PHP_VERSION_ID >= 80400
# include "ext/random/php_random_csprng.h"  /* 8.4: the CSPRNG API's own header */
#else
# include "ext/random/php_random.h"
#endif

#include "php_wxredis.h"
#include "php/exceptions.h"
#include "core/wx_crypt.h"
#include "core/wx_envelope.h"
#include "core/wx_xml.h"
#include "message_crypt.h"
#include "message_crypt_arginfo.h"

zend_class_entry *wx_ce_MessageCrypt;
static zend_object_handlers wx_mc_handlers;

typedef struct {
    wx_crypt_t *crypt;       /* NULL until the constructor ran */
    int         reply_key;   /* WX_CRYPT_KEY_*: the key that last decrypted;
                                encrypt() answers with it (key rotation) */
    zend_object std;
} wx_mc_t;

static inline wx_mc_t *wx_mc_from_obj(zend_object *obj)
{
    return (wx_mc_t *) ((char *) obj - offsetof(wx_mc_t, std));
}

#define WX_ZSTR(zs) WX_STR(ZSTR_VAL(zs), ZSTR_LEN(zs))

/* encrypt()'s own nonce: ten decimal digits, like the nonces WeChat sends
 * (WX_MC_NONCE_MIN .. WX_MC_NONCE_MIN + WX_MC_NONCE_SPAN - 1). */
#define WX_MC_NONCE_MIN  1000000000ULL
#define WX_MC_NONCE_SPAN 9000000000ULL

/* One reusable XML parser per thread, in the module globals: a libxml2
 * parser context must not be shared between threads, and keeping one alive
 * between documents saves about a third of the cost of parsing WeChat's
 * small documents. GSHUTDOWN frees it (per thread under ZTS). */
wx_crypt_status_t wx_message_crypt_parse(const char *buf, size_t len, wx_xml_node_t **root,
                                         wx_error_t *err)
{
    wx_xml_parser_t *p = WXREDIS_G(xml_parser);

    if (p == NULL) {
        p = WXREDIS_G(xml_parser) = wx_xml_parser_new();
        if (p == NULL) {
            return wx_xml_parse(buf, len, NULL, root, err);  /* out of memory: no reuse */
        }
    }
    return wx_xml_parse_with(p, buf, len, NULL, root, err);
}

/* ---------------------------------------------------------------- objects */

static zend_object *wx_mc_create(zend_class_entry *ce)
{
    wx_mc_t *mc = zend_object_alloc(sizeof(wx_mc_t), ce);
    zend_object_std_init(&mc->std, ce);
    object_properties_init(&mc->std, ce);
    mc->std.handlers = &wx_mc_handlers;
    return &mc->std;
}

static void wx_mc_free(zend_object *obj)
{
    wx_mc_t *mc = wx_mc_from_obj(obj);
    wx_crypt_free(mc->crypt);   /* wipes the keys and the token */
    mc->crypt = NULL;
    zend_object_std_dtor(obj);
}

static wx_mc_t *wx_mc_this(zval *zthis)
{
    wx_mc_t *mc = wx_mc_from_obj(Z_OBJ_P(zthis));
    if (mc->crypt == NULL) {
        zend_throw_error(NULL, "%s object is not initialized: its constructor was not called",
                         ZSTR_VAL(Z_OBJCE_P(zthis)->name));
        return NULL;
    }
    return mc;
}

static ZEND_COLD void wx_mc_throw(const wx_error_t *err)
{
    wx_throw(wx_ce_CryptException, err->code, "%s", err->msg);
}

/* A buffer the core made (plaintext or reply XML) as the return value. */
static void wx_mc_return_buf(zval *return_value, char *out, size_t out_len)
{
    RETVAL_STRINGL(out, out_len);
    wx_crypt_buf_free(out);
}

/* ---------------------------------------------------------------- XML -> array */

static void wx_mc_children(const wx_xml_node_t *parent, HashTable *ht);

static void wx_mc_value(const wx_xml_node_t *n, zval *zv)
{
    if (n->nchildren > 0) {
        array_init_size(zv, (uint32_t) n->nchildren);
        wx_mc_children(n, Z_ARRVAL_P(zv));
    } else {
        ZVAL_STRINGL_FAST(zv, n->text, n->text_len);
    }
}

/* Element name => text or nested array; a repeated name becomes a list of
 * its values in document order (<Articles><item/><item/></Articles>). The
 * recursion is bounded by wx_xml's depth limit. */
static void wx_mc_children(const wx_xml_node_t *parent, HashTable *ht)
{
    const wx_xml_node_t *c;
    HashTable *lists = NULL;    /* names already turned into lists */

    for (c = parent->children; c != NULL; c = c->next) {
        zval v, *slot;

        wx_mc_value(c, &v);
        slot = zend_symtable_str_find(ht, c->name, c->name_len);
        if (slot == NULL) {
            zend_symtable_str_update(ht, c->name, c->name_len, &v);
            continue;
        }
        if (lists == NULL || !zend_hash_str_exists(lists, c->name, c->name_len)) {
            zval list;
            array_init_size(&list, 4);
            /* move the first value into the list, then the list into its slot */
            zend_hash_next_index_insert_new(Z_ARRVAL(list), slot);
            ZVAL_COPY_VALUE(slot, &list);
            if (lists == NULL) {
                ALLOC_HASHTABLE(lists);
                zend_hash_init(lists, 8, NULL, NULL, 0);
            }
            zend_hash_str_add_empty_element(lists, c->name, c->name_len);
        }
        zend_hash_next_index_insert_new(Z_ARRVAL_P(slot), &v);
    }
    if (lists != NULL) {
        zend_hash_destroy(lists);
        FREE_HASHTABLE(lists);
    }
}

/* ---------------------------------------------------------------- methods */

ZEND_METHOD(WxRedis_MessageCrypt, __construct)
{
    zend_string *token, *key, *appid, *prev = NULL;
    wx_crypt_t *crypt = NULL;
    wx_error_t err;
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_START(3, 4)
        Z_PARAM_STR(token)
        Z_PARAM_STR(key)
        Z_PARAM_STR(appid)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(prev)
    ZEND_PARSE_PARAMETERS_END();

    /* an empty previous key means none: configuration often passes "" */
    if (wx_crypt_new(WX_ZSTR(token), WX_ZSTR(key), WX_ZSTR(appid),
                     prev != NULL ? WX_ZSTR(prev) : WX_STR(NULL, 0), &crypt, &err) != WX_CRYPT_OK) {
        wx_mc_throw(&err);
        RETURN_THROWS();
    }
    mc = wx_mc_from_obj(Z_OBJ_P(ZEND_THIS));
    wx_crypt_free(mc->crypt);   /* __construct called twice: replace */
    mc->crypt = crypt;
    mc->reply_key = WX_CRYPT_KEY_CURRENT;
}

/* A query parameter as a string: strings as they are, integers converted
 * (tests and frameworks pass them), anything else is refused. */
static zend_string *wx_mc_query_param(HashTable *query, const char *name, size_t name_len,
                                      wx_error_t *err)
{
    zval *zv = zend_hash_str_find_deref(query, name, name_len);

    if (zv == NULL || Z_TYPE_P(zv) == IS_NULL) {
        wx_error_set(err, WX_CRYPT_ERR_VALIDATE_SIGNATURE,
                     "the query string has no %s parameter (is this an encrypted push?)", name);
        return NULL;
    }
    if (Z_TYPE_P(zv) == IS_STRING) {
        return zend_string_copy(Z_STR_P(zv));
    }
    if (Z_TYPE_P(zv) == IS_LONG) {
        return zend_long_to_str(Z_LVAL_P(zv));
    }
    wx_error_set(err, WX_CRYPT_ERR_VALIDATE_SIGNATURE,
                 "query parameter %s must be a string, %s given", name, zend_zval_type_name(zv));
    return NULL;
}

wx_crypt_status_t wx_message_crypt_open_push(wx_crypt_t *crypt, HashTable *query, zend_string *body,
                                             char **out, size_t *out_len, int *key_used, wx_error_t *err)
{
    zend_string *sig = NULL, *ts = NULL, *nonce = NULL;
    wx_envelope_t env;
    wx_envelope_status_t es;
    wx_crypt_status_t st;

    if ((sig = wx_mc_query_param(query, ZEND_STRL("msg_signature"), err)) == NULL
            || (ts = wx_mc_query_param(query, ZEND_STRL("timestamp"), err)) == NULL
            || (nonce = wx_mc_query_param(query, ZEND_STRL("nonce"), err)) == NULL) {
        st = (wx_crypt_status_t) err->code;
        goto out;
    }
    /* The envelope is not signed and the URL is public: read it with the
     * strict linear scanner, never with libxml2, so that nothing costs
     * more than one pass before the signature is checked. Only Encrypt is
     * used; the scan requires ToUserName (account messages) or AppId
     * (system pushes) beside it. */
    es = wx_envelope_scan(ZSTR_VAL(body), ZSTR_LEN(body), &env);
    if (es != WX_ENVELOPE_OK) {
        st = wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "callback body: %s (at byte %zu)",
                          wx_envelope_strerror(es), env.error_offset);
        goto out;
    }
    st = wx_crypt_decrypt_verified(crypt, WX_ZSTR(sig), WX_ZSTR(ts), WX_ZSTR(nonce),
                                   WX_STR(env.encrypt.ptr, env.encrypt.len), out, out_len, key_used, err);
out:
    if (sig) zend_string_release(sig);
    if (ts) zend_string_release(ts);
    if (nonce) zend_string_release(nonce);
    return st;
}

/* What a decryption gives back, and what decrypt() and decryptMessage() do
 * with it: throw, or remember which key worked (encrypt() answers with it)
 * and return the plaintext. */
typedef struct {
    char      *out;
    size_t     out_len;
    int        used;      /* WX_CRYPT_KEY_* */
    wx_error_t err;
} wx_mc_plain_t;

static void wx_mc_plain_init(wx_mc_plain_t *p)
{
    p->out = NULL;
    p->out_len = 0;
    p->used = WX_CRYPT_KEY_CURRENT;
}

static void wx_mc_plain_return(wx_mc_t *mc, wx_crypt_status_t st, wx_mc_plain_t *p, zval *return_value)
{
    if (st != WX_CRYPT_OK) {
        wx_mc_throw(&p->err);
        return;
    }
    mc->reply_key = p->used;
    wx_mc_return_buf(return_value, p->out, p->out_len);
}

ZEND_METHOD(WxRedis_MessageCrypt, decryptMessage)
{
    HashTable *query;
    zend_string *body;
    wx_mc_plain_t p;
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_START(2, 2)
        Z_PARAM_ARRAY_HT(query)
        Z_PARAM_STR(body)
    ZEND_PARSE_PARAMETERS_END();

    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    wx_mc_plain_init(&p);
    wx_mc_plain_return(mc, wx_message_crypt_open_push(mc->crypt, query, body, &p.out, &p.out_len,
                                                      &p.used, &p.err), &p, return_value);
}

ZEND_METHOD(WxRedis_MessageCrypt, decrypt)
{
    zend_string *encrypt, *sig, *ts, *nonce;
    wx_mc_plain_t p;
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_START(4, 4)
        Z_PARAM_STR(encrypt)
        Z_PARAM_STR(sig)
        Z_PARAM_STR(ts)
        Z_PARAM_STR(nonce)
    ZEND_PARSE_PARAMETERS_END();

    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    wx_mc_plain_init(&p);
    wx_mc_plain_return(mc, wx_crypt_decrypt_verified(mc->crypt, WX_ZSTR(sig), WX_ZSTR(ts), WX_ZSTR(nonce),
                                                     WX_ZSTR(encrypt), &p.out, &p.out_len, &p.used, &p.err),
                       &p, return_value);
}

ZEND_METHOD(WxRedis_MessageCrypt, encrypt)
{
    zend_string *xml, *ts = NULL, *nonce = NULL, *random = NULL;
    char ts_buf[MAX_LENGTH_OF_LONG + 1], nonce_buf[MAX_LENGTH_OF_LONG + 1];
    wx_str_t ts_s, nonce_s;
    wx_error_t err;
    wx_mc_t *mc;
    char *out = NULL;
    size_t out_len = 0;

    ZEND_PARSE_PARAMETERS_START(1, 4)
        Z_PARAM_STR(xml)
        Z_PARAM_OPTIONAL
        Z_PARAM_STR_OR_NULL(ts)
        Z_PARAM_STR_OR_NULL(nonce)
        Z_PARAM_STR_OR_NULL(random)
    ZEND_PARSE_PARAMETERS_END();

    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    if (random != NULL && ZSTR_LEN(random) != WX_CRYPT_RANDOM_LEN) {
        zend_argument_value_error(4, "must be exactly %d bytes, %zu given", WX_CRYPT_RANDOM_LEN, ZSTR_LEN(random));
        RETURN_THROWS();
    }
    if (ts != NULL) {
        ts_s = WX_ZSTR(ts);
    } else {
        ts_s = WX_STR(ts_buf, (size_t) snprintf(ts_buf, sizeof(ts_buf), "%lld",
                                                (long long) time(NULL)));
    }
    if (nonce != NULL) {
        nonce_s = WX_ZSTR(nonce);
    } else {
        uint64_t r;
        if (php_random_bytes_throw(&r, sizeof(r)) == FAILURE) {
            RETURN_THROWS();
        }
        nonce_s = WX_STR(nonce_buf, (size_t) snprintf(nonce_buf, sizeof(nonce_buf), "%llu",
                         (unsigned long long) (WX_MC_NONCE_MIN + r % WX_MC_NONCE_SPAN)));
    }
    if (wx_crypt_encrypt_reply(mc->crypt, WX_ZSTR(xml), ts_s, nonce_s,
                               random != NULL ? (const unsigned char *) ZSTR_VAL(random) : NULL,
                               mc->reply_key, &out, &out_len, &err) != WX_CRYPT_OK) {
        wx_mc_throw(&err);
        RETURN_THROWS();
    }
    wx_mc_return_buf(return_value, out, out_len);
}

ZEND_METHOD(WxRedis_MessageCrypt, signature)
{
    zend_string *ts, *nonce, *encrypt;
    char sig[WX_CRYPT_SIG_HEX_LEN + 1];
    wx_error_t err;
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(ts)
        Z_PARAM_STR(nonce)
        Z_PARAM_STR(encrypt)
    ZEND_PARSE_PARAMETERS_END();

    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    if (wx_crypt_signature(mc->crypt, WX_ZSTR(ts), WX_ZSTR(nonce), WX_ZSTR(encrypt), sig, &err)
            != WX_CRYPT_OK) {
        wx_mc_throw(&err);
        RETURN_THROWS();
    }
    RETURN_STRINGL(sig, WX_CRYPT_SIG_HEX_LEN);
}

ZEND_METHOD(WxRedis_MessageCrypt, verifyUrl)
{
    zend_string *sig, *ts, *nonce;
    wx_crypt_status_t st;
    wx_error_t err;
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_START(3, 3)
        Z_PARAM_STR(sig)
        Z_PARAM_STR(ts)
        Z_PARAM_STR(nonce)
    ZEND_PARSE_PARAMETERS_END();

    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    st = wx_crypt_verify_url(mc->crypt, WX_ZSTR(sig), WX_ZSTR(ts), WX_ZSTR(nonce), &err);
    if (st != WX_CRYPT_OK && st != WX_CRYPT_ERR_VALIDATE_SIGNATURE) {
        wx_mc_throw(&err);      /* could not compute: not a "no" */
        RETURN_THROWS();
    }
    RETURN_BOOL(st == WX_CRYPT_OK);
}

ZEND_METHOD(WxRedis_MessageCrypt, usedPreviousKey)
{
    wx_mc_t *mc;

    ZEND_PARSE_PARAMETERS_NONE();
    if ((mc = wx_mc_this(ZEND_THIS)) == NULL) {
        RETURN_THROWS();
    }
    RETURN_BOOL(mc->reply_key == WX_CRYPT_KEY_PREVIOUS);
}

ZEND_METHOD(WxRedis_MessageCrypt, parseXml)
{
    zend_string *xml;
    wx_xml_node_t *root = NULL;
    wx_error_t err;

    ZEND_PARSE_PARAMETERS_START(1, 1)
        Z_PARAM_STR(xml)
    ZEND_PARSE_PARAMETERS_END();

    if (wx_message_crypt_parse(ZSTR_VAL(xml), ZSTR_LEN(xml), &root, &err) != WX_CRYPT_OK) {
        wx_mc_throw(&err);
        RETURN_THROWS();
    }
    wx_message_crypt_to_array(root, return_value);
    wx_xml_free(root);
}

void wx_message_crypt_to_array(const wx_xml_node_t *root, zval *out)
{
    array_init_size(out, (uint32_t) root->nchildren);
    wx_mc_children(root, Z_ARRVAL_P(out));
}

/* ---------------------------------------------------------------- registration */

void wx_message_crypt_register(void)
{
    wx_xml_global_init();

    wx_ce_MessageCrypt = register_class_WxRedis_MessageCrypt();
    wx_ce_MessageCrypt->create_object = wx_mc_create;

    memcpy(&wx_mc_handlers, zend_get_std_object_handlers(), sizeof(zend_object_handlers));
    wx_mc_handlers.offset = offsetof(wx_mc_t, std);
    wx_mc_handlers.free_obj = wx_mc_free;
    /* the keys live in exactly one object: no clones; and two instances
     * must not compare equal just because neither has properties */
    wx_mc_handlers.clone_obj = NULL;
    wx_mc_handlers.compare = zend_objects_not_comparable;
}
