/* Unit tests of wx_conn: DSN parsing, pool keys, the command table,
 * failures that need no server (refused port, missing socket), fake
 * servers this test forks on loopback (huge headers, dripping bytes, wrong
 * types, stray replies, a close mid-reply, a server that never reads), and
 * a real redis-server when WXREDIS_TEST_REDIS names one. */
#include "wx_conn.h"
#include "wx_test.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int parse(wx_conn_opts_t *o, const char *dsn, char *err)
{
    wx_conn_opts_clear(o);
    return wx_conn_parse_dsn(o, dsn, strlen(dsn), err, 256);
}

static void check_dsn(void)
{
    wx_conn_opts_t o;
    char err[256];

    wx_conn_opts_init(&o);
    WX_CHECK(parse(&o, "redis://127.0.0.1", err) == WX_CONN_OK && strcmp(o.host, "127.0.0.1") == 0 && o.port == 6379 && o.database == 0, "host only");
    WX_CHECK(parse(&o, "redis://h:6380/3", err) == WX_CONN_OK && o.port == 6380 && o.database == 3, "port and db");
    WX_CHECK(parse(&o, "redis://:p%40ss@h", err) == WX_CONN_OK && !o.username && strcmp(o.password, "p@ss") == 0, "password, escaped");
    WX_CHECK(parse(&o, "redis://user:pw@h:1/2", err) == WX_CONN_OK && strcmp(o.username, "user") == 0 && strcmp(o.password, "pw") == 0, "user and password");
    WX_CHECK(parse(&o, "redis://secret@h", err) == WX_CONN_OK && !o.username && strcmp(o.password, "secret") == 0, "bare password");
    WX_CHECK(parse(&o, "redis://:a@b@h", err) == WX_CONN_OK && strcmp(o.password, "a@b") == 0 && strcmp(o.host, "h") == 0, "last @ ends credentials");
    WX_CHECK(parse(&o, "redis://[::1]:7000", err) == WX_CONN_OK && strcmp(o.host, "::1") == 0 && o.port == 7000, "IPv6");
    WX_CHECK(parse(&o, "unix:///run/redis.sock", err) == WX_CONN_OK && strcmp(o.unix_path, "/run/redis.sock") == 0 && !o.host, "unix socket");
    WX_CHECK(parse(&o, "redis://h/", err) == WX_CONN_OK && o.database == 0, "trailing slash");
    WX_CHECK(parse(&o, "http://h", err) == WX_CONN_ERR_DSN && strstr(err, "must start with"), "scheme refused: %s", err);
    WX_CHECK(parse(&o, "redis://h:0", err) == WX_CONN_ERR_DSN, "port 0 refused");
    WX_CHECK(parse(&o, "redis://h:65536", err) == WX_CONN_ERR_DSN, "port 65536 refused");
    WX_CHECK(parse(&o, "redis://h/x", err) == WX_CONN_ERR_DSN, "db not a number refused");
    WX_CHECK(parse(&o, "redis://h/99999999999", err) == WX_CONN_ERR_DSN, "db overflow refused");
    WX_CHECK(parse(&o, "redis://[::1", err) == WX_CONN_ERR_DSN, "unclosed bracket refused");
    WX_CHECK(parse(&o, "redis://:%00@h", err) == WX_CONN_ERR_DSN, "escaped NUL refused");
    WX_CHECK(parse(&o, "redis://:%4@h", err) == WX_CONN_ERR_DSN, "short escape refused");
    WX_CHECK(parse(&o, "redis://h;rm", err) == WX_CONN_ERR_DSN, "odd host character refused");
    WX_CHECK(parse(&o, "unix://rel", err) == WX_CONN_ERR_DSN, "relative unix path refused");
    WX_CHECK(wx_conn_parse_dsn(&o, "redis://h\0x", 10, err, sizeof(err)) == WX_CONN_ERR_DSN, "embedded NUL refused");
    wx_conn_opts_clear(&o);
}

static void check_keys(void)
{
    wx_conn_opts_t a, b;
    char err[256], *ka, *kb;
    wx_conn_opts_init(&a);
    wx_conn_opts_init(&b);
    wx_conn_parse_dsn(&a, "redis://:x@h:1/2", 16, err, sizeof(err));
    wx_conn_parse_dsn(&b, "redis://:y@h:1/2", 16, err, sizeof(err));
    ka = wx_conn_opts_key(&a);
    kb = wx_conn_opts_key(&b);
    WX_CHECK(ka && kb && strcmp(ka, kb) != 0, "different passwords never share a pooled connection");
    free(kb);
    b.read_timeout = 2.5;
    free(b.password); b.password = strdup("x");
    kb = wx_conn_opts_key(&b);
    WX_CHECK(strcmp(ka, kb) != 0, "different timeouts are different connections");
    free(kb);
    b.read_timeout = a.read_timeout;
    kb = wx_conn_opts_key(&b);
    WX_CHECK(strcmp(ka, kb) == 0, "same options, same key: %s", ka);
    free(kb);
    b.max_reply_bytes = 1000;
    kb = wx_conn_opts_key(&b);
    WX_CHECK(strcmp(ka, kb) != 0, "a different max_reply_bytes is a different connection");
    free(kb);
    b.max_reply_bytes = WX_RESP_DEFAULT_MAX_BYTES;
    kb = wx_conn_opts_key(&b);
    WX_CHECK(strcmp(ka, kb) == 0, "0 and the explicit default are the same limit");
    {
        char small[8], exact[256];
        size_t need = wx_conn_opts_key_into(&a, small, sizeof(small));
        WX_CHECK(need == strlen(ka) && strlen(small) == 7 && memcmp(small, ka, 7) == 0,
                 "key_into: too small a buffer gets a NUL-terminated prefix and the length needed (%zu)", need);
        WX_CHECK(wx_conn_opts_key_into(&a, exact, need + 1) == need && strcmp(exact, ka) == 0, "key_into with room: same key");
    }
    free(ka); free(kb);
    /* length prefixes: no user/password split can fake another */
    free(a.username); free(a.password); free(b.username); free(b.password);
    a.username = strdup("u|1:p"); a.password = NULL;
    b.username = strdup("u");     b.password = strdup("p");
    ka = wx_conn_opts_key(&a);
    kb = wx_conn_opts_key(&b);
    WX_CHECK(strcmp(ka, kb) != 0, "separators inside credentials cannot collide: %s vs %s", ka, kb);
    free(ka); free(kb);
    wx_conn_opts_clear(&a);
    wx_conn_opts_clear(&b);
}

static void check_failures(void)
{
    wx_conn_opts_t o;
    wx_conn_t *c;
    redisReply *r = NULL;
    const char *argv[] = { "PING" };
    size_t lens[] = { 4 };
    char err[256];

    wx_conn_opts_init(&o);
    wx_conn_parse_dsn(&o, "redis://127.0.0.1:1", 19, err, sizeof(err));
    c = wx_conn_new(&o, NULL);
    WX_CHECK(wx_conn_command(c, 1, argv, lens, &r) == WX_CONN_ERR_CONNECT && r == NULL, "refused port: %s", c->errstr);
    WX_CHECK(c->stats->errors == 1 && c->stats->connects == 0, "failure counted, no connect");
    wx_conn_free(c);
    wx_conn_opts_clear(&o);

    wx_conn_opts_init(&o);
    wx_conn_parse_dsn(&o, "unix:///nonexistent/x.sock", 26, err, sizeof(err));
    c = wx_conn_new(&o, NULL);
    WX_CHECK(wx_conn_ensure(c) == WX_CONN_ERR_CONNECT && strstr(c->errstr, "unix:/nonexistent/x.sock"), "missing socket: %s", c->errstr);
    wx_conn_free(c);
    wx_conn_opts_clear(&o);
    WX_CHECK(strlen(wx_conn_hiredis_version()) >= 5, "hiredis version %s", wx_conn_hiredis_version());
}

/* ------------------------------------------------------------ fake servers */

/* A server forked from this test: it accepts connections one after the
 * other and runs a script on each. The listening socket is bound before the
 * fork, so the port is ready when fake_start returns. */
typedef void (*fake_script_t)(int fd, int nth);

static int fake_port;
static const char *fake_plan[4];     /* what the script sends, per connection */
static size_t fake_plan_len[4];
static int fake_gap_ms;              /* pause used by the dripping scripts */

static pid_t fake_start(fake_script_t script)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    pid_t pid;

    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *) &a, sizeof(a)) != 0 || listen(ls, 8) != 0 ||
        getsockname(ls, (struct sockaddr *) &a, &al) != 0) {
        perror("fake server");
        exit(2);
    }
    fake_port = ntohs(a.sin_port);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        int nth = 0;
        signal(SIGPIPE, SIG_IGN);
        for (;;) {
            int fd = accept(ls, NULL, NULL);
            if (fd < 0) _exit(0);
            script(fd, nth++);
            close(fd);
        }
    }
    close(ls);
    return pid;
}

static void fake_stop(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

static void fake_set(int nth, const char *s)
{
    fake_plan[nth] = s;
    fake_plan_len[nth] = s ? strlen(s) : 0;
}

static ssize_t fake_read(int fd)
{
    static char buf[1 << 16];
    return read(fd, buf, sizeof(buf));
}

static void fake_write(int fd, const char *s, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t) w;
    }
}

static void fake_sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long) (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

static const char *fake_reply_for(int nth, size_t *len)
{
    int i = nth < 3 ? nth : 3;
    while (i > 0 && !fake_plan[i]) i--;
    *len = fake_plan_len[i];
    return fake_plan[i];
}

/* Every request on connection nth gets plan[nth] (or the last plan given). */
static void script_fixed(int fd, int nth)
{
    size_t n;
    const char *s = fake_reply_for(nth, &n);
    while (fake_read(fd) > 0) fake_write(fd, s, n);
}

/* The first connection gets plan[0] one byte every fake_gap_ms. */
static void script_drip(int fd, int nth)
{
    size_t i;
    if (nth > 0) { script_fixed(fd, nth); return; }
    if (fake_read(fd) <= 0) return;
    for (i = 0; i < fake_plan_len[0]; i++) {
        fake_sleep_ms(fake_gap_ms);
        if (write(fd, fake_plan[0] + i, 1) != 1) return;
    }
    while (fake_read(fd) > 0) {}
}

/* The first connection gets plan[0] three times, fake_gap_ms apart. */
static void script_slow_pipeline(int fd, int nth)
{
    int i;
    if (nth > 0) { script_fixed(fd, nth); return; }
    if (fake_read(fd) <= 0) return;
    for (i = 0; i < 3; i++) {
        fake_sleep_ms(fake_gap_ms);
        fake_write(fd, fake_plan[0], fake_plan_len[0]);
    }
    while (fake_read(fd) > 0) {}
}

/* plan[0], then 'x' as fast as the client takes it (at most 64 MB) */
static void script_flood(int fd, int nth)
{
    static char junk[1 << 16];
    int i;
    if (nth > 0) { script_fixed(fd, nth); return; }
    if (fake_read(fd) <= 0) return;
    fake_write(fd, fake_plan[0], fake_plan_len[0]);
    memset(junk, 'x', sizeof(junk));
    for (i = 0; i < 1024; i++) {
        if (write(fd, junk, sizeof(junk)) <= 0) return;
    }
}

/* plan[0] then hang up */
static void script_close(int fd, int nth)
{
    if (nth > 0) { script_fixed(fd, nth); return; }
    if (fake_read(fd) <= 0) return;
    fake_write(fd, fake_plan[0], fake_plan_len[0]);
}

/* never reads, never answers */
static void script_deaf(int fd, int nth)
{
    (void) fd; (void) nth;
    fake_sleep_ms(20000);
}

/* plan[0] to the first request, plan[1] a moment later unasked */
static void script_stray_later(int fd, int nth)
{
    if (nth > 0) { fake_set(0, fake_plan[2]); script_fixed(fd, 0); return; }
    if (fake_read(fd) <= 0) return;
    fake_write(fd, fake_plan[0], fake_plan_len[0]);
    fake_sleep_ms(30);
    fake_write(fd, fake_plan[1], fake_plan_len[1]);
    while (fake_read(fd) > 0) {}
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static wx_conn_t *fake_conn(double read_timeout, size_t max_reply)
{
    wx_conn_opts_t o;
    char dsn[64], err[256];
    wx_conn_t *c;
    snprintf(dsn, sizeof(dsn), "redis://127.0.0.1:%d", fake_port);
    wx_conn_opts_init(&o);
    wx_conn_parse_dsn(&o, dsn, strlen(dsn), err, sizeof(err));
    o.read_timeout = read_timeout;
    o.max_reply_bytes = max_reply;
    c = wx_conn_new(&o, NULL);
    wx_conn_opts_clear(&o);
    return c;
}

static const char *get_argv[2] = { "GET", "k" };
static const size_t get_lens[2] = { 3, 1 };
static const char *set_argv[3] = { "SET", "k", "v" };
static const size_t set_lens[3] = { 3, 1, 1 };
static const char *mget_argv[4] = { "MGET", "a", "b", "c" };
static const size_t mget_lens[4] = { 4, 1, 1, 1 };
static const char *scan_argv[2] = { "SCAN", "0" };
static const size_t scan_lens[2] = { 4, 1 };
static const char *del_argv[2] = { "DEL", "k" };
static const size_t del_lens[2] = { 3, 1 };

static wx_conn_cmd_t cmd_of(int which, wx_conn_expect_t ex, size_t n)
{
    wx_conn_cmd_t c;
    switch (which) {
    case 'S': c = (wx_conn_cmd_t) { 3, set_argv, set_lens, ex, n }; break;
    case 'M': c = (wx_conn_cmd_t) { 4, mget_argv, mget_lens, ex, n }; break;
    case 'C': c = (wx_conn_cmd_t) { 2, scan_argv, scan_lens, ex, n }; break;
    case 'D': c = (wx_conn_cmd_t) { 2, del_argv, del_lens, ex, n }; break;
    default:  c = (wx_conn_cmd_t) { 2, get_argv, get_lens, ex, n }; break;
    }
    return c;
}

/* One request against a server that answers `reply`; st, message, whether
 * the connection survived. The reply (if any) is freed. */
typedef struct { int st; char err[256]; int kept; int rtype; char str[64]; } once_t;

static once_t fake_once(const char *reply, wx_conn_cmd_t cmd, int strict)
{
    once_t o;
    pid_t srv;
    wx_conn_t *c;
    redisReply *r = NULL;

    memset(&o, 0, sizeof(o));
    fake_set(0, reply);
    fake_set(1, NULL);
    srv = fake_start(script_fixed);
    c = fake_conn(1.0, 0);
    o.st = strict ? wx_conn_request(c, &cmd, 1, &r) : wx_conn_pipeline(c, &cmd, 1, &r);
    snprintf(o.err, sizeof(o.err), "%s", c->errstr);
    o.kept = c->ctx != NULL;
    if (o.st == WX_CONN_OK) {
        o.rtype = r->type;
        if (r->str) snprintf(o.str, sizeof(o.str), "%s", r->str);
        freeReplyObject(r);
    }
    wx_conn_free(c);
    fake_stop(srv);
    return o;
}

static void check_fake_limits(void)
{
    pid_t srv;
    wx_conn_t *c;
    redisReply *r = NULL;
    wx_conn_cmd_t get = cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0);
    double t;
    int st;

    /* a header announcing ~1 TB, then a flood: refused at the header */
    fake_set(0, "$999999999999\r\n");
    fake_set(1, "$2\r\nok\r\n");
    srv = fake_start(script_flood);
    c = fake_conn(1.0, 0);
    t = now_s();
    st = wx_conn_request(c, &get, 1, &r);
    t = now_s() - t;
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "999999999999 bytes") && strstr(c->errstr, "536870912"),
             "huge bulk header: protocol error naming size and limit: %s", c->errstr);
    WX_CHECK(c->ctx == NULL && c->rcap <= 16384 && t < 0.9,
             "refused from the header: connection dropped, read buffer never grew (%zu bytes), no wait (%.3fs)", c->rcap, t);
    st = wx_conn_request(c, &get, 1, &r);
    WX_CHECK(st == WX_CONN_OK && r->len == 2 && c->stats->connects == 2, "next call reconnects and works: %s", c->errstr);
    if (st == WX_CONN_OK) freeReplyObject(r);
    wx_conn_free(c);
    fake_stop(srv);

    {
        once_t o = fake_once("*999999999999\r\n", cmd_of('M', WX_EXPECT_ANY, 0), 0);
        WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && strstr(o.err, "999999999999 elements") && !o.kept,
                 "huge array header refused, even with no expectation: %s", o.err);
    }

    /* an array within the limit whose elements never come: the deadline */
    fake_set(0, "*100000000\r\n:1\r\n");
    fake_set(1, NULL);
    srv = fake_start(script_fixed);
    c = fake_conn(0.3, 0);
    st = wx_conn_pipeline(c, &get, 1, &r);   /* no expectation: the tree builder runs */
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "within read_timeout 0.3s (the deadline for the whole call; 16 bytes"),
             "array of 1e8 never sent: deadline, partial tree freed: %s", c->errstr);
    wx_conn_free(c);
    fake_stop(srv);

    /* configurable per connection */
    {
        static char body[1200];
        size_t n = (size_t) sprintf(body, "$900\r\n");
        memset(body + n, 'v', 900);
        memcpy(body + n + 900, "\r\n", 3);
        fake_set(0, "$2000\r\n");
        fake_set(1, body);
        srv = fake_start(script_flood);
        c = fake_conn(1.0, 1000);
        st = wx_conn_request(c, &get, 1, &r);
        WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "2000 bytes") && strstr(c->errstr, "limit for one reply is 1000 bytes"),
                 "max_reply_bytes 1000 refuses a 2000-byte bulk: %s", c->errstr);
        st = wx_conn_request(c, &get, 1, &r);
        WX_CHECK(st == WX_CONN_OK && r->len == 900, "and takes a 908-byte reply");
        if (st == WX_CONN_OK) freeReplyObject(r);
        wx_conn_free(c);
        fake_stop(srv);
    }
}

static void check_fake_deadlines(void)
{
    pid_t srv;
    wx_conn_t *c;
    redisReply *r[3];
    wx_conn_cmd_t get = cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0), gets[3];
    double t;
    int st;

    /* a byte every 0.4 s: 11 bytes would take 4.4 s; one deadline of 1 s */
    fake_set(0, "$5\r\nhello\r\n");
    fake_set(1, "$2\r\nok\r\n");
    fake_gap_ms = 400;
    srv = fake_start(script_drip);
    c = fake_conn(1.0, 0);
    t = now_s();
    st = wx_conn_request(c, &get, 1, r);
    t = now_s() - t;
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "did not finish its reply within read_timeout 1s"),
             "dripping server: i/o error: %s", c->errstr);
    WX_CHECK(t >= 0.95 && t < 2.5, "after about read_timeout (%.2fs), not after the whole drip", t);
    st = wx_conn_request(c, &get, 1, r);
    WX_CHECK(st == WX_CONN_OK && c->stats->connects == 2, "the dripping connection was discarded; next call reconnects");
    if (st == WX_CONN_OK) freeReplyObject(r[0]);
    wx_conn_free(c);
    fake_stop(srv);

    /* a pipeline whose replies come 0.6 s apart: each read is short, the
     * call is not */
    fake_set(0, "$1\r\na\r\n");
    fake_set(1, NULL);
    fake_gap_ms = 600;
    srv = fake_start(script_slow_pipeline);
    c = fake_conn(1.0, 0);
    gets[0] = gets[1] = gets[2] = get;
    t = now_s();
    st = wx_conn_request(c, gets, 3, r);
    t = now_s() - t;
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "while sending a pipeline") && t < 1.7,
             "pipeline bounded as a whole (%.2fs): %s", t, c->errstr);
    wx_conn_free(c);
    fake_stop(srv);

    /* a server that never reads: the write itself runs into the deadline */
    {
        size_t big = 32u << 20;
        char *v = malloc(big);
        const char *argv[3] = { "SET", "k", v };
        size_t lens[3] = { 3, 1, big };
        wx_conn_cmd_t set = { 3, argv, lens, WX_EXPECT_OK, 0 };
        memset(v, 'v', big);
        srv = fake_start(script_deaf);
        c = fake_conn(0.5, 0);
        t = now_s();
        st = wx_conn_request(c, &set, 1, r);
        t = now_s() - t;
        WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "did not take the commands within read_timeout 0.5s"),
                 "writes count against the deadline: %s", c->errstr);
        WX_CHECK(t >= 0.45 && t < 2.0 && c->ctx == NULL, "write stopped after %.2fs, connection dropped", t);
        free(v);
        wx_conn_free(c);
        fake_stop(srv);
    }

    /* accepts, never answers: the message scripts and phpt rely on */
    srv = fake_start(script_deaf);
    c = fake_conn(0.3, 0);
    st = wx_conn_request(c, &get, 1, r);
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "did not answer within read_timeout 0.3s while sending a command"),
             "mute server: %s", c->errstr);
    wx_conn_free(c);
    fake_stop(srv);
}

static void check_fake_types(void)
{
    static const struct {
        int cmd; wx_conn_expect_t ex; size_t n; const char *reply; int ok; const char *a, *b;
    } cases[] = {
        { 'G', WX_EXPECT_BULK_OR_NIL, 0, "+OK\r\n",            0, "answered GET with a status reply +OK", "where a bulk string or nil was expected" },
        { 'G', WX_EXPECT_BULK_OR_NIL, 0, ":42\r\n",            0, "an integer :42", "bulk string or nil" },
        { 'G', WX_EXPECT_BULK_OR_NIL, 0, "*1\r\n$1\r\na\r\n",  0, "an array of 1 element", "bulk string or nil" },
        { 'G', WX_EXPECT_BULK_OR_NIL, 0, "$-1\r\n",            1, "", "" },
        { 'G', WX_EXPECT_BULK_OR_NIL, 0, "$3\r\nabc\r\n",      1, "", "" },
        { 'S', WX_EXPECT_OK,          0, "$2\r\nOK\r\n",       0, "answered SET with a bulk string of 2 bytes", "where +OK was expected" },
        { 'S', WX_EXPECT_OK,          0, ":1\r\n",             0, "an integer :1", "+OK" },
        { 'S', WX_EXPECT_OK,          0, "+QUEUED\r\n",        0, "a status reply +QUEUED", "+OK" },
        { 'S', WX_EXPECT_OK,          0, "+OK\r\n",            1, "", "" },
        { 'S', WX_EXPECT_OK_OR_NIL,   0, "$-1\r\n",            1, "", "" },
        { 'S', WX_EXPECT_OK_OR_NIL,   0, "+PONG\r\n",          0, "+PONG", "+OK or nil" },
        { 'S', WX_EXPECT_STATUS,      0, "+PONG\r\n",          1, "", "" },
        { 'D', WX_EXPECT_INTEGER,     0, "$1\r\n1\r\n",        0, "answered DEL with a bulk string of 1 byte", "an integer" },
        { 'D', WX_EXPECT_INTEGER,     0, ":1\r\n",             1, "", "" },
        { 'G', WX_EXPECT_BULK,        0, "$-1\r\n",            0, "nil", "a bulk string was expected" },
        { 'M', WX_EXPECT_BULKS,       3, "*3\r\n$1\r\na\r\n$-1\r\n$0\r\n\r\n", 1, "", "" },
        { 'M', WX_EXPECT_BULKS,       3, "*3\r\n$1\r\na\r\n:1\r\n$0\r\n\r\n",  0, "an integer :1 at depth 1, element 1", "a bulk string or nil" },
        { 'M', WX_EXPECT_BULKS,       3, "*2\r\n$1\r\na\r\n$1\r\nb\r\n",       0, "an array of 2 elements", "an array of 3 bulk strings or nils" },
        { 'M', WX_EXPECT_BULKS,       3, "*3\r\n-ERR x\r\n$-1\r\n$-1\r\n",     0, "an error reply -ERR x at depth 1", "" },
        { 'M', WX_EXPECT_BULKS,       3, "*3\r\n*0\r\n$-1\r\n$-1\r\n",         0, "an array of 0 elements at depth 1", "" },
        { 'M', WX_EXPECT_ARRAY,       0, "*2\r\n:1\r\n*1\r\n+x\r\n",           1, "", "" },
        { 'M', WX_EXPECT_ARRAY,       0, "$-1\r\n",                            0, "nil", "an array" },
        { 'C', WX_EXPECT_SCAN,        0, "*2\r\n$2\r\n17\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", 1, "", "" },
        { 'C', WX_EXPECT_SCAN,        0, "*2\r\n$1\r\nx\r\n*0\r\n",            0, "a bulk string of 1 byte at depth 1, element 0", "a decimal cursor" },
        { 'C', WX_EXPECT_SCAN,        0, "*2\r\n$1\r\n0\r\n*1\r\n:1\r\n",      0, "an integer :1 at depth 2", "a bulk string (a key)" },
        { 'C', WX_EXPECT_SCAN,        0, "*3\r\n$1\r\n0\r\n*0\r\n*0\r\n",      0, "an array of 3 elements", "a SCAN reply" },
        { 'C', WX_EXPECT_SCAN,        0, "*2\r\n$1\r\n0\r\n$1\r\na\r\n",       0, "a bulk string of 1 byte at depth 1, element 1", "an array of keys" },
    };
    size_t i;
    once_t o;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        o = fake_once(cases[i].reply, cmd_of(cases[i].cmd, cases[i].ex, cases[i].n), 1);
        if (cases[i].ok) {
            WX_CHECK(o.st == WX_CONN_OK && o.kept, "type case %zu accepted (%s)", i, o.err);
        } else {
            WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && !o.kept && strstr(o.err, cases[i].a) && strstr(o.err, cases[i].b),
                     "type case %zu: protocol error, connection dropped: %s", i, o.err);
        }
    }

    /* without expectations (wx_conn_pipeline) the same replies pass, as before */
    o = fake_once("+OK\r\n", cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0), 0);
    WX_CHECK(o.st == WX_CONN_OK && o.rtype == REDIS_REPLY_STATUS, "wx_conn_pipeline ignores expect (legacy callers)");

    /* error replies are answers, not desync; redirects reach the caller as-is */
    o = fake_once("-ERR boom\r\n", cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0), 1);
    WX_CHECK(o.st == WX_CONN_OK && o.kept && o.rtype == REDIS_REPLY_ERROR && strcmp(o.str, "ERR boom") == 0,
             "error reply returned, connection kept");
    o = fake_once("-MOVED 3999 127.0.0.1:6381\r\n", cmd_of('S', WX_EXPECT_OK, 0), 1);
    WX_CHECK(o.st == WX_CONN_OK && o.kept && o.rtype == REDIS_REPLY_ERROR && strcmp(o.str, "MOVED 3999 127.0.0.1:6381") == 0,
             "-MOVED returned as-is: %s", o.str);
    WX_CHECK(wx_conn_redirect_kind(o.str, strlen(o.str)) == 1, "MOVED recognised");
    o = fake_once("-ASK 3999 127.0.0.1:6381\r\n", cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0), 1);
    WX_CHECK(o.st == WX_CONN_OK && wx_conn_redirect_kind(o.str, strlen(o.str)) == 2, "-ASK returned as-is: %s", o.str);
    WX_CHECK(wx_conn_redirect_kind("ERR x", 5) == 0 && wx_conn_redirect_kind("MOVED", 5) == 0, "other errors are not redirects");
    {
        pid_t srv;
        wx_conn_t *c;
        redisReply *r;
        fake_set(0, "-MOVED 1 h:1\r\n");
        fake_set(1, NULL);
        srv = fake_start(script_fixed);
        c = fake_conn(1.0, 0);
        WX_CHECK(wx_conn_command(c, 2, get_argv, get_lens, &r) == WX_CONN_ERR_REPLY && strcmp(c->errstr, "MOVED 1 h:1") == 0,
                 "wx_conn_command: redirect text in errstr: %s", c->errstr);
        wx_conn_free(c);
        fake_stop(srv);
    }

    /* a handshake reply of the wrong type */
    {
        pid_t srv;
        wx_conn_t *c;
        wx_conn_opts_t opt;
        char dsn[80], err[256];
        redisReply *r;
        fake_set(0, "+OK\r\n:1\r\n");
        fake_set(1, NULL);
        srv = fake_start(script_fixed);
        snprintf(dsn, sizeof(dsn), "redis://:pw@127.0.0.1:%d/3", fake_port);
        wx_conn_opts_init(&opt);
        wx_conn_parse_dsn(&opt, dsn, strlen(dsn), err, sizeof(err));
        c = wx_conn_new(&opt, NULL);
        wx_conn_opts_clear(&opt);
        WX_CHECK(wx_conn_command(c, 2, get_argv, get_lens, &r) == WX_CONN_ERR_PROTOCOL &&
                 strstr(c->errstr, "answered SELECT with an integer :1 where +OK was expected"),
                 "AUTH+SELECT in one round trip, both checked: %s", c->errstr);
        wx_conn_free(c);
        fake_stop(srv);
    }
}

static void check_fake_stray(void)
{
    pid_t srv;
    wx_conn_t *c;
    redisReply *r;
    wx_conn_cmd_t get = cmd_of('G', WX_EXPECT_BULK_OR_NIL, 0);
    once_t o;
    int st;

    o = fake_once("$1\r\na\r\n$1\r\nb\r\n", get, 1);
    WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && strstr(o.err, "7 bytes more than the replies to 1 command") && !o.kept,
             "two replies to one command: %s", o.err);
    o = fake_once("$1\r\na\r\n+OK\r\n", get, 0);
    WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && strstr(o.err, "stray"), "a stray reply fails legacy calls too: %s", o.err);

    /* a stray arriving after the reply: the next call's liveness check
     * sees it and reconnects instead of taking it as its answer */
    fake_set(0, "$1\r\na\r\n");
    fake_set(1, "$1\r\nb\r\n");
    fake_set(2, "$1\r\nc\r\n");
    srv = fake_start(script_stray_later);
    c = fake_conn(1.0, 0);
    st = wx_conn_request(c, &get, 1, &r);
    WX_CHECK(st == WX_CONN_OK && r->str[0] == 'a', "first answer");
    if (st == WX_CONN_OK) freeReplyObject(r);
    {
        struct timespec ts = { 0, 150 * 1000000L };
        nanosleep(&ts, NULL);
    }
    st = wx_conn_request(c, &get, 1, &r);
    WX_CHECK(st == WX_CONN_OK && r->str[0] == 'c' && c->stats->reconnects == 1,
             "late stray never read as an answer (got %s, reconnects %llu)", st == WX_CONN_OK ? r->str : c->errstr,
             (unsigned long long) c->stats->reconnects);
    if (st == WX_CONN_OK) freeReplyObject(r);
    wx_conn_free(c);
    fake_stop(srv);
    fake_set(2, NULL);

    /* close mid-reply */
    fake_set(0, "$10\r\nabc");
    fake_set(1, "$2\r\nok\r\n");
    srv = fake_start(script_close);
    c = fake_conn(1.0, 0);
    st = wx_conn_request(c, &get, 1, &r);
    WX_CHECK(st == WX_CONN_ERR_IO && strstr(c->errstr, "closed the connection while sending a command"),
             "close mid-reply: %s", c->errstr);
    st = wx_conn_request(c, &get, 1, &r);
    WX_CHECK(st == WX_CONN_OK && r->len == 2, "then reconnects");
    if (st == WX_CONN_OK) freeReplyObject(r);
    wx_conn_free(c);
    fake_stop(srv);

    o = fake_once("%1\r\n+a\r\n+b\r\n", get, 0);
    WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && strstr(o.err, "RESP3 reply type '%'") && !o.kept, "RESP3 map refused: %s", o.err);
    o = fake_once("$3\r\nabcd\r\n", get, 0);
    WX_CHECK(o.st == WX_CONN_ERR_PROTOCOL && strstr(o.err, "malformed reply"), "bad bulk framing: %s", o.err);
}

typedef struct { char log[512]; size_t n; int calls; int stop_at; } visit_log_t;

static int visit_fn(void *ud, size_t reply, const wx_resp_elem_t *e)
{
    visit_log_t *v = ud;
    int k = snprintf(v->log + v->n, sizeof(v->log) - v->n, "%zu/%u.%zu:%d:%.*s;", reply, e->depth, e->index,
                     (int) e->type, (int) e->len, e->str ? e->str : "");
    if (k > 0 && v->n + (size_t) k < sizeof(v->log)) v->n += (size_t) k;
    v->calls++;
    return v->stop_at && v->calls == v->stop_at;
}

static void check_fake_visit(void)
{
    pid_t srv;
    wx_conn_t *c;
    wx_conn_cmd_t mget = cmd_of('M', WX_EXPECT_BULKS, 3), two[2];
    visit_log_t v;
    int st;

    fake_set(0, "*3\r\n$1\r\na\r\n$-1\r\n$3\r\nxyz\r\n");
    fake_set(1, NULL);
    srv = fake_start(script_fixed);
    c = fake_conn(1.0, 0);
    memset(&v, 0, sizeof(v));
    st = wx_conn_request_visit(c, &mget, 1, visit_fn, &v);
    WX_CHECK(st == WX_CONN_OK && strcmp(v.log, "0/0.0:6:;0/1.0:4:a;0/1.1:5:;0/1.2:4:xyz;") == 0,
             "MGET visited element by element, no tree: %s", v.log);
    memset(&v, 0, sizeof(v));
    v.stop_at = 2;
    st = wx_conn_request_visit(c, &mget, 1, visit_fn, &v);
    WX_CHECK(st == WX_CONN_OK && v.calls == 2 && c->stats->connects == 1,
             "a visitor that stops gets no more calls; the reply is still read (calls %d)", v.calls);
    wx_conn_free(c);
    fake_stop(srv);

    /* the fake answers each read once: give it both replies */
    fake_set(0, "*3\r\n$1\r\na\r\n$-1\r\n$3\r\nxyz\r\n*3\r\n$1\r\na\r\n$-1\r\n$3\r\nxyz\r\n");
    srv = fake_start(script_fixed);
    c = fake_conn(1.0, 0);
    memset(&v, 0, sizeof(v));
    two[0] = two[1] = mget;
    st = wx_conn_request_visit(c, two, 2, visit_fn, &v);
    WX_CHECK(st == WX_CONN_OK && v.calls == 8 && strstr(v.log, "1/1.2:4:xyz;") && c->stats->round_trips == 1,
             "pipelined visit names the reply: %s", st == WX_CONN_OK ? v.log : c->errstr);
    wx_conn_free(c);
    fake_stop(srv);

    fake_set(0, "*3\r\n$1\r\na\r\n:1\r\n$3\r\nxyz\r\n");
    srv = fake_start(script_fixed);
    c = fake_conn(1.0, 0);
    memset(&v, 0, sizeof(v));
    st = wx_conn_request_visit(c, &mget, 1, visit_fn, &v);
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && v.calls == 2, "a bad element is caught before the visitor sees it (%d calls)", v.calls);
    wx_conn_free(c);
    fake_stop(srv);
}

/* wx_conn_decode: the same reading without a socket */
static void check_decode(void)
{
    wx_conn_opts_t o;
    wx_conn_t *c;
    wx_conn_cmd_t cmds[3];
    redisReply *r[3];
    const char *in = "+OK\r\n*2\r\n$1\r\na\r\n$-1\r\n*2\r\n$1\r\n0\r\n*1\r\n$3\r\nkey\r\n";
    int st;

    wx_conn_opts_init(&o);
    c = wx_conn_new(&o, NULL);
    cmds[0] = cmd_of('S', WX_EXPECT_OK, 0);
    cmds[1] = cmd_of('M', WX_EXPECT_BULKS, 2);
    cmds[2] = cmd_of('C', WX_EXPECT_SCAN, 0);
    st = wx_conn_decode(c, in, strlen(in), cmds, 3, r);
    WX_CHECK(st == WX_CONN_OK && r[0]->type == REDIS_REPLY_STATUS && strcmp(r[0]->str, "OK") == 0 &&
             r[1]->type == REDIS_REPLY_ARRAY && r[1]->elements == 2 && r[1]->element[0]->len == 1 &&
             r[1]->element[1]->type == REDIS_REPLY_NIL &&
             r[2]->element[1]->elements == 1 && strcmp(r[2]->element[1]->element[0]->str, "key") == 0,
             "three replies decoded into hiredis-shaped trees: %s", c->errstr);
    if (st == WX_CONN_OK) { freeReplyObject(r[0]); freeReplyObject(r[1]); freeReplyObject(r[2]); }
    st = wx_conn_decode(c, in, strlen(in) - 3, cmds, 3, r);
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "2 of 3 replies"), "truncated: %s", c->errstr);
    st = wx_conn_decode(c, in, strlen(in), cmds, 2, r);
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "after the last reply"), "left over: %s", c->errstr);
    cmds[1].expect_n = 3;
    st = wx_conn_decode(c, in, strlen(in), cmds, 3, r);
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "answered MGET"), "expectations apply: %s", c->errstr);
    wx_conn_free(c);
}

static void check_command_class(void)
{
    static const struct { const char *args[4]; int argc; wx_conn_cmd_class_t cls; } cases[] = {
        { { "GET", "k" }, 2, WX_CMD_PLAIN },
        { { "get" }, 1, WX_CMD_PLAIN },
        { { "SET", "k", "v" }, 3, WX_CMD_PLAIN },
        { { "EVAL", "return 1", "0" }, 3, WX_CMD_PLAIN },
        { { "multi" }, 1, WX_CMD_TRANSACTION },
        { { "MuLtI" }, 1, WX_CMD_TRANSACTION },
        { { "EXEC" }, 1, WX_CMD_TRANSACTION },
        { { "DISCARD" }, 1, WX_CMD_TRANSACTION },
        { { "WATCH", "k" }, 2, WX_CMD_TRANSACTION },
        { { "unwatch" }, 1, WX_CMD_TRANSACTION },
        { { "select", "5" }, 2, WX_CMD_SESSION },
        { { "AUTH", "pw" }, 2, WX_CMD_SESSION },
        { { "HELLO", "3" }, 2, WX_CMD_SESSION },
        { { "RESET" }, 1, WX_CMD_SESSION },
        { { "QUIT" }, 1, WX_CMD_SESSION },
        { { "READONLY" }, 1, WX_CMD_SESSION },
        { { "readwrite" }, 1, WX_CMD_SESSION },
        { { "ASKING" }, 1, WX_CMD_SESSION },
        { { "CLIENT", "REPLY", "OFF" }, 3, WX_CMD_SESSION },
        { { "client", "tracking", "on" }, 3, WX_CMD_SESSION },
        { { "CLIENT", "SETNAME", "x" }, 3, WX_CMD_SESSION },
        { { "CLIENT", "SETINFO", "lib-name", "x" }, 4, WX_CMD_SESSION },
        { { "CLIENT", "CACHING", "yes" }, 3, WX_CMD_SESSION },
        { { "CLIENT", "NO-EVICT", "on" }, 3, WX_CMD_SESSION },
        { { "CLIENT", "no-touch", "on" }, 3, WX_CMD_SESSION },
        { { "CLIENT", "LIST" }, 2, WX_CMD_PLAIN },
        { { "CLIENT", "GETNAME" }, 2, WX_CMD_PLAIN },
        { { "CLIENT", "KILL", "ID", "1" }, 4, WX_CMD_PLAIN },
        { { "CLIENT" }, 1, WX_CMD_PLAIN },
        { { "SUBSCRIBE", "ch" }, 2, WX_CMD_PUSH },
        { { "psubscribe", "c*" }, 2, WX_CMD_PUSH },
        { { "SSUBSCRIBE", "ch" }, 2, WX_CMD_PUSH },
        { { "UNSUBSCRIBE" }, 1, WX_CMD_PUSH },
        { { "PUNSUBSCRIBE" }, 1, WX_CMD_PUSH },
        { { "SUNSUBSCRIBE" }, 1, WX_CMD_PUSH },
        { { "MONITOR" }, 1, WX_CMD_PUSH },
        { { "SYNC" }, 1, WX_CMD_PUSH },
        { { "PSYNC", "?", "-1" }, 3, WX_CMD_PUSH },
        { { "REPLCONF", "listening-port", "1" }, 3, WX_CMD_PUSH },
        { { "PUBLISH", "ch", "m" }, 3, WX_CMD_PLAIN },
        { { "BLPOP", "q", "0" }, 3, WX_CMD_BLOCKING },
        { { "brpop", "q", "1" }, 3, WX_CMD_BLOCKING },
        { { "BLMOVE", "a", "b", "LEFT" }, 4, WX_CMD_BLOCKING },
        { { "BRPOPLPUSH", "a", "b", "0" }, 4, WX_CMD_BLOCKING },
        { { "BZPOPMIN", "z", "0" }, 3, WX_CMD_BLOCKING },
        { { "BZPOPMAX", "z", "0" }, 3, WX_CMD_BLOCKING },
        { { "BLMPOP", "0", "1", "q" }, 4, WX_CMD_BLOCKING },
        { { "BZMPOP", "0", "1", "z" }, 4, WX_CMD_BLOCKING },
        { { "LPOP", "q" }, 2, WX_CMD_PLAIN },
        { { "XREAD", "BLOCK", "0", "STREAMS" }, 4, WX_CMD_BLOCKING },
        { { "xreadgroup", "GROUP", "g", "block" }, 4, WX_CMD_BLOCKING },
        { { "XREAD", "COUNT", "1", "STREAMS" }, 4, WX_CMD_PLAIN },
        { { "XREAD", "STREAMS", "block", "0" }, 4, WX_CMD_PLAIN },
        { { "WAIT", "1", "0" }, 3, WX_CMD_PLAIN },
        { { "SHUTDOWN" }, 1, WX_CMD_SERVER },
        { { "DEBUG", "SLEEP", "1" }, 3, WX_CMD_SERVER },
        { { "FAILOVER" }, 1, WX_CMD_SERVER },
        { { "REPLICAOF", "h", "1" }, 3, WX_CMD_SERVER },
        { { "SLAVEOF", "h", "1" }, 3, WX_CMD_SERVER },
        { { "CLUSTER", "failover" }, 2, WX_CMD_SERVER },
        { { "CLUSTER", "RESET" }, 2, WX_CMD_SERVER },
        { { "CLUSTER", "SLOTS" }, 2, WX_CMD_PLAIN },
        { { "SWAPDB", "0", "1" }, 3, WX_CMD_PLAIN },
        { { "MULTIX" }, 1, WX_CMD_PLAIN },
        { { "MULT" }, 1, WX_CMD_PLAIN },
        { { "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA" }, 1, WX_CMD_PLAIN },
    };
    size_t i;
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t lens[4];
        const char *reason = NULL;
        int a;
        wx_conn_cmd_class_t got;
        for (a = 0; a < cases[i].argc; a++) lens[a] = strlen(cases[i].args[a]);
        got = wx_conn_command_class(cases[i].argc, cases[i].args, lens, &reason);
        WX_CHECK(got == cases[i].cls && reason && (got == WX_CMD_PLAIN ? reason[0] == '\0' : strlen(reason) > 20),
                 "%s %s: class %d (%s)", cases[i].args[0], cases[i].argc > 1 ? cases[i].args[1] : "", (int) got, reason ? reason : "-");
    }
    {
        /* a NUL in the name is not MULTI */
        const char *argv[1] = { "MULTI\0" };
        size_t lens[1] = { 6 };
        WX_CHECK(wx_conn_command_class(1, argv, lens, NULL) == WX_CMD_PLAIN, "embedded NUL does not match");
        WX_CHECK(wx_conn_command_class(0, argv, lens, NULL) == WX_CMD_PLAIN, "no arguments: plain");
    }
}

/* Against the real server scripts/test starts (WXREDIS_TEST_REDIS). */
static void check_live(const char *addr)
{
    char dsn[128], err[256], big[600];
    wx_conn_opts_t o;
    wx_conn_t *c;
    redisReply *r[1000];
    wx_conn_cmd_t cmds[1000];
    const char *setv[3] = { "SET", "wxcore:bin", "a\0b\r\n" };
    size_t setl[3] = { 3, 10, 5 };
    const char *getv[2] = { "GET", "wxcore:bin" };
    size_t getl[2] = { 3, 10 };
    const char *empv[3] = { "SET", "wxcore:empty", "" };
    size_t empl[3] = { 3, 12, 0 };
    const char *bigv[3] = { "SET", "wxcore:big", big };
    size_t bigl[3] = { 3, 10, sizeof(big) };
    const char *incv[2] = { "INCR", "wxcore:n" };
    size_t incl[2] = { 4, 8 };
    const char *delv[5] = { "DEL", "wxcore:bin", "wxcore:empty", "wxcore:big", "wxcore:n" };
    size_t dell[5] = { 3, 10, 12, 10, 8 };
    size_t i;
    int ok, st;
    pid_t pid;

    snprintf(dsn, sizeof(dsn), "redis://%s/11", addr);
    wx_conn_opts_init(&o);
    wx_conn_parse_dsn(&o, dsn, strlen(dsn), err, sizeof(err));
    c = wx_conn_new(&o, NULL);
    wx_conn_opts_clear(&o);
    memset(big, 'x', sizeof(big));

    cmds[0] = (wx_conn_cmd_t) { 3, setv, setl, WX_EXPECT_ANY, 0 };
    cmds[1] = (wx_conn_cmd_t) { 2, getv, getl, WX_EXPECT_ANY, 0 };
    cmds[2] = (wx_conn_cmd_t) { 3, empv, empl, WX_EXPECT_ANY, 0 };
    cmds[3] = (wx_conn_cmd_t) { 3, bigv, bigl, WX_EXPECT_ANY, 0 };
    WX_CHECK(wx_conn_pipeline(c, cmds, 4, r) == WX_CONN_OK, "pipeline of 4: %s", c->errstr);
    WX_CHECK(r[1]->type == REDIS_REPLY_STRING && r[1]->len == 5 && memcmp(r[1]->str, "a\0b\r\n", 5) == 0,
             "binary-safe args (NUL, CRLF) round-trip");
    WX_CHECK(r[2]->type == REDIS_REPLY_STATUS && r[3]->type == REDIS_REPLY_STATUS, "empty and 600-byte args accepted");
    for (i = 0; i < 4; i++) freeReplyObject(r[i]);
    WX_CHECK(c->stats->round_trips == 2 && c->stats->connects == 1, "one round trip for the batch (plus SELECT)");

    for (i = 0; i < 1000; i++) cmds[i] = (wx_conn_cmd_t) { 2, incv, incl, WX_EXPECT_ANY, 0 };
    WX_CHECK(wx_conn_pipeline(c, cmds, 1000, r) == WX_CONN_OK, "pipeline of 1000");
    WX_CHECK(r[999]->type == REDIS_REPLY_INTEGER && r[999]->integer == 1000, "1000 replies in order (last = %lld)", r[999]->integer);
    for (i = 0; i < 1000; i++) freeReplyObject(r[i]);

    /* a forked child must connect anew and see consistent replies */
    pid = fork();
    if (pid == 0) {
        redisReply *one;
        ok = wx_conn_command(c, 2, getv, getl, &one) == WX_CONN_OK && one->len == 5 && c->stats->connects == 2;
        if (one) freeReplyObject(one);
        wx_conn_free(c);
        _exit(ok ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    WX_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0, "forked child reconnects and reads its own replies");
    {
        redisReply *one;
        WX_CHECK(wx_conn_command(c, 2, incv, incl, &one) == WX_CONN_OK && one->integer == 1001 && c->stats->connects == 1,
                 "parent connection unaffected by the child");
        if (one) freeReplyObject(one);
    }
    cmds[0] = (wx_conn_cmd_t) { 5, delv, dell, WX_EXPECT_ANY, 0 };
    if (wx_conn_pipeline(c, cmds, 1, r) == WX_CONN_OK) freeReplyObject(r[0]);
    wx_conn_free(c);
}

/* The strict path and big replies against the real server. */
static void check_live_strict(const char *addr)
{
    char dsn[128], err[256];
    wx_conn_opts_t o;
    wx_conn_t *c;
    redisReply *r[8];
    wx_conn_cmd_t cmds[8];
    size_t big = 3u << 20, i;
    char *v = malloc(big);
    const char *setv[3] = { "SET", "wxcore:s:big", v };
    size_t setl[3] = { 3, 12, big };
    const char *getv[2] = { "GET", "wxcore:s:big" };
    size_t getl[2] = { 3, 12 };
    const char *incv[2] = { "INCR", "wxcore:s:n" };
    size_t incl[2] = { 4, 10 };
    const char *pushv[3] = { "RPUSH", "wxcore:s:list", "x" };
    size_t pushl[3] = { 5, 13, 1 };
    const char *getlv[2] = { "GET", "wxcore:s:list" };
    size_t getll[2] = { 3, 13 };
    const char *mgetv[4] = { "MGET", "wxcore:s:big", "wxcore:s:none", "wxcore:s:n" };
    size_t mgetl[4] = { 4, 12, 13, 10 };
    const char *scanv[6] = { "SCAN", "0", "MATCH", "wxcore:s:*", "COUNT", "100" };
    size_t scanl[6] = { 4, 1, 5, 10, 5, 3 };
    const char *pingv[1] = { "PING" };
    size_t pingl[1] = { 4 };
    const char *delv[4] = { "DEL", "wxcore:s:big", "wxcore:s:n", "wxcore:s:list" };
    size_t dell[4] = { 3, 12, 10, 13 };
    visit_log_t vl;
    int st;

    for (i = 0; i < big; i++) v[i] = (char) ('a' + i % 26);
    snprintf(dsn, sizeof(dsn), "redis://%s/12", addr);
    wx_conn_opts_init(&o);
    wx_conn_parse_dsn(&o, dsn, strlen(dsn), err, sizeof(err));
    c = wx_conn_new(&o, NULL);

    cmds[0] = (wx_conn_cmd_t) { 3, setv, setl, WX_EXPECT_OK, 0 };
    cmds[1] = (wx_conn_cmd_t) { 2, getv, getl, WX_EXPECT_BULK_OR_NIL, 0 };
    cmds[2] = (wx_conn_cmd_t) { 2, incv, incl, WX_EXPECT_INTEGER, 0 };
    cmds[3] = (wx_conn_cmd_t) { 3, pushv, pushl, WX_EXPECT_INTEGER, 0 };
    cmds[4] = (wx_conn_cmd_t) { 2, getlv, getll, WX_EXPECT_BULK_OR_NIL, 0 };
    cmds[5] = (wx_conn_cmd_t) { 4, mgetv, mgetl, WX_EXPECT_BULKS, 3 };
    cmds[6] = (wx_conn_cmd_t) { 6, scanv, scanl, WX_EXPECT_SCAN, 0 };
    cmds[7] = (wx_conn_cmd_t) { 1, pingv, pingl, WX_EXPECT_STATUS, 0 };
    st = wx_conn_request(c, cmds, 8, r);
    WX_CHECK(st == WX_CONN_OK, "real Redis meets every expectation: %s", c->errstr);
    if (st == WX_CONN_OK) {
        WX_CHECK(r[1]->len == big && memcmp(r[1]->str, v, big) == 0, "3 MB value read back intact");
        WX_CHECK(r[4]->type == REDIS_REPLY_ERROR && strncmp(r[4]->str, "WRONGTYPE", 9) == 0 && c->ctx != NULL,
                 "WRONGTYPE stays an error reply, connection kept");
        WX_CHECK(r[5]->elements == 3 && r[5]->element[1]->type == REDIS_REPLY_NIL && r[5]->element[0]->len == big,
                 "MGET shape");
        for (i = 0; i < 8; i++) freeReplyObject(r[i]);
    }
    WX_CHECK(c->rcap == 0 && c->wcap == 0, "buffers over 256 kB are freed after the call");

    memset(&vl, 0, sizeof(vl));
    st = wx_conn_request_visit(c, &cmds[5], 1, visit_fn, &vl);
    WX_CHECK(st == WX_CONN_OK && vl.calls == 4, "MGET of a 3 MB value visited without a tree");

    wx_conn_free(c);
    o.max_reply_bytes = 1u << 20;
    c = wx_conn_new(&o, NULL);
    st = wx_conn_request(c, &cmds[1], 1, r);
    WX_CHECK(st == WX_CONN_ERR_PROTOCOL && strstr(c->errstr, "3145728 bytes") && strstr(c->errstr, "1048576"),
             "max_reply_bytes 1 MB refuses the 3 MB value: %s", c->errstr);
    st = wx_conn_request(c, &cmds[2], 1, r);
    WX_CHECK(st == WX_CONN_OK && c->stats->connects == 2, "and the next call reconnects");
    if (st == WX_CONN_OK) freeReplyObject(r[0]);
    cmds[0] = (wx_conn_cmd_t) { 4, delv, dell, WX_EXPECT_INTEGER, 0 };
    if (wx_conn_request(c, cmds, 1, r) == WX_CONN_OK) freeReplyObject(r[0]);
    wx_conn_free(c);
    wx_conn_opts_clear(&o);
    free(v);
}

int main(void)
{
    const char *addr = getenv("WXREDIS_TEST_REDIS");
    check_dsn();
    check_keys();
    check_failures();
    check_command_class();
    check_fake_limits();
    check_fake_deadlines();
    check_fake_types();
    check_fake_stray();
    check_fake_visit();
    check_decode();
    if (addr && *addr) {
        check_live(addr);
        check_live_strict(addr);
    }
    return wx_test_done();
}
