/* Unit tests of the Sentinel engine without real servers: the failure
 * report, the +switch-master reader (bytes given, and over a socketpair),
 * and the engine against refused ports and against fake sentinels and
 * masters this test forks on loopback: an unknown service name, a sentinel
 * that never answers (the call's deadline), discovery, a +switch-master
 * that moves the next request, READONLY that finds the master again, and
 * fork() (a child never reads its parent's subscription).
 * The real deployment is tests/core/ha_sentinel_check.c. */
#include "wx_client.h"
#include "wx_sentinel.h"
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

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms)
{
    struct timespec ts;
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (long) (ms % 1000) * 1000000L;
    nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ report */

static void check_report(void)
{
    char buf[120];
    wx_sentinel_report_t r;
    int i;

    wx_sentinel_report_init(&r, buf, sizeof(buf));
    wx_sentinel_report_add(&r, "127.0.0.1:26379", "%s", "Connection refused");
    wx_sentinel_report_add(&r, "127.0.0.1:26380", "no master named \"%s\"", "mymaster");
    wx_sentinel_report_end(&r);
    WX_CHECK(strcmp(buf, "127.0.0.1:26379: Connection refused; 127.0.0.1:26380: no master named \"mymaster\"") == 0,
             "report joins what each sentinel said: %s", buf);

    wx_sentinel_report_init(&r, buf, sizeof(buf));
    for (i = 0; i < 10; i++) wx_sentinel_report_add(&r, "10.0.0.1:26379", "answered something long enough");
    wx_sentinel_report_end(&r);
    WX_CHECK(strlen(buf) < sizeof(buf) && strcmp(buf + strlen(buf) - 12, "; and 8 more") == 0,
             "a full report keeps whole parts and counts the rest: %s", buf);

    WX_CHECK(strcmp(wx_sentinel_reason("cannot connect to Redis at 127.0.0.1:26379: Connection refused"),
                    "Connection refused") == 0, "reason: the place is cut from a connect failure");
    WX_CHECK(strcmp(wx_sentinel_reason("Redis at [::1]:26379 refused AUTH: WRONGPASS invalid username-password pair"),
                    "refused AUTH: WRONGPASS invalid username-password pair") == 0, "reason: and from a refusal");
    WX_CHECK(strcmp(wx_sentinel_reason("not tried: x"), "not tried: x") == 0, "reason: other text is kept");

    {
        wx_topo_addr_t a = { (char *) "::1", 26379, NULL }, u = { NULL, 0, (char *) "/run/s.sock" };
        wx_sentinel_where(&a, buf, sizeof(buf));
        WX_CHECK(strcmp(buf, "[::1]:26379") == 0, "where: IPv6 in brackets");
        wx_sentinel_where(&u, buf, sizeof(buf));
        WX_CHECK(strcmp(buf, "unix:/run/s.sock") == 0, "where: a socket path");
    }
}

/* ------------------------------------------------------------- watch */

static char *msg(char *buf, const char *kind, const char *chan, const char *payload)
{
    sprintf(buf, "*3\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n$%zu\r\n%s\r\n", strlen(kind), kind, strlen(chan), chan,
            strlen(payload), payload);
    return buf;
}

static void check_watch_feed(void)
{
    wx_sentinel_watch_t w;
    wx_topo_hostport_t to;
    char m[1200], two[1024];
    size_t i, n;
    int rc = 0;

    wx_sentinel_watch_init(&w, -1);
    msg(m, "message", "+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380");
    WX_CHECK(wx_sentinel_watch_feed(&w, m, strlen(m), "mymaster", &to) == WX_WATCH_SWITCH &&
             strcmp(to.host, "127.0.0.1") == 0 && to.port == 6380, "a +switch-master for us names the new master");
    msg(m, "message", "+switch-master", "other 127.0.0.1 6379 127.0.0.1 6380");
    WX_CHECK(wx_sentinel_watch_feed(&w, m, strlen(m), "mymaster", &to) == WX_WATCH_QUIET,
             "one for another service is ignored");
    msg(m, "message", "+sdown", "master mymaster 127.0.0.1 6379");
    WX_CHECK(wx_sentinel_watch_feed(&w, m, strlen(m), "mymaster", &to) == WX_WATCH_QUIET,
             "another channel is ignored");
    WX_CHECK(wx_sentinel_watch_feed(&w, "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n", 44, "mymaster", &to)
             == WX_WATCH_QUIET, "a subscribe confirmation is ignored");

    /* byte by byte: nothing until the message is whole */
    msg(m, "message", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 7000");
    n = strlen(m);
    for (i = 0; i < n; i++) {
        rc = wx_sentinel_watch_feed(&w, m + i, 1, "mymaster", &to);
        if (i + 1 < n && rc != WX_WATCH_QUIET) break;
    }
    WX_CHECK(i == n && rc == WX_WATCH_SWITCH && strcmp(to.host, "10.0.0.2") == 0 && to.port == 7000,
             "a message split into single bytes is read once whole");

    /* two in one read: the last wins */
    msg(two, "message", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 7000");
    msg(m, "message", "+switch-master", "mymaster 10.0.0.2 7000 10.0.0.3 7001");
    strcat(two, m);
    WX_CHECK(wx_sentinel_watch_feed(&w, two, strlen(two), "mymaster", &to) == WX_WATCH_SWITCH &&
             strcmp(to.host, "10.0.0.3") == 0 && to.port == 7001, "several switches in one read: the last one counts");

    msg(m, "message", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2");
    WX_CHECK(wx_sentinel_watch_feed(&w, m, strlen(m), "mymaster", &to) == WX_WATCH_DOWN && strstr(w.err, "malformed"),
             "a malformed +switch-master stops the watch: %s", w.err);

    wx_sentinel_watch_init(&w, -1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "-ERR no\r\n", 9, "mymaster", &to) == WX_WATCH_DOWN && strstr(w.err, "an error reply"),
             "an error reply on the stream stops the watch: %s", w.err);
    wx_sentinel_watch_init(&w, -1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "*2\r\n$1\r\na\r\n$1\r\nb\r\n", 18, "mymaster", &to) == WX_WATCH_DOWN,
             "an array of another size stops the watch");
    wx_sentinel_watch_init(&w, -1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "*3\r\n*1\r\n", 8, "mymaster", &to) == WX_WATCH_DOWN,
             "a nested array stops the watch");
    wx_sentinel_watch_init(&w, -1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "*3\r\n$7\r\nmessage\r\n$14\r\n+switch-master\r\n$99999\r\n", 47, "mymaster", &to)
             == WX_WATCH_DOWN, "a huge payload header stops the watch: %s", w.err);
    wx_sentinel_watch_init(&w, -1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "%3\r\n", 4, "mymaster", &to) == WX_WATCH_DOWN && w.err[0],
             "RESP3 bytes stop the watch: %s", w.err);
    {
        /* a long message on another channel still fits the limit... */
        char big[1800], mm[2000];
        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        wx_sentinel_watch_init(&w, -1);
        msg(mm, "message", "other", big);
        WX_CHECK(wx_sentinel_watch_feed(&w, mm, strlen(mm), "mymaster", &to) == WX_WATCH_QUIET,
                 "a long message on another channel is skipped");
        /* ...but not a +switch-master payload over its own limit */
        msg(mm, "message", "+switch-master", big);
        WX_CHECK(wx_sentinel_watch_feed(&w, mm, strlen(mm), "mymaster", &to) == WX_WATCH_DOWN,
                 "a +switch-master payload over %d bytes stops the watch", WX_SENTINEL_PAYLOAD_MAX);
    }
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_DOWN, "no descriptor: down");

    /* a link's handshake: AUTH's +OK, then the subscription, then messages */
    wx_sentinel_watch_init_handshake(&w, -1, 1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "+OK\r\n", 5, "mymaster", &to) == WX_WATCH_QUIET && w.state == WX_WATCH_HANDSHAKE,
             "handshake: +OK for AUTH, not live yet");
    msg(two, "message", "+switch-master", "mymaster 10.0.0.1 6379 10.0.0.2 7000");
    snprintf(m, sizeof(m), "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n%s", two);
    WX_CHECK(wx_sentinel_watch_feed(&w, m, strlen(m), "mymaster", &to) == WX_WATCH_SWITCH && w.state == WX_WATCH_LIVE &&
             to.port == 7000, "handshake: the confirmation makes it live; a message in the same read counts");
    WX_CHECK(wx_sentinel_watch_feed(&w, "+OK\r\n", 5, "mymaster", &to) == WX_WATCH_DOWN,
             "live: a status line is not a message");
    wx_sentinel_watch_init_handshake(&w, -1, 1);
    WX_CHECK(wx_sentinel_watch_feed(&w, "-WRONGPASS invalid username-password pair\r\n", 43, "mymaster", &to) == WX_WATCH_DOWN &&
             strcmp(w.err, "refused AUTH: WRONGPASS invalid username-password pair") == 0, "handshake: AUTH refused (%s)", w.err);
    wx_sentinel_watch_init_handshake(&w, -1, 0);
    WX_CHECK(wx_sentinel_watch_feed(&w, "-NOPERM no\r\n", 12, "mymaster", &to) == WX_WATCH_DOWN &&
             strstr(w.err, "refused SUBSCRIBE: NOPERM"), "handshake: SUBSCRIBE refused (%s)", w.err);
}

static void check_watch_socket(void)
{
    wx_sentinel_watch_t w;
    wx_topo_hostport_t to;
    char m[512];
    int sv[2];
    double t;

    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0) {
        WX_CHECK(0, "socketpair: %s", strerror(errno));
        return;
    }
    wx_sentinel_watch_init(&w, sv[0]);
    t = now_s();
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_QUIET && now_s() - t < 0.05,
             "nothing sent: quiet, without blocking");
    msg(m, "message", "+switch-master", "mymaster 127.0.0.1 6379 127.0.0.1 6380");
    WX_CHECK(write(sv[1], m, 10) == 10, "half a message written");
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_QUIET, "half a message: quiet");
    WX_CHECK(write(sv[1], m + 10, strlen(m) - 10) == (ssize_t) (strlen(m) - 10), "the rest written");
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_SWITCH && to.port == 6380,
             "the rest: the switch is seen");
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_QUIET, "and only once");
    close(sv[1]);
    WX_CHECK(wx_sentinel_watch_poll(&w, "mymaster", &to) == WX_WATCH_DOWN && strstr(w.err, "closed"),
             "the sentinel closed it: down (%s)", w.err);
    close(sv[0]);
}

/* ------------------------------------------------------------- fakes */

/* A fake server forked from this test, one child per connection so that a
 * subscription can stay open while other connections are served. */
typedef void (*fake_fn)(int fd, int nth);

typedef struct {
    pid_t pid;
    int   port;
} fake_t;

static fake_t fake_start(fake_fn fn)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    fake_t f = { -1, 0 };

    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ls, (struct sockaddr *) &a, sizeof(a)) != 0 || listen(ls, 16) != 0 ||
        getsockname(ls, (struct sockaddr *) &a, &al) != 0) {
        perror("fake server");
        exit(2);
    }
    f.port = ntohs(a.sin_port);
    fflush(stdout);
    f.pid = fork();
    if (f.pid == 0) {
        int nth = 0;
        signal(SIGPIPE, SIG_IGN);
        signal(SIGCHLD, SIG_IGN);      /* no zombies */
        for (;;) {
            int fd = accept(ls, NULL, NULL);
            if (fd < 0) _exit(0);
            if (fork() == 0) {
                close(ls);
                fn(fd, nth);
                _exit(0);
            }
            close(fd);
            nth++;
        }
    }
    close(ls);
    return f;
}

static void fake_stop(fake_t *f)
{
    if (f->pid > 0) {
        /* the whole group of connection handlers goes with the SIGKILL of
         * their parent only when we kill them too: they exit on EOF */
        kill(f->pid, SIGKILL);
        waitpid(f->pid, NULL, 0);
    }
    f->pid = -1;
}

static void fake_write(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) return;
        s += w;
        n -= (size_t) w;
    }
}

/* Read one chunk (the client's pipelines are small and written at once). */
static ssize_t fake_read(int fd, char *buf, size_t cap)
{
    ssize_t r = read(fd, buf, cap - 1);
    buf[r > 0 ? r : 0] = '\0';
    return r;
}

/* Set before fake_start: what the fakes answer. */
static int master_a_port, master_b_port;
static int switch_after_ms = -1;       /* sentinel: send +switch-master (to B) this long after subscribing */
static const char *master_name = "A";  /* master: the value GET answers */
static int master_readonly;            /* master: GET answers -READONLY */
static int master_replica;             /* master: ROLE says slave */
static int master_reset_first;         /* master: its first connection closes at the first command after ROLE */

/* A sentinel that knows "mymaster" at master A, and subscribes. With
 * switch_after_ms it announces B on its first connection, and names B on
 * the later ones. */
static void fake_sentinel(int fd, int nth)
{
    char buf[4096], out[512];
    int port = switch_after_ms >= 0 && nth > 0 ? master_b_port : master_a_port;
    if (nth > 0) switch_after_ms = -1;
    while (fake_read(fd, buf, sizeof(buf)) > 0) {
        if (!strstr(buf, "get-master-addr-by-name")) continue;
        if (strstr(buf, "mymaster")) {
            snprintf(out, sizeof(out), "*2\r\n$9\r\n127.0.0.1\r\n$%d\r\n%d\r\n", port > 9999 ? 5 : 4, port);
        } else {
            snprintf(out, sizeof(out), "*-1\r\n");
        }
        fake_write(fd, out);
        fake_write(fd, "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n");
        if (switch_after_ms >= 0) {
            char m[256];
            sleep_ms(switch_after_ms);
            snprintf(m, sizeof(m), "mymaster 127.0.0.1 %d 127.0.0.1 %d", master_a_port, master_b_port);
            msg(out, "message", "+switch-master", m);
            fake_write(fd, out);
        }
    }
}

/* A sentinel that already names B, and announces the switch to B on
 * subscriptions that did not ask (the links), 150 ms after they subscribe. */
static void fake_announcer(int fd, int nth)
{
    char buf[4096], out[512], m[256];
    (void) nth;
    while (fake_read(fd, buf, sizeof(buf)) > 0) {
        if (strstr(buf, "get-master-addr-by-name")) {
            snprintf(out, sizeof(out), "*2\r\n$9\r\n127.0.0.1\r\n$%d\r\n%d\r\n", master_b_port > 9999 ? 5 : 4, master_b_port);
            fake_write(fd, out);
            fake_write(fd, "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n");
        } else if (strstr(buf, "SUBSCRIBE")) {
            if (strstr(buf, "AUTH")) fake_write(fd, "+OK\r\n");
            fake_write(fd, "*3\r\n$9\r\nsubscribe\r\n$14\r\n+switch-master\r\n:1\r\n");
            sleep_ms(150);
            snprintf(m, sizeof(m), "mymaster 127.0.0.1 %d 127.0.0.1 %d", master_a_port, master_b_port);
            msg(out, "message", "+switch-master", m);
            fake_write(fd, out);
        }
    }
}

/* A sentinel that reads and never answers. */
static void fake_silent(int fd, int nth)
{
    char buf[4096];
    (void) nth;
    while (fake_read(fd, buf, sizeof(buf)) > 0) { }
}

/* A master: ROLE says master; GET answers its name (or READONLY). */
static void fake_master(int fd, int nth)
{
    char buf[4096], out[256];
    while (fake_read(fd, buf, sizeof(buf)) > 0) {
        if (strstr(buf, "ROLE")) {
            fake_write(fd, master_replica ? "*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:1\r\n$9\r\nconnected\r\n:0\r\n"
                                           : "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
        } else if (master_reset_first && nth == 0) {
            return;                   /* the handler exits: the connection is reset */
        } else if (master_readonly) {
            fake_write(fd, "-READONLY You can't write against a read only replica.\r\n");
        } else {
            snprintf(out, sizeof(out), "$%zu\r\n%s\r\n", strlen(master_name), master_name);
            fake_write(fd, out);
        }
    }
}

static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t al = sizeof(a);
    int s = socket(AF_INET, SOCK_STREAM, 0), port;
    memset(&a, 0, sizeof(a));
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(s, (struct sockaddr *) &a, sizeof(a));
    getsockname(s, (struct sockaddr *) &a, &al);
    port = ntohs(a.sin_port);
    close(s);
    return port;
}

static wx_client_t *client(const char *service, const int *ports, size_t n, double rt)
{
    wx_client_opts_t o;
    wx_client_t *cl;
    size_t i;
    wx_client_opts_init(&o);
    o.mode = WX_TOPO_SENTINEL;
    o.service = strdup(service);
    o.node.read_timeout = rt;
    o.node.connect_timeout = rt;
    for (i = 0; i < n; i++) wx_client_opts_add_seed(&o, "127.0.0.1", ports[i], NULL);
    cl = wx_client_new(&o, NULL);
    wx_client_opts_clear(&o);
    return cl;
}

/* GET k; returns the bulk's first byte ('A', 'B'), 'E' for an error reply,
 * 0 when the call failed. */
static char get(wx_client_t *cl)
{
    static const char *argv[] = { "GET", "k" };
    static const size_t argvlen[] = { 3, 1 };
    wx_conn_cmd_t cmd = { 2, argv, argvlen, WX_EXPECT_ANY, 0 };
    redisReply *r;
    char c;
    if (wx_client_request(cl, &cmd, 1, &r) != WX_CONN_OK) return 0;
    c = r->type == REDIS_REPLY_STRING && r->len > 0 ? r->str[0] : r->type == REDIS_REPLY_ERROR ? 'E' : '?';
    freeReplyObject(r);
    return c;
}

static void check_engine_refused(void)
{
    int ports[3] = { free_port(), free_port(), free_port() };
    wx_client_t *cl = client("mymaster", ports, 3, 1.0);
    char want[64];
    double t = now_s();

    WX_CHECK(cl && get(cl) == 0 && cl->err == WX_CONN_ERR_CONNECT, "no sentinel up: a connect error");
    WX_CHECK(now_s() - t < 0.5, "refused sentinels cost no waiting (%.3fs)", now_s() - t);
    snprintf(want, sizeof(want), "127.0.0.1:%d: Connection refused", ports[2]);
    WX_CHECK(strstr(cl->errstr, "no sentinel named a usable master for \"mymaster\"") && strstr(cl->errstr, want),
             "the message says what each sentinel did: %s", cl->errstr);
    WX_CHECK(wx_client_conn(cl) == NULL && cl->err == WX_CONN_ERR_CONNECT, "conn: NULL with the reason");
    WX_CHECK(wx_client_rediscover(cl) == WX_CONN_ERR_CONNECT, "rediscover: the same failure");
    wx_client_free(cl);
}

static void check_engine_fakes(void)
{
    fake_t ma, mb, s1, s2, dead;
    int ports[3];
    wx_client_t *cl;
    double t;
    char c;
    int status;

    signal(SIGPIPE, SIG_IGN);
    master_name = "A";
    ma = fake_start(fake_master);
    master_name = "B";
    mb = fake_start(fake_master);
    master_a_port = ma.port;
    master_b_port = mb.port;
    s1 = fake_start(fake_sentinel);
    dead = fake_start(fake_silent);

    /* unknown name */
    ports[0] = s1.port;
    cl = client("nosuch", ports, 1, 1.0);
    WX_CHECK(get(cl) == 0 && cl->err == WX_CONN_ERR_CONNECT &&
             strstr(cl->errstr, "no sentinel knows a master named \"nosuch\"") &&
             strstr(cl->errstr, ": no master named \"nosuch\""), "an unknown service name is named: %s", cl->errstr);
    wx_client_free(cl);

    /* a silent sentinel: the whole call within read_timeout */
    ports[0] = dead.port;
    cl = client("mymaster", ports, 1, 0.3);
    t = now_s();
    WX_CHECK(get(cl) == 0 && cl->err == WX_CONN_ERR_CONNECT, "a sentinel that never answers: a connect error");
    t = now_s() - t;
    WX_CHECK(t >= 0.25 && t < 0.6, "within the call's read_timeout 0.3s (%.3fs): %s", t, cl->errstr);
    wx_client_free(cl);

    /* the silent one first: skipped within what is left, the next one answers */
    ports[0] = dead.port;
    ports[1] = s1.port;
    cl = client("mymaster", ports, 2, 0.5);
    t = now_s();
    c = get(cl);
    WX_CHECK(c == 0 && now_s() - t < 0.7, "a silent first sentinel takes the whole read_timeout (%.3fs): %s",
             now_s() - t, cl->errstr);
    WX_CHECK((c = get(cl)) == 'A', "the next call starts with the sentinel that answered... (%c) %s", c ? c : '0', cl->errstr);
    wx_client_free(cl);

    /* discovery, then a +switch-master 100 ms after the subscription */
    switch_after_ms = 100;
    s2 = fake_start(fake_sentinel);
    switch_after_ms = -1;
    ports[0] = s2.port;
    cl = client("mymaster", ports, 1, 1.0);
    WX_CHECK((c = get(cl)) == 'A', "discovery: the master the sentinel names (%c)", c ? c : '0');
    WX_CHECK(cl->failovers == 0, "the first master is no failover");
    fflush(stdout);
    {
        pid_t pid = fork();
        if (pid == 0) {
            /* the child asks on a connection of its own; had it read the
             * parent's stream it would take the switch from the parent */
            sleep_ms(300);
            c = get(cl);
            wx_client_free(cl);     /* closes the child's copies only */
            _exit(c == 'A' || c == 'B' ? 0 : 1);
        }
        waitpid(pid, &status, 0);
    }
    WX_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "a forked child gets its own working client");
    sleep_ms(200);
    WX_CHECK((c = get(cl)) == 'B', "after +switch-master the next request goes to the new master (%c)", c ? c : '0');
    WX_CHECK(cl->failovers == 1, "and counts a failover (%llu)", (unsigned long long) cl->failovers);
    wx_client_free(cl);

    /* links: the second sentinel is subscribed to without blocking; when it
     * announces B, it is asked first (the first one still names A) */
    {
        fake_t ann = fake_start(fake_announcer);
        int i, got_b = 0;
        double t1;
        ports[0] = s1.port;
        ports[1] = ann.port;
        cl = client("mymaster", ports, 2, 1.0);
        WX_CHECK((c = get(cl)) == 'A', "two sentinels: the first one's master (%c)", c ? c : '0');
        t1 = now_s();
        for (i = 0; i < 100 && !got_b; i++) {
            c = get(cl);
            if (c == 'B') got_b = 1;
            else if (c != 'A') break;
            sleep_ms(10);
        }
        WX_CHECK(got_b && now_s() - t1 < 0.6, "the other sentinel's link announced B: the next request went there (%.3fs)",
                 now_s() - t1);
        WX_CHECK(cl->failovers == 1, "one failover (%llu)", (unsigned long long) cl->failovers);
        wx_client_free(cl);
        fake_stop(&ann);
    }

    /* a silent sentinel's link is pending for a while: no request waits for it */
    {
        int i, good = 1;
        double worst = 0;
        ports[0] = s1.port;
        ports[1] = dead.port;
        cl = client("mymaster", ports, 2, 0.2);
        for (i = 0; i < 30; i++) {
            double t1 = now_s();
            if (get(cl) != 'A') good = 0;
            /* the first call is discovery (fakes fork per connection) */
            if (i > 0 && now_s() - t1 > worst) worst = now_s() - t1;
            sleep_ms(15);
        }
        /* waiting for the link would cost its read_timeout, 0.2 s */
        WX_CHECK(good && worst < 0.1, "a silent second sentinel: 30 requests over 0.45 s, none waited for its link "
                 "(slowest %.1f ms)", worst * 1e3);
        wx_client_free(cl);
    }

    /* masters(): the one master, the same connection conn() gives */
    {
        wx_conn_t *out[2] = { NULL, NULL };
        size_t nm = 0;
        ports[0] = s1.port;
        cl = client("mymaster", ports, 1, 1.0);
        WX_CHECK(wx_client_masters(cl, out, 2, &nm) == WX_CONN_OK && nm == 1 && out[0] == wx_client_conn(cl) &&
                 out[0]->opts.port == master_a_port, "masters(): one, connected, the master");
        wx_client_free(cl);
    }

    /* a connection reset after the command was written: sent again only
     * when running it twice changes nothing */
    {
        static const char *inc[] = { "INCR", "k" };
        static const size_t incl[] = { 4, 1 };
        wx_conn_cmd_t cmd = { 2, inc, incl, WX_EXPECT_ANY, 0 };
        redisReply *r = NULL;
        fake_t mr;
        master_reset_first = 1;
        master_name = "R";
        mr = fake_start(fake_master);
        master_reset_first = 0;
        master_a_port = mr.port;
        fake_stop(&s1);
        s1 = fake_start(fake_sentinel);
        ports[0] = s1.port;
        cl = client("mymaster", ports, 1, 1.0);
        WX_CHECK((c = get(cl)) == 'R' && cl->retries == 1, "reset during GET: found again, sent once more (%c, %llu retries)",
                 c ? c : '0', (unsigned long long) cl->retries);
        wx_client_free(cl);
        fake_stop(&mr);
        master_reset_first = 1;
        mr = fake_start(fake_master);
        master_reset_first = 0;
        master_a_port = mr.port;
        fake_stop(&s1);
        s1 = fake_start(fake_sentinel);
        ports[0] = s1.port;
        cl = client("mymaster", ports, 1, 1.0);
        WX_CHECK(wx_client_request(cl, &cmd, 1, &r) == WX_CONN_ERR_IO && cl->retries == 0 && strstr(cl->errstr, "closed"),
                 "reset during INCR: not sent again, the failure is the caller's: %s", cl->errstr);
        WX_CHECK(get(cl) == 'R', "and the next call works");
        wx_client_free(cl);
        fake_stop(&mr);
        master_a_port = ma.port;
    }

    /* READONLY: find the master again, retry once (the fake still names A, so
     * the retry is refused again and reaches the caller) */
    fake_stop(&ma);
    master_readonly = 1;
    master_name = "A";
    ma = fake_start(fake_master);
    master_readonly = 0;
    master_a_port = ma.port;
    fake_stop(&s1);
    s1 = fake_start(fake_sentinel);
    ports[0] = s1.port;
    cl = client("mymaster", ports, 1, 1.0);
    c = get(cl);
    WX_CHECK(c == 'E' && cl->retries == 1, "READONLY: asked again, sent once more, then the error reply (%c, %llu retries)",
             c ? c : '0', (unsigned long long) cl->retries);
    wx_client_free(cl);

    /* a sentinel that names a replica */
    fake_stop(&ma);
    master_replica = 1;
    ma = fake_start(fake_master);
    master_replica = 0;
    master_a_port = ma.port;
    fake_stop(&s1);
    s1 = fake_start(fake_sentinel);
    ports[0] = s1.port;
    cl = client("mymaster", ports, 1, 1.0);
    c = get(cl);
    WX_CHECK(c == 0 && cl->err == WX_CONN_ERR_CONNECT && strstr(cl->errstr, "which is a replica of"),
             "a sentinel naming a replica is not believed: %s", cl->errstr);
    wx_client_free(cl);

    fake_stop(&ma);
    fake_stop(&mb);
    fake_stop(&s1);
    fake_stop(&s2);
    fake_stop(&dead);
}

int main(void)
{
    check_report();
    check_watch_feed();
    check_watch_socket();
    check_engine_refused();
    check_engine_fakes();
    return wx_test_done();
}
