/* Unit tests of wx_resp, the strict incremental RESP2 reader: what it
 * accepts, what it refuses (and says), limits checked from headers, and
 * that feeding a reply byte by byte gives exactly what feeding it whole
 * gives. */
#include "wx_resp.h"
#include "wx_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every element as one line of text, e.g. "0.0 $3:abc", to compare runs. */
typedef struct {
    char   log[4096];
    size_t n;
    int    elements;
    int    stop_after;   /* return 1 at this element (0: never) */
} trace_t;

static int trace_fn(void *ud, const wx_resp_elem_t *e)
{
    trace_t *t = ud;
    char line[128];
    int k;
    switch (e->type) {
    case WX_RESP_STATUS:    k = snprintf(line, sizeof(line), "%u.%zu +%.*s;", e->depth, e->index, (int) e->len, e->str); break;
    case WX_RESP_ERROR:     k = snprintf(line, sizeof(line), "%u.%zu -%.*s;", e->depth, e->index, (int) e->len, e->str); break;
    case WX_RESP_INTEGER:   k = snprintf(line, sizeof(line), "%u.%zu :%lld;", e->depth, e->index, e->integer); break;
    case WX_RESP_BULK: {
        /* printable, so a TAP line never breaks */
        char shown[21];
        size_t i, n = e->len > 20 ? 20 : e->len;
        for (i = 0; i < n; i++) shown[i] = (e->str[i] >= 0x20 && e->str[i] < 0x7f) ? e->str[i] : '.';
        shown[n] = '\0';
        k = snprintf(line, sizeof(line), "%u.%zu $%zu:%s;", e->depth, e->index, e->len, shown);
        break;
    }
    case WX_RESP_NIL:       k = snprintf(line, sizeof(line), "%u.%zu nil;", e->depth, e->index); break;
    case WX_RESP_ARRAY:     k = snprintf(line, sizeof(line), "%u.%zu *%lld;", e->depth, e->index, e->integer); break;
    default:                k = snprintf(line, sizeof(line), "%u.%zu nil*;", e->depth, e->index); break;
    }
    if (t->n + (size_t) k < sizeof(t->log)) {
        memcpy(t->log + t->n, line, (size_t) k + 1);
        t->n += (size_t) k;
    }
    t->elements++;
    return t->stop_after && t->elements == t->stop_after;
}

/* Feed s whole; returns the rc, *used the bytes consumed. */
static wx_resp_rc_t whole(const char *s, size_t len, size_t max, trace_t *t, size_t *used, char *err)
{
    wx_resp_reader_t r;
    size_t pos = 0;
    wx_resp_rc_t rc;
    wx_resp_init(&r, max);
    memset(t, 0, sizeof(*t));
    rc = wx_resp_feed(&r, s, len, &pos, NULL, trace_fn, t);
    if (used) *used = pos;
    if (err) strcpy(err, r.err);
    return rc;
}

/* Feed s one more byte at a time, as a slow socket would. */
static wx_resp_rc_t drip(const char *s, size_t len, size_t max, trace_t *t, size_t *used)
{
    wx_resp_reader_t r;
    size_t pos = 0, have, want = 1;
    wx_resp_rc_t rc = WX_RESP_MORE;
    wx_resp_init(&r, max);
    memset(t, 0, sizeof(*t));
    for (have = 1; have <= len; have++) {
        if (have - pos < want) continue;   /* what a caller honouring want does */
        rc = wx_resp_feed(&r, s, have, &pos, &want, trace_fn, t);
        if (rc != WX_RESP_MORE) break;
    }
    if (used) *used = pos;
    return rc;
}

#define S(lit) lit, sizeof(lit) - 1

static void check_accepts(void)
{
    static const struct { const char *in; size_t len; const char *log; } cases[] = {
        { S("+OK\r\n"),                   "0.0 +OK;" },
        { S("+\r\n"),                     "0.0 +;" },
        { S("-ERR wrong type\r\n"),       "0.0 -ERR wrong type;" },
        { S("-MOVED 3999 127.0.0.1:6381\r\n"), "0.0 -MOVED 3999 127.0.0.1:6381;" },
        { S(":0\r\n"),                    "0.0 :0;" },
        { S(":-42\r\n"),                  "0.0 :-42;" },
        { S(":9223372036854775807\r\n"),  "0.0 :9223372036854775807;" },
        { S(":-9223372036854775808\r\n"), "0.0 :-9223372036854775808;" },
        { S("$0\r\n\r\n"),                "0.0 $0:;" },
        { S("$5\r\na\r\nb\0\r\n"),        "0.0 $5:a..b.;" },
        { S("$-1\r\n"),                   "0.0 nil;" },
        { S("*-1\r\n"),                   "0.0 nil*;" },
        { S("*0\r\n"),                    "0.0 *0;" },
        { S("*3\r\n$1\r\na\r\n$-1\r\n:7\r\n"), "0.0 *3;1.0 $1:a;1.1 nil;1.2 :7;" },
        { S("*2\r\n$1\r\n0\r\n*2\r\n$2\r\nk1\r\n$2\r\nk2\r\n"), "0.0 *2;1.0 $1:0;1.1 *2;2.0 $2:k1;2.1 $2:k2;" },
        { S("*2\r\n*0\r\n*1\r\n*1\r\n+x\r\n"), "0.0 *2;1.0 *0;1.1 *1;2.0 *1;3.0 +x;" },
        { S("*2\r\n-ERR a\r\n+OK\r\n"),   "0.0 *2;1.0 -ERR a;1.1 +OK;" },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        trace_t a, b;
        size_t ua, ub;
        wx_resp_rc_t ra = whole(cases[i].in, cases[i].len, 0, &a, &ua, NULL);
        wx_resp_rc_t rb = drip(cases[i].in, cases[i].len, 0, &b, &ub);
        WX_CHECK(ra == WX_RESP_DONE && ua == cases[i].len && strcmp(a.log, cases[i].log) == 0,
                 "accepts case %zu whole: %s", i, a.log);
        WX_CHECK(rb == WX_RESP_DONE && ub == cases[i].len && strcmp(a.log, b.log) == 0,
                 "case %zu fed byte by byte gives the same elements", i);
    }
}

static void check_refuses(void)
{
    static const struct { const char *in; size_t len; const char *msg; } cases[] = {
        { S("%1\r\n+a\r\n+b\r\n"),        "RESP3 reply type '%'" },
        { S("_\r\n"),                     "RESP3 reply type '_'" },
        { S(",1.5\r\n"),                  "RESP3 reply type ','" },
        { S(">2\r\n"),                    "RESP3 reply type '>'" },
        { S("hello\r\n"),                 "'h' where a reply type" },
        { S("\x01\r\n"),                  "byte 0x01" },
        { S("+OK\rX"),                    "CR not followed by LF" },
        { S("+O\nK\r\n"),                 "LF inside" },
        { S(":\r\n"),                     "not a 64-bit decimal" },
        { S(":-\r\n"),                    "not a 64-bit decimal" },
        { S(":+1\r\n"),                   "not a 64-bit decimal" },
        { S(": 1\r\n"),                   "not a 64-bit decimal" },
        { S(":9223372036854775808\r\n"),  "not a 64-bit decimal" },
        { S(":1.5\r\n"),                  "not a 64-bit decimal" },
        { S(":12345678901234567890123\r\n"), "longer than a 64-bit number" },
        { S("$-2\r\n"),                   "bulk string length -2" },
        { S("$3\r\nabcXY"),               "not followed by CRLF" },
        { S("$3\r\nabc\n\r"),             "not followed by CRLF" },
        { S("*-2\r\n"),                   "array length -2" },
        { S("$1x\r\n"),                   "not a 64-bit decimal" },
    };
    size_t i;
    char err[256];
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        trace_t t, d;
        wx_resp_rc_t rc = whole(cases[i].in, cases[i].len, 0, &t, NULL, err);
        wx_resp_rc_t rd = drip(cases[i].in, cases[i].len, 0, &d, NULL);
        WX_CHECK(rc == WX_RESP_EPROTO && strstr(err, cases[i].msg), "refuses case %zu: %s", i, err);
        WX_CHECK(rd == WX_RESP_EPROTO, "case %zu refused fed byte by byte too", i);
    }
    {
        /* 17 nested arrays: one more than the limit */
        char deep[128];
        size_t n = 0;
        trace_t t;
        for (i = 0; i < 17; i++) n += (size_t) sprintf(deep + n, "*1\r\n");
        n += (size_t) sprintf(deep + n, ":1\r\n");
        WX_CHECK(whole(deep, n, 0, &t, NULL, err) == WX_RESP_EPROTO && strstr(err, "nested deeper than 16"),
                 "nesting limit: %s", err);
        WX_CHECK(whole(deep + 4, n - 4, 0, &t, NULL, err) == WX_RESP_DONE, "16 levels are fine");
    }
    {
        /* a header line with no end is refused once it is longer than a number */
        trace_t t;
        WX_CHECK(whole(S("$11111111111111111111111111"), 0, &t, NULL, err) == WX_RESP_EPROTO,
                 "unending length header: %s", err);
        WX_CHECK(whole(S("$1111"), 0, &t, NULL, err) == WX_RESP_MORE, "short unfinished header waits");
    }
}

static void check_limits(void)
{
    trace_t t;
    char err[256];
    size_t used;

    WX_CHECK(whole(S("$999999999999\r\n"), 0, &t, NULL, err) == WX_RESP_ETOOBIG &&
             strstr(err, "999999999999 bytes") && strstr(err, "536870912"),
             "huge bulk header refused at once, naming size and default limit: %s", err);
    WX_CHECK(whole(S("*999999999999\r\n"), 0, &t, NULL, err) == WX_RESP_ETOOBIG &&
             strstr(err, "999999999999 elements"), "huge array header refused at once: %s", err);
    WX_CHECK(whole(S("$9223372036854775807\r\n"), 0, &t, NULL, err) == WX_RESP_ETOOBIG, "LLONG_MAX bulk refused");
    WX_CHECK(whole(S("*9223372036854775807\r\n"), 0, &t, NULL, err) == WX_RESP_ETOOBIG, "LLONG_MAX array refused");

    /* configurable: "$100\r\n" + 100 + CRLF = 108 bytes on the wire */
    {
        char buf[200];
        size_t n = (size_t) sprintf(buf, "$100\r\n");
        memset(buf + n, 'v', 100);
        memcpy(buf + n + 100, "\r\n", 2);
        n += 102;
        WX_CHECK(whole(buf, n, 108, &t, &used, err) == WX_RESP_DONE && used == 108, "a reply of exactly the limit passes");
        WX_CHECK(whole(buf, n, 107, &t, NULL, err) == WX_RESP_ETOOBIG && strstr(err, "100 bytes") && strstr(err, "107 bytes"),
                 "one byte over is refused from the header: %s", err);
        WX_CHECK(whole(buf, 6, 107, &t, NULL, err) == WX_RESP_ETOOBIG, "refused before any body byte arrived");
    }
    /* the limit covers the whole reply, not each element */
    WX_CHECK(whole(S("*3\r\n$3\r\nabc\r\n$3\r\nabc\r\n$3\r\nabc\r\n"), 20, &t, NULL, err) == WX_RESP_ETOOBIG &&
             t.elements == 2, "elements add up to the reply size (refused at element %d)", t.elements);
    /* an array count that cannot fit: 3 bytes an element at least */
    WX_CHECK(whole(S("*10\r\n"), 34, &t, NULL, err) == WX_RESP_ETOOBIG, "array of 10 cannot fit 34 bytes: %s", err);
    WX_CHECK(whole(S("*10\r\n"), 35, &t, NULL, err) == WX_RESP_MORE, "array of 10 could fit 35 bytes");
    /* a status line that never ends */
    {
        char line[300];
        memset(line, 'a', sizeof(line));
        line[0] = '+';
        WX_CHECK(whole(line, sizeof(line), 200, &t, NULL, err) == WX_RESP_ETOOBIG && strstr(err, "without ending"),
                 "endless status line stops at the limit: %s", err);
        WX_CHECK(whole(line, sizeof(line), 0, &t, NULL, err) == WX_RESP_MORE, "under the limit it waits");
        /* found by fuzz_resp: a CR whose LF has not come yet was not checked */
        line[250] = '\r';
        WX_CHECK(whole(line, 251, 200, &t, NULL, err) == WX_RESP_ETOOBIG, "CR without LF yet, over the limit: refused now");
        WX_CHECK(whole(line, 199, 200, &t, NULL, err) == WX_RESP_ETOOBIG, "199 bytes and no CRLF cannot fit 200: refused now");
        WX_CHECK(whole(line, 198, 200, &t, NULL, err) == WX_RESP_MORE, "198 bytes could still end in time");
    }
    {
        /* found by fuzz_resp: one more byte can decide an unfinished header,
         * so want must not ask for two (the call would wait for its deadline) */
        wx_resp_reader_t r;
        size_t pos = 0, want = 0;
        wx_resp_init(&r, 0);
        WX_CHECK(wx_resp_feed(&r, ":-922337203685477580", 20, &pos, &want, NULL, NULL) == WX_RESP_MORE && want == 21,
                 "unfinished line wants one byte more (%zu)", want);
    }
}

static void check_incremental(void)
{
    wx_resp_reader_t r;
    const char *s = "$10\r\n0123456789\r\n:5\r\n";
    size_t pos = 0, want = 0;
    trace_t t;

    memset(&t, 0, sizeof(t));
    wx_resp_init(&r, 0);
    WX_CHECK(wx_resp_feed(&r, s, 7, &pos, &want, trace_fn, &t) == WX_RESP_MORE && pos == 0 && want == 17,
             "partial bulk: nothing consumed, wants the whole 17 bytes (want %zu)", want);
    WX_CHECK(wx_resp_feed(&r, s, 17, &pos, &want, trace_fn, &t) == WX_RESP_DONE && pos == 17,
             "then completes");
    WX_CHECK(wx_resp_feed(&r, s, strlen(s), &pos, &want, trace_fn, &t) == WX_RESP_DONE && pos == strlen(s) &&
             strcmp(t.log, "0.0 $10:0123456789;0.0 :5;") == 0, "next reply from the same buffer: %s", t.log);
    WX_CHECK(wx_resp_feed(&r, s, strlen(s), &pos, &want, trace_fn, &t) == WX_RESP_MORE && want == 1,
             "nothing left: wants one byte");

    /* elements are handed over as soon as they are complete */
    memset(&t, 0, sizeof(t));
    pos = 0;
    wx_resp_init(&r, 0);
    WX_CHECK(wx_resp_feed(&r, "*2\r\n$1\r\na\r\n$1\r\n", 15, &pos, &want, trace_fn, &t) == WX_RESP_MORE &&
             t.elements == 2 && pos == 11, "array header and first element delivered early");

    /* a visitor that says stop */
    memset(&t, 0, sizeof(t));
    t.stop_after = 2;
    pos = 0;
    wx_resp_init(&r, 0);
    WX_CHECK(wx_resp_feed(&r, S("*2\r\n:1\r\n:2\r\n"), &pos, NULL, trace_fn, &t) == WX_RESP_ESTOP && t.elements == 2,
             "visitor can stop the reader");
    WX_CHECK(strcmp(wx_resp_type_name(WX_RESP_BULK), "a bulk string") == 0, "type names for messages");
}

int main(void)
{
    check_accepts();
    check_refuses();
    check_limits();
    check_incremental();
    return wx_test_done();
}
