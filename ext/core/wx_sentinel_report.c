/*
 * wx_sentinel_report: when no sentinel named a usable master, the message
 * says what each one said, so an operator sees at once whether the name
 * is wrong, a sentinel is down or the master it names is.
 */
#include "wx_sentinel.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void wx_sentinel_report_init(wx_sentinel_report_t *r, char *buf, size_t cap)
{
    r->buf = buf;
    r->cap = cap;
    r->len = 0;
    r->parts = 0;
    r->dropped = 0;
    if (cap > 0) buf[0] = '\0';
}

/* Room kept for the "; and N more" tail. */
#define WX_REPORT_TAIL 24

void wx_sentinel_report_add(wx_sentinel_report_t *r, const char *where, const char *fmt, ...)
{
    char part[512];
    va_list ap;
    size_t pl;
    int k;

    k = snprintf(part, sizeof(part), "%s%s: ", r->parts ? "; " : "", where);
    if (k < 0) return;
    pl = (size_t) k < sizeof(part) ? (size_t) k : sizeof(part) - 1;
    va_start(ap, fmt);
    vsnprintf(part + pl, sizeof(part) - pl, fmt, ap);
    va_end(ap);
    pl = strlen(part);
    /* whole parts only: a cut-off answer would mislead */
    if (r->dropped || r->len + pl + WX_REPORT_TAIL >= r->cap) {
        r->dropped++;
        return;
    }
    memcpy(r->buf + r->len, part, pl + 1);
    r->len += pl;
    r->parts++;
}

const char *wx_sentinel_report_end(wx_sentinel_report_t *r)
{
    if (r->dropped && r->len + WX_REPORT_TAIL <= r->cap) {
        r->len += (size_t) snprintf(r->buf + r->len, r->cap - r->len, "%sand %zu more",
                                    r->parts ? "; " : "", r->dropped);
    }
    return r->buf;
}

const char *wx_sentinel_reason(const char *errstr)
{
    static const char *const heads[] = { "cannot connect to Redis at ", "Redis at " };
    size_t i;

    for (i = 0; i < sizeof(heads) / sizeof(heads[0]); i++) {
        size_t hl = strlen(heads[i]);
        const char *p;
        if (strncmp(errstr, heads[i], hl) != 0) continue;
        /* the place is one word ("127.0.0.1:26379", "[::1]:26379",
         * "unix:/path", with a ':' after it or not), then a space */
        p = strchr(errstr + hl, ' ');
        return p ? p + 1 : errstr;
    }
    return errstr;
}

void wx_sentinel_where(const wx_topo_addr_t *a, char *buf, size_t cap)
{
    if (a->unix_path) {
        snprintf(buf, cap, "unix:%s", a->unix_path);
    } else if (a->host && strchr(a->host, ':')) {
        snprintf(buf, cap, "[%s]:%d", a->host, a->port);
    } else {
        snprintf(buf, cap, "%s:%d", a->host ? a->host : "?", a->port);
    }
}
