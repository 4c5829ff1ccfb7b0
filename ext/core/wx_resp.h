/*
 * wx_resp: a strict, incremental RESP2 reply reader that builds nothing.
 *
 * Plain C, no Zend, no allocation. It walks the bytes of one reply and
 * hands each element to a visitor as soon as the element is complete:
 * scalars with their bytes (pointing into the caller's buffer), arrays as
 * a header with their element count, children after it in order. A caller
 * that wants a tree builds one in its visitor (wx_conn does, as hiredis
 * redisReply objects); a caller that does not (MGET straight into PHP
 * values) never pays for one.
 *
 * Why our own reader and not hiredis's: hiredis 0.14 (Debian 12) buffers
 * whatever a header announces ($999999999999 makes it read until memory
 * runs out) and callocs an array's element vector from the announced count.
 * Here every length is checked against a limit from the header, before a
 * single byte of the body is buffered, and arrays cost nothing until their
 * elements arrive.
 *
 * Strict means: only the five RESP2 types; lengths and integers are plain
 * decimal that fits in 64 bits; every line ends in CRLF and simple strings
 * contain neither CR nor LF; a bulk string is followed by CRLF exactly;
 * nil only as $-1 / *-1; at most WX_RESP_MAX_DEPTH nested arrays. RESP3
 * type bytes are named in the error (a server switched by HELLO 3).
 */
#ifndef WX_RESP_H
#define WX_RESP_H

#include <stddef.h>

/* Redis's own proto-max-bulk-len default. */
#define WX_RESP_DEFAULT_MAX_BYTES ((size_t) 512 * 1024 * 1024)
#define WX_RESP_MAX_DEPTH 16

typedef enum {
    WX_RESP_STATUS = 1,   /* +text */
    WX_RESP_ERROR,        /* -text */
    WX_RESP_INTEGER,      /* :n */
    WX_RESP_BULK,         /* $len bytes */
    WX_RESP_NIL,          /* $-1 */
    WX_RESP_ARRAY,        /* *count, children follow */
    WX_RESP_NIL_ARRAY     /* *-1 */
} wx_resp_type_t;

/* One element as the visitor sees it. */
typedef struct {
    wx_resp_type_t type;
    unsigned       depth;    /* 0: the reply itself; 1: an element of it ... */
    size_t         index;    /* position in the enclosing array (0 at depth 0) */
    const char    *str;      /* STATUS, ERROR, BULK: the bytes (not NUL-terminated),
                                valid only during the call */
    size_t         len;
    long long      integer;  /* INTEGER: the value; ARRAY: the element count */
} wx_resp_elem_t;

/* Return 0 to go on, anything else to stop the reader (WX_RESP_ESTOP). */
typedef int (*wx_resp_visit_fn)(void *ud, const wx_resp_elem_t *e);

typedef enum {
    WX_RESP_DONE    = 0,   /* one whole reply was read */
    WX_RESP_MORE    = 1,   /* the reply goes on past the bytes given */
    WX_RESP_EPROTO  = -1,  /* not RESP2 (message in r->err) */
    WX_RESP_ETOOBIG = -2,  /* a header announces more than max_bytes (message in r->err) */
    WX_RESP_ESTOP   = -3   /* the visitor returned non-zero */
} wx_resp_rc_t;

typedef struct {
    size_t   max_bytes;                 /* limit for one reply, on the wire */
    size_t   used;                      /* bytes of this reply consumed so far */
    size_t   scanned;                   /* bytes of an unfinished line known to hold no CR */
    unsigned depth;                     /* arrays open */
    size_t   left[WX_RESP_MAX_DEPTH];   /* elements each open array still owes */
    size_t   count[WX_RESP_MAX_DEPTH];  /* elements each open array announced */
    char     err[200];
} wx_resp_reader_t;

/* max_bytes 0 means WX_RESP_DEFAULT_MAX_BYTES. */
void wx_resp_init(wx_resp_reader_t *r, size_t max_bytes);

/* Forget a reply in progress (after an error, or to reuse the reader). */
void wx_resp_reset(wx_resp_reader_t *r);

/*
 * Read from buf[*pos .. len). Every element completed in that range goes
 * to fn (which may be NULL) and *pos moves past it. Returns
 *  - WX_RESP_DONE: the reply ended; *pos is just past it (bytes after it
 *    belong to whatever comes next). The reader is ready for the next reply.
 *  - WX_RESP_MORE: keep buf[*pos .. len) and call again with more bytes
 *    appended; *want (if not NULL) is how many bytes from *pos the next
 *    element needs at least, so a caller can size its buffer and skip
 *    calls that cannot progress.
 *  - an error: the connection cannot be trusted any more; r->err says why.
 * A reply's size counts every byte of it on the wire; a bulk string or an
 * unfinished line that would take it past max_bytes, or an array whose
 * count could not fit in what is left (3 bytes an element at least), fails
 * at its header with WX_RESP_ETOOBIG.
 */
wx_resp_rc_t wx_resp_feed(wx_resp_reader_t *r, const char *buf, size_t len, size_t *pos,
                          size_t *want, wx_resp_visit_fn fn, void *ud);

/* "a bulk string", "an integer", ... for messages. */
const char *wx_resp_type_name(wx_resp_type_t t);

#endif
