/*
 * handleCallback()'s work: verify and decrypt a push to the
 * authorization-event URL (MessageCrypt's code), act on its InfoType
 * (core/wx_wechat.h), then hand the message to the application's handler.
 */
#include "platform.h"
#include "log.h"
#include "php/crypt/message_crypt.h"

#include <time.h>
#include <sys/time.h>

/* Verify and decrypt a push; the plaintext XML or NULL with CryptException. */
static zend_string *wx_op_decrypt_push(wx_op_t *op, wx_cache_obj_t *c, HashTable *query, zend_string *body)
{
    wx_error_t err;
    zend_string *plain;
    char *out = NULL;
    size_t out_len = 0;

    if (wx_op_crypt(op) == FAILURE) {
        return NULL;
    }
    if (wx_message_crypt_open_push(op->crypt, query, body, &out, &out_len, NULL, &err) != WX_CRYPT_OK) {
        wx_throw(wx_ce_CryptException, err.code, "%s", err.msg);
        if (wx_op_log_on(op, c)) {
            zval ctx;
            array_init(&ctx);
            add_assoc_long(&ctx, "code", err.code);
            add_assoc_string(&ctx, "reason", err.msg);
            wx_op_log(op, c, WX_EV_PUSH_REJECTED, &ctx);
        }
        return NULL;
    }
    plain = zend_string_init(out, out_len, 0);
    wx_crypt_buf_free(out);
    return plain;
}

/* The text of a child element, or NULL (with CryptException when
 * required) when it is missing or empty. */
static zend_string *wx_op_child_text(const wx_xml_node_t *root, const char *name, const char *required_by)
{
    const wx_xml_node_t *n = wx_xml_child(root, name);
    if (n && n->text_len > 0) {
        return zend_string_init(n->text, n->text_len, 0);
    }
    if (required_by) {
        wx_throw(wx_ce_CryptException, WX_CRYPT_ERR_PARSE_XML, "%s push without <%s>", required_by, name);
    }
    return NULL;
}

static zend_result wx_op_on_ticket(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg, const char *type)
{
    zend_string *ticket = wx_op_child_text(msg, "ComponentVerifyTicket", type);
    const wx_xml_node_t *created = wx_xml_child(msg, "CreateTime");
    bool stored;
    int dated;
    zend_long secs, px, created_at = 0;
    zend_result rc;

    if (!ticket) {
        return FAILURE;
    }
    /* the lifetime runs from CreateTime; without a usable one the ticket
     * only bridges the gap to the next push, and never beats a dated one */
    struct timeval now;

    gettimeofday(&now, NULL);
    secs = (zend_long) wx_wechat_push_ticket_ttl(created ? created->text : NULL, created ? created->text_len : 0,
                                                 (long) now.tv_sec, &dated);
    /* a dated ticket expires at CreateTime + its lifetime to the
     * millisecond, whenever it is handled: equal CreateTimes compare equal */
    px = secs * 1000 - (dated && secs > 0 ? (zend_long) (now.tv_usec / 1000) : 0);
    if (dated) {
        /* a plain decimal number (wx_wechat_push_ticket_ttl checked it) */
        char digits[24];
        size_t n = MIN(created->text_len, sizeof(digits) - 1);
        memcpy(digits, created->text, n);
        digits[n] = '\0';
        created_at = ZEND_STRTOL(digits, NULL, 10);
    }
    rc = wx_op_store_ticket(op, c, ticket, px, created_at, "push", &stored);
    zend_string_release(ticket);
    return rc;
}

static zend_result wx_op_on_authorized(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg, const char *type)
{
    zend_string *code = wx_op_child_text(msg, "AuthorizationCode", type);
    zend_result rc;
    zval info;

    if (!code) {
        return FAILURE;
    }
    rc = wx_op_query_auth(op, c, code, &info);
    zend_string_release(code);
    zval_ptr_dtor(&info);
    return rc;
}

static zend_result wx_op_on_unauthorized(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg, const char *type)
{
    zend_string *appid = wx_op_child_text(msg, "AuthorizerAppid", type);
    zend_result rc;

    if (!appid) {
        return FAILURE;
    }
    rc = wx_op_check_appid(ZSTR_VAL(appid), ZSTR_LEN(appid), "AuthorizerAppid of the unauthorized push");
    if (rc == SUCCESS) {
        rc = wx_op_forget_authorizer(op, c, appid);
    }
    zend_string_release(appid);
    return rc;
}

/* A push for another AppId (or none): ticket.refused for a ticket, else
 * push.rejected. */
static void wx_op_log_foreign(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg, wx_wechat_push_t kind,
                              const wx_xml_node_t *appid)
{
    const wx_xml_node_t *t;
    zval ctx;

    if (!wx_op_log_on(op, c)) {
        return;
    }
    array_init(&ctx);
    if (kind == WX_WECHAT_PUSH_TICKET) {
        if ((t = wx_xml_child(msg, "ComponentVerifyTicket")) != NULL) {
            wx_log_add_fp(&ctx, "ticket", t->text, t->text_len);
        } else {
            add_assoc_null(&ctx, "ticket");
        }
        add_assoc_string(&ctx, "why", appid ? "foreign_app_id" : "no_app_id");
        add_assoc_null(&ctx, "age");
        add_assoc_null(&ctx, "create_time");
        wx_op_log(op, c, WX_EV_TICKET_REFUSED, &ctx);
        return;
    }
    add_assoc_long(&ctx, "code", WX_CRYPT_ERR_VALIDATE_APPID);
    add_assoc_string(&ctx, "reason", appid ? "the push is for another AppId" : "the push has no AppId");
    wx_op_log(op, c, WX_EV_PUSH_REJECTED, &ctx);
}

/* Act on a decrypted push by its InfoType; other pushes are accepted. */
static zend_result wx_op_dispatch(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg)
{
    const wx_xml_node_t *type = wx_xml_child(msg, "InfoType");
    const wx_xml_node_t *appid = wx_xml_child(msg, "AppId");
    wx_wechat_push_t kind = type ? wx_wechat_push_type(type->text, type->text_len) : WX_WECHAT_PUSH_OTHER;

    /* the signature and the envelope's receiver id say the push was
     * encrypted for our key; the payload must also be for our platform */
    if (appid ? !(appid->text_len == ZSTR_LEN(op->app_id) && memcmp(appid->text, ZSTR_VAL(op->app_id), appid->text_len) == 0)
              : kind != WX_WECHAT_PUSH_OTHER) {
        wx_op_log_foreign(op, c, msg, kind, appid);
        if (appid) {
            wx_throw(wx_ce_CryptException, WX_CRYPT_ERR_VALIDATE_APPID,
                     "push for AppId \"%.*s\", not this platform's component app id \"%s\": nothing was stored",
                     (int) MIN(appid->text_len, 64), appid->text, ZSTR_VAL(op->app_id));
        } else {
            wx_throw(wx_ce_CryptException, WX_CRYPT_ERR_VALIDATE_APPID,
                     "%.*s push without <AppId> (this platform's component app id is \"%s\"): nothing was stored",
                     (int) MIN(type->text_len, 64), type->text, ZSTR_VAL(op->app_id));
        }
        return FAILURE;
    }
    switch (kind) {
    case WX_WECHAT_PUSH_TICKET:
        return wx_op_on_ticket(op, c, msg, type->text);
    case WX_WECHAT_PUSH_AUTHORIZED:
        return wx_op_on_authorized(op, c, msg, type->text);
    case WX_WECHAT_PUSH_UNAUTHORIZED:
        return wx_op_on_unauthorized(op, c, msg, type->text);
    default:
        return SUCCESS;
    }
}

/* The handler gets what MessageCrypt::parseXml() would return. */
static zend_result wx_op_call_handler(const wx_xml_node_t *msg, zend_fcall_info *fci, zend_fcall_info_cache *fcc)
{
    zval arr, ret;

    wx_message_crypt_to_array(msg, &arr);
    ZVAL_UNDEF(&ret);
    fci->retval = &ret;
    fci->params = &arr;
    fci->param_count = 1;
    zend_call_function(fci, fcc);
    zval_ptr_dtor(&ret);
    zval_ptr_dtor(&arr);
    return EG(exception) ? FAILURE : SUCCESS;
}

zend_result wx_op_handle_callback(wx_op_t *op, wx_cache_obj_t *c, HashTable *query, zend_string *body,
                                  zend_fcall_info *fci, zend_fcall_info_cache *fcc)
{
    zend_string *plain = wx_op_decrypt_push(op, c, query, body);
    wx_xml_node_t *msg = NULL;
    wx_error_t err;
    zend_result rc;

    if (!plain) {
        return FAILURE;
    }
    if (wx_message_crypt_parse(ZSTR_VAL(plain), ZSTR_LEN(plain), &msg, &err) != WX_CRYPT_OK) {
        zend_string_release(plain);
        wx_throw(wx_ce_CryptException, err.code, "decrypted push: %s", err.msg);
        return FAILURE;
    }
    zend_string_release(plain);
    rc = wx_op_dispatch(op, c, msg);
    if (rc == SUCCESS && ZEND_FCI_INITIALIZED(*fci)) {
        rc = wx_op_call_handler(msg, fci, fcc);
    }
    wx_xml_free(msg);
    return rc;
}
