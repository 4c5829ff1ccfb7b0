/*
 * libFuzzer harness for ext/core/wx_envelope: any bytes in, either a status
 * with no values and an offset inside the input, or values that are spans
 * of the input made only of bytes a value may hold. Differential too: what
 * the scanner accepts, libxml2 (wx_xml_parse) must accept as well, with the
 * same root, the same fields and the same values, so the strict scanner can
 * never read an envelope differently from a real XML parser. And linear:
 * the scanner's step count never exceeds the input's length.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wx_envelope.h"
#include "wx_xml.h"

static const char *const names[4] = { "ToUserName", "AppId", "Encrypt", "AgentID" };

static int in_input(const uint8_t *data, size_t size, wx_envelope_value_t v)
{
    if (v.ptr == NULL) {
        return v.len == 0;
    }
    return (const uint8_t *)v.ptr >= data && (const uint8_t *)v.ptr + v.len <= data + size;
}

static void check_bytes(wx_envelope_value_t v)
{
    size_t i;
    for (i = 0; i < v.len; i++) {
        unsigned char c = (unsigned char)v.ptr[i];
        if (!((c >= 0x20 && c <= 0x7e) || c == '\t' || c == '\n')) {
            abort();
        }
    }
}

/* libxml2's reading of the same document must give exactly these values. */
static void differential(const uint8_t *data, size_t size, const wx_envelope_value_t v[4])
{
    wx_xml_node_t *root = NULL;
    wx_error_t err;
    const wx_xml_node_t *c;
    size_t present = 0, i;

    if (wx_xml_parse((const char *)data, size, NULL, &root, &err) != WX_CRYPT_OK) {
        abort();
    }
    if (strcmp(root->name, "xml") != 0 || root->text_len != strspn(root->text, " \t\r\n")) {
        abort();
    }
    for (i = 0; i < 4; i++) {
        const wx_xml_node_t *n = wx_xml_child(root, names[i]);
        if ((n == NULL) != (v[i].ptr == NULL)) {
            abort();
        }
        if (n != NULL) {
            present++;
            if (n->nchildren != 0 || n->text_len != v[i].len || memcmp(n->text, v[i].ptr, v[i].len) != 0) {
                abort();
            }
        }
    }
    for (c = root->children; c != NULL; c = c->next) {
        if (c->nchildren != 0) {
            abort();
        }
    }
    if (root->nchildren != present) {
        abort();
    }
    wx_xml_free(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_envelope_t env;
    wx_envelope_status_t st = wx_envelope_scan((const char *)data, size, &env);
    wx_envelope_value_t v[4];

    v[0] = env.to_user_name;
    v[1] = env.app_id;
    v[2] = env.encrypt;
    v[3] = env.agent_id;
    if (env.steps > size || wx_envelope_strerror(st) == NULL) {
        abort();
    }
    if (st != WX_ENVELOPE_OK) {
        if (v[0].ptr || v[1].ptr || v[2].ptr || v[3].ptr || env.error_offset > size) {
            abort();
        }
        return 0;
    }
    if (!in_input(data, size, v[0]) || !in_input(data, size, v[1]) || !in_input(data, size, v[2])
            || !in_input(data, size, v[3]) || v[2].ptr == NULL || v[2].len == 0
            || ((v[0].ptr == NULL || v[0].len == 0) && (v[1].ptr == NULL || v[1].len == 0))) {
        abort();
    }
    check_bytes(v[0]);
    check_bytes(v[1]);
    check_bytes(v[2]);
    check_bytes(v[3]);
    differential(data, size, v);
    return 0;
}
