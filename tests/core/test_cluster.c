/* Unit tests of the Redis Cluster engine (wx_cluster.c, wx_cluster_map.c)
 * against fake cluster nodes this test forks on loopback: three nodes
 * that answer CLUSTER SLOTS from a slot table in shared memory, serve GET /
 * SET / INCR / WAIT for the slots they own and answer -MOVED, -ASK,
 * -TRYAGAIN, -CLUSTERDOWN or drop the connection when a test says so.
 * Checks routing, the caller's order, that every node's pipeline is on the
 * wire before any reply is read (the nodes only answer once all three have
 * their share), redirects, retries, seeds that are down, and masters().
 * With WXREDIS_TEST_CLUSTER_DSN it also runs a 30-key pipeline on a real
 * cluster. */
/* memmem, usleep, MAP_ANONYMOUS: test code only */
#define _GNU_SOURCE
#include "wx_client.h"
#include "wx_slots.h"
#include "wx_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define NODES 3

/* What the fake nodes share with the test (MAP_SHARED). */
typedef struct {
    int  port[NODES];
    signed char owner[WX_SLOTS_COUNT];     /* who serves a slot (-1: nobody) */
    signed char reported[WX_SLOTS_COUNT];  /* what CLUSTER SLOTS says */
    /* per node */
    int  requests[NODES];                  /* commands but CLUSTER SLOTS and ASKING */
    int  slots_asked[NODES];
    int  askings[NODES];
    int  tryagain[NODES];                  /* answer -TRYAGAIN this many times (-1: always) */
    int  clusterdown[NODES];
    int  drop[NODES];                      /* close after reading, this many times */
    int  ask_slot[NODES], ask_to[NODES];   /* -ASK for this slot (-1: none) */
    int  importing[NODES];                 /* serve this slot after ASKING */
    int  rendezvous;                       /* answer only when every node has a request */
    int  arrived;
} fake_t;

static fake_t *F;
static pid_t fake_pid[NODES];

/* ---------------------------------------------------------- fake nodes */

static void put(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t) w;
    }
}

static void puts_(int fd, const char *s)
{
    put(fd, s, strlen(s));
}

/* One RESP command from buf: 1 with argv set and *used, 0 incomplete. */
static int parse_cmd(const char *buf, size_t len, size_t *used, const char **argv, size_t *lens, int *argc)
{
    const char *p = buf, *end = buf + len, *nl;
    int n, i;
    if (len < 4 || *p != '*' || !(nl = memchr(p, '\n', len))) return 0;
    n = atoi(p + 1);
    p = nl + 1;
    if (n < 1 || n > 8) return 0;
    for (i = 0; i < n; i++) {
        size_t l;
        if (p >= end || *p != '$' || !(nl = memchr(p, '\n', (size_t) (end - p)))) return 0;
        l = (size_t) atol(p + 1);
        p = nl + 1;
        if ((size_t) (end - p) < l + 2) return 0;
        argv[i] = p;
        lens[i] = l;
        p += l + 2;
    }
    *argc = n;
    *used = (size_t) (p - buf);
    return 1;
}

static int is(const char *a, size_t l, const char *w)
{
    return l == strlen(w) && strncasecmp(a, w, l) == 0;
}

static void reply_slots(int fd)
{
    char out[4096], *o = out;
    int from = 0, s, entries = 0;
    char body[4000] = "";
    size_t bl = 0;
    for (s = 1; s <= WX_SLOTS_COUNT; s++) {
        if (s < WX_SLOTS_COUNT && F->reported[s] == F->reported[from]) continue;
        if (F->reported[from] >= 0) {
            bl += (size_t) snprintf(body + bl, sizeof(body) - bl, "*3\r\n:%d\r\n:%d\r\n*2\r\n$9\r\n127.0.0.1\r\n:%d\r\n",
                                    from, s - 1, F->port[(int) F->reported[from]]);
            entries++;
        }
        from = s;
    }
    o += sprintf(o, "*%d\r\n", entries);
    put(fd, out, (size_t) (o - out));
    put(fd, body, bl);
}

static void serve_one(int me, int fd, const char **argv, size_t *lens, int argc, int *asking)
{
    char out[512];
    unsigned slot;
    int was_asking = *asking;

    *asking = 0;
    if (is(argv[0], lens[0], "CLUSTER")) {
        __atomic_add_fetch(&F->slots_asked[me], 1, __ATOMIC_SEQ_CST);
        reply_slots(fd);
        return;
    }
    if (is(argv[0], lens[0], "ASKING")) {
        __atomic_add_fetch(&F->askings[me], 1, __ATOMIC_SEQ_CST);
        *asking = 1;
        puts_(fd, "+OK\r\n");
        return;
    }
    __atomic_add_fetch(&F->requests[me], 1, __ATOMIC_SEQ_CST);
    if (is(argv[0], lens[0], "WAIT")) {          /* keyless: says who ran it */
        snprintf(out, sizeof(out), ":%d\r\n", me);
        puts_(fd, out);
        return;
    }
    if (argc < 2) {
        puts_(fd, "-ERR fake node knows no such command\r\n");
        return;
    }
    slot = wx_slots_keyslot(argv[1], lens[1]);
    if (F->tryagain[me] != 0) {
        if (F->tryagain[me] > 0) F->tryagain[me]--;
        puts_(fd, "-TRYAGAIN Multiple keys request during rehashing of slot\r\n");
        return;
    }
    if (F->clusterdown[me] > 0) {
        F->clusterdown[me]--;
        puts_(fd, "-CLUSTERDOWN The cluster is down\r\n");
        return;
    }
    if (F->ask_slot[me] == (int) slot) {
        snprintf(out, sizeof(out), "-ASK %u 127.0.0.1:%d\r\n", slot, F->port[F->ask_to[me]]);
        puts_(fd, out);
        return;
    }
    if (F->owner[slot] != me && !(was_asking && F->importing[me] == (int) slot)) {
        snprintf(out, sizeof(out), "-MOVED %u 127.0.0.1:%d\r\n", slot, F->port[(int) F->owner[slot]]);
        puts_(fd, out);
        return;
    }
    if (is(argv[0], lens[0], "GET")) {
        int n = snprintf(out, sizeof(out), "n%d:%.*s", me, (int) lens[1], argv[1]);
        char hdr[32];
        snprintf(hdr, sizeof(hdr), "$%d\r\n", n);
        puts_(fd, hdr);
        put(fd, out, (size_t) n);
        puts_(fd, "\r\n");
    } else if (is(argv[0], lens[0], "SET")) {
        puts_(fd, "+OK\r\n");
    } else if (is(argv[0], lens[0], "INCR")) {
        puts_(fd, ":1\r\n");
    } else {
        puts_(fd, "-ERR fake node knows no such command\r\n");
    }
}

static void node_conn(int me, int fd)
{
    static char buf[1 << 16];
    size_t len = 0;
    int asking = 0;
    for (;;) {
        size_t used, off = 0;
        const char *argv[8];
        size_t lens[8];
        int argc, first = 1;
        ssize_t r = read(fd, buf + len, sizeof(buf) - len);
        if (r <= 0) return;
        len += (size_t) r;
        if (F->drop[me] > 0 && memmem(buf, len, "CLUSTER", 7) == NULL) {
            F->drop[me]--;
            return;                          /* read it, answer nothing, hang up */
        }
        while (parse_cmd(buf + off, len - off, &used, argv, lens, &argc)) {
            if (first && F->rendezvous && !is(argv[0], lens[0], "CLUSTER")) {
                /* answer only once every node has its share: a client that
                 * reads one node before writing the next never gets here */
                int waited = 0;
                __atomic_add_fetch(&F->arrived, 1, __ATOMIC_SEQ_CST);
                while (__atomic_load_n(&F->arrived, __ATOMIC_SEQ_CST) < NODES && waited++ < 2000) usleep(1000);
            }
            first = 0;
            serve_one(me, fd, argv, lens, argc, &asking);
            off += used;
        }
        memmove(buf, buf + off, len - off);
        len -= off;
    }
}

static void fake_start_all(void)
{
    int ls[NODES], i;
    F = mmap(NULL, sizeof(*F), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    memset(F, 0, sizeof(*F));
    for (i = 0; i < NODES; i++) {
        struct sockaddr_in a;
        socklen_t al = sizeof(a);
        int one = 1;
        ls[i] = socket(AF_INET, SOCK_STREAM, 0);
        setsockopt(ls[i], SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        memset(&a, 0, sizeof(a));
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (bind(ls[i], (struct sockaddr *) &a, sizeof(a)) != 0 || listen(ls[i], 8) != 0 ||
            getsockname(ls[i], (struct sockaddr *) &a, &al) != 0) {
            perror("fake node");
            exit(2);
        }
        F->port[i] = ntohs(a.sin_port);
    }
    fflush(stdout);
    for (i = 0; i < NODES; i++) {
        if ((fake_pid[i] = fork()) == 0) {
            signal(SIGPIPE, SIG_IGN);
            signal(SIGCHLD, SIG_IGN);      /* connection processes reap themselves */
            for (;;) {
                int fd = accept(ls[i], NULL, NULL);
                if (fd < 0) _exit(0);
                /* a process per connection: a forked client's new socket is
                 * served while its parent's is still open */
                if (fork() == 0) {
                    close(ls[i]);
                    node_conn(i, fd);
                    _exit(0);
                }
                close(fd);
            }
        }
    }
    for (i = 0; i < NODES; i++) close(ls[i]);
}

static void fake_stop_all(void)
{
    int i;
    for (i = 0; i < NODES; i++) {
        kill(fake_pid[i], SIGKILL);
        waitpid(fake_pid[i], NULL, 0);
    }
    munmap(F, sizeof(*F));
}

/* Three equal ranges, nothing odd going on. */
static void fake_reset(void)
{
    int s, i;
    for (s = 0; s < WX_SLOTS_COUNT; s++) {
        F->owner[s] = F->reported[s] = (signed char) (s < 5461 ? 0 : s < 10923 ? 1 : 2);
    }
    for (i = 0; i < NODES; i++) {
        F->requests[i] = F->slots_asked[i] = F->askings[i] = 0;
        F->tryagain[i] = F->clusterdown[i] = F->drop[i] = 0;
        F->ask_slot[i] = F->importing[i] = -1;
    }
    F->rendezvous = 0;
    F->arrived = 0;
}

/* ---------------------------------------------------------------- client */

static wx_conn_stats_t stats;

static wx_client_t *client(double read_timeout, int dead_seed_first)
{
    wx_client_opts_t o;
    wx_client_t *cl;
    int i;
    wx_client_opts_init(&o);
    o.mode = WX_TOPO_CLUSTER;
    o.node.read_timeout = read_timeout;
    o.node.connect_timeout = 0.5;
    if (dead_seed_first) wx_client_opts_add_seed(&o, "127.0.0.1", 1, NULL);
    for (i = 0; i < NODES; i++) wx_client_opts_add_seed(&o, "127.0.0.1", F->port[i], NULL);
    cl = wx_client_new(&o, &stats);
    wx_client_opts_clear(&o);
    return cl;
}

/* Commands built from strings: "GET k", "SET k v", ... (one space each). */
typedef struct {
    wx_conn_cmd_t cmd[64];
    const char   *argv[64][8];
    size_t        lens[64][8];
    char          text[64][64];
    size_t        n;
} batch_t;

static void add(batch_t *b, const char *line)
{
    size_t k = b->n++;
    char *p, *save = NULL;
    int argc = 0;
    snprintf(b->text[k], sizeof(b->text[k]), "%s", line);
    for (p = strtok_r(b->text[k], " ", &save); p && argc < 8; p = strtok_r(NULL, " ", &save)) {
        b->argv[k][argc] = p;
        b->lens[k][argc++] = strlen(p);
    }
    b->cmd[k].argc = argc;
    b->cmd[k].argv = b->argv[k];
    b->cmd[k].argvlen = b->lens[k];
    b->cmd[k].expect = WX_EXPECT_ANY;
    b->cmd[k].expect_n = 0;
}

static void free_replies(redisReply **r, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++) freeReplyObject(r[i]);
}

static int owner_of(const char *key)
{
    return F->owner[wx_slots_keyslot(key, strlen(key))];
}

static int is_str(const redisReply *r, const char *s)
{
    return r && (r->type == REDIS_REPLY_STRING || r->type == REDIS_REPLY_STATUS || r->type == REDIS_REPLY_ERROR) &&
           r->len == strlen(s) && memcmp(r->str, s, r->len) == 0;
}

/* ----------------------------------------------------------------- tests */

static void check_order_and_pipelines(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[64];
    char line[32], want[32];
    size_t i;
    uint64_t rt;
    int ok = 1, st, per[NODES] = { 0 };

    fake_reset();
    cl = client(1.0, 0);
    memset(&b, 0, sizeof(b));
    for (i = 0; i < 30; i++) {
        snprintf(line, sizeof(line), "GET key:%zu", i);
        add(&b, line);
        per[owner_of(line + 4)]++;
    }
    WX_CHECK(per[0] && per[1] && per[2], "the 30 keys fall on all three nodes (%d/%d/%d)", per[0], per[1], per[2]);
    /* the map first, so that only the batch is counted below */
    WX_CHECK(wx_client_masters(cl, NULL, 0, &i) == WX_CONN_OK && i == 3, "three masters from CLUSTER SLOTS");
    F->rendezvous = 1;
    rt = stats.round_trips;
    st = wx_client_request(cl, b.cmd, b.n, r);
    WX_CHECK(st == WX_CONN_OK, "30 GETs over 3 nodes that answer only when all three have theirs: %s",
             st ? cl->errstr : "ok");
    if (st == WX_CONN_OK) {
        for (i = 0; i < 30; i++) {
            snprintf(want, sizeof(want), "n%d:key:%zu", owner_of(b.argv[i][1]), i);
            if (!is_str(r[i], want)) ok = 0;
        }
        free_replies(r, b.n);
    }
    WX_CHECK(ok, "each reply from the key's node, in the caller's order");
    WX_CHECK(stats.round_trips - rt == 3, "one pipeline per node (%llu round trips)",
             (unsigned long long) (stats.round_trips - rt));
    WX_CHECK(cl->redirects == 0 && cl->retries == 0 && cl->map_refreshes == 1, "no redirect, no retry, one map");
    F->rendezvous = 0;
    wx_client_free(cl);
}

static void check_keyless(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[4];
    int st;

    fake_reset();
    cl = client(1.0, 0);
    memset(&b, 0, sizeof(b));
    add(&b, "WAIT 0 0");
    add(&b, "SET foo 1");
    add(&b, "WAIT 0 0");
    st = wx_client_request(cl, b.cmd, b.n, r);
    WX_CHECK(st == WX_CONN_OK, "keyless commands routed");
    if (st == WX_CONN_OK) {
        WX_CHECK(r[0]->type == REDIS_REPLY_INTEGER && r[0]->integer == 0, "a request that starts keyless: the first master");
        WX_CHECK(r[2]->type == REDIS_REPLY_INTEGER && r[2]->integer == owner_of("foo"),
                 "WAIT after SET foo runs on foo's node (%d)", owner_of("foo"));
        free_replies(r, b.n);
    }
    wx_client_free(cl);
}

static void check_moved(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[4];
    unsigned slot = wx_slots_keyslot("foo", 3);
    int from, to, st, before;
    char want[32];

    fake_reset();
    from = F->owner[slot];
    to = (from + 1) % NODES;
    cl = client(1.0, 0);
    memset(&b, 0, sizeof(b));
    add(&b, "GET foo");
    add(&b, "WAIT 0 0");
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK, "map built, foo read");
    if (st == WX_CONN_OK) free_replies(r, 1);
    /* the slot moves; the map CLUSTER SLOTS gives lags behind */
    F->owner[slot] = (signed char) to;
    st = wx_client_request(cl, b.cmd, 2, r);
    snprintf(want, sizeof(want), "n%d:foo", to);
    WX_CHECK(st == WX_CONN_OK && is_str(r[0], want), "-MOVED followed: %s", st ? cl->errstr : r[0]->str);
    WX_CHECK(st == WX_CONN_OK && r[1]->type == REDIS_REPLY_INTEGER && r[1]->integer == to,
             "the WAIT after it went along to the new node");
    if (st == WX_CONN_OK) free_replies(r, 2);
    WX_CHECK(cl->redirects == 1 && cl->map_refreshes == 2, "one redirect, the map rebuilt (%llu, %llu)",
             (unsigned long long) cl->redirects, (unsigned long long) cl->map_refreshes);
    before = F->requests[from];
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && is_str(r[0], want) && F->requests[from] == before && cl->redirects == 1,
             "the next call goes straight to the new node (the MOVED outlived a map that lagged)");
    if (st == WX_CONN_OK) free_replies(r, 1);

    /* two nodes that send each other the slot: a bounded number of tries */
    F->owner[slot] = (signed char) from;
    F->ask_slot[from] = (int) slot;
    F->ask_to[from] = to;
    F->ask_slot[to] = (int) slot;
    F->ask_to[to] = from;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_ERROR && strncmp(r[0]->str, "ASK ", 4) == 0,
             "a redirect loop ends with the redirect as the reply: %s", st ? cl->errstr : r[0]->str);
    if (st == WX_CONN_OK) free_replies(r, 1);
    wx_client_free(cl);
}

static void check_ask(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[4];
    unsigned slot = wx_slots_keyslot("foo", 3);
    int from, to, st, i;
    char want[32];

    fake_reset();
    from = F->owner[slot];
    to = (from + 1) % NODES;
    F->ask_slot[from] = (int) slot;
    F->ask_to[from] = to;
    F->importing[to] = (int) slot;
    cl = client(1.0, 0);
    memset(&b, 0, sizeof(b));
    add(&b, "GET foo");
    add(&b, "GET bar");
    snprintf(want, sizeof(want), "n%d:foo", to);
    for (i = 0; i < 2; i++) {
        int fr = F->requests[from];
        st = wx_client_request(cl, b.cmd, b.n, r);
        WX_CHECK(st == WX_CONN_OK && is_str(r[0], want), "-ASK followed with ASKING (call %d): %s", i + 1,
                 st ? cl->errstr : r[0]->str);
        WX_CHECK(F->requests[from] > fr, "ASK is for one command: call %d asks the source first", i + 1);
        if (st == WX_CONN_OK) free_replies(r, b.n);
    }
    WX_CHECK(F->askings[to] == 2 && cl->redirects == 2 && cl->map_refreshes == 1,
             "ASKING sent each time, the map left alone (%d, %llu)", F->askings[to],
             (unsigned long long) cl->map_refreshes);
    wx_client_free(cl);
}

static void check_retries(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[4];
    int n = owner_of("foo"), st;
    char want[32];

    fake_reset();
    cl = client(0.4, 0);
    memset(&b, 0, sizeof(b));
    add(&b, "GET foo");
    snprintf(want, sizeof(want), "n%d:foo", n);
    F->tryagain[n] = 3;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && is_str(r[0], want) && cl->retries == 3, "-TRYAGAIN x3, then the value (%llu retries)",
             (unsigned long long) cl->retries);
    if (st == WX_CONN_OK) free_replies(r, 1);
    F->clusterdown[n] = 2;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && is_str(r[0], want), "-CLUSTERDOWN x2, then the value");
    if (st == WX_CONN_OK) free_replies(r, 1);
    F->tryagain[n] = -1;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_ERROR && strncmp(r[0]->str, "TRYAGAIN", 8) == 0,
             "-TRYAGAIN past the deadline: the error reply is the answer (%s)", st ? cl->errstr : r[0]->str);
    if (st == WX_CONN_OK) free_replies(r, 1);
    F->tryagain[n] = 0;

    /* a reset after the write: GET again, INCR never */
    F->drop[n] = 1;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && is_str(r[0], want), "GET sent again after the node hung up: %s",
             st ? cl->errstr : "ok");
    if (st == WX_CONN_OK) free_replies(r, 1);
    memset(&b, 0, sizeof(b));
    add(&b, "INCR foo");
    F->drop[n] = 1;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(cl->errstr, "closed the connection"),
             "INCR is not sent twice: the call fails (%s)", cl->errstr);
    F->drop[n] = 0;
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_INTEGER, "and the next call works");
    if (st == WX_CONN_OK) free_replies(r, 1);
    wx_client_free(cl);
}

static void check_seeds_and_masters(void)
{
    wx_client_opts_t o;
    wx_client_t *cl;
    wx_conn_t *m[4];
    size_t n = 0;
    int st, i, ok = 1;

    fake_reset();
    cl = client(1.0, 1);
    st = wx_client_masters(cl, m, 4, &n);
    WX_CHECK(st == WX_CONN_OK && n == 3, "a seed that is down is skipped (%s)", st ? cl->errstr : "ok");
    for (i = 0; st == WX_CONN_OK && i < 3; i++) {
        if (m[i]->opts.port != F->port[i] || !m[i]->ctx) ok = 0;
    }
    WX_CHECK(ok, "masters() in slot order, connected");
    WX_CHECK(wx_client_conn(cl) == NULL, "no single connection on a cluster");
    WX_CHECK(wx_client_rediscover(cl) == WX_CONN_OK && cl->map_refreshes == 2, "rediscover rebuilds the map");
    wx_client_free(cl);

    wx_client_opts_init(&o);
    o.mode = WX_TOPO_CLUSTER;
    o.node.connect_timeout = 0.5;
    wx_client_opts_add_seed(&o, "127.0.0.1", 1, NULL);
    wx_client_opts_add_seed(&o, "127.0.0.1", 2, NULL);
    cl = wx_client_new(&o, &stats);
    wx_client_opts_clear(&o);
    st = wx_client_masters(cl, m, 4, &n);
    WX_CHECK(st == WX_CONN_ERR_CONNECT && strstr(cl->errstr, "127.0.0.1:1:") && strstr(cl->errstr, "127.0.0.1:2:"),
             "no seed answering: a connect failure naming each (%s)", cl->errstr);
    wx_client_free(cl);
}

static void check_fork(void)
{
    wx_client_t *cl;
    batch_t b;
    redisReply *r[2];
    pid_t pid;
    int st, ws;

    fake_reset();
    cl = client(1.0, 0);
    memset(&b, 0, sizeof(b));
    add(&b, "GET foo");
    st = wx_client_request(cl, b.cmd, 1, r);
    if (st == WX_CONN_OK) free_replies(r, 1);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        /* the child has the parent's sockets: it must make its own */
        st = wx_client_request(cl, b.cmd, 1, r);
        _exit(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_STRING ? 0 : 1);
    }
    waitpid(pid, &ws, 0);
    WX_CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0, "a forked child reads through its own connections");
    st = wx_client_request(cl, b.cmd, 1, r);
    WX_CHECK(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_STRING, "and the parent still through its own");
    if (st == WX_CONN_OK) free_replies(r, 1);
    wx_client_free(cl);
}

/* The routing key of a command (wx_client_cmd_key), as the table says. */
static void check_cmd_key(void)
{
    static const struct { const char *line; const char *key; } cases[] = {
        { "GET k1", "k1" }, { "get k2", "k2" }, { "HSET h f", "h" }, { "SET s v", "s" },
        { "MGET a b", "a" }, { "EVAL s 1 ek", "ek" }, { "EVAL s 0 x", NULL }, { "PING", NULL },
        { "ping x", NULL }, { "WAIT 1 100", NULL }, { "SCAN 0", NULL }, { "OBJECT ENCODING ok", "ok" },
        { "MEMORY USAGE mk", "mk" }, { "MEMORY STATS", NULL }, { "XREAD COUNT 1 STREAMS xs 0", "xs" },
        { "BITOP AND dst a", "dst" }, { "@odd k", "k" }, { "UNLINK u", "u" },
    };
    size_t i;
    int ok = 1;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        batch_t b;
        const char *key = NULL;
        size_t len = 0;
        int has;
        memset(&b, 0, sizeof(b));
        add(&b, cases[i].line);
        has = wx_client_cmd_key(&b.cmd[0], &key, &len);
        if (cases[i].key ? !has || len != strlen(cases[i].key) || memcmp(key, cases[i].key, len) != 0 : has) {
            printf("# %s: got %s\n", cases[i].line, has ? key : "no key");
            ok = 0;
        }
    }
    WX_CHECK(ok, "the routing key of %zu commands", sizeof(cases) / sizeof(cases[0]));
}

/* ------------------------------------------------------- a real cluster */

static void check_live(void)
{
    const char *dsn = getenv("WXREDIS_TEST_CLUSTER_DSN");
    wx_topo_dsn_t d;
    wx_client_opts_t o;
    wx_client_t *cl;
    char err[256], keys[30][32], vals[30][32];
    const char *argv[30][3];
    size_t lens[30][3], i, n;
    wx_conn_cmd_t cmd[30];
    redisReply *r[30];
    uint64_t rt;
    int ok = 1;

    if (!dsn) {
        printf("# WXREDIS_TEST_CLUSTER_DSN unset: no real-cluster checks\n");
        return;
    }
    wx_topo_dsn_init(&d);
    if (wx_topo_parse_dsn(&d, dsn, strlen(dsn), err, sizeof(err)) != WX_TOPO_OK) {
        WX_CHECK(0, "WXREDIS_TEST_CLUSTER_DSN parses: %s", err);
        return;
    }
    wx_client_opts_init(&o);
    o.mode = WX_TOPO_CLUSTER;
    for (i = 0; i < d.nhosts; i++) wx_client_opts_add_seed(&o, d.hosts[i].host, d.hosts[i].port, d.hosts[i].unix_path);
    wx_topo_dsn_clear(&d);
    cl = wx_client_new(&o, &stats);
    wx_client_opts_clear(&o);
    for (i = 0; i < 30; i++) {
        snprintf(keys[i], sizeof(keys[i]), "wxt:core:cl:%zu", i);
        snprintf(vals[i], sizeof(vals[i]), "value of %s", keys[i]);
        argv[i][0] = "SET"; argv[i][1] = keys[i]; argv[i][2] = vals[i];
        lens[i][0] = 3; lens[i][1] = strlen(keys[i]); lens[i][2] = strlen(vals[i]);
        cmd[i] = (wx_conn_cmd_t) { 3, argv[i], lens[i], WX_EXPECT_OK, 0 };
    }
    WX_CHECK(wx_client_masters(cl, NULL, 0, &n) == WX_CONN_OK && n >= 3, "real cluster: %zu masters", n);
    WX_CHECK(wx_client_request(cl, cmd, 30, r) == WX_CONN_OK, "real cluster: 30 SETs (%s)", cl->errstr);
    free_replies(r, 30);
    for (i = 0; i < 30; i++) {
        argv[i][0] = "GET";
        lens[i][0] = 3;
        cmd[i] = (wx_conn_cmd_t) { 2, argv[i], lens[i], WX_EXPECT_BULK_OR_NIL, 0 };
    }
    rt = stats.round_trips;
    if (wx_client_request(cl, cmd, 30, r) == WX_CONN_OK) {
        for (i = 0; i < 30; i++) {
            if (!is_str(r[i], vals[i])) ok = 0;
        }
        free_replies(r, 30);
    } else {
        ok = 0;
    }
    WX_CHECK(ok, "real cluster: 30 GETs, each value names its own key, in order");
    WX_CHECK(stats.round_trips - rt == n, "real cluster: one pipeline per master (%llu)",
             (unsigned long long) (stats.round_trips - rt));
    WX_CHECK(cl->redirects == 0, "real cluster: no redirect on a settled cluster");
    for (i = 0; i < 30; i++) {
        argv[i][0] = "DEL";
        cmd[i] = (wx_conn_cmd_t) { 2, argv[i], lens[i], WX_EXPECT_INTEGER, 0 };
    }
    if (wx_client_request(cl, cmd, 30, r) == WX_CONN_OK) free_replies(r, 30);
    wx_client_free(cl);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    check_cmd_key();
    fake_start_all();
    check_order_and_pipelines();
    check_keyless();
    check_moved();
    check_ask();
    check_retries();
    check_seeds_and_masters();
    check_fork();
    fake_stop_all();
    check_live();
    return wx_test_done();
}
