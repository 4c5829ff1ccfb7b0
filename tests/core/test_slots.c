/* Unit tests of wx_slots: CRC16 and key slots (against a table of 200 keys
 * whose slots a real cluster computed, see gen_slot_vectors.php), the slot
 * map from CLUSTER SLOTS, MOVED/ASK. With WXREDIS_TEST_CLUSTER (a node of
 * scripts/ha's cluster) also against the live cluster: CLUSTER KEYSLOT for
 * the table and 2000 random keys, the map routing real commands, and a real
 * MOVED parsed and applied. */
#include "wx_slots.h"
#include "wx_test.h"

#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

#include "slot_vectors.h"

static char err[256];

static redisReply *reply_from(const char *resp, size_t len)
{
    redisReader *r = redisReaderCreate();
    void *reply = NULL;
    if (redisReaderFeed(r, resp, len) != REDIS_OK || redisReaderGetReply(r, &reply) != REDIS_OK) reply = NULL;
    redisReaderFree(r);
    return reply;
}
#define REPLY(s) reply_from((s), sizeof(s) - 1)

static unsigned slot_of(const char *s)
{
    return wx_slots_keyslot(s, strlen(s));
}

/* Bit by bit, straight from the definition, to check the table. */
static uint16_t crc16_bitwise(const unsigned char *p, size_t n)
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

static void check_crc(void)
{
    unsigned char all[256];
    int i, bad = 0;
    for (i = 0; i < 256; i++) {
        unsigned char b = (unsigned char)i;
        all[i] = b;
        if (wx_slots_crc16((const char *)&b, 1) != crc16_bitwise(&b, 1)) bad++;
    }
    WX_CHECK(bad == 0, "CRC16 of every single byte matches the bitwise definition");
    WX_CHECK(wx_slots_crc16((const char *)all, 256) == crc16_bitwise(all, 256), "CRC16 of all 256 bytes");
    WX_CHECK(wx_slots_crc16("123456789", 9) == 0x31C3, "CRC16/XMODEM check value of '123456789' is 0x31C3");
    WX_CHECK(wx_slots_crc16("", 0) == 0, "CRC16 of nothing is 0");
}

static void check_keyslot(void)
{
    size_t i, bad = 0, n = sizeof(wx_slot_vectors) / sizeof(wx_slot_vectors[0]);
    for (i = 0; i < n; i++) {
        unsigned s = wx_slots_keyslot(wx_slot_vectors[i].key, wx_slot_vectors[i].len);
        if (s != wx_slot_vectors[i].slot) {
            bad++;
            printf("#   key %zu (%zu bytes): %u, redis says %u\n", i, wx_slot_vectors[i].len, s, wx_slot_vectors[i].slot);
        }
    }
    WX_CHECK(n == 200 && bad == 0, "%zu keys (tags, empty tags, binary) give the slots redis-server computed", n);

    WX_CHECK(slot_of("{user1000}.following") == slot_of("user1000") && slot_of("{user1000}.followers") == slot_of("user1000"),
             "a hash tag: only the tag is hashed");
    WX_CHECK(slot_of("foo{}{bar}") == (wx_slots_crc16("foo{}{bar}", 10) & 16383u), "an empty first tag: the whole key");
    WX_CHECK(slot_of("foo{{bar}}zap") == slot_of("{bar"), "the first '{' and the first '}' after it");
    WX_CHECK(slot_of("foo{bar}{zap}") == slot_of("bar"), "only the first tag counts");
    WX_CHECK(slot_of("{") == (wx_slots_crc16("{", 1) & 16383u) && slot_of("}{") == (wx_slots_crc16("}{", 2) & 16383u),
             "unbalanced braces: the whole key");
    WX_CHECK(wx_slots_keyslot("{\0}x", 4) == wx_slots_keyslot("\0", 1), "binary tag");
    WX_CHECK(slot_of("123456789") == 12739, "'123456789' is slot 12739");
}

/* Three masters, each with one replica, like scripts/ha's cluster. */
static const char three[] =
    "*3\r\n"
    "*4\r\n:0\r\n:5460\r\n*3\r\n$9\r\n127.0.0.1\r\n:7000\r\n$40\r\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n"
        "*3\r\n$9\r\n127.0.0.1\r\n:7003\r\n$40\r\ndddddddddddddddddddddddddddddddddddddddd\r\n"
    "*4\r\n:5461\r\n:10922\r\n*4\r\n$9\r\n127.0.0.1\r\n:7001\r\n$40\r\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\r\n*0\r\n"
        "*3\r\n$9\r\n127.0.0.1\r\n:7004\r\n$1\r\ne\r\n"
    "*4\r\n:10923\r\n:16383\r\n*3\r\n$0\r\n\r\n:7002\r\n$1\r\nc\r\n"
        "*2\r\n$9\r\n127.0.0.1\r\n:7005\r\n";

static void check_map(void)
{
    wx_slots_map_t m;
    redisReply *r;
    int a, b, c, i7003;
    uint64_t gen;

    wx_slots_init(&m);
    WX_CHECK(wx_slots_lookup(&m, 0) == -1 && m.assigned == 0, "an empty map knows no slot");
    r = REPLY(three);
    WX_CHECK(r && wx_slots_build(&m, r, "10.9.8.7", err, sizeof(err)) == WX_TOPO_OK, "three masters with replicas (%s)", err);
    freeReplyObject(r);
    a = wx_slots_lookup(&m, 0);
    b = wx_slots_lookup(&m, 5461);
    c = wx_slots_lookup(&m, 16383);
    WX_CHECK(m.nnodes == 6 && m.assigned == 16384, "6 nodes, all 16384 slots");
    WX_CHECK(a >= 0 && m.nodes[a].port == 7000 && wx_slots_lookup(&m, 5460) == a && strcmp(m.nodes[a].id, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa") == 0,
             "slots 0-5460 on 7000, with its node id");
    WX_CHECK(b >= 0 && m.nodes[b].port == 7001 && wx_slots_lookup(&m, 10922) == b, "slots 5461-10922 on 7001 (extra metadata ignored)");
    WX_CHECK(c >= 0 && m.nodes[c].port == 7002 && strcmp(m.nodes[c].host, "10.9.8.7") == 0, "an empty IP is the seed's host");
    WX_CHECK(m.nodes[a].is_master && m.nodes[b].is_master && m.nodes[c].is_master, "masters marked");
    i7003 = wx_slots_find(&m, "127.0.0.1", 7003);
    WX_CHECK(i7003 >= 0 && !m.nodes[i7003].is_master && m.nodes[i7003].master == a, "7003 is a replica of 7000");
    WX_CHECK(wx_slots_find(&m, "127.0.0.1", 7005) >= 0 && m.nodes[wx_slots_find(&m, "127.0.0.1", 7005)].id[0] == '\0',
             "a replica without an id");
    WX_CHECK(wx_slots_lookup(&m, 16384) == -1 && wx_slots_lookup(&m, 99999) == -1, "slots past 16383 are nobody's");
    WX_CHECK(wx_slots_lookup(&m, slot_of("123456789")) == c, "a key routes to its master through one table read");

    /* MOVED: the slot now lives elsewhere */
    gen = m.generation;
    WX_CHECK(wx_slots_apply_moved(&m, 3999, "127.0.0.1", 7001) == b && wx_slots_lookup(&m, 3999) == b
             && wx_slots_lookup(&m, 3998) == a && m.generation > gen, "MOVED to a known node updates that slot only");
    WX_CHECK(wx_slots_apply_moved(&m, 4000, "127.0.0.1", 7003) == i7003 && m.nodes[i7003].is_master && m.nodes[i7003].master == -1,
             "MOVED to a former replica makes it a master");
    i7003 = wx_slots_apply_moved(&m, 4001, "127.0.0.9", 7009);
    WX_CHECK(i7003 == 6 && m.nnodes == 7 && wx_slots_lookup(&m, 4001) == 6 && m.assigned == 16384, "MOVED to a new node adds it");
    WX_CHECK(wx_slots_apply_moved(&m, 16384, "h", 1) == -1 && wx_slots_apply_moved(&m, 1, "", 1) == -1
             && wx_slots_apply_moved(&m, 1, "h", 0) == -1, "MOVED with a bad slot, host or port refused");

    /* a failed rebuild leaves the map as it was */
    gen = m.generation;
    r = REPLY("*2\r\n*3\r\n:0\r\n:100\r\n*2\r\n$1\r\nh\r\n:1\r\n*3\r\n:50\r\n:200\r\n*2\r\n$1\r\ni\r\n:2\r\n");
    WX_CHECK(wx_slots_build(&m, r, "s", err, sizeof(err)) == WX_TOPO_ERR_REPLY && strstr(err, "twice")
             && m.generation == gen && wx_slots_lookup(&m, 4001) == 6, "overlapping ranges refused, map kept: %s", err);
    freeReplyObject(r);
    wx_slots_clear(&m);
    WX_CHECK(m.nnodes == 0 && m.assigned == 0 && wx_slots_lookup(&m, 0) == -1, "cleared");
}

static void check_map_edges(void)
{
    wx_slots_map_t m;
    redisReply *r;
    wx_slots_init(&m);

#define BUILD(resp, seed) (r = REPLY(resp), rc_ = wx_slots_build(&m, r, seed, err, sizeof(err)), freeReplyObject(r), rc_)
    int rc_;
    WX_CHECK(BUILD("*0\r\n", "s") == WX_TOPO_OK && m.assigned == 0 && m.nnodes == 0, "no slots assigned (a fresh node): empty map, not an error");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$-1\r\n:7000\r\n", "seed.example") == WX_TOPO_OK
             && strcmp(m.nodes[0].host, "seed.example") == 0, "nil endpoint (unknown-endpoint mode) is the seed");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:16383\r\n*2\r\n$0\r\n\r\n:7000\r\n", NULL) == WX_TOPO_ERR_REPLY, "empty IP and no seed refused");
    WX_CHECK(BUILD("*2\r\n*3\r\n:0\r\n:99\r\n*2\r\n$1\r\n?\r\n:7000\r\n*3\r\n:100\r\n:16383\r\n*2\r\n$1\r\nh\r\n:7001\r\n", "s") == WX_TOPO_OK
             && m.assigned == 16284 && wx_slots_lookup(&m, 50) == -1 && wx_slots_lookup(&m, 100) == 0,
             "a '?' endpoint leaves its slots unassigned");
    WX_CHECK(BUILD("-ERR This instance has cluster support disabled\r\n", "s") == WX_TOPO_ERR_REPLY_ERROR && strstr(err, "cluster support disabled"),
             "error reply passed on: %s", err);
    WX_CHECK(BUILD("+OK\r\n", "s") == WX_TOPO_ERR_REPLY, "not an array");
    WX_CHECK(BUILD("*1\r\n*2\r\n:0\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "range without a master");
    WX_CHECK(BUILD("*1\r\n*3\r\n:5\r\n:4\r\n*2\r\n$1\r\nh\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "range backwards");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:16384\r\n*2\r\n$1\r\nh\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "range past 16383");
    WX_CHECK(BUILD("*1\r\n*3\r\n:-1\r\n:5\r\n*2\r\n$1\r\nh\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "negative slot");
    WX_CHECK(BUILD("*1\r\n*3\r\n$1\r\n0\r\n:5\r\n*2\r\n$1\r\nh\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "slot as a string");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:5\r\n*2\r\n$1\r\nh\r\n:0\r\n", "s") == WX_TOPO_ERR_REPLY, "port 0");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:5\r\n*2\r\n$3\r\na b\r\n:1\r\n", "s") == WX_TOPO_ERR_REPLY, "host with a space");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:5\r\n*1\r\n$1\r\nh\r\n", "s") == WX_TOPO_ERR_REPLY, "node without a port");
    WX_CHECK(BUILD("*1\r\n*4\r\n:0\r\n:5\r\n*2\r\n$1\r\nh\r\n:1\r\n:7\r\n", "s") == WX_TOPO_ERR_REPLY, "replica not an array");
    WX_CHECK(BUILD("*1\r\n*3\r\n:0\r\n:5\r\n*3\r\n$1\r\nh\r\n:1\r\n:5\r\n", "s") == WX_TOPO_ERR_REPLY, "node id not a string");
    WX_CHECK(wx_slots_build(&m, NULL, "s", err, sizeof(err)) == WX_TOPO_ERR_REPLY, "no reply");
#undef BUILD
    wx_slots_clear(&m);
}

static void check_redirect(void)
{
    wx_slots_redirect_t rd;
#define RD(s) wx_slots_parse_redirect(s, strlen(s), &rd)
    WX_CHECK(RD("MOVED 3999 127.0.0.1:6381") == 0 && rd.kind == WX_SLOTS_REDIR_MOVED && rd.slot == 3999
             && strcmp(rd.to.host, "127.0.0.1") == 0 && rd.to.port == 6381, "MOVED");
    WX_CHECK(RD("-ASK 3999 127.0.0.1:6381\r\n") == 0 && rd.kind == WX_SLOTS_REDIR_ASK && rd.slot == 3999, "-ASK with CRLF");
    WX_CHECK(RD("MOVED 0 h:1") == 0 && rd.slot == 0, "slot 0");
    WX_CHECK(RD("MOVED 16383 h:1") == 0 && rd.slot == 16383, "slot 16383");
    WX_CHECK(RD("MOVED 3999 :6381") == 0 && rd.to.host[0] == '\0' && rd.to.port == 6381, "empty endpoint: the node that answered");
    WX_CHECK(RD("MOVED 1 [::1]:6381") == 0 && strcmp(rd.to.host, "::1") == 0, "IPv6 in brackets");
    WX_CHECK(RD("MOVED 1 ::1:6381") == 0 && strcmp(rd.to.host, "::1") == 0 && rd.to.port == 6381, "IPv6 bare");
    WX_CHECK(RD("MOVED 1 redis-1.example.com:6381") == 0 && strcmp(rd.to.host, "redis-1.example.com") == 0, "hostname endpoint");
    WX_CHECK(RD("MOVED 16384 h:1") == -1, "slot 16384");
    WX_CHECK(RD("MOVED 999999 h:1") == -1, "slot too long");
    WX_CHECK(RD("MOVED -1 h:1") == -1, "negative slot");
    WX_CHECK(RD("MOVED 1 h") == -1, "no port");
    WX_CHECK(RD("MOVED 1 h:99999") == -1, "port out of range");
    WX_CHECK(RD("MOVED 1 h:1 extra") == -1, "extra text");
    WX_CHECK(RD("MOVED 1  h:1") == -1, "two spaces");
    WX_CHECK(RD("MOVED 1") == -1 && RD("MOVED") == -1 && RD("ASK") == -1 && RD("") == -1, "truncated");
    WX_CHECK(RD("ASKING 1 h:1") == -1 && RD("moved 1 h:1") == -1 && RD("ERR MOVED 1 h:1") == -1, "other words");
    WX_CHECK(wx_slots_parse_redirect(NULL, 0, &rd) == -1, "NULL");
#undef RD
}

/* ---------------------------------------------------------------- live */

static redisContext *live_connect(const char *host, int port)
{
    struct timeval tv = { 2, 0 };
    const char *user = getenv("WXREDIS_TEST_CLUSTER_DATA_USER"), *pass = getenv("WXREDIS_TEST_CLUSTER_DATA_PASS");
    redisContext *c = redisConnectWithTimeout(host, port, tv);
    if (!c || c->err) { if (c) redisFree(c); return NULL; }
    redisSetTimeout(c, tv);
    if (pass) {
        redisReply *r = user ? redisCommand(c, "AUTH %s %s", user, pass) : redisCommand(c, "AUTH %s", pass);
        int ok = r && r->type == REDIS_REPLY_STATUS;
        if (r) freeReplyObject(r);
        if (!ok) { redisFree(c); return NULL; }
    }
    return c;
}

static long long live_keyslot(redisContext *c, const char *key, size_t len)
{
    const char *argv[3] = { "CLUSTER", "KEYSLOT", key };
    size_t lens[3] = { 7, 7, len };
    redisReply *r = redisCommandArgv(c, 3, argv, lens);
    long long s = (r && r->type == REDIS_REPLY_INTEGER) ? r->integer : -1;
    if (r) freeReplyObject(r);
    return s;
}

static void check_live(void)
{
    const char *addr = getenv("WXREDIS_TEST_CLUSTER"), *colon;
    char host[256], key[64];
    redisContext *c, *nodes[16] = { 0 };
    redisReply *r;
    wx_slots_map_t m;
    size_t i, bad = 0, badtab = 0, n = sizeof(wx_slot_vectors) / sizeof(wx_slot_vectors[0]);
    unsigned seed = (unsigned)getpid();
    int masters = 0, replicas_ok = 1, routed = 0, moved_ok = 0, k;

    if (!addr || !(colon = strrchr(addr, ':')) || (size_t)(colon - addr) >= sizeof(host)) {
        printf("# live Cluster checks not run: WXREDIS_TEST_CLUSTER not set (scripts/ha start cluster DIR)\n");
        return;
    }
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    c = live_connect(host, atoi(colon + 1));
    WX_CHECK(c != NULL, "live: connected to cluster node %s", addr);
    if (!c) return;

    for (i = 0; i < n; i++) {
        long long s = live_keyslot(c, wx_slot_vectors[i].key, wx_slot_vectors[i].len);
        if (s != (long long)wx_slot_vectors[i].slot) badtab++;
        if (s != (long long)wx_slots_keyslot(wx_slot_vectors[i].key, wx_slot_vectors[i].len)) bad++;
    }
    WX_CHECK(badtab == 0 && bad == 0, "live: the server agrees with the table and with wx_slots_keyslot for %zu keys", n);
    bad = 0;
    for (i = 0; i < 2000; i++) {
        char buf[48];
        size_t len = (size_t)(rand_r(&seed) % 40), j;
        for (j = 0; j < len; j++) {
            int x = rand_r(&seed) % 10;
            buf[j] = x < 2 ? '{' : x < 4 ? '}' : (char)(rand_r(&seed) % 256);
        }
        if (live_keyslot(c, buf, len) != (long long)wx_slots_keyslot(buf, len)) bad++;
    }
    WX_CHECK(bad == 0, "live: 2000 random keys with many braces: %zu disagreements", bad);

    wx_slots_init(&m);
    err[0] = '\0';
    r = redisCommand(c, "CLUSTER SLOTS");
    WX_CHECK(wx_slots_build(&m, r, host, err, sizeof(err)) == WX_TOPO_OK && m.assigned == 16384,
             "live: map from CLUSTER SLOTS covers all slots (%s)", err);
    if (r) freeReplyObject(r);
    redisFree(c);
    for (i = 0; i < m.nnodes; i++) {
        if (m.nodes[i].is_master) masters++;
        else if (m.nodes[i].master < 0 || !m.nodes[m.nodes[i].master].is_master) replicas_ok = 0;
    }
    WX_CHECK(masters == 3 && m.nnodes == 6 && replicas_ok, "live: 3 masters, each replica knows its master");
    for (i = 0; i < m.nnodes && i < 16; i++) nodes[i] = live_connect(m.nodes[i].host, m.nodes[i].port);

    for (k = 0; k < 60; k++) {
        int owner, other;
        wx_slots_redirect_t rd;
        snprintf(key, sizeof(key), "wxslots:%d:%d", (int)getpid(), k);
        owner = wx_slots_lookup(&m, wx_slots_keyslot(key, strlen(key)));
        if (owner < 0 || owner >= 16 || !nodes[owner]) continue;
        r = redisCommand(nodes[owner], "SET %s v EX 60", key);
        if (r && r->type == REDIS_REPLY_STATUS) routed++;
        if (r) freeReplyObject(r);
        /* the same key on another master: a real MOVED, to the owner */
        for (other = 0; other < (int)m.nnodes && other < 16; other++) {
            if (other != owner && m.nodes[other].is_master && nodes[other]) break;
        }
        if (other >= (int)m.nnodes || other >= 16) continue;
        r = redisCommand(nodes[other], "GET %s", key);
        if (r && r->type == REDIS_REPLY_ERROR && wx_topo_error_class(r->str, r->len) == WX_TOPO_ERRCLASS_MOVED &&
            wx_slots_parse_redirect(r->str, r->len, &rd) == 0 && rd.kind == WX_SLOTS_REDIR_MOVED &&
            rd.slot == wx_slots_keyslot(key, strlen(key)) && rd.to.port == m.nodes[owner].port &&
            wx_slots_apply_moved(&m, rd.slot, rd.to.host[0] ? rd.to.host : m.nodes[other].host, rd.to.port) == owner) {
            moved_ok++;
        }
        if (r) freeReplyObject(r);
        r = redisCommand(nodes[owner], "DEL %s", key);
        if (r) freeReplyObject(r);
    }
    WX_CHECK(routed == 60, "live: 60 keys written to the master the map names, no redirection (%d)", routed);
    WX_CHECK(moved_ok == 60, "live: 60 reads on another master give a MOVED naming the map's owner (%d)", moved_ok);
    for (i = 0; i < 16; i++) if (nodes[i]) redisFree(nodes[i]);
    wx_slots_clear(&m);
}

int main(void)
{
    check_crc();
    check_keyslot();
    check_map();
    check_map_edges();
    check_redirect();
    check_live();
    return wx_test_done();
}
