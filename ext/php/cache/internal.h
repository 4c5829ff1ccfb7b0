/*
 * What the files of ext/php/cache/ share besides store.h: the CacheItems
 * object and the helpers one file defines and others call. Private to the
 * cache; other classes use store.h.
 */
#ifndef WX_PHP_CACHE_INTERNAL_H
#define WX_PHP_CACHE_INTERNAL_H

#include "php.h"
#include "store.h"

extern zend_class_entry *wx_ce_CacheItems;

typedef struct {
    zval        keys;         /* packed array of strings */
    zval        values;       /* packed array, same length */
    uint32_t    pos;
    zend_object std;
} wx_cache_items_t;

static inline wx_cache_items_t *wx_cache_items_from_obj(zend_object *obj)
{
    return (wx_cache_items_t *) ((char *) obj - offsetof(wx_cache_items_t, std));
}

/* The cache behind $this; NULL with an Error when its constructor did not
 * run (store.c throws it). */
ZEND_COLD void wx_cache_throw_uninitialized(zval *zthis);

static zend_always_inline wx_cache_obj_t *wx_cache_this(zval *zthis)
{
    wx_cache_obj_t *c = wx_cache_from_obj(Z_OBJ_P(zthis));
    if (UNEXPECTED(!c->client)) {
        wx_cache_throw_uninitialized(zthis);
        return NULL;
    }
    return c;
}

/* args.c: PSR-16's argument rules. */

/* A PSR-16 key checked, as its Redis key (prefix + key). */
zend_string *wx_cache_key(wx_cache_obj_t *c, zval *key);

/* A TTL (NULL, null, int seconds or DateInterval): forever, *secs > 0
 * seconds from now, or already expired (PSR-16: delete the item). */
typedef enum { WX_TTL_FOREVER, WX_TTL_SECONDS, WX_TTL_EXPIRED } wx_ttl_t;
zend_result wx_cache_ttl(zval *ttl, wx_ttl_t *kind, zend_long *secs);

/* Call fn(key, value) for each entry of an array or a Traversable (int
 * keys arrive as IS_LONG, as PHP arrays hold them). FAILURE when fn fails,
 * the iterator throws, or `iterable` is neither (InvalidArgumentException
 * naming `what`). */
typedef zend_result (*wx_cache_each_fn)(wx_cache_obj_t *c, zval *key, zval *val, void *ctx);
zend_result wx_cache_each(wx_cache_obj_t *c, zval *iterable, const char *what,
                          wx_cache_each_fn fn, void *ctx);
/* The checked keys of an iterable of keys (getMultiple, deleteMultiple),
 * ready to send: `names` the distinct PSR keys (strings) in first-seen
 * order, argv/lens the command (argv[0]) and their n Redis keys, which
 * point into the PSR keys (no prefix) or into one buffer (prefix + key).
 * No array of Redis keys, no table for the duplicate check of a usual
 * batch. The struct points into itself: use it where it was initialised. */
#define WX_CACHE_BATCH_INLINE 32
#define WX_CACHE_BATCH_SLOTS  64    /* power of two, twice the keys */
typedef struct {
    zval         names;
    uint32_t     n;
    const char **argv;
    size_t      *lens;
    char        *arena;
    HashTable   *seen;        /* only past WX_CACHE_BATCH_INLINE keys */
    zend_ulong   hashes[WX_CACHE_BATCH_INLINE];
    uint8_t      slots[WX_CACHE_BATCH_SLOTS];   /* position + 1 of a key, 0 free */
    const char  *argv_inline[WX_CACHE_BATCH_INLINE + 1];
    size_t       lens_inline[WX_CACHE_BATCH_INLINE + 1];
} wx_cache_batch_t;
/* FAILURE (nothing to free) when a key breaks PSR-16's rules, the
 * iterable is neither an array nor a Traversable, or it throws. */
zend_result wx_cache_batch_init(wx_cache_obj_t *c, zval *keys, const char *cmd, wx_cache_batch_t *b);
/* Frees what it holds; names too, unless taken (set UNDEF). */
void wx_cache_batch_free(wx_cache_batch_t *b);
/* Checked entries of an iterable of key => value (setMultiple) into
 * `staged`: Redis key => value. Int keys are valid (PHP turns "123" into
 * 123); a later duplicate overwrites an earlier one, as in an array. */
zend_result wx_cache_stage_values(wx_cache_obj_t *c, zval *values, HashTable *staged);

/* log.c: the cache's events, called by store.c when c->logger is set. */
void wx_cache_log_lost(wx_cache_obj_t *c);
void wx_cache_log_restored(wx_cache_obj_t *c);
void wx_cache_log_format(wx_cache_obj_t *c, zend_string *rk);

/* items.c: a new CacheItems in out over the PSR keys `names` (a packed
 * array, taken); the caller appends one value per key to ->values. */
wx_cache_items_t *wx_cache_items_init(zval *out, zval *names);
/* From MINIT: the class's handlers and its C iterator. */
void wx_cache_items_startup(zend_class_entry *ce);

#endif
