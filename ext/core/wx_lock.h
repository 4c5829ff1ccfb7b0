/*
 * wx_lock: the pure parts of the single-flight lock protocol.
 *
 *   take     SET lock owner NX PX wx_lock_px(lock_timeout)
 *   release  EVAL WX_LOCK_LUA_COMPARE_AND_DELETE 1 lock owner
 *   fail     EVAL WX_LOCK_LUA_COMPARE_AND_SET 1 lock owner error PX
 *            (the error, a serialize()d array, stays in the lock for the
 *            back-off; waiters read it instead of calling WeChat)
 *   end the back-off early (a new ticket)
 *            EVAL WX_LOCK_LUA_DELETE_ERROR 1 lock
 *   wait     GET lock until it is gone or holds an error, sleeping
 *            wx_lock_poll_next() between reads, for at most
 *            wx_lock_wait_limit() seconds
 *
 * Owners are 16 random bytes as 32 hex digits (the caller supplies the
 * bytes: the core has no RNG policy of its own). Plain C, no Zend; the glue
 * (ext/php/platform/flight.c) runs the commands. Unit-tested in
 * tests/core/test_lock.c; the scripts run against a real Redis in the
 * platform phpt tests.
 */
#ifndef WX_LOCK_H
#define WX_LOCK_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A lock holding this prefix holds a failed refresh's error (the wire
 * format of an array) rather than an owner (a string). */
#define WX_LOCK_ERROR_MARK "a:"

/* KEYS[1] lock or value key, ARGV[1] expected bytes: delete when equal;
 * returns 1 when deleted, else 0. Also drops a rejected token only while
 * it is still the cached one. */
#define WX_LOCK_LUA_COMPARE_AND_DELETE \
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"

/* KEYS[1], ARGV[1] expected, ARGV[2] new value, ARGV[3] optional PX:
 * replace when equal; returns 1 when replaced, else 0. */
#define WX_LOCK_LUA_COMPARE_AND_SET \
    "if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end " \
    "if ARGV[3] then redis.call('set', KEYS[1], ARGV[2], 'px', ARGV[3]) " \
    "else redis.call('set', KEYS[1], ARGV[2]) end return 1"

/* KEYS[1] lock: delete it when it holds an error, never when a live
 * refresh holds it; returns 1 when deleted, else 0. */
#define WX_LOCK_LUA_DELETE_ERROR \
    "local v = redis.call('get', KEYS[1]) " \
    "if v and string.sub(v, 1, 2) == '" WX_LOCK_ERROR_MARK "' then return redis.call('del', KEYS[1]) end return 0"

/* KEYS[1], ARGV[1] value, ARGV[2] milliseconds: SET key value PX ms
 * unless the key already lives more than a second longer; returns 1 when
 * set, else 0. Keeps the newest of values whose expiry is their birth
 * plus a constant (tickets: CreateTime + 11.5 h, to the millisecond),
 * atomically and on one key (cluster-safe), so that two servers racing
 * cannot put an older one back. The second absorbs clock differences
 * between servers (values of the same second replace each other). A key
 * without expiry (PTTL -1) is replaced. */
#define WX_LOCK_LUA_SET_IF_NEWER \
    "if redis.call('pttl', KEYS[1]) > tonumber(ARGV[2]) + 1000 then return 0 end " \
    "redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[2]) return 1"

/* KEYS[1], ARGV[1] expected bytes ('' = the key must be missing), ARGV[2]
 * new value: SET (no expiry) when the key still holds what was read
 * before a WeChat call, so a value written meanwhile (a re-authorization:
 * newer) is never overwritten; returns 1 when written, else 0. Refresh
 * tokens (recovery); encoded values are never empty. */
#define WX_LOCK_LUA_SET_IF_UNCHANGED \
    "local v = redis.call('get', KEYS[1]) " \
    "if ARGV[1] == '' then if v then return 0 end elseif v ~= ARGV[1] then return 0 end " \
    "redis.call('set', KEYS[1], ARGV[2]) return 1"

/* KEYS[1] lock, ARGV[1] owner, ARGV[2] ms: extend our own lock (a long
 * job renews it as it goes); returns 1 when it still was ours, else 0. */
#define WX_LOCK_LUA_RENEW \
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"

/* KEYS[1] pace key, ARGV[1] ms between two calls, ARGV[2] ms the key
 * outlives its last slot: reserve the next free slot of a fleet-wide rate
 * on Redis's clock (one clock for every server) and return how many ms
 * from now it starts (0: at once). The value is the slot in the cache's
 * format of an int. */
#define WX_LOCK_LUA_PACE \
    "if redis.replicate_commands then redis.replicate_commands() end " \
    "local t = redis.call('time') " \
    "local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) " \
    "local v = redis.call('get', KEYS[1]) " \
    "local slot = v and tonumber(string.match(v, '^i:(%d+);$')) or 0 " \
    "if slot < now then slot = now end " \
    "local step = tonumber(ARGV[1]) " \
    "redis.call('set', KEYS[1], 'i:' .. string.format('%d', slot + step) .. ';', 'px', slot + step - now + tonumber(ARGV[2])) " \
    "return slot - now"

/* KEYS[1] registry (sorted set), ARGV[1] member, ARGV[2] the score read,
 * ARGV[3] new score: move the member to the new score only if it still has
 * the one read, so that of several keepers that read the same due entry
 * exactly one takes it (for a lease: the new score is a little ahead);
 * returns 1 when taken, else 0. */
#define WX_LOCK_LUA_CLAIM \
    "local s = redis.call('zscore', KEYS[1], ARGV[1]) " \
    "if s and tonumber(s) == tonumber(ARGV[2]) then redis.call('zadd', KEYS[1], ARGV[3], ARGV[1]) return 1 end return 0"

#define WX_LOCK_OWNER_BYTES 16
#define WX_LOCK_OWNER_HEX   (2 * WX_LOCK_OWNER_BYTES)

/* The owner token for rnd: lowercase hex, NUL-terminated. */
void wx_lock_owner(const unsigned char rnd[WX_LOCK_OWNER_BYTES], char out[WX_LOCK_OWNER_HEX + 1]);

/* PX for a lock living lock_timeout seconds: milliseconds, at least 1. */
long long wx_lock_px(double lock_timeout);

/* Whether a lock's bytes hold an error rather than an owner. */
int wx_lock_holds_error(const char *value, size_t len);

/* Polling a held lock: the first sleep, and the next after `us` (doubling
 * up to WX_LOCK_POLL_MAX_US, so a waiter notices a release within 50 ms
 * without hammering Redis). */
#define WX_LOCK_POLL_FIRST_US 2000u
#define WX_LOCK_POLL_MAX_US   50000u
unsigned wx_lock_poll_next(unsigned us);

/* How long a waiter waits before giving up: a holder that died frees the
 * lock after lock_timeout, and the next one needs up to http_timeout for
 * its call. */
double wx_lock_wait_limit(double lock_timeout, double http_timeout);

#ifdef __cplusplus
}
#endif

#endif
