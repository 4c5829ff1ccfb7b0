/*
 * What WxRedis\OpenPlatform uses of the MessageCrypt glue, so a push is
 * verified, decrypted and parsed by one piece of code (with the per-thread
 * reusable parser and its CDATA fast path).
 */
#ifndef WX_PHP_MESSAGE_CRYPT_H
#define WX_PHP_MESSAGE_CRYPT_H

#include "php.h"
#include "core/wx_crypt.h"
#include "core/wx_xml.h"

/* Parse with this thread's reusable parser. */
wx_crypt_status_t wx_message_crypt_parse(const char *buf, size_t len, wx_xml_node_t **root,
                                         wx_error_t *err);

/* Verify and decrypt an encrypted push: msg_signature, timestamp and nonce
 * from the query, Encrypt from the body. On WX_CRYPT_OK *out is the
 * plaintext (free with wx_crypt_buf_free); else err says what was wrong. */
wx_crypt_status_t wx_message_crypt_open_push(wx_crypt_t *crypt, HashTable *query, zend_string *body,
                                             char **out, size_t *out_len, int *key_used,
                                             wx_error_t *err);

/* The array MessageCrypt::parseXml() returns for a parsed document. */
void wx_message_crypt_to_array(const wx_xml_node_t *root, zval *out);

#endif
