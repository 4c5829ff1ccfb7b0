/*
 * libFuzzer harness for ext/core/wx_xml: any bytes in, either a -40002 with
 * a message and no tree, or a tree whose invariants hold. The depth limit
 * is lowered for half the inputs so both limit paths stay covered.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wx_xml.h"

static size_t walk(const wx_xml_node_t *n, const wx_xml_node_t *parent, unsigned depth,
                   unsigned max_depth)
{
    size_t count = 0, total = 1;
    const wx_xml_node_t *c;

    if (depth > max_depth || n->parent != parent || n->name == NULL || n->text == NULL
            || strlen(n->name) != n->name_len || n->name_len == 0 || n->text[n->text_len] != '\0') {
        abort();
    }
    for (c = n->children; c != NULL; c = c->next) {
        count++;
        total += walk(c, n, depth + 1, max_depth);
        if (wx_xml_child_n(n, c->name, c->name_len) == NULL) {
            abort();
        }
    }
    if (count != n->nchildren) {
        abort();
    }
    return total;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_xml_limits_t lim = { 0, (size & 1) ? 4u : 0u };
    wx_xml_node_t *root = (wx_xml_node_t *)1;
    wx_error_t err;
    wx_crypt_status_t st = wx_xml_parse((const char *)data, size, &lim, &root, &err);

    if (st == WX_CRYPT_OK) {
        if (root == NULL || err.code != WX_CRYPT_OK) {
            abort();
        }
        walk(root, NULL, 1, lim.max_depth ? lim.max_depth : WX_XML_DEFAULT_MAX_DEPTH);
        wx_xml_child(root, "Encrypt");
        wx_xml_free(root);
    } else if (st != WX_CRYPT_ERR_PARSE_XML || root != NULL || err.code != st || err.msg[0] == '\0') {
        abort();
    }
    return 0;
}
