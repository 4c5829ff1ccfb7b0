/*
 * wx_events: the events wxredis reports to a PSR-3 logger, one table:
 * a stable name, a PSR-3 level, a message that is static text with
 * {placeholders} (PSR-3 interpolation: the logger fills them from the
 * context, and log aggregators group by the text), and the context keys
 * each carries. The README's event table lists the same rows.
 *
 * Secrets (tickets, tokens, refresh tokens, the AppSecret) never go into
 * a context: wx_fingerprint() gives the first 8 hex digits of their
 * SHA-256, enough to tell two values apart in logs, useless to a reader.
 *
 * Plain C, no Zend; unit-tested in tests/core/test_events.c.
 */
#ifndef WX_EVENTS_H
#define WX_EVENTS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    /* WxRedis\OpenPlatform */
    WX_EV_TICKET_STORED = 0,
    WX_EV_TICKET_REFUSED,
    WX_EV_PUSH_REJECTED,
    WX_EV_PUSH_REQUESTED,
    WX_EV_TOKEN_REFRESHED,
    WX_EV_LOCK_WAITED,
    WX_EV_REFRESH_FAILED,
    WX_EV_REFRESH_TOKEN_STORED,
    WX_EV_REFRESH_TOKEN_ROTATED,
    WX_EV_REFRESH_TOKEN_REMOVED,
    WX_EV_REFRESH_TOKEN_RECOVERED,
    WX_EV_WECHAT_ERROR,
    /* WxRedis\Cache */
    WX_EV_FORMAT_ERROR,
    WX_EV_CONNECTION_LOST,
    WX_EV_CONNECTION_RESTORED,
    WX_EV_COUNT
} wx_event_t;

typedef struct {
    wx_event_t  id;
    const char *name;      /* "wxredis.ticket.stored": the context's "event" */
    const char *level;     /* PSR-3: "info", "notice", "warning", "error" */
    const char *message;   /* static text with {placeholders} */
    const char *keys;      /* context keys, comma-separated (documentation, tests) */
} wx_event_def_t;

const wx_event_def_t *wx_events_table(size_t *n);
/* One row; NULL for an id out of range. */
const wx_event_def_t *wx_events_def(wx_event_t id);

/* Hex digits of a fingerprint, and its buffer size with the NUL. */
#define WX_FINGERPRINT_HEX 8
#define WX_FINGERPRINT_SIZE (WX_FINGERPRINT_HEX + 1)

/* The first WX_FINGERPRINT_HEX lowercase hex digits of SHA-256(data),
 * NUL-terminated into out; returns out. */
char *wx_fingerprint(const void *data, size_t len, char out[WX_FINGERPRINT_SIZE]);

#ifdef __cplusplus
}
#endif

#endif
