/* libFuzzer: DSN parsing (user-supplied configuration) and pool keys. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include "wx_conn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_conn_opts_t o;
    char err[256];
    wx_conn_opts_init(&o);
    if (wx_conn_parse_dsn(&o, (const char *) data, size, err, sizeof(err)) == WX_CONN_OK) {
        char *key = wx_conn_opts_key(&o);
        if (!key || (!o.host && !o.unix_path) || o.port < 1 || o.port > 65535) __builtin_trap();
        free(key);
    }
    wx_conn_opts_clear(&o);
    return 0;
}
