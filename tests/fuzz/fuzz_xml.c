/*
 * libFuzzer harness for ext/core/wx_xml: any bytes in, either a -40002 with
 * a message and no tree, or a tree whose invariants hold. The depth,
 * attribute and name limits are lowered for some inputs so every limit
 * path stays covered; the pre-scan (wx_xml_check) must never read a byte
 * twice and its refusals must be the parsers'.
 * Differential too: one wx_xml_parser_t lives across all inputs, and its
 * result must equal a fresh parse's, so no state can leak between
 * documents through the reused libxml2 context.
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

static int same_tree(const wx_xml_node_t *a, const wx_xml_node_t *b)
{
    const wx_xml_node_t *x, *y;
    if (a == NULL || b == NULL) {
        return a == b;
    }
    if (a->name_len != b->name_len || memcmp(a->name, b->name, a->name_len) != 0
            || a->text_len != b->text_len || memcmp(a->text, b->text, a->text_len) != 0
            || a->nchildren != b->nchildren) {
        return 0;
    }
    for (x = a->children, y = b->children; x != NULL && y != NULL; x = x->next, y = y->next) {
        if (!same_tree(x, y)) {
            return 0;
        }
    }
    return x == NULL && y == NULL;
}

static wx_xml_parser_t *reused;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_xml_limits_t lim = { 0, (size & 1) ? 4u : 0u, (size & 2) ? 2u : 0u, (size & 4) ? 8u : 0u };
    size_t steps = 0;
    wx_xml_node_t *root = (wx_xml_node_t *)1, *again = NULL;
    wx_error_t err, err2;
    wx_crypt_status_t st = wx_xml_parse((const char *)data, size, &lim, &root, &err);
    wx_crypt_status_t st2;

    /* the pre-scan reads each byte at most once, and a document it refuses
     * is refused by the parsers with its message */
    if (wx_xml_check((const char *)data, size, &lim, &steps, &err2) != WX_CRYPT_OK) {
        if (st == WX_CRYPT_OK || strcmp(err.msg, err2.msg) != 0) {
            abort();
        }
    }
    if (steps > size) {
        abort();
    }
    if (reused == NULL && (reused = wx_xml_parser_new()) == NULL) {
        abort();
    }
    st2 = wx_xml_parse_with(reused, (const char *)data, size, &lim, &again, &err2);
    if (st2 != st || strcmp(err.msg, err2.msg) != 0 || !same_tree(st == WX_CRYPT_OK ? root : NULL, again)) {
        abort();
    }
    wx_xml_free(again);

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
