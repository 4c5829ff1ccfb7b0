/* libFuzzer: the +switch-master listener (wx_sentinel_watch_feed), which
 * reads a sentinel's pub/sub stream: bytes from a server.
 *
 * Input: 2 header bytes, then the stream.
 *  h[0] bit 0: start in the handshake (AUTH's +OK and the subscribe
 *       confirmation owed; bit 1: AUTH sent), else live;
 *  h[1]: seed of the chunk sizes for the drip feed.
 * Checks:
 *  - fed whole or in random small chunks (as recv() delivers), the watch
 *    ends the same: down or not, a switch seen or not, the same last new
 *    master, the same state;
 *  - down always comes with a message; a switch names a NUL-terminated
 *    host and a port in 1..65535; the buffer never overflows.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "wx_sentinel.h"

typedef struct {
    int                down;
    int                switched;
    wx_topo_hostport_t to;
    int                state;
} outcome_t;

static void check_to(const wx_topo_hostport_t *to)
{
    if (memchr(to->host, '\0', sizeof(to->host)) == NULL) __builtin_trap();
    if (to->port < 1 || to->port > 65535) __builtin_trap();
}

static outcome_t run(const uint8_t *h, const char *data, size_t len, int chunked)
{
    static wx_sentinel_watch_t w;
    outcome_t o;
    uint32_t seed = h[1] * 2654435761u + 1;
    size_t pos = 0;

    memset(&o, 0, sizeof(o));
    if (h[0] & 1) wx_sentinel_watch_init_handshake(&w, -1, (h[0] >> 1) & 1);
    else wx_sentinel_watch_init(&w, -1);
    while (pos < len && !o.down) {
        size_t n = len - pos;
        wx_topo_hostport_t to;
        wx_watch_rc_t rc;
        if (chunked) {
            seed = seed * 1103515245u + 12345u;
            n = 1 + (seed >> 16) % 7;
            if (n > len - pos) n = len - pos;
        }
        rc = wx_sentinel_watch_feed(&w, data + pos, n, "mymaster", &to);
        if (w.len > sizeof(w.buf)) __builtin_trap();
        if (rc == WX_WATCH_DOWN) {
            if (w.err[0] == '\0') __builtin_trap();
            o.down = 1;
        } else if (rc == WX_WATCH_SWITCH) {
            check_to(&to);
            o.switched = 1;
            o.to = to;
        }
        pos += n;
    }
    o.state = (int) w.state;
    return o;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    outcome_t a, b;
    if (size < 2) return 0;
    a = run(data, (const char *) data + 2, size - 2, 0);
    b = run(data, (const char *) data + 2, size - 2, 1);
    if (a.down != b.down) __builtin_trap();
    if (!a.down) {
        if (a.switched != b.switched || a.state != b.state) __builtin_trap();
        if (a.switched && (a.to.port != b.to.port || strcmp(a.to.host, b.to.host) != 0)) __builtin_trap();
    }
    return 0;
}
