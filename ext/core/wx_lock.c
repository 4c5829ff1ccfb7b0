/* wx_lock: the pure parts of the single-flight lock protocol (see wx_lock.h). */
#include <string.h>

#include "wx_lock.h"

void wx_lock_owner(const unsigned char rnd[WX_LOCK_OWNER_BYTES], char out[WX_LOCK_OWNER_HEX + 1])
{
    static const char hex[] = "0123456789abcdef";
    size_t i;
    for (i = 0; i < WX_LOCK_OWNER_BYTES; i++) {
        out[2 * i] = hex[rnd[i] >> 4];
        out[2 * i + 1] = hex[rnd[i] & 0x0f];
    }
    out[WX_LOCK_OWNER_HEX] = '\0';
}

long long wx_lock_px(double lock_timeout)
{
    long long px = (long long) (lock_timeout * 1000);
    return px >= 1 ? px : 1;
}

int wx_lock_holds_error(const char *value, size_t len)
{
    size_t mark = sizeof(WX_LOCK_ERROR_MARK) - 1;
    return len > mark && memcmp(value, WX_LOCK_ERROR_MARK, mark) == 0;
}

unsigned wx_lock_poll_next(unsigned us)
{
    return us >= WX_LOCK_POLL_MAX_US / 2 ? WX_LOCK_POLL_MAX_US : us * 2;
}

double wx_lock_wait_limit(double lock_timeout, double http_timeout)
{
    return lock_timeout + http_timeout;
}
