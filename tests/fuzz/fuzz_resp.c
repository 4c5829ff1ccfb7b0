/* libFuzzer: the RESP2 reader (wx_resp) and the reply trees and
 * expectation checks built on it (wx_conn_decode): bytes from a server.
 *
 * Input: 4 header bytes, then the server's bytes.
 *  h[0] low 2 bits: reply size limit (default 512 MB, 64, 1024, 65536);
 *  h[1]: seed of the chunk sizes for the drip feed;
 *  h[2] low 2 bits + 1: how many commands wx_conn_decode reads replies for;
 *  h[3] and h[0] high bits: their expectations.
 * Checks:
 *  - fed whole or in random small chunks (as a socket delivers), the reader
 *    hands over exactly the same elements and ends in the same state
 *    (errors may differ in kind: a line can be too long before it is seen
 *    to be malformed);
 *  - every element points inside the input, depth within the limit, a
 *    finished reply never larger than the limit;
 *  - wx_conn_decode either fails with a message and no reply, or returns
 *    trees whose strings are NUL-terminated copies and whose arrays are full.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wx_conn.h"
#include "wx_resp.h"

typedef struct {
    const char *base;
    size_t      len;
    uint64_t    hash;
    size_t      count;
} trace_t;

static void mix(trace_t *t, uint64_t v)
{
    t->hash = (t->hash ^ v) * 1099511628211ULL;
}

static int trace_fn(void *ud, const wx_resp_elem_t *e)
{
    trace_t *t = ud;
    size_t i;
    if (e->depth > WX_RESP_MAX_DEPTH) __builtin_trap();
    if (e->str && (e->str < t->base || e->str + e->len > t->base + t->len)) __builtin_trap();
    if ((e->type == WX_RESP_BULK || e->type == WX_RESP_STATUS || e->type == WX_RESP_ERROR) && !e->str) __builtin_trap();
    if (e->type == WX_RESP_ARRAY && e->integer < 0) __builtin_trap();
    if (e->depth == 0 && e->index != 0) __builtin_trap();
    mix(t, (uint64_t) e->type);
    mix(t, e->depth);
    mix(t, e->index);
    mix(t, e->len);
    mix(t, (uint64_t) e->integer);
    for (i = 0; i < e->len; i++) mix(t, (unsigned char) e->str[i]);
    t->count++;
    return 0;
}

/* Read replies from data until an error or the end; returns the number of
 * complete replies, *err whether it ended in an error. */
static size_t run(const char *data, size_t len, size_t max, unsigned seed, int drip,
                  trace_t *t, int *err, size_t *consumed)
{
    wx_resp_reader_t r;
    size_t pos = 0, have = drip ? 0 : len, replies = 0, start = 0, want = 1;
    unsigned rng = seed * 2654435761u + 1;

    wx_resp_init(&r, max);
    t->base = data;
    t->len = len;
    t->hash = 1469598103934665603ULL;
    t->count = 0;
    *err = 0;
    for (;;) {
        wx_resp_rc_t rc;
        if (drip) {
            if (have == len && have - pos < want) break;
            if (have - pos < want || have == pos) {
                rng = rng * 1103515245u + 12345u;
                have += 1 + (rng >> 16) % 7;
                if (have > len) have = len;
                continue;
            }
        }
        rc = wx_resp_feed(&r, data, have, &pos, &want, trace_fn, t);
        if (pos > have) __builtin_trap();
        if (rc == WX_RESP_DONE) {
            if (pos - start > r.max_bytes) __builtin_trap();
            start = pos;
            replies++;
            want = 1;
            continue;
        }
        if (rc == WX_RESP_MORE) {
            if (!drip) break;
            continue;
        }
        if (rc != WX_RESP_EPROTO && rc != WX_RESP_ETOOBIG) __builtin_trap();
        if (r.err[0] == '\0') __builtin_trap();
        *err = 1;
        break;
    }
    *consumed = pos;
    return replies;
}

static void check_tree(const redisReply *r, int depth)
{
    size_t i;
    if (!r || depth > WX_RESP_MAX_DEPTH) __builtin_trap();
    switch (r->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        if (!r->str || r->str[r->len] != '\0') __builtin_trap();
        break;
    case REDIS_REPLY_ARRAY:
        for (i = 0; i < r->elements; i++) check_tree(r->element[i], depth + 1);
        break;
    case REDIS_REPLY_INTEGER:
    case REDIS_REPLY_NIL:
        break;
    default:
        __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size)
{
    static const size_t limits[4] = { 0, 64, 1024, 65536 };
    static const char *argv[2] = { "GET", "k" };
    static const size_t lens[2] = { 3, 1 };
    const char *data;
    size_t len, max, ca, cb, n, i;
    trace_t a, b;
    int ea, eb;
    wx_conn_opts_t o;
    wx_conn_t *c;
    wx_conn_cmd_t cmds[4];
    redisReply *replies[4];

    if (size < 4) return 0;
    data = (const char *) in + 4;
    len = size - 4;
    max = limits[in[0] & 3];

    /* whole versus drip */
    if (run(data, len, max, in[1], 0, &a, &ea, &ca) != run(data, len, max, in[1], 1, &b, &eb, &cb) ||
        a.hash != b.hash || a.count != b.count || ea != eb || (!ea && ca != cb)) {
        __builtin_trap();
    }

    /* the trees and expectations */
    n = (size_t) (in[2] & 3) + 1;
    for (i = 0; i < n; i++) {
        unsigned bits = i < 2 ? (in[3] >> (4 * i)) : (in[0] >> (2 + 3 * (i - 2)));
        cmds[i] = (wx_conn_cmd_t) { 2, argv, lens, (wx_conn_expect_t) (bits % 10), (bits >> 2) & 3 };
    }
    wx_conn_opts_init(&o);
    o.max_reply_bytes = max;
    c = wx_conn_new(&o, NULL);
    if (!c) return 0;
    memset(replies, 0, sizeof(replies));
    if (wx_conn_decode(c, data, len, cmds, n, replies) == WX_CONN_OK) {
        for (i = 0; i < n; i++) {
            check_tree(replies[i], 0);
            freeReplyObject(replies[i]);
        }
    } else {
        if (c->errstr[0] == '\0') __builtin_trap();
        for (i = 0; i < n; i++) if (replies[i]) __builtin_trap();
    }
    wx_conn_free(c);
    return 0;
}
