/*
 * wx_xml: hardened parsing of WeChat XML (callback bodies and decrypted
 * messages) into a small tree of our own.
 *
 * WeChat XML is tiny and flat: <xml> with a handful of elements, values in
 * CDATA or not, occasionally one nested level (<info> of
 * notify_third_fasteregister). Hostile input is the concern, so:
 *   - input over a size limit is refused before libxml2 sees it;
 *   - a document with a DOCTYPE is refused the moment libxml2 reports it,
 *     before its internal subset is read: no entity is ever declared, so none
 *     can be expanded (billion laughs) or fetched (XXE); only the five built-in
 *     entities and character references exist;
 *   - no DTD loading, no attribute defaults, no network, no XInclude;
 *   - nesting deeper than a limit is refused;
 *   - before libxml2 sees a document, a linear scan (wx_xml_check) refuses
 *     any encoding but UTF-8 (a UTF-16/32 byte order mark or NUL bytes in
 *     the first four, EBCDIC, a declared encoding other than UTF-8), more
 *     attributes on one element than a limit (libxml2 checks attributes for
 *     duplicates pairwise: 200k attributes on one element cost it 20 s;
 *     WeChat's messages have none, so a small bound keeps its cost linear
 *     without refusing XML that merely carries a namespace or two) and
 *     element or attribute names longer than a limit;
 *   - malformed XML is an error carrying libxml2's message; libxml2 never
 *     prints and never reaches PHP's handlers: a per-context structured
 *     error handler, and, for the errors libxml2 raises without a context
 *     (encoding conversion, memory), its global generic and structured
 *     handlers are pointed at ours for the duration of a parse and put
 *     back after it (PHP's ext/libxml installs its own there per request;
 *     xmlCleanupParser is never called: PHP shares the library);
 *   - on any error no tree is returned, never a partial one.
 * Errors use the wx_crypt codes: -40002 (WX_CRYPT_ERR_PARSE_XML).
 */
#ifndef WX_XML_H
#define WX_XML_H

#include <stddef.h>

#include "wx_crypt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define WX_XML_DEFAULT_MAX_BYTES ((size_t)4 << 20) /* 4 MiB */
#define WX_XML_DEFAULT_MAX_DEPTH 32u
#define WX_XML_DEFAULT_MAX_ATTRIBUTES 16u /* per element, namespace declarations included */
#define WX_XML_DEFAULT_MAX_NAME 256u      /* bytes, element and attribute names (prefix included) */

typedef struct {
    size_t max_bytes;     /* 0: WX_XML_DEFAULT_MAX_BYTES. libxml2's own limits
                             (no XML_PARSE_HUGE) still stop documents near 10 MB */
    unsigned max_depth;   /* 0: WX_XML_DEFAULT_MAX_DEPTH; the root is depth 1 */
    unsigned max_attributes; /* 0: WX_XML_DEFAULT_MAX_ATTRIBUTES */
    size_t max_name;      /* 0: WX_XML_DEFAULT_MAX_NAME */
} wx_xml_limits_t;

typedef struct wx_xml_node_s wx_xml_node_t;

struct wx_xml_node_s {
    const char *name;         /* qualified element name, NUL-terminated */
    size_t name_len;
    const char *text;         /* the element's own text and CDATA, concatenated in
                                 document order (not its children's); never NULL,
                                 NUL-terminated, may contain NUL bytes (&#0; is
                                 refused by libxml2, but count on text_len) */
    size_t text_len;
    wx_xml_node_t *children;  /* first child element, NULL if none */
    wx_xml_node_t *next;      /* next sibling element */
    wx_xml_node_t *parent;
    size_t nchildren;
    size_t text_cap_;         /* internal: allocated size of text, 0 if static */
    wx_xml_node_t *last_child_; /* internal: append point while parsing */
};

/* Initialise libxml2 once, at process start, before any thread parses
 * (xmlInitParser; harmless if already done by PHP's ext/libxml). There is
 * deliberately no cleanup counterpart: the library is shared. */
void wx_xml_global_init(void);

/*
 * The checks wx_xml_parse makes before libxml2 sees buf[0..len): size,
 * encoding (UTF-8 only), attributes per element, name lengths. One pass
 * that never goes back; *steps (may be NULL) gets the number of bytes it
 * looked at, which is at most len and, for a refused document, how far it
 * had to read (tests use it to show the cost is bounded). It does not
 * check well-formedness: where the document stops making sense it stops
 * too and leaves the verdict to libxml2, which stops there as well.
 * Returns WX_CRYPT_OK or WX_CRYPT_ERR_PARSE_XML with err filled.
 */
wx_crypt_status_t wx_xml_check(const char *buf, size_t len, const wx_xml_limits_t *limits,
                               size_t *steps, wx_error_t *err);

/*
 * Parse buf[0..len) into *root (the document element). limits may be NULL.
 * Returns WX_CRYPT_OK or WX_CRYPT_ERR_PARSE_XML with err filled.
 */
wx_crypt_status_t wx_xml_parse(const char *buf, size_t len, const wx_xml_limits_t *limits,
                               wx_xml_node_t **root, wx_error_t *err);

/*
 * A reusable parser: keeps libxml2's parser context (its dictionary and
 * buffers) between documents, which saves about a third of the cost of
 * parsing the small documents WeChat sends. Not for concurrent use (one
 * per thread). The context is only kept after a clean parse of a document
 * without an encoding declaration and with few distinct names, so hostile
 * input cannot make it grow or carry state into the next document.
 * It also takes CDATA contents out before libxml2 parses the document and
 * puts them back in the tree (2.5x faster on a callback envelope; see
 * wx_xml.c); the result, tree or error, is always the one wx_xml_parse
 * gives.
 */
typedef struct wx_xml_parser_s wx_xml_parser_t;

wx_xml_parser_t *wx_xml_parser_new(void);   /* NULL on out-of-memory */
void wx_xml_parser_free(wx_xml_parser_t *p);
wx_crypt_status_t wx_xml_parse_with(wx_xml_parser_t *p, const char *buf, size_t len,
                                    const wx_xml_limits_t *limits, wx_xml_node_t **root,
                                    wx_error_t *err);

/* Free a tree returned by wx_xml_parse (iteratively; NULL is fine). */
void wx_xml_free(wx_xml_node_t *root);

/* First child element named name (exact, case-sensitive), or NULL. */
const wx_xml_node_t *wx_xml_child(const wx_xml_node_t *node, const char *name);
const wx_xml_node_t *wx_xml_child_n(const wx_xml_node_t *node, const char *name,
                                    size_t name_len);

#ifdef __cplusplus
}
#endif

#endif /* WX_XML_H */
