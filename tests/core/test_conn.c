/* Unit tests of wx_conn: DSN parsing, pool keys, and failures that need
 * no server (refused port, missing socket). */
#include "wx_conn.h"
#include "wx_test.h"

#include <stdlib.h>
#include <sys/wait.h>
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

    cmds[0] = (wx_conn_cmd_t) { 3, setv, setl };
    cmds[1] = (wx_conn_cmd_t) { 2, getv, getl };
    cmds[2] = (wx_conn_cmd_t) { 3, empv, empl };
    cmds[3] = (wx_conn_cmd_t) { 3, bigv, bigl };
    WX_CHECK(wx_conn_pipeline(c, cmds, 4, r) == WX_CONN_OK, "pipeline of 4: %s", c->errstr);
    WX_CHECK(r[1]->type == REDIS_REPLY_STRING && r[1]->len == 5 && memcmp(r[1]->str, "a\0b\r\n", 5) == 0,
             "binary-safe args (NUL, CRLF) round-trip");
    WX_CHECK(r[2]->type == REDIS_REPLY_STATUS && r[3]->type == REDIS_REPLY_STATUS, "empty and 600-byte args accepted");
    for (i = 0; i < 4; i++) freeReplyObject(r[i]);
    WX_CHECK(c->stats->round_trips == 2 && c->stats->connects == 1, "one round trip for the batch (plus SELECT)");

    for (i = 0; i < 1000; i++) cmds[i] = (wx_conn_cmd_t) { 2, incv, incl };
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
    cmds[0] = (wx_conn_cmd_t) { 5, delv, dell };
    if (wx_conn_pipeline(c, cmds, 1, r) == WX_CONN_OK) freeReplyObject(r[0]);
    wx_conn_free(c);
}

int main(void)
{
    const char *addr = getenv("WXREDIS_TEST_REDIS");
    check_dsn();
    check_keys();
    check_failures();
    if (addr && *addr) {
        check_live(addr);
    }
    return wx_test_done();
}
