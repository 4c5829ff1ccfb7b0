/*
 * wx_slots: cluster key slots, the slot map, MOVED/ASK. See wx_slots.h.
 */
#include "wx_slots.h"
#include "wx_text.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* CRC16-CCITT/XMODEM (polynomial 0x1021), one entry per byte value:
 * entry i is the CRC of the byte i shifted in. test_slots.c recomputes it
 * bit by bit. */
static const uint16_t wx_slots_table[256] = {
    0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
    0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
    0x1231, 0x0210, 0x3273, 0x2252, 0x52b5, 0x4294, 0x72f7, 0x62d6,
    0x9339, 0x8318, 0xb37b, 0xa35a, 0xd3bd, 0xc39c, 0xf3ff, 0xe3de,
    0x2462, 0x3443, 0x0420, 0x1401, 0x64e6, 0x74c7, 0x44a4, 0x5485,
    0xa56a, 0xb54b, 0x8528, 0x9509, 0xe5ee, 0xf5cf, 0xc5ac, 0xd58d,
    0x3653, 0x2672, 0x1611, 0x0630, 0x76d7, 0x66f6, 0x5695, 0x46b4,
    0xb75b, 0xa77a, 0x9719, 0x8738, 0xf7df, 0xe7fe, 0xd79d, 0xc7bc,
    0x48c4, 0x58e5, 0x6886, 0x78a7, 0x0840, 0x1861, 0x2802, 0x3823,
    0xc9cc, 0xd9ed, 0xe98e, 0xf9af, 0x8948, 0x9969, 0xa90a, 0xb92b,
    0x5af5, 0x4ad4, 0x7ab7, 0x6a96, 0x1a71, 0x0a50, 0x3a33, 0x2a12,
    0xdbfd, 0xcbdc, 0xfbbf, 0xeb9e, 0x9b79, 0x8b58, 0xbb3b, 0xab1a,
    0x6ca6, 0x7c87, 0x4ce4, 0x5cc5, 0x2c22, 0x3c03, 0x0c60, 0x1c41,
    0xedae, 0xfd8f, 0xcdec, 0xddcd, 0xad2a, 0xbd0b, 0x8d68, 0x9d49,
    0x7e97, 0x6eb6, 0x5ed5, 0x4ef4, 0x3e13, 0x2e32, 0x1e51, 0x0e70,
    0xff9f, 0xefbe, 0xdfdd, 0xcffc, 0xbf1b, 0xaf3a, 0x9f59, 0x8f78,
    0x9188, 0x81a9, 0xb1ca, 0xa1eb, 0xd10c, 0xc12d, 0xf14e, 0xe16f,
    0x1080, 0x00a1, 0x30c2, 0x20e3, 0x5004, 0x4025, 0x7046, 0x6067,
    0x83b9, 0x9398, 0xa3fb, 0xb3da, 0xc33d, 0xd31c, 0xe37f, 0xf35e,
    0x02b1, 0x1290, 0x22f3, 0x32d2, 0x4235, 0x5214, 0x6277, 0x7256,
    0xb5ea, 0xa5cb, 0x95a8, 0x8589, 0xf56e, 0xe54f, 0xd52c, 0xc50d,
    0x34e2, 0x24c3, 0x14a0, 0x0481, 0x7466, 0x6447, 0x5424, 0x4405,
    0xa7db, 0xb7fa, 0x8799, 0x97b8, 0xe75f, 0xf77e, 0xc71d, 0xd73c,
    0x26d3, 0x36f2, 0x0691, 0x16b0, 0x6657, 0x7676, 0x4615, 0x5634,
    0xd94c, 0xc96d, 0xf90e, 0xe92f, 0x99c8, 0x89e9, 0xb98a, 0xa9ab,
    0x5844, 0x4865, 0x7806, 0x6827, 0x18c0, 0x08e1, 0x3882, 0x28a3,
    0xcb7d, 0xdb5c, 0xeb3f, 0xfb1e, 0x8bf9, 0x9bd8, 0xabbb, 0xbb9a,
    0x4a75, 0x5a54, 0x6a37, 0x7a16, 0x0af1, 0x1ad0, 0x2ab3, 0x3a92,
    0xfd2e, 0xed0f, 0xdd6c, 0xcd4d, 0xbdaa, 0xad8b, 0x9de8, 0x8dc9,
    0x7c26, 0x6c07, 0x5c64, 0x4c45, 0x3ca2, 0x2c83, 0x1ce0, 0x0cc1,
    0xef1f, 0xff3e, 0xcf5d, 0xdf7c, 0xaf9b, 0xbfba, 0x8fd9, 0x9ff8,
    0x6e17, 0x7e36, 0x4e55, 0x5e74, 0x2e93, 0x3eb2, 0x0ed1, 0x1ef0,
};

uint16_t wx_slots_crc16(const char *buf, size_t len)
{
    uint16_t crc = 0;
    size_t i;
    for (i = 0; i < len; i++) {
        crc = (uint16_t)((crc << 8) ^ wx_slots_table[((crc >> 8) ^ (unsigned char)buf[i]) & 0xff]);
    }
    return crc;
}

unsigned wx_slots_keyslot(const char *key, size_t len)
{
    const char *open = memchr(key, '{', len), *close;
    if (open) {
        size_t rest = len - (size_t)(open - key) - 1;
        close = memchr(open + 1, '}', rest);
        /* "{}" is no tag: then the whole key is hashed, braces and all */
        if (close && close > open + 1) {
            return wx_slots_crc16(open + 1, (size_t)(close - open - 1)) & (WX_SLOTS_COUNT - 1);
        }
    }
    return wx_slots_crc16(key, len) & (WX_SLOTS_COUNT - 1);
}

void wx_slots_init(wx_slots_map_t *m)
{
    size_t i;
    memset(m, 0, sizeof(*m));
    for (i = 0; i < WX_SLOTS_COUNT; i++) m->slot_node[i] = -1;
}

void wx_slots_clear(wx_slots_map_t *m)
{
    free(m->nodes);
    wx_slots_init(m);
}

int wx_slots_find(const wx_slots_map_t *m, const char *host, int port)
{
    size_t i;
    for (i = 0; i < m->nnodes; i++) {
        if (m->nodes[i].port == port && strcmp(m->nodes[i].host, host) == 0) return (int)i;
    }
    return -1;
}

int wx_slots_node(wx_slots_map_t *m, const char *host, int port)
{
    int i = wx_slots_find(m, host, port);
    size_t hl = strlen(host);
    wx_slots_node_t *n;
    if (i >= 0) return i;
    if (hl == 0 || hl >= WX_TOPO_HOST_MAX || port < 1 || port > 65535) return -1;
    if (m->nnodes >= WX_SLOTS_MAX_NODES) return -1;
    if (m->nnodes == m->cap) {
        size_t nc = m->cap ? m->cap * 2 : 8;
        wx_slots_node_t *nn = realloc(m->nodes, nc * sizeof(*nn));
        if (!nn) return -1;
        m->nodes = nn;
        m->cap = nc;
    }
    n = &m->nodes[m->nnodes];
    memset(n, 0, sizeof(*n));
    memcpy(n->host, host, hl + 1);
    n->port = port;
    n->master = -1;
    m->generation++;
    return (int)m->nnodes++;
}

int wx_slots_apply_moved(wx_slots_map_t *m, unsigned slot, const char *host, int port)
{
    int i;
    if (slot >= WX_SLOTS_COUNT) return -1;
    i = wx_slots_node(m, host, port);
    if (i < 0) return -1;
    m->nodes[i].is_master = 1;       /* a MOVED names the slot's master */
    m->nodes[i].master = -1;
    if (m->slot_node[slot] < 0) m->assigned++;
    m->slot_node[slot] = (int16_t)i;
    m->generation++;
    return i;
}

/* One node entry [ip, port, id?, ...]: its index, -2 for an unknown ("?")
 * endpoint, -1 for a malformed one (or no room). */
static int wx_slots_entry(wx_slots_map_t *m, const redisReply *e, const char *seed_host)
{
    const redisReply *ip, *port, *id;
    char host[WX_TOPO_HOST_MAX];
    size_t i;
    int idx;
    if (!e || e->type != REDIS_REPLY_ARRAY || e->elements < 2) return -1;
    ip = e->element[0];
    port = e->element[1];
    if (!port || port->type != REDIS_REPLY_INTEGER || port->integer < 1 || port->integer > 65535) return -1;
    if (!ip || ip->type == REDIS_REPLY_NIL || (ip->type == REDIS_REPLY_STRING && ip->len == 0)) {
        size_t sl = seed_host ? strlen(seed_host) : 0;
        if (sl == 0 || sl >= sizeof(host)) return -1;
        memcpy(host, seed_host, sl + 1);
    } else if (ip->type == REDIS_REPLY_STRING && ip->len == 1 && ip->str[0] == '?') {
        return -2;
    } else if (ip->type == REDIS_REPLY_STRING && ip->len < sizeof(host)) {
        for (i = 0; i < ip->len; i++) {
            unsigned char c = (unsigned char)ip->str[i];
            if (c <= ' ' || c >= 0x7f) return -1;
        }
        memcpy(host, ip->str, ip->len);
        host[ip->len] = '\0';
    } else {
        return -1;
    }
    idx = wx_slots_node(m, host, (int)port->integer);
    if (idx < 0) return -1;
    id = e->elements >= 3 ? e->element[2] : NULL;
    if (id && id->type == REDIS_REPLY_STRING && id->len < WX_SLOTS_ID_MAX) {
        for (i = 0; i < id->len; i++) {
            unsigned char c = (unsigned char)id->str[i];
            if (c <= ' ' || c >= 0x7f) return -1;
        }
        memcpy(m->nodes[idx].id, id->str, id->len);
        m->nodes[idx].id[id->len] = '\0';
    } else if (id && id->type != REDIS_REPLY_NIL) {
        return -1;
    }
    return idx;
}

int wx_slots_build(wx_slots_map_t *m, const redisReply *reply, const char *seed_host,
                   char *err, size_t errlen)
{
    wx_slots_map_t *t;
    size_t r, j;
    int rc = WX_TOPO_OK;

    if (!reply) return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "no reply to CLUSTER SLOTS");
    if (reply->type == REDIS_REPLY_ERROR) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY_ERROR, "%.*s",
                             (int)(reply->len > 200 ? 200 : reply->len), reply->str ? reply->str : "");
    }
    if (reply->type != REDIS_REPLY_ARRAY) {
        return wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS did not answer an array");
    }
    t = malloc(sizeof(*t));
    if (!t) return wx_text_fail(err, errlen, WX_TOPO_ERR_OOM, "out of memory");
    wx_slots_init(t);

    for (r = 0; r < reply->elements; r++) {
        const redisReply *e = reply->element[r];
        long long from, to, s;
        int master;
        if (!e || e->type != REDIS_REPLY_ARRAY || e->elements < 3 ||
            !e->element[0] || e->element[0]->type != REDIS_REPLY_INTEGER ||
            !e->element[1] || e->element[1]->type != REDIS_REPLY_INTEGER) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS entry %zu is not [from, to, master, ...]", r);
            goto out;
        }
        from = e->element[0]->integer;
        to = e->element[1]->integer;
        if (from < 0 || to < from || to >= WX_SLOTS_COUNT) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS range %lld-%lld is not within 0-16383", from, to);
            goto out;
        }
        master = wx_slots_entry(t, e->element[2], seed_host);
        if (master == -1) {
            rc = wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS entry %zu has a malformed master (or too many nodes)", r);
            goto out;
        }
        for (s = from; s <= to; s++) {
            if (t->slot_node[s] != -1) {
                rc = wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS lists slot %lld twice", s);
                goto out;
            }
        }
        if (master == -2) continue;           /* unknown endpoint: its slots stay unassigned */
        t->nodes[master].is_master = 1;
        t->nodes[master].master = -1;
        for (s = from; s <= to; s++) t->slot_node[s] = (int16_t)master;
        t->assigned += (size_t)(to - from + 1);
        for (j = 3; j < e->elements; j++) {
            int rep = wx_slots_entry(t, e->element[j], seed_host);
            if (rep == -1) {
                rc = wx_text_fail(err, errlen, WX_TOPO_ERR_REPLY, "CLUSTER SLOTS entry %zu has a malformed replica", r);
                goto out;
            }
            if (rep >= 0 && rep != master && !t->nodes[rep].is_master) t->nodes[rep].master = master;
        }
    }
    t->generation = m->generation + 1;
    free(m->nodes);
    *m = *t;
out:
    if (rc != WX_TOPO_OK) free(t->nodes);
    free(t);
    return rc;
}

int wx_slots_parse_redirect(const char *msg, size_t len, wx_slots_redirect_t *out)
{
    const char *p = msg, *end = msg + len, *s;
    unsigned slot = 0;
    size_t n;

    if (!msg) return -1;
    while (end > p && (end[-1] == '\r' || end[-1] == '\n')) end--;
    if (p < end && *p == '-') p++;
    if (end - p > 6 && memcmp(p, "MOVED ", 6) == 0) {
        out->kind = WX_SLOTS_REDIR_MOVED;
        p += 6;
    } else if (end - p > 4 && memcmp(p, "ASK ", 4) == 0) {
        out->kind = WX_SLOTS_REDIR_ASK;
        p += 4;
    } else {
        return -1;
    }
    for (s = p; p < end && *p >= '0' && *p <= '9'; p++) {
        if (p - s >= 5) return -1;
        slot = slot * 10 + (unsigned)(*p - '0');
    }
    if (p == s || slot >= WX_SLOTS_COUNT || p >= end || *p != ' ') return -1;
    p++;
    n = (size_t)(end - p);
    if (memchr(p, ' ', n)) return -1;
    if (wx_topo_parse_hostport(p, n, 1, &out->to) != 0) return -1;
    out->slot = slot;
    return 0;
}
