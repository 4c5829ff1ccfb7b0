/*
 * handleCallback()'s work: verify and decrypt a push, act on its InfoType.
 */
#include "platform.h"

/* --------------------------------------------------------------- callback */

/* Verify and decrypt a push; the plaintext XML or NULL with CryptException. */
zend_string *wx_op_decrypt_push(wx_op_t *op, HashTable *query, zend_string *body)
{
    wx_error_t err;
    zend_string *plain;
    char *out = NULL;
    size_t out_len = 0;

    if (wx_message_crypt_open_push(op->crypt, query, body, &out, &out_len, NULL, &err) != WX_CRYPT_OK) {
        wx_throw(wx_ce_CryptException, err.code, "%s", err.msg);
        return NULL;
    }
    plain = zend_string_init(out, out_len, 0);
    wx_crypt_buf_free(out);
    return plain;
}

static zend_string *wx_op_child_text(const wx_xml_node_t *root, const char *name)
{
    const wx_xml_node_t *n = wx_xml_child(root, name);
    return n && n->text_len > 0 ? zend_string_init(n->text, n->text_len, 0) : NULL;
}

static ZEND_COLD void wx_op_throw_push_field(const char *info_type, const char *field)
{
    wx_throw(wx_ce_CryptException, WX_CRYPT_ERR_PARSE_XML, "%s push without <%s>", info_type, field);
}

/* Act on a decrypted push by its InfoType. */
zend_result wx_op_dispatch(wx_op_t *op, wx_cache_obj_t *c, const wx_xml_node_t *msg)
{
    const wx_xml_node_t *type = wx_xml_child(msg, "InfoType");
    zend_string *s;
    zend_result rc = SUCCESS;

    if (!type) {
        return SUCCESS;   /* not an authorization event: accepted */
    }
    if (strcmp(type->text, "component_verify_ticket") == 0) {
        zend_string *created = wx_op_child_text(msg, "CreateTime");
        zend_long age = 0;
        if (!(s = wx_op_child_text(msg, "ComponentVerifyTicket"))) {
            wx_op_throw_push_field(type->text, "ComponentVerifyTicket");
            rc = FAILURE;
        } else {
            if (created) {
                zend_long t = ZEND_STRTOL(ZSTR_VAL(created), NULL, 10);
                if (t > 0) {
                    age = (zend_long) time(NULL) - t;
                }
            }
            rc = wx_op_store_ticket(op, c, s, age);
            zend_string_release(s);
        }
        if (created) zend_string_release(created);
    } else if (strcmp(type->text, "authorized") == 0 || strcmp(type->text, "updateauthorized") == 0) {
        zval info;
        if (!(s = wx_op_child_text(msg, "AuthorizationCode"))) {
            wx_op_throw_push_field(type->text, "AuthorizationCode");
            return FAILURE;
        }
        rc = wx_op_query_auth(op, c, s, &info);
        zend_string_release(s);
        zval_ptr_dtor(&info);
    } else if (strcmp(type->text, "unauthorized") == 0) {
        if (!(s = wx_op_child_text(msg, "AuthorizerAppid"))) {
            wx_op_throw_push_field(type->text, "AuthorizerAppid");
            return FAILURE;
        }
        rc = wx_op_check_appid(ZSTR_VAL(s), ZSTR_LEN(s), "AuthorizerAppid of the unauthorized push");
        if (rc == SUCCESS) {
            rc = wx_op_forget_authorizer(op, c, s);
        }
        zend_string_release(s);
    }
    return rc;
}

/* The decrypted message as MessageCrypt::parseXml() gives it. */
