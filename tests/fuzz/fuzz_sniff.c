/* libFuzzer: format recognition of arbitrary stored bytes (every value
 * read from Redis goes through it before PHP sees it). */
#include <stddef.h>
#include <stdint.h>
#include "wx_sniff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    wx_format_t f = wx_sniff_format(data, size);
    /* the classification must agree with the individual validators */
    if (f == WX_FORMAT_PHP && !wx_sniff_is_php(data, size, 0)) __builtin_trap();
    if (f == WX_FORMAT_JSON && !wx_sniff_is_json(data, size)) __builtin_trap();
    if (f == WX_FORMAT_MSGPACK && (!wx_sniff_is_msgpack(data, size) || wx_sniff_is_text(data, size))) __builtin_trap();
    (void) wx_sniff_is_php(data, size, 8);
    return 0;
}
