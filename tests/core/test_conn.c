/* Unit tests of wx_conn: DSN parsing, pool keys, and failures that need
 * no server (refused port, missing socket). */
#include "wx_conn.h"
#include "wx_test.h"

#include <stdlib.h>

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

int main(void)
{
    check_dsn();
    check_keys();
    check_failures();
    return wx_test_done();
}
