/*
 * wx_xml: hardened libxml2 parsing into wx_xml_node_t. See wx_xml.h.
 *
 * libxml2 drives SAX2 callbacks of our own that build the tree directly: no
 * libxml2 DOM is built and then copied (half the allocations), and, more
 * important, we see the DOCTYPE as an event and stop the parser right there,
 * before the internal subset is read. Our SAX handler has no entityDecl,
 * getEntity, resolveEntity or externalSubset, so even if a DOCTYPE slipped
 * through nothing could be declared, loaded or expanded.
 *
 * Entry point: libxml2's push parser on a context reused between documents
 * (xmlCtxtResetPush + one xmlParseChunk), fed by wx_xml_parse_with with
 * the CDATA contents taken out (see "CDATA fast path" below). Measured on
 * WeChat's documents (libxml2 2.9.14; ticket 301 B, its envelope 562 B,
 * 1 KiB text, its envelope 1542 B), ns per parse into our tree:
 *   push, reused context, SAX2 into our tree   850  1145  1845  2281
 *   same, CDATA contents taken out first       880   700  1410   880
 *   push, new context per document            1250  1565  2380  2720
 *   pull, xmlCtxtReadMemory, reused context   1685  2795  3700  5970
 *   pull, xmlCreateMemoryParserCtxt per doc   2075  3175  4195  6285
 * The pull parser reads characters one function call at a time; building
 * an xmlDoc first only adds to that. XML_PARSE_NOCDATA / COMPACT change
 * nothing for a SAX handler; XML_PARSE_NOBLANKS would install libxml2's
 * own ignorableWhitespace handler.
 */
#include "wx_xml.h"
#include "wx_xml_find.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/dict.h>
#include <libxml/globals.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

/* libxml2 2.12 made the structured error callback take a const xmlError *. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *wx_xml_error_ptr;
#else
typedef xmlErrorPtr wx_xml_error_ptr;
#endif

typedef struct {
    const char *p;            /* into the caller's buffer */
    size_t n;
} wx_xml_lift_t;

typedef struct {
    xmlParserCtxtPtr ctxt;
    wx_xml_node_t *root;
    wx_xml_node_t *cur;       /* innermost open element */
    unsigned depth;
    unsigned max_depth;
    int failed;               /* set by our own checks (DOCTYPE, depth, memory) */
    int have_xml_error;       /* first libxml2 error captured in msg */
    int xml_error_code;       /* its xmlParserErrors code */
    const wx_xml_lift_t *lift; /* CDATA contents taken out of the document (see
                                  wx_xml_lift), in order; NULL: none */
    size_t lift_n, lift_next;
    int lift_bad;             /* libxml2 did not see those sections as we did */
    char msg[WX_ERRMSG_SIZE];
} wx_xml_state_t;

static void wx_xml_fail(wx_xml_state_t *st, const char *msg)
{
    if (!st->failed && !st->have_xml_error) {
        snprintf(st->msg, sizeof(st->msg), "%s", msg);
    }
    st->failed = 1;
    xmlStopParser(st->ctxt);
}

static void wx_node_free_one(wx_xml_node_t *n)
{
    if (n->text_cap_ > 0) {
        free((void *)n->text);
    }
    free(n);
}

void wx_xml_free(wx_xml_node_t *root)
{
    wx_xml_node_t *cur = root;

    /* Post-order walk without recursion: depth never costs stack. */
    while (cur != NULL) {
        wx_xml_node_t *next, *parent;
        if (cur->children != NULL) {
            wx_xml_node_t *c = cur->children;
            cur->children = NULL;
            cur = c;
            continue;
        }
        next = cur->next;
        parent = cur->parent;
        if (cur == root) {
            wx_node_free_one(cur);
            break;
        }
        wx_node_free_one(cur);
        cur = next != NULL ? next : parent;
    }
}

/* ---------------------------------------------------------------- SAX */

static void wx_sax_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                         const xmlChar *URI, int nb_namespaces, const xmlChar **namespaces,
                         int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
    wx_xml_state_t *st = ctx;
    size_t llen = strlen((const char *)localname);
    size_t plen = prefix != NULL ? strlen((const char *)prefix) : 0;
    size_t nlen = plen > 0 ? plen + 1 + llen : llen;
    wx_xml_node_t *n;
    char *name;

    (void)URI; (void)nb_namespaces; (void)namespaces;
    (void)nb_attributes; (void)nb_defaulted; (void)attributes;

    if (st->failed) {
        return;
    }
    if (st->depth + 1 > st->max_depth) {
        char m[96];
        snprintf(m, sizeof(m), "XML nesting deeper than %u levels is refused", st->max_depth);
        wx_xml_fail(st, m);
        return;
    }
    /* node and its name in one allocation */
    n = malloc(sizeof(*n) + nlen + 1);
    if (n == NULL) {
        wx_xml_fail(st, "out of memory while building the XML tree");
        return;
    }
    memset(n, 0, sizeof(*n));
    name = (char *)(n + 1);
    if (plen > 0) {
        memcpy(name, prefix, plen);
        name[plen] = ':';
        memcpy(name + plen + 1, localname, llen);
    } else {
        memcpy(name, localname, llen);
    }
    name[nlen] = '\0';
    n->name = name;
    n->name_len = nlen;
    n->text = "";
    n->parent = st->cur;

    if (st->cur == NULL) {
        st->root = n;               /* libxml2 refuses a second root itself */
    } else {
        if (st->cur->last_child_ != NULL) {
            st->cur->last_child_->next = n;
        } else {
            st->cur->children = n;
        }
        st->cur->last_child_ = n;
        st->cur->nchildren++;
    }
    st->cur = n;
    st->depth++;
}

static void wx_sax_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                       const xmlChar *URI)
{
    wx_xml_state_t *st = ctx;
    (void)localname; (void)prefix; (void)URI;
    if (st->failed || st->cur == NULL) {
        return;
    }
    st->cur = st->cur->parent;
    st->depth--;
}

/* Text and CDATA: appended to the open element's own text. Text outside
 * the root can only be whitespace (libxml2 rejects anything else). */
static void wx_sax_text(void *ctx, const xmlChar *ch, int len)
{
    wx_xml_state_t *st = ctx;
    wx_xml_node_t *n = st->cur;
    size_t need;

    if (st->failed || n == NULL || len <= 0) {
        return;
    }
    need = n->text_len + (size_t)len + 1;
    if (need > n->text_cap_) {
        /* libxml2 hands text over in pieces of up to 300 bytes: start at
         * the first piece's size so long values need few reallocs */
        size_t cap = n->text_cap_ > 0 ? n->text_cap_ : 64;
        char *p;
        while (cap < need) {
            cap *= 2;
        }
        p = n->text_cap_ > 0 ? realloc((void *)n->text, cap) : malloc(cap);
        if (p == NULL) {
            wx_xml_fail(st, "out of memory while building the XML tree");
            return;
        }
        n->text = p;
        n->text_cap_ = cap;
    }
    memcpy((char *)n->text + n->text_len, ch, (size_t)len);
    n->text_len += (size_t)len;
    ((char *)n->text)[n->text_len] = '\0';
}

/* CDATA. A lifted document has only empty sections, each standing for the
 * next lifted content; anything else means libxml2 read the document
 * differently from wx_xml_lift, and the caller parses the original. */
static void wx_sax_cdata(void *ctx, const xmlChar *ch, int len)
{
    wx_xml_state_t *st = ctx;
    const wx_xml_lift_t *l;

    if (st->lift == NULL) {
        wx_sax_text(ctx, ch, len);
        return;
    }
    if (st->failed) {
        return;
    }
    if (len != 0 || st->lift_next >= st->lift_n) {
        st->lift_bad = 1;
        wx_xml_fail(st, "CDATA sections not where expected");
        return;
    }
    l = &st->lift[st->lift_next++];
    if (l->n > 0) {
        wx_sax_text(ctx, (const xmlChar *)l->p, (int)l->n);
    }
}

static void wx_sax_doctype(void *ctx, const xmlChar *name, const xmlChar *ExternalID,
                           const xmlChar *SystemID)
{
    (void)name; (void)ExternalID; (void)SystemID;
    wx_xml_fail(ctx, "XML with a DOCTYPE is refused (no DTDs or entities are accepted)");
}

/* Structured errors stay with us: libxml2 prints nothing. Keep the first,
 * which is the cause; later ones are usually consequences. Also installed
 * as libxml2's global structured handler during a parse (see
 * wx_xml_handlers_swap), for the errors it raises without a context. */
static void wx_sax_error(void *ctx, wx_xml_error_ptr e)
{
    wx_xml_state_t *st = ctx;
    size_t n, i;

    if (st == NULL || e == NULL || st->have_xml_error || st->failed) {
        return;
    }
    if (e->level < XML_ERR_ERROR) {
        return;                     /* warnings do not make a document invalid */
    }
    snprintf(st->msg, sizeof(st->msg), "malformed XML at line %d: %s", e->line,
             e->message != NULL ? e->message : "unknown libxml2 error");
    n = strlen(st->msg);
    while (n > 0 && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' ')) {
        st->msg[--n] = '\0';
    }
    /* some libxml2 messages span lines ("...encoding !\nBytes: 0xFF ..."):
     * keep the report on one line for logs */
    for (i = 0; i < n; i++) {
        if (st->msg[i] == '\n' || st->msg[i] == '\r' || st->msg[i] == '\t') {
            st->msg[i] = ' ';
        }
    }
    st->have_xml_error = 1;
    st->xml_error_code = e->code;
}

/* libxml2's generic channel (xmlGenericError), used when no structured
 * handler takes an error. Nothing may reach PHP's handler from here: the
 * message is kept, and the document refused, since libxml2 only writes
 * there when something went wrong. */
static void wx_xml_generic_error(void *ctx, const char *msg, ...)
{
    wx_xml_state_t *st = ctx;

    if (st == NULL || st->have_xml_error || st->failed) {
        return;
    }
    snprintf(st->msg, sizeof(st->msg), "libxml2: %s", msg != NULL ? msg : "error");
    st->have_xml_error = 1;
}

/* libxml2's global handlers (per thread in a threaded libxml2), pointed at
 * ours for the duration of a parse and put back after it: PHP's ext/libxml
 * sets a generic handler that turns messages into warnings and, under
 * libxml_use_internal_errors(), a structured one that collects them for
 * libxml_get_errors(). Swapped through their addresses (the macros give
 * this thread's variables), a third of the cost of xmlSet*ErrorFunc. */
typedef struct {
    xmlGenericErrorFunc *generic, generic_was;
    void **generic_ctx, *generic_ctx_was;
    xmlStructuredErrorFunc *structured, structured_was;
    void **structured_ctx, *structured_ctx_was;
} wx_xml_handlers_t;

#if defined(__GNUC__) && LIBXML_VERSION >= 21200
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"   /* the globals, in newer libxml2 */
#endif
static void wx_xml_handlers_swap(wx_xml_handlers_t *h, wx_xml_state_t *st)
{
    h->generic = &xmlGenericError;
    h->generic_ctx = &xmlGenericErrorContext;
    h->structured = &xmlStructuredError;
    h->structured_ctx = &xmlStructuredErrorContext;
    h->generic_was = *h->generic;
    h->generic_ctx_was = *h->generic_ctx;
    h->structured_was = *h->structured;
    h->structured_ctx_was = *h->structured_ctx;
    *h->generic = wx_xml_generic_error;
    *h->generic_ctx = st;
    *h->structured = wx_sax_error;
    *h->structured_ctx = st;
}
#if defined(__GNUC__) && LIBXML_VERSION >= 21200
#pragma GCC diagnostic pop
#endif

static void wx_xml_handlers_restore(const wx_xml_handlers_t *h)
{
    *h->generic = h->generic_was;
    *h->generic_ctx = h->generic_ctx_was;
    *h->structured = h->structured_was;
    *h->structured_ctx = h->structured_ctx_was;
}

static void wx_sax_init(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof(*sax));
    sax->initialized = XML_SAX2_MAGIC;  /* SAX2 + serror honoured */
    sax->startElementNs = wx_sax_start;
    sax->endElementNs = wx_sax_end;
    sax->characters = wx_sax_text;
    sax->ignorableWhitespace = wx_sax_text;
    sax->cdataBlock = wx_sax_cdata;
    sax->internalSubset = wx_sax_doctype;
    sax->serror = wx_sax_error;
    /* Deliberately NULL: entityDecl, getEntity, getParameterEntity,
     * resolveEntity, externalSubset, reference, attributeDecl,
     * elementDecl, notationDecl, unparsedEntityDecl, startDocument
     * (no libxml2 document is ever created), warning/error/fatalError. */
}

/* ---------------------------------------------------------------- API */

void wx_xml_global_init(void)
{
    xmlInitParser();
}

/* A parser: a libxml2 push context kept between documents, and the SAX
 * state it points at (userData), which therefore lives at a fixed address;
 * plus the buffers of the CDATA fast path (wx_xml_lift), kept too. */
struct wx_xml_parser_s {
    xmlParserCtxtPtr ctxt;    /* NULL until first use, or after a recycle */
    wx_xml_state_t st;
    char *lbuf;               /* the document with its CDATA sections emptied */
    size_t lbuf_cap;
    wx_xml_lift_t *lift;      /* what was taken out, in document order */
    size_t lift_cap;
};

/* Recycle the context rather than let it grow: every element name a
 * document uses stays in the context's dictionary. */
#define WX_XML_DICT_RECYCLE 512

/* The fast path's buffers are kept up to this size, freed beyond. */
#define WX_XML_LIFT_KEEP ((size_t)16 << 10)

/* Larger documents take the plain path: far below libxml2's own size
 * limits (10 MB), so taking contents out can never slip one past them. */
#define WX_XML_LIFT_MAX ((size_t)1 << 20)

wx_xml_parser_t *wx_xml_parser_new(void)
{
    return calloc(1, sizeof(wx_xml_parser_t));
}

static void wx_xml_parser_drop_ctxt(wx_xml_parser_t *p)
{
    if (p->ctxt != NULL) {
        if (p->ctxt->myDoc != NULL) {  /* not expected: we have no startDocument */
            xmlFreeDoc(p->ctxt->myDoc);
            p->ctxt->myDoc = NULL;
        }
        xmlFreeParserCtxt(p->ctxt);
        p->ctxt = NULL;
    }
}

static void wx_xml_parser_drop_lift(wx_xml_parser_t *p)
{
    free(p->lbuf);
    p->lbuf = NULL;
    p->lbuf_cap = 0;
    free(p->lift);
    p->lift = NULL;
    p->lift_cap = 0;
}

void wx_xml_parser_free(wx_xml_parser_t *p)
{
    if (p != NULL) {
        wx_xml_parser_drop_ctxt(p);
        wx_xml_parser_drop_lift(p);
        free(p);
    }
}

/* ------------------------------------------------------- CDATA fast path
 *
 * libxml2 2.9's push parser walks every CDATA section three times, byte by
 * byte (look for "]]>", check UTF-8, skip counting lines): for WeChat's
 * documents, which are mostly CDATA (the base64 Encrypt, message Content),
 * that is half of the parse. Its pull parser (xmlCtxtReadMemory, also on a
 * reused context) is worse: twice as slow, a function call per character.
 *
 * So wx_xml_parse_with takes the CDATA contents out first: each
 * "<![CDATA[...]]>" becomes "<![CDATA[]]>" in a copy, the contents are
 * checked here (memchr, then 8 bytes at a time), and libxml2 parses the
 * copy, all its structure and all its hardening intact; each empty section
 * it reports (in order) gets the next content back (wx_sax_cdata).
 * "<![CDATA[" cannot occur in the copy except as those markers, so if
 * libxml2 reports exactly as many CDATA sections as were taken out, each
 * one was a CDATA section in libxml2's own reading, at the same point, and
 * would have ended at the same "]]>": the tree is the one the original
 * gives. Anything else (a marker inside a comment or a PI, a stray "]]>",
 * a transcoded document, any error, any doubt in the check below) and the
 * original is parsed as before, so errors and their messages are libxml2's
 * and unchanged (a document that falls back costs two parses, and is at
 * most WX_XML_LIFT_MAX). wx_xml_parse (one-shot) never takes this path: it
 * is the reference the fuzzer (tests/fuzz/fuzz_xml.c) compares this one
 * with, trees and messages. */

/* Content libxml2 accepts in a CDATA section, more strictly: tab, LF, 0x20
 * and up, well-formed shortest-form UTF-8 of a Char; no CR (left to
 * libxml2's line-end handling), no "]]>" (the caller stops at the first). */
static int wx_xml_cdata_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;

    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80 && n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            /* all ASCII and none below 0x20: the common case */
            if (((w | (w - UINT64_C(0x2020202020202020))) & UINT64_C(0x8080808080808080)) == 0) {
                i += 8;
                continue;
            }
        }
        if (c < 0x80) {
            if (c < 0x20 && c != '\t' && c != '\n') {
                return 0;
            }
            i++;
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (n - i < 2 || (s[i + 1] & 0xC0) != 0x80) {
                return 0;
            }
            i += 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            unsigned cp;
            if (n - i < 3 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80) {
                return 0;
            }
            cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
            if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF) || cp >= 0xFFFE) {
                return 0;
            }
            i += 3;
        } else if (c >= 0xF0 && c <= 0xF4) {
            unsigned cp;
            if (n - i < 4 || (s[i + 1] & 0xC0) != 0x80 || (s[i + 2] & 0xC0) != 0x80
                    || (s[i + 3] & 0xC0) != 0x80) {
                return 0;
            }
            cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6)
                 | (s[i + 3] & 0x3Fu);
            if (cp < 0x10000 || cp > 0x10FFFF) {
                return 0;
            }
            i += 4;
        } else {
            return 0;
        }
    }
    return 1;
}

/* Copy buf with its CDATA contents taken out into p->lbuf, the contents to
 * p->lift. Returns how many sections were taken out; 0 means parse the
 * original (none, an unterminated one, content not plainly acceptable,
 * out of memory). */
static size_t wx_xml_lift(wx_xml_parser_t *p, const char *buf, size_t len, size_t *out_len)
{
    static const char open_[] = "<![CDATA[";
    const char *end = buf + len, *pos = buf, *s;
    size_t n = 0, o = 0;

    if ((s = wx_xml_find(buf, end, open_, 9)) == NULL) {
        return 0;
    }
    if (p->lbuf_cap < len) {        /* the copy is never longer */
        char *nb = malloc(len);
        if (nb == NULL) {
            return 0;
        }
        free(p->lbuf);
        p->lbuf = nb;
        p->lbuf_cap = len;
    }
    for (; s != NULL; s = wx_xml_find(pos, end, open_, 9)) {
        const char *c = s + 9, *e = wx_xml_find(c, end, "]]>", 3);
        if (e == NULL || !wx_xml_cdata_ok((const unsigned char *)c, (size_t)(e - c))) {
            return 0;
        }
        if (n == p->lift_cap) {
            size_t cap = p->lift_cap > 0 ? p->lift_cap * 2 : 16;
            wx_xml_lift_t *nl = realloc(p->lift, cap * sizeof(*nl));
            if (nl == NULL) {
                return 0;
            }
            p->lift = nl;
            p->lift_cap = cap;
        }
        p->lift[n].p = c;
        p->lift[n].n = (size_t)(e - c);
        n++;
        memcpy(p->lbuf + o, pos, (size_t)(c - pos));
        o += (size_t)(c - pos);
        memcpy(p->lbuf + o, "]]>", 3);
        o += 3;
        pos = e + 3;
    }
    memcpy(p->lbuf + o, pos, (size_t)(end - pos));
    *out_len = o + (size_t)(end - pos);
    return n;
}

/* ------------------------------------------------------------ parsing */

/* One libxml2 parse of buf on p's context. With lift_n > 0, buf is a
 * lifted copy and any disagreement is a failure (the caller falls back). */
static wx_crypt_status_t wx_xml_run(wx_xml_parser_t *p, const char *buf, size_t len,
                                    const wx_xml_limits_t *limits, size_t lift_n,
                                    wx_xml_node_t **root, wx_error_t *err)
{
    wx_xml_state_t *st = &p->st;
    size_t max_bytes = WX_XML_DEFAULT_MAX_BYTES;
    size_t first;
    int rc, ok;
    wx_xml_handlers_t saved;
    /* IGNORE_ENC: never switch to a declared encoding, should one get past
     * wx_xml_check (it refuses every encoding but UTF-8) */
    const int options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_IGNORE_ENC;
    /* not set, on purpose: XML_PARSE_NOENT (substitute entities),
     * XML_PARSE_DTDLOAD, XML_PARSE_DTDATTR, XML_PARSE_DTDVALID,
     * XML_PARSE_XINCLUDE, XML_PARSE_HUGE (keeps libxml2's own limits),
     * XML_PARSE_RECOVER (errors are errors); XML_PARSE_NOBLANKS would put
     * libxml2's own ignorableWhitespace handler into ours. */

    *root = NULL;
    memset(st, 0, sizeof(*st));
    st->max_depth = WX_XML_DEFAULT_MAX_DEPTH;
    if (lift_n > 0) {
        st->lift = p->lift;
        st->lift_n = lift_n;
    }
    if (limits != NULL) {
        if (limits->max_bytes > 0) {
            max_bytes = limits->max_bytes;
        }
        if (limits->max_depth > 0) {
            st->max_depth = limits->max_depth;
        }
    }
    if (len > max_bytes) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML,
                            "XML of %zu bytes refused: the limit is %zu bytes", len, max_bytes);
    }
    if (len == 0 || buf == NULL) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "XML is empty");
    }
    if (len > INT32_MAX) {
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "XML of %zu bytes is too large", len);
    }

    /* The first bytes go in at creation (or reset) so libxml2 can detect
     * the encoding. */
    first = len < 4 ? len : 4;
    wx_xml_handlers_swap(&saved, st);
    if (p->ctxt != NULL && xmlCtxtResetPush(p->ctxt, buf, (int)first, NULL, NULL) != 0) {
        wx_xml_parser_drop_ctxt(p);
    }
    if (p->ctxt == NULL) {
        xmlSAXHandler sax;
        wx_sax_init(&sax);
        p->ctxt = xmlCreatePushParserCtxt(&sax, st, buf, (int)first, NULL);
        if (p->ctxt == NULL) {
            wx_xml_handlers_restore(&saved);
            return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "libxml2 could not create a parser");
        }
    }
    st->ctxt = p->ctxt;
    xmlCtxtUseOptions(st->ctxt, options);
    rc = xmlParseChunk(st->ctxt, buf + first, (int)(len - first), 1);
    wx_xml_handlers_restore(&saved);

    if (!st->failed && !st->have_xml_error && (rc != 0 || !st->ctxt->wellFormed)) {
        /* an error that did not reach our handler */
        const xmlError *e = xmlCtxtGetLastError(st->ctxt);
        snprintf(st->msg, sizeof(st->msg), "malformed XML: %s",
                 e != NULL && e->message != NULL ? e->message : "libxml2 reported an error");
        st->have_xml_error = 1;
    }
    if (st->have_xml_error && st->xml_error_code == XML_ERR_DOCUMENT_END) {
        /* The push parser reports any premature end as "Extra content at
         * the end of the document"; say what actually happened. */
        if (st->cur != NULL) {
            snprintf(st->msg, sizeof(st->msg),
                     "malformed XML: the document ends inside <%.64s> (truncated?)", st->cur->name);
        } else if (st->root == NULL) {
            snprintf(st->msg, sizeof(st->msg), "XML has no root element");
        }
    }
    if (!st->failed && !st->have_xml_error && st->root == NULL) {
        snprintf(st->msg, sizeof(st->msg), "XML has no root element");
        st->failed = 1;
    }
    if (lift_n > 0 && (st->lift_next != lift_n || st->ctxt->input == NULL
            || st->ctxt->input->buf == NULL || st->ctxt->input->buf->encoder != NULL
#if LIBXML_VERSION < 21400  /* deprecated since: the encoder alone tells */
            || st->ctxt->charset != XML_CHAR_ENCODING_UTF8
#endif
            )) {
        /* a section libxml2 did not see as one, or a document it transcoded
         * (the contents taken out were not) */
        st->lift_bad = 1;
    }
    ok = !st->failed && !st->have_xml_error && !st->lift_bad;

    /* Keep the context only after a clean parse of a UTF-8 document with a
     * small dictionary; anything unusual starts the next one afresh. */
    if (!ok || st->ctxt->myDoc != NULL || st->ctxt->encoding != NULL
            || st->ctxt->dict == NULL || xmlDictSize(st->ctxt->dict) > WX_XML_DICT_RECYCLE) {
        wx_xml_parser_drop_ctxt(p);
    }
    st->ctxt = NULL;
    st->lift = NULL;

    if (!ok) {
        size_t n = strlen(st->msg);
        while (n > 0 && (st->msg[n - 1] == '\n' || st->msg[n - 1] == ' ')) {
            st->msg[--n] = '\0';
        }
        wx_xml_free(st->root);
        st->root = NULL;
        return wx_error_set(err, WX_CRYPT_ERR_PARSE_XML, "%s", st->msg);
    }
    *root = st->root;
    st->root = NULL;
    st->cur = NULL;
    if (err != NULL) {
        err->code = WX_CRYPT_OK;
        err->msg[0] = '\0';
    }
    return WX_CRYPT_OK;
}

wx_crypt_status_t wx_xml_parse_with(wx_xml_parser_t *p, const char *buf, size_t len,
                                    const wx_xml_limits_t *limits, wx_xml_node_t **root,
                                    wx_error_t *err)
{
    size_t max_bytes = limits != NULL && limits->max_bytes > 0 ? limits->max_bytes
                                                               : WX_XML_DEFAULT_MAX_BYTES;

    if (wx_xml_check(buf, len, limits, NULL, err) != WX_CRYPT_OK) {
        *root = NULL;
        return WX_CRYPT_ERR_PARSE_XML;
    }
    if (buf != NULL && len > 0 && len <= max_bytes && len <= WX_XML_LIFT_MAX) {
        size_t llen = 0, n = wx_xml_lift(p, buf, len, &llen);
        wx_crypt_status_t rc = WX_CRYPT_ERR_PARSE_XML;
        if (n > 0) {
            rc = wx_xml_run(p, p->lbuf, llen, limits, n, root, NULL);
        }
        if (p->lbuf_cap > WX_XML_LIFT_KEEP || p->lift_cap * sizeof(*p->lift) > WX_XML_LIFT_KEEP) {
            wx_xml_parser_drop_lift(p);
        }
        if (rc == WX_CRYPT_OK) {
            if (err != NULL) {
                err->code = WX_CRYPT_OK;
                err->msg[0] = '\0';
            }
            return rc;
        }
    }
    return wx_xml_run(p, buf, len, limits, 0, root, err);
}

wx_crypt_status_t wx_xml_parse(const char *buf, size_t len, const wx_xml_limits_t *limits,
                               wx_xml_node_t **root, wx_error_t *err)
{
    wx_xml_parser_t p;
    wx_crypt_status_t rc;

    if (wx_xml_check(buf, len, limits, NULL, err) != WX_CRYPT_OK) {
        *root = NULL;
        return WX_CRYPT_ERR_PARSE_XML;
    }
    memset(&p, 0, sizeof(p));
    rc = wx_xml_run(&p, buf, len, limits, 0, root, err);
    wx_xml_parser_drop_ctxt(&p);
    return rc;
}

const wx_xml_node_t *wx_xml_child_n(const wx_xml_node_t *node, const char *name,
                                    size_t name_len)
{
    const wx_xml_node_t *c;
    if (node == NULL) {
        return NULL;
    }
    for (c = node->children; c != NULL; c = c->next) {
        if (c->name_len == name_len && memcmp(c->name, name, name_len) == 0) {
            return c;
        }
    }
    return NULL;
}

const wx_xml_node_t *wx_xml_child(const wx_xml_node_t *node, const char *name)
{
    return wx_xml_child_n(node, name, strlen(name));
}
