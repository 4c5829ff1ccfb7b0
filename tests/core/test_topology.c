/* Unit tests of wx_topology: multi-host DSNs as Symfony writes them, which
 * parser a DSN goes to, SENTINEL / ROLE / +switch-master replies, error
 * classes. With WXREDIS_TEST_SENTINEL (a sentinel of scripts/ha's group) the
 * reply parsers also run against live servers. */
#include "wx_topology.h"
#include "wx_test.h"

#include <stdlib.h>
#include <sys/time.h>
#include <unistd.h>

static char err[256];

static int parse(wx_topo_dsn_t *d, const char *dsn)
{
    return wx_topo_parse_dsn(d, dsn, strlen(dsn), err, sizeof(err));
}

static int streq(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

static int host_is(const wx_topo_dsn_t *d, size_t i, const char *h, int port)
{
    return i < d->nhosts && streq(d->hosts[i].host, h) && d->hosts[i].port == port && !d->hosts[i].unix_path;
}

/* One reply from RESP bytes, through hiredis's own reader (as the glue gets it). */
static redisReply *reply_from(const char *resp, size_t len)
{
    redisReader *r = redisReaderCreate();
    void *reply = NULL;
    if (redisReaderFeed(r, resp, len) != REDIS_OK || redisReaderGetReply(r, &reply) != REDIS_OK) reply = NULL;
    redisReaderFree(r);
    return reply;
}
#define REPLY(s) reply_from((s), sizeof(s) - 1)

static void check_dsn_forms(void)
{
    wx_topo_dsn_t d;
    wx_topo_dsn_init(&d);

    /* the two examples */
    WX_CHECK(parse(&d, "redis:?host[10.0.0.1:26379]&host[10.0.0.2:26379]&host[10.0.0.3:26379]&redis_sentinel=mymaster") == WX_TOPO_OK
             && d.mode == WX_TOPO_SENTINEL && d.nhosts == 3 && streq(d.service, "mymaster")
             && host_is(&d, 0, "10.0.0.1", 26379) && host_is(&d, 2, "10.0.0.3", 26379)
             && !d.password && !d.sentinel_password && d.dbindex == 0, "sentinel DSN: 3 sentinels in order, service name");
    WX_CHECK(parse(&d, "redis:?host[10.0.0.1:7000]&host[10.0.0.2:7000]&redis_cluster=1") == WX_TOPO_OK
             && d.mode == WX_TOPO_CLUSTER && d.nhosts == 2 && host_is(&d, 1, "10.0.0.2", 7000) && !d.service,
             "cluster DSN: seeds");
    WX_CHECK(parse(&d, "redis:?host[h1]&redis_cluster=1") == WX_TOPO_OK && host_is(&d, 0, "h1", 6379), "no port: 6379");
    WX_CHECK(parse(&d, "redis:?host[h1:7000]") == WX_TOPO_OK && d.mode == WX_TOPO_SINGLE && d.nhosts == 1, "one host, no mode: single");
    WX_CHECK(parse(&d, "redis:?host[h1]&host[h1:6379]&host[h2]&redis_cluster=1") == WX_TOPO_OK && d.nhosts == 2,
             "the same host twice is one host");
    WX_CHECK(parse(&d, "redis:?host[a:1]&sentinel_master=svc") == WX_TOPO_OK && d.mode == WX_TOPO_SENTINEL
             && streq(d.service, "svc"), "sentinel_master is an alias of redis_sentinel");
    WX_CHECK(parse(&d, "redis:?host[a:1]&host[b:2]&redis_sentinel=my%20master") == WX_TOPO_OK && streq(d.service, "my master"),
             "service name is %%-decoded");
    WX_CHECK(parse(&d, "redis:?host[a:1]&redis_cluster=true") == WX_TOPO_OK && d.mode == WX_TOPO_CLUSTER, "redis_cluster=true");
    WX_CHECK(parse(&d, "redis:?host[a:1]&redis_cluster=YES") == WX_TOPO_OK && d.mode == WX_TOPO_CLUSTER, "redis_cluster=YES");
    WX_CHECK(parse(&d, "redis:?host[a:1]&redis_cluster=0") == WX_TOPO_OK && d.mode == WX_TOPO_SINGLE, "redis_cluster=0: single");
    WX_CHECK(parse(&d, "redis:?host[a:1]&redis_cluster=") == WX_TOPO_OK && d.mode == WX_TOPO_SINGLE, "redis_cluster= (empty): false, as in PHP");

    /* sockets, IPv6, the authority form */
    WX_CHECK(parse(&d, "redis:?host[/var/run/redis.sock:]") == WX_TOPO_OK && d.nhosts == 1
             && streq(d.hosts[0].unix_path, "/var/run/redis.sock") && !d.hosts[0].host, "socket, Symfony's trailing ':'");
    WX_CHECK(parse(&d, "redis:?host[/run/r.sock]&host[/run/s.sock:0]&redis_cluster=1") == WX_TOPO_OK && d.nhosts == 2
             && streq(d.hosts[0].unix_path, "/run/r.sock") && streq(d.hosts[1].unix_path, "/run/s.sock"),
             "socket without ':' and with ':0'");
    WX_CHECK(parse(&d, "redis:?host[localhost]&host[localhost:6379]&host[/var/run/redis.sock:]&auth=my-password&redis_cluster=1") == WX_TOPO_OK
             && d.nhosts == 2 && streq(d.password, "my-password") && !d.username, "Symfony docs' cluster example");
    WX_CHECK(parse(&d, "redis:?host[[::1]:7000]&host[::1:7001]&redis_cluster=1") == WX_TOPO_OK
             && host_is(&d, 0, "::1", 7000) && host_is(&d, 1, "::1", 7001), "IPv6 in brackets, and bare (the last ':' splits)");
    WX_CHECK(parse(&d, "redis://h0:7000?host[h1:7001]&redis_cluster=1") == WX_TOPO_OK && d.nhosts == 2
             && host_is(&d, 0, "h0", 7000) && host_is(&d, 1, "h1", 7001), "URL host first, then host[]");
    WX_CHECK(parse(&d, "redis://h0:6380/4?timeout=2") == WX_TOPO_OK && d.dbindex == 4 && d.mode == WX_TOPO_SINGLE
             && streq(wx_topo_dsn_param(&d, "timeout"), "2"), "single host with a query: db from the path");
    WX_CHECK(parse(&d, "redis:///var/run/redis.sock/13?persistent=1") == WX_TOPO_OK && d.dbindex == 13
             && streq(d.hosts[0].unix_path, "/var/run/redis.sock"), "socket URL, /13 is the database");
    WX_CHECK(parse(&d, "redis://h/?dbindex=2") == WX_TOPO_OK && d.dbindex == 2, "empty path, dbindex in the query");

    /* credentials */
    WX_CHECK(parse(&d, "redis:user:pw@?host[h:1]&dbindex=3") == WX_TOPO_OK && streq(d.username, "user")
             && streq(d.password, "pw") && d.dbindex == 3, "redis:user:pass@?host[...]&dbindex=3 (Symfony docs)");
    WX_CHECK(parse(&d, "redis://user:pw@?host[h:1]&redis_cluster=1") == WX_TOPO_OK && streq(d.username, "user")
             && streq(d.password, "pw"), "redis://user:pass@?host[...]");
    WX_CHECK(parse(&d, "redis://secret@?host[h:1]") == WX_TOPO_OK && !d.username && streq(d.password, "secret"),
             "bare password");
    WX_CHECK(parse(&d, "redis:default:pw@?host[h:1]") == WX_TOPO_OK && !d.username && streq(d.password, "pw"),
             "user 'default' is AUTH <password>");
    WX_CHECK(parse(&d, "redis::pw@?host[h:1]") == WX_TOPO_OK && !d.username && streq(d.password, "pw"), "empty user");
    WX_CHECK(parse(&d, "redis://@?host[h:1]") == WX_TOPO_OK && !d.username && !d.password, "empty credentials: no AUTH");
    WX_CHECK(parse(&d, "redis://u%3Ax:p%40%25s@?host[h:1]") == WX_TOPO_OK && streq(d.username, "u:x")
             && streq(d.password, "p@%s"), "credentials %%-decoded");
    WX_CHECK(parse(&d, "redis://u:p+q@?host[h:1]") == WX_TOPO_OK && streq(d.password, "p+q"), "'+' stays '+' in credentials");
    WX_CHECK(parse(&d, "redis://u:100%@?host[h:1]") == WX_TOPO_OK && streq(d.password, "100%"),
             "an invalid %%-escape stays as it is (PHP's rawurldecode)");
    WX_CHECK(parse(&d, "redis:u:a@b@?host[h:1]") == WX_TOPO_OK && streq(d.username, "u") && streq(d.password, "a@b"),
             "raw '@' in a password");
    WX_CHECK(parse(&d, "redis://u:pa?ss@?host[h:1]&redis_cluster=1") == WX_TOPO_OK && streq(d.password, "pa?ss")
             && d.mode == WX_TOPO_CLUSTER, "raw '?' in a password before '@?'");
    WX_CHECK(parse(&d, "redis://u:a:b@h:1?timeout=1") == WX_TOPO_OK && streq(d.username, "u") && streq(d.password, "a:b"),
             "the first ':' ends the user");
    WX_CHECK(parse(&d, "redis:?host[h:1]&auth=p@ss") == WX_TOPO_OK && !d.username && streq(d.password, "p@ss"),
             "'@' in the query is not a credentials separator");
    WX_CHECK(parse(&d, "redis:?host[h:1]&auth=a+b%26c") == WX_TOPO_OK && streq(d.password, "a b&c"),
             "query values urldecoded ('+' is a space)");
    WX_CHECK(parse(&d, "redis:?host[h:1]&auth[]=pw") == WX_TOPO_OK && !d.username && streq(d.password, "pw"), "auth[]=password");
    WX_CHECK(parse(&d, "redis:?host[h:1]&auth[]=u&auth[]=pw") == WX_TOPO_OK && streq(d.username, "u") && streq(d.password, "pw"),
             "auth[]=user&auth[]=password");
    WX_CHECK(parse(&d, "redis:?host[h:1]&auth%5B%5D=u&auth%5B%5D=pw") == WX_TOPO_OK && streq(d.username, "u"),
             "auth%%5B%%5D (encoded brackets)");
    WX_CHECK(parse(&d, "redis://pw@?host[h:1]&auth=pw&redis_cluster=1") == WX_TOPO_OK && streq(d.password, "pw"),
             "the same credentials twice are fine");

    /* sentinel credentials: auth= goes to the sentinels, userinfo to the master */
    WX_CHECK(parse(&d, "redis://master-password@?host[r1:26379]&host[r2:26379]&redis_sentinel=mymaster&auth=sentinel-password") == WX_TOPO_OK
             && streq(d.password, "master-password") && !d.username && streq(d.sentinel_password, "sentinel-password")
             && !d.sentinel_username, "sentinel: password in userinfo, sentinel password in auth=");
    WX_CHECK(parse(&d, "redis://mu:mp@?host[r1:26379]&redis_sentinel=m&auth[]=su&auth[]=sp") == WX_TOPO_OK
             && streq(d.username, "mu") && streq(d.password, "mp") && streq(d.sentinel_username, "su")
             && streq(d.sentinel_password, "sp"), "sentinel: ACL users for both");
    WX_CHECK(parse(&d, "redis:?host[r1:26379]&redis_sentinel=m&auth=sp") == WX_TOPO_OK && streq(d.password, "sp")
             && streq(d.sentinel_password, "sp"), "sentinel: auth= alone serves sentinels and master (Symfony passes it to both)");
    WX_CHECK(parse(&d, "redis:default:pw@?host[r1:26379]&host[r2:26379]&redis_sentinel=mymaster&dbindex=3") == WX_TOPO_OK
             && streq(d.password, "pw") && !d.sentinel_password && d.dbindex == 3, "sentinel, credentials and dbindex (Symfony docs)");

    /* other parameters are kept for the glue */
    WX_CHECK(parse(&d, "redis:?host[h:1]&timeout=5&read_timeout=0.5&persistent=1&timeout=7") == WX_TOPO_OK
             && d.nparams == 4 && streq(wx_topo_dsn_param(&d, "timeout"), "7") && streq(wx_topo_dsn_param(&d, "read_timeout"), "0.5")
             && !wx_topo_dsn_param(&d, "lazy"), "other parameters kept in order; the last one wins on lookup");
    WX_CHECK(parse(&d, "redis:?&&host[h:1]&&flag") == WX_TOPO_OK && streq(wx_topo_dsn_param(&d, "flag"), ""),
             "empty segments skipped, a key without '=' has an empty value");
    wx_topo_dsn_clear(&d);
}

static void check_dsn_errors(void)
{
    wx_topo_dsn_t d;
    char big[8192];
    size_t i, n;
    wx_topo_dsn_init(&d);

#define BAD(dsn, code, what) do {                                                     \
        int rc_ = parse(&d, dsn);                                                     \
        WX_CHECK(rc_ == (code) && d.nhosts == 0 && !d.password && err[0], "%s: %s [%s]", what, err, wx_topo_status_name(rc_)); \
    } while (0)

    BAD("rediss:?host[h:1]", WX_TOPO_ERR_SCHEME, "TLS refused");
    BAD("http://h", WX_TOPO_ERR_SCHEME, "not redis:");
    BAD("redis:h:6379", WX_TOPO_ERR_SYNTAX, "redis: without // and without ?");
    BAD("redis:?host[h:1] ", WX_TOPO_ERR_SYNTAX, "white space");
    BAD("redis:?host[h:1]&auth=a#b", WX_TOPO_ERR_SYNTAX, "raw '#' in the query");
    BAD("redis:?host[h:1]&auth=a%00b", WX_TOPO_ERR_SYNTAX, "escaped NUL in the query");
    BAD("redis://u:a%00@?host[h:1]", WX_TOPO_ERR_SYNTAX, "escaped NUL in the password");
    BAD("redis:?redis_cluster=1", WX_TOPO_ERR_NO_HOST, "no host");
    BAD("redis:?host[a:1]&host[b:1]", WX_TOPO_ERR_MODE, "several hosts without a mode");
    BAD("redis:?host[a:1]&redis_cluster=1&redis_sentinel=m", WX_TOPO_ERR_MODE, "cluster and sentinel");
    BAD("redis:?host[a:1]&redis_sentinel=m&sentinel_master=n", WX_TOPO_ERR_MODE, "redis_sentinel and sentinel_master");
    BAD("redis:?host[a:1]&redis_sentinel=", WX_TOPO_ERR_MODE, "empty service name");
    BAD("redis:?host[a:1]&redis_cluster=maybe", WX_TOPO_ERR_PARAM, "redis_cluster=maybe");
    BAD("redis:?host[a:1]&redis_cluster=1&redis_cluster=1", WX_TOPO_ERR_PARAM, "redis_cluster twice");
    BAD("redis:?host[a:1]&redis_sentinel=m&redis_sentinel=m", WX_TOPO_ERR_PARAM, "redis_sentinel twice");
    BAD("redis:?host=a:1", WX_TOPO_ERR_PARAM, "host=, not host[]");
    BAD("redis:?host[a:1]=alias%3Dm", WX_TOPO_ERR_PARAM, "per-host parameters");
    BAD("redis:?host[]", WX_TOPO_ERR_HOST, "empty host[]");
    BAD("redis:?host[a:0]", WX_TOPO_ERR_HOST, "port 0");
    BAD("redis:?host[a:65536]", WX_TOPO_ERR_HOST, "port 65536");
    BAD("redis:?host[a:abc]", WX_TOPO_ERR_HOST, "port not a number (Symfony would take a socket 'a')");
    BAD("redis:?host[:7000]", WX_TOPO_ERR_HOST, "no host name");
    BAD("redis:?host[a;b:1]", WX_TOPO_ERR_HOST, "odd host character");
    BAD("redis:?host[[::1:7000]", WX_TOPO_ERR_HOST, "unclosed '['");
    BAD("redis:?host[/run/r.sock:7000]", WX_TOPO_ERR_HOST, "socket with a port");
    BAD("redis://h:1/x?timeout=1", WX_TOPO_ERR_DBINDEX, "path not a number");
    BAD("redis:?host[a:1]&dbindex=x", WX_TOPO_ERR_DBINDEX, "dbindex not a number");
    BAD("redis:?host[a:1]&dbindex=99999999999", WX_TOPO_ERR_DBINDEX, "dbindex too large");
    BAD("redis://h:1/2?dbindex=3", WX_TOPO_ERR_DBINDEX, "path and dbindex disagree");
    BAD("redis:?host[a:1]&dbindex=1&dbindex=1", WX_TOPO_ERR_PARAM, "dbindex twice");
    BAD("redis:?host[a:1]&host[b:1]&redis_cluster=1&dbindex=3", WX_TOPO_ERR_DBINDEX, "cluster with database 3");
    BAD("redis:?host[a:1]&auth=a&auth=b", WX_TOPO_ERR_PARAM, "auth twice");
    BAD("redis:?host[a:1]&auth=a&auth[]=b", WX_TOPO_ERR_PARAM, "auth= and auth[] mixed");
    BAD("redis:?host[a:1]&auth[]=a&auth[]=b&auth[]=c", WX_TOPO_ERR_PARAM, "auth[] with three elements");
    BAD("redis:?host[a:1]&auth[user]=a", WX_TOPO_ERR_PARAM, "auth[user]");
    BAD("redis://u:p@?host[a:1]&host[b:1]&redis_cluster=1&auth=other", WX_TOPO_ERR_PARAM, "cluster: two different credentials");

    WX_CHECK(parse(&d, "redis://:top;secret?host[a:1]") == WX_TOPO_ERR_HOST && !strstr(err, "secret"),
             "a password left in the URL's host (no '@') is not quoted: %s", err);
    WX_CHECK(parse(&d, "redis://u:topsecret@?host[a:1]&host[b:1]&redis_cluster=1&auth=other-secret") == WX_TOPO_ERR_PARAM
             && !strstr(err, "topsecret") && !strstr(err, "other-secret"), "an error message never repeats a password: %s", err);

    /* limits */
    n = (size_t)snprintf(big, sizeof(big), "redis:?redis_cluster=1");
    for (i = 0; i < 600 && n + 20 < sizeof(big); i++) n += (size_t)snprintf(big + n, sizeof(big) - n, "&host[h%zu]", i);
    WX_CHECK(parse(&d, big) == WX_TOPO_OK && d.nhosts == i, "%zu hosts accepted", i);
    {
        size_t len = 1100 * 12 + 32;
        char *huge = malloc(len);
        n = (size_t)snprintf(huge, len, "redis:?redis_cluster=1");
        for (i = 0; i < 1100; i++) n += (size_t)snprintf(huge + n, len - n, "&host[h%zu]", i);
        WX_CHECK(parse(&d, huge) == WX_TOPO_ERR_LIMIT && d.nhosts == 0, "more than %d hosts refused", WX_TOPO_MAX_HOSTS);
        free(huge);
    }
    {
        char sock[200];
        memset(sock, 'x', sizeof(sock));
        memcpy(sock, "redis:?host[/", 13);
        memcpy(sock + 150, "]", 2);
        WX_CHECK(parse(&d, sock) == WX_TOPO_ERR_HOST && strstr(err, "longer than"), "socket path too long for sun_path");
    }
    WX_CHECK(wx_topo_parse_dsn(&d, "redis:?host[a:1]\0x", 18, err, sizeof(err)) == WX_TOPO_ERR_SYNTAX, "embedded NUL");
#undef BAD

    /* a failed parse leaves no half result behind */
    parse(&d, "redis:?host[a:1]&host[b:1]&redis_cluster=1");
    WX_CHECK(parse(&d, "redis:?host[a:1]&host[b:x]&redis_cluster=1") != WX_TOPO_OK && d.nhosts == 0 && !d.hosts, "failure clears the result");
    wx_topo_dsn_clear(&d);
}

static void check_wants(void)
{
    static const struct { const char *dsn; int want; } t[] = {
        { "redis:?host[a:1]&redis_cluster=1", 1 },
        { "redis:u:p@?host[a:1]", 1 },
        { "redis://?host[a:1]", 1 },
        { "redis://u:p@?host[a:1]", 1 },
        { "redis://u:pa?ss@?host[a:1]", 1 },
        { "redis://h:6379?timeout=3", 1 },
        { "redis://u:p@h:6379/2?dbindex=2", 1 },
        { "rediss:?host[a:1]", 1 },
        { "redis://h:6379", 0 },
        { "redis://u:p@h:6379/2", 0 },
        { "redis://:pa?ss@h", 0 },        /* wx_conn reads this password today */
        { "unix:///run/redis.sock", 0 },
        { "memcached://h", 0 },
        { "", 0 },
    };
    size_t i;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        WX_CHECK(wx_topo_dsn_wants(t[i].dsn, strlen(t[i].dsn)) == t[i].want, "wants(%s) == %d", t[i].dsn, t[i].want);
    }
}

static void check_master_addr(void)
{
    wx_topo_hostport_t hp;
    redisReply *r;

    r = REPLY("*2\r\n$9\r\n127.0.0.1\r\n$4\r\n6380\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_OK && streq(hp.host, "127.0.0.1") && hp.port == 6380,
             "get-master-addr-by-name [ip, port]");
    freeReplyObject(r);
    r = REPLY("*-1\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_UNKNOWN_NAME, "nil: unknown name (%s)", err);
    freeReplyObject(r);
    r = REPLY("-NOAUTH Authentication required.\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY_ERROR && streq(err, "NOAUTH Authentication required."),
             "error reply passed on: %s", err);
    freeReplyObject(r);
    r = REPLY("*1\r\n$1\r\nh\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "one element");
    freeReplyObject(r);
    r = REPLY("*2\r\n$1\r\nh\r\n$5\r\n70000\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "port out of range");
    freeReplyObject(r);
    r = REPLY("*2\r\n$3\r\na b\r\n$2\r\n10\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "host with a space");
    freeReplyObject(r);
    r = REPLY("*2\r\n$0\r\n\r\n$2\r\n10\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "empty host");
    freeReplyObject(r);
    r = REPLY(":1\r\n");
    WX_CHECK(wx_topo_parse_master_addr(r, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "integer reply");
    freeReplyObject(r);
    WX_CHECK(wx_topo_parse_master_addr(NULL, &hp, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "no reply");
}

static void check_role(void)
{
    wx_topo_role_t role;
    redisReply *r;
    char buf[4096];
    size_t n, i;

    r = REPLY("*3\r\n$6\r\nmaster\r\n:3129659\r\n*2\r\n*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9001\r\n$7\r\n3129242\r\n"
              "*3\r\n$9\r\n127.0.0.1\r\n$4\r\n9002\r\n$7\r\n3129543\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_MASTER
             && role.offset == 3129659 && role.nreplicas == 2 && role.replicas[1].port == 9002
             && role.replica_offsets[0] == 3129242, "ROLE master with two replicas");
    freeReplyObject(r);
    r = REPLY("*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_MASTER && role.nreplicas == 0,
             "ROLE master without replicas");
    freeReplyObject(r);
    r = REPLY("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$9\r\nconnected\r\n:3167038\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_REPLICA
             && streq(role.master.host, "127.0.0.1") && role.master.port == 9000 && role.link == WX_TOPO_LINK_CONNECTED
             && role.offset == 3167038, "ROLE replica, connected");
    freeReplyObject(r);
    r = REPLY("*5\r\n$5\r\nslave\r\n$9\r\n127.0.0.1\r\n:9000\r\n$10\r\nconnecting\r\n:-1\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.link == WX_TOPO_LINK_CONNECTING && role.offset == -1,
             "ROLE replica, connecting, offset -1");
    freeReplyObject(r);
    r = REPLY("*5\r\n$5\r\nslave\r\n$1\r\nh\r\n:1\r\n$5\r\nweird\r\n:0\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.link == WX_TOPO_LINK_UNKNOWN, "unknown link state kept as unknown");
    freeReplyObject(r);
    r = REPLY("*2\r\n$8\r\nsentinel\r\n*1\r\n$8\r\nmymaster\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_SENTINEL, "ROLE sentinel");
    freeReplyObject(r);
    r = REPLY("-LOADING Redis is loading the dataset in memory\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_ERR_REPLY_ERROR && strstr(err, "LOADING"), "ROLE error reply");
    freeReplyObject(r);
    r = REPLY("*1\r\n$7\r\nunknown\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_ERR_REPLY && role.role == 0, "unknown role");
    freeReplyObject(r);
    r = REPLY("*3\r\n$6\r\nmaster\r\n:1\r\n*1\r\n*3\r\n$1\r\nh\r\n$1\r\nx\r\n$1\r\n0\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "replica port not a number");
    freeReplyObject(r);
    r = REPLY("*4\r\n$5\r\nslave\r\n$1\r\nh\r\n:1\r\n$9\r\nconnected\r\n");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_ERR_REPLY, "replica ROLE too short");
    freeReplyObject(r);

    n = (size_t)snprintf(buf, sizeof(buf), "*3\r\n$6\r\nmaster\r\n:1\r\n*20\r\n");
    for (i = 0; i < 20; i++) n += (size_t)snprintf(buf + n, sizeof(buf) - n, "*3\r\n$1\r\nh\r\n$4\r\n%zu\r\n$1\r\n0\r\n", 1000 + i);
    r = reply_from(buf, n);
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.nreplicas == 20
             && role.replicas[WX_TOPO_ROLE_MAX_REPLICAS - 1].port == 1000 + WX_TOPO_ROLE_MAX_REPLICAS - 1,
             "20 replicas counted, the first %d kept", WX_TOPO_ROLE_MAX_REPLICAS);
    freeReplyObject(r);
}

static void check_switch_master(void)
{
    wx_topo_hostport_t o, n;
    const char *m = "mymaster 127.0.0.1 6379 127.0.0.1 6380";
    WX_CHECK(wx_topo_parse_switch_master(m, strlen(m), "mymaster", &o, &n) == WX_TOPO_OK && o.port == 6379 && n.port == 6380
             && streq(n.host, "127.0.0.1"), "+switch-master payload");
    WX_CHECK(wx_topo_parse_switch_master(m, strlen(m), "other", &o, &n) == WX_TOPO_ERR_OTHER_NAME && n.port == 6380,
             "another service's switch");
    WX_CHECK(wx_topo_parse_switch_master(m, strlen(m), "mymaste", &o, &n) == WX_TOPO_ERR_OTHER_NAME, "a prefix of the name is another name");
#define SWBAD(s, what) WX_CHECK(wx_topo_parse_switch_master(s, strlen(s), "m", &o, &n) == WX_TOPO_ERR_REPLY, "malformed: %s", what)
    SWBAD("m 1.1.1.1 1 2.2.2.2", "four fields");
    SWBAD("m 1.1.1.1 1 2.2.2.2 2 x", "six fields");
    SWBAD("m  1.1.1.1 1 2.2.2.2 2", "double space");
    SWBAD("m 1.1.1.1 1 2.2.2.2 2 ", "trailing space");
    SWBAD("m 1.1.1.1 x 2.2.2.2 2", "port not a number");
    SWBAD("m 1.1.1.1 1 2.2.2.2 0", "port 0");
    SWBAD("", "empty");
#undef SWBAD
}

static void check_error_class(void)
{
    static const struct { const char *msg; wx_topo_errclass_t c; } t[] = {
        { "MOVED 3999 127.0.0.1:6381", WX_TOPO_ERRCLASS_MOVED },
        { "-ASK 3999 127.0.0.1:6381", WX_TOPO_ERRCLASS_ASK },
        { "TRYAGAIN Multiple keys request during rehashing of slot", WX_TOPO_ERRCLASS_TRYAGAIN },
        { "CLUSTERDOWN The cluster is down", WX_TOPO_ERRCLASS_CLUSTERDOWN },
        { "CROSSSLOT Keys in request don't hash to the same slot", WX_TOPO_ERRCLASS_CROSSSLOT },
        { "READONLY You can't write against a read only replica.", WX_TOPO_ERRCLASS_READONLY },
        { "LOADING Redis is loading the dataset in memory", WX_TOPO_ERRCLASS_LOADING },
        { "MASTERDOWN Link with MASTER is down and replica-serve-stale-data is set to 'no'.", WX_TOPO_ERRCLASS_MASTERDOWN },
        { "NOREPLICAS Not enough good replicas to write.", WX_TOPO_ERRCLASS_NOREPLICAS },
        { "NOAUTH Authentication required.", WX_TOPO_ERRCLASS_NOAUTH },
        { "WRONGPASS invalid username-password pair or user is disabled.", WX_TOPO_ERRCLASS_NOAUTH },
        { "BUSY Redis is busy running a script.", WX_TOPO_ERRCLASS_BUSY },
        { "READONLY\r\n", WX_TOPO_ERRCLASS_READONLY },
        { "ERR unknown command 'FOO'", WX_TOPO_ERRCLASS_OTHER },
        { "moved 1 h:1", WX_TOPO_ERRCLASS_OTHER },
        { "MOVEDX 1 h:1", WX_TOPO_ERRCLASS_OTHER },
        { "ERR MOVED", WX_TOPO_ERRCLASS_OTHER },
        { "", WX_TOPO_ERRCLASS_OTHER },
        { "-", WX_TOPO_ERRCLASS_OTHER },
    };
    size_t i;
    for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        wx_topo_errclass_t c = wx_topo_error_class(t[i].msg, strlen(t[i].msg));
        WX_CHECK(c == t[i].c, "error class of '%.*s' is %s (got %s)", (int)strcspn(t[i].msg, "\r\n"), t[i].msg, wx_topo_errclass_name(t[i].c), wx_topo_errclass_name(c));
    }
    WX_CHECK(wx_topo_error_class(NULL, 0) == WX_TOPO_ERRCLASS_OTHER, "NULL message");
}

static void check_hostport(void)
{
    wx_topo_hostport_t hp;
    WX_CHECK(wx_topo_parse_hostport("h:1", 3, 0, &hp) == 0 && streq(hp.host, "h") && hp.port == 1, "h:1");
    WX_CHECK(wx_topo_parse_hostport("[::1]:7000", 10, 0, &hp) == 0 && streq(hp.host, "::1") && hp.port == 7000, "[::1]:7000");
    WX_CHECK(wx_topo_parse_hostport("::1:7000", 8, 0, &hp) == 0 && streq(hp.host, "::1") && hp.port == 7000, "::1:7000");
    WX_CHECK(wx_topo_parse_hostport(":7000", 5, 1, &hp) == 0 && hp.host[0] == '\0' && hp.port == 7000, ":7000 with empty host allowed");
    WX_CHECK(wx_topo_parse_hostport(":7000", 5, 0, &hp) == -1, ":7000 refused otherwise");
    WX_CHECK(wx_topo_parse_hostport("h", 1, 0, &hp) == -1, "no port");
    WX_CHECK(wx_topo_parse_hostport("h:", 2, 0, &hp) == -1, "empty port");
    WX_CHECK(wx_topo_parse_hostport("h:1x", 4, 0, &hp) == -1, "port with garbage");
    WX_CHECK(wx_topo_parse_hostport("[::1]7000", 9, 0, &hp) == -1, "no ':' after ']'");
    WX_CHECK(wx_topo_parse_hostport("", 0, 1, &hp) == -1, "empty");
}

/* ---------------------------------------------------------------- live */

static redisContext *live_connect(const char *addr, const char *user, const char *pass)
{
    char host[256];
    const char *colon = strrchr(addr, ':');
    struct timeval tv = { 2, 0 };
    redisContext *c;
    if (!colon || (size_t)(colon - addr) >= sizeof(host)) return NULL;
    memcpy(host, addr, (size_t)(colon - addr));
    host[colon - addr] = '\0';
    c = redisConnectWithTimeout(host, atoi(colon + 1), tv);
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

static void check_live_sentinel(void)
{
    const char *addr = getenv("WXREDIS_TEST_SENTINEL"), *name = getenv("WXREDIS_TEST_SENTINEL_NAME");
    const char *dsn = getenv("WXREDIS_TEST_SENTINEL_DSN"), *all = getenv("WXREDIS_TEST_SENTINELS");
    const char *du = getenv("WXREDIS_TEST_SENTINEL_DATA_USER"), *dp = getenv("WXREDIS_TEST_SENTINEL_DATA_PASS");
    redisContext *s, *m, *rep;
    redisReply *r;
    wx_topo_hostport_t master, junk;
    wx_topo_role_t role;
    wx_topo_dsn_t d;
    char maddr[300], raddr[300];
    size_t i;

    if (!addr || !name) {
        printf("# live Sentinel checks not run: WXREDIS_TEST_SENTINEL not set (scripts/ha start sentinel DIR)\n");
        return;
    }
    s = live_connect(addr, getenv("WXREDIS_TEST_SENTINEL_USER"), getenv("WXREDIS_TEST_SENTINEL_PASS"));
    WX_CHECK(s != NULL, "live: connected to sentinel %s", addr);
    if (!s) return;

    if (dsn && all) {
        char want[64];
        wx_topo_dsn_init(&d);
        WX_CHECK(parse(&d, dsn) == WX_TOPO_OK && d.mode == WX_TOPO_SENTINEL && d.nhosts == 3 && streq(d.service, name),
                 "live: the deployment's DSN parses: %s", dsn);
        for (i = 0; i < d.nhosts; i++) {
            snprintf(want, sizeof(want), "%s:%d", d.hosts[i].host, d.hosts[i].port);
            WX_CHECK(strstr(all, want) != NULL, "live: DSN host %s is a sentinel of the deployment", want);
        }
        wx_topo_dsn_clear(&d);
    }

    r = redisCommand(s, "SENTINEL get-master-addr-by-name %s", name);
    WX_CHECK(wx_topo_parse_master_addr(r, &master, err, sizeof(err)) == WX_TOPO_OK, "live: master of %s is %s:%d", name, master.host, master.port);
    if (r) freeReplyObject(r);
    r = redisCommand(s, "SENTINEL get-master-addr-by-name no-such-service-%d", (int)getpid());
    WX_CHECK(wx_topo_parse_master_addr(r, &junk, err, sizeof(err)) == WX_TOPO_ERR_UNKNOWN_NAME,
             "live: an unknown service name is nil");
    if (r) freeReplyObject(r);
    r = redisCommand(s, "ROLE");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_SENTINEL, "live: ROLE of a sentinel");
    if (r) freeReplyObject(r);
    redisFree(s);

    snprintf(maddr, sizeof(maddr), "%s:%d", master.host, master.port);
    m = live_connect(maddr, du, dp);
    WX_CHECK(m != NULL, "live: connected to master %s", maddr);
    if (!m) return;
    r = redisCommand(m, "ROLE");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_MASTER && role.nreplicas == 2,
             "live: ROLE of the master lists %zu replicas", role.nreplicas);
    if (r) freeReplyObject(r);
    redisFree(m);
    if (role.nreplicas < 1) return;
    snprintf(raddr, sizeof(raddr), "%s:%d", role.replicas[0].host, role.replicas[0].port);
    rep = live_connect(raddr, du, dp);
    WX_CHECK(rep != NULL, "live: connected to replica %s", raddr);
    if (!rep) return;
    r = redisCommand(rep, "ROLE");
    WX_CHECK(wx_topo_parse_role(r, &role, err, sizeof(err)) == WX_TOPO_OK && role.role == WX_TOPO_ROLE_REPLICA
             && role.master.port == master.port && role.link == WX_TOPO_LINK_CONNECTED, "live: ROLE of a replica names the master");
    if (r) freeReplyObject(r);
    r = redisCommand(rep, "SET wxtopo:live %d", 1);
    WX_CHECK(r && r->type == REDIS_REPLY_ERROR && wx_topo_error_class(r->str, r->len) == WX_TOPO_ERRCLASS_READONLY,
             "live: a write on a replica is READONLY: %s", r && r->str ? r->str : "?");
    if (r) freeReplyObject(r);
    redisFree(rep);
}

int main(void)
{
    check_dsn_forms();
    check_dsn_errors();
    check_wants();
    check_master_addr();
    check_role();
    check_switch_master();
    check_error_class();
    check_hostport();
    check_live_sentinel();
    return wx_test_done();
}
