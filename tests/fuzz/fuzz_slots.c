/* libFuzzer: wx_slots. The first byte picks what the rest is:
 *   0  an error reply: wx_slots_parse_redirect must agree with
 *      wx_topo_error_class, and what it returns must be in range;
 *   1  RESP bytes as a CLUSTER SLOTS reply (through hiredis's reader), then
 *      MOVEDs applied: the map stays consistent (every slot's node exists and
 *      is a master, the assigned count is right, replicas point at masters),
 *      and a failed build changes nothing;
 *   2  a key: wx_slots_keyslot against a naive re-implementation (bitwise
 *      CRC16, tag found by a plain loop). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "wx_slots.h"

static void check_map(const wx_slots_map_t *m)
{
    size_t i, assigned = 0;
    for (i = 0; i < WX_SLOTS_COUNT; i++) {
        int idx = m->slot_node[i];
        if (idx == -1) continue;
        if (idx < 0 || (size_t)idx >= m->nnodes || !m->nodes[idx].is_master) __builtin_trap();
        assigned++;
    }
    if (assigned != m->assigned || m->nnodes > WX_SLOTS_MAX_NODES) __builtin_trap();
    for (i = 0; i < m->nnodes; i++) {
        const wx_slots_node_t *n = &m->nodes[i];
        if (!n->host[0] || strnlen(n->host, WX_TOPO_HOST_MAX) == WX_TOPO_HOST_MAX || n->port < 1 || n->port > 65535) __builtin_trap();
        if (strnlen(n->id, WX_SLOTS_ID_MAX) == WX_SLOTS_ID_MAX) __builtin_trap();
        if (n->master != -1 && ((size_t)n->master >= m->nnodes || n->is_master)) __builtin_trap();
        if (wx_slots_find(m, n->host, n->port) != (int)i) __builtin_trap();   /* no duplicates */
    }
}

static uint16_t naive_crc(const unsigned char *p, size_t n)
{
    uint16_t crc = 0;
    size_t i;
    int b;
    for (i = 0; i < n; i++) {
        crc ^= (uint16_t)(p[i] << 8);
        for (b = 0; b < 8; b++) crc = (uint16_t)((crc & 0x8000) ? ((crc << 1) ^ 0x1021) : (crc << 1));
    }
    return crc;
}

static unsigned naive_slot(const unsigned char *k, size_t n)
{
    size_t s, e;
    for (s = 0; s < n; s++) {
        if (k[s] == '{') {
            for (e = s + 1; e < n; e++) {
                if (k[e] == '}') {
                    if (e > s + 1) return naive_crc(k + s + 1, e - s - 1) & 16383u;
                    break;
                }
            }
            break;
        }
    }
    return naive_crc(k, n) & 16383u;
}

/* hiredis 0.14's reader callocs whatever element count a "*N" header
 * announces (a 6 GB calloc for "*729659659"): a limit of the library, not of
 * the code under test, and not reachable from a real server's reply sizes
 * here. Inputs announcing more than 65536 elements or bytes are skipped. */
static int resp_sizes_sane(const char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) {
        if (s[i] == '*' || s[i] == '$') {
            unsigned long v = 0;
            size_t j = i + 1;
            while (j < n && s[j] >= '0' && s[j] <= '9' && v <= 65536) v = v * 10 + (unsigned long)(s[j++] - '0');
            if (v > 65536) return 0;
        }
    }
    return 1;
}

static wx_slots_map_t map;   /* 32 KB: not on the stack */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data + 1;
    size_t n = size ? size - 1 : 0;
    char err[256];
    if (size == 0) return 0;
    switch (data[0] % 3) {
    case 0: {
        wx_slots_redirect_t rd;
        wx_topo_errclass_t c = wx_topo_error_class(s, n);
        if (wx_slots_parse_redirect(s, n, &rd) == 0) {
            if (rd.slot >= WX_SLOTS_COUNT || rd.to.port < 1 || rd.to.port > 65535) __builtin_trap();
            if (strnlen(rd.to.host, WX_TOPO_HOST_MAX) == WX_TOPO_HOST_MAX) __builtin_trap();
            if (!((rd.kind == WX_SLOTS_REDIR_MOVED && c == WX_TOPO_ERRCLASS_MOVED) ||
                  (rd.kind == WX_SLOTS_REDIR_ASK && c == WX_TOPO_ERRCLASS_ASK))) __builtin_trap();
        }
        break;
    }
    case 1: {
        redisReader *r = redisReaderCreate();
        void *reply = NULL;
        wx_slots_init(&map);
        wx_slots_apply_moved(&map, 7, "seed", 1);
        if (resp_sizes_sane(s, n) && redisReaderFeed(r, s, n) == REDIS_OK &&
            redisReaderGetReply(r, &reply) == REDIS_OK && reply) {
            uint64_t gen = map.generation;
            if (wx_slots_build(&map, reply, "seed", err, sizeof(err)) != WX_TOPO_OK) {
                if (map.generation != gen || map.nnodes != 1 || wx_slots_lookup(&map, 7) != 0) __builtin_trap();
            } else if (map.generation == gen) {
                __builtin_trap();
            }
            check_map(&map);
            /* MOVEDs onto what was built, from the input's own bytes */
            if (n >= 2) {
                unsigned slot = ((unsigned)(unsigned char)s[0] << 8 | (unsigned char)s[1]) % WX_SLOTS_COUNT;
                int to = wx_slots_apply_moved(&map, slot, "moved-to", 7001);
                if (to >= 0 && (wx_slots_lookup(&map, slot) != to || map.nodes[to].port != 7001)) __builtin_trap();
                wx_slots_apply_moved(&map, (slot + 1) % WX_SLOTS_COUNT, "seed", 1);
                check_map(&map);
            }
            freeReplyObject(reply);
        }
        redisReaderFree(r);
        wx_slots_clear(&map);
        break;
    }
    case 2:
        if (wx_slots_keyslot(s, n) != naive_slot((const unsigned char *)s, n)) __builtin_trap();
        if (wx_slots_crc16(s, n) != naive_crc((const unsigned char *)s, n)) __builtin_trap();
        break;
    }
    return 0;
}
